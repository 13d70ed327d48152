"""Issue 10 points 2-3: the pairwise ranker's solver, the English -> Spanish terms extracted from
the aligned UPR recommendations, the thesaurus ablation hooks and the ranker's unit features."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from lawgraph.errors import InputError
from lawgraph.nlp import link_query as Q
from lawgraph.nlp import link_score as LS
from lawgraph.nlp.link_units import units_from_parsed
from tests.session_cache import parsed_file

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
sys.path.insert(0, str(SCRIPTS))

import build_terms_en_es as BT  # noqa: E402
import fit_linker as FL  # noqa: E402


def test_pairwise_logistic_recovers_the_direction_that_orders_the_pairs():
    # Pairs ordered by a known linear scorer (with noise): the fit points the same way.
    rng = np.random.default_rng(7)
    w_true = np.array([1.0, 0.25, -0.4, 0.0])
    a, b = rng.normal(size=(3000, 4)), rng.normal(size=(3000, 4))
    first_higher = (a - b) @ w_true + rng.normal(scale=0.3, size=3000) > 0
    x = np.where(first_higher[:, None], a - b, b - a)
    w = FL.pairwise_logistic(x, l2=1.0)
    cos = float(w @ w_true / np.linalg.norm(w) / np.linalg.norm(w_true))
    assert cos > 0.97, (w, cos)
    assert abs(w[3]) < 0.1 * abs(w[0])          # the feature that orders nothing gets ~0


def test_extracted_terms_come_from_the_aligned_pairs_without_dev_items(corpora: Path, eval_dir: Path):
    rows, stats = BT.build(corpora, eval_dir)
    assert stats["used"] + stats["held_out_eval"] + stats["held_out_crosslingual_dev"] == stats["pairs"]
    assert stats["held_out_eval"] > 0 and stats["held_out_crosslingual_dev"] > 0
    assert stats["used"] >= 20 and len(rows) >= 12          # the cross-lingual train split only
    got = {r["en"]: r["es"][0] for r in rows}
    assert got.get("violence") == "violencia" and got.get("impunity") == "impunidad"
    assert "states" not in got                          # 'estad' would be every 'Estado parte'
    for r in rows:
        assert r["count"] >= BT.MIN_COUNT and r["dice"] >= BT.MIN_DICE and r["source"]
    # The shipped file is this build's output (re-run scripts/build_terms_en_es.py --write).
    shipped = [json.loads(line) for line in (Q.PATTERNS / "terms_en_es_stat.jsonl").read_text(encoding="utf-8").splitlines()]
    assert shipped == rows


def test_english_queries_use_the_extracted_terms():
    assert "impunidad" in Q.expand_english("Combat impunity for crimes against journalists")


def test_a_broken_terms_row_names_the_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "terms_en_es.jsonl").write_text('{"en": "x", "es": ["y"]}\n{"en": "z"}\n', encoding="utf-8")
    monkeypatch.setattr(Q, "PATTERNS", tmp_path)
    with pytest.raises(InputError) as e:
        Q._term_rows("terms_en_es.jsonl")
    assert "terms_en_es.jsonl" in str(e.value) and "línea 2" in str(e.value)
    assert Q._term_rows("terms_en_es_stat.jsonl") == []     # a missing optional file is no rows


def test_thesaurus_rows_can_be_left_out_one_by_one():
    text = "Criminalizar la violencia doméstica y proteger a las trabajadoras domésticas"
    rows = Q.thesaurus_rows(text)
    assert len(rows) == 3                       # criminalizar, violencia doméstica, trabajadoras domésticas
    row = min(rows)                             # line 1: violencia doméstica -> violencia familiar
    assert "violencia familiar" in Q.expand_spanish(text)
    assert "violencia familiar" not in Q.expand_spanish(text, frozenset([row]))
    assert set(Q.expand_spanish(text, frozenset(rows))) == set()


def test_unit_shape_marks_fractions_and_their_list_length(corpora: Path):
    units = units_from_parsed(parsed_file(corpora / "laws" / "federal" / "lgamvlv.pdf"))
    index = LS.LinkIndex(units, None, None, np.zeros(len(units), np.int64), np.zeros((len(units), 1)), [])
    is_fr, log_len = LS.unit_shape(index)
    n_fr = {}
    for u in units:
        if u.fraction:
            n_fr[u.article_key] = n_fr.get(u.article_key, 0) + 1
    for u, f, ll in zip(units, is_fr, log_len):
        assert f == (1.0 if u.fraction else 0.0)
        assert ll == pytest.approx(np.log1p(n_fr[u.article_key]) if u.fraction else 0.0)
    assert is_fr.sum() > 100 and log_len.max() > np.log(20)
