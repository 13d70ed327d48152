"""The journal file against SQLite in WAL mode, through the same faults (issue 13, pt 2).

Both candidates take the same validated records (``lawgraph.journal.validate_record``), so NUL
and control characters never reach either; the faults that differ are those of the bytes on
disk and of the process. For each fault, on a fresh directory holding 40 acknowledged records
(about 400 bytes each), the script counts acknowledged records that a reader no longer gets
back intact ("lost"), and whether reading failed altogether ("blocked"):

  invalid_utf8   one byte of a middle record's text set to 0xFF
  flip_middle    one bit flipped, at each of 48 positions over a middle record's bytes
  flip_last      the same over the last record
  torn_tail      the file's last 1, 7 and 40 bytes cut (SQLite: its last file, WAL or main)
  disk_full      a child process under RLIMIT_FSIZE appends until refused, then more after
  sigkill        10 child processes appending in a loop, each SIGKILLed at a different moment

SQLite: stdlib ``sqlite3``, ``journal_mode=WAL``, ``synchronous=FULL``, one row per record,
one transaction per append, the connection closed after each (as a CLI command does).
Run: ``.venv/bin/python benchmarks/bench_journal_faults.py`` (about a minute). Prints a table.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lawgraph.journal import Journal, validate_record

N = 40


class SQLiteJournal:
    """The candidate: same interface as :class:`lawgraph.journal.Journal` for these tests."""

    def __init__(self, directory: str | Path):
        self.dir = Path(directory)
        self.path = self.dir / "journal.sqlite"

    def _connect(self) -> sqlite3.Connection:
        self.dir.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.execute("CREATE TABLE IF NOT EXISTS records (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                    "kind TEXT NOT NULL, time TEXT NOT NULL, data TEXT NOT NULL)")
        return con

    def append(self, kind: str, data: dict) -> dict:
        data = validate_record(kind, data)
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            con.execute("INSERT INTO records (kind, time, data) VALUES (?, ?, ?)",
                        (kind, time.strftime("%Y-%m-%dT%H:%M:%S"), json.dumps(data, ensure_ascii=False)))
            con.execute("COMMIT")
        finally:
            con.close()
        return data

    def replay(self) -> list[dict]:
        con = self._connect()
        try:
            return [json.loads(d) for (d,) in con.execute("SELECT data FROM records ORDER BY seq")]
        finally:
            con.close()

    def files(self) -> list[Path]:
        return [p for p in (self.path, Path(f"{self.path}-wal")) if p.exists() and p.stat().st_size]


class FileJournal:
    def __init__(self, directory: str | Path):
        self.j = Journal(directory)
        self.path = self.j.path

    def append(self, kind: str, data: dict) -> dict:
        return self.j.append(kind, data).data

    def replay(self) -> list[dict]:
        return [r.data for r in Journal(self.j.dir).replay()]

    def files(self) -> list[Path]:
        return [self.path]


CANDIDATES = {"file": FileJournal, "sqlite_wal": SQLiteJournal}


def _record(i: int) -> dict:
    return {"n": i, "marker": f"REC{i:04d}", "text": f"Registro {i}: " + "sugerencia de reforma " * 16}


def _fill(cls, d: Path) -> list[dict]:
    j = cls(d)
    return [j.append("annotation", _record(i)) for i in range(N)]


def _read(cls, d: Path, acked: list[dict]) -> tuple[int, bool]:
    """(acknowledged records not read back intact, reading failed)."""
    try:
        got = cls(d).replay()
    except Exception:
        return len(acked), True
    return sum(1 for a in acked if a not in got), False


def _locate(files: list[Path], marker: bytes) -> tuple[Path, int] | None:
    for f in files:
        pos = f.read_bytes().find(marker)
        if pos >= 0:
            return f, pos
    return None


def _patch(f: Path, pos: int, byte: int) -> None:
    data = bytearray(f.read_bytes())
    data[pos] = byte
    f.write_bytes(bytes(data))


def fault_flip(cls, which: str) -> tuple[int, bool]:
    """Bit flips at 48 positions over the record; lost and blocked summed over positions."""
    lost, blocked = 0, False
    i = N // 2 if which == "middle" else N - 1
    for k in range(48):
        with tempfile.TemporaryDirectory() as t:
            d = Path(t)
            acked = _fill(cls, d)
            hit = _locate(cls(d).files(), f"REC{i:04d}".encode())
            if hit is None:
                continue
            f, pos = hit
            target = min(max(pos - 24 + k * 9, 0), f.stat().st_size - 1)
            _patch(f, target, f.read_bytes()[target] ^ 0x01)
            n, b = _read(cls, d, acked)
            lost += n
            blocked |= b
    return lost, blocked


def fault_utf8(cls) -> tuple[int, bool]:
    with tempfile.TemporaryDirectory() as t:
        d = Path(t)
        acked = _fill(cls, d)
        f, pos = _locate(cls(d).files(), f"REC{N // 2:04d}".encode())
        _patch(f, pos + 3, 0xFF)
        return _read(cls, d, acked)


def fault_torn(cls) -> tuple[int, bool]:
    lost, blocked = 0, False
    for cut in (1, 7, 40):
        with tempfile.TemporaryDirectory() as t:
            d = Path(t)
            acked = _fill(cls, d)
            f = cls(d).files()[-1]
            f.write_bytes(f.read_bytes()[:-cut])
            n, b = _read(cls, d, acked)
            lost += n
            blocked |= b
    return lost, blocked


CHILD = """
import os, resource, signal, sys
from bench_journal_faults import CANDIDATES, _record
j = CANDIDATES[sys.argv[1]](sys.argv[2])
limit = int(sys.argv[3])
if limit:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
i = 0
while i < 400:
    try:
        j.append("annotation", _record(i))
    except Exception as exc:
        print("refused", type(exc).__name__, flush=True)
        break
    print("ack", i, flush=True)
    i += 1
