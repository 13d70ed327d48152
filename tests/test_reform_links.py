"""Reform notes linked to the decrees of the same document, with the rest reported."""
from __future__ import annotations

from pathlib import Path

from lawgraph.nlp.amendments import parse_clause
from lawgraph.nlp.reform_links import link_reform_notes
from tests.session_cache import parsed_pdf


def test_every_lgamvlv_note_finds_its_decree(corpora: Path):
    law = parsed_pdf(corpora / "laws/federal/lgamvlv.pdf")
    report = link_reform_notes(law)
    assert report.links and not report.unmatched
    # the notes of the 15-01-2026 decree point at it, and its clause names those articles
    recent = [ln for ln in report.links if ln.dof_date.isoformat() == "2026-01-15"]
    assert recent and all(ln.clause_names_article for ln in recent)
    assert {ln.decree for ln in recent} == {recent[0].decree} and recent[0].decree.startswith("/mx/dof/2026-01-15/")
    # 're-published whole' notes are reported: that decree's clause does not name the article
    assert any("íntegro" in ln.note for ln in report.not_in_clause)


def test_constitution_notes_older_than_the_list_are_reported_not_dropped(corpora: Path):
    law = parsed_pdf(corpora / "laws/federal/cpeum.pdf")
    report = link_reform_notes(law)
    assert len(report.links) > 1000
    assert report.unmatched and all(u["reason"] == "anterior a la lista de decretos" for u in report.unmatched)
    assert "anterior a la lista" in report.format()


def test_article_labels_with_numbered_suffixes_and_letters():
    res = parse_clause("se adicionan los artículos 30 Bis 10, 30 Bis 11; 34 A; 34 E; y las fracciones XIV Y XV "
                       "del ARTÍCULO 30 Y 37")
    assert res.articles() == ["30 Bis 10", "30 Bis 11", "34 A", "34 E", "30", "37"]
    res = parse_clause("ARTÍCULO PRIMERO.- Se reforman los artículos del 1 al 5 y se derogan los artículos del 181 al 183")
    assert res.articles() == ["1", "2", "3", "4", "5", "181", "182", "183"]
