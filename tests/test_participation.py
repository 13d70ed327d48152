"""Suggestions and review on the web (issue 12 point 5), as a person uses them on a real embedded
store with the real LGAMVLV: add a suggestion through the form (account + CSRF, journal first),
find it in the review queue with its filters, confirm it with a link kind, and read "¿Se volvió
ley?" on its page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from lawgraph import search as searching
from lawgraph.api.app import create_app
from lawgraph.cli import app as cli_app
from lawgraph.graph.falkordb_server import EmbeddedFalkorDB
from lawgraph.graph.links import store_candidates
from lawgraph.journal import Journal
from lawgraph.model.recs import LinkCandidate, Span
from lawgraph.provisions import get_provision
from tests.real_law import load_lgamvlv

PASSWORD = "frase de prueba para revisar"
# Written for this test.
TEXT = "Que la ley nombre la violencia ejercida por interpósita persona contra las madres y sus hijas."


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, corpora: Path):
    home = tmp_path_factory.mktemp("participation-home")
    mp = pytest.MonkeyPatch()
    mp.setenv("LAWGRAPH_HOME", str(home))
    r = CliRunner().invoke(cli_app, ["user", "add", "Rosa", "--password-stdin"], input=PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    with EmbeddedFalkorDB(home) as server:
        store = server.store()
        load_lgamvlv(store, corpora)
        app = create_app(store, home=home)
        app.state.journal = Journal(home)
        yield {"home": home, "store": store, "app": app}
    mp.undo()


def _csrf(c: TestClient, path: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', c.get(path).text).group(1)


def test_add_a_suggestion_then_review_it_on_the_web(site):
    with TestClient(site["app"], base_url="http://127.0.0.1") as c:
        _walk(c, site)


def _walk(c: TestClient, site) -> None:
    form = c.get("/sugerencias/nueva")
    assert form.status_code == 200 and "/entrar?next=/sugerencias/nueva" in form.text
    records = len(Journal(site["home"]))
    r = c.post("/sugerencias/guardar", data={"organisation": "Red", "date": "2025-03-08", "text": TEXT},
               follow_redirects=False)
    assert r.status_code == 401 and len(Journal(site["home"])) == records, "no account, nothing stored"

    r = c.post("/entrar", data={"usuario": "Rosa", "contrasena": PASSWORD, "csrf": _csrf(c, "/entrar")},
               follow_redirects=False)
    assert r.status_code == 303
    csrf = _csrf(c, "/sugerencias/nueva")
    # A bad date shows the form again, with the reason in Spanish and the text kept.
    r = c.post("/sugerencias/guardar", data={"organisation": "Red de madres", "date": "ayer no", "text": TEXT,
                                           "area": "violencia", "csrf": csrf})
    assert r.status_code == 400 and "No se guardó" in r.text and "interpósita persona contra" in r.text
    assert len(Journal(site["home"])) == records
    r = c.post("/sugerencias/guardar", data={"organisation": "Red de madres", "date": "2025-03-08", "text": TEXT,
                                           "area": "violencia", "law": "LGAMVLV", "csrf": csrf},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/sugerencia/")
    assert [x.kind for x in Journal(site["home"]).replay()][-1] == "suggestion"
    page = c.get(r.headers["location"])
    assert "Red de madres" in page.text and "formulario web (Rosa)" in page.text
    sug_id = c.get("/api/suggestions").json()[0]["id"]
    # At once searchable in this worker.
    assert searching.search(site["store"], "madres hijas", ["suggestion"]).groups["suggestion"]["total"] == 1

    # A candidate link to art. 6 fr. VI, as the linker would store it (the linker is not under test).
    store = site["store"]
    prov = get_provision(store, "LGAMVLV art 6 fr. VI")
    i, j = prov.text.find("interpósita persona"), TEXT.find("interpósita persona")
    cand = LinkCandidate(link_id=LinkCandidate.make_id(sug_id, prov.id), from_id=sug_id, to_id=prov.id, score=0.8,
                         method="manual", evidence_from=[Span(start=j, end=j + 19, text=TEXT[j:j + 19])],
                         evidence_to=[Span(start=i, end=i + 19, text=prov.text[i:i + 19])])
    assert store_candidates(store, [cand]).inserted == 1

    queue = c.get("/revision", params={"fuente": "sugerencia", "ley": "lgamvlv", "puntuacion": "0.5"})
    assert queue.status_code == 200 and "Red de madres" in queue.text and 'name="kind"' in queue.text
    assert "Ningún" not in queue.text and 'action="/vinculo/' in queue.text
    empty = c.get("/revision", params={"fuente": "recomendacion"})
    assert 'action="/vinculo/' not in empty.text
    assert 'action="/vinculo/' not in c.get("/revision", params={"puntuacion": "0.9"}).text
    link = re.search(r'action="/vinculo/([^/"]+)/revision"', queue.text).group(1)
    nxt = re.search(r'name="next" value="([^"]+)"', queue.text).group(1).replace("&amp;", "&")
    r = c.post(f"/vinculo/{link}/revision", data={"decision": "confirmed", "kind": "implements", "reason": "mismo texto",
                                                 "next": nxt, "csrf": _csrf(c, "/revision")}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/revision?")
    done = c.get("/revision", params={"estado": "confirmed"}).text
    assert "implementa" in done and "Revisó Rosa" in done
    became = c.get("/sugerencia/" + sug_id).text
    assert "<strong>Sí</strong>: LGAMVLV art. 6" in became and "«interpósita persona»" in became
