"""Asks, not paragraphs; initiatives that took an ask up (issue 10, points 4 and 5).

The classifier's rules are checked on sentences written here for the purpose (the measured
precision and recall on the CLADEM bold marking are guarded in tests/test_link_guard.py); the
suggestion page's initiatives are checked in the real embedded graph with a synthetic law.
"""
from __future__ import annotations

from datetime import date

import pytest

from lawgraph.nlp import asks as A
from tests.graph_support import falkordb_server, make_law, store  # noqa: F401


@pytest.mark.parametrize("text, chapeau, lang, want", [
    ("El Comité insta al Estado parte a que tipifique el delito en todo el país.", None, "es", True),
    ("El Estado parte debe asegurar el acceso a la justicia de las mujeres indígenas.", None, "es", True),
    ("Armonizar la legislación penal de los estados con la ley general.", None, "es", True),
    ("adopte medidas para garantizar refugios suficientes;", "El Comité recomienda al Estado parte que:", "es", True),
    ("El Comité acoge con satisfacción la presentación puntual del informe.", None, "es", False),
    ("El Comité toma nota de la creación del instituto nacional.", None, "es", False),
    ("Le preocupa el número de asesinatos de mujeres en la frontera norte.", None, "es", False),
    ("The Committee urges the State party to criminalize marital rape.", None, "en", True),
    ("Ensure that all cases of violence against women are investigated.", None, "en", True),
    ("The Committee welcomes the adoption of the General Law.", None, "en", False),
    ("The Committee notes with appreciation the detailed report.", None, "en", False),
])
def test_classify_reads_request_cues_not_subjects(text, chapeau, lang, want):
    v = A.classify(text, chapeau, lang)
    assert v.ask is want and (v.cue is not None) is want


def test_subject_similarity_prefers_the_same_subject():
    ask = "Proponemos que la ley reconozca la violencia vicaria como un tipo de violencia contra las mujeres."
    same = "Reconocer la violencia vicaria como un tipo de violencia contra las mujeres en la ley."
    other = "Garantizar el acceso a la vivienda adecuada para las víctimas."
    t = A.subject_threshold()
    assert t is not None and 0 < t < 1
    assert A.takes_up(ask, same) and not A.takes_up(ask, other)
    assert A.subject_similarity(ask, "") == 0.0


def test_suggestion_page_lists_only_initiatives_on_the_asks_subject(store, tmp_path):
    from lawgraph.graph import links
    from lawgraph.graph.load import load_parsed_law
    from lawgraph.journal import Journal
    from lawgraph.model.process import Proposal, Target
    from lawgraph.model.recs import LinkCandidate, Suggestion, TextSource
    from lawgraph.steps import add_suggestions, load_proposals
    from lawgraph.suggestion_page import suggestion_page

    load_parsed_law(store, make_law(8), jurisdiction="mx", kind="ley", key="lgamvlv")
    text = "Proponemos que la ley reconozca la violencia vicaria como un tipo de violencia contra las mujeres."
    day = date(2023, 11, 25)
    sug = Suggestion(sug_id=Suggestion.make_id("Colectiva", day, text), organisation="Colectiva", date=day,
                     text=text, language="es", source=TextSource(sha256="0" * 64, file="prueba.csv", row=2))
    add_suggestions(store, [sug], Journal(tmp_path))
    to = "/mx/ley/lgamvlv@2026-01-15/art_6/frac_ii"
    links.store_candidates(store, [LinkCandidate(link_id=LinkCandidate.make_id(sug.sug_id, to), from_id=sug.sug_id,
                                                 to_id=to, score=0.8, method="bm25")])
    target = [Target(law_raw="Ley General de Acceso", law_key="lgamvlv", articles=["6"])]
    load_proposals(store, [
        Proposal(id="/mx/iniciativa/vicaria-1", title="Iniciativa sobre violencia vicaria", date_presented=date(2024, 2, 1),
                 synopsis="Reconocer la violencia vicaria como un tipo de violencia contra las mujeres en la ley.",
                 targets=target),
        Proposal(id="/mx/iniciativa/vivienda-2", title="Iniciativa sobre vivienda", date_presented=date(2024, 3, 1),
                 synopsis="Garantizar el acceso a la vivienda adecuada para las víctimas.", targets=target),
    ], snapshot="prueba")
    assert len(links.suggestion_view(store, sug.sug_id)["initiatives"]) == 2, "the graph lists both"
    view = suggestion_page(store, sug.sug_id)
    assert [p.title for p in view.initiatives] == ["Iniciativa sobre violencia vicaria"]
    assert view.initiatives[0].href == "/propuestas/mx/iniciativa/vicaria-1"
    assert view.initiatives_left_out == 1


