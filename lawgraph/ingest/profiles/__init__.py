"""Registry of parser profiles: one module per publisher format.

A manifest entry's ``profile`` (``corpora/*.toml``) names the profile that reads the file;
a file outside the manifests is read by the profile that recognises its layout (the first
page of a PDF, the opening of a Markdown file) or, for Word, by the format's default
profile. Adding a jurisdiction's format = one module in this package that defines
``PROFILES`` (a tuple of :class:`ParserProfile`) plus its manifest; see
docs/adding_a_state.md.

    get("durango").read(path, extractor="pdfium")   # -> ParsedLaw
    select(path, fmt, head_text)                      # profile for a file not in a manifest
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from lawgraph.errors import InputError, ParseError
from lawgraph.ingest.base import Page
from lawgraph.model.law import ParsedLaw


@dataclass(frozen=True)
class ParserProfile:
    """How one publisher's files become a :class:`ParsedLaw`.

    ``recognise`` gets the text of a PDF's first page (or the first characters of a text
    file) and says whether the layout is this publisher's; ``expects`` says in Spanish what
    it looks for, for the error when nothing recognises a file. ``from_pages`` reads a PDF
    whose pages are already extracted; ``from_file`` reads any other format.
    """

    name: str
    formats: frozenset[str]
    expects: str
    recognise: Callable[[str], bool] | None = None
    from_pages: Callable[[Path, list[Page]], ParsedLaw] | None = None
    from_file: Callable[[Path], ParsedLaw] | None = None
    default_for: frozenset[str] = field(default_factory=frozenset)  # formats read by default
    jurisdiction: str | None = None        # 'mx', 'mx-dgo' (None: several)

    def read(self, path: str | Path, *, fmt: str, pages: list[Page] | None = None,
             extractor: str = "pdfium") -> ParsedLaw:
        p = Path(path)
        if fmt not in self.formats:
            raise InputError(p, f"el perfil {self.name} no lee archivos {fmt} "
                                f"(lee: {', '.join(sorted(self.formats))})")
        if fmt == "pdf" and self.from_pages is not None:
            if pages is None:
                from lawgraph.ingest.extract import get_extractor

                pages = get_extractor(extractor).pages(str(p))
            return self.from_pages(p, pages)
        if self.from_file is None:
            raise InputError(p, f"el perfil {self.name} no tiene lector para {fmt}")
        return self.from_file(p)


_REGISTRY: dict[str, ParserProfile] = {}


def _load() -> dict[str, ParserProfile]:
    """Every profile module of this package, imported once, in module-name order."""
    if not _REGISTRY:
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
            mod = importlib.import_module(f"{__name__}.{info.name}")
            for prof in getattr(mod, "PROFILES", ()):
                if prof.name in _REGISTRY:
                    raise RuntimeError(f"perfil de lectura duplicado: {prof.name} ({info.name})")
                _REGISTRY[prof.name] = prof
    return _REGISTRY


def names() -> list[str]:
    return sorted(_load())


def get(name: str) -> ParserProfile:
    """The profile called ``name``; InputError listing the known ones when there is none."""
    reg = _load()
    if name not in reg:
        raise InputError(None, f"perfil de lectura desconocido: {name!r} (conocidos: {', '.join(sorted(reg))})")
    return reg[name]


def select(path: str | Path, fmt: str, head: str | None) -> ParserProfile:
    """The profile for a file no manifest describes: the one that recognises ``head`` (the
    first page's text), else the format's default when the format is not recognised by
    layout. ParseError naming the file and every layout looked for when none matches."""
    reg = _load()
    candidates = [p for p in reg.values() if fmt in p.formats]
    if head is not None:
        for prof in candidates:
            if prof.recognise is not None and prof.recognise(head):
                return prof
    by_layout = [p for p in candidates if p.recognise is not None]
    if head is None or not by_layout:
        for prof in candidates:
            if fmt in prof.default_for:
                return prof
    if not by_layout:
        raise ParseError(path, f"ningún perfil de lectura lee el formato {fmt}")
    wanted = "; ".join(f"{p.name}: {p.expects}" for p in by_layout)
    raise ParseError(path, f"maquetación no reconocida: ningún perfil reconoce la primera página ({wanted})")
