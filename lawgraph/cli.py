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
from rich.markup import escape

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
report_app = typer.Typer(help="Informes sobre decretos y notas de reforma del grafo.", no_args_is_help=True)
app.add_typer(report_app, name="report")

# Consoles, --json and the error exit are shared with the command modules (lawgraph.cli_common).
from lawgraph.cli_common import JsonOpt, StagedOpt, _fail, _in_store, _print_json, _print_step, _step_json, err, out  # noqa: E402,F401


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
    from lawgraph.nlp.decree_plan import decree_operations
    from lawgraph.pipeline import parse_file

    try:
        parsed = parse_file(file, extractor=extractor)
    except LawgraphError as exc:
        _fail(exc)
    ops = None
    if operations:
        ops = decree_operations(parsed)
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


# -------------------------------------------------------------------------------------------- ingest
@app.command()
def ingest(
    targets: Annotated[Optional[list[str]], typer.Argument(help="Archivos, manifiestos (.toml) o ids de documento.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Todas las leyes de los manifiestos (una por versión).")] = False,
    law_key: Annotated[Optional[str], typer.Option(help="Clave de la ley, para un archivo fuera de los manifiestos.")] = None,
    kind: Annotated[Optional[str], typer.Option(help="ley, codigo o constitucion (archivo fuera de los manifiestos).")] = None,
    jurisdiction: Annotated[Optional[str], typer.Option(help="mx o mx-<estado> (archivo fuera de los manifiestos).")] = None,
    extractor: Annotated[str, typer.Option(help="Extractor de PDF: pdfium o pdfplumber.")] = "pdfium",
    force: Annotated[bool, typer.Option("--force", help="Cargar aunque la nueva versión sea mucho menos completa que la guardada.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Carga documentos en el grafo: cada uno se lee completo antes de escribir nada. Una versión con muchos menos artículos que la guardada (o sin su lista de decretos) se rechaza salvo con --force.

    Ejemplos: lawgraph ingest --all · lawgraph ingest ../shared/corpora/laws/federal/lgamvlv.pdf
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from lawgraph.graph import open_store
    from lawgraph.ingestion import plan_jobs
    from lawgraph.steps import ingest_document

    if not targets and not all_:
        err.print("Indique archivos, manifiestos o ids, o use --all. Ejemplo: lawgraph ingest --all")
        raise typer.Exit(code=2)
    try:
        jobs, pre = plan_jobs(list(targets or []), all_docs=all_)
    except LawgraphError as exc:
        _fail(exc)
    outcomes = list(pre)
    show_bar = not json_ and sys.stderr.isatty()
    try:
        with open_store() as store, Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err, disable=not show_bar, transient=True,
        ) as bar:
            overall = bar.add_task("Documentos", total=len(jobs))
            for job in jobs:
                task = bar.add_task(f"  {job.name}", total=None)

                def on_batch(what, done, total, _t=task):
                    bar.update(_t, description=f"  {job.name}: {what}", completed=done, total=total)

                o = ingest_document(store, job, extractor=extractor, key=law_key, kind=kind,
                                    jurisdiction=jurisdiction, on_batch=on_batch, force=force)
                outcomes.append(o)
                bar.remove_task(task)
                bar.advance(overall)
                if not json_:
                    _print_outcome(o)
    except LawgraphError as exc:
        _fail(exc)
    failed = [o for o in outcomes if o.error]
    if json_:
        _print_json({"documents": [_outcome_json(o) for o in outcomes],
                     "ok": not failed})
    else:
        for o in outcomes:
            if o.skipped:
                out.print(f"[dim]· omitido {o.job.name}: {o.skipped}[/]", highlight=False)
            elif o.error and o in pre:
                err.print(f"[red]✗[/] {o.error}", highlight=False)
        done = sum(1 for o in outcomes if o.report is not None)
        out.print(f"{done} documentos cargados, {len(failed)} con error.")
    if failed:
        raise typer.Exit(code=2)


def _outcome_json(o) -> dict:
    d = {"document": o.job.name, "file": str(o.job.path)}
    if o.error:
        d["error"] = o.error
    if o.skipped:
        d["skipped"] = o.skipped
    if o.report is not None:
        r = o.report
        d.update({"law": r.law_id, "version": r.version_id, "unchanged_document": r.unchanged_document,
                  "inserted": r.total("inserted"), "updated": r.total("updated"),
                  "unchanged": r.total("unchanged"), "deleted": r.total("deleted"),
                  "seconds": round(r.seconds, 3), **o.extra})
    return d


def _print_outcome(o) -> None:
    if o.error:
        err.print(f"[red]✗[/] {o.error}", highlight=False)
    elif o.report is not None:
        r = o.report
        if r.unchanged_document:
            out.print(f"[green]=[/] {o.job.name}: sin cambios ({r.version_id}; {r.total('unchanged')} elementos ya cargados)",
                      highlight=False)
        else:
            out.print(f"[green]✓[/] {o.job.name} → {r.version_id}: {r.total('inserted')} insertados, "
                      f"{r.total('updated')} actualizados, {r.total('unchanged')} sin cambios, "
                      f"{r.total('deleted')} eliminados ({r.seconds:.1f} s)", highlight=False)
        for w in r.warnings[:5]:
            out.print(f"   [yellow]aviso:[/] {w}", highlight=False)


# ---------------------------------------------------------------------------------------------- show
@app.command()
def show(
    ref: Annotated[str, typer.Argument(help='Id (/mx/ley/lgamvlv/art_20-ter) o referencia ("LGAMVLV art 20 Ter fr. II").')],
    at: Annotated[Optional[str], typer.Option("--at", help="Fecha AAAA-MM-DD: el texto vigente ese día.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Muestra una disposición: texto, jerarquía, notas de reforma y fuente.

    Ejemplo: lawgraph show "LGAMVLV art 20 Ter"
    """
    from lawgraph import ids
    from lawgraph.cli_history import basis_lines, source_line
    from lawgraph.graph import open_store
    from lawgraph.graph.amendments import provision_reforms
    from lawgraph.graph.history import history_state
    from lawgraph.provisions import UnresolvedReference, get_provision, missing_at

    missing = None
    try:
        with open_store() as store:
            view = get_provision(store, ref, at=at)
            reforms = provision_reforms(store, view.id) if view is not None else []
            hstate = history_state(store, view.id) if view is not None else None
            missing = missing_at(store, ref, at) if view is None else None
    except UnresolvedReference as exc:
        err.print(f"No se encontró {ref!r}: {exc}", highlight=False)
        raise typer.Exit(code=1) from exc
    except LawgraphError as exc:
        _fail(exc)
    if view is None:
        if json_:
            _print_json({"ref": ref, "at": at, "missing": missing.to_dict() if missing else None})
        err.print(missing.message() if missing else
                  f"No se encontró {ref!r}" + (f" vigente el {at}" if at else "") + " en el grafo.", highlight=False)
        raise typer.Exit(code=1)
    if json_:
        _print_json({**view.to_dict(), "reforms": reforms, "history": hstate})
        return
    from lawgraph.api.app import UNIT_NAMES

    path = " ▸ ".join(
        " ".join(x for x in (UNIT_NAMES.get(s.kind or "", s.kind), s.label, s.heading and f"({s.heading})") if x)
        for s in view.path if s.kind != "version"
    )
    out.print(f"[bold]{view.law_title}[/] — {UNIT_NAMES.get(view.kind or '', view.kind)} {view.label}" + (" [red](derogado)[/]" if view.repealed else ""),
              highlight=False)
    out.print(f"[dim]{path}[/]", highlight=False)
    for line in basis_lines(view):
        out.print(line, highlight=False)
    out.print()
    out.print(view.text, highlight=False)
    if view.reform_notes:
        out.print("\n[bold]Notas de reforma[/]")
        for n in view.reform_notes:
            out.print(f"  · {n.get('text')}", highlight=False)
    decrees = {}
    for r in reforms:
        decrees.setdefault(r["decree_id"], r)
    if decrees:
        out.print("\n[bold]Decretos que lo reformaron[/]")
        for r in sorted(decrees.values(), key=lambda r: r["date"]):
            out.print(f"  · {ids.gazette_label(r['decree_id'])} {r['date']}: {escape(r['title'][:160])}", highlight=False)
    out.print(f"\n[dim]{escape(source_line(view, hstate))}[/]", highlight=False)


# --------------------------------------------------------------------------------------------- stats
@app.command()
def stats(json_: JsonOpt = False) -> None:
    """Cuenta lo que contiene el grafo en una tabla breve, y las leyes con texto y sus versiones.

    Ejemplo: lawgraph stats --json
    """
    from lawgraph.graph import open_store
    from lawgraph.graph import stats as graph_stats
    from lawgraph.graph.views import laws as read_laws

    try:
        with open_store() as store:
            st = graph_stats(store)
            laws = read_laws(store)
    except LawgraphError as exc:
        _fail(exc)
    if json_:
        _print_json({"stats": st, "laws": [{**law.model_dump(), "latest": law.latest} for law in laws]})
        return
    from lawgraph.cli_stats import print_stats

    print_stats(st, laws)


# ---------------------------------------------------------------------------------------------- serve
@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Dirección de escucha.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Puerto.")] = 8000,
    workers: Annotated[int, typer.Option(help="Procesos que atienden solicitudes.")] = 1,
) -> None:
    """Sirve las páginas web (en español) y la API JSON sobre el grafo.

    Ejemplo: lawgraph serve --port 8000   (luego abra http://127.0.0.1:8000)
    """
    from lawgraph.api.server import serve as run_site

    out.print(f"Sirviendo lawgraph en http://{host}:{port}  (Ctrl-C para terminar)")
    try:
        run_site(host, port, workers)  # the database shared, supervised, never stopped under serve
    except LawgraphError as exc:
        _fail(exc)


# ------------------------------------------------------------------------------------------------- db
@db_app.command("start")
def db_start() -> None:
    """Inicia el servidor FalkorDB integrado en el directorio de datos (queda en marcha).

    Ejemplo: lawgraph db start
    """
    from lawgraph.config import get_settings
    from lawgraph.graph.falkordb_server import EmbeddedFalkorDB

    try:
        server = EmbeddedFalkorDB(get_settings().home).start()
    except LawgraphError as exc:
        _fail(exc)
    where = server.unix_socket or f"127.0.0.1:{server.port}"
    out.print(f"FalkorDB en marcha (pid {server.pid}, {where}).", highlight=False)


@db_app.command("stop")
def db_stop() -> None:
    """Detiene el servidor integrado guardando sus datos.

    Ejemplo: lawgraph db stop
    """
    from lawgraph.config import get_settings
    from lawgraph.graph.falkordb_server import EmbeddedFalkorDB

    server = EmbeddedFalkorDB(get_settings().home)
    try:
        if not server._attach_existing():
            out.print("El servidor no estaba en marcha.")
            return
        server.stop(force=True)
    except LawgraphError as exc:
        _fail(exc)
    out.print("FalkorDB detenido.")


@db_app.command("status")
def db_status(json_: JsonOpt = False) -> None:
    """Dice si el servidor integrado está en marcha y dónde guarda sus datos.

    Ejemplo: lawgraph db status
    """
    from lawgraph.config import get_settings
    from lawgraph.graph.falkordb_server import EmbeddedFalkorDB

    settings = get_settings()
    server = EmbeddedFalkorDB(settings.home)
    try:
        running = server._attach_existing()
    except LawgraphError as exc:
        _fail(exc)
    info = {"running": running, "pid": server.pid, "data_dir": str(server.dir),
            "socket": server.unix_socket, "port": server.port, "backend": settings.backend}
    if json_:
        _print_json(info)
    else:
        out.print(("En marcha" if running else "Detenido") + f" · datos en {server.dir}", highlight=False)


# ------------------------------------------------------------------------- decrees, history, process
def _shared_default(*parts: str) -> Path:
    from lawgraph.config import get_settings

    mirror = get_settings().mirror
    if mirror is None:
        raise typer.BadParameter("no se encontró el espejo del corpus (../shared/corpora); indique la ruta")
    return Path(mirror).joinpath(*parts)


@eval_app.command("decrees")
def eval_decrees(
    gold: Annotated[Optional[Path], typer.Option(help="Respuestas en el formato de ../shared/eval/cpeum_decrees_dev.json, o el historial cpeum_decree_commits.jsonl.")] = None,
    file: Annotated[Optional[Path], typer.Option(help="PDF de la Constitución (por omisión laws/federal/cpeum.pdf del espejo).")] = None,
    json_: JsonOpt = False,
) -> None:
    """Compara los artículos que cada decreto constitucional toca (leídos de su cláusula) con las respuestas: P/R/F1 y cada desacuerdo.

    Ejemplo: lawgraph eval decrees --gold ../shared/eval/cpeum_decrees_dev.json
    """
    from lawgraph.evaluation.decrees import evaluate_cpeum_decrees, gold_from_git_history
    from lawgraph.pipeline import parse_file

    gold = gold or _shared_default("..", "eval", "cpeum_decrees_dev.json")
    file = file or _shared_default("laws", "federal", "cpeum.pdf")
    if not gold.is_file():
        err.print(f"[red]Error:[/] {gold}: no existe el archivo de respuestas", highlight=False)
        raise typer.Exit(code=2)
    try:
        parsed = parse_file(file)
        # The decree history itself (cpeum_decree_commits.jsonl) can serve as the answers.
        answers = gold_from_git_history(gold) if gold.suffix == ".jsonl" else gold
        rep = evaluate_cpeum_decrees(parsed.decrees, answers)
    except LawgraphError as exc:
        _fail(exc)
    except (ValueError, KeyError, json.JSONDecodeError) as exc:
        err.print(f"[red]Error:[/] {gold}: respuestas ilegibles ({exc})", highlight=False)
        raise typer.Exit(code=2)
    if json_:
        _print_json(rep.as_dict())
    else:
        out.print(escape(rep.format()), highlight=False)


@eval_app.command("initiatives")
def eval_initiatives(
    gold: Annotated[Path, typer.Option(help="Iniciativas etiquetadas a mano (formato de ../shared/eval/initiatives_dev.jsonl).")],
    json_: JsonOpt = False,
) -> None:
    """Mide la resolución de leyes y artículos de los títulos de iniciativas y lista cada fallo.

    Ejemplo: lawgraph eval initiatives --gold ../shared/eval/initiatives_dev.jsonl --json
    """
    from lawgraph.evaluation.initiatives import evaluate_initiatives, format_report

    try:
        res = evaluate_initiatives(gold)
    except LawgraphError as exc:
        _fail(exc)
    except (OSError, ValueError, KeyError) as exc:
        err.print(f"[red]Error:[/] {gold}: {exc}", highlight=False)
        raise typer.Exit(code=2)
    out.print(escape(format_report(res)), highlight=False)
    if json_:
        sys.stdout.write(json.dumps(res, ensure_ascii=False, default=str) + "\n")


@app.command("ingest-history")
def ingest_history(
    source: Annotated[str, typer.Argument(help="'cpeum' (el historial del espejo) o la carpeta cpeum_git_history.")] = "cpeum",
    json_: JsonOpt = False,
) -> None:
    """Reconstruye la historia de cada artículo de la Constitución (deshaciendo los diffs de cada decreto) y la carga como versiones.

    Ejemplo: lawgraph ingest-history cpeum   (luego: lawgraph show "CPEUM art 4" --at 2012-01-01)
    """
    from lawgraph.steps import ingest_history as run_history

    directory = _shared_default("reforms", "cpeum_git_history") if source == "cpeum" else Path(source)
    hist, rep = _in_store(run_history, directory)
    states = sum(len(v) for v in hist.states.values())
    approx = sum(1 for v in hist.states.values() for st in v if not st.exact)
    if json_:
        _print_json({"law": rep.law_id, "articles": len(hist.states), "states": states,
                     "versions": rep.versions, "versions_unchanged": rep.versions_unchanged,
                     "inserted": rep.total("inserted"), "updated": rep.total("updated"),
                     "unchanged": rep.total("unchanged"), "deleted": rep.total("deleted"),
                     "hunks_applied": hist.hunks_applied + hist.hunks_fuzzy, "approximate_states": approx,
                     "problems": rep.problems})
        return
    out.print(f"{rep.law_id}: {len(hist.commits)} decretos, {len(hist.states)} artículos, {states} estados; "
              f"{rep.versions} versiones históricas ({rep.versions_unchanged} sin cambios); "
              f"{rep.total('inserted')} nodos insertados, {rep.total('updated')} actualizados.", highlight=False)
    out.print(f"Cambios deshechos: {hist.hunks_applied + hist.hunks_fuzzy}; no aplicables: {len(hist.problems)} "
              f"(decretos ausentes del historial o diffs sin contexto); {approx} estados aproximados "
              f"(anteriores a un cambio que no se pudo deshacer).", highlight=False)
    for p in hist.problems[:10]:
        out.print(f"  [yellow]aviso:[/] {p}", highlight=False)


@app.command("ingest-process")
def ingest_process(
    directory: Annotated[Optional[Path], typer.Argument(help="Carpeta de la instantánea SITL (por omisión process/sitl_diputados_lxvi del espejo).")] = None,
    json_: JsonOpt = False,
) -> None:
    """Carga las iniciativas del SITL (registros y páginas HTML) en el grafo: eventos, proponentes, comisiones y leyes objetivo.

    Ejemplo: lawgraph ingest-process ../shared/corpora/process/sitl_diputados_lxvi
    """
    from lawgraph.steps import ingest_process as run_process

    directory = directory or _shared_default("process", "sitl_diputados_lxvi")
    if not directory.is_dir():
        err.print(f"[red]Error:[/] {directory}: no existe la carpeta de la instantánea", highlight=False)
        raise typer.Exit(code=2)
    sil = directory.parent / "semaforo-legislativo"   # the SIL instruments joined to the SITL ones
    ing, rep, join = _in_store(run_process, directory, sil_directory=sil if sil.is_dir() else None)
    if join is not None and not json_:
        out.print(join.summary(), highlight=False)
    if json_:
        _print_json({"snapshot": rep.snapshot_id, "records": ing.n_records, "unchanged": rep.unchanged,
                     "sil": None if join is None else {"instruments": join.instruments, "joined": join.joined,
                                                       "unjoined": join.unjoined},
                     "nodes": {k: vars(v) for k, v in rep.nodes.items()},
                     "relationships_created": rep.relationships_created, "problems": rep.problems,
                     "seconds": round(rep.seconds, 3)})
        return
    out.print(rep.summary(), highlight=False)
    for p in rep.problems[:15]:
        out.print(f"  [yellow]aviso:[/] {p}", highlight=False)
    if len(rep.problems) > 15:
        out.print(f"  … y {len(rep.problems) - 15} avisos más (--json los lista todos)")


@app.command()
def diff(
    law: Annotated[str, typer.Argument(help="Clave de la ley (LGAMVLV).")],
    from_: Annotated[str, typer.Option("--from", help="Fecha AAAA-MM-DD: la versión vigente ese día.")],
    to: Annotated[str, typer.Option("--to", help="Fecha AAAA-MM-DD: la versión vigente ese día.")],
    text: Annotated[bool, typer.Option(help="Mostrar el texto antes y después de cada artículo.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Diferencias artículo por artículo entre dos versiones cargadas de una ley.

    Ejemplo: lawgraph diff LGAMVLV --from 2024-12-16 --to 2026-01-15
    """
    from lawgraph.graph.history import diff_versions

    d = _in_store(diff_versions, law, from_, to)
    if json_:
        _print_json(d.to_dict())
        return
    ch = d.changed()
    out.print(f"[bold]{d.law_key}[/]: versión {d.from_date} → {d.to_date}: {len(ch)} artículos con cambios "
              f"de {len(d.changes)}", highlight=False)
    for c in ch:
        units = f" ({', '.join(c.units[:10])}{'…' if len(c.units) > 10 else ''})" if c.units else ""
        out.print(f"  · art. {c.label}: {c.status}{units}", highlight=False)
        if text:
            out.print(f"    [red]antes:[/] {(c.before or '—')[:600]}", highlight=False)
            out.print(f"    [green]después:[/] {(c.after or '—')[:600]}", highlight=False)


@report_app.command("decree")
def report_decree(
    law: Annotated[str, typer.Argument(help="Clave de la ley (LGAMVLV).")],
    date_: Annotated[str, typer.Argument(metavar="FECHA", help="Fecha de publicación del decreto, AAAA-MM-DD.")],
    json_: JsonOpt = False,
) -> None:
    """Compara los artículos que nombra la cláusula de un decreto con los que cambiaron entre versiones, con el motivo de cada discrepancia.

    Ejemplo: lawgraph report decree LGAMVLV 2026-01-15
    """
    from lawgraph.decree_check import check_decree

    chk = _in_store(check_decree, law, date_)
    if json_:
        _print_json(chk.to_dict())
        return
    mism = chk.mismatches()
    out.print(f"[bold]{chk.law_key}[/] decreto DOF {chk.dof_date} (versiones {chk.from_date} → {chk.to_date})",
              highlight=False)
    out.print(f"Artículos: {len(chk.rows)}; coinciden {len(chk.rows) - len(mism)}; discrepan {len(mism)} "
              f"(acuerdo {chk.agreement:.3f})", highlight=False)
    for r in chk.rows:
        mark = "[green]✓[/]" if r.named == r.changed else "[red]✗[/]"
        out.print(f"  {mark} art. {r.article}: nombrado={'sí' if r.named else 'no'} "
                  f"cambiado={'sí' if r.changed else 'no'} — {r.reason}", highlight=False)
    for p in chk.problems:
        out.print(f"  [dim]{p}[/]", highlight=False)


@report_app.command("notes")
def report_notes(
    law: Annotated[str, typer.Argument(help="Clave de la ley (CPEUM, LGAMVLV).")],
    at: Annotated[Optional[str], typer.Option("--at", help="Fecha AAAA-MM-DD: la versión vigente ese día.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Lista las notas de reforma cuya fecha no corresponde a ningún decreto listado por la ley.

    Ejemplo: lawgraph report notes CPEUM
    """
    from lawgraph.graph.amendments import unmatched_notes

    rows = _in_store(unmatched_notes, law, at)
    if json_:
        _print_json({"law": law.upper(), "unmatched": rows})
        return
    out.print(f"{law.upper()}: {len(rows)} notas de reforma sin decreto en la lista de la ley", highlight=False)
    for r in rows:
        path = " ".join(f"{k} {v}" for k, v in json.loads(r.get("path") or "[]"))
        out.print(f"  · art. {r['article']}{' ' + path if path else ''}: {r['note']!r} ({r['date']}) — {r['reason']}",
                  highlight=False)


@app.command()
def status(
    topic: Annotated[Optional[str], typer.Option(help="Palabras del título o la sinopsis (prefijos: 'feminicid').")] = None,
    law: Annotated[Optional[str], typer.Option(help="Clave de la ley (LGAMVLV).")] = None,
    article: Annotated[Optional[str], typer.Option(help="Artículo de la ley (requiere --law).")] = None,
    committee: Annotated[Optional[str], typer.Option(help="Comisión ('Igualdad de Género').")] = None,
    party: Annotated[Optional[str], typer.Option(help="Partido de quien propone (MORENA).")] = None,
    stage: Annotated[Optional[str], typer.Option(help="Etapa: presentada, turnada_comision, aprobada_origen, retirada …")] = None,
    older_than: Annotated[Optional[int], typer.Option(help="Días esperando en la etapa (por omisión en comisión).")] = None,
    as_of: Annotated[Optional[str], typer.Option(help="Fecha de referencia AAAA-MM-DD para --older-than (hoy por omisión).")] = None,
    timeline: Annotated[Optional[str], typer.Option(help="Id de una propuesta: su historia con fuentes.")] = None,
    decree: Annotated[Optional[str], typer.Option(help="Fecha AAAA-MM-DD de un decreto: todos sus cambios (requiere --law).")] = None,
    limit: Annotated[int, typer.Option(help="Máximo de propuestas listadas.")] = 50,
    json_: JsonOpt = False,
) -> None:
    """Dónde está cada propuesta: por tema, ley, artículo, comisión, partido, etapa y antigüedad; la historia de una propuesta; los cambios de un decreto.

    Ejemplo: lawgraph status --stage turnada_comision --older-than 180 --committee "Igualdad de Género"
    """
    from lawgraph.graph import open_store
    from lawgraph.graph import process as gp

    try:
        with open_store() as store:
            if timeline:
                tl = gp.proposal_timeline(store, timeline)
                if tl is None:
                    err.print(f"No hay una propuesta {timeline!r} en el grafo (¿falta lawgraph ingest-process?).")
                    raise typer.Exit(code=1)
                _print_timeline(tl, json_)
                return
            if decree:
                if not law:
                    err.print("--decree requiere --law (por ejemplo --law LGAMVLV).")
                    raise typer.Exit(code=2)
                _print_decree_changes(store, law, decree, json_)
                return
            rows = gp.find_proposals(store, topic=topic, law=law, article=article, committee=committee,
                                     party=party, stage=stage, older_than=older_than, as_of=as_of,
                                     limit=limit)
            summary = None if any((topic, law, article, committee, party, stage, older_than)) else gp.process_summary(store)
    except LawgraphError as exc:
        _fail(exc)
    if json_:
        _print_json({"proposals": rows, "summary": summary})
        return
    if summary is not None:
        out.print(f"Propuestas por etapa: {summary['stage']}", highlight=False)
    out.print(f"{len(rows)} propuestas" + (f" (máximo {limit})" if len(rows) >= limit else ""), highlight=False)
    for r in rows:
        since = f" desde {r['pending_since']}" if r.get("pending_since") else ""
        out.print(f"  · \\[{r['stage']}{since}] {escape(r['title'][:140])}", highlight=False)
        out.print(f"    [dim]{r['id']} · {', '.join(r.get('committees') or [])} · "
                  f"{', '.join(r.get('laws') or []) or 'ley no identificada'}[/]", highlight=False)


def _print_timeline(tl: dict, json_: bool) -> None:
    tl = {k: v for k, v in tl.items() if not k.startswith("_")}
    if json_:
        _print_json(tl)
        return
    out.print(f"[bold]{tl['title']}[/]", highlight=False)
    out.print(f"{tl['id']} · etapa {tl['stage']} · presentada {tl.get('date_presented') or '—'}", highlight=False)
    for e in tl["events"]:
        detail = f" — {e['detail']}" if e.get("detail") else ""
        out.print(f"  {e.get('date') or 'sin fecha'}  {e['stage']}{detail}  [dim]({e.get('file')}:{e.get('line')})[/]",
                  highlight=False)
    for t in tl["targets"]:
        out.print(f"  objetivo: {t.get('law_key') or '(sin clave)'} «{t.get('law_raw') or ''}» arts. {', '.join(t.get('articles') or []) or '—'}",
                  highlight=False)


def _print_decree_changes(store, law: str, day: str, json_: bool) -> None:
    from datetime import date as _date

    from lawgraph.graph.amendments import decree_changes

    try:
        _date.fromisoformat(day)
    except ValueError:
        err.print(f"[red]Error:[/] fecha inválida {day!r}: se espera AAAA-MM-DD")
        raise typer.Exit(code=2)
    ops, changes, others = decree_changes(store, law, day)
    if not ops:
        err.print(f"No hay operaciones del decreto del {day} sobre {law.upper()} en el grafo.")
        raise typer.Exit(code=1)
    if json_:
        _print_json({"law": law.upper(), "dof_date": day, "decree": ops[0]["decree_id"], "title": ops[0]["title"],
                     "articles": changes, "other_operations": others})
        return
    out.print(f"[bold]{ops[0]['title'][:200]}[/]", highlight=False)
    for o in others:
        out.print(f"  · {o['op']}: {o['text']}", highlight=False)
    for c in changes:
        opstr = "; ".join(f"{o['op']} {o['text']}" for o in c["operations"])
        out.print(f"\n[bold]art. {c['article']}[/] — {opstr}", highlight=False)
        out.print(f"  [red]antes ({c['before_version'] or 'sin versión'}):[/] {(c['before'] or '—')[:500]}", highlight=False)
        out.print(f"  [green]después ({c['after_version'] or 'sin versión'}):[/] {(c['after'] or '—')[:500]}", highlight=False)


# Recommendations, suggestions, links and their review (issue 4) live in their own module.
from lawgraph.cli_links import register as _register_links  # noqa: E402

_register_links(app)

from lawgraph.cli_eval_links import register as _register_eval_links  # noqa: E402

_register_eval_links(eval_app)
from lawgraph.cli_history import register as _register_history  # noqa: E402

_register_history(eval_app)

from lawgraph.cli_states import register as _register_states  # noqa: E402  (issue 11)

_register_states(app, eval_app)

from lawgraph.cli_journal import register as _register_journal  # noqa: E402
from lawgraph.cli_links import journal_app as _journal_app  # noqa: E402

_register_journal(_journal_app)


# --------------------------------------------------------------------------------------------- build
@app.command()
def build(
    steps: Annotated[Optional[list[str]], typer.Option("--step", help="Solo estos pasos: laws, history, process, recommendations, journal, links, equivalences.")] = None,
    no_links: Annotated[bool, typer.Option("--no-links", help="Omitir el enlazador (el paso más lento).")] = False,
    staged: StagedOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Construye todo el grafo desde el corpus: leyes, historia de la Constitución, iniciativas, recomendaciones, diario y vínculos. Repetirlo no cambia nada.

    Ejemplo: lawgraph build   (luego: lawgraph serve); un corpus de muchas jurisdicciones: lawgraph rebuild --staged --yes
    """
    from lawgraph.graph import open_store
    from lawgraph.steps import STEPS
    from lawgraph.steps import build as run_build

    chosen = tuple(steps) if steps else tuple(s for s in STEPS if not (no_links and s == "links"))

    try:
        with open_store() as store:
            results = run_build(store, steps=chosen, on_step=None if json_ else _print_step, staged=staged)
    except LawgraphError as exc:
        _fail(exc)
    if json_:
        _print_json({"steps": [_step_json(r) for r in results]})
    if not all(r.ok for r in results):
        raise typer.Exit(code=2)


from lawgraph.cli_users import app as _users_app  # noqa: E402  accounts that may write (issue 13)
app.add_typer(_users_app, name="user")
from lawgraph.cli_search import register as _register_search  # noqa: E402  (issue 12 point 3)
_register_search(app)

from lawgraph.cli_neo4j import register as _register_neo4j  # noqa: E402

_register_neo4j(app)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
