"""Word readers: the same law version read from its PDF and from its Word files gives the
same structure (issue 2, item 3), and bad Word input gets one clear error naming the file.

Pairs are the LeyesBiblio snapshot of 2025-08 (``laws/federal_bajalabs_2025-08``):
``X_static.pdf`` is the publisher's PDF, ``X_document.doc`` the publisher's Word 97 file and
``X_document.docx`` the mirror's conversion of that .doc.
"""
from __future__ import annotations

import json
import re
import shutil
import zipfile
from functools import lru_cache
from pathlib import Path

import docx
import pytest

from lawgraph.errors import ExtractionError, ParseError
from tests.session_cache import parsed_pdf
from lawgraph.ingest.word import doc_lines, docx_lines, parse_word, sniff_word_format
from lawgraph.model.law import ParsedLaw, Unit

from .conftest import CORPORA, EVAL

SNAPSHOT = CORPORA / "laws" / "federal_bajalabs_2025-08"
HAS_ANTIWORD = shutil.which("antiword") is not None
needs_antiword = pytest.mark.skipif(
    not HAS_ANTIWORD, reason="the .doc reader 'antiword' is not installed (apt-get install antiword)"
)

LAWS = ["LGAMVLV", "LGIMH", "CPEUM"]
PAIRS = [
    pytest.param(law, fmt, id=f"{law}-{fmt}", marks=[needs_antiword] if fmt == "doc" else [])
    for law in LAWS
    for fmt in ("docx", "doc")
]


@lru_cache(maxsize=None)
def _pdf(law: str) -> ParsedLaw:
    return parsed_pdf(SNAPSHOT / f"{law}_static.pdf")


@lru_cache(maxsize=None)
def _word(law: str, fmt: str) -> ParsedLaw:
    return parse_word(SNAPSHOT / f"{law}_document.{fmt}")


def _fold(text: str) -> str:
    return " ".join(text.split())


def _units(units: list[Unit]) -> list[tuple]:
    return [(u.kind, u.label, u.repealed) for u in units]


# ----------------------------------------------------------------------------- PDF = Word

@pytest.mark.parametrize("law,fmt", PAIRS)
def test_same_version_and_article_inventory(law: str, fmt: str) -> None:
    pdf, word = _pdf(law), _word(law, fmt)
    assert word.format == fmt and word.pages is None
    assert (word.title, word.ultima_reforma, word.publication) == (
        pdf.title, pdf.ultima_reforma, pdf.publication)
    assert len(word.articles) > 40
    assert [a.label for a in word.articles] == [a.label for a in pdf.articles]
    assert [a.repealed for a in word.articles] == [a.repealed for a in pdf.articles]
    assert word.suppressed_articles == pdf.suppressed_articles
    assert word.transitorios_heading == pdf.transitorios_heading
    assert word.warnings == pdf.warnings


@pytest.mark.parametrize("law,fmt", PAIRS)
def test_same_preamble(law: str, fmt: str) -> None:
    pdf, word = _pdf(law), _word(law, fmt)
    assert _fold(word.preamble) == _fold(pdf.preamble)
    assert [n.text for n in word.preamble_notes] == [n.text for n in pdf.preamble_notes]


def _items(u: Unit) -> list[tuple]:
    """The unit tree below ``u`` without the párrafo level.

    Párrafo boundaries are compared nowhere: a Word paragraph is the document's own, while
    the PDF side infers one from a line that ends a sentence, so a paragraph whose wrapped
    line happens to end in a full stop is split there (LGAMVLV art. 10 and 8 articles of the
    Constitution, e.g. art. 13, which is one paragraph in the Word files).
    """
    out: list[tuple] = []
    for c in u.children:
        if c.kind == "parrafo":
            out.extend(_items(c))
        else:
            out.append((c.kind, c.label, c.repealed, tuple(_items(c))))
    return out


def _notes(u: Unit) -> list[tuple]:
    return [(n.text, tuple(n.dates)) for n in u.reform_notes] + [
        n for c in u.children for n in _notes(c)]


@pytest.mark.parametrize("law,fmt", PAIRS)
def test_same_fracciones_per_article(law: str, fmt: str) -> None:
    pdf, word = _pdf(law), _word(law, fmt)
    expected = {a.label: [(f.label, f.repealed) for f in a.fracciones()] for a in pdf.articles}
    got = {a.label: [(f.label, f.repealed) for f in a.fracciones()] for a in word.articles}
    assert sum(map(len, got.values())) > 100
    assert got == expected
    # the rest of the unit tree too: incisos, numerales, apartados
    wtree = {a.label: _items(a) for a in word.articles}
    assert [a.label for a in pdf.articles if _items(a) != wtree[a.label]] == []


