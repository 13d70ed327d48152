"""Which write statements grow with the store? FalkorDB's server time per statement, per copy.

    .venv/bin/python benchmarks/profile_ingest.py --copies 6
    LAWGRAPH_FALKORDB_MODULE_ARGS="NODE_CREATION_BUFFER 262144" .venv/bin/python benchmarks/profile_ingest.py

Loads ``--copies`` synthetic copies of today's corpus (as ``bench_scale.py`` does: the same
documents and proposals relabelled per copy, through the normal write path) into a fresh
embedded FalkorDB, and records the server's own execution time of every statement (FalkorDB's
"internal execution time", so client encoding and round trips are left out), summed per
statement text with its parameters left out. After the last copy it prints, for the statements
that cost most, their server milliseconds in copy 1, copy 2 and the last copy: a statement
whose cost rises with the copy number does work proportional to what is already stored (a scan)
and makes the whole load grow faster than linearly. Prints figures, asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_backends import _cpu_s, _cpu_ticks, _open, _own_cpu_s, _proc_stat  # noqa: E402
from bench_scale import read_corpus, write_copy  # noqa: E402

from lawgraph.graph import falkordb_backend  # noqa: E402
from lawgraph.graph.cypher import quote_name  # noqa: E402


def _key(query: str) -> str:
    """A statement's text (its parameters travel apart) on one line, cut to 110 chars."""
    return " ".join(query.split())[:110]


def _persistence(store) -> dict:
    """The server's INFO persistence section (append-only file rewrites: each one forks the
    server and writes the whole graph, in a child; ``_cpu_s`` counts its CPU once it ends,
    ``_own_cpu_s`` leaves it out)."""
    return store.client.connection.info("persistence")


def _faults_and_sys(pid: int) -> tuple[int, float]:
    """Minor page faults of the server process (/proc/<pid>/stat field 10) and its own system
    CPU seconds: copy-on-write after a fork, and memory growth, show up here, not in the
    statements' own time."""
    return int(_proc_stat(pid)[7]), _cpu_ticks(pid)[1] / os.sysconf("SC_CLK_TCK")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=6)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--no-aof", action="store_true",
                    help="control run: no append-only file and no snapshots (nothing forks)")
    ap.add_argument("--tail-ratio", type=float, default=falkordb_backend.CHECKPOINT_TAIL_RATIO,
                    help="compact the log when its tail passes this share of the compacted log "
                         "(the store's CHECKPOINT_TAIL_RATIO)")
    ap.add_argument("--sync-matrices", action="store_true",
                    help="at each checkpoint, read one node of every label and one edge of every "
                         "type (each read makes FalkorDB synchronise that label's or type's matrix)")
    args = ap.parse_args()

    falkordb_backend.CHECKPOINT_TAIL_RATIO = args.tail_ratio
    laws, proposals = read_corpus()
    per_copy: list[dict[str, list[float]]] = []
    current: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])

    wrap = falkordb_backend._wrap

    def timed_wrap(res, _wrap=wrap):
        out = _wrap(res)
        out.server_ms = float(getattr(res, "run_time_ms", 0.0) or 0.0)  # type: ignore[attr-defined]
        return out

    falkordb_backend._wrap = timed_wrap

    def record(query: str, res) -> None:
        slot = current[_key(query)]
        slot[0] += getattr(res, "server_ms", 0.0)
        slot[1] += 1

    with tempfile.TemporaryDirectory(prefix="profile-ingest-") as tmp:
        if args.no_aof:
            from lawgraph.graph.falkordb_server import EmbeddedFalkorDB

            server = EmbeddedFalkorDB(Path(tmp), appendonly=False).start()
            store, pid = server.store(), server.pid
        else:
            server, store, pid, _ = _open("falkordb", Path(tmp))
        run, submit = store.run, store.submit

        def run_timed(query, params=None):
            res = run(query, params)
            record(query, res)
            return res

        def submit_timed(query, params=None, on_result=None, *, pipeline=False):
            def done(res, on_result=on_result):
                record(query, res)
                if on_result is not None:
                    on_result(res)
            return submit(query, params, done, pipeline=pipeline)

        store.run, store.submit = run_timed, submit_timed
        if args.sync_matrices:
            checkpoint = store.checkpoint

            def checkpoint_and_sync(_checkpoint=checkpoint):
                store.flush()
                conn = store.client.connection
                g = store.graph_name
                for (label,) in conn.execute_command("GRAPH.RO_QUERY", g, "CALL db.labels()")[1]:
                    conn.execute_command("GRAPH.RO_QUERY", g, f"MATCH (n:{quote_name(label)}) RETURN id(n) LIMIT 1")
                for (type_,) in conn.execute_command("GRAPH.RO_QUERY", g, "CALL db.relationshipTypes()")[1]:
                    conn.execute_command("GRAPH.RO_QUERY", g, f"MATCH ()-[r:{quote_name(type_)}]->() RETURN id(r) LIMIT 1")
                _checkpoint()

            store.checkpoint = checkpoint_and_sync
        try:
            store.ensure_schema()
            for k in range(1, args.copies + 1):
                current.clear()
                rewrites0 = _persistence(store).get("aof_rewrites", 0)
                (flt0, sys0), cpu0, own0, t0 = _faults_and_sys(pid), _cpu_s(pid), _own_cpu_s(pid), time.perf_counter()
                write_copy(store, laws, proposals, k)
                store.flush()
                total_ms = sum(v[0] for v in current.values())
                info = _persistence(store)
                flt1, sys1 = _faults_and_sys(pid)
                print(f"copy {k}: {time.perf_counter() - t0:.1f} s wall, server CPU "
                      f"{_cpu_s(pid) - cpu0:.1f} s (its own {_own_cpu_s(pid) - own0:.1f} s, "
                      f"system {sys1 - sys0:.1f} s, {(flt1 - flt0) / 1000:.0f}k minor faults), "
                      f"statements' own time {total_ms / 1000:.1f} s; "
                      f"append-only file rewritten {info.get('aof_rewrites', 0) - rewrites0} times "
                      f"(the last took {info.get('aof_last_rewrite_time_sec')} s; base now "
                      f"{int(info.get('aof_base_size', 0)) / 1e6:.0f} MB)", flush=True)
                per_copy.append({q: list(v) for q, v in current.items()})
        finally:
            server.stop()

    last = per_copy[-1]
    print(f"\nserver ms per statement: copy 1, copy 2, copy {len(per_copy)} (calls in the last)")
    for q in sorted(last, key=lambda q: -last[q][0])[:args.top]:
        first = per_copy[0].get(q, [0.0, 0])[0]
        second = per_copy[1].get(q, [0.0, 0])[0] if len(per_copy) > 1 else float("nan")
        print(f"{first:9.0f} {second:9.0f} {last[q][0]:9.0f} ({last[q][1]:6d})  {q}")


if __name__ == "__main__":
    main()
