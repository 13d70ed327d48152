"""The legislative process as rows for the graph: a pure function of the proposals read.

:func:`plan_proposals` resolves each target's law against the catalogue (its key, kind and
name), folds titles and synopses into the topic the status filters search, computes the date a
proposal has been pending since, and gives every node and edge its key from :mod:`lawgraph.ids`.
:func:`lawgraph.graph.process.write_proposals` writes the :class:`ProposalPlan`;
:mod:`lawgraph.steps` calls one after the other.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from lawgraph import ids
from lawgraph.catalog import load_catalog
from lawgraph.model.process import FINAL_STAGES, Proposal, ProposalPlan
from lawgraph.nlp.dates import fold
from lawgraph.status import pending_since


def _law_kind(name: str) -> str:
    f = fold(name)
    if f.startswith("constitucion"):
        return "constitucion"
    if f.startswith("codigo"):
        return "codigo"
    return "ley"


def plan_proposals(proposals: Iterable[Proposal], snapshot: str) -> ProposalPlan:
    """Rows for the graph: nodes by label, edges, Law rows, target->provision rows, problems."""
    snapshot_id = ids.snapshot_id(snapshot)
    catalog = load_catalog()
    names = {e.key.lower(): e for e in catalog.entries} if hasattr(catalog, "entries") else {}
    nodes: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in
                                          ("Proposal", "Event", "Proponent", "Party", "Committee",
                                           "ProposalTarget")}
    edges: list[tuple] = []
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
            tid = ids.target_id(p.id, i)
            key = (t.law_key or "").lower() or None
            nodes["ProposalTarget"][tid] = {
                "proposal_id": p.id, "law_raw": t.law_raw, "law_key": key,
                "jurisdiction": t.jurisdiction, "ops": list(t.ops), "articles": list(t.articles),
                "fractions": json.dumps([list(x) for x in t.fractions], ensure_ascii=False),
                "constitutional": t.constitutional, "score": float(t.resolution_score)}
            edges.append(("PROPOSES", "Proposal", p.id, "ProposalTarget", tid))
            if key:
                juris = t.jurisdiction or "mx"
                entry = names.get(key)
                kind = _law_kind(entry.name if entry else (t.law_raw or ""))
                if key == "cpeum":
                    kind = "constitucion"
                work = ids.work_id(juris, kind, key)
                laws.setdefault(work, {"id": work, "key": key, "jurisdiction": juris, "kind": kind,
                                       "title": entry.name if entry else t.law_raw})
                edges.append(("ON_LAW", "ProposalTarget", tid, "Law", work))
                law_keys.append(key.upper())
                pids = []
                for a in t.articles:
                    art_refs.append(f"{key.upper()}|{a}")
                    pids.append(ids.provision_id(work, [ids.unit_segment("articulo", a)]))
                    prov_links.append({"src": tid, "dst": pids[-1]})
                nodes["ProposalTarget"][tid]["provision_ids"] = pids
        for j, e in enumerate(p.events, 1):
            eid = ids.event_id(p.id, j)
            nodes["Event"][eid] = {
                "proposal_id": p.id, "ordinal": j, "stage": e.stage.value,
                "date": e.date.isoformat() if e.date else None, "chamber": e.chamber,
                "jurisdiction": e.jurisdiction, "detail": e.detail, "committees": list(e.committees),
                "file": e.source.file, "sha256": e.source.sha256, "line": e.source.line,
                "offset": e.source.offset, "record": e.source.record}
            edges.append(("HAS_EVENT", "Proposal", p.id, "Event", eid))
        parties = []
        for x in p.proponents:
            pid = ids.person_id(x.name)
            if pid not in nodes["Proponent"]:
                nodes["Proponent"][pid] = {"name": x.name, "kind": x.kind}
            edges.append(("PROPOSED", "Proponent", pid, "Proposal", p.id))
            if x.party:
                party_id = ids.party_id(x.party)
                if party_id not in nodes["Party"]:
                    nodes["Party"][party_id] = {"name": x.party}
                edges.append(("MEMBER_OF", "Proponent", pid, "Party", party_id))
                parties.append(fold(x.party).strip())
        for c in p.committees:
            cid = ids.committee_id(c.chamber, c.key)
            if cid not in nodes["Committee"]:
                nodes["Committee"][cid] = {
                    "name": c.name, "key": c.key, "chamber": c.chamber, "sitl_id": c.sitl_id}
            edges.append(("TURNED_TO", "Proposal", p.id, "Committee", cid, {"role": c.role}))
        nodes["Proposal"][p.id] = {
            "kind": p.kind, "legislature": p.legislature, "chamber": p.chamber, "title": p.title,
            "synopsis": p.synopsis, "status": p.status,
            "status_date": p.status_date.isoformat() if p.status_date else None,
            "date_presented": p.date_presented.isoformat() if p.date_presented else None,
            "gaceta_url": p.gaceta_url, "stage": stage.value, "sil_ids": list(p.sil_ids),
            "chambers": sorted({p.chamber, *(e.chamber for e in p.events if e.chamber)}),
            "jurisdictions": sorted({"mx", *(t.jurisdiction for t in p.targets if t.jurisdiction)}),
            "final": stage in FINAL_STAGES,
            "pending_since": since.isoformat() if since else None,
            "topic": " " + " ".join(fold(f"{p.title} {p.synopsis}").replace(",", " ").replace(".", " ").split()),
            "parties": sorted(set(parties)), "committee_keys": sorted({c.key for c in p.committees}),
            "law_keys": sorted(set(law_keys)), "article_refs": sorted(set(art_refs)),
            "sources": json.dumps([s.model_dump() for s in p.sources], ensure_ascii=False),
            "problems": json.dumps(list(p.problems), ensure_ascii=False),
            "snapshot": snapshot_id}
        edges.append(("HAS_PROPOSAL", "ProcessSnapshot", snapshot_id, "Proposal", p.id))
    # Deduplicate edges (a proponent named twice on one proposal).
    seen: set[tuple[str, str, str]] = set()
    uniq = []
    for e in edges:
        k = (e[0], e[2], e[4])
        if k not in seen:
            seen.add(k)
            uniq.append(e)
    return ProposalPlan(nodes={k: list(v.items()) for k, v in nodes.items()}, edges=uniq,
                        laws=list(laws.values()), provision_links=prov_links, problems=problems)
