"""A staged build on FalkorDB: a new graph written part by part, each part small, then loaded at once.

Why. Statement by statement, FalkorDB's cost per statement grows with the graph it writes into
(docs/scale.md: every statement that creates relationships assembles matrices as long as the
graph's node count, and the append-only file's rewrites copy the whole server), so building a
corpus many times today's one statement at a time costs more than linearly. ``GRAPH.BULK``
(:mod:`lawgraph.graph.falkordb_bulk`) is linear, but it takes finished nodes and relationships,
not the loader's plans. A staged build keeps the one write path and bounds the graph each
statement meets: every *unit* (a jurisdiction: its laws, and for the federal one the
Constitution's history and the chambers' proposals; in ``benchmarks/bench_scale.py`` one
synthetic copy of the corpus) is written through the normal loader into a scratch graph of the
same server that holds that unit alone, read back (:func:`lawgraph.graph.transfer.read_graph`),
encoded, and dropped; :meth:`StagedBuild.finish` then creates the target graph from every unit
in one ``GRAPH.BULK`` sequence. The graph a statement meets no longer grows with the units before
it. Measured (docs/scale.md): the load is linear (``benchmarks/bench_scale.py --staged``); each
unit of a 50-unit build costs what the same unit costs in a fresh process and server
(``bench_staged_units.py --mode alternate``, session 10: the ratio's slope +0.00 % per unit,
95 % interval -0.13 to +0.15), so the build's cost grows linearly with the graph. Encoding into
an ever larger file is the one phase the build's history slows (+0.33 % of encoding per unit). At
today's corpus the staged build costs more than the plain one, because reading each unit back is
work the plain build does not do. The encoded units wait for the load in an unnamed file
(``spill_dir``), so the client's memory does not grow with them (the node map still does).

What it requires. Units must be disjoint: no node may be written by two units. The encoder
refuses a repeated node (naming it) and a relationship to a node no unit wrote, so a broken
partition stops the build before the target is touched; a unit that *reads* another unit's
nodes would silently miss them, which is why ``lawgraph.steps`` partitions by jurisdiction and
``tests/test_staged_build.py`` checks that the staged build of the corpus is node for node and
relationship for relationship the statement-by-statement build.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lawgraph.errors import StoreError
from lawgraph.graph.falkordb_backend import FalkorDBStore
from lawgraph.graph.falkordb_bulk import BulkEncoder
from lawgraph.graph.transfer import read_graph

# The scratch graph's key: the target's name with this suffix (an interrupted build leaves it
# behind; the next unit clears it first).
SCRATCH_SUFFIX = "__stage"


@dataclass
class StagedReport:
    """What the staged units wrote, per unit: nodes and relationships read back."""

    units: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def nodes(self) -> int:
        return sum(n for _, n, _ in self.units)

    @property
    def relationships(self) -> int:
        return sum(r for _, _, r in self.units)


def require_falkordb(store: object) -> None:
    """StoreError unless ``store`` can take a staged build (``lawgraph.steps.rebuild`` asks
    before it clears anything)."""
    if not isinstance(store, FalkorDBStore):
        raise StoreError("la construcción por partes (--staged) solo existe para FalkorDB; "
                         f"este almacén es {type(store).__name__}")


class StagedBuild:
    """Write units into a scratch graph, collect them, and create ``target``'s graph from all.

    ``target`` must hold no node (its graph is created by :meth:`finish`); nothing is sent to it
    before :meth:`finish`, so a build that stops part way leaves it as it was. ``spill_dir``:
    the encoded units wait for the load in an unnamed file there instead of in memory."""

    def __init__(self, target: FalkorDBStore, spill_dir: Path | None = None) -> None:
        require_falkordb(target)
        present = target.run("MATCH (n) RETURN count(n) AS n").rows[0]["n"]
        if present:
            raise StoreError(f"la construcción por partes crea un grafo nuevo y {target.graph_name!r} "
                             f"ya tiene {present} nodos: use «lawgraph rebuild --staged», que construye "
                             "aparte y reemplaza el grafo solo si todo salió bien")
        self.target = target
        self.scratch = FalkorDBStore(target.client, graph=target.graph_name + SCRATCH_SUFFIX,
                                     max_batch_rows=target.max_batch_rows,
                                     max_batch_bytes=target.max_batch_bytes)
        self.encoder = BulkEncoder(spill_dir)
        self.report = StagedReport()
        self._names: set[str] = set()
        self._broken: StoreError | None = None

    @contextlib.contextmanager
    def unit(self, name: str) -> Iterator[FalkorDBStore]:
        """A store on an empty scratch graph for unit ``name``; on leaving the block its graph
        is read back, encoded and dropped. If the block raises, the unit is dropped unread."""
        if self._broken is not None:
            raise self._broken
        if name in self._names:
            raise StoreError(f"unidad {name!r} repetida en la construcción por partes")
        self._names.add(name)
        self.scratch.clear()
        self.scratch.ensure_schema()
        try:
            yield self.scratch
            self.scratch.flush()
            nodes, rels = read_graph(self.scratch)   # with the cyclic collector paused
            try:
                self.encoder.add(nodes, rels)
            except StoreError as exc:
                # The encoder may hold part of this unit: nothing more can be added or sent.
                self._broken = StoreError(f"unidad {name!r} de la construcción por partes: {exc} "
                                          "(las unidades deben escribir nodos distintos)")
                raise self._broken from exc
            self.report.units.append((name, len(nodes), len(rels)))
        finally:
            self.scratch.clear()

    def finish(self) -> StagedReport:
        """Create the target's graph from every unit (``GRAPH.BULK``, then its indexes)."""
        if self._broken is not None:
            raise self._broken
        self.target.clear()
        try:
            self.target.bulk_create(self.encoder)
        finally:
            self.encoder.close()
        return self.report
