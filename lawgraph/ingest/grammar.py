"""Regular grammar of Mexican legislative texts (LeyesBiblio PDFs first).

Rules of this file:

* One named, commented, verbose constant per construct; the structurer never writes a regex.
* Every pattern is anchored at the start of a *line* (after furniture removal and
  ``rstrip``); they are tried in the order of :data:`LINE_ORDER`-like code in
  ``structure.py``: reform notes before headings (a note "Capítulo adicionado DOF …" starts
  with a heading word), specific before general.
* Case matters where the documents use it to tell a heading from running text: an article
  heading is ``ARTÍCULO 5.-`` / ``Artículo 5.`` at line start, while a cross-reference
  wrapped onto a new line reads ``artículo 5`` or ``Artículo 89 de la …`` (no label
  punctuation).
"""
from __future__ import annotations

import re
from datetime import date

from lawgraph.ids import roman_to_int

X = re.VERBOSE

# --------------------------------------------------------------------------- vocabulary
# Latin suffixes after an article / fracción number, any case as printed ('bis', 'BIS',
# 'Quáter', 'Quater', 'Sexties' and 'Sexíes' are misspellings that occur in LGDNNA / LGV).
SUFFIX = r"""(?i:bis|ter|qu[aá]ter|quinquies|quintus|sext?ies|sex[ií]es|sextus|septies|octies|
    nonies|novies|decies|undecies|duodecies|terdecies|quaterdecies|quindecies)(?![a-záéíóú])"""

# Ordinal words used for divisions and transitorios: 'PRIMERO', 'Décimo Segundo',
# 'Decimoprimero', 'ÚNICO', 'Vigésimo Tercera'. Case-insensitive; compound forms allowed.
_ORD_UNIT = r"""(?:primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|sext[oa]|s[eé]ptim[oa]|
    octav[oa]|noven[oa]|d[eé]cim[oa]|und[eé]cim[oa]|duod[eé]cim[oa])"""
_ORD_TENS = r"""(?:d[eé]cim[oa]|vig[eé]sim[oa]|trig[eé]sim[oa]|cuadrag[eé]sim[oa]|
    quincuag[eé]sim[oa]|sexag[eé]sim[oa])"""
# 'Decimoctavo' shares the 'o' of 'décimo' and 'octavo'.
_ORD_TENS_PREFIX = r"""(?:(?:d[eé]cim|vig[eé]sim|trig[eé]sim|cuadrag[eé]sim|quincuag[eé]sim|
    sexag[eé]sim)[oa]?\s*)"""
ORDINAL = rf"""(?i:{_ORD_TENS_PREFIX}?{_ORD_UNIT}|{_ORD_TENS}|[uú]nic[oa]|preliminar)(?![a-záéíóú])"""

ROMAN = r"(?:[IVXLC]+)"

MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
}
_MONTH = r"(?i:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)"

# --------------------------------------------------------------------------- furniture
# (used by furniture.py; see its docstring for the quirks)
CAMARA_HEAD_RE = re.compile(
    r"""^\s*C[ÁA]MARA\s+DE\s+DIPUTADOS\s+DEL\s+H\.\s+CONGRESO\s+DE\s+LA\s+UNI[ÓO]N
    (?:\s+[ÚU]ltima\s+Reforma\s+DOF\s+\d{2}-\d{2}-\d{4})?\s*$   # pdfplumber joins the date
    """,
    X,
)
SECRETARIA_GENERAL_RE = re.compile(r"^\s*Secretar[íi]a\s+General\s*$")
SERVICIOS_PARLAMENTARIOS_RE = re.compile(r"^\s*Secretar[íi]a\s+de\s+Servicios\s+Parlamentarios\s*$")
ULTIMA_REFORMA_HEAD_RE = re.compile(
    r"^\s*[ÚU]ltima\s+Reforma\s+DOF\s+(?P<date>\d{2}-\d{2}-\d{4})\s*$"
)
# First page of the 'mobile' LeyesBiblio PDFs, under the Cámara lines.
MOBILE_VERSION_RE = re.compile(r"^\s*Versi[óo]n\s+PDF\s+para\s+vista\s+en\s+dispositivo\s+m[óo]vil")
# '12 de 88' page counter (pdfium: after the head; pdfplumber: last line of the page).
PAGE_COUNTER_RE = re.compile(r"^\s*(?P<n>\d{1,4})\s+de\s+(?P<m>\d{1,4})\s*$")

