"""Spanish dates as Mexican legislative documents print them -> ``datetime.date``.

Forms handled (text is accent- and case-folded once, before matching):

    numeric         15-01-2026, 12/03/2025, 29.04.2022, DOF 29-04-2022, 2025-01-08 (ISO)
    month in a dash 5-Diciembre-2024, 19-NOV-2025, 3-sept-2021
    prose           13 septiembre de 1999, 3 de septiembre de 1993, 1o. de junio de 2021,
                    1º de julio del año 2000, primero de enero de 2025
    words           a los dos días del mes de septiembre de mil novecientos noventa y tres,
                    primero de enero de dos mil veinticinco

Numeric day-month order is always day first (Mexican usage); an ISO date is recognised by its
four-digit first field. ``parse_spanish_date`` raises ``ValueError`` naming the text when it
holds no date or an impossible one (31-02-2024).
"""
from __future__ import annotations

import re
from datetime import date

from lawgraph.ids import fold  # noqa: F401  (moved to ids: graph/ folds filter parameters alike)

# Month names and the abbreviations seen in SITL pages, DOF indexes and LeyesBiblio headers,
# all accent-free and lower-case (the text is folded before lookup).
MONTHS: dict[str, int] = {
    "enero": 1, "ene": 1,
    "febrero": 2, "feb": 2,
    "marzo": 3, "mar": 3,
    "abril": 4, "abr": 4,
    "mayo": 5, "may": 5,
    "junio": 6, "jun": 6,
    "julio": 7, "jul": 7,
    "agosto": 8, "ago": 8,
    "septiembre": 9, "setiembre": 9, "sept": 9, "sep": 9, "set": 9,
    "octubre": 10, "oct": 10,
    "noviembre": 11, "nov": 11,
    "diciembre": 12, "dic": 12,
}

_UNITS = {
    "un": 1, "uno": 1, "una": 1, "primero": 1, "primer": 1, "dos": 2, "tres": 3, "cuatro": 4,
    "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11,
    "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "dieciseis": 16, "diecisiete": 17,
    "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiun": 21, "veintiuno": 21,
    "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25,
    "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29,
}
_TENS = {
    "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
    "ochenta": 80, "noventa": 90,
}
_HUNDREDS = {
    "cien": 100, "ciento": 100, "doscientos": 200, "trescientos": 300, "cuatrocientos": 400,
    "quinientos": 500, "seiscientos": 600, "setecientos": 700, "ochocientos": 800,
    "novecientos": 900,
}
_NUMBER_WORDS = set(_UNITS) | set(_TENS) | set(_HUNDREDS) | {"mil", "y"}
_NUMBER_WORD_ALT = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))

# A run of Spanish number words ("mil novecientos noventa y tres"); must start and end on a
# number word so that a trailing "y" is not swallowed.
_WORDS = rf"(?:(?:{_NUMBER_WORD_ALT})(?:\s+(?:{_NUMBER_WORD_ALT}))*)"

# Day: digits with an optional ordinal mark (1o., 1º, 1°), or words ("primero", "dos").
_DAY = rf"(?P<day>\d{{1,2}})(?:\s*(?:o\.?|º|°|er\.?))?|(?P<dayw>{_WORDS})"
# Year: four digits, or words, optionally after "del año".
_YEAR = rf"(?:(?:del?\s+)?(?:ano\s+)?)(?:(?P<year>\d{{4}})|(?P<yearw>{_WORDS}))"

DATE_ISO_RE = re.compile(
    r"""(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)""",
    re.VERBOSE,
)

# 15-01-2026, 12/03/2025, 29.04.2022 (day first, Mexican usage); two-digit years are not used
# in the sources and are refused rather than guessed.
DATE_NUMERIC_RE = re.compile(
    r"""(?<![\d/.-])(?P<day>\d{1,2})\s*(?P<sep>[-/.])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*(?P<year>\d{4})(?!\d)""",
    re.VERBOSE,
)

# 5-Diciembre-2024, 19-NOV-2025, 3/sept./2021 (SITL and SIL listings).
DATE_DASH_MONTH_RE = re.compile(
    rf"""(?<!\d)(?P<day>\d{{1,2}})\s*[-/ ]\s*(?P<month>{_MONTH_ALT})\.?\s*[-/ ]\s*(?P<year>\d{{4}})(?!\d)""",
    re.VERBOSE,
)

# Prose: "13 septiembre de 1999", "1o. de junio de 2021", "a los dos días del mes de
# septiembre de mil novecientos noventa y tres", "primero de enero de dos mil veinticinco".
DATE_PROSE_RE = re.compile(
    rf"""\b(?:{_DAY})
    \s+(?:dias?\s+)?(?:(?:de|del)\s+)?(?:mes\s+de\s+)?
    (?P<month>{_MONTH_ALT})\b\.?
    \s*(?:,\s*)?(?:de\s+|del\s+)?{_YEAR}\b""",
    re.VERBOSE,
)

_PATTERNS = (DATE_ISO_RE, DATE_NUMERIC_RE, DATE_DASH_MONTH_RE, DATE_PROSE_RE)


def words_to_int(words: str) -> int:
    """'mil novecientos noventa y tres' -> 1993; 'dos mil veinticinco' -> 2025; 'primero' -> 1."""
    total = 0
    current = 0
    for w in fold(words).split():
        if w == "y":
            continue
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w in _HUNDREDS:
            current += _HUNDREDS[w]
        elif w == "mil":
            total += (current or 1) * 1000
            current = 0
        else:
            raise ValueError(f"no es un número escrito en palabras: {words!r}")
    return total + current


def _month(token: str) -> int:
    if token.isdigit():
        return int(token)
    return MONTHS[token.rstrip(".")]


def _build(m: re.Match[str], original: str) -> date:
    g = m.groupdict()
    day = int(g["day"]) if g.get("day") else words_to_int(g["dayw"])
    year = int(g["year"]) if g.get("year") else words_to_int(g["yearw"])
    month = _month(g["month"])
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"fecha imposible en {original!r}: {exc}") from None


def find_spanish_dates(text: str) -> list[tuple[date, int, int]]:
    """Every date in ``text`` with its character span, in order of position.

    Spans index the original text (folding keeps one character per character for the
    Latin-1 letters these documents use). Impossible dates raise ``ValueError``.
    """
    folded = fold(text)
    if len(folded) != len(text):  # a character decomposed into two: match on the original
        folded = text.lower()
    found: list[tuple[date, int, int]] = []
    taken: list[tuple[int, int]] = []
    for pat in _PATTERNS:
        for m in pat.finditer(folded):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            found.append((_build(m, text[s:e]), s, e))
            taken.append((s, e))
    found.sort(key=lambda t: t[1])
    return found


def parse_spanish_date(text: str) -> date:
    """The one date in ``text`` (the first, when several): '5-Diciembre-2024' -> date(2024, 12, 5).

    Raises ``ValueError`` naming the text when no date can be read from it.
    """
    if not text or not text.strip():
        raise ValueError("fecha vacía: no hay texto que leer")
    found = find_spanish_dates(text)
    if not found:
        raise ValueError(f"no se reconoce una fecha en {text!r}")
    return found[0][0]


def try_parse_spanish_date(text: str | None) -> date | None:
    """Like :func:`parse_spanish_date` but ``None`` for empty or dateless text (e.g. 'Pendiente');
    an impossible date still raises ``ValueError``."""
    if not text or not text.strip():
        return None
    found = find_spanish_dates(text)  # an impossible date still raises
    return found[0][0] if found else None
