"""The staged build (lawgraph.graph.staged, ``lawgraph build|rebuild --staged``): the corpus
written jurisdiction by jurisdiction into a scratch graph and created at once by GRAPH.BULK is,
element by element, the graph the statement-by-statement build writes; a broken partition or a
failing unit stops it before the target is touched."""
from __future__ import annotations

from pathlib import Path

import pytest

from lawgraph.config import Settings
from lawgraph.errors import LawgraphError, StoreError
from lawgraph.graph import read
from lawgraph.graph.load import load_parsed_law
from lawgraph.graph.staged import SCRATCH_SUFFIX, StagedBuild
from lawgraph.graph.transfer import read_graph
from tests.graph_support import falkordb_server, make_law, open_test_store  # noqa: F401
from tests.test_backends import PARAMS, VOLATILE, _answers, _assert_same_graph, _differ

KW = dict(jurisdiction="mx", kind="ley", key="lgamvlv")


def _exists(store) -> bool:
    return bool(store.client.connection.exists(store.graph_name))


def _empty(store) -> bool:
    return store.run("MATCH (n) RETURN count(n) AS n").rows[0]["n"] == 0


@pytest.mark.slow
def test_the_staged_build_of_the_corpus_is_the_statement_build_element_by_element(
        request: pytest.FixtureRequest, tmp_path: Path):
    from lawgraph.steps import STEPS, build

    from tests.graph_support import build_beside, store_address

    stores = {staged: open_test_store("falkordb", request) for staged in (False, True)}
    try:
        # the statement build in a second process beside the staged one (graph_support.build_beside)
        beside = build_beside(store_address(stores[False], request), tmp_path / "False")
        results = build(stores[True], steps=STEPS, settings=Settings(home=tmp_path / "True"), staged=True)
        for res in (results, beside.result()):
            assert all(r.ok for r in res), [(r.name, r.errors[:3]) for r in res if not r.ok]
        plain, staged = stores[False], stores[True]
        names = [r.name for r in results]
        assert names == ["laws", "history", "process", "bulk", *STEPS[3:]]
        bulk = results[3].details["units"]
        # Every jurisdiction of the corpus was a unit of its own, the federal one last.
        assert len(bulk) >= 3 and bulk[-1]["unit"] == "mx" and all(u["nodes"] for u in bulk)
        stats = plain.client.connection.info("commandstats")
        assert stats["cmdstat_graph.BULK"]["calls"] >= 1
        assert not plain.client.connection.exists(staged.graph_name + SCRATCH_SUFFIX)
        assert read.stats(staged) == read.stats(plain)
        assert _differ(_answers(staged, PARAMS, VOLATILE), _answers(plain, PARAMS, VOLATILE)) == {}
        _assert_same_graph(staged, plain)
    finally:
        for st in stores.values():
            st.clear()


def test_a_unit_that_repeats_another_units_node_stops_the_build_naming_it(request: pytest.FixtureRequest):
    target = open_test_store("falkordb", request)
    try:
        staged = StagedBuild(target)
        with staged.unit("a") as scratch:
            load_parsed_law(scratch, make_law(3), **KW)
        with pytest.raises(StoreError, match=r"unidad 'b'.*nodo repetido.*'/mx/"):
            with staged.unit("b") as scratch:
                load_parsed_law(scratch, make_law(3), **KW)
        # Nothing can be added or loaded after it, and the target was never written.
        with pytest.raises(StoreError, match="unidad 'b'"):
            staged.finish()
        assert _empty(target) and not _exists(staged.scratch)
    finally:
        target.clear()


def test_a_failing_unit_leaves_the_target_untouched_and_the_others_are_loaded(request: pytest.FixtureRequest):
    target = open_test_store("falkordb", request)
    try:
        staged = StagedBuild(target)
        with pytest.raises(RuntimeError):
            with staged.unit("broken") as scratch:
                load_parsed_law(scratch, make_law(3), **KW)
                raise RuntimeError("parser crashed")
        assert not _exists(staged.scratch) and _empty(target)
        with staged.unit("ok") as scratch:
            load_parsed_law(scratch, make_law(4), **KW)
            expected = read_graph(scratch)
        report = staged.finish()
        assert report.units == [("ok", len(expected[0]), len(expected[1]))]
        assert read_graph(target) == expected
        # The loaded graph has its indexes, like any other.
        assert target.run("CALL db.indexes() YIELD label RETURN count(*) AS n").rows[0]["n"] > 0
    finally:
        target.clear()


