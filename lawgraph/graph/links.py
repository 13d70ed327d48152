"""Recommendations, civil-society suggestions and their reviewed links to provisions, in the graph.

Graph model (ids: ``rec_id`` / ``sug_id`` of :mod:`lawgraph.model.recs`; law ids from
:mod:`lawgraph.ids`)::

    (:Recommendation {body, document, paragraph, subparagraph, year, language, text,
                      recommendation_part, chapeau, section, themes, recommending_states,
                      decision, parent, file, sha256, page, row, start, end})   id = rec_id
      -[:PART_OF]->(:Recommendation)            a lettered sub-paragraph -> its paragraph
      -[:READ_FROM]->(:Document)
    (:Suggestion {organisation, date, text, language, priority_area, target_law,
                  target_law_key, file, sha256, row, start, end})             id = sug_id
      -[:TARGETS]->(:Law)                       when target_law_key names a loaded law
    (:Recommendation|:Suggestion)-[:LINK {id, kind, score, method, version_id, evidence_from,
        evidence_to, decree_id, status, reviewer, time, reason, linked_at}]->(:Provision|:Proposal)

Why LINK ends on the ``Provision`` (the unit across versions) and not on a ``ProvisionVersion``:
a reviewer's "this article implements paragraph 14(e)" is a statement about the article, and
must still hold (and still be shown) after the law is re-ingested or a newer version is loaded;
version-scoped nodes are rewritten by every load of their version. The version whose text the
linker matched is kept on the edge (``version_id``), so the evidence spans (``evidence_to``,
character offsets into that version's text) and the source (document sha256, page, date) stay
exact. A link from a suggestion to a ``Proposal`` records an initiative that took it up.

``link_id`` = :meth:`LinkCandidate.make_id` of (from_id, provision id): the same pair keeps the
same id whichever version the linker matched, so a decision recorded under that id re-applies
after re-linking, re-ingesting and rebuilding.

Human input goes through the journal first (:mod:`lawgraph.journal`): suggestions and review
decisions are appended (fsync'd) before the graph is touched, and
:func:`lawgraph.steps.replay_journal` puts them back into a rebuilt graph; this module only
writes and reads the graph (``lawgraph.steps.add_suggestions``, ``review_link`` and
``run_linker`` call it). Candidates are machine output: :func:`store_candidates`
replaces a source's ``suggested`` links, but never changes the status, reviewer, time or
reason of a confirmed or rejected one. Evidence spans are JSON strings (no maps on either
engine); times are ISO strings.
"""
from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lawgraph import ids
from lawgraph.graph.cypher import quote_name
from lawgraph.graph.write import ImportReport, LabelCounts
from lawgraph.graph.write import Node as _Node
from lawgraph.graph.write import batches as _batches
from lawgraph.graph.write import props_hash as _hash
from lawgraph.graph.write import upsert_nodes as _upsert_label
from lawgraph.graph.read import run_named
from lawgraph.graph.store import GraphStore
from lawgraph.model.recs import LinkCandidate, LinkDecision, Recommendation, Suggestion

FROM_LABELS = ("Recommendation", "Suggestion")
REVIEWED = ("confirmed", "rejected")


# --------------------------------------------------------------------------------------------
# Reports


@dataclass
class RecsLoadReport(ImportReport):
    """What a load of recommendations or suggestions did, per label."""

    def summary(self) -> str:
        """One Spanish line for the CLI."""
        return self.counts()


