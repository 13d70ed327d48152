"""SITL (Cámara de Diputados) initiative listings -> :class:`lawgraph.model.process.Proposal`.

Two inputs of the same source (``<mirror>/process/sitl_diputados_lxvi/``):

- ``raw_html/<committee>_ini_<turn list>_<A|B|P|T>.html``: the original "Iniciativas turnadas a
  comisión" pages. Their markup is malformed (cells outside rows, unclosed spans); lxml's
  HTML parser recovers it and each initiative is read from its four cells: number + title +
  proponent, presentation date + committees, synopsis, status + Gaceta publication.
- ``sitl_lxvi_iniciativas_por_comision.jsonl``: 5,840 listing records (an initiative turned to
  several committees is listed once per committee; 5,324 distinct by title and date).

Both become one Proposal per distinct initiative with events (presentada, publicada en
Gaceta, turnada a comisión(es), aprobada / retirada / desechada), proponents and parties,
committees, and targets read from the title with the amendment grammar and resolved against
the law catalogue. A record that cannot be read is reported with its file and line; the rest
is ingested.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from lawgraph.catalog import LawCatalog, load_catalog
from lawgraph.errors import InputError
from lawgraph import ids
from lawgraph.ids import slug
from lawgraph.model.process import (
    Committee,
    Event,
    ProcessSource,
    Proponent,
    Proposal,
    Stage,
    Target,
)
from lawgraph.nlp.amendments import mask, parse_clause
from lawgraph.nlp.dates import fold, try_parse_spanish_date

RECORDS_FILE = "sitl_lxvi_iniciativas_por_comision.jsonl"

# 'Vitela Rodríguez Alma Marina (MORENA)', 'Congreso de Jalisco (Congresos Locales)'.
PROPONENT_RE = re.compile(r"^(?P<name>.*?)\s*\((?P<group>[^()]*)\)\s*$")
_GROUP_KIND = {
    "congresos locales": ("congreso_estatal", None),
    "senadores": ("senador", None),
    "ejecutivo": ("ejecutivo", None),
    "diversos grupos": ("grupo", None),
    "ciudadanos": ("ciudadano", None),
    "dip. sin partido": ("diputado", "sin partido"),
}
# 'Aprobada con fecha 29-Enero-2025', 'Desechada (art. 89) con fecha 29-Agosto-2025'.
TRAMITE_RE = re.compile(
    r"^\s*(?P<status>Pendiente|Aprobada|Retirada|Desechada|Precluida|Dictaminada)\b\s*(?P<detail>\([^)]*\))?\s*(?:con\s+fecha\s+(?P<date>.*))?$",
    re.IGNORECASE,
)
# '- Bienestar Con Opinión de - Presupuesto y Cuenta Pública', 'Unidas - Hacienda … - Bienestar'.
OPINION_SPLIT_RE = re.compile(r"\bCon\s+Opini[oó]n\s+de\b", re.IGNORECASE)
# 'Proyecto de decreto que reforma …', 'Proyecto de decreto por el que se expide …'.
TITLE_LEAD_RE = re.compile(
    r"^\s*(?:Proyecto\s+de\s+decreto|Iniciativa(?:\s+con\s+proyecto\s+de\s+decreto)?)\s*(?:,\s*)?"
    r"(?:por\s+(?:el|medio\s+del)\s+(?:que|cual)\s+se|que|por\s+el\s+que)?\s*",
    re.IGNORECASE,
)


@dataclass
class SitlIngest:
    """Proposals read from one or more SITL inputs, and what could not be read."""

    proposals: list[Proposal] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    n_records: int = 0


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- pieces ------------------------------------------------------------------------------

def parse_proponent(raw: str) -> Proponent:
    """'Vitela Rodríguez Alma Marina (MORENA)' -> Proponent(name, party='MORENA')."""
    raw = " ".join((raw or "").split())
    m = PROPONENT_RE.match(raw)
    if not m:
        return Proponent(name=raw or "desconocido", party=None, kind="otro")
    name, group = m.group("name").strip(), m.group("group").strip()
    kind, party = _GROUP_KIND.get(group.lower(), ("diputado", group))
    return Proponent(name=name or group, party=party, kind=kind)  # type: ignore[arg-type]


def parse_turno(raw: str, committee_id: int | None = None, listed_committee: str | None = None) -> list[Committee]:
    """'Unidas - Hacienda y Crédito Público - Bienestar Con Opinión de - Presupuesto …' ->
    committees with their role (dictamen / opinión)."""
    return list(_parse_turno(raw or "", committee_id, listed_committee))


@lru_cache(maxsize=4096)
def _parse_turno(raw: str, committee_id: int | None, listed_committee: str | None) -> tuple[Committee, ...]:
    out: list[Committee] = []
    parts = OPINION_SPLIT_RE.split(raw or "", maxsplit=1)
    for role, text in zip(("dictamen", "opinion"), parts):
        for name in re.split(r"\s+-\s+|^-\s*|\s-(?=\S)", text):
            name = re.sub(r"^\s*Unidas\s*", "", " ".join(name.split())).strip(" -")
            if not name:
                continue
            key = slug(fold(name))
            out.append(Committee(name=name, key=key, role=role))  # type: ignore[arg-type]
    if committee_id is not None and listed_committee:
        lk = slug(fold(listed_committee))
        out = [c.model_copy(update={"sitl_id": committee_id}) if c.key == lk else c for c in out]
    return tuple(out)


def targets_from_title(title: str, catalog: LawCatalog | None = None) -> tuple[list[Target], list[str]]:
    """Laws, articles and operations a proposal's title names, resolved against the catalogue.

    "Proyecto de decreto que reforma la fracción IX del artículo 47 … de la Ley General de
    Acceso …" -> [Target(law_key='LGAMVLV', ops=['reforma'], articles=['47', …])]. Laws named
    without articles ("… diversas disposiciones de la Ley Federal del Trabajo y de la Ley …")
    still become targets, one per law.
    """
    catalog = catalog or load_catalog()
    text = TITLE_LEAD_RE.sub("se ", title, count=1)
    parse = parse_clause(text, names=catalog)
    _masked, laws = mask(text, catalog)
    problems = [p for p in parse.problems if "sin operaciones" not in p]
    by_law: dict[str | None, dict[str, Any]] = {}
    order: list[str | None] = []

    def slot(law: str | None) -> dict[str, Any]:
        if law not in by_law:
            by_law[law] = {"ops": [], "articles": [], "fractions": []}
            order.append(law)
        return by_law[law]

    for op in parse.operations:
        if op.transitory:
            continue
        s = slot(op.law)
        if op.op not in s["ops"] and op.op not in ("recorre", "renumera"):
            s["ops"].append(op.op)
        if op.article and op.article not in s["articles"]:
            s["articles"].append(op.article)
        for u in op.units:
            if u.kind == "fraccion" and op.article and (op.article, u.label) not in s["fractions"]:
                s["fractions"].append((op.article, u.label))
    # Every law the title names is a target, even with no article ('diversas disposiciones').
    title_ops = _title_ops(text)
    for ls, _le, name in laws:
        if _cited_not_target(text, ls):
            continue
        s = slot(name)
        if not s["ops"]:
            s["ops"] = list(title_ops)
    # A title that amends a decree's transitory articles targets that decree: kept by its text.
    if not any(by_law[k]["articles"] or k for k in order) or not order:
        from lawgraph.nlp import amendment_grammar as g
        cited = g.CITED_DECREE_RE.search(text)
        if cited and any(o.transitory for o in parse.operations):
            order = [None]
            by_law = {None: {"ops": [o.op for o in parse.operations if o.transitory][:1], "articles": [],
                             "fractions": [], "raw": re.sub(r"^(?:del|al|el)\s+", "", " ".join(cited.group().split()))}}
    targets = []
    for law in order:
        s = by_law[law]
        if law is None and s.get("raw"):
            targets.append(Target(law_raw=s["raw"], ops=s["ops"]))
            continue
        if law is None:
            if not s["articles"]:
                continue
            problems.append(f"artículos sin ley identificable en el título: {title[:200]!r}")
        res = catalog.resolve(law) if law else None
        targets.append(Target(
            law_raw=law, law_key=res.key if res else None,
            jurisdiction=res.jurisdiction if res else None,
            resolution_score=res.score if res else 0.0,
            ops=s["ops"], articles=s["articles"], fractions=s["fractions"],
            constitutional=bool(res and res.key == "CPEUM"),
        ))
    return targets, problems


def _title_ops(text: str) -> list[str]:
    from lawgraph.nlp import amendment_grammar as g
    from lawgraph.nlp.amendments import _verb_op

    ops: list[str] = []
    for m in g.VERB_RE.finditer(text):
        op = _verb_op(m)
        if op and op not in ops and op not in ("recorre", "renumera"):
            ops.append(op)
    return ops


def _cited_not_target(text: str, law_start: int) -> bool:
    """A law named as the subject matter ('… reglamentaria del artículo 4o. de la Constitución')
    is not a target; only laws introduced by 'de la' / 'del' / 'a la' / 'expide la' are."""
    before = fold(text[max(0, law_start - 40):law_start])
    return bool(re.search(r"(?:reglamentaria|conforme|previsto|establecido|termino)s?\s+(?:\w+\s+){0,4}$", before))


# --- records -> proposals ---------------------------------------------------------------------

def _proposal_id(title: str, presented: str) -> str:
    return ids.initiative_id(title, presented, "lxvi")


def _build(records: list[tuple[dict[str, Any], ProcessSource]], catalog: LawCatalog) -> Proposal:
    rec, src0 = records[0]
    title = " ".join((rec.get("titulo") or "").split())
    problems: list[str] = []

    def date_of(value: str | None, what: str, src: ProcessSource):
        try:
            return try_parse_spanish_date(value)
        except ValueError as exc:
            problems.append(f"{src.file}:{src.line}: {what}: {exc}")
            return None

    presented = date_of(rec.get("fecha_presentacion"), "fecha de presentación", src0)
    gaceta = date_of(rec.get("publicacion_gaceta"), "publicación en Gaceta", src0)
    proponents = [parse_proponent(rec.get("proponente", ""))]
    committees: dict[str, Committee] = {}
    events: list[Event] = [Event(stage=Stage.PRESENTADA, date=presented, source=src0)]
    if gaceta:
        events.append(Event(stage=Stage.PUBLICADA_GACETA, date=gaceta, detail=rec.get("gaceta_url"), source=src0))
    for r, src in records:
        cs = parse_turno(r.get("turno", ""), r.get("committee_id"), r.get("committee"))
        for c in cs:
            prev = committees.get(c.key)
            if prev is None or (prev.sitl_id is None and c.sitl_id is not None):
                committees[c.key] = c
        if not any(e.stage == Stage.TURNADA_COMISION for e in events):
            events.append(Event(stage=Stage.TURNADA_COMISION, date=presented, committees=[c.key for c in cs],
                                detail=(r.get("turno") or "").strip() or None, source=src))
    status, status_date = "pendiente", None
    tram = " ".join((rec.get("tramite") or "").split())
    m = TRAMITE_RE.match(tram) if tram else None
    if tram and not m:
        problems.append(f"{src0.file}:{src0.line}: trámite no reconocido: {tram!r}")
    elif m:
        st = m.group("status").lower()
        status_date = date_of(m.group("date"), "fecha del trámite", src0)
        stage = {"aprobada": Stage.APROBADA_ORIGEN, "retirada": Stage.RETIRADA, "desechada": Stage.DESECHADA,
                 "precluida": Stage.PRECLUIDA, "dictaminada": Stage.DICTAMINADA}.get(st)
        if stage is not None:
            detail = (m.group("detail") or "").strip("() ") or None
            events.append(Event(stage=stage, date=status_date, detail=detail, source=src0))
        status = st if st in ("pendiente", "aprobada", "retirada", "desechada") else "otro"
    targets, tprobs = targets_from_title(title, catalog)
    problems.extend(f"{src0.file}:{src0.line}: {p}" for p in tprobs)
    return Proposal(
        id=_proposal_id(title, rec.get("fecha_presentacion", "")), title=title,
        synopsis=" ".join((rec.get("sinopsis") or "").split()), proponents=proponents,
        committees=list(committees.values()), events=events, targets=targets,
        status=status, status_date=status_date, date_presented=presented,  # type: ignore[arg-type]
        gaceta_url=rec.get("gaceta_url"), sources=[s for _r, s in records], problems=problems,
    )


def proposals_from_records(records: Iterable[tuple[dict[str, Any], ProcessSource]],
                           catalog: LawCatalog | None = None) -> list[Proposal]:
    """Group listing records by initiative (title + presentation date) and build proposals."""
    catalog = catalog or load_catalog()
    groups: dict[tuple[str, str], list[tuple[dict[str, Any], ProcessSource]]] = {}
    for rec, src in records:
        key = (" ".join((rec.get("titulo") or "").split()), (rec.get("fecha_presentacion") or "").strip())
        groups.setdefault(key, []).append((rec, src))
    return [_build(g, catalog) for g in groups.values()]


def read_records_file(path: str | Path) -> tuple[list[tuple[dict[str, Any], ProcessSource]], list[str]]:
    """The JSONL listing records with their sources; unreadable lines are reported, not fatal."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no existe el archivo de registros del SITL")
    sha = file_sha256(path)
    out, problems = [], []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{path.name}:{n}: línea JSON ilegible ({exc.msg})")
                continue
            if not isinstance(rec, dict) or not rec.get("titulo"):
                problems.append(f"{path.name}:{n}: registro sin título")
                continue
            out.append((rec, ProcessSource(file=path.name, sha256=sha, line=rec.get("line") or n)))
    return out, problems


