"""Expensive results shared by the whole test session (issue 13, point 8: CI runs every test).

Parsing a corpus PDF costs seconds (CPEUM: tens of seconds) and many test modules read the same
documents; the parse is deterministic and ``ParsedLaw`` is immutable (``Frozen``), so one parse
per (file, extractor) serves every test that only reads it. Tests about parsing itself (errors,
extractors, options other than the defaults) keep calling ``parse_pdf`` directly.

The linker's unit and index caches (keyed by the file's bytes and the parsing code's hash, see
``lawgraph.nlp.link_units``) are pointed at one directory for the session, so the corpus is
parsed once for all the tests that link the whole corpus.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from lawgraph.config import CHECKOUT_DIR
from lawgraph.ingest.leyesbiblio import parse_pdf
from lawgraph.model.law import ParsedLaw


@lru_cache(maxsize=None)
def _parsed(path: str, extractor: str) -> ParsedLaw:
    return parse_pdf(Path(path), extractor)


def parsed_pdf(path: str | Path, extractor: str = "pdfium") -> ParsedLaw:
    """``parse_pdf(path, extractor)`` with its default options, parsed once per session."""
    return _parsed(str(Path(path).resolve()), extractor)


@pytest.fixture(scope="session")
def link_cache() -> Path:
    """The linker cache every whole-corpus link test shares: the checkout's var/cache, the one
    test_link_guard already used (entries are keyed by content and code hash, so a stale entry
    is never read; a fresh clone starts it empty and fills it once)."""
    cache = CHECKOUT_DIR / "var" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    return cache


@lru_cache(maxsize=None)
def _parsed_file(path: str) -> ParsedLaw:
    from lawgraph.pipeline import parse_file

    return parse_file(Path(path))


def parsed_file(path: str | Path) -> ParsedLaw:
    """``lawgraph.pipeline.parse_file(path)`` (profile from the manifests or the layout), parsed
    once per session."""
    return _parsed_file(str(Path(path).resolve()))
