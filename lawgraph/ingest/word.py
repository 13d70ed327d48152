"""Stage 1+2 for Word files: a ``.docx`` or Word 97 ``.doc`` turned into ``Line`` objects.

Word files have no pages and no page furniture (running heads live in separate header /
footer parts, which are not read), so the readers emit the body text directly as lines
with ``page=None`` and ``start`` = the line's offset in the whole text (the lines joined by
``'\\n'``). The shared LeyesBiblio structurer then turns them into the same ``ParsedLaw``
as the publisher's PDF.

One Word paragraph becomes one line (a PDF wraps it over several; the structurer joins
wrapped lines anyway), a soft line break (``<w:br/>``) starts a new line, as it does in the
PDF. What Word adds and the PDF does not show is normalised away here, once, for both
readers (:func:`_clean`):

- tabs after fracción / inciso labels (``"I. \\tFomentar"``) and first-line indents;
- non-breaking, narrow and other fixed-width spaces, zero-width marks, soft hyphens;
- runs of spaces (Word justifies with them in a few places);
- empty paragraphs (Word's paragraph spacing), which the PDF does not have as lines;
- automatic list numbering, rendered into the text as the PDF prints it (the LeyesBiblio
  files carry numbering definitions whose format is ``none``, so nothing is added there).

Quotes are left alone: the publisher's PDF and Word files use the same characters.

``.doc`` is read through the Debian program ``antiword`` (``-w 0``: a paragraph per line,
soft breaks kept); its tables come out as ``|cell|cell|`` lines wrapped at the column width,
which :func:`_antiword_lines` folds back into one line per column.
"""
from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from lawgraph.errors import ExtractionError
from lawgraph.ingest.base import Line
from lawgraph.corpus import sha256_file
from lawgraph.ingest.leyesbiblio import LEYESBIBLIO
from lawgraph.ingest.structure import Profile, structure
from lawgraph.model.law import ParsedLaw

__all__ = ["docx_lines", "doc_lines", "word_lines", "sniff_word_format", "parse_word"]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF"

# A docx's document.xml beyond this is not a law but a zip bomb or a mistake.
MAX_DOCUMENT_XML_BYTES = 256 * 1024 * 1024
ANTIWORD_TIMEOUT_S = 300

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
W_P, W_T, W_TAB, W_PTAB, W_BR, W_CR = (_W + t for t in ("p", "t", "tab", "ptab", "br", "cr"))
W_NBH, W_SOFTH, W_SYM = _W + "noBreakHyphen", _W + "softHyphen", _W + "sym"
W_TBL, W_TR, W_TC = _W + "tbl", _W + "tr", _W + "tc"
W_SDT, W_SDTCONTENT, W_TXBX = _W + "sdt", _W + "sdtContent", _W + "txbxContent"
W_PPR, W_PSTYLE, W_NUMPR, W_ILVL, W_NUMID = (
    _W + t for t in ("pPr", "pStyle", "numPr", "ilvl", "numId")
)
W_VAL = _W + "val"
W_R, W_VANISH = _W + "r", _W + "vanish"
# Text that Word keeps in the file but does not show: the losing branch of a
# markup-compatibility choice, and text moved away or deleted under change tracking.
_HIDDEN_CONTAINERS = (_MC + "Fallback", _W + "moveFrom", _W + "del")
# Block-level wrappers whose children are paragraphs / tables in reading order.
_BLOCK_WRAPPERS = {
    W_SDT, W_SDTCONTENT, _W + "customXml", _W + "ins", _W + "moveTo", _W + "smartTag",
}
_INLINE_TAGS = (W_T, W_TAB, W_PTAB, W_BR, W_CR, W_NBH, W_SOFTH, W_SYM)

# Tabs, non-breaking and fixed-width spaces are all str.isspace(), so splitting on
# whitespace folds them into plain spaces. What prints as nothing (soft hyphen, zero-width
# marks) or as a plain hyphen is mapped separately, only in the rare line that has one.
_ODD_CHARS = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\u2011]")
_ODD_TABLE = {0xAD: None, 0x200B: None, 0x200C: None, 0x200D: None, 0x2060: None, 0xFEFF: None,
              0x2011: "-"}  # U+2011 non-breaking hyphen
