"""FalkorDB's bulk path: a whole graph written into a new key by ``GRAPH.BULK`` commands.

Why a second write path. Statement by statement, FalkorDB 4.16's cost per statement grows with
the graph (docs/scale.md, "Where FalkorDB's remaining growth is"): the module builds every
GraphBLAS matrix in CSR form and never hypersparse (``GxB_NEVER_HYPER`` at load), so
assembling a matrix's pending entries costs time proportional to the node count, and a
statement that sets properties after any node was created pays it (``CommitUpdates`` ->
``GraphContext_AddNodeToIndices`` -> ``Graph_GetNodeLabels`` -> ``GB_wait``, profiled with
perf). ``GRAPH.BULK`` creates nodes and edges in batches and assembles each matrix once, so
loading an export of N elements costs time proportional to N. It only creates a new graph
(its first command carries ``BEGIN`` and fails if the key exists), so it serves
``lawgraph import`` into an empty store, and the staged build of ``benchmarks/bench_scale.py``.

Wire format (FalkorDB's ``src/bulk_insert/bulk_insert.c``; little-endian, as the server's x86-64
and arm64 builds read it): ``GRAPH.BULK key [BEGIN] <nodes> <edges> <node tokens> <edge tokens>
token...``. A token is one label (or relationship type) with one key set: its name, NUL, a
4-byte key count, each key and NUL; then per node its values, or per edge its source and target
node ids (8 bytes each) and its values. A value is a type byte (0 null, 1 bool, 2 double,
3 string, 4 64-bit integer, 5 array) and its payload (1 byte, 8 bytes, a NUL-terminated UTF-8
string, or an 8-byte length and that many values). Nodes get internal ids in the order they
are sent, from 0 in a new graph, so an edge names its ends by those ids.
"""
from __future__ import annotations

import os
import struct
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from lawgraph.errors import StoreError

# Bytes of tokens per command. FalkorDB's own bulk loader sends batches of at most 512 MB (the
# server's default proto-max-bulk-len); 64 MB keeps the client's buffer and the server's
# argument copy small while a 50x corpus (~1.5 GB encoded) still takes only a few dozen commands.
COMMAND_BYTES = 64 * 1024 * 1024

_I64 = struct.Struct("<q")
_U64 = struct.Struct("<Q")
_U32 = struct.Struct("<I")
_F64 = struct.Struct("<d")
_ENDS = struct.Struct("<QQ")


def encode_value(value: Any, where: str) -> bytes:
    """One property value in the bulk format; StoreError names ``where`` for a value the
    format cannot carry (a map, a string with a NUL byte, an integer past 64 bits)."""
    if value is None:
        return b"\x00"
    if isinstance(value, bool):
        return b"\x01" + (b"\x01" if value else b"\x00")
    if isinstance(value, int):
        if not -(2 ** 63) <= value < 2 ** 63:
            raise StoreError(f"{where}: entero fuera de 64 bits ({value})")
        return b"\x04" + _I64.pack(value)
    if isinstance(value, float):
        return b"\x02" + _F64.pack(value)
    if isinstance(value, str):
        if "\x00" in value:
            raise StoreError(f"{where}: texto con un byte nulo, que la carga masiva no admite")
        return b"\x03" + value.encode("utf-8") + b"\x00"
    if isinstance(value, (list, tuple)):
        return b"\x05" + _I64.pack(len(value)) + b"".join(encode_value(v, where) for v in value)
    raise StoreError(f"{where}: valor de tipo {type(value).__name__} que la carga masiva no admite")


def _header(name: str, keys: tuple[str, ...]) -> bytes:
    parts = [name.encode("utf-8"), b"\x00", _U32.pack(len(keys))]
    for k in keys:
        parts += [k.encode("utf-8"), b"\x00"]
    return b"".join(parts)


def _node_key(label: str, id_: str) -> str:
    return f"{label}\x00{id_}"


