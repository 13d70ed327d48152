"""Signing in and out of the pages (a session cookie; the JSON API uses tokens instead)."""
from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from lawgraph.api.params import NO_CONTROL
from lawgraph.api.rendering import render, safe_next
from lawgraph.api.security import CSRF_FIELD, SESSION_COOKIE, SESSION_SECONDS, check_csrf, parse_form

router = APIRouter(include_in_schema=False)
# Reason: each password check takes 128 MiB and a core for a fraction of a second (scrypt, see
# users.py); two at a time per worker keeps a flood of sign-in attempts from exhausting memory.
_CHECKS = asyncio.Semaphore(2)
Next = Annotated[str, Query(max_length=300, pattern=NO_CONTROL)]


@router.get("/entrar", response_class=HTMLResponse)
def entrar(request: Request, next: Next = "/"):
    return render(request, "entrar.html", {"next": safe_next(next), "fallo": None})


@router.post("/entrar", response_class=HTMLResponse)
async def entrar_post(request: Request):
    fields = parse_form(await request.body())
    check_csrf(request, str(fields.get(CSRF_FIELD, "")))
    name, password = fields.get("usuario", ""), fields.get("contrasena", "")
    nxt = safe_next(fields.get("next", "/"))
    sec = request.app.state.security
    # scrypt takes a fraction of a second and 128 MiB: off the event loop, a bounded number at once
    async with _CHECKS:
        account = await asyncio.to_thread(sec.accounts.authenticate, name, password)
    if account is None:
        return render(request, "entrar.html", {"next": nxt, "fallo": "Usuario o contraseña incorrectos."},
                      status_code=401)
    resp = RedirectResponse(nxt, status_code=303)
    resp.set_cookie(SESSION_COOKIE, sec.signer.session_cookie(account), max_age=SESSION_SECONDS, path="/",
                    httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return resp


@router.post("/salir")
async def salir(request: Request):
    fields = parse_form(await request.body())
    check_csrf(request, str(fields.get(CSRF_FIELD, "")))
    resp = RedirectResponse("/", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict",
                       secure=request.url.scheme == "https")
    return resp

