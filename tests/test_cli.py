"""The `lawgraph` command as a person uses it, on real documents and a real embedded store."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lawgraph.cli import app
from tests.graph_support import backend_env
from tests.test_extract_errors import minimal_pdf

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env, catch_exceptions=False)


@pytest.fixture(scope="module")
def home(backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """One data directory for the module and its store: the embedded server (started by
    `db start`), or the session's Neo4j (LAWGRAPH_BACKEND=neo4j, NEO4J_URI)."""
    h = tmp_path_factory.mktemp("cli-home")
    mp = pytest.MonkeyPatch()
    mp.setenv("LAWGRAPH_HOME", str(h))
    for k, v in backend_env(backend, request).items():
        mp.setenv(k, v)
    if backend == "falkordb":
        assert run("db", "start").exit_code == 0
    yield h
    if backend == "falkordb":
        run("db", "stop")
    mp.undo()


def _stats(home: Path) -> dict:
    r = run("stats", "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["stats"]


def test_parse_json_has_the_documented_schema(corpora: Path):
    r = run("parse", str(corpora / "laws/federal_bajalabs_2025-08/LGIMH_static.pdf"), "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["schema"] == 1 and doc["format"] == "pdf" and doc["pages"] > 10
    arts = doc["articles"]
    assert [a["label"] for a in arts[:3]] == ["1", "2", "3"]
    for a in arts:
        assert set(a) >= {"label", "repealed", "fracciones", "text", "reform_notes"}
        assert a["text"].strip() and isinstance(a["fracciones"], list)
    assert any(a["fracciones"] for a in arts)
    assert doc["transitorios"], "the original law's transitorios"
    assert doc["decrees"]
    for d in doc["decrees"]:
        assert d["title"] and d["dof_date"] and len(d["dof_date"]) == 10 and d["dof_date"][4] == "-"
        assert "clause" in d


def test_ingest_show_and_reingest_unchanged(home: Path, corpora: Path):
    pdf = corpora / "laws/federal/lgamvlv.pdf"
    r = run("ingest", str(pdf), "--json")
    assert r.exit_code == 0, r.output
    first = json.loads(r.stdout)["documents"][0]
    assert first["version"] == "/mx/ley/lgamvlv@2026-01-15" and first["inserted"] > 1000
    r = run("ingest", "mx-lgamvlv-pdf-2026-01-15", "--json")  # the same file through its manifest id
    again = json.loads(r.stdout)["documents"][0]
    assert again["unchanged_document"] is True
    assert again["inserted"] == again["updated"] == again["deleted"] == 0
    assert run("ingest", str(pdf)).stdout.startswith("= ")  # says so to a person too

    r = run("show", "LGAMVLV art 20 Ter")
    assert r.exit_code == 0, r.output
    assert "violencia política" in r.stdout and "Fuente:" in r.stdout and "página" in r.stdout
    r = run("show", "LGAMVLV art 20 Ter", "--json")
    view = json.loads(r.stdout)
    assert view["id"] == "/mx/ley/lgamvlv@2026-01-15/art_20-ter"
    assert view["source"]["sha256"] == "9a35a6a90178" + view["source"]["sha256"][12:]
    assert isinstance(view["source"]["page"], int) and view["source"]["page"] > 1
    r = run("show", "/mx/ley/lgamvlv/art_5/frac_i", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["label"] == "I"
    r = run("show", "LGAMVLV art 999")
    assert r.exit_code == 1 and "No se encontró" in r.output


def _bad_inputs(tmp: Path, corpora: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, a word the error must contain)."""
    real = (corpora / "laws/federal/lgamvlv.pdf").read_bytes()
    files = {
        "empty": (b"", "vac"),
        "truncated": (real[: len(real) // 3], ""),
        "word-renamed": ((corpora / "laws/federal_bajalabs_2025-08/LGIMH_document.doc").read_bytes(), ""),
        "scanned": (minimal_pdf([[], []]), ""),
        "encrypted": (minimal_pdf([["ARTICULO 1.- Texto."]], encrypt_user_password=b"secreto"), ""),
        "not-a-law": (minimal_pdf([["Informe anual de actividades", "Resumen de gastos del trimestre"]]), ""),
    }
    out = {}
    for name, (data, word) in files.items():
        p = tmp / f"{name}.pdf"
        p.write_bytes(data)
        out[name] = (p, word)
    return out


def test_bad_input_gets_one_clear_error_and_stores_nothing(home: Path, corpora: Path, tmp_path: Path):
    before = _stats(home)
    for name, (path, word) in _bad_inputs(tmp_path, corpora).items():
        r = run("ingest", str(path), "--law-key", "prueba")
        assert r.exit_code != 0, f"{name}: accepted"
        assert str(path) in r.output, f"{name}: error does not name the file: {r.output}"
        assert word in r.output.lower()
        assert "Traceback" not in r.output
        r = run("parse", str(path))
        assert r.exit_code != 0 and str(path) in r.output, f"{name}: parse accepted it"
    assert _stats(home) == before


def test_wrong_hash_in_the_mirror_is_refused(home: Path, corpora: Path, tmp_path: Path):
    mirror = tmp_path / "mirror"
    src = corpora / "laws/federal_bajalabs_2025-08/LGIMH_static.pdf"
    dst = mirror / "laws/federal_bajalabs_2025-08/LGIMH_static.pdf"
    dst.parent.mkdir(parents=True)
    data = bytearray(src.read_bytes())
    data[-100] ^= 0xFF
    dst.write_bytes(bytes(data))
    before = _stats(home)
    r = run("ingest", "mx-lgimh-pdf-2024-12-16", env={"LAWGRAPH_MIRROR": str(mirror)})
    assert r.exit_code == 2 and "sha256" in r.output and "LGIMH_static.pdf" in r.output
    assert _stats(home) == before


def test_eval_articles_reports_identity_for_a_verified_law(eval_dir: Path, tmp_path: Path):
    gold = tmp_path / "gold"
    gold.mkdir()
    shutil.copy(eval_dir / "articles/LGAMVLV_static.json", gold)
    r = run("eval", "articles", "--gold", str(gold), "--json")
    res = json.loads(r.stdout)
    assert res["laws"][0]["differences"] == [] and res["ok"] and r.exit_code == 0


def test_every_command_has_help_with_an_example():
    import typer.main

    cmd = typer.main.get_command(app)
    seen = 0
    for name, sub in cmd.commands.items():
        subs = getattr(sub, "commands", None) or {name: sub}
        for sname, c in subs.items():
            assert c.help and "Ejemplo" in c.help, f"{name} {sname}: help without an example"
            seen += 1
    assert seen >= 10


def test_build_steps_are_idempotent(home: Path):
    r = run("build", "--step", "recommendations", "--step", "journal", "--json")
    assert r.exit_code == 0, r.output
    steps = {s["name"]: s for s in json.loads(r.stdout)["steps"]}
    assert steps["recommendations"]["ok"] and steps["recommendations"]["details"]["recommendations"] > 500
    before = _stats(home)
    r = run("build", "--step", "recommendations", "--json")
    assert r.exit_code == 0 and _stats(home) == before
    r = run("build", "--step", "nonsense")
    assert r.exit_code != 0 and "paso desconocido" in r.output
