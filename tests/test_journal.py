"""The journal keeps every completed record through crashes, torn writes and re-opens."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lawgraph.journal import Journal

REPO = Path(__file__).resolve().parents[1]

WRITER = """
import sys
from lawgraph.journal import Journal
j = Journal(sys.argv[1])
i = 0
while True:
    i += 1
    j.append("annotation", {"n": i, "text": "x" * 2000})
    if i == 5:
        print("ready", flush=True)
"""


def test_append_replay_reopen(tmp_path):
    j = Journal(tmp_path)
    j.append("annotation", {"sug_id": "SUG-1", "text": "Texto con acentos y ñ"})
    j.append("note", {"link_id": "LINK-1", "status": "confirmed", "reviewer": "ana"})
    again = Journal(tmp_path)
    recs = list(again.replay())
    assert [(r.seq, r.kind) for r in recs] == [(1, "annotation"), (2, "note")]
    assert recs[0].data["text"] == "Texto con acentos y ñ"
    assert [r.data["link_id"] for r in again.replay("note")] == ["LINK-1"]
    assert again.append("annotation", {"note": "n"}).seq == 3


def test_torn_last_line_is_skipped_then_repaired(tmp_path):
    j = Journal(tmp_path)
    for i in range(3):
        j.append("annotation", {"n": i})
    with open(j.path, "ab") as fh:                   # a crash in the middle of a write
        fh.write(b'0123456789abcdef\t{"seq": 4, "kind": "sugg')
    j2 = Journal(tmp_path)
    assert [r.data["n"] for r in j2.replay()] == [0, 1, 2]
    assert j2.warnings and "interrumpida" in j2.warnings[0]
    rec = j2.append("annotation", {"n": 3})
    assert rec.seq == 4
    assert [r.data["n"] for r in Journal(tmp_path).replay()] == [0, 1, 2, 3]
    assert j.path.read_bytes().count(b"\n") == 4


def test_unrecoverable_line_before_the_end_is_skipped_not_fatal(tmp_path):
    j = Journal(tmp_path)
    for i in range(3):
        j.append("annotation", {"n": i})
    lines = j.path.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b'"n":1', b'"n":7')   # both copies: no checksum matches
    j.path.write_bytes(b"\n".join(lines))
    again = Journal(tmp_path)
    assert [r.data["n"] for r in again.replay()] == [0, 2]
    assert any("línea 2" in w for w in again.warnings)
    assert again.verify().lost == 1


def test_sigkill_mid_write_keeps_every_completed_record(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, env=env)
    assert proc.stdout.readline().strip() == b"ready"
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    j = Journal(tmp_path)
    recs = list(j.replay())
    assert len(recs) >= 5
    assert [r.data["n"] for r in recs] == list(range(1, len(recs) + 1))   # in order, no gaps
    nxt = j.append("note", {"after": "crash"})
    assert nxt.seq == recs[-1].seq + 1
    assert list(Journal(tmp_path).replay())[-1].data == {"after": "crash"}


def test_suggestions_and_decisions_survive_a_rebuild(tmp_path):
    from datetime import date, datetime, timezone

    from lawgraph.journal import record_decision, record_suggestion, replay_decisions, replay_suggestions
    from lawgraph.model.recs import LinkCandidate, LinkDecision, Suggestion, TextSource

    j = Journal(tmp_path)
    text = "Que la ley reconozca la violencia vicaria como un tipo de violencia."
    sug = Suggestion(sug_id=Suggestion.make_id("Org", date(2024, 1, 2), text), organisation="Org",
                     date=date(2024, 1, 2), text=text, language="es",
                     source=TextSource(sha256="0" * 64, file="s.csv", row=2))
    record_suggestion(j, sug)
    lid = LinkCandidate.make_id(sug.sug_id, "/mx/ley/lgamvlv/art_6/frac_vi")
    t = datetime(2026, 1, 1, tzinfo=timezone.utc)
    record_decision(j, LinkDecision(link_id=lid, from_id=sug.sug_id, to_id="/mx/ley/lgamvlv/art_6/frac_vi",
                                    status="rejected", reviewer="ana", time=t, reason="primera lectura"))
    record_decision(j, LinkDecision(link_id=lid, from_id=sug.sug_id, to_id="/mx/ley/lgamvlv/art_6/frac_vi",
                                    status="confirmed", reviewer="luis", time=t, reason="texto adicionado"))
    again = Journal(tmp_path)
    assert replay_suggestions(again) == {sug.sug_id: sug}
    d = replay_decisions(again)[lid]
    assert (d.status, d.reviewer) == ("confirmed", "luis")
    with pytest.raises(ValueError):
        LinkDecision(link_id=lid, from_id="a", to_id="b", status="confirmed", reviewer=" ", time=t)


def test_two_writers_interleave_without_duplicate_seq(tmp_path):
    a, b = Journal(tmp_path), Journal(tmp_path)
    for i in range(3):
        a.append("annotation", {"w": "a", "i": i})
        b.append("annotation", {"w": "b", "i": i})
    seqs = [r.seq for r in Journal(tmp_path).replay()]
    assert seqs == list(range(1, 7))
