"""What every CLI module shares: the consoles, the ``--json`` option and the error exit.

Kept apart from :mod:`lawgraph.cli` so that the command modules (``cli_links``,
``cli_eval_links`` …) import it and the main app imports them, never the other way round.
"""
from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console

from lawgraph.errors import LawgraphError

out = Console()
err = Console(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Imprimir un objeto JSON en lugar de texto.")]
# ``lawgraph build`` and ``rebuild``: lawgraph.graph.staged.
StagedOpt = Annotated[bool, typer.Option("--staged", help=(
    "Por partes (FalkorDB, grafo nuevo): cada jurisdicción se escribe en un grafo auxiliar y el grafo "
    "se crea de una vez con GRAPH.BULK; su coste crece linealmente con el tamaño del corpus (el de la "
    "construcción normal, un tercio más por elemento de 10 a 50 veces el actual), pero con el corpus "
    "actual es más lenta que la construcción normal."))]


def _fail(exc: LawgraphError) -> None:
    err.print(f"[bold red]Error:[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=getattr(exc, "exit_code", 1))


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=1, default=str) + "\n")


def _in_store(fn, *args, **kwargs):
    """``fn(store, *args, **kwargs)`` on the configured store, opened for the call; a library
    error ends the command with its one-line message."""
    from lawgraph.graph import open_store

    try:
        with open_store() as store:
            return fn(store, *args, **kwargs)
    except LawgraphError as exc:
        _fail(exc)


def _print_step(r) -> None:
    """One line for a finished build step (``lawgraph build`` and ``rebuild``)."""
    mark = "[yellow]–[/]" if getattr(r, "skipped", False) else "[green]✓[/]" if r.ok else "[red]✗[/]"
    out.print(f"{mark} {r.name}: {r.summary} ({r.seconds:.1f} s)", highlight=False)
    for e in r.errors[:10]:
        err.print(f"   [red]·[/] {e}", highlight=False)


def _step_json(r) -> dict:
    return {"name": r.name, "ok": r.ok, "skipped": getattr(r, "skipped", False), "seconds": round(r.seconds, 2),
            "summary": r.summary,
            "details": r.details, "errors": r.errors, "warnings": r.warnings[:200]}
