"""A suggestion as people see it (web page, ``/api/suggestion``, ``lawgraph suggest show``):
the graph's typed view (:func:`lawgraph.graph.views.suggestion`) with the initiatives narrowed to
those that took the ask up.

The graph lists every initiative presented after the suggestion on an article linked to it;
only those whose synopsis (or title, when the record has none) shares the ask's subject are kept
(:func:`lawgraph.nlp.asks.takes_up`, threshold fitted by ``scripts/fit_subject.py``), each with
the link to its page (``/propuestas/<id>``) and no id in the words shown. How many were left out is counted.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from lawgraph.graph.views import suggestion
from lawgraph.model.process import CHAMBER_ES
from lawgraph.model.views import SuggestionView
from lawgraph.nlp.asks import subject_similarity, subject_threshold

def suggestion_page(store: Any, sug_id: str) -> SuggestionView | None:
    """The suggestion's view with ``initiatives`` narrowed to those that share its subject
    (``initiatives_left_out``: how many on the same articles did not)."""
    view = suggestion(store, sug_id)
    if view is None:
        return None
    t = subject_threshold()
    kept, seen = [], set()
    for p in view.initiatives:
        if p.id in seen:
            continue
        seen.add(p.id)
        sim = subject_similarity(view.text or "", p.synopsis or p.title or "")
        if t is not None and sim >= t:
            kept.append(p.model_copy(update={
                "similarity": round(sim, 3), "href": "/propuestas" + quote(p.id, safe="/"),
                "chamber_es": CHAMBER_ES.get(p.chamber or "", p.chamber or "")}))
    return view.model_copy(update={"initiatives": kept, "initiatives_left_out": len(seen) - len(kept)})
