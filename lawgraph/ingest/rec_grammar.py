"""Grammar of the recommendation sources, as named verbose regexes.

Rules: specific before general; every pattern is matched against *one block* (lines between blank
lines) or one line, never across the whole file, so a wrapped line that happens to start with a
number ("\\t32 estados (Maldivas);**", CLADEM UPR 148.40) is never taken for a paragraph.
"""
from __future__ import annotations

import re

# YAML front matter of the CLADEM Jekyll pages ('---\nlayout: apartado\n…\n---').
FRONT_MATTER_RE = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)

# '# Comité para la Eliminación de la Discriminación contra la Mujer: Observaciones …'
BODY_TITLE_RE = re.compile(r"^\#\s+(?P<title>[^\n]+)$", re.MULTILINE)

# '## 5º Observaciones finales … adoptadas el 17 de agosto de 2006.[^609]'
# '## 1º INFORME FINAL SOBRE MÉXICO.[^622] - 26 marzo 2012'
OBSERVATION_HEADING_RE = re.compile(
    r"""^\#\#\s+
    (?P<ordinal>\d+)\s*[º°o]?\s*         # '5º', '6°'
    (?P<title>.*?)
    (?:\[\^(?P<note>\d+)\])?              # footnote holding the document symbol
    (?P<tail>[^\[\n]*)$""",
    re.VERBOSE | re.MULTILINE,
)

# '### C. Principales ámbitos de preocupación y recomendaciones[^612]', '#### Educación'
SECTION_HEADING_RE = re.compile(
    r"""^\#{3,6}\s+
    (?:(?P<letter>[A-Z])(?:\.\d+)?\.\s+)?   # 'C. ', 'D.1. '
    (?P<title>.*?)\s*(?:\[\^\d+\])?\s*$""",
    re.VERBOSE,
)

# '[^607]: Suplemento No. 38 (A/57/ 38), 2002' — continuation lines follow without a marker.
FOOTNOTE_DEF_RE = re.compile(r"^\[\^(?P<num>\d+)\]:\s*(?P<text>.*?)(?=^\[\^\d+\]:|\Z)", re.MULTILINE | re.DOTALL)

# A numbered paragraph at the start of a block: '432. ', '\t148.23 **', '93.30.1 '. The number
# is at most three digits per level so a year opening a wrapped line is never a paragraph.
NUMBERED_PARA_RE = re.compile(
    r"""\A(?P<indent>[ \t]*)
    (?P<num>\d{1,3}(?:\.\d{1,3}){0,2})     # 12 | 148.23 | 93.30.1
    \.?[ \t]+
    (?=\S)""",
    re.VERBOSE,
)

# A lettered sub-paragraph: '\ta. **Revisar su estrategia …**', 'b) …'
SUBPARA_RE = re.compile(r"\A[ \t]*(?P<letter>[a-zñ])[.)][ \t]+(?=\S)")

# Editorial elisions and notes of the compilers: '(…)', '_No se observan recomendaciones …_'
ELISION_RE = re.compile(r"\A[ \t]*\((?:…|\.\.\.)\)[ \t]*\Z")
EDITOR_NOTE_RE = re.compile(r"\A[ \t]*_[^_]+_[ \t]*\Z", re.DOTALL)

# '**…**' spans: the recommendation part of a paragraph in the CLADEM compilation.
BOLD_RE = re.compile(r"\*\*(?P<text>.+?)\*\*", re.DOTALL)
FOOTNOTE_REF_RE = re.compile(r"\[\^\d+\]")

# A UN document symbol inside a footnote ('A/57/ 38', 'CEDAW/C/MEX/CO/7-8', 'CCPR/C/79/Add. 32',
# 'E/C.12/MEX/CO/5-6', 'A/53/ 38/ Rev. 1'); spaces that the compilers put after slashes and
# after 'Add.'/'Rev.' are folded afterwards.
UN_SYMBOL_RE = re.compile(
    r"""(?P<sym>
    [A-Z]{1,6}(?:\.\d+)?                    # 'A', 'CEDAW', 'E', 'CCPR'
    (?:\s*/\s*(?:[A-Z][A-Za-z]*\.?\s?\d*(?:[-.]\d+)*|\d+(?:[-.]\d+)*|[A-Z][A-Za-z0-9.\-]*))+
    )""",
    re.VERBOSE,
)
YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")

