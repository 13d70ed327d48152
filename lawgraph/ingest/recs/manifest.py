"""The manifest of the recommendation sources (``corpora/recommendations/un_recommendations.toml``):
which files, in which order, read by which reader (``profile``), and each UPR review's year and
document symbol."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lawgraph import corpus
from lawgraph.config import default_manifests
from lawgraph.errors import InputError, LawgraphError

MANIFEST = Path("recommendations") / "un_recommendations.toml"   # relative to the manifests folder


def read_manifest(manifest: str | Path | None = None) -> list[corpus.Document]:
    """The documents of the manifest (default: :data:`MANIFEST` in the manifests folder), in its
    order. Raises InputError naming the manifest when it is missing."""
    path = Path(manifest) if manifest else default_manifests() / MANIFEST
    if not path.is_file():
        raise InputError(path, "no existe el manifiesto de las fuentes de recomendaciones")
    return corpus.load_manifest(path)


@lru_cache(maxsize=1)
def upr_documents() -> dict[int, str]:
    """UPR review year -> document symbol, from the manifest ({} when it cannot be read)."""
    try:
        docs = read_manifest()
    except LawgraphError:
        return {}
    return {d.year: d.symbol for d in docs if d.profile and d.profile.startswith("upr-") and d.year and d.symbol}
