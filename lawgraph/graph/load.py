"""Load a :class:`~lawgraph.model.law.ParsedLaw` into a :class:`GraphStore`.

Graph model (every id from :mod:`lawgraph.ids`; every node a single label and a unique ``id``)::

    (:Document {sha256, file, format, pages})
    (:Law {key, title, jurisdiction, kind})                       id = work id  /mx/ley/lgamvlv
      -[:HAS_VERSION]->
    (:LawVersion {law_id, date, title, publication, preamble, preamble_notes,
                  sha256, content_hash, complete})                 id = expression /mx/ley/lgamvlv@2026-01-15
      -[:READ_FROM]->(:Document)
      -[:CONTAINS]->(:Division {version_id, kind, label, heading, repealed, ordinal,
                                reform_notes, source})             id = expression + /tit_primero/cap_i
                      -[:CONTAINS]->(:Division) …
                      -[:CONTAINS]->(:ProvisionVersion)            (the articles under the heading)
      -[:CONTAINS]->(:ProvisionVersion)                            (articles outside any heading,
                                                                    original transitorios)
      -[:LISTS {index, clause, source}]->(:Decree)
    (:ProvisionVersion {provision_id, version_id, law_id, kind, label, raw_label, text,
                        repealed, ordinal, valid_from, reform_notes, text_hash, source})
                                                                   id = expression + /art_20-ter/frac_iii
      -[:CONTAINS]->(:ProvisionVersion)                            (párrafo, fracción, inciso …)
      -[:VERSION_OF]->(:Provision {law_id, kind, label})           id = work + /art_20-ter/frac_iii
    (:Decree {gazette, dof_date, title, kind, declared_invalid, notified_date, source})
                                                                   id = /mx/dof/2026-01-15/<hash>
      -[:AMENDS]->(:Law)
      -[:HAS_TRANSITORIO]->(:DecreeTransitorio {decree_id, label, raw_label, text, ordinal,
                                                source})          id = decree id + /tr_primero

``source`` stands for four properties on the node or edge: ``sha256`` (of the document),
``page`` (1-based, null for page-less formats), ``start`` and ``end`` (character span). Dates
are ISO strings (``'2026-01-15'``): they compare correctly as strings on both engines and
FalkorDB's Bolt endpoint cannot return temporal values. Reform notes are a JSON string (a list
of ``{text, subject, actions, dates, gazette, page, start, end}``, read from the same document
as their unit), since neither engine stores maps. ``text`` is the unit's own text; the text of
an article with its párrafos and fracciones is assembled by the read functions from the
``CONTAINS`` subtree (ordered by ``ordinal``); ``text_hash`` hashes that full text, so two
versions of a provision compare without reading their subtrees. The amendment clause of a
decree is on the ``LISTS`` edge, not on the Decree: one decree can amend several laws, and each
law's document prints the clause that concerns it. Every node also stores ``_h``, the hash of
its loaded properties, which tells a re-load what is unchanged.

Shared nodes (Law, Provision, Decree, DecreeTransitorio, Document) may be read from several
documents; their ``source`` is the first document that gave them. Version-scoped nodes
(LawVersion, Division, ProvisionVersion) belong to one law version and are rewritten from the
latest document loaded for that version (``LawVersion.sha256``; the version keeps a
``READ_FROM`` edge to every document it was loaded from, e.g. the PDF and the Word file).

Atomic visibility. FalkorDB has no multi-statement transactions, so a version is staged: the
loader first sets ``LawVersion.complete = false`` (one statement; the version vanishes from every
reader, which filter on ``complete = true``), then writes batches, removes stale nodes and edges,
and finally flips ``complete = true`` together with the version's ``content_hash`` in one
statement. A re-run after a crash (SIGKILL between batches) finds the version incomplete,
diffs what is stored against what it should be, writes what is missing or different, deletes
what should not be there, and completes. Re-loading the same document when its content hash
is already stored on a complete version changes nothing (``LoadReport.unchanged_document``).

Speed. A version that did not exist (the staging MERGE says so atomically) is planned and
written at the same time: the planner (:class:`Planner`) hands out the provision versions in
chunks of whole articles, and each chunk is queued on the store (:meth:`GraphStore.submit`)
as soon as it is planned, so the server writes one chunk while the next is planned. Its tree
is written level by level, each node with its ``CONTAINS`` edge, a provision version also
with its ``Provision`` (created when missing, rewritten when it differs) and ``VERSION_OF``,
with no reads first: its
nodes and edges are CREATEd, with every property inside the CREATE, from rows that are lists
of values (see :func:`create_tree_query`). An existing or interrupted version is planned
whole and diffed against the stored ``_h``; only what differs is written, by MERGE on ``id``.
Properties all rows share are sent once as ``$common``. A new version's writes (and the reads
among them) are pipelined (``submit(..., pipeline=True)``): the server starts each as soon as
it is done with the one before. The statements that stage and complete the version are not,
so a version is never completed after a failed write.

Concurrent loads. Only the load whose staging created the version CREATEs, and only while it
is the version's ``writer``: every staging makes its load the writer, so the CREATE
statements stop (write nothing) as soon as a second load of the version has staged it, before
that load's first MERGE. The first load then sees it was taken over and finishes by merging,
like the second. Two loads of one version at the same moment thus make no duplicates (the
last to finish decides the version's content).
"""
from __future__ import annotations

import contextlib
import gc
import itertools
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from lawgraph.errors import StoreError
from lawgraph.graph.cypher import quote_name
from lawgraph.graph.plan import NODE_ORDER, VERSION_SCOPED, LawPlan, Planner, plan_law  # noqa: F401 (plan_law: public)
from lawgraph.graph.store import GraphStore, QueryResult
from lawgraph.graph.write import (  # noqa: F401 (the statements are pinned by the tests from here)
    Edge,
    ImportReport,
    LabelCounts,
    Node,
    ProgressHook,
    batches,
    common_props,
    create_or_merge,
    creates_inline,
    delete_nodes_query,
    existing_hashes_query,
    merge_edges,
    merge_edges_query,
    upsert_nodes,
    upsert_nodes_query,
    version_ids_query,
)
from lawgraph.model.law import ParsedLaw