# Thematic index lines: '## Acceso a la Justicia', '* Comité de Derechos Humanos',
# '  * 5º Observaciones finales sobre el Estado, Parag. 8 Inc. C; 9'
INDEX_THEME_RE = re.compile(r"^\#\#\s+(?P<theme>.+?)\s*$")
INDEX_BODY_RE = re.compile(r"^\*\s+(?P<body>.+?)\s*$")
INDEX_ENTRY_RE = re.compile(
    r"""^\s+\*\s+(?P<ordinal>\d+)\s*[º°o]?\s*(?P<what>.*?)[,;]\s*Parag\.?\s*(?P<paras>.+?)\s*$""",
    re.VERBOSE,
)
# '8 Inc. C', '148.70', 'B.34'
INDEX_PARA_RE = re.compile(
    r"""^(?:(?P<section>[A-Z])\.)?(?P<num>\d{1,3}(?:\.\d{1,3}){0,2})
    (?:\s*Inc\.?\s*(?P<letter>[A-Za-z]))?$""",
    re.VERBOSE,
)

# UPR CSV cell: '148.81. Set up …', '93.15   Bring state laws …', '93.30.1 take measures …'
# The 2013 file also prints '148.5..1 Accept …' and '148.5..2/Recognise …' (doubled dot, slash).
UPR_NUMBER_RE = re.compile(r"\A\s*(?P<num>\d{1,3}(?:\.{1,2}\d{1,3}){1,2})\.?(?:\s+|/)")
# The trailing list of recommending states: '(Iran (Islamic Republic of));', '(Sweden) );'
UPR_STATES_TAIL_RE = re.compile(r"\((?P<states>[^()]*(?:\([^()]*\)[^()]*)*)\)\s*\)?\s*[;.]?\s*\Z")

# UPR report PDF lines: a numbered paragraph or list item at the start of a line. The 2013
# report numbers items '148.81.'; the 2009 report prints them '15.' inside paragraph 93.
UPR_PDF_NUMBERED_RE = re.compile(
    r"""^(?P<num>\d{1,3}(?:\.\d{1,3}){0,2})\.\s+(?P<text>\S.*)$""",   # the dot is required
    re.VERBOSE,
)
# The paragraph that introduces the recommendations list ('… recommendations … :').
# 2009: '93. The recommendations listed below have been examined …', '94. The following
# recommendations will be examined …'; 2013: '148. The recommendations … listed below …:'.
UPR_PDF_LIST_INTRO_RE = re.compile(
    r"^the\s+(?:following\s+)?recommendations\b.*?(?:below|following|:)|^the\s+following\s+recommendations",
    re.IGNORECASE | re.DOTALL,
)
# Running heads and footers of the UN PDFs: page numbers, 'GE.09-13582', 'A/HRC/11/27'.
UPR_PDF_FURNITURE_RE = re.compile(r"^(?:\d{1,3}|GE\.\d[\d-]*.*|A/HRC/\S+(?:\s+page\s+\d+)?)$", re.IGNORECASE)

# Characters that text written in Mac Roman shows when read as Latin-1 (typographic quotes and
# dashes): 'childrenÕs' for 'children’s'. Their presence between letters marks a mis-encoded file.
MAC_ROMAN_MOJIBAKE_RE = re.compile(r"[A-Za-z][ÕÔÒÓÐÑ][A-Za-z]|[ÒÓ]\w")

# Operative verbs of treaty-body and review language (Spanish), for observation sets printed
# without bold: 'El Comité recomienda …', 'insta', 'exhorta', 'pide', 'El Estado parte debe …'.
RECOMMENDING_VERB_RE = re.compile(
    r"""\b(?:recomienda|recomendó|insta|exhorta|pide|invita|alienta|sugiere|solicita|
    alent[óo]|inst[óo]|debe(?:rá|ría)?|deberían?)\b""",
    re.VERBOSE | re.IGNORECASE,
)
# Headings under which every paragraph is a recommendation ('Sugerencias y recomendaciones',
# 'II. CONCLUSIONES Y/O RECOMENDACIONES', 'A. Recomendaciones generales').
RECOMMENDATION_SECTION_RE = re.compile(
    r"^(?:[IVX]+\.\s+)?(?:sugerencias\s+y\s+recomendaciones|recomendaciones\b|conclusiones\s+y(?:/o)?\s+recomendaciones)",
    re.IGNORECASE,
)
