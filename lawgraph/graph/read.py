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
from lawgraph.graph.store import GraphStore, counts
from lawgraph.model.views import PathStep, Provision, ProvisionVersion, Source

# Suffix of the ids of a reconstructed history's versions (lawgraph.graph.history).
HISTORY_SUFFIX = "~historia"


def run_named(store: GraphStore, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run a named query (the backend's variant when there is one) and return its rows."""
    q = named_query(name)
    return store.run(q.for_backend(store.backend), params or {}).rows


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
                 ) -> ProvisionVersion | None:
    """An article of a law (by catalogue key and label as printed or normalised) as in force
    at ``at`` (the latest complete version when None) in a loaded version or the law's
    reconstructed history; None otherwise. Dates older than every loaded version are judged
    by :func:`before_oldest` (:func:`lawgraph.provisions.find_article` does both).

    The answer says how it was chosen (``basis``, ``reasoning``) and since when the article's
    own text is in force (``in_force_since``)."""
    day = _iso(at)
    params = {"law_key": law_key.lower(), "label": ids.normalise_article_label(label), "at": day}
    rows = run_named(store, "find_article", params)
    # A reconstructed history (lawgraph.graph.history) answers dates no whole version covers,
    # and dates after a later decree of the history than the whole version in force.
    hist = run_named(store, "find_article_history", params)
    if hist and (not rows or hist[0]["version_date"] > rows[0]["version_date"]):
        view = _view(store, hist[0]["id"])
        return _explain_history(store, view) if view else None
    if rows:
        view = _view(store, rows[0]["id"])
        return _explain_version(store, view) if view else None
    return None


@dataclass
class MissingAtDate:
    """What is known when no text can be shown as in force on a date: the oldest version
    loaded, the decrees published since the date asked, and why the oldest text is not the
    answer."""

    law_key: str
    label: str
    asked: str
    oldest_version: str | None          # date of the oldest whole version loaded
    reason: str                         # Spanish, for people
    changes_after: list[str] = field(default_factory=list)    # the article's change dates after `asked`
    decrees_since: list[dict[str, Any]] = field(default_factory=list)  # dof_date, title, names_article

    def message(self) -> str:
        """One Spanish paragraph for the CLI and the pages."""
        out = [f"{self.law_key.upper()} art. {self.label}: no se conoce su texto vigente el {self.asked}. "
               f"{self.reason}"]
        if self.oldest_version:
            out.append(f"La versión más antigua cargada es la del {self.oldest_version}.")
        if self.decrees_since:
            ds = "; ".join(f"DOF {d['dof_date']}" + (" (lo modifica)" if d.get("names_article") else "")
                           for d in self.decrees_since[:12])
            more = len(self.decrees_since) - 12
            out.append(f"Decretos publicados desde el {self.asked}: {ds}" + (f" y {more} más." if more > 0 else "."))
        return " ".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "message": self.message()}


def _note_dates(notes: list[dict[str, Any]]) -> list[str]:
    return sorted({str(d)[:10] for n in notes for d in (n.get("dates") or [])})


def _subtree_notes(store: GraphStore, view: ProvisionVersion) -> list[dict[str, Any]]:
    """Reform notes of a provision version and of every unit under it."""
    notes = list(view.reform_notes)
    for r in run_named(store, "provision_subtree", {"id": view.id}):
        notes.extend(json.loads(r.get("reform_notes") or "[]"))
    return notes


def _explain_version(store: GraphStore, view: ProvisionVersion) -> ProvisionVersion:
    dates = [d for d in _note_dates(_subtree_notes(store, view)) if d <= view.version_date]
    view.basis = "version"
    view.in_force_since = dates[-1] if dates else None
    view.reasoning = [
        f"Texto de la versión del {view.version_date} ({view.source.file or 'documento'})."
        + (f" Su último cambio, según sus notas de reforma, es del DOF {dates[-1]}." if dates
           else " No tiene notas de reforma: texto original de la ley.")]
    return view


def _explain_history(store: GraphStore, view: ProvisionVersion) -> ProvisionVersion:
    st = (run_named(store, "history_state", {"id": view.id}) or [{}])[0]
    view.basis = "historia"
    view.in_force_since = st.get("valid_from") or view.version_date
    view.approximate = st.get("exact") is False
    until = st.get("valid_to")
    view.reasoning = [
        f"Texto reconstruido del historial de decretos: vigente desde el {view.in_force_since}"
        + (f" hasta el {until}" if until else "") + f" ({st.get('decree_title') or 'texto original'})."]
    if view.approximate:
        view.reasoning.append("Aproximado: " + (st.get("approximation") or
                                                "un cambio posterior a este texto no se pudo deshacer."))
    return view


