"""The comparison report (``diag compare``) in every format: terminal, JSON, Markdown and HTML.

``view(comparison)`` computes what every format shows once (metric rows with their verdicts,
new and fixed findings, per-reference-sentence rows with both renderings and their deltas);
the four renderers only lay it out. ``RENDERERS`` maps a format name to its function and
JSON follows the ``diag.compare/1`` contract: keys are only ever added; ``pairs`` name sentences
by index into each side's ``sentences``, whose offsets are Python ``str`` indices into the
decoded input texts.
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from diag import __version__
from diag.compare import CONFIDENCE, Comparison, MetricComparison
from diag.model import METRIC_NAMES, Document, Finding
from diag.render import printable
from diag.render.json import finding_dict

SCHEMA = "diag.compare/1"
METRIC_LABEL = {"bleu": "BLEU", "chrf": "chrF", "chrf++": "chrF++", "ter": "TER"}
#: The metric whose per-sentence delta orders the "largest changes" lists.
ROW_METRIC = "chrf"
#: Significance level the reports mark differences at (the gate's default alpha).
REPORT_ALPHA = 0.05
#: Rows listed in the Markdown and terminal reports (HTML and JSON list every row).
SHOW_ROWS = 10
SHOW_FINDINGS = 25


@dataclass(frozen=True)
class MetricRow:
    name: str
    label: str
    metric: MetricComparison
    outcome: str  # "worse", "better" or "no significant change"


@dataclass(frozen=True)
class SentenceRow:
    index: int
    label: str  # the reference sentence numbers: "3" or "3-4"
    reference: str
    baseline: str
    candidate: str
    m: Mapping[str, tuple[float, float, float]]  # metric -> (baseline, candidate, delta)


@dataclass(frozen=True)
class CompareView:
    title: str
    signature: str
    metrics: tuple[MetricRow, ...]
    new: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    unchanged: int
    rows: tuple[SentenceRow, ...]

    def largest_changes(self, n: int) -> list[SentenceRow]:
        """The rows whose ``ROW_METRIC`` moved most, worst first (ties in document order)."""
        moved = [r for r in self.rows if r.m[ROW_METRIC][2] != 0]
        return sorted(moved, key=lambda r: (r.m[ROW_METRIC][2], r.index))[:n]


def _text(doc: Document, indices: tuple[int, ...]) -> str:
    return " ".join(doc.sentences[i].text for i in indices)


def _outcome(m: MetricComparison) -> str:
    if not m.significant(REPORT_ALPHA) or m.delta == 0:
        return "no significant change"
    return "worse" if m.regression > 0 else "better"


def view(c: Comparison) -> CompareView:
    """The facts every comparison report shows, computed once."""
    base, cand = c.baseline.candidate, c.candidate.candidate
    names = (base.path or "baseline", cand.path or "candidate")
    metrics = tuple(MetricRow(n, METRIC_LABEL[n], c.metrics[n], _outcome(c.metrics[n])) for n in METRIC_NAMES)
    rows = tuple(
        SentenceRow(
            index=k,
            label=str(u.reference[0]) if len(u.reference) == 1 else f"{u.reference[0]}-{u.reference[-1]}",
            reference=_text(c.reference, u.reference),
            baseline=_text(base, u.baseline),
            candidate=_text(cand, u.candidate),
            m={n: (u.baseline_scores[n], u.candidate_scores[n], u.delta(n)) for n in METRIC_NAMES},
        )
        for k, u in enumerate(c.units)
    )
    return CompareView(
        title=f"{names[1]} against {names[0]} (reference {c.reference.path or 'reference'})",
        signature=c.signature,
        metrics=metrics,
        new=c.findings.new,
        fixed=c.findings.fixed,
        unchanged=c.findings.unchanged,
        rows=rows,
    )


def _f(x: float) -> str:
    return f"{x:.2f}"


def _d(x: float) -> str:
    return f"{x:+.2f}"


def _p(p: float) -> str:
    return f"{p:.4f}" if p >= 0.0001 else f"{p:.1e}"


# --- JSON -----------------------------------------------------------------------------------


def to_dict(c: Comparison) -> dict[str, Any]:
    """The comparison as the ``diag.compare/1`` contract's plain data."""

    def spans(doc: Document) -> list[dict[str, int]]:
        return [{"start": s.start, "end": s.end} for s in doc.sentences]

    def side(d: Any) -> dict[str, Any]:
        return {
            "path": d.candidate.path,
            "sentences": spans(d.candidate),
            "relation": d.verdict.relation,
            "reference_coverage": d.alignment.reference_coverage,
            "mqm": {"penalty_per_1000_words": d.mqm_per_1000, "words": d.candidate.word_count},
        }

    return {
        "schema": SCHEMA,
        "diag_version": __version__,
        "signature": c.signature,
        "resamples": c.resamples,
        "seed": c.seed,
        "confidence": CONFIDENCE,
        "reference": {"path": c.reference.path, "sentences": spans(c.reference)},
        "baseline": side(c.baseline),
        "candidate": side(c.candidate),
        "metrics": {
            name: {
                "baseline": m.baseline,
                "candidate": m.candidate,
                "delta": m.delta,
                "ci": [m.ci[0], m.ci[1]],
                "p_value": m.p_value,
                "signature": c.candidate.metrics[name].signature,
            }
            for name, m in c.metrics.items()
        },
        "findings": {
            "new": [finding_dict(f) for f in c.findings.new],
            "fixed": [finding_dict(f) for f in c.findings.fixed],
            "unchanged": c.findings.unchanged,
        },
        "pairs": [
            {
                "reference": list(u.reference),
                "baseline": list(u.baseline),
                "candidate": list(u.candidate),
                "scores": {
                    "baseline": dict(u.baseline_scores),
                    "candidate": dict(u.candidate_scores),
                    "delta": {n: u.delta(n) for n in METRIC_NAMES},
                },
            }
            for u in c.units
        ],
    }


