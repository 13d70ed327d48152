"""FalkorDB and Neo4j side by side on the real corpus (prints figures; asserts nothing).

    .venv/bin/python benchmarks/bench_backends.py                 # both backends, the corpus once
    .venv/bin/python benchmarks/bench_backends.py --scale 1 10    # and a 10x corpus
    .venv/bin/python benchmarks/bench_backends.py --backends neo4j --reps 50

For each backend, in a fresh data directory: the corpus laws of bench_load.py (parsed first,
not timed) and the corpus recommendations are loaded; printed are load elements/s (nodes +
relationships written per second of loading, and per second of the server's CPU, a figure
that varies less than wall time on a shared machine), p50/p95 latency of every named query (its
header example, run ``--reps`` times after one warm-up run) and of the main pages' reads
(article page, search, law list), the store's size on disk and the server's peak resident
memory (VmHWM of the redis-server or Java process).

``--scale N`` loads N copies of the corpus: copy k > 1 is a synthetic jurisdiction ``mx-sK``
whose laws are the same parsed documents relabelled (their document hash salted with k, so
every node is new); the recommendations are loaded once.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_load import CORPORA, LAWS  # noqa: E402

from lawgraph.graph import read  # noqa: E402
from lawgraph.graph.cypher import named_queries  # noqa: E402
from lawgraph.graph.links import load_recommendations  # noqa: E402
from lawgraph.graph.load import load_parsed_law  # noqa: E402
from lawgraph import provisions, search  # noqa: E402
from lawgraph.ingest.leyesbiblio import parse_pdf  # noqa: E402
from lawgraph.ingest.recommendations import load_corpus_recommendations  # noqa: E402

V = "/mx/ley/lgamvlv@2026-01-15"
PAGE_READS = {
    "article page (get_provision)": lambda st: provisions.get_provision(st, "LGAMVLV art 20 Ter"),
    "search page (search)": lambda st: search.search(st, "violencia política", limit=50),
    "home page (list_laws)": lambda st: read.list_laws(st),
}


def _du(path: Path) -> int:
    return int(subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True).stdout.split()[0])


def _hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _proc_stat(pid: int) -> list[str]:
    """/proc/<pid>/stat's fields after the command name: field n of proc(5) is item n - 3."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _cpu_ticks(pid: int) -> list[int]:
    """utime, stime, cutime, cstime of the process (/proc/<pid>/stat fields 14-17), in ticks."""
    return [int(f) for f in _proc_stat(pid)[11:15]]


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the server process and its finished children have used so
    far (FalkorDB's append-only file rewrites run in forked children)."""
    return sum(_cpu_ticks(pid)) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s(pid: int) -> float:
    """CPU seconds of the server process itself, its finished children left out."""
    return sum(_cpu_ticks(pid)[:2]) / os.sysconf("SC_CLK_TCK")


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]


SLOPE_SEED = 20261207   # stated: the bootstrap's seed, fixed so a re-run prints the same interval


def slope_pct(ys: list[float], resamples: int = 2000) -> tuple[float, float, float]:
    """Least-squares slope of ``ys`` against 1..n, in percent of their mean per step, with a
    bootstrap 95 % interval over resampled (x, y) pairs."""
    def fit(xs: list[int], vs: list[float]) -> float:
        mx, mv = statistics.fmean(xs), statistics.fmean(vs)
        den = sum((x - mx) ** 2 for x in xs)
        return sum((x - mx) * (v - mv) for x, v in zip(xs, vs)) / den if den else 0.0

    xs, mean = list(range(1, len(ys) + 1)), statistics.fmean(ys)
    rnd, boot = random.Random(SLOPE_SEED), []
    for _ in range(resamples):
        idx = [rnd.randrange(len(xs)) for _ in xs]
        if len({xs[i] for i in idx}) > 1:
            boot.append(fit([xs[i] for i in idx], [ys[i] for i in idx]))
    boot.sort()
    lo, hi = boot[int(0.025 * len(boot))], boot[int(0.975 * len(boot)) - 1]
    return 100 * fit(xs, ys) / mean, 100 * lo / mean, 100 * hi / mean


