"""The Markdown report (GitHub-flavoured), fit for a pull-request comment.

Headline, metrics, the worst findings and the alignment summary. Every piece of input
text is escaped so it renders as text (no tables broken by ``|``, no code spans, links,
HTML or @-mentions from a candidate), and the report stays under ``MAX_CHARS``: long
lists are cut with a note saying how much was left out.
"""

from __future__ import annotations

import re
from collections import defaultdict

from diag.model import SEVERITIES, Diagnosis, Document
from diag.render import group_findings

#: GitHub refuses comments over 65536 characters; stay well below.
MAX_CHARS = 60_000
#: How many finding groups, omitted/added sentences and weakest pairs are listed at first.
SHOW_FINDINGS = 25
SHOW_SENTENCES = 8
SHOW_WEAKEST = 5
CELL_CHARS = 160
CONTEXT_CHARS = 40
METRIC_LABEL = {"bleu": "BLEU", "chrf": "chrF", "chrf++": "chrF++", "ter": "TER"}
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


def _pair_text(doc: Document, indices: tuple[int, ...]) -> str:
    return " ".join(doc.sentences[i].text for i in indices)


def _counts(d: Diagnosis) -> dict[str, int]:
    return {s: sum(1 for f in d.findings if f.severity == s) for s in SEVERITIES}


def _headline(d: Diagnosis) -> list[str]:
    v = d.verdict
    if v.relation is None:
        verdict = "verdict not assessed"
    else:
        verdict = f"**{escape(v.label[:1].upper() + v.label[1:], None)}** (confidence {v.confidence:.0%}"
        if v.machine_probability is not None:
            verdict += f", machine probability {v.machine_probability:.0%}"
        verdict += ")"
    c = _counts(d)
    title = "## diag report" + (f": {escape(d.id, 80)}" if d.id else "")
    lines = [
        title,
        "",
        (
            f"{verdict} · **{c['critical']}** critical, **{c['major']}** major, **{c['minor']}** minor findings · "
            f"MQM penalty **{d.mqm_per_1000:.1f}** per 1000 words"
        ),
        "",
    ]
    for role, doc in (("Reference", d.reference), ("Candidate", d.candidate)):
        extra = f", {len(doc.set_aside)} stretches set aside" if doc.set_aside else ""
        note = f" ({escape(doc.encoding_note, 120)})" if doc.encoding_note else ""
        lines.append(
            f"- {role}: {code(doc.path or '<text>')}: {len(doc.sentences)} sentences, {doc.word_count} words{extra}{note}"
        )
    return lines


def _metrics(d: Diagnosis) -> list[str]:
    lines = [
        "",
        "### Metrics",
        "",
        "| metric | document | pair median | signature |",
        "| --- | ---: | ---: | --- |",
    ]
    matched = [p.scores for p in d.alignment.matched() if p.scores]
    for name, score in d.metrics.items():
        values = sorted(s.as_dict()[name] for s in matched)
        median = f"{values[len(values) // 2]:.1f}" if values else "-"
        lines.append(
            f"| {METRIC_LABEL.get(name, name)} | {score.score:.1f} | {median} | {code(score.signature)} |"
        )
    return lines


def _context(text: str, start: int, end: int) -> str:
    lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    before = ("…" if lo else "") + escape(text[lo:start], None, strip=False).lstrip()
    after = escape(text[end:hi], None, strip=False).rstrip() + ("…" if hi < len(text) else "")
    middle = escape(text[start:end], None) or "∅"
    # <b> rather than ** so that punctuation next to the span cannot defeat the emphasis
    return f"{before}<b>{middle}</b>{after}"


