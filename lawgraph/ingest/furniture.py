"""Stage 2: page furniture removed, pages turned into :class:`Line` objects.

LeyesBiblio PDFs print a running head and a page counter on every page. The quirks handled
(5):

1. The law's short title is the first line of every page, above the Cámara line; long titles
   wrap onto two lines, so every line above the Cámara line is dropped (at most 3).
2. pdfium lays the head out as separate lines (title, Cámara, "Secretaría General",
   "Secretaría de Servicios Parlamentarios", "Última Reforma DOF dd-mm-yyyy"); pdfplumber
   joins "… CONGRESO DE LA UNIÓN Última Reforma DOF dd-mm-yyyy" on one line.
3. The "N de M" page counter is printed at the foot but pdfium emits it right after the head,
   pdfplumber as the page's last line; it is removed wherever it is among the first or last
   lines of the page and only when M equals the document's page count.
4. pdfplumber starts every page but the first with an empty line; pdfium ends wrapped lines
   with a space. Blank lines are dropped and every line is stripped, so both extractors
   produce the same lines.
5. "Mobile" LeyesBiblio PDFs have no running head; only their first page carries the Cámara
   lines and "Versión PDF para vista en dispositivo móvil Android y Apple iOS".

Each pattern in :data:`FURNITURE_RE` has a name so that a debug dump can say why a line went.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lawgraph.ingest import grammar as g
from lawgraph.ingest.base import Line, Page


@dataclass(frozen=True, slots=True)
class FurnitureProfile:
    """Where a publisher's running heads are: an anchor line near the top of the page,
    the lines allowed to follow it, and how many title lines may precede it."""

    anchor: re.Pattern[str] | None
    head_lines: tuple[tuple[str, re.Pattern[str]], ...]
    max_title_lines: int = 3
    head_window: int = 8
    page_counter: re.Pattern[str] | None = g.PAGE_COUNTER_RE
    # A running footer printed as the page's last line(s) (Durango: 'FECHA DE REV.…').
    footer: re.Pattern[str] | None = None


# Named patterns of the LeyesBiblio running head (order irrelevant).
FURNITURE_RE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("camara", g.CAMARA_HEAD_RE),
    ("secretaria_general", g.SECRETARIA_GENERAL_RE),
    ("servicios_parlamentarios", g.SERVICIOS_PARLAMENTARIOS_RE),
    ("ultima_reforma", g.ULTIMA_REFORMA_HEAD_RE),
    ("page_counter", g.PAGE_COUNTER_RE),
    ("mobile_version", g.MOBILE_VERSION_RE),
)

LEYESBIBLIO_FURNITURE = FurnitureProfile(anchor=g.CAMARA_HEAD_RE, head_lines=FURNITURE_RE)
NO_FURNITURE = FurnitureProfile(anchor=None, head_lines=(), page_counter=None)


# A justified line fills the measure to within a few points (pdfium's tight glyph boxes
# and pdfplumber's advance widths differ by under a point); a paragraph's last line stops
# well short. Between the two the layout is not trusted and the structurer falls back to
# punctuation, so that the two extractors cannot disagree on a borderline line.
# Measured on the corpus (2,179 pages): full lines end within 1.25 pt of the margin; a gap
# of exactly 3.0 pt is common (a last line ending in a narrow mark), so no threshold sits
# there. pdfplumber reports x to 0.1 pt, hence gaps are compared rounded to 0.1 pt.
FULL_LINE_MAX_GAP = 2.5      # points short of the page's right margin: still a full line
SHORT_LINE_MIN_GAP = 8.0     # points short of it: certainly a paragraph's (or item's) end
# A first-line indent is about 14 points; wrapped lines of one paragraph start within one.
INDENT_MIN = 8.0
# The line two above must start at the paragraph's margin too (not a right-aligned reform
# note, not a fracción label line further left): within this much right of the line above.
INDENT_CONTEXT_MAX = 20.0


def _split(page: Page) -> list[tuple[int, str, tuple[float, float] | None]]:
    """(offset, stripped text, (left x, right x) or None) of the page's non-blank lines."""
    out = []
    pos = 0
    text = page.text
    geo = page.line_x
    for k, raw in enumerate(text.split("\n")):
        s = raw.strip()
        if s:
            out.append((pos + (len(raw) - len(raw.lstrip())), s, geo[k] if geo is not None else None))
        pos += len(raw) + 1
    return out


