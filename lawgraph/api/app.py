"""FastAPI application: server-rendered Spanish pages and a JSON API over the graph.

This module only assembles: the routers (one per resource, in :mod:`lawgraph.api.routers`), the
guard middleware (:mod:`lawgraph.api.security`), the Spanish error handlers and the static files.
Handlers hold no queries: they call the library (:mod:`lawgraph.graph`). The store is opened once
for the application's lifetime (the embedded server is started, or reused when `lawgraph db start`
or an ingest already runs it) and handed to handlers as a dependency.
"""
from __future__ import annotations

import contextlib
import logging
import os

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from lawgraph.api.cache import ReadCache, ResponseCache
from lawgraph.api.params import ErrorBody
from lawgraph.api.rendering import HERE, NotFound, error_html, error_response, fecha, templates
from lawgraph.api import compare
from lawgraph.api.routers import auth, docs, laws, provisions, recommendations, review, proposals, search, suggestions
from lawgraph.api.routers import participation  # suggestion form and review queue (issue 12 point 5)
from lawgraph.api.security import AuthError, GuardMiddleware, Security
from lawgraph.api.views import UNIT_NAMES
from lawgraph.errors import InputError, LawgraphError
from lawgraph.graph.store import GraphStore

# Re-exported for callers of the former single-module app (cli.py's `show` uses UNIT_NAMES).
__all__ = ["create_app", "fecha", "templates", "UNIT_NAMES"]
log = logging.getLogger(__name__)
ROUTERS = (laws, provisions, search, recommendations, participation, suggestions, review, auth, docs, compare,
           proposals)
# Spanish words for FastAPI's validation error types (the rest fall back to "valor no válido").
VALIDATION_ES = {
    "missing": "falta este parámetro", "string_too_short": "texto demasiado corto",
    "string_too_long": "texto demasiado largo", "string_pattern_mismatch": "contiene caracteres no válidos",
    "int_parsing": "debe ser un número entero", "greater_than_equal": "número demasiado pequeño",
    "less_than_equal": "número demasiado grande", "date_from_datetime_parsing": "fecha inválida (AAAA-MM-DD)",
    "date_parsing": "fecha inválida (AAAA-MM-DD)", "date_from_datetime_inexact": "fecha inválida (AAAA-MM-DD)",
    "literal_error": "valor no admitido", "json_invalid": "JSON no válido", "model_attributes_type": "se esperaba un objeto",
    "dict_type": "se esperaba un objeto", "string_type": "se esperaba un texto",
}
WHERE_ES = {"query": "parámetro", "path": "ruta", "body": "cuerpo", "header": "cabecera"}


def allowed_hosts_from_env() -> list[str] | None:
    """LAWGRAPH_ALLOWED_HOSTS: comma-separated host names the site answers to (default: loopback)."""
    raw = os.environ.get("LAWGRAPH_ALLOWED_HOSTS", "")
    return [h.strip() for h in raw.split(",") if h.strip()] or None


def create_app(store: GraphStore | None = None, settings=None, *, allowed_hosts: list[str] | None = None,
               home=None) -> FastAPI:
    """The application. With ``store`` given (tests) it is used as is; otherwise the configured
    store is opened at start-up and closed at shutdown. Accounts and the signing key come from
    ``home`` (default: the configured data directory)."""
    from lawgraph.config import get_settings
    from lawgraph.users import Accounts

    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        if store is not None:
            app.state.store = store
            yield
            return
        from lawgraph.graph import open_store

        with open_store(settings) as s:
            app.state.store = s
            from lawgraph.search import warm
            warm(s)  # the search index, built before the first visitor asks (issue 12 point 3)
            yield

    app = FastAPI(title="lawgraph", description="Reformas legislativas sobre los derechos de las mujeres en México. "
                  "Leer es público; escribir pide una ficha: `lawgraph user token NOMBRE`.",
                  lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    security = Security(Accounts(home or settings.home), allowed_hosts or allowed_hosts_from_env())
    app.state.security = security
    app.state.cache = ReadCache()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/api/docs/assets", StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")
    for module in ROUTERS:
        app.include_router(module.router)
    _error_handlers(app)
    _openapi_security(app)

    def render_error(status: int, message: str, is_json: bool) -> tuple[str, bytes]:
        if is_json:
            return "application/json", ErrorBody(error=message).model_dump_json(exclude_none=True).encode()
        return "text/html; charset=utf-8", error_html(status, message)

    # Added first, so it runs inside the guard: refused requests never reach it, and the guard's
    # headers and cookie are added to cached answers as to fresh ones.
    app.add_middleware(ResponseCache, reads=app.state.cache)
    app.add_middleware(GuardMiddleware, security=security, render_error=render_error)
    return app


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AuthError)
    async def auth_error(request: Request, exc: AuthError):
        return error_response(request, exc.status, exc.message)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return error_response(request, 404, str(exc))

    @app.exception_handler(LawgraphError)
    async def lawgraph_error(request: Request, exc: LawgraphError):
        if isinstance(exc, InputError):
            return error_response(request, 400, str(exc))
        log.exception("error de lawgraph en %s", request.url.path)
        return error_response(request, 500, "Error interno del servidor; el equipo puede verlo en el registro.")

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        details = []
        for e in exc.errors():
            loc = [str(x) for x in e.get("loc", ())]
            where = WHERE_ES.get(loc[0], loc[0]) if loc else ""
            details.append({"campo": ".".join(loc[1:]) or where, "donde": where,
                            "problema": VALIDATION_ES.get(e.get("type", ""), "valor no válido")})
        names = ", ".join(f"{d['campo']}: {d['problema']}" for d in details[:5])
        return error_response(request, 422, f"Datos no válidos ({names})", details=details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        messages = {404: "No existe esta página.", 405: "Método no permitido en esta dirección."}
        return error_response(request, exc.status_code, messages.get(exc.status_code, "Solicitud no válida."),
                              headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        # Database errors and bugs: logged with their text, shown to people without it.
        log.exception("error no previsto en %s", request.url.path)
        return error_response(request, 500, "Error interno del servidor; el equipo puede verlo en el registro.")


def _openapi_security(app: FastAPI) -> None:
    """Declare the bearer token the write endpoints name in their ``security``."""
    original = app.openapi

    def openapi():
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        schema.setdefault("components", {}).setdefault("securitySchemes", {})["ficha"] = {
            "type": "http", "scheme": "bearer", "description": "Ficha de `lawgraph user token NOMBRE`"}
        return schema

    app.openapi = openapi