@dataclass
class LoadReport(ImportReport):
    """The outcome of one :func:`load_parsed_law` call."""

    law_id: str
    version_id: str
    document_sha256: str
    unchanged_document: bool = False
    recovered_incomplete: bool = False

    @property
    def elements(self) -> int:
        """Graph elements this version consists of (nodes it defines + relationships written)."""
        return sum(c.inserted + c.updated + c.unchanged for c in self.nodes.values()) + (
            self.relationships_created
        )

    def summary(self) -> str:
        """One line in Spanish for the CLI."""
        if self.unchanged_document:
            return (
                f"{self.version_id}: documento sin cambios (sha256 {self.document_sha256[:12]}); "
                f"no se modificó nada ({self.total('unchanged')} nodos sin cambios)."
            )
        s = (
            f"{self.version_id}: {self.total('inserted')} nodos insertados, "
            f"{self.total('updated')} actualizados, {self.total('unchanged')} sin cambios, "
            f"{self.total('deleted')} eliminados; {self.relationships_created} relaciones creadas"
        )
        if self.recovered_incomplete:
            s += " (se completó una carga interrumpida)"
        return s + "."


# The version's state and the stored hashes of its Document and Law, in one read (`id` null:
# no such version).
VERSION_STATE_QUERY = (
    "OPTIONAL MATCH (v:`LawVersion` {id: $version_id})\n"
    "OPTIONAL MATCH (d:`Document` {id: $document_id})\n"
    "OPTIONAL MATCH (l:`Law` {id: $law_id})\n"
    "RETURN v.id AS id, v.complete AS complete, v.sha256 AS sha256,\n"
    "       v.content_hash AS content_hash, d._h AS document_h, l._h AS law_h"
)

# MERGE is atomic on both engines (FalkorDB serialises writes; Neo4j locks on the unique
# constraint), so exactly one of two concurrent loads of a new version sees `fresh` true and
# may CREATE the version's nodes; every other load MERGEs them. Every staging load also
# becomes the version's `writer`: the CREATE statements of the fresh load write only while
# it is the writer (see create_tree_query), so none of them runs after another load has
# staged the version and may have begun to MERGE into it.
# The document the version is read from is linked here too (written just before).
STAGE_VERSION_QUERY = (
    "MATCH (l:`Law` {id: $law_id})\n"
    "MERGE (v:`LawVersion` {id: $version_id})\n"
    "ON CREATE SET v.created_by = $token\n"
    "SET v.complete = false, v.law_id = $law_id, v.date = $date, v.writer = $token\n"
    "MERGE (l)-[:`HAS_VERSION`]->(v)\n"
    "WITH v\n"
    "MATCH (d:`Document` {id: $document_id})\n"
    "MERGE (v)-[:`READ_FROM`]->(d)\n"
    "RETURN v.created_by = $token AS fresh"
)

# FalkorDB's variant of STAGE_VERSION_QUERY (write.creates_inline says why): a new version is
# CREATEd with its properties in the pattern, and only an existing one is SET. The same answer.
STAGE_VERSION_QUERY_FALKORDB = (
    "MATCH (l:`Law` {id: $law_id})\n"
    "OPTIONAL MATCH (old:`LawVersion` {id: $version_id})\n"
    "FOREACH (_ IN CASE WHEN old IS NULL THEN [1] ELSE [] END |\n"
    "  CREATE (:`LawVersion` {id: $version_id, created_by: $token, complete: false,\n"
    "                         law_id: $law_id, date: $date, writer: $token}))\n"
    "FOREACH (_ IN CASE WHEN old IS NULL THEN [] ELSE [1] END |\n"
    "  SET old.complete = false, old.law_id = $law_id, old.date = $date, old.writer = $token)\n"
    "WITH l\n"
    "MATCH (v:`LawVersion` {id: $version_id})\n"
    "MERGE (l)-[:`HAS_VERSION`]->(v)\n"
    "WITH v\n"
    "MATCH (d:`Document` {id: $document_id})\n"
    "MERGE (v)-[:`READ_FROM`]->(d)\n"
    "RETURN v.created_by = $token AS fresh"
)


def stage_version_query(store: GraphStore) -> str:
    """The statement that stages a version on ``store``'s backend."""
    return STAGE_VERSION_QUERY_FALKORDB if creates_inline(store) else STAGE_VERSION_QUERY


# A new version's decree list: each decree AMENDS the law and the version LISTS it, with the
# clause and source of its entry in this document.
DECREE_EDGES_QUERY = (
    "MATCH (l:`Law` {id: $law_id}), (v:`LawVersion` {id: $version_id})\n"
    "UNWIND $rows AS r\n"
    "MATCH (d:`Decree` {id: r.id})\n"
    "MERGE (d)-[:`AMENDS`]->(l)\n"
    "MERGE (v)-[e:`LISTS`]->(d)\n"
    "SET e += r.props"
)

# Decree transitorios written with their HAS_TRANSITORIO relationship (the decree first).
UPSERT_TRANSITORIOS_QUERY = (
    "UNWIND $rows AS r\n"
    "MATCH (d:`Decree` {id: r.decree})\n"
    "MERGE (n:`DecreeTransitorio` {id: r.id})\n"
    "ON CREATE SET n += r.create\n"
    "SET n += r.props, n += $common\n"
    "MERGE (d)-[:`HAS_TRANSITORIO`]->(n)"
)

