"""Past initiatives as anchors: the articles that initiatives on the same subject named.

An initiative's title names the articles it would reform, and its synopsis says in the
legislator's words what it asks (``evaluation.silver``: the masked synopsis and the articles that
existed at its date). A query's nearest initiatives (BM25 over their masked synopses) vote for
the articles they named, each vote weighted by its BM25 score; the votes, divided by the largest,
reach every unit of the article. It is the classic use of anchor text in web search: other
people's words for what a document is about. It is the recommendation path's ``w_anchor`` signal
(fitted by ``scripts/fit_linker.py`` stage 3, with ``anchor_top``, the number of initiatives that
vote).

Which initiatives: the silver *train* split only, so that the silver dev and test figures stay
measurements of asks the signal never saw (an ask's own initiative never votes, see
``anchor_voters``). The SITL records of ``../shared/corpora/process`` come with the corpus; when
they cannot be read the signal is off (0 for every unit) and a warning says why.
"""
from __future__ import annotations

import hashlib
import logging
import pickle
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from rapidfuzz import fuzz

from lawgraph.cachefile import write_atomic
from lawgraph.errors import LawgraphError
from lawgraph.nlp.bm25 import BM25
from lawgraph.nlp.link_query import Query, _query_terms

log = logging.getLogger(__name__)

# An initiative re-presented with the same synopsis (another party, another legislature, the
# same words) is the same ask: it does not vote for its twin. 90 on rapidfuzz's ratio (0-100) is
# a stated choice for "the same words, give or take a few". It is not what the gain rests on:
# excluding every initiative at token-set ratio >= 50 of the query still kept 0.065 of the 0.115
# MRR gain on silver test (docs/linking.md, "Past initiatives as anchors").
SAME_ASK_RATIO = 90.0
# The split whose initiatives vote (see module doc).
ANCHOR_SPLIT = "train"
# BM25 over the synopses: the textbook k1 and b (Robertson & Zaragoza 2009), with which
# w_anchor and anchor_top were fitted (session 12). Not the paths' own k1, b: those score the
# provisions (measured in session 14 and kept textbook, scripts/measure_bm25.py), and a refit
# of theirs must not move the votes it was measured with.
ANCHOR_K1, ANCHOR_B = 1.2, 0.75


@dataclass
class AnchorIndex:
    """BM25 over the voting initiatives' masked synopses, and each one's article unit rows."""

    ids: list[str]
    texts: list[str]
    bm25: BM25
    rows: list[np.ndarray]             # per initiative: unit rows of every article it names
    n_units: int
    titles: list[str]                  # the initiative's title, for people
    days: list[str]                    # its date of presentation (ISO)
    law_share: np.ndarray              # per unit: share of the voting initiatives that name an
                                       # article of its law (1.0 where none does)


def anchor_terms(q: Query) -> list[str]:
    """A query's BM25 terms, as the units' BM25 reads them (no thesaurus: the initiatives speak
    the statutes' language already)."""
    return _query_terms(q, 0.0)[0]


def build_anchor_index(units: Sequence[Any], asks: Sequence[Any], k1: float, b: float) -> AnchorIndex:
    """From silver asks (``evaluation.silver.SilverAsk``: id, query, day, title, targets) and the linker's
    units; an ask whose named articles have no unit is kept with no rows (it votes for nothing)."""
    from lawgraph.evaluation.silver import label

    by_article: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        by_article[(u.law_key.lower(), label(u.article))].append(i)
    docs, rows = [], []
    naming: dict[str, int] = defaultdict(int)
    for a in asks:
        docs.append(anchor_terms(Query(a.id, "es", a.query, kind="rec", day=a.day)))
        r = sorted({i for key in a.answer_keys() for i in by_article.get(key, ())})
        rows.append(np.array(r, dtype=np.int64))
        for law in {units[i].law_key.lower() for i in r}:
            naming[law] += 1
    share = np.array([naming[u.law_key.lower()] / len(asks) if naming.get(u.law_key.lower()) else 1.0
                      for u in units], dtype=np.float32)
    return AnchorIndex([a.id for a in asks], [a.query for a in asks], BM25(docs, k1, b), rows, len(units),
                       [a.title or "" for a in asks], [a.day.isoformat() if a.day else "" for a in asks], share)


def anchor_voters(ai: AnchorIndex, q: Query, top: int) -> list[tuple[int, float]]:
    """The ``top`` nearest initiatives that vote for ``q`` (index, BM25 score), nearest first.
    The query's own initiative (same id) and re-presentations of it (``SAME_ASK_RATIO``) do not
    vote; an initiative that shares no term does not either."""
    s = ai.bm25.scores(anchor_terms(q))
    out: list[tuple[int, float]] = []
    for j in np.argsort(-s, kind="stable"):
        if len(out) >= top or s[j] <= 0:
            break
        if ai.ids[j] == q.item_id or fuzz.ratio(ai.texts[j], q.text) >= SAME_ASK_RATIO:
            continue
        out.append((int(j), float(s[j])))
    return out


