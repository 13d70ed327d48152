"""A recommendation as people see it (web page, ``lawgraph rec show``): the graph's view
(:func:`lawgraph.graph.links.recommendation_view`) with whether the paragraph asks something
(:func:`lawgraph.nlp.asks.recommendation_asks`) and how many of its candidates reach the fitted
score (:func:`lawgraph.nlp.asks.candidate_threshold`), with the Spanish sentence that says so
when none does.
"""
from __future__ import annotations

from typing import Any

from lawgraph.graph.links import recommendation_view
from lawgraph.model.recs import Recommendation, TextSource
from lawgraph.nlp.asks import candidate_threshold, recommendation_asks

NOT_AN_ASK = "No pide una reforma concreta: el párrafo no contiene una petición al Estado, así que no tiene candidatos."


def candidate_note(view: dict[str, Any]) -> str | None:
    """The sentence the page and the CLI print about the candidates (None: there are some)."""
    if not view["asks"]:
        return NOT_AN_ASK
    if view["above_threshold"] == 0 and view["threshold"] is not None:
        return (f"Ningún artículo supera el umbral de confianza (puntuación {view['threshold']:.2f}): "
                "no hay una disposición que el enlazador pueda proponer con seguridad.")
    return None


def recommendation_page(store: Any, rec_id: str) -> dict[str, Any] | None:
    """The recommendation's view plus ``asks``, ``ask_cue``, ``threshold``, ``above_threshold``
    (unreviewed candidates reaching it; reviewed links always count) and ``candidate_note``."""
    view = recommendation_view(store, rec_id)
    if view is None:
        return None
    rec = Recommendation(rec_id=rec_id, body=view.get("body") or "", document=view.get("document") or "",
                         paragraph=str(view.get("paragraph") or ""), subparagraph=view.get("subparagraph"),
                         language=view.get("language") or "es", text=view.get("text") or "",
                         recommendation_part=view.get("recommendation_part"), chapeau=view.get("chapeau"),
                         source=TextSource(sha256="", file=view.get("file") or ""))
    verdict = recommendation_asks(rec)
    t = candidate_threshold()
    view["asks"], view["ask_cue"], view["threshold"] = verdict.ask, verdict.cue, t
    view["above_threshold"] = sum(1 for lk in view["links"] if lk.get("target_label", "Provision") == "Provision"
                                  and (lk["status"] != "suggested" or t is None or (lk.get("score") or 0) >= t))
    view["candidate_note"] = candidate_note(view)
    return view
