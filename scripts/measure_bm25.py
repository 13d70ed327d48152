"""BM25's k1 and b, measured on silver for both paths: why the linker keeps the textbook values.

The lexical tables (units, their contexts, whole articles) score with the k1 and b of the path's
weights (``FusionWeights.k1`` / ``b``; 1.2 / 0.75, Robertson & Zaragoza 2009). Fitted by
coordinate ascent on silver train (session 14), lower values won on train and dev and on test.
This script shows what the gain is made of: for each (k1, b) of the grid, with every other
weight as shipped, it prints per silver split and path

* the plain MRR@10 / recall@5 of the fit's ranking (``fit_linker.Signals``, whole text);
* the same with each answer law counted the same (each ask weighted by 1 / the asks of its
  answer law in the split: the silver answers are 54 % constitutional, the recommendations'
  are mostly not, docs/linking.md "How far the silver asks stand from the recommendations");
* the MRR of the asks whose answer is in the Constitution and of those in the LGAMVLV.

    .venv/bin/python scripts/measure_bm25.py                 # both paths, the default grid
    .venv/bin/python scripts/measure_bm25.py --path rec --k1 0.9 1.2 --b 0.3 0.75

Measurement only: it writes nothing. About a minute (66 s for the default grid) on the shared
2-core machine with a warm cache.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import fit_linker as F  # noqa: E402

from lawgraph.config import get_settings  # noqa: E402
from lawgraph.evaluation import links as E  # noqa: E402
from lawgraph.evaluation import silver as S  # noqa: E402
from lawgraph.nlp import link_score as LS  # noqa: E402

SPLITS = ("train", "dev", "test")
SHOWN_LAWS = ("cpeum", "lgamvlv")


def figures(asks, ranks: list[int | None]) -> dict:
    """Plain (MRR@10, recall@5), law-balanced, and the MRR of the Constitution's and the
    LGAMVLV's asks (``silver.law_figures``, which ``lawgraph eval links --silver`` reports too)."""
    lf = S.law_figures(asks, ranks)
    lb = lf["law_balanced"]
    return {"plain": F.mrr_recall(ranks), "law_balanced": (lb["mrr"], lb["recall@5"]),
            **{f"mrr_{law}": tuple(lf["mrr_by_law"][law]) for law in SHOWN_LAWS if law in lf["mrr_by_law"]}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--path", choices=["rec", "sug", "both"], default="both")
    ap.add_argument("--k1", type=float, nargs="+", default=[0.5, 0.9, 1.2, 1.6])
    ap.add_argument("--b", type=float, nargs="+", default=[0.3, 0.5, 0.75, 0.9])
    args = ap.parse_args()
    t0 = time.perf_counter()
    settings = get_settings()
    index = LS.build_index(E.corpus_law_files(settings.mirror), cache_dir=settings.home / "cache")
    silver = S.build_silver(settings.mirror, index.units)
    out: dict = {}
    for kind in (("rec", "sug") if args.path == "both" else (args.path,)):
        shipped = asdict(LS.REC_WEIGHTS if kind == "rec" else LS.ASK_WEIGHTS)
        rows = out[kind] = {}
        for sp in SPLITS:
            asks = [a for a in silver.asks if a.split == sp]
            sig = F.Signals(index, asks, kind)
            for k1 in args.k1:
                for b in args.b:
                    key = f"k1 {k1} b {b}" + (" (shipped)" if (k1, b) == (shipped["k1"], shipped["b"]) else "")
                    got = figures(asks, sig.ranks({**shipped, "k1": k1, "b": b}))
                    rows.setdefault(key, {})[sp] = got
                    print(f"{kind} {sp} {key}: {got}", flush=True)
    out["as"] = "plain and law_balanced: [MRR@10, recall@5]; mrr_<law>: [MRR@10, asks]"
    out["seconds"] = round(time.perf_counter() - t0)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
