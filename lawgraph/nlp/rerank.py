"""A learned reranker over the head of the linear ranking (issue 10, point 2): gradient-boosted
trees fitted by ``scripts/fit_reranker.py`` on the silver train split and chosen on silver dev,
shipped as a JSON of trees, one file per path (``RERANKER_FILES``: ``patterns/reranker.json`` for
the suggestion (asks) path, ``patterns/reranker_rec.json`` for the recommendation path's
whole-text ranking) and evaluated here with numpy, so the package needs neither LightGBM nor
scikit-learn to apply it. Deterministic: a fixed sum of fixed trees over fixed features; ties
keep the linear order.

``head_features`` is the one description of a head article both the fit and the linker use;
``Reranker.order`` re-orders a head, ``rerank_head`` a linker ranking's. See docs/linking.md
("A learned reranker").
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from lawgraph.errors import InputError
from lawgraph.nlp.link_query import PATTERNS

# The shipped model of each linker path, written by ``scripts/fit_reranker.py --kind K --write``:
# 'sug' ranks asks (suggestions, initiatives), 'rec' the whole text of a recommendation.
RERANKER_FILES = {"sug": PATTERNS / "reranker.json", "rec": PATTERNS / "reranker_rec.json"}

# Every feature head_features computes, in its column order. The shipped model uses the subset
# its file names (``features``); the others stay computable for the fit script's ablations.
ALL_FEATURES = [
    "fused", "fused_rel", "fused_gap", "position",          # the linear ranking itself
    "bm25", "bm25_raw", "bm25_rank",                        # BM25 / query max, raw, unit's rank
    "dense", "cos", "cos_rel", "cos_rank",                  # cosine (fusion's normalisation), raw, / max, rank
    "ctx", "ctx_rank",                                      # context BM25 / query max, rank
    "reuse", "reuse_rank",                                  # text reuse (normalised), rank
    "is_fraction", "list_len", "unit_len",                  # what the unit is: fracción, log(1+list), stems
    "query_len", "q_share_in_unit", "unit_share_in_q",      # query stems; shares of each in the other
    "law_share_head", "law_prior",                          # the law's share of the head; law prior (per query)
    "art_units_head", "second_rel",                         # article's units near the top; its second / best
]


def query_stems(q: Any) -> set[str]:
    """The stems of a query (``link_query.Query``) without thesaurus words or bigrams."""
    from lawgraph.nlp.link_query import _query_terms

    return {t for t in _query_terms(q, 0.0)[0] if "_" not in t}


def _rank_of(x: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """1 + how many units score strictly higher than each of ``rows`` under ``x``."""
    srt = np.sort(x)
    return (len(x) - np.searchsorted(srt, x[rows], side="right") + 1).astype(np.float32)


def head_features(index: Any, ranked: list[tuple[float, int, list[int]]], fused: np.ndarray,
                  bm_raw: np.ndarray, cos: np.ndarray, dense: np.ndarray, ctx: np.ndarray,
                  reuse: np.ndarray, qset: set[str]) -> np.ndarray:
    """Rows of ``ALL_FEATURES`` for the articles of ``ranked`` (``link_score._aggregate``'s
    output: article score, best unit, units by score). Unit arrays: the final fused score,
    raw BM25, raw cosine, the fusion's normalised cosine and context BM25, normalised text
    reuse (zeros for a path without it). ``qset``: the query's stems (no bigrams). No feature
    names a law, an article or an ask: each says how this unit matches this query, or is
    relative to the query's other candidates."""
    from lawgraph.nlp.link_score import _law_prior, _normalise, unit_shape

    best = np.array([b for _s, b, _m in ranked], dtype=np.int64)
    x = np.zeros((len(best), len(ALL_FEATURES)), dtype=np.float32)
    if not len(best):
        return x
    col = {f: j for j, f in enumerate(ALL_FEATURES)}
    is_fr, log_len = unit_shape(index)
    top = float(ranked[0][0]) or 1.0
    art = np.array([s for s, _b, _m in ranked], dtype=np.float32)
    x[:, col["fused"]] = art
    x[:, col["fused_rel"]] = art / top
    x[:, col["fused_gap"]] = top - art
    x[:, col["position"]] = np.arange(1, len(best) + 1)
    x[:, col["bm25"]] = _normalise(bm_raw)[best]
    x[:, col["bm25_raw"]] = bm_raw[best]
    x[:, col["bm25_rank"]] = _rank_of(bm_raw, best)
    x[:, col["dense"]] = dense[best]
    x[:, col["cos"]] = cos[best]
    x[:, col["cos_rel"]] = cos[best] / (float(cos.max()) or 1.0)
    x[:, col["cos_rank"]] = _rank_of(cos, best)
    x[:, col["ctx"]] = ctx[best]
    x[:, col["ctx_rank"]] = _rank_of(ctx, best)
    x[:, col["reuse"]] = reuse[best]
    x[:, col["reuse_rank"]] = _rank_of(reuse, best)
    x[:, col["is_fraction"]] = is_fr[best]
    x[:, col["list_len"]] = log_len[best]
    x[:, col["unit_len"]] = index.bm25.len[best]
    x[:, col["query_len"]] = len(qset)
    for j, b in enumerate(best):
        uset = {t for t in index.unit_terms[b] if "_" not in t}   # stems, not the bigrams
        inter = len(qset & uset)
        x[j, col["q_share_in_unit"]] = inter / max(1, len(qset))
        x[j, col["unit_share_in_q"]] = inter / max(1, len(uset))
    laws = Counter(index.units[b].law_key for b in best)
    x[:, col["law_share_head"]] = [laws[index.units[b].law_key] / len(best) for b in best]
    x[:, col["law_prior"]] = _law_prior(index, fused)[best]
    x[:, col["art_units_head"]] = [len(m) for _s, _b, m in ranked]
    x[:, col["second_rel"]] = [float(fused[m[1]]) / (float(fused[m[0]]) or 1.0) if len(m) > 1 else 0.0
                               for _s, _b, m in ranked]
    return x


