"""Speed of the Word readers on the corpus's Word files: lines/s of each reader alone and of
reader + structurer (parse_word), best of N runs. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_word.py [--runs 3]
"""
from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from lawgraph.ingest.word import doc_lines, docx_lines, parse_word

SNAPSHOT = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "laws" / "federal_bajalabs_2025-08"


def best(fn, runs: int) -> tuple[float, object]:
    out, t_best = None, float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        t_best = min(t_best, time.perf_counter() - t0)
    return t_best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    files = sorted(SNAPSHOT.glob("*_document.docx"))
    if shutil.which("antiword"):
        files += sorted(SNAPSHOT.glob("*_document.doc"))
    else:
        print("antiword is not installed: .doc files skipped")
    totals = {"lines": 0, "read_s": 0.0, "parse_s": 0.0, "bytes": 0}
    print(f"{'file':<24} {'lines':>6} {'read s':>8} {'lines/s':>9} {'parse s':>8} {'lines/s':>9}")
    for f in files:
        reader = docx_lines if f.suffix == ".docx" else doc_lines
        t_read, lines = best(lambda: reader(f), args.runs)
        t_parse, _ = best(lambda: parse_word(f), args.runs)
        n = len(lines)
        print(f"{f.name:<24} {n:>6} {t_read:>8.3f} {n / t_read:>9.0f} {t_parse:>8.3f} {n / t_parse:>9.0f}")
        totals["lines"] += n
        totals["read_s"] += t_read
        totals["parse_s"] += t_parse
    if totals["lines"]:
        print(f"{'all':<24} {totals['lines']:>6} {totals['read_s']:>8.3f} "
              f"{totals['lines'] / totals['read_s']:>9.0f} {totals['parse_s']:>8.3f} "
              f"{totals['lines'] / totals['parse_s']:>9.0f}")


if __name__ == "__main__":
    main()
