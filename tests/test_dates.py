"""Spanish dates in the forms the sources print them."""
from __future__ import annotations

from datetime import date

import pytest

from lawgraph.nlp.dates import find_spanish_dates, parse_spanish_date, try_parse_spanish_date, words_to_int

CASES = [
    ("5-Diciembre-2024", date(2024, 12, 5)),              # SITL fecha de presentación
    ("13 septiembre de 1999", date(1999, 9, 13)),
    ("1o. de junio de 2021", date(2021, 6, 1)),
    ("1º de julio del año 2000", date(2000, 7, 1)),
    ("15-01-2026", date(2026, 1, 15)),
    ("DOF 29-04-2022", date(2022, 4, 29)),                 # LeyesBiblio reform note
    ("Última Reforma DOF 15-10-2025", date(2025, 10, 15)),
    ("12/03/2025", date(2025, 3, 12)),                     # day first
    ("DOF 05/02/1917", date(1917, 2, 5)),                  # LeyesBiblio catalogue
    ("19-NOV-2025", date(2025, 11, 19)),                   # SIL stage strings
    ("3-sept.-2021", date(2021, 9, 3)),
    ("2025-01-08", date(2025, 1, 8)),                      # ISO
    ("Aprobada con fecha 29-Enero-2025", date(2025, 1, 29)),
    ("Publicado en el Diario Oficial de la Federación el 3 de septiembre de 1993", date(1993, 9, 3)),
    ("PUBLICADO EN EL DIARIO OFICIAL DE LA FEDERACIÓN EL 20 DE MARZO DE 1997", date(1997, 3, 20)),
    ("a los dos días del mes de septiembre de mil novecientos noventa y tres", date(1993, 9, 2)),
    ("primero de enero de dos mil veinticinco", date(2025, 1, 1)),
    ("veintiséis de junio de dos mil quince", date(2015, 6, 26)),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_parse_spanish_date(text, expected):
    assert parse_spanish_date(text) == expected


@pytest.mark.parametrize("text", ["Pendiente", "sin fecha", "Día Nacional del Maíz"])
def test_text_without_a_date_is_refused_naming_the_text(text):
    with pytest.raises(ValueError, match=text):
        parse_spanish_date(text)
    assert try_parse_spanish_date(text) is None


def test_impossible_date_is_an_error_even_for_try_parse():
    with pytest.raises(ValueError, match="31-02-2024"):
        try_parse_spanish_date("31-02-2024")


def test_empty_text():
    with pytest.raises(ValueError, match="vacía"):
        parse_spanish_date("  ")


def test_find_all_dates_with_spans():
    text = "durarán en sus funciones del 1o. de noviembre de 1994 al 31 agosto de 1997."
    found = find_spanish_dates(text)
    assert [d for d, _s, _e in found] == [date(1994, 11, 1), date(1997, 8, 31)]
    assert text[found[0][1]:found[0][2]] == "1o. de noviembre de 1994"


@pytest.mark.parametrize("words,n", [("mil novecientos noventa y tres", 1993), ("dos mil veinticinco", 2025),
                                     ("primero", 1), ("treinta y uno", 31)])
def test_words_to_int(words, n):
    assert words_to_int(words) == n


def test_every_decree_date_in_the_constitution_text_reads(corpora):
    """Every 'Publicado en el Diario Oficial … el <fecha>' line of the real CPEUM text reads."""
    import re
    text = (corpora / "derived_text/laws/federal/cpeum.pdf.pdfplumber.txt").read_text(encoding="utf-8")
    lines = re.findall(r"^Publicad[oa] en el Diario Oficial de la Federación el .*$", text, re.M)
    assert len(lines) > 150
    dates = [parse_spanish_date(ln) for ln in lines]
    assert min(dates) == date(1993, 9, 3) and max(dates) >= date(2025, 1, 1)
