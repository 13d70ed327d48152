"""Search: a phrase in the text of the laws, or a reference that goes straight to its provision."""
from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from lawgraph.api.deps import Cache, Store
from lawgraph.api.params import COMMON_RESPONSES, MAX_QUERY, MAX_SEARCH, NO_CONTROL
from lawgraph.api.rendering import render
from lawgraph.api.views import law_by_key, provision_page, search
from lawgraph.errors import InputError
from lawgraph.provisions import get_provision

router = APIRouter(responses=COMMON_RESPONSES)
Q = Annotated[str, Query(min_length=2, max_length=MAX_QUERY, pattern=NO_CONTROL, description="Palabras a buscar")]


@router.get("/api/search", tags=["búsqueda"])
def api_search(store: Store, cache: Cache, q: Q,
               limit: Annotated[int, Query(ge=1, le=MAX_SEARCH, description="De 1 a 200")] = 50):
    """Provisions of the latest version of each law whose text contains the phrase."""
    return search(store, cache, q, limit=limit)


@router.get("/buscar", response_class=HTMLResponse, tags=["páginas"])
def buscar(request: Request, store: Store, cache: Cache,
           q: Annotated[str, Query(max_length=MAX_QUERY, pattern=NO_CONTROL)] = ""):
    """The search page; a reference ("LGAMVLV art 20 Ter") shows the provision itself."""
    q = q.strip()
    if not q:
        return render(request, "buscar.html", {"q": q, "hits": []})
    with contextlib.suppress(InputError):
        view = get_provision(store, q)
        if view is not None:
            law = law_by_key(store, cache, view.law_key) or {"key": view.law_key, "title": view.law_title}
            return render(request, "provision.html", {"law": law, "p": provision_page(view)})
    return render(request, "buscar.html", {"q": q, "hits": search(store, cache, q)})
