"""Reading what the DOF 29-01-2016 decree (whose diff the Constitution's record omits) says it
changed, and using it to know the older text of the parts it left alone (issue 12 point 2), on
the real record in ../shared/corpora/reforms/cpeum_git_history."""
from __future__ import annotations

import json
from datetime import date

import pytest

from lawgraph.ingest.cpeum_history import (COMMITS_FILE, decree_parts, read_history,
                                           unchanged_by_decree)


@pytest.fixture(scope="module")
def history_dir(corpora):
    return corpora / "reforms" / "cpeum_git_history"


@pytest.fixture(scope="module")
def parts_2016(history_dir):
    for line in (history_dir / COMMITS_FILE).read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if "Ciudad de México" in rec["message"] and "diff omitted" in rec["unified_diff"]:
            return decree_parts(rec["message"])
    pytest.fail("no bulk commit of the 2016 Mexico City reform in the record")


def test_the_decree_lists_its_parts_article_by_article(parts_2016):
    # 52 articles in its "Se reforman" and "Se derogan" lists, as the commit's files.
    assert len(parts_2016) == 52
    assert parts_2016["5"] == "párrafo segundo"
    assert parts_2016["89"] == "fracción XIV"
    assert parts_2016["133"] == "" and parts_2016["124"] == ""          # whole articles
    assert "fracción IX" in parts_2016["76"]                             # from "Se derogan"
    assert not any(p.startswith("adición") for p in parts_2016.values())   # it only reformed and repealed


def test_only_parts_the_decree_does_not_name_count_as_unchanged():
    lines = ["**Artículo 9**", "", "Primer párrafo.", "", "Segundo párrafo,", "   que sigue.", "",
             "I. Fracción uno;", "", "II. Fracción dos;", "", "    Párrafo de la fracción dos.", "",
             "Último párrafo."]
    got = unchanged_by_decree(lines, "párrafo segundo y fracción II")
    assert got == {2, 7, 13}          # first paragraph, fracción I, the paragraph after the fracciones
    assert unchanged_by_decree(lines, "") == set()                       # the whole article
    assert unchanged_by_decree(lines, "Apartado A, fracción I") == set()  # counting not followed
    assert unchanged_by_decree(lines, "el primer párrafo") == {4, 5, 7, 9, 11, 13}
    # Read conservatively (each found by dropping real decrees' diffs, scripts/check_history_bridge.py):
    # an addition shifts the counting; a paragraph without an ordinal or a lettered fracción is not followed.
    assert unchanged_by_decree(lines, "adición: dos párrafos al") == set()
    assert unchanged_by_decree(lines, "el primer párrafo y de la fracción B del") == set()
    assert unchanged_by_decree(lines, "los párrafos del") == set()
    assert unchanged_by_decree(lines + ["", "A. Apartado."], "fracción II") == set()


def test_article_5_before_2016_is_known_from_the_decrees_own_list(history_dir):
    hist = read_history(history_dir)
    bridge = hist.bridges["5"]
    # The lines no older hunk showed lie in a later paragraph, not the second one the decree reformed.
    assert bridge.guessed and bridge.unsure() == 0
    state = next(s for s in hist.states["5"] if s.valid_to and s.valid_to.isoformat() == "2016-01-29")
    assert state.exact and not state.approximation
    # Article 124 was rewritten whole: what it said before is not in the record.
    assert hist.bridges["124"].unsure() > 0
    assert not hist.text_at("124", date(2000, 1, 1)).exact
