"""What the Neo4j backend sends, pinned (every graph test also runs against a real Neo4j 5:
the `backend` fixture of tests/conftest.py; tests/test_backends.py compares the two engines).

1. The exact statements and parameters it sends are pinned. The driver here is a recording
   built with ``create_autospec`` from the real ``neo4j.Driver`` / ``Session`` /
   ``Transaction`` / ``Result`` types: it only records text, it stands in for no behaviour
   under test.
2. A smoke test drives the real ``neo4j`` driver over Bolt against FalkorDB's Bolt endpoint
   (module argument ``BOLT_PORT``): no DDL, no transactions, ~4 KB messages, so the store is
   built with ``schema=False`` and ``max_batch_bytes``.
"""
from __future__ import annotations

import json
import random
import socket
import threading
from unittest.mock import create_autospec

import neo4j
import pytest

from lawgraph import ids
from lawgraph.errors import StoreError
from lawgraph.graph import read
from lawgraph.graph.falkordb_backend import FalkorDBStore
from lawgraph.graph.falkordb_server import EmbeddedFalkorDB
from lawgraph.graph.load import (
    COMPLETE_VERSION_QUERY,
    DECREE_EDGES_QUERY,
    LAW_TITLE_QUERY,
    UPSERT_TRANSITORIOS_QUERY,
    create_tree_query,
    STAGE_VERSION_QUERY,
    VERSION_STATE_QUERY,
    load_parsed_law,
    merge_edges_query,
    upsert_nodes_query,
)
from lawgraph.graph.neo4j_backend import BULK_QUERY_OPTIONS, Neo4jStore, schema_statements
from lawgraph.graph.store import NODE_LABELS, PROPERTY_INDEXES, RELATIONSHIP_INDEXES
from lawgraph.provisions import get_provision
from tests.graph_support import make_law

KW = dict(jurisdiction="mx", kind="ley", key="lgamvlv")


def test_schema_ddl_is_pinned():
    ddl = schema_statements()
    assert ddl[0] == (
        "CREATE CONSTRAINT lawgraph_document_id IF NOT EXISTS "
        "FOR (n:`Document`) REQUIRE n.id IS UNIQUE"
    )
    assert (
        "CREATE CONSTRAINT lawgraph_provisionversion_id IF NOT EXISTS "
        "FOR (n:`ProvisionVersion`) REQUIRE n.id IS UNIQUE"
    ) in ddl
    assert (
        "CREATE INDEX lawgraph_provisionversion_version_id IF NOT EXISTS "
        "FOR (n:`ProvisionVersion`) ON (n.`version_id`)"
    ) in ddl
    assert ddl[-1] == (
        "CREATE FULLTEXT INDEX lawgraph_provision_text IF NOT EXISTS "
        "FOR (n:`ProvisionVersion`) ON EACH [n.`text`] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'spanish'}}"
    )
    assert len(ddl) == len(NODE_LABELS) + len(PROPERTY_INDEXES) + len(RELATIONSHIP_INDEXES) + 1


def test_loader_statements_are_pinned():
    assert upsert_nodes_query("ProvisionVersion") == (
        "UNWIND $rows AS r\n"
        "MERGE (n:`ProvisionVersion` {id: r.id})\n"
        "ON CREATE SET n += r.create\n"
        "SET n += r.props, n += $common"
    )
    assert merge_edges_query("LISTS", "LawVersion", "Decree", True) == (
        "UNWIND $rows AS r\n"
        "MATCH (a:`LawVersion` {id: r.src})\n"
        "MATCH (b:`Decree` {id: r.dst})\n"
        "MERGE (a)-[e:`LISTS`]->(b)\n"
        "SET e += r.props"
    )
    assert COMPLETE_VERSION_QUERY == (
        "MATCH (v:`LawVersion` {id: $version_id})\n"
        "SET v += $props, v.complete = true, v.content_hash = $content_hash\n"
        "RETURN v.id AS id"
    )


