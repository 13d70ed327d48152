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
    gold: Annotated[Path | None, typer.Option(help="Respuestas en el formato de ../shared/eval/recommendation_links_dev.jsonl o suggestions_dev.jsonl.")] = None,
    silver: Annotated[bool, typer.Option("--silver", help="Medir sobre el conjunto plata construido del corpus (iniciativas del SITL), por partición.")] = False,
    crosslingual: Annotated[bool, typer.Option("--crosslingual", help="Medir la consistencia entre la vía en inglés y la española sobre las recomendaciones del EPU publicadas en ambos idiomas (sin respuestas de desarrollo).")] = False,
    eval_dir: Annotated[Path | None, typer.Option(help="Con --crosslingual: directorio de respuestas de desarrollo cuyos elementos se excluyen (por omisión ../shared/eval junto al espejo).")] = None,
    rec_path: Annotated[bool, typer.Option("--rec-path", help="Con --silver: enlazar cada iniciativa como una recomendación en español (la ruta de las recomendaciones) en lugar de como una sugerencia.")] = False,
    write_split: Annotated[bool, typer.Option("--write-split", help="Con --silver: escribir el archivo de partición (una sola vez; no sobrescribe).")] = False,
    source: Annotated[str, typer.Option(help="De dónde leer las disposiciones: 'grafo' (las guardadas, como `lawgraph link`) o 'archivos' (los PDF del corpus).")] = "grafo",
    json_: Annotated[bool, typer.Option("--json", help="Terminar con una línea JSON con todas las cifras.")] = False,
    mirror: Annotated[Path | None, typer.Option(help="Espejo del corpus (por omisión ../shared/corpora).")] = None,
) -> None:
    """Mide los enlaces propuestos (recall@1/5/10 y MRR por idioma y fuente; aterrizaje de sugerencias).

    Ejemplos: lawgraph eval links --gold ../shared/eval/recommendation_links_dev.jsonl --json;
    lawgraph eval links --silver --json; lawgraph eval links --silver --rec-path --json;
    lawgraph eval links --crosslingual --source archivos --json
    """
    from lawgraph.config import get_settings
    from lawgraph.evaluation.links import corpus_law_files, evaluate, format_report
    from lawgraph.ingest.recommendations import load_corpus_recommendations
    from lawgraph.nlp.link import build_index
    from lawgraph.nlp.link_anchor import attach_anchors
    from lawgraph.nlp.link_score import REC_WEIGHTS

    if (gold is not None) + silver + crosslingual != 1:
        err.print("[red]Error:[/] indique --gold ARCHIVO, --silver o --crosslingual (uno de los tres)", highlight=False)
        raise typer.Exit(code=2)
    if rec_path and not silver:
        err.print("[red]Error:[/] --rec-path sólo vale con --silver", highlight=False)
        raise typer.Exit(code=2)
    if source not in ("grafo", "archivos"):
        err.print(f"[red]Error:[/] --source {source!r}: use 'grafo' o 'archivos'", highlight=False)
        raise typer.Exit(code=2)
    settings = get_settings()
    m = mirror or settings.mirror
    if m is None or not Path(m).is_dir():
        err.print("[red]Error:[/] no se encontró el espejo del corpus: indique --mirror", highlight=False)
        raise typer.Exit(code=2)
    try:
        if source == "grafo":
            laws = [_graph_units(settings.home / "cache")]
        else:
            laws = corpus_law_files(m)
            if not laws:
                err.print(f"[red]Error:[/] {m}/laws/federal: no hay leyes federales que enlazar", highlight=False)
                raise typer.Exit(code=2)
        index = build_index(laws, cache_dir=settings.home / "cache")
        if REC_WEIGHTS.w_anchor:
            attach_anchors(index, m)      # the initiatives of this mirror vote (nlp/link_anchor.py)
        if crosslingual:
            report, text = _crosslingual_report(index, Path(m), eval_dir)
        elif silver:
            report, text = _silver_report(index, Path(m), write_split, "rec" if rec_path else "sug")
        else:
            recs = load_corpus_recommendations(m)
            report = evaluate(index, gold, recs)
            text = format_report(report)
    except LawgraphError as exc:
        err.print(f"[bold red]Error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=getattr(exc, "exit_code", 1)) from None
    out.print(text, highlight=False, soft_wrap=True)
    if json_:
        sys.stdout.flush()
        sys.stdout.write(json.dumps(report, ensure_ascii=False, default=str) + "\n")


def _graph_units(cache: Path) -> list:
    from lawgraph.graph import open_store
    from lawgraph.steps import stored_units

    with open_store() as store:
        units, _counts = stored_units(store, cache)
    if not units:
        err.print("[red]Error:[/] el grafo no tiene leyes federales cargadas: ejecute `lawgraph build --step laws` "
                  "o use --source archivos", highlight=False)
        raise typer.Exit(code=2)
    return units


def _silver_report(index, mirror: Path, write_split: bool, kind: str = "sug") -> tuple[dict, str]:
    from lawgraph.evaluation import silver as S

    if write_split:
        if S.SPLIT_FILE.exists():
            err.print(f"[red]Error:[/] {S.SPLIT_FILE}: la partición ya está escrita; no se sobrescribe", highlight=False)
            raise typer.Exit(code=2)

        class _Every(dict):
            def __contains__(self, key: object) -> bool:
                return True

            def __missing__(self, key: str) -> str:
                return S.split_of(key)

        n = S.write_split_file(S.build_silver(mirror, index.units, splits=_Every()).asks)
        err.print(f"Partición escrita: {S.SPLIT_FILE} ({n} iniciativas)", highlight=False)
    report = S.evaluate_silver(index, S.build_silver(mirror, index.units), kind=kind)
    return report, S.format_silver(report)


def _crosslingual_report(index, mirror: Path, eval_dir: Path | None) -> tuple[dict, str]:
    from lawgraph.evaluation.crosslingual import evaluate_crosslingual, format_crosslingual
    from lawgraph.ingest.recommendations import load_corpus_recommendations

    d = eval_dir or mirror.resolve().parent / "eval"
    if not d.is_dir():
        err.print(f"[red]Error:[/] {d}: no existe el directorio de respuestas de desarrollo que hay que excluir; "
                  "indique --eval-dir", highlight=False)
        raise typer.Exit(code=2)
    report = evaluate_crosslingual(index, load_corpus_recommendations(mirror), d)
    return report, format_crosslingual(report)


def register(eval_app: typer.Typer) -> None:
    """Add ``links`` to the ``eval`` command group."""
    eval_app.command("links")(eval_links)
