"""CLI commands for recommendations, suggestions, link candidates and their review.

Registered on the main app by :func:`register`. Human input (suggestions, imported
recommendations, review decisions) is written to the journal before the graph, so that
``lawgraph rebuild`` (drop the graph, ingest, replay the journal) gives it back.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from lawgraph.cli_common import JsonOpt, StagedOpt, _fail, _print_json, _print_step, _step_json, err, out
from lawgraph.errors import ConfigError, InputError, LawgraphError
from lawgraph.ingest.recommendations import suggestion_from_values

recs_app = typer.Typer(help="Recomendaciones de órganos de la ONU y otros: importar, listar, ver.", no_args_is_help=True)
suggest_app = typer.Typer(help="Sugerencias de la sociedad civil: importar, añadir, listar, ver.", no_args_is_help=True)
review_app = typer.Typer(help="Revisión de vínculos: confirmar, rechazar, listar.", no_args_is_help=True)
journal_app = typer.Typer(help="El diario de lo que escriben las personas (sugerencias, revisiones).", no_args_is_help=True)


def _journal():
    from lawgraph.journal import default_journal

    return default_journal()


def _print_import(rep, what: str, load, json_: bool) -> None:
    if json_:
        _print_json({"file": rep.file, "imported": len(rep.items), "errors": [
            {"row": e.row, "message": e.message} for e in rep.errors], "warnings": rep.warnings,
            "inserted": load.total("inserted") if load else 0, "updated": load.total("updated") if load else 0,
            "unchanged": load.total("unchanged") if load else 0})
    else:
        for w in rep.warnings:
            out.print(f"[yellow]aviso:[/] {w}", highlight=False)
        for e in rep.errors:
            err.print(f"[red]✗[/] {rep.file}: {e}", highlight=False)
        out.print(f"{rep.file}: {len(rep.items)} {what} importadas"
                  + (f" ({load.summary()})" if load else "") + f"; {len(rep.errors)} filas rechazadas.",
                  highlight=False)
    if rep.errors:
        raise typer.Exit(code=2)


# ------------------------------------------------------------------------------ ingest-recs
def ingest_recs(
    mirror: Annotated[Path | None, typer.Option(help="Carpeta del corpus (por omisión ../shared/corpora).")] = None,
    json_: JsonOpt = False,
) -> None:
    """Carga las recomendaciones del corpus (CLADEM: CEDAW CO/6, CO/7-8 y otros órganos; EPU: CSV y PDF) en el grafo.

    Ejemplo: lawgraph ingest-recs --json
    """
    from lawgraph.config import default_mirror
    from lawgraph.graph import open_store
    from lawgraph.steps import ingest_recommendations

    where = mirror or default_mirror()
    if where is None or not (Path(where) / "un_recommendations").is_dir():
        err.print(f"[red]Error:[/] {where}: no contiene un_recommendations/ (use --mirror)", highlight=False)
        raise typer.Exit(code=2)
    try:
        with open_store() as store:
            res = ingest_recommendations(store, Path(where), _journal())
    except LawgraphError as exc:
        _fail(exc)
    recs, rep, pruned, kept, replayed = res.recs, res.report, res.pruned, res.kept, res.replay
    by_body = res.by_body()
    if json_:
        _print_json({"recommendations": len(recs), "by_body": by_body, "inserted": rep.total("inserted"),
                     "updated": rep.total("updated"), "unchanged": rep.total("unchanged"),
                     "relationships_created": rep.relationships_created, "warnings": rep.warnings,
                     "deleted": pruned, "stale_kept_for_reviews": kept,
                     "decisions_replayed": replayed.decisions, "seconds": round(rep.seconds, 3)})
        return
    out.print(f"{len(recs)} recomendaciones: {rep.summary()}, {pruned} eliminadas (ya no se leen).", highlight=False)
    for k in kept:
        out.print(f"  [yellow]aviso:[/] {k} ya no se lee del corpus pero tiene vínculos revisados: se conserva",
                  highlight=False)
    out.print("  " + ", ".join(f"{b}: {n}" for b, n in sorted(by_body.items())), highlight=False)
    for w in rep.warnings[:10]:
        out.print(f"  [yellow]aviso:[/] {w}", highlight=False)


# ------------------------------------------------------------------------------------ recs
@recs_app.command("import")
def recs_import(
    file: Annotated[Path, typer.Argument(help="CSV, JSON o JSONL en el formato de docs/import_formats.md.")],
    json_: JsonOpt = False,
) -> None:
    """Importa recomendaciones de cualquier otra fuente; las filas con errores se indican y el resto se importa.

    Ejemplo: lawgraph recs import cedaw_co9.csv
    """
    from lawgraph.steps import import_recommendations

    _import(import_recommendations, file, "recomendaciones", json_)


def _import(step, file: Path, what: str, json_: bool) -> None:
    """Run an import step of lawgraph.steps on the configured store and report it."""
    from lawgraph.graph import open_store

    try:
        with open_store() as store:
            rep, load = step(store, file, _journal())
    except LawgraphError as exc:
        _fail(exc)
    _print_import(rep, what, load, json_)


@recs_app.command("list")
def recs_list(
    body: Annotated[str | None, typer.Option(help="Órgano: CEDAW, UPR, CCPR …")] = None,
    document: Annotated[str | None, typer.Option(help="Símbolo del documento, p. ej. CEDAW/C/MEX/CO/7-8.")] = None,
    q: Annotated[str | None, typer.Option("--q", help="Frase que debe contener el texto.")] = None,
    limit: Annotated[int, typer.Option(help="Máximo de filas.")] = 50,
    json_: JsonOpt = False,
) -> None:
    """Lista recomendaciones con cuántos vínculos tienen (todos y confirmados).

    Ejemplo: lawgraph recs list --document CEDAW/C/MEX/CO/7-8 --q feminicidio
    """
    from lawgraph.graph import open_store
    from lawgraph.graph.views import recommendation_rows

    try:
        with open_store() as store:
            rows = recommendation_rows(store, body=body, document=document, q=q, limit=limit)
    except LawgraphError as exc:
        _fail(exc)
    if json_:
        _print_json({"recommendations": [r.model_dump(mode="json") for r in rows]})
        return
    for r in rows:
        out.print(f"[bold]{r.id}[/] ({r.body}, {r.year or '—'}, {r.language}) "
                  f"vínculos {r.links}, confirmados {r.confirmed}\n  {(r.text or '')[:160]}", highlight=False)


@recs_app.command("show")
def recs_show(
    rec_id: Annotated[str, typer.Argument(help='Id de la recomendación, p. ej. "CEDAW/C/MEX/CO/7-8 para 14".')],
    json_: JsonOpt = False,
) -> None:
    """Muestra una recomendación con sus disposiciones candidatas y confirmadas (puntuación, evidencia, fuente).

    Ejemplo: lawgraph recs show "CEDAW/C/MEX/CO/7-8 para 14" --json
    """
    from lawgraph.graph import open_store
    from lawgraph.recommendation_page import recommendation_page

    try:
        with open_store() as store:
            view = recommendation_page(store, rec_id)
    except LawgraphError as exc:
        _fail(exc)
    if view is None:
        err.print(f"[red]Error:[/] no existe la recomendación {rec_id!r}", highlight=False)
        raise typer.Exit(code=1)
    view = view.model_dump(mode="json")
    if json_:
        _print_json(view)
        return
    out.print(f"[bold]{view['id']}[/] — {view['body']}, {view.get('year') or '—'} ({view['language']})", highlight=False)
    out.print(view.get("recommendation_part") or view["text"], highlight=False)
    if view.get("text_es"):
        out.print(f"[dim]{view['text_es_note']}[/]\n{view['text_es']}", highlight=False)
    if view.get("candidate_note"):
        out.print(view["candidate_note"], highlight=False)
    _print_links(view["links"])


@recs_app.command("provision")
def recs_provision(
    ref: Annotated[str, typer.Argument(help='Referencia ("CPF art 325", "artículo 4o. constitucional") o id de la disposición.')],
    json_: JsonOpt = False,
) -> None:
    """Lista las recomendaciones y sugerencias vinculadas a una disposición (o a sus fracciones), confirmadas primero.

    Ejemplo: lawgraph recs provision "CPF art 325"
    """
    from lawgraph.graph import open_store
    from lawgraph.provisions import provision_links

    try:
        with open_store() as store:
            rows = provision_links(store, ref)
    except LawgraphError as exc:
        _fail(exc)
    if json_:
        _print_json({"provision": ref, "links": rows})
        return
    if not rows:
        out.print(f"Ninguna recomendación ni sugerencia vinculada a {ref}.", highlight=False)
    for lk in rows:
        who = lk.get("organisation") or lk["from_id"]
        out.print(f"[{_STATUS_ES.get(lk['status'], lk['status'])}] {who} → {lk['to_id']}  {lk['score']:.3f}\n"
                  f"  {(lk.get('from_text') or '')[:200]}", highlight=False)


def _print_links(links: list[dict]) -> None:
    if not links:
        out.print("Sin vínculos (ejecute: lawgraph link).")
    for lk in links:
        src = lk.get("source") or {}
        out.print(f"  [{_STATUS_ES.get(lk['status'], lk['status'])}] {lk['id']}  {lk['to_id']}  "
                  f"puntuación {lk['score']:.3f} ({lk['method']})"
                  + (f"  · {src.get('file')} p. {src.get('page')}, versión {src.get('version_date')}" if src.get("file") else ""),
                  highlight=False)
        for sp in lk.get("evidence_to", [])[:2]:
            out.print(f"      «{sp.get('text', '')[:160]}»", highlight=False)
        for a in lk.get("anchors") or []:
            out.print(f"      iniciativa afín que nombró el artículo: {a.get('id')} ({a.get('date') or 's. f.'}) "
                      f"{(a.get('title') or '')[:100]}", highlight=False)
        if lk.get("decree") and lk["decree"].get("dof_date"):
            out.print(f"      decreto DOF {lk['decree']['dof_date']}", highlight=False)
        if lk.get("reviewer"):
            out.print(f"      revisó {lk['reviewer']} ({lk.get('time')}): {lk.get('reason') or ''}", highlight=False)


_STATUS_ES = {"suggested": "sugerido", "confirmed": "confirmado", "rejected": "rechazado"}


# --------------------------------------------------------------------------------- suggest
@suggest_app.command("import")
def suggest_import(
    file: Annotated[Path, typer.Argument(help="CSV, JSON o JSONL en el formato de docs/import_formats.md.")],
    json_: JsonOpt = False,
) -> None:
    """Importa sugerencias de la sociedad civil: primero al diario (duradero), luego al grafo.

    Ejemplo: lawgraph suggest import sugerencias.csv
    """
    from lawgraph.steps import import_suggestions

    _import(import_suggestions, file, "sugerencias", json_)


@suggest_app.command("add")
def suggest_add(
    org: Annotated[str, typer.Option("--org", help="Organización que hace la sugerencia.")],
    date_: Annotated[str, typer.Option("--date", help="Fecha: AAAA-MM-DD o como la escriben los documentos.")],
    text: Annotated[str, typer.Option("--text", help="Texto de la sugerencia.")],
    language: Annotated[str | None, typer.Option(help="es o en (se adivina si se omite).")] = None,
    priority_area: Annotated[str | None, typer.Option(help="Área prioritaria, p. ej. 'violencia digital'.")] = None,
    target_law: Annotated[str | None, typer.Option(help="Ley a la que se refiere, como la nombra la organización.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Añade una sugerencia: se escribe en el diario antes que en el grafo.

    Ejemplo: lawgraph suggest add --org "Observatorio Ciudadano" --date 2024-03-08 --text "Proponemos tipificar la violencia vicaria en la ley general."
    """
    from lawgraph.graph import open_store
    from lawgraph.steps import add_suggestions

    try:
        sug = suggestion_from_values(org, date_, text, language=language, priority_area=priority_area,
                              target_law=target_law)
        with open_store() as store:
            add_suggestions(store, [sug], _journal())
    except LawgraphError as exc:
        _fail(exc)
    if json_:
        _print_json(sug.model_dump(mode="json"))
    else:
        out.print(f"Sugerencia {sug.sug_id} guardada ({sug.organisation}, {sug.date}).", highlight=False)


