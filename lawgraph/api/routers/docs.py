"""The API documentation (Swagger UI), served from the installed ``swagger-ui-bundle`` package so
that /api/docs works without network and under the site's strict Content-Security-Policy."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from lawgraph.api.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request):
    return render(request, "api_docs.html", {})
