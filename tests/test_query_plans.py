"""No statement scans a label that grows with the corpus, unless reading all of it is its purpose.

A statement that finds "the amendments of this law" by scanning every Amendment costs time in
proportion to everything already stored, so loading N laws costs O(N^2): that is how FalkorDB's
ingest grew faster than linearly (docs/scale.md; benchmarks/profile_ingest.py found the
statement). This asks each backend's planner (EXPLAIN: nothing runs) for the plan of every
named query and every statement the write path sends, and fails on a label scan or an
all-node scan of a large label that is not listed below with its reason.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from lawgraph.graph import amendments, history, links, load, process, transfer, write
from lawgraph.graph.cypher import named_queries
from lawgraph.graph.store import NODE_LABELS

from tests.graph_support import falkordb_server, store  # noqa: F401

# Labels with a handful of nodes per law or per source, whatever the corpus size (a scan of
# them costs what an index seek does): laws, their versions, snapshots, committees, people.
SMALL_LABELS = {"Law", "LawVersion", "ProcessSnapshot", "Committee", "Party", "Document",
                # the UN recommendations (816) and people's suggestions: not the laws' scale
                "Recommendation", "Suggestion"}

# Named queries whose purpose is to read every node of a label (a list page, a count, the
# search corpus): a scan is what they are for. The write-time summaries that replace the
# ones on people's paths are docs/scale.md's business; here they are only named.
READS_ALL = {
    "list_recommendations", "list_suggestions", "list_proposals", "search_corpus_decrees",
    "search_corpus_proposals", "search_corpus_provisions", "search_corpus_recommendations",
    "search_corpus_suggestions", "list_decrees", "link_sources", "history_labels",
    "incomplete_versions",
    "find_proposals",  # the proposals page's filters: any mix of them over the whole list
}
# Statements of the write path whose purpose is the same: the recommendations step compares
# every stored recommendation with the sources it read (816 today, a number that does not grow
# with the laws loaded). The export's reads are functions of a label or type (transfer.nodes_query,
# transfer.rels_query): reading all of them is what an export is for.
WRITES_ALL = {"links._STALE_RECS_QUERY"}

_SCAN = re.compile(r"^(Node By Label Scan|All Node Scan|NodeByLabelScan|AllNodesScan)"
                   r"\s*\|?\s*\(?\s*\w*\s*:?\s*`?(\w*)")
_PARAM = re.compile(r"\$(\w+)")


def _statements() -> Iterator[tuple[str, str, dict]]:
    """(where, text, example parameters) of every statement to check."""
    for name, q in sorted(named_queries().items()):
        if name not in READS_ALL:
            yield f"query {name}", q.text, q.example
    for module in (amendments, history, links, load, process, transfer, write):
        for attr, value in sorted(vars(module).items()):
            if (attr.isupper() and "QUERY" in attr and isinstance(value, str)
                    and re.search(r"\b(MATCH|MERGE)\b", value)):
                where = f"{module.__name__.rsplit('.', 1)[-1]}.{attr}"
                if where not in WRITES_ALL:
                    yield where, value, {}
    for label in NODE_LABELS:
        yield f"write.upsert_nodes_query({label})", write.upsert_nodes_query(label), {}
        yield f"write.existing_hashes_query({label})", write.existing_hashes_query(label), {}
        yield f"write.delete_nodes_query({label})", write.delete_nodes_query(label), {}
    for label in ("Division", "ProvisionVersion"):
        yield f"write.version_ids_query({label})", write.version_ids_query(label), {}
        yield f"load.version_contains_query({label})", load.version_contains_query(label), {}


def _dummy(name: str, text: str):
    """A value of the type the statement uses the parameter as (Neo4j checks types when
    planning): a list for UNWIND and IN, a map for SET +=, a count for LIMIT, else a string."""
    if re.search(rf"(UNWIND|IN)\s+\${name}\b", text):
        return []
    if re.search(rf"\+=\s*\${name}\b", text):
        return {}
    return 10 if name in ("limit", "skip") else "x"


def _scans(plan: list[str]) -> list[str]:
    out = []
    for line in plan:
        m = _SCAN.match(line.strip())
        if m and m.group(2) not in SMALL_LABELS:
            out.append(line.strip())
    return out


def test_no_statement_scans_a_growing_label(store) -> None:
    store.ensure_schema()
    bad = []
    checked = 0
    for where, text, example in _statements():
        # Nothing runs. A parameter gets a string (FalkorDB plans a label scan, not an index
        # seek, for an equality with null) unless it is a row count or an example's value.
        params = {p: _dummy(p, text) for p in _PARAM.findall(text)}
        params.update(example)
        plan = store.explain(text, params)
        assert plan, f"{where}: el planificador no devolvió plan"
        checked += 1
        scans = _scans(plan)
        if scans:
            bad.append(f"{where}: {'; '.join(scans)}")
    assert checked > 60
    assert not bad, "sentencias que recorren una etiqueta entera:\n" + "\n".join(bad)
