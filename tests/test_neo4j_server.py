"""The project's local Neo4j as a person drives it: `lawgraph neo4j start`, commands with
LAWGRAPH_BACKEND=neo4j that attach to it, a clean stop that keeps the data, a restart."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lawgraph.cli import app
from lawgraph.graph.neo4j_server import LocalNeo4j, _pid_alive

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_start_attach_stop_and_restart_keep_the_data(tmp_path: Path, corpora: Path,
                                                      monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LAWGRAPH_HOME", str(tmp_path))
    monkeypatch.setenv("LAWGRAPH_BACKEND", "neo4j")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    try:
        r = run("neo4j", "start")
        assert r.exit_code == 0 and "Neo4j en marcha" in r.stdout, r.output
        status = json.loads(run("neo4j", "status", "--json").stdout)
        assert status["running"] and status["uri"].startswith("bolt://127.0.0.1:")
        assert (tmp_path / "neo4j" / "password").stat().st_mode & 0o077 == 0, "password file private"
        # A command attaches to the running server (and leaves it running).
        r = run("ingest", str(corpora / "laws/federal_bajalabs_2025-08/LGIMH_static.pdf"), "--json")
        assert r.exit_code == 0, r.output
        stats = json.loads(run("stats", "--json").stdout)["stats"]
        assert stats["nodes"]["ProvisionVersion"] > 100
        assert LocalNeo4j(tmp_path).attach()
        pid = status["pid"]
        assert "Neo4j detenido" in run("neo4j", "stop").stdout
        assert not (tmp_path / "neo4j" / "ready.json").exists()
        assert not _pid_alive(pid)
        # Without a running server, a command starts one itself, and stops it after.
        again = json.loads(run("stats", "--json").stdout)["stats"]
        assert again == stats
        assert not json.loads(run("neo4j", "status", "--json").stdout)["running"]
    finally:
        run("neo4j", "stop")


def test_a_stale_ready_file_is_not_taken_for_a_server(tmp_path: Path):
    d = tmp_path / "neo4j"
    d.mkdir()
    # The pid of a process that has ended: this test's own child, reaped.
    import subprocess

    child = subprocess.Popen(["true"])
    child.wait()
    (d / "ready.json").write_text(json.dumps({"uri": "bolt://127.0.0.1:1", "pid": child.pid}))
    server = LocalNeo4j(tmp_path)
    assert not server.attach()
    assert not (d / "ready.json").exists()
