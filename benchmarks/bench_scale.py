"""Both backends at 1x, 10x and 50x today's corpus (issue 14, point 6; prints figures, asserts nothing).

    .venv/bin/python benchmarks/bench_scale.py                          # 1 10 50, both backends
    .venv/bin/python benchmarks/bench_scale.py --scales 1 10 --backends neo4j --reps 20
    .venv/bin/python benchmarks/bench_scale.py --budget-min 25           # per backend

The corpus is what ``lawgraph build`` loads: every law document of the manifests (federal and
state, ``plan_jobs(all_docs=True)``) with its decree operations, and the SITL snapshot of
proposals joined to the SIL. Everything is read and parsed once, before anything is timed.
Copy k > 1 is a synthetic jurisdiction (:mod:`lawgraph.synthetic`: the same documents and
proposals relabelled, every id built by :mod:`lawgraph.ids` from the copy's jurisdiction),
written through the normal write path: ``load_parsed_law``, ``steps.load_amendments``,
``steps.load_proposals``.

Each backend gets a fresh server and data directory; the scales are reached in increments
(copies 1, then 2-10, then 11-50) on the same store. After each increment it prints the
increment's ingest time and elements/s (nodes + relationships added, from the stores' own
counts, per second of wall time and of server CPU), the store size on disk, the server's
resident memory now and at its peak, and p50/p95 of every named query (its header example)
and of the main pages' reads, ``--reps`` runs each after one warm-up run (fewer, but at least
3, for a query whose runs pass ``--query-s`` seconds: at 10x a scan-heavy query takes seconds). Linear growth shows
as a flat elements/s across increments and bytes per element that do not rise.

``--staged``: FalkorDB's staged build (``lawgraph rebuild --staged``) instead, each copy one
unit; each scale is a whole build (every unit up to it and its ``GRAPH.BULK`` load), and its
elements per CPU-second count the server's CPU and this process's.

``--budget-min``: when the next increment, at the rate the last one measured, would take the
backend past this many minutes of loading, it is not run; the line says so and gives the
extrapolated time instead.
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

from bench_backends import PAGE_READS, _cpu_s, _du, _hwm_mb, _open, _own_cpu_s, _pct, slope_pct  # noqa: E402

from lawgraph import steps, synthetic  # noqa: E402
from lawgraph.config import get_settings  # noqa: E402
from lawgraph.graph import read  # noqa: E402
from lawgraph.graph.cypher import named_queries  # noqa: E402
from lawgraph.graph.falkordb_backend import FalkorDBStore  # noqa: E402
from lawgraph.graph.load import load_parsed_law  # noqa: E402
from lawgraph.graph.staged import StagedBuild  # noqa: E402
from lawgraph.ingestion import plan_jobs  # noqa: E402
from lawgraph.pipeline import meta_for, parse_file  # noqa: E402

SNAPSHOT = "sitl-diputados-lxvi"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def read_corpus():
    """(law documents as (parsed, meta), proposals): parsed once, reused by every copy."""
    settings = get_settings()
    jobs, _ = plan_jobs([], all_docs=True, settings=settings)
    laws = []
    for job in jobs:
        parsed = parse_file(job.path, profile=job.doc.profile if job.doc else None)
        laws.append((parsed, meta_for(job.path, parsed.sha256)))
    proposals: list = []
    if settings.mirror is not None:
        from lawgraph.ingest.sil import ingest_sil, to_proposal
        from lawgraph.ingest.sitl import ingest_snapshot
        from lawgraph.nlp.sil_join import join

        sitl = settings.mirror / "process" / "sitl_diputados_lxvi"
        sil = settings.mirror / "process" / "semaforo-legislativo"
        if sitl.exists():
            proposals = ingest_snapshot(sitl).proposals
            if sil.exists():
                proposals, _ = join(proposals, [to_proposal(i) for i in ingest_sil(sil).instruments])
    return laws, proposals


def write_copy(store, laws, proposals, copy: int) -> None:
    """Copy ``copy`` of the corpus through the normal write path."""
    for parsed, meta in laws:
        juris = synthetic.copy_jurisdiction(meta.jurisdiction, copy)
        doc = synthetic.relabel_law(parsed, juris)
        load_parsed_law(store, doc, jurisdiction=juris, kind=meta.kind, key=meta.key, title=meta.title)
        steps.load_amendments(store, doc, jurisdiction=juris, kind=meta.kind, key=meta.key)
    if proposals:
        snapshot = SNAPSHOT if copy == 1 else f"{SNAPSHOT}-{synthetic.copy_tag(copy)}"
        steps.load_proposals(store, synthetic.relabel_proposals(proposals, copy), snapshot=snapshot)


def _elements(store) -> int:
    s = read.stats(store)
    return sum(s["nodes"].values()) + sum(s["relationships"].values())


def _latencies(store, reps: int, cap_s: float) -> dict[str, list[float]]:
    work = {name: (lambda st, q=q, name=name: read.run_named(st, name, q.example))
            for name, q in sorted(named_queries().items())}
    work.update(PAGE_READS)
    out = {}
    for name, fn in work.items():
        fn(store)  # warm-up: plan caches, page cache
        ts: list[float] = []
        while len(ts) < reps and (len(ts) < 3 or sum(ts) < cap_s * 1000):
            t = time.perf_counter()
            fn(store)
            ts.append((time.perf_counter() - t) * 1000)
        out[name] = ts
    return out


def _print_latencies(lat: dict[str, list[float]], *, worst: int) -> list[float]:
    """p50 / p95 of the page reads and of the ``worst`` slowest queries, then of all; returns
    every run's time."""
    allq = [x for ts in lat.values() for x in ts]
    slowest = sorted(lat, key=lambda n: -statistics.median(lat[n]))[:worst]
    for name in [*PAGE_READS, *slowest]:
        print(f"   {name:40s} {statistics.median(lat[name]):9.2f} {_pct(lat[name], 0.95):9.2f}")
    print(f"   {'(all ' + str(len(lat)) + ' queries)':40s} {statistics.median(allq):9.2f} "
          f"{_pct(allq, 0.95):9.2f}", flush=True)
    return allq


