"""A weak check of the recommendation path in the recommendations' own genre: do the Spanish
recommendations that CLADEM's thematic index files under a theme get an article of the law
whose declared object is that theme?

The theme -> law rows (``theme_laws.jsonl`` beside this module) are general, each with its
reason; the Constitution is in no row (it speaks to every theme) and is counted on its own: how
often it comes first. The recommendations are split by a stable hash of their id into a half
to choose on and a half to check. Used by ``scripts/measure_theme_laws.py`` (docs/linking.md,
"The anchors seen from the recommendations' side")."""
from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

THEME_FILE = Path(__file__).resolve().parent / "theme_laws.jsonl"


def read_theme_rows(path: Path = THEME_FILE) -> list[dict[str, Any]]:
    """The rows as written: ``theme``, ``laws`` (catalogue keys, lower case), ``why``."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_theme_laws(path: Path = THEME_FILE) -> dict[str, set[str]]:
    """Theme -> the laws whose declared object it is."""
    return {r["theme"]: set(r["laws"]) for r in read_theme_rows(path)}


def half(rec_id: str) -> str:
    """'choose' or 'check', by a stable hash of the recommendation's id."""
    return "choose" if zlib.crc32(rec_id.encode()) % 2 == 0 else "check"


def theme_figures(index: Any, recs: list, themes: dict[str, set[str]]) -> dict[str, dict[str, float]]:
    """Per half: the share of ``recs`` whose first candidate / top five holds an article of one
    of their themes' laws, and whose first candidate is constitutional (the linker as shipped
    for recommendations, under ``index.weights``)."""
    from lawgraph.nlp import link as L

    by_uid = {u.uid: u for u in index.units}
    out: dict[str, list[int]] = {"choose": [0, 0, 0, 0], "check": [0, 0, 0, 0]}
    for r in recs:
        want = set().union(*(themes[t] for t in r.themes if t in themes))
        laws = [by_uid[c.to_id].law_key.lower() for c in L.link_recommendation(index, r)]
        row = out[half(r.rec_id)]
        row[0] += 1
        row[1] += bool(laws[:1] and laws[0] in want)
        row[2] += bool(set(laws[:5]) & want)
        row[3] += laws[:1] == ["cpeum"]
    return {h: {"n": n, "theme_law_first": round(a / n, 3), "theme_law_in_top5": round(b / n, 3),
                "constitution_first": round(c / n, 3)} for h, (n, a, b, c) in out.items() if n}
