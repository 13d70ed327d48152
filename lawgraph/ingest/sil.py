"""SIL (Sistema de Información Legislativa) instrument records -> :class:`SilInstrument` models.

Inputs (``<mirror>/process/semaforo-legislativo/``, scraper outputs of one mirror):

- ``dashboard_ultimas_instrumentos.json``: per legislator key, the latest instruments
  (iniciativas and proposiciones con punto de acuerdo) of both chambers and of the Comisión
  Permanente: type, date, title, committee, status, SIL ids (``seguimiento_id``,
  ``asunto_id``), Gaceta URL. One instrument listed under several legislators is read once.
- ``eval_instrumentos_4legs_data.json``: instruments of four legislators with their name,
  chamber and the SIL status as printed ("Pendiente en comisión(es) de origenPendiente15").
- ``eval__instrumentos_sil@<rev>.json``: per legislator key, SIL stage records without title
  or id (type, committees with their chamber, stage string "Pendiente en comisión(es) de
  revisora el 19-NOV-2025", date). A stage record is attached to an instrument of the same
  legislator, date and committee when exactly one instrument fits; the others are counted.

Quirks handled (counted in :class:`SilIngest`): instruments repeated across legislators; stage
strings glued to a status word and day number in the 4legs file; committees of the Comisión
Permanente named with their recess period; types spelled with either case ("Punto de Acuerdo").
Nothing here imports the graph.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from lawgraph.errors import InputError
from lawgraph.model.base import Frozen
from lawgraph import ids
from lawgraph.ids import slug
from lawgraph.model.process import Chamber, Committee, Event, ProcessSource, Proponent, Proposal, Stage
from lawgraph.nlp.dates import fold, try_parse_spanish_date

INSTRUMENTS_FILE = "dashboard_ultimas_instrumentos.json"
LEGISLATORS_FILE = "eval_instrumentos_4legs_data.json"
STAGES_GLOB = "eval__instrumentos_sil*.json"

# 'Pendiente en comisión(es) de revisora  el 19-NOV-2025', 'De primera lectura en revisora',
# 'Resuelto / Aprobado  el 30-ABR-2025', 'Publicado en DOF  el 15-ENE-2026'. Specific before general.
STAGE_RE = re.compile(
    r"""^\s*(?P<what>
        Pendiente\ en\ comisi[oó]n\(es\)\ de\ (?:origen|revisora)
      | Pendiente\ en\ [oó]rgano\(s\)\ de\ gobierno
      | De\ primera\ lectura\ en\ (?:origen|revisora)
      | Turnado\ a\ (?:revisora|Colegisladora\ por\ no\ competencia)
      | Resuelto(?:\ /\ Aprobado)?
      | Publicado\ en\ DOF
      | Desechado(?:\ en\ (?:origen|revisora))?
      | Retirada
      | Pendiente
    )\s*(?:el\s+(?P<date>\d{1,2}-[A-Za-z]{3}-\d{4}))?""",
    re.VERBOSE | re.IGNORECASE,
)
# '1.-Diputados -Justicia .-Para dictamen 2.-Senado -Salud .-Para opinión'
COMMITTEE_RE = re.compile(r"\d+\.-\s*(?:(?P<chamber>Diputados|Senado)\s+-)?(?P<name>.*?)\s*(?:\.-Para\s+(?P<role>dictamen|opini[oó]n))?(?=\s*\d+\.-|$)")
_PERIOD_RE = re.compile(r"\s*\(\d\d/\d\d/\d{4}\s*-\s*\d\d/\d\d/\d{4}\)\s*(?:de\s+Comisi[oó]n\s+Permanente)?\s*$")

_OTHER = {"diputados": "senado", "senado": "diputados"}


class SilStage(Frozen):
    """One stage string of an instrument as SIL prints it, read into a stage of the model."""

    raw: str
    stage: Stage | None
    date: date | None
    chamber: Chamber | None
    source: ProcessSource


class SilInstrument(Frozen):
    """An instrument of the SIL: iniciativa or proposición con punto de acuerdo."""

    sil_id: str                           # seguimiento_id ('5072063', 'PERM_162145')
    asunto_id: str | None = None
    kind: Literal["iniciativa", "proposicion"]
    title: str
    date: date | None
    chamber: Chamber | None               # where it was presented (comision_permanente in recess)
    origin: Literal["diputados", "senado"] | None = None   # chamber of origin, when known
    committee: str | None = None
    status: str | None = None             # 'Pendiente', 'Aprobado', … as printed
    url: str | None = None
    legislators: list[str] = Field(default_factory=list)   # legislator keys of the listing
    proponents: list[str] = Field(default_factory=list)    # names, where a file gives them
    stages: list[SilStage] = Field(default_factory=list)
    source: ProcessSource

    def events(self) -> list[Event]:
        """The instrument's path as model events, each with its SIL source."""
        out = [Event(stage=Stage.PRESENTADA, date=self.date, chamber=self.chamber,
                     detail=f"SIL {self.sil_id}", source=self.source)]
        if self.committee:
            out.append(Event(stage=Stage.TURNADA_COMISION, date=self.date, chamber=self.chamber,
                             detail=self.committee, source=self.source))
        for s in self.stages:
            if s.stage is not None:
                out.append(Event(stage=s.stage, date=s.date, chamber=s.chamber, detail=s.raw,
                                 source=s.source))
        return out


