"""Fit the landed check (issue 10, point 5) on the silver asks: a logistic regression over the
features of each landing site (``lawgraph.nlp.link_landed.FEATURES``) fitted on silver train,
its threshold chosen on the silver dev landed labels, reported on silver test.

    .venv/bin/python scripts/fit_landed.py            # fit, print figures, write nothing
    .venv/bin/python scripts/fit_landed.py --write    # also write lawgraph/nlp/patterns/landed_params.json

The check has two parts. The decree history is a gate: a site is a top-5 candidate whose article
holds a unit that a decree dated after the ask (within 12 years) enacted
(``link_landed.landing_sites``). The fitted score says whether that provision is the one the ask
is about, from how the ask and the enacted words match (rank, scores, covers, similarity).

Ranking (``--ranking``). The check reads the candidates in the order the suggestion page and
``suggest show`` list them ("shown": the learned reranker's order), so that its verdict speaks
of the provisions a person sees first; "linear" (the fusion's order) is the earlier choice, kept
to measure against.

Fit (the score). Every silver train ask (labelled or not: the question is which provision the
ask is about, which every ask answers) is ranked as ``lawgraph eval links --silver`` ranks it
(suggestion path, shipped weights); each of its top-5 candidates is a row, labelled 1 when its
article is one the ask names. The features of a candidate without a later change are measured on
its own text. The silver landed asks alone (4 in train) are too few to fit nine weights on; the
target articles of 520 asks are not. L2-regularised logistic regression by Newton's method on
standardised features; C chosen among ``C_GRID`` by the log-loss of the same rows of silver dev.

Threshold (the decision). An ask's score is its best site's probability (0 without a site). The
lowest threshold at which at most ``MAX_FALSE_LANDED`` (2 %, issue 10) of the silver train and
dev not-landed asks together are called landed (dev alone, 141 asks, lets the third-highest
negative set it). Reported on silver test: false-landed rate and landed recall
with a 95 % Wilson interval. The parameter file records command, seed, data hashes, counts and
figures.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lawgraph.config import get_settings  # noqa: E402
from lawgraph.corpus import sha256_file  # noqa: E402
from lawgraph.evaluation import silver as S  # noqa: E402
from lawgraph.evaluation.links import corpus_law_files  # noqa: E402
from lawgraph.nlp import link_score as LS  # noqa: E402
from lawgraph.nlp.link_landed import (  # noqa: E402
    DEFAULT_CHECK,
    FEATURES,
    LANDED_PARAMS_FILE,
    RANKINGS,
    LandedModel,
    landing_sites,
    suggestion_ranking,
)
from lawgraph.nlp.link_query import Query  # noqa: E402
from lawgraph.nlp.link_units import _unit_code_hash  # noqa: E402

SEED = 20261206          # no randomness in the fit; recorded so the file says so
MAX_FALSE_LANDED = 0.02  # issue 10, point 5
# Inverse L2 strength on standardised features: a decade grid around sklearn's default 1.0.
C_GRID = (0.01, 0.1, 1.0, 10.0)
NEWTON_STEPS = 50


def site_rows(index, asks, ranking: str):
    """Per ask: (ask, [(features, article named by the ask, changed after the ask)]), its
    candidates ranked as ``ranking`` says (``link_landed.RANKINGS``)."""
    check = DEFAULT_CHECK
    qs = [Query(a.id, "es", a.query, kind="sug", day=a.day) for a in asks]
    vecs = LS._encode_queries(index, [LS.strip_boilerplate(q.text) for q in qs])
    out = []
    for a, q, v in zip(asks, qs, vecs):
        sc = LS.score_units(index, q, v[None, :])
        cands, fused = suggestion_ranking(index, q, sc, 10, ranking)
        want = a.answer_keys()
        rows = [([s.features[f] for f in FEATURES], (s.unit.law_key.lower(), S.label(s.unit.article)) in want,
                 s.note is not None)
                for s in landing_sites(index, q, cands, check, fused, sc.parts["cos"], unchanged=True)]
        out.append((a, rows))
    return out


def fit_lr(X: np.ndarray, y: np.ndarray, C: float) -> tuple[np.ndarray, float]:
    """L2 logistic regression (intercept not penalised) by Newton's method."""
    n, d = X.shape
    sw = np.ones(n)
    Xb = np.hstack([X, np.ones((n, 1))])
    w = np.zeros(d + 1)
    reg = np.full(d + 1, 1.0 / C)
    reg[-1] = 0.0
    for _ in range(NEWTON_STEPS):
        p = 1 / (1 + np.exp(-(Xb @ w)))
        g = Xb.T @ (sw * (p - y)) + reg * w
        H = (Xb * (sw * p * (1 - p))[:, None]).T @ Xb + np.diag(reg) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def ask_scores(runs, model: LandedModel) -> list[tuple[bool, float]]:
    """(landed, best changed site's probability) of the labelled asks."""
    out = []
    for a, rows in runs:
        if a.landed is None:
            continue
        ps = [model.probability(dict(zip(FEATURES, x))) for x, _, changed in rows if changed]
        out.append((bool(a.landed), max(ps, default=0.0)))
    return out


def log_loss(Z: np.ndarray, y: np.ndarray, coef: np.ndarray, b: float) -> float:
    p = np.clip(1 / (1 + np.exp(-(Z @ coef + b))), 1e-9, 1 - 1e-9)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def threshold_for(scores: list[tuple[bool, float]]) -> float:
    """The lowest threshold calling at most MAX_FALSE_LANDED of the not-landed asks landed."""
    neg = sorted((s for y, s in scores if not y), reverse=True)
    allowed = int(MAX_FALSE_LANDED * len(neg))
    if allowed >= len(neg):
        return 0.0
    return float(np.nextafter(neg[allowed], 1.0))     # above the first negative that must stay out


