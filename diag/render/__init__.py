"""Renderers: each turns a finished ``Diagnosis`` into one output format.

``RENDERERS`` is the registry (name, suffix, module) that the CLI reads for ``--format``,
for the format of ``-o FILE`` and for ``--save``; every module has
``render(diagnosis: Diagnosis) -> str`` and is imported on first use. What a report
shows is computed once, in ``diag.render.view``; renderers only lay it out.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from diag.errors import ConfigError
from diag.model import Diagnosis, Document, Location

@dataclass(frozen=True)
class Renderer:
    """One report format: its name, the file suffix it is written with, and its module.

    ``aliases`` are other names ``--format`` accepts (``md``), ``suffixes`` other file
    suffixes that select it (``.htm``). The module has ``render(diagnosis) -> str`` and is
    imported on first use.
    """

    name: str
    suffix: str
    module: str
    aliases: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()

    def render(self, d: Diagnosis) -> str:
        fn: Callable[[Diagnosis], str] = importlib.import_module(self.module).render
        return fn(d)

    def write(self, d: Diagnosis, out: IO[str]) -> None:
        """Write ``render(d)`` to the seekable ``out``: in parts where the module has ``write(diagnosis, out)``
        (the JSON report, never held whole), else at once."""
        module = importlib.import_module(self.module)
        if hasattr(module, "write"):
            module.write(d, out)
        else:
            out.write(module.render(d))


#: Every report format: the single list ``--format``, suffix inference and ``--save`` read.
RENDERERS: tuple[Renderer, ...] = (
    Renderer("terminal", ".txt", "diag.render.terminal", aliases=("txt", "text")),
    Renderer("json", ".json", "diag.render.json"),
    Renderer("markdown", ".md", "diag.render.markdown", aliases=("md",), suffixes=(".markdown",)),
    Renderer("html", ".html", "diag.render.html", suffixes=(".htm",)),
)


def format_names() -> tuple[str, ...]:
    """Every name ``--format`` accepts: the formats, then their aliases."""
    return tuple(r.name for r in RENDERERS) + tuple(a for r in RENDERERS for a in r.aliases)


def get_renderer(name: str) -> Renderer:
    """The renderer called ``name`` (or one of its aliases).

    Raises:
        ConfigError: if no format has that name.
    """
    for r in RENDERERS:
        if name == r.name or name in r.aliases:
            return r
    raise ConfigError(f"unknown format {name!r}; use one of {', '.join(format_names())}")


def renderer_for_path(path: str) -> Renderer:
    """The renderer a file name asks for by its suffix (``r.html`` -> html).

    Raises:
        ConfigError: naming the file and the suffixes known, when the suffix is none of them.
    """
    suffix = PurePath(path).suffix.lower()
    for r in RENDERERS:
        if suffix == r.suffix or suffix in r.suffixes:
            return r
    known = ", ".join(r.suffix for r in RENDERERS)
    raise ConfigError(f"-o {path}: unknown suffix {suffix or '(none)'!r}; use {known}, or give --format")


def renderer(name: str) -> Callable[[Diagnosis], str]:
    """The ``render`` function of format ``name`` (a name or alias of ``RENDERERS``)."""
    return get_renderer(name).render


def _printable_table() -> dict[int, str]:
    table = {c: chr(0x2400 + c) for c in range(0x20) if chr(c) not in "\t\n"}  # C0 -> control pictures
    table[0x7F] = "\u2421"  # DEL
    for c in [*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]:
        table[c] = "\ufffd"  # C1 controls, bidirectional overrides, isolates and marks
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
