"""Point-in-time text: validity of provision versions, article diffs, decree checks, and the
Constitution's per-article history as law versions.

Two sources of versions:

* Whole law versions read from documents (``LawVersion`` written by :mod:`lawgraph.graph.load`).
  :func:`refresh_validity` sets ``valid_to`` on every provision version of a law: the date of
  the next version in which the provision's text (whitespace folded, with everything under it)
  differs or the provision disappears; ``null`` while it is still in force.
* The Constitution's history (:mod:`lawgraph.ingest.cpeum_history`): one sparse
  ``LawVersion {kind: 'historia'}`` per decree date, id ``<work>@<date>~historia``, holding the
  articles that decree changed, each a ``ProvisionVersion`` (article level, ``text`` the whole
  article) with ``valid_from`` / ``valid_to``, the commit and the line of the history file.
  Each version is staged like a document version (``complete = false`` while written, flipped
  in the last statement), so readers never see half of it. :func:`lawgraph.graph.read.find_article`
  falls back to these versions when no whole version was in force on the date asked, or when
  the history's state is newer than that version.

Diffs (:func:`diff_versions`) and decree checks (:func:`lawgraph.decree_check.check_decree`, which
reads :func:`decree_versions` and :func:`article_notes`) compare whole versions at article level.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

from lawgraph import ids
from lawgraph.errors import InputError, StoreError
from lawgraph.graph.load import COMPLETE_VERSION_QUERY
from lawgraph.graph.write import Edge as _Edge
from lawgraph.graph.write import ImportReport, LabelCounts, delete_nodes_query, version_ids_query
from lawgraph.graph.write import Node as _Node
from lawgraph.graph.write import batches as _batches
from lawgraph.graph.write import merge_edges as _merge_edges
from lawgraph.graph.write import upsert_nodes as _upsert_label
from lawgraph.graph.read import _iso, run_named
from lawgraph.graph.read import HISTORY_SUFFIX
from lawgraph.graph.read import article_order as _article_key
from lawgraph.graph.store import GraphStore

HISTORY_KIND = "historia"

# --------------------------------------------------------------------------------------------
# Texts of a whole version


def _fold(text: str) -> str:
    return " ".join(text.split())


@dataclass
class UnitText:
    """One provision of a version with the folded text of everything under it."""

    id: str
    provision_id: str
    kind: str
    label: str
    depth: int
    text: str                      # full text (own + descendants), whitespace folded
    repealed: bool


def version_texts(store: GraphStore, version_id: str) -> dict[str, UnitText]:
    """Every provision of a stored version by provision id, with its folded full text."""
    rows = run_named(store, "version_units", {"version_id": version_id})
    by_id = {r["id"]: r for r in rows}
    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        parent = r["id"].rsplit("/", 1)[0]
        if parent in by_id:
            children[parent].append(r)
    for lst in children.values():
        lst.sort(key=lambda c: c["ordinal"] or 0)
    memo: dict[str, str] = {}

    def full(rid: str) -> str:
        if rid in memo:
            return memo[rid]
        stack = [(rid, False)]
        # Iterative post-order: deep trees must not hit the recursion limit.
        while stack:
            cur, done = stack.pop()
            if done:
                parts = [by_id[cur].get("text") or ""] + [memo[c["id"]] for c in children.get(cur, [])]
                memo[cur] = _fold(" ".join(p for p in parts if p))
            else:
                stack.append((cur, True))
                stack.extend((c["id"], False) for c in children.get(cur, []) if c["id"] not in memo)
        return memo[rid]

    base_depth = version_id.count("/")
    out = {}
    for r in rows:
        out[r["provision_id"]] = UnitText(r["id"], r["provision_id"], r["kind"], r["label"],
                                          r["id"].count("/") - base_depth, full(r["id"]),
                                          bool(r.get("repealed")))
    return out


def law_versions(store: GraphStore, law_key: str) -> list[dict[str, Any]]:
    """The complete whole versions of a law (history versions excluded), oldest first."""
    return run_named(store, "law_versions", {"law_key": law_key.lower()})


def version_at(store: GraphStore, law_key: str, at: str | date) -> dict[str, Any] | None:
    """The whole version of a law in force on ``at`` (latest complete with date <= at)."""
    day = _iso(at)
    cands = [v for v in law_versions(store, law_key) if v["date"] <= day]
    return cands[-1] if cands else None


def refresh_validity(store: GraphStore, law_key: str) -> int:
    """Set ``valid_to`` on every provision version of a law's whole versions; returns how many
    values changed. One statement per batch; the values only ever narrow a range that readers
    treat as open when null."""
    versions = law_versions(store, law_key)
    texts = [version_texts(store, v["id"]) for v in versions]
    rows = []
    for i, (v, cur) in enumerate(zip(versions, texts)):
        for pid, u in cur.items():
            valid_to = None
            for v2, nxt in zip(versions[i + 1:], texts[i + 1:]):
                other = nxt.get(pid)
                if other is None or other.text != u.text:
                    valid_to = v2["date"]
                    break
            rows.append({"id": u.id, "valid_to": valid_to})
    changed = 0
    for batch in _batches(rows, store):
        res = store.run(
            "UNWIND $rows AS r\n"
            "MATCH (pv:`ProvisionVersion` {id: r.id})\n"
            "WHERE pv.valid_to IS NULL OR r.valid_to IS NULL OR pv.valid_to <> r.valid_to\n"
            "SET pv.valid_to = r.valid_to\n"
            "RETURN count(pv) AS n",
            {"rows": batch},
        )
        changed += (res.single() or {}).get("n", 0) or 0
    return changed


# --------------------------------------------------------------------------------------------
# Article diffs between two whole versions


@dataclass
class ArticleChange:
    """One article of a law compared between two versions."""

    label: str
    status: str                          # 'reformado' / 'adicionado' / 'eliminado' / 'sin cambios'
    before: str | None
    after: str | None
    units: list[str] = field(default_factory=list)   # changed units below the article ('frac_iii')


@dataclass
class LawDiff:
    law_key: str
    from_version: str
    to_version: str
    from_date: str
    to_date: str
    changes: list[ArticleChange]

    def changed(self) -> list[ArticleChange]:
        return [c for c in self.changes if c.status != "sin cambios"]

    def to_dict(self, include_unchanged: bool = False) -> dict[str, Any]:
        d = asdict(self)
        if not include_unchanged:
            d["changes"] = [asdict(c) for c in self.changed()]
        return d


def diff_history(store: GraphStore, law_key: str, from_: str | date, to: str | date) -> LawDiff | None:
    """Article-level diff between two dates from a law's reconstructed history (the
    Constitution's); None when the law has no history. Article texts only (no units)."""
    rows = run_named(store, "history_articles", {"law_key": law_key.lower()})
    if not rows:
        return None
    a_day, b_day = _iso(from_), _iso(to)

    def at(day: str) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for r in rows:
            if r["valid_from"] <= day:
                out[r["label"]] = r           # rows are oldest first: the last one wins
        return out

    sa, sb = at(a_day), at(b_day)
    changes = []
    for label in sorted(set(sa) | set(sb), key=_article_key):
        a, b = sa.get(label), sb.get(label)
        ta = _fold(a["text"]) if a else None
        tb = _fold(b["text"]) if b else None
        status = ("adicionado" if a is None else "eliminado" if b is None
                  else "sin cambios" if ta == tb else "reformado")
        changes.append(ArticleChange(label, status, ta, tb))
    va = max((r["valid_from"] for r in sa.values()), default=a_day)
    vb = max((r["valid_from"] for r in sb.values()), default=b_day)
    return LawDiff(law_key.upper(), f"historia@{va}", f"historia@{vb}", a_day, b_day, changes)


