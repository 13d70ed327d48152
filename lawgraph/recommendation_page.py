"""A recommendation as people see it (web page, ``lawgraph recs show``): the graph's typed view
(:func:`lawgraph.graph.views.recommendation`) with whether the paragraph asks something
(:func:`lawgraph.nlp.asks.recommendation_asks`) and how many of its candidates reach the fitted
score (:func:`lawgraph.nlp.asks.candidate_threshold`), with the Spanish sentence that says so
when none does; an English recommendation also gets a machine translation to read
(:mod:`lawgraph.nlp.translate`), marked as one.
"""
from __future__ import annotations

from typing import Any

from lawgraph.graph.views import recommendation
from lawgraph.model.recs import Recommendation, TextSource
from lawgraph.model.views import RecommendationView
from lawgraph.nlp.asks import candidate_threshold, recommendation_asks

NOT_AN_ASK = "No pide una reforma concreta: el párrafo no contiene una petición al Estado, así que no tiene candidatos."
MACHINE_TRANSLATION = ("Traducción automática (Apertium), sólo para orientarse: el texto que vale es el original "
                       "en inglés. El enlazador busca con esta traducción.")


def candidate_note(asks: bool, above_threshold: int, threshold: float | None) -> str | None:
    """The sentence the page and the CLI print about the candidates (None: there are some)."""
    if not asks:
        return NOT_AN_ASK
    if above_threshold == 0 and threshold is not None:
        return (f"Ningún artículo supera el umbral de confianza (puntuación {threshold:.2f}): "
                "no hay una disposición que el enlazador pueda proponer con seguridad.")
    return None


def recommendation_page(store: Any, rec_id: str) -> RecommendationView | None:
    """The recommendation's view with ``asks``, ``ask_cue``, ``threshold``, ``above_threshold``
    (unreviewed candidates reaching it; reviewed links always count) and ``candidate_note``."""
    view = recommendation(store, rec_id)
    if view is None:
        return None
    rec = Recommendation(rec_id=rec_id, body=view.body or "", document=view.document or "",
                         paragraph=str(view.paragraph or ""), subparagraph=view.subparagraph,
                         language=view.language or "es", text=view.text or "",
                         recommendation_part=view.recommendation_part, chapeau=view.chapeau,
                         source=TextSource(sha256="", file=view.file or ""))
    verdict = recommendation_asks(rec)
    t = candidate_threshold(view.language or "es")
    above = sum(1 for lk in view.links if (lk.target_label or "Provision") == "Provision"
                and (lk.status != "suggested" or t is None or (lk.score or 0) >= t))
    spanish = _spanish_reading(view.text) if view.language == "en" and view.text else None
    return view.model_copy(update={"asks": verdict.ask, "ask_cue": verdict.cue, "threshold": t,
                                   "above_threshold": above,
                                   "candidate_note": candidate_note(verdict.ask, above, t),
                                   "text_es": spanish, "text_es_note": MACHINE_TRANSLATION if spanish else None})


def _spanish_reading(text: str) -> str | None:
    """Apertium's Spanish of an English recommendation (None without the translator, or when it
    fails: the page then shows the English alone)."""
    from lawgraph.nlp.translate import TranslationError, translate_en_es

    try:
        return translate_en_es([text])[0]
    except TranslationError:
        return None
