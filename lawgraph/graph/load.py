"""Load a :class:`~lawgraph.model.law.ParsedLaw` into a :class:`GraphStore`.

Graph model (every id from :mod:`lawgraph.ids`; every node a single label and a unique ``id``)::

    (:Document {sha256, file, format, pages})
    (:Law {key, title, jurisdiction, kind})                       id = work id  /mx/ley/lgamvlv
      -[:HAS_VERSION]->
    (:LawVersion {law_id, date, title, publication, preamble, preamble_notes,
                  sha256, content_hash, complete})                 id = expression /mx/ley/lgamvlv@2026-01-15
      -[:READ_FROM]->(:Document)
      -[:CONTAINS]->(:Division {version_id, kind, label, heading, repealed, ordinal,
                                reform_notes, source})             id = expression + /tit_primero/cap_i
                      -[:CONTAINS]->(:Division) …
                      -[:CONTAINS]->(:ProvisionVersion)            (the articles under the heading)
      -[:CONTAINS]->(:ProvisionVersion)                            (articles outside any heading,
                                                                    original transitorios)
      -[:LISTS {index, clause, source}]->(:Decree)
    (:ProvisionVersion {provision_id, version_id, law_id, kind, label, raw_label, text,
                        repealed, ordinal, valid_from, reform_notes, text_hash, source})
                                                                   id = expression + /art_20-ter/frac_iii
      -[:CONTAINS]->(:ProvisionVersion)                            (párrafo, fracción, inciso …)
      -[:VERSION_OF]->(:Provision {law_id, kind, label})           id = work + /art_20-ter/frac_iii
    (:Decree {gazette, dof_date, title, kind, declared_invalid, notified_date, source})
                                                                   id = /mx/dof/2026-01-15/<hash>
      -[:AMENDS]->(:Law)
      -[:HAS_TRANSITORIO]->(:DecreeTransitorio {decree_id, label, raw_label, text, ordinal,
                                                source})          id = decree id + /tr_primero

``source`` stands for four properties on the node or edge: ``sha256`` (of the document),
``page`` (1-based, null for page-less formats), ``start`` and ``end`` (character span). Dates
are ISO strings (``'2026-01-15'``): they compare correctly as strings on both engines and
FalkorDB's Bolt endpoint cannot return temporal values. Reform notes are a JSON string (a list
of ``{text, subject, actions, dates, gazette, page, start, end}``, read from the same document
as their unit), since neither engine stores maps. ``text`` is the unit's own text; the text of
an article with its párrafos and fracciones is assembled by the read functions from the
``CONTAINS`` subtree (ordered by ``ordinal``); ``text_hash`` hashes that full text, so two
versions of a provision compare without reading their subtrees. The amendment clause of a
decree is on the ``LISTS`` edge, not on the Decree: one decree can amend several laws, and each
law's document prints the clause that concerns it. Every node also stores ``_h``, the hash of
its loaded properties, which tells a re-load what is unchanged.

Shared nodes (Law, Provision, Decree, DecreeTransitorio, Document) may be read from several
documents; their ``source`` is the first document that gave them. Version-scoped nodes
(LawVersion, Division, ProvisionVersion) belong to one law version and are rewritten from the
latest document loaded for that version (``LawVersion.sha256``; the version keeps a
``READ_FROM`` edge to every document it was loaded from, e.g. the PDF and the Word file).

Atomic visibility. FalkorDB has no multi-statement transactions, so a version is staged: the
loader first sets ``LawVersion.complete = false`` (one statement; the version vanishes from every
reader, which filter on ``complete = true``), then writes batches, removes stale nodes and edges,
and finally flips ``complete = true`` together with the version's ``content_hash`` in one
statement. A re-run after a crash (SIGKILL between batches) finds the version incomplete,
diffs what is stored against what it should be, writes what is missing or different, deletes
what should not be there, and completes. Re-loading the same document when its content hash
is already stored on a complete version changes nothing (``LoadReport.unchanged_document``).

Speed. A version that did not exist (the staging MERGE says so atomically) is planned and
written at the same time: the planner (:class:`_Planner`) hands out the provision versions in
chunks of whole articles, and each chunk is queued on the store (:meth:`GraphStore.submit`)
as soon as it is planned, so the server writes one chunk while the next is planned. Its tree
is written level by level, each node with its ``CONTAINS`` edge, a provision version also
with its ``Provision`` (created when missing, rewritten when it differs) and ``VERSION_OF``,
with no reads first: its
nodes and edges are CREATEd, with every property inside the CREATE, from rows that are lists
of values (see :func:`create_tree_query`). An existing or interrupted version is planned
whole and diffed against the stored ``_h``; only what differs is written, by MERGE on ``id``.
Properties all rows share are sent once as ``$common``. A new version's writes (and the reads
among them) are pipelined (``submit(..., pipeline=True)``): the server starts each as soon as
it is done with the one before. The statements that stage and complete the version are not,
so a version is never completed after a failed write.

Concurrent loads. Only the load whose staging created the version CREATEs, and only while it
is the version's ``writer``: every staging makes its load the writer, so the CREATE
statements stop (write nothing) as soon as a second load of the version has staged it, before
that load's first MERGE. The first load then sees it was taken over and finishes by merging,
like the second. Two loads of one version at the same moment thus make no duplicates (the
last to finish decides the version's content).
"""
from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import itertools
import json
import sys
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from lawgraph import ids
from lawgraph.errors import InputError, StoreError
from lawgraph.export import note_json
from lawgraph.graph.cypher import quote_name
from lawgraph.graph.store import GraphStore, QueryResult
from lawgraph.model.law import Decree, Division, ParsedLaw, ReformNote, SourceRef, Unit

# Bumped when the shape of what the loader writes changes, so that a document loaded by an
# older loader is rewritten instead of being reported unchanged.
LOADER_VERSION = 2

# Order in which node labels are written: the staging marker (LawVersion) right after its Law,
# parents before the edges that need them.
_NODE_ORDER = (
    "Document",
    "Law",
    "LawVersion",
    "Decree",
    "DecreeTransitorio",
    "Provision",
    "Division",
    "ProvisionVersion",
)
_VERSION_SCOPED = ("Division", "ProvisionVersion")

ProgressHook = Callable[[str, int, int], None]
"""Called after every batch with (what was written, rows done, rows total)."""


