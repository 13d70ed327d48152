"""Corpus manifests: which documents exist, where their publisher serves them, and their hashes.

A manifest is a TOML file in ``corpora/`` with one ``[[document]]`` table per file (fields in
``corpora/README.md``). ``resolve()`` finds a document's file in the mirror directory (or in the
downloads directory, where ``fetch()`` puts what it downloads) and refuses it when its sha256 differs
from the manifest's.
"""
from __future__ import annotations

import hashlib
import shutil
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from lawgraph.config import Settings, default_manifests, get_settings
from lawgraph.errors import CorpusError, HashMismatchError

REQUIRED = ("id", "path", "jurisdiction", "format", "sha256")


@dataclass(frozen=True)
class Document:
    """One manifest entry."""

    id: str
    path: str                 # relative to the mirror
    sha256: str
    jurisdiction: str
    format: str
    url: str | None = None
    publisher: str | None = None
    kind: str | None = None   # constitucion / codigo / ley
    law_key: str | None = None
    title: str | None = None
    profile: str | None = None
    version_date: str | None = None
    pages: int | None = None
    size: int | None = None
    note: str | None = None
    snapshot: str | None = None
    year: int | None = None     # a UN review's year (recommendation sources)
    symbol: str | None = None   # a UN document symbol (recommendation sources)
    manifest: str | None = None

    @property
    def is_law(self) -> bool:
        return bool(self.law_key and self.kind)


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_manifest(path: str | Path) -> list[Document]:
    """Read one manifest; a malformed one raises CorpusError naming the file and entry."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: manifiesto ilegible: {exc}") from exc
    docs = []
    fields = set(Document.__dataclass_fields__)
    for i, entry in enumerate(data.get("document", []), 1):
        missing = [k for k in REQUIRED if not entry.get(k)]
        if missing:
            raise CorpusError(f"{path}: documento #{i} sin los campos {', '.join(missing)}")
        unknown = set(entry) - fields
        if unknown:
            raise CorpusError(f"{path}: documento {entry['id']!r} con campos desconocidos: {sorted(unknown)}")
        docs.append(Document(**entry, manifest=str(path)))
    return docs


def load_all(manifest_dir: str | Path | None = None) -> list[Document]:
    """Every document of every manifest, ids unique across manifests."""
    manifest_dir = Path(manifest_dir) if manifest_dir else default_manifests()
    docs: list[Document] = []
    seen: dict[str, str] = {}
    for m in sorted(manifest_dir.glob("*.toml")):
        for d in load_manifest(m):
            if d.id in seen:
                raise CorpusError(f"id duplicado {d.id!r} en {seen[d.id]} y {m}")
            seen[d.id] = str(m)
            docs.append(d)
    return docs


def find(ref: str, docs: list[Document] | None = None) -> Document:
    """A document by id, by mirror path or by file name."""
    docs = docs if docs is not None else load_all()
    for d in docs:
        if ref in (d.id, d.path) or Path(d.path).name == ref:
            return d
    raise CorpusError(f"no hay ningún documento {ref!r} en los manifiestos")


def find_by_sha(sha: str, docs: list[Document] | None = None) -> Document | None:
    docs = docs if docs is not None else load_all()
    return next((d for d in docs if d.sha256 == sha), None)


def files(*, fmt: str | None = None, profile: str | None = None,
          settings: Settings | None = None) -> list[Path]:
    """Local, hash-checked files of the manifest documents of a format and parser profile
    (e.g. every LeyesBiblio PDF: ``files(fmt="pdf", profile="leyesbiblio")``), in manifest order."""
    return [resolve(d, settings) for d in load_all()
            if (fmt is None or d.format == fmt) and (profile is None or d.profile == profile)]


def candidates(doc: Document, settings: Settings | None = None) -> list[Path]:
    s = settings or get_settings()
    out = []
    if s.mirror:
        out.append(s.mirror / doc.path)
    out.append(s.downloads_dir / doc.path)
    return out


def resolve(doc: Document, settings: Settings | None = None, *, verify: bool = True) -> Path:
    """The local file of a document, its hash checked. Raises CorpusError / HashMismatchError."""
    for p in candidates(doc, settings):
        if p.is_file():
            if verify:
                got = sha256_file(p)
                if got != doc.sha256:
                    raise HashMismatchError(
                        p, f"sha256 {got[:12]}… no coincide con el del manifiesto {doc.sha256[:12]}… ({doc.id})"
                    )
            return p
    where = ", ".join(str(p) for p in candidates(doc, settings))
    raise CorpusError(
        f"{doc.id}: archivo no encontrado (buscado en {where}); descárguelo con `lawgraph corpus fetch {doc.id}`"
    )


def fetch(doc: Document, settings: Settings | None = None, *, timeout: float = 30.0) -> Path:
    """Download a document from its publisher URL into the downloads directory and verify it.

    Nothing is written at the destination unless the hash matches (download to a temp file first).
    """
    s = settings or get_settings()
    try:
        return resolve(doc, s)
    except HashMismatchError:
        raise
    except CorpusError:
        pass
    if not doc.url:
        raise CorpusError(f"{doc.id}: el manifiesto no da una URL oficial ({doc.note or 'sin nota'})")
    dest = s.downloads_dir / doc.path
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    req = urllib.request.Request(doc.url, headers={"User-Agent": "lawgraph/0.1 (+corpus fetch)"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp, open(tmp, "wb") as out:
            shutil.copyfileobj(resp, out)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        tmp.unlink(missing_ok=True)
        reason = getattr(exc, "reason", exc)
        raise CorpusError(
            f"{doc.id}: no se pudo descargar {doc.url} ({reason}). ¿Hay conexión a la red? "
            f"Alternativa: copie el archivo a {dest} o defina LAWGRAPH_MIRROR."
        ) from exc
    got = sha256_file(tmp)
    if got != doc.sha256:
        tmp.unlink(missing_ok=True)
        raise HashMismatchError(
            doc.url, f"el archivo descargado tiene sha256 {got[:12]}…, el manifiesto dice {doc.sha256[:12]}… "
            "(el editor pudo publicar una versión nueva: actualice el manifiesto)"
        )
    tmp.replace(dest)
    return dest
