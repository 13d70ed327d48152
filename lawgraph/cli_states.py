"""CLI of the states room: ``compare``, ``coverage`` and ``eval equivalences``.

    lawgraph compare "CPF art 325" --with mx-chh,mx-dgo [--json | --csv]
    lawgraph coverage "violencia digital" [--json]
    lawgraph eval equivalences --gold ../shared/eval/equivalences_dev.jsonl --json
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from lawgraph.errors import LawgraphError

out = Console()
err = Console(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Imprimir un objeto JSON en lugar de texto.")]


def _fail(exc: LawgraphError) -> None:
    err.print(f"[red]Error:[/] {escape(str(exc))}")
    raise typer.Exit(code=getattr(exc, "exit_code", 1))


def _json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def _with_index(fn):
    """``fn(index)`` over the provisions stored in the graph (the configured store, opened for
    the call); a library error ends the command with its message."""
    from lawgraph.equivalences import graph_index
    from lawgraph.graph import open_store

    try:
        with open_store() as store:
            return fn(graph_index(store))
    except LawgraphError as exc:
        _fail(exc)


def compare_cmd(
    ref: Annotated[str, typer.Argument(help='Disposición: "CPF art 325", "mx-dgo-cp art 147 bis", "LGAMVLV art 6 fr. II".')],
    with_: Annotated[Optional[str], typer.Option("--with", help="Jurisdicciones a comparar, separadas por comas (mx, mx-chh, mx-dgo).")] = None,
    json_: JsonOpt = False,
    csv_: Annotated[bool, typer.Option("--csv", help="Imprimir la tabla en CSV.")] = False,
) -> None:
    """Compara una disposición elemento por elemento (fracciones) con las de otras jurisdicciones.

    Ejemplo: lawgraph compare "CPF art 325" --with mx-chh,mx-dgo
    """
    from lawgraph.comparison import compare, compare_csv

    res = _with_index(lambda ix: compare(ix, ref, [j.strip() for j in with_.split(",")] if with_ else None))
    if json_:
        _json(res)
        return
    if csv_:
        sys.stdout.write(compare_csv(res))
        return
    q = res["query"]
    out.print(f"[bold]{q['law'].upper()} art. {q['article']}[/] ({q['jurisdiction']}, vigente desde "
              f"{q['source']['in_force'] or 'fecha no consta'})", highlight=False)
    for j, cp in res["counterparts"].items():
        if cp["verdict"] == "found":
            out.print(f"  {j}: {cp['law']} art. {cp['article']} (puntaje {cp['score']}, p. {cp['source']['page'] or '—'}, "
                      f"vigente desde {cp['source']['in_force'] or 'no consta'})", highlight=False)
        else:
            out.print(f"  {j}: sin disposición equivalente", highlight=False)
    for row in res["rows"]:
        cells = []
        for j in res["jurisdictions"]:
            e = row["elements"].get(j)
            cells.append(f"{j} fr. {e['fraction']}: {' '.join(e['text'].split())[:70]}" if e else f"{j}: —")
        out.print(" | ".join(cells), highlight=False)


_MATCH_ES = {"define": "lo define o tipifica", "describe": "lo describe sin nombrarlo", "menciona": "lo menciona"}


def coverage_cmd(
    topic: Annotated[str, typer.Argument(help='Tema: "violencia vicaria", "violencia digital", "violencia política"…')],
    json_: JsonOpt = False,
) -> None:
    """Qué jurisdicciones definen un tema, en qué disposición y desde cuándo.

    Ejemplo: lawgraph coverage "violencia digital"
    """
    from lawgraph.comparison import coverage

    res = _with_index(lambda ix: coverage(ix, topic))
    if json_:
        _json(res)
        return
    out.print(f"[bold]{escape(topic)}[/]")
    for j, v in res["jurisdictions"].items():
        if v["present"]:
            p = v["provisions"][0]
            out.print(f"  {j}: {p['law']} art. {p['article']}" + (f" fr. {p['fraction']}" if p["fraction"] else "")
                      + f" ({_MATCH_ES[p['match']]}) — desde {v['since'] or 'fecha no consta'} (p. {p['source']['page'] or '—'})",
                      highlight=False)
        else:
            checked = ", ".join(f"{Path(c['file']).name} ({c['in_force'] or 's/f'})" for c in v["checked"])
            out.print(f"  {j}: no consta (versiones revisadas: {checked})", highlight=False)


def eval_equivalences(
    gold: Annotated[Path, typer.Option(help="Respuestas en el formato de ../shared/eval/equivalences_dev.jsonl.")],
    json_: JsonOpt = False,
) -> None:
    """Mide las disposiciones equivalentes: found@1, found@3, absent_correct y cada consulta.

    Ejemplo: lawgraph eval equivalences --gold ../shared/eval/equivalences_dev.jsonl --json
    """
    from lawgraph.config import get_settings
    from lawgraph.equivalences import parsed_law
    from lawgraph.evaluation.equivalences import evaluate, load_items

    settings = get_settings()
    if settings.mirror is None:
        _fail(LawgraphError("no hay directorio espejo del corpus ($LAWGRAPH_MIRROR)"))
    try:
        items = load_items(gold)
    except (OSError, ValueError) as exc:
        _fail(LawgraphError(f"{gold}: respuestas ilegibles: {exc}"))
    try:
        res = _with_index(lambda ix: evaluate(items, ix, lambda rel: parsed_law(settings.mirror / rel)))
    except KeyError as exc:
        _fail(LawgraphError(f"{gold}: respuestas ilegibles: falta el campo {exc}"))
    if json_:
        _json(res)
        return
    out.print(" ".join(f"{k}={v}" for k, v in res["metrics"].items()), highlight=False)
    for it in res["items"]:
        out.print(f"  {it['id']} {it['query']}: rangos {it.get('ranks')} ausentes {it.get('absent')}", highlight=False)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add ``compare``, ``coverage`` and ``eval equivalences``."""
    app.command("compare")(compare_cmd)
    app.command("coverage")(coverage_cmd)
    eval_app.command("equivalences")(eval_equivalences)
