"""One exception tree for lawgraph.

Library code raises these; only the edges (CLI exit codes, HTTP errors) translate them.
Every error that concerns a file names the file.
"""
from __future__ import annotations

from pathlib import Path


class LawgraphError(Exception):
    """Root of every error lawgraph raises on purpose."""

    exit_code = 1


class ConfigError(LawgraphError):
    """Bad settings or a missing mirror directory."""


class InputError(LawgraphError):
    """A document that cannot be ingested. Always names the file and what is wrong."""

    exit_code = 2

    def __init__(self, path: str | Path | None, problem: str):
        self.path = str(path) if path is not None else None
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path else problem)


class ExtractionError(InputError):
    """The file could not be turned into text (empty, truncated, encrypted, scanned, not a PDF)."""


class ParseError(InputError):
    """The text was read but does not have the grammar of the expected document."""


class HashMismatchError(InputError):
    """A file's sha256 differs from the one its manifest states."""


class CorpusError(LawgraphError):
    """A manifest entry cannot be resolved or fetched."""


class StoreError(LawgraphError):
    """The graph store failed (server did not start, query rejected)."""

    exit_code = 3