_LINE_SPLIT = re.compile(r"[\n\r\f\v\u2028\u2029]")

# antiword renders a table row as '|cell|cell|' padded to the column widths, wrapping
# long cells over several such lines.
_ANTIWORD_TABLE_LINE = re.compile(r"^\|(?P<cells>.*)\|\s*$")


def _clean(text: str) -> str:
    """One line of Word text as the PDF prints it: Word-only spacing removed, spaces folded."""
    if _ODD_CHARS.search(text):
        text = text.translate(_ODD_TABLE)
    return " ".join(text.split())


def _to_lines(paragraphs: Iterable[str]) -> list[Line]:
    """Split paragraphs at soft breaks, clean each piece, drop empty ones, number offsets."""
    out: list[Line] = []
    offset = 0
    for para in paragraphs:
        for piece in _LINE_SPLIT.split(para):
            text = _clean(piece)
            if not text:
                continue
            # a Word paragraph (or a piece before a soft break) ends its line by definition
            out.append(Line(page=None, text=text, start=offset, ends_short=True))
            offset += len(text) + 1
    return out


# --------------------------------------------------------------------------- sniffing

def sniff_word_format(path: str | Path) -> str:
    """Return ``"doc"`` or ``"docx"`` from the file's content, checked against its extension.

    Raises ExtractionError naming the file when it is empty, not a Word file, or its
    extension says one Word format while the content is the other (or not Word at all).
    """
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise ExtractionError(p, "el archivo no existe") from None
    except IsADirectoryError:
        raise ExtractionError(p, "es un directorio, no un archivo de Word") from None
    except OSError as exc:
        raise ExtractionError(p, f"no se pudo leer el archivo ({exc.strerror})") from None
    if not head:
        raise ExtractionError(p, "el archivo está vacío")
    if head.startswith(OLE2_MAGIC):
        content = "doc"
    elif head.startswith(ZIP_MAGIC):
        content = "docx"
    elif head.startswith(PDF_MAGIC):
        raise ExtractionError(p, "es un PDF, no un archivo de Word (.doc / .docx)")
    else:
        raise ExtractionError(
            p, "no es un archivo de Word: no tiene la firma de .doc (OLE2) ni de .docx (ZIP)"
        )
    suffix = p.suffix.lower()
    if suffix in (".doc", ".docx") and suffix[1:] != content:
        raise ExtractionError(
            p,
            f"la extensión es {suffix} pero el contenido es un archivo "
            f"{'Word 97-2003 (.doc)' if content == 'doc' else 'Word 2007+ (.docx)'}",
        )
    if suffix not in ("", ".doc", ".docx"):
        raise ExtractionError(
            p, f"la extensión {suffix} no corresponde al contenido, que es un archivo .{content}"
        )
    return content


# --------------------------------------------------------------------------- .docx

def _xml(data: bytes, path: Path, part: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ExtractionError(path, f"la parte {part} del .docx no es XML válido ({exc})") from None


def _main_part_name(zf: zipfile.ZipFile) -> str:
    """The main document part named by the package relationships (word/document.xml
    in practice; some producers name it otherwise)."""
    names = set(zf.namelist())
    if "_rels/.rels" in names:
        try:
            rels = etree.fromstring(zf.read("_rels/.rels"),
                                    etree.XMLParser(resolve_entities=False, no_network=True))
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError):
            rels = None
        if rels is not None:
            for rel in rels:
                if rel.get("Type") == _REL_OFFICE_DOCUMENT:
                    target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                    if target in names:
                        return target
    return "word/document.xml"


