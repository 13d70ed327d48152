"""Shared fixtures: the real corpus beside the checkout, and throw-away data directories."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
CORPORA = SHARED / "corpora"
EVAL = SHARED / "eval"


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared beside the checkout (corpora/ and eval/); the suite needs it."""
    if not CORPORA.is_dir():
        pytest.fail(f"the real corpus is missing: expected {CORPORA} (../shared beside the checkout)")
    return SHARED


@pytest.fixture(scope="session")
def corpora(shared: Path) -> Path:
    return shared / "corpora"


@pytest.fixture(scope="session")
def eval_dir(shared: Path) -> Path:
    return shared / "eval"


@pytest.fixture()
def lawgraph_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory for one test, exported as LAWGRAPH_HOME."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("LAWGRAPH_HOME", str(home))
    return home


# --------------------------------------------------------------------------------------------
# Two backends. Every test that touches the graph asks for `backend` (through the `store`
# fixture of tests/graph_support.py, or directly) and runs once on the embedded FalkorDB and
# once on a real Neo4j 5: the project's local one (neo4j-launcher/, one server for the whole
# session, emptied between tests), or the server NEO4J_URI names. The summary at the end says
# how many ran on each.

import os  # noqa: E402

BACKENDS = ("falkordb", "neo4j")


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """'falkordb' or 'neo4j': the graph tests run once with each."""
    return request.param


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory):
    """Connection settings of the session's Neo4j: NEO4J_URI's server when set, else the
    project's local Neo4j 5, started once (stopped at the end, or when pytest dies)."""
    if os.environ.get("NEO4J_URI"):
        pw = os.environ.get("NEO4J_PASSWORD")
        yield {"uri": os.environ["NEO4J_URI"],
               "auth": (os.environ.get("NEO4J_USER", "neo4j"), pw) if pw else None,
               "database": os.environ.get("NEO4J_DATABASE")}
        return
    from lawgraph.graph.neo4j_server import LocalNeo4j

    server = LocalNeo4j(tmp_path_factory.mktemp("neo4j-home"), parent_bound=True).start()
    try:
        yield {"uri": server.uri, "auth": server.auth(), "database": None}
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server):
    """One driver for the session's Neo4j."""
    import neo4j

    driver = neo4j.GraphDatabase.driver(neo4j_server["uri"], auth=neo4j_server["auth"],
                                        notifications_min_severity="OFF")
    yield driver
    driver.close()


_ran: dict[str, dict[str, int]] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # A test's outcome once: its call (or the setup/teardown that failed or skipped it).
    if report.when != "call" and report.outcome == "passed":
        return
    name = getattr(report, "lawgraph_backend", None)
    if name:
        counts = _ran.setdefault(name, {})
        counts[report.outcome] = counts.get(report.outcome, 0) + 1


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "backend" in callspec.params:
        outcome.get_result().lawgraph_backend = callspec.params["backend"]


def pytest_terminal_summary(terminalreporter) -> None:
    if _ran:
        terminalreporter.section("graph tests per backend")
        for name in BACKENDS:
            counts = _ran.get(name, {})
            terminalreporter.write_line(
                f"{name}: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) if counts
                else f"{name}: none ran")