def flat_trees_lightgbm(dump: dict) -> list[dict[str, list]]:
    """LightGBM's ``Booster.dump_model()`` as flat trees (numeric splits, 'x <= threshold' goes
    left; the features hold no missing values)."""
    out = []
    for t in dump["tree_info"]:
        f: list[int] = []
        thr: list[float] = []
        left: list[int] = []
        right: list[int] = []
        val: list[float] = []

        def walk(node: dict) -> int:
            i = len(f)
            f.append(-1), thr.append(0.0), left.append(-1), right.append(-1), val.append(0.0)
            if "leaf_value" in node:
                val[i] = float(node["leaf_value"])
                return i
            if node.get("decision_type", "<=") != "<=":
                raise ValueError(f"split {node.get('decision_type')!r} not supported")
            f[i], thr[i] = int(node["split_feature"]), float(node["threshold"])
            left[i] = walk(node["left_child"])
            right[i] = walk(node["right_child"])
            return i

        walk(t["tree_structure"])
        out.append({"f": f, "t": thr, "l": left, "r": right, "v": val})
    return out


def flat_trees_sklearn(model: Any) -> list[dict[str, list]]:
    """A fitted binary ``HistGradientBoostingClassifier``'s trees, flat (its raw score minus the
    constant baseline, which no ranking needs)."""
    out = []
    for (pred,) in model._predictors:
        n = pred.nodes
        leaf = n["is_leaf"].astype(bool)
        out.append({"f": np.where(leaf, -1, n["feature_idx"]).astype(int).tolist(),
                    "t": n["num_threshold"].astype(float).tolist(),
                    "l": np.where(leaf, -1, n["left"]).astype(int).tolist(),
                    "r": np.where(leaf, -1, n["right"]).astype(int).tolist(),
                    "v": np.where(leaf, n["value"], 0.0).astype(float).tolist()})
    return out


@dataclass
class Reranker:
    """A sum of flat regression trees over ``features`` (a subset of ``ALL_FEATURES``), applied
    to the first ``head`` articles of the linear ranking."""

    features: list[str]
    trees: list[dict[str, np.ndarray]]
    head: int
    meta: dict[str, Any]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Reranker":
        unknown = set(d["features"]) - set(ALL_FEATURES)
        if unknown:
            raise ValueError(f"rasgos desconocidos: {sorted(unknown)}")
        trees = [{k: np.asarray(t[k], dtype=np.float64 if k in "tv" else np.int64) for k in "ftlrv"}
                 for t in d["trees"]]
        return cls(list(d["features"]), trees, int(d["head"]), {k: v for k, v in d.items() if k != "trees"})

    def score(self, x_all: np.ndarray) -> np.ndarray:
        """The model's score of each row of ``ALL_FEATURES`` columns (higher ranks first)."""
        x = x_all[:, [ALL_FEATURES.index(f) for f in self.features]].astype(np.float64)
        rows = np.arange(len(x))
        out = np.zeros(len(x))
        for t in self.trees:
            node = np.zeros(len(x), dtype=np.int64)
            while True:
                inner = t["f"][node] >= 0
                if not inner.any():
                    break
                go_left = x[rows, np.maximum(t["f"][node], 0)] <= t["t"][node]
                node = np.where(inner, np.where(go_left, t["l"][node], t["r"][node]), node)
            out += t["v"][node]
        return out

    def order(self, x_all: np.ndarray) -> np.ndarray:
        """Positions of the head re-ordered by score; ties keep the linear order."""
        return np.argsort(-self.score(x_all), kind="stable")


def load_reranker(path: Path = RERANKER_FILES["sug"]) -> Reranker | None:
    """The reranker in ``path`` (by default the suggestion path's), or None when there is none."""
    if not path.is_file():
        return None
    try:
        return Reranker.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, KeyError, ValueError) as e:
        raise InputError(path, f"modelo de reordenación ilegible ({e})") from None


@lru_cache(maxsize=len(RERANKER_FILES))
def shipped_reranker(kind: str) -> Reranker | None:
    """The shipped reranker of a linker path ('sug' or 'rec'), read once."""
    return load_reranker(RERANKER_FILES[kind])


def rerank_head(rr: Reranker, index: Any, ranked: list[tuple[float, int, list[int]]], fused: np.ndarray,
                parts: dict[str, np.ndarray], reuse: np.ndarray, q: Any) -> list[tuple[float, int, list[int]]]:
    """``ranked`` (``link_score._aggregate``'s output over the fused unit scores ``fused``) with
    its first ``rr.head`` articles re-ordered by ``rr``; the rest keep their place and each entry
    keeps its linear score. ``parts``: ``score_units``' signals; ``reuse``: normalised text reuse
    (zeros for a path without it); ``q``: the query."""
    head = ranked[:rr.head]
    x = head_features(index, head, fused, parts["bm_raw"], parts["cos"], parts["dense"], parts["ctx"],
                      reuse, query_stems(q))
    return [head[j] for j in rr.order(x)] + ranked[rr.head:]
