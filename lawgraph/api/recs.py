"""Pages and JSON for recommendations, suggestions and the review of their links.

Handlers call :mod:`lawgraph.graph.links`; none runs a query of its own, and none takes Cypher
from the user. A review form POSTs to ``/vinculo/{link_id}/revision``; the decision is written
to the journal before the graph (:func:`lawgraph.graph.links.review_link`), like the CLI's.
Forms are read from the urlencoded body directly, so the API needs no multipart package.
"""
from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from lawgraph.errors import InputError
from lawgraph import provisions
from lawgraph.graph import links
from lawgraph.graph.store import GraphStore

router = APIRouter()
PAGE = 50
STATUS_ES = {"suggested": "sugerido", "confirmed": "confirmado", "rejected": "rechazado"}
KIND_ES = {"implements": "implementa", "partially_implements": "implementa en parte", "relevant": "relacionada",
           "reuses_text": "reutiliza el texto"}


def _templates():
    from lawgraph.api.app import templates

    templates.env.globals.setdefault("STATUS_ES", STATUS_ES)
    templates.env.globals.setdefault("KIND_ES", KIND_ES)
    return templates


def _store(request: Request) -> GraphStore:
    return request.app.state.store


def get_journal(request: Request):
    """The journal decisions go to: the application's (tests) or the data directory's."""
    j = getattr(request.app.state, "journal", None)
    if j is None:
        from lawgraph.journal import default_journal

        j = default_journal()
    return j


Store = Annotated[GraphStore, Depends(_store)]


def _not_found(request: Request, message: str):
    if request.url.path.startswith("/api/"):
        raise HTTPException(status_code=404, detail=message)
    return _templates().TemplateResponse(request, "error.html", {"title": "No encontrado", "message": message},
                                         status_code=404)


# ------------------------------------------------------------------------------------ JSON
@router.get("/api/recommendations")
def api_recommendations(store: Store, body: str | None = None, document: str | None = None,
                        q: str | None = None, limit: Annotated[int, Query(le=1000)] = 100, offset: int = 0):
    """Recommendations with their link counts."""
    return links.list_recommendations(store, body=body, document=document, q=q, limit=limit, offset=offset)


@router.get("/api/recommendation")
def api_recommendation(request: Request, store: Store, id: Annotated[str, Query(description="rec_id")]):
    """One recommendation with its candidate and confirmed provisions (score, evidence, source)."""
    view = links.recommendation_view(store, id)
    return view if view is not None else _not_found(request, f"No existe la recomendación {id!r}")


@router.get("/api/suggestions")
def api_suggestions(store: Store, limit: Annotated[int, Query(le=1000)] = 100, offset: int = 0):
    return links.list_suggestions(store, limit=limit, offset=offset)


@router.get("/api/suggestion/{sug_id}")
def api_suggestion(request: Request, sug_id: str, store: Store):
    """One suggestion: its links, whether it became law, where, with which words, by which decree."""
    view = links.suggestion_view(store, sug_id)
    return view if view is not None else _not_found(request, f"No existe la sugerencia {sug_id!r}")


@router.get("/api/provision/links")
def api_provision_links(store: Store, ref: Annotated[str, Query(description='Referencia ("CPF art 325") o id de disposición')]):
    """Recommendations and suggestions linked to a provision (or a unit under it)."""
    return provisions.provision_links(store, ref)


@router.get("/api/links")
def api_links(store: Store, status: str | None = None, from_id: str | None = None,
              limit: Annotated[int, Query(le=1000)] = 100):
    if status is not None and status not in STATUS_ES:
        raise HTTPException(status_code=400, detail=f"estado {status!r} no válido")
    return links.list_links(store, status=status, from_id=from_id, limit=limit)


# ----------------------------------------------------------------------------------- pages
@router.get("/recomendaciones", response_class=HTMLResponse)
def recomendaciones(request: Request, store: Store, organo: str = "", documento: str = "", q: str = "",
                    pagina: int = 1):
    pagina = max(1, pagina)
    rows = links.list_recommendations(store, body=organo or None, document=documento or None, q=q or None,
                                      limit=PAGE + 1, offset=(pagina - 1) * PAGE)
    return _templates().TemplateResponse(request, "recomendaciones.html", {
        "rows": rows[:PAGE], "more": len(rows) > PAGE, "pagina": pagina, "organo": organo,
        "documento": documento, "q_rec": q, "resumen": links.recs_summary(store)})


@router.get("/recomendacion/{rec_id:path}", response_class=HTMLResponse)
def recomendacion(request: Request, rec_id: str, store: Store):
    view = links.recommendation_view(store, rec_id)
    if view is None:
        return _not_found(request, f"No existe la recomendación {rec_id!r}.")
    return _templates().TemplateResponse(request, "recomendacion.html", {
        "r": view, "volver": "/recomendacion/" + quote(rec_id, safe="")})


@router.get("/sugerencias", response_class=HTMLResponse)
def sugerencias(request: Request, store: Store, pagina: int = 1):
    pagina = max(1, pagina)
    rows = links.list_suggestions(store, limit=PAGE + 1, offset=(pagina - 1) * PAGE)
    return _templates().TemplateResponse(request, "sugerencias.html", {
        "rows": rows[:PAGE], "more": len(rows) > PAGE, "pagina": pagina})


@router.get("/sugerencia/{sug_id}", response_class=HTMLResponse)
def sugerencia(request: Request, sug_id: str, store: Store):
    view = links.suggestion_view(store, sug_id)
    if view is None:
        return _not_found(request, f"No existe la sugerencia {sug_id!r}.")
    return _templates().TemplateResponse(request, "sugerencia.html", {
        "s": view, "volver": "/sugerencia/" + quote(sug_id, safe="")})


@router.get("/vinculos", response_class=HTMLResponse)
def vinculos(request: Request, store: Store, ref: str = ""):
    """Recommendations and suggestions linked to a provision."""
    rows = provisions.provision_links(store, ref) if ref.strip() else []
    return _templates().TemplateResponse(request, "vinculos.html", {"ref": ref, "rows": rows})


def _safe_next(url: str, fallback: str) -> str:
    # Only a local page: a form must not become an open redirect.
    return url if url.startswith("/") and not url.startswith("//") else fallback


@router.post("/vinculo/{link_id}/revision", response_class=HTMLResponse)
async def revision(request: Request, link_id: str, store: Store, journal: Annotated[Any, Depends(get_journal)]):
    """Confirm or reject a link from a page form (fields: decision, reviewer, reason, next)."""
    raw = (await request.body()).decode("utf-8", errors="replace")
    form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
    decision = form.get("decision", "")
    reviewer = form.get("reviewer", "").strip()
    reason = form.get("reason", "").strip()
    back = _safe_next(form.get("next", ""), "/recomendaciones")
    if decision not in ("confirmed", "rejected"):
        raise InputError(None, "decisión no válida: elija confirmar o rechazar")
    if not reviewer:
        raise InputError(None, "indique su nombre como revisor(a): la decisión no se guardó")
    links.review_link(store, journal, link_id, decision, reviewer=reviewer, reason=reason)
    return RedirectResponse(back + f"#{link_id}", status_code=303)
