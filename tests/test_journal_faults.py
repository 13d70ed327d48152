"""The journal under faults (issue 13, pt 2): 0 acknowledged records lost in each.

Faults: NUL and other control characters (refused before writing), invalid UTF-8 and flipped
bytes at every position of the last and of a middle record, a torn tail, a full disk
(RLIMIT_FSIZE in a child process) and SIGKILL at every stage of an append (a child process
that kills itself there). "Acknowledged" = ``append`` returned.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from lawgraph import journal as jmod
from lawgraph.journal import Journal, JournalInputError, apply_or_quarantine, latest_records
from lawgraph.model.recs import Suggestion, TextSource

REPO = Path(__file__).resolve().parents[1]


def _sug(text: str, row: int = 2) -> Suggestion:
    return Suggestion.model_construct(
        sug_id=Suggestion.make_id("Red de Mujeres", date(2025, 3, 8), text), organisation="Red de Mujeres",
        date=date(2025, 3, 8), text=text, language="es", priority_area=None, target_law=None,
        target_law_key=None, source=TextSource(sha256="1" * 64, file="sugerencias.csv", row=row))


def _filled(tmp_path: Path, n: int = 3) -> tuple[Journal, list[dict]]:
    j = Journal(tmp_path)
    acked = [j.append("annotation", {"n": i, "texto": f"nota número {i} con ñ y acentos"}).data for i in range(n)]
    return j, acked


def _lost(directory: Path, acked: list[dict]) -> int:
    got = [r.data for r in Journal(directory).replay()]
    return sum(1 for a in acked if a not in got)


# ------------------------------------------------------------------------------ validation
def test_nul_is_refused_before_anything_is_written(tmp_path):
    j = Journal(tmp_path)
    good, bad = _sug("Tipificar la violencia vicaria."), _sug("Texto con\x00NUL", row=7)
    with pytest.raises(JournalInputError) as info:
        j.append_many("suggestion", [good.model_dump(mode="json"), bad.model_dump(mode="json")])
    msg = str(info.value)
    assert "«text»" in msg and "U+0000" in msg and "sugerencias.csv, fila 7" in msg
    assert not j.path.exists() or j.path.read_bytes() == b""   # not even the good one


@pytest.mark.parametrize("ch", ["\x01", "\x1b", "\x7f", "\x85"])
def test_other_control_characters_are_refused(tmp_path, ch):
    with pytest.raises(JournalInputError, match="carácter de control"):
        Journal(tmp_path).append("annotation", {"nota": {"texto": f"a{ch}b"}})


def test_text_is_stored_nfc_and_tabs_newlines_survive(tmp_path):
    j = Journal(tmp_path)
    j.append("annotation", {"t": "Mujeres indi\u0301genas\tlínea 1\nlínea 2"})
    (rec,) = Journal(tmp_path).replay()
    assert rec.data["t"] == "Mujeres indígenas\tlínea 1\nlínea 2"


def test_a_suggestion_without_its_schema_is_refused(tmp_path):
    with pytest.raises(JournalInputError, match="suggestion no válido: campo «organisation»"):
        Journal(tmp_path).append("suggestion", {"sug_id": "SUG-x", "text": "t"})


# ------------------------------------------------------------------------------ damaged bytes
@pytest.mark.parametrize("which", ["middle", "last"])
def test_every_flipped_byte_of_a_record_loses_nothing(tmp_path, which):
    j, acked = _filled(tmp_path)
    clean = j.path.read_bytes()
    lines = clean.split(b"\n")
    start = len(lines[0]) + 1 if which == "middle" else len(lines[0]) + len(lines[1]) + 2
    length = len(lines[1] if which == "middle" else lines[2]) + 1   # the newline too
    for pos in range(start, start + length):
        # a flipped bit and a newline at every byte; invalid UTF-8 and a tab at every 4th
        # (the suite's time: all four everywhere took 23 s)
        for new in (clean[pos] ^ 0x20, 0x0A) + ((0xFF, 0x09) if pos % 4 == 0 else ()):
            if new == clean[pos]:
                continue
            damaged = bytearray(clean)
            damaged[pos] = new
            j.path.write_bytes(bytes(damaged))
            assert _lost(tmp_path, acked) == 0, (pos, new)
            # the next append cuts no complete line and the record survives it
            nxt = Journal(tmp_path).append("annotation", {"n": "after"})
            assert nxt.seq == 4, (pos, new)
            assert _lost(tmp_path, acked + [nxt.data]) == 0, (pos, new)


@pytest.mark.parametrize("cut", [1, 2, 7, 40])
def test_the_last_acknowledged_record_survives_losing_its_last_bytes(tmp_path, cut):
    j, acked = _filled(tmp_path)
    j.path.write_bytes(j.path.read_bytes()[:-cut])
    assert _lost(tmp_path, acked) == 0
    Journal(tmp_path).append("annotation", {"n": 3})
    assert [r.data["n"] for r in Journal(tmp_path).replay()] == [0, 1, 2, 3]
    assert Journal(tmp_path).verify().ok
    assert len(list(tmp_path.glob("journal.jsonl.torn-*"))) == 1   # the damaged bytes are kept


def test_verify_reports_and_repair_keeps_the_original(tmp_path):
    j, acked = _filled(tmp_path, 4)
    data = bytearray(j.path.read_bytes())
    first_nl = data.index(b"\n")
    data[first_nl + 5] ^= 0x01                       # line 2, first copy: recoverable
    lines = bytes(data).split(b"\n")
    lines[2] = lines[2].replace(b'"n":2', b'"n":9')   # line 3, both copies: not recoverable
    j.path.write_bytes(b"\n".join(lines) + b'0123')   # and a torn tail
    original = j.path.read_bytes()
    rep = Journal(tmp_path).verify()
    assert [(d.line, d.recovered) for d in rep.damaged] == [(2, True), (3, False)]
    assert rep.torn_tail == 4 and not rep.ok and rep.lost == 1
    fixed = Journal(tmp_path).repair()
    assert fixed.rewritten and Path(fixed.original).read_bytes() == original
    assert b'"n":9' in Path(fixed.damaged_file).read_bytes()
    assert Journal(tmp_path).verify().ok
    assert [r.data["n"] for r in Journal(tmp_path).replay()] == [0, 1, 3]
    assert Journal(tmp_path).repair().rewritten is False    # a clean file is left alone


def test_torn_tail_is_set_aside_not_deleted(tmp_path):
    j, acked = _filled(tmp_path)
    torn = b'0123456789abcdef\t{"seq":4,"kind":"annot'
    with open(j.path, "ab") as fh:
        fh.write(torn)
    assert _lost(tmp_path, acked) == 0
    Journal(tmp_path).append("annotation", {"n": 3})
    aside = list(tmp_path.glob("journal.jsonl.torn-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == torn
    assert [r.data["n"] for r in Journal(tmp_path).replay()] == [0, 1, 2, 3]


# ------------------------------------------------------------------------------ processes
CHILD = """
import os, resource, signal, sys
from lawgraph import journal as jmod
from lawgraph.journal import Journal, JournalError
directory, stage, fsize = sys.argv[1], sys.argv[2], int(sys.argv[3])
j = Journal(directory)
for i in range(5):
    j.append("annotation", {"n": i, "t": "x" * 300})
    print("ack", i, flush=True)
