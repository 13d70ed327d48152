"""How fast ``compare`` answers on the built graph (issue 11: under a second). Prints figures.

Measures, on the configured store ($LAWGRAPH_HOME, after ``lawgraph build``):

1. reading every stored provision (named queries comparison_versions / comparison_units) and
   indexing them: what the first command after a new build pays once;
2. loading the cached index (what every later command pays) and answering ``compare``;
3. the whole ``lawgraph compare "CPF art 325" --json`` command as a person runs it (wall clock
   of a fresh process: interpreter start, imports, store, index, answer), best of --runs.

    .venv/bin/python scripts/bench_compare.py [--ref "CPF art 325"] [--runs 3]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", default="CPF art 325")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    from lawgraph import equivalences
    from lawgraph.comparison import compare
    from lawgraph.graph import open_store
    from lawgraph.nlp.equivalence import EquivalenceIndex

    with open_store() as store:
        t0 = time.perf_counter()
        items = equivalences.graph_provisions(store)
        t1 = time.perf_counter()
        EquivalenceIndex(items)
        t2 = time.perf_counter()
        print(f"provisions read from the graph: {len(items)} in {t1 - t0:.2f} s; indexed in {t2 - t1:.2f} s")
        equivalences.graph_index(store)            # make sure the cache exists
        equivalences._LOADED.clear()
        t3 = time.perf_counter()
        index = equivalences.graph_index(store)
        t4 = time.perf_counter()
        res = compare(index, args.ref)
        t5 = time.perf_counter()
        found = {j: (c.get("article"), c["verdict"]) for j, c in res["counterparts"].items()}
        print(f"cached index loaded (with the versions query) in {t4 - t3:.3f} s; compare answered in {t5 - t4:.3f} s: {found}")
    exe = Path(sys.executable).with_name("lawgraph")
    best = None
    for _ in range(args.runs):
        s = time.perf_counter()
        r = subprocess.run([str(exe), "compare", args.ref, "--json"], capture_output=True, text=True)
        w = time.perf_counter() - s
        if r.returncode != 0:
            print(r.stderr)
            return 1
        best = w if best is None else min(best, w)
    print(f"`lawgraph compare {args.ref!r} --json` wall clock, best of {args.runs}: {best:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
