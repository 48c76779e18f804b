"""The terminal report (rich): headline, metrics, alignment overview, findings.

The only module that imports rich for reports. ``renderables()`` builds the report,
``render()`` returns it as plain text of a fixed width (``--save``, golden tests), and
the CLI prints the same renderables to a live console with colour.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from diag.diff import word_diff
from diag.render import group_findings
from diag.model import SEVERITIES, Diagnosis, Document

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

#: How many omitted/added sentences and weakest pairs the overview shows.
SHOW_SENTENCES = 5
SHOW_WEAKEST = 3
CONTEXT_CHARS = 40
SEVERITY_STYLE = {"critical": "bold white on red", "major": "bold red", "minor": "yellow"}
METRIC_LABEL = {"bleu": "BLEU", "chrf": "chrF", "chrf++": "chrF++", "ter": "TER"}


def _clip(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pair_text(doc: Document, indices: tuple[int, ...]) -> str:
    return " ".join(doc.sentences[i].text for i in indices)


def _headline(d: Diagnosis) -> RenderableType:
    from rich.panel import Panel
    from rich.text import Text

    v = d.verdict
    title = Text()
    if v.relation is None:
        title.append("Verdict not assessed", style="bold")
    else:
        title.append(v.label[:1].upper() + v.label[1:], style="bold")
        title.append(f"  (confidence {v.confidence:.0%}", style="dim")
        if v.machine_probability is not None:
            title.append(f", machine probability {v.machine_probability:.0%}", style="dim")
        title.append(")", style="dim")
    counts = {s: sum(1 for f in d.findings if f.severity == s) for s in SEVERITIES}
    lines = [title]
    for role, doc in (("reference", d.reference), ("candidate", d.candidate)):
        line = Text(f"{role}: ", style="dim")
        line.append(doc.path or "<text>")
        line.append(f"  {len(doc.sentences)} sentences, {doc.word_count} words", style="dim")
        if doc.set_aside:
            line.append(f", {len(doc.set_aside)} stretches set aside", style="dim")
        if doc.encoding_note:
            line.append(f"  ({doc.encoding_note})", style="yellow")
        lines.append(line)
    lines.append(
        Text(
            f"findings: {counts['critical']} critical, {counts['major']} major, {counts['minor']} minor"
            f"  ·  MQM penalty {d.mqm_per_1000:.1f} per 1000 words"
        )
    )
    return Panel(Text("\n").join(lines), title="diag", title_align="left")


def _metrics(d: Diagnosis) -> RenderableType:
    from rich.table import Table

    table = Table(title="Metrics (sacrebleu, document over the alignment)", title_justify="left", expand=False)
    table.add_column("metric")
    table.add_column("document", justify="right")
    table.add_column("pair median", justify="right")
    table.add_column("signature", overflow="fold")
    matched = [p.scores for p in d.alignment.matched() if p.scores]
    for name, score in d.metrics.items():
        values = sorted(s.as_dict()[name] for s in matched)
        median = f"{values[len(values) // 2]:.1f}" if values else "-"
        table.add_row(METRIC_LABEL.get(name, name), f"{score.score:.1f}", median, score.signature)
    return table


def _highlighted_pair(a: str, b: str) -> tuple[Text, Text]:
    from rich.text import Text

    ta, tb = Text(a), Text(b)
    for op in word_diff(a, b):
        if op.tag in ("replace", "delete") and op.a_end > op.a_start:
            ta.stylize("red strike", op.a_start, op.a_end)
        if op.tag in ("replace", "insert") and op.b_end > op.b_start:
            tb.stylize("green underline", op.b_start, op.b_end)
    return ta, tb


def _alignment(d: Diagnosis) -> Iterator[RenderableType]:
    from rich.table import Table
    from rich.text import Text

    al = d.alignment
    kinds: dict[str, int] = defaultdict(int)
    for p in al.pairs:
        kinds[p.kind] += 1
    shape = ", ".join(f"{k} ×{n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
    yield Text.assemble(
        ("Alignment  ", "bold"),
        f"reference coverage {al.reference_coverage:.0%}, candidate coverage {al.candidate_coverage:.0%}  ",
        (f"({shape})", "dim"),
    )
    for label, pairs, doc in (
        ("Omitted from the candidate", al.omitted(), d.reference),
        ("Added in the candidate", al.added(), d.candidate),
    ):
        if not pairs:
            continue
        table = Table(title=f"{label}: {len(pairs)} sentences", title_justify="left", show_header=False)
        table.add_column("#", justify="right", style="dim")
        table.add_column("sentence")
        for p in pairs[:SHOW_SENTENCES]:
            idx = p.reference or p.candidate
            table.add_row(str(idx[0]), _clip(_pair_text(doc, idx)))
        if len(pairs) > SHOW_SENTENCES:
            table.add_row("…", f"and {len(pairs) - SHOW_SENTENCES} more")
        yield table
    weakest = sorted(
        ((k, p) for k, p in enumerate(al.pairs) if p.reference and p.candidate and p.scores),
        key=lambda kp: kp[1].scores.chrf if kp[1].scores else 0.0,
    )[:SHOW_WEAKEST]
    if weakest:
        table = Table(title="Weakest aligned pairs (by chrF)", title_justify="left")
        table.add_column("pair", justify="right")
        table.add_column("chrF", justify="right")
        table.add_column("reference")
        table.add_column("candidate")
        for k, p in weakest:
            ta, tb = _highlighted_pair(_pair_text(d.reference, p.reference), _pair_text(d.candidate, p.candidate))
            table.add_row(str(k), f"{p.scores.chrf:.1f}" if p.scores else "-", ta, tb)
        yield table


def _squeeze(text: str) -> str:
    """Runs of white space (line breaks included) as one space, ends kept."""
    if not text:
        return text
    inner = " ".join(text.split())
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() and inner else ""
    return lead + inner + trail


def _context(doc_text: str, start: int, end: int) -> Text:
    from rich.text import Text

    lo = max(0, start - CONTEXT_CHARS)
    hi = min(len(doc_text), end + CONTEXT_CHARS)
    text = Text("…" if lo else "")
    text.append(_squeeze(doc_text[lo:start]))
    text.append(_squeeze(doc_text[start:end]) or "∅", style="bold reverse")
    text.append(_squeeze(doc_text[end:hi]))
    if hi < len(doc_text):
        text.append("…")
    return text


def _findings(d: Diagnosis) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    if not d.findings:
        return Text("Findings: none", style="bold")
    table = Table(title=f"Findings: {len(d.findings)}", title_justify="left")
    table.add_column("severity")
    table.add_column("what", overflow="fold")
    table.add_column("places", justify="right")
    table.add_column("reference", overflow="fold")
    table.add_column("candidate", overflow="fold")
    for group in group_findings(d.findings):
        f = group[0]
        ref = _context(d.reference.text, f.reference.start, f.reference.end) if f.reference else Text("-")
        cand = _context(d.candidate.text, f.candidate.start, f.candidate.end) if f.candidate else Text("(missing)")
        what = Text(f"{f.category}/{f.type}\n", style="dim")
        what.append(f.message)
        table.add_row(Text(f.severity, style=SEVERITY_STYLE[f.severity]), what, str(len(group)), ref, cand)
    return table


def _verdict_evidence(d: Diagnosis) -> Iterator[RenderableType]:
    from rich.text import Text

    v = d.verdict
    if v.relation is None:
        return
    probs = ", ".join(f"{k} {p:.0%}" for k, p in v.probabilities.items())
    yield Text.assemble(("Verdict  ", "bold"), v.label, (f"  ({probs})" if probs else "", "dim"))
    for line in v.evidence:
        yield Text(f"  • {line}")


def _set_aside(d: Diagnosis) -> Iterator[RenderableType]:
    from rich.text import Text

    for role, doc in (("reference", d.reference), ("candidate", d.candidate)):
        for a in doc.set_aside:
            yield Text.assemble(
                (f"Set aside in the {role} ", "dim"),
                f"[{a.start}:{a.end}] {a.reason}: ",
                (_clip(doc.text[a.start : a.end], 70), "dim"),
            )


def renderables(d: Diagnosis) -> list[RenderableType]:
    """The report, section by section (control characters of the inputs made visible)."""
    from rich.text import Text

    from diag.render import printable_diagnosis

    d = printable_diagnosis(d)
    out: list[RenderableType] = [_headline(d), _metrics(d)]
    out.extend(_alignment(d))
    out.append(_findings(d))
    out.extend(_verdict_evidence(d))
    out.extend(_set_aside(d))
    out.append(Text(f"signature: {d.signature}", style="dim"))
    return out


def render(d: Diagnosis, width: int = 100) -> str:
    """The report as plain text (no colour) of a fixed width."""
    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system=None, force_terminal=False, legacy_windows=False)
    for item in renderables(d):
        console.print(item)
    return buf.getvalue()