COMPLETE_VERSION_QUERY = (
    "MATCH (v:`LawVersion` {id: $version_id})\n"
    "SET v += $props, v.complete = true, v.content_hash = $content_hash\n"
    "RETURN v.id AS id"
)

# A law is named as in its newest complete version (the LGAMVLV was renamed in 2026: loading
# the 2024 text after the 2026 one must not give the law its old name back).
LAW_TITLE_QUERY = (
    "MATCH (l:`Law` {id: $law_id})-[:`HAS_VERSION`]->(v:`LawVersion`)\n"
    "WHERE v.complete = true AND v.display_title IS NOT NULL\n"
    "WITH l, v ORDER BY v.date DESC LIMIT 1\n"
    "SET l.title = v.display_title\n"
    "RETURN l.title AS title"
)

# Version-scoped CONTAINS relationships, found from their (indexed) version-scoped end point.
def version_contains_query(dst_label: str) -> str:
    """Every CONTAINS relationship into the version's nodes of one label, with its source label."""
    return (
        f"MATCH (a)-[:`CONTAINS`]->(b:{quote_name(dst_label)} {{version_id: $version_id}})\n"
        "RETURN labels(a)[0] AS src_label, a.id AS src, b.id AS dst"
    )


def delete_contains_query(src_label: str, dst_label: str) -> str:
    """Delete a batch of CONTAINS relationships given by (src, dst) ids."""
    return (
        "UNWIND $rows AS r\n"
        f"MATCH (a:{quote_name(src_label)} {{id: r.src}})-[e:`CONTAINS`]->"
        f"(b:{quote_name(dst_label)} {{id: r.dst}})\n"
        "DELETE e"
    )


VERSION_LISTS_QUERY = (
    "MATCH (:`LawVersion` {id: $version_id})-[e:`LISTS`]->(d:`Decree`)\n"
    "RETURN d.id AS dst"
)
DELETE_LISTS_QUERY = (
    "UNWIND $ids AS id\n"
    "MATCH (:`LawVersion` {id: $version_id})-[e:`LISTS`]->(:`Decree` {id: id})\n"
    "DELETE e"
)
ORPHAN_PROVISIONS_QUERY = (
    "MATCH (p:`Provision` {law_id: $law_id})\n"
    "OPTIONAL MATCH (p)<-[r:`VERSION_OF`]-()\n"
    "WITH p, count(r) AS versions\n"
    "WHERE versions = 0\n"
    "DETACH DELETE p"
)


# --------------------------------------------------------------------------------------------
# Loading


def replaced_version(store: GraphStore, law_id: str, at: str) -> dict[str, Any] | None:
    """The stored version a new version of ``law_id`` dated ``at`` would replace or follow (the
    latest complete document version on or before ``at``): id, date, sha256, articles, decrees;
    None when the law has none."""
    from lawgraph.graph.read import run_named

    rows = run_named(store, "version_completeness", {"law_id": law_id, "at": at})
    return rows[0] if rows and rows[0].get("id") else None


def load_parsed_law(
    store: GraphStore,
    parsed: ParsedLaw,
    *,
    jurisdiction: str,
    kind: str,
    key: str,
    title: str | None = None,
    on_batch: ProgressHook | None = None,
) -> LoadReport:
    """Load one parsed law document as a law version; idempotent, atomic for readers.

    ``jurisdiction`` ('mx', 'mx-chh'), ``kind`` ('ley', 'codigo', 'constitucion') and ``key``
    ('lgamvlv') make the work id; ``title`` overrides the title read from the document.
    ``on_batch(what, done, total)`` is called after every batch written (progress bars; on
    the store's sender thread when it has one). Raises InputError for a document that
    cannot be dated, StoreError when the store fails.
    """
    # Loading allocates tens of thousands of small dicts and strings that all live until the
    # end; the cyclic collector would rescan them, and every parsed document the caller holds,
    # over and over (a third of the time, measured). Nothing here makes reference cycles.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    _short_switch_interval(True)
    try:
        return _in_one_transaction(store, lambda: _load(
            store, parsed, jurisdiction=jurisdiction, kind=kind, key=key, title=title,
            on_batch=on_batch))
    except BaseException:
        # Let what was already submitted finish (or fail) before the caller goes on; the
        # version stays staged (invisible) and a re-run completes it.
        with contextlib.suppress(Exception):
            store.flush()
        raise
    finally:
        _short_switch_interval(False)
        if gc_was_enabled:
            gc.enable()


def _in_one_transaction(store: GraphStore, fn: Callable[[], LoadReport]) -> LoadReport:
    """The transaction hook: a store with real transactions (Neo4j's ``atomic``) writes the
    whole version in one, re-run on transient errors; FalkorDB has none, and the staging
    protocol alone keeps half a version from readers."""
    atomic = getattr(store, "atomic", None)
    return atomic(fn) if atomic is not None else fn()


_SWITCH_INTERVAL = 0.0005
_switch_lock = threading.Lock()
_switch_users = 0
_switch_saved = 0.005


def _short_switch_interval(enter: bool) -> None:
    """Shorten the interpreter's thread switch interval while any load runs in this process
    (restored when the last one ends). The store's sender thread needs the interpreter lock
    for a moment after each answer; with the default 5 ms it waits that long behind the
    planning thread before it sends the next statement, and the server sits idle."""
    global _switch_users, _switch_saved
    with _switch_lock:
        if enter:
            if _switch_users == 0:
                _switch_saved = sys.getswitchinterval()
                sys.setswitchinterval(min(_switch_saved, _SWITCH_INTERVAL))
            _switch_users += 1
        else:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_saved)

# Provision versions planned per streamed chunk: the first small, so the server starts early,
# the next ones growing (x3) while the server has the previous one to write, up to a size at
# which the fixed cost of each statement on the server stays small (a chunk is 3-5
# statements on Neo4j, one on FalkorDB: see create_whole_tree_query; chunks of 300 units cost the whole load 10 % more CPU than 1000 while each
# statement waited for the answer to the one before; pipelined, 300, 500 and 1000 measure
# alike, in wall time and CPU).
_FIRST_CHUNK_UNITS = 100
_SMALL_LAW_UNITS = 300
_CHUNK_UNITS = 1000


