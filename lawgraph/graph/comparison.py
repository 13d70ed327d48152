"""Read the provisions that jurisdictions are compared on, from the graph.

``compare``, ``coverage`` and the equivalence step read the latest complete version of every
law (named query ``comparison_versions``) and its provision versions with their sources
(``comparison_units``), and rebuild each article's full text and its fracciones the way the
parser's :meth:`lawgraph.model.law.Unit.full_text` and ``fracciones`` do: a unit's own text
followed by its children in ``ordinal`` order; the fracciones of an article are those under
it or under its párrafos, apartados or incisos, not the sub-items of a fracción.

Returns plain dicts (graph/ imports only the model, the ids and its query text); the caller
(:mod:`lawgraph.equivalences`) turns them into :class:`lawgraph.nlp.equivalence.Provision`.
"""
from __future__ import annotations

import json
from typing import Any

from lawgraph.graph.read import run_named
from lawgraph.graph.store import GraphStore


def compared_versions(store: GraphStore) -> list[dict[str, Any]]:
    """One row per law: law_key, law_id, jurisdiction, version_id, date, sha256, content_hash."""
    return run_named(store, "comparison_versions")


def _note_dates(raw: Any) -> tuple[str, ...]:
    try:
        notes = json.loads(raw) if raw else []
    except (TypeError, ValueError):
        return ()
    return tuple(sorted({d for n in notes if isinstance(n, dict) for d in (n.get("dates") or [])}))


def version_provisions(store: GraphStore, version: dict[str, Any]) -> list[dict[str, Any]]:
    """Every non-repealed article (full text) and its non-repealed fracciones of one version
    row of :func:`compared_versions`, in reading order, each with its source and the dates of
    its reform notes."""
    rows = run_named(store, "comparison_units", {"version_id": version["version_id"]})
    by_id = {r["id"]: r for r in rows}
    children: dict[str, list[dict[str, Any]]] = {}
    top: list[dict[str, Any]] = []
    for r in rows:
        parent = r["id"].rsplit("/", 1)[0]
        if parent in by_id:
            children.setdefault(parent, []).append(r)
        elif r["kind"] == "articulo":
            top.append(r)
    for kids in children.values():
        kids.sort(key=lambda r: r["ordinal"] or 0)
    top.sort(key=lambda r: r["ordinal"] or 0)

    def full_text(r: dict[str, Any]) -> str:
        parts = [r["text"]] if r.get("text") else []
        parts.extend(full_text(c) for c in children.get(r["id"], []))
        return "\n".join(p for p in parts if p)

    def fracciones(r: dict[str, Any]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for c in children.get(r["id"], []):
            out.extend([c] if c["kind"] == "fraccion" else fracciones(c))
        return out

    def make(r: dict[str, Any], article: str, fraction: str | None) -> dict[str, Any]:
        return {"jurisdiction": version["jurisdiction"], "law": version["law_key"],
                "version_id": version["version_id"], "id": r["id"], "article": article,
                "fraction": fraction, "text": full_text(r), "page": r.get("page"),
                "start": r.get("start") or 0, "end": r.get("end") or 0,
                "sha256": r.get("sha256") or version.get("sha256") or "",
                "in_force": version.get("date"), "note_dates": _note_dates(r.get("reform_notes"))}

    out: list[dict[str, Any]] = []
    for a in top:
        if a.get("repealed"):
            continue
        out.append(make(a, a["label"], None))
        out.extend(make(f, a["label"], f["label"]) for f in fracciones(a) if not f.get("repealed"))
    return out
