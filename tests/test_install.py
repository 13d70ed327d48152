"""A non-editable install runs (issue 9 point 4): the named queries ship as package data.

The project is installed with ``pip install --no-deps`` (not ``-e``) into a fresh
virtual environment whose only other path entry is the test environment's site-packages (a
``.pth`` line: the dependencies are reused, nothing is downloaded, and the editable finder of
the checkout is not activated). From a directory outside the checkout, that copy builds the
graph from a one-law manifest (``lawgraph build --no-links``) and shows an article.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

def _toml_value(v) -> str:
    return json.dumps(v, ensure_ascii=False) if isinstance(v, str) else str(v)


def _one_law_manifest(directory: Path, doc_id: str) -> dict:
    """A manifest with one document of the project's federal manifest."""
    docs = tomllib.loads((REPO / "corpora" / "laws_federal.toml").read_text(encoding="utf-8"))["document"]
    doc = next(d for d in docs if d["id"] == doc_id)
    directory.mkdir(parents=True)
    lines = ["[[document]]"] + [f"{k} = {_toml_value(v)}" for k, v in doc.items()]
    (directory / "one_law.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return doc


def test_non_editable_install_builds_and_shows(tmp_path: Path, corpora: Path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    vpy = venv / "bin" / "python"
    site = subprocess.run([str(vpy), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # The dependencies of the test environment, after the fresh environment's own packages.
    (Path(site) / "reuse_test_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    # The build backend (setuptools >= 69, newer than the one venv bundles) comes from pip's cache
    # or PyPI in pip's isolated build environment; the project's dependencies are not installed.
    r = subprocess.run([str(vpy), "-m", "pip", "install", "--quiet", "--no-deps", str(REPO)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]

    installed = subprocess.run([str(vpy), "-c", "import lawgraph, pathlib; print(pathlib.Path(lawgraph.__file__).parent)"],
                               check=True, capture_output=True, text=True, cwd=tmp_path).stdout.strip()
    pkg = Path(installed)
    assert pkg.is_relative_to(Path(site)), f"the installed copy is imported, not the checkout: {pkg}"
    assert sorted(p.name for p in (pkg / "queries").glob("*.cypher")) == \
        sorted(p.name for p in (REPO / "lawgraph" / "queries").glob("*.cypher"))

    # One law (and the law catalogue) in a mirror of its own, so the build's other steps have
    # nothing to read.
    doc = _one_law_manifest(tmp_path / "manifests", "mx-lgamvlv-pdf-2026-01-15")
    mirror = tmp_path / "mirror"
    (mirror / doc["path"]).parent.mkdir(parents=True)
    (mirror / doc["path"]).symlink_to(corpora / doc["path"])
    (mirror / "catalogs").symlink_to(corpora / "catalogs")
    env = {**os.environ, "LAWGRAPH_HOME": str(tmp_path / "home"), "LAWGRAPH_MIRROR": str(mirror),
           "LAWGRAPH_MANIFESTS": str(tmp_path / "manifests")}
    env.pop("LAWGRAPH_QUERIES", None)
    exe = str(venv / "bin" / "lawgraph")
    try:
        r = subprocess.run([exe, "build", "--no-links", "--json"], env=env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
        steps = {s["name"]: s for s in json.loads(r.stdout)["steps"]}
        assert list(steps) == ["laws", "history", "process", "recommendations", "journal", "equivalences"]
        assert steps["laws"]["details"]["loaded"] == 1 and all(s["ok"] for s in steps.values())
        r = subprocess.run([exe, "show", "LGAMVLV art 1", "--json"], env=env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr[-2000:]
        shown = json.loads(r.stdout)
        assert shown["label"] == "1" and "mujeres" in shown["text"].lower()
    finally:
        subprocess.run([exe, "db", "stop"], env=env, cwd=tmp_path, capture_output=True, timeout=120)
