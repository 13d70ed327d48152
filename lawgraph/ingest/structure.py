"""Stage 3: content lines -> :class:`lawgraph.model.law.ParsedLaw`.

Generic over a :class:`Profile` (the patterns of one publisher's format), so that another
format (a state gazette, Markdown conversions) is a configuration of the same stages.

Guarantees:

* one pass over the lines per region (preamble, body, original transitorios, reform
  section), with precompiled patterns only;
* every Unit, Division, Decree and ReformNote carries a SourceRef (sha256, page, span);
* wrapped lines are joined with single spaces; a new párrafo starts where the layout says
  so (``Line.ends_short``: the line above stopped short of the right margin, or
  ``Line.indented``: a first-line indent after a full line) and the line starts with a
  capital; only lines without geometry (hand-written lists) fall back to punctuation (the
  line above ends a sentence: '.', ':', ';');
* nothing is dropped silently: lines the grammar cannot place go to ``warnings``.

Regions of a LeyesBiblio document, in order:
  preamble (title, publication, enacting decree) ▸ body (from the first numbered article
  heading) ▸ original TRANSITORIOS (first transitorios heading after the body starts, up to
  the signature block) ▸ "ARTÍCULOS TRANSITORIOS DE DECRETOS DE REFORMA" (one entry per
  'Publicado en el Diario Oficial …' / 'Notificado al Congreso …' anchor).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from lawgraph.errors import ParseError
from lawgraph.ids import normalise_article_label
from lawgraph.ingest import grammar as g
from lawgraph.ingest.base import Line
from lawgraph.model.law import Decree, Division, ParsedLaw, ReformNote, SourceRef, Unit


@dataclass(frozen=True)
class Profile:
    """The patterns and settings of one document format."""

    name: str
    gazette: str = "DOF"
    article_heading: re.Pattern[str] = g.ARTICLE_HEADING_RE
    suppressed_article: re.Pattern[str] = g.SUPPRESSED_ARTICLE_RE
    suppressed_unit: re.Pattern[str] = g.SUPPRESSED_UNIT_RE
    decree_article: re.Pattern[str] = g.DECREE_ARTICLE_RE
    division: re.Pattern[str] = g.DIVISION_RE
    fraccion: re.Pattern[str] = g.FRACCION_RE
    inciso: re.Pattern[str] = g.INCISO_RE
    numeral: re.Pattern[str] = g.NUMERAL_RE
    apartado: re.Pattern[str] = g.APARTADO_RE
    repealed_text: re.Pattern[str] = g.REPEALED_TEXT_RE
    reform_note: re.Pattern[str] = g.REFORM_NOTE_RE
    note_evidence: re.Pattern[str] = g.NOTE_EVIDENCE_RE
    note_continuation: re.Pattern[str] = g.NOTE_CONTINUATION_RE
    # A note wraps onto a continuation line only when its first line is this long (the note
    # font is small, so a wrapped note line is long) or ends mid-phrase.
    note_wrap_min_chars: int = 90
    transitorios_heading: re.Pattern[str] = g.TRANSITORIOS_HEADING_RE
    transitorio: re.Pattern[str] = g.TRANSITORIO_RE
    signature: re.Pattern[str] = g.SIGNATURE_RE
    decree_articles_range: re.Pattern[str] = g.DECREE_ARTICLES_RANGE_RE
    reform_section: re.Pattern[str] | None = g.REFORM_SECTION_RE
    anchors: tuple[tuple[re.Pattern[str], str], ...] = (
        (g.PUBLISHED_ANCHOR_RE, "published"),
        (g.NOTIFIED_ANCHOR_RE, "notified"),
    )
    entry_title_start: re.Pattern[str] = g.ENTRY_TITLE_START_RE
    title_kinds: tuple[tuple[re.Pattern[str], str], ...] = g.TITLE_KIND_RULES
    default_entry_kind: str = "ley_o_reforma_sin_titulo_decreto"
    ellipsis: re.Pattern[str] = g.ELLIPSIS_RE
    decree_invalid_note: re.Pattern[str] = g.DECREE_INVALID_NOTE_RE
    ultima_reforma: re.Pattern[str] = g.ULTIMA_REFORMA_PUBLICADA_RE
    publication: re.Pattern[str] = g.PUBLICATION_RE
    # Dates of a reform note: DOF notes print dd-mm-yyyy; state gazettes spell dates out.
    note_dates: Callable[[str], list[date]] = g.dof_dates


LEYESBIBLIO = Profile(name="leyesbiblio")
"""Federal laws as published by the Cámara de Diputados (PDF and Word)."""


# --------------------------------------------------------------------------- mutable nodes
@dataclass
class _Node:
    kind: str
    label: str
    raw: str | None
    first: Line
    last: Line
    paras: list[list[str]] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)
    notes: list[ReformNote] = field(default_factory=list)
    repealed: bool = False
    sic: bool = False                  # label printed with '(sic …)'

    def add_text(self, line: Line, text: str, new_para: bool) -> None:
        if not self.paras or new_para:
            self.paras.append([text])
        else:
            self.paras[-1].append(text)
        self.last = line

    def own_text(self) -> str:
        return "\n".join(join_lines(p) for p in self.paras)


@dataclass
class _Div:
    kind: str
    label: str
    first: Line
    heading: list[str] = field(default_factory=list)
    notes: list[ReformNote] = field(default_factory=list)
    children: list["_Div"] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)


# 'XXIX-' + 'N, XXIX-Ñ …': a fracción label broken at its hyphen.
_ROMAN_DASH_END = re.compile(r"\b[IVXLC]+-$")
_LETTER_SUFFIX_START = re.compile(r"[A-ZÑ](?![a-záéíóúñ])")


def join_lines(lines: list[str]) -> str:
    """Wrapped lines joined with single spaces; a compound or a date broken after its hyphen
    at the end of a line ('político-' + 'electorales', 'DOF 28-12-' + '1982)', 'XXIX-' +
    'N') is joined
    without one."""
    if len(lines) == 1:
        return lines[0]
    out = lines[0]
    for s in lines[1:]:
        if out.endswith("-") and len(out) > 1 and (
                out[-2].isalpha() and s[:1].islower() or out[-2].isdigit() and s[:1].isdigit()
                or _ROMAN_DASH_END.search(out) and _LETTER_SUFFIX_START.match(s)):
            out += s
        else:
            out += " " + s
    return out


def _ends_sentence(s: str) -> bool:
    return s.endswith((".", ":", ";", ".”", '."', ".)", ".]", "]", ":”"))


_MID_PHRASE = (",", " y", " de", " a", " del", " en", " con", " por", " la", " el", " los", " las",
               " que", " al", " DOF", "-")


def _ends_item(s: str) -> bool:
    """A line after which a list item may start: end of sentence or a list conjunction."""
    return (_ends_sentence(s) or s.endswith((",", " y", " o", " e", " u", " ni"))
            or s in ("y", "o", "e", "u", "ni"))


def _starts_para(s: str) -> bool:
    c = s[0]
    return c.isupper() or c in "“\"¿¡([" or c.isdigit()


def _para_break(prev: str, prev_short: bool | None, line: Line) -> bool:
    """Whether ``line`` starts a new párrafo after the line whose text is ``prev``.

    From the layout when it is known (``prev_short``: the previous line stopped short of the
    right margin, as a justified paragraph's last line does, and a Word paragraph always
    does; or the previous line ends a sentence and happens to fill the measure, and this one
    starts with a first-line indent); from punctuation otherwise, which splits a paragraph
    whose wrapped line happens to end in '.' and joins one whose last line does not.
    """
    s = line.text
    if prev_short is None:
        return _ends_sentence(prev) and _starts_para(s)
    if prev_short:
        return _starts_para(s)
    return bool(line.indented) and _ends_sentence(prev) and _starts_para(s)


_ORD_WORDS = {
    "primer": 1, "primero": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercer": 3,
    "tercero": 3, "tercera": 3, "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5,
    "sexto": 6, "sexta": 6, "septimo": 7, "septima": 7, "octavo": 8, "octava": 8,
    "noveno": 9, "novena": 9, "decimo": 10, "decima": 10, "undecimo": 11, "duodecimo": 12,
    "vigesimo": 20, "vigesima": 20, "trigesimo": 30, "cuadragesimo": 40,
    "quincuagesimo": 50, "sexagesimo": 60, "unico": 1, "unica": 1,
}
_FOLD = str.maketrans("áéíóúÁÉÍÓÚ", "aeiouAEIOU")


def ordinal_value(label: str) -> int | None:
    """1 for 'ARTÍCULO PRIMERO' / 'Único' / '1º', 12 for 'Decimosegundo' or 'Décimo Segundo'."""
    s = label.translate(_FOLD).lower()
    s = re.sub(r"^art[i]culo\s+", "", s)
    s = re.sub(r"\s+transitorio$", "", s)
    s = s.replace("decimoctav", "decimo octav")
    m = re.match(r"^(\d+)", s)
    if m:
        return int(m.group(1))
    total = 0
    rest = s.replace(" ", "")
    while rest:
        for w in sorted(_ORD_WORDS, key=len, reverse=True):
            if rest.startswith(w):
                total += _ORD_WORDS[w]
                rest = rest[len(w):]
                break
        else:
            return None
    return total or None


class _Parser:
    def __init__(self, lines: list[Line], sha256: str, file: str, fmt: str,
                 pages: int | None, profile: Profile):
        self.lines = lines
        self.texts = [ln.text for ln in lines]
        self.sha = sha256
        self.file = file
        self.fmt = fmt
        self.pages = pages
        self.p = profile
        self.warnings: list[str] = []
        self.suppressed: list[str] = []
        self.is_note = self._classify_notes()

    # ----------------------------------------------------------------- helpers
    def src(self, first: Line, last: Line | None = None) -> SourceRef:
        last = last or first
        end = (last.start + len(last.text)) if last.page == first.page else first.start + len(first.text)
        return SourceRef(sha256=self.sha, page=first.page, start=first.start, end=end)

    def _classify_notes(self) -> list[bool]:
        p = self.p
        out = [False] * len(self.texts)
        prev_note = False
        prev_text = ""
        for i, s in enumerate(self.texts):
            note = False
            if p.reform_note.match(s) and p.note_evidence.search(s):
                note = not p.article_heading.match(s)
            elif prev_note and prev_text.endswith(_MID_PHRASE):
                # the note stops mid-phrase: whatever follows continues it
                note = not (p.article_heading.match(s) or p.division.match(s))
            elif prev_note and p.note_continuation.match(s) and not p.article_heading.match(s):
                # a long note line wraps; a short one (narrow 'mobile' pages) continues only
                # with a line that carries its own DOF date
                note = (len(prev_text) >= p.note_wrap_min_chars
                        or bool(g.DOF_DATE_RE.search(s)) and len(s) < 60)
            out[i] = note
            prev_note = note
            prev_text = s
        return out

    def _notes_from(self, i: int) -> tuple[list[int], int]:
        """Indices of the note starting at ``i`` and its continuation lines; next index."""
        idx = [i]
        j = i + 1
        while j < len(self.texts) and self.is_note[j] and not self.p.reform_note.match(self.texts[j]):
            idx.append(j)
            j += 1
        return idx, j

    def make_note(self, idx: list[int]) -> ReformNote:
        text = join_lines([self.texts[k] for k in idx])
        m = self.p.reform_note.match(self.texts[idx[0]])
        subject = m.group("subject") if m else None
        actions = []
        for a in g.NOTE_ACTION_RE.findall(text):
            a = a.lower().split()[0]
            if a not in actions:
                actions.append(a)
        return ReformNote(
            text=text, subject=subject, actions=actions, dates=self.p.note_dates(text),
            gazette=self.p.gazette, source=self.src(self.lines[idx[0]], self.lines[idx[-1]]),
        )

    # ----------------------------------------------------------------- regions
    def run(self) -> ParsedLaw:
        p, texts = self.p, self.texts
        n = len(texts)
        reform_start = n
        if p.reform_section is not None:
            for i, s in enumerate(texts):
                if p.reform_section.match(s):
                    reform_start = i
                    break
        body_start = next((i for i in range(reform_start)
                           if not self.is_note[i] and p.article_heading.match(texts[i])), None)
        if body_start is None:
            raise ParseError(self.file, "no se encontró ningún encabezado de artículo "
                             "('Artículo 1.-'): el documento no parece una ley")
        # the divisions that open the body ('TÍTULO PRIMERO', 'CAPÍTULO I', their names)
        # stand just above the first article
        for j in range(body_start - 1, max(-1, body_start - 16), -1):
            if p.division.match(texts[j]):
                body_start = j
            elif p.article_heading.match(texts[j]) or p.decree_article.match(texts[j]):
                break
        trans_start = next((i for i in range(body_start, reform_start)
                            if p.transitorios_heading.match(texts[i])), reform_start)
        preamble = self.parse_preamble(0, body_start)
        divisions, articles = self.parse_body(body_start, trans_start)
        transitorios = self.parse_transitorios(trans_start + 1, reform_start) \
            if trans_start < reform_start else []
        decrees = self.parse_reform_section(reform_start + 1, n) if reform_start < n else []
        return ParsedLaw(
            file=self.file, sha256=self.sha, format=self.fmt, pages=self.pages,
            title=preamble["title"], ultima_reforma=preamble["ultima_reforma"],
            publication=preamble["publication"], preamble=preamble["text"],
            preamble_notes=preamble["notes"], divisions=divisions, articles=articles,
            transitorios_heading=texts[trans_start] if trans_start < reform_start else None,
            transitorios=transitorios, decrees=decrees, suppressed_articles=self.suppressed,
            warnings=self.warnings,
        )

    def parse_preamble(self, a: int, b: int) -> dict:
        p, texts = self.p, self.texts
        title_lines: list[str] = []
        publication = None
        ultima = None
        notes: list[ReformNote] = []
        body: list[str] = []
        i = a
        in_title = True
        while i < b:
            s = texts[i]
            if self.is_note[i]:
                idx, i = self._notes_from(i)
                notes.append(self.make_note(idx))
                in_title = False
                continue
            m = p.ultima_reforma.match(s)
            if m and ultima is None:
                ultima = g.dof_dates(m.group("date"))[0] if g.dof_dates(m.group("date")) else None
            elif publication is None and p.publication.match(s):
                publication = s
                # 'Nueva Ley publicada en el Diario Oficial de la' + 'Federación el …' (mobile)
                if not re.search(r"\d{4}\s*$", s) and i + 1 < b:
                    publication += " " + texts[i + 1]
                    i += 1
                in_title = False
            elif in_title and not s.startswith("("):
                title_lines.append(s)
            else:
                in_title = False
                body.append(s)
            i += 1
        return {
            "title": (join_lines(title_lines).strip() if title_lines else "") or Path(self.file).stem,
            "publication": publication, "ultima_reforma": ultima,
            "notes": notes, "text": join_lines(body) if body else "",
        }

    # ----------------------------------------------------------------- body
    def parse_body(self, a: int, b: int) -> tuple[list[Division], list[Unit]]:
        p, texts = self.p, self.texts
        articles: list[_Node] = []
        roots: list[_Div] = []
        div_stack: list[_Div] = []
        art: _Node | None = None
        stack: list[_Node] = []          # open units inside the article (not the article)
        order: list[str] = []            # nesting order of unit kinds in this article
        last_div: _Div | None = None
        div_heading_open = False
        skipping = False                 # inside a decree-level article or placeholder
        prev_line_text = ""
        prev_short: bool | None = True
        prev_structural = True
        seen_labels: set[str] = set()
        i = a
        while i < b:
            s = texts[i]
            line = self.lines[i]
            if self.is_note[i]:
                idx, i = self._notes_from(i)
                note = self.make_note(idx)
                if skipping:
                    continue
                self._attach_note(note, art, stack, last_div, div_heading_open)
                prev_structural = True
                prev_line_text = "."         # a note follows a complete unit
                prev_short = True

                continue
            m = p.article_heading.match(s)
            if m:
                label = normalise_article_label(m.group("label"))
                if label in seen_labels:
                    self.warnings.append(f"p. {line.page}: artículo {label} repetido")
                seen_labels.add(label)
                art = _Node("articulo", label, s[: m.start("rest")].strip(), line, line)
                art.add_text(line, s, True)      # the heading line is part of the text
                articles.append(art)
                stack, order = [], []
                skipping = False
                div_heading_open = False
                if div_stack:
                    div_stack[-1].articles.append(label)
                prev_structural = not m.group("rest")
                prev_line_text = s
                prev_short = line.ends_short
                i += 1
                continue
            sm = p.suppressed_article.match(s)
            if sm:
                self.suppressed.append(normalise_article_label(sm.group("label")))
            if sm or (p.decree_article.match(s) and art is not None):
                # placeholder of an article struck out by the SCJN, or an article of the
                # enacting decree after the law's last article: not an article of the law
                self.warnings.append(f"p. {line.page}: omitido (no es artículo de la ley): {s[:80]}")
                art, stack, order = None, [], []
                skipping = True
                i += 1
                continue
            dm = p.division.match(s)
            if dm:
                kind = g.DIVISION_KIND[dm.group("kind").lower()]
                d = _Div(kind, " ".join(dm.group("label").split()), line)
                heading = dm.group("heading") or dm.group("caps")
                if heading:
                    d.heading.append(heading)
                rank = g.DIVISION_RANK[kind]
                while div_stack and g.DIVISION_RANK[div_stack[-1].kind] >= rank:
                    div_stack.pop()
                (div_stack[-1].children if div_stack else roots).append(d)
                div_stack.append(d)
                last_div = d
                div_heading_open = True
                art, stack, order = None, [], []
                skipping = False
                prev_structural = True
                i += 1
                continue
            if div_heading_open and art is None:
                last_div.heading.append(s)
                i += 1
                continue
            if skipping or art is None:
                if not skipping:
                    self.warnings.append(f"p. {line.page}: texto fuera de artículo: {s[:80]}")
                i += 1
                continue
            if p.suppressed_unit.match(s):
                self.warnings.append(f"p. {line.page}: marcador suprimido en art. {art.label}: {s}")
                prev_structural = True
                i += 1
                continue
            unit = self._list_item(s, line, art, stack, prev_structural or prev_short is True
                                   or _ends_item(prev_line_text))
            if unit is not None:
                kind = unit.kind
                if kind in order:
                    keep = order.index(kind)
                    while stack and order.index(stack[-1].kind) >= keep:
                        stack.pop()
                else:
                    order.append(kind)
                (stack[-1].children if stack else art.children).append(unit)
                stack.append(unit)
                prev_structural = False
                prev_line_text = s
                prev_short = line.ends_short
                i += 1
                continue
            # running text
            new_para = _para_break(prev_line_text, prev_short, line)
            target = stack[-1] if stack else art
            if target is art and new_para and not stack:
                par = _Node("parrafo", str(sum(1 for c in art.children if c.kind == "parrafo") + 2),
                            None, line, line)
                par.add_text(line, s, True)
                art.children.append(par)
                stack = [par]
                if "parrafo" not in order:
                    order.insert(0, "parrafo")
            elif target.kind == "parrafo" and new_para:
                par = _Node("parrafo", str(sum(1 for c in art.children if c.kind == "parrafo") + 2),
                            None, line, line)
                par.add_text(line, s, True)
                art.children.append(par)
                stack = [par]
            else:
                target.add_text(line, s, new_para)
            prev_structural = False
            prev_line_text = s
            prev_short = line.ends_short
            i += 1
        # finish
        out_articles = [self._freeze_unit(a_) for a_ in articles]
        return [self._freeze_div(d) for d in roots], out_articles

    def _list_item(self, s: str, line: Line, art: _Node, stack: list[_Node],
                   after_break: bool) -> _Node | None:
        """A fracción / inciso / numeral / apartado starting at this line, or None."""
        p = self.p
        if not after_break:
            return None
        # 'I.' after apartado 'H.' continues the letters (CPEUM art. 72) unless a fracción
        # list is open
        m = p.apartado.match(s)
        if m and not any(u.kind == "fraccion" for u in stack):
            last = self._last_of_kind(art, stack, "apartado")
            if last is not None and ord(m.group("label")) == ord(last.label) + 1:
                u = _Node("apartado", m.group("label"), m.group("label") + ".", line, line)
                u.add_text(line, s, True)
                return u
        m = p.fraccion.match(s)
        if m:
            raw_label = m.group("label")
            base = re.match(r"[IVXLC]+", raw_label).group(0)
            # a label printed with '(sic …)' is out of sequence on purpose
            if g.is_roman(base) and (m.group("sic") or self._fraccion_in_sequence(base, raw_label, art, stack)):
                label = _fraccion_label(raw_label)
                u = _Node("fraccion", label, raw_label + m.group("punct"), line, line)
                u.sic = bool(m.group("sic"))
                u.add_text(line, s, True)
                return u
        m = p.inciso.match(s)
        if m and m.group("rest"):
            lab = " ".join(m.group("label").split())
            if self._letter_in_sequence(lab, "inciso", stack):
                u = _Node("inciso", lab, lab + ")", line, line)
                u.add_text(line, s, True)
                return u
        m = p.numeral.match(s)
        if m and (m.group("rest")[:1].isupper() or m.group("rest")[:1] in "“\"([¿"):
            lab = " ".join(m.group("label").split())
            num = int(re.match(r"\d+", lab).group(0))
            last = self._last_of_kind(art, stack, "numeral")
            lastnum = int(re.match(r"\d+", last.label).group(0)) if last else 0
            if num == 1 or (last is not None and lastnum <= num <= lastnum + 1):
                u = _Node("numeral", lab, lab + ".", line, line)
                u.add_text(line, s, True)
                return u
        m = p.apartado.match(s)
        if m:
            lab = m.group("label")
            last = self._last_of_kind(art, stack, "apartado")
            if (last is None and lab == "A") or (last is not None and ord(lab) == ord(last.label) + 1):
                u = _Node("apartado", lab, lab + ".", line, line)
                u.add_text(line, s, True)
                return u
        return None

    @staticmethod
    def _last_of_kind(art: _Node, stack: list[_Node], kind: str) -> _Node | None:
        for u in reversed(stack):
            if u.kind == kind:
                return u
        # the last sibling of that kind among the children of the innermost open parent
        parents = [art] + stack
        for par in reversed(parents):
            for c in reversed(par.children):
                if c.kind == kind:
                    return c
        return None

    def _fraccion_in_sequence(self, base: str, raw: str, art: _Node, stack: list[_Node]) -> bool:
        last = self._last_of_kind(art, stack, "fraccion")
        v = g.roman_value(base)
        if last is None:
            return v == 1 or v <= 3 and not stack
        lv = g.roman_value(re.match(r"[IVXLC]+", last.label).group(0))
        if v == 1 or last.sic:           # after a '(sic)' label the printed count is off
            return True
        if v == lv:
            return raw != base or last.label != base  # 'XXIX-A' after 'XXIX', 'V Bis' after 'V'
        return lv < v <= lv + 2

    @staticmethod
    def _letter_in_sequence(lab: str, kind: str, stack: list[_Node]) -> bool:
        last = None
        for u in reversed(stack):
            if u.kind == kind:
                last = u
                break
        if last is None:
            parent = stack[-1] if stack else None
            if parent is not None:
                for c in reversed(parent.children):
                    if c.kind == kind:
                        last = c
                        break
        letter = lab[0]
        if last is None:
            return letter == "a"
        ll = last.label[0]
        if letter == ll:
            return lab != last.label
        # Spanish alphabet includes 'ñ' after 'n'
        alphabet = "abcdefghijklmnñopqrstuvwxyz"
        li, ci = alphabet.find(ll), alphabet.find(letter)
        return letter == "a" or (li >= 0 and li < ci <= li + 2)

    def _attach_note(self, note: ReformNote, art: _Node | None, stack: list[_Node],
                     last_div: _Div | None, div_heading_open: bool) -> None:
        subj = (note.subject or "").lower().translate(_FOLD)
        if art is None or subj.startswith(("capitulo", "titulo", "seccion", "libro")) and div_heading_open:
            if last_div is not None:
                last_div.notes.append(note)
                return
            if art is None:
                self.warnings.append(f"p. {note.source.page}: nota sin unidad: {note.text[:80]}")
                return
        want = {"fraccion": "fraccion", "fracciones": "fraccion", "inciso": "inciso",
                "incisos": "inciso", "subinciso": "inciso", "numeral": "numeral",
                "numerales": "numeral", "apartado": "apartado", "parrafo": "parrafo",
                "parrafos": "parrafo"}.get(subj.split()[0] if subj else "")
        target: _Node = art
        if want:
            for u in reversed(stack):
                if u.kind == want:
                    target = u
                    break
            else:
                if want == "parrafo" and stack:
                    target = stack[-1]
        target.notes.append(note.model_copy(update={"paragraphs": len(target.paras)}))

    # ----------------------------------------------------------------- freezing
    def _freeze_unit(self, n: _Node) -> Unit:
        children = [self._freeze_unit(c) for c in n.children]
        text = n.own_text()
        repealed = n.repealed or self._is_repealed(n)
        return Unit(kind=n.kind, label=n.label, raw_label=n.raw, text=text, repealed=repealed,
                    reform_notes=n.notes, children=children, source=self.src(n.first, n.last))

    def _is_repealed(self, n: _Node) -> bool:
        if n.children:
            return False
        body = n.own_text()
        if n.kind == "articulo":
            m = self.p.article_heading.match(body)
            body = m.group("rest") if m else body
        elif n.kind == "fraccion":
            m = self.p.fraccion.match(body)
            body = m.group("rest") if m else body
        elif n.kind == "inciso":
            m = self.p.inciso.match(body)
            body = m.group("rest") if m else body
        elif n.kind == "numeral":
            m = self.p.numeral.match(body)
            body = m.group("rest") if m else body
        return bool(self.p.repealed_text.match(body.replace("\n", " ")))

    def _freeze_div(self, d: _Div) -> Division:
        heading = join_lines(d.heading) if d.heading else ""
        repealed = bool(self.p.repealed_text.match(heading)) if heading else False
        return Division(kind=d.kind, label=d.label, heading=heading, repealed=repealed,
                        reform_notes=d.notes, children=[self._freeze_div(c) for c in d.children],
                        articles=d.articles, source=self.src(d.first))

    # ----------------------------------------------------------------- transitorios
    def parse_transitorios(self, a: int, b: int) -> list[Unit]:
        """Transitorio units between ``a`` and ``b``, stopping at the signature block."""
        p, texts = self.p, self.texts
        units: list[_Node] = []
        cur: _Node | None = None
        prev = ""
        prev_short: bool | None = True
        i = a
        while i < b:
            s = texts[i]
            if self.is_note[i]:
                idx, i = self._notes_from(i)
                if cur is not None:
                    cur.notes.append(self.make_note(idx))
                continue
            if p.signature.match(s) or p.decree_articles_range.match(s):
                break
            m = p.transitorio.match(s)
            if m and (not m.group("rest") or _starts_para(m.group("rest"))
                      or m.group("rest").startswith("…")):
                label = " ".join(m.group("label").split())
                val = ordinal_value(label)
                prev_val = ordinal_value(units[-1].label) if units else 0
                if val is not None and (val == prev_val + 1 or (not units and val == 1)
                                        or (units and val > prev_val and _ends_sentence(prev))):
                    cur = _Node("transitorio", label, s[: m.start("rest")].strip(), self.lines[i],
                                self.lines[i])
                    cur.add_text(self.lines[i], s, True)
                    units.append(cur)
                    prev = s
                    prev_short = self.lines[i].ends_short
                    i += 1
                    continue
            if cur is not None:
                # a list item inside a transitorio is printed as a paragraph of its own, its
                # label hanging left of the wrapped lines (not indented)
                cur.add_text(self.lines[i], s, _para_break(prev, prev_short, self.lines[i])
                             or _ends_sentence(prev) and bool(p.fraccion.match(s) or p.numeral.match(s)
                                                              or p.inciso.match(s)))
            prev = s
            prev_short = self.lines[i].ends_short
            i += 1
        out = []
        for u in units:
            if self._is_repealed_transitorio(u):
                u.repealed = True
            out.append(self._freeze_unit(u))
        return out

    def _is_repealed_transitorio(self, u: _Node) -> bool:
        m = self.p.transitorio.match(u.own_text())
        return bool(m and self.p.repealed_text.match(m.group("rest")))

    # ----------------------------------------------------------------- reform section
    def parse_reform_section(self, a: int, b: int) -> list[Decree]:
        p, texts = self.p, self.texts
        anchors: list[tuple[int, str, date | None]] = []
        for i in range(a, b):
            if self.is_note[i]:
                continue
            s = texts[i]
            if s[0] not in "PN[":
                continue
            for rx, kind in p.anchors:
                m = rx.match(s)
                if m:
                    anchors.append((i, kind, g.long_date(m)))
                    break
        # title start of each entry: nearest line above the anchor that starts with an
        # ALL-CAPS word that is not a Roman numeral (skipping notes)
        starts: list[int] = []
        lower = a
        for ai, _, _ in anchors:
            j = ai - 1
            start = None
            while j >= lower:
                if not self.is_note[j]:
                    m = p.entry_title_start.match(texts[j])
                    if m and not g.ROMAN_WORD_RE.match(m.group("word")):
                        start = j
                        break
                j -= 1
            if start is None:
                self.warnings.append(f"p. {self.lines[ai].page}: entrada sin título: {texts[ai][:80]}")
                start = ai
            starts.append(start)
            lower = ai + 1
        decrees: list[Decree] = []
        for k, (ai, akind, dt) in enumerate(anchors):
            start = starts[k]
            end = starts[k + 1] if k + 1 < len(anchors) else b
            title_idx = [j for j in range(start, ai) if not self.is_note[j]]
            title = join_lines([texts[j] for j in title_idx]) if title_idx else ""
            invalid = False
            if title.startswith("[") and title.endswith("]"):
                title = title[1:-1].strip()
                invalid = True
            elif title.startswith("["):
                title = title[1:].strip()
                invalid = True
            for j in range(start, min(end, ai + 3)):
                if self.is_note[j] and p.decree_invalid_note.match(texts[j]):
                    invalid = True
            kind = p.default_entry_kind
            for rx, kname in p.title_kinds:
                if rx.match(title):
                    kind = kname
                    break
            if akind == "notified" and kind != "fe_de_erratas":
                kind = "scjn"
            clause, trans = "", []
            if kind in ("decreto", "ley_o_reforma_sin_titulo_decreto"):
                clause, trans = self._decree_body(ai + 1, end)
            decrees.append(Decree(
                index=k + 1, kind=kind, title=title,
                dof_date=dt if akind == "published" else None,
                notified_date=dt if akind == "notified" else None,
                declared_invalid=invalid, clause=clause, transitorios=trans,
                source=self.src(self.lines[start], self.lines[ai]),
            ))
        return decrees

    def _decree_body(self, a: int, b: int) -> tuple[str, list[Unit]]:
        """Amendment clause (text before the decree's transitorios) and its transitorios."""
        p, texts = self.p, self.texts
        paras: list[list[str]] = []
        prev = ""
        i = a
        trans_at = None
        while i < b:
            s = texts[i]
            if self.is_note[i]:
                i += 1
                continue
            if p.transitorios_heading.match(s):
                trans_at = i
                break
            if p.signature.match(s):
                break
            if p.ellipsis.match(s):
                prev = "."
                i += 1
                continue
            if s.startswith("[") and s.endswith("]") and len(s) > 2:
                s = s[1:-1]
            elif s.startswith("["):
                s = s[1:]
            elif s.endswith("]"):
                s = s[:-1]
            # an amendment list runs over lines ending in ';' and starting with a number:
            # a new paragraph only after '.' or ':' and before a capital
            if not paras or (prev.endswith((".", ":", ".”", '."')) and s[:1].isupper()):
                paras.append([s])
            else:
                paras[-1].append(s)
            prev = s
            i += 1
        clause = "\n".join(join_lines(x) for x in paras)
        trans = self.parse_transitorios(trans_at + 1, b) if trans_at is not None else []
        return clause, trans


def _fraccion_label(raw: str) -> str:
    """'XXIX-A' stays, 'V Bis' / 'V-Bis' / 'V BIS' -> 'V Bis'."""
    m = re.match(r"([IVXLC]+)(.*)$", raw)
    base, rest = m.group(1), m.group(2)
    rest = rest.strip()
    if not rest:
        return base
    if re.match(r"^[-–]\s*[A-ZÑ]$", rest):
        return base + "-" + rest[-1]
    words = re.findall(r"[A-Za-zÁÉÍÓÚáéíóúÑñ]+", rest)
    return " ".join([base] + [w[:1].upper() + w[1:].lower() for w in words])


def structure(lines: list[Line], *, sha256: str, file: str, fmt: str = "pdf",
              pages: int | None = None, profile: Profile,
              parser: type[_Parser] | None = None) -> ParsedLaw:
    """Parse content lines (furniture already removed) into a :class:`ParsedLaw`.

    Raises :class:`ParseError` naming ``file`` when the text has no article headings.
    """
    if not lines:
        raise ParseError(file, "el documento no tiene texto")
    return (parser or _Parser)(lines, sha256, file, fmt, pages, profile).run()