def run(backend: str, laws, proposals, scales: list[int], reps: int, cap_s: float,
        budget_s: float) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix=f"scale-{backend}-") as tmp:
        server, store, pid, data_dir = _open(backend, Path(tmp))
        try:
            store.ensure_schema()
            done, loading_s, per_copy_s = 0, 0.0, None
            for scale in scales:
                todo = scale - done
                if per_copy_s is not None and loading_s + todo * per_copy_s > budget_s:
                    est = todo * per_copy_s
                    print(f"\n== {backend} x{scale}: not run; copies {done + 1}-{scale} would take "
                          f"~{est / 60:.0f} min at the last increment's rate (budget "
                          f"{budget_s / 60:.0f} min, {loading_s / 60:.1f} used)", flush=True)
                    rows.append({"backend": backend, "scale": scale, "extrapolated_s": est})
                    continue
                before = _elements(store)
                cpu0, own0, t0 = _cpu_s(pid), _own_cpu_s(pid), time.perf_counter()
                for k in range(done + 1, scale + 1):
                    write_copy(store, laws, proposals, k)
                secs, cpu = time.perf_counter() - t0, _cpu_s(pid) - cpu0
                children = cpu - (_own_cpu_s(pid) - own0)
                loading_s += secs
                per_copy_s = secs / todo
                total = _elements(store)
                added = total - before
                store.checkpoint()
                disk = _du(data_dir)
                rss = _rss_mb(pid)
                print(f"\n== {backend} x{scale}: {total:,} elements; copies {done + 1}-{scale} added "
                      f"{added:,} in {secs:.0f} s = {added / secs:,.0f} el/s "
                      f"(server CPU {cpu:.0f} s, {added / max(cpu, 1e-9):,.0f} el/CPU-s; of it "
                      f"{children:.0f} s in forked children: FalkorDB's log rewrites)", flush=True)
                print(f"   store on disk {disk / 1e6:,.0f} MB ({disk / total:,.0f} B/element); "
                      f"server RSS {rss:,.0f} MB now ({rss * 1e6 / total:,.0f} B/element), "
                      f"peak {_hwm_mb(pid):,.0f} MB", flush=True)
                done = scale
                lat = _latencies(store, reps, cap_s)
                print(f"   {'query':40s} {'p50 ms':>9s} {'p95 ms':>9s}")
                allq = _print_latencies(lat, worst=5)
                rows.append({"backend": backend, "scale": scale, "elements": total, "added": added,
                             "seconds": secs, "cpu": cpu, "children_cpu": children, "disk": disk, "rss_mb": rss,
                             "p50": statistics.median(allq), "p95": _pct(allq, 0.95),
                             "pages": {n: (statistics.median(lat[n]), _pct(lat[n], 0.95)) for n in PAGE_READS}})
        finally:
            server.stop()
    return rows


