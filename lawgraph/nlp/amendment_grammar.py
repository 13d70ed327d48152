"""Grammar of Mexican amendment clauses, as named verbose regexes.

Rules (specific before general):

1. Spans that must never be read as targets are masked first: quoted headings
   (“De las Medidas u Órdenes de Protección”), dates ("10 de febrero de 2014" inside a cited
   decree) and law names ("Ley de Amparo, Reglamentaria de los artículos 103 y 107 …" holds
   article numbers of *another* law).
2. Verb markers split a clause into segments; each segment's targets take that verb's
   operation ("Se reforman …; se adicionan …; y se derogan …").
3. Inside a segment, article labels are read only where the grammar puts them: right after
   "artículo(s)", or as the next item of an article list (after ";", "," or "y" when no
   numbered unit such as "numerales 3o., 6o." is open).
4. Finer targets (párrafo by ordinal, fracción, inciso, apartado, base, numeral) either follow
   their article ("5, fracciones I y II" — article-first lists) or precede it ("la fracción IX
   del artículo 47" — unit-first phrases).

Every pattern is matched against the original text with ``re.IGNORECASE``; accents are
accepted with or without (OCR and clerks drop them).
"""
from __future__ import annotations

import re

# --- masks -----------------------------------------------------------------------------

# A quoted heading or cited title (typographic or straight quotes); kept short so that an
# unbalanced quote cannot swallow a clause.
QUOTED_RE = re.compile(r"""[“"«][^“”"»]{1,400}[”"»]""", re.VERBOSE)

# A date inside a clause ("publicado … el 10 de febrero de 2014"); its numbers are not articles.
CLAUSE_DATE_RE = re.compile(
    r"""\b\d{1,2}\s+de\s+[a-záéíóú]+\s+(?:de|del)\s+(?:año\s+)?\d{4}\b""",
    re.VERBOSE | re.IGNORECASE,
)

# A decree cited inside a clause ('… transitorio del Decreto por el que se reformaron los
# artículos 30, 32 y 37 de la Constitución …, publicado en el Diario Oficial … de 1997'): the
# articles it names belong to that older decree, not to this one.
CITED_DECREE_RE = re.compile(
    r"""\b(?:del|al|el)\s+(?:diverso\s+|citado\s+)?decreto\s+(?:por\s+el\s+(?:que|cual)|de\s+reformas?|que|mediante
        |de\s+fecha)\b                                 # 'del Decreto de fecha 2 de septiembre de 1993' (DOF 22-08-1996)
        .*?
        (?:publicado\s+en\s+el\s+Diario\s+Oficial\s+de\s+la\s+Federaci[oó]n[^,;:]*?\d{4}|(?=[;:])|$)""",
    re.VERBOSE | re.IGNORECASE | re.DOTALL,
)

# A law name. Starts at a capitalised kind word after "de la / del / a la / la"; runs lazily to
# the first terminator. ", Reglamentaria de …" continues a name (Ley de Amparo, Reglamentaria
# de los artículos 103 y 107 …; Ley Federal de los Trabajadores …, Reglamentaria del Apartado B).
LAW_NAME_RE = re.compile(
    r"""
    (?<![\w])
    (?P<name>
      (?:Constituci[oó]n\s+Pol[ií]tica|Constituci[oó]n\s+(?:Federal|General)|Constituci[oó]n\b
        |Ley|LEY|ley(?=\s+[A-ZÁÉÍÓÚ])|C[oó]digo|C[OÓ]DIGO|Reglamento|Estatuto|Presupuesto)
      (?:
         [^;:.“”"(]                                   # ordinary characters of a name
        |\.(?=\s*(?:Constitucional|de\s+la|y\s))      # '5o. Constitucional'
        |\d+o\.                                       # 'Artículo 5o.'
        |\([A-Z]\)|\b[A-Z]\)                          # 'Apartado B)'
      )*?
    )
    (?=
       \s*[;:]
      |\s*\.(?:\s|$)
      |\s*$
      |,(?!\s*Reglamentari)                           # ', Reglamentaria de …' continues
        (?!\s*(?!(?:Ley|Leyes|C[oó]digo|Constituci|Reglamento|Estatuto|Cap[ií]tulo|T[ií]tulo|Secci[oó]n
                  |Art[ií]culo|Apartado|Fracci[oó]n|Para|En|Con|Que|Del?|La|El|Y)\b)
               [A-ZÁÉÍÓÚÑ][a-záéíóúñ]+\b)                # ', Niños y Adolescentes', ', Cuidado y …' continue
      |\s+para\s+quedar
      |\s+en\s+materia
      |\s+en\s+los\s+siguientes
      |\s+y\s+(?:se|del?|la|las|los|el|un|una|en|a|al)\s+   # '… y la Ley …' / '… y el artículo'
         (?:(?=Ley\b|Leyes\b|C[oó]digo|Constituci|Reglamento|Estatuto)|(?![A-ZÁÉÍÓÚ]))  # but 'y el Desarrollo' continues a name
      |\s+(?:y|e)\s+(?=(?:Ley|Leyes|C[oó]digo|Constituci[oó]n|Reglamento|Estatuto)\b)   # '… Salud y Ley Federal …'
      |(?<!\d)\s+y\s+(?:\d|expid|abrog|reform|adicion|derog)   # not inside "artículos 103 y 107"
      |\s+(?:expide|abroga|reforma|adiciona|deroga)\b
      |\s+(?:así\s+como|con\s+el\s+objeto|a\s+fin|recorri[eé]ndose|que\s+)
    )
    """,
    re.VERBOSE,
)

