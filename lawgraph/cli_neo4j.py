"""CLI: moving the graph between stores (`lawgraph export`, `lawgraph import`) and the project's
local Neo4j (`lawgraph neo4j start | stop | status`). Registered by :func:`register`."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lawgraph.cli_common import JsonOpt, _fail, _in_store, _print_json, out
from lawgraph.errors import LawgraphError

neo4j_app = typer.Typer(help="El Neo4j local del proyecto (LAWGRAPH_BACKEND=neo4j sin NEO4J_URI).",
                        no_args_is_help=True)


def _summary(report, json_: bool, verb: str) -> None:
    if json_:
        _print_json({"nodes": report.nodes, "relationships": report.relationships, "files": report.files})
        return
    out.print(f"{verb} {sum(report.nodes.values())} nodos y {sum(report.relationships.values())} "
              "relaciones.", highlight=False)
    for f in report.files:
        out.print(f"  {f}", highlight=False)


def export_cmd(
    dest: Annotated[Path, typer.Argument(help="Carpeta de salida (se crea si no existe).")],
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv (neo4j-admin) o both.")] = "both",
    json_: JsonOpt = False,
) -> None:
    """Exporta todo el grafo como líneas JSON (graph.jsonl) y/o CSV de «neo4j-admin database import».

    Ejemplo: lawgraph export respaldo/ --format both
    """
    from lawgraph.graph.transfer import ExportReport, export_admin_csv, export_jsonl

    if fmt not in ("jsonl", "csv", "both"):
        _fail(LawgraphError(f"--format {fmt!r} no es válido: use jsonl, csv o both"))

    def run(store) -> ExportReport:
        report = ExportReport()
        if fmt in ("jsonl", "both"):
            report = export_jsonl(store, dest / "graph.jsonl")
        if fmt in ("csv", "both"):
            files = report.files
            report = export_admin_csv(store, dest / "csv")
            report.files = files + report.files
        return report

    _summary(_in_store(run), json_, "Exportados")


def import_cmd(
    source: Annotated[Path, typer.Argument(help="graph.jsonl de «lawgraph export» (o su carpeta).")],
    replace: Annotated[bool, typer.Option("--replace", help="Vaciar antes el grafo de destino.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Carga una exportación JSON lines en el almacén configurado (FalkorDB o Neo4j).

    Ejemplo: LAWGRAPH_BACKEND=neo4j lawgraph import respaldo/graph.jsonl
    """
    from lawgraph.graph.transfer import import_jsonl

    path = source / "graph.jsonl" if source.is_dir() else source
    _summary(_in_store(import_jsonl, path, replace=replace), json_, "Importados")


def _server():
    from lawgraph.config import get_settings
    from lawgraph.graph.neo4j_server import LocalNeo4j

    return LocalNeo4j(get_settings().home)


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Inicia el Neo4j local en el directorio de datos (queda en marcha hasta «neo4j stop»).

    Ejemplo: lawgraph neo4j start
    """
    server = _server()
    try:
        server.start()
    except LawgraphError as exc:
        _fail(exc)
    out.print(f"Neo4j en marcha (pid {server.pid}, {server.uri}).", highlight=False)


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Detiene el Neo4j local guardando sus datos.

    Ejemplo: lawgraph neo4j stop
    """
    server = _server()
    if not server.attach():
        out.print("Neo4j no estaba en marcha.")
        return
    server.stop()
    out.print("Neo4j detenido.")


@neo4j_app.command("status")
def neo4j_status(json_: JsonOpt = False) -> None:
    """Dice si el Neo4j local está en marcha, dónde escucha y dónde guarda sus datos.

    Ejemplo: lawgraph neo4j status --json
    """
    server = _server()
    running = server.attach()
    info = {"running": running, "pid": server.pid, "uri": server.uri, "data_dir": str(server.dir)}
    if json_:
        _print_json(info)
    else:
        out.print(("En marcha · " + str(server.uri) if running else "Detenido")
                  + f" · datos en {server.dir}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add export, import and the neo4j group to the main CLI."""
    app.command("export")(export_cmd)
    app.command("import")(import_cmd)
    app.add_typer(neo4j_app, name="neo4j")
