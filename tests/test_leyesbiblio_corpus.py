"""Every LeyesBiblio PDF of the corpus parses, and the parse keeps the documents' invariants.

Invariants checked on every law (pdfium, default run): integer parts of body article labels
never decrease and no label repeats; every reform-note date is a real calendar date inside
the law's life; decree dates never decrease; fracción labels are well-formed Roman numerals
(with -A / Bis suffixes); each unit's source points at a page of the document.
pdfium and pdfplumber must give the identical structure: one small PDF in the default run,
the whole corpus under ``-m slow`` (pdfplumber reads about 10 pages/s).
"""
from __future__ import annotations

import re
from datetime import date

import pytest

from lawgraph.evaluation.articles import first_difference, fracciones_of, structure_signature
from lawgraph.ingest import grammar as g
from lawgraph.ingest.leyesbiblio import parse_pdf
from lawgraph.model.law import ParsedLaw, Unit
from tests.conftest import CORPORA
from tests.session_cache import parsed_pdf

FEDERAL = sorted((CORPORA / "laws" / "federal").glob("*.pdf"))
STATIC = sorted((CORPORA / "laws" / "federal_bajalabs_2025-08").glob("*_static.pdf"))
MOBILE = sorted((CORPORA / "laws" / "federal_bajalabs_2025-08").glob("*_mobile.pdf"))
PDFS = FEDERAL + STATIC
SMALL = CORPORA / "laws" / "federal_bajalabs_2025-08" / "LGIMH_static.pdf"

FRACCION_LABEL = re.compile(rf"^(?P<base>[IVXLC]+)(?:-[A-ZÑ]|(?:\ {g.SUFFIX})+)?$", re.VERBOSE)


def _parse(path: str, extractor: str = "pdfium") -> ParsedLaw:
    return parsed_pdf(path, extractor)   # once per session, shared with the other modules


def _units(u: Unit):
    yield u
    for c in u.children:
        yield from _units(c)


def test_the_corpus_is_there():
    assert len(FEDERAL) == 8 and len(STATIC) == 3 and len(MOBILE) == 2


@pytest.mark.parametrize("path", PDFS + MOBILE, ids=lambda p: p.name)
def test_every_corpus_pdf_parses_with_its_invariants(path):
    law = _parse(str(path))
    assert law.articles, "no articles"
    labels = [a.label for a in law.articles]
    nums = [int(re.match(r"\d+", lab).group()) for lab in labels]
    assert labels[0] == "1"
    assert all(b >= a for a, b in zip(nums, nums[1:])), "article numbers go backwards"
    assert len(set(labels)) == len(labels), "duplicate article labels"
    assert law.transitorios, "original transitorios missing"
    assert law.ultima_reforma is not None
    start = date(1917, 1, 1)
    for art in law.articles:
        assert 1 <= art.source.page <= law.pages
        for u in _units(art):
            for note in u.reform_notes:
                # every dd-mm-yyyy in the note became a real date (SCJN rulings may come
                # after the last reform, so the bound is today)
                assert len(note.dates) == len(g.DOF_DATE_RE.findall(note.text)), note.text
                assert all(start <= d <= date.today() for d in note.dates), note.text
        fr = fracciones_of(art)
        for f in fr:
            m = FRACCION_LABEL.match(f.label)
            assert m and g.is_roman(m.group("base")), f"art. {art.label}: fracción {f.label!r}"
    if path in MOBILE:
        assert law.decrees == []      # the mobile version omits the reform section
        return
    assert law.decrees, "reform section missing"
    dates = [d.dof_date or d.notified_date for d in law.decrees]
    assert all(dates), "an entry without date"
    assert all(b >= a for a, b in zip(dates, dates[1:])), "decree dates go backwards"
    # the header's 'Última Reforma' is the latest amending decree (SCJN rulings may follow it)
    assert max(d.dof_date for d in law.decrees if d.kind == "decreto") == law.ultima_reforma
    for d in law.decrees:
        assert d.title and d.title[0].isupper()
        if d.kind == "decreto":
            assert d.clause, f"decree {d.index} without clause"


def test_the_mobile_version_has_the_same_articles_as_the_print_version():
    mobile = next(p for p in MOBILE if "Acceso" in p.name)
    static = next(p for p in STATIC if p.name.startswith("LGAMVLV"))
    a, b = _parse(str(mobile)), _parse(str(static))
    assert [x.label for x in a.articles] == [x.label for x in b.articles]
    assert [len(fracciones_of(x)) for x in a.articles] == [len(fracciones_of(x)) for x in b.articles]
    assert [t.label for t in a.transitorios] == [t.label for t in b.transitorios]


def test_two_versions_of_one_law_differ_by_the_decree_between_them():
    old = _parse(str(CORPORA / "laws" / "federal_bajalabs_2025-08" / "LGAMVLV_static.pdf"))
    new = _parse(str(CORPORA / "laws" / "federal" / "lgamvlv.pdf"))
    assert len(new.decrees) == len(old.decrees) + 1
    assert [d.title for d in new.decrees[:-1]] == [d.title for d in old.decrees]
    assert new.decrees[-1].dof_date == date(2026, 1, 15)
    assert not old.article("42 Bis").repealed and new.article("42 Bis").repealed


def test_pdfium_and_pdfplumber_give_the_same_structure_small():
    a = structure_signature(_parse(str(SMALL), "pdfium"))
    b = structure_signature(_parse(str(SMALL), "pdfplumber"))
    assert first_difference(a, b) is None, first_difference(a, b)


@pytest.mark.slow
@pytest.mark.parametrize("path", PDFS + MOBILE, ids=lambda p: p.name)
def test_pdfium_and_pdfplumber_give_the_same_structure(path):
    a = structure_signature(_parse(str(path), "pdfium"))
    # two processes, each on half the pages (the second core is otherwise idle while the suite
    # runs; the pages are those one process reads: test_parallel_pdfplumber_reads_the_same_pages)
    b = structure_signature(parse_pdf(path, "pdfplumber", workers=2))
    assert first_difference(a, b) is None, first_difference(a, b)


def test_parallel_pdfplumber_reads_the_same_pages():
    from lawgraph.ingest.extract import PlumberExtractor

    serial = PlumberExtractor().pages(str(SMALL))
    parallel = PlumberExtractor(workers=2, parallel_min_pages=10).pages(str(SMALL))
    assert parallel == serial and len(serial) == 33
    assert [pg.number for pg in parallel] == list(range(1, 34))


def test_parallel_pdfium_reads_the_same_pages():
    from lawgraph.ingest.extract import PdfiumExtractor

    serial = PdfiumExtractor().pages(str(SMALL))
    parallel = PdfiumExtractor(workers=2, parallel_min_pages=10).pages(str(SMALL))
    assert parallel == serial and len(serial) == 33