def diff_versions(store: GraphStore, law_key: str, from_: str | date, to: str | date) -> LawDiff:
    """Article-level diff between the versions in force on ``from_`` and on ``to``; when no
    whole version was in force on one of the dates, the law's reconstructed history answers
    (its dates are then reported as given).

    Raises InputError when neither can answer."""
    va, vb = version_at(store, law_key, from_), version_at(store, law_key, to)
    if va is None or vb is None:
        hist = diff_history(store, law_key, from_, to)
        if hist is not None:
            return hist
        missing = _iso(from_) if va is None else _iso(to)
        raise InputError(None, f"{law_key.upper()}: no hay versión cargada vigente el {missing}")
    ta, tb = version_texts(store, va["id"]), version_texts(store, vb["id"])

    def articles(t: dict[str, UnitText]) -> dict[str, UnitText]:
        return {u.label: u for u in t.values() if u.kind == "articulo" and u.depth == 1}

    aa, ab = articles(ta), articles(tb)
    changes = []
    for label in sorted(set(aa) | set(ab), key=_article_key):
        a, b = aa.get(label), ab.get(label)
        if a is None:
            changes.append(ArticleChange(label, "adicionado", None, b.text))
        elif b is None:
            changes.append(ArticleChange(label, "eliminado", a.text, None))
        elif a.text == b.text:
            changes.append(ArticleChange(label, "sin cambios", a.text, b.text))
        else:
            units = []
            pa, pb = a.provision_id, b.provision_id
            sub_a = {k: u for k, u in ta.items() if k.startswith(pa + "/")}
            sub_b = {k: u for k, u in tb.items() if k.startswith(pb + "/")}
            for k in sorted(set(sub_a) | set(sub_b)):
                ua, ub = sub_a.get(k), sub_b.get(k)
                # Only the outermost changed unit of a branch is named.
                if (ua is None) != (ub is None) or (ua and ub and ua.text != ub.text):
                    rel = k[len(pa) + 1:]
                    if not any(rel.startswith(x + "/") for x in units):
                        units.append(rel)
            changes.append(ArticleChange(label, "reformado", a.text, b.text, units))
    return LawDiff(law_key.upper(), va["id"], vb["id"], va["date"], vb["date"], changes)


