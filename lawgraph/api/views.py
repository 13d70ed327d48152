"""What the pages show, computed from the library's read results (no query text here).

:func:`provision_page` turns a provision view into the page's fields; :func:`search` finds
provisions of the latest version of each law through the named query ``search_provisions``.
"""
from __future__ import annotations

from typing import Any

from lawgraph import ids
from lawgraph.api.cache import LAWS_TTL, REVIEW_TTL, ReadCache
from lawgraph.graph import links
from lawgraph.graph.read import get_provision, list_laws, run_named, stats, version_articles
from lawgraph.graph.store import GraphStore

# How units and divisions are named to people.
UNIT_NAMES = {"libro": "Libro", "titulo": "Título", "capitulo": "Capítulo", "seccion": "Sección",
              "apartado": "Apartado", "articulo": "Artículo", "parrafo": "Párrafo", "fraccion": "Fracción",
              "inciso": "Inciso", "numeral": "Numeral", "transitorio": "Transitorio"}
UNIT_LOWER = {"parrafo": "párrafo", "fraccion": "fracción", "inciso": "inciso", "numeral": "numeral",
              "apartado": "apartado", "transitorio": "transitorio"}


def provision_page(view) -> dict[str, Any]:
    """The fields of a provision page: title, breadcrumb, text, source, reform notes."""
    path = []
    for s in view.path[1:]:
        path.append(" ".join(x for x in (UNIT_NAMES.get(s.kind or "", s.kind), s.label,
                                         s.heading and f"— {s.heading}") if x))
    notes = [{"text": n.get("text"), "unit": n.get("unit")} for n in view.reform_notes]
    if view.kind == "articulo":
        title = f"Artículo {view.label}"
    else:
        art = next((s.label for s in view.path if s.kind == "articulo"), None)
        own = f"{UNIT_LOWER.get(view.kind, view.kind)} {view.label}"
        title = f"Artículo {art}, {own}" if art else own.capitalize()
    return {"id": view.id, "provision_id": view.provision_id, "label": view.label, "title": title,
            "repealed": view.repealed, "text": view.text, "version_date": view.version_date,
            "file": view.source.get("file"), "page": view.source.get("page"),
            "in_force_since": view.in_force_since, "reasoning": view.reasoning, "approximate": view.approximate,
            "sha256": view.source.get("sha256") or "", "path": path, "reform_notes": notes}


def laws(store: GraphStore, cache: ReadCache) -> list[dict[str, Any]]:
    """Every law with its versions (cached: it changes only with an ingest). Read-only."""
    return cache.get("laws", LAWS_TTL, lambda: list_laws(store))


def graph_stats(store: GraphStore, cache: ReadCache) -> dict[str, Any]:
    """The graph's node and relationship counts (cached: a full scan of the graph). Read-only."""
    return cache.get("stats", LAWS_TTL, lambda: stats(store))


def review_summary(store: GraphStore, cache: ReadCache) -> dict[str, Any]:
    """Recommendations and links by status (cached briefly; cleared by this worker's writes)."""
    return cache.get("recs_summary", REVIEW_TTL, lambda: links.recs_summary(store))


def law_by_key(store: GraphStore, cache: ReadCache, key: str) -> dict[str, Any] | None:
    return next((x for x in laws(store, cache) if x["key"] == key.lower()), None)


def home_figures(store: GraphStore, cache: ReadCache) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The laws with a loaded text (with their article counts) and the graph's figures. The
    catalogue's other laws (named by initiatives or recommendations) are counted, not listed.
    Cached as a whole: one article count per law and a full-scan count are too dear per visit."""

    def compute():
        all_laws = laws(store, cache)
        with_text = [dict(x) for x in all_laws if x.get("latest")]
        st = graph_stats(store, cache)
        for law in with_text:
            law["articles"] = len(version_articles(store, law["key"]))
        cifras = {"leyes con texto": len(with_text), "otras leyes citadas": len(all_laws) - len(with_text),
                  "versiones": st["nodes"].get("LawVersion", 0),
                  "disposiciones (versiones)": st["nodes"].get("ProvisionVersion", 0),
                  "decretos": st["nodes"].get("Decree", 0)}
        return with_text, cifras

    return cache.get("home", LAWS_TTL, compute)


def law_version(store: GraphStore, key: str, at: str | None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A law's articles in force at ``at`` and the source of that version (empty when none)."""
    arts = version_articles(store, key, at)
    if not arts:
        return [], {}
    first = get_provision(store, arts[0]["id"])
    version = {"date": first.version_date, "file": first.source.get("file"),
               "sha256": first.source.get("sha256") or "", "pages": None}
    return arts, version


def search(store: GraphStore, cache: ReadCache, q: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Provisions of the latest version of each law whose text contains ``q`` (case-insensitive)."""
    latest = {f"{law['id']}@{law['latest']}": law["key"] for law in laws(store, cache) if law.get("latest")}
    rows = run_named(store, "search_provisions", {"q": q.lower(), "versions": list(latest), "limit": limit})
    hits = []
    for r in rows:
        pid = ids.parse(r["id"])
        # The article a fracción or párrafo belongs to, from its id ('…/art_20-ter/frac_ii' ->
        # '20-ter'); find_article normalises the slug back to '20 Ter'.
        art = next((lab for unit, lab in pid.path if unit == "articulo"), None)
        text = r.get("text") or ""
        i = text.lower().find(q.lower())
        snippet = ("…" if i > 60 else "") + text[max(0, i - 60): i + len(q) + 120] + "…"
        hits.append({"id": r["id"], "law_key": latest.get(r["version_id"]), "kind": r["kind"],
                     "label": r["label"] if r["kind"] == "articulo" else art or r["label"],
                     "unit_label": r["label"], "version_date": pid.date, "page": r.get("page"),
                     "snippet": snippet, "repealed": r.get("repealed")})
    return hits
