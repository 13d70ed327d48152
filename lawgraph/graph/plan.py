"""Plan a law version: a :class:`~lawgraph.model.law.ParsedLaw` becomes the rows the loader
writes (:class:`~lawgraph.graph.write.Node`, :class:`~lawgraph.graph.write.Edge`), every id
from :mod:`lawgraph.ids`. No store is touched here.

:func:`plan_law` plans a version whole (for a version that exists or was interrupted, diffed
against what is stored); :class:`Planner` hands out a new version's provision versions in
chunks of whole articles so that the loader writes one chunk while the next is planned. The
graph model the rows follow is described in :mod:`lawgraph.graph.load`.
"""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from lawgraph import ids
from lawgraph.errors import InputError
from lawgraph.graph.write import Edge, Node, props_hash
from lawgraph.model.law import Decree, Division, ParsedLaw, ReformNote, SourceRef, Unit

# Bumped when the shape of what the loader writes changes, so that a document loaded by an
# older loader is rewritten instead of being reported unchanged.
LOADER_VERSION = 2

# Order in which node labels are written: the staging marker (LawVersion) right after its Law,
# parents before the edges that need them.
NODE_ORDER = (
    "Document",
    "Law",
    "LawVersion",
    "Decree",
    "DecreeTransitorio",
    "Provision",
    "Division",
    "ProvisionVersion",
)
VERSION_SCOPED = ("Division", "ProvisionVersion")


@dataclass
class LawPlan:
    law_id: str
    version_id: str
    version_props: dict[str, Any]
    nodes: dict[str, list[Node]]
    edges: list[Edge]
    warnings: list[str]
    content_hash: str = ""


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


def _tree_edges(nodes: dict[str, list[Node]]) -> list[Edge]:
    """The CONTAINS and VERSION_OF relationships a plan's version-scoped nodes record."""
    out = []
    for label in VERSION_SCOPED:
        for n in nodes.get(label, []):
            assert n.parent is not None
            out.append(Edge("CONTAINS", n.parent[0], n.parent[1], label, n.id))
            if n.provision is not None:
                out.append(Edge("VERSION_OF", label, n.id, "Provision", n.provision))
    return out


def _src(s: SourceRef) -> dict[str, Any]:
    return {"sha256": s.sha256, "page": s.page, "start": s.start, "end": s.end}