# --------------------------------------------------------------------------- preamble
# 'Última reforma publicada DOF 15-01-2026' (first page, under the law's title).
ULTIMA_REFORMA_PUBLICADA_RE = re.compile(
    r"^\s*[ÚU]ltima\s+reforma\s+publicada\s+DOF\s+(?P<date>\d{2}-\d{2}-\d{4})", re.I
)
# 'Nueva Ley publicada en el Diario Oficial de la Federación el 1 de febrero de 2007'
PUBLICATION_RE = re.compile(
    r"^\s*(?:Nuev[oa]\s+)?(?:Ley|C[óo]digo|Constituci[óo]n)?.*?\bpublicad[oa]\s+en\s+el\s+Diario\s+Oficial",
    re.I,
)

# --------------------------------------------------------------------------- body
ARTICLE_HEADING_RE = re.compile(
    rf"""^(?P<word>ART[IÍ]CULO|Art[ií]culo)\s+
    (?P<label>
        (?P<num>\d{{1,4}})\s*(?:o\.?|º|°|\.o)?                # 4, 4o., 4º, 1°
        (?P<suffix>(?:\s*[-–]?\s*(?:{SUFFIX}|[A-Z](?![a-záéíóú]))(?:\s+\d{{1,2}}(?=\s*[.\-–]))?)*)
    )
    \s*(?P<punct>\.\s*[-–]|[-–]|\.|:)                          # '.-', '.', '-' after the label
    (?=\s|$)
    \s*(?P<rest>.*)$""",
    X,
)

# '[Artículo 11 Bis. Suprimido]': a placeholder left where the SCJN struck out an added
# article; it is not an article of the law.
SUPPRESSED_ARTICLE_RE = re.compile(
    rf"""^\[\s*(?:ART[IÍ]CULO|Art[ií]culo)\s+(?P<label>\d{{1,4}}\s*(?:o\.?|º|°)?
        (?:\s*[-–]?\s*(?:{SUFFIX}|[A-Z](?![a-záéíóú])))*)\s*[.\-–]*\s*(?i:suprimid[oa])\.?\s*\]\s*$""",
    X,
)
# Any other bracketed placeholder line: '[XI. Suprimida]', '[d ter) Suprimido]', '[3. Suprimido]'.
SUPPRESSED_UNIT_RE = re.compile(r"^\[\s*(?P<label>[^\]]{1,25}?)\s*[.)\-–]*\s*(?i:suprimid[oa])\.?\s*\]\s*$")

# An article of the *decree* that issued the law ('ARTÍCULO SEGUNDO. ……….' between the last
# article and TRANSITORIOS, 'ARTÍCULO PRIMERO. Se expide …' in the preamble): an ordinal,
# not a number, so it is not an article of the law.
DECREE_ARTICLE_RE = re.compile(
    rf"""^(?:ART[IÍ]CULO|Art[ií]culo)\s+(?P<label>{ORDINAL}(?:\s+{ORDINAL})?)\s*(?:\.\s*[-–]|[-–]|\.|:)(?:\s|$)""",
    X,
)

# The text of a repealed unit: '(Se deroga).', 'Se deroga.', 'Derogado.', '(DEROGADO)'.
REPEALED_TEXT_RE = re.compile(
    r"""^\s*\(?\s*(?i:se\s+derogan?|derogad[oa]s?)\s*\)?\s*[.;]?\s*\)?\s*[.;]?\s*$|
    ^\s*\(\s*(?i:se\s+deroga|derogad[oa])\b[^()]{0,80}\)\s*[.;]?\s*$   # '(Derogado, DOF 23-12-1985)'
    """,
    X,
)

# Divisions. The label is an ordinal word, a Roman numeral or 'ÚNICO', optionally with a
# suffix ('CAPÍTULO IV BIS', 'Sección Segunda Bis'); the heading text is on the next
# line(s) or after '. ' on the same line ('Sección Sexta. De la Secretaría de Salud').
DIVISION_RE = re.compile(
    rf"""^(?P<kind>LIBRO|Libro|T[IÍ]TULO|T[ií]tulo|SUBT[IÍ]TULO|Subt[ií]tulo|CAP[IÍ]TULO|Cap[ií]tulo|SECCI[OÓ]N|Secci[oó]n)\s+
    (?P<label>(?:{ORDINAL}(?:(?:\s+|\s*-\s*){ORDINAL})?|{ROMAN}(?![a-z])|\d{{1,3}})
        (?:\s*[-–]?\s*(?:{SUFFIX}|[A-Z](?![a-záéíóú])))?)
    \s*(?:$|[.:\-–]+\s*(?P<heading>[A-ZÁÉÍÓÚÑ“"(].*)$|\s+(?P<caps>[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ ,]+)$)""",
    X,
)
DIVISION_KIND = {
    "libro": "libro", "titulo": "titulo", "título": "titulo", "capitulo": "capitulo",
    "capítulo": "capitulo", "seccion": "seccion", "sección": "seccion",
    "subtitulo": "subtitulo", "subtítulo": "subtitulo",
}
# A subtítulo (Durango penal code) sits between título and capítulo.
DIVISION_RANK = {"libro": 0, "titulo": 1, "subtitulo": 1.5, "capitulo": 2, "seccion": 3}

