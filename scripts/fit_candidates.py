"""Fit the score above which a recommendation's link candidate is shown as one (issue 10, point 4):
a recommendation gets as many candidates as pass it, and zero is a valid answer.

    .venv/bin/python scripts/fit_candidates.py            # print figures
    .venv/bin/python scripts/fit_candidates.py --write    # update "candidates" in lawgraph/nlp/patterns/asks_params.json

There are no silver recommendations; the silver asks (SITL initiatives, ``lawgraph.evaluation.
silver``) are ranked here as recommendations are (``kind="rec"``: the recommendation weights and
lifts), and each of their top 10 candidates is right when its article is one the ask names. The
threshold is the lowest score on a 0.05 grid at which at least ``MIN_PRECISION`` of the silver
train candidates scoring at least that much are right (stated: one in five shown candidates
right, where all ten give about one in eleven); reported on silver dev with the candidates per ask.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lawgraph.config import get_settings  # noqa: E402
from lawgraph.evaluation import silver as S  # noqa: E402
from lawgraph.evaluation.links import corpus_law_files  # noqa: E402
from lawgraph.nlp import link as L  # noqa: E402
from lawgraph.nlp.asks import write_params  # noqa: E402

MIN_PRECISION = 0.2
GRID = [round(1.0 + 0.05 * i, 2) for i in range(31)]


def scored(index, asks):
    by = {u.uid: u for u in index.units}
    b = L.link_many(index, [L.Query(a.id, "es", a.query, kind="rec") for a in asks], k=10)
    rows = []
    for a in asks:
        want = {(t["law"], S.label(t["article"])) for t in a.targets}
        for c in b.candidates.get(a.id, []):
            u = by[c.to_id]
            rows.append((c.score, (u.law_key.lower(), S.label(u.article)) in want))
    return rows


def figures(rows, n_asks, t):
    sel = [y for s, y in rows if s >= t]
    return {"threshold": t, "shown": len(sel), "per_ask": round(len(sel) / max(1, n_asks), 2),
            "precision": round(sum(sel) / len(sel), 3) if sel else None, "precision_ci95": S.wilson(sum(sel), len(sel))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    settings = get_settings()
    index = L.build_index(corpus_law_files(settings.mirror), cache_dir=settings.home / "cache")
    silver = S.build_silver(settings.mirror, index.units)
    split = {sp: [a for a in silver.asks if a.split == sp] for sp in ("train", "dev")}
    rows = {sp: scored(index, asks) for sp, asks in split.items()}
    t = next((g for g in GRID if (f := figures(rows["train"], len(split["train"]), g))["precision"] is not None
              and f["precision"] >= MIN_PRECISION), None)
    if t is None:
        print("no threshold on the grid reaches the precision on train")
        return 1
    figs = {sp: figures(rows[sp], len(split[sp]), t) for sp in rows}
    block = {"command": "python scripts/fit_candidates.py --write", "threshold": t,
             "min_precision": MIN_PRECISION, "ranked_as": "recommendation (kind='rec')",
             "figures": figs, "all_ten_precision": {sp: round(sum(y for _, y in r) / max(1, len(r)), 3)
                                                    for sp, r in rows.items()},
             "split_file_sha256": hashlib.sha256(S.SPLIT_FILE.read_bytes()).hexdigest()}
    print(json.dumps(block, indent=1))
    if args.write:
        print(f"written: {write_params('candidates', block)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