@dataclass
class LinkReport(ImportReport):
    """What :func:`store_candidates` did. Links are relationships, so their counts are kept
    here rather than in the per-label node counts of :class:`ImportReport`."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0                   # suggested links no longer proposed
    kept_reviewed: int = 0             # reviewed links the linker proposed again (status kept)
    missing: list[str] = field(default_factory=list)   # candidates whose endpoints are not loaded
    errors: list[str] = field(default_factory=list)    # items the linker refused (lawgraph.steps.run_linker)
    items: int = 0                                     # items linked (lawgraph.steps.run_linker)
    landed: int = 0                                    # suggestions the linker says landed

    def summary(self) -> str:
        s = (f"{self.inserted} vínculos nuevos, {self.updated} actualizados, {self.unchanged} sin cambios, "
             f"{self.deleted} sugerencias retiradas; {self.kept_reviewed} revisados conservados")
        if self.missing:
            s += f"; {len(self.missing)} sin disposición cargada"
        return s


# --------------------------------------------------------------------------------------------
# Recommendations and suggestions


def _source_props(src) -> dict[str, Any]:
    return {"file": src.file, "sha256": src.sha256, "page": src.page, "row": src.row,
            "start": src.start, "end": src.end}


def _rec_node(r: Recommendation) -> _Node:
    props = {
        "body": r.body, "document": r.document, "paragraph": r.paragraph,
        "subparagraph": r.subparagraph, "year": r.year, "language": r.language, "text": r.text,
        "recommendation_part": r.recommendation_part, "chapeau": r.chapeau, "section": r.section,
        "themes": list(r.themes), "recommending_states": list(r.recommending_states),
        "decision": r.decision, "parent": r.parent, **_source_props(r.source),
    }
    return _Node("Recommendation", r.rec_id, {k: v for k, v in props.items() if v is not None})


def _sug_node(s: Suggestion) -> _Node:
    props = {
        "organisation": s.organisation, "date": s.date.isoformat(), "text": s.text,
        "language": s.language, "priority_area": s.priority_area, "target_law": s.target_law,
        "target_law_key": s.target_law_key, **_source_props(s.source),
    }
    return _Node("Suggestion", s.sug_id, {k: v for k, v in props.items() if v is not None})


_READ_FROM_QUERY = (
    "UNWIND $rows AS r\n"
    "MATCH (a:`Recommendation` {id: r.id})\n"
    "MERGE (d:`Document` {id: r.doc})\n"
    "ON CREATE SET d.sha256 = r.sha256, d.file = r.file\n"
    "MERGE (a)-[:`READ_FROM`]->(d)"
)
_PART_OF_QUERY = (
    "UNWIND $rows AS r\n"
    "MATCH (a:`Recommendation` {id: r.id})\n"
    "MATCH (b:`Recommendation` {id: r.parent})\n"
    "MERGE (a)-[:`PART_OF`]->(b)"
)
_TARGETS_QUERY = (
    "UNWIND $rows AS r\n"
    "MATCH (s:`Suggestion` {id: r.id})\n"
    "MATCH (l:`Law` {key: r.key})\n"
    "MERGE (s)-[:`TARGETS`]->(l)"
)


def load_recommendations(store: GraphStore, recs: Iterable[Recommendation]) -> RecsLoadReport:
    """MERGE recommendations by ``rec_id``: idempotent, with inserted / updated / unchanged
    counts (a re-load of the same texts writes nothing). Sub-paragraphs get ``PART_OF`` to
    their paragraph; every node a ``READ_FROM`` edge to its source document."""
    t0 = time.perf_counter()
    recs = list(recs)
    seen: dict[str, Recommendation] = {}
    report = RecsLoadReport()
    for r in recs:
        if r.rec_id in seen:
            report.warnings.append(f"{r.rec_id}: repetida ({r.source.file}); se conserva {seen[r.rec_id].source.file}")
            continue
        seen[r.rec_id] = r
    store.ensure_schema()
    nodes = [_rec_node(r) for r in seen.values()]
    report.nodes["Recommendation"] = LabelCounts()
    _upsert_label(store, "Recommendation", nodes, report, progress=lambda *_: None)  # type: ignore[arg-type]
    changed = _changed_ids(report, nodes)
    rows = [{"id": r.rec_id, "doc": ids.document_id(r.source.sha256), "sha256": r.source.sha256,
             "file": r.source.file} for r in seen.values() if r.rec_id in changed]
    for batch in _batches(rows, store):
        report.relationships_created += store.run(_READ_FROM_QUERY, {"rows": batch}).counters.get(
            "relationships_created", 0)
    rows = [{"id": r.rec_id, "parent": r.parent} for r in seen.values() if r.parent and r.rec_id in changed]
    for batch in _batches(rows, store):
        report.relationships_created += store.run(_PART_OF_QUERY, {"rows": batch}).counters.get(
            "relationships_created", 0)
    store.checkpoint()
    report.seconds = time.perf_counter() - t0
    return report


_STALE_RECS_QUERY = (
    "MATCH (r:`Recommendation`)\n"
    "OPTIONAL MATCH (r)-[l:`LINK`]->()\n"
    "WHERE l.status IN ['confirmed', 'rejected']\n"
    "RETURN r.id AS id, count(l) AS reviewed"
)
_DELETE_RECS_QUERY = (
    "UNWIND $ids AS rid\n"
    "MATCH (r:`Recommendation` {id: rid})\n"
    "DETACH DELETE r"
)


def prune_recommendations(store: GraphStore, keep: Iterable[str]) -> tuple[int, list[str]]:
    """Delete recommendations not in ``keep`` (e.g. ids a corrected reader no longer produces),
    with their suggested links; one that carries a person's review is kept and named.
    Returns (deleted, kept-with-reviews)."""
    keep = set(keep)
    stale, reviewed = [], []
    for r in store.run(_STALE_RECS_QUERY).rows:
        if r["id"] in keep:
            continue
        (reviewed if r["reviewed"] else stale).append(r["id"])
    for batch in _batches(sorted(stale), store):
        store.run(_DELETE_RECS_QUERY, {"ids": batch})
    return len(stale), sorted(reviewed)


def _changed_ids(report: RecsLoadReport, nodes: list[_Node]) -> set[str]:
    # _upsert_label does not say which ids it wrote; edges are MERGEd for all when anything
    # changed (MERGE is idempotent), for none when the whole load was unchanged.
    if report.total("inserted") + report.total("updated") == 0:
        return set()
    return {n.id for n in nodes}


def load_suggestions(store: GraphStore, sugs: Iterable[Suggestion]) -> RecsLoadReport:
    """MERGE suggestions by ``sug_id`` (idempotent, with counts) and their ``TARGETS`` edge to
    the law they name, when it is loaded. Callers that take a person's input use
    :func:`lawgraph.steps.add_suggestions`, which writes the journal first."""
    t0 = time.perf_counter()
    by_id = {s.sug_id: s for s in sugs}   # a later record of the same id replaces it (journal order)
    report = RecsLoadReport()
    store.ensure_schema()
    nodes = [_sug_node(s) for s in by_id.values()]
    report.nodes["Suggestion"] = LabelCounts()
    _upsert_label(store, "Suggestion", nodes, report, progress=lambda *_: None)  # type: ignore[arg-type]
    rows = [{"id": s.sug_id, "key": s.target_law_key.lower()} for s in by_id.values() if s.target_law_key]
    for batch in _batches(rows, store):
        report.relationships_created += store.run(_TARGETS_QUERY, {"rows": batch}).counters.get(
            "relationships_created", 0)
    store.checkpoint()
    report.seconds = time.perf_counter() - t0
    return report


def _model_from_node(props: dict[str, Any], model, id_field: str):
    src_keys = ("file", "sha256", "page", "row", "start", "end")
    src = {k: props[k] for k in src_keys if props.get(k) is not None}
    data = {k: v for k, v in props.items() if k not in src_keys and not k.startswith("_") and k != "id"}
    data[id_field] = props["id"]
    data["source"] = src
    return model.model_validate(data)


def stored_recommendations(store: GraphStore) -> list[Recommendation]:
    """Every recommendation in the graph as a model (what the linker reads)."""
    rows = store.run("MATCH (r:`Recommendation`) RETURN properties(r) AS p ORDER BY r.id").rows
    return [_model_from_node(r["p"], Recommendation, "rec_id") for r in rows]


def stored_suggestions(store: GraphStore) -> list[Suggestion]:
    """Every suggestion in the graph as a model."""
    rows = store.run("MATCH (s:`Suggestion`) RETURN properties(s) AS p ORDER BY s.id").rows
    return [_model_from_node(r["p"], Suggestion, "sug_id") for r in rows]


# --------------------------------------------------------------------------------------------
# Link candidates


def provision_of(to_id: str) -> tuple[str, str | None]:
    """(provision id, version id or None) of a link target given as a provision or a
    provision-version id; a non-law id (a proposal) is returned as is."""
    try:
        pid = ids.parse(to_id)
    except ValueError:
        return to_id, None
    if not pid.path:
        return to_id, None
    work = ids.work_id(pid.jurisdiction, pid.kind, pid.key)
    segs = [f"{ids.UNIT_PREFIX.get(u, u)}_{lab}" for u, lab in pid.path]
    prov = ids.provision_id(work, segs)
    return prov, (to_id if pid.date else None)


def target_label(to_id: str) -> str:
    """'Provision' for a law unit id, 'Proposal' for anything else (an initiative)."""
    try:
        pid = ids.parse(to_id)
    except ValueError:
        return "Proposal"
    return "Provision" if pid.path else "Proposal"


def link_id_for(from_id: str, to_id: str) -> str:
    """The stored id of the link between a source and a target (provision level)."""
    return LinkCandidate.make_id(from_id, provision_of(to_id)[0])


def from_label(from_id: str) -> str:
    """'Suggestion' for a sug_id, 'Provision' for a law unit id (an equivalence between two
    jurisdictions, lawgraph.graph.equivalence_links), else 'Recommendation'."""
    if from_id.startswith("/"):
        return "Provision"
    return "Suggestion" if from_id.startswith("SUG-") else "Recommendation"


def _spans_json(spans) -> str:
    return json.dumps([{"start": s.start, "end": s.end, "text": s.text} for s in spans], ensure_ascii=False)


def existing_links_query(src: str) -> str:
    """The LINK edges of a batch of sources, with what a re-link must compare."""
    return (
        "UNWIND $ids AS sid\n"
        f"MATCH (a:{quote_name(src)} {{id: sid}})-[l:`LINK`]->(t)\n"
        "RETURN a.id AS from_id, l.id AS id, l.status AS status, l._h AS h"
    )


def upsert_links_query(src: str, dst: str) -> str:
    """MERGE a batch of candidate links. A new edge starts 'suggested'; an existing reviewed
    edge keeps its status, reviewer, time and reason (only the machine fields change)."""
    return (
        "UNWIND $rows AS r\n"
        f"MATCH (a:{quote_name(src)} {{id: r.from_id}})\n"
        f"MATCH (t:{quote_name(dst)} {{id: r.to_id}})\n"
        "MERGE (a)-[l:`LINK`]->(t)\n"
        "ON CREATE SET l.status = 'suggested'\n"
        "SET l += r.props\n"
        "RETURN r.id AS id"
    )


def delete_links_query(src: str) -> str:
    """Delete suggested LINK edges by id (reviewed ones are never matched)."""
    return (
        "UNWIND $rows AS r\n"
        f"MATCH (a:{quote_name(src)} {{id: r.from_id}})-[l:`LINK` {{id: r.id}}]->()\n"
        "WHERE l.status = 'suggested'\n"
        "DELETE l"
    )


def store_candidates(store: GraphStore, candidates: Iterable[LinkCandidate], *,
                     from_ids: Iterable[str] | None = None) -> LinkReport:
    """Store machine link candidates, never as accepted.

    For every source in ``from_ids`` (default: the sources of ``candidates``), its suggested
    links that are not proposed again are deleted; proposed ones are inserted or updated
    (counts); a link a person confirmed or rejected keeps their decision and only gets the new
    score, method and evidence. Candidates whose source or target is not in the graph are
    listed in ``report.missing``.
    """
    cands = list(candidates)
    sources = set(from_ids) if from_ids is not None else {c.from_id for c in cands}
    report = LinkReport()
    store.ensure_schema()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    # one candidate per (source, provision): the best-scored one, at the place its provision
    # first takes in its source's list (the linker's order, which a reranked or interleaved
    # ranking makes differ from score order; the pages of one source show links in it)
    best: dict[str, tuple[LinkCandidate, str, str | None]] = {}
    rank: dict[str, int] = {}
    places: dict[str, int] = defaultdict(int)
    for c in cands:
        prov, version = provision_of(c.to_id)
        lid = LinkCandidate.make_id(c.from_id, prov)
        if lid not in rank:
            places[c.from_id] += 1
            rank[lid] = places[c.from_id]
        if lid not in best or c.score > best[lid][0].score:
            best[lid] = (c, prov, version)
        sources.add(c.from_id)
    by_label: dict[str, list[str]] = defaultdict(list)
    for s in sources:
        by_label[from_label(s)].append(s)
    stored: dict[str, tuple[str, str | None, str]] = {}   # link id -> (status, h, from_id)
    for src, sids in by_label.items():
        for batch in _batches(sorted(sids), store):
            for r in store.run(existing_links_query(src), {"ids": batch}).rows:
                stored[r["id"]] = (r["status"], r["h"], r["from_id"])
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for lid, (c, prov, version) in best.items():
        props = {"id": lid, "kind": c.kind, "score": float(c.score), "rank": rank[lid], "method": c.method,
                 "version_id": version, "evidence_from": _spans_json(c.evidence_from),
                 "evidence_to": _spans_json(c.evidence_to), "decree_id": c.decree_id,
                 "anchors": json.dumps(c.anchors, ensure_ascii=False, sort_keys=True) if c.anchors else None}
        props = {k: v for k, v in props.items() if v is not None}
        h = _hash(props)
        old = stored.get(lid)
        if old is not None and old[0] in REVIEWED:
            report.kept_reviewed += 1
        if old is not None and old[1] == h:
            report.unchanged += 1
            continue
        if old is None:
            report.inserted += 1
        else:
            report.updated += 1
        props["_h"] = h
        props["linked_at"] = now
        groups[(from_label(c.from_id), target_label(prov))].append(
            {"id": lid, "from_id": c.from_id, "to_id": prov, "props": props})
    for (src, dst), rows in groups.items():
        q = upsert_links_query(src, dst)
        for batch in _batches(rows, store):
            written = {r["id"] for r in store.run(q, {"rows": batch}).rows}
            for row in batch:
                if row["id"] not in written:
                    report.missing.append(f"{row['from_id']} -> {row['to_id']}")
                    if row["id"] in stored:
                        report.updated -= 1
                    else:
                        report.inserted -= 1
    stale = [{"id": lid, "from_id": f} for lid, (status, _h, f) in stored.items()
             if status == "suggested" and lid not in best]
    for src in FROM_LABELS:
        rows = [r for r in stale if from_label(r["from_id"]) == src]
        for batch in _batches(rows, store):
            report.deleted += store.run(delete_links_query(src), {"rows": batch}).counters.get(
                "relationships_deleted", 0)
    store.checkpoint()
    return report


# --------------------------------------------------------------------------------------------
# Review decisions

def get_link(store: GraphStore, link_id: str) -> dict[str, Any] | None:
    """One stored link with both ends, or None."""
    rows = run_named(store, "link_by_id", {"link_id": link_id})
    return _link_row(rows[0]) if rows else None


def apply_decision_query(src: str, dst: str) -> str:
    """Put a review decision on the link (creating the edge when the linker has not, or not
    yet again, proposed it: after a rebuild the journal is replayed before re-linking)."""
    return (
        f"MATCH (a:{quote_name(src)} {{id: $from_id}})\n"
        f"MATCH (t:{quote_name(dst)} {{id: $to_id}})\n"
        "MERGE (a)-[l:`LINK`]->(t)\n"
        "ON CREATE SET l.id = $link_id, l.score = 0.0, l.method = 'revisión', l.kind = 'relevant', "
        "l.evidence_from = '[]', l.evidence_to = '[]'\n"
        "SET l.status = $status, l.reviewer = $reviewer, l.time = $time, l.reason = $reason, "
        "l.kind = coalesce($kind, l.kind)\n"
        "RETURN l.id AS id"
    )


def apply_decision(store: GraphStore, d: LinkDecision) -> bool:
    """Write a decision onto the graph; False when an end of the link is not loaded (the
    decision stays in the journal and is applied by a later replay)."""
    prov, _ = provision_of(d.to_id)
    res = store.run(apply_decision_query(from_label(d.from_id), target_label(prov)), {
        "from_id": d.from_id, "to_id": prov, "link_id": d.link_id, "status": d.status,
        "reviewer": d.reviewer, "time": d.time.isoformat(timespec="seconds"), "reason": d.reason,
        "kind": d.kind})
    return bool(res.rows)


# --------------------------------------------------------------------------------------------
# Read side


def _loads(s: Any) -> list[dict[str, Any]]:
    if not s:
        return []
    try:
        v = json.loads(s)
    except (TypeError, ValueError):
        return []
    return v if isinstance(v, list) else []


def _link_row(r: dict[str, Any]) -> dict[str, Any]:
    out = dict(r)
    out["evidence_from"] = _loads(r.get("evidence_from"))
    out["evidence_to"] = _loads(r.get("evidence_to"))
    out["anchors"] = _loads(r.get("anchors"))
    if out.get("to_id") and out.get("target_label") == "Provision":
        pid = ids.parse(out["to_id"])
        out["law_key"] = pid.key
        out["article"] = next((lab for u, lab in pid.path if u == "articulo"), None)
        out["unit"] = " ".join(f"{u} {lab}" for u, lab in pid.path)
    return out


def list_links(store: GraphStore, *, status: str | None = None, from_id: str | None = None,
               to_id: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Stored links, best score first, filtered by status, source and/or target provision."""
    if to_id:
        to_id = provision_of(to_id)[0]
    rows = run_named(store, "list_links", {"status": status, "from_id": from_id, "to_id": to_id,
                                           "limit": int(limit)})
    return [_link_row(r) for r in rows]


