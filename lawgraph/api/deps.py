"""Dependencies shared by the routers: the store, the journal, the writer of a change."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from lawgraph.api.cache import ReadCache
from lawgraph.api.security import Writer, require_writer
from lawgraph.graph.store import GraphStore


def get_store(request: Request) -> GraphStore:
    """The application's store (a dependency, so handlers never open their own)."""
    return request.app.state.store


def get_journal(request: Request):
    """The journal writes go to: the application's (tests) or the data directory's."""
    j = getattr(request.app.state, "journal", None)
    if j is None:
        from lawgraph.journal import default_journal

        j = request.app.state.journal = default_journal()
    return j


def get_cache(request: Request) -> ReadCache:
    """The worker's read cache (see cache.py); writes clear it."""
    return request.app.state.cache


Store = Annotated[GraphStore, Depends(get_store)]
Cache = Annotated[ReadCache, Depends(get_cache)]
JournalDep = Annotated[Any, Depends(get_journal)]
WriterDep = Annotated[Writer, Depends(require_writer)]
