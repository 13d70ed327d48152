"""The public write toolkit of ``graph/``: rows, batches, MERGE statements and one report.

Every module that writes to the graph (the law loader, decree operations, the legislative
process, the Constitution's history, recommendations and links) builds :class:`Node` and
:class:`Edge` rows and writes them with :func:`upsert_nodes` and :func:`merge_edges`, in
batches sized for the store (:func:`batches`), counting what happened in an
:class:`ImportReport` (inserted / updated / unchanged / deleted per label). A node stores
``_h``, the hash of its properties (:func:`props_hash`), so a re-load tells unchanged nodes
from updated ones in one read and writes only what differs. Labels and types reach the
statements only through :func:`lawgraph.graph.cypher.quote_name`; values only as parameters.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from lawgraph.graph.cypher import quote_name
from lawgraph.graph.store import GraphStore

ProgressHook = Callable[[str, int, int], None]
"""Called after every batch with (what was written, rows done, rows total)."""


@dataclass
class LabelCounts:
    """What happened to the nodes of one label."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass(kw_only=True)
class ImportReport:
    """What one write did: node counts per label, relationships, warnings and time. The
    report of every writer of ``graph/`` (the law loader's :class:`LoadReport` adds the version
    it loaded, the decree operations' report their counts …)."""

    nodes: dict[str, LabelCounts] = field(default_factory=dict)
    relationships_created: int = 0
    relationships_deleted: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def total(self, what: str) -> int:
        """Sum of one of 'inserted', 'updated', 'unchanged', 'deleted' over every label."""
        return sum(getattr(c, what) for c in self.nodes.values())

    def counts(self) -> str:
        """'3 insertados, 1 actualizados, 20 sin cambios' over every label."""
        return (f"{self.total('inserted')} insertados, {self.total('updated')} actualizados, "
                f"{self.total('unchanged')} sin cambios")

    def absorb(self, other: ImportReport) -> None:
        """Add another write's counts, warnings and time to this report (a step that makes
        several writes, e.g. a journal replay, reports them as one)."""
        for label, c in other.nodes.items():
            mine = self.nodes.setdefault(label, LabelCounts())
            for what in ("inserted", "updated", "unchanged", "deleted"):
                setattr(mine, what, getattr(mine, what) + getattr(c, what))
        self.relationships_created += other.relationships_created
        self.relationships_deleted += other.relationships_deleted
        self.warnings.extend(other.warnings)
        self.seconds += other.seconds


def _no_progress(what: str, done: int, total: int) -> None:
    """The default progress hook: nothing to show."""


# --------------------------------------------------------------------------------------------
# Rows: nodes and edges as every writer of graph/ builds them


@dataclass(slots=True)
class Node:
    label: str
    id: str
    props: dict[str, Any]
    create: dict[str, Any] = field(default_factory=dict)  # set only when the node is created
    h: str = ""
    # Version-scoped nodes only: the (label, id) of the node that CONTAINS it, its depth in
    # the tree and the Provision it is a VERSION_OF, so a new version's tree can be created
    # with its relationships in the same statements.
    parent: tuple[str, str] | None = None
    depth: int = 0
    provision: str | None = None
    # Properties every version-scoped node of the version has alike (version and law ids …),
    # one dict for all; ``props`` overrides them.
    shared: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        # The stored `_h` lets a re-load tell unchanged nodes from updated ones in one read.
        if not self.h:
            self.h = props_hash(self.all_props())

    def all_props(self) -> dict[str, Any]:
        """Every property the node stores but `_h`."""
        if not self.shared:
            return dict(self.props)
        out = {**self.shared, **self.props}
        if self.provision is not None:
            out["provision_id"] = self.provision
        return out

    def row(self) -> dict[str, Any]:
        props = self.all_props()
        props["_h"] = self.h
        return {"id": self.id, "props": props, "create": self.create}


@dataclass(slots=True)
class Edge:
    type: str
    src_label: str
    src: str
    dst_label: str
    dst: str
    props: dict[str, Any] | None = None


