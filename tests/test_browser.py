"""The pages driven by a real browser (issue 12 point 7): Debian's Chromium, headless, against the
real site on a loopback port (tests/browser_site.py). Each step saves a screenshot under
test-artifacts/screenshots/ and checks what a person sees: Spanish words, the article's text, the
confirmation of a review.

The flow follows the pages that exist: home → law → article → the article at a past date →
recommendation → sign in → confirm a link → search; and a suggestion's page."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import httpx
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser_site import PASSWORD, REVIEWER, browser, shot, site  # noqa: F401  (fixtures)

# Reason: the slowest page here (a recommendation with its candidate links, or a search over two
# laws) answers in well under a second on this machine; 30 s only bounds a hung server.
WAIT = 30


def _body(driver) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


def _wait_path(driver, prefix: str) -> None:
    WebDriverWait(driver, WAIT).until(lambda d: urlsplit(d.current_url).path.startswith(prefix))


def _spanish_page(driver) -> str:
    """The page's visible text, after checking it is a Spanish page without raw values."""
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    text = _body(driver)
    assert "lawgraph" in text and "Buscar" in text, text[:300]
    assert not re.search(r"\bNone\b|Internal Server Error|Not Found|Traceback", text), text[:500]
    return text


def _api(site, path: str, **params):
    r = httpx.get(site.url + path, params=params, timeout=WAIT)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    return r.json()


def test_home_law_article_and_article_at_a_past_date(site, browser):
    d = browser
    d.get(site.url + "/")
    text = _spanish_page(d)
    assert "Leyes en el grafo" in text and "CPEUM" in text and "LGAMVLV" in text
    shot(d, "01-inicio")

    # the Constitution from the home page's table
    d.find_element(By.CSS_SELECTOR, 'a[href="/ley/cpeum"]').click()
    _wait_path(d, "/ley/cpeum")
    text = _spanish_page(d)
    assert "Constitución Política de los Estados Unidos Mexicanos" in text and "Artículos" in text
    shot(d, "02-ley-cpeum")

    # its article 4 from the list of articles
    d.find_element(By.CSS_SELECTOR, 'a[href^="/ley/cpeum/articulo/4?"]').click()
    _wait_path(d, "/ley/cpeum/articulo/4")
    text = _spanish_page(d)
    now = _api(site, "/api/provision", ref="CPEUM art 4")
    assert "Artículo 4" in text and "Texto vigente desde" in text and "cpeum.pdf, página" in text
    first_words = " ".join(now["text"].split()[:8])
    assert first_words in " ".join(text.split()), first_words
    shot(d, "03-articulo-cpeum-4")

    # the same article on 1 January 1980, asked through the page's date form: the words the
    # decree history gives for that day (the JSON API reads the same graph), not today's text
    day = "1980-01-01"
    then = _api(site, "/api/provision", ref="CPEUM art 4", at=day)
    assert then["text"] != now["text"]
    field = d.find_element(By.CSS_SELECTOR, 'form.fecha input[name="fecha"]')
    d.execute_script("arguments[0].value = arguments[1]", field, day)   # the date picker's own value format
    d.find_element(By.CSS_SELECTOR, "form.fecha button").click()
    WebDriverWait(d, WAIT).until(lambda x: f"fecha={day}" in x.current_url)
    text = _spanish_page(d)
    seen = " ".join(text.split())
    assert " ".join(then["text"].split()[:8]) in seen
    assert " ".join(now["text"].split()[:8]) not in seen
    # 1974's reform made the equality of women and men part of article 4; on 1980-01-01 it is in force
    assert "varón y la mujer son iguales ante la ley" in seen
    # the form keeps the date asked
    assert d.find_element(By.CSS_SELECTOR, 'form.fecha input[name="fecha"]').get_attribute("value") == day
    shot(d, "04-articulo-cpeum-4-en-1980")


