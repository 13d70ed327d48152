"""Compare a parsed law with an answer file of ``../shared/eval/articles/``.

An answer file states, for one LeyesBiblio PDF: the body article labels in order, the
repealed ones, the original transitorios (count and printed labels), every entry of the
reform-decree section (DOF date, kind, title) with the count of decrees proper, and the
fracción labels of sampled articles. :func:`compare` lists every difference in Spanish,
one line each; an empty list means the parse matches the answers exactly.
"""
from __future__ import annotations

import json
from pathlib import Path

from lawgraph.model.law import ParsedLaw, Unit

# Kinds counted in 'reform_decree_count' (FE de erratas and SCJN items are listed, not counted).
COUNTED_KINDS = ("decreto", "ley_o_reforma_sin_titulo_decreto")


def fracciones_of(article: Unit) -> list[Unit]:
    """Fracciones of an article in reading order, at any depth except inside a fracción
    (the same as :meth:`Unit.fracciones`)."""
    return article.fracciones()


def _diff_list(name: str, got: list, want: list, out: list[str], limit: int = 12) -> None:
    if got == want:
        return
    gs, ws = set(map(str, got)), set(map(str, want))
    missing = [w for w in want if str(w) not in gs]
    extra = [x for x in got if str(x) not in ws]
    msg = f"{name}: {len(got)} obtenidos, {len(want)} esperados"
    if missing:
        msg += f"; faltan {', '.join(map(str, missing[:limit]))}{' …' if len(missing) > limit else ''}"
    if extra:
        msg += f"; sobran {', '.join(map(str, extra[:limit]))}{' …' if len(extra) > limit else ''}"
    if not missing and not extra:
        first = next(i for i, (a, b) in enumerate(zip(got, want)) if a != b) if len(got) == len(want) else None
        msg += f"; mismo conjunto en otro orden (primera diferencia en la posición {first})"
    out.append(msg)


def _fold(s: str) -> str:
    return " ".join(s.split())


def _fold_title(s: str) -> str:
    """Title compared without the brackets LeyesBiblio puts around invalidated decrees."""
    s = _fold(s)
    if s.startswith("[") and s.endswith("]"):
        s = s[1:-1].strip()
    return s


def compare(parsed: ParsedLaw, gold: dict) -> list[str]:
    """Every difference between ``parsed`` and the answer ``gold`` (empty list = exact)."""
    out: list[str] = []
    if gold.get("sha256") and gold["sha256"] != parsed.sha256:
        out.append(f"sha256 distinto: el archivo no es la versión de las respuestas ({gold['sha256'][:12]})")
    labels = [a.label for a in parsed.articles]
    _diff_list("artículos del cuerpo", labels, gold["body_articles"], out)
    repealed = [a.label for a in parsed.articles if a.repealed]
    _diff_list("artículos derogados", repealed, gold["repealed_articles"], out)
    if "suppressed_placeholder_articles" in gold:
        _diff_list("marcadores de artículos suprimidos", list(parsed.suppressed_articles),
                   gold["suppressed_placeholder_articles"], out)
    for label in gold.get("derogation_declared_invalid", []):
        # a repeal the SCJN declared invalid: the article is back in force
        a = parsed.article(label)
        if a is None or a.repealed:
            out.append(f"artículo {label}: su derogación fue declarada inválida; debe estar vigente")
    if "original_transitorios_count" in gold:
        n = len(parsed.transitorios)
        if n != gold["original_transitorios_count"]:
            out.append(f"transitorios originales: {n} obtenidos, {gold['original_transitorios_count']} esperados")
        want = gold.get("original_transitorios_labels")
        if want is not None:
            _diff_list("etiquetas de transitorios originales", [t.label for t in parsed.transitorios], want, out)
    if "reform_decrees" in gold:
        got = parsed.decrees
        want = gold["reform_decrees"]
        if len(got) != len(want):
            out.append(f"entradas de la sección de reformas: {len(got)} obtenidas, {len(want)} esperadas")
        for k in range(max(len(got), len(want))):
            g = got[k] if k < len(got) else None
            w = want[k] if k < len(want) else None
            if g is None:
                out.append(f"reforma #{k + 1}: falta ({_entry_name(w)})")
            elif w is None:
                out.append(f"reforma #{k + 1}: sobra ({g.dof_date} {g.title[:70]})")
            elif "gazette_date" in w:
                _compare_state_entry(k, g, w, out)
            else:
                _compare_dof_entry(k, g, w, out)
    if "reform_decree_count" in gold:
        n = sum(1 for d in parsed.decrees if d.kind in COUNTED_KINDS)
        if n != gold["reform_decree_count"]:
            out.append(f"decretos de reforma: {n} obtenidos, {gold['reform_decree_count']} esperados")
    for sample in gold.get("fraction_samples", []):
        art = parsed.article(sample["article"])
        if art is None:
            out.append(f"muestra de fracciones: falta el artículo {sample['article']}")
            continue
        fr = fracciones_of(art)
        _diff_list(f"fracciones del artículo {sample['article']}", [f.label for f in fr],
                   sample["fraction_labels"], out)
        if "repealed_fracciones" in sample:
            _diff_list(f"fracciones derogadas del artículo {sample['article']}",
                       [f.label for f in fr if f.repealed], sample["repealed_fracciones"], out)
    return out


