"""Profile ``chihuahua``: Chihuahua state laws (jurisdiction mx-chh), Markdown and Word.

The Markdown conversions (../shared/corpora/laws/state/chihuahua/*.md, IAcate/biblioteca-tdj-
chihuahua) print, as their files show:

* a front matter (a '# …' placeholder title, a metadata table, a warning quote, a '---' rule),
  then 'Texto actualizado hasta la reforma publicada en el P. O. E. el 10 de enero de 2024';
* one paragraph per line; headings in bold ('**Artículo 126** bis.-', '**ARTÍCULO 1.**-'),
  divisions as '## TÍTULO PRIMERO' / '### CAPÍTULO I' or plain lines;
* every version of a reformed article: 'Texto original.' above the first, 'Texto reformado
  mediante Decreto 397-08 I P. O., publicado en el P. O. E. el 18 de febrero de 2009, …' above
  each later one; the last version is the one in force;
* reform notes after the text too ('Artículo adicionado mediante Decreto 783-09 I P. O.,
  publicado en el P. O. E. el 6 de marzo de 2010.');
* after the law's TRANSITORIOS, one '## TRANSITORIOS' per reform decree followed by 'Del
  Decreto 1063-07 XIII P. E. publicado en el P. O. E. el 27 de octubre de 2007, mediante el
  cual se reforman los artículos …' (the amendment clause) and the decree's transitorios.

The Congress Word files (130.docx) put the notes in brackets, inline or on their own line:
'[Artículo reformado mediante Decreto No. … publicado en el P.O.E. No. 51 del 26 de junio de
2013]'. Both go through the generic structurer with this grammar; P.O.E. (Periódico Oficial
del Estado de Chihuahua) is the gazette.
"""
from __future__ import annotations

import re
from pathlib import Path

from lawgraph.corpus import sha256_file
from lawgraph.errors import ExtractionError, ParseError
from lawgraph.ingest import grammar as g
from lawgraph.ingest.base import Line
from lawgraph.ingest.profiles import ParserProfile
from lawgraph.ingest.profiles.durango import long_dates
from lawgraph.ingest.structure import Profile, _Parser, structure
from lawgraph.model.law import Decree, ParsedLaw

X = re.VERBOSE

# ----------------------------------------------------------------------------- Markdown lines
_MD_HEADING_RE = re.compile(r"^#{1,6}\s*")
_MD_EMPHASIS_RE = re.compile(r"\*\*|__")
_MD_RULE_RE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})\s*$")
_MD_TABLE_RE = re.compile(r"^\|.*\|\s*$")
_MD_QUOTE_RE = re.compile(r"^>\s?")

# 'Texto original.' above the first version of an article: says nothing beyond its position.
ORIGINAL_MARKER_RE = re.compile(r"^Texto\s+original\.?\s*$", re.I)
# A version marker or a note: '[Artículo] reformado/adicionado/derogado … mediante Decreto …'.
_SUBJECT = (r"Texto|Art[ií]culos?|Fracci[oó]n(?:es)?|P[aá]rrafos?|Incisos?|Numerales?|Apartados?|"
            r"Denominaci[oó]n|Cap[ií]tulos?|T[ií]tulos?|Secci[oó]n(?:es)?|Libros?|Ep[ií]grafe|"
            r"Reforma|Fe\s+de\s+erratas|Nota")
REFORM_NOTE_RE = re.compile(
    rf"""^\[?(?P<subject>{_SUBJECT})\b[^\]]{{0,120}}?\b(?i:reformad|adicionad|derogad|modificad|
    recorrid|public)[oa]?s?\b""",
    X,
)
NOTE_EVIDENCE_RE = re.compile(r"P\.\s*O\.\s*E\.|Peri[óo]dico\s+Oficial|\bDecreto\b", re.I)
# A Markdown note is one line; a Word note may wrap: the next line carries the date's tail.
NOTE_CONTINUATION_RE = re.compile(r"^(?:\d{4}\b|de\s+\d{4}|\d{1,2}\s+de\s+[a-z]+\s+de\s+\d{4})")
# An inline Word note at the end of a unit's line: 'III. Derogada [Fracciones … derogadas mediante …]'.
INLINE_NOTE_RE = re.compile(r"\s*(\[[^\[\]]*\bmediante\s+Decreto[^\[\]]*\]?)\s*$", re.I)

