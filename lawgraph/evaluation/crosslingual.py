"""Cross-lingual consistency of the linker: the English path against the Spanish one, no gold.

The corpus holds the same UPR recommendations in English (the UN reports) and in Spanish
(CLADEM's compilation): ``pair_translations`` pairs them by document and paragraph. For each
pair whose English and Spanish sides are both outside the dev answers (``../shared/eval``), the
English text is linked alone (no Spanish twin: the English path as an English recommendation
without a translation goes through it) and the Spanish text is linked as a Spanish
recommendation. Reported per split (``split_of``: a stable hash of the English id):

- ``es_top1_in_en_top5``: how often the English top 5 holds the Spanish path's first article;
- ``overlap@5``: the share of the Spanish top 5 that the English top 5 holds (articles);
- ``rr_es_top1``: the reciprocal rank of the Spanish first article in the English top 10;
- ``kendall_tau``: Kendall's tau-b of the order in which both paths put the articles both top
  10s hold, averaged over the pairs that share at least two (``n_tau`` of them): whether they
  order alike what they both find (how much they find alike is ``overlap@5``).

What it measures: what the English path (terminology rows, cross-lingual cosine) loses against
the Spanish path on the same ask. What it does not measure: whether either is right. A change
that makes the English path agree with a wrong Spanish answer scores higher here, and the
Spanish path's own errors are invisible. It is a consistency check, not a recall figure.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lawgraph.nlp.textnorm import WORD_RE, fold

# The split of the pairs: half train (where vocabulary rows and English-path weights are
# decided), half dev (where the choice is checked). A stated choice: 50 pairs are too few to
# set a test split aside as well.
TRAIN_SHARE = 50
TOP = 5
DEPTH = 10


def split_of(rec_id: str) -> str:
    """'train' or 'dev' by a stable hash of the English recommendation's id."""
    v = int(hashlib.sha256(("crosslingual:" + rec_id).encode("utf-8")).hexdigest()[:8], 16) % 100
    return "train" if v < TRAIN_SHARE else "dev"


def eval_items(eval_dir: Path) -> tuple[set[str], set[str]]:
    """Ids and folded texts (first 120 characters of their words) of every item in the dev
    answers: the pairs built here leave out any whose either side is one of them."""
    ids, texts = set(), set()
    for p in sorted(Path(eval_dir).glob("*.jsonl")):
        for line in p.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            for k in ("rec_id", "id", "sug_id"):
                if row.get(k):
                    ids.add(str(row[k]))
            for k in ("rec_text", "text"):
                if row.get(k):
                    texts.add(folded_head(row[k]))
    return ids, texts


def folded_head(text: str) -> str:
    return " ".join(WORD_RE.findall(fold(text)))[:120]


@dataclass(frozen=True)
class Pair:
    en: Any            # Recommendation (English)
    es: Any            # Recommendation (Spanish), the same paragraph
    split: str


def aligned_pairs(recs: Sequence[Any], eval_dir: Path) -> tuple[list[Pair], dict[str, int]]:
    """The aligned EN/ES recommendations outside the dev answers, and how many were left out."""
    from lawgraph.ingest.recommendations import pair_translations

    ids, texts = eval_items(eval_dir)
    by_id = {r.rec_id: r for r in recs}

    def held(r: Any) -> bool:
        return r.rec_id in ids or folded_head(r.text) in texts

    pairs, held_out = [], 0
    for en_id, es_id in sorted(pair_translations(recs).items()):
        en, es = by_id[en_id], by_id[es_id]
        if held(en) or held(es):
            held_out += 1
            continue
        pairs.append(Pair(en, es, split_of(en_id)))
    counts = {"aligned": len(pairs) + held_out, "held_out_eval": held_out, "pairs": len(pairs),
              "train": sum(p.split == "train" for p in pairs), "dev": sum(p.split == "dev" for p in pairs)}
    return pairs, counts


def uid_map(index: Any) -> dict[str, Any]:
    """Each provision version id of the index -> its unit."""
    m: dict[str, Any] = {}
    for u in index.units:
        for v in (u.version_ids or [u.uid]):
            m[v] = u
        m[u.uid] = u
    return m


