"""Decree operations and reform-note links in the graph, written after a law version is loaded.

Graph model (adds to :mod:`lawgraph.graph.load`)::

    (:Decree)-[:HAS_OPERATION]->(:Amendment {decree_id, law_id, law_key, index, op, article,
                                             units, division, denomination, transitory,
                                             law_raw, start, end, text, target, resolved})
                                    id = decree id + /op_<law key>_<n>
      (:Amendment)-[:TARGETS]->(:Provision)     the article (or the finer unit when the version
                                                has it); absent when the target is not found
    (:ProvisionVersion)-[:REFORMED_BY {action, note, date, clause_names_article}]->(:Decree)
    (:LawVersion)-[:HAS_UNMATCHED_NOTE]->(:UnmatchedNote {version_id, law_id, article, path,
                                                          note, date, reason})

``units`` and ``division`` are JSON strings (neither engine stores maps). What to write is
planned by :func:`lawgraph.nlp.decree_plan.plan_amendments` (a pure function of the parsed
version); this module only writes that plan and reads it back.

Visibility: the version's ``amendments_complete`` flag is false while its operations and
links are written and flips with ``amendments_hash`` in the last statement; readers of
operations and note links filter on it, and a re-run with the same hash writes nothing.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from lawgraph.graph.write import Edge, ImportReport, LabelCounts, Node, batches, merge_edges, upsert_nodes
from lawgraph.graph.read import run_named
from lawgraph.graph.store import GraphStore
from lawgraph.model.amendment import AmendmentPlan

STAGE_QUERY = (
    "MATCH (v:`LawVersion` {id: $version_id})\n"
    "RETURN v.amendments_complete AS complete, v.amendments_hash AS hash,\n"
    "       v.amendments_source AS source, v.amendments_counts AS counts"
)
BEGIN_QUERY = "MATCH (v:`LawVersion` {id: $version_id}) SET v.amendments_complete = false"
FINISH_QUERY = (
    "MATCH (v:`LawVersion` {id: $version_id})\n"
    "SET v.amendments_complete = true, v.amendments_hash = $hash, v.amendments_source = $source,\n"
    "    v.amendments_counts = $counts"
)
DELETE_NOTE_LINKS_QUERY = (
    "MATCH (pv:`ProvisionVersion` {version_id: $version_id})-[e:`REFORMED_BY`]->(:`Decree`)\n"
    "DELETE e"
)
DELETE_UNMATCHED_QUERY = (
    "MATCH (n:`UnmatchedNote` {version_id: $version_id})\n"
    "WHERE NOT n.id IN $keep\n"
    "DETACH DELETE n"
)
# The decree is matched first, in a clause of its own: written as one pattern with the law id
# inline, FalkorDB plans a scan of every Amendment per decree (GRAPH.EXPLAIN), which made this
# statement the one whose cost grew with the store (benchmarks/profile_ingest.py: 3.2 s of
# server time in the first copy of the corpus, 17.5 s in the sixth).
DELETE_STALE_OPS_QUERY = (
    "UNWIND $decrees AS d\n"
    "MATCH (dec:`Decree` {id: d.id})\n"
    "WITH d, dec\n"
    "MATCH (dec)-[:`HAS_OPERATION`]->(a:`Amendment`)\n"
    "WHERE a.law_id = $law_id AND NOT a.id IN d.keep\n"
    "DETACH DELETE a"
)
TARGET_EDGES_QUERY = (
    "UNWIND $rows AS r\n"
    "MATCH (a:`Amendment` {id: r.src})\n"
    "OPTIONAL MATCH (a)-[old:`TARGETS`]->()\n"
    "DELETE old\n"
    "WITH DISTINCT a, r\n"
    "MATCH (p:`Provision` {id: r.dst})\n"
    "MERGE (a)-[:`TARGETS`]->(p)"
)


@dataclass
class AmendmentLoadReport(ImportReport):
    """What :func:`write_amendments` wrote for one law version."""

    version_id: str
    operations: int = 0
    resolved: int = 0
    note_links: int = 0
    unmatched_notes: int = 0
    problems: list[str] = field(default_factory=list)
    unchanged: bool = False

    def summary(self) -> str:
        """One Spanish line."""
        if self.unchanged:
            return f"{self.version_id}: operaciones y notas sin cambios."
        return (f"{self.version_id}: {self.operations} operaciones de decretos "
                f"({self.resolved} con disposición destino), {self.note_links} notas de reforma "
                f"enlazadas, {self.unmatched_notes} sin decreto")


def amendments_current(store: GraphStore, version_id: str, source: str) -> AmendmentLoadReport | None:
    """The report of what is stored when the version's operations and note links are complete
    and were planned from ``source`` (document hash and planner version); None otherwise, and
    the caller plans and writes them (a re-ingest of an unchanged document stays cheap)."""
    state = store.run(STAGE_QUERY, {"version_id": version_id}).single() or {}
    if state.get("complete") is not True or state.get("source") != source:
        return None
    report = AmendmentLoadReport(version_id, unchanged=True)
    ops, resolved, links, unmatched_n = (json.loads(state.get("counts") or "[0,0,0,0]") + [0] * 4)[:4]
    report.operations, report.resolved = ops, resolved
    report.note_links, report.unmatched_notes = links, unmatched_n
    report.nodes = {"Amendment": LabelCounts(unchanged=ops), "UnmatchedNote": LabelCounts(unchanged=unmatched_n)}
    return report


def write_amendments(store: GraphStore, plan: AmendmentPlan, *, source: str) -> AmendmentLoadReport:
    """Write the operations of every decree the version lists and link its reform notes.

    Needs the version already loaded (:func:`lawgraph.graph.load.load_parsed_law`); ``source``
    is recorded so that :func:`amendments_current` recognises the same input next time."""
    expr, work = plan.version_id, plan.law_id
    report = AmendmentLoadReport(expr)
    for label in ("Amendment", "UnmatchedNote"):
        report.nodes[label] = LabelCounts()
    report.problems = list(plan.problems)
    amend_nodes = [Node("Amendment", aid, props) for aid, props in plan.amendments]
    edges = [Edge("HAS_OPERATION", "Decree", did, "Amendment", aid) for did, aid in plan.operations]
    targets, note_edges = plan.targets, plan.note_links
    unmatched = [Node("UnmatchedNote", nid, props) for nid, props in plan.unmatched]
    report.operations = len(amend_nodes)
    report.resolved = len(targets)
    report.note_links = len(note_edges)
    report.unmatched_notes = len(unmatched)

    h = hashlib.sha256(expr.encode())
    for n_ in amend_nodes + unmatched:
        h.update(f"|{n_.id}|{n_.h}".encode())
    for e in note_edges + targets:
        h.update(json.dumps(e, sort_keys=True, ensure_ascii=False).encode())
    digest = h.hexdigest()[:24]
    counts = json.dumps([report.operations, report.resolved, report.note_links, report.unmatched_notes])
    state = store.run(STAGE_QUERY, {"version_id": expr}).single() or {}
    if state.get("complete") is True and state.get("hash") == digest:
        store.run(FINISH_QUERY, {"version_id": expr, "hash": digest, "source": source, "counts": counts})
        report.unchanged = True
        report.nodes["Amendment"].unchanged = len(amend_nodes)
        report.nodes["UnmatchedNote"].unchanged = len(unmatched)
        return report

    store.run(BEGIN_QUERY, {"version_id": expr})
    upsert_nodes(store, "Amendment", amend_nodes, report)
    upsert_nodes(store, "UnmatchedNote", unmatched, report)
    decrees = [{"id": d, "keep": k} for d, k in plan.keep_by_decree.items()]
    for batch in batches(decrees, store):
        res = store.run(DELETE_STALE_OPS_QUERY, {"decrees": batch, "law_id": work})
        report.nodes["Amendment"].deleted += res.counters.get("nodes_deleted", 0)
    res = store.run(DELETE_UNMATCHED_QUERY, {"version_id": expr, "keep": [n_.id for n_ in unmatched]})
    report.nodes["UnmatchedNote"].deleted += res.counters.get("nodes_deleted", 0)
    merge_edges(store, edges + [Edge("HAS_UNMATCHED_NOTE", "LawVersion", expr, "UnmatchedNote", n_.id)
                                 for n_ in unmatched], report)
    for batch in batches(targets, store):
        res = store.run(TARGET_EDGES_QUERY, {"rows": batch})
        report.relationships_created += res.counters.get("relationships_created", 0)
    store.run(DELETE_NOTE_LINKS_QUERY, {"version_id": expr})
    merge_edges(store, [Edge("REFORMED_BY", "ProvisionVersion", e["src"], "Decree", e["dst"], e["props"])
                         for e in note_edges], report)
    store.run(FINISH_QUERY, {"version_id": expr, "hash": digest, "source": source, "counts": counts})
    return report


def decree_operations(store: GraphStore, law_key: str, dof_date: str) -> list[dict[str, Any]]:
    """Operations of the decrees of one date on one law (from versions whose operations are
    complete), in clause order: decree_id, title, op, article, units, division, target, text."""
    rows = run_named(store, "decree_operations", {"law_key": law_key.lower(), "dof_date": dof_date})
    for r in rows:
        r["units"] = json.loads(r.get("units") or "[]")
        r["division"] = json.loads(r["division"]) if r.get("division") else None
    return rows


def decree_changes(store: GraphStore, law_key: str, dof_date: str
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """What the decrees of one date did to one law: (its operations as
    :func:`decree_operations` gives them; per article operated on, the operations and the
    article's text the day before and on the date (None where the graph has no version of
    that day); the operations that name no article)."""
    from datetime import date, timedelta

    from lawgraph.graph.read import find_article

    ops = decree_operations(store, law_key, dof_date)
    before_day = (date.fromisoformat(dof_date) - timedelta(days=1)).isoformat()
    arts: dict[str, list[dict[str, Any]]] = {}
    for o in ops:
        if o.get("article") and not o.get("transitory"):
            arts.setdefault(o["article"], []).append(o)
    changes = []
    for label, aops in arts.items():
        before = find_article(store, law_key, label, before_day)
        after = find_article(store, law_key, label, dof_date)
        after_ok = after is not None and after.version_date == dof_date
        changes.append({"article": label,
                        "operations": [{"op": o["op"], "units": o["units"], "text": o["text"]} for o in aops],
                        "before": before.text if before else None,
                        "before_version": before.version_date if before else None,
                        "after": after.text if after_ok else None,
                        "after_version": after.version_date if after_ok else None})
    return ops, changes, [o for o in ops if not o.get("article")]


def unmatched_notes(store: GraphStore, law_key: str, at: str | None = None) -> list[dict[str, Any]]:
    """Reform notes of the law version in force at ``at`` (latest when None) that match no
    decree the version lists: article, path, note, date, reason."""
    return run_named(store, "unmatched_notes", {"law_key": law_key.lower(), "at": at})


def provision_reforms(store: GraphStore, provision_version_id: str) -> list[dict[str, Any]]:
    """The decrees named by the reform notes of a provision version and of every unit under
    it: unit, kind, label, action, date, note, clause_names_article, decree_id, title."""
    return run_named(store, "provision_reforms", {"id": provision_version_id})