def _ends_short(rows: list[tuple[int, str, tuple[float, float] | None]]
                ) -> list[tuple[int, str, bool | None, float | None]]:
    """(offset, text, ends short, left x) of content rows. The right margin is where the
    page's rightmost text line ends: not the running head, which each extractor lays out
    differently (pdfplumber joins two of its lines), nor a right-aligned reform note (its
    small font's boxes differ between extractors by a quarter point); a text line starts in
    the left half of the measure."""
    margin = max((g[1] for _, _, g in rows if g is not None and g[0] < g[1] / 2), default=0.0)
    out = []
    for off, s, g in rows:
        short = None
        if g is not None:
            gap = round(margin - g[1], 1)
            short = True if gap >= SHORT_LINE_MIN_GAP else False if gap <= FULL_LINE_MAX_GAP else None
        out.append((off, s, short, g[0] if g is not None else None))
    return out


def _lines(page: int, rows: list[tuple[int, str, bool | None, float | None]],
           above: list) -> list[Line]:
    """Content rows as lines, with first-line indents.

    ``above`` carries the layout context over page breaks (a paragraph may begin at the top
    of a page) and is updated in place: the (left x, ends short) of the last two content
    lines, then the left x of the last wrapped line (one that continues a full line above
    it, which is not a right-aligned reform note): the paragraphs' margin.

    A line is indented after a full line when it starts well right of it and the line above
    that one wrapped at the same margin (a paragraph's last line filled the measure), or
    when it starts where that full line started and both start well right of the margin (a
    one-line paragraph that fills the measure, then another paragraph).
    """
    out = []
    if not above:
        above.extend([(None, None), (None, None), None])
    for off, s, short, x0 in rows:
        indented = None
        (x_pp, s_pp), (x_p, s_p), margin = above
        if x0 is not None:
            indented = False
            if s_p is False and x_p is not None:
                if s_pp is False and x_pp is not None:
                    indented = (x0 >= x_p + INDENT_MIN
                                and x_p - 2.0 <= x_pp <= x_p + INDENT_CONTEXT_MAX)
                if not indented and margin is not None:
                    indented = abs(x0 - x_p) < 2.0 and x_p >= margin + INDENT_MIN
            if s_p is False and x_p is not None and x_p <= x0 + INDENT_CONTEXT_MAX:
                margin = x0
        out.append(Line(page, s, off, short, indented))
        above[:] = [(x_p, s_p), (x0, short), margin]
    return out


def strip_page(page: Page, total_pages: int, profile: FurnitureProfile = LEYESBIBLIO_FURNITURE,
               above: list | None = None,
               ) -> tuple[list[Line], dict[str, str]]:
    """The page's content lines and the furniture found ({name: text}). ``above``: the
    layout of the last two content lines of the previous page (see :func:`_lines`)."""
    rows = _split(page)
    found: dict[str, str] = {}
    drop: set[int] = set()
    if profile.anchor is not None:
        window = rows[: profile.head_window]
        anchor_i = next((i for i, (_, s, _) in enumerate(window[: profile.max_title_lines + 1])
                         if profile.anchor.match(s)), None)
        if anchor_i is not None:
            if anchor_i:
                found["title"] = " ".join(s for _, s, _ in rows[:anchor_i])
            drop.update(range(anchor_i + 1))
            found["camara"] = rows[anchor_i][1]
            i = anchor_i + 1
            while i < len(rows) and i < profile.head_window:
                s = rows[i][1]
                name = next((n for n, rx in profile.head_lines if rx.match(s)), None)
                if name is None:
                    break
                if name == "page_counter" and not _is_counter(s, total_pages):
                    break
                found[name] = s
                drop.add(i)
                i += 1
    if profile.page_counter is not None and "page_counter" not in found:
        for i in range(len(rows) - 1, max(-1, len(rows) - 3), -1):
            if i not in drop and _is_counter(rows[i][1], total_pages):
                found["page_counter"] = rows[i][1]
                drop.add(i)
                break
    if profile.footer is not None:
        for i in range(len(rows) - 1, max(-1, len(rows) - 3), -1):
            if i not in drop and profile.footer.match(rows[i][1]):
                found["footer"] = rows[i][1]
                drop.add(i)
    lines = _lines(page.number, _ends_short([r for i, r in enumerate(rows) if i not in drop]),
                   above if above is not None else [])
    return lines, found


def _is_counter(s: str, total: int) -> bool:
    m = g.PAGE_COUNTER_RE.match(s)
    return bool(m) and int(m.group("m")) == total and 1 <= int(m.group("n")) <= total


def strip_furniture(pages: Iterable[Page], total_pages: int | None = None,
                    profile: FurnitureProfile = LEYESBIBLIO_FURNITURE,
                    head: dict[str, str] | None = None) -> list[Line]:
    """All content lines of a document, in order. ``head`` (if given) receives the first
    page's furniture (running title, 'Última Reforma DOF …')."""
    pages = list(pages)
    total = total_pages if total_pages is not None else len(pages)
    out: list[Line] = []
    above: list = []
    for page in pages:
        lines, found = strip_page(page, total, profile, above)
        if head is not None and found and not head:
            head.update(found)
        out.extend(lines)
    return out