def _load(store: GraphStore, parsed: ParsedLaw, *, jurisdiction: str, kind: str, key: str,
          title: str | None, on_batch: ProgressHook | None) -> LoadReport:
    t0 = time.perf_counter()
    planner = Planner(parsed, jurisdiction=jurisdiction, kind=kind, key=key, title=title)
    report = LoadReport(planner.work, planner.expr, parsed.sha256)
    for label in NODE_ORDER:
        report.nodes[label] = LabelCounts()

    def progress(what: str, done: int, total: int) -> None:
        if on_batch is not None:
            on_batch(what, done, total)

    store.ensure_schema()
    heads = store.run(VERSION_STATE_QUERY, {"version_id": planner.expr,
                                            "document_id": planner.doc_id,
                                            "law_id": planner.work}).single() or {}
    state = heads if heads.get("id") is not None else None
    heads_done = False
    created = False
    if state is None:
        # The usual case, a version never loaded: plan and write at the same time.
        token = uuid.uuid4().hex
        try:
            if _load_new(store, planner, report, progress, heads, token):
                report.seconds = time.perf_counter() - t0
                return report
            # Another load of this version staged it first: merge into it like a re-load.
            heads_done = True
        except StoreError:
            with contextlib.suppress(Exception):
                store.flush()  # what was queued behind the failure was not run
            if not _taken_over(store, planner.expr, token):
                raise
            # Another load staged the version while this one was creating it, and merges
            # into it: this load's CREATE statements from then on wrote nothing. Finish
            # the same way, staging the version again (it stays invisible until complete).
            report = LoadReport(planner.work, planner.expr, parsed.sha256)
            for label in NODE_ORDER:
                report.nodes[label] = LabelCounts()
            created = True
    plan = plan_law(parsed, jurisdiction=jurisdiction, kind=kind, key=key, title=title)
    report.warnings = list(plan.warnings)
    if state and state.get("complete") is True and state.get("content_hash") == plan.content_hash:
        report.unchanged_document = True
        for label, ns in plan.nodes.items():
            report.nodes[label].unchanged = len(ns)
        report.nodes["LawVersion"].unchanged = 1
        report.seconds = time.perf_counter() - t0
        return report
    report.recovered_incomplete = bool(state and state.get("complete") is not True)
    _load_existing(store, plan, report, progress, heads_done=heads_done)
    if created:
        report.nodes["LawVersion"] = LabelCounts(inserted=1)
    report.seconds = time.perf_counter() - t0
    return report


def _taken_over(store: GraphStore, version_id: str, token: str) -> bool:
    """True when another load has staged the version since this one did (``token``)."""
    rows = store.run("MATCH (v:`LawVersion` {id: $version_id}) RETURN v.writer AS writer",
                     {"version_id": version_id}).rows
    return bool(rows) and rows[0]["writer"] not in (None, token)


def _stored_hashes(futures: list[Future[QueryResult]]) -> dict[str, str | None]:
    return {rec["id"]: rec["h"] for f in futures for rec in f.result().rows}


def _read_hashes(store: GraphStore, label: str, nodes: list[Node]) -> list[Future[QueryResult]]:
    """Submit the reads of the stored `_h` of these nodes (answered in order, later)."""
    query = existing_hashes_query(label)
    return [store.submit(query, {"ids": b}, pipeline=True)
            for b in batches([n.id for n in nodes], store)]


def _load_new(store: GraphStore, planner: Planner, report: LoadReport, progress: ProgressHook,
              heads: dict[str, Any], token: str) -> bool:
    """Write a version that did not exist, planning it while the server writes what is
    planned already (statements queue on the store in order; a parent's statement always
    precedes its children's). False, with only the Document and Law written, when another
    load staged the version first. ``token`` stages the version (its creator and writer)."""
    # The stored hashes came with the version's state (null: no such node).
    for node, h in ((planner.document, "document_h"), (planner.law, "law_h")):
        stored = {node.id: heads[h]} if heads.get(h) is not None else {}
        _write_nodes(store, node.label, [node], stored, report, progress)
    stage_f = store.submit(
        stage_version_query(store),
        {"law_id": planner.work, "version_id": planner.expr, "date": planner.vdate,
         "token": token, "document_id": planner.doc_id},
        # Counters are only ever added to on the sender thread, so no update is lost.
        lambda res: _add_relationships(report, res),
    )
    divisions = planner.divisions()
    # A small law is planned whole: split, its tree would cost a statement per depth more
    # for no overlap worth having (planning it takes about as long as staging).
    first_chunk = (planner.units_total if planner.units_total <= _SMALL_LAW_UNITS
                   else _FIRST_CHUNK_UNITS)
    chunks = planner.units(first_chunk, _CHUNK_UNITS)
    first = next(chunks, None)  # planned while the server stages the version

    # Each chunk is written as soon as it is planned: its statements create the provisions
    # that are missing and rewrite those that differ (a known law's), with no read first.
    def write(chunk: tuple[list[Node], list[Node]] | None) -> None:
        if chunk is not None:
            provs, pvs = chunk
            _submit_tree(store, "ProvisionVersion", pvs, report, progress, planner.units_total,
                         token, {n.id: n.h for n in provs}, count_provisions=True)

    res = stage_f.result()
    if not (res.rows and res.rows[0].get("fresh")):
        return False
    report.nodes["LawVersion"].inserted = 1

    _submit_tree(store, "Division", divisions, report, progress, len(divisions), token)
    write(first)
    # Decrees are planned while the server writes the first chunk, and written once their
    # stored hashes are back, which the next chunk's planning leaves time for.
    decree_nodes, transitorios, decree_edges = planner.decrees()
    decree_f = _read_hashes(store, "Decree", decree_nodes)
    tr_f = _read_hashes(store, "DecreeTransitorio", transitorios)

    def write_decrees() -> None:
        _write_nodes(store, "Decree", decree_nodes, _stored_hashes(decree_f), report, progress)
        _write_nodes(store, "DecreeTransitorio", transitorios, _stored_hashes(tr_f), report,
                     progress, query=UPSERT_TRANSITORIOS_QUERY)
        _submit_decree_edges(store, planner, decree_edges, report, progress)

    decrees_written = False
    for chunk in chunks:
        write(chunk)
        if not decrees_written:
            write_decrees()
            decrees_written = True
    if not decrees_written:
        write_decrees()
    report.warnings = list(planner.warnings)
    complete_f = store.submit(
        COMPLETE_VERSION_QUERY,
        {"version_id": planner.expr, "props": planner.version_props,
         "content_hash": planner.finish()},
    )
    store.submit(LAW_TITLE_QUERY, {"law_id": planner.work})
    store.flush()
    if not complete_f.result().rows:
        raise StoreError(f"{planner.expr}: la versión desapareció durante la carga")
    store.checkpoint()
    return True


