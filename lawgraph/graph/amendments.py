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

``units`` and ``division`` are JSON strings (neither engine stores maps). Operations are read
from the clause each law version prints for the decree (:func:`lawgraph.nlp.amendments.parse_decree`);
operations on other laws of a multi-law decree are left to those laws' documents.

Visibility: the version's ``amendments_complete`` flag is false while its operations and
links are written and flips with ``amendments_hash`` in the last statement; readers of
operations and note links filter on it, and a re-run with the same hash writes nothing.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from lawgraph import ids
from lawgraph.graph.load import (
    LabelCounts,
    _batches,
    _Edge,
    _merge_edges,
    _Node,
    _upsert_label,
)
from lawgraph.graph.read import run_named
from lawgraph.graph.store import GraphStore
from lawgraph.model.law import ParsedLaw, Unit

# The action a reform note records: 'Fracción reformada DOF …' -> 'reformada'.
NOTE_ACTION_RE = re.compile(
    r"\b(?P<action>reformad[oa]s?|adicionad[oa]s?|derogad[oa]s?|recorrid[oa]s?|"
    r"aclarad[oa]s?|fe\s+de\s+erratas|abrogad[oa]s?|renumerad[oa]s?)\b",
    re.IGNORECASE,
)

# Bumped when what load_amendments writes changes, so an unchanged document is re-read.
AMENDMENTS_VERSION = 1

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
DELETE_STALE_OPS_QUERY = (
    "UNWIND $decrees AS d\n"
    "MATCH (:`Decree` {id: d.id})-[:`HAS_OPERATION`]->(a:`Amendment` {law_id: $law_id})\n"
    "WHERE NOT a.id IN d.keep\n"
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
class AmendmentLoadReport:
    """What :func:`load_amendments` wrote for one law version."""

    version_id: str
    nodes: dict[str, LabelCounts] = field(default_factory=dict)
    relationships_created: int = 0
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


def _walk(unit: Unit, segs: tuple[str, ...], out: dict[tuple, tuple[str, Unit]]) -> None:
    out[segs] = (unit.kind, unit)
    seen: dict[str, int] = {}
    for c in unit.children:
        seg = ids.unit_segment(c.kind, c.label)
        seen[seg] = seen.get(seg, 0) + 1
        if seen[seg] > 1:
            seg = f"{seg}~{seen[seg]}"   # the loader's rule for repeated labels
        _walk(c, segs + (seg,), out)


def load_amendments(store: GraphStore, parsed: ParsedLaw, *, jurisdiction: str, kind: str,
                    key: str) -> AmendmentLoadReport:
    """Write the operations of every decree the version lists and link its reform notes.

    Needs the version already loaded (:func:`lawgraph.graph.load.load_parsed_law`)."""
    from lawgraph.catalog import load_catalog
    from lawgraph.nlp.amendments import parse_decree
    from lawgraph.nlp.reform_links import link_reform_notes

    work = ids.work_id(jurisdiction, kind, key)
    expr = ids.expression_id(work, parsed.ultima_reforma.isoformat())  # type: ignore[union-attr]
    report = AmendmentLoadReport(expr)
    for label in ("Amendment", "UnmatchedNote"):
        report.nodes[label] = LabelCounts()
    gazette = "dof" if jurisdiction == "mx" else "poe"
    # The same document read by the same code gives the same operations: skip the clause
    # parsing entirely (a re-ingest of an unchanged document stays cheap).
    source = f"{parsed.sha256}|{AMENDMENTS_VERSION}"
    state = store.run(STAGE_QUERY, {"version_id": expr}).single() or {}
    if state.get("complete") is True and state.get("source") == source:
        report.unchanged = True
        ops, resolved, links, unmatched_n = (json.loads(state.get("counts") or "[0,0,0,0]") + [0] * 4)[:4]
        report.operations, report.resolved = ops, resolved
        report.note_links, report.unmatched_notes = links, unmatched_n
        report.nodes["Amendment"].unchanged = ops
        report.nodes["UnmatchedNote"].unchanged = unmatched_n
        return report
    names = load_catalog()

    # Every unit of the version by its path of segments, to resolve targets and notes.
    units: dict[tuple, tuple[str, Unit]] = {}
    seen: dict[str, int] = {}
    for art in list(parsed.articles) + list(parsed.transitorios):
        seg = ids.unit_segment(art.kind, art.label)
        seen[seg] = seen.get(seg, 0) + 1
        if seen[seg] > 1:
            seg = f"{seg}~{seen[seg]}"
        _walk(art, (seg,), units)

    amend_nodes: list[_Node] = []
    edges: list[_Edge] = []
    targets: list[dict[str, str]] = []
    keep_by_decree: dict[str, list[str]] = {}
    for dec in parsed.decrees:
        if dec.dof_date is None:
            continue
        did = ids.decree_id(gazette, dec.dof_date.isoformat(), dec.title, jurisdiction)
        res = parse_decree(dec.title, dec.clause, names=names)
        for p in res.problems:
            report.problems.append(f"decreto del {dec.dof_date} (n.º {dec.index}): {p}")
        keep: list[str] = []
        n = 0
        for o in res.operations:
            if o.law is not None:
                r = names.resolve(o.law)
                if r.key is not None and r.key.lower() != key.lower():
                    continue       # an operation on another law of the same decree
            n += 1
            aid = f"{did}/op_{slug_key(key)}_{n}"
            keep.append(aid)
            target = None
            if o.article and not o.transitory:
                art_seg = ids.unit_segment("articulo", o.article)
                if (art_seg,) in units:
                    target = ids.provision_id(work, [art_seg])
                    path = (art_seg,)
                    for u in o.units:
                        if u.kind not in ("fraccion", "inciso", "apartado"):
                            break
                        seg = ids.unit_segment(u.kind, u.label)
                        cand = next((k for k in units if len(k) > len(path) and k[:len(path)] == path
                                     and k[-1] == seg), None)
                        if cand is None:
                            break
                        path = cand
                        target = ids.provision_id(work, list(path))
            props = {
                "decree_id": did, "law_id": work, "law_key": key.lower(), "index": n, "op": o.op,
                "article": o.article, "transitory": o.transitory,
                "units": json.dumps([u.model_dump() for u in o.units], ensure_ascii=False),
                "division": json.dumps(o.division.model_dump(), ensure_ascii=False) if o.division else None,
                "denomination": o.denomination, "law_raw": o.law, "start": o.start, "end": o.end,
                "text": o.text, "target": target, "resolved": target is not None,
                "decree_date": dec.dof_date.isoformat(),
            }
            amend_nodes.append(_Node("Amendment", aid, props))
            edges.append(_Edge("HAS_OPERATION", "Decree", did, "Amendment", aid))
            if target:
                targets.append({"src": aid, "dst": target})
        keep_by_decree[did] = keep
    report.operations = len(amend_nodes)
    report.resolved = len(targets)

    link_report = link_reform_notes(parsed)
    note_edges: list[dict[str, Any]] = []
    art_seg_of = {}
    for k in units:
        if len(k) == 1:
            art_seg_of.setdefault(units[k][1].label, k[0])
    for link in link_report.links:
        art_seg = art_seg_of.get(link.article)
        if art_seg is None:
            continue
        segs = [art_seg] + [ids.unit_segment(kd, lb) for kd, lb in link.path]
        pv = ids.provision_version_id(expr, segs)
        m = NOTE_ACTION_RE.search(link.note)
        note_edges.append({"src": pv, "dst": ids.decree_id(gazette, link.dof_date.isoformat(),
                                                            _title_of(parsed, link.decree_index),
                                                            jurisdiction),
                           "props": {"action": m.group("action").lower() if m else None,
                                     "note": link.note, "date": link.dof_date.isoformat(),
                                     "clause_names_article": link.clause_names_article}})
    report.note_links = len(note_edges)
    unmatched = []
    for i, u in enumerate(link_report.unmatched, 1):
        unmatched.append(_Node("UnmatchedNote", f"{expr}/nota_{i}", {
            "version_id": expr, "law_id": work, "article": u["article"],
            "path": json.dumps(list(u["path"]), ensure_ascii=False), "note": u["note"],
            "date": u["date"], "reason": _refine_reason(u["note"], u["date"], u["reason"])}))
    report.unmatched_notes = len(unmatched)

    h = hashlib.sha256(expr.encode())
    for n_ in amend_nodes + unmatched:
        h.update(f"|{n_.id}|{n_.h}".encode())
    for e in note_edges + targets:
        h.update(json.dumps(e, sort_keys=True, ensure_ascii=False).encode())
    digest = h.hexdigest()[:24]
    if state.get("complete") is True and state.get("hash") == digest:
        store.run(FINISH_QUERY, {"version_id": expr, "hash": digest, "source": source, "counts": json.dumps(
            [report.operations, report.resolved, report.note_links, report.unmatched_notes])})
        report.unchanged = True
        report.nodes["Amendment"].unchanged = len(amend_nodes)
        report.nodes["UnmatchedNote"].unchanged = len(unmatched)
        return report

    noop = lambda *_a: None
    store.run(BEGIN_QUERY, {"version_id": expr})
    _upsert_label(store, "Amendment", amend_nodes, report, progress=noop)  # type: ignore[arg-type]
    _upsert_label(store, "UnmatchedNote", unmatched, report, progress=noop)  # type: ignore[arg-type]
    decrees = [{"id": d, "keep": k} for d, k in keep_by_decree.items()]
    for batch in _batches(decrees, store):
        res = store.run(DELETE_STALE_OPS_QUERY, {"decrees": batch, "law_id": work})
        report.nodes["Amendment"].deleted += res.counters.get("nodes_deleted", 0)
    res = store.run(DELETE_UNMATCHED_QUERY, {"version_id": expr, "keep": [n_.id for n_ in unmatched]})
    report.nodes["UnmatchedNote"].deleted += res.counters.get("nodes_deleted", 0)
    _merge_edges(store, edges + [_Edge("HAS_UNMATCHED_NOTE", "LawVersion", expr, "UnmatchedNote", n_.id)
                                 for n_ in unmatched], report, noop)  # type: ignore[arg-type]
    for batch in _batches(targets, store):
        res = store.run(TARGET_EDGES_QUERY, {"rows": batch})
        report.relationships_created += res.counters.get("relationships_created", 0)
    store.run(DELETE_NOTE_LINKS_QUERY, {"version_id": expr})
    _merge_edges(store, [_Edge("REFORMED_BY", "ProvisionVersion", e["src"], "Decree", e["dst"], e["props"])
                         for e in note_edges], report, noop)  # type: ignore[arg-type]
    store.run(FINISH_QUERY, {"version_id": expr, "hash": digest, "source": source, "counts": json.dumps(
        [report.operations, report.resolved, report.note_links, report.unmatched_notes])})
    return report


def _refine_reason(note: str, iso: str, reason: str) -> str:
    """Say why a note's date names no decree when the note itself tells: the notification of
    a court ruling, or the date of the text a ruling revived."""
    y, m, d = iso.split("-")
    for m_ in re.finditer(rf"{d}-{m}-{y}|{int(d)} de \w+ de {y}", note):
        before = note[max(0, m_.start() - 60):m_.start()].lower()
        if "notificad" in before:
            return "fecha de notificación de una sentencia, no de un decreto"
        if "texto que ten" in before:
            return "fecha del texto que una sentencia devolvió a la vigencia, no de un decreto"
    return reason


def slug_key(key: str) -> str:
    return ids.slug(key).replace("-", "")


def _title_of(parsed: ParsedLaw, index: int) -> str:
    for d in parsed.decrees:
        if d.index == index:
            return d.title
    return ""


def decree_operations(store: GraphStore, law_key: str, dof_date: str) -> list[dict[str, Any]]:
    """Operations of the decrees of one date on one law (from versions whose operations are
    complete), in clause order: decree_id, title, op, article, units, division, target, text."""
    rows = run_named(store, "decree_operations", {"law_key": law_key.lower(), "dof_date": dof_date})
    for r in rows:
        r["units"] = json.loads(r.get("units") or "[]")
        r["division"] = json.loads(r["division"]) if r.get("division") else None
    return rows


def unmatched_notes(store: GraphStore, law_key: str, at: str | None = None) -> list[dict[str, Any]]:
    """Reform notes of the law version in force at ``at`` (latest when None) that match no
    decree the version lists: article, path, note, date, reason."""
    return run_named(store, "unmatched_notes", {"law_key": law_key.lower(), "at": at})


def provision_reforms(store: GraphStore, provision_version_id: str) -> list[dict[str, Any]]:
    """The decrees named by the reform notes of a provision version and of every unit under
    it: unit, kind, label, action, date, note, clause_names_article, decree_id, title."""
    return run_named(store, "provision_reforms", {"id": provision_version_id})
