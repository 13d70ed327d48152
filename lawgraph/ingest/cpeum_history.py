"""The Constitution's per-article history, rebuilt from a decree-by-decree git history.

``reforms/cpeum_git_history/`` holds the per-article text files at the history's head
(``CPEUM_at_HEAD/004.rst`` = article 4) and one JSON line per decree commit with its message
(decree title, "Publicado en el Diario Oficial de la Federación el …") and the unified diff of
the article files it touched. Starting from the head, each commit's diff is applied in reverse,
newest commit first; the text of an article *after* a commit is what it was on that decree's
DOF date. Every commit that touched an article therefore gives one :class:`ArticleState`
(valid from the decree's date until the next commit that touched it).

The history is a subset (some decrees are kept aside), so a hunk's context can be missing
from the text it is applied to: the hunk is then located by its changed lines alone, and if
even those are absent the hunk is skipped and reported (:attr:`CpeumHistory.problems`), never
silently dropped. The reStructuredText markup of the files is turned into plain paragraphs.
"""
from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lawgraph.errors import InputError
from lawgraph.nlp.dates import find_spanish_dates

COMMITS_FILE = "cpeum_decree_commits.jsonl"
HEAD_DIR = "CPEUM_at_HEAD"

# "Publicado en el Diario Oficial de la Federación el 15 de abril del 2025" (the date may
# wrap onto the next line of the commit message).
PUBLISHED_RE = re.compile(
    r"""Publicad[oa]\s+en\s+el\s+Diario\s+Oficial\s+de\s+la\s+Federaci[oó]n\s+el\s+
        (?P<date>[^\n]+(?:\n[^\n]+)?)""",
    re.IGNORECASE | re.VERBOSE,
)
# The DOF link of the message: '…&fecha=17/05/2021&…' or '?year=1921&month=07&day=08'.
DOF_LINK_DATE_RE = re.compile(
    r"""dof\.gob\.mx/\S*?(?:fecha=(?P<d>\d{2})/(?P<m>\d{2})/(?P<y>\d{4})
        |year=(?P<y2>\d{4})&month=(?P<m2>\d{2})&day=(?P<d2>\d{2}))""",
    re.VERBOSE,
)
# '1ro de julio de 1994': an ordinal day the date grammar does not know.
ORDINAL_DAY_RE = re.compile(r"\b(?P<day>\d{1,2})(?:ro|ero)\b", re.IGNORECASE)
# Per-article files: CPEUM/004.rst (article 4). Transitorios (T272.rst) and toc.rst are not
# articles of the Constitution's body.
ARTICLE_FILE_RE = re.compile(r"^(?:CPEUM/)?(?P<num>\d{3})\.rst$")
# One file section of a unified diff.
DIFF_FILE_RE = re.compile(r"^diff --git a/(?P<a>\S+) b/(?P<b>\S+)$", re.MULTILINE)
# A hunk header: @@ -old_start,old_len +new_start,new_len @@
HUNK_RE = re.compile(r"^@@ -(?P<os>\d+)(?:,(?P<ol>\d+))? \+(?P<ns>\d+)(?:,(?P<nl>\d+))? @@")
# rst enumerated item whose real label is in bold: 'Z. **Y**. Para …', '#. **Z**. Para …'.
RST_ENUM_BOLD_RE = re.compile(r"^(?:[A-Za-z]{1,4}|#|\d+)\.\s+\*\*(?P<label>[^*]+)\*\*")
# The heading line of an article file: '**Artículo 4o**'.
ARTICLE_HEADING_RE = re.compile(r"^\s*\*\*Art[íi]culo\s+\d+[^*]*\*\*\s*$")
# Decree title: the first paragraph of the message starting with DECRETO.
TITLE_RE = re.compile(r"^(DECRETO.*?)(?:\n\s*\n|\Z)", re.MULTILINE | re.DOTALL)


@dataclass
class Commit:
    """One decree commit: where it was read (line of the JSONL file) and its DOF date."""

    line: int
    commit: str
    dof_date: date
    title: str
    articles: list[str]                       # article labels whose files it changed


@dataclass
class ArticleState:
    """The text of one article from one decree's DOF date until the next change."""

    article: str                              # '4'
    valid_from: date                          # the DOF date of the decree (or of the original)
    valid_to: date | None                     # the DOF date of the next change; None = head
    text: str                                 # plain text, paragraphs separated by newlines
    commit: str | None                        # None for the original text
    line: int | None                          # line of the commit in the JSONL file
    title: str = ""
    # False when a newer change to the article could not be undone (True is no guarantee: a
    # decree missing from the history leaves no trace to detect).
    exact: bool = True
    # Why the text is approximate (Spanish, for people): the newest change not undone.
    approximation: str = ""