def _add_relationships(report: LoadReport, res: QueryResult) -> None:
    report.relationships_created += res.counters.get("relationships_created", 0)


def _load_existing(store: GraphStore, plan: LawPlan, report: LoadReport, progress: ProgressHook,
                   *, heads_done: bool) -> None:
    """Bring a stored (complete, changed or interrupted) version to the plan: write what is
    missing or differs, delete what is not wanted, complete."""
    fresh = False
    token = uuid.uuid4().hex
    if not heads_done:
        # Shared heads first, then the staging marker: from here on the version is invisible.
        for label in ("Document", "Law"):
            upsert_nodes(store, label, plan.nodes.get(label, []), report, progress=progress)
        res = store.run(
            stage_version_query(store),
            {
                "law_id": plan.law_id,
                "version_id": plan.version_id,
                "date": plan.version_props["date"],
                "token": token,
                "document_id": plan.nodes["Document"][0].id,
            },
        )
        report.relationships_created += res.counters.get("relationships_created", 0)
        fresh = bool(res.rows and res.rows[0].get("fresh"))
    if fresh:
        report.nodes["LawVersion"].inserted = 1
    else:
        report.nodes["LawVersion"].updated = 1

    law_is_new = report.nodes["Law"].inserted == 1
    for label in NODE_ORDER[3:]:
        if label in VERSION_SCOPED and fresh:
            continue
        upsert_nodes(store, label, plan.nodes.get(label, []), report, progress=progress,
                      assume_new=law_is_new and label == "Provision")
    edges = plan.edges
    if fresh:
        # Nothing of a new version exists: create its tree with CONTAINS and VERSION_OF.
        _create_tree(store, plan, report, progress, token)
        edges = [e for e in edges if e.type not in ("CONTAINS", "VERSION_OF")]
    merge_edges(store, edges, report, progress)

    if not fresh:
        _remove_stale(store, plan, report)

    res = store.run(
        COMPLETE_VERSION_QUERY,
        {"version_id": plan.version_id, "props": plan.version_props,
         "content_hash": plan.content_hash},
    )
    if not res.rows:
        raise StoreError(f"{plan.version_id}: la versión desapareció durante la carga")
    store.run(LAW_TITLE_QUERY, {"law_id": plan.law_id})
    store.checkpoint()


def _write_nodes(store: GraphStore, label: str, nodes: list[Node], stored: dict[str, str | None],
                 report: LoadReport, progress: ProgressHook, query: str | None = None) -> None:
    """Submit MERGEs of the nodes that are not stored or differ from ``stored`` (id -> `_h`),
    counting inserted / updated / unchanged. ``query``: UPSERT_TRANSITORIOS_QUERY for decree
    transitorios, which are written with their HAS_TRANSITORIO relationship."""
    counts = report.nodes[label]
    to_write = []
    for n in nodes:
        h = stored.get(n.id, _MISSING)
        if h is _MISSING:
            counts.inserted += 1
        elif h != n.h:
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        row = n.row()
        if query is not None:
            row["decree"] = n.props["decree_id"]
        to_write.append(row)
    if not to_write:
        return
    common = common_props(to_write)
    if common:
        for r in to_write:
            r["props"] = {k: v for k, v in r["props"].items() if k not in common}
    groups = create_or_merge(store, label, to_write, stored, common, merge_query=query,
                             parent=(("Decree", "HAS_TRANSITORIO", "decree")
                                     if query == UPSERT_TRANSITORIOS_QUERY else None))
    total = len(to_write)
    done = 0
    for statement, rows in groups:
        for batch in batches(rows, store):
            def after(res: QueryResult, size: int = len(batch)) -> None:
                nonlocal done
                report.relationships_created += res.counters.get("relationships_created", 0)
                done += size
                progress(label, done, total)

            store.submit(statement, {"rows": batch, "common": common}, after, pipeline=True)


_MISSING: Any = object()


