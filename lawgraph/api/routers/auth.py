"""Signing in and out of the pages (a session cookie; the JSON API uses tokens instead)."""
from __future__ import annotations

import asyncio
import time
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
# Reason: a person who mistypes a password tries a few times; 5 failures per account in 15 minutes
# then a wait until the window passes (OWASP's Authentication Cheat Sheet asks for throttling
# failed sign-ins). Counted per worker process, in memory.
MAX_FAILURES, WINDOW_SECONDS = 5, 15 * 60
MAX_TRACKED = 10_000  # reason: names tracked per worker; a few MB at most


def _failures(request: Request, name: str) -> list[float]:
    """The recent failed sign-ins for ``name`` in this worker (older ones dropped)."""
    table = request.app.state.__dict__.setdefault("login_failures", {})
    now = time.monotonic()
    if len(table) > MAX_TRACKED:  # bound the memory: forget the stale, then all but the locked-out
        for k in [k for k, v in table.items() if not v or now - v[-1] >= WINDOW_SECONDS]:
            del table[k]
        if len(table) > MAX_TRACKED:
            for k in [k for k, v in table.items() if len(v) < MAX_FAILURES]:
                del table[k]
    key = name[:64]  # account names are at most 64 characters (users.MAX_NAME)
    recent = [t for t in table.get(key, []) if now - t < WINDOW_SECONDS]
    table[key] = recent
    return recent
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
    failed = _failures(request, name.strip())
    if len(failed) >= MAX_FAILURES:
        return render(request, "entrar.html", {"next": nxt, "fallo": "Demasiados intentos fallidos con esta cuenta; "
                                               "espere unos minutos e inténtelo de nuevo."}, status_code=429)
    # scrypt takes a fraction of a second and 128 MiB: off the event loop, a bounded number at once
    async with _CHECKS:
        account = await asyncio.to_thread(sec.accounts.authenticate, name, password)
    if account is None:
        failed.append(time.monotonic())
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

