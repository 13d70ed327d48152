"""Decrees as people read them: what a decree changed, by law and article, before and after.

The operations come from the decree's amendment clauses (:mod:`lawgraph.graph.amendments`);
the text before is the article in force the day before publication and the text after the
one in force on the publication day, both read from the stored law versions with their sources.
Where no stored version covers a date the view says so instead of showing text.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from lawgraph.graph.read import find_article, run_named
from lawgraph.graph.store import GraphStore


def list_decrees(store: GraphStore, *, dof_date: str | None = None, law_key: str | None = None,
                 limit: int = 200) -> list[dict[str, Any]]:
    """Decrees with the laws they amend, newest first (named query ``list_decrees``)."""
    return run_named(store, "list_decrees", {"dof_date": dof_date or None,
                                             "law_key": law_key.lower() if law_key else None, "limit": limit})


def _text(store: GraphStore, law_key: str, article: str, at: str, *, since: str | None = None
          ) -> dict[str, Any] | None:
    """The article in force at ``at`` with its source; None when no stored version covers that
    date, or (``since``) when the version found is older than ``since`` (so it cannot show the
    decree's effect)."""
    view = find_article(store, law_key, article, at)
    if view is None or (since and view.version_date < since):
        return None
    return {"text": view.text, "version_date": view.version_date, "basis": view.basis,
            "source": view.source.model_dump(), "id": view.id, "provision_id": view.provision_id}


def decree_view(store: GraphStore, decree_id: str) -> dict[str, Any] | None:
    """One decree: its properties and source, and per law the articles it changed, each with
    its operations (reforma / adiciona / deroga), the new text of the clause, and the article's
    text before and after publication. None when the id is unknown."""
    rows = run_named(store, "decree_view", {"id": decree_id})
    if not rows:
        return None
    decree = rows[0]["decree"]
    day = decree.get("dof_date")
    before = (date.fromisoformat(day) - timedelta(days=1)).isoformat() if day else None
    laws = []
    for r in rows:
        articles: dict[str, dict[str, Any]] = {}
        for op in r["operations"]:
            if not op or op.get("transitory") or not op.get("article"):
                continue
            a = articles.setdefault(op["article"], {"article": op["article"], "ops": [], "target": op.get("target")})
            a["ops"].append({"op": op["op"], "text": op.get("text")})
        for a in articles.values():
            a["before"] = _text(store, r["law_key"], a["article"], before) if before else None
            a["after"] = _text(store, r["law_key"], a["article"], day, since=day) if day else None
        laws.append({"law_key": r["law_key"], "law_title": r["law_title"], "law_id": r["law_id"],
                     "articles": list(articles.values())})
    return {"decree": decree, "laws": laws}