def _submit_tree(store: GraphStore, label: str, nodes: list[Node], report: LoadReport,
                 progress: ProgressHook, total: int, token: str,
                 provision_h: dict[str, str] | None = None, *,
                 count_provisions: bool = False) -> None:
    """Submit a new version's version-scoped nodes under parents written by earlier
    statements, grouped by (depth, parent label), each with its CONTAINS relationship;
    provision versions also with their Provision (``provision_h``: its `_h` by id; created
    when missing, rewritten when its stored `_h` differs) and VERSION_OF. ``token``: the
    staging token that made this load the version's writer. ``count_provisions``: count
    the provisions as inserted / updated / unchanged (a version's provision versions each
    have a provision of their own), unless the caller has written and counted them."""
    with_provision = label == "ProvisionVersion"
    version_id = report.version_id
    if creates_inline(store) and _submit_whole_tree(store, label, nodes, report, progress,
                                                    total, token, provision_h,
                                                    count_provisions=count_provisions):
        return
    groups: dict[tuple[int, str], list[Node]] = defaultdict(list)
    for n in nodes:
        groups[(n.depth, n.parent[0])].append(n)  # type: ignore[index]
    for (_depth, parent_label), group in sorted(groups.items()):
        common, fields, payload = _tree_rows(group, with_provision, provision_h)
        query = create_tree_query(label, parent_label, with_provision, fields, tuple(common),
                                  create_provisions=creates_inline(store))
        for batch in batches(payload, store):
            after = _tree_written(report, label, len(batch), progress, total,
                                  with_provision and count_provisions)
            store.submit(query, {"version_id": version_id, "token": token, "rows": batch,
                                 "common": common}, after, pipeline=True)


def _tree_rows(nodes: list[Node], with_provision: bool, provision_h: dict[str, str] | None
               ) -> tuple[dict[str, Any], tuple[str, ...], list[list[Any]]]:
    """A tree statement's ``$common``, its row fields and its rows (see :func:`create_tree_query`)."""
    # The planner gives every node of a version one `shared` dict: sent once.
    shared = nodes[0].shared
    common = shared or {}
    own = [n.props if n.shared is shared else
           {k: v for k, v in n.all_props().items() if k != "provision_id"} for n in nodes]
    fields = tuple(dict.fromkeys(itertools.chain.from_iterable(own)))
    if with_provision:
        rows = [[n.id, n.parent[1], n.h, n.provision,  # type: ignore[index]
                 provision_h[n.provision], *map(d.get, fields)]  # type: ignore[index]
                for n, d in zip(nodes, own)]
    else:
        rows = [[n.id, n.parent[1], n.h, *map(d.get, fields)]  # type: ignore[index]
                for n, d in zip(nodes, own)]
    return common, fields, rows


def _tree_written(report: LoadReport, label: str, size: int, progress: ProgressHook,
                  total: int, count_provisions: bool) -> Callable[[QueryResult], None]:
    """What checks and counts a tree statement's answer: ``size`` rows written, else the
    load stops (a parent is missing, or another load of the version took it over)."""
    counts, prov_counts = report.nodes[label], report.nodes["Provision"]

    def after(res: QueryResult) -> None:
        written = res.rows[0]["written"] if res.rows else 0
        if written != size:
            raise StoreError(
                f"{report.version_id}: se esperaban {size} nodos {label} y se "
                f"escribieron {written} (falta el nodo padre, o otra carga de la "
                f"versión la tomó)"
            )
        report.relationships_created += res.counters.get("relationships_created", 0)
        counts.inserted += size
        if count_provisions:
            created = res.counters.get("nodes_created", 0) - size
            stale = int(res.rows[0]["stale"])
            prov_counts.inserted += created
            prov_counts.updated += stale
            prov_counts.unchanged += size - created - stale
        progress(label, counts.inserted, total)

    return after


# The most nodes one whole-tree statement writes (:func:`_submit_whole_tree`); a larger list
# goes depth by depth. Stated reason: a batch is a streamed chunk of about _CHUNK_UNITS
# provision versions, or a version's divisions (at most 224 in a version of the corpus,
# measured with plan_law over bench_scale.read_corpus);
# the bound only keeps one statement's parameters to a few megabytes.
_WHOLE_TREE_MAX_ROWS = 5000


def _submit_whole_tree(store: GraphStore, label: str, nodes: list[Node], report: LoadReport,
                       progress: ProgressHook, total: int, token: str,
                       provision_h: dict[str, str] | None, *, count_provisions: bool) -> bool:
    """FalkorDB: submit ``nodes`` (a new version's, of one label) with their CONTAINS and
    VERSION_OF relationships as one :func:`create_whole_tree_query` statement. False, with
    nothing submitted, when they do not fit one: too many, or a parent that is neither the
    version, nor one of them, nor (for provision versions) a division."""
    if not nodes or len(nodes) > _WHOLE_TREE_MAX_ROWS:
        return False
    with_provision = label == "ProvisionVersion"
    version_id = report.version_id
    # Each row's parent, as its place in [version] + these nodes + the external divisions.
    local = {n.id: 1 + i for i, n in enumerate(nodes)}
    external: dict[str, int] = {}
    edges = []
    for i, n in enumerate(nodes):
        plabel, pid = n.parent  # type: ignore[misc]
        if plabel == "LawVersion" and pid == version_id:
            at = 0
        elif pid in local:
            at = local[pid]
        elif plabel == "Division" and with_provision:
            at = external.setdefault(pid, 1 + len(nodes) + len(external))
        else:
            return False
        edges.append([at, i])
    common, fields, rows = _tree_rows(nodes, with_provision, provision_h)
    query = create_whole_tree_query(label, with_provision, fields, tuple(common),
                                    external=bool(external))
    after = _tree_written(report, label, len(nodes), progress, total,
                          with_provision and count_provisions)
    store.submit(query, {"version_id": version_id, "token": token, "rows": rows,
                         "edges": edges, "external": list(external), "common": common},
                 after, pipeline=True)
    return True


def _submit_decree_edges(store: GraphStore, planner: Planner, edges: list[Edge],
                         report: LoadReport, progress: ProgressHook) -> None:
    """Submit a new version's AMENDS and LISTS relationships, one row per listed decree."""
    rows = [{"id": e.dst, "props": e.props} for e in edges if e.type == "LISTS"]
    done = 0
    for batch in batches(rows, store):
        def after(res: QueryResult, size: int = len(batch)) -> None:
            nonlocal done
            report.relationships_created += res.counters.get("relationships_created", 0)
            done += size
            progress("LISTS", done, len(rows))

        store.submit(DECREE_EDGES_QUERY,
                     {"law_id": planner.work, "version_id": planner.expr, "rows": batch}, after,
                     pipeline=True)