# --- operations --------------------------------------------------------------------------

# Verb markers. 'se reforman', 'SE ADICIONAN:', 'se declaran reformados', titles' 'que reforma',
# 'reformando', and the descriptive 'la adición de', 'recorriéndose', 'pasando … a ser'.
_VERB_STEMS = r"""
    (?P<reforma>reform|modific|sustitu|restructur)
   |(?P<adiciona>adicion|incorpor|agreg|restablec|inclu)
   |(?P<deroga>derog|suprim|elimin)
   |(?P<abroga>abrog)
   |(?P<expide>expid|emit)
   |(?P<recorre>recorr)
   |(?P<renumera>renumer)
"""
VERB_RE = re.compile(
    rf"""
    (?:
      \b(?P<pre>(?:se|que)\s+(?:declaran?\s+|le\s+)?|(?:y|e)\s+(?:se\s+)?)?
      \b(?:{_VERB_STEMS})(?P<suf>[a-záéíóú]*)
     |\b(?:la\s+)?(?P<adicion>adici[oó]n)\s+de\b
     |\bpasando\b(?P<pasando>)
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
# A verb without 'se'/'que' counts only as a gerund ('reformando', 'recorriéndose').
GERUND_SUFFIX_RE = re.compile(r"^(?:ando|iendo|i[eé]ndose|[aá]ndose|ándolos|iéndolos)$", re.IGNORECASE)

# --- targets -----------------------------------------------------------------------------

ARTICLE_WORD_RE = r"(?:art[ií]culos?|arts?\.)"

# An article label: number, optional ordinal mark, optional Latin suffix or capital letter.
ARTICLE_LABEL_RE = r"""
    \d{1,3}\s*(?:o\.|º|°|\.(?=\s*(?:y|,|;|de|del|al|fracci|p[aá]rr)))?
    (?:\s*-?\s*(?:Bis|Ter|Qu[aá]ter|Quinquies|Sexies|Septies|Octies|Nonies|Decies|Undecies
                |Duodecies|Terdecies|Quaterdecies|BIS|TER)\b(?:\s*\d{1,2}\b)?
       |(?-i:\s*-?\s*(?:[B-DF-NP-XZ]|[AE](?=\s*(?:[;,.:]|y\b|$)))\b)(?![\).]))?   # '34 A'; never 'Y'/'E'/'O' of upper-case text
"""

# Ordinals used for párrafos (and for fracciones in words: 'la fracción décima').
ORDINAL_WORDS = {
    "primer": 1, "primero": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercer": 3,
    "tercero": 3, "tercera": 3, "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5,
    "sexto": 6, "sexta": 6, "septimo": 7, "septima": 7, "setimo": 7, "octavo": 8,
    "octava": 8, "noveno": 9, "novena": 9, "decimo": 10, "decima": 10, "undecimo": 11,
    "duodecimo": 12, "vigesimo": 20, "vigesima": 20, "trigesimo": 30, "trigesima": 30,
    "cuadragesimo": 40, "quincuagesimo": 50,
}
ORDINAL_RE = r"""
    (?:(?:d[eé]cimo|vig[eé]simo|trig[eé]simo|cuadrag[eé]simo)\s*-?\s*)?
    (?:primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|sext[oa]|s[eé]ptim[oa]|s[eé]tim[oa]
      |octav[oa]|noven[oa]|d[eé]cim[oa]|und[eé]cimo|duod[eé]cimo|vig[eé]sim[oa]|trig[eé]sim[oa]
      |cuadrag[eé]simo|quincuag[eé]simo)
