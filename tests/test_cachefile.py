"""Cache files written whole or not at all (``lawgraph.cachefile``): what a second process
filling the same cache, or a writer that fails half-way, leaves behind."""
from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import pytest

from lawgraph.cachefile import write_atomic


def _write_many(path: str, fill: bytes, times: int) -> None:
    for _ in range(times):
        write_atomic(Path(path), fill * 200_000)


def test_two_processes_writing_one_file_leave_one_whole_file_and_no_temporary(tmp_path: Path):
    target = tmp_path / "cache" / "table.pkl"
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_write_many, args=(str(target), fill, 30)) for fill in (b"a", b"b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    data = target.read_bytes()
    assert data in (b"a" * 200_000, b"b" * 200_000)
    assert [f.name for f in target.parent.iterdir()] == ["table.pkl"]


def test_a_failed_write_keeps_the_old_file_and_removes_its_temporary(tmp_path: Path, monkeypatch):
    target = tmp_path / "table.pkl"
    write_atomic(target, b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr("lawgraph.cachefile.os.replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [f.name for f in tmp_path.iterdir()] == ["table.pkl"]