def _recording_driver(calls: list[tuple[str, dict, str | None]]):
    """A driver of the real neo4j types' shape that records each session.run and answers
    the two reads the loader must see answered (none stored yet; the version completed)."""
    driver = create_autospec(neo4j.Driver, instance=True)

    def new_session(database=None, **_):
        session = create_autospec(neo4j.Session, instance=True)
        session.__enter__.return_value = session

        def run(query, parameters=None, **_):
            # Recorded without the write path's query options (pinned below, per statement).
            bulk = query.startswith(BULK_QUERY_OPTIONS)
            query = query.removeprefix(BULK_QUERY_OPTIONS)
            driver.bulk.append(bulk)
            calls.append((query, parameters, database))
            result = create_autospec(neo4j.Result, instance=True)
            rows = []
            counters = {}
            if query == COMPLETE_VERSION_QUERY:
                rows = [{"id": parameters["version_id"]}]
            elif query == STAGE_VERSION_QUERY:
                rows = [{"fresh": True}]  # as the server answers for a version it created
            elif "CREATE (a)-[:`CONTAINS`]->(n)" in query:
                # As a server answers for a new version of a new law: every row creates its
                # node, and a provision version its Provision too.
                per_row = 2 if "MERGE (p:`Provision`" in query else 1
                rows = [{"written": len(parameters["rows"]), "stale": 0}]
                counters = {"nodes-created": per_row * len(parameters["rows"])}
            result.data.return_value = rows
            summary = create_autospec(neo4j.ResultSummary, instance=True)
            summary.counters = neo4j.SummaryCounters(counters)
            result.consume.return_value = summary
            return result

        session.run.side_effect = run
        tx = create_autospec(neo4j.Transaction, instance=True)
        tx.run.side_effect = run
        session.begin_transaction.return_value = tx
        driver.transactions.append(tx)
        return session

    driver.session.side_effect = new_session
    driver.transactions = []
    driver.bulk = []
    return driver


