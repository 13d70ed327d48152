"""Profile ``durango``: PDFs of the Congreso del Estado de Durango (jurisdiction mx-dgo).

Layout (../shared/corpora/MANIFEST.md, laws/state/durango/), as the four files print it:

* running head on every page: the law's title (one or two lines, the penal code adds
  'VIGENTE A PARTIR DE …'), a label line ('FECHA DE ULTIMA REFORMA:', 'FECHA DE
  PUBLICACION:' or 'DATOS DE PUBLICACION:') and the last reform decree ('DEC. 337 P. O. 51
  DEL 25 DE JUNIO DE 2020.'), then the page number alone on a line (not in every file);
  one file prints a footer 'FECHA DE REV.… ' as the page's last line;
* article headings 'ARTÍCULO 1.', 'ARTICULO 10.', 'Artículo 28 bis.', 'Articulo 35 Bis1.',
  'ARTÍCULO 131.Extinción' (no space), and bare '276 BIS.-' (suffixed, without the word);
* reform notes after the text they concern, in capitals, naming decree and gazette:
  'ARTICULO REFORMADO POR DEC. 230 P.O. 93 DE FECHA 19 DE NOVIEMBRE DE 2017.',
  'FRACCIONES VI Y VII ADICIONADAS POR DEC. …', 'DEC. 010, P. O. NO. 99, DE 11 DE …';
* repealed articles 'Derogado.' / 'SE DEROGA.' / '(DEROGADO)';
* the original law's TRANSITORIOS (ordinals), its signatures and publication line, then
  the state's reform decrees separated by dashed lines, each 'DECRETO 311, LXVIII
  LEGISLATURA, PERIODICO OFICIAL NO. 36 DE FECHA 3 DE MAYO DE 2020.' (or 'DECRETO No. 415 DE
  LA LXIV LEGISLATURA, PUBLICADO EN EL PERIÓDICO OFICIAL No. 47, DE FECHA …'), its
  amendment clause ('ARTÍCULO ÚNICO.- Se deroga …') and its own transitorios.

"P.O." is the Periódico Oficial del Gobierno del Estado de Durango, the state's gazette.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from lawgraph.corpus import sha256_file
from lawgraph.errors import ParseError
from lawgraph.ingest import grammar as g
from lawgraph.ingest.base import Page
from lawgraph.ingest.furniture import FurnitureProfile, strip_furniture
from lawgraph.ingest.profiles import ParserProfile
from lawgraph.ingest.structure import Profile, _Parser, join_lines, structure
from lawgraph.model.law import Decree, ParsedLaw

X = re.VERBOSE
_MONTH = g._MONTH

# ----------------------------------------------------------------------------- furniture
HEAD_LABEL_RE = re.compile(
    r"^(?:FECHA\s+DE\s+(?:[ÚU]LTIMA\s+REFORMA|PUBLICACI[ÓO]N)|DATOS\s+DE\s+PUBLICACI[ÓO]N)\s*:?\s*$")
HEAD_DECREE_RE = re.compile(r"^DEC\.?\s*(?:No\.?\s*)?\d+\b.*\b\d{4}\s*\.?\s*$", re.I)
PAGE_NUMBER_RE = re.compile(r"^\d{1,4}$")
FOOTER_RE = re.compile(r"^FECHA\s+DE\s+REV\.")
# The title lines above the label: the law's name and, in the penal code, when it came into force.
_NOT_IN_TITLE_RE = re.compile(r"\bVIGENTE\s+A\s+PARTIR\b", re.I)

FURNITURE = FurnitureProfile(
    anchor=HEAD_LABEL_RE,
    head_lines=(("decree", HEAD_DECREE_RE), ("page_number", PAGE_NUMBER_RE)),
    max_title_lines=3, head_window=7, page_counter=None, footer=FOOTER_RE,
)

# ----------------------------------------------------------------------------- dates
# '19 DE NOVIEMBRE DE 2017', '10 MAYO DE 2020', '1º DE ABRIL', '31 NDE MAYO', '5 DE DIC. DE
# 2014', 'FECHA28 DE …', '30/12/2007'. Month abbreviations as the notes print them.
_MONTH_ABBR = {"ene": 1, "feb": 2, "mar": 3, "abr": 4, "may": 5, "jun": 6, "jul": 7, "ago": 8,
               "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dic": 12}
LONG_DATE_RE = re.compile(
    rf"""(?P<d>\d{{1,2}})\s*(?:[º°]|o\.)?\s*(?:N?DE\s+|DEL\s+)?
    (?P<m>{_MONTH}|(?i:ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic)\.)
    \s+(?:DE|DEL|de|del)\s+(?:A[ÑN]O\s+)?(?P<y>\d{{4}})""",
    X | re.I,
)
SLASH_DATE_RE = re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})")


def long_dates(text: str) -> list[date]:
    """Every date of ``text`` in the state's spelled-out forms, in order."""
    found: list[tuple[int, date]] = []
    for m in LONG_DATE_RE.finditer(text):
        month = m.group("m").lower().rstrip(".")
        mm = g.MONTHS.get(month) or _MONTH_ABBR.get(month)
        try:
            found.append((m.start(), date(int(m.group("y")), mm, int(m.group("d")))))
        except (TypeError, ValueError):
            continue
    for m in SLASH_DATE_RE.finditer(text):
        try:
            found.append((m.start(), date(int(m.group("y")), int(m.group("m")), int(m.group("d")))))
        except ValueError:
            continue
    return [d for _, d in sorted(found)]


