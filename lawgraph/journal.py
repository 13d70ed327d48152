"""Durable human input: an append-only JSONL journal in the data directory.

Suggestions, review decisions and annotations are facts a person typed; the graph can be rebuilt
from the corpus at any time, but these cannot. Every record is one line::

    <sha256 of the JSON, first 16 hex> <TAB> <JSON object>\\n

written with a single ``write`` on a file opened in append mode and ``fsync``'d before
``append`` returns, so a record is either durable or absent. A crash can only leave a torn *last*
line (no newline, or a checksum that does not match): ``replay`` detects it, warns, and skips it;
the next ``append`` first cuts the torn tail off so earlier records are never touched and the
new record starts on a line of its own. Writers (threads or processes) take an exclusive
``flock`` for each append, so sequence numbers stay unique and lines never interleave. A bad line *before* the last one means the file was
edited by hand or the disk is damaged: that is an error naming the file and line, never skipped
silently.

Each record carries ``seq`` (1-based, in file order), ``kind`` ('suggestion', 'review',
'annotation', …), ``time`` (UTC, ISO) and ``data``; ``replay()`` yields them in order so a full
rebuild of the graph can re-apply them.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lawgraph.errors import InputError

log = logging.getLogger(__name__)

JOURNAL_NAME = "journal.jsonl"
_CHECK_LEN = 16


class JournalError(InputError):
    """The journal file is damaged before its last line (not a torn write)."""


@dataclass(frozen=True, slots=True)
class JournalRecord:
    seq: int
    kind: str
    time: str
    data: dict[str, Any]


def _checksum(payload: str) -> str:
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:_CHECK_LEN]


def _encode(record: dict[str, Any]) -> bytes:
    payload = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    if "\n" in payload:  # json.dumps escapes newlines; this guards the line format itself
        raise ValueError("journal payload must be one line")
    return f"{_checksum(payload)}\t{payload}\n".encode("utf-8")


def _decode(line: bytes) -> dict[str, Any] | None:
    """The record of a complete line, or None when the line is not a valid record."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    check, sep, payload = text.partition("\t")
    if not sep or len(check) != _CHECK_LEN or _checksum(payload) != check:
        return None
    try:
        rec = json.loads(payload)
    except json.JSONDecodeError:
        return None
    return rec if isinstance(rec, dict) else None


