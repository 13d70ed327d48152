"""Candidate links from UN recommendations and civil-society suggestions to provision versions.

The linker in five stages, one module each (this module re-exports their public names and adds
batches):

- ``link_units``: article and fracción units of a law version, from a parsed file or the graph;
- ``link_query``: query expansion (boilerplate, English terminology, Spanish thesaurus, clauses);
- ``link_score``: the index and the ranking (``build_index``, ``score_units``);
- ``link_rec``: recommendations' whole-text ranking, reranked, and clause interleaving (``link_recommendation``);
- ``link_landed``: suggestions' text reuse and landed decision (``link_suggestion``).

``link_many(index, items, k=10) -> LinkBatch`` links many items with per-item errors (empty,
huge or unknown-language texts) and the rest processed; dense query vectors are computed in one
cached batch. How the signals add up, what each weight was chosen on and the tuning history are
in docs/linking.md.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from lawgraph.errors import InputError
from lawgraph.model.recs import LinkCandidate, Recommendation, Suggestion
from lawgraph.nlp.asks import recommendation_asks
from lawgraph.nlp.link_landed import (  # noqa: F401 - the linker's public names, one import away
    DEFAULT_CHECK, FIGURE_RE, MAX_YEARS_TO_LAND, MIN_REQUEST_TERMS, LandedDecision, SuggestionCheck,
    _covered, _figures, _suggestion_result, decide_landed, link_suggestion,
)
from lawgraph.nlp.link_query import (  # noqa: F401
    MAX_QUERY_CHARS, SUPPORTED_LANGS, Query, _query_terms, check_query, clauses, expand_english,
    expand_spanish, query_of, strip_boilerplate, thesaurus_matches,
)
from lawgraph.nlp.link_score import (  # noqa: F401
    DEFAULT_THRESHOLD, DEFAULT_WEIGHTS, LONG_LIST_FRACTIONS, FusionWeights, LinkIndex, _encode_queries,
    _list_baseline, _query_vec_texts, build_index, defined_terms, score_units, with_translations,
)
from lawgraph.nlp.link_rec import _rec_candidates, link_recommendation  # noqa: F401
from lawgraph.nlp.link_units import (  # noqa: F401
    FRACTION_HEAD_CHARS, ProvisionUnit, _split_tail, dedupe_units, units_from_parsed,
)

__all__ = [  # the public names of the stages, as before the split
    "DEFAULT_CHECK", "DEFAULT_THRESHOLD", "DEFAULT_WEIGHTS", "FIGURE_RE", "FRACTION_HEAD_CHARS",
    "LONG_LIST_FRACTIONS", "MAX_QUERY_CHARS", "MAX_YEARS_TO_LAND", "MIN_REQUEST_TERMS",
    "SUPPORTED_LANGS", "FusionWeights", "ItemError", "LandedDecision", "LinkBatch", "LinkIndex",
    "ProvisionUnit", "Query", "SuggestionCheck", "build_index", "check_query", "clauses",
    "decide_landed", "dedupe_units", "defined_terms", "expand_english", "expand_spanish",
    "link_many", "link_recommendation", "link_suggestion", "query_of", "score_units",
    "strip_boilerplate", "thesaurus_matches", "units_from_parsed",
]

# --------------------------------------------------------------------------------------------
# Batches
# --------------------------------------------------------------------------------------------
@dataclass
class ItemError:
    item_id: str
    message: str


@dataclass
class LinkBatch:
    candidates: dict[str, list[LinkCandidate]] = field(default_factory=dict)
    landed: dict[str, LandedDecision] = field(default_factory=dict)
    errors: list[ItemError] = field(default_factory=list)
    # Recommendations that ask nothing (``lawgraph.nlp.asks``): no candidates, listed here.
    not_asks: list[str] = field(default_factory=list)


def link_many(index: LinkIndex, items: Sequence[Recommendation | Suggestion | Query], k: int = 10,
              twins: dict[str, str] | None = None) -> LinkBatch:
    """Link many items; a bad item is reported in ``errors`` and the rest are linked."""
    out = LinkBatch()
    queries: list[Query] = []
    for it in items:
        try:
            iid = getattr(it, "rec_id", None) or getattr(it, "sug_id", None) or getattr(it, "item_id", "?")
            q = query_of(it, (twins or {}).get(iid))
            check_query(q)
            if isinstance(it, Recommendation) and not recommendation_asks(it).ask:
                out.candidates[iid] = []          # praise, acknowledgement, concern: nothing to land
                out.not_asks.append(iid)
                continue
            queries.append(q)
        except (InputError, TypeError) as e:
            out.errors.append(ItemError(iid, getattr(e, "problem", str(e))))
    queries = with_translations(index, queries)
    texts = [t for q in queries for t in _query_vec_texts(q)]
    vecs = _encode_queries(index, texts) if texts else np.zeros((0, 0))
    pos = 0
    # One BLAS thread: each query's cosines are one matrix-vector product (units x 512), which
    # a second thread does not speed up; on a busy 2-core machine OpenBLAS's threads wait on each
    # other and made it 10-25x slower (0.4 ms with one thread, 4-9 ms with two, measured with
    # benchmarks/bench_link.py's warm run, docs/linking.md "Re-linking").
    with threadpool_limits(limits=1, user_api="blas"):
        for q in queries:
            n = len(_query_vec_texts(q))
            qv = vecs[pos:pos + n]
            pos += n
            sc = score_units(index, q, qv)
            if q.kind == "sug":
                c, d = _suggestion_result(index, q, sc, k, DEFAULT_CHECK)
                out.candidates[q.item_id] = c
                out.landed[q.item_id] = d
            else:
                out.candidates[q.item_id] = _rec_candidates(index, q, sc, k)
    return out
