"""Typed reads: the graph's answers as the domain model of :mod:`lawgraph.model.views`.

Thin wrappers over the read functions (:mod:`lawgraph.graph.read`, :mod:`lawgraph.graph.links`,
:mod:`lawgraph.graph.process`), which keep returning rows for the pages that render them; the
CLI and new callers use these, so a field renamed in a query fails here, validated, not in a
template.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from lawgraph.graph import read
from lawgraph.graph.store import GraphStore
from lawgraph.model.views import (
    Decree,
    DecreeRow,
    Law,
    LawVersion,
    Link,
    LinkView,
    Proposal,
    ProvisionVersion,
    RecommendationRow,
    RecommendationView,
    SuggestionRow,
    SuggestionView,
)


def laws(store: GraphStore) -> list[Law]:
    """Every law with the dates of its complete versions."""
    return [Law(id=r["id"], key=r["key"], title=r.get("title"), jurisdiction=r.get("jurisdiction"),
                kind=r.get("kind"), versions=r["versions"]) for r in read.list_laws(store)]


def law_versions(store: GraphStore, law_key: str) -> list[LawVersion]:
    """The complete versions of a law read from whole documents, oldest first."""
    rows = read.run_named(store, "law_versions", {"law_key": law_key.lower()})
    return [LawVersion(id=r["id"], law_id=r["id"].split("@", 1)[0], date=r["date"], title=r.get("title"))
            for r in rows]


def provision_version(store: GraphStore, id_or_ref: Any, *, at: str | date | None = None
                      ) -> ProvisionVersion | None:
    """A provision version by id or by an already-read reference (see
    :func:`lawgraph.graph.read.get_provision`; typed text goes through
    :func:`lawgraph.provisions.get_provision`), as in force at ``at`` (latest when None);
    None when there is no such provision."""
    return read.get_provision(store, id_or_ref, at=at)


def decrees(store: GraphStore, law_key: str, at: str | date | None = None) -> list[Decree]:
    """The reform decrees a law version lists, in printed order."""
    return [Decree(**r) for r in read.version_decrees(store, law_key, at)]


def proposals(store: GraphStore, **filters) -> list[Proposal]:
    """Proposals matching the status filters of :func:`lawgraph.graph.process.find_proposals`."""
    from lawgraph.graph.process import find_proposals

    return [Proposal(**{k: v for k, v in r.items() if v is not None}) for r in find_proposals(store, **filters)]


def recommendation(store: GraphStore, rec_id: str) -> RecommendationView | None:
    """A recommendation with its sub-paragraphs and links (:func:`lawgraph.graph.links.recommendation_view`),
    typed; None when there is no such recommendation."""
    from lawgraph.graph.links import recommendation_view

    row = recommendation_view(store, rec_id)
    if row is None:
        return None

    return RecommendationView(**{k: v for k, v in row.items() if v is not None and k not in ("links", "confirmed")},
                              links=[_link_view(lk) for lk in row["links"]],
                              confirmed=[_link_view(lk) for lk in row["confirmed"]])


def _typed(model: Any, rows: list[dict[str, Any]]) -> list[Any]:
    return [model(**{k: v for k, v in r.items() if v is not None}) for r in rows]


def recommendation_rows(store: GraphStore, **filters: Any) -> list[RecommendationRow]:
    """Recommendations in document and paragraph order with their link counts
    (:func:`lawgraph.graph.links.list_recommendations`; same filters), typed."""
    from lawgraph.graph.links import list_recommendations

    return _typed(RecommendationRow, list_recommendations(store, **filters))


def suggestion_rows(store: GraphStore, *, limit: int = 100, offset: int = 0) -> list[SuggestionRow]:
    """Suggestions, newest first, with their link counts, typed."""
    from lawgraph.graph.links import list_suggestions

    return _typed(SuggestionRow, list_suggestions(store, limit=limit, offset=offset))


def decree_rows(store: GraphStore, *, dof_date: str | None = None, law_key: str | None = None,
                limit: int = 200) -> list[DecreeRow]:
    """Decrees with the laws they amend, newest first (:func:`lawgraph.graph.decrees.list_decrees`), typed."""
    from lawgraph.graph.decrees import list_decrees

    return _typed(DecreeRow, list_decrees(store, dof_date=dof_date, law_key=law_key, limit=limit))


def _link_view(lk: dict[str, Any]) -> LinkView:
    return LinkView(**{k: v for k, v in lk.items() if v is not None})


def suggestion(store: GraphStore, sug_id: str) -> SuggestionView | None:
    """A suggestion with its links, landings and later initiatives
    (:func:`lawgraph.graph.links.suggestion_view`), typed; None when there is no such suggestion."""
    from lawgraph.graph.links import suggestion_view

    row = suggestion_view(store, sug_id)
    if row is None:
        return None
    lists = ("links", "proposals", "landed", "possible")
    return SuggestionView(**{k: v for k, v in row.items() if v is not None and k not in lists + ("initiatives",)},
                          **{k: [_link_view(lk) for lk in row[k]] for k in lists},
                          initiatives=[{k: v for k, v in p.items() if v is not None} for p in row["initiatives"]])


def links(store: GraphStore, *, status: str | None = None, from_id: str | None = None,
          to_id: str | None = None, limit: int = 100) -> list[Link]:
    """Stored links, best score first, filtered by status, source and/or target provision."""
    from lawgraph.graph.links import list_links

    return [Link(**{k: v for k, v in r.items() if v is not None})
            for r in list_links(store, status=status, from_id=from_id, to_id=to_id, limit=limit)]
