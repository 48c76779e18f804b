"""The terminal report (rich), laid out from the ``ReportView``.

In reading order: the verdict and its evidence; the critical and major findings, each group
with its places in both texts; the minor ones, one line per group; the metrics with their
signatures; the alignment, omitted and added sentences and the weakest pairs; the stretches
set aside. Meant for 80 columns: no table is wider than the text it holds, and identifiers
and signatures are never cut (a signature wraps at its ``|``).

The only module that imports rich for reports. ``renderables()`` builds the report,
``render()`` returns it as plain text of a fixed width (``--save``, golden tests), and
the CLI prints the same renderables to a live console with colour.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from diag.diff import word_diff
from diag.model import Diagnosis
from diag.render.view import Context, FindingGroup, PairView, ReportView, plural, stretches

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

#: How many omitted/added sentences, weakest pairs and minor groups the report shows.
SHOW_SENTENCES = 5
SHOW_WEAKEST = 3
SHOW_MINOR = 10
INDENT = 4
SEVERITY_STYLE = {"critical": "bold white on red", "major": "bold red", "minor": "yellow"}


def _clip(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _context(c: Context) -> Text:
    from rich.text import Text

    return Text.assemble(c.before, (c.span, "bold reverse"), c.after)


def _indented(item: RenderableType, indent: int = INDENT) -> RenderableType:
    from rich.padding import Padding

    return Padding(item, (0, 0, 0, indent), expand=False)


def wrap_at_bars(text: str, width: int) -> str:
    """``a|b|c`` broken into lines of at most ``width`` characters, only after a ``|``."""
    lines: list[str] = []
    line = ""
    for part in text.split("|"):
        piece = part if not line else "|" + part
        if line and len(line) + len(piece) + 1 > width:  # room for the "|" that ends the line
            lines.append(line + "|")
            line = part
        else:
            line += piece
    lines.append(line)
    return "\n".join(lines)


def _headline(v: ReportView) -> RenderableType:
    from rich.panel import Panel
    from rich.text import Text

    lines = [Text(v.verdict_line, style="bold")]
    for doc in v.documents:
        line = Text(f"{doc.role}: ", style="dim")
        line.append(doc.path)
        line.append(f"  {doc.sentences} sentences, {doc.words} words", style="dim")
        if doc.set_aside:
            line.append(f", {stretches(doc.set_aside)} set aside", style="dim")
        if doc.encoding_note:
            line.append(f"  ({doc.encoding_note})", style="yellow")
        lines.append(line)
    lines.extend(Text(f"note: {note}", style="yellow") for note in v.notes)
    lines.append(Text(v.counts_line))
    title = "diag" + (f": {v.id}" if v.id else "")
    return Panel(Text("\n").join(lines), title=title, title_align="left")


def _evidence(v: ReportView) -> Iterator[RenderableType]:
    from rich.text import Text

    if not v.assessed:
        return
    probs = ", ".join(f"{k} {p:.0%}" for k, p in v.probabilities)
    yield Text.assemble(("Why: ", "bold"), v.verdict, (f" ({probs})" if probs else "", "dim"))
    for line in v.evidence:
        yield _indented(Text(f"• {line}"), 2)


def _group_head(g: FindingGroup) -> Text:
    from rich.text import Text

    head = Text(f" {g.severity.upper()} ", style=SEVERITY_STYLE[g.severity])
    head.append(f" {g.rule}")
    head.append(f"  ×{g.count}" if g.count > 1 else "", style="bold")
    return head


def _serious(v: ReportView) -> Iterator[RenderableType]:
    from rich.text import Text

    groups = v.serious
    if not groups:
        yield Text("Critical and major findings: none", style="bold")
        return
    places = sum(g.count for g in groups)
    yield Text(f"Critical and major findings: {plural(len(groups), 'kind')}, {plural(places, 'place')}", style="bold")
    for g in groups:
        yield _group_head(g)
        body = Text(g.message)
        if g.suggestion:
            body.append(f" Suggestion: {g.suggestion}", style="dim")
        yield _indented(body)
        ref = _context(v.context("reference", g.reference)) if g.reference else Text("-")
        cand = _context(v.context("candidate", g.candidate)) if g.candidate else Text("(missing)")
        yield _indented(Text.assemble(("reference: ", "dim"), ref))
        yield _indented(Text.assemble(("candidate: ", "dim"), cand))


def _minor(v: ReportView) -> Iterator[RenderableType]:
    from rich.text import Text

    groups = v.minor
    if not groups:
        return
    places = sum(g.count for g in groups)
    yield Text(f"Minor findings: {plural(len(groups), 'kind')}, {plural(places, 'place')}", style="bold")
    for g in groups[:SHOW_MINOR]:
        line = Text.assemble((f"{g.rule}", "yellow"), (f" ×{g.count}" if g.count > 1 else "", "bold"), "  ", g.message)
        yield _indented(line, 2)
    if len(groups) > SHOW_MINOR:
        yield _indented(Text(f"… and {len(groups) - SHOW_MINOR} more kinds (see the JSON or HTML report)"), 2)


def _metrics(v: ReportView, width: int) -> Iterator[RenderableType]:
    from rich.table import Table
    from rich.text import Text

    yield Text("Metrics (sacrebleu, document over the alignment)", style="bold")
    table = Table(expand=False)
    table.add_column("metric")
    table.add_column("document", justify="right")
    table.add_column("pair median", justify="right")
    for m in v.metrics:
        table.add_row(m.label, m.display, "-" if m.pair_median is None else f"{m.pair_median:.1f}")
    yield table
    label_width = max((len(m.label) for m in v.metrics), default=0) + 2
    for m in v.metrics:
        lines = wrap_at_bars(m.signature, max(20, width - INDENT - label_width)).split("\n")
        for k, line in enumerate(lines):
            yield _indented(Text.assemble(((m.label if k == 0 else "").ljust(label_width), "dim"), line), 2)


def _highlighted_pair(a: str, b: str) -> tuple[Text, Text]:
    from rich.text import Text

    ta, tb = Text(a), Text(b)
    for op in word_diff(a, b):
        if op.tag in ("replace", "delete") and op.a_end > op.a_start:
            ta.stylize("red strike", op.a_start, op.a_end)
        if op.tag in ("replace", "insert") and op.b_end > op.b_start:
            tb.stylize("green underline", op.b_start, op.b_end)
    return ta, tb


def _pair_block(p: PairView) -> Iterator[RenderableType]:
    from rich.text import Text

    risk = f"  accuracy risk {p.accuracy_risk:.2f}" if p.accuracy_risk is not None else ""
    yield _indented(Text(f"pair {p.index}  chrF {p.chrf:.1f}{risk}" if p.chrf is not None else f"pair {p.index}"), 2)
    ta, tb = _highlighted_pair(p.reference_text, p.candidate_text)
    yield _indented(Text.assemble(("reference: ", "dim"), ta))
    yield _indented(Text.assemble(("candidate: ", "dim"), tb))


def _alignment(v: ReportView) -> Iterator[RenderableType]:
    from rich.text import Text

    yield Text.assemble(("Alignment  ", "bold"), v.alignment_line)
    for label, pairs, side in (("Omitted from the candidate", v.omitted, "reference"), ("Added in the candidate", v.added, "candidate")):
        if not pairs:
            continue
        yield Text(f"{label}: {plural(len(pairs), 'sentence')}", style="bold")
        for p in pairs[:SHOW_SENTENCES]:
            first = (p.reference or p.candidate)[0]
            text = p.reference_text if side == "reference" else p.candidate_text
            yield _indented(Text.assemble((f"#{first} ", "dim"), _clip(text)), 2)
        if len(pairs) > SHOW_SENTENCES:
            yield _indented(Text(f"… and {len(pairs) - SHOW_SENTENCES} more"), 2)
    if v.weakest:
        yield Text("Weakest aligned pairs (by chrF)", style="bold")
        for p in v.weakest[:SHOW_WEAKEST]:
            yield from _pair_block(p)


def _set_aside(v: ReportView) -> Iterator[RenderableType]:
    from rich.text import Text

    if not v.set_aside:
        return
    yield Text(f"Set aside as page furniture: {stretches(len(v.set_aside))}", style="bold")
    for s in v.set_aside:
        yield _indented(
            Text.assemble((f"{s.role} [{s.start}:{s.end}] {s.reason}: ", "dim"), _clip(s.text, 70)), 2
        )


def renderables(d: Diagnosis, width: int = 100) -> list[RenderableType]:
    """The report, section by section, for a console ``width`` columns wide."""
    from rich.text import Text

    v = ReportView.build(d)
    out: list[RenderableType] = [_headline(v)]
    out.extend(_evidence(v))
    out.extend(_serious(v))
    out.extend(_minor(v))
    out.extend(_metrics(v, width))
    out.extend(_alignment(v))
    out.extend(_set_aside(v))
    out.append(Text("signature: ", style="dim"))
    out.append(_indented(Text(wrap_at_bars(v.signature, width - 2), style="dim"), 2))
    return out


def render(d: Diagnosis, width: int = 100) -> str:
    """The report as plain text (no colour) of a fixed width."""
    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system=None, force_terminal=False, legacy_windows=False)
    for item in renderables(d, width):
        console.print(item)
    return "".join(line.rstrip() + "\n" for line in buf.getvalue().splitlines())
