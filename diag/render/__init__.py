"""Renderers: each turns a finished ``Diagnosis`` into one output format.

``RENDERERS`` maps a format name to the module that renders it; every module has
``render(diagnosis: Diagnosis) -> str``. Modules are imported on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from diag.model import SEVERITIES, Diagnosis, Document, Finding, Location

RENDERERS: dict[str, str] = {
    "terminal": "diag.render.terminal",
    "json": "diag.render.json",
    "markdown": "diag.render.markdown",
    "html": "diag.render.html",
}
#: File suffix per format, for ``--save``.
SUFFIXES: dict[str, str] = {"terminal": ".txt", "json": ".json", "markdown": ".md", "html": ".html"}


def _printable_table() -> dict[int, str]:
    table = {c: chr(0x2400 + c) for c in range(0x20) if chr(c) not in "\t\n"}  # C0 -> control pictures
    table[0x7F] = "\u2421"  # DEL
    for c in [*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]:
        table[c] = "\ufffd"  # C1 controls and bidirectional overrides
    return table


#: Control characters and bidirectional overrides, each mapped to one visible character.
_PRINTABLE = _printable_table()


def printable(text: str) -> str:
    """``text`` with control characters made visible, one character for one.

    Input text is untrusted: an escape sequence in a scraped page must not recolour,
    hide or retitle the reader's terminal, and a bidirectional override must not reorder
    what the reader sees. Lengths are kept, so offsets into the text stay valid.
    """
    return text.translate(_PRINTABLE)


def printable_diagnosis(d: Diagnosis) -> Diagnosis:
    """The same diagnosis with every input-derived string passed through ``printable``.

    For renderers whose output reaches a terminal (plain text, Markdown); offsets stay valid.
    """
    from dataclasses import replace

    def document(doc: Document) -> Document:
        return replace(
            doc,
            text=printable(doc.text),
            path=None if doc.path is None else printable(doc.path),
            sentences=tuple(replace(s, text=printable(s.text)) for s in doc.sentences),
        )

    def location(loc: Location | None) -> Location | None:
        return None if loc is None else replace(loc, text=printable(loc.text))

    findings = tuple(
        replace(
            f,
            message=printable(f.message),
            reference=location(f.reference),
            candidate=location(f.candidate),
            suggestion=None if f.suggestion is None else printable(f.suggestion),
        )
        for f in d.findings
    )
    verdict = replace(d.verdict, label=printable(d.verdict.label), evidence=tuple(printable(e) for e in d.verdict.evidence))
    return replace(
        d,
        reference=document(d.reference),
        candidate=document(d.candidate),
        findings=findings,
        verdict=verdict,
        id=None if d.id is None else printable(d.id),
    )


def group_findings(findings: tuple[Finding, ...]) -> list[list[Finding]]:
    """Findings of the same damage (same severity, type, reference and candidate words) together,
    most severe first, then the most repeated ("TikTok -> Tiktok, 23 places")."""
    groups: dict[tuple[str, str, str, str], list[Finding]] = {}
    for f in findings:
        key = (
            f.severity,
            f.type,
            f.reference.text if f.reference else "",
            f.candidate.text if f.candidate else "",
        )
        groups.setdefault(key, []).append(f)
    order = {s: k for k, s in enumerate(SEVERITIES)}
    return sorted(groups.values(), key=lambda g: (order[g[0].severity], -len(g)))


def renderer(name: str) -> Callable[[Diagnosis], str]:
    """The ``render`` function of format ``name`` (a key of ``RENDERERS``)."""
    module = importlib.import_module(RENDERERS[name])
    fn: Callable[[Diagnosis], str] = module.render
    return fn
