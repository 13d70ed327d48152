"""FastAPI application: server-rendered Spanish pages and a JSON API over the graph.

Handlers hold no queries: they call the read functions of :mod:`lawgraph.graph`. The store is
opened once for the application's lifetime (the embedded server is started, or reused when
`lawgraph db start` or an ingest already runs it) and handed to handlers as a dependency.
"""
from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from lawgraph import ids
from lawgraph.errors import InputError, LawgraphError
from lawgraph.graph.read import (
    list_laws,
    run_named,
    stats,
    version_articles,
    version_decrees,
)
from lawgraph.graph.store import GraphStore
from lawgraph.provisions import find_article, get_provision, missing_at, missing_article_at  # issue 12

HERE = Path(__file__).resolve().parent
MESES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
         "octubre", "noviembre", "diciembre")


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


def get_store(request: Request) -> GraphStore:
    """The application's store (a dependency, so handlers never open their own)."""
    return request.app.state.store


Store = Annotated[GraphStore, Depends(get_store)]


def create_app(store: GraphStore | None = None, settings=None) -> FastAPI:
    """The application. With ``store`` given (tests) it is used as is; otherwise the configured
    store is opened at start-up and closed at shutdown."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        if store is not None:
            app.state.store = store
            yield
            return
        from lawgraph.graph import open_store

        with open_store(settings) as s:
            app.state.store = s
            yield

    app = FastAPI(title="lawgraph", description="Reformas legislativas sobre los derechos de las mujeres en México.",
                  lifespan=lifespan, docs_url="/api/docs", openapi_url="/api/openapi.json")
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(LawgraphError)
    async def lawgraph_error(request: Request, exc: LawgraphError):
        status = 400 if isinstance(exc, InputError) else 500
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc)}, status_code=status)
        return templates.TemplateResponse(request, "error.html", {"title": "Error", "message": str(exc)},
                                          status_code=status)

    def _not_found(request: Request, message: str):
        if request.url.path.startswith("/api/"):
            raise HTTPException(status_code=404, detail=message)
        return templates.TemplateResponse(request, "error.html", {"title": "No encontrado", "message": message},
                                          status_code=404)

    # ---------------------------------------------------------------- JSON
    @app.get("/api/laws")
    def api_laws(store: Store) -> list[dict[str, Any]]:
        """Every law with the dates of its versions."""
        return list_laws(store)

    @app.get("/api/stats")
    def api_stats(store: Store) -> dict[str, Any]:
        return stats(store)

    @app.get("/api/laws/{key}/articles")
    def api_articles(key: str, store: Store, at: Annotated[str | None, Query(description="AAAA-MM-DD")] = None):
        return version_articles(store, key, at)

    @app.get("/api/laws/{key}/decrees")
    def api_decrees(key: str, store: Store, at: Annotated[str | None, Query(description="AAAA-MM-DD")] = None):
        return version_decrees(store, key, at)

    @app.get("/api/provision")
    def api_provision(request: Request, store: Store,
                      ref: Annotated[str, Query(description='Id o referencia: "LGAMVLV art 20 Ter"')],
                      at: Annotated[str | None, Query(description="AAAA-MM-DD")] = None):
        view = get_provision(store, ref, at=at)
        if view is None:
            missing = missing_at(store, ref, at)        # what is known that day
            return _not_found(request, missing.message() if missing else f"No se encontró {ref!r}")
        return view.to_dict()

    @app.get("/api/search")
    def api_search(store: Store, q: Annotated[str, Query(min_length=2)], limit: int = 50):
        return search(store, q, limit=limit)

    # ---------------------------------------------------------------- pages
    @app.get("/", response_class=HTMLResponse)
    def inicio(request: Request, store: Store):
        # Laws with a loaded text; the catalogue's other laws (named by initiatives or
        # recommendations) have no versions and are counted, not listed.
        all_laws = list_laws(store)
        laws = [x for x in all_laws if x.get("latest")]
        st = stats(store)
        for law in laws:
            law["articles"] = len(version_articles(store, law["key"])) if law.get("latest") else 0
        cifras = {"leyes con texto": len(laws), "otras leyes citadas": len(all_laws) - len(laws),
                  "versiones": st["nodes"].get("LawVersion", 0),
                  "disposiciones (versiones)": st["nodes"].get("ProvisionVersion", 0),
                  "decretos": st["nodes"].get("Decree", 0)}
        return templates.TemplateResponse(request, "inicio.html", {"laws": laws, "stats": cifras})

    @app.get("/ley/{key}", response_class=HTMLResponse)
    def ley(request: Request, key: str, store: Store, fecha: str | None = None):
        law = next((x for x in list_laws(store) if x["key"] == key.lower()), None)
        if law is None or not law.get("latest"):
            return _not_found(request, f"No hay ninguna ley con clave {key!r} en el grafo.")
        arts = version_articles(store, key, fecha)
        if not arts:
            return _not_found(request, f"{key.upper()}: no había versión vigente el {fecha}.")
        first = get_provision(store, arts[0]["id"])
        version = {"date": first.version_date, "file": first.source.get("file"),
                   "sha256": first.source.get("sha256") or "", "pages": None}
        return templates.TemplateResponse(request, "ley.html", {"law": law, "articles": arts, "version": version})

    @app.get("/ley/{key}/articulo/{label}", response_class=HTMLResponse)
    def articulo(request: Request, key: str, label: str, store: Store, fecha: str | None = None):
        view = find_article(store, key, label, fecha)
        if view is None:
            missing = missing_article_at(store, key, label, fecha)   # what is known that day
            return _not_found(request, missing.message() if missing else f"{key.upper()}: no se encontró el "
                              f"artículo {label}" + (f" vigente el {fecha}" if fecha else ""))
        law = next((x for x in list_laws(store) if x["key"] == key.lower()), {"key": key, "title": key})
        return templates.TemplateResponse(request, "provision.html", {"law": law, "p": _page_view(view)})

    @app.get("/buscar", response_class=HTMLResponse)
    def buscar(request: Request, store: Store, q: str = ""):
        q = q.strip()
        if not q:
            return templates.TemplateResponse(request, "buscar.html", {"q": q, "hits": []})
        # A reference ("LGAMVLV art 20 Ter") goes straight to the provision.
        with contextlib.suppress(InputError):
            view = get_provision(store, q)
            if view is not None:
                law = next((x for x in list_laws(store) if x["key"] == view.law_key),
                           {"key": view.law_key, "title": view.law_title})
                return templates.TemplateResponse(request, "provision.html", {"law": law, "p": _page_view(view)})
        return templates.TemplateResponse(request, "buscar.html", {"q": q, "hits": search(store, q)})

    from lawgraph.api.recs import router as recs_router  # recommendations, suggestions, reviews

    app.include_router(recs_router)
    app.include_router(__import__("lawgraph.api.compare", fromlist=["router"]).router)  # issue 11 pages
    return app


# How units and divisions are named to people.
UNIT_NAMES = {"libro": "Libro", "titulo": "Título", "capitulo": "Capítulo", "seccion": "Sección",
              "apartado": "Apartado", "articulo": "Artículo", "parrafo": "Párrafo", "fraccion": "Fracción",
              "inciso": "Inciso", "numeral": "Numeral", "transitorio": "Transitorio"}


def _page_view(view) -> dict[str, Any]:
    path = []
    for s in view.path[1:]:
        path.append(" ".join(x for x in (UNIT_NAMES.get(s.kind or "", s.kind), s.label,
                                         s.heading and f"— {s.heading}") if x))
    notes = []
    for n in view.reform_notes:
        notes.append({"text": n.get("text"), "unit": n.get("unit")})
    unit_names = {"parrafo": "párrafo", "fraccion": "fracción", "inciso": "inciso", "numeral": "numeral",
                  "apartado": "apartado", "transitorio": "transitorio"}
    if view.kind == "articulo":
        title = f"Artículo {view.label}"
    else:
        art = next((s.label for s in view.path if s.kind == "articulo"), None)
        own = f"{unit_names.get(view.kind, view.kind)} {view.label}"
        title = f"Artículo {art}, {own}" if art else own.capitalize()
    return {"id": view.id, "provision_id": view.provision_id, "label": view.label, "title": title, "repealed": view.repealed, "text": view.text,
            "version_date": view.version_date, "file": view.source.get("file"), "page": view.source.get("page"),
            "in_force_since": view.in_force_since, "reasoning": view.reasoning, "approximate": view.approximate,
            "sha256": view.source.get("sha256") or "", "path": path, "reform_notes": notes}


def search(store: GraphStore, q: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Provisions of the latest version of each law whose text contains ``q`` (case-insensitive)."""
    latest = {f"{law['id']}@{law['latest']}": law["key"] for law in list_laws(store) if law.get("latest")}
    rows = run_named(store, "search_provisions", {"q": q.lower(), "versions": list(latest), "limit": limit})
    hits = []
    for r in rows:
        pid = ids.parse(r["id"])
        # The article a fracción or párrafo belongs to, from its id ('…/art_20-ter/frac_ii' ->
        # '20-ter'); find_article normalises the slug back to '20 Ter'.
        art = next((lab for unit, lab in pid.path if unit == "articulo"), None)
        text = r.get("text") or ""
        i = text.lower().find(q.lower())
        snippet = ("…" if i > 60 else "") + text[max(0, i - 60): i + len(q) + 120] + "…"
        hits.append({"id": r["id"], "law_key": latest.get(r["version_id"]), "kind": r["kind"],
                     "label": r["label"] if r["kind"] == "articulo" else art or r["label"],
                     "unit_label": r["label"], "version_date": pid.date, "page": r.get("page"),
                     "snippet": snippet, "repealed": r.get("repealed")})
    return hits
