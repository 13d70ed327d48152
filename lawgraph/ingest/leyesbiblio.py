"""LeyesBiblio (Cámara de Diputados) PDFs: the profile and the end-to-end entry point.

    parse_pdf("../shared/corpora/laws/federal/lgamvlv.pdf")            # pdfium (default)
    parse_pdf(path, extractor="pdfplumber")                              # same structure

Stages: :mod:`extract` (pages) -> :mod:`furniture` (lines) -> :mod:`structure` (ParsedLaw).
"""
from __future__ import annotations

from pathlib import Path

from lawgraph.corpus import sha256_file
from lawgraph.ingest.extract import get_extractor
from lawgraph.ingest.furniture import LEYESBIBLIO_FURNITURE, strip_furniture
from lawgraph.ingest.structure import LEYESBIBLIO, Profile, structure
from lawgraph.model.law import ParsedLaw

__all__ = ["LEYESBIBLIO", "parse_pdf"]




def parse_pdf(path: str | Path, extractor: str = "pdfium", *, profile: Profile = LEYESBIBLIO,
              workers: int = 1) -> ParsedLaw:
    """Read a LeyesBiblio PDF end to end.

    ``workers`` > 1 lets the extractor read a long PDF in that many forked processes.
    Raises ExtractionError (unreadable file) or ParseError (readable, but not a law).
    """
    path = Path(path)
    ext = get_extractor(extractor, workers=workers)
    pages = ext.pages(str(path))
    if profile is LEYESBIBLIO:
        from lawgraph.ingest.profiles.leyesbiblio import from_pages

        return from_pages(path, pages)
    lines = strip_furniture(pages, len(pages), LEYESBIBLIO_FURNITURE)
    return structure(lines, sha256=sha256_file(path), file=str(path), fmt="pdf",
                     pages=len(pages), profile=profile)
