"""The legislative process in the graph: proposals, their events, proponents, committees and
the provisions they would change; and the status questions asked of them.

Graph model::

    (:ProcessSnapshot {complete, content_hash, records, proposals, problems})
                                       id = /mx/proceso/<name>   (e.g. sitl-diputados-lxvi)
      -[:HAS_PROPOSAL]->(:Proposal {kind, legislature, chamber, title, synopsis, status,
                                    status_date, date_presented, gaceta_url, stage,
                                    pending_since, topic, parties, committee_keys, law_keys,
                                    article_refs, sources, problems, snapshot})
    (:Proposal)-[:HAS_EVENT]->(:Event {proposal_id, ordinal, stage, date, chamber, jurisdiction,
                                       detail, committees, file, sha256, line, offset})
    (:Proponent {name, kind})-[:PROPOSED]->(:Proposal)
    (:Proponent)-[:MEMBER_OF]->(:Party {name})
    (:Proposal)-[:TURNED_TO {role}]->(:Committee {name, key, chamber, sitl_id})
    (:Proposal)-[:PROPOSES]->(:ProposalTarget {law_raw, law_key, jurisdiction, ops, articles,
                                               fractions, constitutional, score})
      -[:ON_LAW]->(:Law)                 by catalogue key; an unknown law keeps only law_raw
      -[:ON_PROVISION]->(:Provision)     the articles, where the law's provisions are loaded

``parties``, ``committee_keys``, ``law_keys`` (upper case) and ``article_refs``
(``'LGAMVLV|20 Ter'``) repeat on the Proposal what its edges say, so that the status filters
are one indexed scan (named query ``find_proposals``). ``topic`` is the folded title and
synopsis. Dates are ISO strings.

Visibility: the snapshot is staged like a law version (``complete = false`` while written,
flipped in the last statement); every status query starts from a complete snapshot, and a
re-ingest whose content hash is stored writes nothing.
"""
from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from lawgraph import ids
from lawgraph.errors import InputError
from lawgraph.graph.write import (
    Edge,
    ImportReport,
    LabelCounts,
    Node,
    batches,
    merge_edges,
    props_hash,
    upsert_nodes,
)
from lawgraph.graph.read import _iso, run_named
from lawgraph.graph.store import GraphStore
from lawgraph.model.process import FINAL_STAGES, Proposal, Stage
from lawgraph.nlp.dates import fold
from lawgraph.status import pending_since

SNAPSHOT_STATE_QUERY = (
    "MATCH (s:`ProcessSnapshot` {id: $id})\n"
    "RETURN s.complete AS complete, s.content_hash AS content_hash"
)
BEGIN_SNAPSHOT_QUERY = (
    "MERGE (s:`ProcessSnapshot` {id: $id})\n"
    "SET s.complete = false"
)
FINISH_SNAPSHOT_QUERY = (
    "MATCH (s:`ProcessSnapshot` {id: $id})\n"
    "SET s += $props, s.complete = true, s.content_hash = $content_hash"
)
STALE_PROPOSALS_QUERY = (
    "MATCH (p:`Proposal` {snapshot: $id})\n"
    "RETURN p.id AS id"
)
DELETE_PROPOSAL_QUERY = (
    "UNWIND $ids AS pid\n"
    "MATCH (p:`Proposal` {id: pid})\n"
    "OPTIONAL MATCH (p)-[:`HAS_EVENT`|`PROPOSES`]->(x)\n"
    "DETACH DELETE x, p"
)
PROVISION_LINKS_QUERY = (
    "UNWIND $rows AS r\n"
    "MATCH (t:`ProposalTarget` {id: r.src})\n"
    "MATCH (p:`Provision` {id: r.dst})\n"
    "MERGE (t)-[:`ON_PROVISION`]->(p)"
)
LAW_QUERY = (
    "UNWIND $rows AS r\n"
    "MERGE (l:`Law` {id: r.id})\n"
    "ON CREATE SET l.key = r.key, l.jurisdiction = r.jurisdiction, l.kind = r.kind, l.title = r.title"
)