"""


def _child(name: str, d: Path, limit: int = 0, kill_after: float | None = None) -> list[int]:
    here = Path(__file__).resolve()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join((str(here.parents[1]), str(here.parent))))
    proc = subprocess.Popen([sys.executable, "-c", CHILD, name, str(d), str(limit)],
                            stdout=subprocess.PIPE, text=True, env=env)
    if kill_after is not None:
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=300)
    return [int(x.split()[1]) for x in out.splitlines() if x.startswith("ack ")]


def fault_disk_full(name: str, cls) -> tuple[int, bool]:
    with tempfile.TemporaryDirectory() as t:
        d = Path(t)
        acked_ids = _child(name, d, limit=16_000)
        acked = [validate_record("annotation", _record(i)) for i in acked_ids]
        n, b = _read(cls, d, acked)
        try:                                   # and the store takes writes again afterwards
            cls(d).append("annotation", _record(999))
            n += 0 if validate_record("annotation", _record(999)) in cls(d).replay() else 1
        except Exception:
            b = True
        return n, b


def fault_sigkill(name: str, cls) -> tuple[int, bool]:
    lost, blocked = 0, False
    for k in range(10):
        with tempfile.TemporaryDirectory() as t:
            d = Path(t)
            acked_ids = _child(name, d, kill_after=0.4 + 0.037 * k)
            acked = [validate_record("annotation", _record(i)) for i in acked_ids]
            n, b = _read(cls, d, acked)
            lost += n
            blocked |= b
    return lost, blocked


def main() -> None:
    faults = {
        "invalid_utf8": lambda name, cls: fault_utf8(cls),
        "flip_middle": lambda name, cls: fault_flip(cls, "middle"),
        "flip_last": lambda name, cls: fault_flip(cls, "last"),
        "torn_tail": lambda name, cls: fault_torn(cls),
        "disk_full": fault_disk_full,
        "sigkill": fault_sigkill,
    }
    print(f"{'fault':<14}" + "".join(f"{n + ' lost/blocked':>26}" for n in CANDIDATES))
    totals = {n: 0 for n in CANDIDATES}
    for fname, fn in faults.items():
        cells = []
        for name, cls in CANDIDATES.items():
            lost, blocked = fn(name, cls)
            totals[name] += lost
            cells.append(f"{lost:>20} / {'yes' if blocked else 'no':<3}")
        print(f"{fname:<14}" + "".join(f"{c:>26}" for c in cells), flush=True)
    print(f"{'total lost':<14}" + "".join(f"{totals[n]:>26}" for n in CANDIDATES))
    for name, cls in CANDIDATES.items():
        with tempfile.TemporaryDirectory() as t:
            j = cls(Path(t))
            t0 = time.perf_counter()
            for i in range(200):
                j.append("annotation", _record(i))
            dt = time.perf_counter() - t0
        print(f"{name}: {200 / dt:.0f} appends/s (fsync'd, one process)")


if __name__ == "__main__":
    main()
