"""Manifests name every law document of the mirror, resolve with hash checks, and fetch for real."""
from __future__ import annotations

import http.server
import shutil
import socket
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from lawgraph import corpus
from lawgraph.config import Settings
from lawgraph.errors import CorpusError, HashMismatchError


def test_every_law_file_in_the_mirror_has_a_manifest_entry(corpora: Path):
    docs = corpus.load_all()
    named = {d.path for d in docs}
    on_disk = {str(p.relative_to(corpora)) for p in (corpora / "laws").rglob("*") if p.is_file()}
    assert on_disk - named == set(), f"files without a manifest entry: {sorted(on_disk - named)}"
    assert named - on_disk == set()


def test_every_entry_resolves_and_its_hash_matches(corpora: Path):
    settings = Settings(home=Path("/nonexistent"), mirror=corpora)
    for d in corpus.load_all():
        p = corpus.resolve(d, settings)
        assert p.is_file() and p.stat().st_size == (d.size or p.stat().st_size)
        if d.is_law and d.format == "pdf" and d.jurisdiction == "mx":
            # an older snapshot's copy has no url when the publisher's address now serves a newer file
            assert (d.url and d.url.startswith("https://www.diputados.gob.mx/LeyesBiblio/")
                    or "now serves a newer version" in (d.note or "")), d.id
        if d.is_law and d.jurisdiction != "mx":
            # state files: the publisher is named even where the catalogues give no direct URL
            assert d.publisher and d.profile, d.id


def test_a_wrong_hash_is_refused_naming_the_file(tmp_path: Path, corpora: Path):
    doc = corpus.find("lgamvlv.pdf")
    mirror = tmp_path / "mirror"
    target = mirror / doc.path
    target.parent.mkdir(parents=True)
    data = (corpora / doc.path).read_bytes()
    target.write_bytes(data[:-10] + b"0123456789")
    with pytest.raises(HashMismatchError) as err:
        corpus.resolve(doc, Settings(home=tmp_path / "home", mirror=mirror))
    assert str(target) in str(err.value) and "sha256" in str(err.value)


def test_missing_file_says_how_to_get_it(tmp_path: Path):
    doc = corpus.find("mx-cpf-pdf-2025-11-28")
    with pytest.raises(CorpusError, match="corpus fetch"):
        corpus.resolve(doc, Settings(home=tmp_path, mirror=tmp_path / "empty"))


def test_malformed_manifest_names_the_file(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[document]]\nid = "x"\npath = "a.pdf"\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="bad.toml.*sha256"):
        corpus.load_manifest(bad)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


def test_fetch_downloads_and_verifies_over_http(tmp_path: Path, corpora: Path):
    """A real HTTP download from a loopback server standing in for the publisher."""
    doc = corpus.find("LGIMH_static.pdf")
    served = tmp_path / "srv"
    served.mkdir()
    shutil.copy(corpora / doc.path, served / "LGIMH.pdf")
    handler = lambda *a, **k: _Quiet(*a, directory=str(served), **k)  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        port = httpd.server_address[1]
        settings = Settings(home=tmp_path / "home", mirror=tmp_path / "no-mirror")
        local = replace(doc, url=f"http://127.0.0.1:{port}/LGIMH.pdf")
        got = corpus.fetch(local, settings)
        assert got == settings.downloads_dir / doc.path
        assert corpus.sha256_file(got) == doc.sha256
        # a publisher serving different bytes is refused and nothing is left behind
        (served / "changed.pdf").write_bytes(b"%PDF-1.4 changed")
        changed = replace(doc, url=f"http://127.0.0.1:{port}/changed.pdf", path="laws/changed.pdf")
        with pytest.raises(HashMismatchError, match="manifiesto"):
            corpus.fetch(changed, settings)
        assert not (settings.downloads_dir / "laws").joinpath("changed.pdf").exists()
        assert not list(settings.downloads_dir.rglob("*.part"))
        # a second fetch finds the verified file and does not download again
        httpd.shutdown()
        assert corpus.fetch(local, settings) == got
    finally:
        httpd.server_close()


def test_fetch_without_network_fails_clearly(tmp_path: Path):
    doc = corpus.find("cpf.pdf")
    with socket.socket() as s:  # a loopback port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings(home=tmp_path / "home", mirror=tmp_path / "no-mirror")
    with pytest.raises(CorpusError, match="no se pudo descargar"):
        corpus.fetch(replace(doc, url=f"http://127.0.0.1:{port}/CPF.pdf"), settings, timeout=5)
    assert not any((settings.downloads_dir).rglob("*.part"))
