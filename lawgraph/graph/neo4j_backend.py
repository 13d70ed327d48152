"""Neo4j 5 backend: the official ``neo4j`` driver (server, cluster or Aura), passed in.

The loader's and the named queries' text is the same as on FalkorDB; what differs lives here:
schema DDL (named ``IF NOT EXISTS`` constraints and indexes), result decoding (``Record.data()``)
and write counters (``ResultSummary.counters``). Each statement runs in its own auto-commit
transaction, like FalkorDB's, so the loader's staging protocol (``LawVersion.complete``) is what
keeps readers from seeing half a version on both engines.

No Neo4j server runs on the development machine: the tests pin the exact statements this
backend sends, drive it through the real driver against FalkorDB's Bolt endpoint (which has
no DDL, no transactions and a ~4 KB message limit, so ``ensure_schema`` is skipped there and
``max_batch_bytes`` is set), and run the whole graph suite against a real server when
``NEO4J_URI`` is set.
"""
from __future__ import annotations

from concurrent.futures import Future
from typing import Any, Callable, Iterable, Mapping

from lawgraph.errors import StoreError
from lawgraph.graph.cypher import quote_name
from lawgraph.graph.store import NODE_LABELS, PROPERTY_INDEXES, QueryResult


def schema_statements() -> list[str]:
    """The DDL ``ensure_schema`` sends, in order: one unique-id constraint per label (which
    also indexes ``id``), then the secondary property indexes."""
    out = [
        f"CREATE CONSTRAINT lawgraph_{label.lower()}_id IF NOT EXISTS "
        f"FOR (n:{quote_name(label)}) REQUIRE n.id IS UNIQUE"
        for label in NODE_LABELS
    ]
    out += [
        f"CREATE INDEX lawgraph_{label.lower()}_{prop.lower()} IF NOT EXISTS "
        f"FOR (n:{quote_name(label)}) ON (n.{quote_name(prop)})"
        for label, prop in PROPERTY_INDEXES
    ]
    return out


class Neo4jStore:
    """GraphStore over a ``neo4j.Driver`` (passed in; not closed by this store)."""

    backend = "neo4j"

    def __init__(self, driver: Any, *, database: str | None = None, max_batch_rows: int = 1000,
                 max_batch_bytes: int | None = None, schema: bool = True):
        self.driver = driver
        self.database = database
        self.max_batch_rows = max_batch_rows
        self.max_batch_bytes = max_batch_bytes
        # False only for endpoints that speak Bolt but run no DDL (FalkorDB's).
        self._schema_ready = not schema

    def run(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        """Run one auto-commit statement; StoreError names its first line and the cause."""
        import neo4j.exceptions

        try:
            with self.driver.session(database=self.database) as session:
                result = session.run(query, dict(params or {}))
                rows = result.data()
                counters = result.consume().counters
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
            first = query.strip().splitlines()[0] if query.strip() else ""
            raise StoreError(f"Neo4j rechazó la consulta «{first} …»: {exc}") from exc
        return QueryResult(
            rows,
            {
                "nodes_created": counters.nodes_created,
                "nodes_deleted": counters.nodes_deleted,
                "relationships_created": counters.relationships_created,
                "relationships_deleted": counters.relationships_deleted,
                "properties_set": counters.properties_set,
            },
        )

    def run_many(self, query: str, params_list: Iterable[Mapping[str, Any]],
                 on_result: Callable[[QueryResult], None] | None = None) -> list[QueryResult]:
        """Run one statement per parameter set, in order, each in its own transaction."""
        results = []
        for params in params_list:
            results.append(self.run(query, params))
            if on_result is not None:
                on_result(results[-1])
        return results

    def submit(self, query: str, params: Mapping[str, Any] | None = None,
               on_result: Callable[[QueryResult], None] | None = None, *,
               pipeline: bool = False) -> Future[QueryResult]:
        """Run the statement now (this backend does not pipeline: ``pipeline`` changes
        nothing) and return its result as a completed future; an error is raised here, so
        nothing after it runs."""
        res = self.run(query, params)
        if on_result is not None:
            on_result(res)
        fut: Future[QueryResult] = Future()
        fut.set_result(res)
        return fut

    def flush(self) -> None:
        """Nothing to wait for: :meth:`submit` runs each statement before it returns."""

    def checkpoint(self) -> None:
        """Nothing to do: Neo4j recovers from its own transaction log."""

    def ensure_schema(self) -> None:
        """Create missing constraints and indexes (``IF NOT EXISTS``: idempotent)."""
        if self._schema_ready:
            return
        for stmt in schema_statements():
            self.run(stmt)
        self.run("CALL db.awaitIndexes(300)")
        self._schema_ready = True

    def clear(self) -> None:
        """Delete every node and relationship of the database, in batches."""
        while True:
            res = self.run("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n")
            if res.counters.get("nodes_deleted", 0) == 0:
                break

    def close(self) -> None:
        """Nothing to release: the driver belongs to the caller."""
