"""Measure the linker against hand-checked answers (recommendation and suggestion files).

Formats: ``../shared/eval/recommendation_links_dev.jsonl`` (``rec_id``, ``lang``, ``rec_text``,
optional ``rec_text_clean`` / ``chapeau``, ``targets`` [{law, article, fraction}], ``negative``,
``source.document``) and ``../shared/eval/suggestions_dev.jsonl`` (``sug_id``, ``date``, ``lang``,
``text``, ``landed`` {law, article, fraction, dof_date 'dd-mm-yyyy'} or null). The kind of file is
read from its rows.

Counting rules (issue 4):

- a recommendation is found at k when one of its targets is among the top k article-level
  candidates: same law and article, and, when the answer names a fracción, the candidate's
  best-matching unit is that fracción; MRR over the top 10 (0 when not found);
- negatives (no target) are left out of recall; ``negatives_above_threshold`` counts those whose
  best candidate reaches the candidate threshold of the item's language
  (``asks.candidate_threshold``, fitted by scripts/fit_candidates.py: what the recommendation
  page shows as a candidate), ``link.DEFAULT_THRESHOLD`` where none is fitted;
- a landed suggestion counts for ``landed_recall@5`` when its provision is in the top 5 and the
  linker's landed decision names that provision with the answer's DOF date (the decision names
  the first place the ask landed and the other provisions of the same decree that carry it);
  ``false_landed`` counts "not landed" suggestions the linker reports as landed.

Queries use the corpus's own Recommendation when the rec_id is ingested (its operative part,
chapeau and Spanish twin via ``pair_translations``), else the answer's text.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lawgraph.errors import InputError
from lawgraph.ids import normalise_article_label
from lawgraph.nlp import link as L

KS = (1, 5, 10)


def read_gold(path: str | Path) -> tuple[str, list[dict[str, Any]], list[str]]:
    """Rows of an answer file, its kind ('recommendations' | 'suggestions') and per-row errors."""
    p = Path(path)
    if not p.is_file():
        raise InputError(p, "no existe el archivo de respuestas")
    rows, errors = [], []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{p}:{n}: JSON inválido ({e.msg})")
            continue
        if not isinstance(d, dict) or not (("rec_id" in d and "rec_text" in d) or ("sug_id" in d and "text" in d)):
            errors.append(f"{p}:{n}: faltan rec_id/rec_text o sug_id/text")
            continue
        rows.append(d)
    if not rows:
        raise InputError(p, "el archivo no tiene filas válidas de respuestas")
    kind = "suggestions" if "sug_id" in rows[0] else "recommendations"
    return kind, rows, errors


def corpus_law_files(mirror: str | Path) -> list[Path]:
    """The corpus's federal law PDFs: the current set and the 2025-08 snapshot's static PDFs."""
    m = Path(mirror) / "laws"
    return sorted((m / "federal").glob("*.pdf")) + sorted((m / "federal_bajalabs_2025-08").glob("*_static.pdf"))


def _label(a: str | None) -> str | None:
    if a is None:
        return None
    try:
        return normalise_article_label(str(a)).lower()
    except Exception:  # noqa: BLE001 - an odd label is compared as written
        return " ".join(str(a).lower().split())


def _frac(f: str | None) -> str | None:
    return " ".join(str(f).upper().replace("-", " ").split()) if f else None


def matches(unit: L.ProvisionUnit, target: dict[str, Any]) -> bool:
    """Whether a candidate's best unit implements ``target`` under the counting rules above."""
    if unit.law_key.lower() != str(target.get("law", "")).lower():
        return False
    if _label(unit.article) != _label(target.get("article")):
        return False
    tf = _frac(target.get("fraction"))
    return tf is None or _frac(unit.fraction) == tf


def _source_of(row: dict[str, Any]) -> str:
    doc = (row.get("source") or {}).get("document")
    if doc:
        return doc
    rid = row.get("rec_id", "")
    return rid.split(" #")[0].split(" para")[0] if rid else "?"


