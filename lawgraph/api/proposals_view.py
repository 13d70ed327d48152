"""Proposals and decrees as pages show them: Spanish stage and chamber names, titles shortened at
a word boundary, and the geometry of a proposal's timeline (drawn as inline SVG by the template,
no script). Reads through :mod:`lawgraph.graph.process` and :mod:`lawgraph.graph.decrees` only.
"""
from __future__ import annotations

import json
from typing import Any

from lawgraph.graph import decrees as gdecrees
from lawgraph.graph import process as gprocess
from lawgraph.graph.store import GraphStore
from lawgraph.model.process import CHAMBER_ES
from lawgraph.model.views import ProposalRow

# Every Stage value of lawgraph.model.process in Spanish words (a test checks none is missing).
STAGE_ES = {
    "presentada": "Presentada", "publicada_gaceta": "Publicada en la Gaceta",
    "turnada_comision": "Turnada a comisión", "dictaminada": "Dictaminada",
    "aprobada_origen": "Aprobada en la cámara de origen", "enviada_revisora": "En la cámara revisora",
    "aprobada_revisora": "Aprobada en la cámara revisora", "devuelta_origen": "Devuelta a la cámara de origen",
    "enviada_ejecutivo": "Enviada al Ejecutivo", "aprobada_legislaturas": "Aprobada por legislaturas estatales",
    "declaratoria": "Declaratoria de reforma constitucional",
    "aprobada_congreso_estatal": "Aprobada por el congreso estatal", "publicada_dof": "Publicada en el DOF",
    "publicada_periodico_oficial": "Publicada en el Periódico Oficial", "retirada": "Retirada",
    "desechada": "Desechada", "precluida": "Precluida",
}
KIND_ES = {"iniciativa": "Iniciativa", "minuta": "Minuta", "dictamen": "Dictamen",
           "proposicion": "Proposición con punto de acuerdo"}
OP_ES = {"reforma": "reforma", "adiciona": "adiciona", "deroga": "deroga", "renumera": "renumera",
         "recorre": "recorre", "expide": "expide", "abroga": "abroga"}
JURISDICTION_ES = {"mx": "Federal"}

#: Characters of a title in a list row: two lines of the list's column at the stylesheet's width
#: (stated reason: a row stays two lines high; the full title is on hover and on its page).
TITLE_CHARS = 220


def shorten(text: str, limit: int = TITLE_CHARS) -> str:
    """``text`` cut at the last word boundary before ``limit`` with an ellipsis; never mid-word."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1]
    cut = cut[:cut.rfind(" ")] if " " in cut else text[:limit]
    return cut.rstrip(" ,;:.-") + "…"


def stage_es(stage: str | None) -> str:
    return STAGE_ES.get(stage or "", "Sin etapa registrada")


def jurisdiction_es(j: str | None) -> str:
    if not j:
        return "—"
    return JURISDICTION_ES.get(j, "Estatal (" + j.split("-", 1)[-1].upper() + ")")


def list_rows(rows: list[dict[str, Any]]) -> list[ProposalRow]:
    """Rows of ``list_proposals``, typed, with Spanish labels and a short title (full title kept)."""
    return [ProposalRow(**{k: v for k, v in r.items() if v is not None},
                        short_title=shorten(r["title"]), stage_es=stage_es(r.get("stage")),
                        chamber_es=CHAMBER_ES.get(r.get("chamber") or "", "—"), kind_es=KIND_ES.get(r.get("kind") or "", "—"),
                        chambers_es=[CHAMBER_ES.get(c, c) for c in r.get("chambers") or []],
                        jurisdictions_es=[jurisdiction_es(j) for j in r.get("jurisdictions") or []])
            for r in rows]


# Timeline geometry (px): one row per event, a dot on a vertical line; wide enough for the
# stage name and date (stated reason: the page column is 60 em wide in estilo.css).
ROW_H, TOP, DOT_X, TEXT_X, WIDTH = 34, 18, 24, 44, 640


def timeline(events: list[dict[str, Any]]) -> dict[str, Any]:
    """Rows to draw: y, stage in Spanish, date, chamber, detail, source (file, sha256, line or record)."""
    rows = []
    for i, e in enumerate(events):
        rows.append({"y": TOP + i * ROW_H, "stage_es": stage_es(e.get("stage")), "date": e.get("date"),
                     "chamber_es": CHAMBER_ES.get(e.get("chamber") or "", ""), "detail": e.get("detail"),
                     "file": e.get("file"), "sha256": e.get("sha256"), "line": e.get("line"),
                     "record": e.get("record"), "final": e.get("stage") in ("publicada_dof", "desechada", "retirada")})
    return {"rows": rows, "height": TOP * 2 + max(0, len(rows) - 1) * ROW_H, "width": WIDTH,
            "dot_x": DOT_X, "text_x": TEXT_X}


def proposal_page(store: GraphStore, proposal_id: str) -> dict[str, Any] | None:
    """Everything the proposal page shows; None when the id is unknown."""
    p = gprocess.proposal_timeline(store, proposal_id)
    if p is None:
        return None
    targets = []
    for t in p.get("targets", []):
        key = (t.get("law_key") or "").lower()
        targets.append({"law": (t.get("law_key") or "").upper() or t.get("law_raw") or "ley no identificada",
                        "law_key": key, "ops": [OP_ES.get(o, o) for o in t.get("ops") or []],
                        "articles": list(t.get("articles") or []), "jurisdiction_es": jurisdiction_es(t.get("jurisdiction"))})
    chambers = [e.get("chamber") for e in p["events"] if e.get("chamber")]
    origin = p.get("chamber")
    revisora = next((c for c in chambers if c in ("diputados", "senado") and c != origin), None)
    return {"proposal": {**p, "stage_es": stage_es(p.get("stage")), "kind_es": KIND_ES.get(p.get("kind") or "", "—"),
                         "chamber_es": CHAMBER_ES.get(origin or "", "—"),
                         "revisora_es": CHAMBER_ES.get(revisora or "", None),
                         "sources": json.loads(p.get("sources") or "[]")},
            "proponents": p.get("proponents", []),
            "committees": p.get("committees", []),
            "targets": targets, "timeline": timeline(p["events"]),
            "decrees": gprocess.proposal_decrees(store, p)}


def decree_page(store: GraphStore, decree_id: str) -> dict[str, Any] | None:
    """The decree page: what it changed by law and article, before and after, with sources."""
    v = gdecrees.decree_view(store, decree_id)
    if v is None:
        return None
    for law in v["laws"]:
        for a in law["articles"]:
            a["ops_es"] = sorted({OP_ES.get(o["op"], o["op"]) for o in a["ops"]})
    return v
