"""Fit the linker's ranking weights on the silver train split and select on silver dev; then
calibrate the landed check's thresholds on the silver landed labels.

    .venv/bin/python scripts/fit_linker.py            # fit, print figures, write nothing
    .venv/bin/python scripts/fit_linker.py --write    # also write lawgraph/nlp/patterns/linker_params.json
    .venv/bin/python scripts/fit_linker.py --landed-only --write   # keep the weights, recalibrate the check

Stage 2 (landed check): ``min_score``, ``min_request_cover`` and ``min_relative`` over
``LANDED_GRIDS``, on the labelled train and dev asks together (too few landed asks to split),
keeping the setting with the most true landings among those that call at most 2 % of the
not-landed asks landed (ties: fewer false, stricter); reported on test.

Learning to rank by coordinate ascent on MRR@10 (Metzler & Croft's listwise method): each
weight in turn is set to the value of its grid that gives the best train MRR (ties: recall@5,
then the current value), for ``PASSES`` passes in a seeded random order of the weights. The
ranking is the one ``lawgraph eval links --silver`` measures (suggestion path: BM25 with the
thesaurus words at their own weight, dense cosine, context BM25, long-list discount, text
reuse, article aggregation); the per-query signals are computed once and re-fused for every
trial, so a trial is a re-weighting, not a re-search. Text reuse is computed over the head of
the ranking under the shipped weights (``REUSE_HEAD`` units, as the linker), as the linker computes it over
the head of its own ranking.

Selection: the fitted weights are written only when their silver dev MRR is at least that of
the weights shipped before; the file records the command, seed, grids, data hashes (split
file, SITL records, units) and the train and dev figures of both. Weights the silver asks
cannot inform keep their stated values and are listed as such: reference boosts (the asks are
masked of law names and article numbers), the definition lift (recommendations only) and the
English cosine weight (the silver asks are Spanish).

Runs in a few minutes on 2 cores with a warm cache (the index and embeddings of
``lawgraph eval links``).
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
from lawgraph.evaluation import silver as S  # noqa: E402
from lawgraph.evaluation.links import corpus_law_files  # noqa: E402
from lawgraph.nlp import link_score as LS  # noqa: E402
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
}
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
    "w_bm25": "the scale: every other weight is relative to it",
}


def sha256_file(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


class Signals:
    """Per-query raw signals over all units, computed once."""

    def __init__(self, index, asks):
        self.index = index
        self.asks = asks
        n = len(index.units)
        qs = [Query(a.id, "es", a.query, kind="sug", day=a.day) for a in asks]
        vecs = LS._encode_queries(index, [LS.strip_boilerplate(q.text) for q in qs])
        self.bm_base, self.bm_th, self.ctx_base, self.ctx_th, self.dense = [], [], [], [], []
        self.reuse_rows, self.reuse_vals = [], []
        for q, v in zip(qs, vecs):
            base, _ = _query_terms(q, 0.0)
            full, qw = _query_terms(q, 1.0)
            extra = full[len(base):]
            self.bm_base.append(index.bm25.scores(base))
            self.ctx_base.append(index.ctx_bm25.scores(base)[index.ctx_of])
            if extra:
                self.bm_th.append(index.bm25.scores(extra, qw))
                self.ctx_th.append(index.ctx_bm25.scores(extra, qw)[index.ctx_of])
            else:
                self.bm_th.append(np.zeros(n, np.float32))
                self.ctx_th.append(np.zeros(n, np.float32))
            self.dense.append(LS._dense_norm(index.vectors @ v))
        shipped = LS.ASK_WEIGHTS
        for i, q in enumerate(qs):
            head = np.argsort(-self.fuse(i, asdict(shipped), reuse=False))[:REUSE_HEAD]
            self.reuse_rows.append(head)
            self.reuse_vals.append(np.array([_reuse(q.text, index.units[j].text) for j in head], np.float32))

    def fuse(self, i: int, w: dict, reuse: bool = True) -> np.ndarray:
        bm = LS._normalise(self.bm_base[i] + w["w_thesaurus"] * self.bm_th[i])
        ctx = LS._normalise(self.ctx_base[i] + w["w_thesaurus"] * self.ctx_th[i])
        fused = w["w_bm25"] * bm + w["w_dense"] * self.dense[i] + w["s_ctx"] * ctx
        if w["list_discount"]:
            fused = fused - w["list_discount"] * LS._list_baseline(self.index, fused)
        if reuse and w["s_reuse"]:
            rows, vals = self.reuse_rows[i], self.reuse_vals[i]
            med = float(np.median(vals))
            fused = fused.copy()
            fused[rows] += w["s_reuse"] * np.clip((vals - med) / (float(vals.max()) - med + 1e-6), 0, None)
        return fused.astype(np.float32)

    def measure(self, w: dict) -> tuple[float, float]:
        """(MRR@10, recall@5) at article level over the asks."""
        index = self.index
        index.weights = LS.FusionWeights(**w)
        rr = r5 = 0.0
        for i, a in enumerate(self.asks):
            want = {(t["law"], S.label(t["article"])) for t in a.targets}
            ranked = LS._aggregate(index, self.fuse(i, w), 10)
            for r, (_s, best, _m) in enumerate(ranked, 1):
                u = index.units[best]
                if (u.law_key.lower(), S.label(u.article)) in want:
                    rr += 1 / r
                    r5 += r <= 5
                    break
        n = max(1, len(self.asks))
        return round(rr / n, 4), round(r5 / n, 4)


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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="write the parameter file when dev does not get worse")
    ap.add_argument("--landed-only", action="store_true", help="keep the fitted weights of the parameter file; calibrate the landed check only")
    args = ap.parse_args()
    t0 = time.perf_counter()
    settings = get_settings()
    files = corpus_law_files(settings.mirror)
    index = LS.build_index(files, cache_dir=settings.home / "cache")
    silver = S.build_silver(settings.mirror, index.units)
    train = [a for a in silver.asks if a.split == "train"]
    dev = [a for a in silver.asks if a.split == "dev"]
    print(f"silver asks: train {len(train)}, dev {len(dev)}; units {len(index.units)}", flush=True)
    if args.landed_only:
        out = json.loads(PARAMS_FILE.read_text(encoding="utf-8"))
        chosen = {**asdict(LS.FusionWeights()), **out["weights"]}
    else:
        st, sd = Signals(index, train), Signals(index, dev)
        print(f"signals computed in {time.perf_counter() - t0:.0f} s", flush=True)
        shipped = asdict(LS.ASK_WEIGHTS)
        w = dict(shipped)
        best = st.measure(w)
        print(f"shipped weights: train MRR {best[0]} r@5 {best[1]}", flush=True)
        rng = random.Random(SEED)
        for p in range(PASSES):
            names = sorted(GRIDS)
            rng.shuffle(names)
            for name in names:
                for v in GRIDS[name]:
                    if v == w[name]:
                        continue
                    trial = st.measure({**w, name: v})
                    if trial > best:
                        best, w = trial, {**w, name: v}
                print(f"pass {p + 1} {name}={w[name]}: train MRR {best[0]} r@5 {best[1]}", flush=True)
        dev_shipped, dev_fitted = sd.measure(shipped), sd.measure(w)
        print(f"dev: shipped MRR {dev_shipped[0]} r@5 {dev_shipped[1]}; fitted MRR {dev_fitted[0]} r@5 {dev_fitted[1]}")
        chosen = w if dev_fitted[0] >= dev_shipped[0] else shipped
        fitted = {k: chosen[k] for k in GRIDS}
        out = {
            "command": "python scripts/fit_linker.py --write",
            "method": "coordinate ascent on train MRR@10, selection on dev MRR@10 (silver asks, suggestion path)",
            "seed": SEED, "passes": PASSES, "grids": GRIDS,
            "data": {"split_file_sha256": sha256_file(S.SPLIT_FILE),
                     "sitl_records_sha256": sha256_file(settings.mirror / S.SITL_DIR / "sitl_lxvi_iniciativas_por_comision.jsonl"),
                     "unit_code": _unit_code_hash(),
                     "units_sha256": hashlib.sha256("".join(sorted(u.uid for u in index.units)).encode()).hexdigest()[:24],
                     "train_asks": len(train), "dev_asks": len(dev)},
            "figures": {"train": {"shipped": st.measure(shipped), "fitted": st.measure(w)},
                        "dev": {"shipped": dev_shipped, "fitted": dev_fitted}, "as": "[MRR@10, recall@5]"},
            "selected": "fitted" if chosen is w else "shipped (fitted weights did worse on dev)",
            "weights": fitted,
            "not_fitted": NOT_FITTED,
            "seconds": round(time.perf_counter() - t0),
        }
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
    if args.write:
        PARAMS_FILE.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        print(f"written: {PARAMS_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