# --------------------------------------------------------------------------------------------
# What a decree check reads (the check itself, which parses the clause, is lawgraph.decree_check)


@dataclass
class DecreeVersions:
    """The whole versions on both sides of a decree date and the decrees the later one lists
    with that date (title, clause, id)."""

    day: str
    before: dict[str, Any]
    after: dict[str, Any]
    decrees: list[dict[str, Any]]


def decree_versions(store: GraphStore, law_key: str, dof_date: str | date) -> DecreeVersions:
    """The version before a decree, the version of its date and the decrees of that date it
    lists. Raises InputError (Spanish) when either version or the decree is not loaded."""
    day = _iso(dof_date)
    before = version_at(store, law_key, date.fromisoformat(day) - timedelta(days=1))
    after = version_at(store, law_key, day)
    if after is None or after["date"] != day:
        raise InputError(None, f"{law_key.upper()}: no hay una versión cargada con fecha {day}")
    if before is None:
        raise InputError(None, f"{law_key.upper()}: no hay versión cargada anterior al {day}")
    decrees = [d for d in run_named(store, "version_decrees", {"law_key": law_key.lower(), "at": day})
               if d["dof_date"] == day]
    if not decrees:
        raise InputError(None, f"{law_key.upper()}: la versión del {day} no lista un decreto de esa fecha")
    return DecreeVersions(day, before, after, decrees)


def article_notes(store: GraphStore, version_id: str, label: str) -> list[dict[str, Any]]:
    """The reform notes printed under an article of a version (each with its ``dates``)."""
    rows = run_named(store, "article_notes", {"version_id": version_id, "label": label})
    out = []
    for r in rows:
        out.extend(json.loads(r["reform_notes"] or "[]"))
    return out


# --------------------------------------------------------------------------------------------
# The Constitution's history as sparse law versions


@dataclass
class HistoryLoadReport(ImportReport):
    """What :func:`load_cpeum_history` did: the history versions (and how many were already
    stored unchanged), node counts per label, and what the history could not apply."""

    law_id: str
    versions: int = 0
    versions_unchanged: int = 0
    problems: list[str] = field(default_factory=list)


STAGE_HISTORY_QUERY = (
    "MERGE (l:`Law` {id: $law_id})\n"
    "ON CREATE SET l.key = $key, l.title = $title, l.jurisdiction = $jurisdiction, l.kind = $kind\n"
    "MERGE (v:`LawVersion` {id: $version_id})\n"
    "SET v.complete = false, v.law_id = $law_id, v.date = $date, v.kind = $vkind\n"
    "MERGE (l)-[:`HAS_VERSION`]->(v)"
)
HISTORY_STATE_QUERY = (
    "UNWIND $ids AS id\n"
    "MATCH (v:`LawVersion` {id: id})\n"
    "RETURN v.id AS id, v.complete AS complete, v.content_hash AS content_hash"
)


def history_version_id(work: str, day: str) -> str:
    """Id of the history version of a law at a decree date (never a document version's id)."""
    return ids.expression_id(work, day) + HISTORY_SUFFIX


class HistorySource(Protocol):
    """What :func:`load_cpeum_history` reads of a history (the parse model is
    :class:`lawgraph.ingest.cpeum_history.CpeumHistory`; graph/ does not import ingest/): the
    file and its hash, the parse problems and the article states by article, each with
    ``article, text, valid_from, valid_to, commit, title, exact, approximation, line``."""

    sha256: str
    file: str
    problems: list[str]
    states: dict[str, list[Any]]


