"""Identifiers: the one module that makes graph keys (cf. Akoma Ntoso FRBR URIs).

    work          /mx/ley/lgamvlv
    expression    /mx/ley/lgamvlv@2026-01-15
    provision     /mx/ley/lgamvlv/art_20-ter/frac_iii          (the unit across versions)
    prov. version /mx/ley/lgamvlv@2026-01-15/art_20-ter/frac_iii
    decree        /mx/dof/2026-01-15/<8 hex of the title's sha1>    (gazette: dof, a state's poe)
    amendment     <decree>/op_<law key>_<n>                         (n-th operation on that law)
    note          <expression>/nota_<n>                             (n-th unmatched reform note)
    initiative    /mx/iniciativa/lxvi-<12 hex>                      (title + date presented)
    process       /mx/proceso/<snapshot>, /mx/persona/<name>, /mx/partido/<name>,
                  /mx/comision/<chamber>/<key>
    recommendation  "CEDAW/C/MEX/CO/7-8 para 14", "… para 24(a)", "UPR-2018 #12"
    suggestion    SUG-<12 hex of organisation|date|text, folded>
    link          LINK-<16 hex of from->to>

A label printed twice among siblings (two "Artículo 5" in one chapter) keeps its segment for
the first and gets "~2", "~3" … for the next ones (:class:`Siblings`).

Labels are normalised once, here: "4o." -> "4", "20 TER" -> "20 Ter", "145-Bis" -> "145 Bis",
"215-A" -> "215 A"; fracción labels keep their printed letters ("XXIX-A", "XXIII Bis").
``parse()`` raises ``ValueError`` on anything that is not an id of this scheme.
"""
from __future__ import annotations

import functools
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


# Accented Latin letters of Spanish text, folded one character to one character (fast path).
_FOLD_TABLE = str.maketrans(
    "ÁÉÍÓÚÜÑáéíóúüñÀÈÌÒÙàèìòùÂÊÎÔÛâêîôûÄËÏÖäëïöºª°",
    "AEIOUUNaeiouunAEIOUaeiouAEIOUaeiouAEIOaeiooao",
)


def fold(text: str) -> str:
    """Lower-case, accent-free form used for matching ('Género' -> 'genero', 'º' -> 'o')."""
    out = text.translate(_FOLD_TABLE)
    if not out.isascii():
        decomposed = unicodedata.normalize("NFKD", out)
        out = "".join(c for c in decomposed if not unicodedata.combining(c))
    return out.lower()


# Labels and names repeat across thousands of units and proposals ('I', 'a', a deputy's name):
# memoised (the loader and the process planner each kept such a cache before it moved here).
@functools.lru_cache(maxsize=16384)
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


# ----------------------------------------------------------------------------- repeated labels
REPEAT_MARK = "~"


def repeated_segment(segment: str, n: int) -> str:
    """The segment of the n-th sibling with the same segment: 'art_5', 2 -> 'art_5~2'."""
    if n < 1:
        raise ValueError(f"sibling number must be >= 1, got {n}")
    return segment if n == 1 else f"{segment}{REPEAT_MARK}{n}"


def split_repeat(segment: str) -> tuple[str, int]:
    """Inverse of :func:`repeated_segment`: 'art_5~2' -> ('art_5', 2), 'art_5' -> ('art_5', 1).
    A '~' inside a slug ('n~' for ñ) is not a repeat mark: only a trailing '~<digits>' is (a
    label 'Ñ2' would read as a repeat; no such label occurs in the corpus)."""
    m = re.fullmatch(r"(.+?)~(\d+)", segment)
    if m is None:
        return segment, 1
    return m.group(1), int(m.group(2))


class Siblings:
    """Segments of the children of one unit, in document order, with the repeated-label rule.

    >>> s = Siblings(); s.segment("articulo", "5"), s.segment("articulo", "5")
    ('art_5', 'art_5~2')
    """

    __slots__ = ("seen",)

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def number(self, segment: str) -> int:
        """Count one more sibling with this plain segment; its 1-based number."""
        n = self.seen.get(segment, 0) + 1
        self.seen[segment] = n
        return n

    def segment(self, unit_kind: str, label: str) -> str:
        base = unit_segment(unit_kind, label)
        return repeated_segment(base, self.number(base))


# ----------------------------------------------------------------------------- decrees, notes
def gazette(jurisdiction: str) -> str:
    """The gazette that publishes a jurisdiction's decrees: the DOF for federal law, a state's
    Periódico Oficial del Estado ('poe') otherwise."""
    return "dof" if jurisdiction == "mx" else "poe"


def decree_entry_id(title: str, jurisdiction: str, *, published: str | None, notified: str | None = None,
                    ruling: bool = False) -> str | None:
    """The decree a law's reform-decree list names (None when the entry has no date).

    A published decree: its gazette ('dof' federal, 'poe' a state's), date and title. Supreme
    Court rulings listed among the decrees carry the date they were notified to Congress instead
    of a gazette date, and their ids say so ('/mx/scjn/<notified>/…'; another undated entry with
    a notification date: '/mx/dof-notificado/…')."""
    g = gazette(jurisdiction)
    day = published
    if day is None and notified is not None:
        day = notified
        g = "scjn" if ruling else f"{g}-notificado"
    if day is None:
        return None
    return decree_id(g, day, title, jurisdiction)


_DECREE_RE = re.compile(r"^/(?P<juris>mx(?:-[a-z]{2,4})?)/(?P<gazette>[a-z]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<h>[0-9a-f]{8})$")


