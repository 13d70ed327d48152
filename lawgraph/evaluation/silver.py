"""A silver evaluation set built from the corpus: SITL initiatives as asks (issue 10, point 1).

Every initiative of ``<mirror>/process/sitl_diputados_lxvi`` whose title names articles of a
law the linker indexes (targets read by :func:`lawgraph.ingest.sitl.ingest_snapshot`, the same
parser and catalogue resolution as ``lawgraph ingest process``) becomes an ask:

- **query**: its ``sinopsis`` with law names, article / fracción numbers and the "en materia de
  …" tail masked (:func:`mask_query`), so the ask is found by what it asks, not by what it names;
- **answer**: the named articles that exist in the version in force at the initiative's date.
  The linker's units (one per provision, the versions with the same text merged) stand for the
  loaded versions; an article whose own reform note says it was added ("Artículo adicionado")
  after the initiative's date did not exist then and is left out of the answer;
- **landed** (:func:`landed_label`): a decree published after the initiative's date changed one
  of its answer articles (an enacting reform note dated after it, on the article or any of its
  fracciones), on or after the approval date when one is known, and the initiative is recorded
  as approved, by the SITL (``tramite`` Aprobada) or
  by a SIL record of either chamber in ``<mirror>/process/semaforo-legislativo`` that matches it
  (:func:`sil_approvals`), or by an approval or publication stage of the SIL instrument the
  project's fitted SITL-SIL join pairs with it (:func:`sil_join_approvals`); **not landed** when none of its answer articles changed after its date
  and it was not approved after the newest loaded version of the law. Everything else is
  ambiguous: left out of the landed figures and counted with its reason.

The split (train / dev / test) is a stable hash of the initiative id (:func:`split_of`), written
once to ``silver_split.jsonl`` beside this module (ids and split only; ``lawgraph eval links
--silver --write-split`` writes it). An ask whose id is not in that file is counted and left
out, so a grown corpus never moves an ask from one split to another.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lawgraph.errors import InputError
from lawgraph.ids import normalise_article_label
from lawgraph.nlp.textnorm import fold, terms

SPLIT_FILE = Path(__file__).with_name("silver_split.jsonl")
SITL_DIR = Path("process") / "sitl_diputados_lxvi"
SIL_DIR = Path("process") / "semaforo-legislativo"
SPLITS = ("train", "dev", "test")
# 60 / 20 / 20 by the first 8 hex digits of sha256(id) modulo 100: the usual proportions for a
# few hundred items (enough train rows to fit a dozen weights, a dev and a test of ~150 each).
SPLIT_CUTS = (60, 80)
# A query needs a few content words left after masking to be an ask at all.
MIN_QUERY_TERMS = 4
# SIL titles are cut at ~180 characters (dashboard_leyes.json) and open with a different
# preamble: a SIL record is the same initiative when the first 12 words of its decree words
# (from 'reforma'/'adiciona'/… on) equal the SITL title's and it is dated within 10 days of the
# SITL presentation date (the SITL gives the Gaceta date, the SIL the session's). Stated reason,
# not fitted: 12 words reach past the verbs into the articles or the law's name (fewer matched
# different initiatives on the same law in a manual look at the matches), and 10 days covers a
# Gaceta publication before its session.
SIL_KEY_WORDS = 12
SIL_MAX_DAYS = 10

# Reform-note actions that put words in the text (a repeal or a renumbering enacts nothing).
ENACTING_RE = re.compile(r"adicionad|reformad|agregad|incorporad|modificad", re.IGNORECASE)
ADDED_RE = re.compile(r"^\s*art[íi]culo\s+adicionad", re.IGNORECASE)

# What a synopsis names rather than asks: article and fracción numbers ('artículo 4o.',
# 'arts. 3, 29 y 30', 'fracción IX', 'fracciones II y III', 'párrafo segundo').
ARTICLE_REF_RE = re.compile(
    r"""
    \b(?:art[íi]culos?|arts?\.)\s*            # 'artículo', 'artículos', 'art.', 'arts.'
    (?:\d+\s*[oº°]?\.?(?:\s*(?:bis|ter|qu[áa]ter|quinquies|sexies|septies|octies|[A-Z])\b)?
       (?:\s*(?:,|y|e|al|a)\s*)?)+            # one or more numbers with their suffixes
    | \bfracci(?:[óo]n|ones)\s+[IVXLC]+\b(?:\s*(?:,|y|e|a)\s*[IVXLC]+\b)*
    | \b(?:p[áa]rrafo|inciso|apartado)s?\s+(?:[a-z]\)|[A-Z]\b|\w+o\b)
    """,
    re.VERBOSE | re.IGNORECASE,
)
# The subject tail of a title or synopsis: 'en materia de violencia vicaria' up to the sentence's end.
MATERIA_RE = re.compile(r"\ben\s+materia\s+de\b[^.;]*", re.IGNORECASE)
# Generic names of a law that the catalogue does not list ('la Constitución', 'el Código Penal').
GENERIC_LAW_RE = re.compile(
    r"\b(?:la\s+)?(?:Constituci[óo]n(?:\s+Pol[íi]tica(?:\s+de\s+los\s+Estados\s+Unidos\s+Mexicanos)?)?"
    r"|Carta\s+Magna|C[óo]digo\s+Penal(?:\s+Federal)?|Ley\s+General\s+de\s+V[íi]ctimas)\b",
    re.IGNORECASE,
)


def label(a: str) -> str:
    """An article label compared across sources ('4o.' -> '4', '20 TER' -> '20 ter')."""
    try:
        return normalise_article_label(str(a)).lower()
    except Exception:  # noqa: BLE001 - an odd label is compared as written
        return " ".join(str(a).lower().split())


def split_of(ask_id: str) -> str:
    """train / dev / test by a stable hash of the id (see ``SPLIT_CUTS``)."""
    v = int(hashlib.sha256(ask_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "train" if v < SPLIT_CUTS[0] else "dev" if v < SPLIT_CUTS[1] else "test"


# Where a law's name can start (folded): the catalogue is asked for its longest known name there.
LAW_HEAD_RE = re.compile(r"\b(?:ley|codigo|constitucion|reglamento|estatuto)\b")


def mask_query(text: str, catalog: Any = None) -> str:
    """The synopsis without law names, article numbers and the 'en materia de …' tail. Law
    names are the catalogue's (its longest name spelled at each 'Ley …', 'Código …'), not the
    grammar's open-ended name pattern, which runs on to the end of a sentence that has no
    delimiter after the name."""
    out = MATERIA_RE.sub(" ", text)
    if catalog is not None:
        folded = fold(out)
        if len(folded) == len(out):
            spans = [(m.start(), end) for m in LAW_HEAD_RE.finditer(folded)
                     if (end := catalog.longest_name_at(folded, m.start()))]
            kept: list[tuple[int, int]] = []
            for s, e in spans:                       # in text order; a name inside a name is skipped
                if not kept or s >= kept[-1][1]:
                    kept.append((s, e))
            for s, e in reversed(kept):
                out = out[:s] + " " + out[e:]
    out = GENERIC_LAW_RE.sub(" ", out)
    out = ARTICLE_REF_RE.sub(" ", out)
    return " ".join(out.split())


@dataclass(frozen=True)
class ArticleFacts:
    """What the linker's units say about one article: when it was added (if its own note says
    so) and the dates of the enacting notes on it or its fracciones."""

    added: tuple[date, ...] = ()
    enacted: tuple[date, ...] = ()


def article_facts(units: Iterable[Any]) -> tuple[dict[tuple[str, str], ArticleFacts], dict[str, str]]:
    """Facts per (law key, article label) from ProvisionUnits, and each law's newest version date."""
    added: dict[tuple[str, str], set[date]] = defaultdict(set)
    enacted: dict[tuple[str, str], set[date]] = defaultdict(set)
    newest: dict[str, str] = {}
    keys: set[tuple[str, str]] = set()
    for u in units:
        key = (u.law_key.lower(), label(u.article))
        keys.add(key)
        newest[key[0]] = max(newest.get(key[0], ""), u.version_date)
        for d, text, _dec, _words in u.notes:
            if ENACTING_RE.search(text):
                enacted[key].add(d)
            if u.fraction is None and ADDED_RE.match(text):
                added[key].add(d)
    facts = {k: ArticleFacts(tuple(sorted(added[k])), tuple(sorted(enacted[k]))) for k in keys}
    return facts, newest