def _articles(by_uid: dict[str, Any], cands: Sequence[Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for c in cands:
        key = by_uid[c.to_id].article_key
        if key not in out:
            out.append(key)
    return out


def compare(en: list[tuple[str, str]], es: list[tuple[str, str]]) -> dict[str, float | None]:
    """The figures of one pair from both article rankings (best first)."""
    top1 = es[0] if es else None
    shared = [a for a in es[:DEPTH] if a in en[:DEPTH]]
    return {
        "es_top1_in_en_top5": float(top1 is not None and top1 in en[:TOP]),
        "overlap@5": len(set(en[:TOP]) & set(es[:TOP])) / TOP,
        "rr_es_top1": 1.0 / (en[:DEPTH].index(top1) + 1) if top1 in en[:DEPTH] else 0.0,
        "kendall_tau": kendall_tau([en.index(a) for a in shared]) if len(shared) >= 2 else None,
    }


def kendall_tau(ranks: Sequence[int]) -> float:
    """Kendall's tau between the order 0, 1, 2, … and ``ranks`` (distinct: no ties)."""
    n = len(ranks)
    s = sum((ranks[j] > ranks[i]) - (ranks[j] < ranks[i]) for i in range(n) for j in range(i + 1, n))
    return round(2 * s / (n * (n - 1)), 6)


def spanish_rankings(index: Any, pairs: Sequence[Pair]) -> dict[str, list[tuple[str, str]]]:
    """The Spanish path's article ranking of each pair (by the English id): the reference the
    English path is compared against (and ablations of English rows leave unchanged)."""
    from lawgraph.nlp import link as L

    by_uid = uid_map(index)
    return {p.en.rec_id: _articles(by_uid, L.link_recommendation(index, L.Query(p.es.rec_id, "es", p.es.link_text())))
            for p in pairs}


def english_ranking(index: Any, pair: Pair, skip: frozenset = frozenset(),
                    by_uid: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """The English path's article ranking of a pair's English side, alone (no twin)."""
    from lawgraph.nlp import link as L

    q = L.Query(pair.en.rec_id, "en", pair.en.link_text())
    return _articles(by_uid or uid_map(index), L.link_recommendation(index, q, skip=skip))


def _translate_ahead(index: Any, pairs: Sequence[Pair]) -> None:
    """Translate every English side in one Apertium process before the pairs are linked one by
    one (each link would otherwise start its own process: 50 pairs, 9.6 s against well under
    one); ``link_recommendation`` then finds them in the translator's cache. The linker's own
    batch step does it (``link_score.with_translations``: the ``en_mt`` weight, a failure
    warned and left untranslated)."""
    from lawgraph.nlp import link as L
    from lawgraph.nlp.link_score import with_translations

    with_translations(index, [L.Query(p.en.rec_id, "en", p.en.link_text()) for p in pairs])


def per_pair(index: Any, pairs: Sequence[Pair], spanish: dict[str, list[tuple[str, str]]] | None = None,
             skip: frozenset = frozenset()) -> dict[str, dict[str, float]]:
    """Each pair's figures (by the English id)."""
    spanish = spanish if spanish is not None else spanish_rankings(index, pairs)
    by_uid = uid_map(index)
    _translate_ahead(index, pairs)
    return {p.en.rec_id: compare(english_ranking(index, p, skip, by_uid), spanish[p.en.rec_id]) for p in pairs}


def summarise(pairs: Sequence[Pair], figures: dict[str, dict[str, float]]) -> dict[str, dict[str, Any]]:
    from lawgraph.evaluation.silver import wilson

    out: dict[str, dict[str, Any]] = {}
    for sp in ("train", "dev", "all"):
        rows = [figures[p.en.rec_id] for p in pairs if sp in ("all", p.split)]
        n = len(rows)
        if not n:
            out[sp] = {"n": 0}
            continue
        hits = int(sum(r["es_top1_in_en_top5"] for r in rows))
        taus = [r["kendall_tau"] for r in rows if r["kendall_tau"] is not None]
        out[sp] = {"n": n, **{k: round(sum(r[k] for r in rows) / n, 3)
                              for k in ("es_top1_in_en_top5", "overlap@5", "rr_es_top1")},
                   "es_top1_in_en_top5_ci95": wilson(hits, n),
                   "kendall_tau": round(sum(taus) / len(taus), 3) if taus else None, "n_tau": len(taus)}
    return out


def evaluate_crosslingual(index: Any, recs: Sequence[Any], eval_dir: Path) -> dict[str, Any]:
    """The report of ``lawgraph eval links --crosslingual``."""
    pairs, counts = aligned_pairs(recs, eval_dir)
    return {"kind": "crosslingual", "counts": counts, "splits": summarise(pairs, per_pair(index, pairs))}


def format_crosslingual(r: dict[str, Any]) -> str:
    """Spanish summary for the terminal."""
    c = r["counts"]
    lines = [f"Consistencia entre idiomas (EPU en inglés y en español, sin respuestas): {c['pairs']} pares "
             f"({c['held_out_eval']} de {c['aligned']} fuera por ser respuestas de desarrollo)"]
    for sp, v in r["splits"].items():
        if not v.get("n"):
            continue
        lines.append(f"  {sp:<5} n={v['n']:<3} 1.º en español dentro del top 5 en inglés={v['es_top1_in_en_top5']} "
                     f"(IC95 {v['es_top1_in_en_top5_ci95']})  solapamiento@5={v['overlap@5']}  "
                     f"tau de Kendall={v['kendall_tau']} ({v['n_tau']} pares)  RR del 1.º={v['rr_es_top1']}")
    lines.append("Mide cuánto pierde la vía en inglés frente a la española; no dice si alguna acierta.")
    return "\n".join(lines)
