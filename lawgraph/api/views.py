"""What the pages show, computed from the library's read results (no query text here).

:func:`provision_page` turns a provision view into the page's fields; :func:`search_page` turns a
result of :func:`lawgraph.search.search` into the search page's groups.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from lawgraph.api.cache import LAWS_TTL, REVIEW_TTL, ReadCache
from lawgraph.api.proposals_view import STAGE_ES
from lawgraph.api.rendering import fecha
from lawgraph.graph import links
from lawgraph.graph.read import get_provision, list_laws, stats, version_articles
from lawgraph.graph.store import GraphStore
from lawgraph.model.views import Law, ProvisionVersion

# How units and divisions are named to people.
UNIT_NAMES = {"libro": "Libro", "titulo": "Título", "capitulo": "Capítulo", "seccion": "Sección",
              "apartado": "Apartado", "articulo": "Artículo", "parrafo": "Párrafo", "fraccion": "Fracción",
              "inciso": "Inciso", "numeral": "Numeral", "transitorio": "Transitorio"}
UNIT_LOWER = {"parrafo": "párrafo", "fraccion": "fracción", "inciso": "inciso", "numeral": "numeral",
              "apartado": "apartado", "transitorio": "transitorio"}


def provision_page(view: ProvisionVersion) -> dict[str, Any]:
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
            "file": view.source.file, "page": view.source.page,
            "in_force_since": view.in_force_since, "reasoning": view.reasoning, "approximate": view.approximate,
            "sha256": view.source.sha256 or "", "path": path, "reform_notes": notes}


def laws(store: GraphStore, cache: ReadCache) -> list[dict[str, Any]]:
    """Every law with its versions (cached: it changes only with an ingest). Read-only."""
    return cache.get("laws", LAWS_TTL, lambda: list_laws(store))


def graph_stats(store: GraphStore, cache: ReadCache) -> dict[str, Any]:
    """The graph's node and relationship counts (cached: a full scan of the graph). Read-only."""
    return cache.get("stats", LAWS_TTL, lambda: stats(store))


def review_summary(store: GraphStore, cache: ReadCache) -> dict[str, Any]:
    """Recommendations and links by status (cached briefly; cleared by this worker's writes)."""
    return cache.get("recs_summary", REVIEW_TTL, lambda: links.recs_summary(store))


def typed_laws(store: GraphStore, cache: ReadCache) -> list[Law]:
    """Every law as the typed model (what /api/laws answers), from the cached rows."""
    return [Law.model_validate({k: v for k, v in x.items() if k != "latest"}) for x in laws(store, cache)]


def laws_with_text(store: GraphStore, cache: ReadCache) -> list[dict[str, Any]]:
    """The laws whose text is loaded (a complete version): only those have a page. The others
    are catalogue entries named by proposals or recommendations."""
    return [x for x in laws(store, cache) if x.get("latest")]


def law_by_key(store: GraphStore, cache: ReadCache, key: str) -> dict[str, Any] | None:
    return next((x for x in laws(store, cache) if x["key"] == key.lower()), None)


def home_figures(store: GraphStore, cache: ReadCache) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The laws with a loaded text (with their article counts) and the graph's figures. The
    catalogue's other laws (named by initiatives or recommendations) are counted, not listed.
    Cached as a whole: one article count per law and a full-scan count are too dear per visit."""

    def compute():
        all_laws = laws(store, cache)
        with_text = [dict(x) for x in laws_with_text(store, cache)]
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
    version = {"date": first.version_date, "file": first.source.file,
               "sha256": first.source.sha256 or "", "pages": None}
    return arts, version


def _join(*parts: Any) -> str:
    return " · ".join(str(x) for x in parts if x)


def _laws_line(keys: list[str] | None) -> str:
    return ", ".join(k.upper() for k in keys or [])


def search_page(result) -> list[dict[str, Any]]:
    """The groups of a search result as the page shows them: each hit with its title line, its
    link (where the site has a page for it), a line of particulars in words and its excerpt
    (already escaped HTML, matched words in <mark>)."""
    out = []
    for kind, group in result.groups.items():
        rows = []
        for h in group["hits"]:
            if kind == "provision":
                title = h["title"]
                href = f"/ley/{h['law_key']}/articulo/{quote(str(h['label']), safe='')}?fecha={h['version_date']}"
                meta = _join(h["version_date"] and f"versión del {fecha(h['version_date'])}",
                             h["page"] and f"página {h['page']}", h["repealed"] and "derogado")
            elif kind == "proposal":
                title, href = h["title"], h.get("url")
                meta = _join(h.get("date") and f"presentada el {fecha(h['date'])}",
                             (lambda w: w and w[0].lower() + w[1:])(STAGE_ES.get(h.get("stage") or "")), _laws_line(h.get("laws")))
            elif kind == "decree":
                title = f"Decreto publicado el {fecha(h['date'])}" if h.get("date") else "Decreto"
                href = f"/ley/{h['laws'][0]}" if h.get("laws") else None
                meta = _join(h.get("date") and "Diario Oficial de la Federación", _laws_line(h.get("laws")))
            elif kind == "recommendation":
                par = ".".join(str(x) for x in (h.get("paragraph"), h.get("subparagraph")) if x)
                title = _join(h.get("body"), h.get("document"), par and f"párrafo {par}").replace(" · ", ", ")
                href = f"/recomendacion/{h['id']}"
                meta = _join(h.get("year"))
            else:
                title = h.get("organisation") or "Sugerencia"
                href = f"/sugerencia/{quote(str(h['id']), safe='')}"
                meta = _join(h.get("date") and fecha(h["date"]), h.get("area"))
            rows.append({"title": title, "href": href, "meta": meta, "excerpt_html": h["excerpt_html"]})
        out.append({"kind": kind, "name": group["name"], "total": group["total"], "hits": rows})
    return out