# Headings printed with the bold closing after the number: 'Artículo 126 bis.-', 'ARTÍCULO 1º',
# 'ARTÍCULO 6-a.-' (a lower-case letter suffix).
ARTICLE_HEADING_RE = re.compile(
    rf"""^(?P<word>ART[IÍ]CULO|Art[ií]culo)\s+
    (?P<label>
        (?P<num>\d{{1,4}})\s*(?:o\.?|º|°|\.o)?
        (?P<suffix>(?:\s*[-–]?\s*(?:{g.SUFFIX}|[A-Za-z](?![a-záéíóú]))(?:\s*\d{{1,2}}(?=\s*[.\-–]))?)*)
    )
    \s*(?P<punct>\.\s*[-–]|[-–]|\.|:|(?<=[º°]))
    (?=\s|$)
    \s*(?P<rest>.*)$""",
    X,
)

# The reform decrees: 'Del Decreto 1063-07 XIII P. E. publicado en el P. O. E. el 27 de …'.
DECREE_ENTRY_RE = re.compile(r"^Del\s+Decreto\s+(?:No\.\s*)?(?P<number>\S+(?:\s+[IVXLC]+\s+P\.\s*[OE]\.)?)")
UPDATED_TO_RE = re.compile(r"^Texto\s+actualizado\s+hasta\b", re.I)
_LAW_TITLE_RE = re.compile(r"^(?:LEY|C[ÓO]DIGO|CONSTITUCI[ÓO]N|REGLAMENTO)\b[^a-záéíóúñ]*$")

CHIHUAHUA = Profile(
    name="chihuahua",
    gazette="POE",
    article_heading=ARTICLE_HEADING_RE,
    reform_note=REFORM_NOTE_RE,
    note_evidence=NOTE_EVIDENCE_RE,
    note_continuation=NOTE_CONTINUATION_RE,
    # note_wrap_min_chars keeps the generic 90: a Markdown note is one line, and a Word note
    # that wraps continues only with its date's tail (NOTE_CONTINUATION_RE).
    reform_section=DECREE_ENTRY_RE,
    note_dates=long_dates,
)


def _md_lines(text: str) -> list[Line]:
    """Non-blank content lines of a Markdown file with their offsets, markup removed.

    Each Markdown line is a paragraph of the conversion, so every line 'ends short'."""
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        s = raw.strip()
        start = pos + (len(raw) - len(raw.lstrip()))
        pos += len(raw) + 1
        if not s or _MD_RULE_RE.match(s) or _MD_TABLE_RE.match(s):
            continue
        s = _MD_QUOTE_RE.sub("", s)
        s = _MD_HEADING_RE.sub("", s)
        s = _MD_EMPHASIS_RE.sub("", s)
        s = " ".join(s.replace("\t", " ").split())
        if s:
            out.append(Line(None, s, start, True, None))
    return out


def _front_matter_end(lines: list[Line]) -> int:
    """Index of the first line after the conversion's front matter (title placeholder, metadata
    table, warning quote): the 'Texto actualizado hasta …' line when there is one."""
    for i, ln in enumerate(lines[:80]):
        if UPDATED_TO_RE.match(ln.text):
            return i
    return 0


def _split_inline_notes(lines: list[Line]) -> list[Line]:
    """A Word line that ends with '[… mediante Decreto …]' becomes the unit's text and a note line."""
    out: list[Line] = []
    for ln in lines:
        m = INLINE_NOTE_RE.search(ln.text)
        if m and m.start() > 0:
            out.append(Line(ln.page, ln.text[: m.start()].rstrip(), ln.start, ln.ends_short, ln.indented))
            out.append(Line(ln.page, m.group(1), ln.start + m.start(1), True, None))
        else:
            out.append(ln)
    return out