# ----------------------------------------------------------------------------- body grammar
# 'ARTÍCULO 19 BIS.', 'Articulo 35 Bis1.', 'ARTÍCULO 131.Extinción', 'ARTÍCULO 17. . Para',
# and the bare '276 BIS.-' (a suffixed number with '.-', printed without the word).
ARTICLE_HEADING_RE = re.compile(
    rf"""^(?=ART[IÍ]CULO\s|Art[ií]culo\s|\d{{1,4}}\s+{g.SUFFIX}\s*\d{{0,2}}\s*\.\s*[-–])
    (?:(?P<word>ART[IÍ]CULO|Art[ií]culo)\s+)?
    (?P<label>
        (?P<num>\d{{1,4}})\s*(?:o\.?|º|°)?
        (?P<suffix>(?:\s*[-–]?\s*{g.SUFFIX}(?:\s*\d{{1,2}}(?=\s*[.\-–]))?)*)
    )
    \s*(?P<punct>\.\s*[-–]|[-–]|\.|:)
    (?=\s|$|[A-ZÁÉÍÓÚ¿“"])
    \s*(?P<rest>.*)$""",
    X,
)
# A reform note: optional subject words, a participle and the decree ('… POR DEC. 230 P.O.
# 93 …'), or a bare 'DEC. 010, P. O. NO. 99, DE 11 DE DICIEMBRE DE 2016.'.
_PARTICIPLE = r"(?:REFORMAD|REFROMAD|ADICIONAD|DEROGAD|RECORRID|MODIFICAD)(?:[OA]S?)\b"
REFORM_NOTE_RE = re.compile(
    rf"""^(?P<subject>(?:[A-ZÁÉÍÓÚÑ]+[ ,]+){{0,8}}?)?{_PARTICIPLE}.*\bDEC\b
    |^(?P<bare>DEC\.?\s*(?:No\.?\s*)?\d+\s*,?\s*(?:LX[IVX]*\s*,\s*)?P\.\s*O\.)""",
    X,
)
NOTE_EVIDENCE_RE = re.compile(r"\bDEC\.?\s*(?:No\.?\s*)?\d+|P\.\s*O\.")
# A note wrapped onto the next line: the rest of its date ('2017.', 'DE 2017', '19 DE …').
NOTE_CONTINUATION_RE = re.compile(rf"^(?:\d{{4}}\s*\.?\s*$|(?:DE|DEL)\s+\d{{4}}|\d{{1,2}}\s+DE\s+{_MONTH})", re.I)