@suggest_app.command("list")
def suggest_list(limit: Annotated[int, typer.Option(help="Máximo de filas.")] = 50, json_: JsonOpt = False) -> None:
    """Lista las sugerencias, las más recientes primero, con sus vínculos.

    Ejemplo: lawgraph suggest list --json
    """
    from lawgraph.graph import open_store
    from lawgraph.graph.views import suggestion_rows

    try:
        with open_store() as store:
            rows = suggestion_rows(store, limit=limit)
    except LawgraphError as exc:
        _fail(exc)
    if json_:
        _print_json({"suggestions": [r.model_dump(mode="json") for r in rows]})
        return
    for r in rows:
        out.print(f"[bold]{r.id}[/] {r.organisation} ({r.date}) vínculos {r.links}, "
                  f"confirmados {r.confirmed}\n  {(r.text or '')[:160]}", highlight=False)


@suggest_app.command("show")
def suggest_show(
    sug_id: Annotated[str, typer.Argument(help="Id de la sugerencia (SUG-…).")],
    json_: JsonOpt = False,
) -> None:
    """Muestra una sugerencia: si se volvió ley, en qué artículo, con qué palabras y por qué decreto (fecha DOF).

    Ejemplo: lawgraph suggest show SUG-1a2b3c4d5e6f
    """
    from lawgraph.graph import open_store
    from lawgraph.suggestion_page import suggestion_page

    try:
        with open_store() as store:
            view = suggestion_page(store, sug_id)
    except LawgraphError as exc:
        _fail(exc)
    if view is None:
        err.print(f"[red]Error:[/] no existe la sugerencia {sug_id!r}", highlight=False)
        raise typer.Exit(code=1)
    view = view.model_dump(mode="json")
    if json_:
        _print_json(view)
        return
    out.print(f"[bold]{view['id']}[/] — {view['organisation']}, {view['date']}", highlight=False)
    out.print(view["text"], highlight=False)
    if view["became_law"]:
        for lk in view["landed"]:
            _print_landing("[green]Se volvió ley[/]", lk)
    else:
        out.print("No consta (confirmado) que se haya vuelto ley.")
        for lk in view.get("possible", []):
            _print_landing("Posiblemente se volvió ley (según el enlazador, pendiente de revisión)", lk)
    if view.get("initiatives"):
        out.print("[bold]Iniciativas que retomaron la petición[/]")
        for p in view["initiatives"]:
            out.print(f"  {p.get('title')} ({p.get('date_presented')}; {p.get('chamber_es')})", highlight=False)
    _print_links(view["links"])


