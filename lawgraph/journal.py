"""Durable human input: an append-only journal file, ``$LAWGRAPH_HOME/journal.jsonl``.

Suggestions, review decisions and imported recommendations are facts a person typed; the graph
can be rebuilt from the corpus at any time, but these cannot. Guarantees, each with a fault
test in ``tests/test_journal_faults.py``:

* **Validated before it is written.** :func:`validate_record` checks the record against its
  schema (a :class:`~lawgraph.model.recs.Suggestion`, :class:`~lawgraph.model.recs.LinkDecision`
  or :class:`~lawgraph.model.recs.Recommendation` for those kinds), normalises every text to NFC
  and refuses control characters (NUL included; tab and newline are allowed) with a Spanish
  error naming the field and, when the record says so, the imported file and row. What the
  graph cannot store never reaches the journal.
* **Durable before acknowledged.** One record is one line, written by one ``write`` under an
  exclusive ``flock`` and ``fsync``'d before :meth:`Journal.append` returns. A failed write
  (disk full, file size limit) is cut back to the previous end before the error is raised.
* **Recoverable from one damaged byte.** Each line holds the record twice, each copy with its
  own checksum::

      <sha256 of JSON, 16 hex> TAB <JSON> TAB <sha256 of JSON, 16 hex> TAB <JSON> LF

  JSON escapes tabs and newlines, so the fields split cleanly; a flipped or invalid byte spoils
  at most one copy and the other still verifies (the evaluation that chose this over SQLite in
  WAL mode, whose pages carry no checksum, is ``benchmarks/bench_journal_faults.py``). Lines of
  the earlier one-copy format are read as they are.
* **Never truncated, never blocked.** A complete, newline-terminated line is never cut. Only
  bytes after the last newline (a torn final write) are cut, before the next append, and
  they are first kept in ``journal.jsonl.torn-<time>``; a record one copy of which verifies
  there (a last line that lost its newline or its last bytes) is written back whole, so
  truncating an acknowledged last record loses nothing either. A line that cannot be recovered is
  reported (:meth:`Journal.verify`, ``lawgraph journal verify``) and skipped with a warning;
  replay goes on. :meth:`Journal.repair` rewrites the file from what verifies, keeping the
  original as ``journal.jsonl.orig-<time>`` and the unrecoverable lines in
  ``journal.jsonl.damaged-<time>``.
* **Quarantine.** A record that fails validation on replay (written by an older version) or
  that the graph rejects is appended to ``journal.quarantine.jsonl`` with its line number and
  the reason, and replay goes on with the rest (:meth:`Journal.quarantine`).

Each record carries ``seq`` (1-based, increasing), ``kind``, ``time`` (UTC, ISO) and ``data``.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from lawgraph.errors import InputError, LawgraphError

log = logging.getLogger(__name__)

JOURNAL_NAME = "journal.jsonl"
QUARANTINE_SUFFIX = ".quarantine.jsonl"
_CHECK_LEN = 16
_HEX = re.compile(rb"[0-9a-f]{16}")

# C0 and C1 control characters but tab, newline and carriage return (which JSON escapes and
# texts legitimately hold); NUL ends a C string in the graph server's query parser.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class JournalError(InputError):
    """The journal cannot be written or read safely (disk full, unreadable file)."""


class JournalInputError(InputError):
    """A record refused before it was written: wrong schema or forbidden characters."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class JournalRecord:
    seq: int
    kind: str
    time: str
    data: dict[str, Any]
    line: int = 0          # 1-based physical line of the journal file; 0 when not read from it


@dataclass
class Damage:
    """One line that is not a clean record: ``recovered`` when a copy of it still verifies."""

    line: int
    offset: int
    reason: str
    recovered: bool

    def describe(self, path: Path) -> str:
        what = "recuperada de su segunda copia" if self.recovered else "no recuperable; se omite"
        return f"{path}: línea {self.line} dañada ({self.reason}); {what}"


@dataclass
class Scan:
    """What a read of the whole file found."""

    records: list[JournalRecord] = field(default_factory=list)
    damage: list[Damage] = field(default_factory=list)
    clean_end: int = 0                  # byte length up to the last newline
    tail: bytes = b""                   # bytes after the last newline (a torn write)
    tail_record: bool = False           # a copy of a record in the tail verifies
    tail_line: int = 0


