"""Compare the articles each constitutional decree touches with a decree history.

The answer file (``../shared/eval/cpeum_decrees_dev.json``) is a list of
``{"commit", "dof_date", "title", "articles"}``; it covers decrees from 1917, while the
LeyesBiblio reform-decree section starts in 1993, so answers older than the first listed
decree are reported as out of scope, not counted. Decrees are matched by DOF date; several
decrees of one day are paired by article overlap (then title similarity). Scores are
micro precision / recall / F1 over (decree, article) pairs, and every disagreement is listed
with the clause it was read from.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Protocol

from rapidfuzz import fuzz

from lawgraph.ingest.cpeum_history import TITLE_RE, publication_date
from lawgraph.nlp.amendments import parse_decree


class DecreeLike(Protocol):
    title: str
    dof_date: date | None
    clause: str


# Where the articles of a decree were read from, in words for the report.
SOURCE_ES = {"clause": "su cláusula", "title": "su título", "none": "ninguna parte", "unmatched": "nada: sin pareja"}


@dataclass
class DecreeDisagreement:
    dof_date: str
    title: str
    clause: str
    missing: list[str]            # in the answer, not found by the parser
    extra: list[str]              # found by the parser, not in the answer
    source: str                   # 'clause' / 'title' / 'none' / 'unmatched'


@dataclass
class DecreeEvalReport:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    matched: int
    unmatched_gold: list[dict[str, Any]] = field(default_factory=list)
    out_of_scope: int = 0
    unmatched_parsed: int = 0
    disagreements: list[DecreeDisagreement] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = self.__dict__.copy()
        d["disagreements"] = [x.__dict__ for x in self.disagreements]
        return d

    def format(self) -> str:
        """A Spanish report for people: figures, then every disagreement."""
        lines = [
            f"Decretos comparados: {self.matched}; fuera de alcance (anteriores a la sección): "
            f"{self.out_of_scope}; sin respuesta: {self.unmatched_parsed}",
            f"Precisión {self.precision:.4f}  Exhaustividad {self.recall:.4f}  F1 {self.f1:.4f}"
            f"  (VP {self.tp}, FP {self.fp}, FN {self.fn})",
        ]
        for d in self.disagreements:
            lines.append(f"- DOF {d.dof_date} (leído de {SOURCE_ES.get(d.source, d.source)}) "
                         f"faltan {', '.join(map(str, d.missing)) or '-'}; sobran {', '.join(map(str, d.extra)) or '-'}")
            lines.append(f"    título: {d.title[:160]}")
            if d.clause:
                lines.append(f"    cláusula: {d.clause[:400]}")
        return "\n".join(lines)


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def decree_articles(d: DecreeLike, default_law: str | None = None) -> tuple[set[str], str]:
    """Articles of the document's own law that one decree touches, and where they were read."""
    res = parse_decree(d.title, d.clause, default_law)
    arts = {o.article for o in res.operations
            if o.article and not o.transitory and (o.law is None or _is_constitution(o.law))}
    return arts, res.source


def _is_constitution(law: str) -> bool:
    return "constituci" in law.lower() and "estado de" not in law.lower()