def _latest_versions(lines: list[Line], profile: Profile) -> tuple[list[Line], list[str]]:
    """Keep the last printed version of each article (and of each original transitorio); its
    version markers ('Texto reformado mediante Decreto …') move below it, where the structurer
    reads notes. Returns the lines and one warning per superseded version dropped."""
    texts = [ln.text for ln in lines]
    n = len(texts)
    reform_at = next((i for i, s in enumerate(texts) if DECREE_ENTRY_RE.match(s)), n)

    def heading_label(i: int) -> str | None:
        if in_trans[i]:
            m = profile.transitorio.match(texts[i])
            return "transitorio " + " ".join(m.group("label").split()).lower() if m else None
        m = profile.article_heading.match(texts[i])
        return "artículo " + " ".join(m.group("label").split()).lower() if m else None

    in_trans = [False] * n
    seen_trans = False
    for i in range(reform_at):
        if profile.transitorios_heading.match(texts[i]):
            seen_trans = True
        in_trans[i] = seen_trans
    # blocks: (label, marker line indices, content line indices)
    blocks: list[tuple[str | None, list[int], list[int]]] = []
    pending: list[int] = []
    cur: tuple[str | None, list[int], list[int]] | None = None
    for i in range(reform_at):
        s = texts[i]
        if ORIGINAL_MARKER_RE.match(s):
            pending.append(i)
            continue
        is_marker = s.lower().startswith("texto ") and bool(profile.reform_note.match(s))
        if is_marker:
            pending.append(i)
            continue
        label = heading_label(i)
        if label is not None or profile.division.match(s) or profile.transitorios_heading.match(s):
            cur = (label, pending, [i])
            blocks.append(cur)
            pending = []
            continue
        if pending:
            # a marker above running text (a reformed paragraph): stays where it is
            if cur is None:
                cur = (None, [], [])
                blocks.append(cur)
            cur[2].extend(pending)
            pending = []
        if cur is None:
            cur = (None, [], [])
            blocks.append(cur)
        cur[2].append(i)
    last: dict[str, int] = {}
    for k, (label, _, _) in enumerate(blocks):
        if label is not None:
            last[label] = k
    markers: dict[str, list[int]] = {}
    for label, mk, _ in blocks:
        if label is not None:
            markers.setdefault(label, []).extend(j for j in mk if not ORIGINAL_MARKER_RE.match(texts[j]))
    keep: list[int] = []
    warnings: list[str] = []
    for k, (label, mk, content) in enumerate(blocks):
        if label is None:
            keep.extend(j for j in mk if not ORIGINAL_MARKER_RE.match(texts[j]))
            keep.extend(content)
            continue
        if last[label] != k:
            warnings.append(f"versión anterior del {label} sustituida por la vigente: "
                            f"{texts[content[0]][:60]}")
            continue
        keep.extend(content)
        keep.extend(markers.get(label, []))
    trailing = [j for j in pending if not ORIGINAL_MARKER_RE.match(texts[j])]
    return [lines[j] for j in keep + trailing] + lines[reform_at:], warnings


class ChihuahuaParser(_Parser):
    """The generic structurer with the state's decree list ('Del Decreto … mediante el cual …')."""

    def parse_reform_section(self, a: int, b: int) -> list[Decree]:
        starts = [a - 1] + [i for i in range(a, b) if DECREE_ENTRY_RE.match(self.texts[i])]
        decrees: list[Decree] = []
        for k, s in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else b
            title = self.texts[s]
            m = DECREE_ENTRY_RE.match(title)
            # the title carries the clause: '…, mediante el cual se reforman los artículos …'
            cm = re.search(r"\bmediante\s+el\s+cual\s+", title, re.I)
            clause = title[cm.end():] if cm else ""
            nxt = s + 1
            while nxt < end and self.p.transitorios_heading.match(self.texts[nxt]):
                nxt += 1
            dates = long_dates(title[: cm.start()] if cm else title)
            decrees.append(Decree(
                index=len(decrees) + 1, kind="decreto", title=title, dof_date=dates[0] if dates else None,
                clause=clause, transitorios=self.parse_transitorios(nxt, end),
                number=" ".join(m.group("number").rstrip(",").split()) if m else None,
                source=self.src(self.lines[s]),
            ))
        return decrees


