"""Synthetic ParsedLaw objects for the graph tests (written here, not copied from any law).

The shape follows what the LeyesBiblio parser produces: divisions naming their articles,
articles with párrafos and fracciones (some with incisos), reform notes, original
transitorios and a reform-decree list with each decree's own transitorios.
"""
from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from lawgraph.model.law import Decree, Division, ParsedLaw, ReformNote, SourceRef, Unit

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def _src(sha: str, page: int, start: int = 0, n: int = 40) -> SourceRef:
    return SourceRef(sha256=sha, page=page, start=start, end=start + n)


def make_law(
    n_articles: int = 12,
    *,
    seed: str = "a",
    version: date = date(2026, 1, 15),
    fracciones: int = 4,
    decrees: int = 3,
    reword: dict[str, str] | None = None,
    drop: set[str] | None = None,
) -> ParsedLaw:
    """A law of ``n_articles`` articles in two títulos. ``reword`` replaces the text of the
    named article labels; ``drop`` leaves articles out (to simulate a changed version)."""
    reword = reword or {}
    drop = drop or set()
    sha = hashlib.sha256(f"synthetic-law-{seed}-{version}".encode()).hexdigest()
    articles = []
    labels = []
    for i in range(1, n_articles + 1):
        label = f"{i}" if i % 5 else f"{i - 1} Bis"
        if label in drop or label in labels:
            continue
        labels.append(label)
        page = 1 + i // 3
        notes = []
        if i % 3 == 0:
            notes.append(ReformNote(text="Artículo reformado DOF 15-01-2026", subject="Artículo",
                                    actions=["reformado"], dates=[date(2026, 1, 15)],
                                    source=_src(sha, page, 200)))
        children = [
            Unit(kind="parrafo", label="1", text=f"Párrafo inicial del artículo {label} ({seed}).",
                 source=_src(sha, page, 50)),
        ]
        for f in range(fracciones):
            incisos = []
            if f == 1:
                incisos = [Unit(kind="inciso", label=x, text=f"Inciso {x} de la fracción.",
                                source=_src(sha, page, 120 + k * 10)) for k, x in enumerate("abc")]
            children.append(Unit(kind="fraccion", label=ROMAN[f], raw_label=f"{ROMAN[f]}.",
                                 text=f"Fracción {ROMAN[f]} del artículo {label}.",
                                 repealed=(i == 4 and f == 3), children=incisos,
                                 source=_src(sha, page, 80 + f * 10)))
        text = reword.get(label, f"Artículo {label}.- Disposición de prueba número {i}.")
        articles.append(Unit(kind="articulo", label=label, raw_label=f"Artículo {label}.-",
                             text=text, reform_notes=notes, children=children,
                             repealed=(i == 7), source=_src(sha, page, 10, 200)))
    half = len(labels) // 2
    divisions = [
        Division(kind="titulo", label="PRIMERO", heading="DISPOSICIONES GENERALES",
                 source=_src(sha, 1), articles=labels[:2],
                 children=[Division(kind="capitulo", label="I", heading="DEL OBJETO",
                                    source=_src(sha, 1, 100), articles=labels[2:half])]),
        Division(kind="titulo", label="SEGUNDO", heading="DE LAS AUTORIDADES",
                 source=_src(sha, 3), articles=labels[half:]),
    ]
    transitorios = [
        Unit(kind="transitorio", label=lab, raw_label=f"{lab}.-",
             text=f"{lab}.- Transitorio de prueba.", source=_src(sha, 20, k * 50))
        for k, lab in enumerate(["Primero", "Segundo", "Tercero"])
    ]
    decree_list = []
    for k in range(decrees):
        d = date(2020 + k, 3, 1 + k)
        decree_list.append(Decree(
            index=k + 1,
            title=f"DECRETO por el que se reforma el artículo {k + 1} de la ley de prueba {seed}.",
            dof_date=d,
            clause=f"ARTÍCULO ÚNICO.- Se reforma el artículo {k + 1}.",
            transitorios=[Unit(kind="transitorio", label="Único", raw_label="Único.-",
                               text="Único.- El presente Decreto entrará en vigor al día siguiente.",
                               source=_src(sha, 30 + k))],
            source=_src(sha, 30 + k, 0, 300),
        ))
    return ParsedLaw(
        file=f"/tmp/synthetic_{seed}.pdf", sha256=sha, format="pdf", pages=40,
        title=f"LEY DE PRUEBA {seed.upper()}", ultima_reforma=version,
        publication="Nueva Ley publicada en el Diario Oficial de la Federación el 1 de febrero de 2007",
        divisions=divisions, articles=articles, transitorios_heading="TRANSITORIOS",
        transitorios=transitorios, decrees=decree_list,
    )


