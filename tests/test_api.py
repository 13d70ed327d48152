"""The web pages and JSON API over a real store (embedded FalkorDB, and Neo4j) holding a real law."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lawgraph.api.app import create_app, fecha
from lawgraph.graph import load_parsed_law
from tests.graph_support import falkordb_server, open_test_store  # noqa: F401
from tests.session_cache import parsed_pdf


@pytest.fixture(scope="module")
def client(backend: str, request: pytest.FixtureRequest, corpora: Path, tmp_path_factory: pytest.TempPathFactory):
    """The app over each backend's store holding LGAMVLV (accounts in a throw-away home)."""
    home = tmp_path_factory.mktemp("api-home")
    store = open_test_store(backend, request)
    parsed = parsed_pdf(str(corpora / "laws/federal/lgamvlv.pdf"))
    load_parsed_law(store, parsed, jurisdiction="mx", kind="ley", key="lgamvlv",
                    title="Ley General de Acceso de las Mujeres a una Vida Libre de Violencias")
    with TestClient(create_app(store, home=home), base_url="http://127.0.0.1") as c:
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
    # "Vigente desde" is the article's own last change (its note: "Artículo adicionado DOF
    # 13-04-2020"), not the date of the version it was read from.
    assert "Texto vigente desde 13 de abril de 2020" in t and "versión del 15 de enero de 2026" in t


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
    assert r.status_code == 404 and "referencia no reconocida" in r.json()["error"]
    r = client.get("/api/laws/lgamvlv/articles", params={"at": "ayer"})
    assert r.status_code == 422 and "fecha inválida" in r.json()["error"]


def test_spanish_dates():
    assert fecha("2026-01-15") == "15 de enero de 2026"
    assert fecha("no-date") == "no-date"


def test_parameters_are_bounded_and_errors_are_spanish_json(client):
    """Issue 13 point 7: NUL bytes, negative or huge counts, unbounded search."""
    for path, params in (("/api/provision", {"ref": "LGAMVLV art 6\x00"}), ("/api/search", {"q": "vi\x00olencia"}),
                         ("/api/suggestions", {"limit": -1}), ("/api/suggestions", {"offset": -5}),
                         ("/api/recommendations", {"limit": 0}), ("/api/search", {"q": "violencia", "limit": 10_000_000}),
                         ("/api/recommendations", {"q": "x" * 5000})):
        r = client.get(path, params=params)
        assert r.status_code == 422, (path, params, r.text[:200])
        body = r.json()
        assert body["error"].startswith("Datos no válidos") and "MATCH" not in r.text and "Cypher" not in r.text
    assert client.get("/api/suggestions", params={"offset": 2**31 - 1}).json() == []
    assert client.get("/api/recommendations", params={"offset": 2**31 - 1}).json() == []
    assert len(client.get("/api/search", params={"q": "violencia", "limit": 200}).json()) <= 200
    # pages answer the same mistakes with a Spanish page, never raw English JSON
    for path in ("/sugerencias?pagina=abc", "/no/existe", "/ley/lgamvlv?fecha=ayer"):
        r = client.get(path)
        assert r.status_code in (404, 422) and r.headers["content-type"].startswith("text/html"), path
        assert 'lang="es"' in r.text and "detail" not in r.text and "Not Found" not in r.text, path
    r = client.get("/api/no-existe")
    assert r.status_code == 404 and r.json() == {"error": "No existe esta página."}
