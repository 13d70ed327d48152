"""Domain model (pydantic v2, frozen, extra='forbid')."""
from lawgraph.model.law import (  # noqa: F401
    Decree,
    Division,
    ParsedLaw,
    ReformNote,
    SourceRef,
    Unit,
)
