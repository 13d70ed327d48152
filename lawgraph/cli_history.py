"""CLI pieces for the text in force at a date (issue 12, point 2): how ``show`` explains the
text it prints or why it prints none, and ``lawgraph eval history``."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape

from lawgraph.errors import LawgraphError
from lawgraph.model.views import ProvisionVersion

out = Console()
err = Console(stderr=True)


def basis_lines(view: ProvisionVersion) -> list[str]:
    """Rich-markup lines under a provision's title: since when its own text is in force, which
    version it was read from and why that version answers the date asked."""
    # A text the record cannot settle is never announced as the one in force.
    since = (f"[yellow]Texto aproximado: no consta que sea el vigente en esa fecha[/] (el más cercano "
             f"que consta, reconstruido desde el {view.in_force_since})" if view.approximate
             else f"Texto vigente desde el {view.in_force_since}" if view.in_force_since
             else "Texto original de la ley (sin notas de reforma)")
    lines = [f"{since} · versión del {view.version_date} · id {escape(view.id)}"]
    for r in view.reasoning:
        tag = "[yellow]" if view.approximate or view.basis != "version" else "[dim]"
        lines.append(f"{tag}{escape(r)}[/]")
    return lines


def source_line(view: ProvisionVersion, hstate: dict[str, Any] | None) -> str:
    """Where the text was read: page and characters of a document, or the line of the
    decree-history record."""
    s = view.source
    where = (f"página {s.page} · caracteres {s.start}–{s.end}" if s.page is not None
             else f"línea {hstate.get('line')} del registro" if hstate and hstate.get("line")
             else "texto original del registro" if hstate else "sin página")
    return f"Fuente: {s.file} · {where} · sha256 {str(s.sha256)[:12]}…"


def eval_history(
    source: Annotated[Optional[Path], typer.Option(help="Carpeta cpeum_git_history (por omisión la del espejo).")] = None,
    seed: Annotated[int, typer.Option(help="Semilla del sorteo de fechas.")] = 20261206,
    per_article: Annotated[int, typer.Option("--per-article", help="Fechas por artículo.")] = 8,
    json_: Annotated[bool, typer.Option("--json", help="Terminar con una línea JSON con todas las cifras.")] = False,
) -> None:
    """Compara el texto de la Constitución que responde el grafo en muchos pares (artículo, fecha) con su historial de decretos.

    Requiere el historial cargado (lawgraph ingest-history cpeum).
    Ejemplo: lawgraph eval history --json
    """
    from lawgraph.config import get_settings
    from lawgraph.evaluation.history import evaluate, format_report
    from lawgraph.graph import find_article, open_store
    from lawgraph.evaluation.history_truth import true_states
    from lawgraph.ingest.cpeum_history import decree_hunks, read_history

    directory = source
    if directory is None:
        mirror = get_settings().mirror
        directory = Path(mirror) / "reforms" / "cpeum_git_history" if mirror else None
    if directory is None or not directory.is_dir():
        err.print(f"[red]Error:[/] no se encontró la carpeta del historial ({directory}); indique --source "
                  "o defina LAWGRAPH_MIRROR", highlight=False)
        raise typer.Exit(code=2)
    try:
        hist = read_history(directory)
        hunks = decree_hunks(directory)
        truth = true_states(directory, hist)
        with open_store() as store:
            def answer(article: str, day: date):
                view = find_article(store, "cpeum", article, day)
                return (view.text, view.approximate) if view else None

            res = evaluate(hist, truth, hunks, answer, seed=seed, per_article=per_article)
    except LawgraphError as exc:
        err.print(f"[red]Error:[/] {exc}", highlight=False)
        raise typer.Exit(code=1) from exc
    out.print(escape(format_report(res)), highlight=False)
    if json_:
        sys.stdout.write(json.dumps({"seed": seed, "per_article": per_article, **res.to_dict()},
                                    ensure_ascii=False) + "\n")


def register(eval_app: typer.Typer) -> None:
    """Add ``eval history`` to the CLI's eval group."""
    eval_app.command("history")(eval_history)