@dataclass
class LabelCounts:
    """What happened to the nodes of one label."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass
class LoadReport:
    """The outcome of one :func:`load_parsed_law` call."""

    law_id: str
    version_id: str
    document_sha256: str
    nodes: dict[str, LabelCounts] = field(default_factory=dict)
    relationships_created: int = 0
    relationships_deleted: int = 0
    unchanged_document: bool = False
    recovered_incomplete: bool = False
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def total(self, what: str) -> int:
        """Sum of one of 'inserted', 'updated', 'unchanged', 'deleted' over every label."""
        return sum(getattr(c, what) for c in self.nodes.values())

    @property
    def elements(self) -> int:
        """Graph elements this version consists of (nodes it defines + relationships written)."""
        return sum(c.inserted + c.updated + c.unchanged for c in self.nodes.values()) + (
            self.relationships_created
        )

    def summary(self) -> str:
        """One line in Spanish for the CLI."""
        if self.unchanged_document:
            return (
                f"{self.version_id}: documento sin cambios (sha256 {self.document_sha256[:12]}); "
                f"no se modificó nada ({self.total('unchanged')} nodos sin cambios)."
            )
        s = (
            f"{self.version_id}: {self.total('inserted')} nodos insertados, "
            f"{self.total('updated')} actualizados, {self.total('unchanged')} sin cambios, "
            f"{self.total('deleted')} eliminados; {self.relationships_created} relaciones creadas"
        )
        if self.recovered_incomplete:
            s += " (se completó una carga interrumpida)"
        return s + "."


# --------------------------------------------------------------------------------------------
# Planning: ParsedLaw -> rows


@dataclass(slots=True)
class _Node:
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
            self.h = _hash(self.all_props())

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
class _Edge:
    type: str
    src_label: str
    src: str
    dst_label: str
    dst: str
    props: dict[str, Any] | None = None


@dataclass
class _Plan:
    law_id: str
    version_id: str
    version_props: dict[str, Any]
    nodes: dict[str, list[_Node]]
    edges: list[_Edge]
    warnings: list[str]
    content_hash: str = ""


def _hash(obj: dict[str, Any]) -> str:
    # Property values are str / int / bool / None, so the repr of the sorted items is a stable
    # serialisation, and much cheaper than JSON for the tens of thousands of nodes of a code.
    return hashlib.sha1(repr(sorted(obj.items())).encode("utf-8")).hexdigest()[:24]


def _text_hash(obj: dict[str, Any]) -> str:
    """`_h` of the nodes only this loader writes (provision versions, divisions, decrees and
    their transitorios), whose texts make ``repr`` the costliest step of planning: strings
    go in as they are, behind their length, so no two property sets serialise alike. Stable
    across processes and Python versions (str, int, bool and None only)."""
    parts = []
    for k in sorted(obj):
        v = obj[k]
        parts.append(f"{k}:{len(v)}:{v}" if type(v) is str else f"{k}={v!r}")
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _tree_edges(nodes: dict[str, list[_Node]]) -> list[_Edge]:
    """The CONTAINS and VERSION_OF relationships a plan's version-scoped nodes record."""
    out = []
    for label in _VERSION_SCOPED:
        for n in nodes.get(label, []):
            assert n.parent is not None
            out.append(_Edge("CONTAINS", n.parent[0], n.parent[1], label, n.id))
            if n.provision is not None:
                out.append(_Edge("VERSION_OF", label, n.id, "Provision", n.provision))
    return out


def _src(s: SourceRef) -> dict[str, Any]:
    return {"sha256": s.sha256, "page": s.page, "start": s.start, "end": s.end}


def _notes_json(notes: list[ReformNote]) -> str:
    if not notes:
        return "[]"
    # The parse --json form plus the span; the note is read from the same document as the
    # unit it annotates, so its sha256 is the unit's.
    return _NOTES_JSON(
        [{**note_json(n), "start": n.source.start, "end": n.source.end} for n in notes]
    )


_NOTES_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _full_text(unit: Unit) -> str:
    # Unit.full_text() recurses per call; loading hashes every unit, so build it iteratively.
    parts: list[str] = []
    stack = [unit]
    while stack:
        u = stack.pop()
        if u.text:
            parts.append(u.text)
        stack.extend(reversed(u.children))
    return "\n".join(parts)


def _gazette(jurisdiction: str) -> str:
    # Federal decrees appear in the DOF; a state's in its Periódico Oficial del Estado.
    return "dof" if jurisdiction == "mx" else "poe"


# Labels repeat across thousands of units ('I', 'a', '2'): memoise the slugging.
_unit_segment = functools.lru_cache(maxsize=8192)(ids.unit_segment)


class _Segments:
    """Unique unit segments among siblings: a repeated label gets '~2', '~3' and a warning."""

    def __init__(self, warnings: list[str], where: str):
        self.seen: dict[str, int] = {}
        self.warnings = warnings
        self.where = where

    def make(self, kind: str, label: str) -> str:
        seg = _unit_segment(kind, label)
        n = self.seen.get(seg, 0) + 1
        self.seen[seg] = n
        if n > 1:
            self.warnings.append(f"{self.where}: {kind} {label!r} repetido; se guarda como {seg}~{n}")
            seg = f"{seg}~{n}"
        return seg


def _count_units(units: list[Unit]) -> int:
    n = 0
    stack = list(units)
    while stack:
        u = stack.pop()
        n += 1
        stack.extend(u.children)
    return n


