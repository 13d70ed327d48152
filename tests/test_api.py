"""The web pages and JSON API over a real store (embedded FalkorDB, and Neo4j) holding a real law."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lawgraph.api.app import create_app, fecha
from lawgraph.graph import load_parsed_law
from lawgraph.ingest.leyesbiblio import parse_pdf
from tests.graph_support import falkordb_server, open_test_store  # noqa: F401


@pytest.fixture(scope="module")
def client(backend: str, request: pytest.FixtureRequest, corpora: Path):
    """The app over each backend's store holding LGAMVLV."""
    store = open_test_store(backend, request)
    parsed = parse_pdf(str(corpora / "laws/federal/lgamvlv.pdf"))
    load_parsed_law(store, parsed, jurisdiction="mx", kind="ley", key="lgamvlv",
                    title="Ley General de Acceso de las Mujeres a una Vida Libre de Violencias")
    with TestClient(create_app(store)) as c:
        yield c
    store.clear()
    store.close()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_home_lists_the_law_in_spanish(client):
    r = client.get("/")
    assert r.status_code == 200 and 'lang="es"' in r.text
    t = _text(r.text)
    assert "Leyes en el grafo" in t and "LGAMVLV" in t and "15 de enero de 2026" in t


def test_article_page_cites_document_page_and_date(client):
    r = client.get("/ley/lgamvlv/articulo/20%20Ter")
    assert r.status_code == 200
    t = _text(r.text)
    assert "Artículo 20 Ter" in t and "violencia política" in t
    assert re.search(r"lgamvlv\.pdf, página \d+", t) and "sha256 9a35a6a90178" in t
    assert "Texto vigente desde 15 de enero de 2026" in t


def test_search_finds_provisions_and_links_to_their_article(client):
    r = client.get("/buscar", params={"q": "interpósita persona"})
    links = re.findall(r'href="(/ley/lgamvlv/articulo/[^"?]+)', r.text)
    assert links, _text(r.text)[:500]
    assert client.get(links[0]).status_code == 200
    # a reference goes straight to the provision
    r = client.get("/buscar", params={"q": "LGAMVLV art 6 fr. VI"})
    t = _text(r.text)
    assert "Artículo 6, fracción VI" in t and "interpósita persona" in t


def test_json_api(client):
    laws = client.get("/api/laws").json()
    assert laws[0]["key"] == "lgamvlv" and laws[0]["versions"] == ["2026-01-15"]
    arts = client.get("/api/laws/lgamvlv/articles").json()
    assert len(arts) == 107 and arts[0]["label"] == "1"
    decs = client.get("/api/laws/lgamvlv/decrees").json()
    assert len(decs) == 26 and decs[-1]["dof_date"] == "2026-01-15"
    p = client.get("/api/provision", params={"ref": "LGAMVLV art 20 Ter"}).json()
    assert p["source"]["page"] and p["source"]["sha256"].startswith("9a35a6a90178")


def test_errors_are_spanish_and_do_not_leak(client):
    r = client.get("/ley/noexiste")
    assert r.status_code == 404 and "No hay ninguna ley" in r.text
    r = client.get("/api/provision", params={"ref": "??"})
    assert r.status_code == 400 and "referencia no reconocida" in r.json()["error"]
    r = client.get("/api/laws/lgamvlv/articles", params={"at": "ayer"})
    assert r.status_code == 400 and "fecha inválida" in r.json()["error"]


def test_spanish_dates():
    assert fecha("2026-01-15") == "15 de enero de 2026"
    assert fecha("no-date") == "no-date"
