"""UPR recommendations as CSV rows (English; rochelleterman/uprs): one row per recommending
state, so rows are merged by number. The 2013 file is Mac Roman read as Latin-1 ('childrenÕs')
and repaired; its 'decision' column says 'consider' for every row, which is not a decision, so
it becomes 'unknown'. The document symbol of each year's review comes from the manifest
(:func:`lawgraph.ingest.recs.manifest.upr_documents`).
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lawgraph import ids
from lawgraph.errors import InputError
from lawgraph.ingest import rec_grammar as g
from lawgraph.ingest.recs.common import (
    MIN_TEXT_CHARS,
    ReadReport,
    RowError,
    fold_ws,
    looks_mac_roman,
    repair_mac_roman,
    sha256_of,
    split_states,
)
from lawgraph.model.recs import Recommendation, TextSource


def read_upr_csv(path: str | Path, documents: Mapping[int, str] | None = None) -> ReadReport:
    """UPR recommendations from one of the rochelleterman/uprs CSVs, merged by number.

    Columns: text, to, decision, From, year, notes. Rows repeat a recommendation once per
    recommending state. A file in which every decision is 'consider' carries no decision: those
    become 'unknown'. ``documents``: year -> document symbol (default: the manifest's).
    """
    if documents is None:
        from lawgraph.ingest.recs.manifest import upr_documents

        documents = upr_documents()
    p = Path(path)
    raw = p.read_bytes()
    sha = sha256_of(raw)
    rep = ReadReport(str(p))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
        rep.warnings.append(f"{p}: no es UTF-8; leído como Latin-1")
    mojibake = looks_mac_roman(text)
    if mojibake:
        text = repair_mac_roman(text)
        rep.warnings.append(f"{p}: codificación Mac Roman reparada (apóstrofos leídos como 'Õ')")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    need = {"text", "decision", "From", "year"}
    if not reader.fieldnames or not need <= set(reader.fieldnames):
        raise InputError(p, f"faltan columnas {sorted(need - set(reader.fieldnames or []))}")
    rows = []
    for row in reader:
        rows.append((reader.line_num, row))
    decisions = {(r.get("decision") or "").strip().lower() for _, r in rows}
    no_decisions = decisions <= {"consider", ""}
    merged: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for line_end, row in rows:
        cell = row.get("text") or ""
        m = g.UPR_NUMBER_RE.match(cell)
        if not m:
            rep.errors.append(RowError(line_end, f"sin número de recomendación: {cell[:60]!r}"))
            continue
        num = re.sub(r"\.\.+", ".", m.group("num"))
        try:
            year = int((row.get("year") or "").strip())
        except ValueError:
            rep.errors.append(RowError(line_end, f"año ilegible {row.get('year')!r}"))
            continue
        body, states = split_states(cell[m.end():])
        key = ids.upr_recommendation_id(year, num)
        if key not in merged:
            dec_raw = (row.get("decision") or "").strip().lower()
            decision = ("unknown" if no_decisions else
                        "supported" if dec_raw in ("support", "supported", "accepted") else
                        "noted" if dec_raw in ("noted", "rejected", "reject") else "unknown")
            merged[key] = {"num": num, "year": year, "text": fold_ws(body), "states": list(states),
                           "decision": decision, "line": line_end}
            order.append(key)
        frm = fold_ws(row.get("From") or "")
        if frm and not any(frm.lower() in s.lower() for s in merged[key]["states"]):
            merged[key]["states"].append(frm)
    for key in order:
        d = merged[key]
        if len(d["text"]) < MIN_TEXT_CHARS:
            rep.errors.append(RowError(d["line"], f"texto vacío o demasiado corto en {key}"))
            continue
        parent = d["num"].rsplit(".", 1)[0] if d["num"].count(".") == 2 else None
        rep.items.append(Recommendation(
            rec_id=key, body="UPR", document=documents.get(d["year"], f"UPR {d['year']}"),
            paragraph=d["num"], year=d["year"], language="en", text=d["text"],
            recommendation_part=d["text"], recommending_states=d["states"], decision=d["decision"],
            parent=f"UPR-{d['year']} #{parent}" if parent else None,
            source=TextSource(sha256=sha, file=p.name, row=d["line"]),
        ))
    return rep
