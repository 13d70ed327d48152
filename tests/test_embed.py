"""The bundled multilingual model loads offline, aligns English with Spanish, and caches by hash."""
from __future__ import annotations

import re

import numpy as np
import pytest

from lawgraph.nlp import embed as E


@pytest.fixture(scope="module")
def provisions(corpora):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(corpora / "laws" / "federal" / "lgamvlv.pdf"))
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    parts = re.split(r"\n\s*Art[íi]culo\s+\d+", text, flags=re.IGNORECASE)
    return [" ".join(p.split())[:1200] for p in parts[1:] if len(p) > 200][:40]


def test_loads_offline_and_normalises(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    v = E.get_encoder().encode(["Las mujeres tienen derecho a una vida libre de violencia."])
    assert v.shape == (1, E.DIM)
    assert abs(float(np.linalg.norm(v[0])) - 1.0) < 1e-4


def test_english_reaches_its_spanish_translation(provisions):
    # Sentences written for this test, and their translation, among 40 real LGAMVLV articles.
    en = "Establish shelters for women victims of domestic violence and their children"
    es = "Establecer refugios para las mujeres víctimas de violencia familiar y sus hijas e hijos"
    vecs = E.get_encoder().encode([en, es, *provisions])
    sims = vecs[2:] @ vecs[0]
    assert float(vecs[1] @ vecs[0]) > float(sims.max())


def test_cache_by_text_hash(tmp_path, provisions):
    cache = E.EmbeddingCache(tmp_path)
    texts = provisions[:10] + provisions[:2]            # duplicates are encoded once
    v1, computed = E.embed(texts, cache)
    assert computed == 10 and v1.shape == (12, E.DIM) and len(cache) == 10
    v2, computed2 = E.embed(texts, E.EmbeddingCache(tmp_path))   # a new process would re-open
    assert computed2 == 0
    assert np.allclose(v1, v2)
    v3, computed3 = E.embed(provisions[:11], cache)
    assert computed3 == 1
    assert E.embed([], cache)[0].shape == (0, E.DIM)
