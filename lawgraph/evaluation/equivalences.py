"""Score equivalent-provision answers against ``../shared/eval/equivalences_dev.jsonl``.

An item names a federal provision (file, article, fracción) and, per state, the target
articles (file, article, fracción) or that the state lacks it (``absent_in``); states whose law
is not in the corpus (``not_in_corpus``) are left out. Metrics:

* ``found@k``: share of items with targets where, for every state with targets, one of them is
  among that state's first k candidates (a target article without fracción is found by the
  article or any of its fracciones);
* ``absent_correct``: share of (item, absent state) pairs whose answer is "none" (no
  candidate reaches the calibrated threshold).
"""
from __future__ import annotations

import json
from pathlib import Path

from lawgraph.ids import normalise_article_label
from lawgraph.model.law import ParsedLaw
from lawgraph.nlp.equivalence import EquivalenceIndex, answer

# The answers name states by name; the graph by jurisdiction code.
STATE_CODES = {"durango": "mx-dgo", "chihuahua": "mx-chh", "federal": "mx"}


def load_items(path: str | Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def query_text(parsed: ParsedLaw, article: str, fraction: str | None) -> str | None:
    art = parsed.article(normalise_article_label(article))
    if art is None:
        return None
    if not fraction:
        return art.full_text()
    for f in art.fracciones():
        if f.label == fraction:
            return f.full_text()
    return None


def _matches(cand: dict, target: dict) -> bool:
    if not cand["file"].endswith(target["file"]):
        return False
    if cand["article"] != normalise_article_label(target["article"]):
        return False
    return not target.get("fraction") or cand["fraction"] == target["fraction"]


def evaluate(items: list[dict], index: EquivalenceIndex, parse, ks: tuple[int, ...] = (1, 3)) -> dict:
    """``parse(relative corpus path) -> ParsedLaw``. Returns the metrics and per-item results."""
    per_item = []
    found = {k: 0 for k in ks}
    with_targets = 0
    absent_total = absent_ok = 0
    for it in items:
        q = it["query"]
        text = query_text(parse(q["file"]), q["article"], q.get("fraction"))
        skip = {STATE_CODES.get(s, s) for s in it.get("not_in_corpus", [])}
        by_state: dict[str, list[dict]] = {}
        for t in it["targets"]:
            by_state.setdefault(STATE_CODES.get(t["jurisdiction"], t["jurisdiction"]), []).append(t)
        absent = [STATE_CODES.get(s, s) for s in it.get("absent_in", []) if STATE_CODES.get(s, s) not in skip]
        res = {"id": it["id"], "query": f"{q['law']} art. {q['article']}" + (f" fr. {q['fraction']}" if q.get("fraction") else "")}
        if text is None:
            res["error"] = "disposición de la consulta no encontrada en el documento"
            per_item.append(res)
            continue
        states = sorted(set(by_state) | set(absent))
        got = answer(index, text, states, k=max(ks))
        ranks = {}
        for st, targets in by_state.items():
            cands = got[st]["candidates"]
            rank = next((i + 1 for i, c in enumerate(cands) if any(_matches(c, t) for t in targets)), None)
            ranks[st] = rank
        if by_state:
            with_targets += 1
            for k in ks:
                if all(r is not None and r <= k for r in ranks.values()):
                    found[k] += 1
        for st in absent:
            absent_total += 1
            absent_ok += got[st]["verdict"] == "none"
        res.update({"ranks": ranks, "absent": {st: got[st]["verdict"] for st in absent},
                    "answers": {st: {"verdict": got[st]["verdict"],
                                     "top": [{k_: c[k_] for k_ in ("article", "fraction", "score", "file")}
                                             for c in got[st]["candidates"][:3]]} for st in states}})
        per_item.append(res)
    metrics = {f"found@{k}": round(found[k] / with_targets, 4) if with_targets else None for k in ks}
    metrics["absent_correct"] = round(absent_ok / absent_total, 4) if absent_total else None
    metrics.update({"items": len(items), "items_with_targets": with_targets, "absent_pairs": absent_total})
    return {"metrics": metrics, "items": per_item}