def _print_landing(head: str, lk: dict) -> None:
    """One landing site: the provision, the decree's DOF date and the enacted words that carry the ask."""
    dec = lk.get("decree") or {}
    out.print(f"{head}: {(lk.get('law_key') or '').upper()} art. {lk.get('article')} ({lk['to_id']})"
              + (f", por el decreto publicado en el DOF el {dec.get('dof_date')}" if dec.get("dof_date") else ""),
              highlight=False)
    for sp in (lk.get("evidence_to") or [])[:1]:
        out.print(f"  «{sp.get('text') if isinstance(sp, dict) else sp}»", highlight=False)


# ------------------------------------------------------------------------------------ link
def link(
    law: Annotated[list[Path] | None, typer.Option("--law", help="Archivo de ley a indexar (repetible); por omisión las leyes federales del corpus.")] = None,
    k: Annotated[int, typer.Option(help="Candidatos por recomendación o sugerencia.")] = 10,
    rec: Annotated[list[str] | None, typer.Option("--rec", help="Sólo estas recomendaciones o sugerencias (ids, repetible).")] = None,
    json_: JsonOpt = False,
) -> None:
    """Ejecuta el enlazador y guarda sus candidatos como vínculos 'sugeridos' (nunca aceptados); las revisiones se conservan. Los textos que el enlazador rechaza (vacíos, enormes, de idioma desconocido) se listan y el resto se enlaza.

    Ejemplo: lawgraph link --k 10 --rec "CEDAW/C/MEX/CO/7-8 para 14"
    """
    from lawgraph.graph import open_store
    from lawgraph.steps import link as run_link

    try:
        with open_store() as store:
            rep = run_link(store, laws=law or None, k=k, only=set(rec) if rec else None)
    except ImportError as exc:
        _fail(ConfigError(f"el enlazador (lawgraph.nlp.link) no está disponible: {exc}"))
    except LawgraphError as exc:
        _fail(exc)
    if json_:
        _print_json({"items": rep.items, "inserted": rep.inserted, "updated": rep.updated,
                     "unchanged": rep.unchanged, "deleted": rep.deleted, "kept_reviewed": rep.kept_reviewed,
                     "missing": rep.missing, "errors": rep.errors, "landed": rep.landed})
    else:
        out.print(f"{rep.items} enlazadas: {rep.summary()}; {rep.landed} sugerencias posiblemente convertidas en ley "
                  "(pendientes de revisión).", highlight=False)
        for e in rep.errors:
            err.print(f"[red]✗[/] {e}", highlight=False)
        if rep.missing:
            out.print(f"[yellow]aviso:[/] {len(rep.missing)} candidatos apuntan a leyes no cargadas en el grafo "
                      "(lawgraph ingest …); se guardarán al volver a enlazar.", highlight=False)