@dataclass
class SilIngest:
    """What :func:`ingest_sil` read: instruments and counts of what was attached or not."""

    instruments: list[SilInstrument] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    n_records: int = 0
    stage_records: int = 0
    stages_attached: int = 0


def _sha(path: Path) -> tuple[bytes, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"no se pudo leer: {exc.strerror}") from None
    return data, hashlib.sha256(data).hexdigest()


def _load_json(path: Path) -> tuple[Any, str]:
    data, sha = _sha(path)
    try:
        return json.loads(data), sha
    except ValueError as exc:
        raise InputError(path, f"JSON ilegible: {exc}") from None


def _kind(tipo: str) -> Literal["iniciativa", "proposicion"] | None:
    f = fold(tipo or "")
    if f.startswith("iniciativa"):
        return "iniciativa"
    if f.startswith("proposicion"):
        return "proposicion"
    return None


def _chamber(rec: dict[str, Any]) -> Chamber | None:
    url, sid, com = rec.get("url") or "", str(rec.get("seguimiento_id") or ""), rec.get("comision") or ""
    if sid.startswith("PERM_") or "comision_permanente" in url or "Comisión Permanente" in com:
        return "comision_permanente"
    if "senado.gob.mx" in url:
        return "senado"
    if "diputados.gob.mx" in url:
        return "diputados"
    return None


def parse_stage(raw: str, origin: str | None, source: ProcessSource) -> SilStage:
    """'Pendiente en comisión(es) de revisora el 19-NOV-2025' -> enviada_revisora in the chamber
    that is not the origin, dated 2025-11-19. A string the grammar does not know keeps
    ``stage=None`` (shown as printed, never dropped)."""
    text = " ".join((raw or "").split())
    m = STAGE_RE.match(text)
    if not m:
        return SilStage(raw=text, stage=None, date=None, chamber=None, source=source)
    what = fold(m.group("what"))
    day = try_parse_spanish_date(m.group("date")) if m.group("date") else None
    revisora = _OTHER.get(origin or "")
    stage: Stage | None
    chamber = origin
    if "revisora" in what and what.startswith(("pendiente", "de primera")):
        stage, chamber = Stage.ENVIADA_REVISORA, revisora
    elif what.startswith("turnado a"):
        stage = Stage.APROBADA_ORIGEN
    elif what.startswith("pendiente"):
        stage = Stage.TURNADA_COMISION
    elif what.startswith("de primera lectura"):
        stage = Stage.DICTAMINADA
    elif what.startswith("resuelto"):
        stage = Stage.APROBADA_ORIGEN
    elif what.startswith("publicado"):
        stage, chamber = Stage.PUBLICADA_DOF, "ejecutivo"
    elif what.startswith("desechado"):
        stage = Stage.DESECHADA
        if "revisora" in what:
            chamber = revisora
    elif what.startswith("retirada"):
        stage = Stage.RETIRADA
    else:                                   # pragma: no cover - the alternatives above are exhaustive
        stage = None
    return SilStage(raw=text, stage=stage, date=day, chamber=chamber, source=source)  # type: ignore[arg-type]


