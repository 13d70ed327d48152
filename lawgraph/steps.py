"""The one orchestration module: every road from a document to the graph runs through here.

Each step reads its sources with ``ingest/``, turns them into operations, references or link
candidates with ``nlp/`` and writes the result with ``graph/``, in that order; nothing below
this module calls a layer above it. ``lawgraph build`` runs the steps in order, and every
single-step command (``ingest``, ``ingest-history``, ``ingest-process``, ``ingest-recs``,
``link``, ``journal replay``, ``rebuild``) calls the same function as the build, so each step
exists once.

Steps of a build, each idempotent (a second build changes nothing and says so) and each on
its own, so one missing source does not stop the others:

1. laws             every law document of the manifests, one per version (``ingest --all``),
                    with decree operations, reform-note links and validity
2. history          the Constitution's article history rebuilt from its decree diffs
3. process          the SITL snapshot of initiatives (proposals, events, committees, targets)
4. recommendations  UN treaty-body and UPR recommendations of the corpus; recommendations the
                    readers no longer produce (and no person imported) are pruned
5. journal          what people wrote (suggestions, review decisions) replayed from the journal
6. links            candidate links from recommendations and suggestions to provisions
                    (suggested only; reviewed links are kept)
7. equivalences     candidate equivalences between articles of different jurisdictions, read
                    from the stored provisions (suggested only; reviewed ones are kept)
"""
from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from lawgraph import corpus
from lawgraph.config import Settings, get_settings, missing_mirror_message
from lawgraph.errors import InputError, LawgraphError
from lawgraph.graph.write import ImportReport
from lawgraph.ingestion import Job, Outcome, law_documents, plan_jobs
from lawgraph.pipeline import meta_for, parse_file

STEPS = ("laws", "history", "process", "recommendations", "journal", "links", "equivalences")

# A new version of a known law with fewer than this share of the articles of the stored version
# it replaces (or follows) is refused unless forced. Real consecutive versions keep their article
# count (repealed articles stay printed as "Derogado"): share 1.000 over the corpus's 2 pairs
# (scripts/measure_version_articles.py); the partial file of issue 13 (the first 5 of LGAMVLV's
# 88 pages) has 6 of its 107 articles, share 0.056 (tests/test_replacement.py builds it). Half
# leaves room for a reform that really drops articles (a renumbering).
MIN_ARTICLE_SHARE = 0.5


@dataclass
class StepResult:
    name: str
    ok: bool
    seconds: float
    summary: str
    details: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # kept, not failures (e.g. titles without a target)
    skipped: bool = False                                # nothing to do here (no mirror, no linker): not a ✓


# ------------------------------------------------------------------------------------------ laws
def load_amendments(store, parsed, *, jurisdiction: str, kind: str, key: str):
    """Decree operations and reform-note links of a loaded version: planned by
    :func:`lawgraph.nlp.decree_plan.plan_amendments` and written by
    :func:`lawgraph.graph.amendments.write_amendments`, unless the stored ones were planned from
    this very document by this very planner (then nothing is parsed or written)."""
    from lawgraph import ids
    from lawgraph.graph.amendments import amendments_current, write_amendments
    from lawgraph.nlp.decree_plan import AMENDMENTS_VERSION, plan_amendments

    version = ids.expression_id(ids.work_id(jurisdiction, kind, key), parsed.ultima_reforma.isoformat())
    source = f"{parsed.sha256}|{AMENDMENTS_VERSION}"
    current = amendments_current(store, version, source)
    if current is not None:
        return current
    plan = plan_amendments(parsed, jurisdiction=jurisdiction, kind=kind, key=key)
    return write_amendments(store, plan, source=source)


