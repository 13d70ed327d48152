"""Neo4j 5 backend: the official ``neo4j`` driver (server, cluster or Aura), passed in.

The loader's and the named queries' text is the same as on FalkorDB; what differs lives here:
schema DDL (named ``IF NOT EXISTS`` constraints, indexes and a Spanish full-text index), result
decoding (``Record.data()``), write counters (``ResultSummary.counters``), real transactions
and retries.

Transactions. A statement run on its own is one auto-commit transaction, retried on transient
errors (deadlocks, leader switches, a server briefly unavailable). :meth:`Neo4jStore.atomic`
runs a function with every statement of the calling thread in ONE explicit transaction,
committed when it returns and rolled back and re-run on a transient error; the loader writes
each law version that way, so on Neo4j a reader never sees half a version even without the
staging protocol (``LawVersion.complete``) that FalkorDB needs.

The test suite runs every graph test against the project's local Neo4j 5.26
(:mod:`lawgraph.graph.neo4j_server`) as well as the embedded FalkorDB.
"""
from __future__ import annotations

import contextlib
import random
import threading
import time
from concurrent.futures import Future
from typing import Any, Callable, Iterable, Mapping, TypeVar

from lawgraph.errors import StoreError
from lawgraph.graph.cypher import quote_name
from lawgraph.graph.store import NODE_LABELS, PROPERTY_INDEXES, RELATIONSHIP_INDEXES, QueryResult

T = TypeVar("T")

# A full-text index over provision texts analysed in Spanish (Lucene's Spanish analyzer: lower
# case, stop words, light stemming), for Cypher users of a shared server. lawgraph's own search
# (lawgraph/search.py) does not query it: it folds accents and expands legal synonyms, which
# neither engine's analyzer does, and answers alike on both backends (docs/search.md).
FULLTEXT_INDEX = "lawgraph_provision_text"
FULLTEXT_ANALYZER = "spanish"

# Transient failures are retried this many times with jittered exponential back-off from
# RETRY_BASE seconds: the driver's own managed transactions use a similar schedule (30 s budget,
# 1 s initial delay, x2); a local store needs far shorter waits, a cluster's leader election
# takes a few seconds, which 6 tries from 0.2 s (0.2 + … + 6.4 ≈ 12.6 s) cover.
RETRIES = 6
RETRY_BASE = 0.2

# Query option on the write path (:meth:`Neo4jStore.submit`, :meth:`Neo4jStore.run_many`):
# keep a cached plan even when the label counts have drifted from those it was planned with.
# A load grows the graph from nothing, so Neo4j 5 replanned every loader statement each time
# its statistics diverged (after ``dbms.cypher.min_replan_interval``, 10 s): with JFR sampling
# the local Neo4j 5.26 during four loads of the bench_load.py corpus, Cypher planning was 29 %
# of the server's samples, 4 % with this option. Every loader statement starts from a
# unique-id seek, so a plan made on a small graph stays the right plan. Reads (:meth:`run`)
# are replanned as usual. Documented in the Cypher manual, "Query options: Cypher replanning".
BULK_QUERY_OPTIONS = "CYPHER replan=skip\n"


def schema_statements() -> list[str]:
    """The DDL ``ensure_schema`` sends, in order: one unique-id constraint per label (which
    also indexes ``id``), then the secondary node and relationship property indexes, then the
    full-text index."""
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
    out += [
        f"CREATE INDEX lawgraph_rel_{type_.lower()}_{prop.lower()} IF NOT EXISTS "
        f"FOR ()-[r:{quote_name(type_)}]-() ON (r.{quote_name(prop)})"
        for type_, prop in RELATIONSHIP_INDEXES
    ]
    out.append(
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS "
        "FOR (n:`ProvisionVersion`) ON EACH [n.`text`] "
        f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{FULLTEXT_ANALYZER}'}}}}"
    )
    return out


