"""Issue 10 (English recommendations): Apertium's Spanish as the twin of an English
recommendation that has none, on real corpus recommendations."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from lawgraph.ingest.recommendations import load_corpus_recommendations
from lawgraph.nlp import link_score as LS
from lawgraph.nlp import translate as T
from lawgraph.nlp.link_query import Query
from lawgraph.nlp.textnorm import words


def test_apertium_is_installed_by_the_project():
    # scripts/install-system-deps installs it; a machine without it links English without translation
    assert T.available(), "apertium no está instalado: ejecute scripts/install-system-deps"


@pytest.fixture(scope="module")
def english(corpora: Path):
    recs = [r for r in load_corpus_recommendations(corpora) if r.language == "en"]
    assert len(recs) > 50
    return recs


def test_corpus_english_recommendations_come_back_in_spanish(english):
    texts = [r.link_text() for r in english[:40]]
    out = T.translate_en_es(texts)
    assert len(out) == len(texts) and all(out)
    spanish = {"el", "la", "los", "las", "de", "y", "que", "para"}
    english_words = {"the", "and", "of", "to", "that", "for"}
    for en, es in zip(texts, out):
        w = words(es)
        # Spanish function words, and the English ones (almost) gone; one line per text, in order
        assert sum(t in spanish for t in w) >= 1, (en, es)
        assert sum(t in english_words for t in w) <= max(1, len(w) // 20), (en, es)
    assert "violencia" in " ".join(T.translate_en_es(["Combat violence against women."])[0].lower().split())


def test_a_batch_translates_each_text_as_if_it_were_alone(english):
    # a line break is only a blank to Apertium's transfer rules: a text without a final full stop
    # traded words with the next line ('... back' + 'Line two' -> '... Línea' + 'posterior dos')
    texts = ["Ensure access to justice \\ back", "Line two with women", "Protect human rights defenders",
             *[r.link_text().rstrip(".;") for r in english[:12]]]
    T._cache.clear()
    batch = T.translate_en_es(texts)
    alone = []
    for t in texts:
        T._cache.clear()
        alone.append(T.translate_en_es([t])[0])
    assert batch == alone


def test_a_batch_is_one_line_per_text_whatever_the_texts_hold():
    texts = ["Ensure access to justice.\nAnd to shelters.", "", "  ", "Protect human rights defenders"]
    out = T.translate_en_es(texts)
    assert out[1] is None and out[2] is None
    assert "\n" not in out[0] and "justicia" in out[0].lower()
    assert "derechos humanos" in out[3].lower()


class _Index:
    def __init__(self, weights):
        self.weights = weights


def test_only_english_queries_without_a_twin_are_translated_and_only_when_chosen():
    en = Query("en-1", "en", "Criminalize femicide in all states")
    twin = Query("en-2", "en", "Ensure access to justice", twin="Garantizar el acceso a la justicia")
    es = Query("es-1", "es", "Tipificar el feminicidio")
    off = LS.with_translations(_Index(replace(LS.DEFAULT_WEIGHTS, en_mt=0.0)), [en, twin, es])
    assert off == [en, twin, es]
    on = LS.with_translations(_Index(replace(LS.DEFAULT_WEIGHTS, en_mt=1.0)), [en, twin, es])
    assert on[0].twin_mt and "estados" in words(on[0].twin)
    assert on[0].text == en.text and en.twin is None            # the caller's query is left as it was
    assert on[1] is twin and not on[1].twin_mt and on[2] is es


def test_a_failing_translator_leaves_the_batch_untranslated_and_says_so(tmp_path, monkeypatch, caplog):
    # fault injection: an 'apertium' earlier on PATH that fails as a broken install would
    broken = tmp_path / "apertium"
    broken.write_text("#!/bin/sh\necho 'modo no encontrado' >&2\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{__import__('os').environ['PATH']}")
    monkeypatch.setattr(T, "_cache", {})
    with pytest.raises(T.TranslationError, match="modo no encontrado"):
        T.translate_en_es(["Ensure access to justice"])
    en = Query("en-1", "en", "Ensure access to justice")
    with caplog.at_level("WARNING"):
        out = LS.with_translations(_Index(replace(LS.DEFAULT_WEIGHTS, en_mt=1.0)), [en])
    assert out == [en] and "sin traducir" in caplog.text