class _Planner:
    """Turns a parsed document into rows, part by part, so that a new version can be written
    while the rest is still being planned.

    The heads (Document, Law, version properties) come on construction, then
    :meth:`divisions` before :meth:`units` (provision versions in chunks of whole articles),
    :meth:`decrees` at any point, and :meth:`finish`, which gives the content hash. The hash
    does not depend on the chunking or on when the decrees were planned (provisions and
    decrees have digests of their own), so a streamed load and :func:`plan_law` agree on it."""

    def __init__(self, parsed: ParsedLaw, *, jurisdiction: str, kind: str, key: str,
                 title: str | None = None):
        if parsed.ultima_reforma is None:
            raise InputError(
                parsed.file,
                "no se encontró la fecha de la última reforma: no se puede fechar la versión",
            )
        self.parsed = parsed
        self.jurisdiction = jurisdiction
        self.warnings: list[str] = []
        self.work = work = ids.work_id(jurisdiction, kind, key)
        self.vdate = vdate = parsed.ultima_reforma.isoformat()
        self.expr = ids.expression_id(work, vdate)
        self.doc_id = ids.document_id(parsed.sha256)
        self.document = _Node(
            "Document",
            self.doc_id,
            {
                "sha256": parsed.sha256,
                "file": Path(parsed.file).name,
                "format": parsed.format,
                "pages": parsed.pages,
            },
        )
        self.law = _Node(
            "Law",
            work,
            {
                "key": key.lower(),
                "title": title or parsed.title,
                "jurisdiction": jurisdiction,
                "kind": kind,
            },
        )
        self.version_props = {
            "law_id": work,
            "date": vdate,
            "valid_from": vdate,
            "title": parsed.title,
            # The law's name as people write it (manifest title when given): the Law node shows
            # the one of its newest version, whatever order versions are loaded in.
            "display_title": title or parsed.title,
            "publication": parsed.publication,
            "preamble": parsed.preamble,
            "preamble_notes": _notes_json(parsed.preamble_notes),
            "transitorios_heading": parsed.transitorios_heading,
            "sha256": parsed.sha256,
            "format": parsed.format,
        }
        # HAS_VERSION and READ_FROM follow from the ids and the version's sha256.
        self.edges = [
            _Edge("HAS_VERSION", "Law", work, "LawVersion", self.expr),
            _Edge("READ_FROM", "LawVersion", self.expr, "Document", self.doc_id),
        ]
        self._digest = hashlib.sha256(
            f"{LOADER_VERSION}|{_hash(self.version_props)}"
            f"|Document|{self.doc_id}|{self.document.h}|Law|{work}|{self.law.h}".encode()
        )
        self._prov_digest = hashlib.sha256()
        self._decree_digest = hashlib.sha256()
        # What the version's divisions and provision versions all store alike.
        self._division_shared = {"version_id": self.expr, "law_id": work,
                                 "sha256": parsed.sha256}
        self._pv_shared = {**self._division_shared, "valid_from": vdate}
        self._top = _Segments(self.warnings, f"{parsed.file}: {self.expr}")
        self._article_parent: dict[str, tuple[str, str]] = {}
        self._article_ids: dict[str, str] = {}
        self.units_total = _count_units(parsed.articles) + _count_units(parsed.transitorios)

    def _hash_nodes(self, nodes: list[_Node], digest: Any = None) -> None:
        (digest or self._digest).update("".join(
            f"|{n.label}|{n.id}|{n.h}|{_hash(n.create) if n.create else ''}"
            f"|{n.parent[1] if n.parent else ''}|{n.provision or ''}"
            for n in nodes
        ).encode("utf-8", "surrogatepass"))

    def decrees(self) -> tuple[list[_Node], list[_Node], list[_Edge]]:
        """The Decree and DecreeTransitorio nodes, with their AMENDS, LISTS and
        HAS_TRANSITORIO relationships."""
        decrees: list[_Node] = []
        transitorios: list[_Node] = []
        edges: list[_Edge] = []
        seen: set[str] = set()
        for dec in self.parsed.decrees:
            self._plan_decree(dec, decrees, transitorios, edges, seen)
        # A digest of their own: a streamed load plans them between two chunks.
        self._hash_nodes(decrees, self._decree_digest)
        self._hash_nodes(transitorios, self._decree_digest)
        self._decree_digest.update("".join(
            f"|{e.type}|{e.src}|{e.dst}|{_hash(e.props) if e.props else ''}" for e in edges
        ).encode("utf-8", "surrogatepass"))
        return decrees, transitorios, edges

    def _plan_decree(self, dec: Decree, decrees: list[_Node], transitorios: list[_Node],
                     edges: list[_Edge], seen: set[str]) -> None:
        parsed = self.parsed
        did = decree_node_id(dec, self.jurisdiction)
        if did is None:
            self.warnings.append(
                f"{parsed.file}: el decreto n.º {dec.index} ({dec.title[:60]!r}) no tiene fecha "
                f"de publicación ni de notificación; no se puede identificar y no se guarda"
            )
            return
        if did in seen:
            self.warnings.append(
                f"{parsed.file}: el decreto n.º {dec.index} repite fecha y título de otro "
                f"({did}); se guarda una vez"
            )
            return
        seen.add(did)
        props = {
            "gazette": did.split("/")[2],  # /<jurisdiction>/<gazette>/<date>/<hash>
            "dof_date": dec.dof_date.isoformat() if dec.dof_date else None,
            "title": dec.title,
            "kind": dec.kind,
            "declared_invalid": dec.declared_invalid,
            "notified_date": dec.notified_date.isoformat() if dec.notified_date else None,
        }
        decrees.append(_Node("Decree", did, props, _src(dec.source), _text_hash(props)))
        edges.append(_Edge("AMENDS", "Decree", did, "Law", self.work))
        edges.append(
            _Edge("LISTS", "LawVersion", self.expr, "Decree", did,
                  {"index": dec.index, "clause": dec.clause, **_src(dec.source)})
        )
        sib = _Segments(self.warnings, f"{parsed.file}: {did}")
        for i, tr in enumerate(dec.transitorios, 1):
            tid = ids.provision_id(did, [sib.make("transitorio", tr.label)])
            tprops = {
                "decree_id": did,
                "label": tr.label,
                "raw_label": tr.raw_label,
                "text": tr.full_text(),
                "ordinal": i,
            }
            transitorios.append(
                _Node("DecreeTransitorio", tid, tprops, _src(tr.source), _text_hash(tprops))
            )
            edges.append(_Edge("HAS_TRANSITORIO", "Decree", did, "DecreeTransitorio", tid))

    def divisions(self) -> list[_Node]:
        """The Division nodes (parents before children); each records its CONTAINS parent."""
        out: list[_Node] = []
        parsed, expr = self.parsed, self.expr
        article_parent = self._article_parent

        def walk(divs: list[Division], parent_label: str, parent_id: str,
                 segs: tuple[str, ...]) -> None:
            sib = _Segments(self.warnings, f"{parsed.file}: {parent_id}")
            for i, d in enumerate(divs, 1):
                seg = sib.make(d.kind, d.label)
                path = segs + (seg,)
                div_id = ids.provision_version_id(expr, path)
                src = d.source
                props = {
                    "kind": d.kind,
                    "label": d.label,
                    "heading": d.heading,
                    "repealed": d.repealed,
                    "ordinal": i,
                    "reform_notes": _notes_json(d.reform_notes),
                    "page": src.page,
                    "start": src.start,
                    "end": src.end,
                }
                if src.sha256 != parsed.sha256:
                    props["sha256"] = src.sha256
                node = _Node("Division", div_id, props, {}, "", (parent_label, parent_id),
                             len(path), None, self._division_shared)
                node.h = _text_hash(node.all_props())
                out.append(node)
                for lab in d.articles:
                    if lab in article_parent:
                        self.warnings.append(
                            f"{parsed.file}: artículo {lab} aparece bajo dos encabezados; "
                            f"se conserva el primero"
                        )
                        continue
                    article_parent[lab] = ("Division", div_id)
                walk(d.children, "Division", div_id, path)

        walk(parsed.divisions, "LawVersion", expr, ())
        self._hash_nodes(out)
        return out

    def units(self, first: int, chunk: int | None = None
              ) -> Iterator[tuple[list[_Node], list[_Node]]]:
        """(Provision nodes first seen, ProvisionVersion nodes) per run of whole articles
        (then original transitorios) of at least ``first`` units, each next run three times
        larger up to ``chunk`` units, in document order: a unit's parent is always in the
        same chunk or an earlier one. Call after :meth:`divisions`."""
        parsed, expr, work, vdate = self.parsed, self.expr, self.work, self.vdate
        warnings = self.warnings
        pvs: list[_Node] = []
        provs: list[_Node] = []
        seen_provs: set[str] = set()
        prov_hashes: dict[tuple[str, str], str] = {}
        doc_sha = parsed.sha256
        # provision_id joins them per node (see _Node.all_props): it is the node's `provision`.
        shared = self._pv_shared
        provision_version_id, provision_id = ids.provision_version_id, ids.provision_id

        def add_unit(unit: Unit, parent_label: str, parent_id: str, segs: tuple[str, ...],
                     siblings: _Segments, ordinal: int, depth: int) -> str:
            seg = siblings.make(unit.kind, unit.label)
            path = segs + (seg,)
            pv_id = provision_version_id(expr, path)
            prov_id = provision_id(work, path)
            full = _full_text(unit) if unit.children else unit.text
            text_hash = hashlib.sha256(full.encode("utf-8")).hexdigest()[:16]
            notes = _notes_json(unit.reform_notes)
            src = unit.source
            props = {
                "kind": unit.kind,
                "label": unit.label,
                "raw_label": unit.raw_label,
                "text": unit.text,
                "repealed": unit.repealed,
                "ordinal": ordinal,
                "reform_notes": notes,
                "text_hash": text_hash,
                "page": src.page,
                "start": src.start,
                "end": src.end,
            }
            if src.sha256 != doc_sha:
                props["sha256"] = src.sha256
            # `_h` over every property (the provision id, the version's shared ones), the
            # unit's own text through the hash of its full text (which begins with it) and
            # its length: both at hand, so the longest value is not serialised again.
            h = hashlib.sha1(repr((
                prov_id, expr, work, unit.kind, unit.label, unit.raw_label, len(unit.text),
                unit.repealed, ordinal, vdate, notes, text_hash, src.sha256, src.page,
                src.start, src.end,
            )).encode("utf-8")).hexdigest()[:24]
            pvs.append(_Node("ProvisionVersion", pv_id, props, {}, h,
                             (parent_label, parent_id), depth, prov_id, shared))
            if prov_id not in seen_provs:
                seen_provs.add(prov_id)
                pprops = {"law_id": work, "kind": unit.kind, "label": unit.label}
                # Thousands of provisions share a kind and label ('fraccion', 'I').
                ph = prov_hashes.get((unit.kind, unit.label))
                if ph is None:
                    ph = prov_hashes[(unit.kind, unit.label)] = _hash(pprops)
                provs.append(_Node("Provision", prov_id, pprops, {}, ph))
            if unit.children:
                child_segs = _Segments(warnings, f"{parsed.file}: {pv_id}")
                for i, child in enumerate(unit.children, 1):
                    add_unit(child, "ProvisionVersion", pv_id, path, child_segs, i, depth + 1)
            return pv_id

        def take() -> tuple[list[_Node], list[_Node]]:
            nonlocal pvs, provs, size
            size = min(size * 3, chunk or size)
            out = (provs, pvs)
            # Provisions into a digest of their own: the hash must not depend on the chunking.
            self._hash_nodes(provs, self._prov_digest)
            self._hash_nodes(pvs)
            pvs, provs = [], []
            return out

        top = self._top
        size = first
        for i, art in enumerate(parsed.articles, 1):
            parent_label, parent_id = self._article_parent.get(art.label, ("LawVersion", expr))
            self._article_ids[art.label] = add_unit(art, parent_label, parent_id, (), top, i, 0)
            if len(pvs) >= size:
                yield take()
        for lab in self._article_parent:
            if lab not in self._article_ids:
                warnings.append(f"{parsed.file}: un encabezado cita el artículo {lab}, que no se leyó")
        for i, tr in enumerate(parsed.transitorios, 1):
            add_unit(tr, "LawVersion", expr, (), top, i, 0)
            if len(pvs) >= size:
                yield take()
        if pvs:
            yield take()

    def finish(self) -> str:
        """The content hash of everything planned (call after :meth:`units` is exhausted)."""
        digest = self._digest.copy()
        digest.update(f"|Provision|{self._prov_digest.hexdigest()}"
                      f"|Decree|{self._decree_digest.hexdigest()}".encode())
        return digest.hexdigest()[:24]


