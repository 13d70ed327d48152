"""Past initiatives as anchors (``lawgraph.nlp.link_anchor``): who votes, for what, how much;
and the signal off, not a crash, when the initiatives cannot be read."""
from __future__ import annotations

import logging
from datetime import date
from types import SimpleNamespace

import numpy as np
import pytest

from lawgraph.evaluation.silver import SilverAsk
from lawgraph.nlp import link_anchor as A
from lawgraph.nlp.link_query import Query
from tests.session_cache import link_cache  # noqa: F401  (session fixture)


def _unit(law: str, article: str) -> SimpleNamespace:
    return SimpleNamespace(law_key=law, article=article)


# Four units: two of article 6 (two versions), one of article 21, one of article 325 of another law.
UNITS = [_unit("LGAMVLV", "6"), _unit("LGAMVLV", "6"), _unit("LGAMVLV", "21"), _unit("CPF", "325")]


def _ask(ask_id: str, text: str, *targets: tuple[str, str]) -> SilverAsk:
    return SilverAsk(ask_id, text, date(2025, 1, 1), [{"law": law, "article": art} for law, art in targets],
                     title=f"Iniciativa {ask_id}")


ASKS = [
    _ask("A", "Reconocer la violencia vicaria como un tipo de violencia contra las mujeres", ("lgamvlv", "6")),
    _ask("B", "Sancionar la violencia vicaria ejercida por medio de hijas e hijos", ("lgamvlv", "6"), ("cpf", "325")),
    _ask("C", "Establecer la alerta de violencia de género en los municipios", ("lgamvlv", "21")),
    _ask("D", "Regular el horario de los mercados públicos", ("lgamvlv", "99")),   # no unit: votes for nothing
]


def _index() -> A.AnchorIndex:
    return A.build_anchor_index(UNITS, ASKS, k1=1.2, b=0.75)


def test_nearest_initiatives_vote_for_the_articles_they_named():
    ai = _index()
    assert [len(r) for r in ai.rows] == [2, 3, 1, 0]      # both versions of art. 6; art. 6 + art. 325
    q = Query("REC-1", "es", "Tipificar y sancionar la violencia vicaria contra las madres", kind="rec")
    s = A.anchor_scores(ai, q, top=20)
    assert s.dtype == np.float32 and s.shape == (4,)
    assert s.max() == 1.0                                 # divided by the largest vote
    assert s[0] == s[1] == 1.0                            # every version of the article
    assert 0 < s[2] < s[3] < 1                            # art. 325: B alone; art. 21: C, one shared word
    # only the nearest initiative (B) votes when top is 1: art. 6 (both versions) and art. 325
    assert set(np.flatnonzero(A.anchor_scores(ai, q, top=1))) == {0, 1, 3}


def test_the_voters_law_prior_can_be_taken_out():
    ai = _index()
    # A, B and C name LGAMVLV articles (3 of 4 voting asks), B also CPF 325 (1 of 4); D names none
    assert ai.law_share.tolist() == [0.75, 0.75, 0.75, 0.25]
    q = Query("REC-1", "es", "Tipificar y sancionar la violencia vicaria contra las madres", kind="rec")
    plain, taken_out = A.anchor_scores(ai, q, top=20), A.anchor_scores(ai, q, top=20, law_alpha=1.0)
    assert plain[3] < plain[0] and taken_out[3] > taken_out[0]   # B's vote for the rarer law now counts more
    assert np.isclose(taken_out[3] / taken_out[0], (plain[3] / 0.25) / (plain[0] / 0.75))
    assert taken_out.max() == 1.0


def test_no_shared_term_means_no_vote():
    s = A.anchor_scores(_index(), Query("REC-2", "es", "Presupuesto de egresos del ejercicio fiscal", kind="rec"), top=20)
    assert not s.any()


def test_an_ask_does_not_vote_for_itself_nor_for_its_re_presentation():
    ai = _index()
    other = Query("Y", "es", "Reconocer la violencia vicaria como violencia contra las mujeres y niñas", kind="rec")
    assert A.anchor_scores(ai, other, top=1)[3] == 0      # a reworded ask: A is its nearest, art. 6 only
    own = Query("A", "es", ASKS[0].query, kind="rec")
    assert A.anchor_scores(ai, own, top=1)[3] > 0         # A is left out: the nearest is B (art. 325)
    twin = Query("X", "es", ASKS[0].query + ".", kind="rec")   # another id, the same words
    assert A.anchor_scores(ai, twin, top=1)[3] > 0


def test_the_signal_is_off_when_the_initiatives_cannot_be_read(tmp_path, caplog):
    index = SimpleNamespace(stats={}, units=[], weights=SimpleNamespace(k1=1.2, b=0.75), cache_dir=tmp_path / "cache")
    with caplog.at_level(logging.WARNING, logger="lawgraph.nlp.link_anchor"):
        assert A.attach_anchors(index, tmp_path / "no-such-mirror") is None
    assert "anclas" in caplog.text
    assert index.stats["_anchors"] is None                # said once: not retried on every query
    assert A.attach_anchors(index) is None
    assert not (tmp_path / "cache").exists()            # nothing kept for a table that was not made