def ingest_records(path: str | Path, catalog: LawCatalog | None = None) -> SitlIngest:
    """Proposals from the SITL records file (``sitl_lxvi_iniciativas_por_comision.jsonl``)."""
    recs, problems = read_records_file(path)
    props = proposals_from_records(recs, catalog)
    for p in props:
        problems.extend(p.problems)
    return SitlIngest(props, problems, len(recs))


# --- raw HTML pages ----------------------------------------------------------------------------

_PAGE_NAME_RE = re.compile(r"^(?P<cid>\d+)_ini_(?P<turn>t\d)_(?P<kind>[ABPT])\.html$")


def _read_html(path: Path):
    """A SITL page parsed leniently (the pages are not well-formed), with its sha256.
    An empty or unreadable page is an InputError naming the file."""
    from lxml import etree, html

    data = path.read_bytes() if path.exists() else b""
    if not data.strip():
        raise InputError(path, "página HTML vacía")
    try:
        doc = html.document_fromstring(data, parser=html.HTMLParser(encoding="utf-8", recover=True))
    except (etree.ParserError, ValueError) as exc:
        raise InputError(path, f"HTML ilegible: {exc}") from None
    return doc, hashlib.sha256(data).hexdigest()


def read_html_page(path: str | Path) -> tuple[list[tuple[dict[str, Any], ProcessSource]], list[str]]:
    """Initiative records of one "Iniciativas turnadas a comisión" page.

    Raises ``InputError`` naming the file when it is empty or holds no HTML; a malformed
    entry is reported (file and line) and the others are read.
    """
    path = Path(path)
    doc, sha = _read_html(path)
    m = _PAGE_NAME_RE.match(path.name)
    committee_id = int(m.group("cid")) if m else None
    turn = m.group("turn") if m else None
    committee = _page_committee(doc)
    cells = [td for td in doc.iter("td") if "Estilo69" in (td.get("class") or "")]
    out, problems = [], []
    i = 0
    while i < len(cells):
        td = cells[i]
        text = td.text_content()
        # An entry opens with its number and names its proponent; the title is a link only
        # when the page has a comparative table for it.
        if "Proponente:" not in text or not re.match(r"\s*\d+", text):
            i += 1
            continue
        group = cells[i:i + 4]
        line = td.sourceline
        src = ProcessSource(file=path.name, sha256=sha, line=line)
        try:
            rec = _record_from_cells(group)
        except ValueError as exc:
            problems.append(f"{path.name}:{line}: iniciativa ilegible ({exc})")
            i += 1
            continue
        rec.update({"committee_id": committee_id, "committee": committee, "turn_list": turn,
                    "source_file": path.name})
        out.append((rec, src))
        i += 4
    if not out and not problems:
        problems.append(f"{path.name}: la página no contiene iniciativas reconocibles")
    return out, problems


