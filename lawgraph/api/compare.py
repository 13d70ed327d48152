"""Pages and JSON of the states room: element-level comparison and topic coverage (issue 11).

    GET /comparar?ref=CPF art 325&con=mx-chh,mx-dgo     side-by-side table (printable)
    GET /api/comparar?ref=…&con=…                      the same as JSON
    GET /cobertura?tema=violencia digital               jurisdictions × topics grid
    GET /api/cobertura?tema=…                           the same as JSON

Read-only; the answers come from :mod:`lawgraph.comparison` over the provisions stored in the
graph (:func:`lawgraph.equivalences.graph_index`).
"""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.templating import Jinja2Templates

from lawgraph.api.deps import Store
from lawgraph.errors import InputError

router = APIRouter()
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
JURIS_ES = {"mx": "Federal", "mx-chh": "Chihuahua", "mx-dgo": "Durango"}
templates.env.globals["JURIS_ES"] = JURIS_ES


def _index(store):
    from lawgraph.equivalences import graph_index

    return graph_index(store)


def _compare(store, ref: str, con: str | None) -> dict:
    from lawgraph.comparison import compare

    try:
        return compare(_index(store), ref, [j.strip() for j in con.split(",") if j.strip()] if con else None)
    except InputError as exc:
        raise HTTPException(status_code=404 if "no se encontró" in exc.problem else 400, detail=exc.problem) from exc


def _coverage(store, temas: list[str]) -> list[dict]:
    from lawgraph.comparison import TOPICS, coverage

    index = _index(store)
    # each distinct non-empty topic once; at most MAX_TOPICS (the vocabulary's size is 6)
    asked = list(dict.fromkeys(t.strip() for t in temas if t.strip()))[:MAX_TOPICS]
    return [coverage(index, t) for t in (asked or list(TOPICS))]


# Topics one page answers at most: the grid is meant for a handful of columns (stated bound).
MAX_TOPICS = 12


@router.get("/api/comparar")
def api_compare(store: Store, ref: str = Query(..., max_length=120), con: str | None = Query(None, max_length=120)) -> dict:
    return _compare(store, ref, con)


@router.get("/comparar")
def page_compare(request: Request, store: Store, ref: str = Query("CPF art 325", max_length=120),
                 con: str | None = Query(None, max_length=120)):
    return templates.TemplateResponse(request, "comparar.html", {"ref": ref, "con": con or "", "r": _compare(store, ref, con)})


@router.get("/api/cobertura")
def api_coverage(store: Store, tema: list[str] = Query([], max_length=80)) -> list[dict]:
    return _coverage(store, tema)


@router.get("/cobertura")
def page_coverage(request: Request, store: Store, tema: list[str] = Query([], max_length=80)):
    res = _coverage(store, tema)
    juris = sorted({j for r in res for j in r["jurisdictions"]})
    return templates.TemplateResponse(request, "cobertura.html", {"res": res, "juris": juris})