class _Numbering:
    """Automatic paragraph numbering (numbering.xml + styles.xml) rendered as text.

    Only what a law can print as a label is rendered: decimal, roman and letter formats;
    bullets and ``none`` give no text.
    """

    _FORMATS = {"decimal", "decimalZero", "upperRoman", "lowerRoman", "upperLetter", "lowerLetter"}

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None):
        self.levels: dict[tuple[str, int], dict[str, Any]] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.counters: dict[str, list[int]] = {}
        if numbering is not None:
            abstract: dict[str, dict[int, dict[str, Any]]] = {}
            for an in numbering.iter(_W + "abstractNum"):
                lv: dict[int, dict[str, Any]] = {}
                for lvl in an.iter(_W + "lvl"):
                    lv[int(lvl.get(_W + "ilvl", "0"))] = self._level(lvl)
                abstract[an.get(_W + "abstractNumId", "")] = lv
            for num in numbering.iter(_W + "num"):
                num_id = num.get(_W + "numId", "")
                ref = num.find(_W + "abstractNumId")
                lv = dict(abstract.get(ref.get(W_VAL, "") if ref is not None else "", {}))
                for ov in num.iter(_W + "lvlOverride"):
                    il = int(ov.get(_W + "ilvl", "0"))
                    lvl = ov.find(_W + "lvl")
                    if lvl is not None:
                        lv[il] = self._level(lvl)
                    so = ov.find(_W + "startOverride")
                    if so is not None and il in lv:
                        lv[il] = {**lv[il], "start": int(so.get(W_VAL, "1"))}
                for il, spec in lv.items():
                    self.levels[(num_id, il)] = spec
        if styles is not None:
            based: dict[str, str] = {}
            for st in styles.iter(_W + "style"):
                sid = st.get(_W + "styleId", "")
                b = st.find(_W + "basedOn")
                if b is not None:
                    based[sid] = b.get(W_VAL, "")
                npr = st.find(f"{W_PPR}/{W_NUMPR}")
                if npr is not None:
                    self.style_num[sid] = self._numpr(npr)
            # Inherit numbering through basedOn chains (bounded against cycles).
            for sid in list(based):
                cur, seen = sid, 0
                while cur not in self.style_num and cur in based and seen < 20:
                    cur, seen = based[cur], seen + 1
                if cur in self.style_num and sid not in self.style_num:
                    self.style_num[sid] = self.style_num[cur]

    @staticmethod
    def _level(lvl: etree._Element) -> dict[str, Any]:
        def val(tag: str, default: str) -> str:
            e = lvl.find(_W + tag)
            return e.get(W_VAL, default) if e is not None else default

        return {
            "start": int(val("start", "1")),
            "fmt": val("numFmt", "decimal"),
            "text": val("lvlText", ""),
            "suff": val("suff", "tab"),
        }

    @staticmethod
    def _numpr(npr: etree._Element) -> tuple[str | None, int | None]:
        nid = npr.find(W_NUMID)
        il = npr.find(W_ILVL)
        return (nid.get(W_VAL) if nid is not None else None,
                int(il.get(W_VAL, "0")) if il is not None else None)

    @property
    def active(self) -> bool:
        return any(s["fmt"] in self._FORMATS for s in self.levels.values())

    def label(self, p: etree._Element) -> str:
        """The rendered number of paragraph ``p`` ('' when it has none); advances counters."""
        ppr = p.find(W_PPR)
        num_id: str | None = None
        ilvl: int | None = None
        if ppr is not None:
            ps = ppr.find(W_PSTYLE)
            if ps is not None and ps.get(W_VAL) in self.style_num:
                num_id, ilvl = self.style_num[ps.get(W_VAL)]
            npr = ppr.find(W_NUMPR)
            if npr is not None:
                n, i = self._numpr(npr)
                num_id = n if n is not None else num_id
                ilvl = i if i is not None else ilvl
        if not num_id or num_id == "0":
            return ""
        ilvl = ilvl or 0
        spec = self.levels.get((num_id, ilvl))
        if spec is None:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 9)
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else spec["start"]
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        if spec["fmt"] not in self._FORMATS:
            return ""

        def render(match: re.Match[str]) -> str:
            lvl = int(match.group(1)) - 1
            s = self.levels.get((num_id, lvl), spec)
            n = counts[lvl] or s["start"]
            return _format_number(n, s["fmt"])

        text = re.sub(r"%([1-9])", render, spec["text"])
        return text + {"tab": "\t", "space": " "}.get(spec["suff"], "") if text else ""


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        vals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
        out, rest = [], n
        for v, s in vals:
            while rest >= v:
                out.append(s)
                rest -= v
        r = "".join(out)
        return r if fmt == "upperRoman" else r.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        # Word repeats the letter past z: aa, bb, …
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _children(el: etree._Element, tag: str) -> Iterable[etree._Element]:
    """Children of ``el`` with ``tag``, looking through content-control / custom-XML wrappers."""
    for c in el:
        if c.tag == tag:
            yield c
        elif c.tag in _BLOCK_WRAPPERS:
            yield from _children(c, tag)