@dataclass
class SilverAsk:
    """One initiative as an ask: its masked synopsis, the articles it names, its landed label."""

    id: str
    query: str
    day: date
    targets: list[dict[str, str]]            # [{law, article}] that existed at ``day``
    approved: str = ""                       # 'sitl' | 'sil' | 'sil_join' | '' (not recorded as approved)
    approved_on: date | None = None
    landed: bool | None = None               # None: ambiguous, left out of the landed figures
    landed_why: str = ""
    split: str = ""
    title: str = ""

    def answer_keys(self) -> set[tuple[str, str]]:
        """The answer articles as (law, ``label``): how rankings and unit rows are matched."""
        return {(t["law"], label(t["article"])) for t in self.targets}


@dataclass
class SilverSet:
    asks: list[SilverAsk] = field(default_factory=list)
    left_out: Counter = field(default_factory=Counter)         # reason -> count (no ask at all)
    landed_left_out: Counter = field(default_factory=Counter)  # reason -> count (ask kept, no label)
    counts: dict[str, Any] = field(default_factory=dict)


def _sil_date(s: str | None) -> date | None:
    try:
        return datetime.strptime((s or "")[:10], "%Y-%m-%d").date()
    except ValueError:
        return None


_DECREE_WORDS_RE = re.compile(r"\b(?:reforma|adiciona|deroga|expide|modifica)\w*\b.*", re.IGNORECASE | re.DOTALL)


