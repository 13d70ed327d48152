"""The recommendation path of the linker: a recommendation's whole-text article ranking (its head
re-ordered by the path's learned reranker, ``rerank.RERANKER_FILES['rec']``, when it applies),
interleaved with each clause's ranking when the recommendation asks several things. Split from
``link_score`` so that the ranking module does not import the reranker, whose features it
computes (``rerank.head_features`` reads ``link_score``'s signals).
"""
from __future__ import annotations

import numpy as np

from lawgraph.model.recs import LinkCandidate, Recommendation
from lawgraph.nlp.link_query import Query, check_query, clauses, query_of
from lawgraph.nlp.link_score import (
    REC_WEIGHTS,
    LinkIndex,
    _aggregate,
    _candidates,
    _encode_queries,
    _query_vec_texts,
    _Scored,
    score_units,
    weights_for,
    with_translations,
)
from lawgraph.nlp.rerank import rerank_head, shipped_reranker


def _interleave(rankings: list[list[tuple[float, int, list[int]]]], index: LinkIndex,
                k: int) -> list[tuple[float, int, list[int]]]:
    """Round robin over the whole query's article ranking and each clause's: a recommendation
    that asks several things is implemented by several provisions, and one ask's vocabulary
    (often the longest) must not fill the whole head of the list."""
    out: list[tuple[float, int, list[int]]] = []
    seen: set[tuple[str, str]] = set()
    pos = [0] * len(rankings)
    while len(out) < k and any(p < len(r) for p, r in zip(pos, rankings)):
        for j, r in enumerate(rankings):
            while pos[j] < len(r):
                item = r[pos[j]]
                pos[j] += 1
                key = index.units[item[1]].article_key
                if key not in seen:
                    seen.add(key)
                    out.append(item)
                    break
            if len(out) >= k:
                break
    return out


def link_recommendation(index: LinkIndex, rec: Recommendation | Query, k: int = 10,
                        twin: str | None = None, skip: frozenset = frozenset()) -> list[LinkCandidate]:
    """Top ``k`` article-level candidates for one recommendation (see module doc). ``skip``:
    vocabulary rows left out (``_query_terms``; scripts/ablate_vocab.py)."""
    q = with_translations(index, [query_of(rec, twin)])[0]
    check_query(q)
    sc = score_units(index, q, _encode_queries(index, _query_vec_texts(q)), skip)
    return _rec_candidates(index, q, sc, k, skip=skip)


def _rec_candidates(index: LinkIndex, q: Query, sc: _Scored, k: int,
                    clause_vecs: np.ndarray | None = None, skip: frozenset = frozenset(),
                    rerank: bool = True) -> list[LinkCandidate]:
    """Article candidates of a recommendation: the whole text's ranking (reranked unless
    ``rerank`` is False), interleaved with each ask's when it makes several (``clauses``; clause
    vectors computed here unless given)."""
    whole = _whole_text_ranking(index, q, sc, k, rerank)
    parts = clauses(q.text)
    if not parts:
        return _candidates(index, q, sc, k, whole)
    if clause_vecs is None:
        clause_vecs = _encode_queries(index, parts)
    rankings = [whole]
    for text, vec in zip(parts, clause_vecs):
        cq = Query(q.item_id, q.lang, text, kind=q.kind, day=q.day, law_hint=q.law_hint)
        rankings.append(_aggregate(index, score_units(index, cq, vec[None, :], skip).fused, k))
    return _candidates(index, q, sc, k, _interleave(rankings, index, k))


def _whole_text_ranking(index: LinkIndex, q: Query, sc: _Scored, k: int,
                        rerank: bool = True) -> list[tuple[float, int, list[int]]]:
    """A recommendation's whole-text article ranking (its first ``k``). The learned reranker of
    the recommendation path (``rerank.RERANKER_FILES['rec']``) re-orders its head when it
    applies: it was fitted on Spanish asks ranked through this path under the shipped
    recommendation weights, so it applies to Spanish text under those weights only (English
    recommendations keep the linear order: silver asks are all Spanish, so nothing measures
    whether the features carry over). Articles past the head keep their linear order; each keeps
    its linear score (the thresholds' scale). ``rerank`` False: the linear ranking."""
    w = weights_for(index, q.kind)
    rr = shipped_reranker("rec") if rerank and q.kind == "rec" and q.lang == "es" else None
    if rr is None or w.fusion != "sum" or w != REC_WEIGHTS:
        return _aggregate(index, sc.fused, k, w)
    ranked = _aggregate(index, sc.fused, max(k, rr.head), w)
    return rerank_head(rr, index, ranked, sc.fused, sc.parts, np.zeros_like(sc.fused), q)[:k]
