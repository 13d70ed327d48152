"""Running the site: one or several uvicorn worker processes over one embedded store.

With the embedded FalkorDB the server is started here, once, before the workers; each worker
attaches to it (never starts or stops its own), and it is stopped when the site stops if this
call started it.
"""
from __future__ import annotations

import contextlib
import signal
import sys

from lawgraph.config import get_settings


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    import uvicorn

    settings = get_settings()
    # uvicorn re-raises the SIGTERM it stopped on once it is done; with Python's default handler
    # that would kill this process before the store below is stopped. Exit cleanly instead.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with contextlib.ExitStack() as stack:
        from lawgraph.graph.falkordb_server import serving

        # Started or joined once; serve.lock held so no other command stops it, and a watcher
        # revives it after a crash (nothing for the Neo4j backend).
        stack.enter_context(serving(settings))
        if workers > 1:
            uvicorn.run("lawgraph.api.app:create_app", factory=True, host=host, port=port, workers=workers,
                        log_level="warning")
        else:
            from lawgraph.api.app import create_app

            uvicorn.run(create_app(), host=host, port=port, log_level="warning")
