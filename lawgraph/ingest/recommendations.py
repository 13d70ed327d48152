"""Recommendations and suggestions: the names other modules import, from the readers of
:mod:`lawgraph.ingest.recs` (one module per source behind the ``SOURCES`` registry; the
manifest ``corpora/recommendations/un_recommendations.toml`` says which files and years).

Kept so that ``from lawgraph.ingest.recommendations import …`` goes on working; new code may
import from the source modules directly.
"""
from __future__ import annotations

from lawgraph.ingest.recs import (  # noqa: F401
    SOURCES,
    load_corpus_recommendations,
    pair_translations,
    source_documents,
    spanish_twins,
    upr_documents,
)
from lawgraph.ingest.recs.cladem import (  # noqa: F401
    ObservationSet,
    ThemeEntry,
    body_of_title,
    read_cladem,
    read_cladem_dir,
    read_cladem_files,
    read_thematic_index,
    resolve_themes,
    symbol_from_footnote,
)
from lawgraph.ingest.recs.common import (  # noqa: F401
    MAX_TEXT_CHARS,
    MIN_TEXT_CHARS,
    ReadReport,
    RowError,
    fold_ws,
    guess_language,
    looks_mac_roman,
    normalise_symbol,
    repair_mac_roman,
    sha256_of,
)
from lawgraph.ingest.recs.upr_csv import read_upr_csv  # noqa: F401
from lawgraph.ingest.recs.upr_pdf import read_upr_pdf  # noqa: F401
from lawgraph.ingest.recs.user_import import (  # noqa: F401
    REC_FIELDS,
    SUG_FIELDS,
    import_recommendations,
    import_suggestions,
    suggestion_from_values,
)
