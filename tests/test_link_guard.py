"""CI guard of the linker's figures (issue 10, point 7): the silver test split and the dev answers.

Floors sit a few points under the figures measured when they were set (docs/linking.md,
"Measured"), so a regression fails the default suite; they are not targets. The index is the
one ``lawgraph eval links --source archivos`` builds, cached in the checkout's build cache
(``var/cache``: units, BM25 tables and embeddings keyed by content), so a warm run takes about
a minute and a half and a cold one a few minutes more.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from lawgraph.evaluation import links as E
from lawgraph.evaluation import silver as S
from lawgraph.nlp import link as L
from tests.session_cache import link_cache  # noqa: F401  (session fixture)

# Measured 2026-12-06 (session 3) with the shipped parameter file (docs/linking.md, "Measured,
# session 3"): silver test r@5 / MRR, its false-landed rate; dev answers per language and
# suggestions. Floors = figure - margin: 0.05 on the silver test split (188 asks: one ask is
# 0.005), one query on the dev answers. The dev-answer floors fell with the weights fitted on
# silver (the hand-set ones had been chosen on these answers).
SILVER_TEST_R5_FLOOR = 0.65          # measured 0.676 (0.681 after session 4's refit; 0.702 with session 5's reranker)
SILVER_TEST_MRR_FLOOR = 0.53         # measured 0.569 (0.570 after session 4's refit; 0.578 with session 5's reranker)
# The recommendation path on the same asks (`lawgraph eval links --silver --rec-path`), measured
# in session 12 with the anchor votes of past initiatives (docs/linking.md, "Past initiatives as
# anchors"): test r@5 0.824, MRR 0.689; before them 0.707 / 0.568. Floors 0.05 under.
SILVER_TEST_REC_R5_FLOOR = 0.77
SILVER_TEST_REC_MRR_FLOOR = 0.64
# The same with each answer law counted the same (silver.law_figures, session 14): measured
# r@5 0.757, MRR 0.616 over 8 laws, two of them with 2 test asks (one such ask leaving the top 5
# moves r@5 by 0.0625). Floors 0.08 under: a change that buys its plain gain from the other
# laws' asks for the constitutional ones (54 % of silver's answers) by more than that fails here.
SILVER_TEST_REC_BALANCED_R5_FLOOR = 0.67
SILVER_TEST_REC_BALANCED_MRR_FLOOR = 0.53
MAX_FALSE_LANDED_RATE = 0.02          # issue 10, point 5 (measured 2 of 158 since the check reads the shown ranking, 2026-12-07)
# Session 4 removed the vocabulary rows fitted to single dev answers (scripts/ablate_vocab.py,
# docs/linking.md "Vocabulary, strict rule"): the dev answers fell by one query each, silver held.
DEV_ES_R5_FLOOR = 0.30                # measured 0.40 (10 Spanish recommendations; one query is 0.10)
DEV_EN_R5_FLOOR = 0.28                # measured 0.571 (7 English recommendations; one query is 0.143)
DEV_SUG_LANDED_FLOOR = 0.66           # measured 0.778 with ranker + landed check merged and refitted (9 landed suggestions; one item is 0.111)
# The fitted landed check (scripts/fit_landed.py, refitted 2026-12-07 on the shown ranking):
# silver test landed recall 1 of 3 (0.333, 95 % CI 0.06-0.79), 2 of 158 false; the floor keeps
# the one found (3 positives: any loss is a third).
SILVER_TEST_LANDED_RECALL_FLOOR = 0.3
# The cross-lingual consistency set (lawgraph.evaluation.crosslingual, 50 aligned UPR pairs):
# the Spanish path's first article in the English path's top 5, all pairs; measured 0.62 in
# session 4 (terms from the train pairs only, then scripts/fit_english.py); one pair is 0.02,
# the floor is five pairs under.
CROSSLINGUAL_TOP1_IN_TOP5_FLOOR = 0.52
# The asks classifier on the CLADEM bold marking (lawgraph.evaluation.asks_silver, 253
# paragraphs): precision 0.968, recall 0.989 measured; floors about three points under.
ASKS_PRECISION_FLOOR = 0.93
ASKS_RECALL_FLOOR = 0.95


@pytest.fixture(scope="module")
def index(corpora: Path, link_cache: Path):
    return L.build_index(E.corpus_law_files(corpora), cache_dir=link_cache)


def test_silver_test_split_stays_above_its_floors(index, corpora):
    silver = S.build_silver(corpora, index.units)
    assert silver.counts["asks"] > 800 and silver.counts["landed"] >= 8
    test = S.SilverSet([a for a in silver.asks if a.split == "test"], silver.left_out,
                       silver.landed_left_out, silver.counts)
    r = S.evaluate_silver(index, test)["splits"]["test"]
    assert r["n"] > 150
    assert r["recall@5"] >= SILVER_TEST_R5_FLOOR and r["mrr"] >= SILVER_TEST_MRR_FLOOR, r
    assert r["landed"]["false_landed_rate"] <= MAX_FALSE_LANDED_RATE, r["landed"]
    assert r["landed"]["recall"] >= SILVER_TEST_LANDED_RECALL_FLOOR, r["landed"]


def test_silver_test_split_through_the_recommendation_path_stays_above_its_floors(index, corpora):
    silver = S.build_silver(corpora, index.units)
    test = S.SilverSet([a for a in silver.asks if a.split == "test"], silver.left_out,
                       silver.landed_left_out, silver.counts)
    r = S.evaluate_silver(index, test, kind="rec")
    assert r["path"] == "recommendation"
    t = r["splits"]["test"]
    assert t["n"] > 150 and not t["landed"]["n_landed"]      # no landed check on this path
    assert t["recall@5"] >= SILVER_TEST_REC_R5_FLOOR and t["mrr"] >= SILVER_TEST_REC_MRR_FLOOR, t
    lb = t["law_balanced"]
    assert lb["recall@5"] >= SILVER_TEST_REC_BALANCED_R5_FLOOR and lb["mrr"] >= SILVER_TEST_REC_BALANCED_MRR_FLOOR, lb
    # the anchors were read from the corpus (the signal is on), and only train initiatives vote
    anchors = index.stats["_anchors"]
    assert anchors is not None and len(anchors.ids) > 400
    assert not {a.id for a in test.asks} & set(anchors.ids)


def test_asks_classifier_stays_above_its_floors(corpora):
    from lawgraph.evaluation.asks_silver import evaluate_asks, labelled_asks

    labelled, counts = labelled_asks(corpora)
    assert counts["peticiones"] > 150 and counts["contexto"] > 50, counts
    r = evaluate_asks(labelled)
    assert r["precision"] >= ASKS_PRECISION_FLOOR and r["recall"] >= ASKS_RECALL_FLOOR, r


def test_dev_answers_stay_above_their_floors(index, corpora, eval_dir):
    from lawgraph.ingest.recommendations import load_corpus_recommendations

    recs = load_corpus_recommendations(corpora)
    r = E.evaluate(index, eval_dir / "recommendation_links_dev.jsonl", recs)
    assert r["by_language"]["es"]["recall@5"] >= DEV_ES_R5_FLOOR, r["by_language"]
    assert r["by_language"]["en"]["recall@5"] >= DEV_EN_R5_FLOOR, r["by_language"]
    # No check on the two negatives: at the fitted candidate thresholds (what the page shows) both
    # get candidates, under session 10's weights and under session 11's. The "0 above 2.0" this
    # line asserted before was a hand-set score that no candidate of any item reached then.
    assert r["negatives"]["n"] == 2, r["negatives"]
    s = E.evaluate(index, eval_dir / "suggestions_dev.jsonl", recs)
    assert s["false_landed"] == 0 and s["landed_recall@5"] >= DEV_SUG_LANDED_FLOOR, s["confusion"]


def test_crosslingual_consistency_stays_above_its_floor(index, corpora, eval_dir):
    from lawgraph.evaluation.crosslingual import evaluate_crosslingual
    from lawgraph.ingest.recommendations import load_corpus_recommendations

    r = evaluate_crosslingual(index, load_corpus_recommendations(corpora), eval_dir)
    assert r["counts"]["pairs"] >= 40 and r["counts"]["held_out_eval"] > 0, r["counts"]
    assert r["splits"]["all"]["es_top1_in_en_top5"] >= CROSSLINGUAL_TOP1_IN_TOP5_FLOOR, r["splits"]