_COLUMN_HEADS = {"iniciativa", "fecha", "sinopsis", "tramite", "tramite / estatus", "estatus", "turno"}


def _page_committee(doc) -> str | None:
    """The committee banner above the table (a span of class Estilo61 that is no column head)."""
    for el in doc.iter("span"):
        if "Estilo61" not in (el.get("class") or ""):
            continue
        t = " ".join(el.text_content().split())
        if t and fold(t) not in _COLUMN_HEADS and not fold(t).startswith(
                ("fecha", "sinopsis", "tramite", "iniciativas", "secretaria", "direccion")):
            return t
    return None


def _record_from_cells(cells) -> dict[str, Any]:
    if len(cells) < 4:
        raise ValueError("faltan celdas: se esperaban 4 (título, fecha y turno, sinopsis, trámite)")
    first, second, third, fourth = (c.text_content() for c in cells[:4])
    link = cells[0].find(".//a[@class='linkTitulo']")
    if link is not None:
        title = " ".join(link.text_content().split())
    else:
        head = re.match(r"\s*\d+\s*(.*?)Proponente:", first, re.S)
        title = " ".join(head.group(1).split()) if head else ""
    if not title:
        raise ValueError("iniciativa sin título")
    num_m = re.match(r"\s*(\d+)", first)
    prop_m = re.search(r"Proponente:\s*(.+)", first, re.S)
    date_m = re.search(r"Fecha de presentaci[oó]n:\s*([^\n]+)", second)
    bolds = [" ".join(b.text_content().split()) for b in cells[1].iter("b")]
    turno = " ".join(bolds[1:]) if len(bolds) > 1 else ""
    tram_text = fourth.split("Publicación en Gaceta:")[0]
    gaceta_m = re.search(r"Publicaci[oó]n en Gaceta:\s*(.+)", fourth, re.S)
    # The status cell may also link to a dictamen or to nothing useful; the Gaceta link is the
    # one that points at the Gaceta Parlamentaria.
    gaceta_a = next((a for a in cells[3].iter("a") if "gaceta" in (a.get("href") or "").lower()), None)
    return {
        "num": int(num_m.group(1)) if num_m else None,
        "titulo": title,
        "proponente": " ".join(prop_m.group(1).split()) if prop_m else "",
        "fecha_presentacion": " ".join(date_m.group(1).split()) if date_m else "",
        "turno": turno,
        "sinopsis": " ".join(third.split()),
        "tramite": " ".join(tram_text.split()),
        "publicacion_gaceta": " ".join(gaceta_m.group(1).split()) if gaceta_m else "",
        "gaceta_url": (gaceta_a.get("href") or "").strip() if gaceta_a is not None else None,
    }


