"""Laws: the list (home page), one law's articles and decrees."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from lawgraph.api.deps import Cache, Store
from lawgraph.api.params import COMMON_RESPONSES, NOT_FOUND, At, LawKey, iso
from lawgraph.api.rendering import error_response, render
from lawgraph.api.views import graph_stats, home_figures, law_by_key, law_version, typed_laws
from lawgraph.graph.read import version_articles
from lawgraph.graph.views import decrees
from lawgraph.model.views import Decree, Law

router = APIRouter(responses=COMMON_RESPONSES)


@router.get("/api/laws", tags=["leyes"])
def api_laws(store: Store, cache: Cache) -> list[Law]:
    """Every law with the dates of its versions."""
    return typed_laws(store, cache)


@router.get("/api/stats", tags=["leyes"])
def api_stats(store: Store, cache: Cache) -> dict[str, Any]:
    """Node and relationship counts of the graph (refreshed at most every 30 s)."""
    return graph_stats(store, cache)


@router.get("/api/laws/{key}/articles", tags=["leyes"], responses=NOT_FOUND)
def api_articles(request: Request, key: LawKey, store: Store, cache: Cache, at: At = None):
    """The articles of a law in force at a date (the latest version without one)."""
    if law_by_key(store, cache, key) is None:
        return error_response(request, 404, f"No hay ninguna ley con clave {key!r} en el grafo.")
    return version_articles(store, key, iso(at))


@router.get("/api/laws/{key}/decrees", tags=["leyes"], responses=NOT_FOUND, response_model=list[Decree])
def api_decrees(request: Request, key: LawKey, store: Store, cache: Cache, at: At = None):
    """The reform decrees a version of a law lists."""
    if law_by_key(store, cache, key) is None:
        return error_response(request, 404, f"No hay ninguna ley con clave {key!r} en el grafo.")
    return decrees(store, key, iso(at))


@router.get("/", response_class=HTMLResponse, tags=["páginas"])
def inicio(request: Request, store: Store, cache: Cache):
    """Home page: the laws with a loaded text and the graph's figures."""
    rows, cifras = home_figures(store, cache)
    return render(request, "inicio.html", {"laws": rows, "stats": cifras})


@router.get("/ley/{key}", response_class=HTMLResponse, tags=["páginas"], responses=NOT_FOUND)
def ley(request: Request, key: LawKey, store: Store, cache: Cache, fecha: At = None):
    """A law's articles at a date, with the version's source."""
    law = law_by_key(store, cache, key)
    if law is None or not law.get("latest"):
        return error_response(request, 404, f"No hay ninguna ley con clave {key!r} en el grafo.")
    arts, version = law_version(store, key, iso(fecha))
    if not arts:
        return error_response(request, 404, f"{key.upper()}: no había versión vigente el {iso(fecha)}.")
    return render(request, "ley.html", {"law": law, "articles": arts, "version": version})