def plan_law(
    parsed: ParsedLaw, *, jurisdiction: str, kind: str, key: str, title: str | None = None
) -> _Plan:
    """Turn a parsed document into the rows the loader writes (no store needed)."""
    planner = _Planner(parsed, jurisdiction=jurisdiction, kind=kind, key=key, title=title)
    decrees, transitorios, decree_edges = planner.decrees()
    divisions = planner.divisions()
    provisions: list[_Node] = []
    pvs: list[_Node] = []
    for provs, chunk in planner.units(1 << 30):
        provisions += provs
        pvs += chunk
    nodes = {
        "Document": [planner.document],
        "Law": [planner.law],
        "Decree": decrees,
        "DecreeTransitorio": transitorios,
        "Provision": provisions,
        "Division": divisions,
        "ProvisionVersion": pvs,
    }
    nodes = {label: ns for label, ns in nodes.items() if ns}
    edges = planner.edges + decree_edges
    edges += _tree_edges(nodes)
    return _Plan(planner.work, planner.expr, planner.version_props, nodes, edges,
                 planner.warnings, planner.finish())


def decree_node_id(dec: Decree, jurisdiction: str) -> str | None:
    """The id of the Decree node a reform-decree entry is stored under (None: undated).

    A published decree: its gazette ('dof' federal, 'poe' a state's), DOF date and title.
    Supreme Court rulings listed among the decrees carry the date they were notified to
    Congress instead of a gazette date, and their ids say so ('/mx/scjn/<notified>/…')."""
    gazette = _gazette(jurisdiction)
    dated = dec.dof_date
    if dated is None and dec.notified_date is not None:
        dated = dec.notified_date
        gazette = "scjn" if dec.kind == "scjn" else f"{gazette}-notificado"
    if dated is None:
        return None
    return ids.decree_id(gazette, dated.isoformat(), dec.title, jurisdiction)


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


# The version's state and the stored hashes of its Document and Law, in one read (`id` null:
# no such version).
VERSION_STATE_QUERY = (
    "OPTIONAL MATCH (v:`LawVersion` {id: $version_id})\n"
    "OPTIONAL MATCH (d:`Document` {id: $document_id})\n"
    "OPTIONAL MATCH (l:`Law` {id: $law_id})\n"
    "RETURN v.id AS id, v.complete AS complete, v.sha256 AS sha256,\n"
    "       v.content_hash AS content_hash, d._h AS document_h, l._h AS law_h"
)

# MERGE is atomic on both engines (FalkorDB serialises writes; Neo4j locks on the unique
# constraint), so exactly one of two concurrent loads of a new version sees `fresh` true and
# may CREATE the version's nodes; every other load MERGEs them. Every staging load also
# becomes the version's `writer`: the CREATE statements of the fresh load write only while
# it is the writer (see create_tree_query), so none of them runs after another load has
# staged the version and may have begun to MERGE into it.
# The document the version is read from is linked here too (written just before).
STAGE_VERSION_QUERY = (
    "MATCH (l:`Law` {id: $law_id})\n"
    "MERGE (v:`LawVersion` {id: $version_id})\n"
    "ON CREATE SET v.created_by = $token\n"
    "SET v.complete = false, v.law_id = $law_id, v.date = $date, v.writer = $token\n"
    "MERGE (l)-[:`HAS_VERSION`]->(v)\n"
    "WITH v\n"
    "MATCH (d:`Document` {id: $document_id})\n"
    "MERGE (v)-[:`READ_FROM`]->(d)\n"
    "RETURN v.created_by = $token AS fresh"
)

# A new version's decree list: each decree AMENDS the law and the version LISTS it, with the
# clause and source of its entry in this document.
DECREE_EDGES_QUERY = (
    "MATCH (l:`Law` {id: $law_id}), (v:`LawVersion` {id: $version_id})\n"
    "UNWIND $rows AS r\n"
    "MATCH (d:`Decree` {id: r.id})\n"
    "MERGE (d)-[:`AMENDS`]->(l)\n"
    "MERGE (v)-[e:`LISTS`]->(d)\n"
    "SET e += r.props"
)