# ---------------------------------------------------------------------------------- review
def _decide(status: str, link_id: str, reviewer: str, reason: str, kind: str | None, json_: bool) -> None:
    from lawgraph.graph import open_store
    from lawgraph.steps import review_link

    try:
        with open_store() as store:
            d = review_link(store, _journal(), link_id, status, reviewer=reviewer, reason=reason, kind=kind)
    except LawgraphError as exc:
        _fail(exc)
    if json_:
        _print_json(d.model_dump(mode="json"))
    else:
        out.print(f"{link_id}: {_STATUS_ES[status]} por {d.reviewer} ({d.from_id} → {d.to_id}).", highlight=False)


ReviewerOpt = Annotated[str, typer.Option("--reviewer", help="Nombre de quien revisa (obligatorio).")]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Motivo de la decisión.")]
KindOpt = Annotated[str | None, typer.Option(
    "--kind", help="Corregir el tipo: implements, partially_implements, relevant, reuses_text.")]


@review_app.command("confirm")
def review_confirm(link_id: Annotated[str, typer.Argument(help="Id del vínculo (LINK-…).")], reviewer: ReviewerOpt,
                   reason: ReasonOpt = "", kind: KindOpt = None, json_: JsonOpt = False) -> None:
    """Confirma un vínculo (queda en el diario antes que en el grafo).

    Ejemplo: lawgraph review confirm LINK-0123456789abcdef --reviewer "Ana López" --reason "El art. 6 fr. VI recoge la recomendación"
    """
    _decide("confirmed", link_id, reviewer, reason, kind, json_)


