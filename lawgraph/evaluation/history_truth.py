"""The Constitution's true text at a date, read from its decree history by git itself.

The reference for :mod:`lawgraph.evaluation.history` must not be our own rebuild
(:func:`lawgraph.ingest.cpeum_history.read_history`): comparing the graph with it only checks
that the graph stores what the rebuild produced. Here the record is replayed by another
implementation: the per-article files at the head (``CPEUM_at_HEAD``) are copied to a scratch
folder and every decree commit's diff is undone with ``git apply -R`` (strict: every context
line must match), one file section at a time, newest commit first. On the corpus of
2026-12-06 every one of the 419 file sections undoes cleanly, so the text of an article after
each commit is exactly what the record says it was.

Two commits carry no diff ("(initial import / bulk commit: diff omitted)"): the 1917 original,
which only created the files, and DOF 29-01-2016 (the Mexico City reform), which changed 52
article files. Before 2016 those 52 articles' text is *not* given by the record as a whole:
only the lines that older hunks show (context and added lines, at the exact positions their
headers give) are witnessed. For them a state is marked ``known`` only when the text the rebuild
proposes just before 2016 consists of witnessed lines alone AND git undoes every older diff of
the article on it strictly; every older state then follows exactly. Otherwise the pair is
``unknown``: the record cannot say what the text was, and the system must say so (flag the
answer approximate) rather than be scored as right or wrong.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lawgraph.errors import InputError
from lawgraph.ingest.cpeum_history import (COMMITS_FILE, HEAD_DIR, CpeumHistory, publication_date,
                                           rst_to_text)

SECTION_RE = re.compile(r"^diff --git a/(?P<a>\S+) b/(?P<b>\S+)$", re.MULTILINE)
ARTICLE_PATH_RE = re.compile(r"^CPEUM/(?P<num>\d{3})\.rst$")
OMITTED = "diff omitted"


@dataclass
class TrueState:
    valid_from: date | None          # None: before the first change the record holds
    text: str | None                 # None when the record cannot say
    known: bool


@dataclass
class Truth:
    """Per article, its states newest first, as git replays the record."""

    states: dict[str, list[TrueState]] = field(default_factory=dict)
    sections_undone: int = 0
    sections_failed: list[str] = field(default_factory=list)
    omitted: dict[str, date | None] = field(default_factory=dict)   # article -> omitted commit date
    bridged_known: list[str] = field(default_factory=list)
    bridged_unknown: list[str] = field(default_factory=list)

    def at(self, article: str, day: date) -> TrueState | None:
        """The state in force on ``day``; None when the article did not exist yet."""
        for s in self.states.get(article, []):
            if s.valid_from is None or s.valid_from <= day:
                return s
        return None


def _git_undo(folder: Path, section: str) -> bool:
    body = section if section.endswith("\n") else section + "\n"
    run = subprocess.run(["git", "apply", "-R", "-"], input=body.encode("utf-8"), cwd=folder,
                         capture_output=True, check=False)
    return run.returncode == 0


def _article(path: str) -> str | None:
    m = ARTICLE_PATH_RE.match(path)
    return str(int(m.group("num"))) if m else None


def _sections(diff: str) -> list[tuple[str, str, str]]:
    marks = list(SECTION_RE.finditer(diff))
    return [(m.group("a"), m.group("b"),
             diff[m.start(): marks[i + 1].start() if i + 1 < len(marks) else len(diff)])
            for i, m in enumerate(marks)]


def _read(folder: Path, art: str) -> str | None:
    f = folder / "CPEUM" / f"{int(art):03d}.rst"
    return f.read_text(encoding="utf-8") if f.exists() else None


def true_states(directory: str | Path, rebuilt: CpeumHistory) -> Truth:
    """Replay the record in ``directory`` with git. ``rebuilt`` (our rebuild) is consulted
    only for the 52 articles the omitted 2016 diff touched, as a candidate that git then
    checks against every older diff (see the module's docstring)."""
    directory = Path(directory)
    path, head = directory / COMMITS_FILE, directory / HEAD_DIR
    if not path.is_file() or not head.is_dir():
        raise InputError(directory, "falta el archivo de commits o la carpeta CPEUM_at_HEAD")
    if shutil.which("git") is None:
        raise InputError(directory, "se necesita git para reproducir el historial (apt-get install git)")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    truth = Truth()
    with tempfile.TemporaryDirectory(prefix="lawgraph-truth-") as tmp:
        work = Path(tmp)
        (work / "CPEUM").mkdir()
        for f in head.glob("*.rst"):
            shutil.copy(f, work / "CPEUM" / f.name)
        # Articles whose older text the record no longer determines, and the commits left to
        # undo on them (for the strict check of the candidate before the omitted commit).
        pending: dict[str, list[tuple[date | None, str | None]]] = {}
        # The oldest record naming each article file: an omitted diff there created the file.
        first_seen: dict[str, int] = {}
        for n, rec in enumerate(records):
            for f in rec.get("files", []):
                if (art := _article(f)) is not None:
                    first_seen.setdefault(art, n)
        for n in range(len(records) - 1, -1, -1):
            rec = records[n]
            day, _ = publication_date(rec.get("message", ""))
            diff = rec.get("unified_diff", "")
            if not diff.startswith("diff --git"):
                if OMITTED not in diff:
                    continue
                for f in rec.get("files", []):
                    art = _article(f)
                    if art is None:
                        continue
                    if art in truth.omitted:
                        pending[art].append((day, None))     # created here: nothing older
                        continue
                    text = _read(work, art)
                    if text is not None and day is not None:
                        truth.states.setdefault(art, []).append(TrueState(day, rst_to_text(text), True))
                    if first_seen[art] < n:
                        truth.omitted[art] = day
                        pending[art] = []
                continue
            for a, b, section in _sections(diff):
                art = _article(b) or _article(a)
                if art is None:
                    continue
                if art in truth.omitted:
                    pending.setdefault(art, []).append((day, section))
                    continue
                text = _read(work, art)
                if day is not None and text is not None:
                    truth.states.setdefault(art, []).append(TrueState(day, rst_to_text(text), True))
                if _git_undo(work, section):
                    truth.sections_undone += 1
                else:
                    truth.sections_failed.append(f"{art} ({day})")
                    truth.omitted[art] = day
                    pending[art] = []
        for art in list(truth.states):
            if art not in truth.omitted and first_seen.get(art) is None:
                text = _read(work, art)
                if text is not None:
                    truth.states[art].append(TrueState(None, rst_to_text(text), True))
        _bridge_check(truth, rebuilt, pending, work)
    return truth


def _bridge_check(truth: Truth, rebuilt: CpeumHistory,
                  pending: dict[str, list[tuple[date | None, str]]], work: Path) -> None:
    """For each article whose diff the record omits: take the rebuild's lines just before the
    omitted commit when every line carrying words is witnessed by an older hunk (the rebuild
    counts the others: ``Bridge.unsure``) and git undoes all the older diffs of the article on
    them; otherwise its older states are unknown."""
    for art, sections in pending.items():
        cut = truth.omitted[art]
        bridge = rebuilt.bridges.get(art)
        ok = bool(bridge is not None and bridge.unsure() == 0)
        if ok:
            f = work / "CPEUM" / f"{int(art):03d}.rst"
            text = "\n".join(bridge.lines)
            # The witnessed lines stop at the last line of text; the files end with a newline.
            f.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
            created = False
            for day, section in sections:
                text = f.read_text(encoding="utf-8")
                if day is not None:
                    truth.states[art].append(TrueState(day, rst_to_text(text), True))
                if section is None:
                    created = True
                    break
                if not _undo_padded(work, f, section):
                    ok = False
                    break
            if ok and not created:
                truth.states[art].append(TrueState(None, rst_to_text(f.read_text(encoding="utf-8")), True))
        if ok:
            truth.bridged_known.append(art)
        else:
            truth.states[art] = [s for s in truth.states.get(art, []) if cut is None or (s.valid_from or cut) >= cut]
            truth.states[art].append(TrueState(None, None, False))
            truth.bridged_unknown.append(art)


def _undo_padded(work: Path, f: Path, section: str) -> bool:
    """Undo ``section`` on a bridged file; the witnessed lines do not say how many blank lines
    ended the file (layout only), so 0 to 2 trailing blank lines are tried."""
    if _git_undo(work, section):
        return True
    body = f.read_text(encoding="utf-8").rstrip("\n")
    for pad in ("\n", "\n\n", "\n\n\n"):
        f.write_text(body + pad, encoding="utf-8")
        if _git_undo(work, section):
            return True
    return False
