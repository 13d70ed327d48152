"""Grammar of the provision references a person types (``lawgraph show "LGAMVLV art 20 Ter"``).

Rules, specific before general: a law key first (the catalogue key, any case: 'LGAMVLV',
'cpeum'), then the article ('art', 'art.', 'artículo', 'articulo'; label as printed: '4o.',
'20 Ter', '215-A'), then optionally a fracción ('fr.', 'frac.', 'fracc.', 'fracción' + a roman
numeral with an optional letter or Latin suffix: 'III', 'XXIX-A', 'XXIII Bis') and an inciso
('inc.', 'inciso' + a letter, with or without its closing parenthesis). Commas between parts
are optional. Ids of the scheme in :mod:`lawgraph.ids` are recognised before this grammar.
"""
from __future__ import annotations

import re

PROVISION_REFERENCE_RE = re.compile(
    r"""^\s*
    (?P<law>[A-Za-z][A-Za-z0-9._-]*)                    # law key: LGAMVLV, cpeum, mx-chh-cp
    \s+,?\s*
    (?:art(?:[íi]culo)?\.?|arts?\.)\s*                  # art / art. / artículo / articulo
    (?P<article>\d+\s*(?:o\.?|º|°)?                     # 4, 4o., 4º
        (?:\s*[-\s]\s*(?!fr|inc)[A-Za-zÁÉÍÓÚáéíóú]+)*)  # Bis, Ter, -A (but not the next part)
    (?:\s*,?\s*
        (?:fr(?:acc?(?:i[óo]n)?)?\.?)\s*                # fr. / frac. / fracc. / fracción
        (?P<fraccion>[IVXLCDM]+(?:\s*[-\s]\s*(?!inc)[A-Za-z]+)?)
    )?
    (?:\s*,?\s*
        (?:inc(?:iso)?\.?)\s*                           # inc. / inciso
        (?P<inciso>[a-zñ])\)?
    )?
    \s*$""",
    re.VERBOSE | re.IGNORECASE,
)