def render_json(c: Comparison) -> str:
    return json.dumps(to_dict(c), ensure_ascii=False, indent=2) + "\n"


# --- terminal ---------------------------------------------------------------------------------


def renderables(c: Comparison) -> list[Any]:
    """The terminal report as rich renderables (the CLI prints them at the terminal's width)."""
    from rich.table import Table
    from rich.text import Text

    v = view(c)
    out: list[Any] = [Text(printable(v.title), style="bold")]  # paths are input too
    table = Table(title=f"Document metrics: paired bootstrap, {c.resamples} resamples, {CONFIDENCE:.0%} interval")
    for col in ("metric", "baseline", "candidate", "delta", "interval", "p", "outcome"):
        table.add_column(col, justify="left" if col in ("metric", "outcome") else "right")
    style = {"worse": "bold red", "better": "green", "no significant change": ""}
    for mr in v.metrics:
        m = mr.metric
        table.add_row(
            mr.label, _f(m.baseline), _f(m.candidate), _d(m.delta), f"[{_d(m.ci[0])}, {_d(m.ci[1])}]", _p(m.p_value),
            Text(mr.outcome, style=style[mr.outcome]),
        )
    out.append(table)
    out.append(Text(f"Findings: {len(v.new)} new, {len(v.fixed)} fixed, {v.unchanged} unchanged", style="bold"))
    for label, items in (("new", v.new), ("fixed", v.fixed)):
        for f in items[:SHOW_FINDINGS]:
            out.append(Text(f"  {label:5} {f.severity:8} {printable(f.message)}"))
        if len(items) > SHOW_FINDINGS:
            out.append(Text(f"  ... and {len(items) - SHOW_FINDINGS} more {label} findings (see --format json)"))
    changes = v.largest_changes(SHOW_ROWS)
    if changes:
        rows = Table(title=f"Largest {METRIC_LABEL[ROW_METRIC]} changes per reference sentence")
        for col in ("#", "reference", "baseline", "candidate", "delta"):  # "#": reference sentence numbers
            rows.add_column(col, justify="right" if col in ("#", "delta") else "left", overflow="fold")
        for r in changes:
            rows.add_row(r.label, printable(r.reference), printable(r.baseline), printable(r.candidate), _d(r.m[ROW_METRIC][2]))
        out.append(rows)
    out.append(Text(f"signature: {v.signature}", style="dim"))
    return out


def render_terminal(c: Comparison, width: int = 100) -> str:
    from rich.console import Console

    buf = io.StringIO()
    console = Console(width=width, file=buf, color_system=None, force_terminal=False, legacy_windows=False)
    for item in renderables(c):
        console.print(item)
    return buf.getvalue()


# --- Markdown ---------------------------------------------------------------------------------


