"""The law catalogue: keys, official names, former names, abbreviations and jurisdiction.

Built at run time from the catalogues in the corpus mirror (``<mirror>/catalogs/``):

- ``federal/madfam_discovered_laws_leyesbiblio.json``: every LeyesBiblio law with its code
  (the PDF name), its name, former names ('(Antes "…")') and status ('Ley Abrogada');
- ``state/*.json``: state laws (Chihuahua, Estado de México, Oaxaca, Guerrero, Ciudad de
  México) from the state congresses and the Orden Jurídico Nacional,

plus the project's own small table (:data:`PROJECT_TABLE`) of abbreviations, assigned keys
for laws whose LeyesBiblio code is a bare number, and laws no longer listed.

Key scheme: a federal law's key is its LeyesBiblio code upper-cased, without the date suffix
the publisher adds to some codes ('LCEC_120419' -> 'LCEC', 'LViv' -> 'LVIV'); numeric codes get
an assigned key from the project table, else an acronym of the name. State laws are keyed
'<STATE>-<acronym>' under jurisdiction 'mx-<state>'; a name that says it is a state's law
("… del Estado de Chihuahua") is only ever resolved among that state's laws, never to the
federal law of a similar name.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from lawgraph.config import default_mirror
from lawgraph.errors import ConfigError
from lawgraph.nlp.dates import fold

FEDERAL = "mx"

# State codes used in jurisdictions ('mx-chh') and keys ('CHH-…'), with the ways names write them
# (folded). Every federal entity is here, so that a name that says it is a state's ("Ley de
# Acceso de las Mujeres a una Vida Libre de Violencia del Estado de Jalisco") is never taken for
# the federal law it copies; the codes are ISO 3166-2:MX's, lower case, except Durango's 'dgo',
# which the corpus's Durango profile uses (ingest/profiles/durango.py). Baja California Sur
# comes before Baja California, whose name it contains.
STATES: dict[str, tuple[str, ...]] = {
    "chh": ("chihuahua",),
    "dgo": ("durango",),
    "mex": ("estado de mexico", "mexico"),
    "oax": ("oaxaca",),
    "gro": ("guerrero",),
    "cmx": ("ciudad de mexico", "cdmx", "distrito federal"),
    "agu": ("aguascalientes",),
    "bcs": ("baja california sur",),
    "bcn": ("baja california",),
    "cam": ("campeche",),
    "coa": ("coahuila de zaragoza", "coahuila"),
    "col": ("colima",),
    "chp": ("chiapas",),
    "gua": ("guanajuato",),
    "hid": ("hidalgo",),
    "jal": ("jalisco",),
    "mic": ("michoacan de ocampo", "michoacan"),
    "mor": ("morelos",),
    "nay": ("nayarit",),
    "nle": ("nuevo leon",),
    "pue": ("puebla",),
    "que": ("queretaro de arteaga", "queretaro"),
    "roo": ("quintana roo",),
    "slp": ("san luis potosi",),
    "sin": ("sinaloa",),
    "son": ("sonora",),
    "tab": ("tabasco",),
    "tam": ("tamaulipas",),
    "tla": ("tlaxcala",),
    "ver": ("veracruz de ignacio de la llave", "veracruz"),
    "yuc": ("yucatan",),
    "zac": ("zacatecas",),
}

# The project's own table. Keys for LeyesBiblio codes that are bare numbers or renamed laws,
# well-known abbreviations, and laws that the current LeyesBiblio list no longer carries.
PROJECT_TABLE: dict[str, dict] = {
    "CPEUM": {"aliases": ["Constitución", "Constitución Federal", "Constitución General de la República",
                          "Carta Magna", "Constitución Política", "Constitución de los Estados Unidos Mexicanos",
                          "Constitución Política Mexicana"]},
    # LeyesBiblio renamed the code with the law (2025); the project keeps the older key so
    # that both names resolve to one law.
    "LGIMH": {"code": "LGISMH"},
    "LREGART5": {"code": "208_190118"},
    "LREGART76FV": {"code": "202"},
    "LFCINE": {"code": "103_220321"},
    "LSEM": {"code": "96_190418"},
    "RCD": {"code": "Reg_Diputados"},
    "RSEN": {"code": "Reg_Senado"},
    "LFTR": {"name": "Ley Federal de Telecomunicaciones y Radiodifusión", "status": "abrogada",
             "note": "replaced by the Ley en Materia de Telecomunicaciones y Radiodifusión (2025)"},
    "LIE": {"name": "Ley de la Industria Eléctrica", "status": "abrogada",
            "note": "replaced by the Ley del Sector Eléctrico (2025)"},
    "LGAMVLV": {"aliases": ["Ley de Acceso de las Mujeres a una Vida Libre de Violencia",
                            "Ley General de Acceso a una Vida Libre de Violencia"]},
    "LFT": {"aliases": ["Ley Laboral"]},
}

_STOP = {"de", "del", "la", "las", "los", "el", "y", "e", "para", "en", "a", "al", "sobre", "por", "o", "con", "que"}
_NAME_FIELD_SPLIT = re.compile(r"\s*\t+\s*|\s{3,}")
_FORMER_RE = re.compile(r"\(Antes\s+[\"“](?P<old>[^\"”]+)[\"”]\)")


@dataclass
class LawEntry:
    """One law of the catalogue."""

    key: str
    name: str
    jurisdiction: str = FEDERAL
    code: str | None = None              # LeyesBiblio code / state file id
    aliases: list[str] = field(default_factory=list)   # former names, abbreviations
    status: str = "vigente"
    url: str | None = None
    source: str = ""                     # catalogue file it came from ('project' for the table)


@dataclass(frozen=True)
class Resolution:
    """What :meth:`LawCatalog.resolve` found for a law name as written."""

    raw: str
    key: str | None
    score: float                          # 0..100
    name: str | None = None
    jurisdiction: str | None = None
    method: str = "none"                  # exact / alias / fuzzy / none


def normalise_name(name: str) -> str:
    """Accent- and case-folded name without punctuation or leading article."""
    s = fold(name)
    s = re.sub(r"[^\w\s]", " ", s)
    s = re.sub(r"\b(\d+)o\b", r"\1", s)
    s = " ".join(s.split())
    return re.sub(r"^(?:la|el|los|las)\s+", "", s)


def acronym(name: str) -> str:
    words = re.findall(r"[A-Za-zÁÉÍÓÚÑáéíóúñ]+", name)
    return "".join(fold(w)[0].upper() for w in words if fold(w) not in _STOP)


def state_of(name: str) -> str | None:
    """The state a law name says it belongs to ('… del Estado de Chihuahua' -> 'chh')."""
    f = normalise_name(name)
    if re.search(r"\bestado\s+(?:libre\s+y\s+soberano\s+)?de\s+mexico\b", f):
        return "mex"
    for code, names in STATES.items():
        for n in names:
            if n in ("mexico",):
                continue
            if re.search(rf"\b(?:estado\s+(?:libre\s+y\s+soberano\s+)?de\s+)?{n}\b", f) and (
                "estado" in f or code == "cmx" or f.endswith(n)
            ):
                # 'Ley … del Distrito Federal' in old federal titles is still federal when it
                # also says 'y para toda la República'.
                if code == "cmx" and "toda la republica" in f:
                    continue
                return code
    return None


def _federal_key(code: str) -> str:
    return re.sub(r"_(?:\d{6}|\d{4})$", "", code).upper()


def _clean_federal_name(raw: str) -> tuple[str, list[str], str]:
    former = [m.group("old") for m in _FORMER_RE.finditer(raw)]
    status = "abrogada" if re.search(r"Abrogad", raw, re.I) else "vigente"
    head = _FORMER_RE.sub(" ", raw)
    head = re.split(r"\s+DOF\s+\d", head)[0]
    name = " ".join(head.split())
    name = re.sub(r"^([A-ZÁÉÍÓÚÑ]+)\b", lambda m: m.group(1).capitalize(), name)
    return name, former, status


class LawCatalog:
    """Federal and state laws with name resolution (rapidfuzz)."""

    def __init__(self, entries: list[LawEntry]):
        self.entries = entries
        self.by_key = {e.key: e for e in entries}
        self._index: dict[str, list[tuple[str, LawEntry]]] = {}
        for e in entries:
            names = [e.name, *e.aliases]
            bucket = self._index.setdefault(e.jurisdiction, [])
            for n in names:
                bucket.append((normalise_name(n), e))
        self._exact = {}
        for juris, items in self._index.items():
            for n, e in items:
                self._exact.setdefault((juris, n), e)
        self._abbrev = {(e.jurisdiction, e.key.upper()): e for e in entries}
        # Folded full names by their first two words, longest first, for longest_name_at.
        self._by_head: dict[str, list[str]] = {}
        for e in entries:
            for n in [e.name, *e.aliases]:
                f = " ".join(fold(n).split())
                head = " ".join(f.split()[:2])
                self._by_head.setdefault(head, []).append(f)
        for v in self._by_head.values():
            v.sort(key=len, reverse=True)

    def longest_name_at(self, folded: str, start: int) -> int | None:
        """End of the longest catalogue name (or former name) spelled at ``folded[start:]``
        (accent- and case-folded text); None when no known name starts there."""
        words = folded[start:start + 80].split()
        if len(words) < 2:
            return None
        for cand in self._by_head.get(" ".join(words[:2]), []):
            end = start + len(cand)
            if folded.startswith(cand, start) and (end == len(folded) or not folded[end].isalnum()):
                return end
        return None

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_mirror(cls, mirror: str | Path) -> "LawCatalog":
        """Read ``<mirror>/catalogs``; raises ConfigError when the federal list is missing."""
        cat = Path(mirror) / "catalogs"
        fed = cat / "federal" / "madfam_discovered_laws_leyesbiblio.json"
        if not fed.exists():
            raise ConfigError(f"{fed}: no existe el catálogo federal de leyes (LeyesBiblio)")
        entries: list[LawEntry] = []
        code_to_key = {v["code"]: k for k, v in PROJECT_TABLE.items() if "code" in v}
        try:
            rows = json.loads(fed.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{fed}: JSON ilegible ({exc})") from None
        seen: set[str] = set()
        for row in rows:
            code = row.get("remote_path", "").split("/")[-1].rsplit(".", 1)[0] or row.get("id", "")
            name, former, status = _clean_federal_name(row.get("name", ""))
            if code in code_to_key:
                key = code_to_key[code]
            elif re.fullmatch(r"\d+(?:_\d+)?", code):
                key = acronym(name)
            else:
                key = _federal_key(code)
            if key in seen:
                key = f"{key}-{code.upper()}"
            seen.add(key)
            extra = PROJECT_TABLE.get(key, {})
            entries.append(LawEntry(key, name, FEDERAL, code, former + list(extra.get("aliases", [])),
                                    status, row.get("url"), fed.name))
        for key, extra in PROJECT_TABLE.items():
            if key not in seen and "name" in extra:
                entries.append(LawEntry(key, extra["name"], FEDERAL, None, list(extra.get("aliases", [])),
                                        extra.get("status", "vigente"), None, "project"))
        entries.extend(_state_entries(cat / "state"))
        return cls(entries)

    # -- resolution ---------------------------------------------------------------------
    def resolve(self, name: str, jurisdiction_hint: str | None = None, cutoff: float = 90.0) -> Resolution:
        """The catalogue key for a law name as written, or ``key=None`` with the raw text kept.

        A name that names a state ("… del Estado de Chihuahua"), or a state ``jurisdiction_hint``
        ('mx-chh'), is looked up among that state's laws only.
        """
        raw = name
        n = normalise_name(name)
        if not n:
            return Resolution(raw, None, 0.0)
        st = state_of(name)
        juris = f"mx-{st}" if st else (jurisdiction_hint or FEDERAL)
        if st and not jurisdiction_hint and (FEDERAL, n) in self._exact:
            # A federal law whose name mentions a state ('… relativo al ejercicio de las
            # profesiones en la Ciudad de México') is still that federal law.
            juris = FEDERAL
        e = self._exact.get((juris, n))
        if e:
            return Resolution(raw, e.key, 100.0, e.name, e.jurisdiction, "exact")
        e = self._abbrev.get((juris, name.strip().upper()))
        if e:
            return Resolution(raw, e.key, 100.0, e.name, e.jurisdiction, "alias")
        items = self._index.get(juris, [])
        if not items:
            return Resolution(raw, None, 0.0, jurisdiction=juris)
        choices = [x[0] for x in items]
        best = process.extractOne(n, choices, scorer=fuzz.ratio)
        if best is None:
            return Resolution(raw, None, 0.0, jurisdiction=juris)
        cand, score, idx = best
        # A name that adds or drops content words ('Igualdad Salarial' vs 'Igualdad') is a
        # different law even when the strings are close: require the distinctive words to agree.
        e = items[idx][1]
        extra = _extra_content_words(n, cand)
        if (extra == 0 and score >= cutoff - 10) or (extra == 1 and score >= cutoff):
            return Resolution(raw, e.key, float(score), e.name, e.jurisdiction, "fuzzy")
        return Resolution(raw, None, float(score), jurisdiction=juris)


# Words that do not tell one law from another ('Ley General de …'); 'derechos' is often
# dropped when a title cites the LGDNNA.
_WEAK = _STOP | {"ley", "general", "federal", "nacional", "codigo", "una", "un", "mujeres", "hombres", "derechos"}


def _extra_content_words(a: str, b: str) -> int:
    """How many distinctive words one name has that the other lacks ('salarial' in 'Ley
    General de Igualdad Salarial …' against the LGIMH). Plural/singular and small spelling
    variants ('violencia'/'violencias') count as the same word."""
    wa = {w for w in a.split() if w not in _WEAK}
    wb = {w for w in b.split() if w not in _WEAK}
    diff = wa ^ wb
    return len({w for w in diff if not any(fuzz.ratio(w, o) >= 85 for o in (wa | wb) - {w})})


def _state_entries(state_dir: Path) -> list[LawEntry]:
    out: list[LawEntry] = []
    if not state_dir.exists():
        return out
    keys: set[str] = set()

    def add(st: str, name: str, url: str | None, src: str) -> None:
        name = " ".join(name.split())
        if not name:
            return
        name = name[:1] + name[1:].lower() if name.isupper() else name
        key = f"{st.upper()}-{acronym(name)}"
        base, n = key, 2
        while key in keys:
            key = f"{base}-{n}"
            n += 1
        keys.add(key)
        out.append(LawEntry(key, name, f"mx-{st}", None, [], "vigente", url, src))

    seen: set[tuple[str, str]] = set()
    for f in sorted(state_dir.glob("*.json")):
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            continue
        rows: list[tuple[str, str, str | None]] = []
        if isinstance(data, dict) and "laws" in data:
            st = state_of("estado de " + data.get("state_name", "")) or state_of(data.get("state_name", ""))
            rows = [(st or "", r.get("law_name", ""), r.get("download_url")) for r in data["laws"]]
        elif isinstance(data, list):
            st = "chh" if "chihuahua" in f.name else "mex" if "edomex" in f.name else None
            rows = [(st or "", r.get("name") or r.get("nombre") or "", r.get("link") or r.get("url_archivo"))
                    for r in data]
        for st, name, url in rows:
            if not st or not name:
                continue
            k = (st, normalise_name(name))
            if k in seen:
                continue
            seen.add(k)
            add(st, name, url, f.name)
    return out


@lru_cache(maxsize=4)
def load_catalog(mirror: str | None = None) -> LawCatalog:
    """The catalogue built from a mirror directory (cached per directory); default: the
    configured mirror (:func:`lawgraph.config.default_mirror`)."""
    if mirror is None:
        found = default_mirror()
        if found is None:
            raise ConfigError("no se encontró el espejo del corpus: defina LAWGRAPH_MIRROR")
        mirror = str(found)
    return LawCatalog.from_mirror(mirror)


def resolve_law(name: str, jurisdiction_hint: str | None = None, mirror: str | None = None) -> Resolution:
    """Resolve a law name against the default catalogue; see :meth:`LawCatalog.resolve`."""
    return load_catalog(mirror).resolve(name, jurisdiction_hint)