def ingest_document(store, job: Job, *, extractor: str = "pdfium", key: str | None = None,
                    kind: str | None = None, jurisdiction: str | None = None,
                    on_batch: Callable | None = None, force: bool = False) -> Outcome:
    """Parse one document fully, then load it with its decree operations, reform-note links,
    provision validity and proposal targets. Errors are returned, not raised, so a batch goes on.

    A new version much smaller than the stored one (or without the decree list the stored one
    has) is refused unless ``force``."""
    from lawgraph.graph import load_parsed_law
    from lawgraph.graph.history import refresh_validity
    from lawgraph.graph.process import link_provisions

    try:
        if job.doc is not None:
            got = corpus.sha256_file(job.path)
            if got != job.doc.sha256:
                raise InputError(job.path, f"sha256 {got[:12]}… no coincide con el manifiesto ({job.doc.id})")
        parsed = parse_file(job.path, extractor=extractor, profile=job.doc.profile if job.doc else None)
        meta = meta_for(job.path, parsed.sha256, key=key, kind=kind, jurisdiction=jurisdiction)
        if not force:
            check_replacement(store, parsed, job.path, jurisdiction=meta.jurisdiction, kind=meta.kind, key=meta.key)
        report = load_parsed_law(store, parsed, jurisdiction=meta.jurisdiction, kind=meta.kind,
                                 key=meta.key, title=meta.title, on_batch=on_batch)
        am = load_amendments(store, parsed, jurisdiction=meta.jurisdiction, kind=meta.kind, key=meta.key)
        refresh_validity(store, meta.key)
        # Proposals loaded before this law now reach its articles.
        link_provisions(store, report.law_id)
        # Clauses that could not be read are reported with the decree and the offending text.
        report.warnings.extend(am.problems)
        return Outcome(job, report=report, extra={
            "pages": parsed.pages, "articles": len(parsed.articles), "operations": am.operations,
            "operations_resolved": am.resolved, "note_links": am.note_links,
            "unmatched_notes": am.unmatched_notes})
    except LawgraphError as exc:
        return Outcome(job, error=str(exc))


def check_replacement(store, parsed, path, *, jurisdiction: str, kind: str, key: str) -> None:
    """Refuse (InputError, in Spanish, saying what is missing) a new version of a known law that
    is far less complete than the stored version it would replace or follow: fewer than
    MIN_ARTICLE_SHARE of its articles, or no reform-decree list where the stored one has one.
    The same document again, a first version, or an older one than every stored one pass."""
    from lawgraph import ids
    from lawgraph.graph.load import replaced_version

    if parsed.ultima_reforma is None:
        return                       # the loader refuses it with its own message
    work = ids.work_id(jurisdiction, kind, key)
    day = parsed.ultima_reforma.isoformat()
    old = replaced_version(store, work, day)
    if old is None or old.get("sha256") == parsed.sha256:
        return
    what = "reemplazaría a" if old["date"] == day else "sucedería a"
    missing = []
    n_new, n_old = len(parsed.articles), int(old["articles"] or 0)
    if n_old and n_new < MIN_ARTICLE_SHARE * n_old:
        missing.append(f"tiene {n_new} artículos y la versión guardada {old['id']} tiene {n_old}")
    dated = sum(1 for d in parsed.decrees if d.dof_date or d.notified_date)
    if int(old["decrees"] or 0) and not dated:
        missing.append(f"no trae la lista de decretos de reforma (la versión guardada lista {old['decrees']})")
    if missing:
        raise InputError(path, f"la versión {ids.expression_id(work, day)} {what} una más completa: "
                               + "; ".join(missing) + ". ¿Documento incompleto? No se cargó nada; "
                               "use --force para cargarla de todos modos.")


def ingest_documents(store, targets: list[str], *, all_docs: bool, settings: Settings | None = None,
                     on_job: Callable[[Job], Callable | None] | None = None,
                     on_outcome: Callable[[Outcome], None] | None = None, **options: Any) -> list[Outcome]:
    """Plan (files, manifests, ids; ``all_docs`` for every law of the manifests) and ingest each
    document with :func:`ingest_document`. Unresolvable targets and skipped documents come first
    in the result. ``on_job(job)`` may return a per-batch progress hook for that job."""
    jobs, pre = plan_jobs(list(targets), all_docs=all_docs, settings=settings)
    outcomes = list(pre)
    for job in jobs:
        hook = on_job(job) if on_job is not None else None
        o = ingest_document(store, job, on_batch=hook, **options)
        outcomes.append(o)
        if on_outcome is not None:
            on_outcome(o)
    return outcomes


def _laws(store, settings: Settings) -> StepResult:
    missing = missing_mirror_message(settings.mirror)
    if missing:
        return StepResult("laws", True, 0.0, f"omitido: {missing}", skipped=True)
    return _laws_result(ingest_documents(store, [], all_docs=True, settings=settings))


def _laws_result(outcomes: list[Outcome]) -> StepResult:
    loaded = [o for o in outcomes if o.report is not None]
    unchanged = sum(1 for o in loaded if o.report.unchanged_document)
    errors = [o.error for o in outcomes if o.error]
    return StepResult("laws", not errors, 0.0,
                      f"{len(loaded)} versiones de ley ({unchanged} sin cambios), {len(errors)} con error",
                      {"loaded": len(loaded), "unchanged": unchanged}, errors)