# Fracción: 'I.', 'IV.-', 'II)', 'XXIX-A.', 'XXIII Bis.', 'V Bis.-'.
FRACCION_RE = re.compile(
    rf"""^\[?(?P<label>{ROMAN}(?:\s*[-–]\s*[A-ZÑ](?![a-záéíóú])|\s+{SUFFIX}|[-–]{SUFFIX})*)
    (?P<sic>\s*\(sic[^)]{{0,30}}\))?          # 'XI (sic 05-12-1960).': printed label kept
    \s*(?P<punct>\.\s*[-–]|\.|\)|[-–])
    (?:(?=\s|$)|(?<=[.\-–])(?=[A-ZÁÉÍÓÚÑ][a-záéíóúñ]))     # 'VI.Violencia' (mobile PDFs)
    \s*(?P<rest>.*)$""",
    X,
)
# Inciso: 'a)', 'b).-', 'd ter)', 'a. ' is not used for incisos in federal laws.
INCISO_RE = re.compile(
    rf"""^\[?(?P<label>[a-zñ](?:\s*{SUFFIX})?)\)\s*[.\-–]*(?=\s|$)\s*(?P<rest>.*)$""",
    X,
)
# Numeral: '1.', '2.-', '1)' (LGIPE / LGPP paragraphs, sub-items of incisos).
NUMERAL_RE = re.compile(
    r"""^\[?(?P<label>\d{1,3}(?:\s*(?i:bis|ter))?)\s*(?:\.\s*[-–]?|\))(?=\s)\s*(?P<rest>\S.*)$""",
    X,
)
# Apartado: 'A.', 'B.-', 'Apartado C.' (CPEUM arts. 26, 41, 102, 123).
APARTADO_RE = re.compile(
    r"""^(?:Apartado\s+)?(?P<label>[A-Z])\s*(?:\.\s*[-–]?|\))\s+(?P<rest>[A-ZÁÉÍÓÚÑ¿“"(].*)$""",
    X,
)

# --------------------------------------------------------------------------- reform notes
# Subject words that open an editorial note ('Fracción reformada DOF …'). The note is in a
# small italic font in the PDF; in text we know it by subject + participle + DOF/SCJN.
# 'Nota de vigencia: …' (CPEUM) is a boxed preamble paragraph, not a note on a unit.
NOTE_SUBJECT = r"""(?:Art[ií]culos?|P[aá]rrafos?|Fracci[oó]n(?:es)?|Incisos?|Subincisos?|Numeral(?:es)?|Encabezado|Principio|Ap[eé]ndice|
    Disposici[oó]n|Declaratoria|Sentencia|
    Denominaci[oó]n|Cap[ií]tulos?|T[ií]tulos?|Secci[oó]n(?:es)?|Libros?|Apartados?|Bases?|
    Ep[ií]grafe|Decreto|Ley|Oraci[oó]n|Porci[oó]n|Derogaci[oó]n|Adici[oó]n|Reforma|
    Fe\s+de\s+erratas|Aclaraci[oó]n|Nota(?!\s+de\s+vigencia)|Último\s+p[aá]rrafo|Primer\s+p[aá]rrafo|Tabla|Anexo)"""
_NOTE_VERB = r"""(?:reformad|adicionad|derogad|declarad|publicad|recorrid|reubicad|suprimid|
    renumerad|reestructurad|modificad|original|que\s+[“"]recupera|inválid|Derog[óo]|DOF)"""