# ------------------------------------------------------------------------------- validation
_KIND = re.compile(r"[a-z][a-z_]{0,39}")


class _Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str
    data: dict[str, Any]

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if not _KIND.fullmatch(v):
            raise ValueError("debe ser una palabra en minúsculas (p. ej. 'suggestion')")
        return v


def _models() -> dict[str, tuple[type[BaseModel], str]]:
    from lawgraph.model.recs import LinkDecision, Recommendation, Suggestion

    return {"suggestion": (Suggestion, "sug_id"), "review": (LinkDecision, "link_id"),
            "recommendation": (Recommendation, "rec_id")}


def _where(data: dict[str, Any]) -> str:
    """'archivo F, fila R: ' when the record says where it was imported from."""
    src = data.get("source") if isinstance(data, dict) else None
    if not isinstance(src, dict) or not src.get("file"):
        return ""
    pos = f", fila {src['row']}" if src.get("row") else (f", pág. {src['page']}" if src.get("page") else "")
    return f"archivo {src['file']}{pos}: "


def _clean(value: Any, path: str, data: dict[str, Any]) -> Any:
    """``value`` with every string NFC-normalised; JournalInputError on a control character."""
    if isinstance(value, str):
        bad = _CONTROL.search(value)
        if bad:
            raise JournalInputError(None, (
                f"{_where(data)}el campo «{path}» contiene el carácter de control "
                f"U+{ord(bad.group()):04X} en la posición {bad.start() + 1}; no se guarda"))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise JournalInputError(None, f"{_where(data)}el campo «{path}» no es UTF-8 válido "
                                          f"(posición {exc.start + 1}); no se guarda") from exc
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            key = _clean(str(k), f"{path}.{k}" if path else str(k), data)
            out[key] = _clean(v, f"{path}.{k}" if path else str(k), data)
        return out
    if isinstance(value, (list, tuple)):
        return [_clean(v, f"{path}[{i}]", data) for i, v in enumerate(value)]
    if value is None or isinstance(value, (bool, int, float)):
        if isinstance(value, float) and value != value:
            raise JournalInputError(None, f"{_where(data)}el campo «{path}» es NaN; no se guarda")
        return value
    raise JournalInputError(None, f"{_where(data)}el campo «{path}» tiene un tipo no admitido "
                                  f"({type(value).__name__}); no se guarda")


def validate_record(kind: str, data: Any) -> dict[str, Any]:
    """The record's data, normalised (NFC, JSON types), or JournalInputError naming the field.

    Kinds with a domain model are validated against it (and stored as its JSON dump)."""
    try:
        env = _Envelope(kind=kind, data=data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise JournalInputError(None, f"registro del diario no válido: «{loc}»: {first['msg']}") from exc
    clean = _clean(env.data, "", env.data)
    model = _models().get(kind)
    if model is not None:
        cls, _key = model
        try:
            clean = cls.model_validate(clean).model_dump(mode="json")
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise JournalInputError(None, f"{_where(clean)}{kind} no válido: campo «{loc}»: "
                                          f"{first['msg']}") from exc
    return clean


# ------------------------------------------------------------------------------- line format
def _checksum(payload: bytes) -> bytes:
    return hashlib.sha256(payload).hexdigest()[:_CHECK_LEN].encode("ascii")


def _encode(record: dict[str, Any]) -> bytes:
    payload = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                         allow_nan=False).encode("utf-8")
    if b"\n" in payload or b"\t" in payload:  # JSON escapes both; this guards the line format
        raise ValueError("journal payload must be one line without tabs")
    check = _checksum(payload)
    return check + b"\t" + payload + b"\t" + check + b"\t" + payload + b"\n"


def _verified(check: bytes, payload: bytes) -> dict[str, Any] | None:
    if len(check) != _CHECK_LEN or not _HEX.fullmatch(check) or _checksum(payload) != check:
        return None
    try:
        rec = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return rec if isinstance(rec, dict) else None


