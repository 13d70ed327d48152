"""Review of links: the list, and confirm/reject from a page form or the JSON API.

A decision needs an account (:func:`lawgraph.api.security.require_writer`): a session with the
form's CSRF token, or an API token. The reviewer recorded is that account, never a form field.
The decision goes to the journal before the graph (:func:`lawgraph.steps.review_link`).
"""
from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from lawgraph.api.deps import Cache, JournalDep, Store, WriterDep
from lawgraph.api.params import COMMON_RESPONSES, NO_CONTROL, NOT_FOUND, WRITE_RESPONSES, Id, Limit
from lawgraph.api.rendering import NotFound, safe_next
from lawgraph.errors import InputError
from lawgraph.graph import links, views
from lawgraph.model.recs import LinkKind
from lawgraph.model.views import Link
from lawgraph.steps import review_link

router = APIRouter(responses=COMMON_RESPONSES)
# Reason: a review reason is a sentence or two; 2,000 characters is a long paragraph (issue 13 saw 2 MB).
MAX_REASON = 2000
# Control characters other than tab and line breaks are refused in free text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
Status = Literal["suggested", "confirmed", "rejected"]


class ReviewBody(BaseModel):
    """A decision on a link sent to the JSON API."""

    decision: Literal["confirmed", "rejected"]
    reason: str = Field("", max_length=MAX_REASON, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")
    kind: LinkKind | None = None


def _decide(store, cache, journal, link_id: str, writer, fields: dict[str, Any]):
    if links.get_link(store, link_id) is None:
        raise NotFound(f"no existe el vínculo {link_id!r}; no se guardó nada")
    decision = fields.get("decision", "")
    reason = str(fields.get("reason") or "").strip()
    kind = fields.get("kind") or None
    if decision not in ("confirmed", "rejected"):
        raise InputError(None, "decisión no válida: elija confirmar o rechazar")
    if len(reason) > MAX_REASON or _CONTROL.search(reason):
        raise InputError(None, f"el motivo tiene más de {MAX_REASON} caracteres o caracteres de control; "
                               "no se guardó nada")
    d = review_link(store, journal, link_id, decision, reviewer=writer.account.name, reason=reason, kind=kind)
    cache.links_changed()
    return d


@router.get("/api/links", tags=["revisión"], response_model=list[Link])
def api_links(store: Store, status: Annotated[Status | None, Query(description="Estado del vínculo")] = None,
              from_id: Annotated[str | None, Query(max_length=300, pattern=NO_CONTROL)] = None,
              limit: Limit = 100):
    """Links with their status, score and reviewer."""
    return views.links(store, status=status, from_id=from_id, limit=limit)


@router.post("/api/links/{link_id}/review", tags=["revisión"], responses={**WRITE_RESPONSES, **NOT_FOUND},
             openapi_extra={"security": [{"ficha": []}]})
def api_review(link_id: Id, body: ReviewBody, store: Store, cache: Cache, journal: JournalDep, writer: WriterDep):
    """Confirm or reject a link (header ``Authorization: Bearer FICHA`` from ``lawgraph user token``)."""
    d = _decide(store, cache, journal, link_id, writer, body.model_dump())
    return {"link_id": d.link_id, "status": d.status, "kind": d.kind, "reviewer": d.reviewer,
            "time": d.time.isoformat(), "reason": d.reason}


@router.post("/vinculo/{link_id}/revision", tags=["páginas"],
             responses={**WRITE_RESPONSES, **NOT_FOUND, 303: {"description": "Hecho"}},
             include_in_schema=False)
def revision(request: Request, link_id: Id, store: Store, cache: Cache, journal: JournalDep, writer: WriterDep):
    """Confirm or reject a link from a page form (fields: decision, reason, kind, next, csrf)."""
    _decide(store, cache, journal, link_id, writer, writer.fields)
    back = safe_next(str(writer.fields.get("next", "")), "/recomendaciones")
    return RedirectResponse(back + f"#{link_id}", status_code=303)
