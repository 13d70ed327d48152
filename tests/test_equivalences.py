"""The pure parts of equivalent provisions: calibration and aligned evidence spans.

The commands (compare, coverage, eval equivalences, their pages) read the graph and are tested
in tests/test_comparison_graph.py.
"""
from __future__ import annotations

from lawgraph.comparison import element_score
from lawgraph.nlp.equivalence import THRESHOLD, EquivalenceIndex, Provision, aligned_spans, article_pairs, calibrated


def test_calibration_and_aligned_spans():
    assert calibrated(0.9) > THRESHOLD > calibrated(0.2)
    q = "Comete el delito de feminicidio quien prive de la vida a una mujer por razones de género."
    t = "Artículo 147 Bis. Comete el delito de feminicidio quien prive de la vida a una mujer por una razón de género."
    spans = aligned_spans(q, t)
    assert spans and t[spans[0]["start"]:spans[0]["end"]] == spans[0]["text"]
    assert "feminicidio" in spans[0]["text"]


def _prov(juris: str, article: str, text: str) -> Provision:
    return Provision(juris, f"{juris}-ley", f"{juris}.pdf", article, None, text, 1, 0, len(text), "0" * 64,
                     "2024-01-01", (), f"/{juris}/ley/{juris}-ley@2024-01-01/art_{article}")


def test_article_pairs_keep_one_pair_per_couple_above_the_threshold():
    # texts written for this test: two jurisdictions, one shared provision, unrelated others
    shared = "Las órdenes de protección son personalísimas e intransferibles y se otorgan de inmediato a la víctima"
    index = EquivalenceIndex([
        _prov("mx", "27", shared + " por la autoridad competente."),
        _prov("mx", "5", "El archivo general conserva los expedientes del registro civil durante diez años."),
        _prov("mx-dgo", "30", shared + " por el ministerio público."),
        _prov("mx-dgo", "2", "La tesorería publica cada trimestre el estado de las finanzas municipales."),
    ])
    pairs = article_pairs(index, {"mx", "mx-dgo"})
    assert [(p.query.article, p.target.article) for p in pairs] in ([("27", "30")], [("30", "27")])
    assert pairs[0].probability >= THRESHOLD and pairs[0].evidence_to and pairs[0].evidence_from


def test_element_calibration_is_its_own():
    # fitted on element pairs (scripts/fit_element_threshold.py): a cosine the provision-level
    # calibration leaves apart can still join two elements
    assert element_score(0.5) >= THRESHOLD > calibrated(0.5)
