"""The linker on real laws of the corpus: units, retrieval, the landed check, bad input, evaluation."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from lawgraph.evaluation import links as E
from lawgraph.nlp import link as L
from tests.session_cache import link_cache, parsed_file  # noqa: F401  (link_cache: session fixture)
from lawgraph.nlp.textnorm import fold, terms, with_bigrams


@pytest.fixture(scope="module")
def parsed_two(corpora: Path):
    return [parsed_file(corpora / "laws" / "federal" / "lgamvlv.pdf"),
            parsed_file(corpora / "laws" / "federal" / "cpf.pdf")]


@pytest.fixture(scope="module")
def index(parsed_two, link_cache) -> L.LinkIndex:
    # The session's linker cache: both indexes of this module embed the same unit texts once.
    return L.build_index(parsed_two, cache_dir=link_cache)


# The landed-check mechanism tests below (which fracción, which decree, every site) run under
# the hand-set weights and thresholds they were written with, before scripts/fit_linker.py:
# whether the fitted ones find these dev suggestions is measured by tests/test_link_guard.py.
PRE_FIT_CHECK = L.SuggestionCheck(min_score=1.5, min_request_cover=0.18, min_relative=0.9)


@pytest.fixture(scope="module")
def prefit_index(parsed_two, link_cache) -> L.LinkIndex:
    return L.build_index(parsed_two, cache_dir=link_cache, weights=L.FusionWeights())


@pytest.fixture(scope="module")
def sug_queries(eval_dir: Path) -> dict[str, L.Query]:
    kind, rows, errors = E.read_gold(eval_dir / "suggestions_dev.jsonl")
    assert kind == "suggestions" and not errors
    return {q.item_id: q for q in E.queries_for(rows, kind)}


def test_fold_and_stems_meet_across_accents_and_number():
    assert fold("Órdenes de Protección, AÑO") == "ordenes de proteccion, año"
    assert terms("órdenes de protección") == terms("orden de proteccion")
    assert "orden_proteccion" in with_bigrams(terms("las órdenes de protección"))


def test_english_legal_phrases_expand_to_spanish_terms():
    exp = L.expand_english("Criminalize domestic violence and femicide; strengthen protection orders")
    assert "violencia familiar" in exp and "feminicidio" in exp and "órdenes de protección" in exp
    # 'violence' inside 'domestic violence' is consumed by the longer phrase, not expanded twice
    assert exp.count("violencia familiar") == 1


def test_fold_equals_nfkd_without_combining_marks(corpora: Path):
    import unicodedata

    from lawgraph.ingest.recommendations import load_corpus_recommendations

    def reference(text: str) -> str:   # the definition: NFKD, combining marks dropped, ñ kept
        t = unicodedata.normalize("NFKD", text.lower().replace("ñ", "\x00"))
        return "".join(c for c in t if not unicodedata.combining(c)).replace("\x00", "ñ")

    texts = [r.link_text() for r in load_corpus_recommendations(corpora)][:300]
    texts += ["Ñandú ÁÉÍÓÚ º ª ½ ﬁ n\u0303 e\u0301 İstanbul ǅ", "".join(map(chr, range(128, 0x800)))]
    assert [fold(t) for t in texts] == [reference(t) for t in texts]


def test_ista_nouns_keep_their_own_stem():
    # Snowball strips '-ista': 'periodistas' would meet 'periodo' and lose its weight
    assert terms("periodistas") == terms("periodista") == ["periodista"]
    assert terms("periodistas")[0] != terms("periodo")[0]
    assert terms("activistas")[0] != terms("activo")[0]


def test_treaty_body_spanish_expands_to_the_statutes_words():
    exp = L.expand_spanish("Criminalizar la violencia doméstica y proteger a las trabajadoras domésticas")
    assert "violencia familiar" in exp and "trabajo del hogar" in exp and "delito" in exp
    # accents, plural and word order of function words do not matter
    assert "trabajo del hogar" in L.expand_spanish("TRABAJADORA DOMÉSTICA")
    assert L.expand_spanish("órdenes de protección") == []
    # the weighted expansion reaches the BM25 query, below the query's own terms
    qt, qw = L._query_terms(L.Query("x", "es", "Combatir la violencia doméstica"), 0.5)
    fam = terms("familiar")[0]
    assert fam in qt and qw[fam] == 0.5 and terms("violencia")[0] not in qw


def test_recommendation_clauses_split_asks_not_abbreviations():
    text = ("Tome las medidas necesarias para que la ley sancione todas las formas de violencia contra la mujer. "
            "Recomienda que se promueva la promulgación de leyes que criminalicen la violencia doméstica "
            "conforme al art. 4 de la Constitución. Asimismo, que se capacite en derechos humanos al personal "
            "de salud, de las comisarías y de las fiscalías.")
    parts = L.clauses(text)
    assert len(parts) == 3 and parts[1].endswith("Constitución") and "art. 4" in parts[1]
    assert L.clauses("Acelerar la aplicación de las órdenes de protección en el plano estatal.") == []


def test_definitions_are_recognised_and_list_lead_ins_are_not():
    assert L.defined_terms("ARTÍCULO 18.- Violencia Institucional: Son los actos u omisiones") == frozenset(
        terms("violencia institucional"))
    assert L.defined_terms("Artículo 325. Comete el delito de feminicidio quien prive de la vida") == frozenset(
        terms("feminicidio"))
    assert L.defined_terms("ARTÍCULO 27.- Las medidas u órdenes de protección, son actos de urgente aplicación") \
        == frozenset(terms("medidas órdenes protección"))
    # a fracción defines only with its own words, not with its article's lead-in
    frac = "ARTÍCULO 6.- Los tipos de violencias contra las mujeres son: V. La violencia sexual.- Es cualquier acto"
    assert L.defined_terms(frac, fraction=True) == frozenset(terms("violencia sexual"))
    assert L.defined_terms("Artículo 325. Comete el delito de feminicidio quien … IV. A la víctima se le haya", True) \
        == frozenset()
    # lead-ins of lists define nothing
    assert not L.defined_terms("Artículo 89. Las facultades y obligaciones del Presidente, son las siguientes:")
    assert not L.defined_terms("Artículo 6. Para efectos del artículo 2 de esta Ley, son principios rectores")


def test_committee_formula_is_stripped_from_queries():
    assert L.strip_boilerplate("El Comité exhorta al Estado parte a: Acelerar la aplicación").startswith("Acelerar")
    assert L.strip_boilerplate("El Comité recomienda que el Estado parte: Instituya medidas").startswith("Instituya")


def test_query_references_resolve_spanish_law_names(corpora: Path):
    # Real CLADEM paragraphs that name federal laws in Spanish: the reference boosts must see
    # them (until session 14 the query passed a jurisdiction the catalogue does not know, and no
    # Spanish name resolved).
    from lawgraph.ingest.recommendations import read_cladem_dir
    from lawgraph.nlp.link_query import _refs

    recs, _, _ = read_cladem_dir(corpora / "un_recommendations" / "cladem_mexico")
    by_id = {r.rec_id: r for r in recs}
    assert "lgamvlv" in _refs(by_id["A/HRC/25/7 para 148.74"].text)[0]
    assert "lgimh" in _refs(by_id["CEDAW/C/MEX/CO/6 para 11"].text)[0]
    laws, arts = _refs("Reformar el artículo 325 del Código Penal Federal")
    assert laws == {"cpf"} and arts == {("cpf", "325")}
    # a state's law is not a federal provision: no boost
    assert _refs("Reformar la Ley Estatal del Derecho de las Mujeres a una Vida Libre de Violencia "
                 "del Estado de Chihuahua") == (set(), set())


def test_upr_lead_in_and_recommending_state_are_stripped():
    twin = ("México examinará las recomendaciones que figuran a continuación, formuladas durante el "
            "diálogo interactivo, y les dará respuesta a su debido tiempo, pero a más tardar en el 25º "
            "período de sesiones del Consejo de Derechos Humanos, que se celebrará en marzo de 2014: "
            "Armonizar la legislación federal pertinente (España.;")
    assert L.strip_boilerplate(twin) == "Armonizar la legislación federal pertinente"
    assert L.strip_boilerplate("The Committee urges the State party to: Adopt a law").startswith("Adopt")
    # a bracket that is part of the ask stays
    assert L.strip_boilerplate("Aplicar la norma (de las órdenes)").endswith("(de las órdenes)")


def test_fracciones_under_apartados_and_parrafos_are_units(corpora: Path):
    # CPEUM art. 123 lists its fracciones under apartados A and B (both have a VII);
    # LGDNNA art. 59 under its second párrafo: each is a unit of its own, with the lead-in.
    cpeum = L.units_from_parsed(parsed_file(corpora / "laws" / "federal" / "cpeum.pdf"))
    vii = [u for u in cpeum if u.article == "123" and u.fraction == "VII"]
    assert len(vii) == 2 and len({u.provision_id for u in vii}) == 2
    a = next(u for u in vii if "/apdo_a/" in u.uid)
    assert "salario igual" in a.text and "obreros" in a.text
    art = next(u for u in cpeum if u.article == "123" and u.fraction is None)
    assert "salario igual" not in art.text          # the article unit leaves its fracciones out
    lgdnna = L.units_from_parsed(parsed_file(corpora / "laws" / "federal" / "lgdnna.pdf"))
    iv = next(u for u in lgdnna if u.article == "59" and u.fraction == "IV")
    assert "sanciones" in iv.text and iv.uid.endswith("/frac_iv")


def test_reform_note_of_a_last_fraccion_does_not_date_the_closing_paragraphs(parsed_two):
    # CPF art. 325: 'Fracción adicionada DOF 25-04-2023' dates fracción VIII, not the penalty
    # paragraphs the parser leaves in it; retrieval still sees them.
    units = L.units_from_parsed(parsed_two[1])
    viii = next(u for u in units if u.article == "325" and u.fraction == "VIII")
    assert "cuarenta a sesenta años" in viii.text
    dated = [n for n in viii.notes if n[0] == date(2023, 4, 25)]
    assert dated and all("explotación" in n[3] and "cuarenta a sesenta" not in n[3] for n in dated)


def test_a_last_fraccion_ends_where_its_reform_note_stood(corpora: Path):
    # LGDNNA 47 VIII: the definitions of corporal and humiliating punishment are printed before
    # 'Fracción adicionada DOF 11-01-2021', the article's closing paragraphs after it
    p = parsed_file(corpora / "laws" / "federal" / "lgdnna.pdf")
    art = next(a for a in p.articles if a.label == "47")
    viii = next(c for c in art.children if c.label == "VIII")
    assert [n.paragraphs for n in viii.reform_notes] == [4]
    own, tail = L._split_tail(viii, last=True)
    assert own.startswith("VIII.") and "Castigo humillante es" in own and "perspectiva de género" not in own
    assert tail.startswith("Las autoridades competentes deberán considerar la perspectiva de género")


def test_units_carry_context_notes_and_decrees(parsed_two):
    units = L.units_from_parsed(parsed_two[0])
    by = {(u.article, u.fraction): u for u in units}
    vi = by[("6", "VI")]
    assert vi.uid.endswith("/art_6/frac_vi") and vi.uid.startswith("/mx/ley/lgamvlv@")
    assert "interpósita persona" in vi.text and vi.text.startswith("ARTÍCULO 6")   # the lead-in travels along
    assert "LEY GENERAL DE ACCESO" in vi.context
    dated = [n for n in vi.notes if n[0] == date(2024, 1, 17)]
    assert dated and dated[0][2].startswith("/mx/dof/2024-01-17/")       # the decree of that day
    assert "interpósita persona" in dated[0][3]                          # the words it enacted
    # an article in a chapter carries the chapter heading
    assert "ÁMBITO FAMILIAR" in by[("7", None)].context.upper()


def test_versions_with_the_same_text_are_indexed_once(corpora: Path, parsed_two):
    old = parsed_file(corpora / "laws" / "federal_bajalabs_2025-08" / "LGAMVLV_static.pdf")
    a, b = L.units_from_parsed(parsed_two[0]), L.units_from_parsed(old)
    merged = L.dedupe_units(a + b)
    assert len(merged) < len(a) + len(b)
    shared = [u for u in merged if len(u.version_ids) == 2]
    assert shared and all(u.uid == u.version_ids[0] and "@2026-01-15" in u.uid for u in shared)


def test_spanish_suggestion_lands_on_the_enacted_provision_with_its_decree(prefit_index, sug_queries):
    cands, dec = L.link_suggestion(prefit_index, sug_queries["SUG-22"], check=PRE_FIT_CHECK)
    assert any(c.to_id.endswith("/art_16-bis") for c in cands[:5])
    assert dec.landed and dec.article == "16 Bis" and dec.dof_date == date(2024, 1, 26)
    assert dec.decree_id and dec.decree_id.startswith("/mx/dof/2024-01-26/")
    hit = next(c for c in cands if c.to_id == dec.to_id)
    assert hit.decree_id == dec.decree_id and hit.evidence_to and hit.evidence_from


def test_asked_words_are_covered_in_the_statutes_wording():
    # A thesaurus phrase counts as covered when the statutes' words for it are in the enacted
    # text ('feminicidio' / 'femicidios', 'violencia doméstica' / 'violencia familiar'); a word
    # the enacted text does not carry in any wording is not.
    text = "Que se castiguen los femicidios y haya refugios para las víctimas de violencia doméstica"
    got = L._covered(set(terms(text)), L.thesaurus_matches(text),
                     set(terms("el feminicidio y los casos de violencia familiar")))
    assert {terms("femicidios")[0], terms("doméstica")[0], terms("violencia")[0]} <= got
    assert terms("víctimas")[0] not in got


def test_phrases_that_stem_to_one_word_match_their_words_not_their_stem():
    # 'todos los estados' stems to 'estad', which every 'Estado parte' also stems to; 'la casa'
    # to 'cas', which 'casos' also stems to (issue 10, point 3)
    assert "entidades federativas" in L.expand_spanish("que se legisle en todos los estados del país")
    assert "entidades federativas" not in L.expand_spanish("El Estado parte debe informar de los casos")
    assert L.expand_spanish("los casos de violencia doméstica") == ["violencia familiar"]


def test_article_added_whole_lands_on_the_fraccion_that_says_what_was_asked(prefit_index, sug_queries):
    # SUG-05: LGAMVLV 46 Ter was added whole in 2015; fracción II (prevention and care of violence
    # in ejidos and agrarian communities, of ethnic origin too) says more of the ask than IV
    cands, dec = L.link_suggestion(prefit_index, sug_queries["SUG-05"], check=PRE_FIT_CHECK)
    assert dec.landed and (dec.article, dec.fraction) == ("46 Ter", "II") and dec.dof_date == date(2015, 6, 4)


def test_not_landed_suggestion_is_not_reported_landed(index, sug_queries):
    # CPF 332 still says what SUG-34 asks to remove: found, but its text did not change since
    cands, dec = L.link_suggestion(index, sug_queries["SUG-34"])
    assert any("/art_332" in c.to_id for c in cands[:3])
    assert not dec.landed and any("332" in r for r in dec.reasons)


def test_the_landed_check_reads_the_ranking_its_model_was_fitted_on(index, sug_queries):
    # The page and `suggest show` list a suggestion's candidates in the reranker's order; a model
    # fitted on that order (fit_landed.py --ranking shown) is given that order, a linear one the
    # fusion's. Threshold 0 lets every changed site pass, so a different list shows in the verdict.
    from dataclasses import replace
    from lawgraph.nlp import link_landed as LL
    from lawgraph.nlp import link_score as LS
    shipped = L.DEFAULT_CHECK.model
    assert shipped is not None and shipped.ranking == "shown"
    differ = 0
    for q in sug_queries.values():
        sc = LS.score_units(index, q, LS._encode_queries(index, LS._query_vec_texts(q)))
        linear, fused, shown = LL._suggestion_rankings(index, q, sc, 10)
        for ranking, read in (("linear", linear), ("shown", shown)):
            check = replace(L.DEFAULT_CHECK, model=replace(shipped, threshold=0.0, ranking=ranking))
            _cands, dec = L.link_suggestion(index, q, check=check)
            assert dec == LL.decide_landed(index, q, read, check, fused, sc.parts["cos"]), (q.item_id, ranking)
        differ += [c.to_id for c in linear[:5]] != [c.to_id for c in shown[:5]]
    assert differ > 0, "no dev suggestion's first five differ between the two rankings"


def test_a_landed_model_file_says_which_ranking_it_reads(tmp_path: Path):
    from lawgraph.errors import InputError
    from lawgraph.nlp import link_landed as LL
    d = json.loads(LL.LANDED_PARAMS_FILE.read_text(encoding="utf-8"))
    d["model"].pop("ranking")                      # written before the choice existed: linear
    (tmp_path / "old.json").write_text(json.dumps(d), encoding="utf-8")
    assert LL.LandedModel.load(tmp_path / "old.json").ranking == "linear"
    d["model"]["ranking"] = "reranked"
    (tmp_path / "bad.json").write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(InputError) as e:
        LL.LandedModel.load(tmp_path / "bad.json")
    assert "bad.json" in str(e.value) and "reranked" in str(e.value)
    with pytest.raises(ValueError):
        LL.suggestion_ranking(None, None, None, 10, ranking="reranked")


def test_english_recommendation_reaches_spanish_provisions(index):
    q = L.Query("t-en", "en", "Criminalize domestic violence in the federal criminal code and punish perpetrators")
    cands = L.link_recommendation(index, q, k=5)
    assert any("/codigo/cpf@" in c.to_id and "/art_343-" in c.to_id for c in cands)
    c = cands[0]
    assert c.method.startswith("fuse(") and c.score > 0
    assert c.evidence_to[0].text and c.evidence_from[0].text in q.text


def test_long_duty_lists_do_not_win_by_length(index):
    # one fracción of a long list matches: the list's article must not beat the specific provision by bulk
    q = L.Query("t-es", "es", "Tipificar el delito de violencia familiar con sus elementos")
    cands = L.link_recommendation(index, q, k=3)
    assert any(c.to_id.endswith("/art_9/frac_i") or "/art_343-bis" in c.to_id for c in cands)


def test_long_list_fracciones_are_scored_against_their_siblings(index):
    # LGAMVLV art. 42 (duties of one authority) is a long list: each fracción's score is taken
    # down by a share of its list's median, so a list that matches everything a little stops
    # winning, while a fracción that stands out from its siblings keeps its lead.
    q = L.Query("t-list", "es", "Integrar el banco nacional de datos sobre casos de violencia contra las mujeres")
    rows = [i for i, u in enumerate(index.units) if u.article_key == ("lgamvlv", "42") and u.fraction]
    assert len(rows) >= L.LONG_LIST_FRACTIONS
    qv = L._encode_queries(index, L._query_vec_texts(q))
    on = L.score_units(index, q, qv)
    base = L._list_baseline(index, on.fused + 0)  # same shape; median per list
    assert np.allclose(base[rows], base[rows][0]) and base[rows][0] > 0
    top = max(rows, key=lambda i: on.fused[i])
    assert "banco nacional" in fold(index.units[top].text)


def test_a_recommendation_naming_a_concept_reaches_its_definition(index):
    q = L.Query("t-def", "es", "Sancionar a los servidores públicos que incurran en violencia institucional "
                "contra las mujeres y garantizar su acceso a la justicia")
    cands = L.link_recommendation(index, q, k=5)
    assert any(c.to_id.endswith("/art_18") for c in cands)
    hit = next(c for c in cands if c.to_id.endswith("/art_18"))
    assert "def" in hit.method


def test_bad_items_get_errors_and_the_rest_is_linked(index, sug_queries):
    items = [L.Query("vacia", "es", "  "), L.Query("frances", "fr", "violence contre les femmes"),
             L.Query("enorme", "es", "violencia " * 5000), sug_queries["SUG-16"]]
    b = L.link_many(index, items)
    errs = {e.item_id: e.message for e in b.errors}
    assert set(errs) == {"vacia", "frances", "enorme"}
    assert "vacío" in errs["vacia"] and "'fr'" in errs["frances"] and "largo" in errs["enorme"]
    assert list(b.candidates) == ["SUG-16"] and len(b.candidates["SUG-16"]) == 10 and list(b.landed) == ["SUG-16"]


def test_read_gold_reports_bad_rows(tmp_path: Path, eval_dir: Path):
    good = (eval_dir / "recommendation_links_dev.jsonl").read_text(encoding="utf-8").splitlines()[0]
    p = tmp_path / "g.jsonl"
    p.write_text(good + "\n{no json\n" + json.dumps({"rec_id": "x"}) + "\n", encoding="utf-8")
    kind, rows, errors = E.read_gold(p)
    assert kind == "recommendations" and len(rows) == 1
    assert any(":2:" in e and "JSON" in e for e in errors) and any(":3:" in e for e in errors)
    with pytest.raises(Exception, match="no existe"):
        E.read_gold(tmp_path / "missing.jsonl")


def test_counting_rule_needs_the_named_fraccion(parsed_two):
    units = {(u.article, u.fraction): u for u in L.units_from_parsed(parsed_two[0])}
    t = {"law": "lgamvlv", "article": "6", "fraction": "VI"}
    assert E.matches(units[("6", "VI")], t)
    assert not E.matches(units[("6", "V")], t) and not E.matches(units[("6", None)], t)
    assert E.matches(units[("6", None)], {"law": "lgamvlv", "article": "6", "fraction": None})


@pytest.mark.slow
def test_dev_answers_on_the_whole_federal_corpus(corpora: Path, eval_dir: Path, link_cache: Path):
    from lawgraph.ingest.recommendations import load_corpus_recommendations

    index = L.build_index(E.corpus_law_files(corpora), cache_dir=link_cache)
    recs = load_corpus_recommendations(corpora)
    r = E.evaluate(index, eval_dir / "recommendation_links_dev.jsonl", recs)
    assert set(r["by_language"]) == {"es", "en"} and r["negatives"]["n"] == 2
    assert r["overall"]["recall@10"] >= r["overall"]["recall@5"] >= r["overall"]["recall@1"]
    s = E.evaluate(index, eval_dir / "suggestions_dev.jsonl", recs)
    assert s["false_landed"] == 0
    # Floors a few points under the figures measured once the item-specific vocabulary went and the
    # ask weights were fitted on the silver set (issue 10; provision@5 0.667, landed@5 0.333 on the
    # 9 dev suggestions, docs/linking.md); the silver-set floors are in tests/test_link_guard.py.
    assert s["provision_recall@5"] >= 0.6 and s["landed_recall@5"] >= 0.22


@pytest.mark.slow
def test_cli_eval_links_json_last_line(lawgraph_home: Path, eval_dir: Path, link_cache: Path):
    from typer.testing import CliRunner

    from lawgraph.cli import app

    (lawgraph_home / "cache").symlink_to(link_cache)   # the session's parsed units, not a third parse

    # --source archivos: this data directory has no graph (the default source since issue 10).
    res = CliRunner().invoke(app, ["eval", "links", "--source", "archivos",
                                   "--gold", str(eval_dir / "suggestions_dev.jsonl"), "--json"])
    assert res.exit_code == 0, res.output
    last = json.loads(res.output.strip().splitlines()[-1])
    assert "es" in last["by_language"] and "recall@5" in last["by_language"]["es"]
    assert last["false_landed"] == 0 and "landed_recall@5" in last


def test_one_decree_landing_the_ask_in_two_articles_names_both(corpora: Path, sug_queries, tmp_path: Path):
    # The 2021 LGDNNA decree defined corporal and humiliating punishment in one article and
    # forbade it at school in another: an ask for both landed in both. (The dev suggestion this
    # test first used, SUG-10, reached 47 VIII only through thesaurus rows written for it and
    # removed by issue 10; this ask is written here in the statutes' own words.)
    idx = L.build_index([parsed_file(corpora / "laws" / "federal" / "lgdnna.pdf")], cache_dir=tmp_path,
                        weights=L.FusionWeights())
    ask = L.Query("pide-castigo", "es", "Pedimos que la ley prohíba el castigo corporal y el castigo humillante "
                  "contra niñas, niños y adolescentes, también en las escuelas.", kind="sug", day=date(2019, 3, 1))
    cands, dec = L.link_suggestion(idx, ask, check=PRE_FIT_CHECK)
    sites = {(d.article, d.fraction, d.dof_date) for d in dec.sites()}
    assert {("47", "VIII", date(2021, 1, 11)), ("105", "IV", date(2021, 1, 11))} <= sites
    assert len({d.decree_id for d in dec.sites()}) == 1 and dec.decree_id
    landed_cands = {c.to_id for c in cands if c.decree_id == dec.decree_id and "+landed" in c.method}
    assert {d.to_id for d in dec.sites()} <= landed_cands


def test_units_of_an_unchanged_law_file_come_from_the_cache(corpora: Path, tmp_path: Path):
    path = corpora / "laws" / "federal" / "lgamvlv.pdf"
    first = L.build_index([path], cache_dir=tmp_path)
    again = L.build_index([path], cache_dir=tmp_path)
    assert first.stats["files_parsed"] == 1 and again.stats["files_parsed"] == 0
    assert [(u.uid, u.text, u.notes) for u in again.units] == [(u.uid, u.text, u.notes) for u in first.units]
    # another file (or other parser code) is another cache entry
    assert len(list((tmp_path / "link_units").glob("*.pkl"))) == 1


def test_bm25_scores_with_a_paths_own_k1_and_b_equal_a_table_built_with_them():
    # The tables are built once with the textbook k1, b; a path that scores with its own values
    # must get what a table built with them gives (link_score.score_units passes the path's).
    from lawgraph.nlp.bm25 import BM25

    docs = [["orden", "proteccion", "victima"], ["alerta", "genero"] * 3, ["victima", "reparacion", "dano", "victima"]]
    q = ["victima", "alerta", "orden"]
    textbook = BM25(docs, 1.2, 0.75)
    other = BM25(docs, 0.5, 0.3)
    assert np.allclose(textbook.scores(q, None, 0.5, 0.3), other.scores(q))
    assert np.allclose(textbook.scores(q), BM25(docs, 1.2, 0.75).scores(q))
    assert not np.allclose(textbook.scores(q), other.scores(q))
