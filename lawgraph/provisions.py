"""Provisions by reference, for every door: the CLI (``show``, ``recs provision``), the pages
and the API read a typed reference ("CPF art 325", "LGAMVLV art. 20 Ter fr. III",
"artículo 4o. constitucional", ``/mx/codigo/cpf/art_325``) with the one grammar,
:func:`lawgraph.nlp.refs.parse_provision_ref`, and then ask the graph.

A reference that cannot be resolved raises :class:`UnresolvedReference`, which says why
(unreadable, unknown law, no such article, no such fracción) and proposes the closest known
law keys or article labels (rapidfuzz over what the graph holds).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from rapidfuzz import fuzz, process

from lawgraph.errors import InputError
from lawgraph.graph import links as graph_links
from lawgraph.graph import read
from lawgraph.model.views import ProvisionVersion
from lawgraph.graph.store import GraphStore
from lawgraph.nlp.refs import ProvisionRef, parse_provision_ref

# How many close matches to propose, and how close they must be (rapidfuzz ratio on case-folded
# text, 0-100): 60 lets 'LGAMVL' find 'LGAMVLV' (92) and '20 Tre' find '20 Ter' (83) ahead of
# '20' (50) while keeping unrelated keys out; set by trying misspellings of the README's
# examples. (WRatio was tried first: its partial matching ranks '2' and '20' above '20 Ter'.)
SUGGESTIONS = 5
SUGGESTION_CUTOFF = 60


class UnresolvedReference(InputError):
    """A reference nothing in the graph answers: why, and the closest known ones."""

    def __init__(self, ref: str, reason: str, suggestions: list[str] | None = None):
        self.ref = ref
        self.reason = reason
        self.suggestions = suggestions or []
        hint = f"; ¿quiso decir {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(None, reason + hint)


def _closest(query: str, choices: list[str]) -> list[str]:
    found = process.extract(query, choices, scorer=fuzz.ratio, processor=str.casefold,
                            limit=SUGGESTIONS, score_cutoff=SUGGESTION_CUTOFF)
    return [c for c, _score, _i in found]


def parse(ref: str) -> ProvisionRef:
    """The reference read with the one grammar; UnresolvedReference when it is none."""
    try:
        return parse_provision_ref(ref)
    except ValueError as exc:
        raise UnresolvedReference(ref, str(exc)) from exc


def _law_keys(store: GraphStore) -> dict[str, dict[str, Any]]:
    return {law["key"]: law for law in read.list_laws(store)}


def _check_exists(store: GraphStore, parsed: ProvisionRef) -> None:
    """Raise UnresolvedReference when the law or the article is unknown in every version."""
    laws = _law_keys(store)
    law = laws.get(parsed.law_key or "")
    if law is None:
        raise UnresolvedReference(
            parsed.text, f"no hay ninguna ley con clave {parsed.law_key!r} en el grafo",
            [k.upper() for k in _closest(parsed.law_key or "", sorted(laws))])
    labels: list[str] = []
    for day in [None, *law.get("versions", [])]:
        labels.extend(a["label"] for a in read.version_articles(store, parsed.law_key, day))
    labels.extend(read.history_labels(store, parsed.law_key))
    known = sorted(set(labels))
    if parsed.article not in known:
        raise UnresolvedReference(
            parsed.text, f"{parsed.law_key.upper()} no tiene artículo {parsed.article} en ninguna versión cargada",
            [f"{parsed.law_key.upper()} art. {lab}" for lab in _closest(parsed.article or "", known)])


def law_published(store: GraphStore, law_key: str) -> str | None:
    """ISO date of a law's original publication, read from the line its oldest loaded version
    prints ('Nueva Ley publicada en el Diario Oficial de la Federación el 1 de febrero de
    2007'); None when no version prints one."""
    from lawgraph.nlp.dates import find_spanish_dates

    for v in read.run_named(store, "law_versions", {"law_key": law_key.lower()}):
        try:
            found = find_spanish_dates(v.get("publication") or "")
        except ValueError:
            found = []
        if found:
            return found[0][0].isoformat()
    return None


def find_article(store: GraphStore, law_key: str, label: str, at: str | date | None = None
                 ) -> ProvisionVersion | None:
    """An article as in force at ``at``: a loaded version or history state in force that day,
    else the oldest loaded version when its notes and decree list show the article unchanged
    since (:func:`lawgraph.graph.read.before_oldest`, the reasoning on the view)."""
    view = read.find_article(store, law_key, label, at)
    if view is not None or at is None:
        return view
    judged = read.before_oldest(store, law_key, label, at, law_published(store, law_key))
    return judged if isinstance(judged, ProvisionVersion) else None


def get_provision(store: GraphStore, ref: str, *, at: str | date | None = None) -> ProvisionVersion | None:
    """The provision a reference names, as in force at ``at`` (the latest when None).

    None when the law and article exist but no text is known to be in force that day
    (:func:`missing_at` says what is known); UnresolvedReference when the reference is
    unreadable or names a law, article or fracción the graph does not have."""
    parsed = parse(ref)
    if parsed.id is not None:
        return read.get_provision(store, parsed.id, at=at)
    article = find_article(store, parsed.law_key, parsed.article, at)
    if article is not None and not (parsed.fraccion or parsed.inciso):
        return article
    if article is not None:
        unit = read.unit_of(store, article, parsed.fraccion, parsed.inciso)
        if unit is not None:
            return unit
        units = [c for c in article.children if c.kind == "fraccion"]
        what = f"fracción {parsed.fraccion}" if parsed.fraccion else f"inciso {parsed.inciso}"
        raise UnresolvedReference(
            parsed.text, f"{parsed.law_key.upper()} art. {parsed.article} no tiene {what}",
            [f"{parsed.law_key.upper()} art. {parsed.article} fr. {c.label}"
             for c in units][:SUGGESTIONS] if parsed.fraccion else [])
    _check_exists(store, parsed)
    return None


def missing_at(store: GraphStore, ref: str, at: str | date | None) -> read.MissingAtDate | None:
    """What is known when a reference has no text in force on ``at``."""
    if at is None:
        return None
    parsed = parse(ref)
    if parsed.id is not None or parsed.article is None:
        return None
    return missing_article_at(store, parsed.law_key, parsed.article, at)


def missing_article_at(store: GraphStore, law_key: str, label: str, at: str | date | None
                       ) -> read.MissingAtDate | None:
    """What is known when an article (law key and label) has no text in force on ``at``."""
    if at is None:
        return None
    judged = read.before_oldest(store, law_key, label, at, law_published(store, law_key))
    return judged if isinstance(judged, read.MissingAtDate) else None


def provision_id(store: GraphStore, ref: str) -> str:
    """The provision id (the unit across versions) a reference names."""
    parsed = parse(ref)
    if parsed.id is not None:
        return parsed.id
    view = get_provision(store, ref)
    if view is None:
        raise UnresolvedReference(ref, f"{ref!r} no tiene versión vigente cargada")
    return view.provision_id


def provision_links(store: GraphStore, ref: str) -> list[dict[str, Any]]:
    """The recommendations and suggestions linked to the provision a reference names (any
    of its versions, any unit under it), reviewed first."""
    return graph_links.provision_links(store, provision_id(store, ref))
