"""Real LeyesBiblio laws through the parser into the embedded graph."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from lawgraph.graph import read
from lawgraph.graph.load import load_parsed_law, plan_law
from tests.session_cache import parsed_pdf
from lawgraph.provisions import get_provision
from tests.graph_support import falkordb_server, store  # noqa: F401

KW = dict(jurisdiction="mx", kind="ley", key="lgamvlv")


@pytest.fixture(scope="module")
def lgamvlv(corpora):
    return parsed_pdf(corpora / "laws" / "federal" / "lgamvlv.pdf")


@pytest.fixture(scope="module")
def lgamvlv_2024(corpora):
    return parsed_pdf(corpora / "laws" / "federal_bajalabs_2025-08" / "LGAMVLV_static.pdf")


def test_real_law_loads_with_sources_and_reloads_unchanged(store, lgamvlv, corpora):
    report = load_parsed_law(store, lgamvlv, **KW)
    assert report.nodes["ProvisionVersion"].inserted == len(plan_law(lgamvlv, **KW).nodes["ProvisionVersion"])
    articles = read.version_articles(store, "lgamvlv")
    assert [a["label"] for a in articles] == [a.label for a in lgamvlv.articles]
    sha = hashlib.sha256((corpora / "laws" / "federal" / "lgamvlv.pdf").read_bytes()).hexdigest()
    view = get_provision(store, "LGAMVLV art 20 Ter")
    parsed = lgamvlv.article("20 Ter")
    assert view.text == parsed.full_text()
    assert view.source.sha256 == sha and view.source.file == "lgamvlv.pdf"
    assert view.source.page == parsed.source.page
    assert (view.path[0].id, view.path[0].kind, view.path[0].label) == (
        "/mx/ley/lgamvlv@2026-01-15", "version", "2026-01-15")
    decrees = read.version_decrees(store, "lgamvlv")
    assert len(decrees) == len([d for d in lgamvlv.decrees if d.dof_date])
    assert decrees[-1]["dof_date"] == "2026-01-15"

    before = read.stats(store)
    again = load_parsed_law(store, lgamvlv, **KW)
    assert again.unchanged_document
    assert again.total("inserted") == again.total("updated") == again.total("deleted") == 0
    assert read.stats(store) == before


def test_two_real_versions_answer_by_date(store, lgamvlv, lgamvlv_2024):
    load_parsed_law(store, lgamvlv_2024, **KW)
    report = load_parsed_law(store, lgamvlv, **KW)
    # Most units carry over: the newer version reuses the provisions of the older one.
    assert report.nodes["Provision"].unchanged > report.nodes["Provision"].inserted
    assert read.list_laws(store)[0]["versions"] == ["2024-12-16", "2026-01-15"]
    old = read.find_article(store, "lgamvlv", "1", at="2025-06-01")
    new = read.find_article(store, "lgamvlv", "1")
    assert old.version_date == "2024-12-16" and new.version_date == "2026-01-15"
    assert old.provision_id == new.provision_id == "/mx/ley/lgamvlv/art_1"
    assert old.source.file == "LGAMVLV_static.pdf"


FEDERAL = sorted((Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "laws"
                  / "federal").glob("*.pdf"))


@pytest.mark.slow
@pytest.mark.parametrize("pdf", FEDERAL, ids=lambda p: p.name)
def test_every_federal_law_is_in_the_graph_with_sources(store, pdf):
    parsed = parsed_pdf(pdf)
    key = pdf.stem.lower()
    kw = dict(jurisdiction="mx", kind="ley", key=key)
    report = load_parsed_law(store, parsed, **kw)
    assert report.nodes["ProvisionVersion"].inserted == len(plan_law(parsed, **kw).nodes["ProvisionVersion"])
    assert [a["label"] for a in read.version_articles(store, key)] == [a.label for a in parsed.articles]
    missing = store.run(
        "MATCH (pv:ProvisionVersion) WHERE pv.sha256 <> $sha OR pv.page IS NULL "
        "RETURN count(pv) AS n", {"sha": parsed.sha256}).rows[0]["n"]
    assert missing == 0
    assert load_parsed_law(store, parsed, **kw).unchanged_document