def voters_of(ai: AnchorIndex, voters: list[tuple[int, float]], row: int, limit: int = 3) -> list[dict[str, str]]:
    """The voters that named the article of unit ``row``, nearest first (at most ``limit``), as
    people see them: the initiative's id, title and date."""
    return [{"id": ai.ids[j], "title": ai.titles[j], "date": ai.days[j]}
            for j, _s in voters if row in ai.rows[j]][:limit]


def anchor_scores(ai: AnchorIndex, q: Query, top: int,
                  voters: list[tuple[int, float]] | None = None, law_alpha: float = 0.0) -> np.ndarray:
    """Per unit, the summed BM25 of the ``top`` nearest initiatives that name its article
    (``anchor_voters``, or ``voters`` when given), divided by the largest (0..1; all 0 when no
    initiative shares a term). ``law_alpha`` > 0 first divides each unit's votes by
    ``law_share ** law_alpha`` (the voters' law prior taken out; ``FusionWeights.anchor_law_alpha``)."""
    out = np.zeros(ai.n_units, dtype=np.float32)
    for j, s in (anchor_voters(ai, q, top) if voters is None else voters):
        if len(ai.rows[j]):
            out[ai.rows[j]] += s
    return without_law_prior(ai, out, law_alpha)


def without_law_prior(ai: AnchorIndex, votes: np.ndarray, law_alpha: float) -> np.ndarray:
    """Per-unit votes divided by ``law_share ** law_alpha`` (nothing when 0), then by their
    largest. Dividing before or after an earlier scaling gives the same result, so
    ``fit_linker.Signals`` applies it to votes it computed once."""
    if law_alpha:
        votes = votes / ai.law_share ** np.float32(law_alpha)
    m = float(votes.max())
    return votes / m if m > 0 else votes


# The corpus folder of the law catalogue that masking reads (``catalog.LawCatalog.from_mirror``).
_CATALOG_DIR = Path("catalogs")


def _anchor_key(units: Sequence[Any], mirror: Path, k1: float, b: float) -> str:
    """A digest of what the train asks are made of: the unit facts ``build_silver`` reads (law,
    article, fraction, version date, notes), the SITL records, the law catalogue, the committed
    split, and the package's code and vocabulary. Any change rebuilds the table: a stated choice,
    since rebuilding costs seconds and a stale table would vote wrongly."""
    from lawgraph.evaluation.silver import SITL_DIR, SPLIT_FILE

    h = hashlib.sha256(f"{k1},{b},{ANCHOR_SPLIT},v2".encode())
    for u in units:
        h.update(repr((u.uid, u.law_key, u.article, u.fraction, u.version_date,
                       [(d.isoformat(), t) for d, t, *_ in u.notes])).encode())
    files = [f for d in (SITL_DIR, _CATALOG_DIR) for f in sorted((mirror / d).rglob("*")) if f.is_file()]
    if not any(f.is_relative_to(mirror / SITL_DIR) for f in files):
        raise FileNotFoundError(f"{mirror / SITL_DIR}: no hay registros del SITL")
    root = Path(__file__).resolve().parents[1]
    code = sorted(root.rglob("*.py")) + sorted((root / "nlp" / "patterns").glob("*.jsonl"))
    for f in [*files, Path(SPLIT_FILE), *code]:
        h.update(f.name.encode() + b"\x00" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()[:24]


def attach_anchors(index: Any, mirror: Any = None) -> AnchorIndex | None:
    """The index's anchor table, built from the corpus's SITL records (``ANCHOR_SPLIT``) and kept
    in ``index.stats['_anchors']``; None (signal off, warned once) when the records cannot be
    read. With a cache directory it is pickled under ``link_anchor/`` keyed by ``_anchor_key``,
    so re-linking with nothing changed does not read the initiatives again (a broken file is
    rebuilt)."""
    if "_anchors" in index.stats:
        return index.stats["_anchors"]
    ai = None
    try:
        from lawgraph.config import get_settings
        from lawgraph.evaluation.silver import build_silver

        mirror = mirror or get_settings().mirror
        if mirror is None:
            raise FileNotFoundError("no se encontró el espejo del corpus")
        pk = None
        if index.cache_dir is not None:
            pk = Path(index.cache_dir) / "link_anchor" / f"{_anchor_key(index.units, Path(mirror), ANCHOR_K1, ANCHOR_B)}.pkl"
            if pk.is_file():
                try:
                    ai = pickle.loads(pk.read_bytes())
                except Exception:  # noqa: BLE001 - a broken cache file is rebuilt
                    ai = None
        if ai is None:
            silver = build_silver(mirror, index.units)
            asks = [a for a in silver.asks if a.split == ANCHOR_SPLIT]
            ai = build_anchor_index(index.units, asks, ANCHOR_K1, ANCHOR_B)
            if pk is not None:
                write_atomic(pk, pickle.dumps(ai, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, ValueError, KeyError, LawgraphError) as e:
        log.warning("iniciativas como anclas: no disponibles (%s); la señal queda en 0", e)
        ai = None
    index.stats["_anchors"] = ai
    return ai
