"""Which statement forms cost FalkorDB time proportional to the graph? (issue 14, point 6; prints
figures, asserts nothing).

    .venv/bin/python benchmarks/bench_falkordb_costs.py              # 1 M .. 5 M nodes
    .venv/bin/python benchmarks/bench_falkordb_costs.py --steps 3

A fresh embedded FalkorDB (no persistence) grows by 1,000,000 nodes and 500,000 relationships per
step (``(:A)-[:R]->(:B)``, indexed ids). After each step every form below runs 20 times, each
time right after a statement that creates two nodes (as a load does: creations, then the next
statement), and the line prints its mean milliseconds. A form whose time rises with the node
count does work proportional to the graph; the write path (``lawgraph.graph.write.create_or_merge``,
``load.create_tree_query``, ``load.STAGE_VERSION_QUERY_FALKORDB``) uses the flat ones.

Measured 2026-12-06 (FalkorDB 4.16.3, 2 cores shared with another job), 1 M -> 4 M nodes:
``MATCH … SET`` of one node after creations 17 -> 115 ms; ``MERGE … SET`` of one new node
23 -> 141 ms (219 at 6 M), of 100 new nodes 30 -> 161 ms; CREATE with the properties in the pattern 0.7-2.3 ms at every size;
MATCH + CREATE + CREATE relationship 1.1-1.8 ms; MERGE of an existing node 0.9-1.6 ms.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lawgraph.graph.falkordb_server import EmbeddedFalkorDB  # noqa: E402

FORMS = {
    "MERGE…SET, 100 new nodes": (
        "UNWIND $rows AS r MERGE (n:C {id: r.id}) ON CREATE SET n += r.c SET n += r.p"),
    "CREATE, properties in the pattern, 100 new": (
        "UNWIND $rows AS r OPTIONAL MATCH (x:C {id: r.id}) "
        "FOREACH (_ IN CASE WHEN x IS NULL THEN [1] ELSE [] END | CREATE (:C {id: r.id, k: r.p.k})) "
        "FOREACH (_ IN CASE WHEN x IS NULL THEN [] ELSE [1] END | SET x += r.p)"),
    "MATCH parent, CREATE child + relationship, 100": (
        "UNWIND $rows AS r MATCH (a:P {id: r.pid}) CREATE (n:C {id: r.id}) CREATE (a)-[:CONTAINS]->(n)"),
    "MERGE existing node, CREATE relationship, 100": (
        "UNWIND $rows AS r CREATE (n:C {id: r.id}) MERGE (q:P {id: r.pid}) CREATE (n)-[:OF]->(q)"),
    "MATCH one node, SET": "MATCH (v:V {id: 1}) SET v.x = $k",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="falkordb-costs-") as tmp:
        server = EmbeddedFalkorDB(Path(tmp), appendonly=False).start()
        try:
            st = server.store()
            for label in ("A", "B", "C", "P", "V", "Z"):
                st.run(f"CREATE INDEX FOR (n:{label}) ON (n.id)")
            st.run("CREATE (:V {id: 1})")
            st.run("UNWIND range(0, 999) AS i CREATE (:P {id: i})")
            nodes, k = 1001, 0
            for _ in range(args.steps):
                for b in range(100):
                    st.run("UNWIND range($lo, $lo + 4999) AS i CREATE (:A {id: i})-[:R]->(:B {id: i})",
                           {"lo": nodes + b * 5000})
                nodes += 1_000_000
                out = []
                for name, query in FORMS.items():
                    spent = 0.0
                    for _rep in range(20):
                        st.run("CREATE (:Z {id: $k})-[:R]->(:Z {id: -$k})", {"k": k})
                        k += 1
                        rows = [{"id": 10 ** 9 + k * 1000 + j, "pid": (k * 7 + j) % 1000,
                                 "p": {"k": "x"}, "c": {"made": 1}} for j in range(100)]
                        t0 = time.perf_counter()
                        st.run(query, {"rows": rows, "k": k})
                        spent += time.perf_counter() - t0
                    out.append(f"{name} {spent / 20 * 1000:.1f}")
                print(f"{nodes:>10,} nodes: " + "; ".join(out) + " (ms)", flush=True)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