def read_instruments(path: Path) -> tuple[list[SilInstrument], list[str], int]:
    """Instruments of ``dashboard_ultimas_instrumentos.json``, one per SIL id (the legislators
    listing it merged). Raises ``InputError`` naming the file when it is not a JSON object of
    lists; a record without title or id is reported and skipped."""
    data, sha = _load_json(path)
    if not isinstance(data, dict):
        raise InputError(path, "se esperaba un objeto {clave de legislador: [instrumentos]}")
    by_id: dict[str, SilInstrument] = {}
    problems: list[str] = []
    n = 0
    for leg, recs in data.items():
        if not isinstance(recs, list):
            problems.append(f"{path.name}: legislador {leg}: no es una lista; omitido")
            continue
        for i, rec in enumerate(recs):
            n += 1
            sid = str(rec.get("seguimiento_id") or "").strip()
            title = " ".join((rec.get("titulo") or "").split())
            kind = _kind(rec.get("tipo", ""))
            where = f"{path.name}: legislador {leg}, registro {i + 1}"
            if not sid or not title or kind is None:
                problems.append(f"{where}: sin id, título o tipo reconocible; omitido")
                continue
            if sid in by_id:
                prev = by_id[sid]
                if leg not in prev.legislators:
                    by_id[sid] = prev.model_copy(update={"legislators": [*prev.legislators, leg]})
                continue
            try:
                day = try_parse_spanish_date(rec.get("fecha"))
            except ValueError as exc:
                problems.append(f"{where}: fecha: {exc}")
                day = None
            com = _PERIOD_RE.sub("", rec.get("comision") or "").strip() or None
            by_id[sid] = SilInstrument(
                sil_id=sid, asunto_id=str(rec.get("asunto_id") or "") or None, kind=kind, title=title,
                date=day, chamber=_chamber(rec), committee=com, status=(rec.get("estatus") or "").strip() or None,
                url=rec.get("url") or None, legislators=[leg],
                source=ProcessSource(file=f"process/semaforo-legislativo/{path.name}", sha256=sha,
                                     line=None, offset=None, record=f"{leg}/{i + 1}/SIL {sid}"))
    return list(by_id.values()), problems, n


def _committee_names(com: str) -> list[tuple[str | None, str]]:
    return [(m.group("chamber"), _PERIOD_RE.sub("", m.group("name")).strip())
            for m in COMMITTEE_RE.finditer(com or "") if m.group("name").strip()]


def attach_stages(instruments: list[SilInstrument], path: Path) -> tuple[list[SilInstrument], int, int, list[str]]:
    """Attach the per-legislator stage records of ``eval__instrumentos_sil*.json``: a record
    goes to the one instrument of that legislator with the same date whose committee is among
    the record's committees; it also tells the chamber of origin (the first committee's
    chamber). Returns (instruments, records read, records attached, problems)."""
    data, sha = _load_json(path)
    if not isinstance(data, dict):
        raise InputError(path, "se esperaba un objeto {clave de legislador: [etapas]}")
    index: dict[tuple[str, str], list[int]] = {}
    for k, ins in enumerate(instruments):
        for leg in ins.legislators:
            index.setdefault((leg, ins.date.isoformat() if ins.date else ""), []).append(k)
    stages: dict[int, list[SilStage]] = {}
    origin: dict[int, str] = {}
    n = attached = 0
    for leg, recs in data.items():
        for i, rec in enumerate(recs if isinstance(recs, list) else []):
            n += 1
            cands = index.get((leg, rec.get("f") or ""), [])
            coms = _committee_names(rec.get("com", ""))
            names = {fold(c) for _ch, c in coms}
            kind = "iniciativa" if rec.get("t") == "ini" else "proposicion"
            fit = [k for k in cands if instruments[k].kind == kind
                   and (not names or fold(instruments[k].committee or "") in names)]
            if len(fit) != 1:
                continue
            k = fit[0]
            ch = next((c for c, _ in coms if c), None)
            if ch:
                origin.setdefault(k, ch.lower())
            src = ProcessSource(file=f"process/semaforo-legislativo/{path.name}", sha256=sha,
                                record=f"{leg}/{i + 1}")
            stages.setdefault(k, []).append(parse_stage(rec.get("est", ""), origin.get(k), src))
            attached += 1
    out = []
    for k, ins in enumerate(instruments):
        upd: dict[str, Any] = {}
        if k in origin and ins.origin is None:
            upd["origin"] = origin[k]
        if k in stages:
            # Re-read the stage strings now that the origin is known (revisora = the other chamber).
            o = upd.get("origin", ins.origin)
            # One instrument of several legislators has the same stage record under each: kept once.
            seen: set[str] = {s.raw for s in ins.stages}
            upd["stages"] = list(ins.stages)
            for s in stages[k]:
                if s.raw not in seen:
                    seen.add(s.raw)
                    upd["stages"].append(parse_stage(s.raw, o, s.source))
        out.append(ins.model_copy(update=upd) if upd else ins)
    return out, n, attached, []


# '…de origenPendiente15' (4legs file): the stage string glued to a status word and a day.
_GLUED_RE = re.compile(r"(Pendiente|Desechado|Retirada|Aprobado|Tramitado)\d*\s*$")


