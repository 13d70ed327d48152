"""Search: one search over provisions, proposals, decrees, recommendations and suggestions
(lawgraph.search), or a reference that goes straight to its provision."""
from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from lawgraph import search as searching
from lawgraph.api.deps import Cache, Store
from lawgraph.api.params import COMMON_RESPONSES, MAX_QUERY, MAX_SEARCH, NO_CONTROL
from lawgraph.api.rendering import render
from lawgraph.api.views import law_by_key, provision_page, search_page
from lawgraph.errors import InputError
from lawgraph.provisions import get_provision

router = APIRouter(responses=COMMON_RESPONSES)
Q = Annotated[str, Query(min_length=2, max_length=MAX_QUERY, pattern=NO_CONTROL, description="Palabras a buscar")]
Kinds = Annotated[list[searching.Kind] | None, Query(max_length=len(searching.KINDS), description=(
    "Tipos de resultado (repetible): " + ", ".join(searching.KINDS) + "; todos si se omite"))]
# Reason: hits per kind on the page: enough to judge a query, short enough to read; the JSON API
# takes up to MAX_SEARCH.
PAGE_HITS = 20


@router.get("/api/search", tags=["búsqueda"])
def api_search(store: Store, q: Q, tipo: Kinds = None,
               limit: Annotated[int, Query(ge=1, le=MAX_SEARCH, description="Resultados por tipo, de 1 a 200")] = 50):
    """Hits for the words, grouped by kind, each with an excerpt in escaped HTML (matched words in
    <mark>); accents optional, Spanish stemming, general legal synonyms."""
    return searching.search(store, q, tipo, limit).to_json()


@router.get("/buscar", response_class=HTMLResponse, tags=["páginas"])
def buscar(request: Request, store: Store, cache: Cache,
           q: Annotated[str, Query(max_length=MAX_QUERY, pattern=NO_CONTROL)] = "",
           tipo: Kinds = None):
    """The search page; a reference ("LGAMVLV art 20 Ter") shows the provision itself."""
    q = q.strip()
    if not q:
        return render(request, "buscar.html", {"q": q, "groups": [], "kinds": searching.KIND_NAMES})
    with contextlib.suppress(InputError):
        view = get_provision(store, q)
        if view is not None:
            law = law_by_key(store, cache, view.law_key) or {"key": view.law_key, "title": view.law_title}
            return render(request, "provision.html", {"law": law, "p": provision_page(view)})
    result = searching.search(store, q, tipo, PAGE_HITS)
    also = [(c.words, c.also) for c in result.concepts if c.also]
    return render(request, "buscar.html", {"q": q, "groups": search_page(result), "also": also,
                                           "kinds": searching.KIND_NAMES, "tipo": tipo or []})
