"""English -> Spanish legal terms extracted statistically from the aligned UPR recommendations.

    .venv/bin/python scripts/build_terms_en_es.py            # print the rows and counts
    .venv/bin/python scripts/build_terms_en_es.py --write    # write lawgraph/nlp/patterns/terms_en_es_stat.jsonl

Data: the English UPR recommendations (A/HRC/11/27, A/HRC/25/7) paired with their Spanish text in
CLADEM's compilation (``lawgraph.ingest.recommendations.pair_translations``: same document,
paragraph and subparagraph). Every pair whose English or Spanish side is an item of the dev
answers (``../shared/eval/*.jsonl``, by id and by text) is left out, so the dev answers cannot
leak into the vocabulary; so is every pair of the cross-lingual consistency set's dev split
(``lawgraph.evaluation.crosslingual.split_of``), which measures the English path blind. The
script prints how many.

Method (word alignment by association, as in Smadja et al. 1996 / Melamed's competitive linking):
- each side becomes a set of content n-grams (1 and 2 words) of stems: English by the Snowball
  English stemmer, Spanish by the linker's own ``terms`` (Snowball Spanish, accents folded), both
  without function words;
- for every English n-gram e and Spanish n-gram s, c(e, s) counts the pairs holding both; Dice
  = 2 c(e, s) / (c(e) + c(s));
- a (e, s) link is kept when c(e, s) >= MIN_COUNT and Dice >= MIN_DICE and s is e's best Spanish
  n-gram and e is s's best English n-gram (competitive linking: each side's best match in both
  directions), and e is not a bare number;
- each row's surface forms are the most frequent unstemmed words behind the stems, as
  ``expand_english`` matches English words exactly and stems the Spanish side itself.
MIN_COUNT = 3 (a pairing seen in one or two recommendations is an anecdote, not a term;
three is the smallest count at which Dice can separate chance from association on ~20-50 pairs) and
MIN_DICE = 0.6 (an association at least as strong as seeing the pair in 60 % of the occurrences of
either side) are stated choices, not fitted: there is no held-out English data to fit them on.
Each row records count, Dice and source.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import Stemmer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lawgraph.config import get_settings  # noqa: E402
from lawgraph.evaluation.crosslingual import eval_items, folded_head, split_of  # noqa: E402
from lawgraph.ingest.recommendations import load_corpus_recommendations, pair_translations  # noqa: E402
from lawgraph.nlp.textnorm import STOP, WORD_RE, fold, stem  # noqa: E402

OUT = ROOT / "lawgraph" / "nlp" / "patterns" / "terms_en_es_stat.jsonl"
MIN_COUNT = 3
MIN_DICE = 0.6
SOURCE = "UPR recommendations A/HRC/11/27 and A/HRC/25/7 (English) paired with CLADEM's Spanish text"
# UN formula words that say how, not what ('take steps', 'continue efforts', 'particularly', 'the
# recommendations'), and 'states' (the recommending States; its Spanish stem 'estad' is every
# 'Estado parte', issue 10 point 3): they translate, but name no legal subject for the linker to
# search. Stated list, not fitted.
FORMULA_EN = frozenset(["continue", "step", "steps", "further", "effort", "efforts", "adopt", "strengthen",
                        "consider", "implement", "promote", "mexico", "also", "national", "particular",
                        "order", "well", "us", "need", "necessary", "among", "against", "particularly",
                        "recommendations", "recommendation", "states"])

_en = Stemmer.Stemmer("english")


def _en_tokens(text: str) -> list[tuple[str, str]]:
    """(stem, word) of the English content words, in order."""
    return [(_en.stemWord(w), w) for w in WORD_RE.findall(fold(text))
            if w not in STOP and w not in FORMULA_EN and len(w) > 2 and not w.isdigit()]


def _es_tokens(text: str) -> list[tuple[str, str]]:
    """(stem, word) of the Spanish content words, in order (the linker's stems)."""
    return [(stem(w), w) for w in WORD_RE.findall(fold(text))
            if w not in STOP and len(w) > 2 and not w.isdigit()]


def _grams(toks: list[tuple[str, str]], surf: dict[tuple[str, ...], Counter]) -> set[tuple[str, ...]]:
    """Content uni- and bigrams of stems; their surface forms counted into ``surf``."""
    out = set()
    for n in (1, 2):
        for i in range(len(toks) - n + 1):
            g = tuple(s for s, _ in toks[i:i + n])
            if n == 2 and g[0] == g[1]:
                continue
            out.add(g)
            surf[g][" ".join(w for _, w in toks[i:i + n])] += 1
    return out


def build(mirror: Path, eval_dir: Path) -> tuple[list[dict], dict]:
    recs = load_corpus_recommendations(mirror)
    by_id = {r.rec_id: r for r in recs}
    pairs = pair_translations(recs)
    ids, texts = eval_items(eval_dir)

    def held(r) -> bool:
        return r.rec_id in ids or folded_head(r.text) in texts

    # Only the cross-lingual set's train pairs: its dev pairs measure the English path blind
    # (lawgraph.evaluation.crosslingual; rows extracted from them made its dev figure one pair higher).
    kept = [(by_id[e], by_id[s]) for e, s in sorted(pairs.items())
            if not held(by_id[e]) and not held(by_id[s]) and split_of(e) == "train"]
    not_train = sum(1 for e, s in pairs.items() if not held(by_id[e]) and not held(by_id[s]) and split_of(e) != "train")
    surf_en: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    surf_es: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    c_en: Counter = Counter()
    c_es: Counter = Counter()
    c_pair: Counter = Counter()
    for en, es in kept:
        ge, gs = _grams(_en_tokens(en.text), surf_en), _grams(_es_tokens(es.text), surf_es)
        c_en.update(ge)
        c_es.update(gs)
        for e in ge:
            for s in gs:
                c_pair[e, s] += 1
    dice = {k: 2 * c / (c_en[k[0]] + c_es[k[1]]) for k, c in c_pair.items() if c >= MIN_COUNT}
    best_es: dict[tuple[str, ...], tuple[float, int, tuple[str, ...]]] = {}
    best_en: dict[tuple[str, ...], tuple[float, int, tuple[str, ...]]] = {}
    for (e, s), d in dice.items():
        key_e = (d, c_pair[e, s], s)
        key_s = (d, c_pair[e, s], e)
        if e not in best_es or key_e > best_es[e]:
            best_es[e] = key_e
        if s not in best_en or key_s > best_en[s]:
            best_en[s] = key_s
    rows = []
    for e, (d, c, s) in sorted(best_es.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0])):
        if d < MIN_DICE or best_en[s][2] != e:
            continue
        rows.append({"en": surf_en[e].most_common(1)[0][0], "es": [surf_es[s].most_common(1)[0][0]],
                     "count": c, "dice": round(d, 3), "source": SOURCE})
    stats = {"pairs": len(pairs), "held_out_eval": len(pairs) - len(kept) - not_train,
             "held_out_crosslingual_dev": not_train, "used": len(kept), "rows": len(rows)}
    return rows, stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    args = ap.parse_args()
    if not args.eval_dir.is_dir():
        print(f"{args.eval_dir}: no existe; hace falta para excluir las respuestas de desarrollo", file=sys.stderr)
        return 2
    rows, stats = build(get_settings().mirror, args.eval_dir)
    for r in rows:
        print(f"{r['en']!r:32} -> {r['es'][0]!r:32} count {r['count']:3} dice {r['dice']}")
    print(json.dumps(stats))
    if args.write:
        OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"written: {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