def _decode(line: bytes) -> tuple[list[dict[str, Any]], str | None]:
    """The distinct verified records of one line, and why the line is not clean (or None).

    Two readings: by position (both copies have the same length, so a changed byte, even a
    separator, leaves the other copy where it was), then by splitting on tabs, where any
    ``checksum TAB payload`` pair that verifies counts, so a line split or merged by a
    damaged newline still gives its records back."""
    found: dict[bytes, dict[str, Any]] = {}
    m = (len(line) - 35) // 2            # payload length if the line is c TAB p TAB c TAB p
    positional = []
    if m > 0 and len(line) == 35 + 2 * m:
        positional = [(line[0:16], line[17:17 + m]), (line[18 + m:34 + m], line[35 + m:])]
    fields = line.split(b"\t")
    pairs = positional + [(fields[i], fields[i + 1]) for i in range(len(fields) - 1)]
    ok = []
    for check, payload in pairs:
        rec = _verified(check, payload)
        ok.append(rec is not None)
        if rec is not None:
            found.setdefault(payload, rec)
    canonical = len(fields) == 4 and len(positional) == 2 and ok[0] and ok[1] and len(found) == 1
    if canonical or (len(fields) == 2 and ok[-1] and len(found) == 1):   # or the old format
        return list(found.values()), None
    if not found:
        try:
            line.decode("utf-8")
            why = "ninguna copia coincide con su suma de control"
        except UnicodeDecodeError:
            why = "bytes que no son UTF-8 y ninguna copia válida"
        return [], why
    return list(found.values()), "una copia dañada"


def _record(rec: dict[str, Any], line: int, fallback_seq: int) -> JournalRecord:
    return JournalRecord(int(rec.get("seq", fallback_seq)), str(rec.get("kind", "")),
                         str(rec.get("time", "")), dict(rec.get("data") or {}), line)


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def _fsync_dir(directory: Path) -> None:
    try:
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:  # some filesystems refuse fsync on directories; the data itself is synced
        pass
    finally:
        os.close(dfd)


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data``, fsync'd."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


# A test may set this to run code at a named stage of an append (tests/test_journal_faults.py
# kills the process there): 'locked' (lock held, nothing written), 'write' (called with the
# line instead of writing it when it returns True), 'written' (before fsync), 'synced'
# (durable, not yet acknowledged).
_STAGE_HOOK: Callable[..., Any] | None = None


@dataclass
class VerifyReport:
    """What :meth:`Journal.verify` found."""

    path: str
    records: int
    damaged: list[Damage]
    torn_tail: int                    # bytes after the last newline
    tail_record: bool                 # …which still hold a verified record

    @property
    def ok(self) -> bool:
        return not self.damaged and not self.torn_tail

    @property
    def lost(self) -> int:
        return sum(1 for d in self.damaged if not d.recovered)


@dataclass
class RepairReport:
    """What :meth:`Journal.repair` did; every file it wrote or kept."""

    records: int
    rewritten: bool
    original: str | None = None
    damaged_file: str | None = None
    unrecoverable: int = 0


