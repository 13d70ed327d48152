"""Profiles of the Cámara de Diputados LeyesBiblio files (federal laws).

``leyesbiblio``: the PDF with its running head ('CÁMARA DE DIPUTADOS DEL H. CONGRESO DE LA
UNIÓN') and the publisher's Word file (.doc, and the mirror's .docx conversion).
``leyesbiblio-mobile``: the 'versión para dispositivo móvil' PDF, same grammar, the Cámara
lines on its first page only.
"""
from __future__ import annotations

from pathlib import Path

from lawgraph.corpus import sha256_file
from lawgraph.ingest import grammar as g
from lawgraph.ingest.base import Page
from lawgraph.ingest.furniture import LEYESBIBLIO_FURNITURE, strip_furniture
from lawgraph.ingest.profiles import ParserProfile
from lawgraph.ingest.structure import LEYESBIBLIO, structure
from lawgraph.model.law import ParsedLaw

# The Cámara line is among the first lines of page 1 (after at most three title lines, see
# furniture.py quirk 1); ten lines leave room for the mobile PDFs' longer first page head.
_HEAD_LINES = 10


def recognise(head: str) -> bool:
    return any(g.CAMARA_HEAD_RE.match(s) for s in head.split("\n")[:_HEAD_LINES])


def from_pages(path: Path, pages: list[Page]) -> ParsedLaw:
    lines = strip_furniture(pages, len(pages), LEYESBIBLIO_FURNITURE)
    return structure(lines, sha256=sha256_file(path), file=str(path), fmt="pdf",
                     pages=len(pages), profile=LEYESBIBLIO)


def from_word(path: Path) -> ParsedLaw:
    from lawgraph.ingest.word import parse_word

    return parse_word(path)


_EXPECTS = "la cabecera 'CÁMARA DE DIPUTADOS DEL H. CONGRESO DE LA UNIÓN' en la primera página"

PROFILES = (
    ParserProfile(name="leyesbiblio", formats=frozenset({"pdf", "doc", "docx"}), expects=_EXPECTS,
                  recognise=recognise, from_pages=from_pages, from_file=from_word,
                  default_for=frozenset({"doc", "docx"}), jurisdiction="mx"),
    ParserProfile(name="leyesbiblio-mobile", formats=frozenset({"pdf"}), expects=_EXPECTS,
                  from_pages=from_pages, jurisdiction="mx"),
)