"""

ROMAN_RE = r"""(?-i:(?:[IVXL]{1,7}|1)(?:\s?-\s?[A-ZÑ]\b|\s+Bis\b|\s+Ter\b)?)(?![a-záéíóúñ])"""
LETTER_RE = r"""(?-i:\b[a-zñ]\))"""

# Kinds of finer targets; plural forms and accents optional.
UNIT_WORD_RE = re.compile(
    r"""
     (?P<parrafo>p[aá]rrafos?|encabezados?)
    |(?P<fraccion>fracci[oó]n(?:es)?|fracc?\.)
    |(?P<inciso>incisos?)
    |(?P<numeral>numerales|numeral)
    |(?P<apartado>apartados?)
    |(?P<base>bases?)
    """,
    re.VERBOSE | re.IGNORECASE,
)
DIVISION_WORD_RE = re.compile(
    r"""(?P<kind>t[ií]tulos?|cap[ií]tulos?|secci[oó]n(?:es)?|libros?)\s+
        (?P<label>[IVXL]+\b(?:\s+Bis)?|primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|sext[oa]
           |s[eé]ptim[oa]|octav[oa]|noven[oa]|d[eé]cim[oa](?:\s+\w+)?|[úu]nic[oa]|\d+)""",
    re.VERBOSE | re.IGNORECASE,
)
DENOMINATION_RE = re.compile(r"\bdenominaci[oó]n\b|\bt[ií]tulo\s+de\s+la\b|\brubro\b", re.IGNORECASE)

# One token of a segment, in the order the scanner tries them.
TOKEN_RE = re.compile(
    rf"""
     (?P<MASK>\x00+)                                       # masked span (quote, date, law)
    |(?P<ART>\b{ARTICLE_WORD_RE}(?![a-záéíóú]))
    |(?P<TRANS>\btransitori[oa]s?\b)
    |(?P<DIV>\b(?:t[ií]tulos?|cap[ií]tulos?|secci[oó]n(?:es)?|libros?)\b)
    |(?P<UNIT>\b(?:p[aá]rrafos?|encabezados?|fracci[oó]n(?:es)?|fracc?\.|incisos?|numerales|numeral|apartados?|bases?)(?![a-záéíóú]))
    |(?P<DENOM>\bdenominaci[oó]n\b)
    |(?P<LAST>\b(?:[uú]ltim[oa]s?|inicial|pen[uú]ltimo|[uú]nico)\b)
    |(?P<ORD>\b{ORDINAL_RE}\b)
    |(?P<NUM>(?<![\w-]){ARTICLE_LABEL_RE})
    |(?P<LETTER>(?<![\w])(?-i:[a-zñ])\))
    |(?P<ROMAN>(?<![\w]){ROMAN_RE})
    |(?P<RANGE>\b(?:a\s+la|al|a)\b(?=\s+(?:{ORDINAL_RE}|[IVXL]+\b|\d)))
    |(?P<SEMI>;)
    |(?P<COMMA>,)
    |(?P<CONJ>\b(?:y|e|así\s+como)\b)
    |(?P<DET>\b(?:el|la|los|las|un|una|unos|unas|dos|tres|cuatro|cinco|seis|su|sus|nuevos?|nuevas?)\b)
    |(?P<OF>\b(?:del|de|al|a|en)\b)
    |(?P<WORD>[A-Za-zÁÉÍÓÚáéíóúÑñü]+)
    |(?P<OTHER>\S)
    """,
    re.VERBOSE | re.IGNORECASE,
)

# The law that a whole clause concerns when it names none: the document's own law.
CONSTITUTION_RE = re.compile(r"Constituci[oó]n", re.IGNORECASE)

# Header of one article of a multi-article decree ('ARTÍCULO SEGUNDO.-', 'Artículo Único.', 'ÚNICO.-').
DECREE_ARTICLE_HEAD_RE = re.compile(
    r"""^\s*(?:ART[IÍ]CULO\s+)?(?P<label>[ÚU]NICO|PRIMERO|SEGUNDO|TERCERO|CUARTO|QUINTO|SEXTO|S[ÉE]PTIMO
        |OCTAVO|NOVENO|D[ÉE]CIMO(?:\s+\w+)?|\w+)\s*[.\-–]+\s*""",
    re.VERBOSE | re.IGNORECASE,
)
