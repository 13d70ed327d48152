"""Contracts between the ingest stages.

Stage 1 (an extractor) turns a file into ``Page`` objects: the page's raw text.
Stage 2 (furniture) turns pages into ``Line`` objects with running heads / footers removed.
Stage 3 (a structurer) turns lines into a :class:`lawgraph.model.law.ParsedLaw`.
Word files have no pages: their readers emit lines with ``page=None``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(slots=True, frozen=True)
class Page:
    number: int          # 1-based
    text: str            # lines separated by '\n' (no '\r')
    # Optional layout: for each '\n'-separated line of ``text``, the (left, right) x of its
    # first and last visible character in points, or None for a blank line. None when the
    # extractor gives no geometry (or could not align it with the text).
    line_x: tuple[tuple[float, float] | None, ...] | None = None


@dataclass(slots=True, frozen=True)
class Line:
    page: int | None     # 1-based page, None for page-less formats
    text: str            # stripped of trailing whitespace
    start: int           # char offset of the line in its page's text (or in the whole text)
    # Layout: True when the line ends short of the right margin (the last line of a justified
    # paragraph, or a Word paragraph's end), False when it fills the line; None when unknown
    # (then the structurer falls back to punctuation).
    ends_short: bool | None = None
    # Layout: True when the line starts a first-line indent (it starts well right of the
    # full line above it, which continued a paragraph at the same margin); None when unknown.
    indented: bool | None = None


class Extractor(Protocol):
    name: str

    def pages(self, path: str) -> list[Page]:
        """All pages of a PDF, or raise ExtractionError naming the file and problem."""
        ...