def portable(props: dict[str, Any]) -> dict[str, Any]:
    """``props`` with every float (alone or in a list) cut to 15 significant digits, the value
    both engines give back: FalkorDB answers a double with 15 (a ProposalTarget score stored as
    91.11111111111111 came back from FalkorDB 4.16.3 as 91.1111111111111 and from Neo4j 5.26
    whole, found by tests/test_backends.py's full-corpus comparison). The same dict when it
    holds no float."""
    if not any(isinstance(v, (float, list)) for v in props.values()):
        return props
    return {k: _portable_value(v) for k, v in props.items()}


def _portable_value(v: Any) -> Any:
    if isinstance(v, float):
        return float(f"{v:.15g}")
    if isinstance(v, list):
        return [_portable_value(x) for x in v]
    return v


def props_hash(obj: dict[str, Any]) -> str:
    # Property values are str / int / bool / None, so the repr of the sorted items is a stable
    # serialisation, and much cheaper than JSON for the tens of thousands of nodes of a code.
    return hashlib.sha1(repr(sorted(obj.items())).encode("utf-8")).hexdigest()[:24]


# --------------------------------------------------------------------------------------------
# Statements (the exact text both backends run; labels only through quote_name)


def upsert_nodes_query(label: str) -> str:
    """MERGE a batch of nodes of one label by id; `create` props only on creation;
    `$common` holds the properties every row of the batch shares (sent once)."""
    return (
        "UNWIND $rows AS r\n"
        f"MERGE (n:{quote_name(label)} {{id: r.id}})\n"
        "ON CREATE SET n += r.create\n"
        "SET n += r.props, n += $common"
    )


def existing_hashes_query(label: str) -> str:
    """Stored content hash of each id that exists (to count inserted / updated / unchanged)."""
    return (
        "UNWIND $ids AS id\n"
        f"MATCH (n:{quote_name(label)} {{id: id}})\n"
        "RETURN n.id AS id, n._h AS h"
    )


def merge_edges_query(type_: str, src_label: str, dst_label: str, with_props: bool) -> str:
    """MERGE a batch of relationships between nodes matched by id."""
    q = (
        "UNWIND $rows AS r\n"
        f"MATCH (a:{quote_name(src_label)} {{id: r.src}})\n"
        f"MATCH (b:{quote_name(dst_label)} {{id: r.dst}})\n"
        f"MERGE (a)-[e:{quote_name(type_)}]->(b)"
    )
    if with_props:
        q += "\nSET e += r.props"
    return q


def version_ids_query(label: str) -> str:
    """Ids of the version-scoped nodes of one label stored for a version."""
    return f"MATCH (n:{quote_name(label)} {{version_id: $version_id}})\nRETURN n.id AS id"


def delete_nodes_query(label: str) -> str:
    """Delete a batch of nodes by id, with their relationships."""
    return f"UNWIND $ids AS id\nMATCH (n:{quote_name(label)} {{id: id}})\nDETACH DELETE n"


# --------------------------------------------------------------------------------------------
# Batching


def batches(rows: list[Any], store: GraphStore) -> Iterator[list[Any]]:
    """Split rows by count and, when the store needs it, by JSON size."""
    max_rows = max(1, store.max_batch_rows)
    max_bytes = store.max_batch_bytes
    batch: list[Any] = []
    size = 0
    for row in rows:
        rsize = len(json.dumps(row, ensure_ascii=False, default=str).encode("utf-8")) if max_bytes else 0
        if batch and (len(batch) >= max_rows or (max_bytes and size + rsize > max_bytes)):
            yield batch
            batch, size = [], 0
        batch.append(row)
        size += rsize
    if batch:
        yield batch


