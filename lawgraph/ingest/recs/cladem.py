"""The CLADEM compilation (``un_recommendations/cladem_mexico/*.md``, Spanish): one file per body
and a thematic index.

Each ``##`` heading of a body file is one set of observations whose document symbol sits in a
footnote ("Suplemento No. 38 (A/57/ 38), 2002" -> ``A/57/38``). Numbered paragraphs keep their
original numbers; lettered sub-paragraphs ('a.', 'b.') are indented; the recommendation part is
in bold. Quirks: (1) sub-items of a list paragraph printed as plain numbers smaller than the
parent ('93. … aprobación:' then '8.', '11.' = 93.8, 93.11); (2) numbering that restarts under a
new lettered section (MESECVI 'B.') is qualified by the letter ('B.1'); (3) unnumbered indented
blocks continue the previous paragraph (CCPR 2010); (4) editorial elisions '(…)' and notes
'_No se observan …_' are skipped; (5) spaces inside symbols ('CCPR/C/79/Add. 32') are folded.
The thematic index maps theme -> body -> observation ordinal -> paragraphs.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lawgraph import ids
from lawgraph.errors import InputError, ParseError
from lawgraph.ingest import rec_grammar as g
from lawgraph.ingest.recs.common import fold_ws, normalise_symbol, sha256_of
from lawgraph.model.recs import Recommendation, TextSource

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


def _clean_md(s: str) -> str:
    """Paragraph text without markdown emphasis or footnote markers, whitespace folded."""
    s = g.FOOTNOTE_REF_RE.sub("", s)
    s = s.replace("**", "")
    return fold_ws(s)


def _bold_part(raw: str) -> str | None:
    parts = [_clean_md(m.group("text")) for m in g.BOLD_RE.finditer(raw)]
    parts = [p for p in parts if p]
    return " ".join(parts) if parts else None


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
    """All body files of the compilation in a folder, and the thematic index resolved to rec_ids."""
    d = Path(directory)
    files = sorted(d.glob("*.md"))
    if not files:
        raise InputError(d, "no contiene archivos .md de la compilación")
    return read_cladem_files(files)


def read_cladem_files(files: list[Path]) -> tuple[list[Recommendation], dict[str, list[str]], list[ThemeEntry]]:
    """The body files and the thematic index of the compilation (told apart by their heading),
    the index resolved to rec_ids: (recommendations with their themes, rec_id -> themes,
    index entries that name no known paragraph)."""
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
