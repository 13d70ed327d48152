"""Who may write, and from where: sessions, API tokens, CSRF, hosts, origins, body sizes, headers.

Reading is public. A write (any POST) needs an account from :mod:`lawgraph.users`, proven either by
a session cookie (pages; then the form must also carry the CSRF token) or by an API token
(``Authorization: Bearer …``, JSON). The reviewer recorded is always that account.

:class:`GuardMiddleware` runs before routing, as plain ASGI (no per-request task switch):
- refuses a Host not in the allowed list (DNS rebinding) with 400;
- refuses a state-changing request whose Origin (or, without one, Referer) is another site, or that
  the browser marks ``Sec-Fetch-Site: cross-site``, with 403;
- refuses a body larger than the limit with 413, whether announced by Content-Length or streamed;
- adds the security headers to every response and hands out the CSRF cookie.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import Request

from lawgraph.users import Account, Accounts

SESSION_COOKIE = "lawgraph_sesion"
CSRF_COOKIE = "lawgraph_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
# Reason: a working day; after it the person signs in again.
SESSION_SECONDS = 8 * 3600
# Reason: the largest write is a review reason (MAX_REASON characters, up to 4 bytes each in UTF-8,
# percent-encoded at most 3x) plus a few short fields; 64 KiB holds that with room and refuses the
# 2 MB reason of issue 13.
MAX_BODY = 64 * 1024
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Hosts served when none are configured: the loopback names `lawgraph serve` listens on.
DEFAULT_HOSTS = ("127.0.0.1", "localhost", "[::1]")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Swagger UI (/api/docs) sets inline styles from its bundle (swagger-api/swagger-ui issues 3370,
# 10655); that page alone may apply them. Scripts stay 'self' only: its start-up is a file.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def _b64(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode("ascii").rstrip("=")


def _unb64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


class Signer:
    """HMAC-SHA256 with the data directory's secret key: session cookies and CSRF tokens."""

    def __init__(self, key: bytes):
        self.key = key

    def mac(self, purpose: str, value: str) -> str:
        return _b64(hmac.new(self.key, f"{purpose}:{value}".encode(), hashlib.sha256).digest())

    def session_cookie(self, account: Account, now: float | None = None) -> str:
        payload = _b64(json.dumps({"u": account.name, "e": account.epoch,
                                   "x": int((now or time.time()) + SESSION_SECONDS)},
                                  ensure_ascii=False).encode())
        return f"{payload}.{self.mac('session', payload)}"

    def session_claims(self, cookie: str | None) -> dict[str, Any] | None:
        """The signed, unexpired claims of a session cookie, else None."""
        if not cookie or "." not in cookie or len(cookie) > 1024:
            return None
        payload, mac = cookie.rsplit(".", 1)
        if not hmac.compare_digest(mac, self.mac("session", payload)):
            return None
        try:
            claims = json.loads(_unb64(payload))
        except ValueError:
            return None
        if not isinstance(claims, dict) or claims.get("x", 0) < time.time():
            return None
        return claims

    def csrf_token(self, csrf_cookie: str) -> str:
        return self.mac("csrf", csrf_cookie)


@dataclass
class Writer:
    """The account behind a write and the fields it sent."""

    account: Account
    fields: dict[str, Any]
    via: str  # "session" or "token"