class BulkEncoder:
    """Turns nodes and relationships (the export's records, :mod:`lawgraph.graph.transfer`)
    into ``GRAPH.BULK`` commands, numbering nodes in the order they are sent.

    ``add`` may be called several times (the staged build adds one copy of the corpus at a
    time); a relationship may name a node added in an earlier call. Each call's nodes are
    sent before its relationships, so every end exists when its edge is created."""

    def __init__(self, spill_dir: Path | None = None) -> None:
        # Internal id of each node sent, keyed "label NUL id". Text keys and integer values keep
        # the dict out of the cyclic garbage collector's reach (CPython tracks a dict only once
        # it holds a tracked object, such as a tuple): with (label, id) tuples every full
        # collection walked its millions of entries, and a staged build's client CPU per unit
        # rose with the units already encoded (benchmarks/bench_scale.py --staged, docs/scale.md).
        self.ids: dict[str, int] = {}
        self.nodes = 0
        self.edges = 0
        # Per command: node count, edge count, node tokens, edge tokens, bytes of tokens. A token
        # is its bytes, or with ``spill_dir`` its (offset, length) in an unnamed file there: the
        # encoded units of a staged build of 50x today's corpus are ~2 GB, which would otherwise
        # stay in this process's memory until the load (its peak fell from 4.2 to 2.2 GB with
        # them in a file; benchmarks/bench_scale.py --staged, docs/scale.md).
        self._commands: list[tuple[int, int, list[Any], list[Any], int]] = []
        self._spill, self._spill_dir = None, spill_dir
        if spill_dir is not None:
            Path(spill_dir).mkdir(parents=True, exist_ok=True)
            self._spill = tempfile.TemporaryFile(dir=spill_dir, prefix="lawgraph-bulk-")
        self._spilled = 0

    def add(self, nodes: Iterable[dict[str, Any]], rels: Iterable[dict[str, Any]]) -> None:
        """Encode ``{"node": label, "properties": {...}}`` and ``{"rel": type, "start": [label,
        id], "end": [label, id], "properties": {...}}`` records."""
        groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
        for n in nodes:
            props = n["properties"]
            groups[(n["node"], tuple(sorted(props)))].append(props)
        tokens: list[tuple[int, bytes]] = []
        next_id = self.nodes
        for (label, keys), rows in groups.items():
            parts = [_header(label, keys)]
            for props in rows:
                key = _node_key(label, props["id"])
                if key in self.ids:
                    raise StoreError(f"nodo repetido en la carga masiva: {label} {props['id']!r}")
                self.ids[key] = next_id
                next_id += 1
                where = f"{label} {props['id']!r}"
                parts += [encode_value(props[k], f"{where}.{k}") for k in keys]
            tokens.append((len(rows), b"".join(parts)))
        edge_groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
        for r in rels:
            edge_groups[(r["rel"], tuple(sorted(r["properties"])))].append(r)
        edge_tokens: list[tuple[int, bytes]] = []
        for (type_, keys), rows in edge_groups.items():
            parts = [_header(type_, keys)]
            for r in rows:
                try:
                    src, dst = self.ids[_node_key(*r["start"])], self.ids[_node_key(*r["end"])]
                except KeyError as exc:
                    raise StoreError(f"relación {type_} {r['start']} -> {r['end']}: su extremo "
                                     f"{exc.args[0].split(chr(0))} no está entre los nodos") from exc
                parts.append(_ENDS.pack(src, dst))
                where = f"{type_} {r['start'][1]!r} -> {r['end'][1]!r}"
                parts += [encode_value(r["properties"][k], f"{where}.{k}") for k in keys]
            edge_tokens.append((len(rows), b"".join(parts)))
        for count, token in tokens:
            self._append(count, 0, token, node=True)
            self.nodes += count
        for count, token in edge_tokens:
            self._append(0, count, token, node=False)
            self.edges += count

    def _append(self, nodes: int, edges: int, token: bytes, *, node: bool) -> None:
        """Put ``token`` in the last command if it fits and keeps nodes before edges."""
        size = len(token)
        if self._spill is not None:
            try:
                self._spill.write(token)
            except OSError as exc:   # a full disk: the encoder holds part of this call
                raise StoreError(f"no se pudo guardar la carga masiva en {self._spill_dir}: {exc}") from exc
            token, self._spilled = (self._spilled, size), self._spilled + size
        if self._commands:
            n, e, ntok, etok, used = self._commands[-1]
            if used + size <= COMMAND_BYTES and (not node or not etok):
                (ntok if node else etok).append(token)
                self._commands[-1] = (n + nodes, e + edges, ntok, etok, used + size)
                return
        self._commands.append((nodes, edges, [token] if node else [], [] if node else [token], size))

    def commands(self, key: str, *, begin: bool = True, keep: bool = False) -> Iterator[list[bytes | str | int]]:
        """The ``GRAPH.BULK`` argument lists, the first with ``BEGIN`` when ``begin``; each
        command's encoded tokens are released once it is yielded, unless ``keep`` (then the
        encoder can load the same graph again, and take more nodes after)."""
        if self._spill is not None:
            self._spill.flush()   # tokens still in the file object's buffer, before pread
        for nodes, edges, ntok, etok, _size in (list(self._commands) if keep else self._drain()):
            head: list[bytes | str | int] = ["GRAPH.BULK", key]
            if begin:
                head.append("BEGIN")
                begin = False
            yield [*head, nodes, edges, len(ntok), len(etok), *self._read(ntok), *self._read(etok)]

    def _read(self, tokens: list[Any]) -> list[bytes]:
        if self._spill is None:
            return tokens
        fd = self._spill.fileno()
        return [os.pread(fd, length, offset) for offset, length in tokens]

    def close(self) -> None:
        """Remove the spill file (the encoder can send nothing after)."""
        if self._spill is not None:
            self._spill.close()

    def _drain(self) -> Iterator[tuple[int, int, list[bytes], list[bytes], int]]:
        while self._commands:
            yield self._commands.pop(0)