@pytest.mark.parametrize("law,fmt", PAIRS)
def test_same_article_text_modulo_whitespace(law: str, fmt: str) -> None:
    pdf, word = _pdf(law), _word(law, fmt)
    wtext = {a.label: _fold(a.full_text()) for a in word.articles}
    assert [a.label for a in pdf.articles if _fold(a.full_text()) != wtext[a.label]] == []
    # every reform note, wherever it is attached inside the article: same text and dates
    # (as a multiset: the unit a note hangs on can differ where the PDF side splits a párrafo)
    assert [sorted(_notes(a)) for a in word.articles] == [sorted(_notes(a)) for a in pdf.articles]


def _decree_key(d) -> tuple:
    return (d.index, d.kind, _fold(d.title), d.dof_date, d.notified_date, d.declared_invalid,
            _fold(d.clause), [(t.label, _fold(t.full_text())) for t in d.transitorios])


@pytest.mark.parametrize("law,fmt", PAIRS)
def test_same_divisions(law: str, fmt: str) -> None:
    def flat(divs):
        return [(d.kind, d.label, _fold(d.heading), d.repealed, tuple(d.articles), flat(d.children))
                for d in divs]

    assert flat(_word(law, fmt).divisions) == flat(_pdf(law).divisions)


@pytest.mark.parametrize("law,fmt", PAIRS)
def test_same_transitorios_and_decrees(law: str, fmt: str) -> None:
    pdf, word = _pdf(law), _word(law, fmt)
    assert _units(word.transitorios) == _units(pdf.transitorios) != []
    assert [_fold(t.full_text()) for t in word.transitorios] == [
        _fold(t.full_text()) for t in pdf.transitorios]

    assert len(word.decrees) >= 17
    assert [d.title for d in word.decrees] == [d.title for d in pdf.decrees]
    assert [_decree_key(d) for d in word.decrees] == [_decree_key(d) for d in pdf.decrees]


@pytest.mark.parametrize("law,fmt", [p for p in PAIRS if p.values[0] in ("LGAMVLV", "CPEUM")])
def test_word_reading_matches_hand_verified_answers(law: str, fmt: str) -> None:
    """The answers were made for the PDFs; the Word file of the same version must give them too."""
    gold = json.loads((EVAL / "articles" / f"{law}_static.json").read_text(encoding="utf-8"))
    word = _word(law, fmt)
    assert [a.label for a in word.articles] == gold["body_articles"]
    assert [a.label for a in word.articles if a.repealed] == gold["repealed_articles"]
    assert len(word.transitorios) == gold["original_transitorios_count"]
    assert [str(d.dof_date or d.notified_date) for d in word.decrees] == [
        d["dof_date"] or d["notified_date"] for d in gold["reform_decrees"]]
    for sample in gold["fraction_samples"]:
        art = word.article(sample["article"])
        assert [f.label for f in art.fracciones()] == sample["fraction_labels"], sample["article"]


@pytest.mark.parametrize("law", LAWS)
@needs_antiword
def test_doc_and_docx_line_streams_are_identical(law: str) -> None:
    """The publisher's .doc (through antiword) and the mirror's .docx conversion of it give
    the same lines, table folded, soft breaks kept, offsets into the joined text."""
    a = docx_lines(SNAPSHOT / f"{law}_document.docx")
    b = doc_lines(SNAPSHOT / f"{law}_document.doc")
    assert [ln.text for ln in a] == [ln.text for ln in b]
    joined = "\n".join(ln.text for ln in a)
    assert all(ln.page is None and joined[ln.start:ln.start + len(ln.text)] == ln.text for ln in a)
    assert all(ln.text == _fold(ln.text) and ln.text for ln in a)


def test_docx_skips_running_head_and_page_numbers() -> None:
    """The running head and the 'N de M' footer live in their own parts of the package."""
    path = SNAPSHOT / "LGIMH_document.docx"
    with zipfile.ZipFile(path) as zf:
        assert "Servicios Parlamentarios" in zf.read("word/header1.xml").decode("utf-8")
        assert "NUMPAGES" in zf.read("word/footer1.xml").decode("utf-8")
    texts = [ln.text for ln in docx_lines(path)]
    assert not any("Servicios Parlamentarios" in t or re.fullmatch(r"\d+ de \d+", t) for t in texts)
    assert texts[0] == "LEY GENERAL PARA LA IGUALDAD ENTRE MUJERES Y HOMBRES"