# Decree transitorios written with their HAS_TRANSITORIO relationship (the decree first).
UPSERT_TRANSITORIOS_QUERY = (
    "UNWIND $rows AS r\n"
    "MATCH (d:`Decree` {id: r.decree})\n"
    "MERGE (n:`DecreeTransitorio` {id: r.id})\n"
    "ON CREATE SET n += r.create\n"
    "SET n += r.props, n += $common\n"
    "MERGE (d)-[:`HAS_TRANSITORIO`]->(n)"
)

COMPLETE_VERSION_QUERY = (
    "MATCH (v:`LawVersion` {id: $version_id})\n"
    "SET v += $props, v.complete = true, v.content_hash = $content_hash\n"
    "RETURN v.id AS id"
)

# A law is named as in its newest complete version (the LGAMVLV was renamed in 2026: loading
# the 2024 text after the 2026 one must not give the law its old name back).
LAW_TITLE_QUERY = (
    "MATCH (l:`Law` {id: $law_id})-[:`HAS_VERSION`]->(v:`LawVersion`)\n"
    "WHERE v.complete = true AND v.display_title IS NOT NULL\n"
    "WITH l, v ORDER BY v.date DESC LIMIT 1\n"
    "SET l.title = v.display_title\n"
    "RETURN l.title AS title"
)

# Version-scoped CONTAINS relationships, found from their (indexed) version-scoped end point.
def version_contains_query(dst_label: str) -> str:
    """Every CONTAINS relationship into the version's nodes of one label, with its source label."""
    return (
        f"MATCH (a)-[:`CONTAINS`]->(b:{quote_name(dst_label)} {{version_id: $version_id}})\n"
        "RETURN labels(a)[0] AS src_label, a.id AS src, b.id AS dst"
    )


def delete_contains_query(src_label: str, dst_label: str) -> str:
    """Delete a batch of CONTAINS relationships given by (src, dst) ids."""
    return (
        "UNWIND $rows AS r\n"
        f"MATCH (a:{quote_name(src_label)} {{id: r.src}})-[e:`CONTAINS`]->"
        f"(b:{quote_name(dst_label)} {{id: r.dst}})\n"
        "DELETE e"
    )


VERSION_LISTS_QUERY = (
    "MATCH (:`LawVersion` {id: $version_id})-[e:`LISTS`]->(d:`Decree`)\n"
    "RETURN d.id AS dst"
)
DELETE_LISTS_QUERY = (
    "UNWIND $ids AS id\n"
    "MATCH (:`LawVersion` {id: $version_id})-[e:`LISTS`]->(:`Decree` {id: id})\n"
    "DELETE e"
)
ORPHAN_PROVISIONS_QUERY = (
    "MATCH (p:`Provision` {law_id: $law_id})\n"
    "OPTIONAL MATCH (p)<-[r:`VERSION_OF`]-()\n"
    "WITH p, count(r) AS versions\n"
    "WHERE versions = 0\n"
    "DETACH DELETE p"
)


# --------------------------------------------------------------------------------------------
# Batching


def _batches(rows: list[Any], store: GraphStore) -> Iterator[list[Any]]:
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


# --------------------------------------------------------------------------------------------
# Loading


def load_parsed_law(
    store: GraphStore,
    parsed: ParsedLaw,
    *,
    jurisdiction: str,
    kind: str,
    key: str,
    title: str | None = None,
    on_batch: ProgressHook | None = None,
) -> LoadReport:
    """Load one parsed law document as a law version; idempotent, atomic for readers.

    ``jurisdiction`` ('mx', 'mx-chh'), ``kind`` ('ley', 'codigo', 'constitucion') and ``key``
    ('lgamvlv') make the work id; ``title`` overrides the title read from the document.
    ``on_batch(what, done, total)`` is called after every batch written (progress bars; on
    the store's sender thread when it has one). Raises InputError for a document that
    cannot be dated, StoreError when the store fails.
    """
    # Loading allocates tens of thousands of small dicts and strings that all live until the
    # end; the cyclic collector would rescan them, and every parsed document the caller holds,
    # over and over (a third of the time, measured). Nothing here makes reference cycles.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    _short_switch_interval(True)
    try:
        return _in_one_transaction(store, lambda: _load(
            store, parsed, jurisdiction=jurisdiction, kind=kind, key=key, title=title,
            on_batch=on_batch))
    except BaseException:
        # Let what was already submitted finish (or fail) before the caller goes on; the
        # version stays staged (invisible) and a re-run completes it.
        with contextlib.suppress(Exception):
            store.flush()
        raise
    finally:
        _short_switch_interval(False)
        if gc_was_enabled:
            gc.enable()


def _in_one_transaction(store: GraphStore, fn: Callable[[], LoadReport]) -> LoadReport:
    """The transaction hook: a store with real transactions (Neo4j's ``atomic``) writes the
    whole version in one, re-run on transient errors; FalkorDB has none, and the staging
    protocol alone keeps half a version from readers."""
    atomic = getattr(store, "atomic", None)
    return atomic(fn) if atomic is not None else fn()


_SWITCH_INTERVAL = 0.0005
_switch_lock = threading.Lock()
_switch_users = 0
_switch_saved = 0.005


def _short_switch_interval(enter: bool) -> None:
    """Shorten the interpreter's thread switch interval while any load runs in this process
    (restored when the last one ends). The store's sender thread needs the interpreter lock
    for a moment after each answer; with the default 5 ms it waits that long behind the
    planning thread before it sends the next statement, and the server sits idle."""
    global _switch_users, _switch_saved
    with _switch_lock:
        if enter:
            if _switch_users == 0:
                _switch_saved = sys.getswitchinterval()
                sys.setswitchinterval(min(_switch_saved, _SWITCH_INTERVAL))
            _switch_users += 1
        else:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_saved)

# Provision versions planned per streamed chunk: the first small, so the server starts early,
# the next ones growing (x3) while the server has the previous one to write, up to a size at
# which the fixed cost of each statement on the server stays small (a chunk is 3-5
# statements; chunks of 300 units cost the whole load 10 % more CPU than 1000 while each
# statement waited for the answer to the one before; pipelined, 300, 500 and 1000 measure
# alike, in wall time and CPU).
_FIRST_CHUNK_UNITS = 100
_SMALL_LAW_UNITS = 300
_CHUNK_UNITS = 1000


