"""The embedded database survives and recovers (issue 13, pt 5): a crashed server comes back
for readers and for a running ``serve``, commands never stop it under ``serve``, counts need no
scan, and errors reach people as short Spanish messages."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from lawgraph.errors import StoreError
from lawgraph.graph.falkordb_server import EmbeddedFalkorDB, _pid_alive
from lawgraph.graph.store import counts, label_count_query, type_count_query


def _crash(server: EmbeddedFalkorDB) -> int:
    """SIGKILL the server process, as the segfault of issue 13 ended it; its old pid."""
    pid = server.pid
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while _pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _pid_alive(pid)
    return pid


def test_a_read_after_a_crash_revives_the_server_and_gets_the_data(tmp_path):
    with EmbeddedFalkorDB(tmp_path) as server:
        store = server.store()
        store.run("CREATE (:Law {id: 'l1', key: 'lgamvlv'})")
        time.sleep(1.5)                           # the append-only file is fsync'd every second
        old = _crash(server)
        rows = store.run("MATCH (l:Law) RETURN l.key AS key").rows
        assert rows == [{"key": "lgamvlv"}]
        assert server.restarts == 1 and server.pid != old and server.is_running()


def test_a_write_cut_by_a_crash_is_not_repeated_but_the_next_one_works(tmp_path):
    with EmbeddedFalkorDB(tmp_path) as server:
        store = server.store()
        _crash(server)
        with pytest.raises(StoreError, match="se reinició durante una escritura"):
            store.run("CREATE (:Law {id: 'l2'})")
        store.run("CREATE (:Law {id: 'l3'})")
        assert [r["id"] for r in store.run("MATCH (l:Law) RETURN l.id AS id").rows] == ["l3"]


def test_serve_watcher_restarts_a_crashed_server(tmp_path):
    with EmbeddedFalkorDB(tmp_path) as server, server.serving():
        _crash(server)
        deadline = time.monotonic() + 60
        while server.restarts < 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert server.is_running() and server.restarts == 1


def test_commands_never_stop_the_database_under_serve(tmp_path):
    command = EmbeddedFalkorDB(tmp_path).start()          # a CLI command started it
    assert command.owned
    serve = EmbeddedFalkorDB(tmp_path).start()            # then `serve` joined it
    assert not serve.owned and serve.pid == command.pid
    with serve.serving():
        command.stop()                                    # the command ends: server left running
        assert serve.is_running()
        other = EmbeddedFalkorDB(tmp_path)
        assert other._attach_existing()
        with pytest.raises(StoreError, match="lawgraph serve"):   # `lawgraph db stop`
            other.stop(force=True)
        assert serve.is_running()
    last = EmbeddedFalkorDB(tmp_path)
    assert last._attach_existing()
    last.stop(force=True)                                 # no serve any more: it stops
    assert not _pid_alive(serve.pid)


def test_counts_match_a_full_scan_and_scan_nothing(tmp_path, corpora: Path):
    from lawgraph.ingestion import Job
    from lawgraph.steps import ingest_document

    with EmbeddedFalkorDB(tmp_path) as server:
        store = server.store()
        out = ingest_document(store, Job(corpora / "laws/federal/lgamvlv.pdf"))
        assert out.error is None
        got = store.counts()
        scan_nodes = {r["label"]: r["count"] for r in store.run(
            "MATCH (n) RETURN labels(n)[0] AS label, count(n) AS count").rows}
        scan_rels = {r["type"]: r["count"] for r in store.run(
            "MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS count").rows}
        assert got == {"nodes": scan_nodes, "relationships": scan_rels}
        assert got["nodes"]["Provision"] > 100
        graph = store.graph
        for q in [label_count_query(x) for x in got["nodes"]] + [type_count_query(x) for x in got["relationships"]]:
            plan = str(graph.explain(q))
            assert "Scan" not in plan and "Traverse" not in plan, (q, plan)
        assert counts(store) == got


def test_database_errors_are_short_spanish_messages_without_query_text(tmp_path):
    with EmbeddedFalkorDB(tmp_path) as server:
        store = server.store()
        with pytest.raises(StoreError) as info:
            store.run("MATCH (n:Law {id: $id RETURN n.secreto", {"id": "x"})
        msg = str(info.value)
        assert msg.startswith("la base de datos rechazó la operación")
        assert "secreto" not in msg and "MATCH" not in msg and len(msg) < 200
        with pytest.raises(StoreError, match="NUL"):
            store.run("RETURN $t AS t", {"t": "a\x00b"})


def test_serve_context_starts_watches_and_stops_the_database(lawgraph_home, monkeypatch):
    from lawgraph.config import get_settings
    from lawgraph.graph import open_store
    from lawgraph.graph.falkordb_server import serving

    monkeypatch.setenv("LAWGRAPH_BACKEND", "falkordb")
    with serving(get_settings()) as server:              # what `lawgraph serve` wraps uvicorn in
        assert server.is_running() and server.owned
        with open_store() as store:                      # the app, and any command meanwhile
            assert store.run("RETURN 1 AS one").rows == [{"one": 1}]
        assert server.is_running()                       # a command's exit leaves it running
        assert EmbeddedFalkorDB(lawgraph_home).serve_running()
        pid = server.pid
    assert not _pid_alive(pid)                           # serve's exit stops what it started
