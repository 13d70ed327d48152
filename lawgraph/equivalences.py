"""Equivalent provisions over the corpus: parse the manifests' laws, index them, answer.

The orchestration half of :mod:`lawgraph.nlp.equivalence` (which is pure): it reads the
manifests' law files through their parser profiles, once per process, and builds the index
over every jurisdiction. Used by ``lawgraph eval equivalences``, ``lawgraph compare`` and
scripts/fit_equivalence.py.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lawgraph import corpus
from lawgraph.config import Settings, get_settings
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
    import pickle

    settings = settings or get_settings()
    files = law_files(settings)
    key = hashlib.sha256(("|".join(sorted(d.sha256 for d, _ in files)) + f"#{CACHE_FORMAT}").encode()).hexdigest()[:16]
    path = Path(settings.home) / "cache" / f"equivalence-index-{key}.pickle"
    if path.is_file():
        try:
            with open(path, "rb") as f:
                return pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    index = EquivalenceIndex(all_provisions(settings))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return index


@lru_cache(maxsize=1)
def _index() -> EquivalenceIndex:
    return cached_index()


def corpus_index() -> EquivalenceIndex:
    """The index of every law of the manifests (built once per process)."""
    return _index()


def jurisdictions(index: EquivalenceIndex) -> list[str]:
    return sorted(index.by_juris)