# --------------------------------------------------------------------------------------------
# Store fixtures: every graph test runs on the embedded FalkorDB and on a real Neo4j 5 (the
# `backend` and `neo4j_server` session fixtures of tests/conftest.py).

import uuid  # noqa: E402

import pytest  # noqa: E402

from lawgraph.graph.falkordb_backend import FalkorDBStore  # noqa: E402

from lawgraph.graph.falkordb_server import EmbeddedFalkorDB


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory: pytest.TempPathFactory):
    """One embedded server for the session (each test gets its own graph on it)."""
    server = EmbeddedFalkorDB(tmp_path_factory.mktemp("falkordb-home"))
    server.start()
    yield server
    server.stop()


def open_test_store(backend: str, request: pytest.FixtureRequest):
    """An empty store on ``backend``: a new graph on the session's FalkorDB, or the session's
    Neo4j emptied (Community Edition has one user database, so tests share it in turn)."""
    if backend == "falkordb":
        server = request.getfixturevalue("falkordb_server")
        return FalkorDBStore(server.client(), graph=f"test_{uuid.uuid4().hex[:12]}")
    from lawgraph.graph.neo4j_backend import Neo4jStore

    st = Neo4jStore(request.getfixturevalue("neo4j_driver"),
                    database=request.getfixturevalue("neo4j_server")["database"])
    st.clear()
    return st


@pytest.fixture()
def store(backend: str, request: pytest.FixtureRequest):
    """An empty GraphStore on each backend."""
    st = open_test_store(backend, request)
    yield st
    st.clear()
    st.close()


class RecordingStore:
    """A real store that also keeps every statement it ran (to check what reached Cypher)."""

    def __init__(self, inner):
        self.inner = inner
        self.backend = inner.backend
        self.max_batch_rows = inner.max_batch_rows
        self.max_batch_bytes = inner.max_batch_bytes
        self.calls: list[tuple[str, dict]] = []

    def run(self, query, params=None):
        self.calls.append((query, dict(params or {})))
        return self.inner.run(query, params)

    def run_many(self, query, params_list, on_result=None):
        out = []
        for params in params_list:
            out.append(self.run(query, params))
            if on_result is not None:
                on_result(out[-1])
        return out

    def submit(self, query, params=None, on_result=None, *, pipeline=False):
        self.calls.append((query, dict(params or {})))
        return self.inner.submit(query, params, on_result, pipeline=pipeline)

    def flush(self):
        self.inner.flush()

    def ensure_schema(self):
        self.inner.ensure_schema()

    def checkpoint(self):
        self.inner.checkpoint()

    def clear(self):
        self.inner.clear()

    def close(self):
        self.inner.close()


def backend_env(backend: str, request: pytest.FixtureRequest) -> dict[str, str]:
    """Environment for CLI tests on ``backend``: nothing for the embedded FalkorDB (the test's
    LAWGRAPH_HOME), the session's Neo4j (emptied first) for 'neo4j'."""
    if backend == "falkordb":
        return {}
    open_test_store("neo4j", request).close()  # empties it
    server = request.getfixturevalue("neo4j_server")
    env = {"LAWGRAPH_BACKEND": "neo4j", "NEO4J_URI": server["uri"]}
    if server["auth"]:
        env.update(NEO4J_USER=server["auth"][0], NEO4J_PASSWORD=server["auth"][1])
    if server["database"]:
        env["NEO4J_DATABASE"] = server["database"]
    return env


