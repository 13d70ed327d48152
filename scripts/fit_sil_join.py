"""Fit the SIL <-> SITL join threshold on the corpus (no eval answers read).

For every SIL iniciativa, the best title score among SITL proposals presented within the date
window is its candidate score; the best score among SITL proposals presented 57-67 days away is
an impostor score (both systems record the presentation day, so those are never the same
initiative). Prints both distributions, the threshold (the smallest score whose expected false
joins are at most MAX_FALSE of the joins it makes) and the day differences of the pairs it joins.

    .venv/bin/python scripts/fit_sil_join.py [MIRROR]
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from lawgraph.ingest.sil import ingest_sil, to_proposal
from lawgraph.ingest.sitl import ingest_snapshot
from lawgraph.nlp.sil_join import JOIN_THRESHOLD, best_matches


MAX_FALSE = 0.02   # at most 2 % of the joins expected false: one advocacy page in fifty may show a wrong Senate path


def quantile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main(mirror: Path) -> None:
    sitl = ingest_snapshot(mirror / "process" / "sitl_diputados_lxvi").proposals
    sil = [to_proposal(i) for i in ingest_sil(mirror / "process" / "semaforo-legislativo").instruments]
    real = best_matches(sitl, sil)
    fake = [m for shift in (60, 64) for m in best_matches(sitl, sil, shift_days=shift)]
    fs = [m[2] for m in fake]
    print(f"SITL proposals {len(sitl)}, SIL instruments {len(sil)}, "
          f"iniciativas with a dated candidate {len(real)}, impostor draws {len(fs)}")
    for q in (0.5, 0.9, 0.99, 0.999, 1.0):
        print(f"impostor best score q{q:<5}: {quantile(fs, q):6.1f}")
    # Expected false joins at threshold t: each candidate's best score is an impostor's with
    # probability P(impostor >= t); the threshold is the smallest t whose expected false joins
    # are at most MAX_FALSE of the joins it makes.
    thr = None
    print(" t  P(impostor>=t)  joins  expected false")
    for t in range(70, 101):
        p = sum(f >= t for f in fs) / len(fs)
        n = sum(m[2] >= t for m in real)
        exp = p * len(real)
        print(f"{t:3d}  {p:13.4f}  {n:5d}  {exp:8.1f}")
        if thr is None and n and exp <= MAX_FALSE * n:
            thr = t
    print(f"fitted threshold: {thr}  (in code: {JOIN_THRESHOLD})")
    rs = [m[2] for m in real]
    hist = Counter(int(s // 10) * 10 for s in rs)
    print("candidate best scores by decile:", dict(sorted(hist.items())))
    joined = [m for m in real if m[2] >= thr]
    print(f"candidates >= threshold: {len(joined)}; day differences:",
          dict(sorted(Counter(m[3] for m in joined).items())))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora")