# ----------------------------------------------------------------------------- LGRA .docx

# Normalised labels as in ../shared/eval/articles ('20 Ter', '215 A', '201 Bis 1'; 'XXIX-A').
ARTICLE_LABEL = re.compile(
    r"""^\d+                                              # the number, no ordinal mark
    (?:\ (?:Bis|Ter|Qu[áa]ter|Quinquies|Sexies|Septies|Octies|Nonies|[A-Z])(?:\ \d+)?)?$""",
    re.X,
)
FRACCION_LABEL = re.compile(r"^[IVXLC]+(?:-[A-ZÑ]| Bis| Ter| Quáter)?$")


def test_lgra_docx_parses_with_well_formed_labels() -> None:
    """LGRA_document.docx has no PDF of its date; its later PDF (laws/federal/lgra.pdf,
    one more decree) must list the same decrees first and the same articles in order."""
    word = parse_word(SNAPSHOT / "LGRA_document.docx")
    labels = [a.label for a in word.articles]
    assert len(labels) > 200 and len(set(labels)) == len(labels)
    assert [lab for lab in labels if not ARTICLE_LABEL.match(lab)] == []
    numbers = [int(lab.split()[0]) for lab in labels]
    assert numbers == sorted(numbers) and numbers[0] == 1
    bad_fr = [(a.label, f.label) for a in word.articles for f in a.fracciones()
              if not FRACCION_LABEL.match(f.label)]
    assert bad_fr == []
    assert word.transitorios and word.decrees
    assert word.ultima_reforma == max(d.dof_date for d in word.decrees if d.dof_date)

    later = parsed_pdf(CORPORA / "laws" / "federal" / "lgra.pdf")
    older = [(_fold(d.title), d.dof_date, d.notified_date) for d in word.decrees]
    assert [(_fold(d.title), d.dof_date, d.notified_date) for d in later.decrees][: len(older)] == older
    assert len(later.decrees) > len(older)
    later_labels = iter(a.label for a in later.articles)
    assert all(lab in later_labels for lab in labels)  # an ordered subsequence
    # and what the later version has in addition is what its newer decrees add
    added = [a.label for a in later.articles if a.label not in set(labels)]
    newer_clauses = " ".join(d.clause for d in later.decrees[len(older):])
    assert added and all(f"artículo {lab}" in newer_clauses for lab in added)


# ----------------------------------------------------------------------------- reader details

def _write_docx(path: Path, build) -> Path:
    d = docx.Document()
    build(d)
    d.save(str(path))
    return path


def test_docx_reader_normalises_what_word_adds(tmp_path: Path) -> None:
    def build(d):
        d.add_paragraph("Artículo 1.- Para efectos de esta Ley:")
        d.add_paragraph("")
        d.add_paragraph("I.\tPrimera\u00a0definición;   con  espacios")
        for text in ("Primer caso;", "Segundo caso, y", "Tercer caso."):
            d.add_paragraph(text, style="List Number")   # Word's automatic numbering
        p = d.add_paragraph()
        p.add_run("Artículo reformado DOF 01-02-2020,")
        p.add_run().add_break()                           # soft line break
        p.add_run("03-04-2021")
        table = d.add_table(rows=2, cols=2)
        for r, c, text in ((0, 0, "a1"), (0, 1, "b1"), (1, 0, "a2"), (1, 1, "b2")):
            table.cell(r, c).text = text
        table.cell(1, 1).add_table(rows=1, cols=2).cell(0, 1).text = "anidada"
        end = d.add_paragraph("Fin")
        end.add_run(" (texto oculto)").font.hidden = True   # hidden text is not printed
        end.add_run(".")

    lines = docx_lines(_write_docx(tmp_path / "ley.docx", build))
    assert [ln.text for ln in lines] == [
        "Artículo 1.- Para efectos de esta Ley:",
        "I. Primera definición; con espacios",
        "1. Primer caso;", "2. Segundo caso, y", "3. Tercer caso.",
        "Artículo reformado DOF 01-02-2020,", "03-04-2021",
        "a1", "b1", "a2", "b2", "anidada",   # cells row by row, a nested table inside its cell
        "Fin.",
    ]
    assert [ln.start for ln in lines[:3]] == [0, 39, 75]


