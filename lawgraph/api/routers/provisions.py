"""Provisions: one article or unit at a date, and what is linked to it."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from lawgraph.api.deps import Cache, Store
from lawgraph.api.params import COMMON_RESPONSES, MAX_REF, NO_CONTROL, NOT_FOUND, At, LawKey, Ref, iso
from lawgraph.api.rendering import error_response, render
from lawgraph.api.views import law_by_key, provision_page
from lawgraph.errors import InputError
from lawgraph.model.views import ProvisionVersion
from lawgraph.provisions import find_article, get_provision, missing_at, missing_article_at, provision_links

router = APIRouter(responses=COMMON_RESPONSES)
Label = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_CONTROL, description="Artículo: 20 Ter")]


@router.get("/api/provision", tags=["disposiciones"], responses=NOT_FOUND, response_model=ProvisionVersion)
def api_provision(request: Request, store: Store, ref: Ref, at: At = None):
    """One provision at a date: text, hierarchy, reform notes, decrees, source."""
    try:
        view = get_provision(store, ref, at=iso(at))
    except InputError as e:  # a text that is no reference names nothing: not found, and why
        return error_response(request, 404, str(e))
    if view is None:
        missing = missing_at(store, ref, iso(at))        # what is known that day
        return error_response(request, 404, missing.message() if missing else f"No se encontró {ref!r}")
    return view


@router.get("/api/provision/links", tags=["disposiciones"], responses=NOT_FOUND)
def api_provision_links(request: Request, store: Store, ref: Ref):
    """Recommendations and suggestions linked to a provision (or a unit under it)."""
    try:
        return provision_links(store, ref)
    except InputError as e:
        return error_response(request, 404, str(e))


@router.get("/ley/{key}/articulo/{label}", response_class=HTMLResponse, tags=["páginas"], responses=NOT_FOUND)
def articulo(request: Request, key: LawKey, label: Label, store: Store, cache: Cache, fecha: At = None):
    """An article's page: text in force at the date, breadcrumb, reform notes, source."""
    view = find_article(store, key, label, iso(fecha))
    if view is None:
        missing = missing_article_at(store, key, label, iso(fecha))   # what is known that day
        return error_response(request, 404, missing.message() if missing else
                              f"{key.upper()}: no se encontró el artículo {label}"
                              + (f" vigente el {iso(fecha)}" if fecha else ""))
    law = law_by_key(store, cache, key) or {"key": key, "title": key}
    return render(request, "provision.html", {"law": law, "p": provision_page(view)})


@router.get("/vinculos", response_class=HTMLResponse, tags=["páginas"], responses=NOT_FOUND)
def vinculos(request: Request, store: Store,
             ref: Annotated[str, Query(max_length=MAX_REF, pattern=NO_CONTROL)] = ""):
    """Recommendations and suggestions linked to a provision."""
    try:
        rows = provision_links(store, ref) if ref.strip() else []
    except InputError as e:  # a reference that names nothing: why, and the closest ones
        return error_response(request, 404, str(e))
    return render(request, "vinculos.html", {"ref": ref, "rows": rows})
