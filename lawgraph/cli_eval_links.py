"""``lawgraph eval links``: the linker against hand-checked answers (issue 4, item 6)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from lawgraph.errors import LawgraphError

out = Console()
err = Console(stderr=True)


def eval_links(
    gold: Annotated[Path, typer.Option(help="Respuestas en el formato de ../shared/eval/recommendation_links_dev.jsonl o suggestions_dev.jsonl.")],
    json_: Annotated[bool, typer.Option("--json", help="Terminar con una línea JSON con todas las cifras.")] = False,
    mirror: Annotated[Path | None, typer.Option(help="Espejo del corpus (por omisión ../shared/corpora).")] = None,
) -> None:
    """Mide los enlaces propuestos (recall@1/5/10 y MRR por idioma y fuente; aterrizaje de sugerencias).

    Ejemplo: lawgraph eval links --gold ../shared/eval/recommendation_links_dev.jsonl --json
    """
    from lawgraph.config import get_settings
    from lawgraph.evaluation.links import corpus_law_files, evaluate, format_report
    from lawgraph.ingest.recommendations import load_corpus_recommendations
    from lawgraph.nlp.link import build_index

    settings = get_settings()
    m = mirror or settings.mirror
    if m is None or not Path(m).is_dir():
        err.print("[red]Error:[/] no se encontró el espejo del corpus: indique --mirror", highlight=False)
        raise typer.Exit(code=2)
    try:
        files = corpus_law_files(m)
        if not files:
            err.print(f"[red]Error:[/] {m}/laws/federal: no hay leyes federales que enlazar", highlight=False)
            raise typer.Exit(code=2)
        index = build_index(files, cache_dir=settings.home / "cache")
        recs = load_corpus_recommendations(m)
        report = evaluate(index, gold, recs)
    except LawgraphError as exc:
        err.print(f"[bold red]Error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=getattr(exc, "exit_code", 1)) from None
    out.print(format_report(report), highlight=False, soft_wrap=True)
    if json_:
        sys.stdout.flush()
        sys.stdout.write(json.dumps(report, ensure_ascii=False, default=str) + "\n")


def register(eval_app: typer.Typer) -> None:
    """Add ``links`` to the ``eval`` command group."""
    eval_app.command("links")(eval_links)
