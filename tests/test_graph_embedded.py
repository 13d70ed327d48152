"""The embedded FalkorDB server's life cycle, and a load killed with SIGKILL mid-way."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from lawgraph.graph import read
from lawgraph.graph.falkordb_backend import _literal
from lawgraph.graph.falkordb_server import EmbeddedFalkorDB, _pid_alive
from lawgraph.graph.load import load_parsed_law, plan_law
from tests.graph_support import make_law

REPO = Path(__file__).resolve().parents[1]
KW = dict(jurisdiction="mx", kind="ley", key="lgamvlv")


def test_start_share_stop_and_persist(tmp_path):
    with EmbeddedFalkorDB(tmp_path) as first:
        assert first.is_running() and first.owned
        assert first.unix_socket and Path(first.unix_socket).exists()
        load_parsed_law(first.store(), make_law(5), **KW)
        # A second process-like user of the same data dir attaches instead of starting another.
        second = EmbeddedFalkorDB(tmp_path).start()
        assert second.pid == first.pid and not second.owned
        assert read.find_article(second.store(), "lgamvlv", "2") is not None
        second.stop()  # not the owner: only drops its connection
        assert first.is_running()
        pid = first.pid
    assert not _pid_alive(pid)
    assert not (tmp_path / "falkordb" / "server.json").exists()
    assert not (tmp_path / "falkordb" / "falkordb.sock").exists()
    # Persisted on disk: a new server on the same directory has the law.
    with EmbeddedFalkorDB(tmp_path) as again:
        assert again.pid != pid
        assert read.find_article(again.store(), "lgamvlv", "2").label == "2"


def test_stale_state_after_a_server_crash_is_cleaned(tmp_path):
    server = EmbeddedFalkorDB(tmp_path).start()
    load_parsed_law(server.store(), make_law(4), **KW)
    time.sleep(1.2)  # the append-only file is fsynced every second
    os.kill(server.pid, signal.SIGKILL)
    server._proc.wait()
    assert (tmp_path / "falkordb" / "server.json").exists()  # left behind by the crash
    with EmbeddedFalkorDB(tmp_path) as fresh:
        assert fresh.owned and fresh.is_running()
        assert read.find_article(fresh.store(), "lgamvlv", "3") is not None


def test_long_data_dir_gets_a_private_short_socket_and_no_tcp_port(tmp_path):
    import stat

    deep = tmp_path / ("d" * 60) / ("e" * 60)
    with EmbeddedFalkorDB(deep) as server:
        assert server.port is None and server.unix_socket and len(server.unix_socket) <= 100
        folder = os.stat(os.path.dirname(server.unix_socket))
        assert folder.st_uid == os.getuid() and stat.S_IMODE(folder.st_mode) == 0o700
        assert server.store().run("RETURN 1 AS one").rows == [{"one": 1}]
        # issue 13 pt 8: nothing listens on TCP (CONFIG GET port answers 0)
        assert server.client().connection.config_get("port") == {"port": "0"}


LOADER_SCRIPT = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {repo!r})
    from tests.graph_support import make_law
    from lawgraph.graph.falkordb_server import EmbeddedFalkorDB
    from lawgraph.graph.load import load_parsed_law

    server = EmbeddedFalkorDB({home!r}).start()
    store = server.store()
    store.max_batch_rows = 200
    law = make_law({n})
    def hook(what, done, total):
        print(what, done, total, flush=True)
        if what == "ProvisionVersion" and done >= 100:
            time.sleep(60)  # the test kills us here, after the first of the tree's statements
    load_parsed_law(store, law, jurisdiction="mx", kind="ley", key="lgamvlv", on_batch=hook)
    print("DONE", flush=True)
    """
)


