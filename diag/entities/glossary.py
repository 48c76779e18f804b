"""Glossaries: protected terms read from a file, and the check that the candidate renders them as required."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from diag.entities.lexicon import squash
from diag.entities.mentions import Side
from diag.entities.messages import loc
from diag.errors import InputError
from diag.model import Finding


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """A protected term: wherever ``reference`` occurs in the reference, the candidate must say ``required``."""

    reference: str
    required: str

    def __post_init__(self) -> None:
        if not self.reference.strip() or not self.required.strip():
            raise ValueError(f"GlossaryTerm: empty form in {self.reference!r} -> {self.required!r}")


@dataclass(frozen=True)
class Glossary:
    """Protected terms, in file order."""

    terms: tuple[GlossaryTerm, ...]
    path: str | None = None


def load_glossary(path: str) -> Glossary:
    """Read a glossary: one protected term per line, or ``reference form<TAB>required form``.

    Blank lines and lines starting with ``#`` are skipped.

    Args:
        path: the glossary file (UTF-8).

    Returns:
        The glossary, terms in file order.

    Raises:
        InputError: the file cannot be read, is not UTF-8, has a malformed line or no terms.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"glossary {path}: cannot read it ({exc.strerror or exc}); pass an existing text file") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"glossary {path}: not UTF-8 (byte {exc.start}); save it as UTF-8 text, one term per line"
        ) from exc
    terms: list[GlossaryTerm] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        parts = [p.strip() for p in line.rstrip("\r\n").split("\t")]
        if len(parts) == 1:
            terms.append(GlossaryTerm(parts[0], parts[0]))
        elif len(parts) == 2 and parts[0] and parts[1]:
            terms.append(GlossaryTerm(parts[0], parts[1]))
        else:
            raise InputError(
                f"glossary {path}: line {number} has {len(parts)} tab-separated fields, expected "
                "'term' or 'reference form<TAB>required form'"
            )
    if not terms:
        raise InputError(f"glossary {path}: no terms found; write one term per line or 'reference<TAB>required'")
    return Glossary(tuple(terms), path=path)




def check_glossary(glossary: Glossary, ref: Side, cand: Side, pair: int) -> list[Finding]:
    findings: list[Finding] = []
    cand_text = " ".join(cand.doc.text[t.start : t.end] for t in cand.tokens)
    cand_norm = squash(cand_text)
    for term in glossary.terms:
        pattern = re.compile(r"(?<!\w)" + re.escape(term.reference).replace(r"\ ", r"[\s-]+") + r"(?!\w)",
                             re.IGNORECASE)
        for lo, hi in ref.sentence_bounds:
            if lo == hi:
                continue
            s, e = ref.tokens[lo].start, ref.tokens[hi - 1].end
            for m in pattern.finditer(ref.doc.text, s, e):
                required_ok = re.search(
                    r"(?<!\w)" + re.escape(term.required).replace(r"\ ", r"[\s-]+") + r"(?!\w)", cand_text) is not None
                if required_ok:
                    continue
                loose = squash(term.required) in cand_norm
                what = "written differently" if loose else "not rendered as required"
                cloc = None
                if loose:
                    for t in cand.tokens:
                        if squash(t.text) and squash(term.required).startswith(squash(t.text)):
                            cloc = loc(cand.doc, t.start, t.end)
                            break
                findings.append(Finding("glossary", "glossary_violation", "major",
                                        f'"{m.group()}" {what}: the glossary requires "{term.required}"',
                                        loc(ref.doc, m.start(), m.end()), cloc, pair, term.required))
    return findings

