"""Graph loading speed and memory on the real corpus (prints figures; asserts nothing).

    .venv/bin/python benchmarks/bench_load.py            # all corpus PDFs, then the CPEUM memory run
    .venv/bin/python benchmarks/bench_load.py --memory   # only the CPEUM memory run

1. Every LeyesBiblio PDF of the corpus is parsed first (not timed), then loaded into a fresh
   embedded FalkorDB store; the figure is graph elements (nodes + relationships written) per
   second of loading, per law and overall. Target: >= 20,000 elements/s. A second pass re-loads
   every document (all unchanged) and prints its time.
2. In a separate fresh process: parse and load the 402-page Constitution, and print the peak
   RSS of that Python process (getrusage RUSAGE_SELF) and, after the server is stopped, of the
   redis-server child (RUSAGE_CHILDREN). Target: < 1 GB.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lawgraph.graph.falkordb_server import EmbeddedFalkorDB  # noqa: E402
from lawgraph.graph.load import load_parsed_law  # noqa: E402
from lawgraph.ingest.leyesbiblio import parse_pdf  # noqa: E402

CORPORA = (REPO / ".." / "shared" / "corpora").resolve()
# (file, kind, key): keys as the catalogue spells them; the older snapshot is another version.
LAWS = [
    ("laws/federal/cpeum.pdf", "constitucion", "cpeum"),
    ("laws/federal/cpf.pdf", "codigo", "cpf"),
    ("laws/federal/lgamvlv.pdf", "ley", "lgamvlv"),
    ("laws/federal/lgra.pdf", "ley", "lgra"),
    ("laws/federal/lgipe.pdf", "ley", "lgipe"),
    ("laws/federal/lgpp.pdf", "ley", "lgpp"),
    ("laws/federal/lgdnna.pdf", "ley", "lgdnna"),
    ("laws/federal/lgv.pdf", "ley", "lgv"),
    ("laws/federal_bajalabs_2025-08/LGAMVLV_static.pdf", "ley", "lgamvlv"),
    ("laws/federal_bajalabs_2025-08/LGIMH_static.pdf", "ley", "lgimh"),
    ("laws/federal_bajalabs_2025-08/CPEUM_static.pdf", "constitucion", "cpeum"),
]


def _mb(kb: int) -> float:
    return kb / 1024  # ru_maxrss is in KiB on Linux


def _server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the redis-server process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def speed() -> None:
    parsed = []
    t = time.perf_counter()
    for rel, kind, key in LAWS:
        path = CORPORA / rel
        if path.exists():
            parsed.append((rel, kind, key, parse_pdf(path)))
    print(f"parsed {len(parsed)} documents in {time.perf_counter() - t:.1f} s (not counted below)")
    with tempfile.TemporaryDirectory() as home, EmbeddedFalkorDB(home) as server:
        store = server.store()
        store.ensure_schema()
        total_el = 0
        total_s = 0.0
        total_cpu = 0.0
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
              f"(other processes slow the wall-clock figure; the CPU figure is the work done)")
        print(f"{'document':52} {'nodes':>7} {'rels':>7} {'s':>6} {'elements/s':>10} {'el/CPU-s':>9}")
        for rel, kind, key, p in parsed:
            cpu0 = time.process_time() + _server_cpu(server.pid)
            r = load_parsed_law(store, p, jurisdiction="mx", kind=kind, key=key)
            cpu = time.process_time() + _server_cpu(server.pid) - cpu0
            nodes = r.total("inserted") + r.total("updated")
            el = nodes + r.relationships_created
            total_el += el
            total_s += r.seconds
            total_cpu += cpu
            print(f"{rel:52} {nodes:7d} {r.relationships_created:7d} {r.seconds:6.2f} "
                  f"{el / r.seconds:10,.0f} {el / max(cpu, 1e-9):9,.0f}")
        print(f"{'ALL (first load)':52} {total_el:15,d} {total_s:6.2f} {total_el / total_s:10,.0f} "
              f"{total_el / total_cpu:9,.0f}   target >= 20,000 elements/s")
        print("(el/CPU-s: elements per CPU-second of this process plus the redis-server)")
        t = time.perf_counter()
        unchanged = sum(
            load_parsed_law(store, p, jurisdiction="mx", kind=kind, key=key).unchanged_document
            for _, kind, key, p in parsed
        )
        print(f"re-load of all {len(parsed)} documents: {unchanged} reported unchanged in "
              f"{time.perf_counter() - t:.2f} s")


def memory() -> None:
    with tempfile.TemporaryDirectory() as home:
        server = EmbeddedFalkorDB(home).start()
        t = time.perf_counter()
        p = parse_pdf(CORPORA / "laws" / "federal" / "cpeum.pdf")
        r = load_parsed_law(server.store(), p, jurisdiction="mx", kind="constitucion", key="cpeum")
        secs = time.perf_counter() - t
        self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        server.stop()
        child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"CPEUM ({p.pages} pages): parsed and loaded in {secs:.2f} s; "
          f"{r.total('inserted')} nodes, {r.relationships_created} relationships")
    print(f"peak RSS  python process: {_mb(self_kb):7.1f} MB")
    print(f"peak RSS  redis-server:   {_mb(child_kb):7.1f} MB")
    print(f"peak RSS  sum:            {_mb(self_kb + child_kb):7.1f} MB   target < 1024 MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--memory", action="store_true", help="only the CPEUM memory run")
    args = ap.parse_args()
    if args.memory:
        memory()
        return
    speed()
    print()
    # A fresh process, so that the peak RSS is the Constitution's alone.
    subprocess.run([sys.executable, __file__, "--memory"], check=True)


if __name__ == "__main__":
    main()