class _DocxText:
    """Walks document.xml in reading order and yields one string per paragraph."""

    def __init__(self, root: etree._Element, numbering: _Numbering):
        self.numbering = numbering if numbering.active else None
        self.hidden: set[etree._Element] = set()
        for c in root.iter(*_HIDDEN_CONTAINERS):
            self.hidden.update(c.iter())
        # Runs formatted as hidden text (<w:rPr><w:vanish/>) are not printed in the PDF.
        for v in root.iter(W_VANISH):
            rpr = v.getparent()
            run = rpr.getparent() if rpr is not None else None
            if run is not None and run.tag == W_R and v.get(W_VAL, "true") not in ("0", "false"):
                self.hidden.update(run.iter())
        self.boxed: set[etree._Element] = set()
        for c in root.iter(W_TXBX):
            self.boxed.update(c.iter())
            self.boxed.discard(c)

    def blocks(self, container: etree._Element) -> Iterable[str]:
        for child in container:
            tag = child.tag
            if tag == W_P:
                yield self.paragraph(child)
                # A text box anchored in this paragraph is read right after it.
                for box in child.iter(W_TXBX):
                    if box not in self.hidden:
                        yield from self.blocks(box)
            elif tag == W_TBL:
                # Row by row, cell by cell; a nested table is read inside its cell.
                for tr in _children(child, W_TR):
                    for tc in _children(tr, W_TC):
                        yield from self.blocks(tc)
            elif tag in _BLOCK_WRAPPERS:
                yield from self.blocks(child)

    def paragraph(self, p: etree._Element) -> str:
        hidden, boxed = self.hidden, self.boxed
        in_box = p in boxed
        parts: list[str] = []
        if self.numbering is not None:
            parts.append(self.numbering.label(p))
        for el in p.iter(*_INLINE_TAGS):
            if hidden and el in hidden:
                continue
            if boxed and not in_box and el in boxed:
                continue
            tag = el.tag
            if tag == W_T:
                if el.text:
                    parts.append(el.text)
            elif tag == W_TAB or tag == W_PTAB:
                parts.append("\t")
            elif tag == W_BR or tag == W_CR:
                parts.append("\n")
            elif tag == W_NBH:
                parts.append("-")
            elif tag == W_SYM:
                code = el.get(_W + "char", "")
                try:
                    cp = int(code, 16)
                except ValueError:
                    continue
                # Symbol-font characters are stored in the private-use area F0xx.
                parts.append(chr(cp - 0xF000 if 0xF020 <= cp <= 0xF0FF else cp))
        return "".join(parts)


def docx_lines(path: str | Path) -> list[Line]:
    """The body text of a ``.docx`` as lines (paragraph order, table cells row by row,
    headers / footers / notes skipped), normalised as the PDF prints it."""
    p = Path(path)
    try:
        zf = zipfile.ZipFile(p)
    except zipfile.BadZipFile:
        raise ExtractionError(p, "el .docx está dañado o truncado (no es un ZIP completo)") from None
    except FileNotFoundError:
        raise ExtractionError(p, "el archivo no existe") from None
    except OSError as exc:
        raise ExtractionError(p, f"no se pudo leer el archivo ({exc.strerror})") from None
    with zf:
        part = _main_part_name(zf)
        try:
            info = zf.getinfo(part)
        except KeyError:
            raise ExtractionError(
                p, "es un ZIP pero no un documento de Word: le falta word/document.xml"
            ) from None
        if info.file_size > MAX_DOCUMENT_XML_BYTES:
            raise ExtractionError(p, f"{part} ocupa {info.file_size} bytes descomprimido; "
                                     "demasiado grande para un documento legal")

        def read(name: str) -> bytes | None:
            try:
                return zf.read(name)
            except KeyError:
                return None
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
                raise ExtractionError(
                    p, f"el .docx está dañado: no se pudo leer {name} ({exc})"
                ) from None

        data = read(part)
        assert data is not None
        base = posixpath.dirname(part)
        numbering_xml = read(posixpath.join(base, "numbering.xml"))
        styles_xml = read(posixpath.join(base, "styles.xml"))
    root = _xml(data, p, part)
    body = root.find(_W + "body")
    if body is None:
        raise ExtractionError(p, f"{part} no tiene cuerpo (w:body): no es un documento de Word")
    numbering = _Numbering(
        _xml(numbering_xml, p, "numbering.xml") if numbering_xml else None,
        _xml(styles_xml, p, "styles.xml") if styles_xml else None,
    )
    return _to_lines(_DocxText(root, numbering).blocks(body))