def load_cpeum_history(store: GraphStore, hist: HistorySource, *, key: str = "cpeum",
                       jurisdiction: str = "mx", kind: str = "constitucion",
                       title: str = "Constitución Política de los Estados Unidos Mexicanos"
                       ) -> HistoryLoadReport:
    """Load every article state of the history as provision versions of sparse history
    versions (one per decree date); idempotent (a version whose content hash is stored and
    complete is not touched), each version invisible until complete."""
    work = ids.work_id(jurisdiction, kind, key)
    report = HistoryLoadReport(work, problems=list(hist.problems))
    for label in ("Document", "Provision", "ProvisionVersion"):
        report.nodes[label] = LabelCounts()
    store.ensure_schema()
    doc_id = ids.document_id(hist.sha256)
    by_day: dict[str, list] = defaultdict(list)
    for states in hist.states.values():
        for s in states:
            by_day[s.valid_from.isoformat()].append(s)
    plans = []
    for day, states in sorted(by_day.items()):
        vid = history_version_id(work, day)
        nodes, provs, edges = [], [], []
        for i, s in enumerate(sorted(states, key=lambda s: _article_key(s.article)), 1):
            seg = ids.unit_segment("articulo", s.article)
            pid = ids.provision_id(work, [seg])
            pvid = ids.provision_version_id(vid, [seg])
            nodes.append(_Node("ProvisionVersion", pvid, {
                "provision_id": pid, "version_id": vid, "law_id": work, "kind": "articulo",
                "label": s.article, "raw_label": f"Artículo {s.article}", "text": s.text,
                "repealed": s.text.lower().startswith(("se deroga", "derogado")),
                "ordinal": i, "valid_from": day,
                "valid_to": s.valid_to.isoformat() if s.valid_to else None,
                "reform_notes": "[]", "commit": s.commit, "decree_title": s.title,
                "exact": s.exact, "approximation": s.approximation,
                "text_hash": hashlib.sha256(s.text.encode("utf-8")).hexdigest()[:16],
                "sha256": hist.sha256, "page": None, "start": None, "end": None, "line": s.line,
            }))
            provs.append(_Node("Provision", pid, {"law_id": work, "kind": "articulo", "label": s.article}))
            edges.append(_Edge("CONTAINS", "LawVersion", vid, "ProvisionVersion", pvid))
            edges.append(_Edge("VERSION_OF", "ProvisionVersion", pvid, "Provision", pid))
        edges.append(_Edge("READ_FROM", "LawVersion", vid, "Document", doc_id))
        h = hashlib.sha256(day.encode())
        for n in nodes + provs:
            h.update(f"|{n.id}|{n.h}".encode())
        plans.append((day, vid, nodes, provs, edges, h.hexdigest()[:24]))

    state: dict[str, dict[str, Any]] = {}
    for batch in _batches([p[1] for p in plans], store):
        for r in store.run(HISTORY_STATE_QUERY, {"ids": batch}).rows:
            state[r["id"]] = r
    noop = lambda *_a: None
    doc = _Node("Document", doc_id, {"sha256": hist.sha256, "file": hist.file, "format": "jsonl",
                                     "pages": None})
    _upsert_label(store, "Document", [doc], report, progress=noop)  # type: ignore[arg-type]
    for day, vid, nodes, provs, edges, chash in plans:
        report.versions += 1
        st = state.get(vid)
        if st and st.get("complete") is True and st.get("content_hash") == chash:
            report.versions_unchanged += 1
            report.nodes["ProvisionVersion"].unchanged += len(nodes)
            continue
        store.run(STAGE_HISTORY_QUERY, {"law_id": work, "key": key, "title": title,
                                        "jurisdiction": jurisdiction, "kind": kind,
                                        "version_id": vid, "date": day, "vkind": HISTORY_KIND})
        _upsert_label(store, "Provision", provs, report, progress=noop)  # type: ignore[arg-type]
        _upsert_label(store, "ProvisionVersion", nodes, report, progress=noop)  # type: ignore[arg-type]
        _merge_edges(store, edges, report, noop)  # type: ignore[arg-type]
        wanted = {n.id for n in nodes}
        stored = {r["id"] for r in store.run(version_ids_query("ProvisionVersion"), {"version_id": vid}).rows}
        for batch in _batches(sorted(stored - wanted), store):
            res = store.run(delete_nodes_query("ProvisionVersion"), {"ids": batch})
            report.nodes["ProvisionVersion"].deleted += res.counters.get("nodes_deleted", 0)
        res = store.run(COMPLETE_VERSION_QUERY, {
            "version_id": vid, "content_hash": chash,
            "props": {"kind": HISTORY_KIND, "title": title, "sha256": hist.sha256,
                      "format": "historia", "valid_from": day},
        })
        if not res.rows:
            raise StoreError(f"{vid}: la versión desapareció durante la carga")
    store.checkpoint()
    return report


def history_state(store: GraphStore, provision_version_id: str) -> dict[str, Any] | None:
    """For a provision version of a reconstructed history: exact, commit, decree_title,
    valid_from, valid_to, line; None for other provision versions."""
    if HISTORY_SUFFIX not in provision_version_id:
        return None
    rows = run_named(store, "history_state", {"id": provision_version_id})
    return rows[0] if rows else None


def history_article(store: GraphStore, law_key: str, label: str, at: str | None
                    ) -> dict[str, Any] | None:
    """The history state of an article in force on ``at`` (id, version_id, version_date)."""
    rows = run_named(store, "find_article_history", {
        "law_key": law_key.lower(), "label": ids.normalise_article_label(label), "at": at})
    return rows[0] if rows else None
