"""Equivalent provisions: index the stored provisions of every jurisdiction, answer.

The orchestration half of :mod:`lawgraph.nlp.equivalence` (which is pure). :func:`graph_index`
reads the latest complete version of every law from the graph (named queries
``comparison_versions`` and ``comparison_units``, through :mod:`lawgraph.graph.comparison`)
and builds the index that ``lawgraph compare``, ``coverage``, ``eval equivalences``, their pages
and the build's equivalence step use; it is cached in $LAWGRAPH_HOME/cache keyed on the stored
versions' ids and content hashes, so a rebuilt or re-ingested law makes a new one.
:func:`corpus_index` parses the manifests' files instead: only scripts/fit_equivalence.py
uses it, to fit the calibration without a built graph.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lawgraph import corpus
from lawgraph.cachefile import write_atomic
from lawgraph.config import Settings, get_settings
from lawgraph.errors import LawgraphError
from lawgraph.model.law import ParsedLaw
from lawgraph.nlp.equivalence import EquivalenceIndex, Provision, provisions
from lawgraph.pipeline import parse_file


@lru_cache(maxsize=None)
def _parsed(path: str) -> ParsedLaw:
    return parse_file(path)


def law_files(settings: Settings | None = None) -> list[tuple[corpus.Document, Path]]:
    """The latest version of each law of the manifests (the one a build serves), resolved."""
    from lawgraph.ingestion import law_documents

    settings = settings or get_settings()
    chosen, _ = law_documents(corpus.load_all())
    latest: dict[tuple[str, str], corpus.Document] = {}
    for d in chosen:
        k = (d.jurisdiction, d.law_key or "")
        if d.version_date and (k not in latest or d.version_date > (latest[k].version_date or "")):
            latest[k] = d
    return [(d, corpus.resolve(d, settings)) for d in latest.values()]


def parsed_law(path: str | Path) -> ParsedLaw:
    return _parsed(str(Path(path).resolve()))


def all_provisions(settings: Settings | None = None) -> list[Provision]:
    out: list[Provision] = []
    for d, path in law_files(settings):
        out.extend(provisions(parsed_law(path), d.jurisdiction, d.law_key or ""))
    return out


# Bump when Provision or the parsers change what a cached provision holds.
CACHE_FORMAT = 2


def cached_index(settings: Settings | None = None) -> EquivalenceIndex:
    """The index of ``all_provisions`` kept in $LAWGRAPH_HOME/cache, keyed on the files'
    hashes, so that a second command neither parses the corpus nor tokenises it again
    (measured: 25 s to build from the PDFs, 4 s from cached provisions, under 1 s loaded)."""
    import hashlib

    settings = settings or get_settings()
    files = law_files(settings)
    key = hashlib.sha256(("|".join(sorted(d.sha256 for d, _ in files)) + f"#{CACHE_FORMAT}").encode()).hexdigest()[:16]
    path = Path(settings.home) / "cache" / f"equivalence-index-{key}.pickle"
    return _pickled(path, lambda: EquivalenceIndex(all_provisions(settings)))


def _pickled(path: Path, make) -> EquivalenceIndex:
    """The index pickled at ``path``, or ``make()`` written there (atomically) first."""
    import pickle

    if path.is_file():
        try:
            with open(path, "rb") as f:
                return pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    index = make()
    write_atomic(path, pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
    return index


def _corpus_paths(settings: Settings) -> dict[str, str]:
    """Document sha256 -> its file in the mirror (the graph keeps only the file's name; the
    answers and the pages name a file by its corpus path)."""
    out = {}
    for d in corpus.load_all():
        try:
            out[d.sha256] = str(corpus.resolve(d, settings))
        except Exception:  # noqa: BLE001 - a manifest entry without a mirror file keeps its hash
            continue
    return out


def graph_provisions(store, settings: Settings | None = None) -> list[Provision]:
    """Every non-repealed article and fracción of the latest version of every stored law."""
    from lawgraph.graph.comparison import compared_versions, version_provisions

    settings = settings or get_settings()
    paths = _corpus_paths(settings)
    out: list[Provision] = []
    for v in compared_versions(store):
        for r in version_provisions(store, v):
            out.append(Provision(r["jurisdiction"], r["law"], paths.get(r["sha256"], r["sha256"]),
                                 r["article"], r["fraction"], r["text"], r["page"], r["start"],
                                 r["end"], r["sha256"], r["in_force"], r["note_dates"], r["id"]))
    return out


def graph_index(store, settings: Settings | None = None) -> EquivalenceIndex:
    """The index of :func:`graph_provisions`, cached per set of stored versions (measured by
    scripts/bench_compare.py: built from the graph in a few seconds, loaded in well under one)."""
    import hashlib

    from lawgraph.graph.comparison import compared_versions

    settings = settings or get_settings()
    versions = compared_versions(store)
    if not versions:
        raise LawgraphError("el grafo no tiene leyes cargadas: ejecute primero `lawgraph build`")
    stamp = "|".join(sorted(f"{v['version_id']}#{v['content_hash']}" for v in versions))
    key = hashlib.sha256(f"{stamp}#{GRAPH_CACHE_FORMAT}".encode()).hexdigest()[:16]
    path = Path(settings.home) / "cache" / f"graph-equivalence-index-{key}.pickle"
    index = _LOADED.get(str(path))
    if index is None:
        index = _pickled(path, lambda: EquivalenceIndex(graph_provisions(store, settings)))
        _LOADED.clear()          # one index in memory: the one of the graph as it is now
        _LOADED[str(path)] = index
    return index


# The last index loaded in this process (a web worker answers many requests from it).
_LOADED: dict[str, EquivalenceIndex] = {}
# Bump when Provision, the tokeniser or the reading of provisions from the graph changes.
GRAPH_CACHE_FORMAT = 1


@lru_cache(maxsize=1)
def _index() -> EquivalenceIndex:
    return cached_index()


def corpus_index() -> EquivalenceIndex:
    """The index of every law of the manifests parsed from their files (built once per
    process): for fitting the calibration without a graph (scripts/fit_equivalence.py)."""
    return _index()


def jurisdictions(index: EquivalenceIndex) -> list[str]:
    return sorted(index.by_juris)
