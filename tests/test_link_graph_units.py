"""The linker's units read from the graph are the units of the parsed file (issue 9, point 3).

A real law (LGAMVLV, LeyesBiblio PDF) is loaded with its amendments into the embedded graph;
the units rebuilt from the stored provisions, divisions and note decrees through the named
queries must have the same ids, texts, heading context and dated reform notes as the units
read from the parsed file, and a second read with an unchanged version comes from the cache.
"""
from __future__ import annotations

import pytest

from lawgraph.steps import load_amendments
from lawgraph.steps import stored_units
from lawgraph.graph.load import load_parsed_law
from tests.session_cache import parsed_pdf
from lawgraph.nlp import link as L
from tests.graph_support import falkordb_server, store  # noqa: F401

KW = dict(jurisdiction="mx", kind="ley", key="lgamvlv")


@pytest.fixture(scope="module")
def lgamvlv(corpora):
    return parsed_pdf(corpora / "laws" / "federal" / "lgamvlv.pdf")


def test_units_from_the_graph_match_the_parsed_file_and_are_cached(store, lgamvlv, tmp_path):
    load_parsed_law(store, lgamvlv, **KW)
    load_amendments(store, lgamvlv, **KW)
    from_file = {u.uid: u for u in L.units_from_parsed(lgamvlv, key="lgamvlv", kind="ley")}
    units, counts = stored_units(store, tmp_path)
    from_graph = {u.uid: u for u in units}
    assert counts == {"versions": 1, "versions_read": 1}
    assert set(from_graph) == set(from_file) and len(from_graph) > 600
    for uid, u in from_file.items():
        g = from_graph[uid]
        assert (g.provision_id, g.law_key, g.article, g.fraction, g.text, g.context, g.version_date) == (
            u.provision_id, u.law_key, u.article, u.fraction, u.text, u.context, u.version_date), uid
        # the same notes on the same dates; the decree each names comes from the stored
        # REFORMED_BY edges (the amendments step), the same decrees on this law
        assert sorted((d, t, dec) for d, t, dec, _w in g.notes) == sorted((d, t, dec) for d, t, dec, _w in u.notes), uid
    # vicarious violence (art. 6 fr. VI) is dated by the 2024-01-17 decree from the graph
    vi = from_graph["/mx/ley/lgamvlv@2026-01-15/art_6/frac_vi"]
    assert any(d.isoformat() == "2024-01-17" and dec.startswith("/mx/dof/2024-01-17/") for d, _t, dec, _w in vi.notes)
    again, counts = stored_units(store, tmp_path)
    assert counts == {"versions": 1, "versions_read": 0}
    assert [u.uid for u in again] == [u.uid for u in units]
