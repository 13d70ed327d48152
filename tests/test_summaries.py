"""Write-time summaries instead of label scans: what a process snapshot stores about its
proposals equals what a scan of them answers, on both backends, after every kind of load
(first load, overlap with another snapshot, proposals dropped on a reload, a graph written
before summaries were kept)."""
from __future__ import annotations

import json

import pytest

from lawgraph import ids
from lawgraph.graph.process import process_summary, tally
from lawgraph.graph.read import run_named
from lawgraph.ingest.sitl import ingest_snapshot
from lawgraph.steps import load_proposals
from tests.graph_support import falkordb_server, store  # noqa: F401

# The question process_summary answered before summaries were stored: every proposal of every
# complete snapshot, one row per (snapshot, proposal) pair.
SCAN = ("MATCH (s:ProcessSnapshot {complete: true})-[:HAS_PROPOSAL]->(p:Proposal)\n"
        "RETURN p.stage AS stage, p.parties AS parties, p.law_keys AS law_keys")


@pytest.fixture(scope="module")
def proposals(corpora):
    return ingest_snapshot(corpora / "process" / "sitl_diputados_lxvi").proposals


def _scan(store) -> dict:
    return tally(store.run(SCAN).rows)


def _stored(store) -> dict[str, dict]:
    return {r["snapshot"]: json.loads(r["summary"]) for r in run_named(store, "proposal_counts")}


def test_the_stored_summary_equals_the_scan_after_a_real_snapshot_load(store, proposals):
    part = proposals[:900]
    load_proposals(store, part)
    want = _scan(store)
    assert sum(want["stage"].values()) == len(part) and want["party"] and want["law"]
    assert process_summary(store) == want
    # One node per snapshot holds it, counted as the scan counts.
    assert _stored(store) == {ids.snapshot_id("sitl-diputados-lxvi"): want}


def test_snapshots_sharing_proposals_keep_exact_summaries(store, proposals):
    load_proposals(store, proposals[:400], snapshot="a")
    load_proposals(store, proposals[200:600], snapshot="b")
    # 200 proposals belong to both: the scan counts them once per snapshot.
    assert sum(_scan(store)["stage"].values()) == 800
    assert process_summary(store) == _scan(store)
    # Reloading b without the shared ones deletes them (b wrote them last), from a as well:
    # a's stored summary is rewritten with b's, never left stale.
    load_proposals(store, proposals[400:600], snapshot="b")
    got = _stored(store)
    assert sum(got[ids.snapshot_id("a")]["stage"].values()) == 200
    assert sum(got[ids.snapshot_id("b")]["stage"].values()) == 200
    assert process_summary(store) == _scan(store)


def test_a_snapshot_stored_without_a_summary_is_counted_and_then_summarised(store, proposals):
    part = proposals[:300]
    load_proposals(store, part)
    want = _scan(store)
    sid = ids.snapshot_id("sitl-diputados-lxvi")
    store.run("MATCH (s:ProcessSnapshot {id: $id}) REMOVE s.summary", {"id": sid})
    assert run_named(store, "proposal_counts") == [{"snapshot": sid, "summary": None}]
    assert process_summary(store) == want
    # Loading the same snapshot again writes nothing but the missing summary.
    rep = load_proposals(store, part)
    assert rep.unchanged
    assert _stored(store) == {sid: want}


def test_an_incomplete_snapshot_counts_neither_in_the_scan_nor_in_the_summary(store, proposals):
    load_proposals(store, proposals[:100], snapshot="a")
    load_proposals(store, proposals[100:250], snapshot="b")
    store.run("MATCH (s:ProcessSnapshot {id: $id}) SET s.complete = false", {"id": ids.snapshot_id("b")})
    assert sum(process_summary(store)["stage"].values()) == 100
    assert process_summary(store) == _scan(store)


# -- the search index's stamps -----------------------------------------------------------------


