"""Amendment clauses -> operations, on real clauses of the corpus and on the grammar's forms."""
from __future__ import annotations

from pathlib import Path

import pytest

from lawgraph.errors import ParseError
from lawgraph.evaluation.decree_source import decrees_from_text, load_decrees
from lawgraph.evaluation.decrees import evaluate_cpeum_decrees, gold_from_git_history
from lawgraph.nlp.amendments import parse_clause, parse_clause_strict, parse_decree


def _ops(res):
    return [(o.op, o.article, tuple((u.kind, u.label) for u in o.units)) for o in res.operations]


# (clause, expected articles in order, some (op, article, units) that must be among the operations)
GRAMMAR_CASES = [
    ("ARTICULO UNICO.- Se reforman el primer párrafo del artículo 65 y el primer párrafo del artículo 66 de la "
     "Constitución Política de los Estados Unidos Mexicanos, para quedar como sigue:",
     ["65", "66"], [("reforma", "65", (("parrafo", "1"),)), ("reforma", "66", (("parrafo", "1"),))]),
    ("Se reforma el artículo 4o., párrafo tercero", ["4"], [("reforma", "4", (("parrafo", "3"),))]),
    ("Se reforman los artículos 5o., 6o. y 7o.", ["5", "6", "7"], [("reforma", "6", ())]),
    ("Se reforma la fracción XXIX-A del artículo 73", ["73"], [("reforma", "73", (("fraccion", "XXIX-A"),))]),
    ("Se derogan de la fracción I a la V del artículo 10", ["10"],
     [("deroga", "10", (("fraccion", "III"),)), ("deroga", "10", (("fraccion", "V"),))]),
    ("Se reforman los párrafos segundo y tercero del artículo 1o.", ["1"],
     [("reforma", "1", (("parrafo", "2"),)), ("reforma", "1", (("parrafo", "3"),))]),
    ("Se adiciona un último párrafo al artículo 17", ["17"], [("adiciona", "17", (("parrafo", "último"),))]),
    ("Se reforma el inciso a) de la fracción XXI del artículo 73", ["73"],
     [("reforma", "73", (("fraccion", "XXI"), ("inciso", "a")))]),
    ("Se reforma el párrafo quinto y se adiciona un párrafo sexto recorriéndose en su orden los subsecuentes, "
     "al artículo 4o.", ["4"], [("reforma", "4", (("parrafo", "5"),)), ("adiciona", "4", (("parrafo", "6"),))]),
    ("ARTICULO 1.- Se reforma el artículo 62 y se adiciona el 385 del Código Penal para el Distrito Federal",
     ["62", "385"], [("adiciona", "385", ())]),
    ("Se reforman la fracción decimoséptima del artículo 27", ["27"], [("reforma", "27", (("fraccion", "XVII"),))]),
    # An aside ('recorriéndose la subsecuente') does not change the operation of the list.
    ("Se adiciona una fracción XVII al artículo 5; fracción XX, al artículo 34 Ter, recorriéndose la "
     "subsecuente, fracción XIII al artículo 34 Quáter, recorriéndose la subsecuente; fracciones XIV y XV al "
     "artículo 38", ["5", "34 Ter", "34 Quáter", "38"],
     [("adiciona", "34 Quáter", (("fraccion", "XIII"),)), ("adiciona", "38", (("fraccion", "XV"),))]),
    # A unit-first phrase with no article of its own before ';' belongs to the item's article.
    ("Se reforma el artículo 52, fracción III y el último párrafo vigente; artículo 54, párrafo único",
     ["52", "54"], [("reforma", "52", (("parrafo", "último"),)), ("reforma", "54", (("parrafo", "único"),))]),
    # 'artículo 35, un párrafo segundo;' — a determiner after 'article,' still follows it.
    ("se adicionan un último párrafo al artículo 26; artículo 35, un párrafo segundo; Sección Segunda Bis, "
     "artículo 42 Bis", ["26", "35", "42 Bis"],
     [("adiciona", "35", (("parrafo", "2"),)), ("adiciona", "42 Bis", ())]),
    # A cited decree's articles are not this decree's targets.
    ("ARTICULO UNICO.- Se reforma el Artículo 3o. transitorio, del decreto por el que se reformaron los "
     "artículos 30, 32 y 37 de la Constitución Política de los Estados Unidos Mexicanos, publicado en el "
     "Diario Oficial de la Federación el 20 de Marzo de 1997, para quedar como sigue:", [], []),
    # Numbers inside a law's name are not articles.
    ("Se reforma el artículo 5 de la Ley de Amparo, Reglamentaria de los artículos 103 y 107 de la Constitución "
     "Política de los Estados Unidos Mexicanos", ["5"], [("reforma", "5", ())]),
]


@pytest.mark.parametrize("clause,articles,ops", GRAMMAR_CASES)
def test_grammar_forms(clause, articles, ops):
    res = parse_clause(clause)
    assert res.articles() == articles
    got = _ops(res)
    for want in ops:
        assert want in got, f"{want} not in {got}"


def test_divisions_and_denominations():
    res = parse_clause("se reforma la denominación del Capítulo IV")
    (op,) = res.operations
    assert op.denomination and op.division.kind == "capitulo" and op.division.label == "IV"
    res = parse_clause("y se derogan la Sección Segunda Bis del Capítulo III del Título III y el artículo 42 Bis")
    sec = [o for o in res.operations if o.division]
    assert sec[0].op == "deroga" and sec[0].division.label == "Segunda Bis"
    assert [(p.kind, p.label) for p in sec[0].division.parents] == [("capitulo", "III"), ("titulo", "III")]
    assert res.articles() == ["42 Bis"]


