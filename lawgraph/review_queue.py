"""The review queue: links waiting for (or past) a person's decision, filtered as the page asks.

Read-only; the decisions go through :func:`lawgraph.steps.review_link` (journal first).
"""
from __future__ import annotations

from typing import Any

from lawgraph.graph import links
from lawgraph.graph.read import run_named
from lawgraph.graph.store import GraphStore

SOURCES = {"recomendacion": "Recommendation", "sugerencia": "Suggestion"}


def review_queue(store: GraphStore, *, status: str | None = "suggested", source: str | None = None,
                 body: str | None = None, law: str | None = None, min_score: float | None = None,
                 limit: int = 50) -> list[dict[str, Any]]:
    """Links best score first; ``source`` is 'recomendacion' or 'sugerencia', ``law`` a law key."""
    rows = run_named(store, "review_queue", {
        "status": status, "source": SOURCES.get(source or ""), "body": body.upper() if body else None,
        "law_segment": f"/{law.lower()}/" if law else None,
        "min_score": float(min_score) if min_score is not None else None, "limit": int(limit)})
    return [links._link_row(r) for r in rows]  # noqa: SLF001 - the one row shape of a link
