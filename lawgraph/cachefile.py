"""Cache files of the data directory written whole or not at all.

Two lawgraph processes may fill the same cache at once (a server re-linking while the CLI
links, or the test suite's two builds): each writes its own temporary file beside the target
and renames it over the target, so a reader sees the old file or the new one, never half of
one, and neither writer removes the other's temporary file.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file of this process, then rename it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
