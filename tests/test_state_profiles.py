"""State laws through parser profiles: the registry, Durango PDFs, Chihuahua Markdown/Word.

Real documents from ../shared/corpora/laws/state; the Durango article inventories are checked
exactly in test_leyesbiblio_eval.py (one answer file per law), here the rest of what the
profiles promise: notes with dates and decrees, the decree lists as decrees with operations,
transitorios apart, the version in force of a Chihuahua article, and clear errors.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lawgraph import corpus
from lawgraph.cli import app
from lawgraph.errors import InputError, ParseError
from lawgraph.ingest import profiles
from lawgraph.ingest.extract import get_extractor
from lawgraph.nlp.amendments import parse_decree
from lawgraph.pipeline import parse_file
from tests.conftest import SHARED
from tests.test_extract_errors import minimal_pdf

STATE = SHARED / "corpora" / "laws" / "state"


@lru_cache(maxsize=None)
def _parse(rel: str):
    return parse_file(STATE / rel)


def test_every_manifest_profile_is_registered():
    used = {d.profile for d in corpus.load_all() if d.profile}
    assert used <= set(profiles.names()), used - set(profiles.names())
    assert {"leyesbiblio", "durango", "chihuahua"} <= set(profiles.names())
    with pytest.raises(InputError, match="perfil de lectura desconocido"):
        profiles.get("oaxaca")


def test_a_file_outside_the_manifests_is_read_by_the_profile_that_recognises_it(shared: Path):
    for rel, want in (("laws/state/durango/ley_victimas.pdf", "durango"), ("laws/federal/lgamvlv.pdf", "leyesbiblio")):
        head = get_extractor("pdfium").pages(str(shared / "corpora" / rel))[0].text
        assert profiles.select(rel, "pdf", head).name == want
    md = (STATE / "chihuahua" / "LEDMVLV_2024_vigente.md").read_text(encoding="utf-8")[:8192]
    assert profiles.select("x.md", "md", md).name == "chihuahua"


def test_an_unrecognised_layout_names_the_file_and_what_was_looked_for(tmp_path: Path):
    p = tmp_path / "ley_de_otro_estado.pdf"
    p.write_bytes(minimal_pdf([["LEY DE ALGO DEL ESTADO", "ARTÍCULO 1.- Texto de la ley."]]))
    with pytest.raises(ParseError) as ei:
        parse_file(p)
    msg = str(ei.value)
    assert str(p) in msg and "maquetación no reconocida" in msg
    assert "CÁMARA DE DIPUTADOS" in msg and "FECHA DE ULTIMA REFORMA" in msg
    # named by a manifest as a Durango file, the same layout is refused by that profile
    with pytest.raises(ParseError, match="perfil durango"):
        parse_file(p, profile="durango")


def test_a_manifest_entry_whose_layout_is_not_recognised_is_an_ingest_error(lawgraph_home: Path, tmp_path: Path):
    mirror = tmp_path / "mirror"
    (mirror / "laws").mkdir(parents=True)
    pdf = mirror / "laws" / "dgo_falso.pdf"
    pdf.write_bytes(minimal_pdf([["LEY FALSA", "ARTÍCULO 1.- Texto."]]))
    manifest = tmp_path / "falso.toml"
    manifest.write_text(
        '[[document]]\nid = "mx-dgo-falsa-pdf-2020-01-01"\npath = "laws/dgo_falso.pdf"\n'
        f'sha256 = "{corpus.sha256_file(pdf)}"\njurisdiction = "mx-dgo"\nformat = "pdf"\n'
        'kind = "ley"\nlaw_key = "mx-dgo-falsa"\nprofile = "durango"\n', encoding="utf-8")
    r = CliRunner().invoke(app, ["ingest", str(manifest)], env={"LAWGRAPH_MIRROR": str(mirror), "COLUMNS": "400"},
                           catch_exceptions=False)
    assert r.exit_code != 0
    assert "dgo_falso.pdf" in r.output and "maquetación no reconocida" in r.output
    assert "1 con error" in r.output


def test_durango_notes_decrees_and_transitorios():
    law = _parse("durango/ley_mujeres_vida_sin_violencia.pdf")
    a1 = law.article("1")
    note = a1.reform_notes[0]
    assert note.text.startswith("ARTICULO REFORMADO POR DEC. 230")
    assert note.dates and note.dates[0].isoformat() == "2017-11-19" and note.gazette == "POE"
    assert note.source.page == 1 and note.source.sha256 == law.sha256
    # the original law's transitorios are kept apart from the decrees' own
    assert [t.label for t in law.transitorios][:2] == ["ARTÍCULO PRIMERO", "ARTÍCULO SEGUNDO"]
    first = law.decrees[0]
    assert (first.number, first.gazette_number, first.dof_date.isoformat()) == ("94", "38", "2011-05-12")
    assert first.clause.startswith("ARTÍCULO ÚNICO.- Se adicionan la fracción VI al artículo 8")
    assert [t.label for t in first.transitorios] == ["Primero", "Segundo"]
    ops = parse_decree(first.title, first.clause).operations
    assert [(o.op, o.article) for o in ops] == [("adiciona", "8"), ("adiciona", "49"), ("adiciona", "54")]
    assert ops[0].units[0].kind == "fraccion" and ops[0].units[0].label == "VI"


def test_durango_repealed_articles_and_headings_without_the_word():
    law = _parse("durango/codigo_penal.pdf")
    assert law.article("296").repealed and law.article("408").repealed
    assert law.article("276 Bis").raw_label.startswith("276 BIS")
    fem = law.article("147 Bis")
    assert "feminicidio" in fem.text.lower()
    assert any(n.dates and n.dates[-1].year >= 2017 for n in fem.reform_notes)
    # most decrees of the list read as operations on articles of this code
    with_ops = sum(1 for d in law.decrees if any(o.article for o in parse_decree(d.title, d.clause).operations))
    assert with_ops >= 0.9 * len(law.decrees)


def test_chihuahua_keeps_the_version_in_force_and_its_history_as_notes():
    law = _parse("chihuahua/CPECHIH_PENAL_2006_vigente.md")
    assert law.title == "CÓDIGO PENAL DEL ESTADO DE CHIHUAHUA (2006)"
    assert law.ultima_reforma.isoformat() == "2025-02-01"
    labels = [a.label for a in law.articles]
    assert len(labels) == len(set(labels)), "a superseded version was kept as an article"
    fem = law.article("126 Bis")
    text = fem.full_text()
    assert "Comete el delito de feminicidio" in text and "Si faltare la razón de género" in text
    frs = [f.label for f in fem.fracciones()]
    assert frs[:7] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    # the reform history of the article, dated, with its decrees
    dates = [n.dates[0].isoformat() for n in fem.reform_notes if n.dates]
    assert dates == sorted(dates) and dates[-1] == "2024-05-05"
    assert all(n.gazette == "POE" for n in fem.reform_notes)
    assert any("versión anterior del artículo 126 bis" in w for w in law.warnings)


def test_chihuahua_decree_list():
    law = _parse("chihuahua/LEDMVLV_2024_vigente.md")
    assert law.title == "LEY ESTATAL DEL DERECHO DE LAS MUJERES A UNA VIDA LIBRE DE VIOLENCIA"
    d = law.decrees[0]
    assert d.number == "783-09 I P. O." and d.dof_date.isoformat() == "2010-03-06"
    assert d.transitorios
    ops = [o for dec in law.decrees for o in parse_decree(dec.title, dec.clause).operations]
    assert ("deroga", "31") in [(o.op, o.article) for o in ops]
    assert law.transitorios and law.transitorios[0].label.lower().startswith("artículo primero")


def test_chihuahua_word_file_with_bracketed_notes():
    law = _parse("chihuahua/130.docx")
    a4 = law.article("4")
    assert a4.repealed
    assert a4.reform_notes and "derogado mediante Decreto" in a4.reform_notes[0].text
    assert a4.reform_notes[0].dates[0].isoformat() == "2013-06-26"


def test_parse_json_of_a_state_file_has_the_federal_schema(corpora: Path):
    runner = CliRunner()
    fed = json.loads(runner.invoke(app, ["parse", str(corpora / "laws/federal/lgamvlv.pdf"), "--json"]).stdout)
    for rel in ("durango/ley_victimas.pdf", "chihuahua/LEDMVLV_2024_vigente.md"):
        r = runner.invoke(app, ["parse", str(STATE / rel), "--json"])
        assert r.exit_code == 0, r.output
        got = json.loads(r.stdout)
        assert set(got) == set(fed)
        assert set(got["articles"][0]) == set(fed["articles"][0])
        assert set(got["decrees"][0]) == set(fed["decrees"][0])
