"""The ``GraphStore`` protocol every backend implements, and the schema they all create.

A store runs one Cypher dialect (Neo4j 5 Cypher restricted to what FalkorDB also runs) with
values as ``$parameters`` only. What is not portable stays behind the backend: schema DDL
(:meth:`GraphStore.ensure_schema`), result decoding and write counters.

Backends: :class:`lawgraph.graph.falkordb_backend.FalkorDBStore` (embedded default) and
:class:`lawgraph.graph.neo4j_backend.Neo4jStore`. The client or driver is passed in.
"""
from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Protocol, runtime_checkable

# Every node label lawgraph writes, each keyed by a unique ``id`` from lawgraph.ids.
NODE_LABELS: tuple[str, ...] = (
    "Document",
    "Law",
    "LawVersion",
    "Division",
    "Provision",
    "ProvisionVersion",
    "Decree",
    "DecreeTransitorio",
    # Decree operations and reform-note links (lawgraph.graph.amendments)
    "Amendment",
    "UnmatchedNote",
    # The legislative process (lawgraph.graph.process)
    "ProcessSnapshot",
    "Proposal",
    "Event",
    "Proponent",
    "Party",
    "Committee",
    "ProposalTarget",
    # Recommendations and civil-society suggestions (lawgraph.graph.links)
    "Recommendation",
    "Suggestion",
)

# Secondary lookups the loader and the read queries filter on. Every index costs time on
# every insert (FalkorDB: 30-40 % of a provision write with three indexes, measured), so
# only lookups a query makes by property are indexed; the rest go along relationships.
PROPERTY_INDEXES: tuple[tuple[str, str], ...] = (
    ("Law", "key"),
    ("Law", "jurisdiction"),  # link_law_versions
    ("Division", "version_id"),
    ("ProvisionVersion", "version_id"),
    # The write path looks these up once per law version or snapshot; without an index each
    # lookup scans every node of the label, so loading N laws costs O(N^2) (docs/scale.md:
    # FalkorDB's per-element ingest cost rose 2.6x from 1x to 10x before these were added).
    ("Provision", "law_id"),  # load.ORPHAN_PROVISIONS_QUERY
    ("UnmatchedNote", "version_id"),  # amendments.DELETE_UNMATCHED_QUERY
    ("Proposal", "snapshot"),  # process: stale proposals of a snapshot
    ("Decree", "dof_date"),  # decree_operations
)

# Relationship-property lookups: the review queue confirms or rejects one LINK by its id
# (named query link_by_id); without an index that scans every node and its edges.
RELATIONSHIP_INDEXES: tuple[tuple[str, str], ...] = (
    ("LINK", "id"),
)

# Write counters both backends report, under these names.
COUNTER_NAMES = (
    "nodes_created",
    "nodes_deleted",
    "relationships_created",
    "relationships_deleted",
    "properties_set",
)


@dataclass
class QueryResult:
    """Rows as plain dicts (column name -> Python value) and the write counters."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def single(self) -> dict[str, Any] | None:
        """The first row, or None."""
        return self.rows[0] if self.rows else None


@runtime_checkable
class GraphStore(Protocol):
    """What the loader, the read functions, the CLI and the API need from a graph database."""

    backend: str
    """'falkordb' or 'neo4j': picks backend-specific named-query variants."""

    max_batch_rows: int
    """Rows per ``UNWIND $rows`` statement."""

    max_batch_bytes: int | None
    """Upper bound on a batch's JSON size, or None (FalkorDB's Bolt endpoint needs ~4 KB)."""

    def run(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        """Run one auto-committed statement; raise StoreError on failure."""
        ...

    def run_many(self, query: str, params_list: Iterable[Mapping[str, Any]],
                 on_result: Callable[[QueryResult], None] | None = None) -> list[QueryResult]:
        """Run one statement per parameter set, in order (a backend may overlap encoding
        the next with executing the previous); ``on_result`` after each."""
        ...

    def submit(self, query: str, params: Mapping[str, Any] | None = None,
               on_result: Callable[[QueryResult], None] | None = None, *,
               pipeline: bool = False) -> Future[QueryResult]:
        """Queue one auto-committed statement; its future gives the result.

        Statements run in submission order, and :meth:`run` runs after every statement
        submitted before it. A backend may return before the statement has run (FalkorDB
        encodes the next statement while a sender thread waits on the server) or run it at
        once (Neo4j). ``on_result`` is called with the result, possibly on another thread.
        After a failure nothing submitted later runs: its future raises the same error, and
        :meth:`flush` raises it. A synchronous backend may raise it from ``submit`` itself.
        ``pipeline``: the statement may be sent before the statements before it have
        answered (FalkorDB: see :meth:`FalkorDBStore.submit`), so it may run even though one
        of them failed; for statements where that does no harm."""
        ...

    def flush(self) -> None:
        """Wait until every submitted statement has run; raise the first error, if any."""
        ...

    def checkpoint(self) -> None:
        """Make what is committed cheap to recover (called after each completed version)."""
        ...

    def explain(self, query: str, params: Mapping[str, Any] | None = None) -> list[str]:
        """The statement's plan, one operator per line, outermost first; nothing runs
        (tests/test_query_plans.py reads it to find statements that scan a whole label)."""
        ...

    def ensure_schema(self) -> None:
        """Create the unique keys and indexes that are missing (idempotent)."""
        ...

    def clear(self) -> None:
        """Delete every node and relationship of this store's graph."""
        ...

    def close(self) -> None:
        """Release what this store opened (never the driver or client it was given)."""
        ...