REFORM_NOTE_RE = re.compile(
    rf"""^(?P<subject>{NOTE_SUBJECT})\b(?P<body>.*?\b{_NOTE_VERB}.*)$""",
    X,
)
# A note line must also carry a DOF date or name the SCJN; this tells the note
# 'Artículo reformado DOF 29-01-2016' from body text that begins with 'Artículo'.
NOTE_EVIDENCE_RE = re.compile(r"DOF\s+\d{2}-\d{2}-\d{4}|SCJN|\d{2}-\d{2}-\d{4}|Suprema\s+Corte")
# Continuation of a note wrapped onto a second line ('Inconstitucionalidad notificada …',
# '16-12-2024', 'Reformado DOF 29-01-2016', 'reformado DOF …)').
NOTE_CONTINUATION_RE = re.compile(
    r"""^(?:[a-záéíóúñ(]|\d{2}-\d{2}-\d{4}|\d{2,4}[.\-]\s?|DOF\s|Inconstitucionalidad|Engrose|
    Acci[oó]n\s+de\s+Inconstitucionalidad|SCJN\s|
    (?:Reformad|Adicionad|Derogad|Recorrid|Reubicad|Publicad)[oa]s?\s+(?:\(|DOF)|Segundo\)|Tercero\)|Primero\))""",
    X,
)
DOF_DATE_RE = re.compile(r"(?P<d>\d{2})-(?P<m>\d{2})-(?P<y>\d{4})")
NOTE_ACTION_RE = re.compile(
    r"(?i)\b(reformad|adicionad|derogad|recorrid|reubicad|suprimid|renumerad|reestructurad|"
    r"declarad[oa]s?\s+inv[aá]lid|publicad|original|recupera|fe\s+de\s+erratas)"
)

# --------------------------------------------------------------------------- transitorios
# 'TRANSITORIOS', 'ARTICULOS TRANSITORIOS:', 'Artículos Transitorios', 'Transitorio'.
TRANSITORIOS_HEADING_RE = re.compile(
    r"""^\[?\s*(?:(?i:art[ií]culos?)\s+)?(?i:transitorios?)\s*:?\s*\]?\s*$|
    ^\s*T\s+R\s+A\s+N\s+S\s+I\s+T\s+O\s+R\s+I\s+O(?:\s+S)?\s*:?\s*$|     # spaced letters
    ^\[?\s*(?i:disposiciones\s+transitorias)\s*:?\s*\]?\s*$""",
    X,
)
# 'ARTÍCULO PRIMERO.-', 'Artículo Decimoprimero.', 'PRIMERO.', 'Único.', '1º.-',
# 'Artículo Único Transitorio.-', 'Primero:'.
TRANSITORIO_RE = re.compile(
    rf"""^\[?(?P<label>(?:(?:ART[IÍ]CULO|Art[ií]culo)\s+)?
        (?:{ORDINAL}(?:\s+{ORDINAL})?|\d{{1,2}}\s*[º°o]?)
        (?:\s+(?i:transitorio))?)
    \s*(?:\.\s*[-–]|[-–]|\.|:)(?=\s|$)\s*(?P<rest>.*)$""",
    X,
)
# 'ARTÍCULOS SEGUNDO A CUARTO.- ………': the other articles of the enacting decree, after the
# law's own transitorios (LGIPE); they close the law's transitorios.
DECREE_ARTICLES_RANGE_RE = re.compile(
    rf"""^(?:ART[IÍ]CULOS|Art[ií]culos)\s+{ORDINAL}(?:\s+{ORDINAL})?\s+(?:a|A|al|AL|y|Y)\s+{ORDINAL}""",
    X,
)
# The enacting formula / signatures that close a decree ('México, D.F., a 19 de diciembre de
# 2006.- Dip. …', 'Ciudad de México, a …', 'Dada en el Salón de Sesiones …', 'Por tanto, mando …').
# 'a 15 de diciembre de 2022', 'a los veintisiete días', 'a veintidós de mayo' — and not
# 'Ciudad de México, a más tardar el …' inside a transitorio (CPEUM, DOF 29-01-2016).
_SIGNED_ON = rf"""(?:\d{{1,2}}\s*[º°o]?\s+de\s+{_MONTH}|los\s|[a-záéíóúñ]+(?:\s+y\s+[a-záéíóúñ]+)?\s+de\s+{_MONTH})"""
SIGNATURE_RE = re.compile(
    rf"""^\[?(?:M[ée]xico,?\s+D\.\s*F\.|(?:Ciudad\s+de\s+)?M[ée]xico,?\s+a\s+{_SIGNED_ON}|
    Dad[oa]\s+en\s|SAL[OÓ]N\s+DE\s+SESIONES|Sal[oó]n\s+de\s+Sesiones|Por\s+tanto,?\s+mando|
    En\s+cumplimiento\s+de\s+lo\s+dispuesto\s+por\s+la\s+fracci[oó]n\s+I\s+del\s+Art[ií]culo\s+89)""",
    X,
)

