"""Issue 10 point 3: stemming collisions of thesaurus phrases, counted over the corpus's Spanish
recommendations ('todos los estados' -> estad against every 'Estado parte'; 'la casa' -> cas
against 'casos'), and the report of the one-word phrases whose stem other words share."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from lawgraph.ingest.recommendations import load_corpus_recommendations
from lawgraph.nlp import link_query as Q
from lawgraph.nlp.textnorm import terms, words

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
sys.path.insert(0, str(SCRIPTS))

import report_stem_collisions as RSC  # noqa: E402


@pytest.fixture(scope="module")
def spanish(corpora: Path) -> list[str]:
    return [r.text for r in load_corpus_recommendations(corpora) if r.language == "es"]


@pytest.fixture()
def one_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A thesaurus of the rows given (written here), with no collisions file."""
    def use(*rows: dict) -> None:
        (tmp_path / "thesaurus_es.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        monkeypatch.setattr(Q, "PATTERNS", tmp_path)
        Q._thesaurus.cache_clear()
    yield use
    Q._thesaurus.cache_clear()


def _has_words(text: str, phrase: str) -> bool:
    return f" {' '.join(words(phrase))} " in f" {' '.join(words(text))} "


def test_todos_los_estados_fires_on_its_words_not_on_every_estado(spanish, one_row):
    one_row({"es": ["todos los estados"], "law": ["entidades federativas"]})
    estad = terms("todos los estados")
    assert len(estad) == 1
    with_stem = sum(estad[0] in terms(t) for t in spanish)
    fired = sum(bool(Q.thesaurus_rows(t)) for t in spanish)
    said = sum(_has_words(t, "todos los estados") for t in spanish)
    assert len(spanish) > 400 and with_stem > 0.3 * len(spanish)      # the stem: 175 of 464 recommendations
    assert fired == said and fired < 0.1 * len(spanish), (fired, said, with_stem)


def test_la_casa_does_not_fire_on_casos(spanish, one_row):
    one_row({"es": ["la casa"], "law": ["domicilio"]})
    assert terms("la casa") == terms("casos")                           # the collision itself
    casos = [t for t in spanish if "casos" in words(t) and not _has_words(t, "la casa")]
    assert len(casos) > 25                                              # 33 recommendations
    assert not any(Q.thesaurus_rows(t) for t in casos)
    assert Q.thesaurus_rows("Que se proteja la casa de la víctima") == {1}


def test_the_report_finds_one_word_phrases_whose_stem_other_words_share(spanish, tmp_path: Path):
    th = tmp_path / "thesaurus_es.jsonl"
    th.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (
        {"es": ["refugiadas"], "law": ["condición de refugiado"]},
        {"es": ["aborto"], "law": ["interrupción voluntaria del embarazo"]},
        {"es": ["la casa"], "law": ["domicilio"]})), encoding="utf-8")
    phrases = RSC.one_stem_phrases(th)
    assert set(phrases) == {terms("refugiadas")[0], terms("aborto")[0]}     # 'la casa': matched on words
    table = RSC.collisions(spanish, phrases)
    refugi = table[terms("refugiadas")[0]]
    assert "refugios" in refugi["other_words"] and refugi["docs"] >= RSC.MIN_DOCS
    assert table[terms("aborto")[0]]["docs"] == 0                          # 'abortos' is a number form
    assert RSC.number_forms("refugiadas") >= {"refugiada", "refugiadas"}