def _load(store: GraphStore, parsed: ParsedLaw, *, jurisdiction: str, kind: str, key: str,
          title: str | None, on_batch: ProgressHook | None) -> LoadReport:
    t0 = time.perf_counter()
    planner = _Planner(parsed, jurisdiction=jurisdiction, kind=kind, key=key, title=title)
    report = LoadReport(planner.work, planner.expr, parsed.sha256)
    for label in _NODE_ORDER:
        report.nodes[label] = LabelCounts()

    def progress(what: str, done: int, total: int) -> None:
        if on_batch is not None:
            on_batch(what, done, total)

    store.ensure_schema()
    heads = store.run(VERSION_STATE_QUERY, {"version_id": planner.expr,
                                            "document_id": planner.doc_id,
                                            "law_id": planner.work}).single() or {}
    state = heads if heads.get("id") is not None else None
    heads_done = False
    created = False
    if state is None:
        # The usual case, a version never loaded: plan and write at the same time.
        token = uuid.uuid4().hex
        try:
            if _load_new(store, planner, report, progress, heads, token):
                report.seconds = time.perf_counter() - t0
                return report
            # Another load of this version staged it first: merge into it like a re-load.
            heads_done = True
        except StoreError:
            with contextlib.suppress(Exception):
                store.flush()  # what was queued behind the failure was not run
            if not _taken_over(store, planner.expr, token):
                raise
            # Another load staged the version while this one was creating it, and merges
            # into it: this load's CREATE statements from then on wrote nothing. Finish
            # the same way, staging the version again (it stays invisible until complete).
            report = LoadReport(planner.work, planner.expr, parsed.sha256)
            for label in _NODE_ORDER:
                report.nodes[label] = LabelCounts()
            created = True
    plan = plan_law(parsed, jurisdiction=jurisdiction, kind=kind, key=key, title=title)
    report.warnings = list(plan.warnings)
    if state and state.get("complete") is True and state.get("content_hash") == plan.content_hash:
        report.unchanged_document = True
        for label, ns in plan.nodes.items():
            report.nodes[label].unchanged = len(ns)
        report.nodes["LawVersion"].unchanged = 1
        report.seconds = time.perf_counter() - t0
        return report
    report.recovered_incomplete = bool(state and state.get("complete") is not True)
    _load_existing(store, plan, report, progress, heads_done=heads_done)
    if created:
        report.nodes["LawVersion"] = LabelCounts(inserted=1)
    report.seconds = time.perf_counter() - t0
    return report


def _taken_over(store: GraphStore, version_id: str, token: str) -> bool:
    """True when another load has staged the version since this one did (``token``)."""
    rows = store.run("MATCH (v:`LawVersion` {id: $version_id}) RETURN v.writer AS writer",
                     {"version_id": version_id}).rows
    return bool(rows) and rows[0]["writer"] not in (None, token)


def _stored_hashes(futures: list[Future[QueryResult]]) -> dict[str, str | None]:
    return {rec["id"]: rec["h"] for f in futures for rec in f.result().rows}


def _read_hashes(store: GraphStore, label: str, nodes: list[_Node]) -> list[Future[QueryResult]]:
    """Submit the reads of the stored `_h` of these nodes (answered in order, later)."""
    query = existing_hashes_query(label)
    return [store.submit(query, {"ids": b}, pipeline=True)
            for b in _batches([n.id for n in nodes], store)]


def _load_new(store: GraphStore, planner: _Planner, report: LoadReport, progress: ProgressHook,
              heads: dict[str, Any], token: str) -> bool:
    """Write a version that did not exist, planning it while the server writes what is
    planned already (statements queue on the store in order; a parent's statement always
    precedes its children's). False, with only the Document and Law written, when another
    load staged the version first. ``token`` stages the version (its creator and writer)."""
    # The stored hashes came with the version's state (null: no such node).
    for node, h in ((planner.document, "document_h"), (planner.law, "law_h")):
        stored = {node.id: heads[h]} if heads.get(h) is not None else {}
        _write_nodes(store, node.label, [node], stored, report, progress)
    stage_f = store.submit(
        STAGE_VERSION_QUERY,
        {"law_id": planner.work, "version_id": planner.expr, "date": planner.vdate,
         "token": token, "document_id": planner.doc_id},
        # Counters are only ever added to on the sender thread, so no update is lost.
        lambda res: _add_relationships(report, res),
    )
    divisions = planner.divisions()
    # A small law is planned whole: split, its tree would cost a statement per depth more
    # for no overlap worth having (planning it takes about as long as staging).
    first_chunk = (planner.units_total if planner.units_total <= _SMALL_LAW_UNITS
                   else _FIRST_CHUNK_UNITS)
    chunks = planner.units(first_chunk, _CHUNK_UNITS)
    first = next(chunks, None)  # planned while the server stages the version

    # Each chunk is written as soon as it is planned: its statements create the provisions
    # that are missing and rewrite those that differ (a known law's), with no read first.
    def write(chunk: tuple[list[_Node], list[_Node]] | None) -> None:
        if chunk is not None:
            provs, pvs = chunk
            _submit_tree(store, "ProvisionVersion", pvs, report, progress, planner.units_total,
                         token, {n.id: n.h for n in provs}, count_provisions=True)

    res = stage_f.result()
    if not (res.rows and res.rows[0].get("fresh")):
        return False
    report.nodes["LawVersion"].inserted = 1

    _submit_tree(store, "Division", divisions, report, progress, len(divisions), token)
    write(first)
    # Decrees are planned while the server writes the first chunk, and written once their
    # stored hashes are back, which the next chunk's planning leaves time for.
    decree_nodes, transitorios, decree_edges = planner.decrees()
    decree_f = _read_hashes(store, "Decree", decree_nodes)
    tr_f = _read_hashes(store, "DecreeTransitorio", transitorios)

    def write_decrees() -> None:
        _write_nodes(store, "Decree", decree_nodes, _stored_hashes(decree_f), report, progress)
        _write_nodes(store, "DecreeTransitorio", transitorios, _stored_hashes(tr_f), report,
                     progress, query=UPSERT_TRANSITORIOS_QUERY)
        _submit_decree_edges(store, planner, decree_edges, report, progress)

    decrees_written = False
    for chunk in chunks:
        write(chunk)
        if not decrees_written:
            write_decrees()
            decrees_written = True
    if not decrees_written:
        write_decrees()
    report.warnings = list(planner.warnings)
    complete_f = store.submit(
        COMPLETE_VERSION_QUERY,
        {"version_id": planner.expr, "props": planner.version_props,
         "content_hash": planner.finish()},
    )
    store.submit(LAW_TITLE_QUERY, {"law_id": planner.work})
    store.flush()
    if not complete_f.result().rows:
        raise StoreError(f"{planner.expr}: la versión desapareció durante la carga")
    store.checkpoint()
    return True


def _add_relationships(report: LoadReport, res: QueryResult) -> None:
    report.relationships_created += res.counters.get("relationships_created", 0)


def _load_existing(store: GraphStore, plan: _Plan, report: LoadReport, progress: ProgressHook,
                   *, heads_done: bool) -> None:
    """Bring a stored (complete, changed or interrupted) version to the plan: write what is
    missing or differs, delete what is not wanted, complete."""
    fresh = False
    token = uuid.uuid4().hex
    if not heads_done:
        # Shared heads first, then the staging marker: from here on the version is invisible.
        for label in ("Document", "Law"):
            _upsert_label(store, label, plan.nodes.get(label, []), report, progress=progress)
        res = store.run(
            STAGE_VERSION_QUERY,
            {
                "law_id": plan.law_id,
                "version_id": plan.version_id,
                "date": plan.version_props["date"],
                "token": token,
                "document_id": plan.nodes["Document"][0].id,
            },
        )
        report.relationships_created += res.counters.get("relationships_created", 0)
        fresh = bool(res.rows and res.rows[0].get("fresh"))
    if fresh:
        report.nodes["LawVersion"].inserted = 1
    else:
        report.nodes["LawVersion"].updated = 1

    law_is_new = report.nodes["Law"].inserted == 1
    for label in _NODE_ORDER[3:]:
        if label in _VERSION_SCOPED and fresh:
            continue
        _upsert_label(store, label, plan.nodes.get(label, []), report, progress=progress,
                      assume_new=law_is_new and label == "Provision")
    edges = plan.edges
    if fresh:
        # Nothing of a new version exists: create its tree with CONTAINS and VERSION_OF.
        _create_tree(store, plan, report, progress, token)
        edges = [e for e in edges if e.type not in ("CONTAINS", "VERSION_OF")]
    _merge_edges(store, edges, report, progress)

    if not fresh:
        _remove_stale(store, plan, report)

    res = store.run(
        COMPLETE_VERSION_QUERY,
        {"version_id": plan.version_id, "props": plan.version_props,
         "content_hash": plan.content_hash},
    )
    if not res.rows:
        raise StoreError(f"{plan.version_id}: la versión desapareció durante la carga")
    store.run(LAW_TITLE_QUERY, {"law_id": plan.law_id})
    store.checkpoint()