@runtime_checkable
class SwappableStore(Protocol):
    """A store that can build a whole new graph beside the one readers use and swap it in
    (``lawgraph rebuild``). FalkorDB does (a second graph key on the same server, renamed over
    the first); a backend without it is rebuilt in place."""

    def staging(self) -> GraphStore:
        """A store on a second, empty graph of the same database."""
        ...

    def promote(self, staging: GraphStore) -> None:
        """Make ``staging``'s graph this store's graph in one step: readers see the old graph
        until then and the new one after; the old one is dropped."""
        ...


# Counting without scanning. FalkorDB and Neo4j keep the number of nodes per label and of
# relationships per type as the graph is written (FalkorDB: the label and relation matrices;
# Neo4j: its count store), and both answer ``MATCH (n:L) RETURN count(n)`` and
# ``MATCH ()-[r:T]->() RETURN count(r)`` from there: FalkorDB 4.16.3's plan is a single
# ``Project``, no scan; Neo4j 5's is NodeCountFromCountStore / RelationshipCountFromCountStore
# (EXPLAIN on both, asserted in tests/test_falkordb_supervision.py and tests/test_summaries.py).
# Only that bare form: a second column (``RETURN 'L' AS label, count(n)``), a WITH ... WHERE or
# a UNION of such statements is planned as a label scan (Neo4j) or a scan of every node
# (FalkorDB, for a type), so one statement cannot count several labels without scanning, and the
# counts are asked one statement per label and type. The untyped
# ``MATCH ()-[r]->() RETURN type(r), count(r)`` walks every edge: a full scan on every page
# view, and the query under which FalkorDB 4.16.3 crashed in issue 13.
LABELS_QUERY = "CALL db.labels() YIELD label RETURN label"
TYPES_QUERY = "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType"


def label_count_query(label: str) -> str:
    """The count of one label's nodes, answered from the engine's own count (no scan)."""
    from lawgraph.graph.cypher import quote_name

    return f"MATCH (n:{quote_name(label)}) RETURN count(n) AS count"


def type_count_query(rel_type: str) -> str:
    """The count of one type's relationships, answered from the engine's own count."""
    from lawgraph.graph.cypher import quote_name

    return f"MATCH ()-[r:{quote_name(rel_type)}]->() RETURN count(r) AS count"


def label_counts(store: GraphStore, labels: Iterable[str]) -> dict[str, int]:
    """The number of nodes of each of ``labels`` (0 for a label not in use), one constant-time
    statement per label."""
    return {label: int(store.run(label_count_query(label)).rows[0]["count"]) for label in labels}


def counts(store: GraphStore) -> dict[str, dict[str, int]]:
    """``{"nodes": {label: n}, "relationships": {type: n}}`` for labels and types in use, with
    one constant-time statement per label and per type; labels and types without any element
    are left out (as a scan would)."""
    out: dict[str, dict[str, int]] = {"nodes": {}, "relationships": {}}
    labels = label_counts(store, [row["label"] for row in store.run(LABELS_QUERY).rows])
    out["nodes"] = {label: n for label, n in labels.items() if n}
    for row in store.run(TYPES_QUERY).rows:
        n = int(store.run(type_count_query(row["relationshipType"])).rows[0]["count"])
        if n:
            out["relationships"][row["relationshipType"]] = n
    return out
