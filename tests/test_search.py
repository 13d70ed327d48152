"""One search (issue 12 point 3) over a real law, a suggestion and the SITL proposals in an embedded
store: stems, optional accents, the legal synonym list, grouping by kind, escaped highlights."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from lawgraph import search as searching
from lawgraph.api.app import create_app
from lawgraph.errors import InputError
from lawgraph.graph.falkordb_server import EmbeddedFalkorDB
from lawgraph.journal import Journal
from lawgraph.model.recs import Suggestion, TextSource
from lawgraph.steps import add_suggestions
from tests.real_law import load_lgamvlv

# Written for this test (not copied from any document).
SUG_TEXT = "Pedimos que las órdenes de protección lleguen a las víctimas de violencia vicaria <sin demora>."


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpora: Path):
    home = tmp_path_factory.mktemp("search-home")
    with EmbeddedFalkorDB(home) as server:
        st = server.store()
        load_lgamvlv(st, corpora)
        sug = Suggestion(sug_id=Suggestion.make_id("Red de prueba", date(2025, 3, 8), SUG_TEXT),
                         organisation="Red de prueba", date=date(2025, 3, 8), text=SUG_TEXT, language="es",
                         priority_area="violencia", source=TextSource(sha256="0" * 64, file="prueba.csv", row=2))
        add_suggestions(st, [sug], Journal(home))
        st.home = home
        yield st


def test_the_vocabulary_gives_a_reason_for_every_group():
    groups = searching.load_vocabulary()
    assert len(groups) >= 10 and all(len(g.terms) >= 2 and len(g.reason) > 30 for g in groups)
    assert any({"violencia vicaria", "interpósita persona"} <= set(g.terms) for g in groups)
    with pytest.raises(InputError, match=r"legal_synonyms\.toml: el grupo 1"):
        searching.load_vocabulary('[[group]]\nterms = ["solo uno"]\nreason = "x"\n')


def test_a_query_is_read_into_concepts_with_their_equivalents():
    (c,) = searching.parse_query("Violencia Vicaria")
    assert c.words == "Violencia Vicaria" and c.also == ("interpósita persona",)
    assert ("interposit", "person") in c.alternatives
    # Function words are dropped, unless the query has nothing else; no word, no concept.
    assert [c.words for c in searching.parse_query("paridad de género en la ley")] == ["paridad", "género", "ley"]
    assert [c.words for c in searching.parse_query("de la")] == ["de", "la"]
    assert searching.parse_query("¡¿…?!") == []


def test_highlight_escapes_the_text_and_marks_matched_words():
    out = searching.highlight("<b>Víctimas</b> & victima", {tuple(searching.stems(["victimas"]))}, whole=True)
    assert out == "&lt;b&gt;<mark>Víctimas</mark>&lt;/b&gt; &amp; <mark>victima</mark>"
    # A phrase is marked where its words follow one another, not word by word elsewhere.
    phrase = {("interposit", "person")}
    out = searching.highlight("Una persona actúa por interpósita persona.", phrase, whole=True)
    assert out == "Una persona actúa por <mark>interpósita</mark> <mark>persona</mark>."
    assert "<mark>orden</mark> de <mark>protección</mark>" in searching.highlight(
        "la orden de protección", {tuple(searching._phrase("orden de protección"))}, whole=True)


def test_violencia_vicaria_finds_the_statute_words_interposita_persona(store):
    res = searching.search(store, "violencia vicaria", refresh=True)
    prov = res.groups["provision"]
    assert prov["total"] > 0 and prov["hits"][0]["law_key"] == "lgamvlv"
    found = [h for h in prov["hits"] if "<mark>interpósita</mark> <mark>persona</mark>" in h["excerpt_html"]]
    assert found, [h["excerpt_html"] for h in prov["hits"][:3]]
    # The suggestion says "violencia vicaria" itself.
    sug = res.groups["suggestion"]
    assert sug["total"] == 1 and "<mark>vicaria</mark>" in sug["hits"][0]["excerpt_html"]
    assert "&lt;sin demora&gt;" in sug["hits"][0]["excerpt_html"]


def test_accents_and_number_are_optional(store):
    def ids(q):
        return [h["id"] for h in searching.search(store, q, ["provision"], 100_000).groups["provision"]["hits"]]

    assert ids("interposita persona") == ids("interpósita persona") != []
    assert set(ids("víctimas")) == set(ids("victima")) != set()
    # "mujer" reaches "mujeres" although the stemmer cuts them differently.
    assert set(ids("mujeres")) <= set(ids("mujer"))


def test_kinds_filter_and_unknown_kind(store):
    res = searching.search(store, "víctimas", ["suggestion"])
    assert list(res.groups) == ["suggestion"] and res.groups["suggestion"]["total"] == 1
    with pytest.raises(InputError, match="tipo de resultado desconocido: leyes"):
        searching.search(store, "víctimas", ["leyes"])


def test_search_page_groups_by_kind_and_the_box_example_answers(store):
    app = create_app(store, home=store.home)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        box = re.search(r'placeholder="Ej\.: ([^,"]+)', c.get("/").text).group(1)
        r = c.get("/buscar", params={"q": box})
        assert r.status_code == 200
        t = r.text
        assert "Sin resultados" not in t and "<h2>Disposiciones" in t and "<h2>Sugerencias" in t
        assert "también se buscó: interpósita persona" in t and "<mark>" in t
        link = re.search(r'href="(/ley/lgamvlv/articulo/[^"]+)"', t).group(1)
        assert c.get(link.replace("&amp;", "&")).status_code == 200
        assert c.get(re.search(r'href="(/sugerencia/[^"]+)"', t).group(1)).status_code == 200
        j = c.get("/api/search", params={"q": "interposita persona", "tipo": "provision", "limit": 3}).json()
        assert list(j["groups"]) == ["provision"] and len(j["groups"]["provision"]["hits"]) == 3
        bad = c.get("/api/search", params={"q": "violencia", "tipo": "leyes"})
        assert bad.status_code == 422 and "tipo.0: valor no admitido" in bad.text
        assert c.get("/buscar", params={"q": "¡¿?!"}).status_code == 200


def test_cli_buscar_prints_groups_and_json(store, monkeypatch):
    from lawgraph import cli
    import lawgraph.graph as graph_pkg
    from contextlib import contextmanager

    @contextmanager
    def this_store():
        yield store

    # The command opens the configured store; here it is the test's own embedded store.
    monkeypatch.setattr(graph_pkg, "open_store", this_store)
    runner = CliRunner()
    r = runner.invoke(cli.app, ["buscar", "violencia vicaria", "--limit", "2"])
    assert r.exit_code == 0, r.output
    assert "también se buscó: interpósita persona" in r.output and "Disposiciones" in r.output
    r = runner.invoke(cli.app, ["search", "víctimas", "--tipo", "suggestion", "--json"])
    assert r.exit_code == 0 and '"total": 1' in r.output


def test_warm_builds_every_kind_in_the_background(store):
    searching._INDEXES.pop(id(store), None)  # a fresh index, as in a worker that just started
    assert searching.index_for(store).parts == {}
    searching.warm(store).join(timeout=120)
    assert set(searching.index_for(store).parts) == set(searching.KINDS)