def _write_nodes(store: GraphStore, label: str, nodes: list[_Node], stored: dict[str, str | None],
                 report: LoadReport, progress: ProgressHook, query: str | None = None) -> None:
    """Submit MERGEs of the nodes that are not stored or differ from ``stored`` (id -> `_h`),
    counting inserted / updated / unchanged. ``query``: UPSERT_TRANSITORIOS_QUERY for decree
    transitorios, which are written with their HAS_TRANSITORIO relationship."""
    counts = report.nodes[label]
    to_write = []
    for n in nodes:
        h = stored.get(n.id, _MISSING)
        if h is _MISSING:
            counts.inserted += 1
        elif h != n.h:
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        row = n.row()
        if query is not None:
            row["decree"] = n.props["decree_id"]
        to_write.append(row)
    if not to_write:
        return
    common = _common_props(to_write)
    if common:
        for r in to_write:
            r["props"] = {k: v for k, v in r["props"].items() if k not in common}
    query = query or upsert_nodes_query(label)
    total = len(to_write)
    done = 0
    for batch in _batches(to_write, store):
        def after(res: QueryResult, size: int = len(batch)) -> None:
            nonlocal done
            report.relationships_created += res.counters.get("relationships_created", 0)
            done += size
            progress(label, done, total)

        store.submit(query, {"rows": batch, "common": common}, after, pipeline=True)


_MISSING: Any = object()


def _submit_tree(store: GraphStore, label: str, nodes: list[_Node], report: LoadReport,
                 progress: ProgressHook, total: int, token: str,
                 provision_h: dict[str, str] | None = None, *,
                 count_provisions: bool = False) -> None:
    """Submit a new version's version-scoped nodes under parents written by earlier
    statements, grouped by (depth, parent label), each with its CONTAINS relationship;
    provision versions also with their Provision (``provision_h``: its `_h` by id; created
    when missing, rewritten when its stored `_h` differs) and VERSION_OF. ``token``: the
    staging token that made this load the version's writer. ``count_provisions``: count
    the provisions as inserted / updated / unchanged (a version's provision versions each
    have a provision of their own), unless the caller has written and counted them."""
    groups: dict[tuple[int, str], list[_Node]] = defaultdict(list)
    for n in nodes:
        groups[(n.depth, n.parent[0])].append(n)  # type: ignore[index]
    with_provision = label == "ProvisionVersion"
    counts = report.nodes[label]
    prov_counts = report.nodes["Provision"]
    version_id = report.version_id
    for (_depth, parent_label), group in sorted(groups.items()):
        # The planner gives every node of a version one `shared` dict: sent once.
        shared = group[0].shared
        common = shared or {}
        own = [n.props if n.shared is shared else
               {k: v for k, v in n.all_props().items() if k != "provision_id"} for n in group]
        fields = tuple(dict.fromkeys(itertools.chain.from_iterable(own)))
        query = create_tree_query(label, parent_label, with_provision, fields, tuple(common))
        if with_provision:
            payload = [[n.id, n.parent[1], n.h, n.provision,  # type: ignore[index]
                        provision_h[n.provision], *map(d.get, fields)]  # type: ignore[index]
                       for n, d in zip(group, own)]
        else:
            payload = [[n.id, n.parent[1], n.h, *map(d.get, fields)]  # type: ignore[index]
                       for n, d in zip(group, own)]
        for batch in _batches(payload, store):
            def after(res: QueryResult, size: int = len(batch)) -> None:
                written = res.rows[0]["written"] if res.rows else 0
                if written != size:
                    raise StoreError(
                        f"{report.version_id}: se esperaban {size} nodos {label} y se "
                        f"escribieron {written} (falta el nodo padre, o otra carga de la "
                        f"versión la tomó)"
                    )
                report.relationships_created += res.counters.get("relationships_created", 0)
                counts.inserted += size
                if with_provision and count_provisions:
                    created = res.counters.get("nodes_created", 0) - size
                    stale = int(res.rows[0]["stale"])
                    prov_counts.inserted += created
                    prov_counts.updated += stale
                    prov_counts.unchanged += size - created - stale
                progress(label, counts.inserted, total)

            store.submit(query, {"version_id": version_id, "token": token, "rows": batch,
                                 "common": common}, after, pipeline=True)


def _submit_decree_edges(store: GraphStore, planner: _Planner, edges: list[_Edge],
                         report: LoadReport, progress: ProgressHook) -> None:
    """Submit a new version's AMENDS and LISTS relationships, one row per listed decree."""
    rows = [{"id": e.dst, "props": e.props} for e in edges if e.type == "LISTS"]
    done = 0
    for batch in _batches(rows, store):
        def after(res: QueryResult, size: int = len(batch)) -> None:
            nonlocal done
            report.relationships_created += res.counters.get("relationships_created", 0)
            done += size
            progress("LISTS", done, len(rows))

        store.submit(DECREE_EDGES_QUERY,
                     {"law_id": planner.work, "version_id": planner.expr, "rows": batch}, after,
                     pipeline=True)


def _upsert_label(store: GraphStore, label: str, nodes: list[_Node], report: LoadReport, *,
                  progress: ProgressHook, assume_new: bool = False) -> None:
    """MERGE the nodes of one label that are new or differ from what is stored (by `_h`).
    ``assume_new``: the caller knows none of them exists, so nothing is read first."""
    counts = report.nodes.setdefault(label, LabelCounts())
    if not nodes:
        return
    rows = [n.row() for n in nodes]
    stored: dict[str, str | None] = {}
    for batch in ([] if assume_new else _batches([r["id"] for r in rows], store)):
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
    query = upsert_nodes_query(label)
    common = _common_props(to_write)
    if common:
        to_write = [
            {"id": r["id"], "create": r["create"],
             "props": {k: v for k, v in r["props"].items() if k not in common}}
            for r in to_write
        ]
    batches = list(_batches(to_write, store))
    sizes = iter(len(b) for b in batches)
    done = 0

    def after(_res: Any) -> None:
        nonlocal done
        done += next(sizes)
        progress(label, done, len(to_write))

    store.run_many(query, ({"rows": b, "common": common} for b in batches), after)


