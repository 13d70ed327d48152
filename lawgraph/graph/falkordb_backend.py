"""FalkorDB as a :class:`~lawgraph.graph.store.GraphStore`.

:class:`FalkorDBStore` runs statements over a ``falkordb`` client (passed in). FalkorDB
specifics behind it: index DDL (``CREATE INDEX FOR (n:L) ON (n.p)``, no ``IF NOT EXISTS``, so
existing ones are read from ``db.indexes()`` first), no unique constraints (see
:meth:`FalkorDBStore.ensure_schema`), float write counters, and parameters written into the
query text (``CYPHER name=value``). The embedded server it usually talks to is started,
shared and supervised by :mod:`lawgraph.graph.falkordb_server`; errors reach people as short
Spanish messages, the query text only in the log.
"""
from __future__ import annotations

import contextlib
import itertools
import json
import logging
import re
import threading
import queue
import time
from collections import OrderedDict, deque
from concurrent.futures import Future
from typing import Any, Callable, Iterable, Mapping

from lawgraph.errors import StoreError
from lawgraph.graph.cypher import quote_name
from lawgraph.graph.falkordb_bulk import BulkEncoder
from lawgraph.graph.store import (
    NODE_LABELS,
    PROPERTY_INDEXES,
    RELATIONSHIP_INDEXES,
    QueryResult,
    counts,
)

log = logging.getLogger(__name__)

DEFAULT_GRAPH = "lawgraph"
# Append-only log growth (bytes) past which a completed load triggers a compaction: about
# 8 s of replay at the measured speed, against rewriting the whole graph after every law.
CHECKPOINT_MIN_TAIL = 1_000_000
# ... and, as the graph grows, a tenth of the log's compacted size. A rewrite writes the whole
# graph, so with a fixed threshold a load of N copies of the corpus rewrote O(N) times per copy
# and its cost grew as O(N^2) (benchmarks/profile_ingest.py: 7-10 rewrites per copy of 206,705
# elements, each 1 s at 1x and 3 s at 5x, in a forked child that competes with the load for
# the two cores). A threshold proportional to the graph makes the rewrites a geometric series,
# linear in total (the same rule as redis's auto-aof-rewrite-percentage). The price: a restart
# after a crash may replay up to a tenth of the graph's log (at 1x ~3 MB, some 25 s).
CHECKPOINT_TAIL_RATIO = 0.1
# How long an import waits for FalkorDB to fill the indexes it creates over a bulk-loaded graph
# (a stated bound, not a measurement: the ten copies of the corpus, 2 M elements, take seconds;
# a graph that needs more than this is past what one machine serves, docs/scale.md).
INDEX_BUILD_TIMEOUT_S = 600

# FalkorDB reads the query as a C string: a NUL would end it mid-literal ("Invalid input at
# end of input", issue 13). Refused here, before anything is sent.
_NUL_MESSAGE = "un texto contiene el carácter NUL (U+0000), que la base de datos no admite"


def _literal(value: Any) -> str:
    """A parameter value as FalkorDB reads it in a ``CYPHER name=value`` header (the same
    rules as the falkordb client: double-quoted strings with backslash and quote escaped,
    back-quoted map keys), written for speed: loading encodes megabytes of text."""
    t = type(value)
    if t is str:
        if "\x00" in value:
            raise StoreError(_NUL_MESSAGE)
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if t is dict:
        return _map_literal(value)
    if t is list or t is tuple:
        if value and _json_safe(value):
            text = _JSON(value)
            # JSON's \u00XX escapes (control characters) are the one thing FalkorDB reads
            # differently; a text that has one (or a literal backslash-u00) takes the slow path.
            if "\\u00" not in text:
                return text
        return "[" + ",".join(map(_literal, value)) + "]"
    if value is None:
        return "null"
    if t is bool:
        return "true" if value else "false"
    if t is int or t is float:
        return repr(value)
    raise StoreError(f"valor de parámetro no admitido ({t.__name__}): {value!r:.60}")