def _transient(exc: BaseException) -> bool:
    import neo4j.exceptions as ne

    if isinstance(exc, (ne.TransientError, ne.ServiceUnavailable, ne.SessionExpired)):
        # The driver classes "Neo.TransientError.Transaction.Terminated/LockClientStopped" as
        # transient but they mean someone stopped the transaction on purpose.
        return getattr(exc, "is_retryable", lambda: True)()
    return False


def _rejected(query: str, exc: BaseException) -> StoreError:
    first = query.strip().splitlines()[0] if query.strip() else ""
    return StoreError(f"Neo4j rechazó la consulta «{first} …»: {exc}")


def _wrap(result: Any) -> QueryResult:
    rows = result.data()
    counters = result.consume().counters
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


def _backoff(attempt: int) -> None:
    time.sleep(RETRY_BASE * (2 ** attempt) * (0.5 + random.random()))


class Neo4jStore:
    """GraphStore over a ``neo4j.Driver`` (passed in; not closed by this store)."""

    backend = "neo4j"

    def __init__(self, driver: Any, *, database: str | None = None, max_batch_rows: int = 1000,
                 max_batch_bytes: int | None = None, schema: bool = True):
        self.driver = driver
        self.database = database
        self.max_batch_rows = max_batch_rows
        self.max_batch_bytes = max_batch_bytes
        # False only for endpoints that speak Bolt but run no DDL (FalkorDB's), which parse
        # no Neo4j query options either.
        self._schema_ready = not schema
        self._bulk_options = BULK_QUERY_OPTIONS if schema else ""
        # Per thread: its session for auto-commit statements (a new session per statement
        # cost 5.3 ms against 1.1 ms reused, for RETURN 1 on the local Neo4j, measured), and
        # its explicit transaction inside atomic(), if any.
        self._local = threading.local()
        self._sessions: list[Any] = []
        self._sessions_lock = threading.Lock()

    def _tx(self) -> Any:
        return getattr(self._local, "tx", None)

    def run(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        """Run one statement: inside the thread's :meth:`atomic` transaction if there is one,
        else auto-committed and retried on transient errors. StoreError names its first line
        and the cause."""
        return self._execute(query, params, "")

    def _execute(self, query: str, params: Mapping[str, Any] | None, options: str) -> QueryResult:
        """:meth:`run`, with ``options`` (Cypher query options) before the statement's text."""
        import neo4j.exceptions

        tx = self._tx()
        if tx is not None:
            try:
                return _wrap(tx.run(options + query, dict(params or {})))
            except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
                raise _rejected(query, exc) from exc
        return self._autocommit(query, params, options)

    def _autocommit(self, query: str, params: Mapping[str, Any] | None,
                    options: str = "") -> QueryResult:
        import neo4j.exceptions

        for attempt in range(RETRIES + 1):
            try:
                return _wrap(self._session().run(options + query, dict(params or {})))
            except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
                if not isinstance(exc, neo4j.exceptions.Neo4jError):
                    self._drop_session()  # its connection is gone: the next try opens another
                if attempt < RETRIES and _transient(exc):
                    _backoff(attempt)
                    continue
                raise _rejected(query, exc) from exc
        raise AssertionError("unreachable")

    def _session(self) -> Any:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self.driver.session(database=self.database)
            self._local.session = session
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def _drop_session(self) -> None:
        session = getattr(self._local, "session", None)
        self._local.session = None
        if session is not None:
            with self._sessions_lock:
                self._sessions.remove(session)
            with contextlib.suppress(Exception):
                session.close()

    def atomic(self, fn: Callable[[], T]) -> T:
        """``fn()`` with every statement this thread runs on this store in one transaction.

        Committed when ``fn`` returns; rolled back when it raises. On a transient error
        (deadlock, leader switch) the transaction is rolled back and ``fn`` runs again, up to
        :data:`RETRIES` times, so ``fn`` must only write through this store. Nested calls
        join the outer transaction. DDL cannot share a transaction with writes in Neo4j:
        :meth:`ensure_schema` always runs on its own."""
        import neo4j.exceptions

        if self._tx() is not None:
            return fn()
        for attempt in range(RETRIES + 1):
            session = self.driver.session(database=self.database)
            try:
                tx = session.begin_transaction()
                self._local.tx = tx
                try:
                    out = fn()
                finally:
                    self._local.tx = None
                tx.commit()
                return out
            except (StoreError, neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError,
                    OSError) as exc:
                cause = exc.__cause__ if isinstance(exc, StoreError) else exc
                if attempt < RETRIES and cause is not None and _transient(cause):
                    _backoff(attempt)
                    continue
                if isinstance(exc, StoreError):
                    raise
                raise StoreError(f"Neo4j no confirmó la transacción: {exc}") from exc
            finally:
                session.close()  # rolls back a transaction left open
        raise AssertionError("unreachable")

    def run_many(self, query: str, params_list: Iterable[Mapping[str, Any]],
                 on_result: Callable[[QueryResult], None] | None = None) -> list[QueryResult]:
        """Run one statement per parameter set, in order (plans kept: see
        :data:`BULK_QUERY_OPTIONS`)."""
        results = []
        for params in params_list:
            results.append(self._execute(query, params, self._bulk_options))
            if on_result is not None:
                on_result(results[-1])
        return results

    def submit(self, query: str, params: Mapping[str, Any] | None = None,
               on_result: Callable[[QueryResult], None] | None = None, *,
               pipeline: bool = False) -> Future[QueryResult]:
        """Run the statement now (this backend does not pipeline: ``pipeline`` changes
        nothing; plans kept: see :data:`BULK_QUERY_OPTIONS`) and return its result as a
        completed future; an error is raised here, so nothing after it runs."""
        res = self._execute(query, params, self._bulk_options)
        if on_result is not None:
            on_result(res)
        fut: Future[QueryResult] = Future()
        fut.set_result(res)
        return fut

    def flush(self) -> None:
        """Nothing to wait for: :meth:`submit` runs each statement before it returns."""

    def explain(self, query: str, params: Mapping[str, Any] | None = None) -> list[str]:
        """The statement's plan (``EXPLAIN``: nothing runs), one operator per line, outermost
        first, as ``Operator | details``. Scans show as ``NodeByLabelScan | a:Label``."""
        try:
            with self.driver.session(database=self.database) as session:
                plan = session.run("EXPLAIN " + query, dict(params or {})).consume().plan
        except Exception as exc:
            raise _rejected(query, exc) from exc
        lines: list[str] = []

        def walk(op: Mapping[str, Any]) -> None:
            name = str(op.get("operatorType", "")).split("@")[0]
            details = (op.get("args") or {}).get("Details", "")
            lines.append(f"{name} | {details}" if details else name)
            for child in op.get("children") or []:
                walk(child)

        if plan:
            walk(plan)
        return lines

    def checkpoint(self) -> None:
        """Nothing to do: Neo4j recovers from its own transaction log."""

    def ensure_schema(self) -> None:
        """Create missing constraints and indexes (``IF NOT EXISTS``: idempotent), each in its
        own auto-commit transaction even inside :meth:`atomic`, and wait until they are online."""
        if self._schema_ready:
            return
        for stmt in schema_statements():
            self._autocommit(stmt, None)
        self._autocommit("CALL db.awaitIndexes(300)", None)
        self._schema_ready = True

    def clear(self) -> None:
        """Delete every node and relationship of the database, in batches."""
        while True:
            res = self.run("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n")
            if res.counters.get("nodes_deleted", 0) == 0:
                break

    def close(self) -> None:
        """Close this store's sessions (never the driver: it belongs to the caller)."""
        with self._sessions_lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            with contextlib.suppress(Exception):
                session.close()
