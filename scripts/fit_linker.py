"""Fit the linker's ranking weights on the silver train split and select on silver dev; then
calibrate the landed check's thresholds on the silver landed labels.

    .venv/bin/python scripts/fit_linker.py            # fit, print figures, write nothing
    .venv/bin/python scripts/fit_linker.py --write    # also write lawgraph/nlp/patterns/linker_params.json
    .venv/bin/python scripts/fit_linker.py --landed-only --write   # keep the weights, recalibrate the check
    .venv/bin/python scripts/fit_linker.py --rec-only --write      # keep the rest, refit stage 3 only

Stage 2 (landed check): ``min_score``, ``min_request_cover`` and ``min_relative`` over
``LANDED_GRIDS``, on the labelled train and dev asks together (too few landed asks to split),
keeping the setting with the most true landings among those that call at most 2 % of the
not-landed asks landed (ties: fewer false, stricter); reported on test.

Learning to rank, three candidates fitted on silver train, one chosen on silver dev:
1. coordinate ascent on MRR@10 (Metzler & Croft's listwise method): each weight in turn is set
   to the value of its grid that gives the best train (MRR, recall@5), for ``PASSES`` passes in a
   seeded random order, over every weight of ``GRIDS`` (BM25 is the scale);
2. pairwise logistic regression (RankNet's loss, linear scorer) over the features of
   ``LR_FEATURES``: BM25 (Spanish stems), the multilingual USE cosine, context BM25, text reuse,
   hierarchy (fracción or article), list length, the sharp reciprocal-rank term and the law
   prior, on (answer, non-answer) article pairs of the head of the ranking (``pair_features``);
   feature set and L2 penalty chosen on dev;
3. (2) with the nonlinear weights (thesaurus, long-list discount, aggregation) then set by (1).
The shipped weights are a fourth candidate: the one with the best dev (MRR@10, recall@5) is
written. The ranking is the one ``lawgraph eval links --silver`` measures (suggestion path);
the per-query signals are computed once and re-fused for every trial, so a trial is a
re-weighting, not a re-search. Text reuse is computed over the head of the ranking under the
shipped weights (``REUSE_HEAD`` units), as the linker computes it over the head of its own.
Reference boosts, the definition lift and the English cosine weight cannot be informed by the
silver asks (masked of names and numbers; Spanish; suggestion path) and keep their stated
values (``NOT_FITTED``). The file records the command, seed, grids, data hashes (split file,
SITL records, units) and the train and dev figures of every candidate.

Stage 3 (recommendation weights): coordinate ascent over ``REC_GRIDS`` through the
recommendation path (definition lift, no reuse); five candidates fitted on train, one chosen on
silver dev (``fit_rec_weights``), written as ``rec_weights`` (read by ``link_score.REC_WEIGHTS``).
There are no silver recommendations: the asks stand in. Its grids include ``w_article`` (BM25
of the unit's whole article) and, since session 12, ``w_anchor`` and ``anchor_top`` (the votes
of past initiatives, ``nlp/link_anchor.py``; computed as the linker does, an ask's own
initiative never voting). Stage 1's grids include neither. With ``w_article`` (session 11) the
ascent chose 0.75 and silver dev rose on the linear ranking (MRR@10 / r@5 0.611 / 0.757 ->
0.619 / 0.780), but with the asks' reranker refitted on top the whole path was lower on dev than
the shipped weights and model (0.644 / 0.814 against 0.649 / 0.819) (docs/linking.md, "The
whole article as a signal"). With the anchor votes (session 12) silver rose, but the dev
suggestions gained a false landing (docs/linking.md, "Past initiatives as anchors").

Runs in about 15 minutes on the shared 2-core machine with a warm cache (the index and
embeddings of ``lawgraph eval links``).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lawgraph.config import get_settings  # noqa: E402
from lawgraph.corpus import sha256_file  # noqa: E402
from lawgraph.evaluation import silver as S  # noqa: E402
from lawgraph.evaluation.links import corpus_law_files  # noqa: E402
from lawgraph.nlp import link_score as LS  # noqa: E402
from lawgraph.nlp.link_anchor import anchor_scores, anchor_voters, attach_anchors, without_law_prior  # noqa: E402
from lawgraph.nlp.link_landed import SuggestionCheck, _reuse, decide_landed, suggestion_ranking  # noqa: E402
from lawgraph.nlp.link_query import Query, _query_terms  # noqa: E402
from lawgraph.nlp.link_units import _unit_code_hash  # noqa: E402

SEED = 20261206
PASSES = 3
REUSE_HEAD = 200   # as link_landed._suggestion_result
PARAMS_FILE = ROOT / "lawgraph" / "nlp" / "patterns" / "linker_params.json"
# Grids: the shipped value's neighbourhood on a log-ish scale, wide enough to switch a signal off.
GRIDS = {
    "w_dense": [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0],
    "s_ctx": [0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0],
    "w_thesaurus": [0.0, 0.5, 1.0, 1.5, 2.25, 3.0, 4.0],
    "list_discount": [0.0, 0.25, 0.5, 0.75, 1.0],
    "s_reuse": [0.0, 0.25, 0.5, 0.75, 1.0, 1.5],
    "agg_bonus": [0.0, 0.05, 0.1, 0.2, 0.3, 0.5],
    "w_fraction": [-0.3, -0.2, -0.1, -0.05, 0.0, 0.05, 0.1, 0.2, 0.3],
    "w_list_len": [-0.2, -0.1, -0.05, 0.0, 0.05, 0.1],
    "law_prior": [0.0, 0.1, 0.2, 0.3, 0.5, 0.75],
    "rank_bonus": [0.0, 0.05, 0.1, 0.2, 0.3],
    "sibling_ratio": [0.0, 0.85, 0.9, 0.93, 0.96],
}
# Recommendation weights (stage 3): the same ascent through the recommendation path, from the
# hand-set values (FusionWeights' defaults), over the weights that path uses; the definition
# lift and the sibling ratio were hand-set on the dev answers and are fitted here too.
REC_GRIDS = {
    "w_dense": GRIDS["w_dense"], "s_ctx": GRIDS["s_ctx"], "w_thesaurus": GRIDS["w_thesaurus"],
    "list_discount": GRIDS["list_discount"], "agg_bonus": GRIDS["agg_bonus"],
    "b_definition": [0.0, 0.2, 0.4, 0.8, 1.2, 1.6],
    "sibling_ratio": [0.0, 0.85, 0.9, 0.93, 0.96],
    "w_article": [0.0, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5],
    "w_anchor": [0.0, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5],
    "anchor_top": [5, 10, 20, 40],
}
# BM25's k1 and b are in no grid: fitted here (session 14) they raised silver through the
# constitutional asks only (law-balanced flat) and lowered both checks in the recommendations'
# genre (scripts/measure_bm25.py, docs/linking.md "BM25's k1 and b"). ``Signals`` scores with the k1, b of the weights it measures.
# The signals the last refit added (their grids are searched alone from the shipped weights as
# one more candidate): session 12's anchor votes.
NEW_REC_SIGNALS = ["w_anchor", "anchor_top"]
REC_NOT_FITTED = {
    "b_law": "the silver asks are masked of law names: no signal to fit",
    "b_article": "the silver asks are masked of article numbers: no signal to fit",
    "w_dense_en": "the silver asks are Spanish",
    "w_bm25": "the scale: every other weight is relative to it (1.0)",
    "clauses": "clause interleaving is kept as is: the fit ranks the whole text only",
}
# Weights that enter the fusion other than linearly: the pairwise fit keeps them fixed.
NONLINEAR = ["w_thesaurus", "list_discount", "agg_bonus"]
FITTED = sorted(set(GRIDS) | {"w_bm25"})
# Landed check (stage 2): grids of the thresholds a fused score scale change moves; the
# constraint is issue 10's (at most 2 % of not-landed asks called landed).
LANDED_GRIDS = {
    "min_score": [round(0.5 + 0.1 * i, 1) for i in range(16)],
    "min_request_cover": [0.1, 0.18, 0.25, 0.35],
    "min_relative": [0.8, 0.9, 1.0],
}
MAX_FALSE_LANDED = 0.02
NOT_FITTED = {
    "b_law": "the silver asks are masked of law names: no signal to fit",
    "b_article": "the silver asks are masked of article numbers: no signal to fit",
    "b_definition": "applies to recommendations only; the silver asks take the suggestion path",
    "w_dense_en": "the silver asks are Spanish",
    "w_bm25": "the scale: every other weight is relative to it (1.0)",
}


class Signals:
    """Per-query raw signals over all units, computed once. ``kind`` 'sug' ranks the asks as
    the linker ranks suggestions (text reuse); 'rec' as it ranks recommendations (definition
    lift, no reuse; the whole text's ranking, without clause interleaving)."""

    def __init__(self, index, asks, kind: str = "sug"):
        self.index = index
        self.asks = asks
        self.kind = kind
        qs = [Query(a.id, "es", a.query, kind=kind, day=a.day) for a in asks]
        vecs = LS._encode_queries(index, [LS.strip_boilerplate(q.text) for q in qs])
        self.dense, self.cos = [], []
        self.is_fr, self.log_len = LS.unit_shape(index)
        self.reuse_rows, self.reuse_vals, self.defs = [], [], []
        self._terms: list[tuple[list[str], list[str], dict]] = []
        self._lex_at: tuple[float, float] | None = None
        for q, v in zip(qs, vecs):
            base, _ = _query_terms(q, 0.0)
            full, qw = _query_terms(q, 1.0)
            self._terms.append((base, full[len(base):], qw))
            cos = index.vectors @ v
            self.cos.append(cos)
            self.dense.append(LS._dense_norm(cos))
            if kind == "rec":
                self.defs.append(LS._definition_boost(index, set(full)))
        # The recommendation path's anchor votes (nlp/link_anchor.py), as the linker computes
        # them (the silver train initiatives vote; an ask's own initiative does not), once per
        # value of ``anchor_top``'s grid: the nearest ``top`` are the head of the nearest max(top),
        # so each ask's voters are searched once.
        # ``anchor_law_alpha`` is applied in ``fuse``, from the weights measured.
        self.anchor: dict[int, list[np.ndarray]] = {}
        self.anchor_index = ai = attach_anchors(index)
        if ai is not None:
            tops = REC_GRIDS["anchor_top"]
            voters = [anchor_voters(ai, q, max(tops)) for q in qs]
            for top in tops:
                self.anchor[top] = [anchor_scores(ai, q, top, v[:top]) for q, v in zip(qs, voters)]
        shipped = LS.ASK_WEIGHTS
        for i, q in enumerate(qs if kind == "sug" else ()):
            head = np.argsort(-self.fuse(i, asdict(shipped), reuse=False))[:REUSE_HEAD]
            self.reuse_rows.append(head)
            self.reuse_vals.append(np.array([_reuse(q.text, index.units[j].text) for j in head], np.float32))

    def use_bm25(self, k1: float, b: float) -> None:
        """The three BM25 scores (units, contexts, whole articles; the query's own stems and its
        thesaurus terms apart) of every ask under ``k1``, ``b``, as score_units computes them:
        recomputed only when the pair changes (a second or two per split; the ascent moves one
        weight at a time)."""
        if self._lex_at == (k1, b):
            return
        index, n = self.index, len(self.index.units)
        self.bm_base, self.bm_th, self.ctx_base, self.ctx_th, self.art_base, self.art_th = [], [], [], [], [], []
        zero = np.zeros(n, np.float32)
        for base, extra, qw in self._terms:
            self.bm_base.append(index.bm25.scores(base, None, k1, b))
            self.ctx_base.append(index.ctx_bm25.scores(base, None, k1, b)[index.ctx_of])
            self.art_base.append(index.art_bm25.scores(base, None, k1, b)[index.art_of])
            self.bm_th.append(index.bm25.scores(extra, qw, k1, b) if extra else zero)
            self.ctx_th.append(index.ctx_bm25.scores(extra, qw, k1, b)[index.ctx_of] if extra else zero)
            self.art_th.append(index.art_bm25.scores(extra, qw, k1, b)[index.art_of] if extra else zero)
        self._lex_at = (k1, b)

    def fuse(self, i: int, w: dict, reuse: bool = True) -> np.ndarray:
        """The linker's fused unit scores for ask ``i`` (score_units' 'sum' mode, then the
        suggestion path's text reuse), term by term in the same order."""
        self.use_bm25(w["k1"], w["b"])
        bm = LS._normalise(self.bm_base[i] + w["w_thesaurus"] * self.bm_th[i])
        ctx = LS._normalise(self.ctx_base[i] + w["w_thesaurus"] * self.ctx_th[i])
        fused = w["w_bm25"] * bm + w["w_dense"] * self.dense[i] + w["s_ctx"] * ctx
        if w["w_article"]:
            fused = fused + w["w_article"] * LS._normalise(self.art_base[i] + w["w_thesaurus"] * self.art_th[i])
        if w["w_anchor"] and self.anchor:
            votes = self.anchor[int(w["anchor_top"])][i]
            fused = fused + w["w_anchor"] * without_law_prior(self.anchor_index, votes, w["anchor_law_alpha"])
        if self.kind == "rec" and w["b_definition"]:
            fused = fused + w["b_definition"] * self.defs[i]
        if w["w_fraction"] or w["w_list_len"]:
            fused = fused + w["w_fraction"] * self.is_fr + w["w_list_len"] * self.log_len
        if w["list_discount"]:
            fused = fused - w["list_discount"] * LS._list_baseline(self.index, fused)
        if w["law_prior"]:
            fused = fused + w["law_prior"] * LS._law_prior(self.index, fused)
        if w["rank_bonus"]:
            fused = fused + w["rank_bonus"] * self.rank_term(i, w)
        if reuse and self.kind == "sug" and w["s_reuse"]:
            fused = fused + w["s_reuse"] * self.reuse_n(i)
        return fused.astype(np.float32)

    def rank_term(self, i: int, w: dict) -> np.ndarray:
        """score_units' sharp reciprocal-rank term of BM25 and the cosine (``rank_bonus``)."""
        rk = w["rank_k"]
        self.use_bm25(w["k1"], w["b"])
        bm = self.bm_base[i] + w["w_thesaurus"] * self.bm_th[i]
        return (rk + 1) * (LS._rrf(bm, rk) + LS._rrf(self.cos[i], rk)) / 2

    def reuse_n(self, i: int) -> np.ndarray:
        """Text reuse over the head of the ranking, normalised as suggestion_ranking does."""
        rows, vals = self.reuse_rows[i], self.reuse_vals[i]
        med = float(np.median(vals))
        out = np.zeros(len(self.index.units), np.float32)
        out[rows] = np.clip((vals - med) / (float(vals.max()) - med + 1e-6), 0, None)
        return out

    def ranks(self, w: dict) -> list[int | None]:
        """Per ask, the rank (1-10) of its first answer article, or None."""
        index = self.index
        index.weights = LS.FusionWeights(**w)
        out: list[int | None] = []
        for i, a in enumerate(self.asks):
            want = a.answer_keys()
            ranked = LS._aggregate(index, self.fuse(i, w), 10)
            out.append(next((r for r, (_s, best, _m) in enumerate(ranked, 1)
                             if (index.units[best].law_key.lower(), S.label(index.units[best].article)) in want), None))
        return out

    def measure(self, w: dict) -> tuple[float, float]:
        """(MRR@10, recall@5) at article level over the asks."""
        return mrr_recall(self.ranks(w))


def mrr_recall(ranks: list[int | None]) -> tuple[float, float]:
    """(MRR, recall@5) of per-ask ranks of the first answer (None: not in the first 10)."""
    n = max(1, len(ranks))
    return (round(sum(1 / r for r in ranks if r) / n, 4),
            round(sum(1 for r in ranks if r and r <= 5) / n, 4))


# Pairwise learning to rank: the linear weights of the fusion by logistic regression on
# feature differences (RankNet's loss with a linear scorer), at article level.
LR_FEATURES = ["w_bm25", "w_dense", "s_ctx", "s_reuse", "w_fraction", "w_list_len", "rank_bonus", "law_prior"]
LR_HEAD = 30                     # the head the ranker re-orders: the base ranking's first 30 articles
LR_L2 = [0.1, 1.0, 10.0, 100.0]  # L2 penalties tried (grid of decades); chosen on silver dev
# Feature sets tried, chosen on silver dev with the penalty: every feature, and the four signals
# of the shipped fusion (BM25, cosine, context, reuse) alone.
LR_SETS = {"all": LR_FEATURES, "signals": LR_FEATURES[:4]}


def pair_features(sig: Signals, w: dict) -> tuple[np.ndarray, np.ndarray]:
    """(differences answer - non-answer, group sizes) over the asks of ``sig``: per ask, each
    answer article among the first ``LR_HEAD`` of the ranking under ``w`` (its best unit)
    against the best unit of each other article there. An answer outside the head gives no
    pairs: the re-ranking cannot reach it, and its pairs (every feature lower than every
    negative's, by construction of the head) pushed the first fits to a negative BM25 weight.
    Columns follow ``LR_FEATURES``; the nonlinear terms (long-list discount, law prior,
    reciprocal-rank term) are computed on the fusion under ``w``."""
    index = sig.index
    rows = []
    for i, a in enumerate(sig.asks):
        want = a.answer_keys()
        base = sig.fuse(i, {**w, "law_prior": 0.0, "rank_bonus": 0.0})   # also sets w's BM25 k1, b
        cols = np.stack([
            LS._normalise(sig.bm_base[i] + w["w_thesaurus"] * sig.bm_th[i]),
            sig.dense[i],
            LS._normalise(sig.ctx_base[i] + w["w_thesaurus"] * sig.ctx_th[i]),
            sig.reuse_n(i),
            sig.is_fr,
            sig.log_len,
            sig.rank_term(i, w),
            LS._law_prior(index, base),
        ], axis=1)
        ranked = LS._aggregate(index, base, LR_HEAD)
        head = {(index.units[b].law_key.lower(), S.label(index.units[b].article)): b for _s, b, _m in ranked}
        neg = [b for k, b in head.items() if k not in want]
        pos = [b for k, b in head.items() if k in want]
        for p_ in pos:
            for n_ in neg:
                rows.append(cols[p_] - cols[n_])
    return np.array(rows, dtype=np.float64), np.array([len(rows)])


def pairwise_logistic(x: np.ndarray, l2: float, iters: int = 50) -> np.ndarray:
    """Weights minimising sum log(1 + exp(-x @ w)) + l2/2 |w|^2 (every row is a pair whose
    first member should rank higher), by Newton's method: a handful of features, exact."""
    w = np.zeros(x.shape[1])
    for _ in range(iters):
        z = x @ w
        p = 1 / (1 + np.exp(np.clip(z, -30, 30)))          # sigma(-z)
        grad = -(x * p[:, None]).sum(axis=0) + l2 * w
        h = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(x.shape[1])
        step = np.linalg.solve(h, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def fit_pairwise(st: Signals, sd: Signals, w: dict) -> tuple[dict, dict]:
    """Linear weights by pairwise logistic regression on train (nonlinear settings of ``w``
    kept), scaled so BM25 weighs 1 (the scale the thresholds are calibrated in); the feature
    set and the L2 penalty chosen on dev (MRR@10, then recall@5). Returns (weights, report)."""
    x, _ = pair_features(st, w)
    report = {"pairs": int(len(x)), "trials": {}}
    best = None
    for set_name, feats in LR_SETS.items():
        cols = [LR_FEATURES.index(f) for f in feats]
        for l2 in LR_L2:
            c = pairwise_logistic(x[:, cols], l2)
            name = f"{set_name} l2={l2}"
            if c[0] <= 0:
                report["trials"][name] = "BM25 weight not positive: skipped"
                continue
            trial = {**w, **{k: round(float(v / c[0]), 4) for k, v in zip(feats, c)}}
            trial["w_bm25"] = 1.0
            dev = sd.measure(trial)
            report["trials"][name] = {"coef": [round(float(v), 4) for v in c], "dev": dev}
            print(f"pairwise {name}: {[trial[k] for k in feats]} dev MRR {dev[0]} r@5 {dev[1]}", flush=True)
            if best is None or dev > best[0]:
                best = (dev, trial, name)
    report["chosen"] = best[2]
    return best[1], report


def coordinate_ascent(st: Signals, w: dict, grids: dict, label: str,
                      min_gain: float = 0.0) -> tuple[dict, tuple[float, float]]:
    """Each weight in turn set to its grid value with the best train (MRR@10, recall@5), for
    ``PASSES`` passes in a seeded random order. ``min_gain``: a move must raise train MRR@10 by
    at least this much (stage 3, ``rec_min_gain``); 0 keeps any strictly better value."""
    best = st.measure(w)
    rng = random.Random(SEED)
    for p in range(PASSES):
        names = sorted(grids)
        rng.shuffle(names)
        for name in names:
            for v in grids[name]:
                if v == w[name]:
                    continue
                trial = st.measure({**w, name: v})
                if trial > best and trial[0] >= best[0] + min_gain:
                    best, w = trial, {**w, name: v}
            print(f"{label} pass {p + 1} {name}={w[name]}: train MRR {best[0]} r@5 {best[1]}", flush=True)
    return w, best


def landed_runs(index, asks):
    """(query, candidates, fused scores, label) of the labelled asks, ranked once."""
    labelled = [a for a in asks if a.landed is not None]
    qs = [Query(a.id, "es", a.query, kind="sug", day=a.day) for a in labelled]
    vecs = LS._encode_queries(index, [LS.strip_boilerplate(q.text) for q in qs])
    out = []
    for q, v, a in zip(qs, vecs, labelled):
        cands, fused = suggestion_ranking(index, q, LS.score_units(index, q, v[None, :]), 10)
        out.append((q, cands, fused, a.landed))
    return out


def landed_counts(index, runs, check) -> dict:
    c = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for q, cands, fused, truth in runs:
        said = decide_landed(index, q, cands, check, fused).landed
        c[("t" if said == truth else "f") + ("p" if said else "n")] += 1
    return c


def calibrate_landed(index, fit_runs):
    """The thresholds with the most true landings on the calibration asks among those that call
    at most MAX_FALSE_LANDED of the not-landed ones landed (ties: fewer false, stricter)."""
    best = None
    for ms in LANDED_GRIDS["min_score"]:
        for mc in LANDED_GRIDS["min_request_cover"]:
            for mr in LANDED_GRIDS["min_relative"]:
                c = landed_counts(index, fit_runs, SuggestionCheck(min_score=ms, min_request_cover=mc, min_relative=mr))
                if c["fp"] > MAX_FALSE_LANDED * (c["fp"] + c["tn"]):
                    continue
                key = (c["tp"], -c["fp"], ms, mc, mr)
                if best is None or key > best[0]:
                    best = (key, {"min_score": ms, "min_request_cover": mc, "min_relative": mr}, c)
    return best[1], best[2]


def rec_min_gain(n_train: int) -> float:
    """Stage 3's smallest train MRR@10 gain worth a move: one ask going from rank 2 to rank 1
    (0.5 / n). The recommendation weights are fitted on asks that stand in for recommendations,
    so a move that changes less than one ask's first place is read as noise of that stand-in:
    in session 12's fit, the thesaurus weight went 1.0 -> 0.5 -> 0.0 for +0.0002 each (about one
    ask moving one rank near the tenth place), on the 8.7 % of silver asks the thesaurus touches
    at all (30 % of the Spanish recommendations)."""
    return 0.5 / max(1, n_train)


def fit_rec_weights(index, train, dev, out: dict, shipped: dict) -> None:
    """Stage 3: the recommendation weights, fitted the same way through the recommendation path
    (there are no silver recommendations: the asks stand in for them); written into ``out``.
    ``shipped``: the parameter file as it is.

    Candidates, each fitted on train, one chosen on dev (MRR@10, then recall@5; ties keep the
    shipped weights): the hand-set values; coordinate ascent over every grid from them; the
    shipped weights; ascent over every grid from the shipped weights; and ascent over the grids
    of ``NEW_REC_SIGNALS`` alone from the shipped weights (a signal added, the rest as shipped).
    Session 12 added the last three: from the hand-set values the ascent reached train MRR 0.730
    with the anchor signal but dev 0.661, below what the anchor weights alone gave on dev."""
    rt, rd = Signals(index, train, "rec"), Signals(index, dev, "rec")
    hand = asdict(LS.FusionWeights())
    min_gain = rec_min_gain(len(train))
    ship = {**hand, **shipped.get("rec_weights", {})}
    cands = {"hand-set": hand, "shipped": ship}
    cands["fitted"], _ = coordinate_ascent(rt, dict(hand), REC_GRIDS, "recommendation path", min_gain)
    cands["fitted from shipped"], _ = coordinate_ascent(rt, dict(ship), REC_GRIDS, "from shipped", min_gain)
    new = {k: REC_GRIDS[k] for k in NEW_REC_SIGNALS}
    cands["shipped + new signals"], _ = coordinate_ascent(rt, dict(ship), new, "new signals", min_gain)
    rec_fig = {n: {"train": rt.measure(w), "dev": rd.measure(w)} for n, w in cands.items()}
    rec_pick = max(cands, key=lambda n: (rec_fig[n]["dev"], n == "shipped"))
    print(f"recommendation path: {rec_fig}; selected {rec_pick}", flush=True)
    out["rec_fit"] = {"grids": REC_GRIDS, "new_signals": NEW_REC_SIGNALS, "min_gain": round(min_gain, 6),
                      "figures": {**rec_fig, "as": "[MRR@10, recall@5]"},
                      "selected": rec_pick, "not_fitted": REC_NOT_FITTED}
    # Keys other stages' scripts fit into this section (scripts/fit_english.py: w_dense_en,
    # en_mt) are kept as they are in the shipped file.
    kept = {k: v for k, v in shipped.get("rec_weights", {}).items() if k not in REC_GRIDS}
    out["rec_weights"] = {**{k: cands[rec_pick][k] for k in sorted(REC_GRIDS)}, **kept}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="write the parameter file when dev does not get worse")
    ap.add_argument("--landed-only", action="store_true", help="keep the fitted weights of the parameter file; calibrate the landed check only")
    ap.add_argument("--rec-only", action="store_true", help="keep the ask weights and the landed check of the parameter file; refit the recommendation weights only (stage 3)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    settings = get_settings()
    files = corpus_law_files(settings.mirror)
    index = LS.build_index(files, cache_dir=settings.home / "cache")
    silver = S.build_silver(settings.mirror, index.units)
    train = [a for a in silver.asks if a.split == "train"]
    dev = [a for a in silver.asks if a.split == "dev"]
    print(f"silver asks: train {len(train)}, dev {len(dev)}; units {len(index.units)}", flush=True)
    shipped = json.loads(PARAMS_FILE.read_text(encoding="utf-8")) if PARAMS_FILE.is_file() else {}
    if args.rec_only:
        out = dict(shipped)
        fit_rec_weights(index, train, dev, out, shipped)
        out["rec_fit"]["command"] = "python scripts/fit_linker.py --rec-only --write"
        out["rec_fit"]["seconds"] = round(time.perf_counter() - t0)
        print(json.dumps({k: out[k] for k in ("rec_fit", "rec_weights")}, indent=1))
        return write_params(out, shipped) if args.write else 0
    if args.landed_only:
        out = dict(shipped)
        chosen = {**asdict(LS.FusionWeights()), **out["weights"]}
    else:
        st, sd = Signals(index, train), Signals(index, dev)
        print(f"signals computed in {time.perf_counter() - t0:.0f} s", flush=True)
        ask_shipped = asdict(LS.ASK_WEIGHTS)
        print(f"shipped weights: train {st.measure(ask_shipped)} dev {sd.measure(ask_shipped)}", flush=True)
        # Candidates, each fitted on train: (1) coordinate ascent over every grid; (2) pairwise
        # logistic regression for the linear weights (nonlinear ones as shipped); (3) (2) with
        # the nonlinear weights then set by coordinate ascent. Chosen on dev MRR@10 (then r@5).
        ca, _ = coordinate_ascent(st, dict(ask_shipped), GRIDS, "ascent")
        lr, lr_report = fit_pairwise(st, sd, dict(ask_shipped))
        polish, _ = coordinate_ascent(st, dict(lr), {k: GRIDS[k] for k in NONLINEAR}, "pairwise+ascent")
        cands = {"shipped": ask_shipped, "coordinate ascent": ca, "pairwise logistic": lr,
                 "pairwise logistic + ascent on the nonlinear weights": polish}
        figures = {name: {"train": st.measure(w), "dev": sd.measure(w)} for name, w in cands.items()}
        for name, f in figures.items():
            print(f"{name}: train {f['train']} dev {f['dev']}", flush=True)
        pick = max(cands, key=lambda n: (figures[n]["dev"], n == "shipped"))
        chosen = cands[pick]
        out = {
            "command": "python scripts/fit_linker.py --write",
            "method": ("candidates fitted on silver train (coordinate ascent on MRR@10; pairwise logistic "
                       "regression on answer/non-answer article pairs; the two combined), the one with the "
                       "best silver dev MRR@10 selected (suggestion path)"),
            "seed": SEED, "passes": PASSES, "grids": GRIDS,
            "pairwise": {"features": LR_FEATURES, "sets": LR_SETS, "head": LR_HEAD, "l2_grid": LR_L2, **lr_report},
            "data": {"split_file_sha256": sha256_file(S.SPLIT_FILE),
                     "sitl_records_sha256": sha256_file(settings.mirror / S.SITL_DIR / "sitl_lxvi_iniciativas_por_comision.jsonl"),
                     "unit_code": _unit_code_hash(),
                     "units_sha256": hashlib.sha256("".join(sorted(u.uid for u in index.units)).encode()).hexdigest()[:24],
                     "train_asks": len(train), "dev_asks": len(dev)},
            "figures": {**figures, "as": "[MRR@10, recall@5]"},
            "selected": pick,
            "weights": {k: chosen[k] for k in FITTED},
            "not_fitted": NOT_FITTED,
        }
        fit_rec_weights(index, train, dev, out, shipped)
    # Stage 2: the landed check under the chosen weights, calibrated on train and dev together
    # (the silver landed asks are too few to split: 4 train, 3 dev), reported on test.
    index.weights, index.ask_weights = LS.FusionWeights(), LS.FusionWeights(**chosen)
    fit_runs = landed_runs(index, train + dev)
    test_runs = landed_runs(index, [a for a in silver.asks if a.split == "test"])
    check, fit_counts = calibrate_landed(index, fit_runs)
    test_counts = landed_counts(index, test_runs, SuggestionCheck(**check))
    print(f"landed check {check}: train+dev {fit_counts}; test {test_counts}", flush=True)
    out["landed"] = check
    out["landed_fit"] = {"grids": LANDED_GRIDS, "max_false_landed": MAX_FALSE_LANDED,
                         "calibrated_on": "silver train + dev labelled asks", "train_dev": fit_counts,
                         "test": test_counts}
    out["seconds"] = round(time.perf_counter() - t0)
    print(json.dumps(out, indent=1))
    return write_params(out, shipped) if args.write else 0


def write_params(out: dict, shipped: dict) -> int:
    """Write ``out`` as the parameter file, keeping the sections of the shipped file it does not
    hold (other scripts write into the same file: fit_english.py's english_fit)."""
    PARAMS_FILE.write_text(json.dumps({**shipped, **out}, indent=1) + "\n", encoding="utf-8")
    print(f"written: {PARAMS_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
