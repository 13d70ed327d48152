"""How things are shown to people: the Jinja templates, Spanish dates and labels, error pages.

Every router renders through :data:`templates`; every error a person sees (page or JSON) is built
by :func:`error_response`, in Spanish, without internal text (queries, stack traces, English).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates

HERE = Path(__file__).resolve().parent
MESES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
         "octubre", "noviembre", "diciembre")
STATUS_ES = {"suggested": "sugerido", "confirmed": "confirmado", "rejected": "rechazado"}
KIND_ES = {"implements": "implementa", "partially_implements": "implementa en parte", "relevant": "relacionada",
           "reuses_text": "reutiliza el texto", "equivalent": "equivalente en otra jurisdicción"}
# Stage names of proposals as people read them (the graph keeps ids such as 'turnada_comision'):
# one vocabulary, lawgraph.api.proposals_view.STAGE_ES (a test checks it names every Stage), in
# lower case where a stage is named inside a sentence or a list line.
def _stage_words() -> dict[str, str]:
    from lawgraph.api.proposals_view import STAGE_ES

    return {k: v[0].lower() + v[1:] for k, v in STAGE_ES.items()}


# The linker's signals (its method string 'fuse(bm25+dense+ctx+ref+reuse)') in words.
METHOD_WORDS = {"bm25": "palabras", "dense": "significado", "ctx": "contexto", "ref": "referencias",
                "reuse": "texto reutilizado", "manual": "a mano", "landed": "texto promulgado",
                "def": "definición", "anchor": "iniciativas afines",
                # lawgraph.nlp.equivalence.PAIR_METHOD (equivalences between jurisdictions)
                "tfidf-coseno-calibrado": "comparación automática de palabras entre leyes"}


def unidad(provision_id: Any) -> str:
    """'/mx/ley/lgamvlv/art_20-ter/frac_vi' -> 'artículo 20 Ter, fracción VI' (the id itself if it is not one)."""
    from lawgraph.search import unit_words

    return unit_words(str(provision_id))


def metodo(method: Any) -> str:
    """'fuse(bm25+dense+ctx+ref)' -> 'enlazador automático: palabras, significado, contexto, referencias'."""
    m = str(method or "")
    if m.startswith("fuse(") and m.endswith(")"):
        parts = [METHOD_WORDS.get(x, x) for x in m[5:-1].split("+")]
        return "enlazador automático: " + ", ".join(parts)
    return METHOD_WORDS.get(m, m)


# Titles of the error pages by HTTP status.
ERROR_TITLES = {400: "Solicitud no válida", 401: "Debe entrar", 403: "No permitido", 404: "No encontrado",
                405: "Método no permitido", 413: "Demasiado grande", 415: "Formato no admitido",
                422: "Datos no válidos", 500: "Error interno", 503: "Servicio no disponible"}


class NotFound(Exception):
    """What a request names does not exist: answered 404 with this Spanish message."""


def fecha(value: Any) -> str:
    """'2026-01-15' -> '15 de enero de 2026' (Spanish long date, as the DOF writes it)."""
    try:
        d = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{d.day} de {MESES[d.month - 1]} de {d.year}"


templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["fecha"] = fecha
templates.env.filters["urlencode"] = lambda s: quote(str(s), safe="")
templates.env.filters["unidad"] = unidad
templates.env.filters["metodo"] = metodo
templates.env.filters["etapa"] = lambda s: _stage_words().get(str(s or ""), str(s or "").replace("_", " "))
templates.env.globals["STATUS_ES"] = STATUS_ES
templates.env.globals["KIND_ES"] = KIND_ES


def safe_next(url: str, fallback: str = "/") -> str:
    """``url`` when it is a page of this site, else ``fallback``: a form's "next" field must not
    become an open redirect."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else fallback


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, message: str, *, details: list[dict] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    """A Spanish error: ``{"error": message}`` under /api/, else the error page. ``headers`` carry
    what the status requires (``Allow`` for 405)."""
    if wants_json(request):
        body: dict[str, Any] = {"error": message}
        if details:
            body["detalles"] = details
        return JSONResponse(body, status_code=status, headers=headers)
    # library messages are clauses ("no existe el vínculo …"); on a page they open a sentence
    resp = render(request, "error.html", {"title": ERROR_TITLES.get(status, "Error"),
                                          "message": message[:1].upper() + message[1:]}, status_code=status)
    resp.headers.update(headers or {})
    return resp


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """A page; the template sees the signed-in account and the form token (see security.py)."""
    state = request.scope.get("state") or {}
    ctx = {"cuenta": state.get("account_name"), "csrf": state.get("csrf_token", ""), **context}
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)


def view_page(request: Request, view: Any, template: str, name: str, missing: str,
              back: str) -> Response:
    """The page of one thing (``view`` under ``name``, with ``volver`` = ``back`` for its forms),
    or the 404 page saying ``missing``."""
    if view is None:
        return error_response(request, 404, missing)
    return render(request, template, {name: view, "volver": back})


def error_html(status: int, message: str) -> bytes:
    """The error page without a request (for the middleware that refuses before routing)."""
    return templates.get_template("error.html").render(
        title=ERROR_TITLES.get(status, "Error"), message=message[:1].upper() + message[1:], cuenta=None,
        csrf="").encode("utf-8")
