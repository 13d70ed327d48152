"""The reads that scanned a whole label, before and after, on the same graph (prints figures,
asserts nothing).

    .venv/bin/python benchmarks/bench_summaries.py --backend falkordb --scales 1 4 --reps 5
    .venv/bin/python benchmarks/bench_summaries.py --backend neo4j --scales 1 4 --reps 5

Builds the corpus of ``bench_scale.py`` (its ``read_corpus`` and ``write_copy``: every law
document with its decree operations and the SITL/SIL proposals, copy k a synthetic jurisdiction)
and, after each increment, times p50/p95 over ``--reps`` runs (after one warm-up) of each
read as it is now and of the scan it replaced:

- the process summary: ``process_summary`` (one stored summary per snapshot) against the scan of
  every proposal of the complete snapshots that ``proposal_counts`` was;
- the graph's counts: ``graph.store.counts`` (one statement per label and type) against the
  ``stats_nodes`` / ``stats_relationships`` scans;
- the search index's recheck (what a search request runs at most every 30 s): the per-label
  counts and the snapshot hashes against the ``search_corpus_counts`` scan of every node;
- the proposal rows the search index is built from (``search_corpus_proposals``, run once per
  build, not per request), for scale.

It also prints the time ``write_proposals`` spends on the summary per snapshot load (counting the
snapshot's proposals and finding the snapshots that share one), the write-time cost of the change.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_backends import _open, _pct  # noqa: E402
from bench_scale import SNAPSHOT, read_corpus, write_copy  # noqa: E402

from lawgraph import ids, search, synthetic  # noqa: E402
from lawgraph.graph import process  # noqa: E402
from lawgraph.graph.read import run_named  # noqa: E402
from lawgraph.graph.store import counts, label_counts  # noqa: E402
from lawgraph.graph.write import batches  # noqa: E402

# The statements these reads were before this change (kept here to measure against, nowhere else).
BEFORE = {
    "proposal_counts": "MATCH (s:ProcessSnapshot {complete: true})-[:HAS_PROPOSAL]->(p:Proposal)\n"
                       "RETURN p.stage AS stage, p.parties AS parties, p.law_keys AS law_keys",
    "stats_nodes": "MATCH (n) RETURN labels(n)[0] AS label, count(n) AS count ORDER BY label",
    "stats_relationships": "MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS count ORDER BY type",
    "search_corpus_counts": "MATCH (n)\nWHERE n:ProvisionVersion OR n:Proposal OR n:Decree OR "
                            "n:Recommendation OR n:Suggestion OR n:LawVersion\n"
                            "RETURN labels(n)[0] AS label, count(n) AS n",
}


def _reads(store):
    return [
        ("process summary: stored summaries", lambda: process.process_summary(store)),
        ("process summary: scan (before)", lambda: process.tally(store.run(BEFORE["proposal_counts"]).rows)),
        ("counts: one statement per label/type", lambda: counts(store)),
        ("stats_nodes scan (before)", lambda: store.run(BEFORE["stats_nodes"])),
        ("stats_relationships scan (before)", lambda: store.run(BEFORE["stats_relationships"])),
        ("search recheck: label counts + hashes", lambda: (label_counts(store, search.SEARCH_LABELS),
                                                           run_named(store, "search_corpus_snapshots"))),
        ("search_corpus_counts scan (before)", lambda: store.run(BEFORE["search_corpus_counts"])),
        ("search_corpus_proposals (per build)", lambda: run_named(store, "search_corpus_proposals")),
    ]


def _time(fn, reps: int) -> list[float]:
    fn()
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", default="falkordb", choices=["falkordb", "neo4j"])
    ap.add_argument("--scales", nargs="+", type=int, default=[1, 4])
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    laws, proposals = read_corpus()
    with tempfile.TemporaryDirectory(prefix=f"summaries-{args.backend}-") as tmp:
        server, store, _, _ = _open(args.backend, Path(tmp))
        try:
            store.ensure_schema()
            done = 0
            for scale in sorted(args.scales):
                for k in range(done + 1, scale + 1):
                    write_copy(store, laws, proposals, k)
                done = scale
                last = ids.snapshot_id(SNAPSHOT if scale == 1 else f"{SNAPSHOT}-{synthetic.copy_tag(scale)}")
                t = time.perf_counter()
                process.snapshot_summary(store, last)
                summary_ms = (time.perf_counter() - t) * 1000
                wanted = [r["id"] for r in store.run("MATCH (p:Proposal {snapshot: $id}) RETURN p.id AS id",
                                                     {"id": last}).rows]
                t = time.perf_counter()
                for batch in batches(wanted, store):
                    store.run(process.SHARING_SNAPSHOTS_QUERY, {"ids": batch, "id": last})
                sharing_ms = (time.perf_counter() - t) * 1000
                n = sum(process.process_summary(store)["stage"].values())
                print(f"\n== {args.backend} x{scale}: {n:,} proposals in complete snapshots; write time per "
                      f"snapshot load: summary {summary_ms:.0f} ms, sharing check {sharing_ms:.0f} ms", flush=True)
                print(f"   {'read':42s} {'p50 ms':>9s} {'p95 ms':>9s}")
                for name, fn in _reads(store):
                    ts = _time(fn, args.reps)
                    print(f"   {name:42s} {statistics.median(ts):9.2f} {_pct(ts, 0.95):9.2f}", flush=True)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
