"""Which one-stem thesaurus phrases share their stem with other words of the recommendations.

    .venv/bin/python scripts/report_stem_collisions.py

A thesaurus phrase is matched on its Snowball stems, so plural and accents do not matter. When
the stem also stands for other words, the row fires on texts that do not say the phrase:
'refugiadas' (refugees) stems to 'refugi', as 'refugios' (shelters) does. A phrase of several
words that stems to one stem ('la casa', 'todos los estados') is already matched on its words
(``lawgraph.nlp.link_query._thesaurus``). This script reads the corpus's Spanish recommendations
(the texts the thesaurus is written for) and, for every one-word phrase, counts the documents
holding a word with its stem that is not a number form of the phrase's word (± -s / -es); a
stem found so in at least ``MIN_DOCS`` documents is reported as colliding.

Tried and not kept (docs/linking.md, "Stemming collisions"): matching the phrases of colliding
stems on their words and number forms. On silver it changed no train figure, lowered test MRR
by 0.001 and added one false landing among the 141 dev asks (the enacted-words check lost
derivations such as 'discriminen' / 'discriminación'), so the report stays a diagnostic.
MIN_DOCS = 1: a stated choice (one recommendation where a row fires on another word).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lawgraph.config import get_settings  # noqa: E402
from lawgraph.ingest.recommendations import load_corpus_recommendations  # noqa: E402
from lawgraph.nlp.link_query import PATTERNS  # noqa: E402
from lawgraph.nlp.textnorm import terms, words  # noqa: E402

MIN_DOCS = 1


def number_forms(word: str) -> set[str]:
    """A folded word and its number inflections: 'refugiadas' -> refugiada, refugiadas, …"""
    out = {word, word + "s", word + "es"}
    for end in ("es", "s"):
        if word.endswith(end) and len(word) > len(end) + 2:
            out.add(word[: -len(end)])
    return out


def one_stem_phrases(thesaurus: Path) -> dict[str, set[str]]:
    """Stem -> the folded content words of the thesaurus phrases that stem to it alone."""
    out: dict[str, set[str]] = defaultdict(set)
    for line in thesaurus.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        for phrase in json.loads(line)["es"]:
            key = terms(phrase)
            if len(key) == 1 and len(words(phrase)) == 1:     # several words: matched on them anyway
                out[key[0]] |= {w for w in words(phrase) if terms(w) == key}
    return dict(out)


def collisions(texts: list[str], phrases: dict[str, set[str]]) -> dict[str, dict]:
    """Per stem: the other words (with their document counts) that share it in ``texts``."""
    docs: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for w in set(words(text)):
            ts = terms(w)
            if len(ts) == 1 and ts[0] in phrases:
                docs[ts[0]][w] += 1
    out = {}
    for stem, own in sorted(phrases.items()):
        family = set().union(*(number_forms(w) for w in own)) if own else set()
        other = {w: n for w, n in docs[stem].most_common() if w not in family}
        out[stem] = {"phrase_words": sorted(own), "other_words": other,
                     "docs": sum(1 for t in texts if set(words(t)) & set(other))}
    return out


def main() -> int:
    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args()
    settings = get_settings()
    texts = [r.text for r in load_corpus_recommendations(settings.mirror) if r.language == "es"]
    table = collisions(texts, one_stem_phrases(PATTERNS / "thesaurus_es.jsonl"))
    colliding = {s for s, v in table.items() if v["docs"] >= MIN_DOCS}
    print(f"{len(texts)} Spanish recommendations; {len(table)} one-word phrases' stems; {len(colliding)} collide")
    for stem, v in table.items():
        flag = "COLLIDES" if stem in colliding else "ok"
        print(f"  {stem:<14} {flag:<8} docs={v['docs']:<3} phrase={v['phrase_words']} "
              f"other={dict(list(v['other_words'].items())[:6])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