def _tree_props(with_provision: bool, fields: tuple[str, ...], common: tuple[str, ...]) -> str:
    """The property map of a tree node created from row ``r`` (see :func:`create_tree_query`)."""
    first = 5 if with_provision else 3
    props = ["id: r[0]"]
    props += [f"{quote_name(k)}: $common.{quote_name(k)}" for k in common if k not in fields]
    for i, k in enumerate(fields, first):
        props.append(f"{quote_name(k)}: coalesce(r[{i}], $common.{quote_name(k)})"
                     if k in common else f"{quote_name(k)}: r[{i}]")
    props.append("_h: r[2]")
    if with_provision:
        props.append("provision_id: r[3]")
    return ", ".join(props)


# FalkorDB: the provision of provision version ``n`` (row ``r``) CREATEd with its properties
# when missing, rewritten only when its stored `_h` differs (``stale``), bound to ``p``.
# ``{keep}``: the other variables the statement carries through.
_CREATE_PROVISION = (
    "OPTIONAL MATCH (old:`Provision` {{id: r[3]}})\n"
    "FOREACH (_ IN CASE WHEN old IS NULL THEN [1] ELSE [] END |\n"
    "  CREATE (:`Provision` {{id: r[3], law_id: n.law_id, kind: n.kind, label: n.label, _h: r[4]}}))\n"
    "WITH {keep}n, r, old IS NOT NULL AND coalesce(old._h, '') <> r[4] AS stale\n"
    "MATCH (p:`Provision` {{id: r[3]}})\n"
    "FOREACH (_ IN CASE WHEN stale THEN [1] ELSE [] END |\n"
    "  SET p.law_id = n.law_id, p.kind = n.kind, p.label = n.label, p._h = r[4])\n"
)


def create_whole_tree_query(label: str, with_provision: bool, fields: tuple[str, ...],
                            common: tuple[str, ...], *, external: bool) -> str:
    """FalkorDB (:func:`write.creates_inline`): CREATE a batch of a new version's nodes of
    every depth in one statement, then all their CONTAINS relationships in one clause.

    Why one statement: FalkorDB 4.16 assembles a relationship type's pending entries the
    first time a statement creates relationships of that type, and a label's the first time
    it reads a node's labels, each at a cost proportional to every node stored (its
    matrices are never hypersparse; ``docs/scale.md``). :func:`create_tree_query` writes a
    version depth by depth and parent label by parent label, a statement each, so a version
    paid that cost some fifteen times; this pays it once per batch. Measured with
    ``benchmarks/profile_ingest.py --no-aof``: see ``docs/scale.md``, "Fewer statements".

    Rows as in :func:`create_tree_query`. ``$edges`` holds one ``[parent index, row index]``
    per row; the parent index counts in the list ``[version] + this batch's nodes + $external
    divisions`` (``external``: the batch's rows have Division parents written by an earlier
    statement, ids in ``$external``). Every relationship is checked against both ids of its
    row, so a node FalkorDB did not list in the order given, or an external division that is
    missing, writes fewer relationships than rows and ``written`` tells it."""
    q = ("MATCH (v:`LawVersion` {id: $version_id}) WHERE v.writer = $token\n"
         "UNWIND $rows AS r\n"
         f"CREATE (n:{quote_name(label)} {{{_tree_props(with_provision, fields, common)}}})\n")
    if with_provision:
        q += ("WITH v, n, r\n" + _CREATE_PROVISION.format(keep="v, ")
              + "CREATE (n)-[:`VERSION_OF`]->(p)\n"
              "WITH v, collect(n) AS ns, sum(CASE WHEN stale THEN 1 ELSE 0 END) AS stale\n")
    else:
        q += "WITH v, collect(n) AS ns, 0 AS stale\n"
    # The external divisions are read after the rows: a list carried along every row costs
    # each row a copy (1,000 rows under 200 divisions: 64-72 ms a statement, 37-48 after).
    if external:
        q += ("UNWIND $external AS x\n"
              "MATCH (d:`Division` {id: x})\n"
              "WITH v, ns, stale, collect(d) AS ds\n"
              "WITH [v] + ns + ds AS ps, ns, stale\n")
    else:
        q += "WITH [v] + ns AS ps, ns, stale\n"
    # The parents' list is built once: built in the row's expression, it is copied for every
    # row, quadratic in the batch (1,000 rows: 42 ms against 8; 3,000: 247 against 22).
    return q + (
        "UNWIND $edges AS e\n"
        "WITH ps[e[0]] AS a, ns[e[1]] AS b, e, stale\n"
        "WHERE a.id = $rows[e[1]][1] AND b.id = $rows[e[1]][0]\n"
        "CREATE (a)-[:`CONTAINS`]->(b)\n"
        "RETURN count(b) AS written, max(stale) AS stale"
    )


