"""Proposals (iniciativas and proposiciones of both chambers) and the decrees they became: the
list with its filters, one page per proposal with its timeline, one page per decree; JSON twins."""
from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from lawgraph.api import proposals_view as pv
from lawgraph.api.deps import Store
from lawgraph.api.params import COMMON_RESPONSES, NOT_FOUND, Filter, Id, Limit, Offset, PageFilter, Pagina
from lawgraph.api.rendering import error_response, render, view_page
from lawgraph.graph import decrees as gdecrees
from lawgraph.graph import process as gprocess

router = APIRouter(responses=COMMON_RESPONSES)
PAGE = 50  # rows per page, as for recommendations
Days = Annotated[int | None, Query(ge=0, le=36500, description="Detenidas más de N días en su etapa")]
FILTERS = ("tema", "ley", "articulo", "etapa", "camara", "jurisdiccion", "desde", "hasta")


def _find(store, *, tema, ley, articulo, etapa, camara, jurisdiccion, desde, hasta, detenidas, offset, limit):
    return gprocess.list_proposals(
        store, topic=tema or None, law=ley or None, article=articulo or None, stage=etapa or None,
        chamber=camara or None, jurisdiction=jurisdiccion or None,
        date_from=pv.parse_day(desde, "desde"), date_to=pv.parse_day(hasta, "hasta"),
        stalled_days=detenidas, offset=offset, limit=limit)


@router.get("/api/propuestas", tags=["propuestas"])
def api_propuestas(request: Request, store: Store, tema: Filter = None, ley: Filter = None, articulo: Filter = None,
                   etapa: Filter = None, camara: Filter = None, jurisdiccion: Filter = None, desde: Filter = None,
                   hasta: Filter = None, detenidas: Days = None, limit: Limit = 100, offset: Offset = 0):
    """Proposals matching every filter, newest first (stage ids and their Spanish names)."""
    try:
        rows = _find(store, tema=tema, ley=ley, articulo=articulo, etapa=etapa, camara=camara,
                     jurisdiccion=jurisdiccion, desde=desde, hasta=hasta, detenidas=detenidas, offset=offset, limit=limit)
    except ValueError as exc:
        return error_response(request, 400, str(exc))
    return pv.list_rows(rows)


@router.get("/api/propuestas/{prop_id:path}", tags=["propuestas"], responses=NOT_FOUND)
def api_propuesta(request: Request, prop_id: Id, store: Store):
    """One proposal: events with sources, proponents, committees, targets, the decree it became."""
    page = pv.proposal_page(store, "/" + prop_id.lstrip("/"))
    return page if page is not None else error_response(request, 404, f"No existe la propuesta {prop_id!r}")


@router.get("/api/decretos", tags=["propuestas"])
def api_decretos(request: Request, store: Store, fecha: Filter = None, ley: Filter = None, limit: Limit = 200):
    """Decrees with the laws they amend, newest first; ``fecha`` AAAA-MM-DD or DD-MM-AAAA."""
    try:
        day = pv.parse_day(fecha, "fecha")
    except ValueError as exc:
        return error_response(request, 400, str(exc))
    return gdecrees.list_decrees(store, dof_date=day, law_key=ley or None, limit=limit)


@router.get("/api/decretos/{decree_id:path}", tags=["propuestas"], responses=NOT_FOUND)
def api_decreto(request: Request, decree_id: Id, store: Store):
    """One decree: per law, the articles it changed with text before and after and sources."""
    page = pv.decree_page(store, "/" + decree_id.lstrip("/"))
    return page if page is not None else error_response(request, 404, f"No existe el decreto {decree_id!r}")


@router.get("/propuestas", response_class=HTMLResponse, tags=["páginas"])
def propuestas(request: Request, store: Store, tema: PageFilter = "", ley: PageFilter = "", articulo: PageFilter = "",
               etapa: PageFilter = "", camara: PageFilter = "", jurisdiccion: PageFilter = "", desde: PageFilter = "",
               hasta: PageFilter = "", detenidas: Days = None, pagina: Pagina = 1):
    """The list of proposals with its filters."""
    given: dict[str, Any] = {k: v for k, v in zip(FILTERS, (tema, ley, articulo, etapa, camara, jurisdiccion, desde, hasta))}
    try:
        rows = _find(store, **given, detenidas=detenidas, offset=(pagina - 1) * PAGE, limit=PAGE + 1)
    except ValueError as exc:
        return error_response(request, 400, str(exc))
    query = {k: v for k, v in given.items() if v}
    if detenidas is not None:
        query["detenidas"] = detenidas
    return render(request, "propuestas.html", {
        "rows": pv.list_rows(rows[:PAGE]), "more": len(rows) > PAGE, "pagina": pagina, "f": given,
        "detenidas": detenidas, "qs": urlencode(query), "STAGES": pv.STAGE_ES, "CHAMBERS": pv.CHAMBER_ES})


@router.get("/propuestas/{prop_id:path}", response_class=HTMLResponse, tags=["páginas"], responses=NOT_FOUND)
def propuesta(request: Request, prop_id: Id, store: Store):
    """One proposal: full title, proponents, committee, timeline with sources, targets, decree."""
    pid = "/" + prop_id.lstrip("/")
    return view_page(request, pv.proposal_page(store, pid), "propuesta.html", "v",
                     f"No existe la propuesta {pid!r}.", "/propuestas" + pid)


@router.get("/decretos", response_class=HTMLResponse, tags=["páginas"])
def decretos(request: Request, store: Store, fecha: PageFilter = "", ley: PageFilter = ""):
    """Decrees, optionally of one DOF date or one law."""
    try:
        day = pv.parse_day(fecha, "fecha")
    except ValueError as exc:
        return error_response(request, 400, str(exc))
    rows = gdecrees.list_decrees(store, dof_date=day, law_key=ley or None)
    return render(request, "decretos.html", {"rows": [{**r, "short_title": pv.shorten(r.get("title") or "")} for r in rows],
                                             "fecha": fecha, "ley": ley})


@router.get("/decreto/{decree_id:path}", response_class=HTMLResponse, tags=["páginas"], responses=NOT_FOUND)
def decreto(request: Request, decree_id: Id, store: Store):
    """One decree: what it changed, by law and article, before and after, with sources."""
    did = "/" + decree_id.lstrip("/")
    return view_page(request, pv.decree_page(store, did), "decreto.html", "v",
                     f"No existe el decreto {did!r}.", "/decreto" + did)