# 'TRANSITORIOS', 'ARTÍCULOS TRANSITORIOS', 'T R A N S I T O R I O S' (the generic pattern)
# and the letter-spaced 'A R T Í C U L O S  T R A N S I T O R I O S:' of one decree.
TRANSITORIOS_HEADING_RE = re.compile(
    rf"""{g.TRANSITORIOS_HEADING_RE.pattern}|
    ^\s*A\s+R\s+T\s+[ÍI]\s+C\s+U\s+L\s+O\s+S\s+T\s+R\s+A\s+N\s+S\s+I\s+T\s+O\s+R\s+I\s+O\s+S\s*:?\s*$""",
    X,
)
DASHES_RE = re.compile(r"^-{10,}\s*$")
# A decree entry's title: 'DECRETO 311, …', 'DECRETO No. 415 DE LA …', 'DEC. 264, …', 'DECRETO185'.
DECREE_TITLE_RE = re.compile(r"^(?:DECRETO|DEC\.)\s*(?:No\.?\s*)?(?P<number>\d+)\b", re.I)
# The gazette issue: 'PERIODICO OFICIAL No. 104 BIS', 'P.O. 42 EXTRAORDINARIO', '# 63', '21 BIS'.
GAZETTE_NUMBER_RE = re.compile(
    r"""PERI[ÓO]DICO\s+OFICIAL\s+(?:(?:No\.?|NO\.?|N[º°]\.?|\#)\s*)?(?P<n>\d+)
    (?:\s*(?P<bis>BIS)\b|\s*(?P<ext>EXT(?:RAORDINARIO)?)\b\.?)?""",
    X | re.I,
)
# The end of a title: its date ('… DE 2011.'), then the clause starts.
TITLE_END_RE = re.compile(r"\d{4}\s*\.?\s*$")
PUBLICATION_RE = re.compile(r"^PUBLICAD[OA]\s+EN\s+EL\s+PERI[ÓO]DICO\s+OFICIAL", re.I)

DURANGO = Profile(
    name="durango",
    gazette="POE",
    article_heading=ARTICLE_HEADING_RE,
    reform_note=REFORM_NOTE_RE,
    note_evidence=NOTE_EVIDENCE_RE,
    note_continuation=NOTE_CONTINUATION_RE,
    # note_wrap_min_chars keeps the generic 90: no note of the four files wraps onto a second
    # line (measured: 0 continuation lines), and the continuation pattern only admits a date's tail.
    reform_section=DASHES_RE,
    transitorios_heading=TRANSITORIOS_HEADING_RE,
    publication=PUBLICATION_RE,
    note_dates=long_dates,
)


def gazette_number(title: str) -> str | None:
    """'104 Bis', '10 Ext.', '38' from a decree title; None when not printed."""
    m = GAZETTE_NUMBER_RE.search(title)
    if not m:
        return None
    n = str(int(m.group("n")))
    if m.group("bis"):
        return f"{n} Bis"
    if m.group("ext"):
        return f"{n} Ext."
    return n


class DurangoParser(_Parser):
    """The generic structurer with the state's decree list: entries between dashed lines."""

    def parse_reform_section(self, a: int, b: int) -> list[Decree]:
        chunks: list[tuple[int, int]] = []
        start = a
        for i in range(a, b + 1):
            if i == b or DASHES_RE.match(self.texts[i]):
                if i > start:
                    chunks.append((start, i))
                start = i + 1
        decrees: list[Decree] = []
        for ca, cb in chunks:
            dec = self._entry(ca, cb, len(decrees) + 1)
            if dec is not None:
                decrees.append(dec)
        return decrees

    def _entry(self, a: int, b: int, index: int) -> Decree | None:
        texts, p = self.texts, self.p
        title_idx: list[int] = []
        i = a
        if DECREE_TITLE_RE.match(texts[i]):
            while i < b:
                title_idx.append(i)
                i += 1
                if TITLE_END_RE.search(texts[i - 1]):
                    break
        title = join_lines([texts[k] for k in title_idx]) if title_idx else ""
        clause_start = i
        while i < b and not p.transitorios_heading.match(texts[i]) and not p.signature.match(texts[i]):
            i += 1
        if clause_start == i and not title:
            self.warnings.append(f"p. {self.lines[a].page}: entrada de la lista de decretos sin "
                                 f"título ni cláusula: {texts[a][:80]}")
            return None
        clause = join_lines([texts[k] for k in range(clause_start, i) if not self.is_note[k]])
        trans = []
        if i < b and p.transitorios_heading.match(texts[i]):
            trans = self.parse_transitorios(i + 1, b)
        m = DECREE_TITLE_RE.match(title) if title else None
        dates = long_dates(title) if title else []
        if not title:
            self.warnings.append(f"p. {self.lines[a].page}: decreto sin título (número, periódico y "
                                 f"fecha no impresos): {texts[a][:80]}")
        return Decree(
            index=index, kind="decreto" if title else "ley_o_reforma_sin_titulo_decreto",
            title=title, dof_date=dates[-1] if dates else None, clause=clause, transitorios=trans,
            number=str(int(m.group("number"))) if m else None,
            gazette_number=gazette_number(title) if title else None,
            source=self.src(self.lines[a], self.lines[max(a, clause_start - 1)]),
        )