def _notes_json(notes: list[ReformNote]) -> str:
    if not notes:
        return "[]"
    # The parse --json form plus the span; the note is read from the same document as the
    # unit it annotates, so its sha256 is the unit's.
    return _NOTES_JSON(
        [{**n.as_json(), "start": n.source.start, "end": n.source.end} for n in notes]
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


# Labels repeat across thousands of units ('I', 'a', '2'): memoise the segment (as before the
# split; the loader's hot path).
_unit_segment = functools.lru_cache(maxsize=8192)(ids.unit_segment)


class _Segments(ids.Siblings):
    """Unique unit segments among siblings (:class:`lawgraph.ids.Siblings`), with a warning for
    every repeated label."""

    __slots__ = ("warnings", "where")

    def __init__(self, warnings: list[str], where: str):
        super().__init__()
        self.warnings = warnings
        self.where = where

    def make(self, kind: str, label: str) -> str:
        base = _unit_segment(kind, label)
        n = self.seen.get(base, 0) + 1      # ids.Siblings.number, inlined: once per unit loaded
        self.seen[base] = n
        if n == 1:
            return base
        seg = ids.repeated_segment(base, n)
        if n > 1:
            self.warnings.append(f"{self.where}: {kind} {label!r} repetido; se guarda como {seg}")
        return seg


def _count_units(units: list[Unit]) -> int:
    n = 0
    stack = list(units)
    while stack:
        u = stack.pop()
        n += 1
        stack.extend(u.children)
    return n


class Planner:
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
        self.document = Node(
            "Document",
            self.doc_id,
            {
                "sha256": parsed.sha256,
                "file": Path(parsed.file).name,
                "format": parsed.format,
                "pages": parsed.pages,
            },
        )
        self.law = Node(
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
            Edge("HAS_VERSION", "Law", work, "LawVersion", self.expr),
            Edge("READ_FROM", "LawVersion", self.expr, "Document", self.doc_id),
        ]
        self._digest = hashlib.sha256(
            f"{LOADER_VERSION}|{props_hash(self.version_props)}"
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

    def _hash_nodes(self, nodes: list[Node], digest: Any = None) -> None:
        (digest or self._digest).update("".join(
            f"|{n.label}|{n.id}|{n.h}|{props_hash(n.create) if n.create else ''}"
            f"|{n.parent[1] if n.parent else ''}|{n.provision or ''}"
            for n in nodes
        ).encode("utf-8", "surrogatepass"))

    def decrees(self) -> tuple[list[Node], list[Node], list[Edge]]:
        """The Decree and DecreeTransitorio nodes, with their AMENDS, LISTS and
        HAS_TRANSITORIO relationships."""
        decrees: list[Node] = []
        transitorios: list[Node] = []
        edges: list[Edge] = []
        seen: set[str] = set()
        for dec in self.parsed.decrees:
            self._plan_decree(dec, decrees, transitorios, edges, seen)
        # A digest of their own: a streamed load plans them between two chunks.
        self._hash_nodes(decrees, self._decree_digest)
        self._hash_nodes(transitorios, self._decree_digest)
        self._decree_digest.update("".join(
            f"|{e.type}|{e.src}|{e.dst}|{props_hash(e.props) if e.props else ''}" for e in edges
        ).encode("utf-8", "surrogatepass"))
        return decrees, transitorios, edges

    def _plan_decree(self, dec: Decree, decrees: list[Node], transitorios: list[Node],
                     edges: list[Edge], seen: set[str]) -> None:
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
        decrees.append(Node("Decree", did, props, _src(dec.source), _text_hash(props)))
        edges.append(Edge("AMENDS", "Decree", did, "Law", self.work))
        edges.append(
            Edge("LISTS", "LawVersion", self.expr, "Decree", did,
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
                Node("DecreeTransitorio", tid, tprops, _src(tr.source), _text_hash(tprops))
            )
            edges.append(Edge("HAS_TRANSITORIO", "Decree", did, "DecreeTransitorio", tid))

    def divisions(self) -> list[Node]:
        """The Division nodes (parents before children); each records its CONTAINS parent."""
        out: list[Node] = []
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
                node = Node("Division", div_id, props, {}, "", (parent_label, parent_id),
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
              ) -> Iterator[tuple[list[Node], list[Node]]]:
        """(Provision nodes first seen, ProvisionVersion nodes) per run of whole articles
        (then original transitorios) of at least ``first`` units, each next run three times
        larger up to ``chunk`` units, in document order: a unit's parent is always in the
        same chunk or an earlier one. Call after :meth:`divisions`."""
        parsed, expr, work, vdate = self.parsed, self.expr, self.work, self.vdate
        warnings = self.warnings
        pvs: list[Node] = []
        provs: list[Node] = []
        seen_provs: set[str] = set()
        prov_hashes: dict[tuple[str, str], str] = {}
        doc_sha = parsed.sha256
        # provision_id joins them per node (see Node.all_props): it is the node's `provision`.
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
            pvs.append(Node("ProvisionVersion", pv_id, props, {}, h,
                             (parent_label, parent_id), depth, prov_id, shared))
            if prov_id not in seen_provs:
                seen_provs.add(prov_id)
                pprops = {"law_id": work, "kind": unit.kind, "label": unit.label}
                # Thousands of provisions share a kind and label ('fraccion', 'I').
                ph = prov_hashes.get((unit.kind, unit.label))
                if ph is None:
                    ph = prov_hashes[(unit.kind, unit.label)] = props_hash(pprops)
                provs.append(Node("Provision", prov_id, pprops, {}, ph))
            if unit.children:
                child_segs = _Segments(warnings, f"{parsed.file}: {pv_id}")
                for i, child in enumerate(unit.children, 1):
                    add_unit(child, "ProvisionVersion", pv_id, path, child_segs, i, depth + 1)
            return pv_id

        def take() -> tuple[list[Node], list[Node]]:
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
) -> LawPlan:
    """Turn a parsed document into the rows the loader writes (no store needed)."""
    planner = Planner(parsed, jurisdiction=jurisdiction, kind=kind, key=key, title=title)
    decrees, transitorios, decree_edges = planner.decrees()
    divisions = planner.divisions()
    provisions: list[Node] = []
    pvs: list[Node] = []
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
    return LawPlan(planner.work, planner.expr, planner.version_props, nodes, edges,
                 planner.warnings, planner.finish())


def decree_node_id(dec: Decree, jurisdiction: str) -> str | None:
    """The id of the Decree node a reform-decree entry is stored under (None: undated);
    the rule is :func:`lawgraph.ids.decree_entry_id`."""
    return ids.decree_entry_id(
        dec.title, jurisdiction, published=dec.dof_date.isoformat() if dec.dof_date else None,
        notified=dec.notified_date.isoformat() if dec.notified_date else None, ruling=dec.kind == "scjn")