def _settle(store, pid: int, idle_cpu_s: float = 0.05, timeout_s: float = 600) -> float:
    """Wait until the server runs no log rewrite and used under ``idle_cpu_s`` CPU in the last
    second (a dropped graph is freed by a background thread; a finished rewrite's child is
    reaped by the server's cron), so work is not counted in the next measurement. Returns the
    ``perf_counter`` time at which that idle second began (the end of the work)."""
    conn, deadline = store.client.connection, time.monotonic() + timeout_s
    while True:
        info = conn.info("persistence")
        busy = info.get("aof_rewrite_in_progress") or info.get("aof_rewrite_scheduled")
        t, cpu0 = time.perf_counter(), _cpu_s(pid)
        time.sleep(1.0)
        if (not busy and _cpu_s(pid) - cpu0 < idle_cpu_s) or time.monotonic() > deadline:
            return t


def _unit_trend(unit_cpu: list[float]) -> str:
    """The units' CPU so far: mean, first and last ten, and the least-squares slope per unit
    (``bench_staged_units.py`` measures whether a slope is the build's or the machine's)."""
    line = f"{statistics.fmean(unit_cpu):.1f} CPU-s per unit (server + client)"
    if len(unit_cpu) >= 10:
        b, lo, hi = slope_pct(unit_cpu)
        line += (f"; first ten {statistics.fmean(unit_cpu[:10]):.1f}, last ten "
                 f"{statistics.fmean(unit_cpu[-10:]):.1f}; slope {b:+.2f} % per unit (95 % interval "
                 f"{lo:+.2f} to {hi:+.2f})")
    return line


