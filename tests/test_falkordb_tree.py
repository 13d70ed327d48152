"""FalkorDB writes a new version's tree in few statements (lawgraph.graph.load.create_whole_tree_query):
the relationships it makes are the plan's, and a batch whose parents or order are not what was
sent writes fewer relationships than rows, which stops the load."""
from __future__ import annotations

from lawgraph.graph.falkordb_server import EmbeddedFalkorDB
from lawgraph.graph.load import create_whole_tree_query, load_parsed_law, plan_law
from tests.graph_support import make_law

KW = dict(jurisdiction="mx", kind="ley", key="lgamvlv")


def test_a_new_versions_tree_has_exactly_the_plans_contains_and_version_of(tmp_path):
    law = make_law(40)
    plan = plan_law(law, **KW)
    with EmbeddedFalkorDB(tmp_path) as server:
        st = server.store()
        load_parsed_law(st, law, **KW)
        for rel in ("CONTAINS", "VERSION_OF"):
            stored = {(r["a"], r["b"]) for r in st.run(
                f"MATCH (a)-[:`{rel}`]->(b) RETURN a.id AS a, b.id AS b").rows}
            planned = {(e.src, e.dst) for e in plan.edges if e.type == rel}
            assert stored == planned and len(planned) > 100
        # Every version-scoped node has one parent.
        orphans = st.run("MATCH (n) WHERE (n:Division OR n:ProvisionVersion) "
                         "AND NOT ()-[:CONTAINS]->(n) RETURN count(n) AS n").rows[0]["n"]
        assert orphans == 0


def test_a_missing_external_division_writes_fewer_relationships_than_rows(tmp_path):
    q = create_whole_tree_query("ProvisionVersion", True, ("kind", "label", "law_id"), (), external=True)
    with EmbeddedFalkorDB(tmp_path) as server:
        st = server.store()
        st.run("CREATE (:LawVersion {id: 'v', writer: 't'}), (:Division {id: 'v/d1'})")
        rows = [["v/a1", "v/d1", "h", "p/a1", "ph", "articulo", "1", "law"],
                ["v/a2", "v/d2", "h", "p/a2", "ph", "articulo", "2", "law"],
                ["v/a2/f1", "v/a2", "h", "p/a2/f1", "ph", "fraccion", "I", "law"]]
        # Parents: v/a2 is row 1 of the batch (index 1 + 1); v/d1 and v/d2 are external
        # (indexes 1 + 3 and 1 + 3 + 1).
        edges = [[4, 0], [5, 1], [2, 2]]
        res = st.run(q, {"version_id": "v", "token": "t", "rows": rows, "edges": edges,
                         "external": ["v/d1", "v/d2"], "common": {}})
        # v/d2 is missing: the list of parents is one short, and no relationship lands on a
        # parent other than the one named.
        assert res.rows[0]["written"] < len(rows)
        named = {(r[1], r[0]) for r in rows}
        stored = {(r["a"], r["b"]) for r in st.run(
            "MATCH (a)-[:CONTAINS]->(b) RETURN a.id AS a, b.id AS b").rows}
        assert stored and stored < named
        # With every parent there, each row gets its one relationship; a stale writer token none.
        st.run("CREATE (:Division {id: 'v/d2'})")
        rows2 = [[r[0] + "x", *r[1:]] for r in rows]
        rows2[2][:2] = ["v/a2x/f1", "v/a2x"]
        edges2 = edges
        ok = st.run(q, {"version_id": "v", "token": "t", "rows": rows2, "edges": edges2,
                        "external": ["v/d1", "v/d2"], "common": {}})
        assert ok.rows[0]["written"] == 3
        stale = st.run(q, {"version_id": "v", "token": "other", "rows": rows2, "edges": edges2,
                           "external": ["v/d1", "v/d2"], "common": {}})
        assert not stale.rows or stale.rows[0]["written"] == 0