@pytest.mark.parametrize("kill_server_too", [False, True])
def test_sigkill_mid_load_leaves_no_visible_half_version_and_a_rerun_completes(tmp_path, kill_server_too):
    n = 200
    script = LOADER_SCRIPT.format(repo=str(REPO), home=str(tmp_path), n=n)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            cwd=str(REPO))
    seen = []
    deadline = time.monotonic() + 120
    for line in proc.stdout:
        seen.append(line.strip())
        if line.startswith("ProvisionVersion") and int(line.split()[1]) >= 100:
            break
        assert time.monotonic() < deadline, "the loader never reached the kill point"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert "DONE" not in seen
    state = json.loads((tmp_path / "falkordb" / "server.json").read_text())
    if kill_server_too:
        time.sleep(1.2)  # let the last fsync of the append-only file happen
        os.kill(state["pid"], signal.SIGKILL)
        for _ in range(100):
            if not _pid_alive(state["pid"]):
                break
            time.sleep(0.05)

    law = make_law(n)
    plan = plan_law(law, **KW)
    server = EmbeddedFalkorDB(tmp_path).start()
    try:
        assert server.owned == kill_server_too  # a surviving server is reused
        store = server.store()
        staged = store.run("MATCH (pv:ProvisionVersion) RETURN count(pv) AS n").rows[0]["n"]
        assert 0 < staged < len(plan.nodes["ProvisionVersion"])
        # Readers see nothing of the half-written version.
        assert read.find_article(store, "lgamvlv", "1") is None
        assert read.version_articles(store, "lgamvlv") == []
        assert read.list_laws(store)[0]["versions"] == []
        assert read.stats(store)["incomplete_versions"] == ["/mx/ley/lgamvlv@2026-01-15"]

        report = load_parsed_law(store, law, **KW)
        assert report.recovered_incomplete
        pv = report.nodes["ProvisionVersion"]
        assert pv.inserted + pv.unchanged == len(plan.nodes["ProvisionVersion"])
        assert pv.unchanged >= 1 and pv.inserted >= 1
        expected = {label: len(nodes) for label, nodes in plan.nodes.items()}
        expected["LawVersion"] = 1
        assert read.stats(store)["nodes"] == expected
        assert read.stats(store)["incomplete_versions"] == []
        assert len(read.version_articles(store, "lgamvlv")) == len(law.articles)
        assert load_parsed_law(store, law, **KW).unchanged_document
    finally:
        server.stop(force=True)


def test_two_concurrent_loads_of_one_new_version_make_no_duplicates(tmp_path):
    import threading

    from lawgraph.graph.falkordb_backend import FalkorDBStore

    law = make_law(150)
    plan = plan_law(law, **KW)
    with EmbeddedFalkorDB(tmp_path) as server:
        from falkordb import FalkorDB

        stores = [FalkorDBStore(FalkorDB(unix_socket_path=server.unix_socket), max_batch_rows=100)
                  for _ in range(2)]
        stores[0].ensure_schema()
        reports, errors = [], []

        def load(st):
            try:
                reports.append(load_parsed_law(st, law, **KW))
            except Exception as exc:  # surfaced below
                errors.append(exc)

        interval = sys.getswitchinterval()
        threads = [threading.Thread(target=load, args=(st,)) for st in stores]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        # Each load shortens the interpreter's switch interval; the last one restores it.
        assert sys.getswitchinterval() == interval
        # Exactly one of them created the version; the other merged into it.
        assert sorted(r.nodes["LawVersion"].inserted for r in reports) == [0, 1]
        expected = {label: len(nodes) for label, nodes in plan.nodes.items()}
        expected["LawVersion"] = 1
        assert read.stats(stores[0])["nodes"] == expected
        assert len(read.version_articles(stores[0], "lgamvlv")) == len(law.articles)


def test_a_load_that_takes_a_new_version_over_mid_creation_makes_no_duplicates(tmp_path):
    """The fresh load CREATEs only while it is the version's writer: a second load that
    stages the version between two of its statements (here: the whole second load runs
    there) turns the rest of them into no-ops, and the first finishes by merging."""
    from falkordb import FalkorDB

    from lawgraph.graph.falkordb_backend import FalkorDBStore

    law = make_law(150)
    plan = plan_law(law, **KW)
    with EmbeddedFalkorDB(tmp_path) as server:
        first, second = (FalkorDBStore(FalkorDB(unix_socket_path=server.unix_socket),
                                       max_batch_rows=100) for _ in range(2))
        second_reports = []

        def hook(what, done, total):
            # On the first load's sender thread, after one of its provision statements.
            if what == "ProvisionVersion" and not second_reports:
                second_reports.append(load_parsed_law(second, law, **KW))

        report = load_parsed_law(first, law, on_batch=hook, **KW)
        assert len(second_reports) == 1
        assert second_reports[0].recovered_incomplete
        assert report.nodes["LawVersion"].inserted == 1  # it did create the version
        expected = {label: len(nodes) for label, nodes in plan.nodes.items()}
        expected["LawVersion"] = 1
        assert read.stats(first)["nodes"] == expected
        assert read.stats(first)["incomplete_versions"] == []
        ids = first.run("MATCH (n:ProvisionVersion) RETURN count(n) AS n, "
                        "count(DISTINCT n.id) AS d").rows[0]
        assert ids["n"] == ids["d"] == len(plan.nodes["ProvisionVersion"])
        assert len(read.version_articles(first, "lgamvlv")) == len(law.articles)
        assert load_parsed_law(first, law, **KW).unchanged_document


