"""Cypher text helpers: the one quoting function for labels and types, and named queries.

Values never enter query text: they travel as ``$parameters``. The only identifiers that are
interpolated are node labels and relationship types, and they pass through :func:`quote_name`,
which backtick-quotes them the way both Neo4j 5 and FalkorDB read them.

Named queries live in ``lawgraph/queries/<name>.cypher``, package data (or in the directory
named by ``LAWGRAPH_QUERIES``). Each file starts with a header of ``//`` comment lines::

    // name: find_article
    // purpose: the text of an article of a law, as in force at a date
    // parameters: $law_key (string), $label (string), $at (ISO date string or null)
    // example: {"law_key": "lgamvlv", "label": "20 Ter", "at": null}

followed by the query. A backend-specific variant, where the dialects differ, is
``lawgraph/queries/<name>.<backend>.cypher`` (``falkordb`` or ``neo4j``) and wins for that backend.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lawgraph.errors import ConfigError

# A label or relationship type as lawgraph writes them: an ASCII identifier. Anything else is
# refused rather than escaped, because no caller has a reason to make one up at run time.
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def quote_name(name: str) -> str:
    """Backtick-quote a label or relationship type; refuse anything but an ASCII identifier."""
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ValueError(f"not a valid label or relationship type: {name!r}")
    return f"`{name}`"


_HEADER_RE = re.compile(r"^//\s*(?P<key>[a-z_]+)\s*:\s*(?P<value>.*)$")


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its header fields and its body."""

    name: str
    purpose: str
    parameters: str
    example: dict
    text: str
    path: Path
    variants: dict[str, str] = field(default_factory=dict)

    def for_backend(self, backend: str) -> str:
        """The text to run on ``backend``: its variant if one exists, else the common text."""
        return self.variants.get(backend, self.text)


def queries_dir() -> Path:
    """Where named queries are read from: ``$LAWGRAPH_QUERIES`` or the package's own
    ``lawgraph/queries`` (shipped as package data, so an installed copy runs them too)."""
    env = os.environ.get("LAWGRAPH_QUERIES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1] / "queries"


def _parse_file(path: Path) -> tuple[dict[str, str], str]:
    """The header fields and the query body (the header comments are not sent)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header: dict[str, str] = {}
    i = 0
    while i < len(lines) and lines[i].strip().startswith("//"):
        m = _HEADER_RE.match(lines[i].strip())
        if m:
            header[m.group("key")] = m.group("value").strip()
        i += 1
    return header, "\n".join(lines[i:]).strip() + "\n"


@lru_cache(maxsize=4)
def _load_all(directory: str) -> dict[str, NamedQuery]:
    base = Path(directory)
    if not base.is_dir():
        raise ConfigError(f"{base}: named-query directory not found")
    out: dict[str, NamedQuery] = {}
    variants: dict[str, dict[str, str]] = {}
    for path in sorted(base.glob("*.cypher")):
        stem_parts = path.name[: -len(".cypher")].split(".")
        header, text = _parse_file(path)
        if len(stem_parts) == 2:
            variants.setdefault(stem_parts[0], {})[stem_parts[1]] = text
            continue
        name = stem_parts[0]
        missing = [k for k in ("name", "purpose", "parameters", "example") if k not in header]
        if missing:
            raise ConfigError(f"{path}: header lacks {', '.join(missing)}")
        if header["name"] != name:
            raise ConfigError(f"{path}: header name {header['name']!r} differs from the file name")
        try:
            example = json.loads(header["example"])
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}: example is not a JSON object: {exc}") from exc
        out[name] = NamedQuery(name, header["purpose"], header["parameters"], example, text, path)
    for name, var in variants.items():
        if name not in out:
            raise ConfigError(f"{base}: variant of unknown query {name!r}")
        out[name].variants.update(var)
    return out


def named_queries(directory: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query, by name."""
    return _load_all(str(directory or queries_dir()))


def named_query(name: str, directory: Path | None = None) -> NamedQuery:
    """One named query; ConfigError if there is no such file."""
    queries = named_queries(directory)
    if name not in queries:
        raise ConfigError(f"no named query {name!r} in {directory or queries_dir()}")
    return queries[name]