def _findings(d: Diagnosis, show: int) -> list[str]:
    if not d.findings:
        return ["", "### Findings", "", "None."]
    groups = group_findings(d.findings)
    lines = [
        "",
        f"### Worst findings ({min(show, len(groups))} of {len(groups)} kinds, {len(d.findings)} in all)",
        "",
        "| severity | what | places | reference | candidate |",
        "| --- | --- | ---: | --- | --- |",
    ]
    for group in groups[:show]:
        f = group[0]
        what = f"{code(f.category + '/' + f.type)} {escape(f.message)}"
        if f.suggestion:
            what += f" Suggestion: {escape(f.suggestion)}"
        ref = _context(d.reference.text, f.reference.start, f.reference.end) if f.reference else "-"
        cand = (
            _context(d.candidate.text, f.candidate.start, f.candidate.end) if f.candidate else "*(missing)*"
        )
        lines.append(f"| {SEVERITY_MARK[f.severity]} | {what} | {len(group)} | {ref} | {cand} |")
    if len(groups) > show:
        lines += [
            "",
            f"*{len(groups) - show} more kinds of findings are left out; see the JSON or HTML report.*",
        ]
    return lines


def _alignment(d: Diagnosis, show_sentences: int, show_weakest: int) -> list[str]:
    al = d.alignment
    kinds: dict[str, int] = defaultdict(int)
    for p in al.pairs:
        kinds[p.kind] += 1
    shape = ", ".join(f"{k} ×{n}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    lines = [
        "",
        "### Alignment",
        "",
        (
            f"Reference coverage {al.reference_coverage:.0%}, candidate coverage {al.candidate_coverage:.0%} "
            f"({len(al.pairs)} pairs: {shape})."
        ),
    ]
    for label, pairs, doc in (
        ("Omitted from the candidate", al.omitted(), d.reference),
        ("Added in the candidate", al.added(), d.candidate),
    ):
        if not pairs:
            continue
        lines += ["", f"**{label}: {len(pairs)} sentences**", ""]
        for p in pairs[:show_sentences]:
            idx = p.reference or p.candidate
            lines.append(f"- {idx[0]}: {escape(_pair_text(doc, idx))}")
        if len(pairs) > show_sentences:
            lines.append(f"- *and {len(pairs) - show_sentences} more*")
    weakest = sorted(
        ((k, p) for k, p in enumerate(al.pairs) if p.reference and p.candidate and p.scores),
        key=lambda kp: (kp[1].scores.chrf if kp[1].scores else 0.0, kp[0]),
    )[:show_weakest]
    if weakest:
        lines += [
            "",
            "**Weakest aligned pairs (by chrF)**",
            "",
            "| pair | chrF | reference | candidate |",
            "| ---: | ---: | --- | --- |",
        ]
        for k, p in weakest:
            chrf = f"{p.scores.chrf:.1f}" if p.scores else "-"
            lines.append(
                f"| {k} | {chrf} | {escape(_pair_text(d.reference, p.reference))} | "
                f"{escape(_pair_text(d.candidate, p.candidate))} |"
            )
    return lines


def _verdict(d: Diagnosis) -> list[str]:
    v = d.verdict
    if v.relation is None or not (v.evidence or v.probabilities):
        return []
    probs = ", ".join(f"{escape(k, 40)} {p:.0%}" for k, p in v.probabilities.items())
    lines = ["", "### Verdict", "", f"{escape(v.label, None)}" + (f" ({probs})" if probs else "")]
    lines += [f"- {escape(e, 300)}" for e in v.evidence[:10]]
    return lines


def _build(d: Diagnosis, show_findings: int, show_sentences: int, show_weakest: int) -> str:
    lines = (
        _headline(d) + _metrics(d) + _findings(d, show_findings) + _alignment(d, show_sentences, show_weakest)
    )
    lines += _verdict(d)
    lines += ["", f"<sub>diag signature: {code(d.signature)}</sub>", ""]
    return "\n".join(lines)


def render(d: Diagnosis) -> str:
    """The report as GitHub-flavoured Markdown, at most ``MAX_CHARS`` characters."""
    from diag.render import printable_diagnosis

    d = printable_diagnosis(d)  # control characters of the inputs made visible
    shown = (SHOW_FINDINGS, SHOW_SENTENCES, SHOW_WEAKEST)
    text = _build(d, *shown)
    while len(text) > MAX_CHARS and any(shown):
        shown = (shown[0] // 2, shown[1] // 2, shown[2] // 2)
        text = _build(d, *shown)
    if len(text) > MAX_CHARS:  # only a pathological headline or metrics table gets here
        note = "\n\n*Report cut at the size limit of a pull-request comment; see the JSON report.*\n"
        text = text[: MAX_CHARS - len(note)] + note
    return text
