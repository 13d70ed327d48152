"""The graph: a ``GraphStore`` (embedded FalkorDB by default, Neo4j for shared deployments),
the law loader and the read functions.

    with open_store() as store:
        report = load_parsed_law(store, parsed, jurisdiction="mx", kind="ley", key="lgamvlv")
        view = get_provision(store, "/mx/ley/lgamvlv/art_20-ter")   # ids; typed references
                                                                    # ("LGAMVLV art 20 Ter") go
                                                                    # through lawgraph.provisions
"""
from __future__ import annotations

import contextlib
from typing import Iterator

from lawgraph.errors import ConfigError
from lawgraph.graph.load import LabelCounts, LoadReport, load_parsed_law  # noqa: F401
from lawgraph.graph.read import (  # noqa: F401
    ProvisionVersion,
    find_article,
    get_provision,
    list_laws,
    stats,
    version_articles,
    version_decrees,
)
from lawgraph.graph.store import GraphStore, QueryResult  # noqa: F401


@contextlib.contextmanager
def open_store(settings=None, *, bolt_port: int | None = None) -> Iterator[GraphStore]:
    """The configured store, open for the duration of the block.

    falkordb: starts (or reuses) the embedded server in ``settings.home`` and stops it on exit
    if this call started it. neo4j: a driver for ``settings.neo4j_uri``, closed on exit; without
    a URI, the project's local Neo4j in ``settings.home`` (started, reused and stopped the same way).
    """
    from lawgraph.config import get_settings

    settings = settings or get_settings()
    if settings.backend == "falkordb":
        from lawgraph.graph.falkordb_server import EmbeddedFalkorDB

        with EmbeddedFalkorDB(settings.home, bolt_port=bolt_port) as server:
            yield server.store()
    elif settings.backend == "neo4j" and not settings.neo4j_uri:
        # No server named: the project's local Neo4j in settings.home, like the embedded FalkorDB.
        from lawgraph.graph.neo4j_server import LocalNeo4j

        with LocalNeo4j(settings.home) as server:
            store = server.store()
            try:
                yield store
            finally:
                store.close()
    elif settings.backend == "neo4j":
        import neo4j

        from lawgraph.graph.neo4j_backend import Neo4jStore

        auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None
        # Notifications (e.g. "property key does not exist" before the first load) are not errors.
        driver = neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=auth, notifications_min_severity="OFF")
        store = Neo4jStore(driver, database=settings.neo4j_database)
        try:
            yield store
        finally:
            store.close()
            driver.close()
    else:
        raise ConfigError(f"LAWGRAPH_BACKEND={settings.backend!r} no es válido: use 'falkordb' o 'neo4j'")