# --------------------------------------------------------------------------- reform section
REFORM_SECTION_RE = re.compile(
    r"^\s*(?:ART[ÍI]CULOS\s+)?TRANSITORIOS\s+DE\s+(?:LOS\s+)?DECRETOS\s+DE\s+REFORMAS?\s*$", re.I
)
# Entry anchors: 'Publicado en el Diario Oficial de la Federación el 20 de enero de 2009'
# (also without 'el', with '1º'); SCJN items never published in the DOF: 'Notificada al
# Congreso de la Unión para efectos legales el 10 de septiembre de 2014'.
_LONG_DATE = rf"(?P<d>\d{{1,2}})\s*(?:[º°]|o\.?)?\s+de\s+(?P<m>{_MONTH})\s+(?:de|del)\s+(?:a[ñn]o\s+)?(?P<y>\d{{4}})"
PUBLISHED_ANCHOR_RE = re.compile(
    rf"""^\[?\s*Publicad[oa]s?\s+en\s+(?:la\s+(?:Edici[óo]n\s+)?Vespertina\s+del\s+|el\s+)?
    Diario\s+Oficial(?:\s+de\s+la\s+Federaci[óo]n)?(?:,?\s+(?:Edici[óo]n\s+)?Vespertina,?)?\s+
    (?:el\s+)?(?:d[ií]a\s+)?{_LONG_DATE}""",
    X,
)
NOTIFIED_ANCHOR_RE = re.compile(
    rf"""^\[?\s*Notificad[oa]s?\s+al\s+Congreso\s+de\s+la\s+Uni[óo]n\s+
    (?:para\s+efectos\s+legales\s+)?(?:el\s+)?{_LONG_DATE}""",
    X,
)
# First line of an entry title: an ALL-CAPS word of two letters or more that is not a Roman
# numeral ('DECRETO por el que …', 'FE de erratas …', 'LEY que reforma …', 'SENTENCIA …').
ENTRY_TITLE_START_RE = re.compile(r"^\[?(?P<word>[A-ZÁÉÍÓÚÑ]{2,})(?![a-záéíóúñ])")
ROMAN_WORD_RE = re.compile(r"^[IVXLCDM]+$")
TITLE_KIND_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\[?DECRETO\b"), "decreto"),
    (re.compile(r"^\[?(?:FE\s+(?:DE|de)\s+(?:ERRATAS?|erratas?)|ACLARACI[ÓO]N|NOTA\s+ACLARATORIA)\b",
                re.I), "fe_de_erratas"),
    (re.compile(r"^\[?(?:SENTENCIA|PUNTOS\s+RESOLUTIVOS|RESOLUTIVOS|ENGROSE|RESOLUCI[ÓO]N|"
                r"ACUERDO|DECLARATORIA|ACCI[ÓO]N\s+DE\s+INCONSTITUCIONALIDAD|"
                r"CONTROVERSIA)\b"), "scjn"),
)
# The elided new text between an amendment clause and the decree's transitorios.
ELLIPSIS_RE = re.compile(r"^\s*\[?\s*(?:…|\.{3})[….\s]*\]?\s*$")
DECREE_INVALID_NOTE_RE = re.compile(r"(?i)^Decreto\s+declarado\s+inv[aá]lido")


# --------------------------------------------------------------------------- helpers
def roman_value(s: str) -> int:
    """Integer value of an upper-case Roman numeral ('XXIX' -> 29); 0 when not a valid numeral."""
    return roman_to_int(s) or 0 if s.isupper() else 0


def to_roman(n: int) -> str:
    out = []
    for v, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                   (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(sym)
            n -= v
    return "".join(out)


def is_roman(s: str) -> bool:
    """True for a canonical Roman numeral ('IV' yes, 'IIII' or 'IC' no)."""
    v = roman_value(s)
    return v > 0 and to_roman(v) == s


def long_date(m: re.Match[str]) -> date | None:
    """Date from a match with groups d, m (month name), y."""
    try:
        return date(int(m.group("y")), MONTHS[m.group("m").lower()], int(m.group("d")))
    except (ValueError, KeyError):
        return None


def dof_dates(text: str) -> list[date]:
    """Every valid dd-mm-yyyy date in ``text``, in order."""
    out = []
    for m in DOF_DATE_RE.finditer(text):
        try:
            out.append(date(int(m.group("y")), int(m.group("m")), int(m.group("d"))))
        except ValueError:
            continue
    return out