def run_staged(laws, proposals, scales: list[int], reps: int, cap_s: float) -> list[dict]:
    """FalkorDB's staged build (:mod:`lawgraph.graph.staged`, ``lawgraph rebuild --staged``):
    each copy is one unit, written through the same write path into the scratch graph, read back
    and encoded; at each scale the units so far are loaded by ``GRAPH.BULK`` into a graph of
    their own (the encoder keeps its commands, so one pass over the copies serves every scale).
    A scale's cost is every unit up to it plus its load: the server's CPU (its log rewrites
    included) and this process's (planning the writes, reading back, encoding)."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="scale-staged-") as tmp:
        server, store, pid, data_dir = _open("falkordb", Path(tmp))
        try:
            staged = StagedBuild(FalkorDBStore(store.client, graph="staged"), spill_dir=Path(tmp) / "spill")
            done, units_wall, units_cpu, units_client = 0, 0.0, 0.0, 0.0
            unit_cpu: list[float] = []
            for scale in scales:
                for k in range(done + 1, scale + 1):
                    cpu0, cl0, t0 = _cpu_s(pid), time.process_time(), time.perf_counter()
                    with staged.unit(f"copy-{k}") as scratch:
                        write_copy(scratch, laws, proposals, k)
                    wall, server_cpu, client_cpu = (time.perf_counter() - t0, _cpu_s(pid) - cpu0,
                                                    time.process_time() - cl0)
                    units_wall, units_cpu, units_client = (units_wall + wall, units_cpu + server_cpu,
                                                           units_client + client_cpu)
                    unit_cpu.append(server_cpu + client_cpu)
                    print(f"   unit {k}: {wall:.1f} s wall, server CPU {server_cpu:.1f} s, client CPU "
                          f"{client_cpu:.1f} s", flush=True)
                target = FalkorDBStore(store.client, graph=f"scale{scale}")
                target.clear()
                _settle(store, pid)
                cpu0, own0, cl0, t0 = _cpu_s(pid), _own_cpu_s(pid), time.process_time(), time.perf_counter()
                target.bulk_create(staged.encoder, keep=True)
                # The load ends with a log rewrite (bulk_create starts it): part of the build's cost.
                load_wall, load_cpu = _settle(store, pid) - t0, _cpu_s(pid) - cpu0
                load_own, load_client = _own_cpu_s(pid) - own0, time.process_time() - cl0
                total = _elements(target)
                secs, cpu, client = units_wall + load_wall, units_cpu + load_cpu, units_client + load_client
                print(f"\n== falkordb staged x{scale}: {total:,} elements; units 1-{scale} {units_wall:.0f} s wall, "
                      f"server CPU {units_cpu:.0f} s, client CPU {units_client:.0f} s; GRAPH.BULK, indexes and its log "
                      f"rewrite {load_wall:.0f} s wall, server CPU {load_cpu:.0f} s ({load_own:.0f} s own, "
                      f"{total / max(load_cpu, 1e-9):,.0f} el/CPU-s)", flush=True)
                print(f"   units: {_unit_trend(unit_cpu)}", flush=True)
                print(f"   whole build {secs:.0f} s = {total / secs:,.0f} el/s; server CPU {cpu:.0f} s = "
                      f"{total / cpu:,.0f} el/CPU-s; server + client CPU {cpu + client:.0f} s = "
                      f"{total / (cpu + client):,.0f} el/CPU-s; {secs / scale:.1f} s wall per copy", flush=True)
                target.checkpoint()
                disk, rss = _du(data_dir), _rss_mb(pid)
                print(f"   store on disk {disk / 1e6:,.0f} MB (both graphs' log; {disk / total:,.0f} B/element); "
                      f"server RSS {rss:,.0f} MB, peak {_hwm_mb(pid):,.0f} MB; this process (the "
                      f"encoded units) peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB",
                      flush=True)
                done = scale
                allq = _print_latencies(_latencies(target, reps, cap_s), worst=0)
                rows.append({"backend": "staged", "scale": scale, "elements": total, "added": total,
                             "seconds": secs, "cpu": cpu + client, "disk": disk, "rss_mb": rss,
                             "p50": statistics.median(allq), "p95": _pct(allq, 0.95)})
                # Dropped before the next units: in a real staged build the target does not exist
                # while units are written, and a resident graph would make every log rewrite's
                # fork (and so every unit) cost more. Its memory is freed in the background: the
                # next unit starts when the server is idle again.
                target.clear()
                _settle(store, pid)
        finally:
            server.stop()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backends", nargs="+", default=["falkordb", "neo4j"])
    ap.add_argument("--scales", nargs="+", type=int, default=[1, 10, 50])
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--query-s", type=float, default=5.0)
    ap.add_argument("--budget-min", type=float, default=25.0)
    ap.add_argument("--staged", action="store_true",
                    help="FalkorDB's staged build instead (each scale built whole; el/CPU-s counts "
                         "server and client CPU)")
    args = ap.parse_args()
    t = time.perf_counter()
    laws, proposals = read_corpus()
    print(f"read {len(laws)} law documents and {len(proposals)} proposals in "
          f"{time.perf_counter() - t:.0f} s (not timed below); {os.cpu_count()} cores", flush=True)
    summary = []
    if args.staged:
        summary = run_staged(laws, proposals, sorted(args.scales), args.reps, args.query_s)
    for backend in [] if args.staged else args.backends:
        summary += run(backend, laws, proposals, sorted(args.scales), args.reps, args.query_s,
                       args.budget_min * 60)
    print(f"\n{'backend':9s} {'scale':>5s} {'elements':>11s} {'el/s':>7s} {'el/CPU-s':>9s} "
          f"{'disk MB':>8s} {'RSS MB':>7s} {'p50 ms':>7s} {'p95 ms':>7s}")
    for r in summary:
        if "elements" not in r:
            print(f"{r['backend']:9s} {r['scale']:5d}   not run: ~{r['extrapolated_s'] / 60:.0f} min to load")
            continue
        print(f"{r['backend']:9s} {r['scale']:5d} {r['elements']:11,d} {r['added'] / r['seconds']:7,.0f} "
              f"{r['added'] / max(r['cpu'], 1e-9):9,.0f} {r['disk'] / 1e6:8,.0f} {r['rss_mb']:7,.0f} "
              f"{r['p50']:7.2f} {r['p95']:7.2f}")


if __name__ == "__main__":
    main()