class Journal:
    """An append-only, fsync'd, checksummed JSONL journal.

    >>> j = Journal(tmp_path)                       # doctest: +SKIP
    >>> j.append("suggestion", {"sug_id": "SUG-1"})  # doctest: +SKIP
    >>> [r.kind for r in j.replay()]                # doctest: +SKIP
    """

    def __init__(self, directory: str | Path, name: str = JOURNAL_NAME):
        self.dir = Path(directory)
        self.path = self.dir / name
        self._lock = threading.Lock()
        self._next_seq: int | None = None
        self._known_size = -1             # file size after our last write; another writer changes it
        self.warnings: list[str] = []

    # -- reading -------------------------------------------------------------------------
    def _scan(self) -> tuple[list[JournalRecord], int, str | None]:
        """All valid records, the byte length of the valid prefix, and a warning for a torn tail."""
        if not self.path.exists():
            return [], 0, None
        data = self.path.read_bytes()
        records: list[JournalRecord] = []
        pos = 0
        lineno = 0
        while pos < len(data):
            nl = data.find(b"\n", pos)
            lineno += 1
            if nl < 0:  # no newline: the last write never finished
                return records, pos, (
                    f"{self.path}: última línea {lineno} incompleta (escritura interrumpida); se omite"
                )
            rec = _decode(data[pos:nl])
            if rec is None:
                if nl + 1 >= len(data):  # a complete but corrupt *last* line: also a torn write
                    return records, pos, (
                        f"{self.path}: última línea {lineno} dañada (suma de control); se omite"
                    )
                raise JournalError(
                    self.path,
                    f"línea {lineno} dañada antes del final del diario; no se puede reproducir con seguridad",
                )
            records.append(
                JournalRecord(int(rec.get("seq", len(records) + 1)), str(rec.get("kind", "")),
                              str(rec.get("time", "")), dict(rec.get("data") or {}))
            )
            pos = nl + 1
        return records, pos, None

    def replay(self, kind: str | None = None) -> Iterator[JournalRecord]:
        """Every durable record in order (optionally of one kind); a torn last line is skipped
        with a warning (logged and kept in ``self.warnings``)."""
        records, _, warning = self._scan()
        if warning:
            log.warning(warning)
            self.warnings.append(warning)
        for r in records:
            if kind is None or r.kind == kind:
                yield r

    def __len__(self) -> int:
        return len(self._scan()[0])

    # -- writing -------------------------------------------------------------------------
    def append(self, kind: str, data: dict[str, Any]) -> JournalRecord:
        """Write one record durably (fsync'd) and return it."""
        if not kind:
            raise ValueError("a journal record needs a kind")
        with self._lock:
            self.dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                # One writer at a time across processes; the lock dies with its process.
                fcntl.flock(fd, fcntl.LOCK_EX)
                if self._next_seq is None or os.fstat(fd).st_size != self._known_size:
                    records, valid_len, warning = self._scan()
                    if warning:
                        # Cut the torn tail so the new record starts on its own line; everything
                        # before valid_len was verified line by line above.
                        log.warning(warning)
                        self.warnings.append(warning)
                        os.ftruncate(fd, valid_len)
                        os.fsync(fd)
                    self._next_seq = (records[-1].seq + 1) if records else 1
                rec = {
                    "seq": self._next_seq,
                    "kind": kind,
                    "time": datetime.now(timezone.utc).isoformat(timespec="microseconds"),
                    "data": data,
                }
                line = _encode(rec)
                written = os.write(fd, line)
                if written != len(line):
                    raise OSError(f"{self.path}: escritura incompleta ({written} de {len(line)} bytes)")
                os.fsync(fd)
                self._known_size = os.fstat(fd).st_size
            finally:
                os.close(fd)             # also releases the lock
            self._sync_dir_once()
            self._next_seq += 1
            return JournalRecord(rec["seq"], kind, rec["time"], data)

    _dir_synced = False

    def _sync_dir_once(self) -> None:
        # The file's directory entry must be durable too, the first time the file is created.
        if self._dir_synced:
            return
        try:
            dfd = os.open(self.dir, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError:  # some filesystems refuse fsync on directories; the data itself is synced
            pass
        self._dir_synced = True


def default_journal() -> Journal:
    """The journal in the configured data directory ($LAWGRAPH_HOME)."""
    from lawgraph.config import default_home

    return Journal(default_home())


# -- typed helpers for the human input the graph re-applies on rebuild ------------------------
def record_suggestion(journal: Journal, suggestion) -> JournalRecord:
    """Append a :class:`lawgraph.model.recs.Suggestion` (durable before this returns)."""
    return journal.append("suggestion", suggestion.model_dump(mode="json"))


def record_decision(journal: Journal, decision) -> JournalRecord:
    """Append a :class:`lawgraph.model.recs.LinkDecision` (durable before this returns)."""
    return journal.append("review", decision.model_dump(mode="json"))


def replay_suggestions(journal: Journal) -> dict:
    """sug_id -> Suggestion, in journal order (a later record of the same id replaces it)."""
    from lawgraph.model.recs import Suggestion

    return {r.data["sug_id"]: Suggestion.model_validate(r.data) for r in journal.replay("suggestion")}


def replay_decisions(journal: Journal) -> dict:
    """link_id -> the latest LinkDecision, so a re-run of the linker can re-apply every review."""
    from lawgraph.model.recs import LinkDecision

    return {r.data["link_id"]: LinkDecision.model_validate(r.data) for r in journal.replay("review")}