def parse_decree_id(decree: str) -> tuple[str, str, str, str]:
    """(jurisdiction, gazette, date, title hash) of a decree id; ValueError otherwise."""
    m = _DECREE_RE.match(decree)
    if not m:
        raise ValueError(f"not a decree id: {decree!r}")
    return m.group("juris"), m.group("gazette"), m.group("date"), m.group("h")


# States whose gazette lawgraph names, by jurisdiction (the states of the corpus manifests).
STATE_NAMES = {"mx-chh": "Chihuahua", "mx-dgo": "Durango"}


def gazette_label(decree: str) -> str:
    """How a person names the gazette of a decree id: 'DOF' for the federal Diario Oficial,
    'P.O. del Estado de Durango' for a state's Periódico Oficial, 'SCJN' for a ruling."""
    try:
        juris, g, _, _ = parse_decree_id(decree)
    except ValueError:
        return "DOF" if decree.startswith("/mx/") else "P.O."
    if g == "scjn":
        return "SCJN"
    if g.startswith("dof"):
        return "DOF"
    name = STATE_NAMES.get(juris)
    return f"P.O. del Estado de {name}" if name else "P.O. del Estado"


def law_key_segment(key: str) -> str:
    """A law key as one id segment without separators: 'LGAMVLV' -> 'lgamvlv', 'ley-x' -> 'leyx'."""
    return slug(key).replace("-", "")


def amendment_id(decree: str, law_key: str, n: int) -> str:
    """The n-th (1-based) operation of a decree on one law."""
    return f"{decree}/op_{law_key_segment(law_key)}_{n}"


def parse_amendment_id(amendment: str) -> tuple[str, str, int]:
    """(decree id, law key segment, n) of an amendment id; ValueError otherwise."""
    decree, _, last = amendment.rpartition("/op_")
    key, _, n = last.rpartition("_")
    if not decree or not key or not n.isdigit():
        raise ValueError(f"not an amendment id: {amendment!r}")
    parse_decree_id(decree)
    return decree, key, int(n)


def note_id(expression: str, n: int) -> str:
    """The n-th (1-based) reform note of a version that matches no decree it lists."""
    return f"{expression}/nota_{n}"


def parse_note_id(note: str) -> tuple[str, int]:
    expression, _, n = note.rpartition("/nota_")
    if not expression or not n.isdigit():
        raise ValueError(f"not a note id: {note!r}")
    return expression, int(n)


# ----------------------------------------------------------------------- the legislative process
def initiative_id(title: str, presented: str, legislature: str = "lxvi") -> str:
    """A proposal: legislature and a hash of its whitespace-folded title and date presented."""
    h = hashlib.sha1(f"{' '.join(title.split())}|{presented}".encode("utf-8")).hexdigest()[:12]
    return f"/mx/iniciativa/{legislature}-{h}"


def sil_proposal_id(kind: str, sil_id: str) -> str:
    """An instrument known only to the SIL, by its seguimiento id: '/mx/iniciativa/sil-5072063'."""
    return f"/mx/{kind}/sil-{slug(sil_id)}"


def event_id(proposal: str, n: int) -> str:
    """The n-th (1-based) event of a proposal, in the order read."""
    return f"{proposal}/ev_{n}"


def target_id(proposal: str, n: int) -> str:
    """The n-th (1-based) law target of a proposal."""
    return f"{proposal}/tgt_{n}"


def snapshot_id(name: str) -> str:
    return f"/mx/proceso/{slug(name)}"


def person_id(name: str) -> str:
    return f"/mx/persona/{slug(name)}"


def party_id(name: str) -> str:
    return f"/mx/partido/{slug(name)}"


def committee_id(chamber: str, key: str) -> str:
    return f"/mx/comision/{chamber}/{key}"


# ------------------------------------------------------------- recommendations, suggestions, links
def recommendation_id(document: str, paragraph: str | int, subparagraph: str | None = None) -> str:
    """A treaty-body recommendation: 'CEDAW/C/MEX/CO/7-8 para 24(a)'."""
    return f"{document} para {paragraph}" + (f"({subparagraph})" if subparagraph else "")


_REC_RE = re.compile(r"^(?P<doc>.+) para (?P<para>[^()\s]+)(?:\((?P<sub>[^()]+)\))?$")


def parse_recommendation_id(rec: str) -> tuple[str, str, str | None]:
    """(document, paragraph, subparagraph) of a treaty-body recommendation id."""
    m = _REC_RE.match(rec)
    if not m:
        raise ValueError(f"not a recommendation id: {rec!r}")
    return m.group("doc"), m.group("para"), m.group("sub")


def upr_recommendation_id(year: int | str, number: int | str) -> str:
    """A Universal Periodic Review recommendation: 'UPR-2018 #12'."""
    return f"UPR-{year} #{number}"


def suggestion_id(organisation: str, day: str, text: str) -> str:
    """Stable id from content (organisation, ISO date, text; case and whitespace folded), so
    re-importing the same suggestion is idempotent."""
    folded = " ".join(f"{organisation}|{day}|{text}".lower().split())
    return "SUG-" + hashlib.sha1(folded.encode("utf-8")).hexdigest()[:12]


def is_suggestion_id(item: str) -> bool:
    return item.startswith("SUG-")


def link_id(from_id: str, to_id: str) -> str:
    """A link from a recommendation or suggestion to a provision."""
    return "LINK-" + hashlib.sha1(f"{from_id}->{to_id}".encode("utf-8")).hexdigest()[:16]
