"""Civil-society suggestions: the list, and whether each became law."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from lawgraph.api.deps import Store
from lawgraph.api.params import COMMON_RESPONSES, NOT_FOUND, Id, Limit, Offset, Pagina
from lawgraph.api.rendering import error_response, render, view_page
from lawgraph.graph import views
from lawgraph.model.views import SuggestionRow, SuggestionView
from lawgraph.suggestion_page import suggestion_page

router = APIRouter(responses=COMMON_RESPONSES)
PAGE = 50  # rows per page, as for recommendations


@router.get("/api/suggestions", tags=["sugerencias"], response_model=list[SuggestionRow])
def api_suggestions(store: Store, limit: Limit = 100, offset: Offset = 0):
    """Suggestions with their link counts."""
    return views.suggestion_rows(store, limit=limit, offset=offset)


@router.get("/api/suggestion/{sug_id}", tags=["sugerencias"], responses=NOT_FOUND, response_model=SuggestionView)
def api_suggestion(request: Request, sug_id: Id, store: Store):
    """One suggestion: its links, whether it became law, where, with which words, by which decree."""
    view = suggestion_page(store, sug_id)
    return view if view is not None else error_response(request, 404, f"No existe la sugerencia {sug_id!r}")


@router.get("/sugerencias", response_class=HTMLResponse, tags=["páginas"])
def sugerencias(request: Request, store: Store, pagina: Pagina = 1):
    """The list of suggestions, the most recent first."""
    rows = views.suggestion_rows(store, limit=PAGE + 1, offset=(pagina - 1) * PAGE)
    return render(request, "sugerencias.html", {"rows": rows[:PAGE], "more": len(rows) > PAGE, "pagina": pagina})


@router.get("/sugerencia/{sug_id}", response_class=HTMLResponse, tags=["páginas"], responses=NOT_FOUND)
def sugerencia(request: Request, sug_id: Id, store: Store):
    """One suggestion: whether it became law, where, with which words; its links with review forms."""
    return view_page(request, suggestion_page(store, sug_id), "sugerencia.html", "s",
                     f"No existe la sugerencia {sug_id!r}.", "/sugerencia/" + quote(sug_id, safe=""))
