"""What every reader of recommendations and suggestions shares: hashes, whitespace, UN document
symbols, the Mac Roman repair, the per-row report and the text and language checks.

The readers, one module per source, are registered in :mod:`lawgraph.ingest.recs` (``SOURCES``).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from lawgraph.ingest import rec_grammar as g

MAX_TEXT_CHARS = 20_000       # a recommendation or suggestion longer than this is a pasting error
MIN_TEXT_CHARS = 10


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fold_ws(s: str) -> str:
    return " ".join(s.split())


def normalise_symbol(raw: str) -> str:
    """'A/57/ 38' -> 'A/57/38'; 'CCPR/C/79/Add. 32' -> 'CCPR/C/79/Add.32'; 'A/53/ 38/ Rev. 1' -> 'A/53/38/Rev.1'."""
    s = re.sub(r"\s*/\s*", "/", raw.strip())
    s = re.sub(r"\b(Add|Rev|Corr)\.\s+", r"\1.", s)
    s = re.sub(r"\s+", " ", s)
    return s.rstrip(" .,;")


# Mac Roman bytes read as Latin-1 (the 2013 UPR CSV, and user files saved the same way)
def repair_mac_roman(text: str) -> str:
    """Undo Mac Roman bytes read as Latin-1: every U+0080–U+00FF character is re-read."""
    out = []
    for ch in text:
        o = ord(ch)
        if 0x80 <= o <= 0xFF:
            out.append(bytes([o]).decode("mac_roman"))
        else:
            out.append(ch)
    return "".join(out)


def looks_mac_roman(text: str) -> bool:
    """Whether a text shows the Mac-Roman-as-Latin-1 marks ('childrenÕs')."""
    return bool(g.MAC_ROMAN_MOJIBAKE_RE.search(text))


def split_states(text: str) -> tuple[str, list[str]]:
    """A UPR item's text and the states that recommended it ('…; (Spain, France)')."""
    m = g.UPR_STATES_TAIL_RE.search(text)
    if not m:
        return text.strip(), []
    inner = m.group("states")
    states = [fold_ws(s).strip(" .") for s in re.split(r";|,(?![^()]*\))", inner) if s.strip(" .")]
    return text[: m.start()].rstrip(" ,"), states


@dataclass
class RowError:
    """One rejected row of an import (1-based line or record number) and why, in Spanish."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"fila {self.row}: {self.message}"


@dataclass
class ReadReport:
    """What a reader read from one file: the valid items and, per rejected row, the reason.
    (Not a graph write: what the graph did is :class:`lawgraph.graph.write.ImportReport`.)"""

    file: str
    items: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        s = f"{self.file}: {len(self.items)} importados, {len(self.errors)} filas rechazadas"
        return s + "".join(f"\n  {e}" for e in self.errors)


_ES_HINTS = {"de", "la", "que", "el", "en", "los", "las", "del", "para", "por", "con", "una", "se", "mujeres"}
_EN_HINTS = {"the", "of", "and", "to", "in", "for", "that", "with", "on", "women", "by", "its", "ensure"}


def guess_language(text: str) -> str | None:
    """'es' or 'en' by function words, or None when neither dominates (an unknown language)."""
    words = re.findall(r"[a-záéíóúñü]+", text.lower())
    if not words:
        return None
    es = sum(w in _ES_HINTS for w in words)
    en = sum(w in _EN_HINTS for w in words)
    if max(es, en) < max(1, len(words) // 25):
        return None
    if es >= 2 * en and es > 0:
        return "es"
    if en >= 2 * es and en > 0:
        return "en"
    return None


def check_text(text: Any) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValueError("texto vacío")
    t = fold_ws(text)
    if len(t) < MIN_TEXT_CHARS:
        raise ValueError(f"texto demasiado corto ({len(t)} caracteres)")
    if len(t) > MAX_TEXT_CHARS:
        raise ValueError(f"texto demasiado largo ({len(t)} caracteres; máximo {MAX_TEXT_CHARS})")
    if "\ufffd" in t:
        raise ValueError("el texto contiene caracteres ilegibles (codificación incorrecta)")
    return t


def check_language(given: Any, text: str) -> str:
    lang = (given or "").strip().lower() if isinstance(given, str) else None
    if lang:
        if lang not in ("es", "en"):
            raise ValueError(f"idioma no admitido {given!r} (use 'es' o 'en')")
        return lang
    guessed = guess_language(text)
    if guessed is None:
        raise ValueError("no se reconoce el idioma del texto; indique la columna language (es/en)")
    return guessed


def error_message(e: Exception) -> str:
    if isinstance(e, ValidationError):
        return "; ".join(f"{'.'.join(map(str, er['loc']))}: {er['msg']}" for er in e.errors())
    return str(e)
