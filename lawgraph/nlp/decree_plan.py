"""What a law version says about its reform decrees, as data the graph writes: a pure function.

For every decree the version lists, the operations its amendment clause performs on this law
(:func:`lawgraph.nlp.amendments.parse_decree`), each with the provision it targets when the
version has it; and every reform note of the version linked to the decree it names
(:func:`lawgraph.nlp.reform_links.link_reform_notes`) or kept as unmatched with the reason.
Operations on other laws of a multi-law decree are left to those laws' documents.

Nothing here reads or writes a store: :func:`lawgraph.graph.amendments.write_amendments`
writes the :class:`AmendmentPlan`, and :mod:`lawgraph.steps` calls one after the other.
"""
from __future__ import annotations

import json
import re
from typing import Any

from lawgraph import ids
from lawgraph.model.amendment import AmendmentPlan
from lawgraph.model.law import ParsedLaw, Unit

# Bumped when what the plan holds changes, so that an unchanged document is planned again.
AMENDMENTS_VERSION = 1

# The action a reform note records: 'Fracción reformada DOF …' -> 'reformada'.
NOTE_ACTION_RE = re.compile(
    r"\b(?P<action>reformad[oa]s?|adicionad[oa]s?|derogad[oa]s?|recorrid[oa]s?|"
    r"aclarad[oa]s?|fe\s+de\s+erratas|abrogad[oa]s?|renumerad[oa]s?)\b",
    re.IGNORECASE,
)


def _walk(unit: Unit, segs: tuple[str, ...], out: dict[tuple, Unit]) -> None:
    out[segs] = unit
    sib = ids.Siblings()
    for c in unit.children:
        _walk(c, segs + (sib.segment(c.kind, c.label),), out)


def version_units(parsed: ParsedLaw) -> dict[tuple[str, ...], Unit]:
    """Every unit of the version by its path of id segments (the loader's segments)."""
    units: dict[tuple[str, ...], Unit] = {}
    sib = ids.Siblings()
    for art in list(parsed.articles) + list(parsed.transitorios):
        _walk(art, (sib.segment(art.kind, art.label),), units)
    return units


def decree_operations(parsed: ParsedLaw, names=None) -> dict[int, list[dict[str, Any]]]:
    """Each listed decree's amendment clause as operations (reforma / adiciona / deroga …), by
    decree index, as JSON-ready dicts (``lawgraph parse --operations``)."""
    from lawgraph.catalog import load_catalog
    from lawgraph.nlp.amendments import parse_decree

    names = names or load_catalog()
    return {d.index: [o.model_dump(mode="json") for o in parse_decree(d.title, d.clause, names=names).operations]
            for d in parsed.decrees}


def plan_amendments(parsed: ParsedLaw, *, jurisdiction: str, kind: str, key: str) -> AmendmentPlan:
    """The decree operations and reform-note links of one parsed law version."""
    from lawgraph.catalog import load_catalog
    from lawgraph.nlp.amendments import parse_decree
    from lawgraph.nlp.reform_links import link_reform_notes

    work = ids.work_id(jurisdiction, kind, key)
    expr = ids.expression_id(work, parsed.ultima_reforma.isoformat())  # type: ignore[union-attr]
    plan = AmendmentPlan(work, expr)
    gazette = ids.gazette(jurisdiction)
    names = load_catalog()
    units = version_units(parsed)

    for dec in parsed.decrees:
        if dec.dof_date is None:
            continue
        did = ids.decree_id(gazette, dec.dof_date.isoformat(), dec.title, jurisdiction)
        res = parse_decree(dec.title, dec.clause, names=names)
        for p in res.problems:
            plan.problems.append(f"decreto del {dec.dof_date} (n.º {dec.index}): {p}")
        keep: list[str] = []
        n = 0
        for o in res.operations:
            if o.law is not None:
                r = names.resolve(o.law)
                if r.key is not None and r.key.lower() != key.lower():
                    continue       # an operation on another law of the same decree
            n += 1
            aid = ids.amendment_id(did, key, n)
            keep.append(aid)
            target = _target(work, units, o) if o.article and not o.transitory else None
            plan.amendments.append((aid, {
                "decree_id": did, "law_id": work, "law_key": key.lower(), "index": n, "op": o.op,
                "article": o.article, "transitory": o.transitory,
                "units": json.dumps([u.model_dump() for u in o.units], ensure_ascii=False),
                "division": json.dumps(o.division.model_dump(), ensure_ascii=False) if o.division else None,
                "denomination": o.denomination, "law_raw": o.law, "start": o.start, "end": o.end,
                "text": o.text, "target": target, "resolved": target is not None,
                "decree_date": dec.dof_date.isoformat(),
            }))
            plan.operations.append((did, aid))
            if target:
                plan.targets.append({"src": aid, "dst": target})
        plan.keep_by_decree[did] = keep

    link_report = link_reform_notes(parsed)
    art_seg_of: dict[str, str] = {}
    for k, u in units.items():
        if len(k) == 1:
            art_seg_of.setdefault(u.label, k[0])
    titles = {d.index: d.title for d in parsed.decrees}
    for link in link_report.links:
        art_seg = art_seg_of.get(link.article)
        if art_seg is None:
            continue
        segs = [art_seg] + [ids.unit_segment(kd, lb) for kd, lb in link.path]
        m = NOTE_ACTION_RE.search(link.note)
        plan.note_links.append({
            "src": ids.provision_version_id(expr, segs),
            "dst": ids.decree_id(gazette, link.dof_date.isoformat(), titles.get(link.decree_index, ""), jurisdiction),
            "props": {"action": m.group("action").lower() if m else None, "note": link.note,
                      "date": link.dof_date.isoformat(), "clause_names_article": link.clause_names_article}})
    for i, u in enumerate(link_report.unmatched, 1):
        plan.unmatched.append((ids.note_id(expr, i), {
            "version_id": expr, "law_id": work, "article": u["article"],
            "path": json.dumps(list(u["path"]), ensure_ascii=False), "note": u["note"],
            "date": u["date"], "reason": refine_reason(u["note"], u["date"], u["reason"])}))
    return plan


def _target(work: str, units: dict[tuple[str, ...], Unit], o) -> str | None:
    """The finest provision of the version an operation names (article, then fracción, inciso,
    apartado), or None when the article is not in the version."""
    art_seg = ids.unit_segment("articulo", o.article)
    if (art_seg,) not in units:
        return None
    path: tuple[str, ...] = (art_seg,)
    for u in o.units:
        if u.kind not in ("fraccion", "inciso", "apartado"):
            break
        seg = ids.unit_segment(u.kind, u.label)
        cand = next((k for k in units if len(k) > len(path) and k[:len(path)] == path and k[-1] == seg), None)
        if cand is None:
            break
        path = cand
    return ids.provision_id(work, list(path))


def refine_reason(note: str, iso: str, reason: str) -> str:
    """Say why a note's date names no decree when the note itself tells: the notification of
    a court ruling, or the date of the text a ruling revived."""
    y, m, d = iso.split("-")
    for m_ in re.finditer(rf"{d}-{m}-{y}|{int(d)} de \w+ de {y}", note):
        before = note[max(0, m_.start() - 60):m_.start()].lower()
        if "notificad" in before:
            return "fecha de notificación de una sentencia, no de un decreto"
        if "texto que ten" in before:
            return "fecha del texto que una sentencia devolvió a la vigencia, no de un decreto"
    return reason