def ingest_html_dir(directory: str | Path, catalog: LawCatalog | None = None) -> SitlIngest:
    """Proposals from every ``*_ini_*.html`` committee page and ``dictamen_*.html`` page of a
    SITL snapshot directory (the per-deputy pages ``*_Ini.html`` / ``*_Pro.html`` are not read)."""
    directory = Path(directory)
    recs: list[tuple[dict[str, Any], ProcessSource]] = []
    problems: list[str] = []
    for page in sorted(directory.glob("*_ini_*.html")):
        try:
            r, p = read_html_page(page)
        except InputError as exc:
            problems.append(str(exc))
            continue
        recs.extend(r)
        problems.extend(p)
    props = proposals_from_records(recs, catalog)
    n = len(recs)
    for page in sorted(directory.glob("dictamen_*.html")):
        try:
            d = read_dictamen_page(page, catalog)
        except InputError as exc:
            problems.append(str(exc))
            continue
        props.extend(d.proposals)
        problems.extend(d.problems)
        n += d.n_records
    for p in props:
        problems.extend(p.problems)
    return SitlIngest(props, problems, n)


# --- process step lists and "Dictámenes" pages ---------------------------------------------------

def events_from_steps(text: str, origin: str, source: ProcessSource) -> list[Event]:
    """Events of a "PROCESO LEGISLATIVO" step list (see :mod:`lawgraph.ingest.process_grammar`).

    ``origin`` is the chamber of origin ('diputados' / 'senado'); an approval in the other
    chamber is ``aprobada_revisora``, a return to the origin ``devuelta_origen``.
    """
    from lawgraph.ingest import process_grammar as pg
    from lawgraph.nlp.dates import find_spanish_dates

    events: list[Event] = []
    for m in pg.STEP_RE.finditer(text):
        step = " ".join(m.group("text").split())
        f = fold(step)
        try:
            dates = find_spanish_dates(step)
        except ValueError:
            dates = []
        day = dates[-1][0] if dates else None
        cm = pg.CHAMBER_RE.search(f)
        chamber = ("diputados" if cm and cm.group("c") == "diputados" else "senado") if cm else origin
        for stage_name, pat in pg.STEP_PATTERNS:
            hit = pat.search(f)
            if not hit:
                continue
            if stage_name == "aprobada":
                stage = Stage.APROBADA_ORIGEN if chamber == origin else Stage.APROBADA_REVISORA
                ev_chamber = chamber
            elif stage_name == "pasa_camara":
                to = "diputados" if hit.group("to") == "diputados" else "senado"
                stage = Stage.ENVIADA_REVISORA if to != origin else Stage.DEVUELTA_ORIGEN
                ev_chamber = to
            elif stage_name == "presentada":
                stage, ev_chamber = Stage.PRESENTADA, chamber
                day = dates[0][0] if dates else None
            else:
                stage = Stage(stage_name)
                ev_chamber = {"enviada_ejecutivo": "ejecutivo"}.get(stage_name, chamber)
            if any(e.stage == stage and e.date == day for e in events):
                continue  # 'declaratoria de publicidad' and 'dictamen a discusión' of one day
            events.append(Event(stage=stage, date=day, chamber=ev_chamber, detail=step[:300],  # type: ignore[arg-type]
                                source=source))
    return events


