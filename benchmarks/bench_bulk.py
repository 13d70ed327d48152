"""FalkorDB's bulk path at 1x, 10x and 25x today's corpus: is ``lawgraph import`` linear? (issue 14,
points 4 and 6; prints figures, asserts nothing).

    .venv/bin/python benchmarks/bench_bulk.py                    # 1 10 25
    .venv/bin/python benchmarks/bench_bulk.py --scales 1 10 50
    .venv/bin/python benchmarks/bench_bulk.py --scales 30 --per-copy   # encoding cost per copy

Copy 1 of the corpus is written through the normal write path into a scratch graph (as
``bench_scale.py`` does) and read back as export records once (``transfer.read_graph``). Copy
k > 1 is those records with every node id suffixed ``#k`` (nodes and relationship ends alike),
so the N x graph has N times copy 1's nodes and relationships, none shared. For each scale a
fresh graph key is loaded through ``FalkorDBStore.bulk_create`` (``GRAPH.BULK``, then the
indexes): the line gives the client's encoding time, the load's wall time and the server's CPU,
elements per second of each, and the server's memory after. Linear growth shows as flat
elements/s across scales.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_backends import _cpu_s, _open  # noqa: E402
from bench_scale import _rss_mb, read_corpus, write_copy  # noqa: E402

from lawgraph.graph.falkordb_backend import FalkorDBStore  # noqa: E402
from lawgraph.graph.falkordb_bulk import BulkEncoder  # noqa: E402
from lawgraph.graph.transfer import read_graph  # noqa: E402


def relabelled(nodes: list[dict], rels: list[dict], k: int) -> tuple[list[dict], list[dict]]:
    """Copy ``k`` of the records: every node id (and relationship end) suffixed ``#k``."""
    if k == 1:
        return nodes, rels
    tag = f"#{k}"
    return ([{"node": n["node"], "properties": {**n["properties"], "id": n["properties"]["id"] + tag}}
             for n in nodes],
            [{"rel": r["rel"], "start": [r["start"][0], r["start"][1] + tag],
              "end": [r["end"][0], r["end"][1] + tag], "properties": r["properties"]} for r in rels])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", nargs="+", type=int, default=[1, 10, 25])
    ap.add_argument("--per-copy", action="store_true",
                    help="print each copy's encoding CPU (does it rise with the node map's size?)")
    args = ap.parse_args()
    laws, proposals = read_corpus()
    with tempfile.TemporaryDirectory(prefix="bench-bulk-") as tmp:
        server, store, pid, _ = _open("falkordb", Path(tmp))
        try:
            store.ensure_schema()
            t0 = time.perf_counter()
            write_copy(store, laws, proposals, 1)
            store.flush()
            t1 = time.perf_counter()
            nodes, rels = read_graph(store)
            print(f"copy 1: {len(nodes):,} nodes, {len(rels):,} relationships; written in "
                  f"{t1 - t0:.1f} s, read back in {time.perf_counter() - t1:.1f} s", flush=True)
            store.clear()
            for scale in args.scales:
                target = FalkorDBStore(store.client, graph=f"bulk{scale}")
                target.clear()
                t0 = time.perf_counter()
                encoder = BulkEncoder()
                for k in range(1, scale + 1):
                    copy = relabelled(nodes, rels, k)
                    c0 = time.process_time()
                    encoder.add(*copy)
                    if args.per_copy:
                        print(f"   x{scale} copy {k}: encoded in {time.process_time() - c0:.2f} CPU-s "
                              f"({len(encoder.ids):,} nodes in the map)", flush=True)
                encode_s = time.perf_counter() - t0
                elements = encoder.nodes + encoder.edges
                cpu0, t1 = _cpu_s(pid), time.perf_counter()
                target.bulk_create(encoder)
                load_s, cpu = time.perf_counter() - t1, _cpu_s(pid) - cpu0
                counts = target.counts()
                stored = sum(counts["nodes"].values()) + sum(counts["relationships"].values())
                print(f"x{scale}: {elements:,} elements ({stored:,} stored); encoded in {encode_s:.1f} s "
                      f"({elements / encode_s:,.0f} el/s); GRAPH.BULK and indexes {load_s:.1f} s wall "
                      f"({elements / load_s:,.0f} el/s), server CPU {cpu:.1f} s "
                      f"({elements / max(cpu, 1e-9):,.0f} el/CPU-s); server RSS {_rss_mb(pid):,.0f} MB",
                      flush=True)
                target.clear()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
