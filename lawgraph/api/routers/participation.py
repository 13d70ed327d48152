"""People's part on the site: a form to add a civil-society suggestion, and the review queue.

Both writes need an account (:func:`lawgraph.api.security.require_writer`: a session with the
form's CSRF token, or an API token) and go to the journal before the graph, as ``lawgraph suggest
add`` and ``lawgraph review`` do. The queue's confirm/reject forms post to the review router.
"""
from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from lawgraph import search as searching
from lawgraph.api.deps import Cache, JournalDep, Store, WriterDep
from lawgraph.api.params import COMMON_RESPONSES, MAX_QUERY, NO_CONTROL, WRITE_RESPONSES
from lawgraph.api.rendering import render
from lawgraph.ingest.recommendations import suggestion_from_values
from lawgraph.errors import InputError
from lawgraph.review_queue import review_queue
from lawgraph.steps import add_suggestions

router = APIRouter(responses=COMMON_RESPONSES)
# Reason: rows of the queue per page; each carries its evidence and a form, so a page stays readable.
QUEUE_ROWS = 50
Short = Annotated[str | None, Query(max_length=MAX_QUERY, pattern=NO_CONTROL)]


@router.get("/sugerencias/nueva", response_class=HTMLResponse, tags=["páginas"])
def nueva_sugerencia(request: Request):
    """The form to add a suggestion (organisation, date, text, area, law)."""
    return render(request, "sugerencia_nueva.html", {"f": {}, "error": None})


@router.post("/sugerencias/guardar", tags=["páginas"], include_in_schema=False,
             responses={**WRITE_RESPONSES, 303: {"description": "Guardada"}})
def guardar_sugerencia(request: Request, store: Store, cache: Cache, journal: JournalDep, writer: WriterDep):
    """The form's target (a path of its own: the form's page answers 405 to other methods). Add the suggestion: journal first, then the graph; back to its page. A bad field shows
    the form again with the values typed and the reason, nothing stored."""
    f = {k: str(writer.fields.get(k, "")).strip() for k in ("organisation", "date", "text", "area", "law")}
    try:
        sug = suggestion_from_values(f["organisation"], f["date"], f["text"], priority_area=f["area"] or None,
                              target_law=f["law"] or None)
    except InputError as e:
        return render(request, "sugerencia_nueva.html", {"f": f, "error": e.problem}, status_code=400)
    src = sug.source.model_copy(update={"file": f"formulario web ({writer.account.name})"})
    sug = sug.model_copy(update={"source": src})
    add_suggestions(store, [sug], journal)
    cache.links_changed()
    searching.changed(store)
    return RedirectResponse("/sugerencia/" + quote(sug.sug_id, safe=""), status_code=303)


@router.get("/revision", response_class=HTMLResponse, tags=["páginas"])
def revision_queue(request: Request, store: Store,
                   estado: Annotated[Literal["suggested", "confirmed", "rejected", "todos"], Query()] = "suggested",
                   fuente: Annotated[Literal["recomendacion", "sugerencia", "todas"], Query()] = "todas",
                   organismo: Short = None, ley: Short = None,
                   # pages edit (browser test): the filter form sends the box empty when left blank,
                   # which a float parameter refused with 422; an empty box means no minimum.
                   puntuacion: Annotated[str | None, Query(max_length=12,
                                                           pattern=r"^\s*(\d{1,4}([.,]\d{1,6})?)?\s*$")] = None):
    """The review queue: links filtered by status, source, body, law and minimum score, each with
    its evidence and, for a signed-in person, confirm/reject with the link kind."""
    min_score = float(puntuacion.strip().replace(",", ".")) if puntuacion and puntuacion.strip() else None
    rows = review_queue(store, status=None if estado == "todos" else estado,
                        source=None if fuente == "todas" else fuente, body=organismo or None,
                        law=(ley or "").strip() or None, min_score=min_score, limit=QUEUE_ROWS)
    params = {k: v for k, v in (("estado", estado), ("fuente", fuente), ("organismo", organismo), ("ley", ley),
                                ("puntuacion", min_score)) if v not in (None, "")}
    volver = "/revision?" + urlencode(params)
    return render(request, "revision.html", {"links": rows, "volver": volver, "estado": estado, "fuente": fuente,
                                             "organismo": organismo or "", "ley": ley or "",
                                             "puntuacion": "" if min_score is None else min_score,
                                             "limite": QUEUE_ROWS})
