"""`lawgraph serve` as a person runs it: a real uvicorn process on loopback over an embedded store
it starts itself; SIGTERM (what a service manager sends) stops the site and the store with it."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

LAWGRAPH = str(Path(sys.executable).parent / "lawgraph")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_answers_and_stops_its_store_on_sigterm(tmp_path: Path, workers: int):
    port = _port()
    env = {**os.environ, "LAWGRAPH_HOME": str(tmp_path)}
    proc = subprocess.Popen([LAWGRAPH, "serve", "--port", str(port), "--workers", str(workers)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
                break
            except httpx.HTTPError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode()[-2000:]
                time.sleep(0.3)
        assert r.status_code == 200 and "El grafo está vacío" in r.text
        assert r.headers["x-frame-options"] == "DENY"
        state = json.loads((tmp_path / "falkordb" / "server.json").read_text())
        store_pid = int(state["pid"])
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and Path(f"/proc/{store_pid}").exists():
        time.sleep(0.2)
    alive = Path(f"/proc/{store_pid}").exists() and "zombie" not in Path(f"/proc/{store_pid}/status").read_text()
    assert not alive, "the store started by `serve` outlived it"
    assert not (tmp_path / "falkordb" / "server.json").exists()