def counts(scores, t: float) -> dict:
    tp = sum(1 for y, s in scores if y and s >= t)
    fn = sum(1 for y, s in scores if y and s < t)
    fp = sum(1 for y, s in scores if not y and s >= t)
    tn = sum(1 for y, s in scores if not y and s < t)
    return {"tp": tp, "fn": fn, "fp": fp, "tn": tn,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
            "recall_ci95": S.wilson(tp, tp + fn),
            "false_landed_rate": round(fp / (fp + tn), 4) if fp + tn else None}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help=f"write {LANDED_PARAMS_FILE.name}")
    ap.add_argument("--ranking", choices=RANKINGS, default="shown",
                    help="the candidates' order the check reads: as shown (reranked; default) or linear")
    args = ap.parse_args()
    t0 = time.perf_counter()
    settings = get_settings()
    index = LS.build_index(corpus_law_files(settings.mirror), cache_dir=settings.home / "cache")
    silver = S.build_silver(settings.mirror, index.units)
    runs = {sp: site_rows(index, [a for a in silver.asks if a.split == sp], args.ranking) for sp in S.SPLITS}
    n = {sp: {"asks": len(r), "rows": sum(len(rows) for _, rows in r),
              "rows_on_named_article": sum(t for _, rows in r for _, t, _c in rows),
              "landed": sum(a.landed is True for a, _ in r), "not_landed": sum(a.landed is False for a, _ in r),
              "landed_with_changed_site": sum(1 for a, rows in r if a.landed and any(c for _, _, c in rows)),
              "not_landed_with_changed_site": sum(1 for a, rows in r if a.landed is False and any(c for _, _, c in rows))}
         for sp, r in runs.items()}
    print(f"rows ranked in {time.perf_counter() - t0:.0f} s: {json.dumps(n)}", flush=True)

    def matrix(sp):
        X = np.array([x for _, rows in runs[sp] for x, _, _ in rows], dtype=np.float64)
        y = np.array([t for _, rows in runs[sp] for _, t, _ in rows], dtype=np.float64)
        return X, y

    X, y = matrix("train")
    Xd, yd = matrix("dev")
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    Z, Zd = (X - mean) / scale, (Xd - mean) / scale
    best = None
    for C in C_GRID:
        coef, b = fit_lr(Z, y, C)
        loss = log_loss(Zd, yd, coef, b)
        print(f"C={C}: dev log-loss {loss:.4f}", flush=True)
        if best is None or loss < best[0] - 1e-9:
            best = (loss, C, coef, b)
    _, C, coef, b = best
    model = LandedModel(tuple(float(v) for v in mean), tuple(float(v) for v in scale),
                        tuple(float(v) for v in coef), b, 0.0, args.ranking)
    # The threshold reads the not-landed asks of train and dev together. Dev alone holds 141,
    # of which 2 % allows two: the threshold then rests on the third-highest negative, and moved
    # from 0.16 to 0.37 between two rankings with the same test figures. Pooled, 560 asks allow
    # eleven. Train's landed labels are not what the regression is fitted on (it learns which
    # candidate is the named article), so they are unseen by the weights. Test stays apart.
    t = threshold_for(ask_scores(runs["train"], model) + ask_scores(runs["dev"], model))
    model = LandedModel(model.mean, model.scale, model.coef, model.intercept, t, args.ranking)
    figs = {sp: counts(ask_scores(runs[sp], model), t) for sp in S.SPLITS}
    print(f"chosen C={C}, threshold {t:.4f}: {json.dumps(figs)}", flush=True)
    out = {
        "command": f"python scripts/fit_landed.py --ranking {args.ranking} --write",
        "method": "L2 logistic regression (Newton) over the top-5 candidates' features, label = the "
                  "candidate's article is one the ask names, fitted on all silver train asks, C by silver dev "
                  "log-loss; threshold on the best changed site's probability chosen on the silver train and dev "
                  "landed labels (at most 2 % of their not-landed asks called landed); reported on silver test",
        "seed": SEED, "c_grid": list(C_GRID), "max_false_landed": MAX_FALSE_LANDED,
        "data": {"split_file_sha256": sha256_file(S.SPLIT_FILE),
                 "sitl_records_sha256": sha256_file(settings.mirror / S.SITL_DIR / "sitl_lxvi_iniciativas_por_comision.jsonl"),
                 "unit_code": _unit_code_hash(),
                 "units_sha256": hashlib.sha256("".join(sorted(u.uid for u in index.units)).encode()).hexdigest()[:24],
                 "linker_params_sha256": sha256_file(LS.PARAMS_FILE),
                 "rows": n},
        "model": {"features": list(FEATURES), "mean": list(model.mean), "scale": list(model.scale),
                  "coef": [round(v, 6) for v in model.coef], "intercept": round(model.intercept, 6),
                  "threshold": model.threshold, "C": C, "ranking": args.ranking},
        "figures": figs,
        "seconds": round(time.perf_counter() - t0),
    }
    out["model"]["coef"] = [float(v) for v in model.coef]
    out["model"]["intercept"] = float(model.intercept)
    print(json.dumps({k: v for k, v in out.items() if k != "data"}, indent=1))
    if args.write:
        LANDED_PARAMS_FILE.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        print(f"written: {LANDED_PARAMS_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
