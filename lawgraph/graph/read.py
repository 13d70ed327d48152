"""Read functions the CLI and the API call. Every query is a named query in ``lawgraph/queries/``.

Readers only see complete law versions (``LawVersion.complete = true``): a version being
loaded, or left half-written by a crash, is invisible until its final statement flips it.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from lawgraph import ids
from lawgraph.errors import InputError
from lawgraph.graph.cypher import named_query
from lawgraph.graph.grammar import PROVISION_REFERENCE_RE
from lawgraph.graph.store import GraphStore


def run_named(store: GraphStore, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run a named query (the backend's variant when there is one) and return its rows."""
    q = named_query(name)
    return store.run(q.for_backend(store.backend), params or {}).rows


@dataclass
class PathStep:
    """One level of a provision's hierarchy: the law version (kind 'version', label its
    date, heading the law's title), a division, or an enclosing unit."""

    id: str
    kind: str | None
    label: str | None
    heading: str | None = None


@dataclass
class ProvisionView:
    """A provision version as shown to a person: its text with everything under it, where
    it sits, its reform notes, and where it was read."""

    id: str
    provision_id: str
    law_id: str
    law_key: str
    law_title: str
    version_id: str
    version_date: str
    kind: str
    label: str
    raw_label: str | None
    text: str                      # own text followed by every unit under it, in order
    own_text: str
    repealed: bool
    path: list[PathStep]
    reform_notes: list[dict[str, Any]]
    source: dict[str, Any]         # sha256, file, page, start, end
    children: list[dict[str, Any]] = field(default_factory=list)  # direct units: kind, label, id

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return asdict(self)


def _iso(at: str | date | None) -> str | None:
    if at is None:
        return None
    if isinstance(at, date):
        return at.isoformat()
    try:
        return date.fromisoformat(at).isoformat()
    except ValueError as exc:
        raise InputError(None, f"fecha inválida {at!r}: se espera AAAA-MM-DD") from exc


def find_article(store: GraphStore, law_key: str, label: str, at: str | date | None = None
                 ) -> ProvisionView | None:
    """An article of a law (by catalogue key and label as printed or normalised) as in force
    at ``at`` (the latest complete version when None); None when there is no such article."""
    params = {"law_key": law_key.lower(), "label": ids.normalise_article_label(label), "at": _iso(at)}
    rows = run_named(store, "find_article", params)
    # A reconstructed history (lawgraph.graph.history) answers dates no whole version covers,
    # and dates after a later decree of the history than the whole version in force.
    hist = run_named(store, "find_article_history", params)
    if hist and (not rows or hist[0]["version_date"] > rows[0]["version_date"]):
        rows = hist
    return _view(store, rows[0]["id"]) if rows else None


def get_provision(store: GraphStore, id_or_ref: str, *, at: str | date | None = None
                  ) -> ProvisionView | None:
    """A provision by provision-version id (``/mx/ley/x@2026-01-15/art_3``), provision id
    (``/mx/ley/x/art_3``, resolved at ``at``) or reference (``"LGAMVLV art 20 Ter fr. III"``).
    None when nothing matches; InputError when the text is neither an id nor a reference."""
    s = id_or_ref.strip()
    if s.startswith("/"):
        try:
            parsed = ids.parse(s)
        except ValueError as exc:
            raise InputError(None, f"identificador no válido: {s!r}") from exc
        if not parsed.path:
            raise InputError(None, f"{s!r} identifica una ley, no una disposición")
        if parsed.date:
            return _view(store, s)
        rows = run_named(store, "provision_at", {"provision_id": s, "at": _iso(at)})
        return _view(store, rows[0]["id"]) if rows else None
    m = PROVISION_REFERENCE_RE.match(s)
    if not m:
        raise InputError(
            None,
            f"referencia no reconocida: {s!r}; ejemplos: \"LGAMVLV art 20 Ter\", "
            f"\"cpeum art. 4o. fr. II\", o un identificador /mx/ley/…",
        )
    article = find_article(store, m.group("law"), m.group("article"), at)
    if article is None or not (m.group("fraccion") or m.group("inciso")):
        return article
    return _descend(store, article, m.group("fraccion"), m.group("inciso"))


