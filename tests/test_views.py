"""Typed reads (issue 9 point 7): the graph's answers as the pydantic domain model."""
from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from lawgraph import provisions
from lawgraph.graph import links, views
from lawgraph.graph.load import load_parsed_law
from lawgraph.model.recs import LinkCandidate, Suggestion, TextSource
from lawgraph.model.views import Law, Link, ProvisionVersion
from tests.graph_support import falkordb_server, make_law, store  # noqa: F401

KW = {"jurisdiction": "mx", "kind": "ley", "key": "lgamvlv"}
V1 = "/mx/ley/lgamvlv@2026-01-15"


def test_laws_versions_provisions_decrees_and_links_read_back_typed(store):
    parsed = make_law(12, decrees=3)
    load_parsed_law(store, parsed, **KW)
    laws = views.laws(store)
    assert [law.key for law in laws] == ["lgamvlv"] and isinstance(laws[0], Law)
    assert laws[0].versions == ["2026-01-15"] and laws[0].latest == "2026-01-15"
    assert [v.id for v in views.law_versions(store, "LGAMVLV")] == [V1]

    pv = views.provision_version(store, f"{V1}/art_6")
    assert isinstance(pv, ProvisionVersion) and pv.id == f"{V1}/art_6" and pv.provision_id == "/mx/ley/lgamvlv/art_6"
    assert pv.source.sha256 == parsed.sha256 and pv.path[0].kind == "version"
    assert pv.children and all(c.id.startswith(pv.id + "/") for c in pv.children)
    assert pv.provision.label == pv.label == "6"
    assert views.provision_version(store, f"{V1}/art_999") is None
    typed = provisions.get_provision(store, "LGAMVLV art 6")       # typed text: the one grammar
    assert typed == pv            # graph/read returns the typed model itself

    ds = views.decrees(store, "lgamvlv")
    assert len(ds) == len([d for d in parsed.decrees if d.dof_date]) and all(d.id.startswith("/mx/dof/") for d in ds)

    sug = Suggestion(sug_id=Suggestion.make_id("Org", date(2024, 3, 8), "Texto de prueba suficiente"),
                     organisation="Org", date=date(2024, 3, 8), text="Texto de prueba suficiente", language="es",
                     source=TextSource(sha256="0" * 64, file="prueba.csv", row=2))
    links.load_suggestions(store, [sug])
    links.store_candidates(store, [LinkCandidate(link_id=LinkCandidate.make_id(sug.sug_id, "/mx/ley/lgamvlv/art_6"),
                                                 from_id=sug.sug_id, to_id=f"{V1}/art_6", score=0.5, method="bm25")])
    got = views.links(store, from_id=sug.sug_id)
    assert len(got) == 1 and isinstance(got[0], Link)
    assert got[0].status == "suggested" and got[0].law_key == "lgamvlv" and got[0].article == "6"


def test_the_read_model_is_frozen_and_strict():
    law = Law(id="/mx/ley/x", key="x")
    with pytest.raises(ValidationError):
        Law(id="/mx/ley/x", key="x", unknown=1)
    with pytest.raises(ValidationError):
        law.key = "y"  # type: ignore[misc]


def test_a_recommendation_reads_back_typed_with_its_links(store):
    from lawgraph.model.recs import Recommendation
    from lawgraph.model.views import LinkView, RecommendationView

    load_parsed_law(store, make_law(12), **KW)
    rec = Recommendation(rec_id="CEDAW/C/MEX/CO/7-8 para 14", body="CEDAW", document="CEDAW/C/MEX/CO/7-8",
                         paragraph="14", language="es", text="El Comité recomienda armonizar la legislación.",
                         themes=["violencia"], source=TextSource(sha256="1" * 64, file="cedaw.md", start=0, end=40))
    links.load_recommendations(store, [rec])
    # the initiatives whose votes reached the article (nlp/link_anchor.py) travel with the link
    anchor = {"id": "/mx/iniciativa/lxvi-0000000000aa", "title": "Que reforma el artículo 6 de la LGAMVLV",
              "date": "2025-03-04"}
    links.store_candidates(store, [LinkCandidate(link_id=LinkCandidate.make_id(rec.rec_id, "/mx/ley/lgamvlv/art_6"),
                                                 from_id=rec.rec_id, to_id=f"{V1}/art_6", score=0.7,
                                                 method="fuse(bm25+anchor)", anchors=[anchor])])
    got = views.recommendation(store, rec.rec_id)
    assert isinstance(got, RecommendationView) and got.id == rec.rec_id and got.themes == ["violencia"]
    assert got.file == "cedaw.md" and got.confirmed == []
    assert len(got.links) == 1 and isinstance(got.links[0], LinkView)
    lk = got.links[0]
    assert lk.to_id == "/mx/ley/lgamvlv/art_6" and lk.score == 0.7 and lk.source and lk.source.version == V1
    assert lk.anchors == [anchor]
    from lawgraph.api.rendering import templates

    html = templates.get_template("_enlaces.html").render(links=[lk], volver="/", cuenta=None, csrf="")
    assert 'href="/propuestas/mx/iniciativa/lxvi-0000000000aa"' in html and "4 de marzo de 2025" in html
    assert "iniciativas afines" in html                  # the method in words
    assert views.recommendation(store, "CEDAW/C/MEX/CO/7-8 para 99") is None
