"""Proposals (iniciativas and proposiciones of both chambers) and the decrees they became: the
list with its filters, one page per proposal with its timeline, one page per decree; JSON twins."""
from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from pydantic import BeforeValidator, Field
from fastapi.responses import HTMLResponse

from lawgraph.api import proposals_view as pv
from lawgraph.api.deps import Cache, Store
from lawgraph.api.views import laws_with_text
from lawgraph.api.params import COMMON_RESPONSES, NOT_FOUND, Filter, Id, Limit, Offset, PageFilter, Pagina, iso
from lawgraph.api.rendering import error_response, render
from lawgraph.graph import decrees as gdecrees
from lawgraph.graph import process as gprocess
from lawgraph.graph import views
from lawgraph.model.views import DecreeRow, ProposalRow

router = APIRouter(responses=COMMON_RESPONSES)
PAGE = 50  # rows per page, as for recommendations
Days = Annotated[int | None, Query(ge=0, le=36500, description="Detenidas más de N días en su etapa")]


def _iso_only(value: object) -> object:
    """Only 'AAAA-MM-DD' is a date here (pydantic alone would also read '0' as 1970-01-01)."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("fecha inválida (AAAA-MM-DD)")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_only)]
At = Annotated[IsoDate | None, Query(description="Fecha AAAA-MM-DD")]
# A page's form sends an empty field when no date is typed: '' means no filter.
PageDate = Annotated[IsoDate | Literal[""] | None, Query(description="Fecha AAAA-MM-DD (vacía: sin filtro)")]
StageId = Literal[tuple(pv.STAGE_ES)]  # type: ignore[valid-type]  # the Stage values, one select option each
ApiStage = Annotated[StageId | None, Query(description="Etapa: turnada_comision, publicada_dof, …")]
PageStage = Annotated[StageId | Literal[""], Query(description="Etapa (vacía: cualquiera)")]
PageDays = Annotated[Annotated[int, Field(ge=0, le=36500)] | Literal[""] | None,
                     Query(description="Detenidas más de N días (vacío: sin filtro)")]
FILTERS = ("tema", "ley", "articulo", "etapa", "camara", "jurisdiccion", "desde", "hasta")


def _find(store, *, tema, ley, articulo, etapa, camara, jurisdiccion, desde, hasta, detenidas, offset, limit):
    return gprocess.list_proposals(
        store, topic=tema or None, law=ley or None, article=articulo or None, stage=etapa or None,
        chamber=camara or None, jurisdiction=jurisdiccion or None,
        date_from=iso(desde) if desde else None, date_to=iso(hasta) if hasta else None,
        stalled_days=detenidas, offset=offset, limit=limit)


@router.get("/api/propuestas", tags=["propuestas"], response_model=list[ProposalRow])
def api_propuestas(request: Request, store: Store, tema: Filter = None, ley: Filter = None, articulo: Filter = None,
                   etapa: ApiStage = None, camara: Filter = None, jurisdiccion: Filter = None, desde: At = None,
                   hasta: At = None, detenidas: Days = None, limit: Limit = 100, offset: Offset = 0):
    """Proposals matching every filter, newest first (stage ids and their Spanish names)."""
    rows = _find(store, tema=tema, ley=ley, articulo=articulo, etapa=etapa, camara=camara,
                 jurisdiccion=jurisdiccion, desde=desde, hasta=hasta, detenidas=detenidas, offset=offset, limit=limit)
    return pv.list_rows(rows)


@router.get("/api/propuestas/{prop_id:path}", tags=["propuestas"], responses=NOT_FOUND)
def api_propuesta(request: Request, prop_id: Id, store: Store):
    """One proposal: events with sources, proponents, committees, targets, the decree it became."""
    page = pv.proposal_page(store, "/" + prop_id.lstrip("/"))
    return page if page is not None else error_response(request, 404, f"No existe la propuesta {prop_id!r}")


@router.get("/api/decretos", tags=["propuestas"], response_model=list[DecreeRow])
def api_decretos(store: Store, fecha: At = None, ley: Filter = None, limit: Limit = 200):
    """Decrees with the laws they amend, newest first; ``fecha``: those published that day."""
    return views.decree_rows(store, dof_date=iso(fecha), law_key=ley or None, limit=limit)


@router.get("/api/decretos/{decree_id:path}", tags=["propuestas"], responses=NOT_FOUND)
def api_decreto(request: Request, decree_id: Id, store: Store):
    """One decree: per law, the articles it changed with text before and after and sources."""
    page = pv.decree_page(store, "/" + decree_id.lstrip("/"))
    return page if page is not None else error_response(request, 404, f"No existe el decreto {decree_id!r}")


def _with_text(store, cache) -> set[str]:
    """Keys of the laws whose text is loaded: only those get a link to their page (the others are
    catalogue entries named by proposals, with no page; the crawler found the 404s)."""
    return {law["key"] for law in laws_with_text(store, cache)}


def _one(request: Request, view: dict[str, Any] | None, template: str, missing: str, back: str, store, cache):
    if view is None:
        return error_response(request, 404, missing)
    return render(request, template, {"v": view, "volver": back, "con_texto": _with_text(store, cache)})


@router.get("/propuestas", response_class=HTMLResponse, tags=["páginas"])
def propuestas(request: Request, store: Store, cache: Cache, tema: PageFilter = "", ley: PageFilter = "", articulo: PageFilter = "",
               etapa: PageStage = "", camara: PageFilter = "", jurisdiccion: PageFilter = "", desde: PageDate = None,
               hasta: PageDate = None, detenidas: PageDays = None, pagina: Pagina = 1):
    """The list of proposals with its filters."""
    detenidas = None if detenidas == "" else detenidas
    given: dict[str, Any] = {k: v for k, v in zip(FILTERS, (tema, ley, articulo, etapa, camara, jurisdiccion, desde, hasta))}
    rows = _find(store, **given, detenidas=detenidas, offset=(pagina - 1) * PAGE, limit=PAGE + 1)
    given["desde"], given["hasta"] = iso(desde) if desde else "", iso(hasta) if hasta else ""
    query = {k: v for k, v in given.items() if v}
    if detenidas is not None:
        query["detenidas"] = detenidas
    return render(request, "propuestas.html", {
        "rows": pv.list_rows(rows[:PAGE]), "more": len(rows) > PAGE, "pagina": pagina, "f": given,
        "detenidas": detenidas, "qs": urlencode(query), "STAGES": pv.STAGE_ES, "CHAMBERS": pv.CHAMBER_ES,
        "con_texto": _with_text(store, cache)})


@router.get("/propuestas/{prop_id:path}", response_class=HTMLResponse, tags=["páginas"], responses=NOT_FOUND)
def propuesta(request: Request, prop_id: Id, store: Store, cache: Cache):
    """One proposal: full title, proponents, committee, timeline with sources, targets, decree."""
    pid = "/" + prop_id.lstrip("/")
    return _one(request, pv.proposal_page(store, pid), "propuesta.html",
                f"No existe la propuesta {pid!r}.", "/propuestas" + pid, store, cache)


@router.get("/decretos", response_class=HTMLResponse, tags=["páginas"])
def decretos(request: Request, store: Store, cache: Cache, fecha: PageDate = None, ley: PageFilter = ""):
    """Decrees, optionally of one DOF date or one law."""
    day = iso(fecha) if fecha else None
    rows = gdecrees.list_decrees(store, dof_date=day, law_key=ley or None)
    return render(request, "decretos.html", {"rows": [{**r, "short_title": pv.shorten(r.get("title") or "")} for r in rows],
                                             "fecha": day or "", "ley": ley, "con_texto": _with_text(store, cache)})


@router.get("/decreto/{decree_id:path}", response_class=HTMLResponse, tags=["páginas"], responses=NOT_FOUND)
def decreto(request: Request, decree_id: Id, store: Store, cache: Cache):
    """One decree: what it changed, by law and article, before and after, with sources."""
    did = "/" + decree_id.lstrip("/")
    return _one(request, pv.decree_page(store, did), "decreto.html",
                f"No existe el decreto {did!r}.", "/decreto" + did, store, cache)
