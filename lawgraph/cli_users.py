"""``lawgraph user``: the accounts that may write (review links, add suggestions) on the web and API.

Accounts are kept in ``$LAWGRAPH_HOME/accounts/`` (see :mod:`lawgraph.users`), not in the graph,
so they survive ``rebuild``.
"""
from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console

from lawgraph.errors import LawgraphError

app = typer.Typer(help="Cuentas de quienes revisan: crear, listar, contraseña, fichas de la API.",
                  no_args_is_help=True)
out = Console()
err = Console(stderr=True)

PasswordStdin = Annotated[bool, typer.Option(
    "--password-stdin", help="Leer la contraseña de la entrada estándar (una línea) en lugar de preguntarla.")]


def _accounts():
    from lawgraph.config import get_settings
    from lawgraph.users import Accounts

    return Accounts(get_settings().home)


def _fail(exc: LawgraphError) -> None:
    err.print(f"[bold red]Error:[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=getattr(exc, "exit_code", 1))


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Contraseña", hide_input=True, confirmation_prompt="Repita la contraseña")


@app.command("add")
def add(name: Annotated[str, typer.Argument(help="Nombre de la cuenta (se registra como revisor/a).")],
        password_stdin: PasswordStdin = False) -> None:
    """Crea una cuenta con contraseña.

    Ejemplo: lawgraph user add "Ana López"   (pregunta la contraseña dos veces)
    """
    try:
        acc = _accounts().add(name, _password(password_stdin))
    except LawgraphError as exc:
        _fail(exc)
    out.print(f"Cuenta {acc.name!r} creada.", highlight=False)


@app.command("password")
def password(name: Annotated[str, typer.Argument(help="Nombre de la cuenta.")],
             password_stdin: PasswordStdin = False) -> None:
    """Cambia la contraseña (las sesiones abiertas de la cuenta se cierran).

    Ejemplo: lawgraph user password "Ana López"
    """
    try:
        _accounts().set_password(name, _password(password_stdin))
    except LawgraphError as exc:
        _fail(exc)
    out.print("Contraseña cambiada; las sesiones anteriores ya no valen.", highlight=False)


@app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="Nombre de la cuenta.")]) -> None:
    """Elimina una cuenta (sus decisiones ya registradas en el diario se conservan).

    Ejemplo: lawgraph user remove "Ana López"
    """
    try:
        _accounts().remove(name)
    except LawgraphError as exc:
        _fail(exc)
    out.print(f"Cuenta {name!r} eliminada.", highlight=False)


@app.command("list")
def list_(json_: Annotated[bool, typer.Option("--json", help="Imprimir un objeto JSON.")] = False) -> None:
    """Lista las cuentas (sin contraseñas ni fichas).

    Ejemplo: lawgraph user list --json
    """
    try:
        accounts = _accounts().list()
    except LawgraphError as exc:
        _fail(exc)
    if json_:
        sys.stdout.write(json.dumps({"accounts": [a.public() for a in accounts]}, ensure_ascii=False) + "\n")
        return
    if not accounts:
        out.print("No hay cuentas. Cree una con: lawgraph user add NOMBRE", highlight=False)
    for a in accounts:
        out.print(f"{a.name}  (creada {a.created[:10]}, fichas de API: {len(a.tokens)})", highlight=False)


@app.command("token")
def token(name: Annotated[str, typer.Argument(help="Nombre de la cuenta.")],
          revoke: Annotated[bool, typer.Option("--revoke", help="Anular todas las fichas de la cuenta.")] = False) -> None:
    """Crea una ficha para escribir por la API JSON (cabecera Authorization: Bearer FICHA); se muestra una sola vez.

    Ejemplo: lawgraph user token "Ana López"
    """
    try:
        if revoke:
            n = _accounts().revoke_tokens(name)
            out.print(f"{n} ficha(s) anulada(s).", highlight=False)
            return
        tok = _accounts().new_token(name)
    except LawgraphError as exc:
        _fail(exc)
    sys.stdout.write(tok + "\n")
