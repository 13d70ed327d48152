"""Benchmark (issue 11, point 6): `lawgraph parse FILE --json` against raw pypdfium2 text extraction.

    .venv/bin/python benchmarks/bench_parse_vs_raw.py [--repeat 1]

Over every PDF of the manifests (federal LeyesBiblio and Durango state files), in the same run
and the same process, one file after the other:

* raw: pypdfium2 opens the file and reads every page's text (``get_text_range``), nothing else;
* parse: what `lawgraph parse FILE --json` does after start-up: ``pipeline.parse_file`` (profile
  chosen from the manifest, extraction with layout, furniture, structure) plus the decrees'
  operations and the JSON serialisation.

Prints per file and in total the pages, seconds and pages/s of both, and the ratio
parse / raw (target >= 0.5). Times are this process's CPU seconds (``time.process_time``):
the machine is shared, and wall time there measures the neighbours; both paths run in this
one process (pdfium single-threaded). Process start-up is excluded from both (the same ~0.8 s
for any command). No assertion: the figures are the result.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lawgraph import corpus  # noqa: E402
from lawgraph.config import get_settings  # noqa: E402


def pdfs() -> list[Path]:
    settings = get_settings()
    return [corpus.resolve(d, settings) for d in corpus.load_all() if d.format == "pdf"]


def raw(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        n = len(doc)
        for i in range(n):
            page = doc[i]
            tp = page.get_textpage()
            tp.get_text_range()
            tp.close()
            page.close()
        return n
    finally:
        doc.close()


def parse_json(path: Path) -> int:
    from lawgraph.cli import _decree_operations
    from lawgraph.export import parsed_to_json
    from lawgraph.pipeline import parse_file

    parsed = parse_file(path)
    json.dumps(parsed_to_json(parsed, operations=_decree_operations(parsed)), ensure_ascii=False, default=str)
    return parsed.pages or 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    files = pdfs()
    parse_json(files[0])                  # imports and catalogues loaded once, outside the timing
    tot = {"pages": 0, "raw": 0.0, "parse": 0.0}
    print(f"{'file':48} {'pages':>5} {'raw s':>7} {'raw p/s':>8} {'parse s':>8} {'parse p/s':>9} {'ratio':>6}")
    for path in files:
        best_raw = best_parse = float("inf")
        pages = 0
        for _ in range(args.repeat):
            t = time.process_time()
            pages = raw(path)
            best_raw = min(best_raw, time.process_time() - t)
            t = time.process_time()
            parse_json(path)
            best_parse = min(best_parse, time.process_time() - t)
        tot["pages"] += pages
        tot["raw"] += best_raw
        tot["parse"] += best_parse
        print(f"{path.parent.name + '/' + path.name:48} {pages:5d} {best_raw:7.2f} {pages / best_raw:8.0f} "
              f"{best_parse:8.2f} {pages / best_parse:9.0f} {best_raw / best_parse:6.2f}")
    rp, pp = tot["pages"] / tot["raw"], tot["pages"] / tot["parse"]
    print(f"{'TOTAL':48} {tot['pages']:5d} {tot['raw']:7.2f} {rp:8.0f} {tot['parse']:8.2f} {pp:9.0f} {pp / rp:6.2f}")
    print(f"parse --json runs at {pp / rp:.2f}x the pages/s of raw pypdfium2 extraction (target >= 0.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
