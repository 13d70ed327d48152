"""Grammar of legislative-process step lists ("PROCESO LEGISLATIVO" of SITL / Gaceta pages).

A step list reads like::

    1. Iniciativa presentada por el Dip. … (PT), el 09 de abril de 2025.
    2. Declaratoria de publicidad en la Cámara de Diputados el 29 de abril de 2026 …
    3. Dictamen a discusión presentado en la Cámara de Diputados …, el 29 de abril de 2026.
       Proyecto de decreto aprobado en lo general y en lo particular por 455 votos a favor.
    4. Pasa a la Cámara de Senadores para sus efectos constitucionales.

Each numbered step is matched against the patterns below, in order (specific before general);
a step can yield several events (step 3: dictaminada, then aprobada). Patterns run on the
accent- and case-folded text.
"""
from __future__ import annotations

import re

# A numbered step: '1. …' up to the next '<n>. ' that starts with a capital letter.
STEP_RE = re.compile(r"(?:^|\s)(?P<n>\d{1,2})\.\s+(?P<text>.+?)(?=\s\d{1,2}\.\s+[A-ZÁÉÍÓÚ]|\Z)", re.S)

# The chamber a step speaks of.
CHAMBER_RE = re.compile(r"camara\s+de\s+(?P<c>diputados|senadores)|\b(?P<s>senado)\b")

# (stage value, pattern) in the order they are tried on one step.
STEP_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("presentada", re.compile(r"\b(?:iniciativa|minuta)\s+(?:presentada|suscrita|recibida)\b")),
    ("dictaminada", re.compile(r"\bdeclaratoria\s+de\s+publicidad\b|\bdictamen\s+(?:de\s+primera\s+lectura|a\s+discusion)\b")),
    ("aprobada", re.compile(r"\baprobad[oa]\s+en\s+lo\s+general\b|\baprobad[oa]\s+por\s+\d+\s+votos\b")),
    ("desechada", re.compile(r"\bdesechad[oa]\b")),
    # 'Pasa a la Cámara de Senadores para sus efectos constitucionales'; back to the origin
    # under art. 72 e) is 'devuelta'.
    ("pasa_camara", re.compile(r"\b(?:pasa|se\s+turn[oó]|remitid[oa]|enviad[oa]|turnad[oa])\s+a\s+la\s+camara\s+de\s+(?P<to>diputados|senadores)\b")),
    ("enviada_ejecutivo", re.compile(r"\b(?:pasa|remitid[oa]|enviad[oa]|turnad[oa])\s+al\s+ejecutivo\b")),
    ("aprobada_legislaturas", re.compile(r"\blegislaturas\s+(?:de\s+los\s+estados|locales|de\s+las\s+entidades)\b")),
    ("declaratoria", re.compile(r"\bdeclaratoria\s+de\s+(?:aprobacion|reforma)|\bse\s+(?:emite|realiza)\s+(?:la\s+)?declaratoria\b")),
    ("publicada_dof", re.compile(r"\bpublicad[oa]\s+en\s+el\s+diario\s+oficial\b")),
]
