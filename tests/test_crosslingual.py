"""Issue 10 point 3 (English rows): the cross-lingual consistency set built from the aligned UPR
recommendations, and the hook that leaves one English terminology row out of a query."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from lawgraph.evaluation import crosslingual as X
from lawgraph.ingest.recommendations import load_corpus_recommendations
from lawgraph.nlp import link_query as Q
from tests.session_cache import link_cache  # noqa: F401  (session fixture)


@pytest.fixture(scope="module")
def recs(corpora: Path):
    return load_corpus_recommendations(corpora)


def test_pairs_leave_out_every_dev_answer_and_split_stably(recs, eval_dir: Path):
    pairs, counts = X.aligned_pairs(recs, eval_dir)
    ids, texts = X.eval_items(eval_dir)
    assert counts["held_out_eval"] > 0 and counts["pairs"] == len(pairs) >= 40
    assert counts["train"] + counts["dev"] == counts["pairs"] and counts["train"] > 10 and counts["dev"] > 10
    for p in pairs:
        assert p.en.language == "en" and p.es.language == "es"
        assert p.en.document == p.es.document and p.en.paragraph == p.es.paragraph
        for side in (p.en, p.es):
            assert side.rec_id not in ids and X.folded_head(side.text) not in texts
        assert p.split == X.split_of(p.en.rec_id)
    # the split is a function of the id alone: the same pairs again give the same split
    again, _ = X.aligned_pairs(recs, eval_dir)
    assert [(p.en.rec_id, p.split) for p in again] == [(p.en.rec_id, p.split) for p in pairs]


def test_a_dev_answer_written_elsewhere_is_left_out_by_its_text(recs, tmp_path: Path):
    pairs, _ = X.aligned_pairs(recs, tmp_path)              # no answers: every aligned pair
    one = pairs[0]
    (tmp_path / "answers.jsonl").write_text(json.dumps({"rec_id": "elsewhere", "rec_text": one.es.text}) + "\n",
                                            encoding="utf-8")
    fewer, counts = X.aligned_pairs(recs, tmp_path)
    assert counts["held_out_eval"] == 1 and one.en.rec_id not in {p.en.rec_id for p in fewer}


def test_compare_counts_agreement_of_two_rankings():
    a, b, c, d, e, f = (("lgamvlv", str(i)) for i in range(1, 7))
    same = X.compare([a, b, c, d, e], [a, b, c, d, e])
    assert same == {"es_top1_in_en_top5": 1.0, "overlap@5": 1.0, "rr_es_top1": 1.0, "kendall_tau": 1.0}
    moved = X.compare([f, e, d, c, a], [a, b, c, d, e])
    assert moved["es_top1_in_en_top5"] == 1.0 and moved["rr_es_top1"] == 0.2
    assert moved["overlap@5"] == 0.8 and moved["kendall_tau"] == -1.0    # a, c, d, e in reverse order
    apart = X.compare([f], [a, b])
    assert apart == {"es_top1_in_en_top5": 0.0, "overlap@5": 0.0, "rr_es_top1": 0.0, "kendall_tau": None}


def test_one_english_row_can_be_left_out():
    text = "Ensure the punishment of perpetrators of sexual violence"
    rows = Q.english_rows(text)
    lines = (Q.PATTERNS / "terms_en_es.jsonl").read_text(encoding="utf-8").splitlines()
    phys = next(r for r in rows if r.startswith("terms_en_es.jsonl:")
                and json.loads(lines[int(r.split(":")[1]) - 1])["en"] == "sexual violence")
    assert "violencia sexual" in Q.expand_english(text)
    assert "violencia sexual" not in Q.expand_english(text, frozenset([phys]))
    # without the rows that fired, a shorter phrase they covered may fire ('violence')
    assert not {r for r, _ in Q._english_hits(text, frozenset(rows))} & rows


def test_the_english_weight_is_chosen_on_train_and_kept_only_if_dev_holds():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import fit_english as FE

    def fig(train: float, train_rr: float, dev: float) -> dict:
        return {"train": {"es_top1_in_en_top5": train, "rr_es_top1": train_rr}, "dev": {"es_top1_in_en_top5": dev}}

    # keys: (en_mt, w_dense_en)
    figs = {(0.0, 0.5): fig(0.6, 0.4, 0.7), (0.0, 0.8): fig(0.5, 0.5, 0.7), (0.0, 1.0): fig(0.6, 0.3, 0.9)}
    assert FE.choose(figs, (0.0, 0.8))[0] == (0.0, 0.5)      # best train share, then reciprocal rank
    figs[(0.0, 0.5)] = fig(0.6, 0.4, 0.6)                    # its dev share falls under the shipped value's
    assert FE.choose(figs, (0.0, 0.8))[0] == (0.0, 0.8)
    # a tie on train goes to the value nearest the shipped one, translation switch first
    figs = {(0.0, 0.5): fig(0.6, 0.4, 0.7), (1.0, 0.5): fig(0.6, 0.4, 0.9)}
    assert FE.choose(figs, (0.0, 0.5))[0] == (0.0, 0.5)
    figs[(1.0, 0.5)] = fig(0.7, 0.4, 0.9)
    assert FE.choose(figs, (0.0, 0.5))[0] == (1.0, 0.5)
    figs = {(0.0, 0.5): fig(0.6, 0.4, 0.7), (0.0, 0.8): fig(0.6, 0.4, 0.7), (0.0, 1.5): fig(0.6, 0.4, 0.7)}
    assert FE.choose(figs, (0.0, 0.8))[0] == (0.0, 0.8)      # a tie keeps the value nearest the shipped one


def test_cli_crosslingual_report(lawgraph_home: Path, corpora: Path, eval_dir: Path, tmp_path: Path,
                                 link_cache: Path):
    from typer.testing import CliRunner

    from lawgraph.cli import app

    (lawgraph_home / "cache").symlink_to(link_cache)   # the session's parsed units, not a third parse
    run = CliRunner().invoke
    res = run(app, ["eval", "links", "--crosslingual", "--source", "archivos", "--mirror", str(corpora),
                    "--eval-dir", str(eval_dir), "--json"])
    assert res.exit_code == 0, res.output
    last = json.loads(res.output.strip().splitlines()[-1])
    assert last["kind"] == "crosslingual" and last["counts"]["pairs"] >= 40
    assert set(last["splits"]) == {"train", "dev", "all"} and 0 <= last["splits"]["all"]["overlap@5"] <= 1
    assert "no dice si alguna acierta" in res.output
    res = run(app, ["eval", "links", "--crosslingual", "--silver", "--source", "archivos", "--mirror", str(corpora)])
    assert res.exit_code == 2 and "uno de los tres" in res.output
    missing = tmp_path / "no-eval"
    res = run(app, ["eval", "links", "--crosslingual", "--source", "archivos", "--mirror", str(corpora),
                    "--eval-dir", str(missing)])
    assert res.exit_code == 2 and "no-eval" in res.output