def test_sniffing_by_content(tmp_path: Path) -> None:
    assert sniff_word_format(SNAPSHOT / "LGIMH_document.doc") == "doc"
    assert sniff_word_format(SNAPSHOT / "LGIMH_document.docx") == "docx"
    plain = tmp_path / "sin_extension"
    plain.write_bytes((SNAPSHOT / "LGIMH_document.docx").read_bytes())
    assert sniff_word_format(plain) == "docx"


def test_word_file_without_text(tmp_path: Path) -> None:
    path = _write_docx(tmp_path / "blanco.docx", lambda d: [d.add_paragraph("\u00a0\t") for _ in range(3)])
    with pytest.raises(ExtractionError) as err:
        parse_word(path)
    assert err.value.path == str(path) and "no contiene texto" in err.value.problem


def test_word_file_that_is_not_a_law(tmp_path: Path) -> None:
    path = _write_docx(tmp_path / "carta.docx", lambda d: d.add_paragraph("Estimada señora: le escribo."))
    with pytest.raises(ParseError) as err:
        parse_word(path)
    assert err.value.path == str(path)


# ----------------------------------------------------------------------------- bad input

def _copy(src: Path, dst: Path, n: int | None = None) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data if n is None else data[:n])
    return dst


def _error(path: Path) -> ExtractionError:
    with pytest.raises(ExtractionError) as err:
        parse_word(path)
    assert err.value.path == str(path) and str(path) in str(err.value)
    return err.value


@pytest.mark.parametrize("suffix", [".docx", ".doc"])
def test_empty_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"vacio{suffix}"
    path.write_bytes(b"")
    assert "vacío" in _error(path).problem


def test_truncated_docx(tmp_path: Path) -> None:
    src = SNAPSHOT / "LGIMH_document.docx"
    path = _copy(src, tmp_path / "cortado.docx", src.stat().st_size // 2)
    assert "truncado" in _error(path).problem


@needs_antiword
def test_truncated_doc(tmp_path: Path) -> None:
    src = SNAPSHOT / "LGIMH_document.doc"
    path = _copy(src, tmp_path / "cortado.doc", src.stat().st_size // 2)
    assert "truncado" in _error(path).problem


def test_corrupt_deflate_stream_in_docx(tmp_path: Path) -> None:
    src = SNAPSHOT / "LGIMH_document.docx"
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo("word/document.xml")
    # overwrite the middle of document.xml's compressed bytes; the directory stays intact
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size // 2
    data[start:start + 64] = b"\x00" * 64
    path = tmp_path / "dañado.docx"
    path.write_bytes(bytes(data))
    assert "dañado" in _error(path).problem


def test_pdf_renamed_docx(tmp_path: Path) -> None:
    path = _copy(SNAPSHOT / "LGIMH_static.pdf", tmp_path / "ley.docx")
    assert "PDF" in _error(path).problem


def test_text_file_renamed_doc(tmp_path: Path) -> None:
    path = tmp_path / "ley.doc"
    path.write_text("Artículo 1.- Esto es texto plano.", encoding="utf-8")
    assert "no es un archivo de Word" in _error(path).problem


@pytest.mark.parametrize("src,dst", [("LGIMH_document.doc", "ley.docx"),
                                     ("LGIMH_document.docx", "ley.doc"),
                                     ("LGIMH_document.docx", "ley.pdf")])
def test_extension_does_not_match_content(tmp_path: Path, src: str, dst: str) -> None:
    problem = _error(_copy(SNAPSHOT / src, tmp_path / dst)).problem
    assert "extensión" in problem and Path(dst).suffix in problem


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "hoja.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert "word/document.xml" in _error(path).problem


def test_docx_with_broken_xml(tmp_path: Path) -> None:
    path = tmp_path / "roto.docx"
    with zipfile.ZipFile(SNAPSHOT / "LGIMH_document.docx") as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 3]             # cut mid-element
            dst.writestr(item, data)
    assert "XML" in _error(path).problem


def test_doc_without_antiword_says_the_reader_is_missing(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))            # no antiword on this PATH
    path = SNAPSHOT / "LGIMH_document.doc"
    with pytest.raises(ExtractionError) as err:
        parse_word(path)
    assert err.value.path == str(path) and "antiword" in err.value.problem
    assert "no está instalado" in err.value.problem