def upsert_nodes(store: GraphStore, label: str, nodes: list[Node], report: ImportReport, *,
                 progress: ProgressHook = _no_progress, assume_new: bool = False) -> None:
    """MERGE the nodes of one label that are new or differ from what is stored (by `_h`).
    ``assume_new``: the caller knows none of them exists, so nothing is read first."""
    counts = report.nodes.setdefault(label, LabelCounts())
    if not nodes:
        return
    rows = [n.row() for n in nodes]
    for r in rows:
        r["props"] = portable(r["props"])
    stored: dict[str, str | None] = {}
    for batch in ([] if assume_new else batches([r["id"] for r in rows], store)):
        for rec in store.run(existing_hashes_query(label), {"ids": batch}).rows:
            stored[rec["id"]] = rec["h"]
    to_write = []
    for r in rows:
        if r["id"] not in stored:
            counts.inserted += 1
            to_write.append(r)
        elif stored[r["id"]] != r["props"]["_h"]:
            counts.updated += 1
            to_write.append(r)
        else:
            counts.unchanged += 1
    common = common_props(to_write)
    if common:
        to_write = [
            {"id": r["id"], "create": r["create"],
             "props": {k: v for k, v in r["props"].items() if k not in common}}
            for r in to_write
        ]
    total, done = len(to_write), 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        progress(label, done, total)

    for query, group in create_or_merge(store, label, to_write, stored, common):
        chunks = list(batches(group, store))
        sizes = iter(len(b) for b in chunks)
        store.run_many(query, ({"rows": b, "common": common} for b in chunks),
                       lambda _res, sizes=sizes: advance(next(sizes)))


def creates_inline(store: GraphStore) -> bool:
    """Whether the write path CREATEs new nodes with their properties in the pattern and SETs
    only nodes that exist (:func:`create_or_merge`, ``load.create_tree_query``,
    ``load.stage_version_query``), instead of ``MERGE … SET``: on FalkorDB.

    Why: FalkorDB 4.16 keeps its matrices never hypersparse, and a statement that sets a
    property after nodes were created assembles the label matrix, at a cost proportional to
    every node stored (profiled with perf: ``CommitUpdates`` -> ``Graph_GetNodeLabels`` ->
    ``GB_wait``). ``MERGE … SET`` of one new node took 23 ms at 1 M nodes and 219 ms at 6 M,
    of 100 new nodes 30 ms at 1 M and 161 ms at 4 M; the CREATE of 100, 1.2-2.3 ms at each
    size (benchmarks/bench_falkordb_costs.py, docs/scale.md). A node created with its
    properties is indexed as it is made. FalkorDB runs one write statement at a time, so a
    guarded CREATE makes no node twice; Neo4j keeps its MERGEs, which its unique constraints
    make safe under concurrent writers."""
    return store.backend == "falkordb"


def create_nodes_query(label: str, keys: tuple[str, ...], create: tuple[str, ...],
                       common: tuple[str, ...], parent: tuple[str, str] | None = None) -> str:
    """FalkorDB's upsert of nodes read as absent: CREATE each with every property in the
    pattern (``keys`` from the row's ``p``, ``create`` from its ``c``, ``common`` from
    ``$common``); a node another writer made in between gets ``p`` and ``$common`` SET, as
    the MERGE would have. Rows are ``{"id", "p", "c"}`` with no null value. ``parent``
    (label, relationship type): each row also names ``r.parent``, the node that holds it by
    that relationship; a row whose parent is missing writes nothing, as the MERGE did."""
    q = quote_name(label)
    props = [f"{quote_name(k)}: r.p.{quote_name(k)}" for k in keys]
    props += [f"{quote_name(k)}: r.c.{quote_name(k)}" for k in create if k not in keys]
    props += [f"{quote_name(k)}: $common.{quote_name(k)}" for k in common
              if k not in keys and k not in create]
    node = f"(:{q} {{id: r.id, {', '.join(props)}}})"
    head = "UNWIND $rows AS r\n"
    if parent is not None:
        head += f"MATCH (d:{quote_name(parent[0])} {{id: r.parent}})\n"
        node = f"(d)-[:{quote_name(parent[1])}]->{node}"
    out = (
        head
        + f"OPTIONAL MATCH (x:{q} {{id: r.id}})\n"
        + "FOREACH (_ IN CASE WHEN x IS NULL THEN [1] ELSE [] END |\n"
        + f"  CREATE {node})\n"
        + "FOREACH (_ IN CASE WHEN x IS NULL THEN [] ELSE [1] END |\n"
        + "  SET x += r.p, x += $common)"
    )
    if parent is not None:
        out += (f"\nWITH d, r\nMATCH (n:{q} {{id: r.id}})\n"
                f"MERGE (d)-[:{quote_name(parent[1])}]->(n)")
    return out


