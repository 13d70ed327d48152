"""Does a staged unit cost more the more units came before it? (issue 14, point 6; prints
figures, asserts nothing).

    .venv/bin/python benchmarks/bench_staged_units.py --units 30 --mode keep
    .venv/bin/python benchmarks/bench_staged_units.py --units 30 --mode discard
    .venv/bin/python benchmarks/bench_staged_units.py --units 50 --mode alternate

Each unit is one synthetic copy of the corpus (``bench_scale.write_copy``) written into the
staged build's scratch graph, read back and encoded, exactly as ``lawgraph.graph.staged`` does.
``--mode keep`` keeps every unit in the encoder (a real staged build: the node map, and with
``--in-memory`` the encoded units, grow with the units); ``--mode discard`` starts a fresh
encoder for every unit, so nothing the build holds grows. If the cost per unit rose because of what the build keeps, only ``keep`` would
rise; a rise that ``discard`` shows as much belongs to the machine (the 2-core machine's speed
wanders by +-15 % over minutes, measured with both modes back to back).

``--mode alternate`` is the paired control: before or after each unit of a real staged build
(``keep``), the same unit runs in a process and a FalkorDB server that have done nothing else
(forked from a template process made before the build began, so it starts where the build's
first unit started). The machine's drift then touches both sides of a pair alike, and the slope
of the ratio build / fresh is what the build's own history adds per unit, per phase as well.

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
import json
import multiprocessing
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


def _unit(build: StagedBuild, pid: int, laws, proposals, k: int) -> dict:
    """One unit, the steps of ``StagedBuild.unit`` timed one by one."""
    scratch = build.scratch
    flt0, sflt0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt, _server_faults(pid)
    t0, c0, s0, o0 = time.perf_counter(), time.process_time(), _cpu_s(pid), _own_cpu_s(pid)
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
    return {
        "k": k, "wall": t4 - t0, "server": s4 - s0, "own": o4 - o0, "server_writing": s1 - s0,
        "client": c4 - c0, "writing": c1 - c0, "reading": c2 - c1, "encoding": c3 - c2,
        "faults": resource.getrusage(resource.RUSAGE_SELF).ru_minflt - flt0,
        "server_faults": _server_faults(pid) - sflt0,
        "rss": _rss_mb(os.getpid()), "server_rss": _rss_mb(pid),
        "total": (s4 - s0) + (c4 - c0),
    }


def _print_unit(label: str, u: dict) -> None:
    print(f"{label} unit {u['k']:3d}: {u['wall']:5.1f} s wall; server CPU {u['server']:5.1f} s (own "
          f"{u['own']:4.1f}, writing {u['server_writing']:4.1f}); client CPU {u['client']:5.1f} s (writing "
          f"{u['writing']:4.1f}, reading back {u['reading']:4.1f}, encoding {u['encoding']:4.1f}); minor "
          f"faults client {u['faults'] / 1e3:,.0f}k, server {u['server_faults'] / 1e3:,.0f}k; "
          f"RSS client {u['rss']:,.0f} MB, server {u['server_rss']:,.0f} MB", flush=True)


def _fresh_unit(laws, proposals, k: int, spill: bool) -> dict:
    """Unit ``k`` in a process and server that have done nothing else (the control)."""
    with tempfile.TemporaryDirectory(prefix="bench-staged-fresh-") as tmp:
        server, store, pid, _ = _open("falkordb", Path(tmp))
        try:
            build = StagedBuild(FalkorDBStore(store.client, graph="staged"),
                                spill_dir=Path(tmp) / "spill" if spill else None)
            u = _unit(build, pid, laws, proposals, k)
            build.encoder.close()
            return u
        finally:
            server.stop()


def _fresh_units(conn, laws, proposals, spill: bool) -> None:
    """The template process: forked before the build holds anything, it forks once more for every
    fresh unit asked for, so each control starts from the same state as the build's first unit."""
    while (k := conn.recv()) is not None:
        r, w = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(r)
            try:
                data = json.dumps(_fresh_unit(laws, proposals, k, spill)).encode()
            except BaseException as exc:  # the parent reports it; a stray exit would hang it
                data = json.dumps({"error": repr(exc)}).encode()
            with os.fdopen(w, "wb") as out:
                out.write(data)
            os._exit(0)
        os.close(w)
        with os.fdopen(r, "rb") as inp:
            data = inp.read()
        os.waitpid(child, 0)
        conn.send(json.loads(data) if data else {"error": "the fresh unit's process died"})


