"""Every hand-verified answer file in ../shared/eval/articles/ is matched exactly.

Table-driven over the answer files found there: body article labels in order, repealed
articles, original transitorios (count and printed labels), every reform-section entry
(DOF date, kind, title), the count of decrees proper and the sampled fracción lists.
All files parse in a few seconds with pdfium, so none is marked slow. Each file is read by the
parser profile its manifest names (LeyesBiblio federal PDFs, Durango state PDFs); state answer
files describe decree-list entries by decree number, gazette issue and date instead of DOF date.
"""
from __future__ import annotations

import pytest

from lawgraph.evaluation.articles import compare, fracciones_of, load_gold, resolve_document
from lawgraph.model.law import ParsedLaw
from tests.conftest import EVAL, SHARED
from tests.session_cache import parsed_file

ANSWERS = load_gold(EVAL / "articles") if (EVAL / "articles").is_dir() else []


def _parse(path: str) -> ParsedLaw:
    return parsed_file(path)   # once per session, shared with the other modules


def _law(gold: dict) -> ParsedLaw:
    return _parse(str(resolve_document(gold, SHARED)))


def test_answer_files_are_present(shared):
    assert len(ANSWERS) >= 5, "../shared/eval/articles/ should hold the answer files"


@pytest.mark.parametrize("gold", ANSWERS, ids=[g["_answer_file"] for g in ANSWERS])
def test_article_inventory_matches_the_answers_exactly(gold):
    diffs = compare(_law(gold), gold)
    assert diffs == [], "\n".join(diffs)


@pytest.mark.parametrize("gold", ANSWERS, ids=[g["_answer_file"] for g in ANSWERS])
def test_header_facts_and_sources(gold):
    law = _law(gold)
    assert law.sha256 == gold["sha256"]
    assert law.pages == gold["pages"]
    assert " ".join(law.title.split()) == gold["law_title"]
    assert law.ultima_reforma.isoformat() == gold["ultima_reforma"]
    # pages of article headings as in the answers: every SourceRef points at the real page
    pages = {d["label"]: d["page"] for d in gold["body_articles_detail"]}
    assert {a.label: a.source.page for a in law.articles} == pages
    for a in law.articles:
        assert a.source.sha256 == law.sha256 and a.source.end > a.source.start
    # an untitled state entry is dated by the decree the answer infers from the running header
    wanted = [(d["dof_date"] if "dof_date" in d
               else d["gazette_date"] or (d.get("inferred_from_header") or {}).get("gazette_date"), d["page"])
              for d in gold["reform_decrees"]]
    got = [(d.dof_date.isoformat() if d.dof_date else None, d.source.page) for d in law.decrees]
    assert got == wanted


def test_compare_reports_each_kind_of_difference():
    gold = next(g for g in ANSWERS if g["file"] == "lgamvlv.pdf")
    law = _law(gold)
    broken = law.model_copy(update={
        "articles": [a for a in law.articles if a.label != "20 Ter"],
        "decrees": law.decrees[:-1],
    })
    diffs = compare(broken, gold)
    text = "\n".join(diffs)
    assert "faltan 20 Ter" in text and "['" not in text   # words, not a Python list
    assert "reforma #26: falta" in text
    assert "decretos de reforma: 25 obtenidos, 26 esperados" in text


def test_units_nest_and_carry_their_notes():
    gold = next(g for g in ANSWERS if g["file"] == "lgamvlv.pdf")
    law = _law(gold)
    art = law.article("20 Ter")
    fr = fracciones_of(art)
    assert fr[0].label == "I" and fr[0].text.startswith("I. ")
    # 'Párrafo reformado DOF 20-01-2009, 11-01-2021, 29-04-2022, 16-12-2024' under art. 1
    a1 = law.article("1")
    notes = [n for n in a1.reform_notes if n.subject == "Párrafo"]
    assert [d.isoformat() for d in notes[0].dates] == ["2009-01-20", "2021-01-11", "2022-04-29", "2024-12-16"]
    # a fracción note goes to its fracción: art. 4, 'Fracción reformada DOF 29-04-2022'
    a4 = law.article("4")
    assert any(n.subject == "Fracción" for n in fracciones_of(a4)[0].reform_notes)
    # the last decree is the one of DOF 15-01-2026 and its clause names the law's articles
    last = law.decrees[-1]
    assert last.dof_date.isoformat() == "2026-01-15"
    assert "Se reforman" in last.clause and "……" not in last.clause
    assert [t.label for t in last.transitorios][0] in ("Primero", "PRIMERO", "Único")
    # the hierarchy: art. 1 sits in Título Primero ▸ Capítulo I
    t1 = law.divisions[0]
    assert t1.kind == "titulo" and t1.children[0].kind == "capitulo" and "1" in t1.children[0].articles