def _finish(parsed: ParsedLaw, lines: list[Line], head_end: int, warnings: list[str]) -> ParsedLaw:
    """Title and last-reform date from the opening lines rather than the placeholder heading."""
    update: dict = {"warnings": parsed.warnings + warnings}
    for ln in lines[: head_end + 40]:
        if UPDATED_TO_RE.match(ln.text) or "Texto actualizado" in ln.text:
            d = long_dates(ln.text)
            if d:
                update["ultima_reforma"] = d[-1]
                break
    window = [ln.text for ln in lines[head_end: head_end + 40]]
    k = next((i for i, s in enumerate(window) if _LAW_TITLE_RE.match(s)), None)
    if k is not None:
        # a title printed over several capitalised lines ('LEY GENERAL DEL' / 'SISTEMA …')
        parts = [window[k]]
        for s in window[k + 1:]:
            if s != s.upper() or CHIHUAHUA.division.match(s) or CHIHUAHUA.article_heading.match(s):
                break
            parts.append(s)
        update["title"] = " ".join(parts)
    return parsed.model_copy(update=update)


def _structure(path: Path, fmt: str, lines: list[Line]) -> ParsedLaw:
    if not lines:
        raise ExtractionError(path, "el documento no contiene texto")
    head_end = _front_matter_end(lines)
    body = _split_inline_notes(lines[head_end:])
    # 'Texto actualizado hasta la reforma' / 'publicada en el P. O. E. el …' may wrap in two lines
    if body and UPDATED_TO_RE.match(body[0].text) and len(body) > 1 and not long_dates(body[0].text):
        joined = Line(body[0].page, body[0].text + " " + body[1].text, body[0].start, True, None)
        body = [joined] + body[2:]
    # the '## TRANSITORIOS' heading above each 'Del Decreto …' entry belongs to the entry
    body = [ln for k, ln in enumerate(body)
            if not (CHIHUAHUA.transitorios_heading.match(ln.text) and k + 1 < len(body)
                    and DECREE_ENTRY_RE.match(body[k + 1].text))]
    body, warnings = _latest_versions(body, CHIHUAHUA)
    parsed = structure(body, sha256=sha256_file(path), file=str(path), fmt=fmt, pages=None,
                       profile=CHIHUAHUA, parser=ChihuahuaParser)
    return _finish(parsed, body, 0, warnings)


def from_markdown(path: Path) -> ParsedLaw:
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    if not ARTICLE_HEADING_RE.search(_MD_EMPHASIS_RE.sub("", text[:200000])) and not recognise(text[:8192]):
        raise ParseError(path, f"maquetación no reconocida por el perfil chihuahua: falta {_EXPECTS}")
    return _structure(path, "md", _md_lines(text))


def from_word(path: Path) -> ParsedLaw:
    from lawgraph.ingest.word import word_lines

    fmt, lines = word_lines(path)
    return _structure(path, fmt, lines)


_EXPECTS = ("encabezados de artículo ('**Artículo 1.**', 'ARTÍCULO 1o.') y notas del Periódico "
            "Oficial del Estado ('publicado en el P. O. E.')")


def recognise(head: str) -> bool:
    """A Chihuahua conversion names the state's gazette near its opening."""
    return bool(re.search(r"P\.\s*O\.\s*E\.|Peri[óo]dico\s+Oficial\s+del\s+Estado", head)) and "Chihuahua" in head


PROFILES = (
    ParserProfile(name="chihuahua", formats=frozenset({"md", "doc", "docx"}), expects=_EXPECTS,
                  recognise=recognise, from_file=lambda p: from_markdown(p) if p.suffix.lower() in (".md", ".txt")
                  else from_word(p), jurisdiction="mx-chh"),
)
