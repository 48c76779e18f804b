"""The Markdown report (GitHub-flavoured), fit for a pull-request comment.

Laid out from the ``ReportView``: the verdict and its evidence, the findings grouped (most
severe first), the metrics, the alignment summary and the stretches set aside. Every piece of input
text is escaped so it renders as text (no tables broken by ``|``, no code spans, links,
HTML or @-mentions from a candidate), and the report stays under ``MAX_CHARS``: long
lists are cut with a note saying how much was left out.
"""

from __future__ import annotations

import re
from diag.model import Diagnosis
from diag.render.view import Context, ReportView, plural, stretches

#: GitHub refuses comments over 65536 characters; stay well below.
MAX_CHARS = 60_000
#: How many finding groups, omitted/added sentences and weakest pairs are listed at first.
SHOW_FINDINGS = 25
SHOW_SENTENCES = 8
SHOW_WEAKEST = 5
CELL_CHARS = 160
SEVERITY_MARK = {"critical": "🔴 critical", "major": "🟠 major", "minor": "🟡 minor"}

# ASCII punctuation that Markdown or GFM tables could read as syntax.
_SPECIAL = re.compile(r"([\\`*_\[\]{}<>|~#!])")


def escape(text: str, limit: int | None = CELL_CHARS, *, strip: bool = True) -> str:
    """Input text as inert one-line Markdown (safe in a table cell), clipped to ``limit``."""
    text = re.sub(r"\s+", " ", text)
    if strip:
        text = text.strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    text = _SPECIAL.sub(r"\\\1", text).replace("&", "&amp;")
    # a zero-width space after @ keeps "@name" in a candidate from pinging a GitHub user
    return text.replace("@", "@\u200b")


def code(text: str) -> str:
    """A code span for trusted text (signatures, paths); pipes escaped for tables."""
    text = " ".join(text.split()).replace("`", "'")
    return f"`{text.replace('|', chr(92) + '|')}`"


def _context(c: Context) -> str:
    # <b> rather than ** so that punctuation next to the span cannot defeat the emphasis
    before = escape(c.before, None, strip=False).lstrip()
    after = escape(c.after, None, strip=False).rstrip()
    return f"{before}<b>{escape(c.span, None)}</b>{after}"


def signature_line(signature: str) -> str:
    """The signature in small print, outside a table (where a pipe needs no escape: GitHub would show the backslashes)."""
    return "<sub>diag signature: `" + " ".join(signature.split()).replace("`", "'") + "`</sub>"


def _headline(v: ReportView) -> list[str]:
    verdict = "verdict not assessed"
    if v.assessed:
        verdict = f"**{escape(v.verdict, None)}**" + v.verdict_line[len(v.verdict) :]
    c = v.counts
    title = "## diag report" + (f": {escape(v.id, 80)}" if v.id else "")
    lines = [
        title,
        "",
        (
            f"{verdict} · **{c['critical']}** critical, **{c['major']}** major, **{c['minor']}** minor findings · "
            f"MQM penalty **{v.mqm_per_1000:.1f}** per 1000 words"
        ),
        "",
    ]
    for doc in v.documents:
        extra = f", {stretches(doc.set_aside)} set aside" if doc.set_aside else ""
        note = f" ({escape(doc.encoding_note, 120)})" if doc.encoding_note else ""
        lines.append(
            f"- {doc.role.capitalize()}: {code(doc.path)}: {doc.sentences} sentences, {doc.words} words{extra}{note}"
        )
    lines += [f"- Note: {escape(note, 300)}" for note in v.notes]
    return lines


def _evidence(v: ReportView) -> list[str]:
    if not v.assessed or not (v.evidence or v.probabilities):
        return []
    probs = ", ".join(f"{escape(k, 40)} {p:.0%}" for k, p in v.probabilities)
    lines = ["", "### Why", "", f"{escape(v.verdict, None)}" + (f" ({probs})" if probs else "")]
    lines += [f"- {escape(e, 300)}" for e in v.evidence[:10]]
    return lines