@dataclass
class ProcessLoadReport(ImportReport):
    """What :func:`load_proposals` did: counts per label, edges created, problems."""

    snapshot_id: str
    unchanged: bool = False
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One Spanish line."""
        n = self.nodes.get("Proposal", LabelCounts())
        if self.unchanged:
            return f"{self.snapshot_id}: sin cambios ({n.unchanged} propuestas ya cargadas)."
        return (f"{self.snapshot_id}: propuestas {n.inserted} insertadas, {n.updated} actualizadas, "
                f"{n.unchanged} sin cambios, {n.deleted} eliminadas; {self.total('inserted')} nodos "
                f"nuevos en total, {self.relationships_created} relaciones creadas; "
                f"{len(self.problems)} problemas de lectura")


def _law_kind(name: str) -> str:
    f = fold(name)
    if f.startswith("constitucion"):
        return "constitucion"
    if f.startswith("codigo"):
        return "codigo"
    return "ley"


def plan_proposals(proposals: Iterable[Proposal], snapshot_id: str, as_of: date | None = None
                   ) -> tuple[dict[str, list[Node]], list[Edge], list[dict[str, Any]], list[dict[str, str]], list[str]]:
    """Rows for the graph: nodes by label, edges, Law rows, target->provision rows, problems."""
    from lawgraph.catalog import load_catalog

    catalog = load_catalog()
    names = {e.key.lower(): e for e in catalog.entries} if hasattr(catalog, "entries") else {}
    nodes: dict[str, dict[str, Node]] = {k: {} for k in
                                          ("Proposal", "Event", "Proponent", "Party", "Committee",
                                           "ProposalTarget")}
    edges: list[Edge] = []
    laws: dict[str, dict[str, Any]] = {}
    prov_links: list[dict[str, str]] = []
    problems: list[str] = []
    for p in proposals:
        if p.id in nodes["Proposal"]:
            problems.append(f"{p.id}: propuesta repetida; se conserva la primera lectura")
            continue
        stage = p.stage                      # computed from the events: once
        since = pending_since(p)
        art_refs, law_keys = [], []
        for i, t in enumerate(p.targets, 1):
            tid = f"{p.id}/tgt_{i}"
            key = (t.law_key or "").lower() or None
            nodes["ProposalTarget"][tid] = Node("ProposalTarget", tid, {
                "proposal_id": p.id, "law_raw": t.law_raw, "law_key": key,
                "jurisdiction": t.jurisdiction, "ops": list(t.ops), "articles": list(t.articles),
                "fractions": json.dumps([list(x) for x in t.fractions], ensure_ascii=False),
                "constitutional": t.constitutional, "score": float(t.resolution_score)})
            edges.append(Edge("PROPOSES", "Proposal", p.id, "ProposalTarget", tid))
            if key:
                juris = t.jurisdiction or "mx"
                entry = names.get(key)
                kind = _law_kind(entry.name if entry else (t.law_raw or ""))
                if key == "cpeum":
                    kind = "constitucion"
                work = ids.work_id(juris, kind, key)
                laws.setdefault(work, {"id": work, "key": key, "jurisdiction": juris, "kind": kind,
                                       "title": entry.name if entry else t.law_raw})
                edges.append(Edge("ON_LAW", "ProposalTarget", tid, "Law", work))
                law_keys.append(key.upper())
                pids = []
                for a in t.articles:
                    art_refs.append(f"{key.upper()}|{a}")
                    pids.append(ids.provision_id(work, [ids.unit_segment("articulo", a)]))
                    prov_links.append({"src": tid, "dst": pids[-1]})
                nodes["ProposalTarget"][tid].props["provision_ids"] = pids
                nodes["ProposalTarget"][tid].h = props_hash(nodes["ProposalTarget"][tid].props)
        for j, e in enumerate(p.events, 1):
            eid = f"{p.id}/ev_{j}"
            nodes["Event"][eid] = Node("Event", eid, {
                "proposal_id": p.id, "ordinal": j, "stage": e.stage.value,
                "date": e.date.isoformat() if e.date else None, "chamber": e.chamber,
                "jurisdiction": e.jurisdiction, "detail": e.detail, "committees": list(e.committees),
                "file": e.source.file, "sha256": e.source.sha256, "line": e.source.line,
                "offset": e.source.offset})
            edges.append(Edge("HAS_EVENT", "Proposal", p.id, "Event", eid))
        parties = []
        for x in p.proponents:
            pid = ids.person_id(x.name)
            if pid not in nodes["Proponent"]:
                nodes["Proponent"][pid] = Node("Proponent", pid, {"name": x.name, "kind": x.kind})
            edges.append(Edge("PROPOSED", "Proponent", pid, "Proposal", p.id))
            if x.party:
                party_id = ids.party_id(x.party)
                if party_id not in nodes["Party"]:
                    nodes["Party"][party_id] = Node("Party", party_id, {"name": x.party})
                edges.append(Edge("MEMBER_OF", "Proponent", pid, "Party", party_id))
                parties.append(fold(x.party).strip())
        for c in p.committees:
            cid = ids.committee_id(c.chamber, c.key)
            if cid not in nodes["Committee"]:
                nodes["Committee"][cid] = Node("Committee", cid, {
                    "name": c.name, "key": c.key, "chamber": c.chamber, "sitl_id": c.sitl_id})
            edges.append(Edge("TURNED_TO", "Proposal", p.id, "Committee", cid, {"role": c.role}))
        nodes["Proposal"][p.id] = Node("Proposal", p.id, {
            "kind": p.kind, "legislature": p.legislature, "chamber": p.chamber, "title": p.title,
            "synopsis": p.synopsis, "status": p.status,
            "status_date": p.status_date.isoformat() if p.status_date else None,
            "date_presented": p.date_presented.isoformat() if p.date_presented else None,
            "gaceta_url": p.gaceta_url, "stage": stage.value,
            "final": stage in FINAL_STAGES,
            "pending_since": since.isoformat() if since else None,
            "topic": " " + " ".join(fold(f"{p.title} {p.synopsis}").replace(",", " ").replace(".", " ").split()),
            "parties": sorted(set(parties)), "committee_keys": sorted({c.key for c in p.committees}),
            "law_keys": sorted(set(law_keys)), "article_refs": sorted(set(art_refs)),
            "sources": json.dumps([s.model_dump() for s in p.sources], ensure_ascii=False),
            "problems": json.dumps(list(p.problems), ensure_ascii=False),
            "snapshot": snapshot_id})
        edges.append(Edge("HAS_PROPOSAL", "ProcessSnapshot", snapshot_id, "Proposal", p.id))
    # Deduplicate edges (a proponent named twice on one proposal).
    seen: set[tuple[str, str, str]] = set()
    uniq = []
    for e in edges:
        k = (e.type, e.src, e.dst)
        if k not in seen:
            seen.add(k)
            uniq.append(e)
    return ({k: list(v.values()) for k, v in nodes.items()}, uniq, list(laws.values()),
            prov_links, problems)


def load_proposals(store: GraphStore, proposals: list[Proposal], *, snapshot: str = "sitl-diputados-lxvi",
                   problems: list[str] | None = None, n_records: int = 0) -> ProcessLoadReport:
    """Load proposals as one snapshot: idempotent (counts of inserted / updated / unchanged),
    invisible to the status queries until complete; proposals of an earlier load of the
    snapshot that are no longer read are deleted with their events and targets."""
    import time

    t0 = time.perf_counter()
    # As in lawgraph.graph.load: tens of thousands of small objects that all live to the end;
    # the cyclic collector would rescan them (and the caller's proposals) again and again.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_proposals(store, proposals, snapshot, problems, n_records, t0)
    finally:
        if gc_was_enabled:
            gc.enable()


def _load_proposals(store: GraphStore, proposals: list[Proposal], snapshot: str,
                    problems: list[str] | None, n_records: int, t0: float) -> ProcessLoadReport:
    import time

    sid = ids.snapshot_id(snapshot)
    report = ProcessLoadReport(sid, problems=list(problems or []))
    nodes, edges, laws, prov_links, plan_problems = plan_proposals(proposals, sid)
    report.problems.extend(plan_problems)
    for label in nodes:
        report.nodes[label] = LabelCounts()
    h = hashlib.sha256(sid.encode())
    for label in sorted(nodes):
        for n in nodes[label]:
            h.update(f"|{n.id}|{n.h}".encode())
    for e in edges:
        h.update(f"|{e.type}|{e.src}|{e.dst}|{json.dumps(e.props, sort_keys=True) if e.props else ''}".encode())
    digest = h.hexdigest()[:24]
    store.ensure_schema()
    state = store.run(SNAPSHOT_STATE_QUERY, {"id": sid}).single() or {}
    if state.get("complete") is True and state.get("content_hash") == digest:
        report.unchanged = True
        for label, ns in nodes.items():
            report.nodes[label].unchanged = len(ns)
        report.seconds = time.perf_counter() - t0
        return report
    store.run(BEGIN_SNAPSHOT_QUERY, {"id": sid})
    wanted = {n.id for n in nodes["Proposal"]}
    stale = sorted({r["id"] for r in store.run(STALE_PROPOSALS_QUERY, {"id": sid}).rows} - wanted)
    for batch in batches(stale, store):
        res = store.run(DELETE_PROPOSAL_QUERY, {"ids": batch})
        report.nodes["Proposal"].deleted += len(batch)
        report.nodes["Event"].deleted += max(0, res.counters.get("nodes_deleted", 0) - len(batch))
    for batch in batches(laws, store):
        store.run(LAW_QUERY, {"rows": batch})
    for label in ("Party", "Proponent", "Committee", "Proposal", "Event", "ProposalTarget"):
        upsert_nodes(store, label, nodes[label], report)
    merge_edges(store, edges, report)
    for batch in batches(prov_links, store):
        res = store.run(PROVISION_LINKS_QUERY, {"rows": batch})
        report.relationships_created += res.counters.get("relationships_created", 0)
    store.run(FINISH_SNAPSHOT_QUERY, {"id": sid, "content_hash": digest, "props": {
        "records": n_records, "proposals": len(nodes["Proposal"]),
        "problems": json.dumps(report.problems[:2000], ensure_ascii=False)}})
    store.checkpoint()
    report.seconds = time.perf_counter() - t0
    return report


def link_provisions(store: GraphStore, law_id: str) -> int:
    """Link the proposal targets on a law to its article Provisions (for a law ingested after
    the proposals); returns the number of links created."""
    res = store.run(
        "MATCH (:`Law` {id: $law_id})<-[:`ON_LAW`]-(t:`ProposalTarget`)\n"
        "UNWIND t.provision_ids AS pid\n"
        "MATCH (p:`Provision` {id: pid})\n"
        "MERGE (t)-[:`ON_PROVISION`]->(p)", {"law_id": law_id})
    return res.counters.get("relationships_created", 0)


# --------------------------------------------------------------------------------------------
# Status questions


def find_proposals(store: GraphStore, *, topic: str | None = None, law: str | None = None,
                   article: str | None = None, committee: str | None = None,
                   party: str | None = None, stage: str | None = None,
                   older_than: int | None = None, as_of: str | date | None = None,
                   limit: int = 1000) -> list[dict[str, Any]]:
    """Proposals of complete snapshots matching every filter given (the same semantics as
    :func:`lawgraph.status.find_proposals`): ``topic`` words as prefixes of words of the
    title or synopsis; ``article`` needs ``law``; ``older_than`` days waiting in ``stage``
    (default: turnada_comision) as of ``as_of`` (default today)."""
    if article and not law:
        raise InputError(None, "para filtrar por artículo indique también la ley (por ejemplo --law LGAMVLV)")
    if stage is not None:
        try:
            stage = Stage(stage).value
        except ValueError as exc:
            raise InputError(None, f"etapa desconocida {stage!r}; válidas: "
                                   f"{', '.join(s.value for s in Stage)}") from exc
    cutoff = None
    if older_than is not None:
        day = date.fromisoformat(_iso(as_of)) if as_of else date.today()
        cutoff = (day - timedelta(days=older_than)).isoformat()
        stage = stage or Stage.TURNADA_COMISION.value
    params = {
        "words": [" " + w for w in fold(topic).split()] if topic else None,
        "law": law.upper() if law else None,
        "article_ref": f"{law.upper()}|{ids.normalise_article_label(article)}" if article and law else None,
        "committee": ids.slug(fold(committee)) if committee else None,
        "party": fold(party).strip() if party else None,
        "stage": stage,
        "cutoff": cutoff,
        "limit": limit,
    }
    return run_named(store, "find_proposals", params)


def proposal_timeline(store: GraphStore, proposal_id: str) -> dict[str, Any] | None:
    """A proposal with its events in order (date, then along the legislative path), each with
    its source; None when the id is unknown."""
    from lawgraph.model.process import STAGE_ORDER

    rows = run_named(store, "proposal_timeline", {"id": proposal_id})
    if not rows:
        return None
    r = rows[0]
    events = sorted((e for e in r["events"] if e.get("stage")),
                    key=lambda e: (e.get("date") or "9999", STAGE_ORDER[Stage(e["stage"])]))
    return {**r["proposal"], "events": events, "targets": [t for t in r["targets"] if t.get("id")]}


def process_summary(store: GraphStore) -> dict[str, Any]:
    """Counts by stage, party and law of the complete snapshots."""
    rows = run_named(store, "proposal_counts")
    out: dict[str, dict[str, int]] = {"stage": {}, "party": {}, "law": {}}
    for r in rows:
        out["stage"][r["stage"]] = out["stage"].get(r["stage"], 0) + 1
        for x in r["parties"] or []:
            out["party"][x] = out["party"].get(x, 0) + 1
        for x in r["law_keys"] or []:
            out["law"][x] = out["law"].get(x, 0) + 1
    return out
