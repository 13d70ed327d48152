"""`lawgraph parse` refuses what is not a regular file instead of waiting on it (issue 13, pt 9)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lawgraph.errors import ExtractionError
from lawgraph.pipeline import sniff_format

REPO = Path(__file__).resolve().parents[1]


def test_parse_on_a_fifo_fails_at_once_with_a_spanish_error(tmp_path):
    fifo = tmp_path / "ley.pdf"
    os.mkfifo(fifo)
    # A subprocess with a timeout: before the fix this command never returned.
    proc = subprocess.run([str(Path(sys.executable).with_name("lawgraph")), "parse", str(fifo)],
                          capture_output=True, text=True, timeout=60, cwd=REPO,
                          env=dict(os.environ, LAWGRAPH_HOME=str(tmp_path / "home")))
    assert proc.returncode == 2
    assert str(fifo) in proc.stderr.replace("\n", "")
    assert "no es un archivo regular" in proc.stderr


@pytest.mark.parametrize("make", ["dir", "fifo"])
def test_sniff_format_names_the_file_and_the_problem(tmp_path, make):
    target = tmp_path / "x.pdf"
    if make == "dir":
        target.mkdir()
    else:
        os.mkfifo(target)
    with pytest.raises(ExtractionError, match="no es un archivo regular") as info:
        sniff_format(target)
    assert info.value.path == str(target)
