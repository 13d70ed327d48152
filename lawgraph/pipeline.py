"""Library verbs that tie the stages together: parse a file, ingest a document into a store.

A document is parsed completely before anything is written, so bad input never leaves a trace
in the store; the store's loader makes the write itself all-or-nothing for readers.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from lawgraph import corpus
from lawgraph.errors import ExtractionError, InputError
from lawgraph.model.law import ParsedLaw

PDF_MAGIC = b"%PDF-"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK\x03\x04"


def sniff_format(path: str | Path) -> str:
    """The format from the file's first bytes (never from its name); ExtractionError when unknown."""
    p = Path(path)
    try:
        # open() on a FIFO or a device waits for a writer forever: only regular files are read.
        if not stat.S_ISREG(os.stat(p).st_mode):
            raise ExtractionError(p, "no es un archivo regular (¿una tubería FIFO, un dispositivo "
                                     "o una carpeta?); indique un archivo PDF, .doc o .docx")
        with open(p, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise ExtractionError(p, f"no se puede leer el archivo: {exc.strerror or exc}") from exc
    if not head:
        raise ExtractionError(p, "el archivo está vacío (0 bytes)")
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(OLE2_MAGIC):
        return "doc"
    if head.startswith(ZIP_MAGIC):
        return "docx"
    if p.suffix.lower() in (".md", ".txt"):
        return "md"
    raise ExtractionError(p, "formato no reconocido: no es PDF, Word (.doc/.docx) ni Markdown")


def manifest_profile(path: str | Path) -> str | None:
    """The ``profile`` of the manifest entry whose sha256 is the file's, if any."""
    doc = corpus.find_by_sha(corpus.sha256_file(path))
    return doc.profile if doc is not None else None


def parse_file(path: str | Path, *, extractor: str = "pdfium", profile: str | None = None) -> ParsedLaw:
    """Parse one law file of any supported format. Raises InputError subclasses naming the file.

    The parser profile is ``profile`` when given, else the one the manifests name for this
    file (matched by hash), else the one that recognises the file's layout
    (:func:`lawgraph.ingest.profiles.select`).
    """
    from lawgraph.ingest import profiles

    p = Path(path)
    fmt = sniff_format(p)
    suffix = p.suffix.lower().lstrip(".")
    if suffix in ("pdf", "doc", "docx") and suffix != fmt:
        raise ExtractionError(p, f"la extensión .{suffix} no corresponde al contenido (es un archivo {fmt.upper()})")
    name = profile or manifest_profile(p)
    pages = None
    if fmt == "pdf":
        from lawgraph.ingest.extract import get_extractor

        pages = get_extractor(extractor).pages(str(p))
    if name is not None:
        try:
            prof = profiles.get(name)
        except InputError as exc:
            raise InputError(p, exc.problem) from exc
    else:
        head = pages[0].text if pages else (_text_head(p) if fmt == "md" else None)
        prof = profiles.select(p, fmt, head)
    return prof.read(p, fmt=fmt, pages=pages, extractor=extractor)


def _text_head(p: Path, size: int = 8192) -> str:
    with open(p, "rb") as f:
        return f.read(size).decode("utf-8", "replace")


@dataclass(frozen=True)
class LawMeta:
    """What the graph needs to know about a document beyond its text."""

    jurisdiction: str
    kind: str
    key: str
    title: str | None = None
    doc_id: str | None = None


def meta_for(path: str | Path, sha256: str, *, key: str | None = None, kind: str | None = None,
             jurisdiction: str | None = None) -> LawMeta:
    """Metadata from the manifests (matched by hash), else from the caller's options."""
    doc = corpus.find_by_sha(sha256)
    if doc and doc.is_law:
        return LawMeta(doc.jurisdiction, doc.kind or "ley", doc.law_key or "", doc.title, doc.id)
    if not key:
        raise InputError(
            path,
            "el documento no está en los manifiestos: indique --law-key (y --kind, --jurisdiction) para ingerirlo",
        )
    return LawMeta(jurisdiction or "mx", kind or "ley", key.lower())