def findings_section(v: ReportView, show: int, heading: str = "###") -> list[str]:
    """The findings table (most severe kinds first, at most ``show``) under a ``heading``-level title;
    also the worst findings of ``diag check --summary``."""
    if not v.groups:
        return ["", f"{heading} Findings", "", "None."]
    groups = v.groups
    lines = [
        "",
        f"{heading} Findings ({min(show, len(groups))} of {len(groups)} kinds, {v.total_findings} in all, most severe first)",
        "",
        "| severity | what | places | reference | candidate |",
        "| --- | --- | ---: | --- | --- |",
    ]
    for g in groups[:show]:
        what = f"{code(g.rule)} {escape(g.message)}"
        if g.suggestion:
            what += f" Suggestion: {escape(g.suggestion)}"
        ref = _context(v.context("reference", g.reference)) if g.reference else "-"
        cand = _context(v.context("candidate", g.candidate)) if g.candidate else "*(missing)*"
        lines.append(f"| {SEVERITY_MARK[g.severity]} | {what} | {g.count} | {ref} | {cand} |")
    if len(groups) > show:
        lines += [
            "",
            f"*{len(groups) - show} more kinds of findings are left out; see the JSON or HTML report.*",
        ]
    return lines


def _metrics(v: ReportView) -> list[str]:
    lines = [
        "",
        "### Metrics",
        "",
        "| metric | document | pair median | signature |",
        "| --- | ---: | ---: | --- |",
    ]
    for m in v.metrics:
        median = "-" if m.pair_median is None else f"{m.pair_median:.1f}"
        lines.append(f"| {m.label} | {m.display} | {median} | {code(m.signature)} |")
    return lines


def _alignment(v: ReportView, show_sentences: int, show_weakest: int) -> list[str]:
    lines = ["", "### Alignment", "", f"{v.alignment_line[:1].upper()}{v.alignment_line[1:]}."]
    for label, pairs, side in (
        ("Omitted from the candidate", v.omitted, "reference"),
        ("Added in the candidate", v.added, "candidate"),
    ):
        if not pairs:
            continue
        lines += ["", f"**{label}: {plural(len(pairs), 'sentence')}**", ""]
        for p in pairs[:show_sentences]:
            text = p.reference_text if side == "reference" else p.candidate_text
            lines.append(f"- {(p.reference or p.candidate)[0]}: {escape(text)}")
        if len(pairs) > show_sentences:
            lines.append(f"- *and {len(pairs) - show_sentences} more*")
    if v.weakest and show_weakest:
        lines += [
            "",
            "**Weakest aligned pairs (by chrF)**",
            "",
            "| pair | chrF | reference | candidate |",
            "| ---: | ---: | --- | --- |",
        ]
        for p in v.weakest[:show_weakest]:
            chrf = "-" if p.chrf is None else f"{p.chrf:.1f}"
            lines.append(f"| {p.index} | {chrf} | {escape(p.reference_text)} | {escape(p.candidate_text)} |")
    return lines


def _set_aside(v: ReportView, show: int) -> list[str]:
    if not v.set_aside or not show:
        return []
    lines = ["", f"**Set aside as page furniture: {len(v.set_aside)}**", ""]
    lines += [f"- {s.role} [{s.start}:{s.end}] {escape(s.reason, 80)}: {escape(s.text, 120)}" for s in v.set_aside[:show]]
    if len(v.set_aside) > show:
        lines.append(f"- *and {len(v.set_aside) - show} more*")
    return lines


def _build(v: ReportView, show_findings: int, show_sentences: int, show_weakest: int) -> str:
    lines = _headline(v) + _evidence(v) + findings_section(v, show_findings) + _metrics(v)
    lines += _alignment(v, show_sentences, show_weakest) + _set_aside(v, show_sentences)
    lines += ["", signature_line(v.signature), ""]
    return "\n".join(lines)


def render(d: Diagnosis) -> str:
    """The report as GitHub-flavoured Markdown, at most ``MAX_CHARS`` characters."""
    v = ReportView.build(d)  # control characters of the inputs made visible
    shown = (SHOW_FINDINGS, SHOW_SENTENCES, SHOW_WEAKEST)
    text = _build(v, *shown)
    while len(text) > MAX_CHARS and any(shown):
        shown = (shown[0] // 2, shown[1] // 2, shown[2] // 2)
        text = _build(v, *shown)
    if len(text) > MAX_CHARS:  # only a pathological headline or metrics table gets here
        note = "\n\n*Report cut at the size limit of a pull-request comment; see the JSON report.*\n"
        text = text[: MAX_CHARS - len(note)] + note
    return text
