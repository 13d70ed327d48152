"""Moving a whole graph between stores: export as JSON lines or as neo4j-admin CSV, import JSON lines.

Every node lawgraph writes has one label and a unique ``id`` (:data:`store.NODE_LABELS`), so
a node is named by its id and a relationship by its two ends' ids; nothing depends on a
backend's internal node ids. The same export read from FalkorDB or from Neo4j is the same
file (nodes sorted by label and id, relationships by type and ends), and it imports into
either.

JSON lines (``graph.jsonl``)::

    {"format": "lawgraph-graph", "version": 1, "nodes": N, "relationships": M}
    {"node": "Law", "properties": {"id": "/mx/ley/lgamvlv", ...}}
    {"rel": "HAS_VERSION", "start": ["Law", "/mx/ley/lgamvlv"], "end": ["LawVersion", "…"], "properties": {}}

neo4j-admin CSV (``csv/``): ``nodes_<Label>.csv`` (``id:ID`` plus one typed column per
property, ``:LABEL``) and ``relationships_<TYPE>.csv`` (``:START_ID``, ``:END_ID``, ``:TYPE``
plus typed properties), lists joined with ``;`` (the tool's default array delimiter), and
``import-command.txt`` with the ``neo4j-admin database import full`` line that reads them.
"""
from __future__ import annotations

import csv
import gc
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from lawgraph.errors import InputError, StoreError
from lawgraph.graph.cypher import quote_name
from lawgraph.graph.falkordb_backend import FalkorDBStore
from lawgraph.graph.falkordb_bulk import BulkEncoder
from lawgraph.graph.store import GraphStore

FORMAT = "lawgraph-graph"
VERSION = 1
# Nodes read per statement when exporting: pages keep each answer a few MB (a provision
# version with its text is ~1 KB) on both backends.
PAGE = 5000

# Label by label and type by type: one scan of each label's id index per page, where a page of
# every node sorted by id scanned the whole graph for each page (an export of two copies of
# the corpus took 56 s; measured with benchmarks/bench_scale.py's staged build).
LABELS_QUERY = "CALL db.labels() YIELD label RETURN label"
TYPES_QUERY = "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType AS type"


def nodes_query(label: str) -> str:
    """One page of a label's nodes in id order (both engines seek the id index)."""
    return (f"MATCH (n:{quote_name(label)}) WHERE n.id > $after\n"
            "RETURN n.id AS id, size(labels(n)) AS labels, properties(n) AS props\n"
            "ORDER BY n.id LIMIT $limit")


def rels_query(type_: str) -> str:
    """Every relationship of one type with its ends' labels and ids."""
    return (f"MATCH (a)-[r:{quote_name(type_)}]->(b)\n"
            "RETURN labels(a)[0] AS sl, a.id AS s, labels(b)[0] AS el, b.id AS e, properties(r) AS props")