def before_oldest(store: GraphStore, law_key: str, label: str, at: str | date | None,
                  published: str | None = None) -> ProvisionVersion | MissingAtDate | None:
    """A date older than every whole version of a law: the oldest version's article is the
    answer when its reform notes (its own and its units') date no change after ``at``, no
    decree of the oldest version's list published after ``at`` names it, and something shows
    it existed on ``at`` (a note dated on or before it, or the law's original publication,
    ``published``, ISO date); else what is known. None when ``at`` is not older than every
    version or the law has none."""
    day = _iso(at)
    label = ids.normalise_article_label(label)
    versions = run_named(store, "law_versions", {"law_key": law_key.lower()})
    if day is None or not versions or day >= versions[0]["date"]:
        return None
    v0 = versions[0]["date"]
    key = law_key.lower()
    first = run_named(store, "find_article", {"law_key": key, "label": label, "at": v0})
    decrees = [d for d in run_named(store, "version_decrees", {"law_key": key, "at": v0})
               if d.get("dof_date") and day < d["dof_date"] <= v0]
    for d in decrees:
        ops = run_named(store, "decree_operations", {"law_key": key, "dof_date": d["dof_date"]})
        d["names_article"] = any(o.get("article") == label and not o.get("transitory") for o in ops)
    since = [{"dof_date": d["dof_date"], "title": d.get("title") or "", "names_article": d["names_article"]}
             for d in decrees]
    if published and day < published:
        return MissingAtDate(key, label, day, v0, f"La ley se publicó el {published}.", [], since)
    if not first:
        return MissingAtDate(key, label, day, v0, f"El artículo no está en la versión más antigua cargada "
                             f"(del {v0}).", [], since)
    view = _view(store, first[0]["id"])
    if view is None:
        return None
    notes = _subtree_notes(store, view)
    after = [d for d in _note_dates(notes) if day < d <= v0]
    naming = [d["dof_date"] for d in since if d["names_article"]]
    if after or naming:
        added = any(day < str(x)[:10] for n in notes if n in view.reform_notes
                    and any(a.startswith("adicionad") for a in (n.get("actions") or []))
                    for x in (n.get("dates") or []))
        why = ("El artículo se adicionó después de esa fecha." if added else
               "El artículo cambió después de esa fecha"
               + (f" (notas de reforma: DOF {', '.join(after)})" if after else "")
               + (f" (decretos que lo nombran: DOF {', '.join(naming)})" if naming else "") + ".")
        return MissingAtDate(key, label, day, v0, why, sorted(set(after) | set(naming)), since)
    dates = _note_dates(notes)
    if not published and not [d for d in dates if d <= day]:
        return MissingAtDate(key, label, day, v0, "Nada de lo cargado dice desde cuándo existe el artículo "
                             "(sin notas de reforma anteriores a esa fecha ni fecha de publicación de la ley).",
                             [], since)
    view.basis = "sin_cambios"
    view.in_force_since = dates[-1] if dates else None
    view.reasoning = [
        f"No hay versión cargada vigente el {day}; la más antigua es la del {v0}.",
        (f"Las notas de reforma del artículo y de sus unidades fechan su último cambio el DOF {dates[-1]}, "
         f"anterior al {day}." if dates else f"El artículo no tiene notas de reforma: es el texto publicado "
                                              f"el {published}."),
        (f"Ninguno de los {len(since)} decretos publicados entre el {day} y el {v0} lo modifica "
         f"(lista de decretos de esa versión)." if since else
         f"La versión del {v0} no lista decretos publicados entre el {day} y el {v0}."),
        f"Por eso su texto el {day} es el de la versión del {v0}.",
    ]
    return view


