"""The silver evaluation set's rules (issue 10, point 1): masking, split, landed labels, intervals.

Table-driven over the rules in ``lawgraph.evaluation.silver``; the corpus-wide build and its
evaluation run in tests/test_link_guard.py.
"""
from __future__ import annotations

import json
from datetime import date

import pytest

from lawgraph.catalog import load_catalog
from lawgraph.errors import InputError
from lawgraph.evaluation import silver as S


@pytest.mark.parametrize("text, gone, kept", [
    ("Reformar el artículo 4o. de la Constitución Política de los Estados Unidos Mexicanos para garantizar el agua.",
     ["4o", "Constitución"], ["garantizar", "agua"]),
    ("Adicionar las fracciones II y III al artículo 325 del Código Penal Federal, en materia de feminicidio.",
     ["fracciones", "325", "Código", "feminicidio"], ["Adicionar"]),
    ("Incluir en la Ley General de Acceso de las Mujeres a una Vida Libre de Violencia la violencia vicaria.",
     ["Ley General de Acceso"], ["Incluir", "violencia vicaria"]),
])
def test_mask_query_removes_what_the_ask_names_and_keeps_what_it_asks(text, gone, kept):
    out = S.mask_query(text, load_catalog())
    for g in gone:
        assert g not in out, (g, out)
    for k in kept:
        assert k in out, (k, out)


def test_split_is_a_stable_hash_with_the_stated_proportions():
    ids = [f"/mx/iniciativa/lxvi-{i:012x}" for i in range(3000)]
    got = [S.split_of(i) for i in ids]
    assert got == [S.split_of(i) for i in ids]
    share = {s: got.count(s) / len(got) for s in S.SPLITS}
    assert abs(share["train"] - 0.6) < 0.04 and abs(share["dev"] - 0.2) < 0.04 and abs(share["test"] - 0.2) < 0.04


def test_committed_split_file_agrees_with_the_hash():
    splits = S.read_split_file()
    assert len(splits) > 800
    assert all(S.split_of(i) == s for i, s in splits.items())


def test_a_malformed_split_file_names_the_file_and_line(tmp_path):
    p = tmp_path / "split.jsonl"
    p.write_text(json.dumps({"id": "a", "split": "train"}) + "\n" + json.dumps({"id": "b", "split": "otro"}) + "\n")
    with pytest.raises(InputError) as e:
        S.read_split_file(p)
    assert "línea 2" in str(e.value) and "split.jsonl" in str(e.value)


D = date(2025, 3, 1)


def _ask(approved="", on=None):
    return S.SilverAsk("x", "q", D, [{"law": "lgamvlv", "article": "6"}], approved, on)


@pytest.mark.parametrize("enacted, approved, on, newest, want", [
    # approved, and the article changed after the approval: landed
    ((date(2025, 6, 1),), "sitl", date(2025, 5, 1), "2026-01-15", True),
    # approved, but the only change came before the approval: another decree's
    ((date(2025, 4, 1),), "sitl", date(2025, 5, 1), "2026-01-15", None),
    # changed after the ask, no approval recorded: ambiguous
    ((date(2025, 6, 1),), "", None, "2026-01-15", None),
    # nothing changed after the ask, not approved: not landed
    ((date(2020, 1, 1),), "", None, "2026-01-15", False),
    # approved after the newest loaded version: cannot tell
    ((), "sil", date(2026, 3, 1), "2026-01-15", None),
    # approved before the newest version, nothing changed: not landed
    ((), "sitl", date(2025, 5, 1), "2026-01-15", False),
])
def test_landed_labels(enacted, approved, on, newest, want):
    facts = {("lgamvlv", "6"): S.ArticleFacts((), enacted)}
    got, why = S.landed_label(_ask(approved, on), facts, {"lgamvlv": newest})
    assert got is want and why


def test_wilson_interval():
    assert S.wilson(0, 0) is None
    lo, hi = S.wilson(2, 3)
    assert 0.0 < lo < 2 / 3 < hi < 1.0
    assert S.wilson(10, 10)[1] == 1.0


def test_law_balanced_figures_count_each_answer_law_the_same():
    # Three constitutional asks all found first and one LGAMVLV ask not found: plain MRR 0.75,
    # law-balanced 0.5 (each law weighs one half), per law 1.0 and 0.0.
    class Ask:
        def __init__(self, law):
            self.law = law

        def answer_keys(self):
            return {(self.law, "1")}

    asks = [Ask("cpeum"), Ask("cpeum"), Ask("cpeum"), Ask("lgamvlv")]
    got = S.law_figures(asks, [1, 1, 1, None])
    assert got["law_balanced"] == {"mrr": 0.5, "recall@5": 0.5}
    assert got["mrr_by_law"] == {"cpeum": [1.0, 3], "lgamvlv": [0.0, 1]}
    assert abs(sum(S.law_balanced(asks)) - 1.0) < 1e-9
