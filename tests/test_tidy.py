"""Offline and tidy (issue 12 point 6): a build without the corpus mirror says where it looked and
how to set LAWGRAPH_MIRROR, and shows its steps as skipped; ``lawgraph stats`` is a short Spanish
table (and --json). Run as a person would: the installed command, in a throw-away data directory."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from lawgraph.cli_stats import short_title

LAWGRAPH = Path(sys.executable).with_name("lawgraph")


def _run(home: Path, *args: str, mirror: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "LAWGRAPH_HOME": str(home), "LAWGRAPH_MIRROR": str(mirror), "COLUMNS": "200"}
    return subprocess.run([str(LAWGRAPH), *args], env=env, capture_output=True, text=True, timeout=300)


def test_build_without_mirror_names_the_folder_and_skips(tmp_path: Path):
    home, mirror = tmp_path / "home", tmp_path / "no-existe" / "corpora"
    try:
        r = _run(home, "build", "--no-links", mirror=mirror)
        assert r.returncode == 0, r.stderr
        text = " ".join(r.stdout.split())
        assert f"se buscó en {mirror}" in text and "LAWGRAPH_MIRROR=" in text
        assert "archivo no encontrado" not in text
        lines = [ln for ln in r.stdout.splitlines() if ln[:1] in "✓–✗"]
        assert [ln.split(":")[0] for ln in lines] == ["– laws", "– history", "– process", "– recommendations", "✓ journal",
                                                       "– equivalences"]
        steps = json.loads(_run(home, "build", "--no-links", "--json", mirror=mirror).stdout)["steps"]
        assert [s["skipped"] for s in steps] == [True, True, True, True, False, True]

        r = _run(home, "stats", mirror=mirror)
        assert r.returncode == 0 and "Contenido del grafo" in r.stdout and "Sugerencias de la sociedad civil" in r.stdout
        assert "{" not in r.stdout and "[" not in r.stdout and len(r.stdout.splitlines()) < 40
        assert set(json.loads(_run(home, "stats", "--json", mirror=mirror).stdout)["stats"]) >= {"nodes", "laws"}
    finally:
        _run(home, "db", "stop", mirror=mirror)


def test_long_titles_end_at_a_word_with_an_ellipsis():
    title = "Ley General de Acceso de las Mujeres a una Vida Libre de Violencia y de otras cosas largas"
    out = short_title(title, 40)
    assert out == "Ley General de Acceso de las Mujeres a…" and title.startswith(out[:-1])
    assert short_title("Ley corta", 40) == "Ley corta"


def test_every_manifest_gives_one_sha256_per_url_and_file_urls():
    from lawgraph import corpus

    seen: dict[str, set[str]] = {}
    for d in corpus.load_all():
        if d.url:
            seen.setdefault(d.url, set()).add(d.sha256)
            last = d.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
            # a file URL ends in the file's name, with the manifest's format as its extension
            assert not d.url.endswith("/") and last.lower().endswith("." + d.format), \
                f"{d.id}: {d.url} is an index page, not a {d.format} file"
    assert {u: s for u, s in seen.items() if len(s) > 1} == {}


def test_pages_name_units_and_methods_in_words():
    from lawgraph.api.rendering import metodo, templates, unidad

    assert unidad("/mx/ley/lgamvlv@2026-01-15/art_20-ter/frac_iv") == "artículo 20 Ter, fracción IV"
    assert unidad("no es un id") == "no es un id"
    assert metodo("fuse(bm25+dense+ctx+ref+reuse)") == (
        "enlazador automático: palabras, significado, contexto, referencias, texto reutilizado")
    assert templates.env.filters["etapa"]("turnada_comision") == "turnada a comisión"
    assert templates.env.filters["etapa"]("etapa_nueva") == "etapa nueva"


def test_equivalence_links_name_the_other_laws_provision_in_words():
    """Found by a two-click crawl of a full build: the review queue printed 'De None None' and linked
    /recomendacion/<provision key> (404) for links between jurisdictions."""
    import re

    from lawgraph.api.rendering import templates

    link = dict(id="L1", status="suggested", target_label="Provision", to_id="/mx/ley/lgv/art_106", law_key="lgv",
                article="106", kind="equivalent", score=0.9, method="tfidf-coseno-calibrado", from_label="Provision",
                from_id="/mx-dgo/ley/mx-dgo-lv/art_70", evidence_from=[{"text": "texto de la otra ley"}],
                evidence_to=[], source=None, decree=None, reviewer=None, body=None, document=None)
    html = templates.env.get_template("_enlaces.html").render(links=[link], mostrar_fuente=True, volver="/revision")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "De MX-DGO-LV artículo 70" in text and "Dice la otra ley: «texto de la otra ley»" in text
    assert "None" not in text and "/recomendacion/" not in html and "tfidf" not in text
