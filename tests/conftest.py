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
