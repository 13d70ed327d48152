"""Identifiers: the one module that makes graph keys (cf. Akoma Ntoso FRBR URIs).

    work          /mx/ley/lgamvlv
    expression    /mx/ley/lgamvlv@2026-01-15
    provision     /mx/ley/lgamvlv/art_20-ter/frac_iii          (the unit across versions)
    prov. version /mx/ley/lgamvlv@2026-01-15/art_20-ter/frac_iii
    decree        /mx/dof/2026-01-15/<8 hex of the title's sha1>

Labels are normalised once, here: "4o." -> "4", "20 TER" -> "20 Ter", "145-Bis" -> "145 Bis",
"215-A" -> "215 A"; fracción labels keep their printed letters ("XXIX-A", "XXIII Bis").
``parse()`` raises ``ValueError`` on anything that is not an id of this scheme.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

# Latin suffixes used in Mexican legislation after an article number, longest first so that
# "Quáter" never matches as "Quat" + "er" and "Sexies" is not read as "Sex".
SUFFIX_WORDS = (
    "Bis", "Ter", "Quáter", "Quater", "Quinquies", "Quintus", "Sexies", "Septies", "Octies",
    "Nonies", "Decies", "Undecies", "Duodecies", "Terdecies", "Quaterdecies",
)

_ARTICLE_LABEL_RE = re.compile(
    r"""^\s*
    (?P<num>\d+)\s*(?:o\.?|º|°|\.)?            # 4, 4o., 4º, 4°
    (?P<rest>(?:\s*[-\s]\s*[A-Za-zÁÉÍÓÚáéíóú]+(?:\s*\d+)?)*)  # Bis, -A, Ter 2, Bis 1
    \s*$""",
    re.VERBOSE,
)
_REST_TOKEN_RE = re.compile(r"[A-Za-zÁÉÍÓÚáéíóú]+|\d+")


def normalise_article_label(raw: str) -> str:
    """Canonical article label: '4o.' -> '4', '20 TER' -> '20 Ter', '215-A' -> '215 A'.

    Labels that are not of the number+suffix shape ("Único", "Primero") are returned with
    their whitespace folded, so transitory articles keep their printed ordinal.
    """
    m = _ARTICLE_LABEL_RE.match(raw)
    if not m:
        return " ".join(raw.split())
    parts = [m.group("num")]
    for tok in _REST_TOKEN_RE.findall(m.group("rest") or ""):
        # Printed spelling kept ('Quater' stays 'Quater'), case folded to 'Bis'; single
        # letters ('215 A') upper-case.
        if tok.isdigit():
            parts.append(tok)
        elif len(tok) == 1:
            parts.append(tok.upper())
        else:
            parts.append(tok[:1].upper() + tok[1:].lower())
    return " ".join(parts)


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(s: str) -> int | None:
    """Value of a Roman numeral, any case ('XXIX' -> 29, 'xiv' -> 14); None when it is not one."""
    s = s.upper()
    if not s or any(c not in _ROMAN_VALUES for c in s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN_VALUES[c]
        total += -v if i + 1 < len(s) and _ROMAN_VALUES[s[i + 1]] > v else v
    return total


def slug(label: str) -> str:
    """Lower-case ASCII path segment for a label: '20 Ter' -> '20-ter', 'XXIX-Ñ' -> 'xxix-n~'."""
    out = []
    for ch in label.strip().lower():
        if ch == "ñ":
            out.append("n~")
            continue
        base = unicodedata.normalize("NFKD", ch)
        base = "".join(c for c in base if not unicodedata.combining(c))
        out.append(base)
    s = re.sub(r"[^a-z0-9~]+", "-", "".join(out)).strip("-")
    return s or "x"


UNIT_PREFIX = {
    "libro": "lib",
    "titulo": "tit",
    "subtitulo": "subt",   # Durango penal code: Título > Subtítulo > Capítulo
    "capitulo": "cap",
    "seccion": "sec",
    "articulo": "art",
    "parrafo": "par",
    "fraccion": "frac",
    "inciso": "inc",
    "numeral": "num",
    "apartado": "apdo",
    "transitorio": "tr",
}
PREFIX_UNIT = {v: k for k, v in UNIT_PREFIX.items()}

_WORK_RE = re.compile(
    r"""^/(?P<juris>mx(?:-[a-z]{2,4})?)        # mx, mx-chh
    /(?P<kind>[a-z]+)                           # ley, codigo, constitucion, dof, proposal …
    /(?P<key>[a-z0-9][a-z0-9._-]*)              # lgamvlv
    (?:@(?P<date>\d{4}-\d{2}-\d{2}))?           # expression date
    (?P<path>(?:/[a-z]+_[a-z0-9~-]+)*)$         # /art_20-ter/frac_iii
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class LawId:
    """A parsed id of the law scheme."""

    jurisdiction: str
    kind: str
    key: str
    date: str | None = None
    path: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        s = f"/{self.jurisdiction}/{self.kind}/{self.key}"
        if self.date:
            s += f"@{self.date}"
        for unit, lab in self.path:
            s += f"/{UNIT_PREFIX.get(unit, unit)}_{lab}"
        return s


def parse(uri: str) -> LawId:
    """Parse an id of this scheme; raises ValueError with the reason."""
    m = _WORK_RE.match(uri)
    if not m:
        raise ValueError(f"not a lawgraph id: {uri!r}")
    path = []
    for seg in filter(None, (m.group("path") or "").split("/")):
        prefix, _, lab = seg.partition("_")
        if prefix not in PREFIX_UNIT:
            raise ValueError(f"unknown unit prefix {prefix!r} in {uri!r}")
        path.append((PREFIX_UNIT[prefix], lab))
    return LawId(m.group("juris"), m.group("kind"), m.group("key"), m.group("date"), tuple(path))


def work_id(jurisdiction: str, kind: str, key: str) -> str:
    return f"/{jurisdiction}/{kind}/{key.lower()}"


def expression_id(work: str, version_date: str) -> str:
    return f"{work}@{version_date}"


def unit_segment(unit_kind: str, label: str) -> str:
    return f"{UNIT_PREFIX[unit_kind]}_{slug(label)}"


def provision_id(work: str, segments: list[str] | tuple[str, ...]) -> str:
    """Id of a provision across versions: work + unit path."""
    return work + "".join("/" + s for s in segments)


def provision_version_id(expression: str, segments: list[str] | tuple[str, ...]) -> str:
    return expression + "".join("/" + s for s in segments)


def decree_id(gazette: str, dof_date: str, title: str, jurisdiction: str = "mx") -> str:
    """A published decree: gazette, date and a short hash of its folded title."""
    folded = " ".join(title.lower().split())
    h = hashlib.sha1(folded.encode("utf-8")).hexdigest()[:8]
    return f"/{jurisdiction}/{gazette.lower()}/{dof_date}/{h}"


def document_id(sha256: str) -> str:
    return f"/doc/{sha256}"