def create_tree_query(label: str, parent_label: str, with_provision: bool,
                      fields: tuple[str, ...], common: tuple[str, ...]) -> str:
    """CREATE a batch of a new version's version-scoped nodes under their (existing)
    parents, with their CONTAINS relationship and, for provision versions, their Provision
    (MERGEd: provisions are shared by the law's versions; created when missing, from the
    version's kind and label, and rewritten when its stored `_h` differs, counted in
    ``stale``) and VERSION_OF relationship.

    A row is a list: ``[id, parent id, _h]``, for provision versions then ``[provision id,
    provision _h]``, then the values of ``fields``. ``$common`` holds the properties named
    in ``common``, which every node of the version shares (sent once); a field that is also
    common overrides it where the row's value is not null (a unit read from another
    document than the version's has its own ``sha256``). The properties go inside the
    CREATE: a SET after it makes FalkorDB index the node a second time (~15 µs a node,
    measured), and a row as a list of values is encoded and parsed several times faster
    than a map. A null value sets no property, as a null in ``SET n += map`` does.

    CREATE, not MERGE: only the load that created the version (``fresh``) runs it, and only
    while it is the version's ``writer``. A second load of the version that stages it takes
    it over (STAGE_VERSION_QUERY), so from then on these statements write nothing (the
    fresh load sees fewer rows written and finishes by merging, see :func:`_load`); the
    statements before the take-over have all run before the other load's first MERGE (one
    write statement at a time on FalkorDB; on Neo4j the unique constraint refuses a
    duplicate), so no node is made twice. ``written`` tells a missing parent or a lost
    version (fewer rows)."""
    first = 5 if with_provision else 3
    props = ["id: r[0]"]
    props += [f"{quote_name(k)}: $common.{quote_name(k)}" for k in common if k not in fields]
    for i, k in enumerate(fields, first):
        props.append(f"{quote_name(k)}: coalesce(r[{i}], $common.{quote_name(k)})"
                     if k in common else f"{quote_name(k)}: r[{i}]")
    props.append("_h: r[2]")
    if with_provision:
        props.append("provision_id: r[3]")
    q = (
        "MATCH (v:`LawVersion` {id: $version_id}) WHERE v.writer = $token\n"
        "UNWIND $rows AS r\n"
        f"MATCH (a:{quote_name(parent_label)} {{id: r[1]}})\n"
        f"CREATE (n:{quote_name(label)} {{{', '.join(props)}}})\n"
    )
    if not with_provision:
        return q + "CREATE (a)-[:`CONTAINS`]->(n)\nRETURN count(n) AS written"
    return q + (
        "MERGE (p:`Provision` {id: r[3]})\n"
        "ON CREATE SET p.law_id = n.law_id, p.kind = n.kind, p.label = n.label, p._h = r[4]\n"
        "WITH a, n, p, r, coalesce(p._h, '') <> r[4] AS stale\n"
        "FOREACH (_ IN CASE WHEN stale THEN [1] ELSE [] END |\n"
        "  SET p.law_id = n.law_id, p.kind = n.kind, p.label = n.label, p._h = r[4])\n"
        "CREATE (a)-[:`CONTAINS`]->(n)\n"
        "CREATE (n)-[:`VERSION_OF`]->(p)\n"
        "RETURN count(n) AS written, sum(CASE WHEN stale THEN 1 ELSE 0 END) AS stale"
    )


def _create_tree(store: GraphStore, plan: _Plan, report: LoadReport,
                 progress: ProgressHook, token: str) -> None:
    """Write a new version's divisions and provision versions level by level (a parent is
    always written by an earlier statement than its children), each with its edges; the
    provisions are written already."""
    divisions = plan.nodes.get("Division", [])
    _submit_tree(store, "Division", divisions, report, progress, len(divisions), token)
    pvs = plan.nodes.get("ProvisionVersion", [])
    hashes = {n.id: n.h for n in plan.nodes.get("Provision", [])}
    _submit_tree(store, "ProvisionVersion", pvs, report, progress, len(pvs), token, hashes)
    store.flush()


def _common_props(rows: list[dict[str, Any]]) -> dict[str, Any]:
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


def _merge_edges(store: GraphStore, edges: list[_Edge], report: LoadReport,
                 progress: ProgressHook) -> None:
    groups: dict[tuple[str, str, str, bool], list[dict[str, Any]]] = defaultdict(list)
    for e in edges:
        if e.type in ("HAS_VERSION",):
            continue  # written with the staging marker
        row: dict[str, Any] = {"src": e.src, "dst": e.dst}
        if e.props is not None:
            row["props"] = e.props
        groups[(e.type, e.src_label, e.dst_label, e.props is not None)].append(row)
    for (type_, src_label, dst_label, with_props), rows in groups.items():
        query = merge_edges_query(type_, src_label, dst_label, with_props)
        batches = list(_batches(rows, store))
        sizes = iter(len(b) for b in batches)
        done = 0

        def after(res: Any, _type: str = type_, _total: int = len(rows)) -> None:
            nonlocal done
            report.relationships_created += res.counters.get("relationships_created", 0)
            done += next(sizes)
            progress(_type, done, _total)

        store.run_many(query, ({"rows": b} for b in batches), after)


def _remove_stale(store: GraphStore, plan: _Plan, report: LoadReport) -> None:
    """Delete what an earlier (or interrupted) load of this version left that is not wanted."""
    vid = plan.version_id
    for label in _VERSION_SCOPED:
        wanted = {n.id for n in plan.nodes.get(label, [])}
        stored = {r["id"] for r in store.run(version_ids_query(label), {"version_id": vid}).rows}
        stale = sorted(stored - wanted)
        for batch in _batches(stale, store):
            res = store.run(delete_nodes_query(label), {"ids": batch})
            report.nodes[label].deleted += res.counters.get("nodes_deleted", 0)
            report.relationships_deleted += res.counters.get("relationships_deleted", 0)
    wanted_contains = {(e.src, e.dst) for e in plan.edges if e.type == "CONTAINS"}
    for dst_label in _VERSION_SCOPED:
        stale_by_src: dict[str, list[dict[str, str]]] = defaultdict(list)
        for r in store.run(version_contains_query(dst_label), {"version_id": vid}).rows:
            if (r["src"], r["dst"]) not in wanted_contains:
                stale_by_src[r["src_label"]].append({"src": r["src"], "dst": r["dst"]})
        for src_label, rows in stale_by_src.items():
            for batch in _batches(rows, store):
                res = store.run(delete_contains_query(src_label, dst_label), {"rows": batch})
                report.relationships_deleted += res.counters.get("relationships_deleted", 0)
    wanted_lists = {e.dst for e in plan.edges if e.type == "LISTS"}
    stored_lists = {r["dst"] for r in store.run(VERSION_LISTS_QUERY, {"version_id": vid}).rows}
    stale_lists = sorted(stored_lists - wanted_lists)
    for batch in _batches(stale_lists, store):
        res = store.run(DELETE_LISTS_QUERY, {"ids": batch, "version_id": vid})
        report.relationships_deleted += res.counters.get("relationships_deleted", 0)
    res = store.run(ORPHAN_PROVISIONS_QUERY, {"law_id": plan.law_id})
    report.nodes["Provision"].deleted += res.counters.get("nodes_deleted", 0)
    report.relationships_deleted += res.counters.get("relationships_deleted", 0)
