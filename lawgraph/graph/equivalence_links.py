"""Equivalent provisions of two jurisdictions as reviewable links in the graph.

    (:Provision)-[:LINK {id, kind: 'equivalent', score, method, version_id, evidence_from,
                        evidence_to, status, reviewer, time, reason, linked_at}]->(:Provision)

The same ``LINK`` edge as the links of recommendations and suggestions
(:mod:`lawgraph.graph.links`), between two ``Provision`` nodes (the article across versions):
a person's "Durango's art. 147 Bis says what CPF art. 325 says" holds after either law is
re-ingested. Candidates are machine output, stored ``suggested`` by
:func:`lawgraph.graph.links.store_candidates` (a reviewed edge keeps its decision, only its
score, method and evidence change); ``lawgraph review confirm/reject`` records the decision in
the journal (record type ``review``) before the graph, and the journal step of every build and
rebuild puts it back. This module adds what the recommendation links do not need: removing the
suggested equivalences that the ranking no longer proposes, and reading them back.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from lawgraph.graph.links import LinkReport, store_candidates
from lawgraph.graph.read import run_named
from lawgraph.graph.store import GraphStore
from lawgraph.graph.write import batches
from lawgraph.model.recs import LinkCandidate


def equivalence_links(store: GraphStore, *, provision_id: str | None = None,
                      status: str | None = None) -> list[dict[str, Any]]:
    """Stored equivalences (optionally only those touching ``provision_id``), best first."""
    rows = run_named(store, "equivalence_links", {"provision_id": provision_id, "status": status})
    for r in rows:
        for k in ("evidence_from", "evidence_to"):
            try:
                r[k] = json.loads(r[k]) if r.get(k) else []
            except (TypeError, ValueError):
                r[k] = []
    return rows


def store_equivalences(store: GraphStore, candidates: Iterable[LinkCandidate]) -> LinkReport:
    """Replace the suggested equivalences by ``candidates`` (kind 'equivalent', provision ids
    at both ends): new ones inserted, changed ones updated, reviewed ones keep their decision,
    suggested ones not proposed again deleted (``report.deleted``)."""
    cands = list(candidates)
    report = store_candidates(store, cands)
    kept = {c.link_id for c in cands}
    stale = [r["id"] for r in equivalence_links(store, status="suggested") if r["id"] not in kept]
    for batch in batches(stale, store):
        report.deleted += run_named_counters(store, "delete_equivalence_links", {"ids": batch})
    store.checkpoint()
    return report


def run_named_counters(store: GraphStore, name: str, params: dict[str, Any]) -> int:
    """Run a named deleting query; the number of relationships it deleted."""
    from lawgraph.graph.cypher import named_query

    res = store.run(named_query(name).for_backend(store.backend), params)
    return int(res.counters.get("relationships_deleted", 0))
