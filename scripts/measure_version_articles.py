"""Article and decree counts of consecutive versions of the same law in the corpus.

The figure behind ``lawgraph.steps.MIN_ARTICLE_SHARE``: how much smaller a real later version of
a law is than the one before it (repealed articles stay printed as "Derogado", so a real version
keeps its article count). Prints one line per pair of consecutive versions:

    .venv/bin/python scripts/measure_version_articles.py
"""
from __future__ import annotations

from collections import defaultdict

from lawgraph import corpus
from lawgraph.config import get_settings
from lawgraph.ingestion import law_documents
from lawgraph.pipeline import parse_file


def main() -> None:
    docs, _ = law_documents(corpus.load_all())
    by_law: dict[tuple[str, str], list[corpus.Document]] = defaultdict(list)
    for d in docs:
        if d.version_date:
            by_law[(d.jurisdiction, d.law_key)].append(d)
    settings = get_settings()
    shares = []
    for (juris, key), versions in sorted(by_law.items()):
        if len(versions) < 2:
            continue
        counts = []
        for d in sorted(versions, key=lambda d: d.version_date):
            parsed = parse_file(corpus.resolve(d, settings), profile=d.profile)
            counts.append((d.version_date, len(parsed.articles), len(parsed.decrees)))
        for (d0, a0, k0), (d1, a1, k1) in zip(counts, counts[1:]):
            shares.append(a1 / a0)
            print(f"{juris}/{key}: {d0} {a0} articles {k0} decrees -> {d1} {a1} articles {k1} decrees "
                  f"(share {a1 / a0:.3f})")
    if shares:
        print(f"smallest share of the previous version's articles: {min(shares):.3f} over {len(shares)} pairs")


if __name__ == "__main__":
    main()