def test_multi_article_decree_keeps_each_article_and_law():
    clause = ("Artículo Primero.- Se reforma el artículo 325 del Código Penal Federal, para quedar como sigue:\n"
              "Artículo Segundo.- Se adicionan las fracciones XIX y XX al artículo 5 de la Ley General de Acceso "
              "de las Mujeres a una Vida Libre de Violencia, para quedar como sigue:")
    res = parse_clause(clause)
    by_art = {(o.decree_article, o.article, o.law) for o in res.operations}
    assert ("PRIMERO", "325", "Código Penal Federal") in by_art
    assert ("SEGUNDO", "5", "Ley General de Acceso de las Mujeres a una Vida Libre de Violencia") in by_art
    assert res.articles("Código Penal Federal") == ["325"]


def test_spans_point_into_the_clause():
    clause = "Se reforma la fracción IX del artículo 47 de la Ley General de Víctimas"
    (op,) = parse_clause(clause).operations
    assert "fracción IX" in clause[op.start:op.end] and "47" in clause[op.start:op.end]


def test_unparseable_clause_is_reported_with_its_text():
    text = "En la página 2, segunda columna, renglón 22, dice: cosas"
    res = parse_clause(text)
    assert not res.operations and res.problems and "renglón 22" in res.problems[0]
    with pytest.raises(ParseError, match="renglón 22"):
        parse_clause_strict(text)


def test_title_is_the_fallback_when_the_clause_names_no_article():
    res = parse_decree("DECRETO por el que se reforman los artículos 65 y 66 de la Constitución Política de los "
                       "Estados Unidos Mexicanos.", "Se reforman diversas disposiciones, para quedar como sigue:")
    assert res.source == "title" and res.articles() == ["65", "66"]


@pytest.fixture(scope="module")
def lgamvlv_decrees(corpora: Path):
    text = (corpora / "derived_text/laws/federal/lgamvlv.pdf.pdfplumber.txt").read_text(encoding="utf-8")
    return decrees_from_text(text)


def test_real_clause_of_the_2026_lgamvlv_decree(lgamvlv_decrees):
    (d,) = [d for d in lgamvlv_decrees if d.dof_date and d.dof_date.isoformat() == "2026-01-15"]
    res = parse_clause(d.clause)
    ops = _ops(res)
    assert ("adiciona", "5", (("fraccion", "XXI"),)) in ops
    assert ("adiciona", "40", (("parrafo", "2"),)) in ops
    assert ("deroga", "42 Bis", ()) in ops
    assert ("reforma", "2", (("parrafo", "1"),)) in ops
    assert ("reforma", "3", ()) in ops
    assert any(o.denomination and o.article is None and o.division is None for o in res.operations)
    assert any(o.op == "deroga" and o.division and o.division.label == "Segunda Bis" for o in res.operations)
    assert {o.decree_article for o in res.operations} == {"SEGUNDO"}
    assert all("Vida Libre de Violencia" in (o.law or "") for o in res.operations)
    assert res.articles()[:4] == ["2", "3", "5", "6"]


def test_every_lgamvlv_decree_clause_yields_operations(lgamvlv_decrees):
    decrees = [d for d in lgamvlv_decrees if d.kind == "decreto"]
    assert len(decrees) >= 20
    for d in decrees:
        res = parse_decree(d.title, d.clause)
        assert res.operations, f"{d.dof_date}: {res.problems}"


@pytest.fixture(scope="module")
def cpeum_decrees(corpora: Path):
    """CPEUM's decree list read once for the two tests that compare it (a long parse)."""
    return load_decrees(corpora / "laws/federal/cpeum.pdf")


def test_constitution_decrees_agree_with_the_answers(cpeum_decrees, eval_dir: Path):
    decrees = cpeum_decrees
    report = evaluate_cpeum_decrees(decrees, eval_dir / "cpeum_decrees_dev.json")
    assert report.matched >= 75
    assert report.f1 >= 0.97, report.format()
    # every disagreement is listed with the clause text it was read from
    assert all(d.clause or d.source == "unmatched" for d in report.disagreements)


def test_constitution_decrees_agree_with_the_git_history(corpora: Path, cpeum_decrees):
    gold = gold_from_git_history(corpora / "reforms/cpeum_git_history/cpeum_decree_commits.jsonl")
    assert len(gold) > 150
    decrees = cpeum_decrees
    report = evaluate_cpeum_decrees(decrees, gold)
    assert report.f1 >= 0.97, report.format()


@pytest.mark.slow
def test_every_clause_of_the_corpus_yields_operations_or_a_problem(corpora: Path):
    total = with_ops = 0
    for txt in sorted((corpora / "derived_text/laws/federal").glob("*.txt")):
        for d in decrees_from_text(txt.read_text(encoding="utf-8")):
            if d.kind != "decreto":
                continue
            res = parse_decree(d.title, d.clause)
            total += 1
            with_ops += bool(res.operations)
            assert res.operations or res.problems, f"{txt.name} {d.dof_date}: dropped silently"
    assert total > 350
    assert with_ops / total >= 0.95   # the rest: SCJN rulings, erratas, notices (each reported)
