"""The advocacy questions answered on the proposals and decree pages, over a store built from the
real corpus: the LGAMVLV (with its decree operations) and the SITL + SIL process records."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lawgraph import status as pure
from lawgraph.api import proposals_view as pv
from lawgraph.api.app import create_app
from lawgraph.graph import load_parsed_law
from lawgraph.graph.falkordb_server import EmbeddedFalkorDB
from lawgraph.graph.read import run_named
from lawgraph.ingest.leyesbiblio import parse_pdf
from lawgraph.ingest.sil import ingest_sil, to_proposal
from lawgraph.ingest.sitl import ingest_snapshot
from lawgraph.model.process import Stage
from lawgraph.nlp.sil_join import join
from lawgraph.steps import load_amendments, load_proposals


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, corpora: Path):
    """(client, store, proposals as loaded): the process step's pieces run once for the module."""
    home = tmp_path_factory.mktemp("proposals-home")
    with EmbeddedFalkorDB(home) as server:
        store = server.store()
        parsed = parse_pdf(str(corpora / "laws/federal/lgamvlv.pdf"))
        load_parsed_law(store, parsed, jurisdiction="mx", kind="ley", key="lgamvlv",
                        title="Ley General de Acceso de las Mujeres a una Vida Libre de Violencias")
        load_amendments(store, parsed, jurisdiction="mx", kind="ley", key="lgamvlv")
        sitl = ingest_snapshot(corpora / "process/sitl_diputados_lxvi")
        sil = ingest_sil(corpora / "process/semaforo-legislativo")
        proposals, _rep = join(sitl.proposals, [to_proposal(i) for i in sil.instruments])
        load_proposals(store, proposals, snapshot="sitl_diputados_lxvi")
        with TestClient(create_app(store, home=home), base_url="http://127.0.0.1") as c:
            yield c, store, proposals


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _all(client, **params) -> list[dict]:
    out, offset = [], 0
    while True:
        rows = client.get("/api/propuestas", params={**params, "limit": 1000, "offset": offset}).json()
        out += rows
        if len(rows) < 1000:
            return out
        offset += 1000


def test_where_is_every_proposal_on_vicarious_violence(built):
    client, _store, proposals = built
    want = {p.id for p in pure.find_proposals(proposals, topic="violencia vicaria")}
    got = _all(client, tema="violencia vicaria")
    assert want and {r["id"] for r in got} == want
    r = client.get("/propuestas", params={"tema": "violencia vicaria"})
    assert r.status_code == 200
    t = _text(r.text)
    for row in got[:50]:
        assert row["stage_es"] in t and row["chamber_es"] in t
        assert f'href="/propuestas{row["id"]}"' in r.text
    assert "turnada_comision" not in t and "Federal" in t
    # every proposal page of the answer opens, with its timeline drawn without scripts
    for row in got[:5]:
        page = client.get("/propuestas" + row["id"])
        assert page.status_code == 200 and "<svg" in page.text and "<script" not in page.text
        assert row["stage_es"] in _text(page.text) and "sha256" in page.text


def test_which_are_stalled_in_committee(built):
    client, _store, proposals = built
    today = date.today()
    want = {p.id for p in pure.pending_longer_than(proposals, 90, today, Stage.TURNADA_COMISION)}
    got = _all(client, etapa="turnada_comision", detenidas=90)
    assert want and {r["id"] for r in got} == want
    assert all(r["pending_since"] < date.fromordinal(today.toordinal() - 90).isoformat() for r in got)
    r = client.get("/propuestas", params={"etapa": "turnada_comision", "detenidas": 90})
    assert r.status_code == 200 and "Turnada a comisión" in _text(r.text) and "siguientes" in r.text


def test_what_the_dof_decree_of_15_01_2026_changed(built):
    client, store, _proposals = built
    r = client.get("/decretos", params={"fecha": "2026-01-15"})
    links = re.findall(r'href="(/decreto/mx/dof/2026-01-15/[^"]+)"', r.text)
    assert r.status_code == 200 and links
    page = client.get(links[0])
    assert page.status_code == 200
    ops = run_named(store, "decree_operations", {"law_key": "lgamvlv", "dof_date": "2026-01-15"})
    arts = {o["article"] for o in ops if o["article"] and not o["transitory"]}
    shown = set(re.findall(r'href="/ley/lgamvlv/articulo/([^"]+)"', page.text))
    from urllib.parse import unquote
    assert arts and {unquote(a) for a in shown} == arts
    t = _text(page.text)
    assert "Decreto publicado en el DOF el 15 de enero de 2026" in t and "Después" in t and "Antes" in t
    # the JSON twin has the same articles, each after-text with its source document
    j = client.get("/api/decretos" + links[0][len("/decreto"):]).json()
    got = {a["article"] for law in j["laws"] for a in law["articles"]}
    assert got == arts
    assert all(a["after"]["source"]["sha256"] for law in j["laws"] for a in law["articles"] if a["after"])
    for a in sorted(shown)[:3]:
        assert client.get(f"/ley/lgamvlv/articulo/{a}").status_code == 200


def test_a_joined_proposal_shows_both_chambers_records_with_sources(built):
    client, _store, proposals = built
    joined = [p for p in proposals if p.sil_ids and p.id.startswith("/mx/iniciativa/lxvi-")]
    assert joined
    p = next((x for x in joined if any(e.chamber == "senado" for e in x.events)), joined[0])
    v = client.get("/api/propuestas" + p.id).json()
    assert v["proposal"]["sil_ids"] == p.sil_ids
    files = {e["file"] for e in v["timeline"]["rows"]}
    assert any("semaforo-legislativo" in f for f in files) and any("sitl" in f for f in files)
    page = client.get("/propuestas" + p.id)
    assert "Expediente en el SIL" in _text(page.text)


def test_bad_filters_answer_in_spanish(built):
    client, _store, _proposals = built
    r = client.get("/api/propuestas", params={"desde": "ayer"})
    assert r.status_code == 422 and "desde" in r.json()["error"] and "no válid" in r.json()["error"]
    assert client.get("/propuestas", params={"desde": "", "hasta": "", "etapa": "", "detenidas": ""}).status_code == 200
    r = client.get("/api/propuestas", params={"etapa": "nada"})
    assert r.status_code == 422
    # an article without a law: that article of any law
    rows = client.get("/api/propuestas", params={"articulo": "20 Ter", "limit": 1000}).json()
    assert rows and all(any(a.endswith("|20 Ter") for a in r["articles"]) for r in rows)
    assert client.get("/propuestas/mx/iniciativa/no-existe").status_code == 404


def test_stage_names_and_titles_for_people():
    assert set(pv.STAGE_ES) == {s.value for s in Stage}
    title = "Proyecto de decreto que reforma " + "diversas disposiciones de la Ley General " * 10
    short = pv.shorten(title, 100)
    assert short.endswith("…") and len(short) <= 101
    assert title.startswith(short[:-1]) and title[len(short) - 1] == " "
