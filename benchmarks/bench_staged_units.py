"""Does a staged unit cost more the more units came before it? (issue 14, point 6; prints
figures, asserts nothing).

    .venv/bin/python benchmarks/bench_staged_units.py --units 30 --mode keep
    .venv/bin/python benchmarks/bench_staged_units.py --units 30 --mode discard

Each unit is one synthetic copy of the corpus (``bench_scale.write_copy``) written into the
staged build's scratch graph, read back and encoded, exactly as ``lawgraph.graph.staged`` does.
``--mode keep`` keeps every unit in the encoder (a real staged build: the node map, and with
``--in-memory`` the encoded units, grow with the units); ``--mode discard`` starts a fresh
encoder for every unit, so nothing the build holds grows. If the cost per unit rose because of what the build keeps, only ``keep`` would
rise; a rise that ``discard`` shows as much belongs to the machine (the 2-core machine's speed
wanders by +-15 % over minutes, measured with both modes back to back).

Per unit: wall time; the server's CPU (its own, and its reaped log-rewrite children) and this
process's, each split into writing (the loader's statements), reading back and encoding; minor
page faults of both. At the end: the slope of the per-unit CPU (server + client) against the
unit's number, in percent of the mean per unit, with a bootstrap 95 % interval (2,000
resamples of the units, seed fixed; the units' noise is correlated in time, so the interval is
narrower than the truth). ``--pause-at K`` sleeps 90 s before unit K (a machine that slows under
sustained load recovers there).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_backends import _cpu_s, _open, _own_cpu_s, _proc_stat, slope_pct  # noqa: E402
from bench_scale import _rss_mb, read_corpus, write_copy  # noqa: E402

from lawgraph.graph.falkordb_backend import FalkorDBStore  # noqa: E402
from lawgraph.graph.falkordb_bulk import BulkEncoder  # noqa: E402
from lawgraph.graph.staged import StagedBuild  # noqa: E402
from lawgraph.graph.transfer import read_graph  # noqa: E402

def _server_faults(pid: int) -> int:
    """Minor page faults of the server process (/proc/<pid>/stat field 10)."""
    return int(_proc_stat(pid)[7])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=30)
    ap.add_argument("--mode", choices=["keep", "discard"], default="keep")
    ap.add_argument("--pause-at", type=int, default=0)
    ap.add_argument("--in-memory", action="store_true",
                    help="keep the encoded units in memory (before session 9) instead of in a file")
    args = ap.parse_args()
    laws, proposals = read_corpus()
    totals: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-staged-units-") as tmp:
        server, store, pid, _ = _open("falkordb", Path(tmp))
        try:
            spill = None if args.in_memory else Path(tmp) / "spill"
            build = StagedBuild(FalkorDBStore(store.client, graph="staged"), spill_dir=spill)
            scratch = build.scratch
            for k in range(1, args.units + 1):
                if k == args.pause_at:
                    time.sleep(90)
                if args.mode == "discard":
                    build.encoder.close()
                    build.encoder = BulkEncoder(spill)
                flt0, sflt0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt, _server_faults(pid)
                t0, c0, s0, o0 = time.perf_counter(), time.process_time(), _cpu_s(pid), _own_cpu_s(pid)
                # The steps of StagedBuild.unit, timed one by one.
                scratch.clear()
                scratch.ensure_schema()
                write_copy(scratch, laws, proposals, k)
                scratch.flush()
                c1, s1 = time.process_time(), _cpu_s(pid)
                nodes, rels = read_graph(scratch)
                c2 = time.process_time()
                build.encoder.add(nodes, rels)
                del nodes, rels
                c3 = time.process_time()
                scratch.clear()
                t4, c4, s4, o4 = time.perf_counter(), time.process_time(), _cpu_s(pid), _own_cpu_s(pid)
                flt = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - flt0
                totals.append((s4 - s0) + (c4 - c0))
                print(f"{args.mode} unit {k:3d}: {t4 - t0:5.1f} s wall; server CPU {s4 - s0:5.1f} s (own "
                      f"{o4 - o0:4.1f}, writing {s1 - s0:4.1f}); client CPU {c4 - c0:5.1f} s (writing "
                      f"{c1 - c0:4.1f}, reading back {c2 - c1:4.1f}, encoding {c3 - c2:4.1f}); minor "
                      f"faults client {flt / 1e3:,.0f}k, server {(_server_faults(pid) - sflt0) / 1e3:,.0f}k; "
                      f"RSS client {_rss_mb(os.getpid()):,.0f} MB, server {_rss_mb(pid):,.0f} MB",
                      flush=True)
        finally:
            server.stop()
    b, lo, hi = slope_pct(totals)
    first, last = statistics.fmean(totals[:5]), statistics.fmean(totals[-5:])
    print(f"\n{args.mode}, {len(totals)} units: {statistics.fmean(totals):.2f} CPU-s per unit (server + "
          f"client); slope {b:+.2f} % of that per unit (95 % interval {lo:+.2f} to {hi:+.2f}); first five "
          f"{first:.1f}, last five {last:.1f}", flush=True)


if __name__ == "__main__":
    main()
