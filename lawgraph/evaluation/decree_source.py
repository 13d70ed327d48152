"""Reform-decree entries (title, DOF date, amendment clause) for evaluation and benchmarks.

The LeyesBiblio parser (:func:`lawgraph.ingest.leyesbiblio.parse_pdf`) is the real source of
``ParsedLaw.decrees``. This module prefers it; while it is not available, or for quick
inspection, :func:`decrees_from_text` cuts the same entries from the pdfplumber text of a
LeyesBiblio PDF (``../shared/corpora/derived_text``): it strips the running header and page
footer, finds each "Publicado en el Diario Oficial de la Federación el …" line, takes the
heading above it as the title and the lines below it up to the elision mark ("………") or the
decree's TRANSITORIOS as the clause.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lawgraph.nlp.dates import try_parse_spanish_date

SECTION_HEADING = "ARTÍCULOS TRANSITORIOS DE DECRETOS DE REFORMA"

# Page furniture of LeyesBiblio PDFs as pdfplumber prints it.
_FURNITURE_RE = re.compile(
    r"""^(?:CÁMARA\ DE\ DIPUTADOS\ DEL\ H\.\ CONGRESO.*
    |Secretaría\ General
    |Secretaría\ de\ Servicios\ Parlamentarios
    |Última\ Reforma\ DOF.*
    |\d+\ de\ \d+                       # page footer 'N de M'
    )\s*$""",
    re.VERBOSE,
)
_PUBLISHED_RE = re.compile(r"^Publicad[oa]s?\s+en\s+el\s+Diario\s+Oficial\s+de\s+la\s+Federaci[óo]n", re.I)
# The start of an entry's heading: DECRETO, FE de erratas, ACUERDO, LEY, SENTENCIA, …
_TITLE_START_RE = re.compile(
    r"^(?:DECRETO|Decreto|FE\s+de\s+erratas|ACUERDO|LEY|Ley|SENTENCIA|Sentencia|RESOLUCI[ÓO]N|ACLARACI[ÓO]N|DECLARATORIA)\b"
)
# End of a clause: the elision of the new text, or the decree's own transitory articles.
# The next article of a multi-article decree ('ARTÍCULO SEGUNDO.- Se reforman …').
_NEXT_ARTICLE_RE = re.compile(r"^ART[IÍ]CULO\s+\w+\.?\s*[-–.]", re.I)
_TRANSITORY_ARTICLE_RE = re.compile(r"^ART[IÍ]CULOS?\s+TRANSITORIO", re.I)
_CLAUSE_END_RE = re.compile(r"^(?:…|\.\.\.|TRANSITORIOS?\b|Transitorios?\s*$|ARTÍCULOS?\s+TRANSITORIOS?)")


@dataclass(frozen=True, slots=True)
class DecreeEntry:
    """One entry of the reform-decree section: what amendment parsing needs."""

    index: int
    title: str
    dof_date: date | None
    clause: str
    kind: str = "decreto"


def decrees_from_text(text: str, law_title_line: str | None = None) -> list[DecreeEntry]:
    """Cut the reform-decree entries out of a LeyesBiblio PDF's plain text."""
    pos = text.find(SECTION_HEADING)
    if pos < 0:
        return []
    raw_lines = text[pos + len(SECTION_HEADING):].replace("\f", "\n").split("\n")
    first_line = text.lstrip("\f\n").split("\n", 1)[0].strip()
    title_line = law_title_line or first_line
    lines = [
        ln.strip() for ln in raw_lines
        if ln.strip() and not _FURNITURE_RE.match(ln.strip()) and ln.strip() != title_line
    ]
    entries: list[DecreeEntry] = []
    pub_idx = [i for i, ln in enumerate(lines) if _PUBLISHED_RE.match(ln)]
    # Each title: walk up from its 'Publicado' line to the nearest line that starts a heading.
    title_start: list[int] = []
    for n, i in enumerate(pub_idx):
        floor = pub_idx[n - 1] + 1 if n else 0
        j = i - 1
        while j > floor and not _TITLE_START_RE.match(lines[j]):
            j -= 1
        title_start.append(j if j >= floor and _TITLE_START_RE.match(lines[j]) else i - 1)
    for n, i in enumerate(pub_idx):
        title = " ".join(lines[title_start[n]:i])
        stop = title_start[n + 1] if n + 1 < len(pub_idx) else len(lines)
        clause_lines: list[str] = []
        k = i + 1
        while k < stop:
            ln = lines[k]
            if ln.startswith(("…", "...")):
                # Several articles of one decree: each clause ends in an elision mark.
                nxt = lines[k + 1] if k + 1 < stop else ""
                if _NEXT_ARTICLE_RE.match(nxt) and not _TRANSITORY_ARTICLE_RE.match(nxt):
                    clause_lines.append("\n")
                    k += 1
                    continue
                break
            if _CLAUSE_END_RE.match(ln):
                break
            clause_lines.append(ln)
            k += 1
        clause = re.sub(r" ?\n ?", "\n", " ".join(clause_lines)).strip()
        kind = "fe_de_erratas" if re.match(r"^FE\s+de\s+erratas", title, re.I) else "decreto"
        entries.append(
            DecreeEntry(len(entries) + 1, title, try_parse_spanish_date(lines[i]), clause, kind)
        )
    return entries


def load_decrees(pdf_path: str | Path, derived_text_dir: str | Path | None = None) -> list[DecreeEntry]:
    """Decree entries of one LeyesBiblio PDF: from the real parser when it is installed in the
    tree, otherwise from the pdfplumber text beside it in ``derived_text_dir``."""
    pdf_path = Path(pdf_path)
    try:
        from lawgraph.ingest.leyesbiblio import parse_pdf  # type: ignore[attr-defined]
    except ImportError:
        parse_pdf = None
    if parse_pdf is not None:
        law = parse_pdf(pdf_path)
        return [
            DecreeEntry(d.index, d.title, d.dof_date, d.clause, d.kind) for d in law.decrees
        ]
    if derived_text_dir is None:
        derived_text_dir = pdf_path.parents[2] / "derived_text" / "laws" / pdf_path.parent.name
    txt = Path(derived_text_dir) / f"{pdf_path.name}.pdfplumber.txt"
    return decrees_from_text(txt.read_text(encoding="utf-8"))