def test_a_load_through_the_neo4j_backend_sends_the_pinned_sequence():
    calls: list[tuple[str, dict, str | None]] = []
    driver = _recording_driver(calls)
    store = Neo4jStore(driver, database="lawgraph", max_batch_rows=50)
    law = make_law(4, decrees=1)
    report = load_parsed_law(store, law, **KW)
    # The whole version in one explicit transaction, committed once; the DDL outside it.
    begun = [tx for tx in driver.transactions if tx.run.called]
    assert len(begun) == 1 and begun[0].commit.call_count == 1
    assert begun[0].run.call_count == len(calls) - len(schema_statements()) - 1
    queries = [q for q, _, _ in calls]
    assert all(db == "lawgraph" for _, _, db in calls)
    assert queries[: len(schema_statements())] == schema_statements()
    rest = queries[len(schema_statements()):]
    assert rest[0] == "CALL db.awaitIndexes(300)"
    assert rest[1] == VERSION_STATE_QUERY
    # One read gives the version's state and the stored hashes of its Document and Law.
    assert VERSION_STATE_QUERY == (
        "OPTIONAL MATCH (v:`LawVersion` {id: $version_id})\n"
        "OPTIONAL MATCH (d:`Document` {id: $document_id})\n"
        "OPTIONAL MATCH (l:`Law` {id: $law_id})\n"
        "RETURN v.id AS id, v.complete AS complete, v.sha256 AS sha256,\n"
        "       v.content_hash AS content_hash, d._h AS document_h, l._h AS law_h"
    )
    doc_id = ids.document_id(law.sha256)
    assert calls[len(schema_statements()) + 1][1] == {
        "version_id": "/mx/ley/lgamvlv@2026-01-15", "document_id": doc_id,
        "law_id": "/mx/ley/lgamvlv"}
    stage = [c for c in calls if c[0] == STAGE_VERSION_QUERY]
    assert stage[0][1] == {"law_id": "/mx/ley/lgamvlv", "version_id": "/mx/ley/lgamvlv@2026-01-15",
                           "date": "2026-01-15", "token": stage[0][1]["token"],
                           "document_id": doc_id}
    assert STAGE_VERSION_QUERY.endswith(
        "MERGE (l)-[:`HAS_VERSION`]->(v)\n"
        "WITH v\n"
        "MATCH (d:`Document` {id: $document_id})\n"
        "MERGE (v)-[:`READ_FROM`]->(d)\n"
        "RETURN v.created_by = $token AS fresh"
    )
    # Every staging load becomes the version's writer (the fresh load's CREATEs check it).
    assert "SET v.complete = false, v.law_id = $law_id, v.date = $date, v.writer = $token\n" in (
        STAGE_VERSION_QUERY)
    # A new version's decree list and decree transitorios, each with its relationships.
    assert DECREE_EDGES_QUERY in queries and UPSERT_TRANSITORIOS_QUERY in queries
    assert DECREE_EDGES_QUERY == (
        "MATCH (l:`Law` {id: $law_id}), (v:`LawVersion` {id: $version_id})\n"
        "UNWIND $rows AS r\n"
        "MATCH (d:`Decree` {id: r.id})\n"
        "MERGE (d)-[:`AMENDS`]->(l)\n"
        "MERGE (v)-[e:`LISTS`]->(d)\n"
        "SET e += r.props"
    )
    assert UPSERT_TRANSITORIOS_QUERY == (
        "UNWIND $rows AS r\n"
        "MATCH (d:`Decree` {id: r.decree})\n"
        "MERGE (n:`DecreeTransitorio` {id: r.id})\n"
        "ON CREATE SET n += r.create\n"
        "SET n += r.props, n += $common\n"
        "MERGE (d)-[:`HAS_TRANSITORIO`]->(n)"
    )
    # The staging marker precedes every provision write; the completion comes last.
    pv_query = create_tree_query("ProvisionVersion", "ProvisionVersion", True,
                                 ("kind", "label", "sha256"), ("version_id", "sha256"))
    assert pv_query == (
        "MATCH (v:`LawVersion` {id: $version_id}) WHERE v.writer = $token\n"
        "UNWIND $rows AS r\n"
        "MATCH (a:`ProvisionVersion` {id: r[1]})\n"
        "CREATE (n:`ProvisionVersion` {id: r[0], `version_id`: $common.`version_id`, "
        "`kind`: r[5], `label`: r[6], `sha256`: coalesce(r[7], $common.`sha256`), _h: r[2], "
        "provision_id: r[3]})\n"
        "MERGE (p:`Provision` {id: r[3]})\n"
        "ON CREATE SET p.law_id = n.law_id, p.kind = n.kind, p.label = n.label, p._h = r[4]\n"
        "WITH a, n, p, r, coalesce(p._h, '') <> r[4] AS stale\n"
        "FOREACH (_ IN CASE WHEN stale THEN [1] ELSE [] END |\n"
        "  SET p.law_id = n.law_id, p.kind = n.kind, p.label = n.label, p._h = r[4])\n"
        "CREATE (a)-[:`CONTAINS`]->(n)\n"
        "CREATE (n)-[:`VERSION_OF`]->(p)\n"
        "RETURN count(n) AS written, sum(CASE WHEN stale THEN 1 ELSE 0 END) AS stale"
    )
    pv_calls = [(q, p) for q, p, _ in calls if "CREATE (n:`ProvisionVersion`" in q]
    stage_at = queries.index(STAGE_VERSION_QUERY)
    assert all(queries.index(q) > stage_at for q, _ in pv_calls)
    # Only while this load is the version's writer (the token it staged the version with).
    assert {p["token"] for _, p in pv_calls} == {stage[0][1]["token"]}
    # The completion, then the law named after its newest complete version.
    assert queries[-2:] == [COMPLETE_VERSION_QUERY, LAW_TITLE_QUERY]
    assert calls[-2][1]["props"]["date"] == "2026-01-15"
    assert calls[-1][1] == {"law_id": "/mx/ley/lgamvlv"}
    pv_rows = [r for _, p in pv_calls for r in p["rows"]]
    assert len(pv_rows) == report.nodes["ProvisionVersion"].inserted
    # Articles (under their título or capítulo) before the units inside them; a row is
    # [id, parent, _h, provision id, provision _h, the values of the query's fields …].
    assert pv_rows[0][0] == "/mx/ley/lgamvlv@2026-01-15/art_1"
    assert pv_rows[0][1] == "/mx/ley/lgamvlv@2026-01-15/tit_primero"
    assert pv_rows[0][3] == "/mx/ley/lgamvlv/art_1"
    assert len(pv_rows[0][2]) == 24
    # What every row shares travels once per batch, the rest per row.
    assert pv_calls[0][1]["common"]["version_id"] == "/mx/ley/lgamvlv@2026-01-15"
    assert pv_calls[0][1]["common"]["sha256"] == law.sha256
    assert len(pv_rows[0][4]) == 24
    pv_q, pv_p = pv_calls[0]
    for prop in ("version_id", "text", "sha256", "page", "start", "end", "reform_notes"):
        assert f"`{prop}`: " in pv_q
    assert {"version_id", "law_id", "valid_from"} <= set(pv_p["common"])
    assert report.nodes["Provision"].inserted == len(pv_rows)
    # Every parameter is plain JSON: temporal values travel as ISO strings.
    json.dumps([p for _, p, _ in calls])
    # Written statements keep their cached plan (replan=skip); reads and DDL do not ask to.
    bulk = dict(zip(queries, driver.bulk))
    assert BULK_QUERY_OPTIONS == "CYPHER replan=skip\n"
    assert bulk[pv_calls[0][0]] and bulk[UPSERT_TRANSITORIOS_QUERY]
    assert not bulk[VERSION_STATE_QUERY] and not any(bulk[q] for q in schema_statements())


