"""Amendment clauses -> :class:`lawgraph.model.amendment.Operation` lists.

Stages (each testable alone):

1. ``split_decree_articles``: a clause of a multi-article decree ("Artículo Primero.- Se
   reforma …" / "Artículo Segundo.- …") into its articles.
2. ``mask``: quoted headings, dates and law names blanked out (their numbers are not
   targets); law mentions kept with their spans.
3. ``segments``: one segment per verb marker ("se reforman", "se adicionan", "se derogan",
   "recorriéndose", "pasando … a ser").
4. A scanner over each segment's tokens (grammar in :mod:`lawgraph.nlp.amendment_grammar`)
   that reads article lists and finer targets and emits operations.
5. Law attribution: each operation takes the first law named after it in the same decree
   article ("… de la Ley General de Víctimas"), else the document's law.

``parse_clause`` never drops text silently: a clause without a readable operation is
reported in ``ClauseParse.problems`` (and ``parse_clause_strict`` raises ``ParseError``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from lawgraph.errors import ParseError
from lawgraph.ids import normalise_article_label, roman_to_int
from lawgraph.model.amendment import ClauseParse, DivisionRef, Operation, UnitRef
from lawgraph.nlp import amendment_grammar as g
from lawgraph.nlp.dates import fold

_OP_GROUPS = ("reforma", "adiciona", "deroga", "abroga", "expide", "recorre", "renumera")
_NUMERIC_UNITS = {"numeral", "apartado"}
_UNIT_RANK = {"apartado": 0, "base": 1, "fraccion": 2, "inciso": 3, "numeral": 4, "parrafo": 5}
_ROMAN = [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def to_roman(n: int) -> str:
    out = []
    for v, s in _ROMAN:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def from_roman(s: str) -> int | None:
    """Value of an upper-case Roman numeral; None otherwise."""
    return roman_to_int(s) if s.isupper() else None


def ordinal_value(text: str) -> int | None:
    """'décimo primero' -> 11, 'decimoséptimo' -> 17, 'vigésimo tercero' -> 23, 'primer' -> 1."""
    t = fold(text).replace("-", " ")
    t = re.sub(r"^(decimo|vigesimo|trigesimo|cuadragesimo)(?=\w)", r"\1 ", t)
    total = 0
    for w in t.split():
        if w not in g.ORDINAL_WORDS:
            return None
        total += g.ORDINAL_WORDS[w]
    return total or None


def _norm_unit_label(kind: str, raw: str) -> str:
    raw = " ".join(raw.split())
    if kind == "inciso":
        return raw.rstrip(")").strip().lower()
    f = fold(raw)
    if f.startswith(("ultim",)):
        return "último"
    if f in ("inicial", "encabezado", "unico"):
        return {"inicial": "1", "encabezado": "1", "unico": "único"}[f]
    val = ordinal_value(raw)
    if val is not None:
        return to_roman(val) if kind == "fraccion" else str(val)
    if kind == "fraccion":
        lab = re.sub(r"\s*-\s*", "-", raw).upper().replace("BIS", "Bis").replace("TER", "Ter")
        return re.sub(r"^1(?=-)", "I", lab)
    return raw.rstrip(".").replace("o.", "").strip().title() if kind in ("base",) else raw.rstrip(".")


def _title_case_label(raw: str) -> str:
    raw = " ".join(raw.split())
    return raw if re.fullmatch(r"[IVXL]+(?: Bis)?", raw) else raw.title()


@dataclass
class _Tok:
    kind: str
    text: str
    start: int
    end: int


@dataclass
class _Group:
    """Finer targets read together, waiting for (or following) their article."""

    op: str
    start: int
    post: bool                                  # follows its article ('5, fracción I')
    item: int = 0                               # ';'-separated item of the segment list
    phrases: list[tuple[str, list[str], str]] = field(default_factory=list)  # kind, labels, link
    end: int = 0

    def paths(self) -> list[list[UnitRef]]:
        """Unit paths (outermost first); phrases joined by 'de la'/'del' or by a deeper rank
        nest, others are siblings."""
        chains: list[list[tuple[str, list[str]]]] = []
        for kind, labels, link in self.phrases:
            if chains and link == "of":
                chains[-1].insert(0, (kind, labels)) if not self.post else chains[-1].append((kind, labels))
            elif (chains and link == "comma" and self.post
                  and _UNIT_RANK[kind] > _UNIT_RANK[chains[-1][-1][0]] and len(chains[-1][-1][1]) == 1):
                chains[-1].append((kind, labels))
            else:
                chains.append([(kind, labels)])
        out: list[list[UnitRef]] = []
        for chain in chains:
            prefix: list[UnitRef] = []
            for kind, labels in chain[:-1]:
                if labels:
                    prefix.append(UnitRef(kind=kind, label=labels[0]))  # type: ignore[arg-type]
            kind, labels = chain[-1]
            # An unlabelled unit ('se adicionan tres párrafos') keeps an empty label.
            for lab in labels or [""]:
                out.append(prefix + [UnitRef(kind=kind, label=lab)])  # type: ignore[arg-type]
        return out


def split_decree_articles(clause: str) -> list[tuple[str | None, int, str]]:
    """(decree article label, offset, text) for each article of a multi-article clause.

    A new piece starts only at a line that opens with a decree-article heading
    ('Artículo Segundo.-', 'ÚNICO.-'); other line breaks are wrapped text.
    """
    starts: list[tuple[int, str | None]] = []
    offset = 0
    for line in clause.split("\n"):
        m = g.DECREE_ARTICLE_HEAD_RE.match(line)
        if m and re.match(r"^\s*(?:ART[IÍ]CULO\s+\w+(?:\s+\w+)?|[ÚU]NICO)\s*[.\-–]", line, re.I):
            starts.append((offset, " ".join(m.group("label").split()).upper()))
        offset += len(line) + 1
    if not starts or starts[0][0] > 0 and clause[: starts[0][0]].strip():
        starts.insert(0, (0, None))
    parts = []
    for i, (s, label) in enumerate(starts):
        e = starts[i + 1][0] if i + 1 < len(starts) else len(clause)
        if clause[s:e].strip():
            parts.append((label, s, clause[s:e]))
    return parts or [(None, 0, clause)]


class LawNameIndex(Protocol):
    """Knows full law names, so that a name with commas ('Ley General de los Derechos de
    Niñas, Niños y Adolescentes') is read whole. :class:`lawgraph.catalog.LawCatalog` is one."""

    def longest_name_at(self, folded: str, start: int) -> int | None: ...


def mask(text: str, names: LawNameIndex | None = None) -> tuple[str, list[tuple[int, int, str]]]:
    """Blank quoted spans, dates and law names; return the masked text and the law mentions
    (start, end, name). Cached: a title is masked by the parser and by target extraction."""
    masked, laws = _mask_cached(text, names)
    return masked, list(laws)


@lru_cache(maxsize=8192)
def _mask_cached(text: str, names: LawNameIndex | None) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """See :func:`mask`. With ``names``, a law name found by the grammar is extended to the longest known name
    that the text spells from the same position.
    """
    chars = list(text)

    def blank(s: int, e: int) -> None:
        for i in range(s, e):
            chars[i] = "\x00"

    for pat in (g.QUOTED_RE, g.CITED_DECREE_RE, g.CLAUSE_DATE_RE):
        for m in pat.finditer(text):
            blank(*m.span())
    masked = "".join(chars)
    laws: list[tuple[int, int, str]] = []
    folded = fold(text.replace("\n", " ")) if names is not None else ""
    if len(folded) != len(text):
        folded = ""
    pos = 0
    while True:
        m = g.LAW_NAME_RE.search(masked, pos)
        if not m:
            break
        start, end = m.start(), m.end()
        if folded:
            longer = names.longest_name_at(folded, start)  # type: ignore[union-attr]
            if longer and longer > end:
                end = longer
        name = " ".join(text[start:end].split()).rstrip(" ,")
        laws.append((start, end, name))
        blank(start, end)
        pos = end
    return "".join(chars), tuple(laws)


def _verb_op(m: re.Match[str]) -> str | None:
    if m.group("adicion") is not None:
        return "adiciona"
    if m.group("pasando") is not None:
        return "renumera"
    if not m.group("pre") and not g.GERUND_SUFFIX_RE.match(m.group("suf") or ""):
        return None
    for name in _OP_GROUPS:
        if m.group(name) is not None:
            return name
    return None


def _segments(masked: str) -> list[tuple[str, int, int]]:
    """(op, start, end) per verb marker. 'recorriéndose …' / 'y se recorre la subsecuente' /
    'pasando … a ser' are asides: they end at the next ';' (a gerund also at the next ',')
    and the list they interrupt resumes with the operation before them."""
    marks = []
    for m in g.VERB_RE.finditer(masked):
        op = _verb_op(m)
        if op:
            gerund = not m.group("pre") and m.group("adicion") is None
            marks.append((op, m.start(), m.end(), gerund))
    segs: list[tuple[str, int, int]] = []
    main_op: str | None = None
    for i, (op, s, e, gerund) in enumerate(marks):
        end = marks[i + 1][1] if i + 1 < len(marks) else len(masked)
        if op in ("recorre", "renumera") and main_op is not None:
            stops = [masked.find(";", e, end)] + ([masked.find(",", e, end)] if gerund else [])
            stops = [x for x in stops if x >= 0]
            if stops:
                cut = min(stops)
                segs.append((op, e, cut))
                segs.append((main_op, cut, end))
                continue
        segs.append((op, e, end))
        if op not in ("recorre", "renumera"):
            main_op = op
    return segs


class _Scanner:
    """Reads targets from the segments of one decree article."""

    def __init__(self, text: str, masked: str, base: int, decree_article: str | None):
        self.text = text
        self.masked = masked
        self.base = base
        self.decree_article = decree_article
        self.ops: list[Operation] = []
        self.cur_art: tuple[str, int, int] | None = None   # label, start, end (this piece)
        self.art_open = False
        self.pending: list[_Group] = []          # unit-first groups waiting for an article
        self.group: _Group | None = None
        self.bare_idx: int | None = None         # index of cur_art's bare operation
        self.item = 0                            # ';'-separated item counter
        self.cur_art_item = -1

    # -- emission -------------------------------------------------------------------------
    def _emit(self, op: str, start: int, end: int, **kw) -> None:
        self.ops.append(Operation(
            op=op, start=self.base + start, end=self.base + end,
            text=" ".join(self.text[start:end].replace("\x00", " ").split()),
            decree_article=self.decree_article, **kw,
        ))

    def _attach(self, grp: _Group, art: tuple[str, int, int]) -> None:
        label, s, e = art
        if art is self.cur_art and self.bare_idx is not None:
            # '5, fracción I': the finer targets replace the bare article operation.
            del self.ops[self.bare_idx]
            self.bare_idx = None
        for path in grp.paths():
            self._emit(grp.op, min(grp.start, s), max(grp.end, e), article=label, units=path)

    def _close_group(self) -> None:
        grp, self.group = self.group, None
        if grp is None or not grp.phrases:
            return
        if grp.post and self.cur_art:
            self._attach(grp, self.cur_art)
        else:
            self.pending.append(grp)

    def _article(self, op: str, label: str, s: int, e: int, via_of: bool) -> None:
        if self.group and self.group.post:
            self._close_group()
        elif self.group:
            self.pending.append(self.group)
            self.group = None
        art = (label, s, e)
        if self.pending:
            for grp in self.pending:
                self._attach(grp, art)
            self.pending = []
            self.bare_idx = None
        else:
            self._emit(op, s, e, article=label)
            self.bare_idx = len(self.ops) - 1
        self.cur_art = art
        self.cur_art_item = self.item

    def finish(self) -> None:
        self._close_group()
        if self.pending and self.cur_art:
            for grp in self.pending:
                self._attach(grp, self.cur_art)
            self.pending = []

    # -- scanning -------------------------------------------------------------------------
    def scan(self, op: str, start: int, end: int) -> None:
        toks = [
            _Tok(m.lastgroup or "OTHER", m.group(), start + m.start(), start + m.end())
            for m in g.TOKEN_RE.finditer(self.masked[start:end])
        ]
        i = 0
        prev = "START"                     # kind of the previous significant token
        prev_art_num = False               # previous significant token was an article label
        unit_kind: str | None = None
        loose_ords: list[_Tok] = []
        link = "comma"
        art_comma = False                  # '35, un párrafo …': a determiner after 'article,'
        while i < len(toks):
            t = toks[i]
            k = t.kind
            was_art_comma, art_comma = art_comma, False
            if k == "ART":
                # 'artículo Décimo Sexto Transitorio' names a decree's transitory article.
                j = i + 1
                while j < len(toks) and toks[j].kind in ("ORD", "LAST", "WORD") and j - i < 4:
                    j += 1
                # '… del artículo tercero de los Artículos Transitorios del Decreto …' (DOF
                # 22-08-1996) names one too.
                end = j
                if (j > i + 1 and j + 3 < len(toks) and [x.kind for x in toks[j:j + 4]] == ["OF", "DET", "ART", "TRANS"]
                        and fold(toks[j + 1].text) == "los"):
                    end = j + 3
                if end < len(toks) and toks[end].kind == "TRANS" and j > i + 1:
                    lab = " ".join(x.text for x in toks[i + 1:j]).title()
                    self._emit(op, t.start, toks[end].end, article=lab, transitory=True)
                    i = end + 1
                    prev = "TRANS"
                    continue
                via_of = prev == "OF"
                if self.group and not self.group.post and via_of:
                    self.pending.append(self.group)
                    self.group = None
                self.art_open = True
                unit_kind = None
                prev = "ART"
                prev_art_num = False
                i += 1
                continue
            if k == "NUM" and (unit_kind not in _NUMERIC_UNITS or prev in ("ART", "SEMI")) and (
                prev == "ART" or (self.art_open and prev in ("SEMI", "COMMA", "CONJ", "RANGE", "START"))
                or (self.art_open and prev == "DET" and fold(toks[i - 1].text) in ("el", "los"))
            ):
                label = normalise_article_label(t.text.strip().rstrip("."))
                if i + 1 < len(toks) and toks[i + 1].kind == "TRANS":
                    # 'el Artículo 3o. transitorio' of a decree, not article 3 of the law.
                    self._emit(op, t.start, toks[i + 1].end, article=label, transitory=True)
                    i += 2
                    prev, prev_art_num, unit_kind = "TRANS", False, None
                    continue
                if prev == "RANGE" and self.cur_art and self.cur_art[0].isdigit() and label.isdigit():
                    for n in range(int(self.cur_art[0]) + 1, int(label)):
                        self._emit(op, t.start, t.end, article=str(n))
                self._article(op, label, t.start, t.end, via_of=False)
                prev, prev_art_num, unit_kind = "NUM", True, None
                i += 1
                continue
            if k == "UNIT":
                kind = _unit_kind(t.text)
                if self.group is None:
                    post = prev_art_num or was_art_comma or (
                        prev in ("COMMA", "OF") and self.cur_art is not None and _just_after_article(toks, i))
                    self.group = _Group(op=op, start=t.start, post=post, item=self.item)
                    link = "comma"
                unit_kind = kind
                labels = [_norm_unit_label(kind, o.text) for o in loose_ords]
                loose_ords = []
                self.group.phrases.append((kind, labels, link))
                self.group.end = t.end
                link = "comma"
                prev, prev_art_num = "UNIT", False
                i += 1
                continue
            if k in ("ROMAN", "LETTER", "ORD", "LAST") or (k == "NUM" and unit_kind in _NUMERIC_UNITS):
                if unit_kind and self.group and self.group.phrases and prev in ("UNIT", "LABEL", "COMMA", "CONJ", "RANGE"):
                    kind, labels, lk = self.group.phrases[-1]
                    if kind == unit_kind or prev == "UNIT":
                        lab = _norm_unit_label(kind, t.text)
                        if prev == "RANGE" and labels:
                            labels.extend(_expand_range(kind, labels[-1], lab))
                        else:
                            labels.append(lab)
                        self.group.end = t.end
                        prev = "LABEL"
                        i += 1
                        continue
                if k in ("ORD", "LAST"):
                    loose_ords.append(t)
                    if self.group is None:
                        self.group = _Group(op=op, start=t.start, post=prev_art_num or was_art_comma,
                                            item=self.item)
                prev, prev_art_num = "LABEL", False
                i += 1
                continue
            if k == "DIV" or k == "DENOM":
                j = self._division(op, toks, i)
                i = j
                prev, prev_art_num, unit_kind = "DIV", False, None
                continue
            if k == "SEMI":
                # '52, fracción III y el último párrafo vigente;': a unit-first phrase that
                # met no article before the ';' belongs to the item's article.
                if self.cur_art and self.cur_art_item == self.item:
                    if self.group and not self.group.post:
                        self.group.post = True
                    for grp in [x for x in self.pending if x.item == self.item]:
                        self.pending.remove(grp)
                        self._attach(grp, self.cur_art)
                self._close_group()
                self.item += 1
                unit_kind = None
                prev, prev_art_num = "SEMI", False
            elif k == "COMMA":
                art_comma = prev_art_num
                prev = "COMMA"
                link = "comma"
            elif k == "CONJ":
                prev = "CONJ"
            elif k == "RANGE":
                prev = "RANGE"
            elif k == "OF":
                if prev == "ART" and fold(t.text) in ("del", "de"):
                    # 'los artículos del 1 al 180': the range's start is still an article.
                    i += 1
                    continue
                prev = "OF"
                link = "of"
            elif k == "DET":
                if self.group and self.group.post and prev in ("COMMA", "CONJ"):
                    # '… 3o., y el párrafo …' — a new unit-first group starts.
                    self._close_group()
                art_comma = was_art_comma and prev == "COMMA"
                prev = "DET" if prev != "OF" else "OF"
                prev_art_num = False
            elif k == "MASK":
                # A quoted heading or a law name; an article list goes on after it
                # ('la denominación del Capítulo VI, “De las Medidas …”; 27, primer párrafo').
                prev = "MASK"
            elif k == "WORD":
                if fold(t.text) in ("sus", "su", "en", "actual", "actuales", "nuevo", "nueva", "vigente", "respectivamente"):
                    pass
                else:
                    prev = "WORD"
                    prev_art_num = False
            i += 1
        self._close_group()

    def _division(self, op: str, toks: list[_Tok], i: int) -> int:
        """Read 'la denominación del Capítulo IV del Título III' / 'la Sección Segunda Bis'."""
        start = toks[i].start
        denomination = toks[i].kind == "DENOM" or (
            fold(toks[i].text).startswith("titulo") and i + 1 < len(toks) and toks[i + 1].kind == "OF"
        )
        divs: list[DivisionRef] = []
        j = i
        law_only = False
        while j < len(toks):
            t = toks[j]
            if t.kind in ("DENOM", "OF", "DET") or (t.kind == "DIV" and fold(t.text).startswith("titulo")
                                                     and j + 1 < len(toks) and toks[j + 1].kind == "OF"
                                                     and not divs):
                j += 1
                continue
            if t.kind == "DIV":
                lab_toks = []
                k = j + 1
                while k < len(toks) and toks[k].kind in ("ROMAN", "ORD", "WORD", "LAST", "NUM") and len(lab_toks) < 3:
                    if toks[k].kind == "WORD" and not (toks[k].text[:1].isupper() or fold(toks[k].text) == "bis"):
                        break
                    lab_toks.append(toks[k])
                    k += 1
                if not lab_toks:
                    break
                kind = {"t": "titulo", "c": "capitulo", "s": "seccion", "l": "libro"}[fold(t.text)[0]]
                divs.append(DivisionRef(kind=kind, label=_title_case_label(" ".join(x.text for x in lab_toks))))
                j = k
                continue
            if t.kind == "MASK" and denomination and not divs:
                law_only = True
                j += 1
            break
        end = toks[j - 1].end if j > i else toks[i].end
        if divs:
            inner, parents = divs[0], divs[1:]
            self._emit(op, start, end, division=DivisionRef(kind=inner.kind, label=inner.label, parents=parents),
                       denomination=denomination)
        elif law_only:
            self._emit(op, start, end, denomination=True)
        return max(j, i + 1)


def _just_after_article(toks: list[_Tok], i: int) -> bool:
    j = i - 1
    while j >= 0 and toks[j].kind in ("COMMA", "OF", "WORD") and fold(toks[j].text) in (",", "en", "sus", "su", "de", "actual", "actuales"):
        j -= 1
    return j >= 0 and toks[j].kind == "NUM"


def _unit_kind(word: str) -> str:
    f = fold(word)
    if f.startswith(("parr", "encab")):
        return "parrafo"
    if f.startswith("frac"):
        return "fraccion"
    if f.startswith("inci"):
        return "inciso"
    if f.startswith("numer"):
        return "numeral"
    if f.startswith("apart"):
        return "apartado"
    return "base"


def _expand_range(kind: str, first: str, last: str) -> list[str]:
    if kind == "fraccion":
        a, b = from_roman(first), from_roman(last)
        if a and b and a < b:
            return [to_roman(n) for n in range(a + 1, b + 1)]
    if first.isdigit() and last.isdigit() and int(first) < int(last):
        return [str(n) for n in range(int(first) + 1, int(last) + 1)]
    return [last]


def parse_clause(clause: str, default_law: str | None = None, names: LawNameIndex | None = None) -> ClauseParse:
    """Every operation an amendment clause states, with the law each belongs to.

    ``default_law`` (the document's own law name or key) is given to operations whose clause
    names no law. Problems (no verb, a verb with no readable target) are reported in Spanish
    in ``problems`` with the offending text.
    """
    ops: list[Operation] = []
    problems: list[str] = []
    for decree_article, offset, piece in split_decree_articles(clause):
        masked, laws = mask(piece, names)
        segs = _segments(masked)
        if not segs:
            if piece.strip():
                problems.append(f"sin verbo de reforma reconocible en: {piece.strip()[:300]!r}")
            continue
        sc = _Scanner(piece, masked, offset, decree_article)
        compound: list[str] = []
        for op, s, e in segs:
            if re.fullmatch(r"[\s,\x00]*(?:y|e)?[\s,]*", masked[s:e], re.I):
                # 'Se reforman y adicionan los artículos …': both verbs apply to what follows.
                compound.append(op)
                continue
            n_before = len(sc.ops)
            sc.scan(op, s, e)
            new = sc.ops[n_before:]
            copies = [o.model_copy(update={"op": extra}) for extra in compound if extra != op for o in new]
            sc.ops[n_before:] = copies + new
            if copies:
                sc.bare_idx = None
            compound = []
            if op in ("abroga", "expide"):
                law_here = [name for (ls, le, name) in laws if s <= ls < e]
                for name in law_here[:1]:
                    sc._emit(op, s, e, law=name)
            elif len(sc.ops) == n_before and not sc.pending and not sc.group:
                # 'Se reforma el Código Penal para el Distrito …': the whole law, no article named.
                whole = [(ls, le, name) for (ls, le, name) in laws
                         if s <= ls < e and re.fullmatch(r"[\s\x00]*(?:(?:el|la|a\s+la|al|del?)\s+)?", masked[s:ls], re.I)]
                for ls, le, name in whole[:1]:
                    sc._emit(op, ls, le, law=name)
            elif len(sc.ops) == n_before and op not in ("recorre", "renumera") and not sc.pending and not sc.group:
                seg_text = " ".join(piece[s:e].replace("\x00", " ").split())
                # 'diversas disposiciones de la Ley …' names no article on purpose.
                if (re.search(r"\d|\b[IVXL]+\b", seg_text) and not re.search(r"disposici", seg_text, re.I)
                        and not re.match(r"^(?:y|,|;|\s)*$", seg_text)):
                    problems.append(f"operación '{op}' sin objetivo legible en: {seg_text[:200]!r}")
        sc.finish()
        # Law attribution: the first law named at or after each operation in this piece.
        law_starts = sorted((ls + offset, name) for ls, le, name in laws)
        for o in sc.ops:
            law = o.law
            if law is None:
                law = next((name for ls, name in law_starts if ls >= o.start), None)
                if law is None and law_starts and o.denomination:
                    law = law_starts[-1][1]
            ops.append(o.model_copy(update={"law": law or default_law}) if (law or default_law) != o.law else o)
    if not ops and not problems:
        problems.append(f"cláusula sin operaciones reconocibles: {clause.strip()[:300]!r}")
    return ClauseParse(clause=clause, operations=ops, problems=problems,
                       source="clause" if ops else "none")


def parse_clause_strict(clause: str, default_law: str | None = None) -> ClauseParse:
    """Like :func:`parse_clause` but raises ``ParseError`` when the clause yields nothing."""
    res = parse_clause(clause, default_law)
    if not res.operations:
        raise ParseError(None, "; ".join(res.problems) or f"cláusula ilegible: {clause!r}")
    return res


_TITLE_LEAD_RE = re.compile(r"^\s*(?:DECRETO|Decreto)\s+(?:por\s+(?:el|medio\s+del)\s+(?:que|cual)|mediante\s+el\s+cual|que)?\s*", re.I)


def parse_decree(title: str, clause: str, default_law: str | None = None,
                 names: LawNameIndex | None = None) -> ClauseParse:
    """Operations of one decree: from its clause, or from its title when the clause names no
    article ("Se reforman diversas disposiciones …" or an elided clause)."""
    res = parse_clause(clause, default_law, names) if clause.strip() else ClauseParse(clause=clause, source="none")
    if any(o.article for o in res.operations):
        return res
    from_title = parse_clause(_TITLE_LEAD_RE.sub("se ", title, count=1), default_law, names) if title else None
    if from_title and any(o.article for o in from_title.operations):
        ops = [o.model_copy(update={"start": 0, "end": 0}) for o in from_title.operations]
        return ClauseParse(clause=clause, operations=res.operations + ops, source="title",
                           problems=res.problems + [f"artículos tomados del título: {title[:200]!r}"])
    if not res.operations and not res.problems:
        res = res.model_copy(update={"problems": [
            f"decreto sin operaciones reconocibles; título: {title[:200]!r}; cláusula: {clause[:200]!r}"]})
    return res