def attach_legislators(instruments: list[SilInstrument], path: Path) -> tuple[list[SilInstrument], list[SilInstrument], int]:
    """Names, chambers and SIL status strings of ``eval_instrumentos_4legs_data.json``, merged
    into the instruments by SIL id; instruments only this file lists are added. Returns
    (instruments, added, records read)."""
    data, sha = _load_json(path)
    if not isinstance(data, list):
        raise InputError(path, "se esperaba una lista de instrumentos")
    by_id = {ins.sil_id: k for k, ins in enumerate(instruments)}
    out = list(instruments)
    added: list[SilInstrument] = []
    for i, rec in enumerate(data):
        sid = str(rec.get("seguimiento_id") or "").strip()
        kind = _kind(rec.get("tipo_grupo") or rec.get("tipo_sil_oficial") or "")
        info = [x.strip() for x in (rec.get("info_leg") or "").split("·")]
        ch = fold(info[1]) if len(info) > 1 else None
        origin = ch if ch in ("diputados", "senado") else None
        src = ProcessSource(file=f"process/semaforo-legislativo/{path.name}", sha256=sha, record=f"{i + 1}/SIL {sid}")
        raw = _GLUED_RE.sub("", rec.get("estatus") or "").strip()
        try:
            day = try_parse_spanish_date(rec.get("fecha"))
        except ValueError:
            day = None
        name = " ".join((rec.get("legislador") or "").split())
        if sid in by_id:
            k = by_id[sid]
            ins = out[k]
            o = ins.origin or origin
            st = list(ins.stages)
            if raw and not any(fold(s.raw).startswith(fold(raw)) for s in st):
                st.append(parse_stage(raw, o, src))
            out[k] = ins.model_copy(update={"origin": o, "stages": st,
                                            "proponents": sorted({*ins.proponents, name} - {""})})
        elif sid and kind and rec.get("titulo"):
            added.append(SilInstrument(
                sil_id=sid, asunto_id=str(rec.get("asunto_id") or "") or None, kind=kind,
                title=" ".join(rec["titulo"].split()), date=day, chamber=origin, origin=origin,  # type: ignore[arg-type]
                committee=(rec.get("comision") or "").strip() or None, proponents=[name] if name else [],
                stages=[parse_stage(raw, origin, src)] if raw else [], source=src))
            by_id[sid] = -1
    return out, added, len(data)


def ingest_sil(directory: str | Path) -> SilIngest:
    """Read the SIL instruments of a semaforo-legislativo folder with their stage records and
    legislators. Raises ``InputError`` naming the folder when the instruments file is missing."""
    directory = Path(directory)
    path = directory / INSTRUMENTS_FILE
    if not path.is_file():
        raise InputError(directory, f"falta {INSTRUMENTS_FILE} en la carpeta del SIL")
    ins, problems, n = read_instruments(path)
    res = SilIngest(problems=problems, n_records=n)
    for sp in sorted(directory.glob(STAGES_GLOB)):
        ins, n_st, att, probs = attach_stages(ins, sp)
        res.stage_records += n_st
        res.stages_attached += att
        res.problems += probs
    lp = directory / LEGISLATORS_FILE
    if lp.is_file():
        ins, added, n_leg = attach_legislators(ins, lp)
        ins += added
        res.n_records += n_leg
    # An instrument presented in a chamber is its origin unless a stage record said otherwise.
    res.instruments = [i.model_copy(update={"origin": i.chamber}) if i.origin is None and i.chamber in _OTHER else i
                       for i in ins]
    return res


_STATUS = {"pendiente": "pendiente", "aprobado": "aprobada", "desechado": "desechada", "retirada": "retirada"}


def sil_proposal_id(ins: SilInstrument) -> str:
    """The proposal id of an instrument known only to the SIL (key built by :mod:`lawgraph.ids`)."""
    return ids.sil_proposal_id(ins.kind, ins.sil_id)


def to_proposal(ins: SilInstrument, catalog=None) -> Proposal:
    """A SIL instrument as a :class:`Proposal` of its own (targets read from its title)."""
    from lawgraph.ingest.sitl import targets_from_title

    events = ins.events()
    targets, problems = targets_from_title(ins.title, catalog) if ins.kind == "iniciativa" else ([], [])
    status = _STATUS.get(fold(ins.status or ""), "pendiente" if not ins.status else "otro")
    if any(e.stage is Stage.PUBLICADA_DOF for e in events):
        status = "publicada"
    com = [Committee(name=ins.committee, key=slug(fold(ins.committee)),
                     chamber=ins.chamber or "diputados")] if ins.committee else []
    return Proposal(
        id=sil_proposal_id(ins), kind=ins.kind, chamber=ins.origin or ins.chamber or "diputados",
        title=ins.title, proponents=[Proponent(name=n, kind="otro") for n in ins.proponents],
        committees=com, events=events, targets=targets, status=status,  # type: ignore[arg-type]
        date_presented=ins.date, gaceta_url=ins.url, sil_ids=[ins.sil_id],
        sources=[ins.source], problems=problems)