def _free_port() -> int:
    # FalkorDB 4.16.3 refuses a BOLT_PORT above 32767 (seen here: the endpoint never listens),
    # so pick a free port below that instead of the kernel's ephemeral range.
    for port in range(random.randrange(20000, 30000), 32768):
        with socket.socket() as s:
            try:
                s.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below 32768")


def _close_quietly(driver) -> None:
    # FalkorDB's Bolt endpoint does not answer the driver's GOODBYE; don't hang on it.
    t = threading.Thread(target=driver.close, daemon=True)
    t.start()
    t.join(5)


def test_neo4j_driver_over_falkordb_bolt(tmp_path):
    port = _free_port()
    # Bolt writes abort FalkorDB 4.16.3 when the append-only file is on (see EmbeddedFalkorDB).
    with EmbeddedFalkorDB(tmp_path, bolt_port=port, appendonly=False) as server:
        driver = neo4j.GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=None)
        try:
            try:
                driver.verify_connectivity()
            except Exception as exc:  # pragma: no cover - depends on the wheel's module
                pytest.skip(f"FalkorDB Bolt endpoint not reachable on port {port}: {exc}")
            # Parameters and statement text share the ~4 KB message; the longest statement
            # (a provision-version tree) is ~1.1 KB.
            store = Neo4jStore(driver, schema=False, max_batch_rows=20, max_batch_bytes=2500)
            law = make_law(6, fracciones=2, decrees=2)
            report = load_parsed_law(store, law, **KW)
            assert report.total("inserted") > 0
            view = get_provision(store, "LGAMVLV art 3 fr. II")
            assert view.text == law.article("3").fracciones()[1].full_text()
            assert [s.label for s in view.path[1:]] == ["PRIMERO", "I", "3"]
            assert load_parsed_law(store, law, **KW).unchanged_document
            with pytest.raises(StoreError):
                store.run("MATCH (n RETURN n")
            # The same data through FalkorDB's native client, on the one graph Bolt wrote.
            graphs = server.client().list_graphs()
            assert len(graphs) == 1
            native = FalkorDBStore(server.client(), graph=graphs[0])
            assert read.stats(native)["nodes"] == read.stats(store)["nodes"]
        finally:
            _close_quietly(driver)