def _word(p) -> str:
    """A word of a proposal's title long enough to be a search concept of its own."""
    return max(p.title.split(), key=len).strip(".,;:()\"'")


def test_search_reads_no_corpus_query_after_its_first_build(store, proposals):
    from lawgraph import search
    from lawgraph.graph.cypher import named_query
    from tests.graph_support import RecordingStore

    load_proposals(store, proposals[:60])
    rec = RecordingStore(store)
    first = search.search(rec, _word(proposals[0]), kinds=["proposal"])
    assert first.groups["proposal"]["total"] >= 1
    corpus_text = named_query("search_corpus_proposals").for_backend(store.backend)
    assert [q for q, _ in rec.calls].count(corpus_text) == 1
    rec.calls.clear()
    # A recount (forced here, at most every RECHECK_SECONDS otherwise) reads the stamps only:
    # one constant-time count per label and the few snapshot nodes.
    again = search.search(rec, _word(proposals[0]), kinds=["proposal"], refresh=True)
    assert again.groups == first.groups
    assert corpus_text not in [q for q, _ in rec.calls]
    assert all("count(n)" in q or "ProcessSnapshot" in q for q, _ in rec.calls), rec.calls


def test_search_sees_a_reloaded_snapshot_of_the_same_size(store, proposals):
    from lawgraph import search

    new = next(p for p in proposals[60:] if _word(p).lower() not in " ".join(x.title.lower() for x in proposals[:60]))
    load_proposals(store, proposals[:60])
    assert search.search(store, _word(new), kinds=["proposal"]).groups["proposal"]["total"] == 0
    # The same number of proposals, one replaced: the count alone would keep the old index.
    load_proposals(store, proposals[1:60] + [new])
    search.changed(store)
    hits = search.search(store, _word(new), kinds=["proposal"]).groups["proposal"]["hits"]
    assert new.id in [h["id"] for h in hits]


def test_label_counts_equal_a_scan(store, proposals):
    from lawgraph.graph.store import label_counts

    load_proposals(store, proposals[:80])
    scan = {r["label"]: r["n"] for r in store.run("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n").rows}
    labels = sorted(scan) + ["Decree"]
    assert label_counts(store, labels) == {**scan, "Decree": 0}


# -- counts ------------------------------------------------------------------------------------


def _plan_operators(store, query: str) -> list[str]:
    """The operators of ``query``'s plan as the engine itself reports them."""
    if store.backend == "falkordb":
        return [line.strip().split(" |")[0] for line in str(store.graph.explain(query)).splitlines() if line.strip()]

    def walk(p):
        return [p["operatorType"].split("@")[0]] + [o for c in p.get("children", []) for o in walk(c)]

    with store.driver.session(database=store.database) as s:
        return walk(s.run("EXPLAIN " + query).consume().plan)


def test_one_count_per_statement_is_answered_without_a_scan_and_a_union_is_not(store, proposals):
    """Why graph.store counts one label or type per statement, and why the stats_* named
    queries (one statement for every label or type) were dropped: only the bare form is
    answered from the engine's own counts, on both engines."""
    from lawgraph.graph.store import label_count_query, type_count_query

    load_proposals(store, proposals[:40])
    for q in (label_count_query("Proposal"), type_count_query("HAS_EVENT")):
        ops = _plan_operators(store, q)
        assert not any("Scan" in op or "Traverse" in op or "Expand" in op for op in ops), (q, ops)
        if store.backend == "neo4j":
            assert any(op.endswith("CountFromCountStore") for op in ops), ops
    # What one statement naming each type's rows needs: a second column, and then both scan.
    union = ("MATCH ()-[r:HAS_EVENT]->() RETURN 'HAS_EVENT' AS type, count(r) AS count UNION ALL "
             "MATCH ()-[r:PROPOSED]->() RETURN 'PROPOSED' AS type, count(r) AS count")
    ops = _plan_operators(store, union)
    assert any("Scan" in op or "Expand" in op for op in ops), ops