# A list of strings, integers, booleans and nulls, or of such lists, is written by the C JSON
# encoder: JSON arrays, strings (escapes \" \\ \n \t \r \b \f, non-ASCII as it is), numbers,
# true, false and null read the same as Cypher literals. Maps (quoted keys) and floats
# (NaN, Infinity) do not, so they never take this path.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
_JSON_SCALARS = frozenset((str, int, bool, type(None)))
_JSON_LISTS = frozenset((list, tuple))


def _json_safe(value: list[Any] | tuple[Any, ...]) -> bool:
    """True when ``value`` is a list of JSON-safe scalars or of lists of them."""
    types = set(map(type, value))
    if types <= _JSON_SCALARS:
        return True
    if not types <= _JSON_LISTS:
        return False
    return set(map(type, itertools.chain.from_iterable(value))) <= _JSON_SCALARS


def _map_literal(d: dict[Any, Any]) -> str:
    # The hot path of loading (every row is a map of scalars): scalars are encoded inline
    # rather than through a call each, and keys are checked once per distinct key.
    out = []
    append = out.append
    for k, v in d.items():
        key = _KEYS.get(k) or _key(k)
        t = type(v)
        if t is str:
            if "\x00" in v:
                raise StoreError(_NUL_MESSAGE)
            append(key + '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"')
        elif v is None:
            append(key + "null")
        elif t is bool:
            append(key + ("true" if v else "false"))
        elif t is int:
            append(key + repr(v))
        else:
            append(key + _literal(v))
    return "{" + ",".join(out) + "}"


_KEYS: dict[Any, str] = {}


def _key(k: Any) -> str:
    """A map key as `` `key`: `` (cached); refuses what FalkorDB cannot read back-quoted."""
    name = str(k)
    if not name or "`" in name:
        raise StoreError(f"clave de mapa no admitida en un parámetro: {name!r}")
    if len(_KEYS) < 10_000:
        _KEYS[k] = f"`{name}`:"
    return f"`{name}`:"


def _with_params(query: str, params: Mapping[str, Any] | None) -> str:
    if not params:
        return query
    for k in params:
        if not isinstance(k, str) or not k.isidentifier():
            raise StoreError(f"nombre de parámetro no admitido: {k!r}")
    header = " ".join(f"{k}={_literal(v)}" for k, v in params.items())
    return f"CYPHER {header} {query}"


def _plain(value: Any) -> Any:
    """FalkorDB client values to plain Python (OrderedDict -> dict, recursively)."""
    if isinstance(value, (dict, OrderedDict)):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _compact_value(value: list[Any]) -> Any:
    """One value of a compact reply (``[type, payload]``, FalkorDB's result-set types) as plain
    Python, as falkordb-py and :func:`_plain` give it."""
    kind, x = value
    if kind == 2 or kind == 3:          # string, integer
        return x
    if kind == 1:                       # null
        return None
    if kind == 10:                      # map: key, value, key, value …
        return {x[i]: _compact_value(x[i + 1]) for i in range(0, len(x), 2)}
    if kind == 6:                       # array
        return [_compact_value(v) for v in x]
    if kind == 4:                       # boolean, sent as text
        return x == "true"
    if kind == 5:                       # double, sent as text
        return float(x)
    raise StoreError(f"valor de tipo {kind} en una lectura compacta (se admiten valores simples, "
                     "listas y mapas)")


