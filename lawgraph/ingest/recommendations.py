"""Recommendations and suggestions: readers for the corpus sources and the user import formats.

Sources and the quirks each reader handles:

* CLADEM compilation (``un_recommendations/cladem_mexico/*.md``, Spanish): one file per body; each
  ``##`` heading is one set of observations whose document symbol sits in a footnote
  ("Suplemento No. 38 (A/57/ 38), 2002" -> ``A/57/38``). Numbered paragraphs keep their original
  numbers; lettered sub-paragraphs ('a.', 'b.') are indented; the recommendation part is in bold.
  Quirks: (1) sub-items of a list paragraph printed as plain numbers smaller than the parent
  ('93. … aprobación:' then '8.', '11.' = 93.8, 93.11); (2) numbering that restarts under a new
  lettered section (MESECVI 'B.') is qualified by the letter ('B.1'); (3) unnumbered indented
  blocks continue the previous paragraph (CCPR 2010); (4) editorial elisions '(…)' and notes
  '_No se observan …_' are skipped; (5) spaces inside symbols ('CCPR/C/79/Add. 32') are folded.
* The thematic index of the same compilation: theme -> body -> observation ordinal -> paragraphs.
* UPR CSVs (English): one row per recommending state, so rows are merged by number; the 2013
  file is Mac Roman read as Latin-1 ('childrenÕs') and repaired; its 'decision' column says
  'consider' for every row, which is not a decision, so it becomes 'unknown'.
* UPR Working Group reports (PDF, English): the numbered items of the recommendations paragraph,
  with their page, via pypdfium2.
* User imports (CSV or JSON, see docs/import_formats.md): recommendations of any other source
  and civil-society suggestions, validated row by row into an :class:`ImportReport`.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lawgraph import ids
from lawgraph.errors import InputError, ParseError
from lawgraph.ingest import rec_grammar as g
from lawgraph.model.recs import Recommendation, Suggestion, TextSource

# Longest title fragment first so 'Discriminación contra la Mujer' beats 'Discriminación'.
BODY_BY_TITLE = (
    ("discriminación contra la mujer", "CEDAW"),
    ("discriminación racial", "CERD"),
    ("derechos económicos", "CESCR"),
    ("comisión interamericana", "IACHR"),   # before 'derechos humanos:' (its title ends so too)
    ("derechos humanos:", "CCPR"),          # 'Comité de Derechos Humanos: Observaciones …'
    ("contra la tortura", "CAT"),
    ("derechos del niño", "CRC"),
    ("examen periódico universal", "UPR"),
    ("belém do pará", "MESECVI"),
    ("mesecvi", "MESECVI"),
)
# Names the thematic index uses for the bodies (prefix match after folding).
INDEX_BODY_NAMES = (
    ("comité para la eliminación de la discriminación contra la mujer", "CEDAW"),
    ("comité para la eliminación de la discriminación racial", "CERD"),
    ("comité de derechos económicos", "CESCR"),
    ("comité de derechos humanos", "CCPR"),
    ("comité contra la tortura", "CAT"),
    ("comité de los derechos del niño", "CRC"),
    ("convención de los derechos del niño", "CRC"),   # the index names the CRC once by its treaty
    ("consejo de derechos humanos - examen periódico universal", "UPR"),
    ("examen periódico universal", "UPR"),
    ("comisión interamericana", "IACHR"),
    ("convención belém", "MESECVI"),
    ("mesecvi", "MESECVI"),
)
UPR_DOCUMENTS = {2009: "A/HRC/11/27", 2013: "A/HRC/25/7"}
MAX_TEXT_CHARS = 20_000       # a recommendation or suggestion longer than this is a pasting error
MIN_TEXT_CHARS = 10


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fold_ws(s: str) -> str:
    return " ".join(s.split())


def _clean_md(s: str) -> str:
    """Paragraph text without markdown emphasis or footnote markers, whitespace folded."""
    s = g.FOOTNOTE_REF_RE.sub("", s)
    s = s.replace("**", "")
    return fold_ws(s)


def _bold_part(raw: str) -> str | None:
    parts = [_clean_md(m.group("text")) for m in g.BOLD_RE.finditer(raw)]
    parts = [p for p in parts if p]
    return " ".join(parts) if parts else None


def normalise_symbol(raw: str) -> str:
    """'A/57/ 38' -> 'A/57/38'; 'CCPR/C/79/Add. 32' -> 'CCPR/C/79/Add.32'; 'A/53/ 38/ Rev. 1' -> 'A/53/38/Rev.1'."""
    s = re.sub(r"\s*/\s*", "/", raw.strip())
    s = re.sub(r"\b(Add|Rev|Corr)\.\s+", r"\1.", s)
    s = re.sub(r"\s+", " ", s)
    return s.rstrip(" .,;")


def symbol_from_footnote(text: str) -> str | None:
    """The document symbol a CLADEM footnote names; OAS documents keep their whole reference."""
    t = fold_ws(text)
    if t.upper().startswith("OEA/"):
        return normalise_symbol(t.replace(";", ""))
    inner = re.search(r"\(([^()]*/[^()]*)\)", t)   # 'Suplemento No. 38 (A/57/ 38), 2002'
    candidates = [inner.group(1)] if inner else []
    candidates += re.split(r"\s+-\s+|,", t)
    for c in candidates:
        if "/" in c:
            m = g.UN_SYMBOL_RE.search(c)
            if m:
                return normalise_symbol(m.group("sym"))
    return None


# --------------------------------------------------------------------------------------------
# CLADEM compilation
# --------------------------------------------------------------------------------------------
@dataclass
class _Para:
    num: str
    start: int
    end: int
    raw: list[str] = field(default_factory=list)
    subs: list["_Sub"] = field(default_factory=list)
    section: str | None = None
    parent: str | None = None
    rec_section: bool = False       # under a heading that announces recommendations


@dataclass
class _Sub:
    letter: str
    start: int
    end: int
    raw: list[str] = field(default_factory=list)


def _blocks(text: str, start: int = 0) -> Iterable[tuple[int, int, str]]:
    """Runs of non-blank lines with their character spans."""
    for m in re.finditer(r"(?:^[^\n]*\S[^\n]*(?:\n|\Z))+", text[start:], re.MULTILINE):
        yield start + m.start(), start + m.end(), m.group(0).rstrip("\n")


def body_of_title(title: str) -> str:
    t = title.lower()
    for frag, code in BODY_BY_TITLE:
        if frag in t:
            return code
    raise ParseError(None, f"órgano desconocido en el título {title!r}")


@dataclass(frozen=True)
class ObservationSet:
    """One '##' section of a CLADEM file: a body's observations on one report."""

    body: str
    ordinal: int
    document: str
    year: int | None
    heading: str


