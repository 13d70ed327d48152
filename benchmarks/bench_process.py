"""Benchmark: amendment clauses of the whole corpus, and the SITL records.

    .venv/bin/python benchmarks/bench_process.py [--mirror DIR]

Prints figures (no pass/fail): time to read every reform-decree entry of every federal corpus
PDF (with the LeyesBiblio parser when present, else the pdfplumber text) and to parse all
their clauses into operations (target: < 30 s together); time to ingest the 5,840 SITL
records into proposals, catalogue included (target: < 20 s); and the SITL HTML pages.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from lawgraph.catalog import LawCatalog
from lawgraph import corpus
from lawgraph.config import Settings, default_mirror
from lawgraph.evaluation.decree_source import load_decrees
from lawgraph.ingest.sitl import ingest_html_dir, ingest_records
from lawgraph.nlp.amendments import parse_decree


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror", type=Path, default=default_mirror())
    args = ap.parse_args(argv)
    mirror: Path = args.mirror
    if mirror is None or not mirror.is_dir():
        print("no se encontró el espejo del corpus (--mirror)", file=sys.stderr)
        return 2

    pdfs = corpus.files(fmt="pdf", profile="leyesbiblio", settings=Settings(mirror=mirror))
    c0 = time.process_time()
    t0 = time.perf_counter()
    entries = []
    for pdf in pdfs:
        try:
            entries.extend(load_decrees(pdf))
        except Exception as exc:  # a file the current parser rejects: say so, go on
            print(f"  {pdf.name}: {exc}")
    t1 = time.perf_counter()
    n_ops = n_problems = n_clauses = 0
    for d in entries:
        if getattr(d, "kind", "decreto") != "decreto":
            continue
        res = parse_decree(d.title, d.clause)
        n_clauses += 1
        n_ops += len(res.operations)
        n_problems += bool(res.problems)
    t2 = time.perf_counter()
    print(f"amendment clauses: {len(pdfs)} PDFs, {n_clauses} decree clauses, {n_ops} operations, "
          f"{n_problems} clauses with a reported problem")
    print(f"  reading decree sections  {t1 - t0:7.2f} s")
    print(f"  parsing clauses          {t2 - t1:7.2f} s  ({n_clauses / max(t2 - t1, 1e-9):,.0f} clauses/s)")
    print(f"  total                    {t2 - t0:7.2f} s  (target < 30 s; CPU {time.process_time() - c0:.2f} s)")

    sitl = mirror / "process" / "sitl_diputados_lxvi"
    c0 = time.process_time()
    t0 = time.perf_counter()
    catalog = LawCatalog.from_mirror(mirror)
    t1 = time.perf_counter()
    res = ingest_records(sitl / "sitl_lxvi_iniciativas_por_comision.jsonl", catalog)
    t2 = time.perf_counter()
    n_targets = sum(len(p.targets) for p in res.proposals)
    resolved = sum(1 for p in res.proposals for t in p.targets if t.law_key)
    print(f"SITL records: {res.n_records} records -> {len(res.proposals)} proposals, {n_targets} targets "
          f"({resolved} resolved), {len(res.problems)} problems reported")
    print(f"  catalogue                {t1 - t0:7.2f} s  ({len(catalog.entries)} laws)")
    print(f"  records -> proposals     {t2 - t1:7.2f} s  ({res.n_records / max(t2 - t1, 1e-9):,.0f} records/s)")
    print(f"  total                    {t2 - t0:7.2f} s  (target < 20 s; CPU {time.process_time() - c0:.2f} s)")
    t0 = time.perf_counter()
    html = ingest_html_dir(sitl / "raw_html", catalog)
    t1 = time.perf_counter()
    print(f"SITL HTML pages: {html.n_records} entries -> {len(html.proposals)} proposals in {t1 - t0:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
