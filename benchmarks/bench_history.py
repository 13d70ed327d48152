"""Benchmark: decree operations and the Constitution's history into the graph; SITL into the graph.

    .venv/bin/python benchmarks/bench_history.py [--mirror DIR]

Prints figures (no pass/fail), each on an empty embedded FalkorDB started for the run:

1. every amendment clause of every federal corpus law parsed into operations (the laws'
   reform-decree sections read by the LeyesBiblio parser first, timed apart), plus the
   Constitution's history rebuilt from its decree diffs and loaded as provision versions
   (target: clauses + history < 30 s);
2. the 5,840 SITL records (and the raw pages) read into proposals and loaded into the graph
   (target: < 20 s), then re-loaded unchanged.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from lawgraph.catalog import load_catalog
from lawgraph import corpus
from lawgraph.config import Settings, default_mirror
from lawgraph.graph.falkordb_backend import FalkorDBStore
from lawgraph.graph.falkordb_server import EmbeddedFalkorDB
from lawgraph.graph.history import load_cpeum_history
from lawgraph.steps import ingest_process, load_proposals
from lawgraph.ingest.cpeum_history import read_history
from lawgraph.nlp.amendments import parse_decree
from lawgraph.pipeline import parse_file


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror", type=Path, default=default_mirror())
    args = ap.parse_args(argv)
    mirror: Path = args.mirror
    if mirror is None or not mirror.is_dir():
        print("no se encontró el espejo del corpus (--mirror)", file=sys.stderr)
        return 2
    pdfs = corpus.files(fmt="pdf", profile="leyesbiblio", settings=Settings(mirror=mirror))

    t = time.perf_counter()
    decrees = []
    for pdf in pdfs:
        decrees.extend(parse_file(pdf).decrees)
    t_docs = time.perf_counter() - t
    names = load_catalog()
    t = time.perf_counter()
    n_ops = n_problems = 0
    for d in decrees:
        res = parse_decree(d.title, d.clause, names=names)
        n_ops += len(res.operations)
        n_problems += len(res.problems)
    t_clauses = time.perf_counter() - t
    print(f"documentos: {len(pdfs)} PDF leídos en {t_docs:.2f} s (aparte)")
    print(f"cláusulas: {len(decrees)} decretos -> {n_ops} operaciones ({n_problems} avisos) en "
          f"{t_clauses:.2f} s ({len(decrees) / t_clauses:.0f} cláusulas/s)")

    with tempfile.TemporaryDirectory() as home:
        server = EmbeddedFalkorDB(Path(home))
        server.start()
        try:
            store = FalkorDBStore(server.client(), graph="bench_history")
            t = time.perf_counter()
            hist = read_history(mirror / "reforms" / "cpeum_git_history")
            t_read = time.perf_counter() - t
            t = time.perf_counter()
            rep = load_cpeum_history(store, hist)
            t_load = time.perf_counter() - t
            states = sum(len(v) for v in hist.states.values())
            print(f"historia CPEUM: {len(hist.commits)} decretos, {states} versiones de artículo; "
                  f"reconstrucción {t_read:.2f} s, carga {t_load:.2f} s ({rep.versions} versiones, "
                  f"{rep.total('inserted')} nodos)")
            total = t_clauses + t_read + t_load
            print(f"TOTAL cláusulas + historia: {total:.2f} s (objetivo < 30 s)")

            store = FalkorDBStore(server.client(), graph="bench_process")
            t = time.perf_counter()
            ing, prep, _join = ingest_process(store, mirror / "process" / "sitl_diputados_lxvi")
            t_all = time.perf_counter() - t
            elements = prep.total("inserted") + prep.relationships_created
            print(f"SITL: {ing.n_records} registros -> {len(ing.proposals)} propuestas; grafo "
                  f"{prep.seconds:.2f} s ({elements / prep.seconds:.0f} elementos/s), lectura "
                  f"{t_all - prep.seconds:.2f} s")
            print(f"TOTAL SITL al grafo: {t_all:.2f} s (objetivo < 20 s)")
            t = time.perf_counter()
            again = load_proposals(store, ing.proposals, problems=ing.problems)
            print(f"SITL recarga sin cambios: {time.perf_counter() - t:.2f} s (sin cambios: {again.unchanged})")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
