"""Build the whole graph from the corpus: the main job behind `make serve` and `lawgraph build`.

Steps, each idempotent (a second build changes nothing and says so) and each on its own, so
one missing source does not stop the others:

1. laws          every law document of the manifests, one per version (`ingest --all`), with
                 decree operations, reform-note links and validity
2. history       the Constitution's article history rebuilt from its decree diffs
3. process       the SITL snapshot of initiatives (proposals, events, committees, targets)
4. recommendations  UN treaty-body and UPR recommendations of the corpus
5. journal       what people wrote (suggestions, review decisions) replayed from the journal
6. links         candidate links from recommendations and suggestions to provisions
                 (suggested only; reviewed links are kept)
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from lawgraph.config import Settings, get_settings
from lawgraph.errors import LawgraphError

STEPS = ("laws", "history", "process", "recommendations", "journal", "links")


@dataclass
class StepResult:
    name: str
    ok: bool
    seconds: float
    summary: str
    details: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # kept, not failures (e.g. titles without a target)


def _mirror_dir(settings: Settings, *parts: str) -> Path | None:
    if settings.mirror is None:
        return None
    p = settings.mirror.joinpath(*parts)
    return p if p.exists() else None


def _laws(store, settings: Settings) -> StepResult:
    from lawgraph.ingestion import ingest_job, plan_jobs

    jobs, pre = plan_jobs([], all_docs=True, settings=settings)
    outcomes = list(pre) + [ingest_job(store, j) for j in jobs]
    loaded = [o for o in outcomes if o.report is not None]
    unchanged = sum(1 for o in loaded if o.report.unchanged_document)
    errors = [o.error for o in outcomes if o.error]
    return StepResult("laws", not errors, 0.0,
                      f"{len(loaded)} versiones de ley ({unchanged} sin cambios), {len(errors)} con error",
                      {"loaded": len(loaded), "unchanged": unchanged}, errors)


def _history(store, settings: Settings) -> StepResult:
    from lawgraph.graph.history import load_cpeum_history
    from lawgraph.ingest.cpeum_history import read_history

    d = _mirror_dir(settings, "reforms", "cpeum_git_history")
    if d is None:
        return StepResult("history", True, 0.0, "sin historial de la Constitución en el espejo (omitido)")
    hist = read_history(d)
    rep = load_cpeum_history(store, hist)
    states = sum(len(v) for v in hist.states.values())
    return StepResult("history", True, 0.0, f"{states} estados de artículos de la Constitución",
                      {"states": states, "report": str(rep)[:200]})


def _process(store, settings: Settings) -> StepResult:
    from lawgraph.graph.process import ingest_process_snapshot

    d = _mirror_dir(settings, "process", "sitl_diputados_lxvi")
    if d is None:
        return StepResult("process", True, 0.0, "sin instantánea del SITL en el espejo (omitido)")
    ing, rep = ingest_process_snapshot(store, d)
    res = StepResult("process", True, 0.0,
                     f"{ing.n_records} registros del SITL ({len(ing.problems)} avisos: títulos sin ley o artículo reconocible)",
                     {"records": ing.n_records, "unchanged": getattr(rep, "unchanged", None)})
    res.warnings = [str(e) for e in ing.problems]
    return res


def _recommendations(store, settings: Settings) -> StepResult:
    from lawgraph.graph.links import load_recommendations
    from lawgraph.ingest.recommendations import load_corpus_recommendations

    if _mirror_dir(settings, "un_recommendations") is None:
        return StepResult("recommendations", True, 0.0, "sin recomendaciones en el espejo (omitido)")
    recs = load_corpus_recommendations(settings.mirror)
    load_recommendations(store, recs)
    return StepResult("recommendations", True, 0.0, f"{len(recs)} recomendaciones", {"recommendations": len(recs)})


def _journal(store, settings: Settings) -> StepResult:
    from lawgraph.graph.links import replay_journal
    from lawgraph.journal import default_journal

    rep = replay_journal(store, default_journal())
    return StepResult("journal", True, 0.0,
                      f"diario: {rep.suggestions} sugerencias, {rep.decisions} revisiones",
                      {"suggestions": rep.suggestions, "decisions": rep.decisions})


def _links(store, settings: Settings) -> StepResult:
    try:
        from lawgraph.graph.links import run_linker
    except ImportError:
        return StepResult("links", True, 0.0, "enlazador no disponible (omitido)")
    rep = run_linker(store)
    errors = [str(e) for e in getattr(rep, "errors", [])]
    return StepResult("links", True, 0.0, rep.summary(),
                      {"items": rep.items, "inserted": rep.inserted, "landed": rep.landed}, errors[:50])


_RUNNERS: dict[str, Callable] = {
    "laws": _laws, "history": _history, "process": _process,
    "recommendations": _recommendations, "journal": _journal, "links": _links,
}


def build(store, *, steps: tuple[str, ...] = STEPS, settings: Settings | None = None,
          on_step: Callable[[StepResult], None] | None = None) -> list[StepResult]:
    """Run the build steps in order on an open store; a failing step is reported, not raised."""
    settings = settings or get_settings()
    results = []
    for name in steps:
        if name not in _RUNNERS:
            raise LawgraphError(f"paso desconocido {name!r}: use {', '.join(STEPS)}")
        t0 = time.perf_counter()
        try:
            res = _RUNNERS[name](store, settings)
        except LawgraphError as exc:
            res = StepResult(name, False, 0.0, "falló", errors=[str(exc)])
        res.seconds = time.perf_counter() - t0
        results.append(res)
        if on_step is not None:
            on_step(res)
    return results
