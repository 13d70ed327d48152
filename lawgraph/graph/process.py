"""The legislative process in the graph: proposals, their events, proponents, committees and
the provisions they would change; and the status questions asked of them.

Graph model::

    (:ProcessSnapshot {complete, content_hash, records, proposals, problems, summary})
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

``summary`` (JSON text: proposals per stage, per party and per law key of the snapshot) is what
:func:`process_summary` reads instead of scanning every proposal: it is counted from the graph
(the snapshot's HAS_PROPOSAL proposals, as the scan sees them) and written in the statement that
flips the snapshot complete, together with the summaries of any other snapshot that shares a
proposal written or deleted by this load, so no complete snapshot's summary is ever stale.

Visibility: the snapshot is staged like a law version (``complete = false`` while written,
flipped in the last statement); every status query starts from a complete snapshot, and a
re-ingest whose content hash is stored writes nothing.
"""
from __future__ import annotations

import hashlib
import json
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
    upsert_nodes,
)
from lawgraph.graph.read import _iso, run_named
from lawgraph.graph.store import GraphStore
from lawgraph.model.process import ProposalPlan, Stage
from lawgraph.ids import fold  # the status filters' parameters are folded like the stored topic

SNAPSHOT_STATE_QUERY = (
    "MATCH (s:`ProcessSnapshot` {id: $id})\n"
    "RETURN s.complete AS complete, s.content_hash AS content_hash, s.summary IS NOT NULL AS summarised"
)
BEGIN_SNAPSHOT_QUERY = (
    "MERGE (s:`ProcessSnapshot` {id: $id})\n"
    "SET s.complete = false"
)
# The summaries of the other snapshots that share a proposal with this load ($others: rows
# {id, summary}) are set in the same statement that flips this one complete.
FINISH_SNAPSHOT_QUERY = (
    "MATCH (s:`ProcessSnapshot` {id: $id})\n"
    "SET s += $props, s.complete = true, s.content_hash = $content_hash\n"
    "WITH s\n"
    "UNWIND $others AS o\n"
    "MATCH (x:`ProcessSnapshot` {id: o.id})\n"
    "SET x.summary = o.summary"
)
SET_SUMMARY_QUERY = (
    "MATCH (s:`ProcessSnapshot` {id: $id})\n"
    "SET s.summary = $summary"
)
# Other snapshots linked to any of the given proposals. The WITH makes FalkorDB 4.16 seek each
# proposal by id and go back along its edge (0.04 s for 5,325 ids, measured); written as one
# pattern it starts from the snapshots and walks all their proposals per id (8 s, quadratic).
SHARING_SNAPSHOTS_QUERY = (
    "UNWIND $ids AS pid\n"
    "MATCH (p:`Proposal` {id: pid})\n"
    "WITH p\n"
    "MATCH (o)-[:`HAS_PROPOSAL`]->(p)\n"
    "WHERE o.id <> $id\n"
    "RETURN DISTINCT o.id AS id"
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


def write_proposals(store: GraphStore, plan: ProposalPlan, *, snapshot: str = "sitl-diputados-lxvi",
                    problems: list[str] | None = None, n_records: int = 0) -> ProcessLoadReport:
    """Write a planned snapshot (:func:`lawgraph.nlp.process_plan.plan_proposals`):
    idempotent (counts of inserted / updated / unchanged), invisible to the status queries
    until complete; proposals of an earlier load of the snapshot that are no longer read are
    deleted with their events and targets."""
    import time

    t0 = time.perf_counter()
    sid = ids.snapshot_id(snapshot)
    report = ProcessLoadReport(sid, problems=list(problems or []))
    nodes = {label: [Node(label, nid, props) for nid, props in rows] for label, rows in plan.nodes.items()}
    edges = [Edge(*e) for e in plan.edges]
    laws, prov_links = plan.laws, plan.provision_links
    report.problems.extend(plan.problems)
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
        if not state.get("summarised"):  # stored before snapshots kept a summary
            store.run(SET_SUMMARY_QUERY, {"id": sid, "summary": _summary_text(store, sid)})
        for label, ns in nodes.items():
            report.nodes[label].unchanged = len(ns)
        report.seconds = time.perf_counter() - t0
        return report
    store.run(BEGIN_SNAPSHOT_QUERY, {"id": sid})
    wanted = {n.id for n in nodes["Proposal"]}
    stale = sorted({r["id"] for r in store.run(STALE_PROPOSALS_QUERY, {"id": sid}).rows} - wanted)
    # Found before the stale proposals are deleted: the snapshots whose counts this load changes.
    sharing: set[str] = set()
    for batch in batches(sorted(wanted) + stale, store):
        sharing.update(r["id"] for r in store.run(SHARING_SNAPSHOTS_QUERY, {"ids": batch, "id": sid}).rows)
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
        "problems": json.dumps(report.problems[:2000], ensure_ascii=False),
        "summary": _summary_text(store, sid)},
        "others": [{"id": o, "summary": _summary_text(store, o)} for o in sorted(sharing)]})
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
    return {**r["proposal"], "events": events, "targets": [t for t in r["targets"] if t.get("id")],
            "proponents": [x for x in r["proponents"] if x], "committees": [c for c in r["committees"] if c]}