def read_cladem(path: str | Path) -> tuple[list[Recommendation], list[ObservationSet]]:
    """Every numbered paragraph and sub-paragraph of one CLADEM body file.

    Raises ParseError naming the file when it has no body title or no observation headings.
    """
    p = Path(path)
    data = p.read_bytes()
    sha = sha256_of(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(p, f"no está en UTF-8 ({e})") from e
    fm = g.FRONT_MATTER_RE.match(text)
    pos = fm.end() if fm else 0
    tm = g.BODY_TITLE_RE.search(text, pos)
    if not tm:
        raise ParseError(p, "no tiene título de órgano ('# …')")
    try:
        body = body_of_title(tm.group("title"))
    except ParseError as e:
        raise ParseError(p, e.problem) from None

    foot_start = re.search(r"^\[\^\d+\]:", text, re.MULTILINE)
    foot_pos = foot_start.start() if foot_start else len(text)
    notes = {m.group("num"): fold_ws(m.group("text")) for m in g.FOOTNOTE_DEF_RE.finditer(text, foot_pos)}

    sets: list[ObservationSet] = []
    recs: list[Recommendation] = []
    cur_set: ObservationSet | None = None
    paras: list[_Para] = []
    section: str | None = None
    rec_section = False
    section_letter: str | None = None
    qualifier: str | None = None        # section letter once numbering restarts
    heading_at = 0                      # index in ``paras`` of the first paragraph after a heading
    bold_rule = False                   # a heading's footnote says recommendations are in bold

    def says_bold(line: str) -> bool:
        return any("negrita" in notes.get(n, "") for n in re.findall(r"\[\^(\d+)\]", line))

    def flush() -> None:
        if cur_set is not None:
            recs.extend(_emit(paras, cur_set, body, p.name, sha, bold_rule))
        paras.clear()

    for bstart, bend, block in _blocks(text[:foot_pos], pos):
        first = block.split("\n", 1)[0]
        if first.startswith("## "):
            flush()
            hm = g.OBSERVATION_HEADING_RE.match(first)
            if not hm:
                raise ParseError(p, f"encabezado de observaciones ilegible: {first!r}")
            note = notes.get(hm.group("note") or "", "")
            document = symbol_from_footnote(note) if note else None
            if not document:
                document = f"{body} {hm.group('ordinal')}"
            years = g.YEAR_RE.findall(hm.group("title") + " " + (hm.group("tail") or ""))
            if not years:
                years = g.YEAR_RE.findall(note)
            cur_set = ObservationSet(body, int(hm.group("ordinal")), document,
                                     int(years[-1]) if years else None, _clean_md(first.lstrip("# ")))
            sets.append(cur_set)
            bold_rule = says_bold(first)
            section = section_letter = qualifier = None
            rec_section = False
            heading_at = 0
            continue
        if first.startswith("#"):
            sm = g.SECTION_HEADING_RE.match(first)
            heading_at = len(paras)
            bold_rule = bold_rule or says_bold(first)
            if sm:
                section = _clean_md(sm.group("title"))
                if first.startswith("### "):  # deeper headings inherit their chapter's kind
                    rec_section = bool(g.RECOMMENDATION_SECTION_RE.search(section))
                section_letter = sm.group("letter") or section_letter
            continue
        if cur_set is None or g.ELISION_RE.match(block) or g.EDITOR_NOTE_RE.match(block):
            continue
        nm = g.NUMBERED_PARA_RE.match(block)
        sub = g.SUBPARA_RE.match(block)
        if nm:
            num = nm.group("num")
            body_raw = block[nm.end():]
            top_i = next((i for i in range(len(paras) - 1, -1, -1) if paras[i].parent is None), None)
            top = paras[top_i] if top_i is not None else None
            if top is not None and "." not in num and "." not in top.num.split(".")[-1]:
                top_n = int(top.num.rsplit(".", 1)[-1])
                n = int(num)
                top_text = " ".join(top.raw).rstrip("* \t")
                # A list never runs across a heading.
                if n < top_n and top_text.endswith(":") and top_i >= heading_at:
                    # Quirk 1: a plain-numbered item of a list paragraph.
                    num = f"{top.num}.{num}"
                elif n <= top_n and qualifier is None and section_letter:
                    qualifier = section_letter    # quirk 2: numbering restarts
            if qualifier and "." not in num and not num.startswith(qualifier):
                num = f"{qualifier}.{num}"
            parent = None
            if "." in num and not (qualifier and num.count(".") == 1 and num.startswith(qualifier)):
                parent = num.rsplit(".", 1)[0]
            paras.append(_Para(num, bstart, bend, [body_raw], section=section, parent=parent,
                               rec_section=rec_section))
        elif sub and paras:
            paras[-1].subs.append(_Sub(sub.group("letter"), bstart, bend, [block[sub.end():]]))
            paras[-1].end = bend
        elif paras:
            # Quirk 3: a continuation block (indented bold paragraph, wrapped list item).
            target = paras[-1].subs[-1] if paras[-1].subs else paras[-1]
            target.raw.append(block)
            target.end = bend
            paras[-1].end = bend
    flush()
    if not sets:
        raise ParseError(p, "no contiene encabezados de observaciones ('## …')")
    return recs, sets


def _emit(paras: list[_Para], obs: ObservationSet, body: str, fname: str, sha: str,
          bold_rule: bool = False) -> list[Recommendation]:
    out: list[Recommendation] = []
    seen: set[str] = set()
    by_num = {q.num: q for q in paras}
    # Older observation sets print no bold: there the operative paragraphs are those with a
    # recommending verb or those under a heading that announces recommendations.
    with_bold = sum("**" in "\n".join(q.raw) or any("**" in "\n".join(s.raw) for s in q.subs) for q in paras)
    # The compilers say so in a footnote ('Las recomendaciones se encuentran en negrita'); where
    # they do not, bold counts only when it is used throughout, not for one emphasised remark.
    any_bold = bold_rule or (paras and with_bold >= 0.25 * len(paras))

    def part_of(raw: str, q: _Para, lead: str = "") -> str | None:
        if any_bold:
            return _bold_part(raw)
        clean = _clean_md(raw)
        if q.rec_section or g.RECOMMENDING_VERB_RE.search(f"{lead} {clean}"):
            return clean
        return None

    for q in paras:
        raw = "\n".join(q.raw)
        text = _clean_md(raw)
        rid = ids.recommendation_id(obs.document, q.num)
        if rid in seen:  # a repeated number inside one set: keep the first, never silently merge
            continue
        seen.add(rid)
        chapeau = None
        parent_id = None
        if q.parent and q.parent in by_num:
            parent_id = ids.recommendation_id(obs.document, q.parent)
            chapeau = _clean_md("\n".join(by_num[q.parent].raw)) or None
        has_children = bool(q.subs) or any(o.parent == q.num for o in paras)
        out.append(Recommendation(
            rec_id=rid, body=body, document=obs.document, paragraph=q.num, year=obs.year,
            language="es", text=text,
            recommendation_part=None if has_children else part_of(raw, q),
            chapeau=chapeau, section=q.section, parent=parent_id,
            source=TextSource(sha256=sha, file=fname, start=q.start, end=q.end),
        ))
        for s in q.subs:
            sraw = "\n".join(s.raw)
            out.append(Recommendation(
                rec_id=ids.recommendation_id(obs.document, q.num, s.letter), body=body, document=obs.document, paragraph=q.num,
                subparagraph=s.letter, year=obs.year, language="es", text=_clean_md(sraw),
                recommendation_part=part_of(sraw, q, text), chapeau=text or None, section=q.section,
                parent=rid, source=TextSource(sha256=sha, file=fname, start=s.start, end=s.end),
            ))
    return out


@dataclass(frozen=True)
class ThemeEntry:
    """One entry of the thematic index: a theme and the paragraph it points to."""

    theme: str
    body: str
    ordinal: int
    paragraph: str                  # '8', '148.70', 'B.34'
    subparagraph: str | None
    line: int


def read_thematic_index(path: str | Path) -> list[ThemeEntry]:
    """Theme -> body -> observation ordinal -> paragraph numbers, one entry per paragraph."""
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    out: list[ThemeEntry] = []
    theme = body = None
    for i, line in enumerate(text.splitlines(), 1):
        if m := g.INDEX_THEME_RE.match(line):
            theme, body = m.group("theme"), None
            continue
        if m := g.INDEX_BODY_RE.match(line):
            name = m.group("body").lower()
            body = next((c for n, c in INDEX_BODY_NAMES if name.startswith(n)), None)
            if body is None:
                raise ParseError(p, f"línea {i}: órgano desconocido {m.group('body')!r}")
            continue
        if (m := g.INDEX_ENTRY_RE.match(line)) and theme and body:
            for piece in re.split(r"\s*;\s*", m.group("paras")):
                pm = g.INDEX_PARA_RE.match(piece.strip().rstrip("."))
                if not pm:
                    continue
                para = (f"{pm.group('section')}.{pm.group('num')}" if pm.group("section") else pm.group("num"))
                letter = pm.group("letter").lower() if pm.group("letter") else None
                out.append(ThemeEntry(theme, body, int(m.group("ordinal")), para, letter, i))
    if not out:
        raise ParseError(p, "no contiene entradas temáticas ('* … Parag. …')")
    return out


def resolve_themes(entries: list[ThemeEntry], recs: list[Recommendation],
                   sets: list[ObservationSet]) -> tuple[dict[str, list[str]], list[ThemeEntry]]:
    """Map rec_id -> themes; return also the entries that name no known paragraph."""
    doc_of = {(s.body, s.ordinal): s.document for s in sets}
    known = {r.rec_id for r in recs}
    themes: dict[str, list[str]] = {}
    missing: list[ThemeEntry] = []
    for e in entries:
        doc = doc_of.get((e.body, e.ordinal))
        hit = None
        if doc:
            paras = [e.paragraph]
            if "." in e.paragraph and e.paragraph[0].isalpha():
                paras.append(e.paragraph.split(".", 1)[1])   # 'B.34' may be plain '34'
            for para in paras:
                rid = ids.recommendation_id(doc, para, e.subparagraph)
                if rid in known:
                    hit = rid
                    break
                # Quirk 1 items ('93.13') are cited by the index by their printed number ('13').
                suffix = f".{para}" + (f"({e.subparagraph})" if e.subparagraph else "")
                cand = [i for i in known if i.startswith(f"{doc} para ") and i.endswith(suffix)]
                if len(cand) == 1:
                    hit = cand[0]
                    break
        if hit:
            themes.setdefault(hit, [])
            if e.theme not in themes[hit]:
                themes[hit].append(e.theme)
        else:
            missing.append(e)
    return themes, missing


def read_cladem_dir(directory: str | Path) -> tuple[list[Recommendation], dict[str, list[str]], list[ThemeEntry]]:
    """All body files of the compilation, and the thematic index resolved to rec_ids."""
    d = Path(directory)
    files = sorted(d.glob("*.md"))
    if not files:
        raise InputError(d, "no contiene archivos .md de la compilación")
    recs: list[Recommendation] = []
    sets: list[ObservationSet] = []
    index: list[ThemeEntry] = []
    for f in files:
        head = f.read_text(encoding="utf-8")[:2000].lower()
        if "sistematización por temáticas" in head:
            index.extend(read_thematic_index(f))
            continue
        r, s = read_cladem(f)
        recs.extend(r)
        sets.extend(s)
    themes, missing = resolve_themes(index, recs, sets) if index else ({}, [])
    # Sub-paragraphs and list items inherit their paragraph's themes (the index cites '12' for 12(a)–(d)).
    def themes_of(r: Recommendation) -> list[str]:
        own = list(themes.get(r.rec_id, []))
        for t in themes.get(r.parent or "", []):
            if t not in own:
                own.append(t)
        return own

    recs = [r.model_copy(update={"themes": t}) if (t := themes_of(r)) else r for r in recs]
    return recs, themes, missing


# --------------------------------------------------------------------------------------------
# UPR
# --------------------------------------------------------------------------------------------
def repair_mac_roman(text: str) -> str:
    """Undo Mac Roman bytes read as Latin-1: every U+0080–U+00FF character is re-read."""
    out = []
    for ch in text:
        o = ord(ch)
        if 0x80 <= o <= 0xFF:
            out.append(bytes([o]).decode("mac_roman"))
        else:
            out.append(ch)
    return "".join(out)


def looks_mac_roman(text: str) -> bool:
    """Whether a text shows the Mac-Roman-as-Latin-1 marks ('childrenÕs')."""
    return bool(g.MAC_ROMAN_MOJIBAKE_RE.search(text))


def _split_states(text: str) -> tuple[str, list[str]]:
    m = g.UPR_STATES_TAIL_RE.search(text)
    if not m:
        return text.strip(), []
    inner = m.group("states")
    states = [fold_ws(s).strip(" .") for s in re.split(r";|,(?![^()]*\))", inner) if s.strip(" .")]
    return text[: m.start()].rstrip(" ,"), states


@dataclass
class RowError:
    """One rejected row of an import (1-based line or record number) and why, in Spanish."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"fila {self.row}: {self.message}"


@dataclass
class ImportReport:
    """What an import read: the valid items and, per rejected row, the reason."""

    file: str
    items: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        s = f"{self.file}: {len(self.items)} importados, {len(self.errors)} filas rechazadas"
        return s + "".join(f"\n  {e}" for e in self.errors)


def read_upr_csv(path: str | Path) -> ImportReport:
    """UPR recommendations from one of the rochelleterman/uprs CSVs, merged by number.

    Columns: text, to, decision, From, year, notes. Rows repeat a recommendation once per
    recommending state. A file in which every decision is 'consider' carries no decision: those
    become 'unknown'.
    """
    p = Path(path)
    raw = p.read_bytes()
    sha = sha256_of(raw)
    rep = ImportReport(str(p))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
        rep.warnings.append(f"{p}: no es UTF-8; leído como Latin-1")
    mojibake = looks_mac_roman(text)
    if mojibake:
        text = repair_mac_roman(text)
        rep.warnings.append(f"{p}: codificación Mac Roman reparada (apóstrofos leídos como 'Õ')")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    need = {"text", "decision", "From", "year"}
    if not reader.fieldnames or not need <= set(reader.fieldnames):
        raise InputError(p, f"faltan columnas {sorted(need - set(reader.fieldnames or []))}")
    rows = []
    for row in reader:
        rows.append((reader.line_num, row))
    decisions = {(r.get("decision") or "").strip().lower() for _, r in rows}
    no_decisions = decisions <= {"consider", ""}
    merged: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for line_end, row in rows:
        cell = row.get("text") or ""
        m = g.UPR_NUMBER_RE.match(cell)
        if not m:
            rep.errors.append(RowError(line_end, f"sin número de recomendación: {cell[:60]!r}"))
            continue
        num = re.sub(r"\.\.+", ".", m.group("num"))
        try:
            year = int((row.get("year") or "").strip())
        except ValueError:
            rep.errors.append(RowError(line_end, f"año ilegible {row.get('year')!r}"))
            continue
        body, states = _split_states(cell[m.end():])
        key = ids.upr_recommendation_id(year, num)
        if key not in merged:
            dec_raw = (row.get("decision") or "").strip().lower()
            decision = ("unknown" if no_decisions else
                        "supported" if dec_raw in ("support", "supported", "accepted") else
                        "noted" if dec_raw in ("noted", "rejected", "reject") else "unknown")
            merged[key] = {"num": num, "year": year, "text": fold_ws(body), "states": list(states),
                           "decision": decision, "line": line_end}
            order.append(key)
        frm = fold_ws(row.get("From") or "")
        if frm and not any(frm.lower() in s.lower() for s in merged[key]["states"]):
            merged[key]["states"].append(frm)
    for key in order:
        d = merged[key]
        if len(d["text"]) < MIN_TEXT_CHARS:
            rep.errors.append(RowError(d["line"], f"texto vacío o demasiado corto en {key}"))
            continue
        parent = d["num"].rsplit(".", 1)[0] if d["num"].count(".") == 2 else None
        rep.items.append(Recommendation(
            rec_id=key, body="UPR", document=UPR_DOCUMENTS.get(d["year"], f"UPR {d['year']}"),
            paragraph=d["num"], year=d["year"], language="en", text=d["text"],
            recommendation_part=d["text"], recommending_states=d["states"], decision=d["decision"],
            parent=f"UPR-{d['year']} #{parent}" if parent else None,
            source=TextSource(sha256=sha, file=p.name, row=d["line"]),
        ))
    return rep


def read_upr_pdf(path: str | Path, year: int) -> list[Recommendation]:
    """The numbered recommendation items of a UPR Working Group report, with their pages.

    The list is the numbered paragraph whose text announces recommendations and ends with ':'
    (93 in 2009, 148 in 2013); its items are printed '148.81.' or, in 2009, '15.' (numbers below
    the parent's); the list ends at the next top-level paragraph or chapter.
    """
    import pypdfium2 as pdfium

    from lawgraph.errors import ExtractionError

    p = Path(path)
    data = p.read_bytes()
    sha = sha256_of(data)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise ExtractionError(p, f"no se puede abrir el PDF ({e})") from e
    items: dict[str, dict[str, Any]] = {}
    top = 0                           # number of the current top-level paragraph
    top_lines: list[str] = []
    parent: int | None = None         # the current top-level paragraph when it introduces a list
    cur: str | None = None
    for pno in range(1, len(pdf) + 1):
        text = pdf[pno - 1].get_textpage().get_text_range().replace("\r\n", "\n").replace("\r", "\n")
        for line in text.split("\n"):
            s = line.strip()
            if not s or g.UPR_PDF_FURNITURE_RE.match(s):
                continue
            m = g.UPR_PDF_NUMBERED_RE.match(s)
            if m:
                parts = [int(x) for x in m.group("num").split(".")]
                if parent is not None and (
                        (parts[0] == parent and len(parts) > 1) or (len(parts) <= 2 and parts[0] < parent)):
                    num = ".".join(map(str, parts if parts[0] == parent else [parent, *parts]))
                    if num not in items:
                        cur = num
                        items[cur] = {"page": pno, "lines": [m.group("text")]}
                        continue
                if len(parts) == 1 and top < parts[0] <= top + 3:
                    top, top_lines, parent, cur = parts[0], [m.group("text")], None, None
                    if g.UPR_PDF_LIST_INTRO_RE.search(m.group("text")):
                        parent = top
                    continue
            if cur is not None:
                items[cur]["lines"].append(s)
            elif top:
                top_lines.append(s)
                if parent is None and len(top_lines) < 8 and g.UPR_PDF_LIST_INTRO_RE.search(" ".join(top_lines)):
                    parent = top
    out = []
    for num, d in items.items():
        body, states = _split_states(fold_ws(" ".join(d["lines"])))
        if len(body) < MIN_TEXT_CHARS:
            continue
        out.append(Recommendation(
            rec_id=ids.upr_recommendation_id(year, num), body="UPR", document=UPR_DOCUMENTS.get(year, f"UPR {year}"),
            paragraph=num, year=year, language="en", text=body, recommendation_part=body,
            recommending_states=states, source=TextSource(sha256=sha, file=p.name, page=d["page"]),
        ))
    return out


# --------------------------------------------------------------------------------------------
# User import formats (docs/import_formats.md)
# --------------------------------------------------------------------------------------------
REC_FIELDS = ("body", "document", "paragraph", "subparagraph", "year", "language", "text",
              "recommendation_part", "chapeau", "section", "rec_id")
SUG_FIELDS = ("organisation", "date", "text", "language", "priority_area", "target_law", "sug_id")
_ALIASES = {"organization": "organisation", "organizacion": "organisation", "organización": "organisation",
            "fecha": "date", "texto": "text", "lang": "language", "idioma": "language",
            "area_prioritaria": "priority_area", "área_prioritaria": "priority_area",
            "ley": "target_law", "ley_objetivo": "target_law", "organo": "body", "órgano": "body",
            "documento": "document", "parrafo": "paragraph", "párrafo": "paragraph",
            "inciso": "subparagraph", "anio": "year", "año": "year"}

_ES_HINTS = {"de", "la", "que", "el", "en", "los", "las", "del", "para", "por", "con", "una", "se", "mujeres"}
_EN_HINTS = {"the", "of", "and", "to", "in", "for", "that", "with", "on", "women", "by", "its", "ensure"}


def guess_language(text: str) -> str | None:
    """'es' or 'en' by function words, or None when neither dominates (an unknown language)."""
    words = re.findall(r"[a-záéíóúñü]+", text.lower())
    if not words:
        return None
    es = sum(w in _ES_HINTS for w in words)
    en = sum(w in _EN_HINTS for w in words)
    if max(es, en) < max(1, len(words) // 25):
        return None
    if es >= 2 * en and es > 0:
        return "es"
    if en >= 2 * es and en > 0:
        return "en"
    return None


def _read_records(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], str, list[RowError], list[str]]:
    """Rows of a CSV or JSON/JSONL import as (row number, dict); undecodable rows become errors."""
    raw = path.read_bytes()
    sha = sha256_of(raw)
    errors: list[RowError] = []
    warnings: list[str] = []
    if not raw.strip():
        raise InputError(path, "el archivo está vacío")
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl"):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise InputError(path, f"no está en UTF-8 (byte {e.start})") from e
        rows: list[tuple[int, dict[str, Any]]] = []
        stripped = text.lstrip()
        if suffix == ".json" and stripped.startswith("["):
            try:
                arr = json.loads(text)
            except json.JSONDecodeError as e:
                raise InputError(path, f"JSON inválido en la línea {e.lineno}: {e.msg}") from e
            for i, obj in enumerate(arr, 1):
                if isinstance(obj, dict):
                    rows.append((i, obj))
                else:
                    errors.append(RowError(i, "el registro no es un objeto JSON"))
        else:
            for i, line in enumerate(text.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    errors.append(RowError(i, f"JSON inválido: {e.msg}"))
                    continue
                if isinstance(obj, dict):
                    rows.append((i, obj))
                else:
                    errors.append(RowError(i, "el registro no es un objeto JSON"))
        return rows, sha, errors, warnings
    if suffix not in (".csv", ".tsv", ".txt"):
        raise InputError(path, f"formato no reconocido {suffix!r}: use .csv, .json o .jsonl")
    # CSV: decode line by line so one badly encoded row is rejected, not the whole file.
    lines = raw.splitlines(keepends=True)
    decoded: list[str] = []
    bad_lines: set[int] = set()
    for i, bl in enumerate(lines, 1):
        try:
            decoded.append(bl.decode("utf-8-sig" if i == 1 else "utf-8"))
        except UnicodeDecodeError:
            bad_lines.add(i)
            decoded.append(bl.decode("latin-1"))
    text = "".join(decoded)
    if looks_mac_roman(text):
        text = repair_mac_roman(text)
        warnings.append(f"{path}: codificación Mac Roman reparada")
    delim = "\t" if suffix == ".tsv" else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delim)
    rows = []
    prev_end = 1
    try:
        for row in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            if None in row:
                errors.append(RowError(start, f"más columnas que encabezados ({len(row[None])} de sobra)"))
                continue
            if any(ln in bad_lines for ln in range(start, reader.line_num + 1)):
                errors.append(RowError(start, "la fila no está en UTF-8 (guarde el archivo como UTF-8)"))
                continue
            rows.append((start, row))
    except csv.Error as e:
        errors.append(RowError(reader.line_num, f"CSV mal formado: {e}"))
    return rows, sha, errors, warnings


def _norm_row(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if k is None:
            continue
        key = _ALIASES.get(str(k).strip().lower(), str(k).strip().lower())
        out[key] = v.strip() if isinstance(v, str) else v
    return out


def _check_text(text: Any) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValueError("texto vacío")
    t = fold_ws(text)
    if len(t) < MIN_TEXT_CHARS:
        raise ValueError(f"texto demasiado corto ({len(t)} caracteres)")
    if len(t) > MAX_TEXT_CHARS:
        raise ValueError(f"texto demasiado largo ({len(t)} caracteres; máximo {MAX_TEXT_CHARS})")
    if "\ufffd" in t:
        raise ValueError("el texto contiene caracteres ilegibles (codificación incorrecta)")
    return t


def _check_language(given: Any, text: str) -> str:
    lang = (given or "").strip().lower() if isinstance(given, str) else None
    if lang:
        if lang not in ("es", "en"):
            raise ValueError(f"idioma no admitido {given!r} (use 'es' o 'en')")
        return lang
    guessed = guess_language(text)
    if guessed is None:
        raise ValueError("no se reconoce el idioma del texto; indique la columna language (es/en)")
    return guessed


def import_recommendations(path: str | Path) -> ImportReport:
    """Recommendations from a user file (CSV, JSON array or JSONL); see docs/import_formats.md."""
    p = Path(path)
    rows, sha, errors, warnings = _read_records(p)
    rep = ImportReport(str(p), errors=errors, warnings=warnings)
    seen: set[str] = set()
    for rowno, row in rows:
        r = _norm_row(row)
        try:
            body = (r.get("body") or "").strip().upper()
            document = normalise_symbol(r.get("document") or "")
            para = str(r.get("paragraph") or "").strip().rstrip(".")
            if not body:
                raise ValueError("falta 'body' (órgano, p. ej. CEDAW)")
            if not document:
                raise ValueError("falta 'document' (símbolo, p. ej. CEDAW/C/MEX/CO/9)")
            if not re.fullmatch(r"[A-Z]?\.?\d{1,3}(?:\.\d{1,3}){0,2}", para):
                raise ValueError(f"párrafo ilegible {r.get('paragraph')!r} (p. ej. 14 o 148.81)")
            subp = (str(r.get("subparagraph") or "").strip().strip("().").lower()) or None
            if subp and not re.fullmatch(r"[a-zñ]{1,2}|[ivx]{1,5}", subp):
                raise ValueError(f"inciso ilegible {r.get('subparagraph')!r}")
            text = _check_text(r.get("text"))
            lang = _check_language(r.get("language"), text)
            year_raw = r.get("year")
            year = int(year_raw) if year_raw not in (None, "") else None
            if year is not None and not 1945 <= year <= 2100:
                raise ValueError(f"año fuera de rango {year}")
            rid = (r.get("rec_id") or "").strip() or ids.recommendation_id(document, para, subp)
            if rid in seen:
                raise ValueError(f"recomendación repetida {rid!r}")
            part = r.get("recommendation_part")
            rec = Recommendation(
                rec_id=rid, body=body, document=document, paragraph=para, subparagraph=subp,
                year=year, language=lang, text=text,
                recommendation_part=fold_ws(part) if isinstance(part, str) and part.strip() else text,
                chapeau=fold_ws(r["chapeau"]) if isinstance(r.get("chapeau"), str) and r["chapeau"].strip() else None,
                section=r.get("section") or None,
                source=TextSource(sha256=sha, file=p.name, row=rowno),
            )
        except (ValueError, TypeError, ValidationError) as e:
            rep.errors.append(RowError(rowno, _msg(e)))
            continue
        seen.add(rid)
        rep.items.append(rec)
    rep.errors.sort(key=lambda e: e.row)
    return rep


def import_suggestions(path: str | Path, catalog_resolver=None) -> ImportReport:
    """Civil-society suggestions from a user file; see docs/import_formats.md.

    ``catalog_resolver(name) -> key | None`` resolves ``target_law``; by default the project
    catalogue is used when it is installed, and an unresolved name is kept as written.
    """
    from lawgraph.nlp.dates import parse_spanish_date

    p = Path(path)
    rows, sha, errors, warnings = _read_records(p)
    rep = ImportReport(str(p), errors=errors, warnings=warnings)
    resolver = catalog_resolver if catalog_resolver is not None else _default_resolver()
    for rowno, row in rows:
        r = _norm_row(row)
        try:
            org = fold_ws(str(r.get("organisation") or ""))
            if not org:
                raise ValueError("falta 'organisation'")
            draw = str(r.get("date") or "").strip()
            if not draw:
                raise ValueError("falta 'date'")
            try:
                day = date.fromisoformat(draw)
            except ValueError:
                day = parse_spanish_date(draw)
            text = _check_text(r.get("text"))
            lang = _check_language(r.get("language"), text)
            target = fold_ws(str(r.get("target_law") or "")) or None
            key = resolver(target) if (target and resolver) else None
            sid = (str(r.get("sug_id") or "").strip()) or Suggestion.make_id(org, day, text)
            sug = Suggestion(
                sug_id=sid, organisation=org, date=day, text=text, language=lang,
                priority_area=fold_ws(str(r.get("priority_area") or "")) or None,
                target_law=target, target_law_key=key,
                source=TextSource(sha256=sha, file=p.name, row=rowno),
            )
        except (ValueError, TypeError, ValidationError) as e:
            rep.errors.append(RowError(rowno, _msg(e)))
            continue
        rep.items.append(sug)
    rep.errors.sort(key=lambda e: e.row)
    return rep


def _default_resolver():
    try:
        from lawgraph import catalog  # written by another stage; optional here
    except ImportError:
        return None
    fn = getattr(catalog, "resolve_law", None)
    if fn is None:
        return None

    def resolve(name: str) -> str | None:
        try:
            res = fn(name, None)
        except Exception:  # noqa: BLE001 - an unresolvable name is kept as written, not fatal
            return None
        return getattr(res, "key", res) if res else None

    return resolve


def _msg(e: Exception) -> str:
    if isinstance(e, ValidationError):
        return "; ".join(f"{'.'.join(map(str, er['loc']))}: {er['msg']}" for er in e.errors())
    return str(e)


# --------------------------------------------------------------------------------------------
# Everything in the corpus
# --------------------------------------------------------------------------------------------
def load_corpus_recommendations(mirror: str | Path) -> list[Recommendation]:
    """CLADEM (all bodies, with their themes), the UPR CSVs and the UPR PDFs' items that the
    CSVs lack; rec_ids are unique (the first source read wins)."""
    m = Path(mirror) / "un_recommendations"
    recs, _, _ = read_cladem_dir(m / "cladem_mexico")
    by_id: dict[str, Recommendation] = {}
    for r in recs:
        by_id.setdefault(r.rec_id, r)
    for year in (2009, 2013):
        csvp = m / "upr" / f"mexico_upr_{year}_recs.csv"
        if csvp.exists():
            for r in read_upr_csv(csvp).items:
                by_id.setdefault(r.rec_id, r)
        pdfp = m / "upr" / f"mexico{year}.pdf"
        if pdfp.exists():
            for r in read_upr_pdf(pdfp, year):
                by_id.setdefault(r.rec_id, r)
    return list(by_id.values())


def pair_translations(recs: Iterable[Recommendation]) -> dict[str, str]:
    """English rec_id -> rec_id of the same recommendation in Spanish (same document and paragraph).

    The CLADEM compilation carries the Spanish text of the UPR recommendations that concern
    women and girls; the linker can match those Spanish words against Spanish provisions instead
    of crossing languages.
    """
    es = {(r.document, r.paragraph, r.subparagraph): r.rec_id for r in recs if r.language == "es"}
    out = {}
    for r in recs:
        if r.language == "en":
            hit = es.get((r.document, r.paragraph, r.subparagraph))
            if hit:
                out[r.rec_id] = hit
    return out


def suggestion_from_values(org: str, day: str, text: str, *, language: str | None = None,
                    priority_area: str | None = None, target_law: str | None = None):
    """A Suggestion typed by a person (CLI `suggest add`, the web form), validated like an
    imported row (InputError if bad); its source is the hash of what was typed."""
    from pydantic import ValidationError

    from lawgraph.nlp.dates import parse_spanish_date

    try:
        org = fold_ws(org)
        if not org:
            raise ValueError("falta la organización (--org)")
        try:
            d = date.fromisoformat(day.strip())
        except ValueError:
            d = parse_spanish_date(day)
        t = _check_text(text)
        lang = _check_language(language, t)
        target = fold_ws(target_law or "") or None
        resolver = _default_resolver() if target else None
        key = resolver(target) if resolver else None
        payload = json.dumps([org, d.isoformat(), t], ensure_ascii=False).encode("utf-8")
        return Suggestion(sug_id=Suggestion.make_id(org, d, t), organisation=org, date=d, text=t, language=lang,
                          priority_area=fold_ws(priority_area or "") or None, target_law=target,
                          target_law_key=key,
                          source=TextSource(sha256=hashlib.sha256(payload).hexdigest(), file="lawgraph suggest add"))
    except (ValueError, ValidationError) as e:
        raise InputError(None, f"sugerencia no válida: {e}") from e
