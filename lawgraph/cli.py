"""The `lawgraph` command: a thin layer over the library.

Every command prints Spanish messages for people and, with --json, one JSON object for programs.
Library errors (lawgraph.errors) become one clear line on stderr and a non-zero exit code here, and
only here.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from lawgraph.errors import LawgraphError

app = typer.Typer(
    help="lawgraph: reformas legislativas sobre los derechos de las mujeres en México, como grafo.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
corpus_app = typer.Typer(help="Manifiestos del corpus: listar, verificar, descargar.", no_args_is_help=True)
eval_app = typer.Typer(help="Comparar el sistema con respuestas verificadas a mano.", no_args_is_help=True)
db_app = typer.Typer(help="El almacén de grafo integrado (FalkorDB): iniciar, detener, estado.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")
app.add_typer(eval_app, name="eval")
app.add_typer(db_app, name="db")

out = Console()
err = Console(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Imprimir un objeto JSON en lugar de texto.")]


def _fail(exc: LawgraphError) -> None:
    err.print(f"[bold red]Error:[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=getattr(exc, "exit_code", 1))


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=1, default=str) + "\n")


# --------------------------------------------------------------------------------------------- parse
@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="PDF, .doc o .docx de una ley.")],
    json_: JsonOpt = False,
    extractor: Annotated[str, typer.Option(help="Extractor de texto de PDF: pdfium (rápido) o pdfplumber.")] = "pdfium",
    operations: Annotated[bool, typer.Option(help="Incluir las operaciones de cada decreto (reforma/adiciona/deroga).")] = True,
) -> None:
    """Lee un documento y muestra su estructura sin tocar el almacén.

    Ejemplo: lawgraph parse ../shared/corpora/laws/federal/lgamvlv.pdf --json
    """
    from lawgraph.export import parsed_to_json
    from lawgraph.pipeline import parse_file

    try:
        parsed = parse_file(file, extractor=extractor)
    except LawgraphError as exc:
        _fail(exc)
    ops = None
    if operations:
        ops = _decree_operations(parsed)
    if json_:
        _print_json(parsed_to_json(parsed, operations=ops))
        return
    out.print(f"[bold]{parsed.title}[/]  ({parsed.format}, {parsed.pages or '—'} págs., sha256 {parsed.sha256[:12]}…)")
    out.print(f"Última reforma: {parsed.ultima_reforma or 'desconocida'}")
    rep = [a.label for a in parsed.articles if a.repealed]
    out.print(f"Artículos: {len(parsed.articles)}  (derogados: {len(rep)}{': ' + ', '.join(rep[:12]) if rep else ''})")
    out.print(f"Transitorios originales: {len(parsed.transitorios)}   Decretos de reforma: {len(parsed.decrees)}")
    for w in parsed.warnings[:20]:
        out.print(f"[yellow]Aviso:[/] {w}", highlight=False)


def _decree_operations(parsed) -> dict[int, list[dict]] | None:
    """Operations of each decree's clause, when the amendment parser is available."""
    try:
        from lawgraph.nlp.amendments import parse_clause_operations
    except ImportError:
        return None
    return {d.index: parse_clause_operations(d) for d in parsed.decrees}


# -------------------------------------------------------------------------------------------- corpus
@corpus_app.command("list")
def corpus_list(json_: JsonOpt = False) -> None:
    """Lista los documentos de los manifiestos y si están en el espejo local.

    Ejemplo: lawgraph corpus list
    """
    from lawgraph import corpus

    try:
        docs = corpus.load_all()
    except LawgraphError as exc:
        _fail(exc)
    rows = []
    for d in docs:
        try:
            where = str(corpus.resolve(d, verify=False))
        except LawgraphError:
            where = None
        rows.append({"id": d.id, "path": d.path, "format": d.format, "law_key": d.law_key,
                     "version_date": d.version_date, "url": d.url, "local": where})
    if json_:
        _print_json({"documents": rows})
        return
    for r in rows:
        mark = "[green]✓[/]" if r["local"] else "[red]✗[/]"
        out.print(f"{mark} {r['id']:<38} {r['path']}", highlight=False)