def create_tree_query(label: str, parent_label: str, with_provision: bool,
                      fields: tuple[str, ...], common: tuple[str, ...], *,
                      create_provisions: bool = False) -> str:
    """CREATE a batch of a new version's version-scoped nodes under their (existing)
    parents, with their CONTAINS relationship and, for provision versions, their Provision
    (MERGEd: provisions are shared by the law's versions; created when missing, from the
    version's kind and label, and rewritten when its stored `_h` differs, counted in
    ``stale``) and VERSION_OF relationship.

    A row is a list: ``[id, parent id, _h]``, for provision versions then ``[provision id,
    provision _h]``, then the values of ``fields``. ``$common`` holds the properties named
    in ``common``, which every node of the version shares (sent once); a field that is also
    common overrides it where the row's value is not null (a unit read from another
    document than the version's has its own ``sha256``). The properties go inside the
    CREATE: a SET after it makes FalkorDB index the node a second time (~15 µs a node,
    measured), and a row as a list of values is encoded and parsed several times faster
    than a map. A null value sets no property, as a null in ``SET n += map`` does.

    CREATE, not MERGE: only the load that created the version (``fresh``) runs it, and only
    while it is the version's ``writer``. A second load of the version that stages it takes
    it over (STAGE_VERSION_QUERY), so from then on these statements write nothing (the
    fresh load sees fewer rows written and finishes by merging, see :func:`_load`); the
    statements before the take-over have all run before the other load's first MERGE (one
    write statement at a time on FalkorDB; on Neo4j the unique constraint refuses a
    duplicate), so no node is made twice. ``written`` tells a missing parent or a lost
    version (fewer rows).

    ``create_provisions`` (:func:`write.creates_inline`): a missing Provision is CREATEd with
    its properties in the pattern instead of MERGEd and SET. ``profile_ingest.py --no-aof``: this statement's
    server time in copy 1 and copy 10 of the corpus, 670 and 3,172 ms with the MERGE, 680 and
    1,738 ms with the CREATE (what is left: its relationships). A version's rows name each
    provision once and FalkorDB runs one write statement at a time, so none is made twice."""
    q = (
        "MATCH (v:`LawVersion` {id: $version_id}) WHERE v.writer = $token\n"
        "UNWIND $rows AS r\n"
        f"MATCH (a:{quote_name(parent_label)} {{id: r[1]}})\n"
        f"CREATE (n:{quote_name(label)} {{{_tree_props(with_provision, fields, common)}}})\n"
    )
    if not with_provision:
        return q + "CREATE (a)-[:`CONTAINS`]->(n)\nRETURN count(n) AS written"
    if create_provisions:
        return q + (
            "WITH a, n, r\n"
            + _CREATE_PROVISION.format(keep="a, ") +
            "CREATE (a)-[:`CONTAINS`]->(n)\n"
            "CREATE (n)-[:`VERSION_OF`]->(p)\n"
            "RETURN count(n) AS written, sum(CASE WHEN stale THEN 1 ELSE 0 END) AS stale"
        )
    return q + (
        "MERGE (p:`Provision` {id: r[3]})\n"
        "ON CREATE SET p.law_id = n.law_id, p.kind = n.kind, p.label = n.label, p._h = r[4]\n"
        "WITH a, n, p, r, coalesce(p._h, '') <> r[4] AS stale\n"
        "FOREACH (_ IN CASE WHEN stale THEN [1] ELSE [] END |\n"
        "  SET p.law_id = n.law_id, p.kind = n.kind, p.label = n.label, p._h = r[4])\n"
        "CREATE (a)-[:`CONTAINS`]->(n)\n"
        "CREATE (n)-[:`VERSION_OF`]->(p)\n"
        "RETURN count(n) AS written, sum(CASE WHEN stale THEN 1 ELSE 0 END) AS stale"
    )


def _create_tree(store: GraphStore, plan: LawPlan, report: LoadReport,
                 progress: ProgressHook, token: str) -> None:
    """Write a new version's divisions and provision versions level by level (a parent is
    always written by an earlier statement than its children), each with its edges; the
    provisions are written already."""
    divisions = plan.nodes.get("Division", [])
    _submit_tree(store, "Division", divisions, report, progress, len(divisions), token)
    pvs = plan.nodes.get("ProvisionVersion", [])
    hashes = {n.id: n.h for n in plan.nodes.get("Provision", [])}
    _submit_tree(store, "ProvisionVersion", pvs, report, progress, len(pvs), token, hashes)
    store.flush()


def _remove_stale(store: GraphStore, plan: LawPlan, report: LoadReport) -> None:
    """Delete what an earlier (or interrupted) load of this version left that is not wanted."""
    vid = plan.version_id
    for label in VERSION_SCOPED:
        wanted = {n.id for n in plan.nodes.get(label, [])}
        stored = {r["id"] for r in store.run(version_ids_query(label), {"version_id": vid}).rows}
        stale = sorted(stored - wanted)
        for batch in batches(stale, store):
            res = store.run(delete_nodes_query(label), {"ids": batch})
            report.nodes[label].deleted += res.counters.get("nodes_deleted", 0)
            report.relationships_deleted += res.counters.get("relationships_deleted", 0)
    wanted_contains = {(e.src, e.dst) for e in plan.edges if e.type == "CONTAINS"}
    for dst_label in VERSION_SCOPED:
        stale_by_src: dict[str, list[dict[str, str]]] = defaultdict(list)
        for r in store.run(version_contains_query(dst_label), {"version_id": vid}).rows:
            if (r["src"], r["dst"]) not in wanted_contains:
                stale_by_src[r["src_label"]].append({"src": r["src"], "dst": r["dst"]})
        for src_label, rows in stale_by_src.items():
            for batch in batches(rows, store):
                res = store.run(delete_contains_query(src_label, dst_label), {"rows": batch})
                report.relationships_deleted += res.counters.get("relationships_deleted", 0)
    wanted_lists = {e.dst for e in plan.edges if e.type == "LISTS"}
    stored_lists = {r["dst"] for r in store.run(VERSION_LISTS_QUERY, {"version_id": vid}).rows}
    stale_lists = sorted(stored_lists - wanted_lists)
    for batch in batches(stale_lists, store):
        res = store.run(DELETE_LISTS_QUERY, {"ids": batch, "version_id": vid})
        report.relationships_deleted += res.counters.get("relationships_deleted", 0)
    res = store.run(ORPHAN_PROVISIONS_QUERY, {"law_id": plan.law_id})
    report.nodes["Provision"].deleted += res.counters.get("nodes_deleted", 0)
    report.relationships_deleted += res.counters.get("relationships_deleted", 0)