class AuthError(Exception):
    """A write refused before it reached the library: status and Spanish message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _cookie(request: Request, name: str) -> str | None:
    return request.cookies.get(name)


def session_account(request: Request) -> Account | None:
    """The account of a valid session cookie (signature, expiry, account still there, same epoch)."""
    sec: Security = request.app.state.security
    claims = sec.signer.session_claims(_cookie(request, SESSION_COOKIE))
    if claims is None:
        return None
    acc = sec.accounts.get(str(claims.get("u")))
    if acc is None or acc.epoch != claims.get("e"):
        return None
    return acc


def parse_form(raw: bytes) -> dict[str, str]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise AuthError(400, "el formulario no está en UTF-8") from e
    try:
        pairs = parse_qs(text, keep_blank_values=True, strict_parsing=False, max_num_fields=20)
    except ValueError as e:
        raise AuthError(400, "el formulario tiene demasiados campos") from e
    return {k: v[0] for k, v in pairs.items()}


async def require_writer(request: Request) -> Writer:
    """The authenticated account of a write, with its fields; raises AuthError (401/403/400/415).

    A token (``Authorization: Bearer``) authenticates a JSON body and needs no CSRF token (no
    cookie is involved, so another site cannot make a browser send it). A session cookie
    authenticates a form and must come with the form's CSRF token."""
    sec: Security = request.app.state.security
    auth = request.headers.get("authorization", "")
    raw = await request.body()
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if auth:
        scheme, _, token = auth.partition(" ")
        acc = sec.accounts.by_token(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
        if acc is None:
            raise AuthError(401, "ficha de acceso no válida (cree una con: lawgraph user token NOMBRE)")
        return Writer(acc, _body_fields(raw, ctype), "token")
    acc = session_account(request)
    if acc is None:
        if request.url.path.startswith("/api/"):
            raise AuthError(401, "falta la ficha de acceso (cabecera Authorization: Bearer FICHA; cree una con: "
                                 "lawgraph user token NOMBRE); no se guardó nada")
        raise AuthError(401, "debe entrar con su cuenta para hacer cambios; no se guardó nada")
    fields = _body_fields(raw, ctype)
    sent = request.headers.get(CSRF_HEADER, "") if ctype == "application/json" else str(fields.get(CSRF_FIELD, ""))
    check_csrf(request, sent)
    return Writer(acc, fields, "session")


def _body_fields(raw: bytes, ctype: str) -> dict[str, Any]:
    """The fields of a write's body: a JSON object or an urlencoded form."""
    if ctype == "application/json":
        try:
            fields = json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError as e:
            raise AuthError(400, "el cuerpo no es JSON válido en UTF-8") from e
        if not isinstance(fields, dict):
            raise AuthError(400, "el cuerpo JSON debe ser un objeto")
        return fields
    if ctype in ("application/x-www-form-urlencoded", ""):
        return parse_form(raw)
    raise AuthError(415, "formato no admitido: envíe JSON o un formulario")


def check_csrf(request: Request, sent: str) -> None:
    sec: Security = request.app.state.security
    cookie = _cookie(request, CSRF_COOKIE)
    if not cookie or not sent or not hmac.compare_digest(sent, sec.signer.csrf_token(cookie)):
        raise AuthError(403, "el formulario caducó o no viene de este sitio (falta la ficha CSRF); "
                             "recargue la página e inténtelo de nuevo")


class Security:
    """What the guard and the write dependency need: accounts, the signer and the site's limits."""

    def __init__(self, accounts: Accounts, allowed_hosts: list[str] | None = None, max_body: int = MAX_BODY):
        self.accounts = accounts
        self.signer = Signer(accounts.secret_key())
        self.allowed_hosts = [h.lower() for h in (allowed_hosts or DEFAULT_HOSTS)]
        self.max_body = max_body

    def host_allowed(self, host: str) -> bool:
        name = host.lower()
        if name.startswith("["):  # [::1]:8000
            name = name.split("]")[0] + "]"
        else:
            name = name.rsplit(":", 1)[0] if name.count(":") == 1 else name
        for pat in self.allowed_hosts:
            if pat == "*" or name == pat or (pat.startswith("*.") and name.endswith(pat[1:])):
                return True
        return False


class GuardMiddleware:
    """Host, origin and size checks before routing; security headers and the CSRF cookie after."""

    def __init__(self, app, security: Security, render_error):
        self.app = app
        self.sec = security
        self.render_error = render_error  # (status, message, is_json) -> (content_type, body)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path = scope.get("path", "")
        is_json = path.startswith("/api/")
        host = headers.get("host", "")
        if not self.sec.host_allowed(host):
            return await self._refuse(send, 400, "el nombre de servidor de la solicitud no está permitido", is_json)
        method = scope["method"]
        if method in UNSAFE:
            problem = self._cross_site(scope, headers, host)
            if problem:
                return await self._refuse(send, 403, problem, is_json)
            try:
                length = int(headers.get("content-length", "0") or 0)
            except ValueError:
                return await self._refuse(send, 400, "Content-Length no válido", is_json)
            if length > self.sec.max_body:
                return await self._refuse(send, 413, f"la solicitud pasa del límite de {self.sec.max_body // 1024} KiB; "
                                                     "no se guardó nada", is_json)
            receive = self._limited(receive)
        state = scope.setdefault("state", {})
        csrf_cookie = _parse_cookie(headers.get("cookie", ""), CSRF_COOKIE)
        new_cookie = None
        if not csrf_cookie:
            csrf_cookie = new_cookie = secrets.token_urlsafe(24)
        state["csrf_token"] = self.sec.signer.csrf_token(csrf_cookie)
        claims = self.sec.signer.session_claims(_parse_cookie(headers.get("cookie", ""), SESSION_COOKIE))
        state["account_name"] = claims.get("u") if claims else None
        secure = scope.get("scheme") == "https"
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                hs = list(message.get("headers", []))
                present = {k.lower() for k, _ in hs}
                if path == "/api/docs":
                    hs.append((b"content-security-policy", DOCS_CSP.encode()))
                    present.add(b"content-security-policy")
                hs.extend((k, v) for k, v in SECURITY_HEADERS if k not in present)
                if new_cookie and not is_json and not path.startswith("/static/"):
                    attrs = "; Path=/; HttpOnly; SameSite=Strict" + ("; Secure" if secure else "")
                    hs.append((b"set-cookie", f"{CSRF_COOKIE}={new_cookie}{attrs}".encode()))
                message = {**message, "headers": hs}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except _BodyTooLarge:
            if started:  # too late for a clean answer; the handler had not written anything yet
                raise
            await self._refuse(send, 413, f"la solicitud pasa del límite de {self.sec.max_body // 1024} KiB; "
                                          "no se guardó nada", is_json)

    def _cross_site(self, scope, headers: dict[str, str], host: str) -> str | None:
        if headers.get("sec-fetch-site", "") == "cross-site":
            return "solicitud desde otro sitio rechazada"
        origin = headers.get("origin")
        if origin is None and headers.get("referer"):
            parts = urlsplit(headers["referer"])
            origin = f"{parts.scheme}://{parts.netloc}"
        if origin is None:
            return None  # not a browser form post (curl, scripts): the token or CSRF check decides
        parts = urlsplit(origin)
        if origin == "null" or parts.netloc.lower() != host.lower():
            return "solicitud desde otro sitio rechazada (Origin no coincide con el servidor)"
        return None

    def _limited(self, receive):
        seen = 0
        limit = self.sec.max_body

        async def wrapped():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLarge()
            return message

        return wrapped

    async def _refuse(self, send, status: int, message: str, is_json: bool) -> None:
        ctype, body = self.render_error(status, message, is_json)
        hs = [(b"content-type", ctype.encode()), (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]
        await send({"type": "http.response.start", "status": status, "headers": hs})
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass


def _parse_cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        k, _, v = part.strip().partition("=")
        if k == name and v:
            return v
    return None
