"""CLI commands that check and mend the journal file: ``lawgraph journal verify | repair |
quarantine``. Registered on the ``journal`` group of :mod:`lawgraph.cli_links` by
:func:`register`; neither command needs the graph."""
from __future__ import annotations

from dataclasses import asdict

import typer

from lawgraph.cli_common import JsonOpt, _fail, _print_json, err, out
from lawgraph.errors import LawgraphError


def _ask(method: str):
    """``default_journal().<method>()``; a library error ends the command with its message."""
    from lawgraph.journal import default_journal

    try:
        j = default_journal()
        return j, getattr(j, method)()
    except LawgraphError as exc:
        _fail(exc)


def verify(json_: JsonOpt = False) -> None:
    """Revisa el diario línea por línea: informa de cada línea dañada (y si se recupera de su copia) sin cambiar nada. Sale con 2 si hay daños.

    Ejemplo: lawgraph journal verify --json
    """
    j, rep = _ask("verify")
    if json_:
        _print_json({"path": rep.path, "records": rep.records, "ok": rep.ok, "lost": rep.lost,
                     "damaged": [asdict(d) for d in rep.damaged], "torn_tail_bytes": rep.torn_tail,
                     "torn_tail_is_record": rep.tail_record, "quarantined": len(j.quarantined())})
    else:
        out.print(f"{rep.path}: {rep.records} registros.", highlight=False)
        for d in rep.damaged:
            err.print(f"[red]✗[/] {d.describe(j.path)}", highlight=False)
        if rep.torn_tail:
            what = ("un registro completo sin salto de línea; se conserva" if rep.tail_record
                    else "escritura interrumpida, nunca confirmada; se apartará")
            err.print(f"[yellow]aviso:[/] {rep.torn_tail} bytes al final: {what}", highlight=False)
        if rep.ok:
            out.print("[green]✓[/] Sin daños.")
        else:
            out.print("Para reescribirlo conservando el original: lawgraph journal repair", highlight=False)
    if not rep.ok:
        raise typer.Exit(code=2)


def repair(json_: JsonOpt = False) -> None:
    """Reescribe el diario con todo lo que se puede verificar; conserva el archivo original y, aparte, las líneas irrecuperables.

    Ejemplo: lawgraph journal repair
    """
    _j, rep = _ask("repair")
    if json_:
        _print_json(asdict(rep))
        return
    if not rep.rewritten:
        out.print(f"El diario no tiene daños ({rep.records} registros); no se cambió nada.", highlight=False)
        return
    out.print(f"Diario reescrito: {rep.records} registros. Original conservado en {rep.original}.", highlight=False)
    if rep.damaged_file:
        err.print(f"[yellow]aviso:[/] {rep.unrecoverable} líneas irrecuperables guardadas en {rep.damaged_file}",
                  highlight=False)


def quarantine(json_: JsonOpt = False) -> None:
    """Lista los registros en cuarentena: los que el grafo rechazó o que ya no pasan la validación, con su línea y el motivo.

    Ejemplo: lawgraph journal quarantine
    """
    _j, entries = _ask("quarantined")
    if json_:
        _print_json({"quarantined": entries})
    elif not entries:
        out.print("Ningún registro en cuarentena.")
    for q in [] if json_ else entries:
        out.print(f"línea {q.get('line')} · {q.get('kind')} {q.get('seq')}: {q.get('reason')}", highlight=False)


def register(journal_app: typer.Typer) -> None:
    """Add these commands to the ``lawgraph journal`` group."""
    journal_app.command("verify")(verify)
    journal_app.command("repair")(repair)
    journal_app.command("quarantine")(quarantine)
