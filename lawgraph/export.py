"""The JSON form of a parsed document (`lawgraph parse FILE --json`). Schema: docs/parse_json.md."""
from __future__ import annotations

from typing import Any

from lawgraph.model.law import Decree, ParsedLaw, ReformNote, SourceRef, Unit

SCHEMA_VERSION = 1


def _src(s: SourceRef) -> dict[str, Any]:
    return {"page": s.page, "start": s.start, "end": s.end}


def note_json(n: ReformNote) -> dict[str, Any]:
    """A reform note as JSON (parse --json, and the graph's reform_notes property)."""
    return n.as_json()


def _unit(u: Unit, *, deep: bool = True) -> dict[str, Any]:
    d: dict[str, Any] = {
        "kind": u.kind,
        "label": u.label,
        "raw_label": u.raw_label,
        "repealed": u.repealed,
        "text": u.text,
        "reform_notes": [note_json(n) for n in u.reform_notes],
        "source": _src(u.source),
    }
    if deep:
        d["children"] = [_unit(c) for c in u.children]
    return d


def article_json(a: Unit) -> dict[str, Any]:
    """An artículo: label, repealed, fracción labels, full text, notes, and its unit tree."""
    return {
        "label": a.label,
        "raw_label": a.raw_label,
        "repealed": a.repealed,
        "fracciones": [f.label for f in a.fracciones()],
        "text": a.full_text(),
        "reform_notes": [note_json(n) for n in a.reform_notes],
        "page": a.source.page,
        "source": _src(a.source),
        "units": [_unit(c) for c in a.children],
    }


def decree_json(d: Decree) -> dict[str, Any]:
    return {
        "index": d.index,
        "kind": d.kind,
        "dof_date": d.dof_date.isoformat() if d.dof_date else None,
        "notified_date": d.notified_date.isoformat() if d.notified_date else None,
        "declared_invalid": d.declared_invalid,
        "title": d.title,
        "number": d.number,                  # state decrees: printed decree number (issue 11)
        "gazette_number": d.gazette_number,  # state decrees: gazette issue ('104 Bis')
        "clause": d.clause,
        "transitorios": [_unit(t) for t in d.transitorios],
        "page": d.source.page,
    }


def parsed_to_json(p: ParsedLaw, *, operations: dict[int, list[dict]] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "file": p.file,
        "sha256": p.sha256,
        "format": p.format,
        "pages": p.pages,
        "title": p.title,
        "ultima_reforma": p.ultima_reforma.isoformat() if p.ultima_reforma else None,
        "publication": p.publication,
        "preamble_notes": [note_json(n) for n in p.preamble_notes],
        "divisions": [dv.model_dump(mode="json", exclude={"source"}) for dv in p.divisions],
        "articles": [article_json(a) for a in p.articles],
        "transitorios_heading": p.transitorios_heading,
        "transitorios": [_unit(t) for t in p.transitorios],
        "decrees": [decree_json(d) for d in p.decrees],
        "warnings": list(p.warnings),
    }
    if operations is not None:
        for d in out["decrees"]:
            d["operations"] = operations.get(d["index"], [])
    return out