def test_recommendation_sign_in_and_confirm_a_link(site, browser):
    d = browser
    # the recommendations list, filtered by a word, as a person narrows it down
    d.get(site.url + "/recomendaciones")
    box = d.find_element(By.CSS_SELECTOR, 'form[action="/recomendaciones"] input[name="q"]')
    box.send_keys("violencia")
    box.submit()
    WebDriverWait(d, WAIT).until(lambda x: "q=violencia" in x.current_url)
    text = _spanish_page(d)
    assert "Recomendaciones" in text
    shot(d, "05-recomendaciones")
    # the first one with candidate links (the "Vínculos" column: "N (M confirmados)")
    target = None
    for row in d.find_elements(By.CSS_SELECTOR, "table tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        if cells and re.match(r"[1-9]\d* \(0 confirmados\)", cells[-1].text):
            target = cells[0].find_element(By.TAG_NAME, "a")
            break
    assert target is not None, "ninguna recomendación sobre violencia tiene vínculos candidatos"
    rec_id = target.text
    target.click()
    _wait_path(d, "/recomendacion/")
    text = _spanish_page(d)
    assert rec_id in text and "Disposiciones candidatas y revisadas" in text
    assert "Pide: «" in text and "Dice la ley: «" in text
    shot(d, "06-recomendacion")

    # reading is public; confirming needs an account: "Entre" leads to the sign-in form and back
    d.find_element(By.LINK_TEXT, "Entre").click()
    _wait_path(d, "/entrar")
    _spanish_page(d)
    d.find_element(By.NAME, "usuario").send_keys(REVIEWER)
    d.find_element(By.NAME, "contrasena").send_keys(PASSWORD)
    shot(d, "07-entrar")
    d.find_element(By.CSS_SELECTOR, "form.entrar button").click()
    _wait_path(d, "/recomendacion/")
    text = _spanish_page(d)
    assert f"Sesión: {REVIEWER}" in text

    # confirm the first candidate, with a reason
    item = d.find_element(By.CSS_SELECTOR, "li.vinculo.estado-suggested")
    link_id = item.get_attribute("id")
    item.find_element(By.NAME, "reason").send_keys("Revisado en la prueba del navegador")
    item.find_element(By.CSS_SELECTOR, 'button[value="confirmed"]').click()
    WebDriverWait(d, WAIT).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, f'li.estado-confirmed[id="{link_id}"]')))
    text = _spanish_page(d)
    done = d.find_element(By.ID, link_id).text
    assert "[confirmado]" in done.lower() and f"Revisó {REVIEWER}" in done and "Revisado en la prueba del navegador" in done
    assert "Ninguna confirmada todavía" not in text
    shot(d, "08-vinculo-confirmado")
    # the decision is stored (the JSON API reads it back) and recorded under the account, not a typed name
    stored = [x for x in _api(site, "/api/links", status="confirmed") if x["id"] == link_id]
    assert stored and stored[0]["reviewer"] == REVIEWER


def test_search_from_the_header_box(site, browser):
    d = browser
    d.get(site.url + "/")
    box = d.find_element(By.ID, "q")
    assert box.get_attribute("placeholder").startswith("Ej.:")
    box.send_keys("interpósita persona")
    box.submit()
    _wait_path(d, "/buscar")
    text = _spanish_page(d)
    assert "Resultados para «interpósita persona»" in text and "Sin resultados" not in text
    shot(d, "09-buscar")
    first = d.find_element(By.CSS_SELECTOR, "ol.resultados li a")
    first.click()
    _wait_path(d, "/ley/")
    text = _spanish_page(d)
    assert "interpósita persona" in text.lower()
    shot(d, "10-resultado")


def test_suggestion_page_says_whether_it_became_law(site, browser):
    d = browser
    d.get(site.url + "/sugerencias")
    text = _spanish_page(d)
    assert "Colectiva de Prueba" in text
    shot(d, "11-sugerencias")
    d.find_element(By.PARTIAL_LINK_TEXT, "Colectiva de Prueba").click()
    _wait_path(d, "/sugerencia/")
    text = _spanish_page(d)
    assert "Colectiva de Prueba, 8 de marzo de 2025" in text and "violencia vicaria" in text
    assert "¿Se volvió ley?" in text
    shot(d, "12-sugerencia")