def test_a_staged_build_refuses_a_graph_with_data_or_another_backend_changing_nothing(
        request: pytest.FixtureRequest, tmp_path: Path):
    from lawgraph.journal import Journal
    from lawgraph.steps import build, rebuild

    fk = open_test_store("falkordb", request)
    n4 = open_test_store("neo4j", request)
    try:
        for st in (fk, n4):
            load_parsed_law(st, make_law(3), **KW)
        before = {id(st): read_graph(st) for st in (fk, n4)}
        settings = Settings(home=tmp_path)
        with pytest.raises(StoreError, match="ya tiene .* nodos.*rebuild --staged"):
            build(fk, steps=("laws",), settings=settings, staged=True)
        with pytest.raises(LawgraphError, match="solo existe para FalkorDB"):
            rebuild(n4, steps=("laws",), settings=settings, staged=True, journal=Journal(tmp_path / "journal"))
        with pytest.raises(LawgraphError, match="no admite documentos sueltos"):
            rebuild(fk, targets=["lgamvlv"], settings=settings, staged=True, journal=Journal(tmp_path / "journal"))
        for st in (fk, n4):
            assert read_graph(st) == before[id(st)]
    finally:
        fk.clear()
        n4.clear()
        n4.close()


def test_the_compact_reader_gives_what_the_client_gives_for_every_value_kind(request: pytest.FixtureRequest):
    """FalkorDBStore.read_rows (the read-back of each unit) decodes the server's compact reply
    itself: every value kind a graph property or a read can hold comes back as ``run`` gives it."""
    st = open_test_store("falkordb", request)
    try:
        st.run("CREATE (:Law {id: 'a', s: 'ñ \"x\" \\\\ y', i: -3, big: 9007199254740993, f: 0.1, t: true, "
               "no: false, xs: ['a', 'b'], ns: [1, 2.5], e: []})")
        query = ("MATCH (n:Law) RETURN n.id AS id, properties(n) AS p, null AS nothing, "
                 "{k: [1, {z: 'w'}]} AS nested, $v AS echoed")
        params = {"v": ["ü", 2, 3.25, None, True]}
        assert st.read_rows(query, params) == st.run(query, params).rows
        row = st.read_rows(query, params)[0]
        assert row["p"]["big"] == 9007199254740993 and row["p"]["t"] is True and row["nothing"] is None
        with pytest.raises(StoreError, match="rechazó"):
            st.read_rows("CREATE (:Law {id: 'b'})")       # RO_QUERY: a write is refused
    finally:
        st.clear()


def test_cli_build_and_rebuild_staged(lawgraph_home: Path, monkeypatch: pytest.MonkeyPatch):
    """``lawgraph build --staged`` creates a new graph (here the Constitution's history alone),
    refuses a graph that has data, and ``rebuild --staged`` builds beside it and swaps."""
    import json

    from typer.testing import CliRunner

    from lawgraph.cli import app

    monkeypatch.delenv("LAWGRAPH_BACKEND", raising=False)

    def run(*args: str):
        return CliRunner().invoke(app, list(args), catch_exceptions=False)

    r = run("build", "--staged", "--step", "history", "--json")
    assert r.exit_code == 0, r.output
    steps = json.loads(r.stdout)["steps"]
    assert [s["name"] for s in steps] == ["history", "bulk"] and all(s["ok"] for s in steps)
    stats = json.loads(run("stats", "--json").stdout)["stats"]
    assert stats["nodes"]["ProvisionVersion"] > 900
    r = run("build", "--staged", "--step", "history")
    assert r.exit_code != 0 and "rebuild --staged" in r.output
    r = run("rebuild", "--staged", "--yes", "--step", "history", "--json")
    assert r.exit_code == 0, r.output
    assert [s["name"] for s in json.loads(r.stdout)["steps"]] == ["history", "bulk", "swap"]
    assert json.loads(run("stats", "--json").stdout)["stats"] == stats
    run("db", "stop")


def test_a_second_process_that_dies_names_its_step(tmp_path: Path):
    # The corpus comparisons build the second backend in a spawned process: a child that dies
    # (killed, out of memory, a native crash) must say where, not just "process pool broken".
    from lawgraph.steps import STEPS
    from tests.graph_support import BesideBuild, _die_after, _in_child

    beside = BesideBuild(_in_child(_die_after, str(tmp_path), ["laws", "history"]), "neo4j", tmp_path, STEPS)
    with pytest.raises(RuntimeError, match=r"neo4j build .* died in step 'process' \(finished: laws, history"):
        beside.result(timeout=120)
