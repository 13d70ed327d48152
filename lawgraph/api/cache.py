"""Caches of the site, per worker process.

:class:`ReadCache` keeps hot, rarely changing answers of the library (the law list, the figures of
the home page, the graph's counts), so a busy page does not ask the store the same thing for every
visitor and never runs a full-scan count per request. One computation per key at a time: the other
requests for that key wait for it instead of repeating it.

:class:`ResponseCache` keeps whole public answers (GET, no session, no token) for a few seconds;
while one is being made again, other requests for it get the previous one (or, without one, wait
for it) instead of making it again.

Entries expire after their time to live; every write through the site clears both caches of that
worker process (its generation changes); other workers see the change when their entries expire.
A signed-in person's requests bypass the response cache, so a reviewer sees their decision at once.
"""
from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from typing import Any, Callable

# Reason: the law list and the graph's figures change only with an ingest or a build (minutes
# long, from the CLI); a page may show the figures from before it for at most this long.
LAWS_TTL = 30.0
# Reason: counts by review status change with every decision; from another worker process a
# decision shows in them after at most this long (in the worker that took it, at once).
REVIEW_TTL = 5.0
# Answers about laws, provisions and search change only with an ingest: kept LAWS_TTL. Answers
# about links change with every review: kept REVIEW_TTL, so an anonymous reader sees a decision
# taken in another worker at most that late. Measured with bench_web.py: with every answer kept
# 5 s, re-making the 19 benchmarked answers every 5 s took most of the server's CPU.
# Reason: bounds the memory of the response cache per worker: at most 2,000 answers of at most
# 1 MiB (the largest page measured, the Constitution's article list, is about 0.1 MiB).
RESPONSE_ENTRIES = 2000
RESPONSE_MAX_BYTES = 1 << 20
# Answers that are never shared: forms with a per-visitor token, sign-in, the docs' assets.
UNCACHED_PREFIXES = ("/entrar", "/salir", "/static/", "/api/docs")
# Answers that show links or their review status: dropped on a review decision. The others (laws,
# provisions, search, counts) do not change with a decision and live their full time.
LINK_PREFIXES = ("/api/links", "/api/recommendation", "/api/suggestion", "/api/provision/links",
                 "/recomendacion", "/sugerencia", "/vinculo")


class ReadCache:
    def __init__(self):
        self._values: dict[str, tuple[float, Any]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: str, ttl: float, compute: Callable[[], Any]) -> Any:
        hit = self._values.get(key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            hit = self._values.get(key)
            if hit is not None and hit[0] > time.monotonic():
                return hit[1]
            value = compute()
            self._values[key] = (time.monotonic() + ttl, value)
            return value

    # Changes with every clear(); the response cache drops answers made under an older one.
    generation = 0
    # Changes with every clear(), and with a review decision (links_changed): answers about links.
    links_generation = 0

    def clear(self) -> None:
        self._values.clear()
        self.generation += 1
        self.links_generation += 1

    def links_changed(self) -> None:
        """A review decision: only what shows links or their status is stale."""
        self._values.pop("recs_summary", None)
        self.links_generation += 1


class ResponseCache:
    """ASGI middleware: public GET answers (status 200) kept LAWS_TTL or REVIEW_TTL seconds, keyed
    by path and query, dropped when the ReadCache's generation changes (a write in this worker)."""

    def __init__(self, app, reads: ReadCache):
        self.app = app
        self.reads = reads
        self.entries: OrderedDict[bytes, tuple[float, int, dict, bytes]] = OrderedDict()
        self.pending: dict[bytes, asyncio.Future] = {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or not self._public(scope):
            return await self.app(scope, receive, send)
        key = scope["path"].encode() + b"?" + scope.get("query_string", b"")
        about_links = scope["path"].startswith(LINK_PREFIXES)
        hit = self.entries.get(key)
        now = time.monotonic()
        fresh = hit is not None and hit[0] > now and hit[1] == self._generation(about_links)
        waiting = None if fresh else self.pending.get(key)
        if waiting is not None:
            # The answer is being made again. Meanwhile the previous one is served (it is at most
            # one re-computation old); without one, wait for the new one rather than make it twice.
            if hit is None:
                await asyncio.shield(waiting)
                hit = self.entries.get(key)
            fresh = hit is not None
        if fresh:
            self.entries.move_to_end(key)
            await send(hit[2])
            await send({"type": "http.response.body", "body": hit[3]})
            return
        done = self.pending[key] = asyncio.get_running_loop().create_future()
        try:
            await self._make(key, about_links, scope, receive, send)
        finally:
            if self.pending.get(key) is done:
                del self.pending[key]
            done.set_result(None)

    async def _make(self, key: bytes, about_links: bool, scope, receive, send) -> None:
        generation = self._generation(about_links)
        start: dict | None = None
        chunks: list[bytes] = []

        async def capture(message):
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start is not None:
                    self._keep(key, start, b"".join(chunks), generation, about_links)
            await send(message)

        await self.app(scope, receive, capture)

    @staticmethod
    def _public(scope) -> bool:
        if scope["path"].startswith(UNCACHED_PREFIXES):
            return False
        for k, v in scope["headers"]:
            if k == b"authorization" or (k == b"cookie" and b"lawgraph_sesion=" in v):
                return False
        return True

    def _generation(self, about_links: bool) -> int:
        return self.reads.links_generation if about_links else self.reads.generation

    def _keep(self, key: bytes, start: dict, body: bytes, generation: int, about_links: bool) -> None:
        headers = start.get("headers", [])
        if start["status"] != 200 or len(body) > RESPONSE_MAX_BYTES or any(k.lower() == b"set-cookie" for k, _ in headers):
            return
        # Kept under the generation it was started in: if a write happened meanwhile it is already
        # stale (served only while its successor is made), but newer than what it replaces.
        ttl = REVIEW_TTL if about_links else LAWS_TTL
        self.entries[key] = (time.monotonic() + ttl, generation, start, body)
        self.entries.move_to_end(key)
        while len(self.entries) > RESPONSE_ENTRIES:
            self.entries.popitem(last=False)