def _control(conn, k: int) -> dict:
    """Unit ``k`` run fresh by the template process (``_fresh_units``)."""
    conn.send(k)
    u = conn.recv()
    if "error" in u:
        raise SystemExit(f"fresh unit {k}: {u['error']}")
    return u


def _summary(label: str, totals: list[float]) -> None:
    b, lo, hi = slope_pct(totals)
    first, last = statistics.fmean(totals[:5]), statistics.fmean(totals[-5:])
    print(f"{label}, {len(totals)} units: {statistics.fmean(totals):.3f} per unit; slope {b:+.2f} % of "
          f"that per unit (95 % interval {lo:+.2f} to {hi:+.2f}); first five {first:.3f}, last five "
          f"{last:.3f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=30)
    ap.add_argument("--mode", choices=["keep", "discard", "alternate"], default="keep")
    ap.add_argument("--pause-at", type=int, default=0)
    ap.add_argument("--in-memory", action="store_true",
                    help="keep the encoded units in memory (before session 9) instead of in a file")
    args = ap.parse_args()
    laws, proposals = read_corpus()
    fresh = None
    if args.mode == "alternate":
        conn, child_conn = multiprocessing.get_context("fork").Pipe()
        fresh = multiprocessing.get_context("fork").Process(
            target=_fresh_units, args=(child_conn, laws, proposals, not args.in_memory), daemon=True)
        fresh.start()
    kept: list[dict] = []
    controls: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-staged-units-") as tmp:
        server, store, pid, _ = _open("falkordb", Path(tmp))
        try:
            spill = None if args.in_memory else Path(tmp) / "spill"
            build = StagedBuild(FalkorDBStore(store.client, graph="staged"), spill_dir=spill)
            for k in range(1, args.units + 1):
                if k == args.pause_at:
                    time.sleep(90)
                if args.mode == "discard":
                    build.encoder.close()
                    build.encoder = BulkEncoder(spill)
                # alternate: the control runs before the build's unit on odd k, after it on even k
                # (ABBA), so a drift of the machine within a pair cancels over two pairs.
                if fresh is not None and k % 2:
                    controls.append(_control(conn, k))
                kept.append(_unit(build, pid, laws, proposals, k))
                _print_unit("keep" if fresh is not None else args.mode, kept[-1])
                if fresh is not None and not k % 2:
                    controls.append(_control(conn, k))
                if fresh is not None:
                    _print_unit("fresh", controls[-1])
                    print(f"  ratio {kept[-1]['total'] / controls[-1]['total']:.3f} (build / fresh, "
                          f"server + client CPU)", flush=True)
        finally:
            server.stop()
            if fresh is not None:
                conn.send(None)
                fresh.join()
    print()
    _summary(f"{'keep' if fresh is not None else args.mode}, CPU-s (server + client)",
             [u["total"] for u in kept])
    if fresh is not None:
        _summary("fresh, CPU-s (server + client)", [u["total"] for u in controls])
        _summary("build / fresh, ratio", [a["total"] / b["total"] for a, b in zip(kept, controls)])
        for phase in ("server", "writing", "reading", "encoding"):
            _summary(f"build / fresh, {phase}", [a[phase] / b[phase] for a, b in zip(kept, controls)])


if __name__ == "__main__":
    main()
