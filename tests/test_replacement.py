"""A law version is replaced only by one at least as complete (issue 13 point 3), and links
survive a re-ingest of the same law."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from lawgraph.errors import InputError
from lawgraph import provisions
from lawgraph.graph import links, views
from lawgraph.graph.load import load_parsed_law
from lawgraph.ingestion import Job
from lawgraph.model.recs import LinkCandidate, Suggestion, TextSource
from lawgraph.steps import MIN_ARTICLE_SHARE, check_replacement, ingest_document
from tests.graph_support import falkordb_server, make_law, store  # noqa: F401

KW = {"jurisdiction": "mx", "kind": "ley", "key": "lgamvlv"}


def _first_pages(src: Path, n: int, out: Path) -> Path:
    """The first ``n`` pages of a PDF as a new file (a download cut short)."""
    doc = pdfium.PdfDocument(str(src))
    part = pdfium.PdfDocument.new()
    part.import_pages(doc, list(range(n)))
    part.save(str(out))
    return out


def _link_to(store, provision_version: str) -> str:
    sug = Suggestion(sug_id=Suggestion.make_id("Org", date(2024, 3, 8), "Texto sobre violencia digital"),
                     organisation="Org", date=date(2024, 3, 8), text="Texto sobre violencia digital",
                     language="es", source=TextSource(sha256="0" * 64, file="prueba.csv", row=2))
    links.load_suggestions(store, [sug])
    links.store_candidates(store, [LinkCandidate(link_id=LinkCandidate.make_id(sug.sug_id, provision_version),
                                                 from_id=sug.sug_id, to_id=provision_version, score=0.8,
                                                 method="bm25")])
    return sug.sug_id


def test_a_partial_pdf_is_refused_and_links_survive_a_reingest(store, corpora: Path, tmp_path: Path):
    full = corpora / "laws/federal/lgamvlv.pdf"
    first = ingest_document(store, Job(full), **KW)
    assert first.error is None and first.report is not None
    articles = first.extra["articles"]
    target = provisions.get_provision(store, "LGAMVLV art 20 Ter")
    sug = _link_to(store, target.id)
    assert [lk.to_id for lk in views.links(store, from_id=sug)] == [target.provision_id]

    partial = ingest_document(store, Job(_first_pages(full, 5, tmp_path / "lgamvlv_5.pdf")), **KW)
    assert partial.report is None and partial.error
    assert "lgamvlv_5.pdf" in partial.error and "artículos" in partial.error and "--force" in partial.error
    assert f"tiene {articles}" in partial.error, partial.error
    # nothing changed: the article and its link are there
    assert provisions.get_provision(store, "LGAMVLV art 20 Ter").id == target.id
    assert [lk.to_id for lk in views.links(store, from_id=sug)] == [target.provision_id]

    again = ingest_document(store, Job(full), **KW)
    assert again.error is None and again.report.unchanged_document
    assert [lk.to_id for lk in views.links(store, from_id=sug)] == [target.provision_id]


def test_fewer_articles_or_no_decree_list_is_refused_unless_forced(store):
    load_parsed_law(store, make_law(20, decrees=3), **KW)
    with pytest.raises(InputError, match="artículos"):
        check_replacement(store, make_law(int(20 * MIN_ARTICLE_SHARE) - 2, seed="b"), "b.pdf", **KW)
    with pytest.raises(InputError, match="lista de decretos"):
        check_replacement(store, make_law(20, seed="c", decrees=0), "c.pdf", **KW)
    check_replacement(store, make_law(20, seed="d", decrees=4), "d.pdf", **KW)          # as complete: passes
    check_replacement(store, make_law(20, decrees=3), "a.pdf", **KW)                     # the same document
    older = make_law(3, seed="e", version=date(2020, 1, 1), decrees=0)
    check_replacement(store, older, "e.pdf", **KW)                                       # older than any stored
    check_replacement(store, make_law(3, decrees=0), "f.pdf", jurisdiction="mx", kind="ley", key="otra")  # new law
