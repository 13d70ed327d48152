"""Does a decree's clause name what changed? The clause is parsed (:mod:`lawgraph.nlp.amendments`)
and compared with the articles whose text differs between the stored version before the decree
and the version of its date (:mod:`lawgraph.graph.history` reads both).

Each disagreement carries a reason: the clause only changes a division's name, the text is
identical (a renumbering, or the printed reform note names another decree), the article changed
through another decree of the interval (its reform notes say which). ``lawgraph report decree``
prints it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from lawgraph.graph.history import article_notes, decree_versions, diff_versions
from lawgraph.graph.read import article_order as _article_key
from lawgraph.graph.store import GraphStore


@dataclass
class DecreeCheckRow:
    article: str
    named: bool                          # the decree's clause names the article
    changed: bool                        # the text differs between the versions
    ops: list[str]
    reason: str                          # Spanish, for people


@dataclass
class DecreeCheck:
    law_key: str
    dof_date: str
    decree_id: str | None
    title: str
    from_date: str
    to_date: str
    rows: list[DecreeCheckRow]
    problems: list[str]

    @property
    def agreement(self) -> float:
        if not self.rows:
            return 1.0
        return sum(1 for r in self.rows if r.named == r.changed) / len(self.rows)

    def mismatches(self) -> list[DecreeCheckRow]:
        return [r for r in self.rows if r.named != r.changed]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["agreement"] = self.agreement
        return d


def check_decree(store: GraphStore, law_key: str, dof_date: str | date) -> DecreeCheck:
    """Compare the articles a decree's clause names with the articles whose text changed
    between the version before the decree and the version of the decree's date. Raises
    InputError when either version or the decree is not loaded."""
    from lawgraph.catalog import load_catalog
    from lawgraph.nlp.amendments import parse_decree

    dv = decree_versions(store, law_key, dof_date)
    day, before, after, decrees = dv.day, dv.before, dv.after, dv.decrees
    names = load_catalog()
    named: dict[str, list[str]] = defaultdict(list)
    division_only: list[str] = []
    problems: list[str] = []
    for d in decrees:
        res = parse_decree(d["title"], d["clause"] or "", names=names)
        problems.extend(res.problems)
        for o in res.operations:
            if o.transitory:
                continue
            if o.article:
                named[o.article].append(o.op + (" " + "/".join(f"{u.kind} {u.label}" for u in o.units)
                                                if o.units else ""))
            elif o.division is not None:
                division_only.append(f"{o.op} {o.division.kind} {o.division.label}"
                                     + (" (denominación)" if o.denomination else ""))
    diff = diff_versions(store, law_key, before["date"], day)
    by_label = {c.label: c for c in diff.changes}
    rows = []
    for label in sorted(set(named) | {c.label for c in diff.changed()}, key=_article_key):
        c = by_label.get(label)
        changed = c is not None and c.status != "sin cambios"
        is_named = label in named
        if is_named and changed:
            reason = f"coincide ({c.status}" + (f": {', '.join(c.units[:6])}" if c.units else "") + ")"
        elif is_named and c is None:
            reason = "la cláusula lo nombra pero el artículo no existe en ninguna de las dos versiones"
        elif is_named:
            ops = named[label]
            if all(op.startswith("deroga") for op in ops) and "derogado" in (c.after or "").lower()[:200]:
                reason = "derogación ya impresa en la versión anterior (texto idéntico)"
            else:
                reason = "texto idéntico en ambas versiones (renumeración o cambio no reflejado en el texto)"
        else:
            notes = article_notes(store, after["id"], label)
            dates = sorted({x for n in notes for x in n.get("dates", [])})
            others = [x for x in dates if before["date"] < x < day]
            if others:
                reason = f"cambió por otro decreto del intervalo (notas de reforma: {', '.join(others)})"
            elif day in dates:
                reason = "sus notas de reforma citan este decreto, pero la cláusula no lo nombra"
            else:
                reason = "cambió sin que la cláusula lo nombre (diferencia de transcripción entre documentos)"
        rows.append(DecreeCheckRow(label, is_named, changed, named.get(label, []), reason))
    for div in division_only:
        problems.append(f"operación sobre una división, sin artículo: {div}")
    d0 = decrees[0]
    return DecreeCheck(law_key.upper(), day, d0["id"], d0["title"], before["date"], day, rows, problems)