def _open(backend: str, home: Path):
    if backend == "falkordb":
        from lawgraph.graph.falkordb_server import EmbeddedFalkorDB

        server = EmbeddedFalkorDB(home).start()
        return server, server.store(), server.pid, server.dir
    from lawgraph.graph.neo4j_server import LocalNeo4j

    server = LocalNeo4j(home, parent_bound=True).start()
    return server, server.store(), server.pid, server.dir


def _relabelled(parsed, k: int):
    if k == 1:
        return parsed
    salted = hashlib.sha256(f"{parsed.sha256}/copy-{k}".encode()).hexdigest()
    return parsed.model_copy(update={"sha256": salted})


def run(backend: str, parsed: list, recs: list, scale: int, reps: int) -> None:
    with tempfile.TemporaryDirectory(prefix=f"bench-{backend}-") as tmp:
        server, store, pid, data_dir = _open(backend, Path(tmp))
        try:
            print(f"\n== {backend} x{scale}")
            # The first load meets a cold server (Neo4j: a JVM that has compiled nothing yet,
            # an empty query-plan cache); at 1x the graph is emptied and loaded again, warm.
            for attempt in ("cold", "warm") if scale == 1 else ("cold",):
                if attempt == "warm":
                    store.clear()
                elements = 0
                cpu0 = _cpu_s(pid)
                t0 = time.perf_counter()
                for k in range(1, scale + 1):
                    juris = "mx" if k == 1 else f"mx-s{k}"
                    for (rel, kind, key), p in parsed:
                        rep = load_parsed_law(store, _relabelled(p, k), jurisdiction=juris, kind=kind, key=key)
                        elements += rep.elements
                load_recommendations(store, recs)
                load_s = time.perf_counter() - t0
                cpu_s = _cpu_s(pid) - cpu0
                n_nodes = sum(read.stats(store)["nodes"].values())
                print(f"load ({attempt}): {n_nodes} nodes, {load_s:.1f} s, "
                      f"{elements / load_s:,.0f} elements/s ({elements} elements); "
                      f"server CPU {cpu_s:.1f} s, {elements / cpu_s:,.0f} elements/CPU-s")
            timings: dict[str, list[float]] = {}
            work = {name: (lambda st, q=q, name=name: read.run_named(st, name, q.example))
                    for name, q in sorted(named_queries().items())}
            work.update(PAGE_READS)
            for name, fn in work.items():
                fn(store)  # warm-up: plan caches, page cache
                ts = []
                for _ in range(reps):
                    t = time.perf_counter()
                    fn(store)
                    ts.append((time.perf_counter() - t) * 1000)
                timings[name] = ts
            print(f"{'query':44s} {'p50 ms':>9s} {'p95 ms':>9s}")
            for name, ts in timings.items():
                print(f"{name:44s} {statistics.median(ts):9.2f} {_pct(ts, 0.95):9.2f}")
            allq = [x for ts in timings.values() for x in ts]
            print(f"{'(all queries)':44s} {statistics.median(allq):9.2f} {_pct(allq, 0.95):9.2f}")
            store.checkpoint()
            print(f"store size on disk: {_du(data_dir) / 1e6:.1f} MB; server peak RSS: {_hwm_mb(pid):.0f} MB")
        finally:
            server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backends", nargs="+", default=["falkordb", "neo4j"])
    ap.add_argument("--scale", nargs="+", type=int, default=[1])
    ap.add_argument("--reps", type=int, default=20)
    args = ap.parse_args()
    t = time.perf_counter()
    parsed = [((rel, kind, key), parse_pdf(str(CORPORA / rel))) for rel, kind, key in LAWS]
    recs = load_corpus_recommendations(CORPORA)
    print(f"parsed {len(parsed)} laws and {len(recs)} recommendations in {time.perf_counter() - t:.0f} s "
          f"(not timed below); {os.cpu_count()} cores")
    for scale in args.scale:
        for backend in args.backends:
            run(backend, parsed, recs, scale, args.reps)


if __name__ == "__main__":
    main()