# --------------------------------------------------------------------------------------------
# A whole-corpus build in a second process. The suite's two slow comparisons build the corpus
# twice (into each backend; staged and by statements) and compare the graphs. Each build is
# mostly Python on one core, so the second runs in a spawned process beside the first, on the
# machine's other core (a fresh interpreter: no socket or thread of this one is inherited). The
# child opens its own connection to the same server and graph; the link caches it shares with
# this process are written atomically (lawgraph.cachefile).
def store_address(store, request: pytest.FixtureRequest) -> dict:
    """What a child process needs to open ``store`` (an open_test_store) again."""
    if store.backend == "falkordb":
        server = request.getfixturevalue("falkordb_server")
        return {"backend": "falkordb", "connect": server._connect_kwargs(), "graph": store.graph_name}
    server = request.getfixturevalue("neo4j_server")
    return {"backend": "neo4j", "uri": server["uri"], "auth": server["auth"], "database": server["database"]}


STEPS_DONE = "beside_steps.txt"     # in the child's home: one finished step per line


def _build_at(address: dict, home: str, staged: bool) -> list:
    """Runs in the child: ``lawgraph.steps.build`` (every step) into the store at ``address``;
    each finished step's name is appended to ``<home>/beside_steps.txt``, so that a child that
    dies names the step it died in (``BesideBuild.result``)."""
    from lawgraph.config import Settings
    from lawgraph.steps import STEPS, build

    done = Path(home) / STEPS_DONE

    def on_step(res) -> None:
        with done.open("a", encoding="utf-8") as f:
            f.write(res.name + "\n")

    if address["backend"] == "falkordb":
        from falkordb import FalkorDB

        st = FalkorDBStore(FalkorDB(**address["connect"]), graph=address["graph"])
        close = st.close
    else:
        import neo4j

        from lawgraph.graph.neo4j_backend import Neo4jStore

        driver = neo4j.GraphDatabase.driver(address["uri"], auth=address["auth"], notifications_min_severity="OFF")
        st = Neo4jStore(driver, database=address["database"])
        close = driver.close
    try:
        return build(st, steps=STEPS, settings=Settings(home=Path(home), backend=address["backend"]),
                     on_step=on_step, staged=staged)
    finally:
        close()


class BesideBuild:
    """A build running in a spawned process. ``result()`` gives its step results; an exception
    in the child is raised there with its traceback, and a child that died (killed, out of
    memory, a crash in a native library) becomes a RuntimeError naming the backend, the steps
    it finished and the one it was in, instead of a bare BrokenProcessPool."""

    def __init__(self, fut, label: str, home: Path, steps: tuple[str, ...]):
        self.fut, self.label, self.home, self.steps = fut, label, Path(home), steps

    def result(self, timeout: float | None = None) -> list:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.fut.result(timeout)
        except BrokenProcessPool as exc:
            f = self.home / STEPS_DONE
            done = f.read_text(encoding="utf-8").split() if f.is_file() else []
            left = [s for s in self.steps if s not in done]
            raise RuntimeError(
                f"the {self.label} build in a second process died in step "
                f"{left[0] if left else '(after the last)'!r} (finished: {', '.join(done) or 'none'}; "
                f"home {self.home}): {exc}") from exc


def _in_child(fn, *args):
    """A spawned single-worker pool running ``fn(*args)``; the worker exits when it is done."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"))
    fut = pool.submit(fn, *args)
    pool.shutdown(wait=False)
    return fut


def build_beside(address: dict, home: Path, staged: bool = False) -> BesideBuild:
    """Start the build into ``address`` in a spawned process (see ``BesideBuild``)."""
    from lawgraph.steps import STAGED_STEPS, STEPS

    Path(home).mkdir(parents=True, exist_ok=True)
    (Path(home) / STEPS_DONE).unlink(missing_ok=True)
    # a staged build reports its staged steps first (lawgraph.steps.build)
    order = (tuple(s for s in STEPS if s in STAGED_STEPS) + tuple(s for s in STEPS if s not in STAGED_STEPS)
             if staged else STEPS)
    return BesideBuild(_in_child(_build_at, address, str(home), staged), address["backend"], Path(home), order)


def _die_after(home: str, names: list[str]) -> None:
    """A child that finishes ``names`` and dies without a word (tests of ``BesideBuild``)."""
    import os

    with (Path(home) / STEPS_DONE).open("a", encoding="utf-8") as f:
        f.write("".join(n + "\n" for n in names))
    os._exit(9)
