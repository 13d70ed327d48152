"""Recommendations (CEDAW, other treaty bodies, UPR) with their candidate and confirmed links."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from lawgraph.api.deps import Cache, Store
from lawgraph.api.params import COMMON_RESPONSES, NOT_FOUND, Filter, Id, Limit, Offset, PageFilter, Pagina, Ref
from lawgraph.api.rendering import error_response, render, view_page
from lawgraph.api.views import review_summary
from lawgraph.graph import links
from lawgraph.graph import views
from lawgraph.model.views import RecommendationRow, RecommendationView
from lawgraph.recommendation_page import recommendation_page

router = APIRouter(responses=COMMON_RESPONSES)
PAGE = 50  # rows per page: a screenful with its evidence snippets


@router.get("/api/recommendations", tags=["recomendaciones"], response_model=list[RecommendationRow])
def api_recommendations(store: Store, body: Filter = None, document: Filter = None, q: Filter = None,
                        limit: Limit = 100, offset: Offset = 0):
    """Recommendations with their link counts."""
    return views.recommendation_rows(store, body=body, document=document, q=q, limit=limit, offset=offset)


@router.get("/api/recommendation", tags=["recomendaciones"], responses=NOT_FOUND, response_model=RecommendationView)
def api_recommendation(request: Request, store: Store, id: Ref):
    """One recommendation with its candidate and confirmed provisions (score, evidence, source)."""
    view = recommendation_page(store, id)
    return view if view is not None else error_response(request, 404, f"No existe la recomendación {id!r}")


@router.get("/recomendaciones", response_class=HTMLResponse, tags=["páginas"])
def recomendaciones(request: Request, store: Store, cache: Cache, organo: PageFilter = "", documento: PageFilter = "",
                    q: PageFilter = "", pagina: Pagina = 1):
    """The list of recommendations, filtered by body, document or words."""
    rows = views.recommendation_rows(store, body=organo or None, document=documento or None, q=q or None,
                                      limit=PAGE + 1, offset=(pagina - 1) * PAGE)
    return render(request, "recomendaciones.html", {
        "rows": rows[:PAGE], "more": len(rows) > PAGE, "pagina": pagina, "organo": organo,
        "documento": documento, "q_rec": q, "resumen": review_summary(store, cache)})


@router.get("/recomendacion/{rec_id:path}", response_class=HTMLResponse, tags=["páginas"], responses=NOT_FOUND)
def recomendacion(request: Request, rec_id: Id, store: Store):
    """One recommendation: its text, source and linked provisions with review forms."""
    return view_page(request, recommendation_page(store, rec_id), "recomendacion.html", "r",
                     f"No existe la recomendación {rec_id!r}.", "/recomendacion/" + quote(rec_id, safe=""))