def evaluate_cpeum_decrees(
    parsed_decrees: Iterable[DecreeLike], gold: str | Path | list[dict[str, Any]]
) -> DecreeEvalReport:
    """Micro P/R/F1 over (decree, article) pairs between parsed decrees and the answers."""
    gold_rows = load_gold(gold) if isinstance(gold, (str, Path)) else list(gold)
    parsed = [d for d in parsed_decrees
              if d.dof_date is not None and getattr(d, "kind", "decreto") == "decreto"]
    if not parsed:
        raise ValueError("no hay decretos analizados que comparar")
    first = min(d.dof_date for d in parsed)  # type: ignore[type-var]
    by_date_p: dict[str, list[tuple[DecreeLike, set[str], str]]] = defaultdict(list)
    for d in parsed:
        arts, src = decree_articles(d)
        by_date_p[d.dof_date.isoformat()].append((d, arts, src))  # type: ignore[union-attr]
    by_date_g: dict[str, list[dict[str, Any]]] = defaultdict(list)
    out_of_scope = 0
    for row in gold_rows:
        if date.fromisoformat(row["dof_date"]) < first:
            out_of_scope += 1
            continue
        by_date_g[row["dof_date"]].append(row)

    tp = fp = fn = 0
    matched = 0
    disagreements: list[DecreeDisagreement] = []
    unmatched_gold: list[dict[str, Any]] = []
    used_parsed = 0
    used: dict[str, set[int]] = {}
    leftovers: list[tuple[str, dict[str, Any]]] = []

    def score_pair(day: str, gset: set[str], d: DecreeLike, arts: set[str], src: str) -> None:
        """Count one answer paired with one parsed decree; list it when they disagree."""
        nonlocal matched, used_parsed, tp, fp, fn
        matched += 1
        used_parsed += 1
        tp += len(gset & arts)
        fp += len(arts - gset)
        fn += len(gset - arts)
        if gset != arts:
            disagreements.append(DecreeDisagreement(
                day, d.title, d.clause, sorted(gset - arts, key=_art_key),
                sorted(arts - gset, key=_art_key), src))
    for day, rows in sorted(by_date_g.items()):
        cands = list(by_date_p.get(day, []))
        # Pair the day's answers and parsed decrees, best overlap first.
        pairs = []
        for gi, row in enumerate(rows):
            gset = set(row["articles"])
            for pi, (d, arts, _src) in enumerate(cands):
                inter = len(gset & arts)
                union = len(gset | arts) or 1
                title_sim = fuzz.token_set_ratio(row.get("title", ""), d.title) / 100 if row.get("title") else 0
                pairs.append((inter / union + 0.01 * title_sim, gi, pi))
        pairs.sort(reverse=True)
        g_done: set[int] = set()
        p_done: set[int] = set()
        for _score, gi, pi in pairs:
            if gi in g_done or pi in p_done:
                continue
            g_done.add(gi)
            p_done.add(pi)
            d, arts, src = cands[pi]
            score_pair(day, set(rows[gi]["articles"]), d, arts, src)
        used[day] = p_done
        for gi, row in enumerate(rows):
            if gi not in g_done:
                leftovers.append((day, row))
    spare = [(day, c) for day, cs in sorted(by_date_p.items())
             for pi, c in enumerate(cs) if pi not in used.get(day, set())]
    # Answers whose date differs from the publisher's (the history's commit dates are not
    # always the DOF date): pair by title within two months, else count them as missed.
    for day, row in leftovers:
        gset = set(row["articles"])
        best = None
        for k, (pday, (d, arts, src)) in enumerate(spare):
            if abs((date.fromisoformat(pday) - date.fromisoformat(day)).days) > 62:
                continue
            sim = (fuzz.token_set_ratio(row.get("title", ""), d.title) / 100 if row.get("title")
                   else len(gset & arts) / (len(gset | arts) or 1))
            if sim >= 0.9 and (best is None or sim > best[0]):
                best = (sim, k)
        if best is not None:
            _pday, (d, arts, src) = spare.pop(best[1])
            score_pair(day, gset, d, arts, src)
            continue
        fn += len(gset)
        unmatched_gold.append(row)
        disagreements.append(DecreeDisagreement(
            day, row.get("title", ""), "", sorted(gset, key=_art_key), [], "unmatched"))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return DecreeEvalReport(
        precision, recall, f1, tp, fp, fn, matched, unmatched_gold, out_of_scope,
        len(parsed) - used_parsed, disagreements,
    )


def _art_key(label: str) -> tuple[int, str]:
    head = label.split()[0]
    return (int(head), label) if head.isdigit() else (10_000, label)


_ARTICLE_FILE_RE = re.compile(r"^CPEUM/(\d{3})(?:[-_ ]?(\w+))?\.rst$")


def gold_from_git_history(path: str | Path) -> list[dict[str, Any]]:
    """Answers in the format of ``cpeum_decrees_dev.json`` built from the decree commits of
    the constitution's git history (``cpeum_decree_commits.jsonl``): the DOF date from the
    commit message, the articles from the per-article files the commit touched."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        msg = rec.get("message", "")
        # The same reading of the DOF date as the history's (the DOF link wins over the prose).
        day, _problem = publication_date(msg)
        if day is None:
            continue
        title_m = TITLE_RE.search(msg)
        arts = []
        for f in rec.get("files", []):
            fm = _ARTICLE_FILE_RE.match(f)
            if fm:
                arts.append(str(int(fm.group(1))))
        rows.append({"commit": rec.get("commit"), "dof_date": day.isoformat(),
                     "title": " ".join(title_m.group(1).split()) if title_m else "",
                     "articles": sorted(set(arts), key=_art_key)})
    return rows