def in_linker_order(links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One source's links in the order the linker ranked them (``rank``), not by score: the
    suggestion path's reranker and the recommendation path's interleaved clause rankings both
    order candidates otherwise than by their scores. Links stored without a rank (before ranks
    were stored) follow, best score first."""
    return sorted(links, key=lambda lk: (lk.get("rank") is None, lk.get("rank") or 0, -(lk.get("score") or 0.0)))


def recommendation_view(store: GraphStore, rec_id: str) -> dict[str, Any] | None:
    """A recommendation with its sub-paragraphs and its links (candidates and reviewed), each
    with score, method, evidence in both texts and the matched provision's source."""
    rows = run_named(store, "recommendation", {"rec_id": rec_id})
    if not rows:
        return None
    rec = {k: v for k, v in rows[0]["r"].items() if not k.startswith("_")}
    rec["id"] = rec_id
    rec["children"] = [{"id": i, "text": t} for i, t in zip(rows[0]["children"], rows[0]["children_text"])]
    rec["links"] = _with_sources(store, in_linker_order(list_links(store, from_id=rec_id, limit=200)))
    rec["confirmed"] = [lk for lk in rec["links"] if lk["status"] == "confirmed"]
    return rec


def suggestion_view(store: GraphStore, sug_id: str) -> dict[str, Any] | None:
    """A suggestion, its links, and whether it became law: the confirmed links with the
    article, the words (evidence) and the decree with its DOF date (``landed``); the linker's
    unreviewed claims (``possible``); and the initiatives that took it up (``initiatives``:
    proposals presented on or after its date on an article linked to it, not rejected)."""
    rows = run_named(store, "suggestion", {"sug_id": sug_id})
    if not rows:
        return None
    sug = {k: v for k, v in rows[0]["s"].items() if not k.startswith("_")}
    sug["id"] = sug_id
    sug["law_title"] = rows[0].get("law_title")
    links = _with_sources(store, in_linker_order(list_links(store, from_id=sug_id, limit=200)))
    sug["links"] = links
    # initiatives: linked directly, or presented after the suggestion on an article linked to it
    sug["proposals"] = [lk for lk in links if lk.get("target_label") == "Proposal"]
    sug["initiatives"] = run_named(store, "suggestion_proposals", {"sug_id": sug_id})
    landed = [lk for lk in links if lk["status"] == "confirmed" and lk.get("target_label") == "Provision"
              and lk.get("kind") in ("implements", "partially_implements", "reuses_text")]
    sug["landed"] = landed
    sug["became_law"] = bool(landed)
    sug["possible"] = [lk for lk in links if lk["status"] == "suggested" and lk.get("decree_id")]
    return sug


def provision_links(store: GraphStore, ref: str) -> list[dict[str, Any]]:
    """The recommendations and suggestions linked to a provision (any of its versions, any
    unit under it), reviewed first."""
    prov, _ = provision_of(ref)
    rows = run_named(store, "provision_links", {"provision_id": prov, "prefix": prov + "/"})
    return [_link_row(r) for r in rows]


def _with_sources(store: GraphStore, links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add each link's provision text and source (document, page, date) and decree."""
    if not links:
        return links
    wanted = [{"id": lk["id"], "to_id": lk["to_id"], "version_id": lk.get("version_id"),
               "decree_id": lk.get("decree_id")} for lk in links]
    by_id: dict[str, dict[str, Any]] = {}
    for batch in _batches(wanted, store):   # the Bolt endpoint caps a parameter's size
        by_id.update((r["id"], r) for r in run_named(store, "link_sources", {"rows": batch}))
    for lk in links:
        src = by_id.get(lk["id"]) or {}
        lk["source"] = {k: src.get(k) for k in ("version", "version_date", "sha256", "page", "file")}
        lk["provision_text"] = src.get("text")
        lk["decree"] = None
        if lk.get("decree_id"):
            # a decree id carries its DOF date (/mx/dof/2024-01-17/<hash>): shown even when the
            # decree node itself is not loaded
            parts = lk["decree_id"].strip("/").split("/")
            dof = src.get("dof_date") or (parts[2] if len(parts) > 2 else None)
            lk["decree"] = {"id": lk["decree_id"], "dof_date": dof, "title": src.get("decree_title")}
    return links


def list_recommendations(store: GraphStore, *, body: str | None = None, document: str | None = None,
                         q: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Recommendations in document and paragraph order, with their link counts."""
    return _ints(run_named(store, "list_recommendations", {
        "body": body.upper() if body else None, "document": document,
        "q": q.lower() if q else None, "limit": int(limit), "offset": int(offset)}))


def list_suggestions(store: GraphStore, *, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Suggestions, newest first, with their link counts."""
    return _ints(run_named(store, "list_suggestions", {"limit": int(limit), "offset": int(offset)}))


def recs_summary(store: GraphStore) -> dict[str, Any]:
    """Counts of recommendations by body and of links by status."""
    rows = _ints(run_named(store, "recs_summary", {}))
    return rows[0] if rows else {}


def _ints(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # FalkorDB returns sum() as a float; counts are shown as integers.
    for r in rows:
        for k in ("links", "confirmed", "suggested", "rejected", "recommendations", "suggestions"):
            if isinstance(r.get(k), float):
                r[k] = int(r[k])
    return rows


# --------------------------------------------------------------------------------------------
# What the linker reads (lawgraph.steps.stored_units builds its units from these rows)


def linkable_versions(store: GraphStore, jurisdiction: str = "mx") -> list[dict[str, Any]]:
    """The complete documentary law versions of a jurisdiction with their content hashes
    (named query ``link_law_versions``)."""
    return run_named(store, "link_law_versions", {"jurisdiction": jurisdiction})


def version_link_rows(store: GraphStore, version_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]],
                                                                   list[dict[str, Any]]]:
    """(provision versions, divisions, note decrees) of one stored law version, the rows the
    linker rebuilds its units from (named queries ``link_version_*``)."""
    params = {"version_id": version_id}
    provisions = run_named(store, "link_version_provisions", params)
    divisions = run_named(store, "link_version_divisions", params)
    nd = run_named(store, "link_version_note_decrees", params)
    notes = [n for n in (nd[0]["notes"] if nd else []) if n.get("id")]
    return provisions, divisions, notes
