"""Schemathesis over the whole API, in process (issue 13, point 6): every operation of the OpenAPI
description (JSON endpoints and pages) with generated valid and invalid parameters, on a real
embedded store holding the real LGAMVLV and the corpus recommendations. Every default check must
hold: no server error, every status documented, bodies and headers as documented, valid requests
accepted and invalid ones rejected.

The number of examples per operation is bounded (EXAMPLES) to keep the test near a minute on this
machine; run with LAWGRAPH_SCHEMA_EXAMPLES=200 for a deeper pass."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.python.asgi import shutdown_lifespans

from lawgraph.api.app import create_app
from lawgraph.config import Settings
from lawgraph.graph import load_parsed_law
from lawgraph.graph.falkordb_server import EmbeddedFalkorDB
from lawgraph.graph.links import load_recommendations
from lawgraph.ingest.recommendations import load_corpus_recommendations
from tests.session_cache import parsed_pdf
from lawgraph.journal import Journal
from lawgraph.users import Accounts

# Reason: 25 examples x 22 operations ran in about a minute here (see the module docstring).
EXAMPLES = int(os.environ.get("LAWGRAPH_SCHEMA_EXAMPLES", "25"))


# The application is made at import, because Schemathesis reads its OpenAPI description when the
# tests are collected (its fixture-based loader does not run on this pytest). Schemathesis runs the
# application's lifespan, which opens the store of the settings given here: a throw-away data
# directory, never the checkout's var/. The module fixture loads the corpus into that store.
HOME = tempfile.TemporaryDirectory(prefix="lawgraph-schema-")
# Schemathesis' in-process client calls the site "testserver": allowed here by configuration, as a
# deployment lists its own name.
APP = create_app(settings=Settings(home=Path(HOME.name), backend="falkordb"), home=HOME.name,
                 allowed_hosts=["testserver"])
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@pytest.fixture(scope="module")
def bearer(corpora: Path):
    """LGAMVLV and the corpus recommendations in the embedded store of the throw-away directory;
    the authorization header of an account's API token, so writes are tried as a person."""
    home = Path(HOME.name)
    # The store of that directory: the one the lifespan started at collection if it still runs
    # (attached), else a new one; in a long session the first may be gone by the time this runs.
    server = EmbeddedFalkorDB(home).start()
    try:
        store = APP.state.store = server.store()
        parsed = parsed_pdf(str(corpora / "laws/federal/lgamvlv.pdf"))
        load_parsed_law(store, parsed, jurisdiction="mx", kind="ley", key="lgamvlv",
                        title="Ley General de Acceso de las Mujeres a una Vida Libre de Violencias")
        load_recommendations(store, load_corpus_recommendations(corpora))
        accounts = Accounts(home)
        accounts.add("Revisora de prueba", "contraseña de prueba")
        APP.state.journal = Journal(home)
        APP.state.cache.clear()  # the schema was read before the data was there
        yield {"authorization": f"Bearer {accounts.new_token('Revisora de prueba')}"}
    finally:
        shutdown_lifespans()  # stops the store the lifespan started, if it still runs
        server.stop(force=True)
        HOME.cleanup()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case, bearer):
    case.call_and_validate(headers=bearer)