def create_or_merge(store: GraphStore, label: str, rows: list[dict[str, Any]],
                    stored: dict[str, Any], common: dict[str, Any], *,
                    merge_query: str | None = None,
                    parent: tuple[str, str, str] | None = None) -> list[tuple[str, list[dict[str, Any]]]]:
    """(statement, rows) that upsert ``rows`` on ``store``. Where :func:`creates_inline`
    says so (FalkorDB), rows whose id was not stored are CREATEd with their properties in the
    pattern (:func:`create_nodes_query`), grouped by the properties they hold; the others,
    every row elsewhere, and a batch that names an id twice keep the MERGE … SET.

    ``merge_query``: the MERGE statement (default :func:`upsert_nodes_query`); ``parent``
    (label, relationship type, row key): rows hang from a parent node by that relationship
    (decree transitorios from their decree)."""
    merge_query = merge_query or upsert_nodes_query(label)
    ids = [r["id"] for r in rows]
    if not creates_inline(store) or len(set(ids)) != len(ids):
        return [(merge_query, rows)]
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    merged: list[dict[str, Any]] = []
    for r in rows:
        if r["id"] in stored:
            merged.append(r)
            continue
        p = {k: v for k, v in r["props"].items() if v is not None and k != "id"}
        c = {k: v for k, v in r["create"].items() if v is not None and k != "id"}
        row = {"id": r["id"], "p": p, "c": c}
        if parent is not None:
            row["parent"] = r[parent[2]]
        groups[(tuple(sorted(p)), tuple(sorted(c)))].append(row)
    shared = tuple(sorted(k for k, v in common.items() if v is not None))
    out = [(create_nodes_query(label, keys, create, shared, parent and parent[:2]), group)
           for (keys, create), group in groups.items()]
    if merged:
        out.append((merge_query, merged))
    return out


def common_props(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Properties with one value across all rows (version id, law id, document hash …):
    FalkorDB parses parameters as query text, so sending them once per batch saves time."""
    if len(rows) < 2:
        return {}
    first = rows[0]["props"]
    common = {k: v for k, v in first.items() if k != "_h"}
    for r in rows[1:]:
        props = r["props"]
        for k in [k for k, v in common.items() if props.get(k, ...) != v]:
            del common[k]
        if not common:
            break
    return common


def merge_edges(store: GraphStore, edges: list[Edge], report: ImportReport,
                progress: ProgressHook = _no_progress) -> None:
    """MERGE relationships between stored nodes, grouped by type and end labels (HAS_VERSION
    is written with the law loader's staging statement and skipped here).

    Two edges of one type between the same two nodes are one relationship (MERGE): the last
    one's properties are kept, here, so both engines store the same. Sent both in one batch,
    which properties survived differed between them (two reform notes of one article naming
    two decrees of one day: tests/test_backends.py's full-corpus comparison)."""
    groups: dict[tuple[str, str, str, bool], dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for e in edges:
        if e.type in ("HAS_VERSION",):
            continue  # written with the staging marker
        row: dict[str, Any] = {"src": e.src, "dst": e.dst}
        if e.props is not None:
            row["props"] = portable(e.props)
        groups[(e.type, e.src_label, e.dst_label, e.props is not None)][(e.src, e.dst)] = row
    for (type_, src_label, dst_label, with_props), by_pair in groups.items():
        rows = list(by_pair.values())
        query = merge_edges_query(type_, src_label, dst_label, with_props)
        chunks = list(batches(rows, store))
        sizes = iter(len(b) for b in chunks)
        done = 0

        def after(res: Any, _type: str = type_, _total: int = len(rows)) -> None:
            nonlocal done
            report.relationships_created += res.counters.get("relationships_created", 0)
            done += next(sizes)
            progress(_type, done, _total)

        store.run_many(query, ({"rows": b} for b in chunks), after)
