"""English -> Spanish machine translation for the linker's English path (Apertium, offline).

An English recommendation whose Spanish twin the corpus does not hold (``pair_translations``)
was searched with its English words, the terminology rows' Spanish terms and the multilingual
cosine only, so most of its words never met the statutes' Spanish. Apertium (Debian's
``apertium`` with the ``apertium-eng-spa`` pair, installed by ``scripts/install-system-deps``) is a
rule-based translator that runs offline, in milliseconds per paragraph: its Spanish goes where
a human twin would (``Query.twin``), flagged as machine-made (``Query.twin_mt``). Whether it helps
is measured on the cross-lingual set and chosen by ``scripts/fit_english.py`` (``en_mt`` in the
recommendation weights of ``linker_params.json``, the record in ``english_fit``); docs/linking.md,
"Machine translation of English recommendations".

Without the program (a machine where the Debian packages could not be installed) nothing is
translated: the English path runs as before, a warning says so, and ``available()`` is False. A
translator that fails on a batch raises :class:`TranslationError`; the linker then links that
batch untranslated and says so (``link_score.with_translations``) rather than stop every link.
"""
from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Sequence
from functools import lru_cache

# Apertium's mode for the pair, as Debian's apertium-eng-spa installs it
# (/usr/share/apertium/modes/eng-spa.mode). '-u' leaves unknown words unmarked (no '*' before them).
MODE = "eng-spa"
# A whole batch is one process; its time limit, with room for a slow machine: the corpus's 352
# English recommendations (53,000 characters) translate in 0.7 s, measured with the test suite
# on the other core.
TIMEOUT_S = 120

_cache: dict[str, str] = {}


class TranslationError(RuntimeError):
    """The translator failed on a batch (it exited with an error, timed out, or gave back another
    number of lines than it was sent)."""


def available() -> bool:
    return shutil.which("apertium") is not None


@lru_cache(maxsize=1)
def version() -> str | None:
    """The Debian version of the language pair (recorded with the fit: another version translates
    differently), or None where dpkg cannot say."""
    try:
        res = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "apertium-eng-spa"],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout.strip() or None if res.returncode == 0 else None


@lru_cache(maxsize=1)
def _warn_missing() -> None:
    logging.getLogger(__name__).warning(
        "apertium no está instalado: las recomendaciones en inglés sin gemela en español se enlazan "
        "sin traducir (scripts/install-system-deps lo instala)")


# Apertium's transfer rules reorder words within a sentence ('back Line' -> 'Línea posterior'),
# and a line break is only a blank to them: a text that does not end a sentence would trade words
# with the next line. Each line is closed with a full stop of its own (removed again), and a
# sentence end is where no rule reaches across.
_CLOSE = " ."
_ENDS = (".", "!", "?", ";", ":")


def _one_line(text: str) -> str:
    """A paragraph on one line, ending a sentence: the batch is sent and read back a line per text."""
    line = " ".join(text.split())
    return line if not line or line.endswith(_ENDS) else line + _CLOSE


def _unclose(sent: str, got: str) -> str:
    got = got.strip()
    return got[:-1].rstrip() if sent.endswith(_CLOSE) and got.endswith(".") else got


def translate_en_es(texts: Sequence[str]) -> list[str | None]:
    """The Spanish of each English text (None for all when Apertium is not installed). One
    Apertium process translates every text not translated before in this process."""
    if not available():
        _warn_missing()
        return [None] * len(texts)
    lines = [_one_line(t) for t in texts]
    todo = list(dict.fromkeys(t for t in lines if t and t not in _cache))
    if todo:
        try:
            res = subprocess.run(["apertium", "-u", MODE], input="\n".join(todo) + "\n",
                                 capture_output=True, text=True, timeout=TIMEOUT_S, check=True)
        except (OSError, subprocess.SubprocessError) as e:
            raise TranslationError(f"apertium {MODE} falló: {getattr(e, 'stderr', '') or e}") from e
        out = res.stdout.rstrip("\n").split("\n")
        if len(out) != len(todo):
            raise TranslationError(f"apertium {MODE} devolvió {len(out)} líneas para {len(todo)} textos")
        _cache.update((t, _unclose(t, o)) for t, o in zip(todo, out))
    return [_cache.get(t) if t else None for t in lines]