def _parse_day(s: str | None) -> date | None:
    if not s:
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            pass
    return None


@dataclass
class _Acc:
    n: int = 0
    hits: dict[int, int] = None  # type: ignore[assignment]
    rr: float = 0.0

    def __post_init__(self):
        self.hits = {k: 0 for k in KS}

    def add(self, rank: int | None) -> None:
        self.n += 1
        for k in KS:
            if rank is not None and rank <= k:
                self.hits[k] += 1
        if rank is not None and rank <= 10:
            self.rr += 1.0 / rank

    def out(self) -> dict[str, Any]:
        d: dict[str, Any] = {"n": self.n}
        for k in KS:
            d[f"recall@{k}"] = round(self.hits[k] / self.n, 3) if self.n else None
        d["mrr"] = round(self.rr / self.n, 3) if self.n else None
        return d


def _shown_threshold(lang: str | None) -> float:
    """The score from which a recommendation's candidate is shown (see module doc)."""
    from lawgraph.nlp.asks import candidate_threshold

    t = candidate_threshold(lang or "es")
    return L.DEFAULT_THRESHOLD if t is None else t


def _rank(index: L.LinkIndex, cands, targets) -> int | None:
    by_uid = {u.uid: u for u in index.units}
    for r, c in enumerate(cands, 1):
        if any(matches(by_uid[c.to_id], t) for t in targets):
            return r
    return None


def queries_for(rows: list[dict[str, Any]], kind: str, recs: list | None = None) -> list[L.Query]:
    """Queries from answer rows: the ingested Recommendation when known (see module doc)."""
    out = []
    if kind == "suggestions":
        for d in rows:
            out.append(L.Query(d["sug_id"], d.get("lang") or "es", d.get("text") or "", kind="sug",
                               day=_parse_day(d.get("date")),
                               law_hint=d.get("target_law_key") or None))
        return out
    by_id, twins = {}, {}
    if recs:
        from lawgraph.ingest.recommendations import spanish_twins

        by_id = {r.rec_id: r for r in recs}
        twins = spanish_twins(recs)
    for d in rows:
        r = by_id.get(d["rec_id"])
        if r is not None:
            out.append(L.Query(r.rec_id, r.language, r.link_text(), twin=twins.get(r.rec_id)))
        else:
            text = d.get("rec_text_clean") or d.get("rec_text") or ""
            if d.get("chapeau"):
                text = f"{d['chapeau']} {text}"
            out.append(L.Query(d["rec_id"], d.get("lang") or "", text))
    return out