# --------------------------------------------------------------------------------------------
# On the corpus: the recommendation path with the shipped weights
@pytest.fixture(scope="module")
def corpus_index(corpora, link_cache):
    from lawgraph.evaluation.links import corpus_law_files
    from lawgraph.nlp import link as L

    return L.build_index(corpus_law_files(corpora), cache_dir=link_cache)


def test_a_recommendations_candidates_name_the_initiatives_that_voted(corpus_index, corpora):
    from lawgraph.evaluation import silver as S
    from lawgraph.ingest.recommendations import load_corpus_recommendations
    from lawgraph.nlp import link as L
    from lawgraph.nlp.link_score import REC_WEIGHTS

    assert REC_WEIGHTS.w_anchor > 0                       # fitted on (scripts/fit_linker.py stage 3)
    ai = A.attach_anchors(corpus_index, corpora)
    splits = S.read_split_file()
    assert ai is not None and ai.ids and all(splits[i] == A.ANCHOR_SPLIT for i in ai.ids)
    rec = next(r for r in load_corpus_recommendations(corpora)
               if r.body == "CEDAW" and r.language == "es" and "feminicidio" in r.text.lower())
    cands = L.link_recommendation(corpus_index, rec)
    voted = [c for c in cands if c.anchors]
    assert voted and all("anchor" in c.method for c in voted)
    by_uid = {u.uid: i for i, u in enumerate(corpus_index.units)}
    for c in voted:
        assert len(c.anchors) <= 3 and all(a["id"] in ai.ids and a["title"] and a["date"] for a in c.anchors)
        row = by_uid[c.to_id]
        # every initiative listed named the candidate's article
        assert all(row in ai.rows[ai.ids.index(a["id"])] for a in c.anchors)


def test_the_table_is_kept_on_disk_and_a_broken_file_is_rebuilt(corpus_index, corpora, link_cache):
    from dataclasses import replace

    first = A.attach_anchors(corpus_index, corpora)
    kept = link_cache / "link_anchor" / f"{A._anchor_key(corpus_index.units, corpora, A.ANCHOR_K1, A.ANCHOR_B)}.pkl"
    assert first is not None and kept.is_file()
    # a new index over the same units reads the table from disk: the same voters, the same rows
    again = A.attach_anchors(replace(corpus_index, stats={}), corpora)
    assert again is not first and again.ids == first.ids
    assert all(np.array_equal(x, y) for x, y in zip(again.rows, first.rows))
    kept.write_bytes(b"not a pickle")
    rebuilt = A.attach_anchors(replace(corpus_index, stats={}), corpora)
    assert rebuilt.ids == first.ids
    assert kept.read_bytes() != b"not a pickle"


def test_the_tables_key_follows_the_units_facts_and_the_initiatives(tmp_path):
    sitl = tmp_path / "process" / "sitl_diputados_lxvi"
    sitl.mkdir(parents=True)
    (sitl / "records.jsonl").write_text('{"titulo": "uno"}\n', encoding="utf-8")
    unit = SimpleNamespace(uid="u1", law_key="LGAMVLV", article="6", fraction=None, version_date="2024-01-17",
                           notes=[])
    key = A._anchor_key([unit], tmp_path, 1.2, 0.75)
    assert key == A._anchor_key([unit], tmp_path, 1.2, 0.75)
    noted = SimpleNamespace(**{**vars(unit), "notes": [(date(2024, 1, 17), "Artículo adicionado DOF 17-01-2024", "", "")]})
    assert A._anchor_key([noted], tmp_path, 1.2, 0.75) != key       # an article added later: other answers
    (sitl / "records.jsonl").write_text('{"titulo": "dos"}\n', encoding="utf-8")
    assert A._anchor_key([unit], tmp_path, 1.2, 0.75) != key        # other initiatives
    with pytest.raises(FileNotFoundError, match="SITL"):
        A._anchor_key([unit], tmp_path / "empty", 1.2, 0.75)


def test_the_theme_rows_name_themes_of_the_corpus_and_loaded_laws(corpora, corpus_index):
    """scripts/measure_theme_laws.py's rows: each theme is one CLADEM files recommendations under,
    each law is loaded, the Constitution is in none, and each row says why."""
    from lawgraph.evaluation.theme_laws import read_theme_rows
    from lawgraph.ingest.recommendations import load_corpus_recommendations

    rows = read_theme_rows()
    themes = {t for r in load_corpus_recommendations(corpora) for t in r.themes}
    loaded = {u.law_key.lower() for u in corpus_index.units}
    assert rows and all(r["theme"] in themes and r["why"] for r in rows)
    assert all(set(r["laws"]) <= loaded and "cpeum" not in r["laws"] for r in rows)