@review_app.command("reject")
def review_reject(link_id: Annotated[str, typer.Argument(help="Id del vínculo (LINK-…).")], reviewer: ReviewerOpt,
                  reason: ReasonOpt = "", kind: KindOpt = None, json_: JsonOpt = False) -> None:
    """Rechaza un vínculo (queda en el diario antes que en el grafo).

    Ejemplo: lawgraph review reject LINK-0123456789abcdef --reviewer "Ana López" --reason "Trata otro tema"
    """
    _decide("rejected", link_id, reviewer, reason, kind, json_)


@review_app.command("list")
def review_list(
    status: Annotated[str | None, typer.Option(help="suggested, confirmed o rejected.")] = None,
    rec: Annotated[str | None, typer.Option("--rec", help="Id de una recomendación o sugerencia.")] = None,
    limit: Annotated[int, typer.Option(help="Máximo de filas.")] = 50,
    json_: JsonOpt = False,
) -> None:
    """Lista vínculos por estado y origen, mejor puntuación primero.

    Ejemplo: lawgraph review list --status suggested --rec "CEDAW/C/MEX/CO/7-8 para 14"
    """
    from lawgraph.graph import open_store
    from lawgraph.graph.views import links as read_links

    if status is not None and status not in _STATUS_ES:
        err.print(f"[red]Error:[/] estado {status!r} no válido: use suggested, confirmed o rejected", highlight=False)
        raise typer.Exit(code=2)
    try:
        with open_store() as store:
            rows = read_links(store, status=status, from_id=rec, limit=limit)
    except LawgraphError as exc:
        _fail(exc)
    if json_:
        _print_json({"links": [lk.model_dump(mode="json") for lk in rows]})
        return
    if not rows:
        out.print("Ningún vínculo.")
    for lk in rows:
        out.print(f"{lk.id}  [{_STATUS_ES.get(lk.status, lk.status)}]  {lk.from_id} → {lk.to_id}  "
                  f"{lk.score:.3f} ({lk.method})", highlight=False)