SUMMARY_KEYS = ("stage", "party", "law")


def tally(rows: Any) -> dict[str, dict[str, int]]:
    """Proposals per stage, party and law key of rows {stage, parties, law_keys}."""
    out: dict[str, dict[str, int]] = {k: {} for k in SUMMARY_KEYS}
    for r in rows:
        out["stage"][r["stage"]] = out["stage"].get(r["stage"], 0) + 1
        for x in r["parties"] or []:
            out["party"][x] = out["party"].get(x, 0) + 1
        for x in r["law_keys"] or []:
            out["law"][x] = out["law"].get(x, 0) + 1
    return out


def snapshot_summary(store: GraphStore, snapshot_id: str) -> dict[str, dict[str, int]]:
    """A snapshot's counts by stage, party and law, counted from its proposals as the status
    queries see them (one pass over this snapshot's proposals: write time only)."""
    return tally(run_named(store, "proposal_counts_scan", {"snapshots": [snapshot_id]}))


def _summary_text(store: GraphStore, snapshot_id: str) -> str:
    """A snapshot's summary as it is stored: JSON text, keys sorted."""
    summary = snapshot_summary(store, snapshot_id)
    return json.dumps({k: dict(sorted(summary[k].items(), key=lambda kv: str(kv[0]))) for k in SUMMARY_KEYS},
                      ensure_ascii=False)


def process_summary(store: GraphStore) -> dict[str, Any]:
    """Counts by stage, party and law of the complete snapshots: the sum of the summaries
    stored on them (named query ``proposal_counts``, one node per snapshot). A snapshot stored
    before snapshots kept a summary is counted from its proposals (``proposal_counts_scan``)."""
    out: dict[str, dict[str, int]] = {k: {} for k in SUMMARY_KEYS}
    parts, unsummarised = [], []
    for r in run_named(store, "proposal_counts"):
        if r.get("summary") is None:
            unsummarised.append(r["snapshot"])
        else:
            parts.append(json.loads(r["summary"]))
    if unsummarised:
        parts.append(tally(run_named(store, "proposal_counts_scan", {"snapshots": unsummarised})))
    for part in parts:
        for k in SUMMARY_KEYS:
            for x, n in part.get(k, {}).items():
                out[k][x] = out[k].get(x, 0) + n
    return out


def list_proposals(store: GraphStore, *, topic: str | None = None, law: str | None = None,
                   article: str | None = None, stage: str | None = None, chamber: str | None = None,
                   jurisdiction: str | None = None, date_from: str | date | None = None,
                   date_to: str | date | None = None, stalled_days: int | None = None,
                   as_of: str | date | None = None, offset: int = 0, limit: int = 50) -> list[dict[str, Any]]:
    """Proposals for the proposals page (named query ``list_proposals``), newest first: the
    filters of :func:`find_proposals` (an article without a law: that article of any law) plus chamber, jurisdiction and a range of presentation
    dates. ``stalled_days``: pending in their current (unfinished) stage for more than that many
    days as of ``as_of`` (default today), in any stage unless ``stage`` is given."""
    if stage is not None:
        try:
            stage = Stage(stage).value
        except ValueError as exc:
            raise InputError(None, f"etapa desconocida {stage!r}") from exc
    cutoff = None
    if stalled_days is not None:
        day = date.fromisoformat(_iso(as_of)) if as_of else date.today()
        cutoff = (day - timedelta(days=stalled_days)).isoformat()
    return run_named(store, "list_proposals", {
        "words": [" " + w for w in fold(topic).split()] if topic else None,
        "law": law.upper() if law else None,
        "article_ref": f"{law.upper()}|{ids.normalise_article_label(article)}" if article and law else None,
        "article_any": f"|{ids.normalise_article_label(article)}" if article and not law else None,
        "stage": stage, "chamber": chamber or None, "jurisdiction": jurisdiction or None,
        "date_from": _iso(date_from), "date_to": _iso(date_to), "cutoff": cutoff,
        "offset": offset, "limit": limit})


#: Days around a publication event within which a decree on the proposal's law is its decree:
#: the SIL dates the event with the DOF publication day itself; 3 days absorb an event dated
#: with the session that ordered publication (stated reason, not fitted).
DECREE_WINDOW_DAYS = 3


def proposal_decrees(store: GraphStore, proposal: dict[str, Any]) -> list[dict[str, Any]]:
    """The decree(s) a proposal became: decrees on its target laws published within
    :data:`DECREE_WINDOW_DAYS` of its publication event (none when the records know none)."""
    pub = [e["date"] for e in proposal.get("events", []) if e.get("stage") == Stage.PUBLICADA_DOF.value and e.get("date")]
    keys = sorted({(t.get("law_key") or "").lower() for t in proposal.get("targets", []) if t.get("law_key")})
    if not pub or not keys:
        return []
    out: list[dict[str, Any]] = []
    for d in sorted(set(pub)):
        day = date.fromisoformat(d)
        out += run_named(store, "proposal_decrees", {
            "law_keys": keys, "date_from": (day - timedelta(days=DECREE_WINDOW_DAYS)).isoformat(),
            "date_to": (day + timedelta(days=DECREE_WINDOW_DAYS)).isoformat()})
    return out
