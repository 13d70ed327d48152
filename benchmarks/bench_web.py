"""The web site under load: 50 concurrent clients on loopback over the main pages and JSON
endpoints, with a writer confirming and rejecting a link through the JSON API meanwhile
(issue 13, point 7). Prints figures; asserts nothing.

    .venv/bin/lawgraph build                      # the built corpus in $LAWGRAPH_HOME first
    .venv/bin/python benchmarks/bench_web.py      # starts `lawgraph serve` on a free port
    .venv/bin/python benchmarks/bench_web.py --url http://127.0.0.1:8000 --clients 50 --seconds 20

Targets on the built corpus: p95 < 100 ms for the JSON endpoints and < 200 ms for pages, 0 errors.
With 19 URLs nearly every request is answered by the site's response cache (see
lawgraph/api/cache.py); --miss makes every request a distinct one, to measure the work behind it.

Each client loops over the URL list (shuffled per client) for --seconds after a warm-up pass; the
writer posts one review decision every --write-every seconds with an API token of the account
"benchmark" (created in $LAWGRAPH_HOME/accounts when missing). Those decisions are real: they go
to the journal of that data directory; run the benchmark on a data directory where that is fine.
The load generator runs in this process on the same machine as the server, so on a 2-core machine
its own CPU use is part of what is measured.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lawgraph.config import get_settings  # noqa: E402
from lawgraph.users import Accounts  # noqa: E402

PAGES = ["/", "/ley/lgamvlv", "/ley/cpeum", "/ley/lgamvlv/articulo/20%20Ter", "/ley/cpeum/articulo/4",
         "/buscar?q=violencia+pol%C3%ADtica", "/recomendaciones", "/sugerencias"]
JSON = ["/api/laws", "/api/stats", "/api/laws/lgamvlv/articles", "/api/laws/lgamvlv/decrees",
        "/api/provision?ref=" + quote("LGAMVLV art 20 Ter"), "/api/search?q=interp%C3%B3sita&limit=20",
        "/api/recommendations?limit=50", "/api/suggestions?limit=50", "/api/links?limit=50"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))
    return xs[k]


async def client_loop(host: str, port: int, urls: list[str], until: float, out: dict[str, list], errors: list,
                      bust: bool = False):
    """One client: one keep-alive connection, GET after GET, each timed from send to last byte.
    Plain asyncio streams rather than an HTTP library: on a 2-core machine the load generator's
    own CPU per request is part of every figure, and httpx spent more CPU per request than the
    server did (measured with the CPU line this script prints)."""
    order = urls[:]
    random.shuffle(order)
    i = 0
    reader = writer = None
    while time.perf_counter() < until:
        url = order[i % len(order)]
        i += 1
        t0 = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            # --miss: a query parameter no route reads makes every request a new answer to make
            sent = f"{url}{'&' if '?' in url else '?'}_b={random.getrandbits(48)}" if bust else url
            writer.write(f"GET {sent} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n")[1:]:
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            dt = time.perf_counter() - t0
            if status != 200:
                errors.append(f"{url}: {status}")
            out[url].append(dt)
        except (OSError, asyncio.IncompleteReadError, ValueError) as e:
            errors.append(f"{url}: {type(e).__name__}")
            if writer is not None:
                writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def writer_loop(http: httpx.AsyncClient, token: str, link_id: str, until: float, every: float,
                      out: list, errors: list):
    decision = "confirmed"
    while time.perf_counter() < until:
        t0 = time.perf_counter()
        try:
            r = await http.post(f"/api/links/{link_id}/review", headers={"authorization": f"Bearer {token}"},
                                json={"decision": decision, "reason": "bench_web.py"})
            if r.status_code != 200:
                errors.append(f"escritura: {r.status_code} {r.text[:120]}")
        except httpx.HTTPError as e:
            errors.append(f"escritura: {type(e).__name__}")
        out.append(time.perf_counter() - t0)
        decision = "rejected" if decision == "confirmed" else "confirmed"
        await asyncio.sleep(every)


async def run(url: str, clients: int, seconds: float, write_every: float, token: str | None,
              bust: bool = False) -> None:
    limits = httpx.Limits(max_connections=clients + 2, max_keepalive_connections=clients + 2)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        link_id = None
        if token:
            links = (await http.get("/api/links?limit=1")).json()
            link_id = links[0]["id"] if links else None
        recs = (await http.get("/api/recommendations?limit=5")).json()
        pages = PAGES + [f"/recomendacion/{quote(r['id'], safe='')}" for r in recs[:2]]
        urls = pages + JSON
        for u in urls:  # warm-up pass, not measured
            r = await http.get(u)
            if r.status_code != 200:
                print(f"aviso: {u} respondió {r.status_code} en el calentamiento")
        times: dict[str, list[float]] = {u: [] for u in urls}
        errors: list[str] = []
        writes: list[float] = []
        t_start = time.perf_counter()
        until = t_start + seconds
        parts = urlsplit(url)
        tasks = [client_loop(parts.hostname, parts.port or 80, urls, until, times, errors, bust)
                 for _ in range(clients)]
        if link_id and token:
            tasks.append(writer_loop(http, token, link_id, until, write_every, writes, errors))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - t_start
    total = sum(len(v) for v in times.values())
    print(f"{clients} clientes, {elapsed:.1f} s, {total} solicitudes ({total / elapsed:.0f}/s), "
          f"errores: {len(errors)}, escrituras: {len(writes)}"
          + (f" (mediana {statistics.median(writes) * 1000:.0f} ms)" if writes else " (sin escritor: no hay vínculos)"))
    for e in sorted(set(errors))[:10]:
        print("  error:", e)
    print(f"{'grupo/ruta':58} {'n':>6} {'p50':>7} {'p95':>7} {'p99':>7}  (ms)")
    for name, group in (("PÁGINAS", pages), ("JSON", JSON)):
        xs = [x for u in group for x in times[u]]
        print(f"{name:58} {len(xs):6d} {percentile(xs, 50) * 1000:7.0f} {percentile(xs, 95) * 1000:7.0f} "
              f"{percentile(xs, 99) * 1000:7.0f}")
        for u in group:
            v = times[u]
            print(f"  {u[:56]:56} {len(v):6d} {percentile(v, 50) * 1000:7.0f} {percentile(v, 95) * 1000:7.0f} "
                  f"{percentile(v, 99) * 1000:7.0f}")


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its live children (the workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for t in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (t / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return total


def bench_token(home: Path) -> str:
    acc = Accounts(home)
    if acc.get("benchmark") is None:
        acc.add("benchmark", os.urandom(16).hex())
    return acc.new_token("benchmark")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", help="a running site; default: start `lawgraph serve` on a free port")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--workers", type=int, default=None, help="workers of the started server")
    ap.add_argument("--write-every", type=float, default=0.5, help="seconds between the writer's decisions")
    ap.add_argument("--no-writer", action="store_true")
    ap.add_argument("--miss", action="store_true",
                    help="make every request miss the response cache (a distinct query string each time)")
    args = ap.parse_args()
    home = get_settings().home
    token = None if args.no_writer else bench_token(home)
    server = None
    url = args.url
    if url is None:
        port = free_port()
        cmd = [str(REPO / ".venv/bin/lawgraph"), "serve", "--port", str(port)]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        log = open(home / "bench_web_server.log", "wb")  # the server's own messages, kept out of the figures
        server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if httpx.get(url + "/api/laws", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            server.terminate()
            sys.exit("el servidor no arrancó en 120 s")
    try:
        print(f"servidor: {url}" + (f" ({args.workers} procesos)" if args.workers else ""))
        own0 = resource.getrusage(resource.RUSAGE_SELF)
        srv0 = cpu_seconds(server.pid) if server else None
        t0 = time.perf_counter()
        if args.miss:
            print("cada solicitud es distinta: la caché de respuestas no sirve ninguna")
        asyncio.run(run(url, args.clients, args.seconds, args.write_every, token, args.miss))
        wall = time.perf_counter() - t0
        own1 = resource.getrusage(resource.RUSAGE_SELF)
        own = own1.ru_utime + own1.ru_stime - own0.ru_utime - own0.ru_stime
        line = f"CPU en {wall:.1f} s: generador de carga {own:.1f} s"
        if server:  # the store's own process is not counted: it is not a child of `serve`
            line += f", servidor web {cpu_seconds(server.pid) - srv0:.1f} s"
        print(line + f"; carga media de la máquina {os.getloadavg()[0]:.1f} en {os.cpu_count()} núcleos")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