@dataclass
class CpeumHistory:
    """Every article's states, oldest first, and what could not be applied."""

    states: dict[str, list[ArticleState]] = field(default_factory=dict)
    commits: list[Commit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    sha256: str = ""
    file: str = ""
    hunks_applied: int = 0
    hunks_fuzzy: int = 0
    hunks_truncated: int = 0
    bridged: int = 0               # article texts rebuilt across a commit whose diff is omitted
    # article -> its file rebuilt just before the newest omitted diff (lines, and which of them
    # were taken without evidence); evaluation/history_truth.py checks them with git.
    bridges: dict[str, "Bridge"] = field(default_factory=dict)

    def text_at(self, article: str, at: date) -> ArticleState | None:
        """The state of ``article`` in force on ``at`` (None before the article existed)."""
        best = None
        for s in self.states.get(article, []):
            if s.valid_from <= at:
                best = s
        return best


def rst_to_text(rst: str) -> str:
    """Plain paragraphs from an article file: wrapped lines joined, bold markers and rst
    enumerators removed, one paragraph per line."""
    paras: list[str] = []
    cur: list[str] = []
    for raw in rst.splitlines():
        line = raw.strip()
        if not line:
            if cur:
                paras.append(" ".join(cur))
                cur = []
            continue
        m = RST_ENUM_BOLD_RE.match(line)
        if m and not cur:
            line = m.group("label") + line[m.end():]
        cur.append(line)
    if cur:
        paras.append(" ".join(cur))
    return "\n".join(p.replace("**", "") for p in paras)


def _article_of(path: str) -> str | None:
    m = ARTICLE_FILE_RE.match(path.split("/", 1)[-1] if path.startswith("CPEUM/") else path)
    if not m:
        m = ARTICLE_FILE_RE.match(path)
    return str(int(m.group("num"))) if m else None


def _file_sections(diff: str) -> list[tuple[str, str, str]]:
    """(old path, new path, body) per file of a unified diff."""
    out = []
    marks = list(DIFF_FILE_RE.finditer(diff))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(diff)
        out.append((m.group("a"), m.group("b"), diff[m.end():end]))
    return out


@dataclass
class Hunk:
    """One hunk of a unified diff: where it sits in the old and new file (1-based, as in the
    header), its old-side and new-side lines, and whether the record holds all of it."""

    old_start: int
    old_len: int
    new_start: int
    new_len: int
    old: list[str]
    new: list[str]
    complete: bool

    def old_index(self) -> int:
        """0-based index of the first old line (of the insertion point when none is removed)."""
        return self.old_start if self.old_len == 0 else self.old_start - 1

    def new_index(self) -> int:
        return self.new_start if self.new_len == 0 else self.new_start - 1


def _hunks(body: str) -> list[Hunk]:
    """The hunks of one file section; a hunk with fewer lines than its header announces was
    cut off (the records truncate long diffs)."""
    hunks: list[Hunk] = []
    cur: Hunk | None = None
    for line in body.split("\n"):
        m = HUNK_RE.match(line)
        if m:
            cur = Hunk(int(m.group("os")), int(m.group("ol") or 1), int(m.group("ns")),
                       int(m.group("nl") or 1), [], [], True)
            hunks.append(cur)
            continue
        if cur is None or line.startswith("\\"):
            continue
        tag, text = (line[:1], line[1:]) if line else (" ", "")
        if tag == " ":
            cur.old.append(text)
            cur.new.append(text)
        elif tag == "-":
            cur.old.append(text)
        elif tag == "+":
            cur.new.append(text)
    for h in hunks:
        # The final newline split adds one empty context line to the last hunk.
        while (len(h.old) > h.old_len and len(h.new) > h.new_len
               and h.old[-1] == "" and h.new[-1] == ""):
            h.old.pop()
            h.new.pop()
        h.complete = len(h.old) == h.old_len and len(h.new) == h.new_len
    return hunks


def _fold_ws(line: str) -> str:
    return " ".join(line.split())


def _find(lines: list[str], block: list[str], hint: int, loose: bool = False) -> int | None:
    """Where ``block`` occurs in ``lines`` (nearest to ``hint``); ``loose`` compares lines with
    their whitespace folded (the transcription was re-indented and re-wrapped over time)."""
    if not block:
        return min(max(hint, 0), len(lines))
    n = len(block)
    if loose:
        folded = [_fold_ws(x) for x in lines]
        want = [_fold_ws(x) for x in block]
        cands = [i for i in range(len(lines) - n + 1) if folded[i:i + n] == want]
    else:
        cands = [i for i in range(len(lines) - n + 1) if lines[i:i + n] == block]
    if not cands:
        return None
    return min(cands, key=lambda i: abs(i - hint))


def _find_words(lines: list[str], block: list[str]) -> tuple[int, int, str, str] | None:
    """Where the words of ``block`` occur in ``lines`` regardless of line breaks: (first line,
    last line, words of the first line before them, words of the last line after them); None
    when absent or ambiguous."""
    want = " ".join(" ".join(block).split())
    if len(want) < 20:
        return None                      # too short to place without its context
    words: list[tuple[str, int]] = [(w, i) for i, line in enumerate(lines) for w in line.split()]
    text = " ".join(w for w, _ in words)
    at = text.find(want)
    if at < 0 or text.find(want, at + 1) >= 0:
        return None
    # Match on word boundaries only.
    if (at > 0 and text[at - 1] != " ") or (at + len(want) < len(text) and text[at + len(want)] != " "):
        return None
    first_word = text.count(" ", 0, at)
    last_word = first_word + want.count(" ")
    first, last = words[first_word][1], words[last_word][1]
    prefix = " ".join(w for w, i in words[:first_word] if i == first)
    suffix = " ".join(w for w, i in words[last_word + 1:] if i == last)
    indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
    return first, last, (indent + prefix) if prefix else "", suffix


def _strip_edges(old: list[str], new: list[str]) -> tuple[int, list[str], list[str]]:
    """Drop the context shared at both ends: (lines dropped at the top, old core, new core)."""
    top = 0
    while top < min(len(old), len(new)) and old[top] == new[top]:
        top += 1
    bottom = 0
    while (bottom < min(len(old), len(new)) - top
           and old[len(old) - 1 - bottom] == new[len(new) - 1 - bottom]):
        bottom += 1
    return top, old[top:len(old) - bottom], new[top:len(new) - bottom]


def publication_date(message: str) -> tuple[date | None, str | None]:
    """The DOF date of a decree commit and, when the message is doubtful, why (Spanish).

    The date is read from "Publicado en el Diario Oficial de la Federación el …"; when the
    message's DOF link carries another date, the link wins: the prose was typed by hand and
    the link comes from the DOF itself. Measured on the 291 commits: the two disagree 8 times;
    where the Constitution's own reform notes (``cpeum.pdf``) can arbitrate, the link is right
    (article 107: "Fracción reformada DOF … 06-08-1979", not 6 October; articles 43 and 74:
    "17-05-2021", not 11 March) or both are wrong (1999: the notes say 08-03-1999).
    """
    m = PUBLISHED_RE.search(message)
    prose: date | None = None
    problem = None
    if m:
        raw_date = " ".join(m.group("date").split())
        try:
            found = find_spanish_dates(ORDINAL_DAY_RE.sub(r"\g<day>", raw_date))
        except ValueError as exc:      # an impossible date ('31 de febrero')
            found = []
            raw_date = f"{raw_date} ({exc})"
        if found:
            prose = found[0][0]
        else:
            problem = f"fecha de publicación ilegible: {raw_date!r}; el cambio se deshace pero no se fecha"
    if prose is None:
        return None, problem
    link = DOF_LINK_DATE_RE.search(message)
    if link:
        y, mo, d = (link.group("y") or link.group("y2"), link.group("m") or link.group("m2"),
                    link.group("d") or link.group("d2"))
        try:
            linked = date(int(y), int(mo), int(d))
        except ValueError:
            linked = None
        if linked is not None and linked != prose:
            return linked, (f"el mensaje dice publicado el {prose.isoformat()} pero su enlace al DOF "
                            f"es del {linked.isoformat()}; se usa la fecha del enlace")
    return prose, None


def _omitted_articles(rec: dict) -> list[str]:
    """Articles a commit changed (its ``files``) for which the record holds no diff: bulk
    commits are stored as '(initial import / bulk commit: diff omitted)'."""
    present = {_article_of(b) or _article_of(a) for a, b, _ in _file_sections(rec.get("unified_diff", ""))}
    return [art for f in rec.get("files", []) if (art := _article_of(f)) and art not in present]


def _advance(known: dict[int, str], hunks: list[Hunk]) -> dict[int, str]:
    """Carry the known lines of a file (0-based line number -> line) over one commit: a line
    outside every hunk moves by what the hunks above it added or removed; a line inside a
    hunk is replaced by the hunk's new side, which (context and added lines) is known exactly."""
    spans = [(h.old_index(), h.old_index() + h.old_len, h.new_len - h.old_len) for h in hunks]
    out: dict[int, str] = {}
    for pos, line in known.items():
        shift = 0
        for start, end, delta in spans:
            if start <= pos < end:
                break
            if end <= pos:
                shift += delta
        else:
            out[pos + shift] = line
    for h in hunks:
        for k, line in enumerate(h.new):
            out[h.new_index() + k] = line
    return out


def _lines_before_omitted(commits: list[tuple[Commit | None, dict]]
                          ) -> dict[tuple[int, str], dict[int, str]]:
    """For every (commit index, article) whose diff the record omits: the lines of the
    article's file known just before that commit, read forward from the older commits' hunks
    (their positions are exact, so a line is known from the last hunk that showed it until a
    hunk covers it again). Articles no older commit touched are left out (the commit created
    them)."""
    known: dict[str, dict[int, str]] = {}
    out: dict[tuple[int, str], dict[int, str]] = {}
    for idx, (_c, rec) in enumerate(commits):
        for art in _omitted_articles(rec):
            if art in known:
                out[(idx, art)] = known[art]
            known[art] = {}               # what the omitted diff did is unknown
        for a, b, body in _file_sections(rec.get("unified_diff", "")):
            art = _article_of(b) or _article_of(a)
            if art is None:
                continue
            if "\n+++ /dev/null" in body:
                known.pop(art, None)
                continue
            base = {} if ("\n--- /dev/null" in body or body.lstrip().startswith("new file")) else known.get(art, {})
            known[art] = _advance(base, _hunks(body))
    return out


@dataclass
class Bridge:
    """The lines of a file before a commit whose diff is omitted (:func:`_bridge`)."""

    lines: list[str]
    guessed: list[int]                        # indices of lines taken without evidence
    changed: list[tuple[list[str], list[str]]]  # (lines after, lines before) the omitted change saw
    missing: int = 0                          # lines known to exist before, with nothing to fill them
    # Guessed lines in parts the omitted decree's own list of changes leaves out
    # (:func:`unchanged_by_decree`): the decree did not change them, so they are known.
    unchanged: set[int] = field(default_factory=set)

    def unsure(self) -> int:
        """Lines without evidence that carry words (blank lines and the article's heading do
        not), and lines that existed but could not be filled."""
        return self.missing + sum(1 for i in self.guessed
                                  if self.lines[i].strip() and not ARTICLE_HEADING_RE.match(self.lines[i])
                                  and i not in self.unchanged)


# One entry of a decree message's list of operations: '+ artículo 5, párrafo segundo' (it
# may wrap onto indented lines).
OPERATION_RE = re.compile(r"^\+ (?P<entry>.+(?:\n {2,}.+)*)", re.MULTILINE)
ENTRY_ARTICLE_RE = re.compile(r"\bart[íi]culo\s+(?P<num>\d+)\b", re.IGNORECASE)
ROMAN_TOKEN_RE = re.compile(r"\b(?P<label>[IVXL]+(?:-[A-ZÑ])?)\b")
FRACCION_LINE_RE = re.compile(r"^(?P<label>[IVXL]+(?:-[A-ZÑ])?)\.\s")
ORDINALS = ("primero", "segundo", "tercero", "cuarto", "quinto", "sexto", "séptimo", "octavo",
            "noveno", "décimo")
ORDINAL_RE = re.compile(r"\b(primer|primero|segundo|tercer|tercero|cuarto|quinto|sexto|séptimo|octavo|noveno|"
                        r"décimo)\b", re.IGNORECASE)
PARRAFO_RE = re.compile(r"\bp[áa]rrafos?\b", re.IGNORECASE)
FRACCION_LABELS_RE = re.compile(r"\bfracci(?:ón|ones)\s+(?P<label>[^\s,;]+)", re.IGNORECASE)
ROMAN_RE = re.compile(r"^[IVXL]+(?:-[A-ZÑ])?$")
# Parts whose counting the line structure of the files cannot follow: nothing is taken as
# unchanged in an article whose entry names one of them. An addition ('Se adiciona: dos
# párrafos al artículo 16') shifts the counting of what follows it.
AMBIGUOUS_PART_RE = re.compile(r"apartado|base|último|denominación|inciso|numeral|adición", re.IGNORECASE)
# A list heading of a decree message: 'Se reforman:', 'Se adiciona:', 'Se derogan:'.
LIST_HEADING_RE = re.compile(r"^Se\s+(?P<op>reform|adicion|derog)\w*\s*:", re.IGNORECASE | re.MULTILINE)


def decree_parts(message: str) -> dict[str, str]:
    """Article -> the parts a decree's message lists as changed ('+ artículo 5, párrafo
    segundo' -> {'5': 'párrafo segundo'}); '' when the entry names the whole article. Entries
    of every list (reformed, added, repealed) count."""
    out: dict[str, list[str]] = {}
    headings = [(h.start(), h.group("op").lower()) for h in LIST_HEADING_RE.finditer(message)]
    for m in OPERATION_RE.finditer(message):
        entry = " ".join(m.group("entry").split())
        art = ENTRY_ARTICLE_RE.search(entry)
        if not art:
            continue
        rest = (entry[:art.start()] + entry[art.end():]).strip(" ,.;")
        rest = re.sub(r"^(?:la|el|los|las)\s*$", "", rest, flags=re.IGNORECASE)
        op = next((o for at, o in reversed(headings) if at < m.start()), "reform")
        if op == "adicion":
            rest = f"adición: {rest}"
        out.setdefault(str(int(art.group("num"))), []).append(rest)
    return {a: "" if any(not p for p in parts) else "; ".join(parts) for a, parts in out.items()}


def unchanged_by_decree(lines: list[str], parts: str) -> set[int]:
    """Indices of ``lines`` (an article file) in parts a decree's entry for the article does
    not name, read conservatively: a line of a fracción whose label the entry never mentions,
    or of a top-level paragraph (counted from the first) whose ordinal the entry never
    mentions. Nothing when the entry names the whole article or an apartado, base or the last
    paragraph (their counting is not followed here)."""
    if not parts or AMBIGUOUS_PART_RE.search(parts):
        return set()
    # Every paragraph the entry names must carry an ordinal ('dos párrafos', 'el párrafo que
    # sigue' are not followed), every fracción a Roman label ('fracción B' is an apartado).
    words = parts.split()
    for i, w in enumerate(words):
        if PARRAFO_RE.fullmatch(w.strip(",;.")) and not ORDINAL_RE.search(" ".join(words[max(0, i - 2):i + 4])):
            return set()
    if any(not ROMAN_RE.match(m.group("label")) for m in FRACCION_LABELS_RE.finditer(parts)):
        return set()
    # Top-level lettered blocks ('A. …', 'B. …') are apartados: the paragraph count is not followed.
    if any(re.match(r"^[A-HJ-KM-UWYZ]\.\s", line) for line in lines):     # not I, V, X, L (fracciones)
        return set()
    romans = {m.group("label") for m in ROMAN_TOKEN_RE.finditer(parts)}
    named = {w for w in ORDINALS if re.search(rf"\b{w}\b", parts, re.IGNORECASE)}
    named |= {"primero"} if re.search(r"\bprimer\b", parts, re.IGNORECASE) else set()
    named |= {"tercero"} if re.search(r"\btercer\b", parts, re.IGNORECASE) else set()
    out: set[int] = set()
    block: tuple[str, str] | None = None
    paragraphs = 0
    prev_blank = True
    for i, line in enumerate(lines):
        if not line.strip():
            prev_blank = True
            continue
        if ARTICLE_HEADING_RE.match(line):
            block = None
        elif prev_blank and not line[:1].isspace():
            fr = FRACCION_LINE_RE.match(line)
            if fr:
                block = ("fraccion", fr.group("label"))
            else:
                paragraphs += 1
                block = ("parrafo", ORDINALS[paragraphs - 1] if paragraphs <= len(ORDINALS) else "")
        prev_blank = False
        if block is None:
            continue
        kind, label = block
        if kind == "fraccion" and label not in romans:
            out.add(i)
        elif kind == "parrafo" and label and label not in named:
            out.add(i)
    return out


def _bridge(after: list[str], known: dict[int, str]) -> Bridge:
    """The lines of a file before a commit whose diff is omitted, from its lines after the
    commit and the lines known before it (:func:`_lines_before_omitted`).

    Known lines are aligned to the text after the commit (difflib, exact lines); between two
    aligned lines the known lines win (the lines after the commit there are the omitted
    change, kept in ``changed``), and lines no hunk ever showed are taken from the text after
    the commit (the change most likely did not touch them; no record says so)."""
    size = max(known) + 1 if known else 0
    # An unknown line is a fresh object: equal to nothing, so never aligned.
    before: list[object] = [known[i] if i in known else object() for i in range(size)]
    sm = difflib.SequenceMatcher(None, before, after, autojunk=False)
    # Runs of blank lines match anywhere: they anchor nothing.
    blocks = [(bi, aj, n) for bi, aj, n in sm.get_matching_blocks()
              if n == 0 or any(after[aj + k].strip() for k in range(n))]
    res = Bridge([], [], [])

    def put(lines: list[str], guessed: list[bool]) -> None:
        for line, g in zip(lines, guessed):
            if g:
                res.guessed.append(len(res.lines))
            res.lines.append(line)

    i = j = 0
    for bi, aj, n in blocks:
        seg_b, seg_a = before[i:bi], after[j:aj]
        if not seg_b:
            if n == 0:                    # past the last known line: nothing says where it ended
                put(seg_a, [True] * len(seg_a))
        elif all(isinstance(x, str) for x in seg_b):
            put(seg_b, [False] * len(seg_b))         # type: ignore[arg-type]
            if seg_a:
                res.changed.append((seg_a, seg_b))   # type: ignore[arg-type]
        else:
            lines, flags, missing = _fill(seg_b, seg_a)
            put(lines, flags)
            res.missing += missing
        put(after[aj:aj + n], [False] * n)
        i, j = bi + n, aj + n
    return res


def _fill(seg_b: list[object], seg_a: list[str]) -> tuple[list[str], list[bool], int]:
    """Fill the unknown lines of a stretch of the old file from the same stretch of the new
    one: position by position when both are as long; otherwise between the known lines'
    closest counterparts (difflib ratio >= 0.6, in order). Returns the lines, for each whether
    it was guessed, and how many unknown lines had nothing to fill them."""
    if len(seg_a) == len(seg_b):
        return ([b if isinstance(b, str) else a for b, a in zip(seg_b, seg_a)],
                [not isinstance(b, str) for b in seg_b], 0)
    anchors: list[tuple[int, int]] = []       # (index in seg_b, index in seg_a)
    lo = 0
    for k, x in enumerate(seg_b):
        if isinstance(x, str):
            best, best_r = None, 0.6
            for m in range(lo, len(seg_a)):
                r = difflib.SequenceMatcher(None, x, seg_a[m], autojunk=False).ratio()
                if r >= best_r:
                    best, best_r = m, r
            if best is not None:
                anchors.append((k, best))
                lo = best + 1
    out: list[str] = []
    flags: list[bool] = []
    missing = 0
    prev_b, prev_a = 0, 0
    for kb, ka in anchors + [(len(seg_b), len(seg_a))]:
        run = seg_b[prev_b:kb]
        take = seg_a[prev_a:ka]
        # Known lines of the run stay in place; the unknown ones become the new file's lines
        # of the stretch, put where the first unknown line was.
        placed = False
        if not take:
            missing += sum(1 for x in run if not isinstance(x, str))
        for x in run:
            if isinstance(x, str):
                out.append(x)
                flags.append(False)
            elif not placed:
                out.extend(take)
                flags.extend([True] * len(take))
                placed = True
        if kb < len(seg_b):
            out.append(seg_b[kb])         # type: ignore[arg-type]
            flags.append(False)
        prev_b, prev_a = kb + 1, ka + 1
    return out, flags, missing


def read_history(directory: str | Path) -> CpeumHistory:
    """Rebuild every article's history from ``directory`` (``reforms/cpeum_git_history``).

    Raises InputError when the commits file or the head texts are missing or unreadable; a
    commit without a readable DOF date, or a hunk that cannot be located, is reported in
    ``problems`` and the rest is still rebuilt.
    """
    directory = Path(directory)
    path = directory / COMMITS_FILE
    head_dir = directory / HEAD_DIR
    if not path.is_file():
        raise InputError(path, "no existe el archivo de commits del historial constitucional")
    if not head_dir.is_dir():
        raise InputError(head_dir, "no existe la carpeta con los textos vigentes (CPEUM_at_HEAD)")
    raw = path.read_bytes()
    hist = CpeumHistory(sha256=hashlib.sha256(raw).hexdigest(), file=path.name)
    files: dict[str, list[str]] = {}
    for f in sorted(head_dir.glob("*.rst")):
        art = _article_of(f.name)
        if art is not None:
            files[art] = f.read_text(encoding="utf-8").split("\n")

    records: list[tuple[int, dict]] = []
    for n, line in enumerate(raw.decode("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append((n, json.loads(line)))
        except json.JSONDecodeError as exc:
            hist.problems.append(f"{path.name}:{n}: línea JSON no válida ({exc.msg})")

    commits: list[tuple[Commit | None, dict]] = []
    for n, rec in records:
        msg = rec.get("message", "")
        sections = [(a, b, body) for a, b, body in _file_sections(rec.get("unified_diff", ""))
                    if _article_of(a) or _article_of(b)]
        day, problem = publication_date(msg)
        if problem:
            hist.problems.append(f"{path.name}:{n}: {problem}")
        if day is None:
            if sections:
                # Corrections of the transcription: undone (later diffs are relative to them)
                # but not a state of the law.
                commits.append((None, rec))
            continue
        tm = TITLE_RE.search(msg)
        arts = sorted({a for s in sections for a in (_article_of(s[0]), _article_of(s[1])) if a}
                      | set(_omitted_articles(rec)), key=lambda x: int(x))
        c = Commit(n, rec.get("commit", ""), day, " ".join(tm.group(1).split()) if tm else "", arts)
        commits.append((c, rec))
    hist.commits = [c for c, _ in commits if c is not None]
    before_omitted = _lines_before_omitted(commits)
    # What each decree whose diff is omitted says it changed, article by article.
    parts_of = {c.commit: decree_parts(rec.get("message", "")) for c, rec in commits
                if c is not None and _omitted_articles(rec)}

    # Newest first: undo each commit, recording the text it produced.
    after: dict[str, list[tuple[Commit, str, bool]]] = {}
    # Articles a newer change of which could not be undone: their older texts still carry it.
    suspect: dict[str, str] = {}      # article -> why (the newest change not undone)
    for idx in range(len(commits) - 1, -1, -1):
        c, rec = commits[idx]
        for art in _omitted_articles(rec):
            known = before_omitted.get((idx, art))
            cur = files.get(art)
            if known is None or cur is None:
                continue              # the commit that created the file (the original text)
            if c is not None:
                after.setdefault(art, []).append((c, rst_to_text("\n".join(cur)), suspect.get(art, "")))
            br = _bridge(cur, known)
            if c is not None:
                br.unchanged = unchanged_by_decree(br.lines, parts_of.get(c.commit, {}).get(art, ""))
            lines, guessed = br.lines, br.unsure()
            files[art] = lines
            hist.bridged += 1
            hist.bridges.setdefault(art, br)
            if guessed:
                where = f"decreto del {c.dof_date}" if c else "corrección sin fecha"
                suspect.setdefault(art, (
                    f"el historial no trae el diff del {where} para este artículo: {guessed} de "
                    f"{len(lines)} líneas de su texto anterior se tomaron del texto posterior, "
                    f"sin constancia de que ese decreto no las cambiara"))
                hist.problems.append(
                    f"{path.name}:{c.line if c else '?'}: el registro omite el diff del artículo {art} "
                    f"({where}); su texto anterior se rehízo con los diffs más antiguos, "
                    f"{guessed} de {len(lines)} líneas sin constancia")
        for a, b, body in _file_sections(rec.get("unified_diff", "")):
            art = _article_of(b) or _article_of(a)
            if art is None:
                continue
            new_file = "\n--- /dev/null" in body or body.lstrip().startswith("new file")
            deleted = "\n+++ /dev/null" in body
            cur = files.get(art)
            if cur is not None:
                if c is not None:
                    after.setdefault(art, []).append((c, rst_to_text("\n".join(cur)), suspect.get(art, "")))
            elif not deleted and c is not None:
                hist.problems.append(
                    f"{path.name}:{c.line}: el artículo {art} no existe al deshacer el decreto del "
                    f"{c.dof_date}")
                continue
            if new_file:
                files.pop(art, None)
                continue
            lines = list(cur or [])
            for hunk in reversed(_hunks(body)):
                ns, old, new = hunk.new_start, hunk.old, hunk.new
                if not hunk.complete:
                    where = f"decreto del {c.dof_date}" if c else "corrección sin fecha"
                    hist.problems.append(
                        f"{path.name}:{c.line if c else '?'}: el diff del artículo {art} ({where}) "
                        f"está truncado en el registro; ese cambio no se puede deshacer")
                    hist.hunks_truncated += 1
                    suspect.setdefault(art, f"el diff del {where} está truncado en el historial: "
                                            f"ese cambio sigue en los textos anteriores")
                    continue
                at = _find(lines, new, ns - 1)
                if at is not None:
                    lines[at:at + len(new)] = old
                    hist.hunks_applied += 1
                    continue
                top, old_core, new_core = _strip_edges(old, new)
                at = _find(lines, new_core, ns - 1 + top) if new_core else None
                if at is None and new_core:
                    at = _find(lines, new_core, ns - 1 + top, loose=True)
                if at is not None:
                    lines[at:at + len(new_core)] = old_core
                    hist.hunks_fuzzy += 1
                    continue
                span = _find_words(lines, new_core) if new_core else None
                if span is not None:
                    # The text was re-wrapped since: replace the words, keeping what shares
                    # the first and last lines with them.
                    first, last, prefix, suffix = span
                    repl = list(old_core) or [""]
                    repl[0] = (prefix + " " + repl[0].lstrip()).rstrip() if prefix else repl[0]
                    repl[-1] = (repl[-1].rstrip() + " " + suffix).strip() if suffix else repl[-1]
                    lines[first:last + 1] = repl
                    hist.hunks_fuzzy += 1
                    continue
                where = f"decreto del {c.dof_date}" if c else "corrección sin fecha"
                hist.problems.append(
                    f"{path.name}:{c.line if c else '?'}: no se pudo deshacer un cambio del artículo "
                    f"{art} ({where}): no se halló {(' '.join(new_core) or ' '.join(new))[:80]!r}")
                suspect.setdefault(art, f"un cambio del {where} no se pudo deshacer: sigue en "
                                        f"los textos anteriores")
            files[art] = lines

    # What is left is the text before the first commit of the history: the original text.
    first = min((c.dof_date for c in hist.commits), default=date(1917, 2, 5))
    original = min(first, date(1917, 2, 5))
    for art in set(files) | set(after):
        states: list[ArticleState] = []
        if art in files:
            why = suspect.get(art, "")
            states.append(ArticleState(art, original, None, rst_to_text("\n".join(files[art])),
                                       None, None, "texto original", not why, why))
        for c, text, why in sorted(after.get(art, []), key=lambda x: (x[0].dof_date, x[0].line)):
            st = ArticleState(art, c.dof_date, None, text, c.commit, c.line, c.title, not why, why)
            if states and states[-1].valid_from == c.dof_date:
                states[-1] = st
            else:
                states.append(st)
        for s, nxt in itertools.pairwise(states):
            s.valid_to = nxt.valid_from
        hist.states[art] = states
    return hist


@dataclass(frozen=True)
class DatedHunk:
    """One hunk of a decree's diff of an article file: the words around and in a change as
    the file read just before (``old``) and just after (``new``) the decree's DOF date."""

    line: int                      # line of the commit in the JSONL file
    dof_date: date
    article: str
    old: str                       # plain text (rst markup removed) of the hunk's old side
    new: str


def decree_hunks(directory: str | Path) -> list[DatedHunk]:
    """Every hunk of every dated decree commit that touches an article file, oldest commit
    first: evidence of the article's words on each side of the decree, read straight from
    the record (independent of the rebuilt texts). Raises InputError like :func:`read_history`."""
    path = Path(directory) / COMMITS_FILE
    if not path.is_file():
        raise InputError(path, "no existe el archivo de commits del historial constitucional")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue                  # reported by read_history
        day, _problem = publication_date(rec.get("message", ""))
        if day is None:
            continue
        for a, b, body in _file_sections(rec.get("unified_diff", "")):
            art = _article_of(b) or _article_of(a)
            if art is None:
                continue
            for h in _hunks(body):
                if h.complete:
                    out.append(DatedHunk(n, day, art, rst_to_text("\n".join(h.old)),
                                         rst_to_text("\n".join(h.new))))
    return out
