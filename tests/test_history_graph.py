"""Point-in-time text, decree operations and the Constitution's history, on real documents in
the embedded graph."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest
from rapidfuzz import fuzz

from lawgraph.graph import find_article, read
from lawgraph.graph.amendments import decree_operations, unmatched_notes
from lawgraph.decree_check import check_decree
from lawgraph.graph.history import (
    diff_versions,
    history_article,
    load_cpeum_history,
    refresh_validity,
)
from lawgraph.graph.load import load_parsed_law
from lawgraph.steps import load_amendments
from lawgraph.ingest.cpeum_history import read_history, rst_to_text
from tests.session_cache import parsed_pdf
from lawgraph.provisions import get_provision
from tests.graph_support import falkordb_server, store  # noqa: F401

KW = dict(jurisdiction="mx", kind="ley", key="lgamvlv")

# The articles the DOF 15-01-2026 decree's clause names for the LGAMVLV, read by hand from
# the clause printed in lgamvlv.pdf ("Se reforman los artículos 2, primer párrafo; 3; 5 …").
DECREE_2026_ARTICLES = {
    "2", "3", "5", "6", "8", "14", "20", "23", "24 Bis", "24 Quáter", "24 Sexies", "25", "25 Bis",
    "31", "34 Ter", "34 Duodecies", "36", "37", "38", "40", "41", "42", "42 Bis", "48", "49",
    "59 Bis", "59 Septies",
}


@pytest.fixture(scope="module")
def lg_old(corpora):
    return parsed_pdf(corpora / "laws" / "federal_bajalabs_2025-08" / "LGAMVLV_static.pdf")


@pytest.fixture(scope="module")
def lg_new(corpora):
    return parsed_pdf(corpora / "laws" / "federal" / "lgamvlv.pdf")


@pytest.fixture(scope="module")
def history(corpora):
    return read_history(corpora / "reforms" / "cpeum_git_history")


def _load_both(store, lg_old, lg_new):
    for p in (lg_old, lg_new):
        load_parsed_law(store, p, **KW)
        load_amendments(store, p, **KW)
    refresh_validity(store, "lgamvlv")


def test_two_versions_give_validity_text_at_a_date_and_a_diff(store, lg_old, lg_new):
    _load_both(store, lg_old, lg_new)
    # In force on 2025-06-01: the version of DOF 16-12-2024, through the library.
    v = find_article(store, "lgamvlv", "5", "2025-06-01")
    assert v is not None and v.version_date == "2024-12-16"
    assert get_provision(store, "LGAMVLV art 5", at="2025-06-01").id == v.id
    new = find_article(store, "lgamvlv", "5")
    assert new.version_date == "2026-01-15" and new.text != v.text
    old5 = next(a for a in lg_old.articles if a.label == "5")
    assert " ".join(v.text.split()) == " ".join(old5.full_text().split())

    rows = store.run(
        "MATCH (pv:ProvisionVersion {version_id: $v}) WHERE pv.kind = 'articulo' "
        "RETURN pv.label AS label, pv.valid_from AS f, pv.valid_to AS t",
        {"v": "/mx/ley/lgamvlv@2024-12-16"}).rows
    ended = {r["label"] for r in rows if r["t"] == "2026-01-15"}
    open_ = {r["label"] for r in rows if r["t"] is None}
    assert all(r["f"] == "2024-12-16" for r in rows)
    assert ended and open_ and ended | open_ == {r["label"] for r in rows}
    newest = store.run("MATCH (pv:ProvisionVersion {version_id: $v}) WHERE pv.valid_to IS NOT NULL "
                       "RETURN count(pv) AS n", {"v": "/mx/ley/lgamvlv@2026-01-15"}).rows
    assert newest[0]["n"] == 0                      # the latest version is still in force

    d = diff_versions(store, "LGAMVLV", "2024-12-16", "2026-01-15")
    changed = {c.label for c in d.changed()}
    assert changed == ended                          # article-level diff agrees with validity
    five = next(c for c in d.changes if c.label == "5")
    assert "frac_xxi" in five.units or any(u.startswith("frac_xx") for u in five.units)


def test_changed_articles_equal_those_the_2026_decree_names(store, lg_old, lg_new):
    _load_both(store, lg_old, lg_new)
    chk = check_decree(store, "lgamvlv", "2026-01-15")
    named = {r.article for r in chk.rows if r.named}
    changed = {r.article for r in chk.rows if r.changed}
    assert named == DECREE_2026_ARTICLES
    # Measured: full agreement at article level, no mismatch left to explain.
    assert changed == named
    assert chk.mismatches() == [] and chk.agreement == 1.0
    # The denominations and the repealed section are reported, not lost.
    assert any("seccion Segunda Bis" in p for p in chk.problems)


def test_decree_operations_and_note_links_in_the_graph(store, lg_new):
    load_parsed_law(store, lg_new, **KW)
    rep = load_amendments(store, lg_new, **KW)
    assert rep.operations > 300 and rep.resolved / rep.operations > 0.85
    again = load_amendments(store, lg_new, **KW)
    assert again.unchanged and (again.operations, again.note_links) == (rep.operations, rep.note_links)
    ops = decree_operations(store, "lgamvlv", "2026-01-15")
    arts = {o["article"] for o in ops if o["article"] and not o["transitory"]}
    assert arts == DECREE_2026_ARTICLES
    add21 = [o for o in ops if o["article"] == "5" and o["op"] == "adiciona"]
    assert add21 and add21[0]["units"] == [{"kind": "fraccion", "label": "XXI"}]
    assert add21[0]["target"] == "/mx/ley/lgamvlv/art_5/frac_xxi"
    # "Artículo reformado DOF 15-01-2026"-style notes reach the decree of that date.
    links = store.run(
        "MATCH (pv:ProvisionVersion {version_id: '/mx/ley/lgamvlv@2026-01-15'})-[e:REFORMED_BY]->"
        "(d:Decree {dof_date: '2026-01-15'}) RETURN pv.label AS label, e.action AS action").rows
    assert {r["label"] for r in links} & DECREE_2026_ARTICLES
    assert all(r["action"] for r in links)
    assert unmatched_notes(store, "lgamvlv") == []   # every LGAMVLV note has its decree
    from lawgraph.graph.amendments import provision_reforms

    reforms = provision_reforms(store, "/mx/ley/lgamvlv@2026-01-15/art_5")
    assert any(r["date"] == "2026-01-15" and r["title"].startswith("DECRETO") for r in reforms)
    assert all(r["decree_id"].startswith("/mx/dof/") for r in reforms)


def test_unmatched_constitution_notes_are_stored_not_dropped(store, corpora):
    cpeum = parsed_pdf(corpora / "laws" / "federal" / "cpeum.pdf")
    load_parsed_law(store, cpeum, jurisdiction="mx", kind="constitucion", key="cpeum")
    rep = load_amendments(store, cpeum, jurisdiction="mx", kind="constitucion", key="cpeum")
    rows = unmatched_notes(store, "cpeum")
    assert len(rows) == rep.unmatched_notes > 0
    # Notes older than the decree list (which starts in 1993) are the expected misses.
    assert all(r["reason"] and r["date"] for r in rows)
    assert any(r["reason"] == "anterior a la lista de decretos" for r in rows)


def test_history_rebuilds_article_texts_at_decree_dates(history):
    # Article 4 gained "La mujer y el hombre son iguales" / "igualdad sustantiva" over time:
    # 1974 text says "El varón y la mujer", the 2025 head says "La mujer y el hombre".
    s1980 = history.text_at("4", date(1980, 1, 1))
    s2025 = history.text_at("4", date(2025, 4, 15))
    assert "El varón y la mujer son iguales" in s1980.text
    assert "La mujer y el hombre son iguales" in s2025.text
    assert s1980.valid_to is not None and s1980.valid_to <= date(1983, 2, 7)
    # Every change to article 4 is undone from its own diff: no state is approximate.
    assert s1980.exact and s2025.exact
    # The DOF 29-01-2016 decree (Mexico City reform) is recorded without its diff; the texts
    # before it are rebuilt from the older decrees' diffs. The figures are those the issue
    # reports as the true text: art. 133 in 1942 says "cada Estado", not "entidad federativa";
    # art. 6 on 2013-04-20 has 324 words (the June 2013 reform not yet in force); art. 3 on
    # 1926-06-13 has 73 words.
    s133 = history.text_at("133", date(1942, 3, 14))
    assert "cada Estado" in s133.text and "entidad federativa" not in s133.text and s133.exact
    assert len(history.text_at("6", date(2013, 4, 20)).text.split()) == 324
    assert len(history.text_at("3", date(1926, 6, 13)).text.split()) == 73
    # Article 124, which no decree before 2016 touched, has no evidence of its older words:
    # its older state is the 2016 text, flagged as approximate, with the reason reported.
    assert not history.text_at("124", date(2000, 1, 1)).exact
    assert any("omite el diff del artículo 124" in p for p in history.problems)
    # Article 1 before and after the 2011 human-rights reform (DOF 10-06-2011).
    assert "derechos humanos" not in history.text_at("1", date(2011, 6, 1)).text.lower()
    assert "derechos humanos" in history.text_at("1", date(2011, 6, 11)).text.lower()
    # Every state is a complete article text, dated within its neighbours.
    for states in history.states.values():
        for a, b in zip(states, states[1:]):
            assert a.valid_to == b.valid_from and a.valid_from < b.valid_from
    assert history.hunks_applied + history.hunks_fuzzy > 450
    # What could not be undone is reported with the commit line and article.
    assert all(re.match(r"cpeum_decree_commits\.jsonl:(\d+|\?): ", p) for p in history.problems)


@pytest.mark.parametrize("pdf,day", [
    ("laws/federal_bajalabs_2025-08/CPEUM_static.pdf", date(2025, 4, 15)),
    ("laws/federal/cpeum.pdf", date(2025, 10, 15)),
])
def test_history_head_agrees_with_the_constitution_pdfs(history, corpora, pdf, day):
    parsed = parsed_pdf(corpora / pdf)
    low = {}
    for a in parsed.articles:
        st = history.text_at(a.label, day)
        assert st is not None, a.label
        score = fuzz.ratio(" ".join(a.full_text().split()), " ".join(st.text.split())) / 100
        if score < 0.9:
            low[a.label] = round(score, 2)
    # Measured: 134 of 136 articles agree (ratio >= 0.9). Article 7: the history's text is
    # still the 1917 one (the DOF 11-06-2013 reform is not in the history). Article 63: the
    # transcription orders its paragraphs differently from the official PDF.
    assert set(low) == {"7", "63"}, low


def test_history_in_the_graph_answers_show_at_a_date(store, history):
    rep = load_cpeum_history(store, history)
    assert rep.versions > 100 and rep.total("inserted") > 600
    again = load_cpeum_history(store, history)
    assert again.versions_unchanged == again.versions and again.total("inserted") == 0
    for label, day in [("4", "2012-01-01"), ("1", "2011-06-01"), ("1", "2012-01-01"), ("123", "2000-01-01")]:
        view = find_article(store, "cpeum", label, day)
        want = history.text_at(label, date.fromisoformat(day))
        assert view is not None and view.version_date == want.valid_from.isoformat()
        assert view.text == want.text
    assert "El varón y la mujer" in get_provision(store, "CPEUM art 4", at="2012-01-01").text
    assert history_article(store, "cpeum", "4", "1900-01-01") is None
    # History versions stay out of the whole-version listings.
    assert read.list_laws(store)[0]["versions"] == []


def test_history_versions_are_invisible_while_written(store, history):
    load_cpeum_history(store, history)
    vid = "/mx/constitucion/cpeum@2011-10-13~historia"
    store.run("MATCH (v:LawVersion {id: $id}) SET v.complete = false", {"id": vid})
    view = find_article(store, "cpeum", "4", "2012-01-01")
    assert view is not None and view.version_date < "2011-10-13"
    rep = load_cpeum_history(store, history)      # a re-run completes the interrupted version
    assert rep.versions_unchanged == rep.versions - 1
    assert find_article(store, "cpeum", "4", "2012-01-01").version_date == "2011-10-13"


def test_rst_markup_becomes_plain_paragraphs():
    text = rst_to_text("**Artículo 73**\n\nEl Congreso tiene facultad:\n\n   Z. **Y**. Para expedir\n      la ley;\n")
    assert text.split("\n") == ["Artículo 73", "El Congreso tiene facultad:", "Y. Para expedir la ley;"]


def test_bad_history_directory_is_a_clear_error(tmp_path):
    from lawgraph.errors import InputError

    with pytest.raises(InputError, match="cpeum_decree_commits.jsonl"):
        read_history(tmp_path)
    (tmp_path / "CPEUM_at_HEAD").mkdir()
    (tmp_path / "CPEUM_at_HEAD" / "004.rst").write_text("**Artículo 4o**\n\nTexto nuevo.\n", encoding="utf-8")
    (tmp_path / "cpeum_decree_commits.jsonl").write_text(
        "{not json\n" + json.dumps({
            "commit": "abc", "message": "Artículo 4\n\nDECRETO por el que se reforma el artículo 4o.\n\n"
            "Publicado en el Diario Oficial de la Federación el 31 de febrero de 2020\n",
            "files": ["CPEUM/004.rst"],
            "unified_diff": "diff --git a/CPEUM/004.rst b/CPEUM/004.rst\n--- a/CPEUM/004.rst\n+++ b/CPEUM/004.rst\n"
                            "@@ -1,3 +1,3 @@\n **Artículo 4o**\n \n-Texto viejo.\n+Texto nuevo.\n"}) + "\n",
        encoding="utf-8")
    h = read_history(tmp_path)
    assert any(":1: línea JSON no válida" in p for p in h.problems)
    assert any("31 de febrero de 2020" in p for p in h.problems)   # the offending date, quoted
    # The undated change is still undone (later diffs depend on it) but not dated.
    assert [s.text for s in h.states["4"]] == ["Artículo 4o\nTexto viejo."]


def test_unreadable_clause_is_reported_with_its_text_and_the_rest_written(store):
    from tests.graph_support import make_law

    law = make_law(seed="clausulas")
    bad = law.decrees[1].model_copy(update={"clause": "Texto sin verbo ni artículo alguno."})
    law = law.model_copy(update={"decrees": [law.decrees[0], bad, law.decrees[2]]})
    kw = dict(jurisdiction="mx", kind="ley", key="prueba")
    load_parsed_law(store, law, **kw)
    rep = load_amendments(store, law, **kw)
    assert any("Texto sin verbo" in p or bad.title[:40] in p for p in rep.problems), rep.problems
    first = decree_operations(store, "prueba", law.decrees[0].dof_date.isoformat())
    assert [(o["op"], o["article"]) for o in first] == [("reforma", "1")]
    assert first[0]["target"] == "/mx/ley/prueba/art_1"
    # While a version's operations are being rewritten, its decrees show none.
    store.run("MATCH (v:LawVersion) SET v.amendments_complete = false")
    assert decree_operations(store, "prueba", law.decrees[0].dof_date.isoformat()) == []


def test_unmatched_note_reasons_name_court_ruling_dates():
    from lawgraph.nlp.decree_plan import refine_reason as _refine_reason

    note = ("Párrafo declarado inválido por sentencia de la SCJN notificada para efectos legales "
            "el 23-06-2023 y publicada DOF 24-11-2023")
    assert "notificación de una sentencia" in _refine_reason(note, "2023-06-23", "otra")
    assert _refine_reason("Párrafo reformado DOF 01-02-1994", "1994-02-01", "otra") == "otra"


def test_diff_between_dates_of_the_constitutions_history(store, history):
    load_cpeum_history(store, history)
    d = diff_versions(store, "cpeum", "2011-06-01", "2011-06-11")
    changed = {c.label for c in d.changed()}
    # The amparo reform (DOF 06-06-2011) and the human-rights reform (DOF 10-06-2011) as the
    # history records them.
    # (A decree whose diff could not be undone leaves both texts equal: not a change.)
    def folded(c, day):
        return " ".join(history.text_at(c, day).text.split())

    want = {c for c in history.states
            if any(date(2011, 6, 1) < s.valid_from <= date(2011, 6, 11) for s in history.states[c])
            and folded(c, date(2011, 6, 1)) != folded(c, date(2011, 6, 11))}
    assert {"1", "94", "107"} <= want
    assert "1" in changed and changed == want
    one = next(c for c in d.changes if c.label == "1")
    assert "derechos humanos" in one.after.lower() and "derechos humanos" not in one.before.lower()