def get_provision(store: GraphStore, ref: Any, *, at: str | date | None = None) -> ProvisionVersion | None:
    """A provision by provision-version id (``/mx/ley/x@2026-01-15/art_3``), provision id
    (``/mx/ley/x/art_3``, resolved at ``at``) or an already-read reference: any object with
    ``law_key``, ``article``, ``fraccion`` and ``inciso`` (:class:`lawgraph.nlp.refs.ProvisionRef`;
    the graph layer does not read typed text — :func:`lawgraph.provisions.get_provision` does,
    with the one reference grammar). None when nothing matches."""
    if isinstance(ref, str):
        s = ref.strip()
        if not s.startswith("/"):
            raise InputError(None, f"{s!r} no es un identificador; las referencias escritas se leen con "
                                   f"lawgraph.provisions.get_provision")
        try:
            # A history state's id: '/mx/constitucion/cpeum@2001-08-14~historia/art_4'.
            parsed = ids.parse(s.replace(HISTORY_SUFFIX, ""))
        except ValueError as exc:
            raise InputError(None, f"identificador no válido: {s!r}") from exc
        if not parsed.path:
            raise InputError(None, f"{s!r} identifica una ley, no una disposición")
        view = _view(store, s) if parsed.date else None
        if not parsed.date:
            rows = run_named(store, "provision_at", {"provision_id": s, "at": _iso(at)})
            view = _view(store, rows[0]["id"]) if rows else None
        if view is None:
            return None
        return (_explain_history(store, view) if view.version_id.endswith(HISTORY_SUFFIX)
                else _explain_version(store, view))
    article = find_article(store, ref.law_key, ref.article, at)
    if article is None or not (ref.fraccion or ref.inciso):
        return article
    return unit_of(store, article, ref.fraccion, ref.inciso)


def unit_of(store: GraphStore, article: ProvisionVersion, fraccion: str | None, inciso: str | None
            ) -> ProvisionVersion | None:
    """The fracción / inciso of an article's version (None when it has none such), with the
    article's reasons for that version and its own last change."""
    unit = _descend(store, article, fraccion, inciso)
    if unit is None:
        return None
    _explain_version(store, unit)
    unit.basis, unit.approximate = article.basis, article.approximate
    unit.reasoning = article.reasoning
    return unit


def _descend(store: GraphStore, article: ProvisionVersion, fraccion: str | None,
             inciso: str | None) -> ProvisionVersion | None:
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


def _view(store: GraphStore, pv_id: str) -> ProvisionVersion | None:
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
        path = [PathStep(id=s["id"], kind=s.get("kind"), label=s.get("label"), heading=s.get("heading"))
                for s in steps[:-1]]
        # The first step is the law version: name it by its date and the law's title.
        path[0] = PathStep(id=path[0].id, kind="version", label=r["version_date"], heading=r["law_title"])
    return ProvisionVersion(
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
        source=Source(sha256=pv.get("sha256"), file=r.get("file"), page=pv.get("page"),
                      start=pv.get("start"), end=pv.get("end")),
        children=[Provision(id=c["id"], law_id=r["law_id"], kind=c["kind"], label=c["label"])
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
    # From the engines' own per-label and per-type counts (graph.store.counts): no scan of every
    # node and relationship on the pages that show these figures (issue 13; the untyped
    # relationship scan is the query under which FalkorDB 4.16.3 once crashed).
    c = counts(store)
    return {
        "nodes": dict(sorted(c["nodes"].items())),
        "relationships": dict(sorted(c["relationships"].items())),
        "laws": [{"key": law["key"], "title": law["title"], "versions": law["versions"]}
                 for law in list_laws(store)],
        "incomplete_versions": [r["id"] for r in run_named(store, "incomplete_versions")],
    }


def version_articles(store: GraphStore, law_key: str, at: str | date | None = None
                     ) -> list[dict[str, Any]]:
    """The articles of a law in force at ``at``: id, label, repealed, page; in order. A date no
    whole version covers is answered by the law's reconstructed history when it has one (each
    article's state in force that day)."""
    params = {"law_key": law_key.lower(), "at": _iso(at)}
    rows = run_named(store, "version_articles", params)
    if rows or at is None:
        return rows
    hist = run_named(store, "history_version_articles", params)
    return sorted(hist, key=lambda r: article_order(r["label"]))


def article_order(label: str) -> tuple[int, str]:
    """Sort key of an article label: by its number ('2' < '10' < '10 Bis'), unnumbered last."""
    head = label.split()[0] if label else ""
    return (int(head), label) if head.isdigit() else (100_000, label)




def history_labels(store: GraphStore, law_key: str) -> list[str]:
    """The article labels of a law's reconstructed history (empty without one)."""
    return [r["label"] for r in run_named(store, "history_labels", {"law_key": law_key.lower()})]


def version_decrees(store: GraphStore, law_key: str, at: str | date | None = None
                    ) -> list[dict[str, Any]]:
    """The reform decrees listed by a law version: id, dof_date, title, kind,
    declared_invalid, index, clause, page; in their printed order."""
    return run_named(store, "version_decrees", {"law_key": law_key.lower(), "at": _iso(at)})