@corpus_app.command("verify")
def corpus_verify(json_: JsonOpt = False) -> None:
    """Comprueba el sha256 de cada documento del espejo local.

    Ejemplo: lawgraph corpus verify
    """
    from lawgraph import corpus

    bad = []
    docs = corpus.load_all()
    for d in docs:
        try:
            corpus.resolve(d)
        except LawgraphError as exc:
            bad.append({"id": d.id, "error": str(exc)})
    if json_:
        _print_json({"checked": len(docs), "problems": bad})
    else:
        out.print(f"{len(docs) - len(bad)} de {len(docs)} documentos verificados.")
        for b in bad:
            err.print(f"[red]✗[/] {b['error']}", highlight=False)
    if bad:
        raise typer.Exit(code=2)


@corpus_app.command("fetch")
def corpus_fetch(ids: Annotated[Optional[list[str]], typer.Argument(help="Ids de documento; todos si se omite.")] = None) -> None:
    """Descarga del editor oficial los documentos que falten y verifica su hash.

    Ejemplo: lawgraph corpus fetch mx-lgamvlv-pdf-2026-01-15
    """
    from lawgraph import corpus

    docs = corpus.load_all()
    chosen = [corpus.find(i, docs) for i in ids] if ids else [d for d in docs if d.url]
    failed = 0
    for d in chosen:
        try:
            p = corpus.fetch(d)
            out.print(f"[green]✓[/] {d.id}: {p}", highlight=False)
        except LawgraphError as exc:
            failed += 1
            err.print(f"[red]✗[/] {exc}", highlight=False)
    if failed:
        raise typer.Exit(code=2)


# ---------------------------------------------------------------------------------------------- eval
@eval_app.command("articles")
def eval_articles(
    gold: Annotated[Path, typer.Option(help="Carpeta de respuestas en el formato de ../shared/eval/articles/.")],
    json_: JsonOpt = False,
    extractor: Annotated[str, typer.Option(help="pdfium o pdfplumber.")] = "pdfium",
) -> None:
    """Compara el inventario de artículos del parser con respuestas verificadas, ley por ley.

    Ejemplo: lawgraph eval articles --gold ../shared/eval/articles
    """
    from lawgraph import corpus
    from lawgraph.config import get_settings
    from lawgraph.evaluation.articles import compare
    from lawgraph.pipeline import parse_file

    settings = get_settings()
    results = []
    for gf in sorted(Path(gold).glob("*.json")):
        g = json.loads(gf.read_text(encoding="utf-8"))
        path = None
        d = corpus.find_by_sha(g.get("sha256", ""))
        if d:
            path = corpus.resolve(d, settings)
        elif settings.mirror and g.get("path") and (settings.mirror / g["path"]).is_file():
            path = settings.mirror / g["path"]
        if path is None:
            results.append({"gold": gf.name, "file": g.get("file"), "error": "documento no encontrado"})
            continue
        try:
            diffs = compare(parse_file(path, extractor=extractor), g)
        except LawgraphError as exc:
            results.append({"gold": gf.name, "file": str(path), "error": str(exc)})
            continue
        results.append({"gold": gf.name, "file": str(path), "differences": diffs})
    ok = all(not r.get("error") and not r.get("differences") for r in results)
    if json_:
        _print_json({"ok": ok, "laws": results})
    else:
        for r in results:
            if r.get("error"):
                out.print(f"[red]✗ {r['gold']}[/]: {r['error']}", highlight=False)
            elif r["differences"]:
                out.print(f"[red]✗ {r['gold']}[/]: {len(r['differences'])} diferencias", highlight=False)
                for x in r["differences"]:
                    out.print(f"    - {x}", highlight=False)
            else:
                out.print(f"[green]✓ {r['gold']}[/]: idéntico", highlight=False)
    if not ok:
        raise typer.Exit(code=1)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