@dataclass
class ExportReport:
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def read_graph(store: GraphStore) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every node and relationship, in a backend-independent order.

    The cyclic garbage collector is paused meanwhile: the records are acyclic dicts and lists
    that all live to the end, and its passes over them (and over whatever else the process
    holds) were 60-75 % of reading the corpus's laws back on FalkorDB (3.5-5.2 s of CPU with it,
    1.3 s without, 111,000 elements)."""
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_graph(store)
    finally:
        if gc_was_enabled:
            gc.enable()


def _read_graph(store: GraphStore) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    def read(query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        if isinstance(store, FalkorDBStore):
            return store.read_rows(query, params)
        return store.run(query, params).rows

    nodes: list[dict[str, Any]] = []
    for label in sorted(r["label"] for r in read(LABELS_QUERY)):
        after = ""
        while True:
            rows = read(nodes_query(label), {"after": after, "limit": PAGE})
            for r in rows:
                if r["labels"] != 1:
                    raise StoreError(f"el nodo {r['id']!r} tiene {r['labels']} etiquetas; se espera una")
                nodes.append({"node": label, "properties": _plain(r["props"])})
            if len(rows) < PAGE:
                break
            after = rows[-1]["id"]
    nodes.sort(key=lambda n: (n["node"], n["properties"]["id"]))
    rels = [{"rel": type_, "start": [r["sl"], r["s"]], "end": [r["el"], r["e"]],
             "properties": _plain(r["props"])}
            for type_ in sorted(r["type"] for r in read(TYPES_QUERY))
            for r in read(rels_query(type_))]
    rels.sort(key=lambda r: (r["rel"], r["start"][1], r["end"][1],
                             json.dumps(r["properties"], sort_keys=True)))
    return nodes, rels


def _plain(props: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in sorted(props.items())
            if v is not None}


def export_jsonl(store: GraphStore, path: Path) -> ExportReport:
    """Write the whole graph to ``path`` as JSON lines."""
    nodes, rels = read_graph(store)
    report = _counts(nodes, rels)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps({"format": FORMAT, "version": VERSION, "nodes": len(nodes),
                            "relationships": len(rels)}) + "\n")
        for item in (*nodes, *rels):
            f.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
    tmp.replace(path)
    report.files.append(str(path))
    return report


def _counts(nodes: list[dict], rels: list[dict]) -> ExportReport:
    report = ExportReport()
    for n in nodes:
        report.nodes[n["node"]] = report.nodes.get(n["node"], 0) + 1
    for r in rels:
        report.relationships[r["rel"]] = report.relationships.get(r["rel"], 0) + 1
    return report


# -- neo4j-admin CSV ------------------------------------------------------------------------

def _csv_type(values: list[Any]) -> str:
    """The neo4j-admin column type that holds every value of a property."""
    kinds = {type(v) for v in values if v is not None}
    if kinds and all(k is list for k in kinds):
        inner = [x for v in values if v for x in v]
        return _csv_type(inner) + "[]"
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "long"
    if kinds and kinds <= {int, float}:
        return "double"
    return "string"


def _cell(value: Any, typ: str) -> str:
    if value is None:
        return ""
    if typ.endswith("[]"):
        return ";".join(_cell(x, typ[:-2]) for x in value)
    if typ == "boolean":
        return "true" if value else "false"
    if typ == "string" and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _write_csv(path: Path, header: list[str], rows: Iterator[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        w.writerows(rows)


def export_admin_csv(store: GraphStore, directory: Path, *, database: str = "neo4j") -> ExportReport:
    """Write the graph in the CSV layout ``neo4j-admin database import full`` reads."""
    nodes, rels = read_graph(store)
    report = _counts(nodes, rels)
    directory.mkdir(parents=True, exist_ok=True)
    args = []
    by_label: dict[str, list[dict]] = defaultdict(list)
    for n in nodes:
        by_label[n["node"]].append(n["properties"])
    for label, items in sorted(by_label.items()):
        props = sorted({k for p in items for k in p} - {"id"})
        types = {k: _csv_type([p.get(k) for p in items]) for k in props}
        header = ["id:ID"] + [f"{k}:{types[k]}" for k in props] + [":LABEL"]
        path = directory / f"nodes_{label}.csv"
        _write_csv(path, header, ([p["id"], *(_cell(p.get(k), types[k]) for k in props), label]
                                  for p in items))
        args.append(f"--nodes={path.name}")
        report.files.append(str(path))
    by_type: dict[str, list[dict]] = defaultdict(list)
    for r in rels:
        by_type[r["rel"]].append(r)
    for type_, items in sorted(by_type.items()):
        props = sorted({k for r in items for k in r["properties"]})
        types = {k: _csv_type([r["properties"].get(k) for r in items]) for k in props}
        header = [":START_ID", ":END_ID", ":TYPE"] + [f"{k}:{types[k]}" for k in props]
        path = directory / f"relationships_{type_}.csv"
        _write_csv(path, header, ([r["start"][1], r["end"][1], type_,
                                   *(_cell(r["properties"].get(k), types[k]) for k in props)]
                                  for r in items))
        args.append(f"--relationships={path.name}")
        report.files.append(str(path))
    command = directory / "import-command.txt"
    command.write_text(
        "# Run in this directory, with the target database stopped and empty (neo4j-admin 5):\n"
        f"neo4j-admin database import full {' '.join(args)} {database}\n"
        "# then start Neo4j and run any lawgraph command once: it creates the constraints and indexes.\n",
        encoding="utf-8")
    report.files.append(str(command))
    return report


# -- import -----------------------------------------------------------------------------------

def _json_line(path: Path, line: str, n: int) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"línea {n}: JSON inválido ({exc.msg})") from exc


def _read_jsonl(path: Path) -> tuple[list[dict], list[dict]]:
    nodes: list[dict] = []
    rels: list[dict] = []
    try:
        with open(path, encoding="utf-8") as f:
            head = _json_line(path, f.readline() or "null", 1)
            if not isinstance(head, dict) or head.get("format") != FORMAT:
                raise InputError(path, "no es una exportación de lawgraph (falta la cabecera "
                                 f"{{\"format\": \"{FORMAT}\"}} en la primera línea)")
            if head.get("version") != VERSION:
                raise InputError(path, f"versión {head.get('version')!r} no admitida (se admite {VERSION})")
            for n, line in enumerate(f, start=2):
                item = _json_line(path, line, n)
                if "node" in item and isinstance(item.get("properties"), dict) and "id" in item["properties"]:
                    nodes.append(item)
                elif "rel" in item and len(item.get("start", ())) == 2 and len(item.get("end", ())) == 2:
                    rels.append(item)
                else:
                    raise InputError(path, f"línea {n}: ni nodo con id ni relación con sus dos extremos")
    except OSError as exc:
        raise InputError(path, f"no se puede leer ({exc.strerror})") from exc
    if len(nodes) != head.get("nodes") or len(rels) != head.get("relationships"):
        raise InputError(path, f"incompleto: la cabecera anuncia {head.get('nodes')} nodos y "
                         f"{head.get('relationships')} relaciones, hay {len(nodes)} y {len(rels)}")
    return nodes, rels


def _chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def import_jsonl(store: GraphStore, path: Path, *, replace: bool = False) -> ExportReport:
    """Load an export into ``store``. The whole file is read and checked first, so a bad file
    changes nothing. The target must be empty unless ``replace`` (then it is cleared)."""
    nodes, rels = _read_jsonl(path)
    report = _counts(nodes, rels)
    present = store.run("MATCH (n) RETURN count(n) AS n").rows[0]["n"]
    if present and not replace:
        raise InputError(None, f"el grafo de destino no está vacío ({present} nodos): "
                         "importe en un almacén vacío o use --replace")
    if isinstance(store, FalkorDBStore):
        # FalkorDB's bulk path: linear in the graph's size where statements are not
        # (lawgraph.graph.falkordb_bulk). The relationships' ends are all checked before
        # anything is cleared or sent; it creates the graph's key, so the graph (with the
        # empty one the count above opened) is dropped first.
        encoder = BulkEncoder()
        encoder.add(nodes, rels)
        store.clear()
        store.bulk_create(encoder)
        return report
    if present:
        store.clear()
    store.ensure_schema()
    size = store.max_batch_rows
    by_label: dict[str, list[dict]] = defaultdict(list)
    for n in nodes:
        by_label[n["node"]].append(n["properties"])
    for label, props in by_label.items():
        query = (f"UNWIND $rows AS r\nCREATE (n:{quote_name(label)})\nSET n = r")
        for batch in _chunks(props, size):
            store.run(query, {"rows": batch})
    by_key: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for r in rels:
        by_key[(r["rel"], r["start"][0], r["end"][0])].append(
            {"s": r["start"][1], "e": r["end"][1], "p": r["properties"]})
    for (type_, sl, el), rows in by_key.items():
        query = (f"UNWIND $rows AS r\nMATCH (a:{quote_name(sl)} {{id: r.s}})\n"
                 f"MATCH (b:{quote_name(el)} {{id: r.e}})\n"
                 f"CREATE (a)-[e:{quote_name(type_)}]->(b)\nSET e = r.p")
        for batch in _chunks(rows, size):
            store.run(query, {"rows": batch})
    store.checkpoint()
    return report