def read_dictamen_page(path: str | Path, catalog: LawCatalog | None = None) -> SitlIngest:
    """Dictámenes (decrees approved in committee and by the chamber) with their whole
    legislative path, from a SITL "Dictámenes de ley o decreto" page."""
    catalog = catalog or load_catalog()
    path = Path(path)
    doc, sha = _read_html(path)
    cells = [td for td in doc.iter("td") if "Estilotabla" in (td.get("class") or "")]
    out = SitlIngest()
    for i, td in enumerate(cells):
        head = td.text_content()
        if "Tipo de dictamen" not in head:
            continue
        src = ProcessSource(file=path.name, sha256=sha, line=td.sourceline)
        group = cells[i:i + 4]
        if len(group) < 4:
            out.problems.append(f"{path.name}:{td.sourceline}: dictamen incompleto (faltan celdas)")
            continue
        out.n_records += 1
        first = " ".join(head.split())
        title_m = re.match(r"\d+\s*(.*?)\s*Tipo de dictamen:", first)
        title = title_m.group(1) if title_m else ""
        origin_m = re.search(r"C[aá]mara de origen:\s*C[aá]mara de (Diputados|Senadores)", first)
        origin = "senado" if origin_m and origin_m.group(1) == "Senadores" else "diputados"
        state_m = re.search(r"Estado actual:\s*(\w+)", first)
        committees = parse_turno(re.sub(r"\d{1,2}-\w+-\d{4}", "", group[1].text_content()))
        steps = group[3].text_content()
        events = events_from_steps(steps, origin, src)
        if not events:
            out.problems.append(f"{path.name}:{td.sourceline}: proceso legislativo sin pasos reconocibles: "
                                f"{' '.join(steps.split())[:200]!r}")
        targets, tprobs = targets_from_title(title, catalog)
        proponents = []
        pm = re.search(r"presentada\s+por\s+(?:el|la)?\s*(?:Dip\.|Sen\.)?\s*(.+?\))", steps)
        if pm:
            proponents.append(parse_proponent(pm.group(1)))
        presented = next((e.date for e in events if e.stage == Stage.PRESENTADA), None)
        status = "aprobada" if state_m and fold(state_m.group(1)).startswith("aprob") else "pendiente"
        out.proposals.append(Proposal(
            id=_proposal_id(title, presented.isoformat() if presented else path.name), kind="dictamen",
            chamber=origin, title=title, synopsis=" ".join(group[2].text_content().split()),  # type: ignore[arg-type]
            proponents=proponents, committees=committees, events=events, targets=targets,
            status=status, date_presented=presented, sources=[src],  # type: ignore[arg-type]
            problems=[f"{path.name}:{td.sourceline}: {p}" for p in tprobs],
        ))
    if not out.proposals and not out.problems:
        out.problems.append(f"{path.name}: la página no contiene dictámenes reconocibles")
    return out


def ingest_snapshot(directory: str | Path, catalog: LawCatalog | None = None) -> SitlIngest:
    """Everything of one SITL snapshot directory (``process/sitl_diputados_lxvi``): the records
    file, and the raw pages parsed by the project. The same initiative read from both (same
    title and presentation date) is one proposal with the sources of both and the Gaceta link
    of the page; dictámenes are added as their own proposals."""
    directory = Path(directory)
    catalog = catalog or load_catalog()
    base = ingest_records(directory / RECORDS_FILE, catalog)
    pages = ingest_html_dir(directory / "raw_html", catalog)
    by_id = {p.id: i for i, p in enumerate(base.proposals)}
    props = list(base.proposals)
    for p in pages.proposals:
        i = by_id.get(p.id)
        if i is None:
            props.append(p)
            continue
        q = props[i]
        props[i] = q.model_copy(update={
            "sources": q.sources + [s for s in p.sources if s not in q.sources],
            "gaceta_url": q.gaceta_url or p.gaceta_url,
        })
    return SitlIngest(props, base.problems + pages.problems, base.n_records + pages.n_records)