def evaluate(index: L.LinkIndex, gold_path: str | Path, recs: list | None = None,
             k: int = 10) -> dict[str, Any]:
    """All figures for one answer file (see module doc)."""
    kind, rows, errors = read_gold(gold_path)
    queries = queries_for(rows, kind, recs)
    batch = L.link_many(index, queries, k=max(k, 10))
    errors += [f"{e.item_id}: {e.message}" for e in batch.errors]
    by_lang: dict[str, _Acc] = defaultdict(_Acc)
    by_source: dict[str, _Acc] = defaultdict(_Acc)
    overall = _Acc()
    negatives = {"n": 0, "above_threshold": 0, "ids_above": []}
    shown = {lang: _shown_threshold(lang) for lang in ("es", "en")}   # any other language: Spanish's
    items = []
    landed = {"tp": 0, "fn": 0, "fp": 0, "tn": 0, "landed_n": 0, "landed_hit@5": 0, "provision@5": 0}
    for d, q in zip(rows, queries, strict=True):
        cands = batch.candidates.get(q.item_id)
        if cands is None:
            continue
        if kind == "recommendations":
            targets = d.get("targets") or []
            if not targets:
                negatives["n"] += 1
                if cands and cands[0].score >= shown.get(q.lang, shown["es"]):
                    negatives["above_threshold"] += 1
                    negatives["ids_above"].append(q.item_id)
                continue
            rank = _rank(index, cands, targets)
            overall.add(rank)
            by_lang[q.lang].add(rank)
            by_source[_source_of(d)].add(rank)
            items.append({"id": q.item_id, "lang": q.lang, "rank": rank,
                          "top": [c.to_id for c in cands[:3]]})
        else:
            dec = batch.landed[q.item_id]
            gl = d.get("landed")
            if gl:
                rank = _rank(index, cands, [gl])
                overall.add(rank)
                by_lang[q.lang].add(rank)
                by_source["suggestions"].add(rank)
                landed["landed_n"] += 1
                ok_prov = rank is not None and rank <= 5
                landed["provision@5"] += ok_prov
                gdate = _parse_day(gl.get("dof_date"))
                by_uid = {u.uid: u for u in index.units}
                # the answer's provision among the places the linker says the ask landed
                ok = ok_prov and any(site.to_id in by_uid and matches(by_uid[site.to_id], gl)
                                     and site.dof_date == gdate for site in dec.sites())
                landed["landed_hit@5"] += ok
                landed["tp" if dec.landed else "fn"] += 1
            else:
                rank = None
                landed["fp" if dec.landed else "tn"] += 1
            items.append({"id": q.item_id, "rank": rank, "landed": dec.landed, "to": dec.to_id,
                          "also": [site.to_id for site in dec.also],
                          "date": dec.dof_date.isoformat() if dec.dof_date else None,
                          "gold_landed": bool(gl), "top": [c.to_id for c in cands[:3]],
                          "why_not": dec.reasons[:3] if not dec.landed else []})
    out: dict[str, Any] = {
        "file": str(gold_path), "kind": kind, "overall": overall.out(),
        "by_language": {lang: a.out() for lang, a in sorted(by_lang.items())},
        "by_source": {s: a.out() for s, a in sorted(by_source.items())},
        "threshold": shown, "errors": errors, "items": items,
    }
    if kind == "recommendations":
        out["negatives"] = negatives
    else:
        n = landed["landed_n"]
        out["landed_recall@5"] = round(landed["landed_hit@5"] / n, 3) if n else None
        out["provision_recall@5"] = round(landed["provision@5"] / n, 3) if n else None
        out["false_landed"] = landed["fp"]
        out["confusion"] = {k2: landed[k2] for k2 in ("tp", "fn", "fp", "tn")}
    return out


def format_report(r: dict[str, Any]) -> str:
    """Spanish summary for the terminal."""
    lines = [f"Respuestas: {r['file']} ({'sugerencias' if r['kind'] == 'suggestions' else 'recomendaciones'})"]

    def row(name: str, a: dict[str, Any]) -> str:
        return (f"  {name:<28} n={a['n']:<3} r@1={a['recall@1']}  r@5={a['recall@5']}  "
                f"r@10={a['recall@10']}  MRR={a['mrr']}")

    lines.append(row("total", r["overall"]))
    lines.append("Por idioma:")
    lines += [row(k, v) for k, v in r["by_language"].items()]
    lines.append("Por fuente:")
    lines += [row(k, v) for k, v in r["by_source"].items()]
    if "negatives" in r:
        ng = r["negatives"]
        shown = ", ".join(f"{k} {v}" for k, v in r["threshold"].items())
        lines.append(f"Negativos (sin disposición que los cumpla): {ng['n']}; con candidato mostrado "
                     f"(umbral {shown}): {ng['above_threshold']}")
    if "confusion" in r:
        c = r["confusion"]
        lines.append(f"Aterrizadas con disposición en el top 5 y fecha del decreto correcta: {r['landed_recall@5']}"
                     f" (disposición en el top 5: {r['provision_recall@5']})")
        lines.append(f"Confusión aterrizó / no aterrizó: VP={c['tp']} FN={c['fn']} FP={c['fp']} VN={c['tn']}; "
                     f"falsas aterrizadas: {r['false_landed']}")
    for e in r["errors"]:
        lines.append(f"Error: {e}")
    return "\n".join(lines)
