"""Text folding and Spanish stemming for lexical retrieval.

``fold`` lower-cases and strips accents (so 'Violéncia' and 'violencia' meet); ``terms``
tokenises folded text, drops Spanish and English function words and stems with the Snowball
Spanish stemmer (PyStemmer, the Snowball C library: the same stems as the pure-Python
``snowballstemmer`` on every word of the corpus's laws and recommendations, about 100 times
faster, which made first-time stemming the linker's slowest step). Stems are memoised too: legal
text repeats a small vocabulary.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

import Stemmer

# Words of two or more letters (digits kept: '45 días', '5%'); folded text is ASCII-ish.
WORD_RE = re.compile(
    r"""
    [a-z0-9ñ]+        # a run of letters or digits (accents already folded away; ñ kept apart)
    """,
    re.VERBOSE,
)

# Function words carry no topic; both languages because queries can be English.
STOP_ES = frozenset(
    ["a", "al", "algo", "algun", "alguna", "algunas", "alguno", "algunos", "ante", "antes", "aquel", "aquella", "aquellas", "aquellos", "asi", "aun", "bajo", "cada", "como", "con", "contra", "cual", "cuales", "cuando", "cuyo", "cuya", "cuyos", "cuyas", "de", "del", "desde", "donde", "dos", "e", "el", "ella", "ellas", "ello", "ellos", "en", "entre", "era", "eran", "es", "esa", "esas", "ese", "eso", "esos", "esta", "estan", "estar", "estas", "este", "esto", "estos", "fue", "fueron", "ha", "han", "hasta", "hay", "la", "las", "le", "les", "lo", "los", "mas", "me", "mi", "mientras", "muy", "ni", "no", "nos", "o", "otra", "otras", "otro", "otros", "para", "pero", "por", "porque", "que", "quien", "quienes", "se", "segun", "sea", "sean", "ser", "si", "sin", "sino", "sobre", "su", "sus", "tal", "tambien", "tan", "tanto", "te", "toda", "todas", "todo", "todos", "tu", "un", "una", "unas", "uno", "unos", "y", "ya", "fraccion", "articulo", "parrafo", "inciso", "ley", "dof"]
)
STOP_EN = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "been", "by", "for", "from", "has", "have", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "their", "this", "those", "to", "was", "were", "which", "with", "within", "all", "any", "other", "such", "should", "shall", "would", "including", "ensure", "take", "measures", "state", "party"]
)
STOP = STOP_ES | STOP_EN

_stemmer = Stemmer.Stemmer("spanish")


# What each non-ASCII character folds to (filled as characters are met): its compatibility
# decomposition without combining marks, so 'á' -> 'a', 'º' -> 'o', a lone accent -> ''.
_FOLD: dict[str, str] = {}
_NON_ASCII = re.compile("[^\x00-\x7fñ]")


def _fold_char(c: str) -> str:
    return "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))


def _fold_match(m: re.Match[str]) -> str:
    c = m.group()
    out = _FOLD.get(c)
    if out is None:
        out = _fold_char(c)
        if len(_FOLD) < 50_000:
            _FOLD[c] = out
    return out


def fold(text: str) -> str:
    """Lower-case, accents removed (ñ kept: 'año' is not 'ano').

    The same as NFKD with combining marks dropped (decomposition works character by character
    and only reorders the marks that are dropped), done only where a non-ASCII character
    stands: Spanish legal text has a few per line, and the linker folds megabytes per batch."""
    t = text.lower()
    if t.isascii():
        return t
    return _NON_ASCII.sub(_fold_match, t)


# Snowball removes the derivational suffix '-ista', so 'periodistas' meets 'periodo' and
# 'activistas' meets 'activo': for the people a provision protects ('periodistas', 'defensoras
# … activistas') that merges a rare, decisive word into a common one. Such words keep their
# singular form as the stem.
ISTA_RE = re.compile(r"ista(s)?$")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball Spanish stem of a folded word ('-ista(s)' nouns kept whole, singular)."""
    if len(word) > 6 and ISTA_RE.search(word):
        return word[:-1] if word.endswith("s") else word
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """Folded word tokens, function words included (for phrase matching)."""
    return WORD_RE.findall(fold(text))


def terms(text: str) -> list[str]:
    """Stemmed content terms of ``text`` in order (for BM25 and overlap measures)."""
    return [stem(w) for w in WORD_RE.findall(fold(text)) if w not in STOP and (len(w) > 1 or w.isdigit())]


def with_bigrams(ts: list[str]) -> list[str]:
    """Terms plus adjacent-term pairs ('orden_proteccion'): legal phrases weigh more than their words."""
    return ts + [f"{a}_{b}" for a, b in itertools.pairwise(ts)]