class Journal:
    """The append-only, fsync'd, doubly checksummed journal file.

    >>> j = Journal(tmp_path)                       # doctest: +SKIP
    >>> j.append("annotation", {"note": "x"})       # doctest: +SKIP
    >>> [r.kind for r in j.replay()]                # doctest: +SKIP
    """

    def __init__(self, directory: str | Path, name: str = JOURNAL_NAME):
        self.dir = Path(directory)
        self.path = self.dir / name
        self.quarantine_path = self.dir / (Path(name).stem + QUARANTINE_SUFFIX)
        self._lock = threading.Lock()
        self._next_seq: int | None = None
        self._known: tuple[int, int] | None = None   # (inode, size) after our last write
        self.warnings: list[str] = []

    # -- reading -------------------------------------------------------------------------
    def _scan(self, data: bytes | None = None) -> Scan:
        if data is None:
            try:
                data = self.path.read_bytes()
            except FileNotFoundError:
                return Scan()
            except OSError as exc:
                raise JournalError(self.path, f"no se puede leer el diario: {exc.strerror or exc}") from exc
        scan = Scan()
        pos, lineno = 0, 0
        while pos < len(data):
            nl = data.find(b"\n", pos)
            lineno += 1
            end = len(data) if nl < 0 else nl
            recs, why = _decode(data[pos:end])
            if nl < 0:
                scan.tail, scan.tail_line = data[pos:], lineno
                scan.tail_record = bool(recs)
            elif why is not None:
                scan.damage.append(Damage(lineno, pos, why, bool(recs)))
            for rec in recs:
                scan.records.append(_record(rec, lineno, len(scan.records) + 1))
            if nl < 0:
                break
            pos = nl + 1
            scan.clean_end = pos
        return scan

    def _warn(self, message: str) -> None:
        log.warning(message)
        self.warnings.append(message)

    def replay(self, kind: str | None = None) -> Iterator[JournalRecord]:
        """Every durable, valid record in order (optionally of one kind).

        Damaged lines are skipped with a warning (``self.warnings``); a record that no longer
        passes :func:`validate_record` is quarantined. Never raises for damage."""
        scan = self._scan()
        for d in scan.damage:
            if not d.recovered:
                self._warn(d.describe(self.path))
        if scan.tail and not scan.tail_record:
            self._warn(f"{self.path}: {len(scan.tail)} bytes finales sin salto de línea "
                       f"(escritura interrumpida, nunca confirmada); se omiten")
        elif scan.tail:
            self._warn(f"{self.path}: la última línea perdió su final; su registro se recupera de una copia")
        seen: set[tuple[int, str]] = set()
        for r in scan.records:
            if (r.seq, r.time) in seen:   # the same record recovered from a split line
                continue
            seen.add((r.seq, r.time))
            if kind is not None and r.kind != kind:
                continue
            try:
                data = validate_record(r.kind, r.data)
            except JournalInputError as exc:
                self.quarantine(r, f"no pasa la validación: {exc.problem}")
                continue
            yield JournalRecord(r.seq, r.kind, r.time, data, r.line)

    def __len__(self) -> int:
        return len({(r.seq, r.time) for r in self._scan().records})

    def verify(self) -> VerifyReport:
        """Every damaged line (recovered or not) and the torn tail, if any; changes nothing."""
        scan = self._scan()
        return VerifyReport(str(self.path), len({(r.seq, r.time) for r in scan.records}),
                            scan.damage, len(scan.tail), scan.tail_record)

    # -- quarantine ------------------------------------------------------------------------
    def quarantine(self, record: JournalRecord, reason: str) -> bool:
        """Set a record aside with its line number and the reason (once per record and
        reason); False when it was already there. The journal line itself stays."""
        entry = {"line": record.line, "seq": record.seq, "kind": record.kind, "reason": reason,
                 "record_time": record.time, "data": record.data}
        for old in self.quarantined():
            if (old.get("seq"), old.get("record_time"), old.get("reason")) == (
                    record.seq, record.time, reason):
                return False
        entry["time"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        line = json.dumps(entry, ensure_ascii=True, sort_keys=True) + "\n"
        self.dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.quarantine_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        self._warn(f"{self.path}: línea {record.line} ({record.kind} {record.seq}) en cuarentena: {reason}")
        return True

    def graph_rejected(self, record: JournalRecord, exc: LawgraphError) -> None:
        """Quarantine a record the graph refused; re-raise when the database was only
        unreachable (``exc.transient``), which says nothing about the record."""
        if getattr(exc, "transient", False):
            raise exc
        self.quarantine(record, f"el grafo lo rechazó: {exc}")

    def quarantined(self) -> list[dict[str, Any]]:
        """The quarantine entries, oldest first."""
        try:
            text = self.quarantine_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        out = []
        for raw in text.splitlines():
            try:
                out.append(json.loads(raw))
            except json.JSONDecodeError:
                continue
        return out

    # -- writing -------------------------------------------------------------------------
    def _open_locked(self) -> int:
        """The journal file open for appending, with the exclusive lock held, and the same
        inode as ``self.path`` (a repair replaces the file while others may wait)."""
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            fcntl.flock(fd, fcntl.LOCK_EX)   # one writer at a time; the lock dies with its process
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                return fd
            os.close(fd)

    def _settle_tail(self, fd: int) -> None:
        """Before writing: give a torn tail its own file and cut it, or end a complete last
        record whose newline is missing; refresh the next sequence number."""
        st = os.fstat(fd)
        if self._next_seq is not None and self._known == (st.st_ino, st.st_size):
            return
        scan = self._scan()
        if scan.tail:
            # Bytes after the last newline: kept in a file of their own, cut, and any record a
            # copy of which still verifies there (a last line that lost its newline or its last
            # bytes, or a write torn after its first copy) written back whole.
            aside = self.path.with_name(f"{self.path.name}.torn-{_stamp()}")
            _write_new(aside, scan.tail)
            _fsync_dir(self.dir)
            os.ftruncate(fd, scan.clean_end)
            for r in scan.records:
                if r.line == scan.tail_line:
                    os.write(fd, _encode({"seq": r.seq, "kind": r.kind, "time": r.time, "data": r.data}))
            os.fsync(fd)
            self._warn(f"{self.path}: {len(scan.tail)} bytes finales sin salto de línea apartados en "
                       f"{aside.name}" + ("; su registro se conserva" if scan.tail_record else
                                          " (escritura interrumpida, nunca confirmada)"))
        self._next_seq = max((r.seq for r in scan.records), default=0) + 1

    def append(self, kind: str, data: dict[str, Any]) -> JournalRecord:
        """Validate one record, write it durably (fsync'd) and return it."""
        return self.append_many(kind, [data])[0]

    def append_many(self, kind: str, items: Iterable[dict[str, Any]]) -> list[JournalRecord]:
        """Validate every record first (nothing is written when one is refused), then write
        them one line each, durably, in order."""
        clean = [validate_record(kind, d) for d in items]
        written: list[JournalRecord] = []
        if not clean:
            return written
        with self._lock:
            self.dir.mkdir(parents=True, exist_ok=True)
            created = not self.path.exists()
            fd = self._open_locked()
            try:
                if _STAGE_HOOK:
                    _STAGE_HOOK("locked")
                self._settle_tail(fd)
                for data in clean:
                    written.append(self._write_one(fd, kind, data))
                st = os.fstat(fd)
                self._known = (st.st_ino, st.st_size)
            finally:
                os.close(fd)             # also releases the lock
            if created:
                _fsync_dir(self.dir)     # the new file's directory entry must be durable too
        return written

    def _write_one(self, fd: int, kind: str, data: dict[str, Any]) -> JournalRecord:
        assert self._next_seq is not None
        rec = {"seq": self._next_seq, "kind": kind,
               "time": datetime.now(timezone.utc).isoformat(timespec="microseconds"), "data": data}
        line = _encode(rec)
        start = os.fstat(fd).st_size
        try:
            if not (_STAGE_HOOK and _STAGE_HOOK("write", fd, line)):
                written = os.write(fd, line)
                if written != len(line):
                    raise OSError(28, f"escritura incompleta ({written} de {len(line)} bytes)")
            if _STAGE_HOOK:
                _STAGE_HOOK("written")
            os.fsync(fd)
        except OSError as exc:
            # Disk full or a size limit: take the partial line back so the file ends on a
            # complete record, then say so. Nothing acknowledged is touched.
            try:
                os.ftruncate(fd, start)
                os.fsync(fd)
            except OSError:
                pass
            self._known = None
            raise JournalError(self.path, f"no se pudo guardar el registro ({exc.strerror or exc}); "
                                          f"¿disco lleno? No se perdió nada de lo ya guardado") from exc
        if _STAGE_HOOK:
            _STAGE_HOOK("synced")
        self._next_seq += 1
        return JournalRecord(rec["seq"], kind, rec["time"], data)

    # -- repair ----------------------------------------------------------------------------
    def repair(self) -> RepairReport:
        """Rewrite the journal from every record that verifies (both copies again), keeping the
        original file and, separately, the lines that could not be recovered. Nothing is
        rewritten when the file is clean."""
        with self._lock:
            if not self.path.exists():
                return RepairReport(0, False)
            fd = self._open_locked()
            try:
                data = self.path.read_bytes()
                scan = self._scan(data)
                unique: dict[tuple[int, str], JournalRecord] = {}
                for r in scan.records:
                    unique.setdefault((r.seq, r.time), r)
                if not scan.damage and not scan.tail:
                    return RepairReport(len(unique), False)
                stamp = _stamp()
                original = self.path.with_name(f"{self.path.name}.orig-{stamp}")
                _write_new(original, data)
                rep = RepairReport(len(unique), True, str(original))
                lost = [d for d in scan.damage if not d.recovered]
                if scan.tail and not scan.tail_record:
                    lost.append(Damage(0, scan.clean_end, "escritura interrumpida", False))
                if lost:
                    damaged = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
                    chunks = []
                    for d in lost:
                        nl = data.find(b"\n", d.offset)
                        chunks.append(data[d.offset: len(data) if nl < 0 else nl + 1])
                    _write_new(damaged, b"".join(c if c.endswith(b"\n") else c + b"\n" for c in chunks))
                    rep.damaged_file, rep.unrecoverable = str(damaged), len(lost)
                body = b"".join(_encode({"seq": r.seq, "kind": r.kind, "time": r.time, "data": r.data})
                                for r in sorted(unique.values(), key=lambda r: r.seq))
                tmp = self.path.with_name(f"{self.path.name}.tmp-{stamp}")
                _write_new(tmp, body)
                os.replace(tmp, self.path)
                _fsync_dir(self.dir)
                self._known = None
                self._next_seq = None
                return rep
            finally:
                os.close(fd)


def default_journal() -> Journal:
    """The journal in the configured data directory ($LAWGRAPH_HOME/journal.jsonl)."""
    from lawgraph.config import default_home

    return Journal(default_home())


# -- typed helpers for the human input the graph re-applies on rebuild ------------------------
def record_suggestion(journal: Journal, suggestion) -> JournalRecord:
    """Append a :class:`lawgraph.model.recs.Suggestion` (durable before this returns)."""
    return journal.append("suggestion", suggestion.model_dump(mode="json"))


def record_decision(journal: Journal, decision) -> JournalRecord:
    """Append a :class:`lawgraph.model.recs.LinkDecision` (durable before this returns)."""
    return journal.append("review", decision.model_dump(mode="json"))


def record_all(journal: Journal, kind: str, items: Iterable[BaseModel]) -> list[JournalRecord]:
    """Append many domain objects of one kind: all validated before the first is written."""
    return journal.append_many(kind, [i.model_dump(mode="json") for i in items])


def latest_records(journal: Journal, kind: str) -> dict[str, tuple[JournalRecord, Any]]:
    """key -> (its latest record, the domain object) for a kind with a model (journal order)."""
    cls, key = _models()[kind]
    return {r.data[key]: (r, cls.model_validate(r.data)) for r in journal.replay(kind)}


def replay_suggestions(journal: Journal) -> dict:
    """sug_id -> Suggestion, in journal order (a later record of the same id replaces it)."""
    return {k: obj for k, (_r, obj) in latest_records(journal, "suggestion").items()}


def replay_decisions(journal: Journal) -> dict:
    """link_id -> the latest LinkDecision, so a re-run of the linker can re-apply every review."""
    return {k: obj for k, (_r, obj) in latest_records(journal, "review").items()}


def apply_or_quarantine(journal: Journal, entries: Iterable[tuple[JournalRecord, Any]],
                        apply: Callable[[list[Any]], Any]) -> list[Any]:
    """Apply the objects of ``entries`` in one call; when that fails, one by one, putting each
    one the graph rejects in quarantine (with its line and the reason) and going on. Returns
    the objects applied."""
    entries = list(entries)
    if not entries:
        return []
    try:
        apply([obj for _r, obj in entries])
        return [obj for _r, obj in entries]
    except LawgraphError as exc:
        if getattr(exc, "transient", False):   # the database is down, not the record wrong
            raise
    done = []
    for rec, obj in entries:
        try:
            apply([obj])
        except LawgraphError as exc:
            journal.graph_rejected(rec, exc)
            continue
        done.append(obj)
    return done
