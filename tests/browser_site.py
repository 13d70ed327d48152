"""The running site for the browser and crawler tests (issue 12 point 7).

One real graph per test session, built from the corpus with the project's own steps (the same
functions `lawgraph build` runs): LGAMVLV and the Constitution, the Constitution's decree history,
the SITL process snapshot, the corpus recommendations, two suggestions written here, and the real
linker over LGAMVLV. The real application is served by uvicorn on a free loopback port in a
thread, with one account for the writes (as `lawgraph user add` makes it). Chromium is Debian's,
driven through the system chromedriver; nothing is downloaded (Selenium Manager is kept offline).

Both test modules import the fixtures; the site is built once per session whichever imports it
first (``_shared``), and stopped when the last user is done.
"""
from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REVIEWER, PASSWORD = "revisora", "contraseña de prueba 12"
LAWS = ("laws/federal/lgamvlv.pdf", "laws/federal/cpeum.pdf")
# Two suggestions written for these tests (not copied from anywhere): one on vicarious violence, one on
# political violence, so the linker has something to link them to.
SUGGESTIONS = (
    {"organisation": "Colectiva de Prueba", "date": "2025-03-08", "language": "es", "priority_area": "violencia",
     "text": "Pedimos que la ley general reconozca la violencia vicaria contra las madres a través de sus hijas e "
             "hijos y que las órdenes de protección la cubran."},
    {"organisation": "Red de Ejemplo", "date": "2025-05-20", "language": "es", "priority_area": "participación política",
     "text": "Solicitamos sanciones claras para la violencia política contra las mujeres en razón de género en "
             "los partidos y en las campañas."},
)


@dataclass
class Site:
    home: Path
    url: str
    build_seconds: dict[str, float] = field(default_factory=dict)
    _stop: object = None

    def close(self) -> None:
        if self._stop is not None:
            self._stop()
            self._stop = None


_shared: dict[str, object] = {"site": None, "users": 0}


def _build(store, corpora: Path, home: Path) -> dict[str, float]:
    """The graph the flow needs, with each step's seconds."""
    from lawgraph import steps
    from lawgraph.config import Settings
    from lawgraph.journal import Journal

    journal = Journal(home)
    settings = Settings(home=home, mirror=corpora)
    times: dict[str, float] = {}

    def step(name, fn):
        t0 = time.perf_counter()
        out = fn()
        times[name] = round(time.perf_counter() - t0, 1)
        return out

    outs = step("laws", lambda: steps.ingest_documents(store, [str(corpora / p) for p in LAWS], all_docs=False,
                                                       settings=settings))
    errors = [o.error for o in outs if o.error]
    assert not errors, errors
    step("history", lambda: steps.ingest_history(store, corpora / "reforms" / "cpeum_git_history"))
    step("process", lambda: steps.ingest_process(store, corpora / "process" / "sitl_diputados_lxvi"))
    recs = step("recommendations", lambda: steps.ingest_recommendations(store, corpora, journal, replay=False)).recs
    sug_file = home / "sugerencias-prueba.jsonl"
    sug_file.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in SUGGESTIONS), encoding="utf-8")
    read, _ = step("suggestions", lambda: steps.import_suggestions(store, sug_file, journal))
    assert not read.errors, read.errors
    # The linker over every recommendation took 105 s here (8,160 links, /tmp timing run of this
    # fixture); the CEDAW recommendations of the latest year in the corpus and the two suggestions
    # are enough for the pages and keep the fixture under the brief's ~2 minutes.
    latest = max(r.year for r in recs if r.body == "CEDAW" and r.year)
    only = {r.rec_id for r in recs if r.body == "CEDAW" and r.year == latest} | {x.sug_id for x in read.items}
    step("links", lambda: steps.link(store, laws=[corpora / LAWS[0]], only=only))
    return times


def _free_socket() -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    return s


def _start(tmp_path_factory: pytest.TempPathFactory, corpora: Path) -> Site:
    import uvicorn

    from lawgraph.api.app import create_app
    from lawgraph.graph.falkordb_server import EmbeddedFalkorDB
    from lawgraph.users import Accounts

    home = tmp_path_factory.mktemp("browser-home")
    mp = pytest.MonkeyPatch()
    mp.setenv("LAWGRAPH_HOME", str(home))      # the journal and accounts of the app live here
    server = EmbeddedFalkorDB(home)
    server.__enter__()
    try:
        t0 = time.perf_counter()
        times = _build(server.store(), corpora, home)
        times["total"] = round(time.perf_counter() - t0, 1)
        Accounts(home).add(REVIEWER, PASSWORD)
        app = create_app(server.store(), home=home)
        sock = _free_socket()
        port = sock.getsockname()[1]
        web = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        thread = threading.Thread(target=web.run, kwargs={"sockets": [sock]}, daemon=True, name="lawgraph-web")
        thread.start()
        deadline = time.monotonic() + 30
        while not web.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the web server did not start"
            time.sleep(0.05)
    except BaseException:
        server.__exit__(None, None, None)
        mp.undo()
        raise

    def stop():
        web.should_exit = True
        thread.join(timeout=15)
        sock.close()
        server.__exit__(None, None, None)
        mp.undo()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "site-build-seconds.json").write_text(json.dumps(times, indent=1) + "\n", encoding="utf-8")
    return Site(home, f"http://127.0.0.1:{port}", times, stop)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, corpora: Path):
    """The running site (built once per session), as :class:`Site`."""
    if _shared["site"] is None:
        _shared["site"] = _start(tmp_path_factory, corpora)
    _shared["users"] += 1
    yield _shared["site"]
    _shared["users"] -= 1
    if _shared["users"] == 0:
        _shared["site"].close()
        _shared["site"] = None


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through /usr/bin/chromedriver, allowed to reach loopback only."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(f"falta {', '.join(missing)}: ejecute `make install` como root (scripts/install-system-deps "
                    "instala chromium y chromium-driver de Debian)")
    os.environ["SE_OFFLINE"] = "true"          # Selenium Manager must not download drivers or browsers
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--disable-extensions", "--lang=es-MX",
                # loopback only: every other host name fails to resolve
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=opts)
    driver.set_page_load_timeout(60)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


def visible_text(html: str) -> str:
    """The words a person sees in an HTML page: no tags, scripts, styles or comments; spaces collapsed."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>|<!--.*?-->", " ", html)
    text = re.sub(r"<[^>]+>", " ", html)
    for ent, ch in (("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&amp;", "&")):
        text = text.replace(ent, ch)
    return re.sub(r"\s+", " ", text).strip()


def shot(driver, name: str) -> Path:
    """Save a PNG of the whole current page under test-artifacts/screenshots/."""
    path = SCREENSHOTS / f"{name}.png"
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
    driver.set_window_size(1280, max(800, int(height)))
    assert driver.save_screenshot(str(path)), path
    driver.set_window_size(1280, 1000)
    return path