# --------------------------------------------------------------------------- journal, rebuild
@journal_app.command("replay")
def journal_replay(json_: JsonOpt = False) -> None:
    """Vuelve a aplicar al grafo lo que guarda el diario (recomendaciones importadas, sugerencias, revisiones).

    Ejemplo: lawgraph journal replay
    """
    from lawgraph.graph import open_store
    from lawgraph.steps import replay_journal

    try:
        with open_store() as store:
            rep = replay_journal(store, _journal())
    except LawgraphError as exc:
        _fail(exc)
    _print_replay(rep, json_)


def _print_replay(rep, json_: bool) -> None:
    if json_:
        _print_json({"recommendations": rep.recommendations, "suggestions": rep.suggestions,
                     "decisions": rep.decisions, "decisions_pending": rep.decisions_pending,
                     "warnings": rep.warnings})
        return
    out.print(f"Diario: {rep.recommendations} recomendaciones importadas, {rep.suggestions} sugerencias, "
              f"{rep.decisions} revisiones aplicadas, {len(rep.decisions_pending)} pendientes "
              f"(su disposición no está cargada).", highlight=False)
    for w in rep.warnings:
        out.print(f"[yellow]aviso:[/] {w}", highlight=False)


def rebuild(
    targets: Annotated[list[str] | None, typer.Argument(help="Documentos a cargar (como en ingest); todos si se omite.")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="No pedir confirmación.")] = False,
    steps: Annotated[list[str] | None, typer.Option("--step", help="Solo estos pasos: laws, history, process, recommendations, journal, links.")] = None,
    no_links: Annotated[bool, typer.Option("--no-links", help="Omitir el enlazador (el paso más lento).")] = False,
    staged: StagedOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Reconstruye el grafo entero desde cero: leyes, historia, iniciativas, recomendaciones del corpus, el diario (nada de lo escrito por personas se pierde) y vínculos. Con FalkorDB se construye aparte y se activa solo si todo salió bien; mientras tanto se sigue leyendo el grafo anterior.

    Ejemplo: lawgraph rebuild --yes
    """
    from lawgraph.graph import open_store
    from lawgraph.steps import STEPS
    from lawgraph.steps import rebuild as run_rebuild

    chosen = tuple(steps) if steps else tuple(s for s in STEPS if not (no_links and s == "links"))
    if not yes and not typer.confirm("Se reemplazará todo el grafo por uno reconstruido (el diario se conserva). ¿Continuar?"):
        raise typer.Exit(code=1)
    try:
        with open_store() as store:
            results = run_rebuild(store, targets=list(targets or []), steps=chosen, journal=_journal(),
                                  on_step=None if json_ else _print_step, staged=staged)
    except LawgraphError as exc:
        _fail(exc)
    if json_:
        _print_json({"steps": [_step_json(r) for r in results]})
    if not all(r.ok for r in results):
        raise typer.Exit(code=2)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main ``lawgraph`` app."""
    app.command("ingest-recs")(ingest_recs)
    app.command("link")(link)
    app.command("rebuild")(rebuild)
    app.add_typer(recs_app, name="recs")
    app.add_typer(suggest_app, name="suggest")
    app.add_typer(review_app, name="review")
    app.add_typer(journal_app, name="journal")