def _entry_name(w: dict) -> str:
    if "gazette_date" in w:
        return f"decreto {w.get('decree_number')} del {w.get('gazette_date')}"
    return f"{w['dof_date']} {w['title_full'][:70]}"


def _compare_dof_entry(k: int, g, w: dict, out: list[str]) -> None:
    """A LeyesBiblio reform-section entry: DOF or notification date, kind, title, brackets."""
    gd = g.dof_date.isoformat() if g.dof_date else None
    if gd != w.get("dof_date"):
        out.append(f"reforma #{k + 1}: fecha DOF {gd}, esperada {w.get('dof_date')}")
    gn = g.notified_date.isoformat() if g.notified_date else None
    if "notified_date" in w and gn != w.get("notified_date"):
        out.append(f"reforma #{k + 1}: fecha de notificación {gn}, esperada {w.get('notified_date')}")
    if g.kind != w.get("kind"):
        out.append(f"reforma #{k + 1}: tipo {g.kind}, esperado {w.get('kind')}")
    if "title_full" in w and _fold_title(g.title) != _fold_title(w["title_full"]):
        out.append(f"reforma #{k + 1}: título distinto:\n    obtenido: {g.title[:160]}\n"
                   f"    esperado: {w['title_full'][:160]}")
    if "declared_invalid_bracketed" in w and g.declared_invalid != w["declared_invalid_bracketed"]:
        out.append(f"reforma #{k + 1}: declarado inválido {g.declared_invalid}, "
                   f"esperado {w['declared_invalid_bracketed']}")


# Length of the clause excerpt in the state answer files (their 'reform_decrees_definition').
CLAUSE_EXCERPT_CHARS = 150


def _compare_state_entry(k: int, g, w: dict, out: list[str]) -> None:
    """A state gazette decree-list entry: number, gazette issue and date, title, clause. An
    entry printed without a title whose answer infers its decree from the running header
    (``inferred_from_header``) is checked against that inference when the parser completed it
    from the header too (its title is then the header's line)."""
    gd = g.dof_date.isoformat() if g.dof_date else None
    inferred = w.get("inferred_from_header")
    if inferred and not w.get("title_text") and g.title:
        w = {**w, **{k: inferred.get(k) for k in ("decree_number", "gazette_number", "gazette_date")},
             "title_text": g.title}
    checks = (("número de decreto", g.number, w.get("decree_number")),
              ("número del periódico oficial", g.gazette_number, w.get("gazette_number")),
              ("fecha del periódico oficial", gd, w.get("gazette_date")))
    for name, got_v, want_v in checks:
        if got_v != want_v:
            out.append(f"reforma #{k + 1}: {name} {got_v}, esperado {want_v}")
    if _fold(g.title or "") != _fold(w.get("title_text") or ""):
        out.append(f"reforma #{k + 1}: título distinto:\n    obtenido: {g.title[:160]}\n"
                   f"    esperado: {(w.get('title_text') or '')[:160]}")
    excerpt = _fold(g.clause)[:CLAUSE_EXCERPT_CHARS].rstrip()
    if "clause_excerpt" in w and excerpt != _fold(w["clause_excerpt"]):
        out.append(f"reforma #{k + 1}: cláusula distinta:\n    obtenida: {excerpt}\n"
                   f"    esperada: {w['clause_excerpt']}")


def load_gold(directory: str | Path) -> list[dict]:
    """Every answer file (``*.json``) in ``directory``, sorted by file name."""
    return [json.loads(p.read_text(encoding="utf-8")) | {"_answer_file": p.name}
            for p in sorted(Path(directory).glob("*.json"))]


def resolve_document(gold: dict, shared: str | Path) -> Path:
    """The corpus file an answer is about (``path`` is relative to ``shared/corpora``)."""
    return Path(shared) / "corpora" / gold["path"]


def structure_signature(parsed: ParsedLaw) -> dict:
    """What must be identical whichever extractor read the PDF: labels, repeal flags,
    fracción lists, unit texts modulo whitespace, transitorios and reform entries."""

    def unit(u: Unit) -> tuple:
        # modulo whitespace: pdfplumber puts a space in 'VI. Violencia' where pdfium reads
        # 'VI.Violencia' (a narrow gap in the mobile PDFs)
        return (u.kind, u.label, u.repealed, "".join(u.text.split()),
                tuple(unit(c) for c in u.children))

    return {
        "title": _fold(parsed.title),
        "ultima_reforma": parsed.ultima_reforma,
        "articles": [unit(a) for a in parsed.articles],
        "suppressed": list(parsed.suppressed_articles),
        "divisions": [(d.kind, d.label, _fold(d.heading), tuple(d.articles)) for d in parsed.divisions],
        "transitorios": [unit(t) for t in parsed.transitorios],
        "decrees": [(d.kind, d.dof_date, d.notified_date, d.declared_invalid, _fold(d.title),
                     _fold(d.clause), tuple(unit(t) for t in d.transitorios)) for d in parsed.decrees],
    }


def first_difference(a, b, path: str = "") -> str | None:
    """Path and values of the first difference between two nested signatures."""
    if type(a) is not type(b):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in a.keys() | b.keys():
            d = first_difference(a.get(k), b.get(k), f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, (list, tuple)):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        if len(a) != len(b):
            return f"{path}: longitud {len(a)} != {len(b)}"
        return None
    return None if a == b else f"{path}: {str(a)[:200]!r} != {str(b)[:200]!r}"