def render_markdown(c: Comparison) -> str:
    from diag.render.markdown import escape as _escape

    def escape(text: str, limit: int | None = 160) -> str:
        return _escape(printable(text), limit)

    v = view(c)
    out = [f"## diag compare: {escape(v.title, None)}", ""]
    out += [
        f"Paired bootstrap over reference sentences, {c.resamples} resamples, {CONFIDENCE:.0%} interval of the delta.",
        "",
        "| metric | baseline | candidate | delta | interval | p | outcome |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    mark = {"worse": "🔴 worse", "better": "🟢 better", "no significant change": "no significant change"}
    for mr in v.metrics:
        m = mr.metric
        out.append(
            f"| {mr.label} | {_f(m.baseline)} | {_f(m.candidate)} | {_d(m.delta)} | "
            f"[{_d(m.ci[0])}, {_d(m.ci[1])}] | {_p(m.p_value)} | {mark[mr.outcome]} |"
        )
    out += ["", f"**Findings:** {len(v.new)} new, {len(v.fixed)} fixed, {v.unchanged} unchanged", ""]
    for label, items in (("new", v.new), ("fixed", v.fixed)):
        if not items:
            continue
        out += [f"| {label} | severity | type | message |", "|---|---|---|---|"]
        for f in items[:SHOW_FINDINGS]:
            out.append(f"| {label} | {f.severity} | {f.category}/{f.type} | {escape(f.message)} |")
        if len(items) > SHOW_FINDINGS:
            out.append(f"| … | | | {len(items) - SHOW_FINDINGS} more {label} findings in the JSON report |")
        out.append("")
    changes = v.largest_changes(SHOW_ROWS)
    if changes:
        out += [
            f"### Largest {METRIC_LABEL[ROW_METRIC]} changes per reference sentence",
            "",
            "| reference # | reference | baseline | candidate | delta |",
            "|---:|---|---|---|---:|",
        ]
        for r in changes:
            out.append(
                f"| {r.label} | {escape(r.reference)} | {escape(r.baseline)} | {escape(r.candidate)} | {_d(r.m[ROW_METRIC][2])} |"
            )
        out.append("")
    out += ["Signature: `" + " ".join(v.signature.split()).replace("`", "'") + "`", ""]  # not in a table: | stays
    return "\n".join(out)


# --- HTML -------------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;width:100%}
td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}
td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.worse{color:#b00020;font-weight:bold}.better{color:#006b2e;font-weight:bold}
tr.down td.n.delta{background:#fde2e2}tr.up td.n.delta{background:#e2f5e7}
code{font-size:.85em;word-break:break-all}
"""


def render_html(c: Comparison) -> str:
    """A self-contained page (no scripts): metrics, findings and every reference sentence with both renderings."""
    e = html.escape
    v = view(c)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>diag compare: {e(v.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>diag compare</h1><p>{e(v.title)}</p>",
        f"<h2>Document metrics</h2><p>Paired bootstrap over reference sentences, {c.resamples} resamples, "
        f"{CONFIDENCE:.0%} interval of the delta.</p>",
        "<table><tr><th>metric</th><th>baseline</th><th>candidate</th><th>delta</th><th>interval</th><th>p</th><th>outcome</th></tr>",
    ]
    for mr in v.metrics:
        m = mr.metric
        cls = {"worse": "worse", "better": "better"}.get(mr.outcome, "")
        parts.append(
            f"<tr><td>{e(mr.label)}</td><td class=n>{_f(m.baseline)}</td><td class=n>{_f(m.candidate)}</td>"
            f"<td class=n>{_d(m.delta)}</td><td class=n>[{_d(m.ci[0])}, {_d(m.ci[1])}]</td>"
            f"<td class=n>{_p(m.p_value)}</td><td class=\"{cls}\">{e(mr.outcome)}</td></tr>"
        )
    parts.append("</table>")
    parts.append(f"<h2>Findings</h2><p>{len(v.new)} new, {len(v.fixed)} fixed, {v.unchanged} unchanged</p>")
    if v.new or v.fixed:
        parts.append("<table><tr><th></th><th>severity</th><th>type</th><th>message</th></tr>")
        for label, items in (("new", v.new), ("fixed", v.fixed)):
            for f in items:
                parts.append(
                    f"<tr><td class=\"{'worse' if label == 'new' else 'better'}\">{label}</td><td>{e(f.severity)}</td>"
                    f"<td>{e(f.category)}/{e(f.type)}</td><td>{e(f.message)}</td></tr>"
                )
        parts.append("</table>")
    labels = "".join(f"<th>{e(METRIC_LABEL[n])} Δ</th>" for n in METRIC_NAMES)
    parts.append(
        "<h2>Per reference sentence</h2><table><tr><th>#</th><th>reference</th><th>baseline</th><th>candidate</th>"
        f"{labels}</tr>"
    )
    for r in v.rows:
        delta = r.m[ROW_METRIC][2]
        cls = "down" if delta < 0 else "up" if delta > 0 else ""
        cells = "".join(
            f"<td class=\"n{' delta' if n == ROW_METRIC else ''}\">{_d(r.m[n][2])}</td>" for n in METRIC_NAMES
        )
        parts.append(
            f"<tr class=\"{cls}\"><td class=n>{r.label}</td><td>{e(r.reference)}</td><td>{e(r.baseline)}</td>"
            f"<td>{e(r.candidate)}</td>{cells}</tr>"
        )
    parts.append("</table>")
    parts.append(f"<p>Signature: <code>{e(v.signature)}</code></p></body></html>\n")
    return "\n".join(parts)


#: Format name -> render function (the list the CLI reads).
RENDERERS: Mapping[str, Callable[[Comparison], str]] = {
    "terminal": render_terminal,
    "json": render_json,
    "markdown": render_markdown,
    "html": render_html,
}