def _descend(store: GraphStore, article: ProvisionView, fraccion: str | None,
             inciso: str | None) -> ProvisionView | None:
    rows = run_named(store, "provision_subtree", {"id": article.id})
    target = article.id
    if fraccion:
        want = " ".join(fraccion.upper().replace("-", " - ").split()).replace(" - ", "-")
        cands = [r for r in rows if r["kind"] == "fraccion" and _same_label(r["label"], want)]
        if not cands:
            return None
        target = min(cands, key=lambda r: r["id"].count("/"))["id"]
    if inciso:
        cands = [r for r in rows if r["kind"] == "inciso" and r["id"].startswith(target + "/")
                 and (r["label"] or "").lower() == inciso.lower()]
        if not cands:
            return None
        target = min(cands, key=lambda r: r["id"].count("/"))["id"]
    return _view(store, target)


def _same_label(a: str | None, b: str) -> bool:
    norm = lambda x: "".join(ch for ch in (x or "").upper() if ch.isalnum())  # noqa: E731
    return norm(a) == norm(b)


def _view(store: GraphStore, pv_id: str) -> ProvisionView | None:
    rows = run_named(store, "provision_version", {"id": pv_id})
    if not rows:
        return None
    r = rows[0]
    pv = r["pv"]
    sub = run_named(store, "provision_subtree", {"id": pv_id})
    by_parent: dict[str, list[dict[str, Any]]] = {}
    for c in sub:
        by_parent.setdefault(c["id"].rsplit("/", 1)[0], []).append(c)
    for lst in by_parent.values():
        lst.sort(key=lambda c: c["ordinal"] or 0)
    parts = [pv.get("text") or ""]

    def walk(pid: str) -> None:
        for c in by_parent.get(pid, []):
            if c.get("text"):
                parts.append(c["text"])
            walk(c["id"])

    walk(pv_id)
    anc = run_named(store, "provision_ancestors", {"id": pv_id})
    path: list[PathStep] = []
    if anc:
        # Several paths can exist only through a data error; the longest is the full one.
        steps = max((a["path"] for a in anc), key=len)
        path = [PathStep(s["id"], s.get("kind"), s.get("label"), s.get("heading"))
                for s in steps[:-1]]
        # The first step is the law version: name it by its date and the law's title.
        path[0] = PathStep(path[0].id, "version", r["version_date"], r["law_title"])
    return ProvisionView(
        id=pv_id,
        provision_id=pv["provision_id"],
        law_id=r["law_id"],
        law_key=r["law_key"],
        law_title=r["law_title"],
        version_id=r["version_id"],
        version_date=r["version_date"],
        kind=pv["kind"],
        label=pv["label"],
        raw_label=pv.get("raw_label"),
        text="\n".join(p for p in parts if p),
        own_text=pv.get("text") or "",
        repealed=bool(pv.get("repealed")),
        path=path,
        reform_notes=json.loads(pv.get("reform_notes") or "[]"),
        source={"sha256": pv.get("sha256"), "file": r.get("file"), "page": pv.get("page"),
                "start": pv.get("start"), "end": pv.get("end")},
        children=[{"id": c["id"], "kind": c["kind"], "label": c["label"]}
                  for c in by_parent.get(pv_id, [])],
    )


def list_laws(store: GraphStore) -> list[dict[str, Any]]:
    """Every law: id, key, title, jurisdiction, kind, versions (ISO dates of complete
    versions, oldest first) and latest (or None)."""
    out = []
    for r in run_named(store, "list_laws"):
        versions = [v for v in (r.get("versions") or []) if v]
        out.append({**r, "versions": versions, "latest": versions[-1] if versions else None})
    return out


def stats(store: GraphStore) -> dict[str, Any]:
    """Node counts per label, relationship counts per type, laws with their complete
    versions, and the versions whose load is incomplete."""
    return {
        "nodes": {r["label"]: r["count"] for r in run_named(store, "stats_nodes")},
        "relationships": {r["type"]: r["count"] for r in run_named(store, "stats_relationships")},
        "laws": [{"key": law["key"], "title": law["title"], "versions": law["versions"]}
                 for law in list_laws(store)],
        "incomplete_versions": [r["id"] for r in run_named(store, "incomplete_versions")],
    }


def version_articles(store: GraphStore, law_key: str, at: str | date | None = None
                     ) -> list[dict[str, Any]]:
    """The articles of a law in force at ``at``: id, label, repealed, page; in order."""
    return run_named(store, "version_articles", {"law_key": law_key.lower(), "at": _iso(at)})


def version_decrees(store: GraphStore, law_key: str, at: str | date | None = None
                    ) -> list[dict[str, Any]]:
    """The reform decrees listed by a law version: id, dof_date, title, kind,
    declared_invalid, index, clause, page; in their printed order."""
    return run_named(store, "version_decrees", {"law_key": law_key.lower(), "at": _iso(at)})