if fsize:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails with EFBIG
    size = os.path.getsize(j.path)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + fsize, size + fsize))
    i = 5
    while True:
        try:
            j.append("annotation", {"n": i, "t": "x" * 300})
        except JournalError as exc:
            print("full", exc, flush=True)
            break
        print("ack", i, flush=True)
        i += 1
    sys.exit(0)

def hook(name, *args):
    if name != stage:
        return False
    if name == "write":                     # a third of the line reaches the file, then death
        fd, line = args
        os.write(fd, line[: len(line) // 3])
    os.kill(os.getpid(), signal.SIGKILL)

jmod._STAGE_HOOK = hook
j.append("annotation", {"n": 5, "t": "x" * 300})
print("ack", 5, flush=True)
"""


def _child(directory: Path, stage: str, fsize: int = 0) -> tuple[list[int], str, int]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-c", CHILD, str(directory), stage, str(fsize)],
                          capture_output=True, text=True, env=env, timeout=120)
    acked = [int(x.split()[1]) for x in proc.stdout.splitlines() if x.startswith("ack ")]
    return acked, proc.stdout, proc.returncode


@pytest.mark.parametrize("stage", ["locked", "write", "written", "synced"])
def test_sigkill_at_every_stage_of_an_append_loses_nothing_acknowledged(tmp_path, stage):
    acked, _out, rc = _child(tmp_path, stage)
    assert rc == -signal.SIGKILL and acked == [0, 1, 2, 3, 4]
    j = Journal(tmp_path)
    got = [r.data["n"] for r in j.replay()]
    assert got[:5] == acked
    # 'written' and 'synced': the 6th line is whole in the file (the process died, not the
    # kernel) but was never acknowledged; it stays. Before that stage it never appears.
    assert got[5:] == ([5] if stage in ("written", "synced") else [])
    nxt = j.append("annotation", {"n": "after"})
    assert [r.data["n"] for r in Journal(tmp_path).replay()] == got + ["after"]
    assert nxt.seq == len(got) + 1
    assert Journal(tmp_path).verify().ok
    if stage == "write":
        assert len(list(tmp_path.glob("journal.jsonl.torn-*"))) == 1


def test_disk_full_refuses_the_record_and_keeps_the_file_whole(tmp_path):
    acked, out, rc = _child(tmp_path, "none", fsize=2000)
    assert rc == 0 and "full" in out and "disco lleno" in out
    assert len(acked) >= 5
    j = Journal(tmp_path)
    assert [r.data["n"] for r in j.replay()] == acked
    assert j.path.read_bytes().endswith(b"\n") and j.verify().ok   # the partial line was taken back
    j.append("annotation", {"n": "after"})
    assert [r.data["n"] for r in Journal(tmp_path).replay()][-1] == "after"


# ------------------------------------------------------------------------------ quarantine
def test_an_old_invalid_record_is_quarantined_and_replay_goes_on(tmp_path):
    j = Journal(tmp_path)
    good = [_sug(f"Sugerencia {i} sobre la ley.", row=i + 2) for i in range(3)]
    j.append_many("suggestion", [s.model_dump(mode="json") for s in good[:2]])
    # A record written by a version that did not validate: a NUL in its text.
    bad = _sug("con\x00NUL", row=9).model_dump(mode="json")
    with open(j.path, "ab") as fh:
        fh.write(jmod._encode({"seq": 3, "kind": "suggestion", "time": "2025-01-01T00:00:00+00:00", "data": bad}))
    j.append("suggestion", good[2].model_dump(mode="json"))
    again = Journal(tmp_path)
    assert [k for k in latest_records(again, "suggestion")] == [s.sug_id for s in good]
    (q,) = again.quarantined()
    assert q["line"] == 3 and q["seq"] == 3 and "U+0000" in q["reason"]
    list(Journal(tmp_path).replay())                    # quarantined once, not at every replay
    assert len(Journal(tmp_path).quarantined()) == 1


def test_a_record_the_graph_rejects_is_quarantined_and_the_rest_are_loaded(tmp_path):
    from lawgraph.graph.falkordb_server import EmbeddedFalkorDB
    from lawgraph.graph.links import load_suggestions

    j = Journal(tmp_path)
    for i in range(3):
        j.append("suggestion", _sug(f"Sugerencia {i}.", row=i + 2).model_dump(mode="json"))
    recs = list(j.replay())
    entries = [(r, Suggestion.model_validate(r.data)) for r in recs]
    # The graph refuses what the journal would not let in today (a NUL), built past validation.
    entries[1] = (recs[1], _sug("con\x00NUL", row=3))
    with EmbeddedFalkorDB(tmp_path / "db") as server:
        store = server.store()
        done = apply_or_quarantine(j, entries, lambda batch: load_suggestions(store, batch))
        assert len(done) == 2
        n = store.run("MATCH (s:Suggestion) RETURN count(s) AS n").single()["n"]
    assert n == 2
    (q,) = j.quarantined()
    assert q["line"] == 2 and q["seq"] == 2 and "NUL" in q["reason"]
    assert json.dumps(q, ensure_ascii=False)


def test_cli_verify_reports_and_repair_keeps_the_original(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from lawgraph.cli import app

    monkeypatch.setenv("LAWGRAPH_HOME", str(tmp_path))
    j, acked = _filled(tmp_path)
    data = bytearray(j.path.read_bytes())
    data[len(data) - 20] ^= 0x01                     # the last record, second copy
    j.path.write_bytes(bytes(data))
    runner = CliRunner()
    r = runner.invoke(app, ["journal", "verify", "--json"])
    assert r.exit_code == 2
    rep = json.loads(r.stdout)
    assert rep["records"] == 3 and rep["lost"] == 0
    assert [(d["line"], d["recovered"]) for d in rep["damaged"]] == [(3, True)]
    r = runner.invoke(app, ["journal", "repair"])
    assert r.exit_code == 0 and "Original conservado" in r.stdout
    assert [p.read_bytes() for p in tmp_path.glob("journal.jsonl.orig-*")] == [bytes(data)]
    assert runner.invoke(app, ["journal", "verify"]).exit_code == 0
    assert _lost(tmp_path, acked) == 0


def test_an_unreachable_database_quarantines_nothing(tmp_path):
    from falkordb import FalkorDB

    from lawgraph.errors import StoreError
    from lawgraph.graph.falkordb_backend import FalkorDBStore
    from lawgraph.graph.falkordb_server import EmbeddedFalkorDB
    from lawgraph.graph.links import load_suggestions

    j = Journal(tmp_path)
    j.append("suggestion", _sug("Sugerencia.").model_dump(mode="json"))
    entries = list(latest_records(j, "suggestion").values())
    server = EmbeddedFalkorDB(tmp_path / "db").start()
    store = FalkorDBStore(FalkorDB(unix_socket_path=server.unix_socket))   # no revive
    server.stop()
    with pytest.raises(StoreError, match="no responde") as info:
        apply_or_quarantine(j, entries, lambda batch: load_suggestions(store, batch))
    assert info.value.transient and j.quarantined() == []
