"""Stage 1: PDF -> pages of raw text.

Two extractors with one contract (:class:`lawgraph.ingest.base.Extractor`):

* ``pdfium`` (default): pypdfium2's text layer, fast (hundreds of pages/s).
* ``pdfplumber``: pdfminer-based layout analysis, about 60x slower, kept as an independent
  second reading of the same file (the structure must come out identical).

Both give each page's line geometry (``Page.line_x``: left and right x of every line, from
the same advance-width boxes) so that stage 2 can tell a paragraph's last line from a
wrapped one. Both refuse bad input with :class:`lawgraph.errors.ExtractionError` naming the file and the
problem: empty file, not a PDF (a Word file renamed ``.pdf``), truncated or corrupt PDF,
encrypted PDF, and a PDF without a text layer (a scan).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from lawgraph.errors import ExtractionError
from lawgraph.ingest.base import Extractor, Page

# Magic numbers of what people most often rename to .pdf by mistake.
_MAGIC = {
    b"\xd0\xcf\x11\xe0": "un documento de Word 97-2003 (.doc) u otro archivo OLE de Office",
    b"PK\x03\x04": "un archivo ZIP (p. ej. un documento .docx)",
    b"{\\rtf": "un documento RTF",
    b"<!DOC": "una página HTML",
    b"<html": "una página HTML",
}
# A page counts as having text when it carries at least this many non-blank characters; a
# scanned law has none (or a stray OCR-less page number), a real LeyesBiblio page hundreds.
MIN_CHARS_PER_TEXT_PAGE = 20
# Fraction of pages that must carry text; title pages or blank separators are tolerated.
MIN_TEXT_PAGE_RATIO = 0.5

# pdfium ends lines with '\r\n' and marks a word broken at a hyphen at the end of a line
# with U+FFFE without breaking the line there; pdfplumber prints '-' and breaks. Both
# become '-' + line break (see _clean).


def _check_file(path: str | Path) -> Path:
    p = Path(path)
    if not p.exists():
        raise ExtractionError(p, "el archivo no existe")
    if p.is_dir():
        raise ExtractionError(p, "es un directorio, no un archivo PDF")
    size = p.stat().st_size
    if size == 0:
        raise ExtractionError(p, "el archivo está vacío (0 bytes)")
    with open(p, "rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - 2048))
        tail = fh.read()
    if not head.lstrip()[:5].startswith(b"%PDF-") and b"%PDF-" not in head:
        for magic, what in _MAGIC.items():
            if head.startswith(magic) or head.lstrip().lower().startswith(magic.lower()):
                raise ExtractionError(p, f"no es un PDF: parece {what}")
        raise ExtractionError(p, "no es un PDF (falta la cabecera %PDF-)")
    if b"%%EOF" not in tail:
        raise ExtractionError(p, "PDF truncado o dañado: falta el marcador final %%EOF")
    return p


def _check_text(p: Path, pages: list[Page]) -> list[Page]:
    if not pages:
        raise ExtractionError(p, "el PDF no tiene páginas")
    with_text = sum(1 for pg in pages if _has_text(pg.text))
    if with_text / len(pages) < MIN_TEXT_PAGE_RATIO:
        raise ExtractionError(
            p,
            f"el PDF no tiene capa de texto ({with_text} de {len(pages)} páginas con texto): "
            "parece un documento escaneado; hace falta OCR",
        )
    return pages


def _has_text(text: str) -> bool:
    if len(text) > 4 * MIN_CHARS_PER_TEXT_PAGE:      # a real page: no need to count
        return len(text.strip()) > 0 and sum(not c.isspace() for c in text[:400]) >= MIN_CHARS_PER_TEXT_PAGE
    return sum(not c.isspace() for c in text) >= MIN_CHARS_PER_TEXT_PAGE


def _clean(text: str) -> str:
    # str.replace is several times faster than str.translate on long pages
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\ufffe" in text:
        text = text.replace("\ufffe", "-\n")
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text


# pdfium's raw line breaks: '\r\n' (and, defensively, a lone '\r' or '\n') and U+FFFE (a
# hyphen ending a line); the same breaks _clean turns into '\n'.
_PDFIUM_BREAK_RE = re.compile(r"\r\n|\r|\n|\ufffe")


def _pdfium_line_x(tp, raw: str, lines: int) -> tuple[tuple[float, float] | None, ...] | None:
    """(left, right) of each line of the page's cleaned text, from the boxes of its first and
    last visible characters; the "loose" boxes (font advance widths, not glyph ink), which
    are what pdfplumber measures, so both extractors see the same margins; None when the text cannot be aligned with pdfium's character
    indices (a character outside the BMP counts twice in pdfium's UTF-16 index)."""
    if tp.count_chars() != len(raw) or "\x00" in raw:
        return None
    get_box = _pdfium_c().FPDFText_GetLooseCharBox
    box = _box()
    handle = tp.raw
    out: list[tuple[float, float] | None] = []
    if "\ufffe" in raw or raw.count("\r") != raw.count("\n") or raw.count("\r") != raw.count("\r\n"):
        ends = [(m.start(), m.end(), m.group() == "\ufffe") for m in _PDFIUM_BREAK_RE.finditer(raw)]
    else:                                # the common case: only '\r\n' breaks
        ends = []
        k = raw.find("\r\n")
        while k >= 0:
            ends.append((k, k + 2, False))
            k = raw.find("\r\n", k + 2)
    ends.append((len(raw), len(raw), False))
    pos = 0
    for end, nxt, hyphen in ends:
        seg = raw[pos:end]
        a = len(seg) - len(seg.lstrip())
        b = len(seg) if hyphen else len(seg.rstrip()) - 1   # a hyphen ends the line visibly
        if b < a:
            out.append(None)
        else:
            get_box(handle, pos + a, box)
            x0 = box.left
            get_box(handle, pos + b, box)
            out.append((x0, box.right))
        pos = nxt
    return tuple(out) if len(out) == lines else None


def _pdfium_c():
    import pypdfium2.raw as pdfium_c

    return pdfium_c


_BOXES: list = []


def _box():
    """The out-parameter of FPDFText_GetLooseCharBox, reused (pdfium is single-threaded)."""
    if not _BOXES:
        _BOXES.append(_pdfium_c().FS_RECTF())
    return _BOXES[0]


def _pdfium_range(path: str, first: int, last: int) -> list[Page]:
    """Pages first..last-1 (0-based) with line geometry; runs in a worker process."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        out = []
        for i in range(first, last):
            page = pdf[i]
            tp = page.get_textpage()
            raw = tp.get_text_range()
            text = _clean(raw)
            out.append(Page(i + 1, text, _pdfium_line_x(tp, raw, text.count("\n") + 1)))
            tp.close()
            page.close()
        return out
    finally:
        pdf.close()


class PdfiumExtractor:
    """pypdfium2 text extraction (the default).

    pdfium is not thread-safe; with ``workers`` > 1 a long PDF (``parallel_min_pages`` or
    more) is read by that many forked processes, each on its own page range. The default is
    one process: forking a process that runs other threads (a store client, a web server) is
    not safe, and bulk ingest spreads whole files over processes instead.
    """

    name = "pdfium"

    def __init__(self, workers: int = 1, parallel_min_pages: int = 120):
        self.workers = max(1, workers)
        self.parallel_min_pages = parallel_min_pages

    def pages(self, path: str | Path) -> list[Page]:
        import pypdfium2 as pdfium

        p = _check_file(path)
        try:
            pdf = pdfium.PdfDocument(str(p))
        except pdfium.PdfiumError as exc:
            msg = str(exc)
            if "password" in msg.lower() or "security" in msg.lower():
                raise ExtractionError(p, "el PDF está cifrado (protegido con contraseña)") from exc
            raise ExtractionError(p, f"PDF dañado o truncado: pdfium no puede abrirlo ({msg})") from exc
        n = len(pdf)
        pdf.close()
        try:
            if self.workers > 1 and n >= self.parallel_min_pages:
                pages = self._parallel(str(p), n)
            else:
                pages = _pdfium_range(str(p), 0, n)
        except pdfium.PdfiumError as exc:
            raise ExtractionError(p, f"PDF dañado: error al leer el texto ({exc})") from exc
        return _check_text(p, pages)

    def _parallel(self, path: str, n: int) -> list[Page]:
        return _in_processes(_pdfium_range, path, n, self.workers)


def _plumber_page(number: int, pg) -> Page:
    """A pdfplumber page with line geometry: ``extract_text_lines`` clusters the characters
    as ``extract_text`` does, so its lines are the text's non-blank lines, in order."""
    text = _clean(pg.extract_text() or "")
    rows = pg.extract_text_lines(return_chars=False)
    line_x: list[tuple[float, float] | None] = []
    k = 0
    for ln in text.split("\n"):
        if not ln.strip():
            line_x.append(None)
            continue
        if k < len(rows) and _clean(rows[k]["text"]).strip() == ln.strip():
            line_x.append((round(rows[k]["x0"], 1), round(rows[k]["x1"], 1)))
            k += 1
        else:                            # the two clusterings disagree: no geometry
            return Page(number, text)
    return Page(number, text, tuple(line_x) if k == len(rows) else None)


def _plumber_range(path: str, first: int, last: int) -> list[Page]:
    """pdfplumber pages first..last-1 (0-based); runs in a worker process."""
    import pdfplumber

    with pdfplumber.open(path, pages=list(range(first + 1, last + 1))) as pdf:
        return [_plumber_page(first + i + 1, pg) for i, pg in enumerate(pdf.pages)]


class PlumberExtractor:
    """pdfplumber (pdfminer.six) text extraction: slow, independent second reading.

    With ``workers`` > 1 a PDF of ``parallel_min_pages`` or more is read by that many forked
    processes, each on its own page range, as :class:`PdfiumExtractor` does (same caveat: one
    process by default). pdfplumber reads a page from the page's own objects, so the ranges give
    the pages one process gives (tested)."""

    name = "pdfplumber"

    # 40 pages: pdfplumber reads about 10 pages/s here (tests/PROFILE.md), so a shorter file is
    # done in the time a forked process and its second opening of the PDF take to pay off.
    def __init__(self, workers: int = 1, parallel_min_pages: int = 40):
        self.workers = max(1, workers)
        self.parallel_min_pages = parallel_min_pages

    def pages(self, path: str | Path) -> list[Page]:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError

        p = _check_file(path)
        try:
            with pdfplumber.open(str(p)) as pdf:
                n = len(pdf.pages)
                out = None if self.workers > 1 and n >= self.parallel_min_pages else \
                    [_plumber_page(i + 1, pg) for i, pg in enumerate(pdf.pages)]
            if out is None:
                out = self._parallel(str(p), n)
        except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
            raise ExtractionError(p, "el PDF está cifrado (protegido con contraseña)") from exc
        except PDFSyntaxError as exc:
            raise ExtractionError(p, f"PDF dañado o truncado ({exc})") from exc
        except ExtractionError:
            raise
        except Exception as exc:  # pdfminer raises many unrelated types on broken files
            # pdfplumber wraps pdfminer's error in PdfminerException(original)
            inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
            name = type(inner).__name__
            if "Password" in name or "Encrypt" in name:
                raise ExtractionError(p, "el PDF está cifrado (protegido con contraseña)") from exc
            raise ExtractionError(p, f"PDF dañado: pdfplumber no puede leerlo ({name}: {exc})") from exc
        return _check_text(p, out)

    def _parallel(self, path: str, n: int) -> list[Page]:
        return _in_processes(_plumber_range, path, n, self.workers)


def _in_processes(read, path: str, n: int, k: int) -> list[Page]:
    """``read(path, first, last)`` over ``k`` page ranges: this process reads the first, forked
    processes the others (serially where fork does not exist)."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    bounds = [(n * j // k, n * (j + 1) // k) for j in range(k)]
    try:
        ctx = mp.get_context("fork")
    except ValueError:                 # platforms without fork: read serially
        return read(path, 0, n)
    with ProcessPoolExecutor(k - 1, mp_context=ctx) as ex:
        futs = [ex.submit(read, path, a, b) for a, b in bounds[1:]]
        pages = read(path, *bounds[0])
        for f in futs:
            pages.extend(f.result())
    return pages


EXTRACTORS: dict[str, type] = {"pdfium": PdfiumExtractor, "pdfplumber": PlumberExtractor}


def get_extractor(name: str = "pdfium", **options) -> Extractor:
    """The extractor called ``name`` ('pdfium' or 'pdfplumber'); ``options`` go to its
    constructor (``workers=2`` to read a long PDF in two processes)."""
    try:
        cls = EXTRACTORS[name]
    except KeyError:
        from lawgraph.errors import ConfigError

        raise ConfigError(
            f"extractor desconocido {name!r}; opciones: {', '.join(sorted(EXTRACTORS))}"
        ) from None
    return cls(**options)


def default_workers() -> int:
    """Processes used to extract a long PDF in parallel (at most 2: the target machine)."""
    return max(1, min(2, os.cpu_count() or 1))