# --------------------------------------------------------------------------- .doc

def _antiword_lines(text: str) -> Iterable[str]:
    """antiword's text with table blocks folded: each run of '|…|' lines becomes one
    line per column, the column's wrapped pieces joined with spaces.

    antiword does not mark row boundaries in text mode, so a table of several rows
    comes out as one line per column; LeyesBiblio Word files use tables only for
    one-cell notes ('Nota de vigencia: …').
    """
    table: list[list[str]] = []
    for raw in _LINE_SPLIT.split(text):
        m = _ANTIWORD_TABLE_LINE.match(raw)
        if m:
            cells = m.group("cells").split("|")
            while len(table) < len(cells):
                table.append([])
            for i, cell in enumerate(cells):
                if cell.strip():
                    table[i].append(cell.strip())
            continue
        if table:
            yield from (" ".join(col) for col in table)
            table = []
        yield raw
    if table:
        yield from (" ".join(col) for col in table)


def antiword_available() -> bool:
    """Whether the ``.doc`` reader's program is installed."""
    return shutil.which("antiword") is not None


def doc_lines(path: str | Path) -> list[Line]:
    """The text of a Word 97-2003 ``.doc`` as lines, read through ``antiword``.

    Raises ExtractionError when antiword is not installed or rejects the file.
    """
    p = Path(path)
    exe = shutil.which("antiword")
    if exe is None:
        raise ExtractionError(
            p, "no se puede leer un .doc: el lector 'antiword' no está instalado "
               "(apt-get install antiword) — o use la versión .docx o PDF del documento"
        )
    if not p.is_file():
        raise ExtractionError(p, "el archivo no existe")
    if p.stat().st_size == 0:
        raise ExtractionError(p, "el archivo está vacío")
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    try:
        proc = subprocess.run(
            # -m UTF-8.txt: output encoding independent of the caller's locale;
            # -w 0: a whole paragraph on one line, soft line breaks kept.
            [exe, "-m", "UTF-8.txt", "-w", "0", str(p)],
            capture_output=True, env=env, timeout=ANTIWORD_TIMEOUT_S, check=False,
        )
    except subprocess.TimeoutExpired:
        raise ExtractionError(p, f"antiword no terminó en {ANTIWORD_TIMEOUT_S} s") from None
    err = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0 or not proc.stdout.strip():
        if "not a Word Document" in err or not err:
            problem = ("antiword no lo reconoce como documento de Word 97-2003 "
                       "(archivo truncado, dañado o de otro formato)")
        elif "ncrypt" in err:
            problem = "el .doc está cifrado con contraseña"
        else:
            problem = f"antiword no pudo leerlo: {err.splitlines()[0]}"
        raise ExtractionError(p, problem)
    text = proc.stdout.decode("utf-8", "replace")
    return _to_lines(_antiword_lines(text))


# --------------------------------------------------------------------------- entry points

def word_lines(path: str | Path) -> tuple[str, list[Line]]:
    """``(fmt, lines)`` of a Word file, the reader chosen by the file's content."""
    fmt = sniff_word_format(path)
    return fmt, (doc_lines(path) if fmt == "doc" else docx_lines(path))


def parse_word(path: str | Path, profile: Profile | None = None) -> ParsedLaw:
    """Read a LeyesBiblio law from its Word file (``.doc`` or ``.docx``).

    The reader is picked by magic bytes; the lines go through the same structurer as the
    PDF with ``fmt`` "doc"/"docx" and ``pages=None``. Raises ExtractionError (file named)
    for unreadable input and ParseError when the text is not a law.
    """
    p = Path(path)
    fmt, lines = word_lines(p)
    if not lines:
        raise ExtractionError(p, "el documento de Word no contiene texto")
    return structure(lines, sha256=sha256_file(p), file=str(p), fmt=fmt, pages=None,
                     profile=profile or LEYESBIBLIO)