# --------------------------------------------------------------------------------------- history
def ingest_history(store, directory: Path):
    """Rebuild the Constitution's article history from the decree diffs in ``directory`` and
    load it as historical versions. Returns (history read, load report)."""
    from lawgraph.graph.history import load_cpeum_history
    from lawgraph.ingest.cpeum_history import read_history

    hist = read_history(directory)
    return hist, load_cpeum_history(store, hist)


def _mirror_dir(settings: Settings, *parts: str) -> Path | None:
    if settings.mirror is None:
        return None
    p = settings.mirror.joinpath(*parts)
    return p if p.exists() else None


def _skipped(name: str, settings: Settings, what: str) -> StepResult:
    """A skipped step: 'omitido: …' naming the missing mirror folder when that is why, else ``what``."""
    return StepResult(name, True, 0.0, f"omitido: {missing_mirror_message(settings.mirror) or what}", skipped=True)


def _history(store, settings: Settings) -> StepResult:
    d = _mirror_dir(settings, "reforms", "cpeum_git_history")
    if d is None:
        return _skipped("history", settings, "sin historial de la Constitución en el espejo")
    hist, rep = ingest_history(store, d)
    states = sum(len(v) for v in hist.states.values())
    return StepResult("history", True, 0.0, f"{states} estados de artículos de la Constitución",
                      {"states": states, "report": str(rep)[:200]})


# --------------------------------------------------------------------------------------- process
def ingest_process(store, directory: Path, snapshot: str | None = None, sil_directory: Path | None = None):
    """Read a SITL snapshot directory (records file and raw pages) and, when given, the SIL
    instruments of ``sil_directory`` joined to them (:mod:`lawgraph.nlp.sil_join`), and load
    them as one snapshot. Returns (what was read, load report, join report or None). Reading and loading run with the cyclic garbage collector paused: they only
    build acyclic objects that live to the end, and the collector's rescans cost ~40 % of the
    reading (measured when this lived in graph/process.py, see its git history)."""
    from lawgraph.ingest.sitl import ingest_snapshot

    directory = Path(directory)
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        ing = ingest_snapshot(directory)
        proposals, problems, n_records, join_rep = ing.proposals, list(ing.problems), ing.n_records, None
        if sil_directory is not None:
            from lawgraph.ingest.sil import ingest_sil, to_proposal
            from lawgraph.nlp.sil_join import join

            sil = ingest_sil(sil_directory)
            proposals, join_rep = join(proposals, [to_proposal(i) for i in sil.instruments])
            problems += sil.problems
            n_records += sil.n_records
        rep = load_proposals(store, proposals, snapshot=snapshot or directory.name,
                             problems=problems, n_records=n_records)
    finally:
        if gc_was_enabled:
            gc.enable()
    return ing, rep, join_rep


def load_proposals(store, proposals: list, *, snapshot: str = "sitl-diputados-lxvi",
                   problems: list[str] | None = None, n_records: int = 0):
    """Plan proposals (:func:`lawgraph.nlp.process_plan.plan_proposals`) and write them as one
    snapshot (:func:`lawgraph.graph.process.write_proposals`), with the cyclic garbage collector
    paused: tens of thousands of small objects that all live to the end would be rescanned
    again and again (the reason the loader pauses it too)."""
    from lawgraph.graph.process import write_proposals
    from lawgraph.nlp.process_plan import plan_proposals

    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        t0 = time.perf_counter()
        plan = plan_proposals(proposals, snapshot)
        rep = write_proposals(store, plan, snapshot=snapshot, problems=problems, n_records=n_records)
        rep.seconds = time.perf_counter() - t0
        return rep
    finally:
        if gc_was_enabled:
            gc.enable()


def _process(store, settings: Settings) -> StepResult:
    d = _mirror_dir(settings, "process", "sitl_diputados_lxvi")
    if d is None:
        return _skipped("process", settings, "sin instantánea del SITL en el espejo")
    ing, rep, join = ingest_process(store, d, sil_directory=_mirror_dir(settings, "process", "semaforo-legislativo"))
    msg = f"{ing.n_records} registros del SITL ({len(ing.problems)} avisos: títulos sin ley o artículo reconocible)"
    if join is not None:
        msg += f"; {join.summary()}"
    res = StepResult("process", True, 0.0, msg,
                     {"records": ing.n_records, "unchanged": rep.unchanged,
                      "sil": None if join is None else {"instruments": join.instruments, "iniciativas": join.iniciativas,
                                                        "joined": join.joined, "unjoined": join.unjoined}})
    res.warnings = [str(e) for e in ing.problems]
    return res


