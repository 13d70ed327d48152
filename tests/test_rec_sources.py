"""The recommendation sources are read through one registry, keyed by the manifest's profile
(issue 9 point 5): which files, in which order, and each UPR review's year and symbol come from
corpora/recommendations/un_recommendations.toml, not from the code."""
from __future__ import annotations

from pathlib import Path

import pytest

from lawgraph import corpus
from lawgraph.errors import InputError
from lawgraph.ingest import recs


def test_the_manifest_lists_every_source_file_with_its_hash(corpora: Path):
    docs = recs.source_documents()
    on_disk = {p.relative_to(corpora).as_posix() for p in (corpora / "un_recommendations").rglob("*") if p.is_file()}
    assert {d.path for d in docs} == on_disk
    for d in docs:
        assert corpus.sha256_file(corpora / d.path) == d.sha256, d.id
        assert (corpora / d.path).stat().st_size == d.size, d.id
    assert {d.profile for d in docs} == set(recs.SOURCES)


def test_upr_years_and_symbols_come_from_the_manifest():
    assert recs.upr_documents() == {2009: "A/HRC/11/27", 2013: "A/HRC/25/7"}


def test_the_registry_reads_each_source_once_in_manifest_order(corpora: Path):
    got = recs.load_corpus_recommendations(corpora)
    by_body: dict[str, int] = {}
    for r in got:
        by_body[r.body] = by_body.get(r.body, 0) + 1
    # every body of the compilation and both UPR reviews, each id once
    assert {"CEDAW", "CCPR", "CESCR", "CERD", "CAT", "CRC", "UPR", "IACHR", "MESECVI"} <= set(by_body)
    assert len({r.rec_id for r in got}) == len(got)
    assert {r.document for r in got if r.rec_id.startswith("UPR-")} == {"A/HRC/11/27", "A/HRC/25/7"}
    # CLADEM is read first (Spanish), then the UPR in the manifest's order
    first_upr = next(i for i, r in enumerate(got) if r.rec_id.startswith("UPR-"))
    assert all(r.language == "es" for r in got[:first_upr])
    assert got[first_upr].rec_id.startswith("UPR-2009")


def test_a_manifest_naming_an_unknown_reader_is_refused_naming_the_file(tmp_path: Path, corpora: Path):
    text = recs.source_documents()[0]
    bad = tmp_path / "recs.toml"
    bad.write_text(f'[[document]]\nid = "x"\npath = "{text.path}"\njurisdiction = "mx"\nformat = "md"\n'
                   f'profile = "oaxaca-md"\nsha256 = "{text.sha256}"\n', encoding="utf-8")
    with pytest.raises(InputError, match="oaxaca-md") as exc:
        recs.load_corpus_recommendations(corpora, bad)
    assert str(bad) in str(exc.value)
    with pytest.raises(InputError, match="no existe el manifiesto"):
        recs.source_documents(tmp_path / "missing.toml")


def test_a_mirror_without_any_source_is_an_error_naming_it(tmp_path: Path):
    with pytest.raises(InputError, match="ninguna fuente"):
        recs.load_corpus_recommendations(tmp_path)