class FalkorDBStore:
    """GraphStore over a ``falkordb.FalkorDB`` client (passed in; not closed by this store)."""

    backend = "falkordb"

    def __init__(self, client: Any, *, graph: str = DEFAULT_GRAPH, max_batch_rows: int = 1000,
                 max_batch_bytes: int | None = None, revive: Callable[[], bool] | None = None):
        self.client = client
        # Called when the connection is lost: the embedded server's EmbeddedFalkorDB.revive.
        self._revive = revive
        self.graph_name = graph
        self.graph = client.select_graph(graph)
        self.max_batch_rows = max_batch_rows
        self.max_batch_bytes = max_batch_bytes
        self._schema_ready = False
        # The connection and threads of submit(), its unflushed futures and its first error.
        self._pipeline: _Pipeline | None = None
        self._pending: list[Future[QueryResult]] = []
        self._error: BaseException | None = None
        self._submitter: int | None = None

    def run(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        """Run one statement; StoreError names the statement's first line and the cause.
        Statements this thread submitted and did not flush run first (and their error, if
        any, is raised here)."""
        self._flush_own()
        return self._send(query, _with_params(query, params))

    def _flush_own(self) -> None:
        """Run the statements this thread submitted and did not flush (raising their error)."""
        if (self._pending or self._error is not None) and threading.get_ident() == self._submitter:
            self.flush()

    def read_rows(self, query: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """The rows of a read-only statement, as ``run(...).rows`` gives them, decoded here from
        the server's compact reply (``GRAPH.RO_QUERY``, so it cannot write). For reading a whole
        graph back (:func:`lawgraph.graph.transfer.read_graph`): falkordb-py's parser and
        :func:`_wrap` were 4.6 s of the 10.1 s that reading the corpus's laws back took
        (cProfile, 111,000 elements); plain values only (no node, edge or path)."""
        self._flush_own()
        try:
            header, rows, _stats = self.client.connection.execute_command(
                "GRAPH.RO_QUERY", self.graph_name, _with_params(query, params), "--compact")
        except Exception as exc:
            raise _rejected(query, exc) from exc
        names = [h[1] for h in header]
        return [dict(zip(names, map(_compact_value, row))) for row in rows]

    def submit(self, query: str, params: Mapping[str, Any] | None = None,
               on_result: Callable[[QueryResult], None] | None = None, *,
               pipeline: bool = False) -> Future[QueryResult]:
        """Queue one statement and return at once; statements run in submission order.

        FalkorDB reads parameters as query text, so encoding a statement costs the client
        about as much as executing it costs the server: the text is encoded here, in the
        caller's thread, while a sender thread writes the statements before it to a
        connection of their own and a receiver thread reads their answers. ``on_result``
        runs on the receiver thread. After a failure (of a statement or of an
        ``on_result``) the statements queued behind it are not run and their futures raise
        that same error; :meth:`flush` raises it once and clears it.

        ``pipeline``: the statement may be sent before the answers to the statements before
        it are back (up to ``_PIPELINE_DEPTH`` statements at the server), so that the server
        starts it as soon as it is done with them, with no round trip in between (the
        corpus load's server sat idle a third of the time without it, measured). The price:
        should one of those earlier statements fail, a pipelined statement may have run all
        the same (its future raises the error). Give it only to statements for which that
        does no harm, such as the loader's writes of a staged version, which stays invisible
        until a statement that is not pipelined completes it.

        One thread at a time submits and flushes (a loader); other threads may only ``run``.
        The threads are daemons: what is not flushed when the interpreter exits may not run."""
        text = _with_params(query, params)
        self._submitter = threading.get_ident()
        if self._pipeline is None:
            self._pipeline = _Pipeline(self)
        fut: Future[QueryResult] = Future()
        self._pending.append(fut)
        self._pipeline.jobs.put((query, text, on_result, fut, pipeline))
        return fut

    def flush(self) -> None:
        """Wait for every submitted statement; raise the first error among them."""
        pending, self._pending = self._pending, []
        for fut in pending:
            fut.exception()  # waits; the error itself is kept in self._error
        error, self._error = self._error, None
        if error is not None:
            raise error

    def run_many(self, query: str, params_list: Iterable[Mapping[str, Any]],
                 on_result: Callable[[QueryResult], None] | None = None) -> list[QueryResult]:
        """Run one statement once per parameter set, in order, each auto-committed (the
        next one is encoded while the server executes the previous, see :meth:`submit`)."""
        futures = [self.submit(query, params, on_result) for params in params_list]
        self.flush()
        return [f.result() for f in futures]

    def _send(self, query: str, text: str) -> QueryResult:
        try:
            res = self.graph.query(text)
        except Exception as exc:
            if not (_lost_connection(exc) and self._revive is not None):
                raise _rejected(query, exc) from exc
            # The server died (or was stopped): start it again. A read is simply run again; a
            # write may or may not have reached the append-only file, so it is not repeated.
            try:
                self._revive()
            except Exception as again:
                raise _rejected(query, again) from again
            if _WRITES.search(query):
                raise StoreError("la base de datos se reinició durante una escritura; "
                                 "repita la operación") from exc
            try:
                res = self.graph.query(text)
            except Exception as exc2:
                raise _rejected(query, exc2) from exc2
        return _wrap(res)

    def explain(self, query: str, params: Mapping[str, Any] | None = None) -> list[str]:
        """The statement's plan as GRAPH.EXPLAIN prints it, one operator per line, outermost
        first (nothing runs). Scans show as ``Node By Label Scan | (a:Label)``."""
        try:
            plan = self.client.execute_command("GRAPH.EXPLAIN", self.graph_name,
                                               _with_params(query, params))
        except Exception as exc:
            raise _rejected(query, exc) from exc
        return [(p.decode() if isinstance(p, bytes) else str(p)).strip() for p in plan]

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per label and relationships per type, without scanning (see
        :func:`lawgraph.graph.store.counts`)."""
        return counts(self)

    def checkpoint(self) -> None:
        """Start compacting the append-only file into a snapshot (in a forked child; returns
        at once). The loader calls it after each completed law version, so that a restart
        after a crash replays little more than the queries of the load that was cut short
        (replaying logged queries ran 20 times slower than the load itself, measured): at
        most ``CHECKPOINT_MIN_TAIL`` bytes or a tenth of the graph's log, whichever is more."""
        conn = self.client.connection
        with contextlib.suppress(Exception):  # one already running, or no append-only file
            info = conn.info("persistence")
            if not info.get("aof_enabled"):
                return
            # Each rewrite writes the whole graph; skip it while the log's tail is short
            # against the graph.
            base = int(info.get("aof_base_size", 0))
            tail = int(info.get("aof_current_size", 0)) - base
            if tail > max(CHECKPOINT_MIN_TAIL, CHECKPOINT_TAIL_RATIO * base):
                conn.execute_command("BGREWRITEAOF")

    def schema_statements(self, existing: set[tuple[str, str]]) -> list[str]:
        """Index DDL for the (label, property) pairs not yet indexed; a relationship type's
        pair is written ``("[TYPE]", property)``."""
        wanted = [(label, "id") for label in NODE_LABELS] + list(PROPERTY_INDEXES)
        out = [
            f"CREATE INDEX FOR (n:{quote_name(label)}) ON (n.{quote_name(prop)})"
            for label, prop in wanted
            if (label, prop) not in existing
        ]
        out += [
            f"CREATE INDEX FOR ()-[r:{quote_name(type_)}]-() ON (r.{quote_name(prop)})"
            for type_, prop in RELATIONSHIP_INDEXES
            if (f"[{type_}]", prop) not in existing
        ]
        return out

    def ensure_schema(self) -> None:
        """Create the missing indexes (idempotent).

        No unique constraints here: FalkorDB runs write queries one at a time per graph, so
        MERGE on ``id`` cannot create a duplicate (nor can the loader's CREATEs, which stop
        before another load of the version MERGEs: see ``load.create_tree_query``), and a
        constraint costs ~20 % of every insert (measured). Neo4j, which runs writes
        concurrently, keeps them."""
        if self._schema_ready:
            return
        existing: set[tuple[str, str]] = set()
        for row in self.run("CALL db.indexes() YIELD label, properties, entitytype "
                            "RETURN label, properties, entitytype").rows:
            kind = row.get("entitytype")
            if kind in ("NODE", "RELATIONSHIP"):
                name = row["label"] if kind == "NODE" else f"[{row['label']}]"
                for prop in row.get("properties") or []:
                    existing.add((name, prop))
        for stmt in self.schema_statements(existing):
            self.run(stmt)
        self._schema_ready = True

    def clear(self) -> None:
        """Delete this store's graph entirely (indexes included)."""
        with contextlib.suppress(Exception):
            self.flush()
        with contextlib.suppress(Exception):
            self.graph.delete()
        self.graph = self.client.select_graph(self.graph_name)
        self._schema_ready = False

    def bulk_create(self, encoder: BulkEncoder, *, keep: bool = False) -> None:
        """Write what ``encoder`` holds as this store's graph, which must not exist yet
        (:meth:`clear` first), through ``GRAPH.BULK`` (:mod:`lawgraph.graph.falkordb_bulk`:
        linear in the graph's size, where statements are not). Indexes are created after, over
        the loaded nodes; the append-only file gets the commands and is compacted once.
        ``keep``: the encoder keeps its commands (:meth:`BulkEncoder.commands`)."""
        self.flush()
        conn = self.client.connection
        for args in encoder.commands(self.graph_name, keep=keep):
            try:
                conn.execute_command(*args)
            except Exception as exc:  # noqa: BLE001 - the server's reply names the cause
                raise StoreError(f"carga masiva en {self.graph_name!r} rechazada: {exc}") from exc
        self.graph = self.client.select_graph(self.graph_name)
        self._schema_ready = False
        self.ensure_schema()
        # FalkorDB fills an index created over existing nodes in the background; until it is
        # done, lookups scan. The import returns with every index in use.
        deadline = time.monotonic() + INDEX_BUILD_TIMEOUT_S
        while any("OPERATIONAL" not in str(r["status"]) for r in
                  self.run("CALL db.indexes() YIELD status RETURN status").rows):
            if time.monotonic() > deadline:
                raise StoreError(f"{self.graph_name}: los índices no terminaron de construirse en "
                                 f"{INDEX_BUILD_TIMEOUT_S} s tras la carga masiva")
            time.sleep(0.05)
        with contextlib.suppress(Exception):  # no append-only file, or a rewrite running
            if conn.info("persistence").get("aof_enabled"):
                conn.execute_command("BGREWRITEAOF")

    def staging(self) -> "FalkorDBStore":
        """A store on ``<graph>__rebuild`` of the same server, emptied first (a rebuild that
        was interrupted leaves its half-built graph there, never under the readers' name)."""
        st = FalkorDBStore(self.client, graph=f"{self.graph_name}__rebuild",
                           max_batch_rows=self.max_batch_rows, max_batch_bytes=self.max_batch_bytes)
        st.clear()
        return st

    def promote(self, staging: "FalkorDBStore") -> None:
        """Swap the staging graph in: one RENAME (atomic on the server) over this store's graph.
        Every statement of both stores has run before."""
        if staging.graph_name == self.graph_name:
            raise StoreError("el grafo de reconstrucción es el mismo que el de lectura")
        staging.close()
        with contextlib.suppress(Exception):
            self.flush()
        try:
            self.client.connection.execute_command("RENAME", staging.graph_name, self.graph_name)
        except Exception as exc:  # noqa: BLE001 - any server error: nothing was swapped
            raise StoreError(f"no se pudo activar el grafo reconstruido: {exc}") from exc
        self.graph = self.client.select_graph(self.graph_name)
        self._schema_ready = False

    def close(self) -> None:
        """Stop the sender and receiver threads (after what was submitted) and close their
        connection; the client belongs to the caller."""
        with contextlib.suppress(Exception):
            self.flush()
        if self._pipeline is not None:
            self._pipeline.stop()
            self._pipeline = None


# Cypher clauses that change the graph: such a statement is not re-sent after a restart.
_WRITES = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE|DROP)\b", re.IGNORECASE)


def _lost_connection(exc: BaseException) -> bool:
    import redis

    return isinstance(exc, (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
                            ConnectionError, BrokenPipeError))


def _rejected(query: str, exc: BaseException) -> StoreError:
    """A short Spanish message for people; the statement and the server's words go to the log.
    (FalkorDB's syntax errors quote the query back: ``errCtx: …``; never shown.)"""
    import redis

    if isinstance(exc, StoreError):
        return exc
    first = query.strip().splitlines()[0] if query.strip() else ""
    log.error("FalkorDB: %s | consulta: %s", exc, first[:200])
    if isinstance(exc, redis.exceptions.BusyLoadingError) or _lost_connection(exc):
        err = StoreError("la base de datos no responde o está cargando sus datos; "
                         "inténtelo de nuevo en unos segundos")
        err.transient = True   # type: ignore[attr-defined]  # the journal does not quarantine on it
        return err
    cause = str(exc).split("errCtx")[0].split("\n")[0].strip().rstrip(".,;:")
    return StoreError(f"la base de datos rechazó la operación ({cause[:120]})")


def _wrap(res: Any) -> QueryResult:
    """A falkordb client result as a QueryResult (plain rows, integer counters)."""
    header = [h[1] if isinstance(h, (list, tuple)) else h for h in (res.header or [])]
    header = [h.decode() if isinstance(h, bytes) else h for h in header]
    rows = [dict(zip(header, (_plain(v) for v in row))) for row in (res.result_set or [])]
    counters = {
        "nodes_created": int(res.nodes_created or 0),
        "nodes_deleted": int(res.nodes_deleted or 0),
        "relationships_created": int(res.relationships_created or 0),
        "relationships_deleted": int(res.relationships_deleted or 0),
        "properties_set": int(res.properties_set or 0),
    }
    return QueryResult(rows, counters)


# Statements at the server at once when they are pipelined: one running, the next queued.
_PIPELINE_DEPTH = 2

# A queued statement: (query, text, on_result, future, pipeline).
_Job = tuple


class _Pipeline:
    """The sending side of :meth:`FalkorDBStore.submit`: a connection of its own, a sender
    thread that writes the queued statements to it in order (a pipelined one while fewer
    than ``_PIPELINE_DEPTH`` earlier ones are unanswered, any other once all are answered),
    and a receiver thread that reads the answers in the same order, runs ``on_result`` and
    settles the futures. The redis connection's writing and reading sides share no state,
    so the two threads use it at the same time."""

    def __init__(self, store: FalkorDBStore):
        self.store = store
        self.conn = store.client.connection.connection_pool.make_connection()
        self.jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self.sent: deque[_Job | None] = deque()
        self.cv = threading.Condition()
        self.in_flight = 0
        self.threads = [threading.Thread(target=self._send_loop, name="falkordb-send",
                                         daemon=True),
                        threading.Thread(target=self._receive_loop, name="falkordb-receive",
                                         daemon=True)]
        for t in self.threads:
            t.start()

    def stop(self) -> None:
        self.jobs.put(None)
        for t in self.threads:
            t.join()
        with contextlib.suppress(Exception):
            self.conn.disconnect()

    def _fail(self, exc: BaseException) -> BaseException:
        """Record the store's first error; give the one to raise."""
        store = self.store
        if store._error is None:
            store._error = exc
        return store._error

    def _send_loop(self) -> None:
        store, cv, conn = self.store, self.cv, self.conn
        while True:
            job = self.jobs.get()
            if job is None:
                with cv:
                    self.sent.append(None)
                    cv.notify_all()
                return
            query, text, _on_result, fut, pipeline = job
            with cv:
                while self.in_flight >= _PIPELINE_DEPTH or (self.in_flight and not pipeline):
                    cv.wait()
                error = store._error
                if error is None:
                    self.in_flight += 1
            if error is not None:
                fut.set_exception(error)  # queued behind a failure: not run
                continue
            try:
                conn.send_packed_command(
                    conn.pack_command("GRAPH.QUERY", store.graph_name, text, "--compact"),
                    check_health=False)
            except BaseException as exc:
                err = self._fail(_rejected(query, exc))
                with cv:
                    self.in_flight -= 1
                    cv.notify_all()
                fut.set_exception(err)
                continue
            with cv:
                self.sent.append(job)
                cv.notify_all()

    def _receive_loop(self) -> None:
        from falkordb.query_result import QueryResult as FalkorResult

        store, cv, conn = self.store, self.cv, self.conn
        while True:
            with cv:
                while not self.sent:
                    cv.wait()
                job = self.sent.popleft()
            if job is None:
                return
            query, _text, on_result, fut, _pipeline = job
            try:
                try:
                    res = _wrap(FalkorResult(store.graph, conn.read_response()))
                except Exception as exc:
                    raise _rejected(query, exc) from exc
                if store._error is not None:
                    raise store._error  # pipelined behind a failure: it ran, but is not counted
                if on_result is not None:
                    on_result(res)
                fut.set_result(res)
            except BaseException as exc:
                fut.set_exception(self._fail(exc))
            finally:
                with cv:
                    self.in_flight -= 1
                    cv.notify_all()
