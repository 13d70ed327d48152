"""Pages and JSON of the states room: element-level comparison and topic coverage (issue 11).

    GET /comparar?ref=CPF art 325&con=mx-chh,mx-dgo     side-by-side table (printable)
    GET /api/comparar?ref=…&con=…                      the same as JSON
    GET /cobertura?tema=violencia digital               jurisdictions × topics grid
    GET /api/cobertura?tema=…                           the same as JSON

Read-only; the answers come from :mod:`lawgraph.comparison` over the provisions stored in the
graph (:func:`lawgraph.equivalences.graph_index`).
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from lawgraph.api.deps import Store
from lawgraph.api.params import COMMON_RESPONSES, NO_CONTROL, NOT_FOUND
from lawgraph.api.rendering import render, templates
from lawgraph.errors import InputError

# Every status these routes may answer is documented (the Schemathesis contract test).
router = APIRouter(responses={**COMMON_RESPONSES, **NOT_FOUND})
JURIS_ES = {"mx": "Federal", "mx-chh": "Chihuahua", "mx-dgo": "Durango"}
templates.env.globals["JURIS_ES"] = JURIS_ES
RefText = Annotated[str, Query(min_length=1, max_length=120, pattern=NO_CONTROL, description='Referencia: "CPF art 325"')]
Juris = Annotated[str | None, Query(max_length=120, pattern=NO_CONTROL, description="Jurisdicciones: mx-chh,mx-dgo")]
Topics = Annotated[list[str], Query(max_length=80, description="Temas: violencia digital")]


def _index(store):
    from lawgraph.equivalences import graph_index

    return graph_index(store)


def _compare(store, ref: str, con: str | None) -> dict:
    from lawgraph.comparison import compare

    try:
        return compare(_index(store), ref, [j.strip() for j in con.split(",") if j.strip()] if con else None)
    except InputError as exc:
        # A reference that names nothing answers 404 with the reason, as /api/provision does.
        raise HTTPException(status_code=404, detail=exc.problem) from exc


def _coverage(store, temas: list[str]) -> list[dict]:
    from lawgraph.comparison import TOPICS, coverage

    index = _index(store)
    # each distinct non-empty topic once; at most MAX_TOPICS (the vocabulary's size is 6)
    asked = list(dict.fromkeys(t.strip() for t in temas if t.strip()))[:MAX_TOPICS]
    return [coverage(index, t) for t in (asked or list(TOPICS))]


# Topics one page answers at most: the grid is meant for a handful of columns (stated bound).
MAX_TOPICS = 12


@router.get("/api/comparar")
def api_compare(store: Store, ref: RefText, con: Juris = None) -> dict:
    return _compare(store, ref, con)


@router.get("/comparar", response_class=HTMLResponse, tags=["páginas"])
def page_compare(request: Request, store: Store, ref: RefText = "CPF art 325", con: Juris = None):
    return render(request, "comparar.html", {"ref": ref, "con": con or "", "r": _compare(store, ref, con)})


@router.get("/api/cobertura")
def api_coverage(store: Store, tema: Topics = []) -> list[dict]:  # noqa: B006 (FastAPI copies defaults)
    return _coverage(store, tema)


@router.get("/cobertura", response_class=HTMLResponse, tags=["páginas"])
def page_coverage(request: Request, store: Store, tema: Topics = []):  # noqa: B006
    res = _coverage(store, tema)
    juris = sorted({j for r in res for j in r["jurisdictions"]})
    return render(request, "cobertura.html", {"res": res, "juris": juris})
