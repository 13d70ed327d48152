"""rebuild builds a fresh graph beside the one readers use and swaps it in only when complete
(issue 13 point 4)."""
from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest

from lawgraph import provisions
from lawgraph.graph import links, views
from lawgraph.graph.falkordb_backend import FalkorDBStore
from lawgraph.graph.load import load_parsed_law
from lawgraph.journal import Journal, record_suggestion
from lawgraph.model.recs import Suggestion, TextSource
from lawgraph.steps import rebuild
from tests.graph_support import falkordb_server, make_law  # noqa: F401

KW = {"jurisdiction": "mx", "kind": "ley", "key": "lgamvlv"}


@pytest.fixture()
def store(falkordb_server):
    """A graph of its own on the session's embedded server (the swap is FalkorDB's)."""
    st = FalkorDBStore(falkordb_server.client(), graph=f"test_{uuid.uuid4().hex[:12]}")
    yield st
    st.clear()


def _journal_with_a_suggestion(home: Path) -> Journal:
    journal = Journal(home)
    sug = Suggestion(sug_id=Suggestion.make_id("Org", date(2024, 3, 8), "Texto de la sugerencia"),
                     organisation="Org", date=date(2024, 3, 8), text="Texto de la sugerencia", language="es",
                     source=TextSource(sha256="0" * 64, file="prueba.csv", row=2))
    record_suggestion(journal, sug)
    return journal


def test_readers_keep_the_old_graph_until_the_new_one_is_complete(store, falkordb_server, lawgraph_home):
    load_parsed_law(store, make_law(6), **KW)
    reader = FalkorDBStore(falkordb_server.client(), graph=store.graph_name)
    journal = _journal_with_a_suggestion(lawgraph_home)
    seen_during = []

    def during(step):
        seen_during.append((step.name, [law.key for law in views.laws(reader)],
                            len(links.list_suggestions(reader))))

    results = rebuild(store, steps=("journal",), journal=journal, on_step=during)
    assert [r.name for r in results] == ["journal", "swap"] and all(r.ok for r in results)
    assert seen_during[0] == ("journal", ["lgamvlv"], 0), "the old graph while the new one is built"
    # the new graph has what its steps built (here the journal only), under the same name
    assert views.laws(reader) == [] and len(links.list_suggestions(reader)) == 1
    assert falkordb_server.client().list_graphs().count(store.graph_name + "__rebuild") == 0


def test_a_failed_rebuild_leaves_the_old_graph(store, falkordb_server, lawgraph_home, tmp_path):
    load_parsed_law(store, make_law(6), **KW)
    results = rebuild(store, targets=[str(tmp_path / "no_existe.pdf")], steps=("laws", "journal"),
                      journal=Journal(lawgraph_home))
    swap = results[-1]
    assert swap.name == "swap" and not swap.ok and "laws" in swap.summary and "anterior" in swap.summary
    assert [law.key for law in views.laws(store)] == ["lgamvlv"]
    assert provisions.get_provision(store, "LGAMVLV art 3") is not None