# ------------------------------------------------------------------------------- recommendations
@dataclass
class RecsOutcome:
    """What :func:`ingest_recommendations` did."""

    recs: list                     # the corpus recommendations read
    report: Any                    # lawgraph.graph.links.RecsLoadReport
    pruned: int                    # recommendations deleted (no reader produces them any more)
    kept: list[str]                # stale ones kept because a person reviewed their links
    replay: ReplayReport | None    # None when not replayed

    def by_body(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.recs:
            out[r.body] = out.get(r.body, 0) + 1
        return out


def ingest_recommendations(store, mirror: Path, journal=None, *, replay: bool = True) -> RecsOutcome:
    """Load the corpus recommendations of ``mirror``, prune those no reader produces any more
    (unless a person imported them or reviewed their links), then replay the journal so that
    decisions about links of these recommendations, recorded before a rebuild, come back
    (``replay=False`` in a build, whose journal step follows)."""
    from lawgraph.graph.links import load_recommendations, prune_recommendations
    from lawgraph.ingest.recommendations import load_corpus_recommendations

    journal = _journal_or_default(journal)
    recs = load_corpus_recommendations(mirror)
    user = {r.data.get("rec_id") for r in journal.replay("recommendation")}
    rep = load_recommendations(store, recs)
    pruned, kept = prune_recommendations(store, {r.rec_id for r in recs} | user)
    replayed = replay_journal(store, journal) if replay else None
    return RecsOutcome(recs, rep, pruned, kept, replayed)


def _journal_or_default(journal):
    """The journal given, else the default one. Not ``journal or …``: a Journal with no record
    yet has length 0 and is falsy, and must still be the one written."""
    from lawgraph.journal import default_journal

    return journal if journal is not None else default_journal()


def _recommendations(store, settings: Settings) -> StepResult:
    if _mirror_dir(settings, "un_recommendations") is None:
        return _skipped("recommendations", settings, "sin recomendaciones en el espejo")
    res = ingest_recommendations(store, settings.mirror, replay=False)
    return StepResult("recommendations", True, 0.0,
                      f"{len(res.recs)} recomendaciones, {res.pruned} eliminadas (ya no se leen)",
                      {"recommendations": len(res.recs), "deleted": res.pruned, "stale_kept_for_reviews": res.kept})


# --------------------------------------------------------------------------------------- journal
@dataclass
class ReplayReport(ImportReport):
    """What :func:`replay_journal` re-applied: records per kind, the node counts of the loads
    it made, and the decisions whose link ends are not in the graph (yet)."""

    recommendations: int = 0
    suggestions: int = 0
    decisions: int = 0
    decisions_pending: list[str] = field(default_factory=list)


def replay_journal(store, journal=None) -> ReplayReport:
    """Re-apply every durable human input to the graph: imported recommendations and
    suggestions (latest record per id), then review decisions (latest per link). Idempotent;
    run after a rebuild or re-ingest. A record the graph rejects is quarantined
    (:meth:`lawgraph.journal.Journal.quarantine`) and the rest go on."""
    from lawgraph.graph.links import apply_decision, load_recommendations, load_suggestions
    from lawgraph.journal import apply_or_quarantine, latest_records

    journal = _journal_or_default(journal)
    rep = ReplayReport()

    def load(loader):
        def apply(batch):
            rep.absorb(loader(store, batch))
        return apply

    rep.recommendations = len(apply_or_quarantine(
        journal, latest_records(journal, "recommendation").values(), load(load_recommendations)))
    rep.suggestions = len(apply_or_quarantine(
        journal, latest_records(journal, "suggestion").values(), load(load_suggestions)))
    for rec, d in latest_records(journal, "review").values():
        try:
            applied = apply_decision(store, d)
        except LawgraphError as exc:
            journal.graph_rejected(rec, exc)
            continue
        if applied:
            rep.decisions += 1
        else:
            rep.decisions_pending.append(d.link_id)
    rep.warnings.extend(journal.warnings)
    return rep


def _journal(store, settings: Settings) -> StepResult:
    rep = replay_journal(store)
    res = StepResult("journal", True, 0.0,
                     f"diario: {rep.recommendations} recomendaciones importadas, {rep.suggestions} sugerencias, "
                     f"{rep.decisions} revisiones aplicadas, {len(rep.decisions_pending)} pendientes",
                     {"recommendations": rep.recommendations, "suggestions": rep.suggestions,
                      "decisions": rep.decisions, "decisions_pending": rep.decisions_pending})
    res.warnings = list(rep.warnings)
    return res


# ----------------------------------------------------------------------------------------- links
def corpus_law_files(jurisdiction: str = "mx") -> list[Path]:
    """The law files ``ingest --all`` reads, of one jurisdiction (federal by default): what
    the linker indexes when the graph holds no law version."""
    docs, _ = law_documents(corpus.load_all())
    out = []
    for d in docs:
        if d.jurisdiction != jurisdiction:
            continue
        try:
            out.append(corpus.resolve(d, verify=False))
        except LawgraphError:  # a file missing from the mirror is not linked, not fatal
            continue
    return out


def stored_units(store, cache_dir: Path | str | None = None, jurisdiction: str = "mx") -> tuple[list, dict[str, int]]:
    """The linker's units of every stored law version of a jurisdiction, read from the graph
    (:func:`lawgraph.graph.links.linkable_versions`, :func:`~lawgraph.graph.links.version_link_rows`)
    and built by :func:`lawgraph.nlp.link_units.version_units`, cached per version by its
    content hash (an unchanged version is not read again); and counts (versions, versions read)."""
    from lawgraph.graph.links import linkable_versions, version_link_rows
    from lawgraph.nlp.link_units import version_units

    cache = Path(cache_dir) if cache_dir else None
    units: list = []
    versions = linkable_versions(store, jurisdiction)
    read = 0
    for v in versions:
        got, was_read = version_units(v, lambda vid: version_link_rows(store, vid), cache)
        units.extend(got)
        read += was_read
    return units, {"versions": len(versions), "versions_read": read}


def run_linker(store, *, laws=None, k: int = 10, only: set[str] | None = None, cache_dir=None):
    """Link the stored recommendations and suggestions (or those in ``only``) with
    :mod:`lawgraph.nlp.link` against ``laws`` (ParsedLaw objects or law files; default: the
    stored provisions of every federal law version, :func:`stored_units`; the law files
    :func:`corpus_law_files` only when the graph holds no law version) and store the candidates
    (:func:`lawgraph.graph.links.store_candidates`): suggested links are replaced, reviewed ones
    kept. English recommendations get their Spanish twin from the CLADEM compilation when there
    is one, else Apertium's translation (:mod:`lawgraph.nlp.translate`). Items the linker refuses (empty, huge or unknown-language texts) are listed in
    ``report.errors`` and their stored links untouched. Returns the
    :class:`lawgraph.graph.links.LinkReport`."""
    from lawgraph.config import default_home
    from lawgraph.graph.links import store_candidates, stored_recommendations, stored_suggestions
    from lawgraph.ingest.recommendations import spanish_twins
    from lawgraph.nlp import link as linker

    all_recs = stored_recommendations(store)
    twins = spanish_twins(all_recs)
    recs = [r for r in all_recs if only is None or r.rec_id in only]
    sugs = [s for s in stored_suggestions(store) if only is None or s.sug_id in only]
    if cache_dir is None:
        cache_dir = default_home() / "cache"
    if laws is None:
        units, _counts = stored_units(store, cache_dir)
        laws = [units] if units else corpus_law_files()
    index = linker.build_index(list(laws), cache_dir=cache_dir)
    batch = linker.link_many(index, [*recs, *sugs], k=k, twins=twins)
    cands = [c for cs in batch.candidates.values() for c in cs]
    report = store_candidates(store, cands, from_ids=list(batch.candidates))
    report.errors = [f"{e.item_id}: {e.message}" for e in batch.errors]
    report.landed = sum(1 for d in batch.landed.values() if d.landed)
    report.items = len(batch.candidates)
    return report


def link(store, *, laws=None, k: int = 10, only: set[str] | None = None):
    """Run the linker over the stored recommendations and suggestions and store its candidates
    as suggested links (reviewed links are kept). Raises ImportError when the linker's optional
    dependencies are missing."""
    return run_linker(store, laws=laws, k=k, only=only)


def _links(store, settings: Settings) -> StepResult:
    try:
        rep = link(store)
    except ImportError:
        return StepResult("links", True, 0.0, "omitido: enlazador no disponible", skipped=True)
    errors = [str(e) for e in rep.errors]
    return StepResult("links", True, 0.0, rep.summary(),
                      {"items": rep.items, "inserted": rep.inserted, "landed": rep.landed}, errors[:50])


# ---------------------------------------------------------------------------------- equivalences
def link_equivalences(store, settings: Settings | None = None):
    """Rank, for every article of a state law, the best article of each other jurisdiction
    (:func:`lawgraph.nlp.equivalence.article_pairs` over the provisions read from the graph by
    :func:`lawgraph.equivalences.graph_index`) and store those that reach the calibrated
    threshold as suggested 'equivalent' links (:mod:`lawgraph.graph.equivalence_links`).
    Returns the link report."""
    from lawgraph.equivalences import graph_index
    from lawgraph.graph.equivalence_links import store_equivalences
    from lawgraph.graph.links import provision_of
    from lawgraph.model.recs import LinkCandidate, Span
    from lawgraph.nlp.equivalence import PAIR_METHOD, article_pairs

    index = graph_index(store, settings)
    states = {j for j in index.by_juris if j != "mx"}

    def spans(rows):
        return [Span(start=r["start"], end=r["end"], text=r["text"]) for r in rows]

    cands = []
    for c in article_pairs(index, states):
        # one direction per couple, whatever the ranking's: the smaller provision id is the
        # source, so the link id (and a decision recorded under it) does not depend on which
        # side scored higher in this build
        a, b, ev_a, ev_b = c.query, c.target, c.evidence_from, c.evidence_to
        if provision_of(a.unit_id)[0] > provision_of(b.unit_id)[0]:
            a, b, ev_a, ev_b = b, a, ev_b, ev_a
        src = provision_of(a.unit_id)[0]
        cands.append(LinkCandidate(link_id=LinkCandidate.make_id(src, provision_of(b.unit_id)[0]), from_id=src,
                                   to_id=b.unit_id, kind="equivalent", score=round(c.probability, 4),
                                   method=PAIR_METHOD, evidence_from=spans(ev_a), evidence_to=spans(ev_b)))
    return store_equivalences(store, cands)


def _equivalences(store, settings: Settings) -> StepResult:
    from lawgraph.graph.comparison import compared_versions

    if not compared_versions(store):
        return _skipped("equivalences", settings, "sin leyes cargadas")
    rep = link_equivalences(store, settings)
    return StepResult("equivalences", True, 0.0,
                      f"equivalencias entre jurisdicciones: {rep.inserted} nuevas, {rep.updated} actualizadas, "
                      f"{rep.unchanged} sin cambios, {rep.deleted} retiradas, {rep.kept_reviewed} revisadas conservadas",
                      {"inserted": rep.inserted, "updated": rep.updated, "deleted": rep.deleted,
                       "kept_reviewed": rep.kept_reviewed})


_RUNNERS: dict[str, Callable[[Any, Settings], StepResult]] = {
    "laws": _laws, "history": _history, "process": _process,
    "recommendations": _recommendations, "journal": _journal, "links": _links,
    "equivalences": _equivalences,
}


def build(store, *, steps: tuple[str, ...] = STEPS, settings: Settings | None = None,
          on_step: Callable[[StepResult], None] | None = None, staged: bool = False) -> list[StepResult]:
    """Run the build steps in order on an open store; a failing step is reported, not raised.

    ``staged`` (FalkorDB, empty graph only): the laws, history and process steps are written
    jurisdiction by jurisdiction into a scratch graph and the graph is created from them at once
    (:mod:`lawgraph.graph.staged`; a "bulk" step reports it); the other steps follow as usual."""
    settings = settings or get_settings()
    unknown = [s for s in steps if s not in _RUNNERS]
    if unknown:
        raise LawgraphError(f"paso desconocido {unknown[0]!r}: use {', '.join(STEPS)}")
    results = []
    if staged:
        results = _staged(store, tuple(s for s in steps if s in STAGED_STEPS), settings, on_step)
        steps = tuple(s for s in steps if s not in STAGED_STEPS)
    for name in steps:
        res = _run_step(name, store, settings)
        results.append(res)
        if on_step is not None:
            on_step(res)
    return results


def _run_step(name: str, store, settings: Settings) -> StepResult:
    """One step, timed; its LawgraphError becomes a failed result."""
    t0 = time.perf_counter()
    try:
        res = _RUNNERS[name](store, settings)
    except LawgraphError as exc:
        res = StepResult(name, False, 0.0, "falló", errors=[str(exc)])
    res.seconds = time.perf_counter() - t0
    return res


# The steps a staged build writes unit by unit: each writes nodes of one jurisdiction only.
STAGED_STEPS = ("laws", "history", "process")


def _staged(store, names: tuple[str, ...], settings: Settings,
            on_step: Callable[[StepResult], None] | None) -> list[StepResult]:
    """The steps ``names`` (of STAGED_STEPS) as a staged build of ``store``'s empty graph.

    A unit is a jurisdiction: its law documents; the federal unit also holds the Constitution's
    history and the chambers' proposals, because both are federal records (the SITL and SIL
    snapshots are the federal chambers', and they name federal laws). The federal unit goes
    last, so each step is reported when it is complete. Equality with the statement-by-statement
    build is checked on the corpus by tests/test_staged_build.py."""
    from lawgraph.catalog import FEDERAL
    from lawgraph.graph.staged import StagedBuild

    if not names:
        return []
    staged = StagedBuild(store, spill_dir=settings.home / "tmp")
    t_all = time.perf_counter()
    results: list[StepResult] = []

    def done(res: StepResult, seconds: float) -> None:
        res.seconds = seconds
        results.append(res)
        if on_step is not None:
            on_step(res)

    units: dict[str, list[Job]] = {FEDERAL: []}
    pre: list[Outcome] = []
    missing = missing_mirror_message(settings.mirror)
    if "laws" in names and not missing:
        jobs, pre = plan_jobs([], all_docs=True, settings=settings)
        for job in jobs:
            units.setdefault(job.doc.jurisdiction if job.doc is not None else FEDERAL, []).append(job)
    outcomes = list(pre)
    laws_s = 0.0
    for jurisdiction in sorted(units, key=lambda j: (j == FEDERAL, j)):
        with staged.unit(jurisdiction) as scratch:
            t0 = time.perf_counter()
            outcomes += [ingest_document(scratch, job) for job in units[jurisdiction]]
            laws_s += time.perf_counter() - t0
            if jurisdiction != FEDERAL:
                continue
            if "laws" in names:
                res = (StepResult("laws", True, 0.0, f"omitido: {missing}", skipped=True) if missing
                       else _laws_result(outcomes))
                done(res, laws_s)
            for name in ("history", "process"):
                if name in names:
                    res = _run_step(name, scratch, settings)
                    done(res, res.seconds)
    report = staged.finish()
    res = StepResult("bulk", True, 0.0,
                     f"grafo creado de una vez (GRAPH.BULK): {report.nodes} nodos y "
                     f"{report.relationships} relaciones de {len(report.units)} jurisdicciones",
                     {"units": [{"unit": u, "nodes": n, "relationships": r} for u, n, r in report.units]})
    # Its time: reading every unit back, encoding it, and the load (all but the steps' own).
    done(res, time.perf_counter() - t_all - sum(r.seconds for r in results))
    return results


def rebuild(store, *, targets: list[str] | None = None, steps: tuple[str, ...] = STEPS, journal=None,
            settings: Settings | None = None,
            on_step: Callable[[StepResult], None] | None = None, staged: bool = False) -> list[StepResult]:
    """Build the graph again from nothing with ``steps`` (all by default: laws, history, process,
    recommendations, journal, links); with ``targets`` the laws step loads those documents only.

    On a store that can swap graphs (:class:`lawgraph.graph.store.SwappableStore`, the embedded
    FalkorDB) the new graph is built beside the one readers use and swapped in only when every
    step succeeded; readers keep the old graph until then, and a failed rebuild leaves it as it
    was. The journal is then replayed once more on the new graph, for what people wrote while
    it was being built. Another backend is cleared and rebuilt in place (said in the result).
    The journal is read first: a damaged journal stops the rebuild before anything is touched.
    ``staged``: the new graph is built as :func:`build` does with ``staged`` (FalkorDB only, the
    whole corpus only; both checked before anything is touched)."""
    from lawgraph.graph.staged import require_falkordb
    from lawgraph.graph.store import SwappableStore

    journal = _journal_or_default(journal)
    list(journal.replay())
    if staged:
        require_falkordb(store)
    if staged and targets:
        raise LawgraphError("la construcción por partes (--staged) carga el corpus entero: "
                            "no admite documentos sueltos")
    swap = isinstance(store, SwappableStore)
    target = store.staging() if swap else store
    if not swap:
        store.clear()
    try:
        results = _build_from(target, targets, steps, settings, on_step, staged)
    except BaseException:
        if swap:
            target.clear()
        raise
    if not swap:
        results.append(StepResult("swap", True, 0.0, "grafo borrado y reconstruido en su lugar "
                                  "(este almacén no puede construir un grafo aparte)"))
        return results
    failed = [r.name for r in results if not r.ok]
    t0 = time.perf_counter()
    if failed:
        target.clear()
        res = StepResult("swap", False, 0.0, f"no se activó el grafo nuevo: fallaron {', '.join(failed)}; "
                         "se conserva el grafo anterior sin cambios")
    else:
        store.promote(target)
        again = replay_journal(store, journal)
        res = StepResult("swap", True, 0.0, "grafo nuevo activado; diario aplicado de nuevo "
                         f"({again.suggestions} sugerencias, {again.decisions} revisiones)")
    res.seconds = time.perf_counter() - t0
    if on_step is not None:
        on_step(res)
    return results + [res]


def _build_from(store, targets, steps, settings, on_step, staged: bool = False) -> list[StepResult]:
    """:func:`build` on an empty store, its laws step limited to ``targets`` when given."""
    if not targets or "laws" not in steps:
        return build(store, steps=steps, settings=settings, on_step=on_step, staged=staged)
    t0 = time.perf_counter()
    outcomes = ingest_documents(store, list(targets), all_docs=False, settings=settings)
    errors = [o.error for o in outcomes if o.error]
    loaded = sum(1 for o in outcomes if o.report is not None)
    first = StepResult("laws", not errors, time.perf_counter() - t0,
                       f"{loaded} versiones de ley, {len(errors)} con error", {"loaded": loaded}, errors)
    if on_step is not None:
        on_step(first)
    return [first] + build(store, steps=tuple(s for s in steps if s != "laws"), settings=settings,
                           on_step=on_step)


# --------------------------------------------------------------------------- people's imports
def import_recommendations(store, file: Path, journal=None):
    """Read a user's recommendations file (CSV, JSON, JSONL) and add its valid rows: journal
    first, then the graph. Returns (what was read, with row errors; the load report or None)."""
    from lawgraph.ingest.recommendations import import_recommendations as read_file

    return _import_file(store, file, read_file, add_recommendations, journal)


def import_suggestions(store, file: Path, journal=None):
    """Read a civil-society suggestions file and add its valid rows: journal first, then the
    graph. Returns (what was read, with row errors; the load report or None)."""
    from lawgraph.ingest.recommendations import import_suggestions as read_file

    return _import_file(store, file, read_file, add_suggestions, journal)


def _import_file(store, file: Path, read_file, add, journal):
    rep = read_file(file)
    load = add(store, rep.items, journal) if rep.items else None
    return rep, load


def add_suggestions(store, suggestions: list, journal=None):
    """Add suggestions typed or imported by a person: each is recorded in the journal (durable,
    all validated before the first is written) before the graph is touched; a crash between the
    two loses nothing, :func:`replay_journal` loads them again."""
    from lawgraph.graph.links import load_suggestions
    from lawgraph.journal import record_all

    suggestions = list(suggestions)
    record_all(_journal_or_default(journal), "suggestion", suggestions)
    return load_suggestions(store, suggestions)


def add_recommendations(store, recommendations: list, journal=None):
    """Recommendations a person imported (not read from the corpus): journalled first like
    suggestions, so a rebuild of the graph, which re-reads only the corpus, keeps them."""
    from lawgraph.graph.links import load_recommendations
    from lawgraph.journal import record_all

    recommendations = list(recommendations)
    record_all(_journal_or_default(journal), "recommendation", recommendations)
    return load_recommendations(store, recommendations)


def review_link(store, journal, link_id: str, status: str, *, reviewer: str, reason: str = "",
                kind: str | None = None):
    """Confirm or reject a stored link: the decision goes to the journal first (durable), then
    onto the graph. Raises InputError for an unknown link, a missing reviewer or status.
    Returns the :class:`lawgraph.model.recs.LinkDecision`."""
    from datetime import UTC, datetime

    from lawgraph.graph.links import REVIEWED, apply_decision, get_link
    from lawgraph.journal import record_decision
    from lawgraph.model.recs import LinkDecision

    if status not in REVIEWED:
        raise InputError(None, f"estado {status!r} no válido: use 'confirmed' o 'rejected'")
    if not reviewer or not reviewer.strip():
        raise InputError(None, "la revisión necesita el nombre de quien revisa (--reviewer)")
    link = get_link(store, link_id)
    if link is None:
        raise InputError(None, f"no existe el vínculo {link_id!r} (vea: lawgraph review list)")
    d = LinkDecision(link_id=link_id, from_id=link["from_id"], to_id=link["to_id"], status=status,  # type: ignore[arg-type]
                     # the kind the reviewer saw is part of what they confirmed, so a replay
                     # into a graph without the candidate restores it
                     kind=kind or link.get("kind"), reviewer=reviewer,  # type: ignore[arg-type]
                     time=datetime.now(UTC), reason=reason)
    record_decision(_journal_or_default(journal), d)
    apply_decision(store, d)
    return d
