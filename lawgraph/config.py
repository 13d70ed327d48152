"""Settings, read once from the environment.

LAWGRAPH_HOME       data directory (graph store files, journal, caches). Default: ./var next to the
                    project when run from a checkout, else ~/.local/share/lawgraph.
LAWGRAPH_MIRROR     directory holding the corpus files named by the manifests. Default:
                    ../shared/corpora beside the project when present.
LAWGRAPH_MANIFESTS  directory of corpus manifests (*.toml). Default: corpora/ in the checkout.
LAWGRAPH_BACKEND    'falkordb' (embedded, default) or 'neo4j'.
NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE   for the neo4j backend.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from lawgraph.errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent  # the repository root when installed editable / run from source


def _is_checkout(p: Path) -> bool:
    return (p / "pyproject.toml").is_file() and (p / "corpora").is_dir()


def mirror_places() -> list[Path]:
    """Where :func:`default_mirror` looks for the corpus mirror, in order (for messages)."""
    env = os.environ.get("LAWGRAPH_MIRROR")
    if env:
        return [Path(env).expanduser().resolve()]
    return list(dict.fromkeys((base / ".." / "shared" / "corpora").resolve() for base in (CHECKOUT_DIR, Path.cwd())))


def missing_mirror_message(mirror: Path | None) -> str | None:
    """None when the mirror folder exists; else a Spanish sentence naming the folders looked in
    and how to set LAWGRAPH_MIRROR."""
    if mirror is not None and mirror.is_dir():
        return None
    places = [mirror] if mirror is not None else mirror_places()
    return (f"no se encontró la carpeta del corpus (se buscó en {', '.join(str(p) for p in places)}); "
            "indíquela con LAWGRAPH_MIRROR=/ruta/a/corpora")


def default_mirror() -> Path | None:
    """The corpus mirror: $LAWGRAPH_MIRROR, else ../shared/corpora beside the checkout or the cwd."""
    env = os.environ.get("LAWGRAPH_MIRROR")
    if env:
        return Path(env).expanduser().resolve()
    for base in (CHECKOUT_DIR, Path.cwd()):
        cand = (base / ".." / "shared" / "corpora").resolve()
        if cand.is_dir():
            return cand
    return None


def default_home() -> Path:
    env = os.environ.get("LAWGRAPH_HOME")
    if env:
        return Path(env).expanduser().resolve()
    if _is_checkout(CHECKOUT_DIR):
        return CHECKOUT_DIR / "var"
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "lawgraph"


def default_manifests() -> Path:
    env = os.environ.get("LAWGRAPH_MANIFESTS")
    if env:
        return Path(env).expanduser().resolve()
    if _is_checkout(CHECKOUT_DIR):
        return CHECKOUT_DIR / "corpora"
    raise ConfigError(
        "No se encontraron los manifiestos del corpus: defina LAWGRAPH_MANIFESTS con la carpeta de los *.toml"
    )


@dataclass(frozen=True)
class Settings:
    home: Path = field(default_factory=default_home)
    mirror: Path | None = field(default_factory=default_mirror)
    backend: str = field(default_factory=lambda: os.environ.get("LAWGRAPH_BACKEND", "falkordb"))
    neo4j_uri: str | None = field(default_factory=lambda: os.environ.get("NEO4J_URI"))
    neo4j_user: str = field(default_factory=lambda: os.environ.get("NEO4J_USER", "neo4j"))
    neo4j_password: str | None = field(default_factory=lambda: os.environ.get("NEO4J_PASSWORD"))
    neo4j_database: str | None = field(default_factory=lambda: os.environ.get("NEO4J_DATABASE"))

    @property
    def store_dir(self) -> Path:
        return self.home / "falkordb"

    @property
    def downloads_dir(self) -> Path:
        return self.home / "downloads"


def get_settings() -> Settings:
    return Settings()