@pytest.fixture(scope="module")
def corpus_recs(corpora):
    from lawgraph.ingest.recommendations import load_corpus_recommendations

    return load_corpus_recommendations(corpora)


def _praise(recs):
    # a 1990s CERD paragraph of the corpus that only welcomes a report: no request cue
    return next(r for r in recs if r.body == "CERD" and not A.recommendation_asks(r).ask
                and "satisfac" in r.text.lower())


def test_a_paragraph_that_asks_nothing_gets_no_candidates(corpus_recs):
    from lawgraph.nlp import link as L

    rec = _praise(corpus_recs)
    batch = L.link_many(None, [rec])      # no index needed: nothing is ranked for it
    assert batch.candidates == {rec.rec_id: []} and batch.not_asks == [rec.rec_id] and not batch.errors


def test_recommendation_page_says_why_there_are_no_candidates(store, corpus_recs):
    from lawgraph.graph import links
    from lawgraph.graph.load import load_parsed_law
    from lawgraph.model.recs import LinkCandidate
    from lawgraph.recommendation_page import NOT_AN_ASK, recommendation_page

    load_parsed_law(store, make_law(8), jurisdiction="mx", kind="ley", key="lgamvlv")
    praise = _praise(corpus_recs)
    ask = next(r for r in corpus_recs if r.body == "CEDAW" and A.recommendation_asks(r).ask)
    links.load_recommendations(store, [praise, ask])
    t = A.candidate_threshold()
    assert t is not None
    to = "/mx/ley/lgamvlv@2026-01-15/art_6/frac_ii"
    links.store_candidates(store, [LinkCandidate(link_id=LinkCandidate.make_id(ask.rec_id, to), from_id=ask.rec_id,
                                                 to_id=to, score=t - 0.5, method="bm25")])
    v = recommendation_page(store, praise.rec_id)
    assert not v.asks and v.candidate_note == NOT_AN_ASK
    v = recommendation_page(store, ask.rec_id)
    assert v.asks and v.above_threshold == 0 and v.candidate_note.startswith("Ningún artículo supera el umbral")
    links.store_candidates(store, [LinkCandidate(link_id=LinkCandidate.make_id(ask.rec_id, to), from_id=ask.rec_id,
                                                 to_id=to, score=t + 0.1, method="bm25")])
    v = recommendation_page(store, ask.rec_id)
    assert v.above_threshold == 1 and v.candidate_note is None


def test_an_english_recommendation_is_shown_against_the_english_threshold(store, corpus_recs):
    from lawgraph.graph import links
    from lawgraph.graph.load import load_parsed_law
    from lawgraph.model.recs import LinkCandidate
    from lawgraph.recommendation_page import recommendation_page

    t_es, t_en = A.candidate_threshold("es"), A.candidate_threshold("en")
    assert t_es is not None and t_en is not None and t_en != t_es   # fitted apart (scripts/fit_candidates.py)
    load_parsed_law(store, make_law(8), jurisdiction="mx", kind="ley", key="lgamvlv")
    en = next(r for r in corpus_recs if r.language == "en" and A.recommendation_asks(r).ask)
    es = next(r for r in corpus_recs if r.body == "CEDAW" and r.language == "es" and A.recommendation_asks(r).ask)
    links.load_recommendations(store, [en, es])
    to = "/mx/ley/lgamvlv@2026-01-15/art_6/frac_ii"
    between = (t_es + t_en) / 2                     # above one threshold, under the other
    links.store_candidates(store, [LinkCandidate(link_id=LinkCandidate.make_id(r.rec_id, to), from_id=r.rec_id,
                                                 to_id=to, score=between, method="bm25") for r in (en, es)])
    v_en, v_es = recommendation_page(store, en.rec_id), recommendation_page(store, es.rec_id)
    assert v_en.threshold == t_en and v_es.threshold == t_es
    assert (v_en.above_threshold, v_es.above_threshold) == ((1, 0) if t_en < t_es else (0, 1))
    # people read Spanish: the English one carries a machine translation, marked as one
    from lawgraph.recommendation_page import MACHINE_TRANSLATION
    from lawgraph.nlp.textnorm import words

    assert v_en.text_es and v_en.text_es_note == MACHINE_TRANSLATION and "Apertium" in MACHINE_TRANSLATION
    assert {"de", "la", "el", "los", "las", "y"} & set(words(v_en.text_es)) and v_en.text_es != v_en.text
    assert v_es.text_es is None and v_es.text_es_note is None
    from lawgraph.api.rendering import templates

    html = templates.get_template("recomendacion.html").render(r=v_en, request=None)
    assert 'lang="en"' in html and "Traducción automática (Apertium)" in html