def _decree_words(title: str) -> str:
    m = _DECREE_WORDS_RE.search(title)
    return fold(m.group(0) if m else title)


def read_sil_records(mirror: str | Path) -> list[dict[str, Any]]:
    """SIL instrument records (title, date, status, chamber) of the semáforo legislativo files:
    per-law instruments, the latest instruments, per-legislator instruments. A missing or
    unreadable file raises InputError naming it."""
    base = Path(mirror) / SIL_DIR
    out: list[dict[str, Any]] = []

    def load(name: str) -> Any:
        p = base / name
        if not p.is_file():
            raise InputError(p, "no existe el archivo de registros del SIL")
        try:
            return json.loads(p.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise InputError(p, f"JSON ilegible ({e.msg})") from None

    for law in load("dashboard_leyes.json").get("leyes", []):
        for r in law.get("instrumentos", []):
            out.append({"titulo": r.get("titulo", ""), "fecha": r.get("fecha"), "estatus": r.get("estatus", ""),
                        "file": "dashboard_leyes.json"})
    for rows in load("dashboard_ultimas_instrumentos.json").values():
        for r in rows:
            out.append({"titulo": r.get("titulo", ""), "fecha": r.get("fecha"), "estatus": r.get("estatus", ""),
                        "file": "dashboard_ultimas_instrumentos.json"})
    for r in load("eval_instrumentos_4legs_data.json"):
        out.append({"titulo": r.get("titulo", ""), "fecha": r.get("fecha"), "estatus": r.get("estatus", ""),
                    "file": "eval_instrumentos_4legs_data.json"})
    return out


def _approved_status(s: str) -> bool:
    f = fold(s or "")
    return "aprobado" in f or "publicado en dof" in f


def _title_key(title: str) -> tuple[str, ...]:
    """The first ``SIL_KEY_WORDS`` folded words of a title's decree words (from 'reforma',
    'adiciona', … on): the part both registers spell the same way."""
    return tuple(re.findall(r"\w+", _decree_words(title))[:SIL_KEY_WORDS])


def sil_approvals(proposals: Sequence[Any], records: Sequence[dict[str, Any]]) -> tuple[dict[str, date | None], dict[str, int]]:
    """Proposal id -> approval date (the SIL record's date) for the proposals matched by a SIL
    record marked approved (same decree words, dates within ``SIL_MAX_DAYS``), and counts."""
    index: dict[tuple[str, ...], list[tuple[date, dict[str, Any]]]] = defaultdict(list)
    counts: Counter = Counter()
    for r in records:
        counts["sil_records"] += 1
        d = _sil_date(r.get("fecha"))
        key = _title_key(r.get("titulo") or "")
        if d is None or len(key) < SIL_KEY_WORDS:
            continue
        counts["sil_approved"] += _approved_status(r["estatus"])
        index[key].append((d, r))
    out: dict[str, date | None] = {}
    for p in proposals:
        if p.date_presented is None:
            continue
        near = [r for d, r in index.get(_title_key(p.title), ())
                if abs((d - p.date_presented).days) <= SIL_MAX_DAYS]
        if not near:
            continue
        counts["sitl_matched_to_sil"] += 1
        ok = [r for r in near if _approved_status(r["estatus"])]
        if ok:
            out[p.id] = _sil_date(ok[0].get("fecha"))
    counts["sil_approved_matched"] = len(out)
    return out, dict(counts)


# SIL stages that record a chamber's approval or the publication (``lawgraph.ingest.sil``).
_SIL_APPROVAL_STAGES = ("aprobada_origen", "aprobada_revisora", "declaratoria", "publicada_dof")


def sil_join_approvals(proposals: Sequence[Any], mirror: str | Path, catalog: Any = None) -> tuple[dict[str, date | None], dict[str, int]]:
    """Proposal id -> approval date from the SIL instruments that the project's fitted join
    (:func:`lawgraph.nlp.sil_join.join`, the one ``lawgraph ingest process`` uses) pairs with
    the proposal: the earliest approval or publication stage of that instrument, and counts."""
    from lawgraph.ingest.sil import ingest_sil, to_proposal
    from lawgraph.nlp.sil_join import join

    sil = ingest_sil(Path(mirror) / SIL_DIR)
    silp = [to_proposal(i, catalog) for i in sil.instruments]
    by_sil = {q.sil_ids[0]: q for q in silp if q.sil_ids}
    _, rep = join(list(proposals), silp)
    out: dict[str, date | None] = {}
    for sil_id, pid, _score in rep.pairs:
        q = by_sil.get(sil_id)
        days = sorted(e.date for e in (q.events if q else ()) if e.stage.value in _SIL_APPROVAL_STAGES and e.date)
        if days:
            out[pid] = days[0]
    return out, {"sil_instruments": len(silp), "sil_join_pairs": len(rep.pairs), "sil_join_approved": len(out)}


def landed_label(ask: SilverAsk, facts: dict[tuple[str, str], ArticleFacts],
                 newest: dict[str, str]) -> tuple[bool | None, str]:
    """(landed, why) under the rules in the module docstring; (None, reason) when ambiguous."""
    changed = [d for t in ask.targets for d in facts[(t["law"], label(t["article"]))].enacted if d > ask.day]
    if changed and ask.approved:
        # A decree follows the chamber's approval: a change published before it is another decree's.
        after = [d for d in changed if ask.approved_on is None or d >= ask.approved_on]
        if after:
            return True, f"aprobada ({ask.approved}) y reformada el {min(after).isoformat()}"
        return None, "aprobada, pero el artículo sólo cambió antes de su aprobación (otro decreto)"
    if changed:
        return None, "artículo reformado después de la fecha sin aprobación registrada de la iniciativa"
    if ask.approved:
        last = min(newest.get(t["law"], "") for t in ask.targets)
        if ask.approved_on is None or last < ask.approved_on.isoformat():
            return None, "aprobada después de la versión más reciente cargada de la ley"
        return False, "aprobada, pero ningún artículo cambió después de su fecha"
    return False, "ningún artículo nombrado cambió después de su fecha"


def read_split_file(path: str | Path = SPLIT_FILE) -> dict[str, str]:
    """id -> split from the committed split file (empty when it does not exist yet)."""
    p = Path(path)
    if not p.is_file():
        return {}
    out = {}
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            sp = d["split"]
            if sp not in SPLITS:
                raise ValueError(sp)
            out[d["id"]] = sp
        except (json.JSONDecodeError, KeyError, ValueError, TypeError):
            raise InputError(p, f"línea {n}: se esperaba {{\"id\": …, \"split\": train|dev|test}}") from None
    return out


def write_split_file(asks: Iterable[SilverAsk], path: str | Path = SPLIT_FILE) -> int:
    """Write ids and their hash split (sorted by id); returns how many."""
    rows = sorted({a.id: split_of(a.id) for a in asks}.items())
    Path(path).write_text("".join(json.dumps({"id": i, "split": s}) + "\n" for i, s in rows), encoding="utf-8")
    return len(rows)


def build_silver(mirror: str | Path, units: Sequence[Any], *, splits: dict[str, str] | None = None,
                 catalog: Any = None) -> SilverSet:
    """The silver asks from the corpus and the linker's units (see module docstring).

    ``splits``: id -> split (default: the committed split file); asks missing from it are
    counted under ``left_out['no está en el archivo de partición']``."""
    from lawgraph.catalog import load_catalog
    from lawgraph.ingest.sitl import ingest_snapshot

    catalog = catalog or load_catalog()
    splits = read_split_file() if splits is None else splits
    facts, newest = article_facts(units)
    loaded = set(newest)
    sitl = ingest_snapshot(Path(mirror) / SITL_DIR, catalog)
    props = [p for p in sitl.proposals if p.kind == "iniciativa"]
    sil, sil_counts = sil_approvals(props, read_sil_records(mirror))
    joined, join_counts = sil_join_approvals(props, mirror, catalog)
    out = SilverSet()
    out.counts = {"sitl_initiatives": len(props), **sil_counts, **join_counts}
    for p in props:
        named = [(t.law_key.lower(), a) for t in p.targets if t.law_key and t.law_key.lower() in loaded
                 for a in t.articles]
        if not named:
            continue
        out.counts["names_articles_of_loaded_law"] = out.counts.get("names_articles_of_loaded_law", 0) + 1
        if p.date_presented is None:
            out.left_out["sin fecha de presentación"] += 1
            continue
        day = p.date_presented
        targets = []
        for law, a in dict.fromkeys(named):
            f = facts.get((law, label(a)))
            if f is None or any(d > day for d in f.added) and not any(d <= day for d in f.added):
                continue
            targets.append({"law": law, "article": normalise_article_label(a)})
        if not targets:
            out.left_out["ningún artículo nombrado existía en la versión vigente a su fecha"] += 1
            continue
        query = mask_query(p.synopsis, catalog)
        if len(terms(query)) < MIN_QUERY_TERMS:
            out.left_out["sinopsis sin contenido tras enmascarar"] += 1
            continue
        if p.id not in splits:
            out.left_out["no está en el archivo de partición"] += 1
            continue
        approved, on = "", None
        if p.status == "aprobada":
            approved, on = "sitl", p.status_date
        elif p.id in sil:
            approved, on = "sil", sil[p.id]
        elif p.id in joined:
            approved, on = "sil_join", joined[p.id]
        ask = SilverAsk(p.id, query, day, targets, approved, on, split=splits[p.id], title=p.title)
        ask.landed, ask.landed_why = landed_label(ask, facts, newest)
        if ask.landed is None:
            out.landed_left_out[ask.landed_why] += 1
        out.asks.append(ask)
    out.counts["asks"] = len(out.asks)
    out.counts["by_split"] = dict(Counter(a.split for a in out.asks))
    out.counts["approved_sitl"] = sum(a.approved == "sitl" for a in out.asks)
    out.counts["approved_sil_only"] = sum(a.approved == "sil" for a in out.asks)
    out.counts["approved_sil_join_only"] = sum(a.approved == "sil_join" for a in out.asks)
    out.counts["landed_by_source"] = dict(Counter(a.approved for a in out.asks if a.landed))
    out.counts["landed"] = sum(a.landed is True for a in out.asks)
    out.counts["not_landed"] = sum(a.landed is False for a in out.asks)
    out.counts["landed_by_split"] = {s: sum(a.landed is True and a.split == s for a in out.asks) for s in SPLITS}
    return out


# --------------------------------------------------------------------------------------------
# Measuring the linker on the silver asks
# --------------------------------------------------------------------------------------------
WILSON_Z = 1.96   # 95 % two-sided normal quantile


def wilson(hits: int, n: int, z: float = WILSON_Z) -> tuple[float, float] | None:
    """Wilson score interval of a proportion (None when n = 0)."""
    if n == 0:
        return None
    p = hits / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / den
    return (round(max(0.0, mid - half), 3), round(min(1.0, mid + half), 3))


def answer_law(ask: SilverAsk) -> str:
    """The ask's answer law (the first in order when its answers span several laws)."""
    return sorted({k[0] for k in ask.answer_keys()})[0]


def law_balanced(asks: Sequence[SilverAsk]) -> list[float]:
    """Per ask, 1 / (asks of its answer law), normalised to sum 1: each answer law counts the
    same. The silver answers are 54 % constitutional and the recommendations' mostly are not
    (docs/linking.md, "How far the silver asks stand from the recommendations"), so a change
    whose plain gain is the constitutional asks' shows here as no gain."""
    laws = [answer_law(a) for a in asks]
    n = Counter(laws)
    w = [1.0 / n[law] for law in laws]
    total = sum(w) or 1.0
    return [x / total for x in w]


def law_figures(asks: Sequence[SilverAsk], ranks: Sequence[int | None]) -> dict[str, Any]:
    """Law-balanced MRR and recall@5 (``law_balanced``), and the MRR and count per answer law."""
    rr = [1.0 / r if r else 0.0 for r in ranks]
    w = law_balanced(asks)
    per: dict[str, list[float]] = {}
    for a, x in zip(asks, rr, strict=True):
        per.setdefault(answer_law(a), []).append(x)
    return {"law_balanced": {"mrr": round(sum(wi * x for wi, x in zip(w, rr)), 4),
                             "recall@5": round(sum(wi for wi, r in zip(w, ranks) if r and r <= 5), 4)},
            "mrr_by_law": {law: [round(sum(v) / len(v), 3), len(v)] for law, v in sorted(per.items())}}


def queries(asks: Sequence[SilverAsk], kind: str = "sug") -> list[Any]:
    """Linker queries of the asks: Spanish asks dated by the initiative. ``kind`` 'sug': the
    suggestion path (landed check on); 'rec': each ask linked as a Spanish recommendation is
    (the recommendation path's weights, clause interleaving; no landed check)."""
    from lawgraph.nlp import link as L

    return [L.Query(a.id, "es", a.query, kind=kind, day=a.day) for a in asks]


def evaluate_silver(index: Any, silver: SilverSet, k: int = 10, batch: Any = None,
                    kind: str = "sug") -> dict[str, Any]:
    """Per split: recall@1/5/10 and MRR of the named articles (article level: any answer article
    among the top k), and the landed check's precision, recall (95 % Wilson interval) and false
    landed rate on the labelled asks; with the counts left out and why. ``batch``: a ready
    ``link_many`` result for these asks (else computed here). ``kind`` 'rec': the asks through
    the recommendation path (``queries``); the landed figures are then empty."""
    from lawgraph.evaluation.links import _Acc, _rank
    from lawgraph.nlp import link as L

    if batch is None:
        batch = L.link_many(index, queries(silver.asks, kind), k=max(k, 10))
    per: dict[str, dict[str, Any]] = {}
    for sp in SPLITS:
        acc, conf = _Acc(), Counter()
        measured: list[SilverAsk] = []
        ranks: list[int | None] = []
        for a in silver.asks:
            if a.split != sp or a.id not in batch.candidates:
                continue
            rank = _rank(index, batch.candidates[a.id], a.targets)
            acc.add(rank)
            measured.append(a)
            ranks.append(rank)
            if a.landed is not None and a.id in batch.landed:
                said = batch.landed[a.id].landed
                conf[("t" if said == a.landed else "f") + ("p" if said else "n")] += 1
        tp, fp, fn, tn = conf["tp"], conf["fp"], conf["fn"], conf["tn"]
        per[sp] = {
            **acc.out(),
            **(law_figures(measured, ranks) if measured else {}),
            "landed": {"n_landed": tp + fn, "n_not_landed": fp + tn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
                       "precision": round(tp / (tp + fp), 3) if tp + fp else None,
                       "recall": round(tp / (tp + fn), 3) if tp + fn else None,
                       "recall_ci95": wilson(tp, tp + fn),
                       "false_landed_rate": round(fp / (fp + tn), 3) if fp + tn else None},
        }
    return {"kind": "silver", "path": "recommendation" if kind == "rec" else "suggestion", "splits": per, "counts": silver.counts,
            "left_out": dict(silver.left_out), "landed_left_out": dict(silver.landed_left_out),
            "errors": [f"{e.item_id}: {e.message}" for e in batch.errors]}


def format_silver(r: dict[str, Any]) -> str:
    """Spanish summary for the terminal."""
    c = r["counts"]
    lines = [f"Conjunto plata (iniciativas del SITL): {c.get('asks', 0)} peticiones de "
             f"{c.get('names_articles_of_loaded_law', 0)} iniciativas que nombran artículos de leyes cargadas; "
             + ("enlazadas como recomendaciones en español (sin comprobación de aterrizaje)"
                if r.get("path") == "recommendation" else "enlazadas como sugerencias")]
    for sp, v in r["splits"].items():
        ld = v["landed"]
        head = f"  {sp:<5} n={v['n']:<4} r@1={v['recall@1']}  r@5={v['recall@5']}  r@10={v['recall@10']}  MRR={v['mrr']}"
        if "law_balanced" in v:
            lb = v["law_balanced"]
            head += f"  | cada ley por igual: r@5={lb['recall@5']} MRR={lb['mrr']}"
        if r.get("path") == "recommendation":
            lines.append(head)
            continue
        lines.append(f"{head}  | aterrizadas {ld['n_landed']} / no {ld['n_not_landed']}: "
                     f"precisión={ld['precision']} exhaustividad={ld['recall']} (IC95 {ld['recall_ci95']}) "
                     f"falsas aterrizadas={ld['fp']}")
    for why, n in r["left_out"].items():
        lines.append(f"Fuera del conjunto: {n} — {why}")
    for why, n in r["landed_left_out"].items():
        lines.append(f"Sin etiqueta de aterrizaje (ambiguas): {n} — {why}")
    lines.append(f"Aprobación: {c.get('approved_sitl', 0)} por el SITL, {c.get('approved_sil_only', 0)} sólo por el SIL "
                 f"({c.get('sitl_matched_to_sil', 0)} iniciativas emparejadas con {c.get('sil_records', 0)} registros del SIL), "
                 f"{c.get('approved_sil_join_only', 0)} sólo por la unión SITL-SIL ajustada "
                 f"({c.get('sil_join_pairs', 0)} pares, {c.get('sil_join_approved', 0)} con etapa de aprobación)")
    for e in r["errors"]:
        lines.append(f"Error: {e}")
    return "\n".join(lines)
