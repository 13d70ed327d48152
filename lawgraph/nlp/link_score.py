"""Linker stage 3, scoring: the index (BM25, context BM25, dense vectors) and the ranking of
articles for a query (fusion of signals, reference and definition boosts, long-list discount,
article aggregation; a recommendation's clause interleaving is in ``link_rec``). See
docs/linking.md for every weight's source.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import pickle
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from lawgraph.cachefile import write_atomic
from lawgraph.errors import InputError
from lawgraph.model.law import ParsedLaw
from lawgraph.model.recs import LinkCandidate, Span
from lawgraph.nlp.bm25 import BM25 as _BM25  # the name the pickled tables of older caches carry
from lawgraph.nlp.link_anchor import anchor_scores, anchor_voters, attach_anchors, voters_of
from lawgraph.nlp.link_query import (
    PATTERNS,
    W_THESAURUS,
    Query,
    _query_terms,
    _refs,
    expand_english,
    strip_boilerplate,
)
from lawgraph.nlp.link_units import (
    FRACTION_HEAD_CHARS,
    ProvisionUnit,
    _file_units,
    dedupe_units,
    units_from_parsed,
)
from lawgraph.nlp.textnorm import terms, with_bigrams

LONG_LIST_FRACTIONS = 8           # an article listing this many fracciones is a list (see _list_baseline);
                                  # hand-set in the third tuning pass (docs/linking.md); the discount it
                                  # gates is fitted to 0 on silver for both paths (linker_params.json)

# Sentence boundaries for evidence spans: a full stop / semicolon / colon followed by space.
SENTENCE_RE = re.compile(
    r"""
    [^.;:]+            # a run without a boundary
    (?:[.;:]+|$)       # its boundary, or the end of the text
    """,
    re.VERBOSE,
)

# A provision that defines a concept: 'ARTÍCULO 18.- Violencia Institucional: Son los actos …',
# 'Las medidas u órdenes de protección, son actos …', 'Comete el delito de feminicidio quien …',
# a definitions list's 'VI. Violencia a través de interpósita persona.- Es …'. ``term`` is what
# it defines.
DEFINITION_RE = re.compile(
    r"""
    ^(?:art[íi]culo\s+\d+\w*(?:[\s-]+(?:bis|ter|qu[áa]ter|quinquies|sexies|septies|octies)\b)?\s*[.\-–]*\s*)?
    (?:
        comete\s+el\s+delito\s+de\s+(?P<crime>[^,:;.]{3,80}?)\s*,?\s+(?:quien|el\s+que|la\s+persona|aquella|aquel)\b
      | (?:se\s+(?:entiende|entender[áa])\s+por\s+)?(?P<term>[^:;.\n]{3,90}?)\s*(?:[:,]|\.-|\.\s*-)\s*(?:es|son)\b
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
# The same inside a definitions list: the fracción's own words after the article's lead-in.
FRACTION_DEF_RE = re.compile(
    r"""
    :\s*[IVXLC]+(?:\s+(?:bis|ter|qu[áa]ter))?\.\s*        # 'son: VI. '
    (?P<term>[^:;.\n]{3,90}?)\s*(?:[:,]|\.-|\.\s*-)\s*(?:es|son)\b
    """,
    re.VERBOSE | re.IGNORECASE,
)


# --------------------------------------------------------------------------------------------
# Index
# --------------------------------------------------------------------------------------------
@dataclass
class FusionWeights:
    """How the signals add up. The defaults are the recommendation weights hand-set in the
    passes docs/linking.md records; the linker uses ``REC_WEIGHTS`` for recommendations (these,
    or their refit on the silver asks through the recommendation path) and ``ASK_WEIGHTS`` for
    asks (suggestions, initiatives), both written by scripts/fit_linker.py."""

    w_bm25: float = 1.0
    w_dense: float = 1.0
    b_definition: float = 0.8     # a unit that defines a concept the query names
    w_dense_en: float = 0.8       # the same for an English query (cross-lingual cosines are weaker)
    en_mt: float = 0.0            # 1: an English query without a Spanish twin takes Apertium's Spanish
                                  # as its twin (nlp/translate.py); chosen by scripts/fit_english.py
    w_ctx: float = 0.5
    b_law: float = 0.35           # in units of a first rank
    b_article: float = 1.0
    agg_bonus: float = 0.1
    w_reuse: float = 1.0          # suggestions only: rapidfuzz text reuse, as one more ranked list
    rrf_k: float = 60.0            # 'rrf' mode only: Cormack et al.'s (2009) constant; 'sum' is the shipped mode
    law_prior: float = 0.0         # 'sum' mode: weight of the law-level score
    rank_bonus: float = 0.0        # 'sum' mode: weight of a sharp reciprocal-rank term per signal
    rank_k: float = 5.0            # sharpness of the rank term; its weight rank_bonus is fitted (0 on silver)
    w_fraction: float = 0.0        # 'sum' mode: a fracción unit (hierarchy: a fracción or a whole article)
    w_list_len: float = 0.0        # 'sum' mode: log(1 + fracciones of its article), for a fracción unit
    w_article: float = 0.0         # 'sum' mode: BM25 of the unit's whole article (its words and every
                                   # fracción); fitted for recommendations (fit_linker stage 3), 0 for
                                   # asks, whose shipped reranker was fitted on the fusion without it
    w_anchor: float = 0.0          # 'sum' mode: votes of the nearest past initiatives for the articles
                                   # they named (nlp/link_anchor.py); fitted for recommendations
                                   # (fit_linker stage 3), 0 for asks (see w_article)
    anchor_top: int = 20           # how many initiatives vote (fitted with w_anchor)
    anchor_law_alpha: float = 0.0  # votes divided by (share of voting initiatives that name the
                                   # article's law) ** alpha: the initiatives' own law prior (54 %
                                   # name the Constitution) taken out. Measured, not shipped: 1.0
                                   # lifts the recommendations' theme check and costs silver test
                                   # 0.05 MRR (scripts/measure_theme_laws.py, docs/linking.md)
    sibling_ratio: float = 0.93   # a close second fracción of an article follows it (0 = off)
    list_discount: float = 0.5    # share of a long list's median score taken off its fracciones
    w_thesaurus: float = W_THESAURUS  # BM25 weight of the statutes' words for a query's phrases
    fusion: str = "sum"           # 'sum' of normalised scores, or 'rrf' (reciprocal rank)
    s_ctx: float = 0.3            # context weight in 'sum' mode
    s_reuse: float = 0.5          # reuse weight in 'sum' mode
    k1: float = 1.2                # BM25's k1 and b at scoring time: the textbook values (Robertson &
    b: float = 0.75                # Zaragoza 2009), for both paths. Measured, not fitted: lower values
                                   # raise silver through the constitutional asks only (law-balanced
                                   # flat) and lowered both checks in the recommendations' genre
                                   # (scripts/measure_bm25.py). The tables are built once; each path
                                   # scores with its own k1, b (nlp/bm25.py)


DEFAULT_WEIGHTS = FusionWeights()
# Fitted by ``python scripts/fit_linker.py --write`` on the silver train split, selected on
# silver dev; the file records command, seed, grids, data hashes and figures.
PARAMS_FILE = PATTERNS / "linker_params.json"


def fitted_params(path: Path = PARAMS_FILE) -> dict[str, Any]:
    """The parameter file's content ({} when it does not exist)."""
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise InputError(path, f"archivo de parámetros ilegible ({e.msg})") from None


def weights_digest(section: str, params: dict[str, Any] | None = None) -> str:
    """sha256 of one weights section of the parameter file ('weights': the ask path's,
    'rec_weights': the recommendation path's), canonical JSON. A model fitted over a path's
    ranking (the rerankers, scripts/fit_reranker.py) records it: the path's weights are what it
    depends on, and a fit that changes another section (scripts/fit_english.py) leaves it valid."""
    sec = (fitted_params() if params is None else params).get(section, {})
    return hashlib.sha256(json.dumps(sec, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


ASK_WEIGHTS = FusionWeights(**fitted_params().get("weights", {}))
# Recommendations: the hand-set defaults, replaced by the values scripts/fit_linker.py fitted on
# the silver asks through the recommendation path when they did better on silver dev
# ("rec_weights" and "rec_fit" in the parameter file).
REC_WEIGHTS = FusionWeights(**fitted_params().get("rec_weights", {}))


def weights_for(index: "LinkIndex", kind: str) -> FusionWeights:
    """The weights of a query kind: fitted ask weights for suggestions ('sug'), unless the
    index was built with explicit weights; the index's weights for recommendations."""
    if kind == "sug" and index.ask_weights is not None:
        return index.ask_weights
    return index.weights
# A candidate at or above this fused score counts as a confident link (negatives are measured
# by how many of them reach it). In 'sum' mode the signals are normalised per query, so 2.0 means
# "as strong as the best unit of both BM25 and the dense ranking": a ranking score, not a
# calibrated probability.
DEFAULT_THRESHOLD = 2.0


@dataclass
class LinkIndex:
    """Everything the linker needs about the provisions: units, BM25 tables and vectors."""

    units: list[ProvisionUnit]
    bm25: _BM25
    ctx_bm25: _BM25
    ctx_of: np.ndarray                 # unit -> context row
    vectors: np.ndarray                # unit -> dense vector (L2-normalised)
    unit_terms: list[set[str]]
    weights: FusionWeights = field(default_factory=FusionWeights)
    cache_dir: Path | None = None
    stats: dict[str, Any] = field(default_factory=dict)
    ask_weights: FusionWeights | None = None      # suggestions' weights (``weights_for``)
    art_bm25: _BM25 | None = None      # BM25 over whole articles (``w_article``)
    art_of: np.ndarray | None = None   # unit -> article row

    def article_units(self) -> dict[tuple[str, str], list[int]]:
        """Unit rows by (law, article), computed once."""
        if "_by_article" not in self.stats:
            out: dict[tuple[str, str], list[int]] = defaultdict(list)
            for i, u in enumerate(self.units):
                out[u.article_key].append(i)
            self.stats["_by_article"] = out
        return self.stats["_by_article"]



def _dense_text(u: ProvisionUnit) -> str:
    # The law's name first: the encoder sees which law speaks; the cut keeps the unit's head.
    return f"{u.law_title}. {u.text}"



def build_index(laws: Iterable[Any], cache_dir: str | Path | None = None,
                weights: FusionWeights | None = None) -> LinkIndex:
    """Index ParsedLaw objects, law file paths or ready ProvisionUnit lists (see module doc)."""
    import time

    from lawgraph.nlp.embed import EmbeddingCache, embed

    t0 = time.perf_counter()
    units: list[ProvisionUnit] = []
    files_parsed = 0
    for item in laws:
        if isinstance(item, ProvisionUnit):
            units.append(item)
        elif isinstance(item, (list, tuple)):
            units.extend(item)
        elif isinstance(item, ParsedLaw):
            units.extend(units_from_parsed(item))
        else:
            got, parsed_now = _file_units(Path(item), Path(cache_dir) if cache_dir else None)
            units.extend(got)
            files_parsed += parsed_now
    raw_units = len(units)
    units = dedupe_units(units)
    t1 = time.perf_counter()
    w = weights or REC_WEIGHTS
    tw = DEFAULT_WEIGHTS       # the tables' own k1, b: each path scores with its own (score_units)
    h = hashlib.sha256()
    for u in units:
        h.update(f"{u.uid}\x00{u.text}\x00{u.context}\x01".encode())
    h.update(f"{tw.k1},{tw.b},v7".encode())
    digest = h.hexdigest()[:20]
    cache = Path(cache_dir) if cache_dir else None
    tables = None
    pk = cache / "link_index" / f"{digest}.pkl" if cache else None
    if pk and pk.is_file():
        try:
            tables = pickle.loads(pk.read_bytes())
        except Exception:  # noqa: BLE001 - a broken cache file is rebuilt
            tables = None
    if tables is None:
        docs = [with_bigrams(terms(u.text)) for u in units]
        ctx_list = sorted({u.context for u in units})
        ctx_row = {c: i for i, c in enumerate(ctx_list)}
        # An article as one document: its own words and every fracción's (each version's words
        # once: deduplicated units of one article keep their differing versions).
        art_row: dict[tuple[str, str], int] = {}
        art_docs: list[list[str]] = []
        for u, d in zip(units, docs):
            r = art_row.setdefault(u.article_key, len(art_docs))
            if r == len(art_docs):
                art_docs.append([])
            art_docs[r].extend(d)
        tables = {
            "bm25": _BM25(docs, tw.k1, tw.b),
            "ctx": _BM25([terms(c) for c in ctx_list], tw.k1, tw.b),
            "ctx_of": np.array([ctx_row[u.context] for u in units], dtype=np.int64),
            "terms": [set(d) for d in docs],
            "art": _BM25(art_docs, tw.k1, tw.b),
            "art_of": np.array([art_row[u.article_key] for u in units], dtype=np.int64),
        }
        if pk:
            write_atomic(pk, pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL))
    t2 = time.perf_counter()
    ec = EmbeddingCache(cache) if cache else None
    vecs, computed = embed([_dense_text(u) for u in units], ec)
    t3 = time.perf_counter()
    stats = {"units_parsed": raw_units, "units": len(units), "files_parsed": files_parsed,
             "load_s": t1 - t0, "bm25_s": t2 - t1,
             "embed_s": t3 - t2, "embedded": computed}
    return LinkIndex(units, tables["bm25"], tables["ctx"], tables["ctx_of"], vecs, tables["terms"], w,
                     cache, stats, ask_weights=ASK_WEIGHTS if weights is None else None,
                     art_bm25=tables["art"], art_of=tables["art_of"])



def _sentences(text: str) -> list[tuple[int, int]]:
    out = []
    for m in SENTENCE_RE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        if e - s >= 12:
            out.append((s, e))
    return out or [(0, len(text))]


@lru_cache(maxsize=20_000)
def _sentence_terms(text: str) -> tuple[tuple[int, int, frozenset[str]], ...]:
    # The same units come back for query after query in a batch: segment and stem them once.
    return tuple((s, e, frozenset(terms(text[s:e]))) for s, e in _sentences(text))


def _best_span(text: str, want: set[str]) -> Span:
    best, best_v = (0, min(len(text), 300)), -1.0
    for s, e, t in _sentence_terms(text):
        v = len(t & want) / math.sqrt(len(t) + 1)
        if v > best_v:
            best, best_v = (s, e), v
    s, e = best
    return Span(start=s, end=e, text=text[s:e].strip())


@dataclass
class _Scored:
    fused: np.ndarray
    parts: dict[str, np.ndarray]
    anchor_voters: list[tuple[int, float]] = field(default_factory=list)   # (initiative, BM25)



def _normalise(x: np.ndarray) -> np.ndarray:
    m = float(x.max()) if x.size else 0.0
    return x / m if m > 0 else x


def _dense_norm(cos: np.ndarray) -> np.ndarray:
    # Cosines crowd in a band; what matters is how far above the typical unit a unit sits.
    med = float(np.median(cos))
    top = float(cos.max())
    return np.clip((cos - med) / (top - med + 1e-6), 0, None)


def _rrf(x: np.ndarray, k: float) -> np.ndarray:
    """Reciprocal rank of each unit under one signal (units with no signal get nothing)."""
    r = np.empty(len(x), dtype=np.float32)
    r[np.argsort(-x, kind="stable")] = np.arange(1, len(x) + 1, dtype=np.float32)
    out = 1.0 / (k + r)
    out[x <= 0] = 0.0
    return out


def _law_rows(index: LinkIndex) -> dict[str, np.ndarray]:
    """Unit rows by law key, computed once."""
    keys = index.stats.get("_law_rows")
    if keys is None:
        rows: dict[str, list[int]] = defaultdict(list)
        for i, u in enumerate(index.units):
            rows[u.law_key].append(i)
        keys = index.stats["_law_rows"] = {k: np.array(v) for k, v in rows.items()}
    return keys


def _law_prior(index: LinkIndex, fused: np.ndarray, top: int = 5) -> np.ndarray:
    """Per unit, how strongly its law as a whole answers the query (mean of the law's best
    ``top`` units, scaled so the best law is 1): which law speaks is decided by many units."""
    keys = _law_rows(index)
    score = {k: float(np.sort(fused[v])[-top:].mean()) for k, v in keys.items()}
    hi = max(score.values()) or 1.0
    lo = float(np.median(list(score.values())))
    out = np.zeros(len(index.units), dtype=np.float32)
    for k, v in keys.items():
        out[v] = max(0.0, (score[k] - lo) / (hi - lo + 1e-6))
    return out


# What a list's lead-in says before 'son': 'Para efectos del artículo 2 …, son principios',
# 'Las facultades … del Presidente, son las siguientes:' introduce a list, they define nothing.
NOT_A_TERM_RE = re.compile(
    r"""
    \d                                             # a number ('artículo 2', '225')
    | ^\s*(?:para|en|los\s+efectos|cuando|si|que)\b  # a purpose or a condition
    """,
    re.VERBOSE | re.IGNORECASE,
)
DEFINITION_COVER = 0.75   # share of a defined term's stems the query must name: hand-set (third pass);
                          # the lift it gates, b_definition, is fitted on silver (rec_weights)
LIST_AFTER_RE = re.compile(r"\s*(?:las|los)\s+siguientes|\s*:", re.IGNORECASE)


def defined_terms(text: str, fraction: bool = False) -> frozenset[str]:
    """Stems of the concept a provision defines (empty when it defines none). A fracción's
    text carries its article's lead-in: only its own words can define."""
    m = (FRACTION_DEF_RE.search(text[:FRACTION_HEAD_CHARS + 400]) if fraction
         else DEFINITION_RE.match(text))
    if not m:
        return frozenset()
    term = m.groupdict().get("crime") or m.group("term")
    if not m.groupdict().get("crime"):
        if NOT_A_TERM_RE.search(term) or LIST_AFTER_RE.match(text, m.end()):
            return frozenset()
    return frozenset(terms(term))


def _definitions(index: LinkIndex) -> list[tuple[int, frozenset[str]]]:
    """(unit row, defined term) for the units that define something (computed once)."""
    defs = index.stats.get("_definitions")
    if defs is None:
        defs = [(i, d) for i, u in enumerate(index.units) if (d := defined_terms(u.text, bool(u.fraction)))]
        index.stats["_definitions"] = defs
    return defs


def _definition_boost(index: LinkIndex, qterms: set[str]) -> np.ndarray:
    """1 for the units that define a concept the query names (``DEFINITION_COVER`` of the content
    words of the defined term in the query): the answer to 'about X' is often the provision that says what X is
    (LGAMVLV 18 'Violencia Institucional: Son …', CPF 325 'Comete el delito de feminicidio …')."""
    out = np.zeros(len(index.units), dtype=np.float32)
    for i, d in _definitions(index):
        if len(d) <= 8 and len(d & qterms) >= DEFINITION_COVER * len(d):
            out[i] = 1.0
    return out


def _list_groups(index: LinkIndex) -> tuple[np.ndarray, np.ndarray]:
    """The fracción units of each article that lists many of them, as a (lists x longest) matrix
    of unit rows padded with -1, and its mask of real rows (computed once)."""
    groups = index.stats.get("_list_groups")
    if groups is None:
        by: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, u in enumerate(index.units):
            if u.fraction:
                by[u.article_key].append(i)
        lists = [v for v in by.values() if len(v) >= LONG_LIST_FRACTIONS]
        width = max((len(v) for v in lists), default=0)
        rows = np.full((len(lists), width), -1, dtype=np.int64)
        for j, v in enumerate(lists):
            rows[j, :len(v)] = v
        groups = index.stats["_list_groups"] = (rows, rows >= 0)
    return groups


def unit_shape(index: LinkIndex) -> tuple[np.ndarray, np.ndarray]:
    """Per unit, where it stands in its article (computed once): 1 for a fracción (0 for a whole
    article), and log(1 + the number of fracciones of its article) for a fracción (0 otherwise).
    The ranker's hierarchy and list-length features (``w_fraction``, ``w_list_len``)."""
    shape = index.stats.get("_unit_shape")
    if shape is None:
        n_fr: Counter = Counter(u.article_key for u in index.units if u.fraction)
        is_fr = np.array([1.0 if u.fraction else 0.0 for u in index.units], dtype=np.float32)
        log_len = np.array([math.log1p(n_fr[u.article_key]) if u.fraction else 0.0 for u in index.units],
                           dtype=np.float32)
        shape = index.stats["_unit_shape"] = (is_fr, log_len)
    return shape


def _list_baseline(index: LinkIndex, fused: np.ndarray) -> np.ndarray:
    """Per fracción of a long list, the median score of its list. A list of an authority's duties
    (LGAMVLV arts. 38, 42, 49: thirty fracciones behind one lead-in) offers thirty chances to
    match any query about violence, and the best of thirty middling scores wins rankings; a
    fracción that answers the query stands out from its siblings, a generic one does not."""
    base = np.zeros_like(fused)
    rows, real = _list_groups(index)
    if rows.size:
        # np.nanmedian along rows, written out (it was a tenth of a batch's time): NaN sorts last
        vals = np.sort(np.where(real, fused[rows], np.nan), axis=1)
        n = real.sum(axis=1)
        r = np.arange(len(vals))
        med = (vals[r, (n - 1) // 2] + vals[r, n // 2]) / 2
        base[rows[real]] = np.broadcast_to(med[:, None], rows.shape)[real]
    return base


def score_units(index: LinkIndex, q: Query, qvecs: np.ndarray,
                skip: frozenset = frozenset()) -> _Scored:
    """Per-unit signals and their reciprocal-rank fusion (scaled so 1.0 = first by every signal).
    ``skip``: thesaurus rows (line numbers) and terminology rows ('file:line') left out of the
    query (scripts/ablate_vocab.py)."""
    w = weights_for(index, q.kind)
    qt, qw = _query_terms(q, w.w_thesaurus, skip)
    bm = index.bm25.scores(qt, qw, w.k1, w.b)
    ctx = index.ctx_bm25.scores(qt, qw, w.k1, w.b)[index.ctx_of]
    cos = (index.vectors @ qvecs.T).max(axis=1) if qvecs.size else np.zeros(len(index.units))
    laws, arts = _refs(q.text + (" " + q.twin if q.twin else ""))
    if q.law_hint:
        laws.add(q.law_hint.lower())
    boost = np.zeros(len(index.units), dtype=np.float32)
    if laws or arts:
        law_rows, art_rows = _law_rows(index), index.article_units()
        for law in laws:
            if law in law_rows:
                boost[law_rows[law]] += w.b_law
        for key in arts:
            if key in art_rows:
                boost[art_rows[key]] += w.b_article
    k = w.rrf_k
    parts = {"bm25": _normalise(bm), "dense": _dense_norm(cos), "ctx": _normalise(ctx), "ref": boost, "cos": cos,
             "bm_raw": bm}
    if w.fusion == "sum":
        w_dense = w.w_dense if q.lang == "es" else w.w_dense_en
        fused = (w.w_bm25 * parts["bm25"] + w_dense * parts["dense"] + w.s_ctx * parts["ctx"] + boost)
        if w.w_article and index.art_bm25 is not None:
            parts["art"] = _normalise(index.art_bm25.scores(qt, qw, w.k1, w.b))[index.art_of]
            fused = fused + w.w_article * parts["art"]
        voters: list[tuple[int, float]] = []
        if w.w_anchor:
            ai = attach_anchors(index)
            if ai is not None:
                voters = anchor_voters(ai, q, int(w.anchor_top))
                parts["anchor"] = anchor_scores(ai, q, int(w.anchor_top), voters, w.anchor_law_alpha)
                fused = fused + w.w_anchor * parts["anchor"]
        if w.b_definition and q.kind == "rec":
            parts["def"] = _definition_boost(index, set(qt))
            fused = fused + w.b_definition * parts["def"]
        if w.w_fraction or w.w_list_len:
            is_fr, log_len = unit_shape(index)
            fused = fused + w.w_fraction * is_fr + w.w_list_len * log_len
        if w.list_discount:
            fused = fused - w.list_discount * _list_baseline(index, fused)
        if w.law_prior:
            fused = fused + w.law_prior * _law_prior(index, fused)
        if w.rank_bonus:
            # the head of each ranking keeps a place even when the other signal misses it
            rk = w.rank_k
            fused = fused + w.rank_bonus * (rk + 1) * (_rrf(bm, rk) + _rrf(cos, rk)) / 2
        return _Scored(fused.astype(np.float32), parts, voters)
    fused = (w.w_bm25 * _rrf(bm, k) + w.w_dense * _rrf(cos, k) + w.w_ctx * _rrf(ctx, k)
             + boost / (k + 1))
    fused *= (k + 1) / (w.w_bm25 + w.w_dense + w.w_ctx)
    return _Scored(fused, parts)


def _aggregate(index: LinkIndex, fused: np.ndarray, k: int,
               w: FusionWeights | None = None) -> list[tuple[float, int, list[int]]]:
    """Article-level ranking: (score, best unit, units by score) for the top ``k`` articles.

    An article scores its best unit plus ``agg_bonus`` times its second-best distinct provision
    (another fracción, not the same one in another version). With ``sibling_ratio`` > 0 a
    second fracción of the same article that scores that close to the best one follows it as
    its own candidate (the answer may name either)."""
    w = w or index.weights
    units = index.units
    n = max(400, k * 40)
    if len(fused) > n:
        head = np.argpartition(-fused, n - 1)[:n]
        order = head[np.argsort(-fused[head], kind="stable")].tolist()
    else:
        order = np.argsort(-fused, kind="stable").tolist()
    # plain Python numbers: this loop runs once per query over the head of the ranking
    f = dict(zip(order, fused[order].tolist()))
    per: dict[tuple[str, str], list[int]] = defaultdict(list)
    versions: dict[str, list[int]] = defaultdict(list)
    for i in order:
        versions[units[i].provision_id].append(i)
    for i in order:
        u = units[i]
        vs = versions.pop(u.provision_id, None)
        if vs is None:
            continue                 # the same provision in another version, already placed
        pick = i
        if len(vs) > 1:
            # near-equal versions of one provision: the newest stands for them
            floor = 0.98 * f[i]
            pick = max((j for j in vs if f[j] >= floor), key=lambda j: units[j].version_date)
        per[u.article_key].append(pick)
    ranked = []
    for members in per.values():
        s = f[members[0]] + (w.agg_bonus * f[members[1]] if len(members) > 1 else 0.0)
        ranked.append((s, members[0], members))
    ranked.sort(key=lambda r: -r[0])
    if w.sibling_ratio > 0:
        out = []
        for s, best, members in ranked:
            out.append((s, best, members))
            if (len(members) > 1 and index.units[members[1]].fraction
                    and fused[members[1]] >= w.sibling_ratio * fused[best]):
                out.append((s - 1e-4, members[1], members[1:]))
        ranked = out
    return ranked[:k]


def _method(parts: dict[str, np.ndarray], i: int) -> str:
    used = [n for n in ("bm25", "dense", "ctx", "ref", "def", "reuse", "anchor") if n in parts and parts[n][i] > 0]
    return "fuse(" + "+".join(used) + ")"


def _candidates(index: LinkIndex, q: Query, sc: _Scored, k: int,
                ranked: list[tuple[float, int, list[int]]] | None = None) -> list[LinkCandidate]:
    qterms = set(terms(q.text + (" " + q.twin if q.twin else "")))
    if q.lang == "en":
        qterms |= {t for s in expand_english(q.text) for t in terms(s)}
    out = []
    for score, best, _members in (ranked if ranked is not None else _aggregate(index, sc.fused, k, weights_for(index, q.kind))):
        u = index.units[best]
        ev_to = _best_span(u.text, qterms)
        ev_from = _best_span(q.text, index.unit_terms[best])
        anchors = (voters_of(index.stats["_anchors"], sc.anchor_voters, best)
                   if sc.anchor_voters and index.stats.get("_anchors") is not None else [])
        out.append(LinkCandidate(
            link_id=LinkCandidate.make_id(q.item_id, u.uid), from_id=q.item_id, to_id=u.uid,
            kind="relevant", score=round(score, 4), method=_method(sc.parts, best),
            evidence_from=[ev_from], evidence_to=[ev_to], anchors=anchors))
    return out



def _encode_queries(index: LinkIndex, texts: list[str]) -> np.ndarray:
    from lawgraph.nlp.embed import EmbeddingCache, embed

    ec = EmbeddingCache(index.cache_dir) if index.cache_dir else None
    v, _ = embed(texts, ec)
    return v


def with_translations(index: LinkIndex, queries: list[Query]) -> list[Query]:
    """The queries, English ones without a Spanish twin given Apertium's Spanish as their twin
    (``twin_mt``) when the recommendation weights say so (``en_mt``, chosen on the cross-lingual
    set by scripts/fit_english.py). One translator process for the whole list."""
    need = [i for i, q in enumerate(queries) if q.lang == "en" and not q.twin]
    if not need or not index.weights.en_mt:
        return queries
    from lawgraph.nlp.translate import TranslationError, translate_en_es

    try:
        spanish = translate_en_es([queries[i].text for i in need])
    except TranslationError as e:   # link them as before rather than stop every link
        logging.getLogger(__name__).warning("%s: %d recomendaciones en inglés se enlazan sin traducir", e, len(need))
        return queries
    out = list(queries)
    for i, es in zip(need, spanish):
        if es:
            out[i] = replace(queries[i], twin=es, twin_mt=True)
    return out


def _query_vec_texts(q: Query) -> list[str]:
    texts = [strip_boilerplate(q.text)]
    if q.twin:
        texts.append(strip_boilerplate(q.twin))
    return texts