_EXPECTS = ("la cabecera del Congreso de Durango ('FECHA DE ULTIMA REFORMA:' o 'DATOS DE "
            "PUBLICACION:' seguida de 'DEC. n P.O. …') en la primera página")


def recognise(head: str) -> bool:
    rows = [s.strip() for s in head.split("\n") if s.strip()][: FURNITURE.head_window]
    return any(HEAD_LABEL_RE.match(s) and k + 1 < len(rows) and HEAD_DECREE_RE.match(rows[k + 1])
               for k, s in enumerate(rows))


def from_pages(path: Path, pages: list[Page]) -> ParsedLaw:
    if not pages or not recognise(pages[0].text):
        raise ParseError(path, f"maquetación no reconocida por el perfil durango: falta {_EXPECTS}")
    head: dict[str, str] = {}
    lines = strip_furniture(pages, len(pages), FURNITURE, head=head)
    parsed = structure(lines, sha256=sha256_file(path), file=str(path), fmt="pdf",
                       pages=len(pages), profile=DURANGO, parser=DurangoParser)
    # the furniture joins the title lines with spaces; the 'VIGENTE A PARTIR …' line goes
    title = head.get("title", "")
    cut = _NOT_IN_TITLE_RE.search(title)
    if cut:
        title = title[: cut.start()]
    dates = long_dates(head.get("decree", ""))
    decrees, warnings = last_decree_from_head(parsed, head.get("decree", ""))
    return parsed.model_copy(update={
        "title": " ".join(title.split()) or parsed.title,
        "ultima_reforma": dates[-1] if dates else parsed.ultima_reforma,
        "decrees": decrees, "warnings": warnings,
    })


# The header's gazette issue: 'DEC. 337 P. O. 51 DE FECHA …' (the list's titles spell it out).
HEAD_GAZETTE_RE = re.compile(r"\bP\.\s*O\.\s*(?:No\.?\s*)?(?P<n>\d+)(?:\s*(?P<bis>BIS)\b)?", re.I)


def last_decree_from_head(parsed: ParsedLaw, head_decree: str) -> tuple[list[Decree], list[str]]:
    """The decree list, its last entry completed from the running header when the publisher
    left it without a title (the women's law: number, gazette and date not printed, so its
    operations had no date). The list runs oldest first and the header names the decree of the
    last reform, so an untitled last entry is that decree, provided the header's decree is not
    already a titled entry. Returns the decrees and the parse's warnings, which say so."""
    decs, warnings = list(parsed.decrees), list(parsed.warnings)
    m = DECREE_TITLE_RE.match(head_decree)
    dates = long_dates(head_decree)
    if not decs or decs[-1].title or not m or not dates:
        return decs, warnings
    number = str(int(m.group("number")))
    if any(d.number == number for d in decs):
        return decs, warnings
    g = HEAD_GAZETTE_RE.search(head_decree)
    gnum = (str(int(g.group("n"))) + (" Bis" if g.group("bis") else "")) if g else None
    last = decs[-1]
    decs[-1] = last.model_copy(update={"kind": "decreto", "title": " ".join(head_decree.split()),
                                       "dof_date": dates[-1], "number": number, "gazette_number": gnum})
    warnings[:] = [w for w in warnings if not w.startswith(f"p. {last.source.page}: decreto sin título")]
    warnings.append(f"p. {last.source.page}: el último decreto de la lista no trae título; número, periódico "
                    f"y fecha tomados de la cabecera (última reforma): {' '.join(head_decree.split())}")
    return decs, warnings


PROFILES = (
    ParserProfile(name="durango", formats=frozenset({"pdf"}), expects=_EXPECTS, recognise=recognise,
                  from_pages=from_pages, jurisdiction="mx-dgo"),
)