def test_list_parameters_read_back_exactly(tmp_path):
    """Lists of scalars (and of such lists) travel as JSON text; every string reads back
    as it was sent, control characters and backslashes included, as do maps and floats,
    which take the general encoder."""
    texts = ["a\nb\tc\r", 'q"uote', "back\\slash\\", "\\u00e9 literal", "\x01\x1f\x7f",
             "\b\f", "é ñ “x” — ¶ 😀", "\u2028", "/", ""]
    plain = texts[:3] + texts[5:]  # no control character but \b \f \n \r \t: the JSON path
    assert _literal([plain]) == json.dumps([plain], ensure_ascii=False, separators=(",", ":"))
    values = [texts, plain, [texts, [1, -2, True, False, None]], [[1.5, "x"]], [{"k": "v\n"}],
              [1, None, "x"], [], [[]]]
    with EmbeddedFalkorDB(tmp_path) as server:
        store = server.store()
        for value in values:
            assert store.run("RETURN $x AS x", {"x": value}).rows == [{"x": value}]


def test_submitted_statements_answer_in_order_and_stop_after_a_failure(tmp_path):
    from lawgraph.errors import StoreError

    with EmbeddedFalkorDB(tmp_path) as server:
        store = server.store()
        seen = []
        futures = [store.submit("CREATE (:T {i: $i}) RETURN $i AS i", {"i": i},
                                lambda res: seen.append(res.rows[0]["i"]), pipeline=i % 3 > 0)
                   for i in range(30)]
        store.flush()
        assert seen == list(range(30))
        assert [f.result().rows[0]["i"] for f in futures] == list(range(30))

        def count(i):
            return store.run("MATCH (t:T {i: $i}) RETURN count(t) AS n", {"i": i}).rows[0]["n"]

        # A statement the server refuses: what is queued behind it and not pipelined is
        # not run, and every future raises the one error, which flush raises once.
        bad = store.submit("RETURN no_such_function(1)", pipeline=True)
        held = store.submit("CREATE (:T {i: 100})")
        with pytest.raises(StoreError, match="no_such_function"):
            store.flush()
        assert held.exception() is bad.exception()
        assert count(100) == 0
        # The same after an on_result that fails.

        def boom(_res):
            raise StoreError("boom")

        store.submit("RETURN 1 AS one", None, boom, pipeline=True)
        store.submit("CREATE (:T {i: 101})")
        with pytest.raises(StoreError, match="boom"):
            store.flush()
        assert count(101) == 0
        store.flush()  # the error was raised once
        assert store.submit("RETURN 2 AS two", pipeline=True).result().rows == [{"two": 2}]
        store.close()


def test_open_store_uses_the_configured_home_and_backend(lawgraph_home):
    from lawgraph.config import Settings
    from lawgraph.errors import ConfigError
    from lawgraph.graph import open_store

    with open_store() as store:
        load_parsed_law(store, make_law(3), **KW)
    assert (lawgraph_home / "falkordb" / "appendonlydir").is_dir()
    assert not (lawgraph_home / "falkordb" / "server.json").exists()  # stopped on exit
    with open_store() as store:
        assert read.list_laws(store)[0]["versions"] == ["2026-01-15"]
    # neo4j without NEO4J_URI starts the project's local Neo4j: tests/test_neo4j_server.py.
    with pytest.raises(ConfigError, match="LAWGRAPH_BACKEND"):
        with open_store(Settings(backend="sqlite")):
            pass
