"""The HTML report: one standalone file, nothing fetched, input text always inert.

The two texts side by side, one row per aligned pair (omitted and added sentences
marked), word-level differences highlighted (``diag.diff.word_diff``), each finding's
span marked in the texts with id ``f-N`` and linked from the findings table, and a
filter by severity.

Safety: every piece of input text goes through ``html.escape(quote=True)``; no event
handler or URL is ever built from text; the only script is a fixed one. A
Content-Security-Policy allows nothing but that script and the style sheet, by their
hashes, so even a missed escape could not run code or fetch anything.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from collections import defaultdict
from dataclasses import dataclass
from html import escape

from diag.diff import word_diff
from diag.model import SEVERITIES, Diagnosis, Document, Finding

METRIC_LABEL = {"bleu": "BLEU", "chrf": "chrF", "chrf++": "chrF++", "ter": "TER"}

STYLE = """
:root { --crit: #b00020; --major: #d35400; --minor: #b7950b; --del: #fbd3d3; --ins: #cdeccd; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d1d1f;
  background: #fafafa; }
header, section { max-width: 1400px; margin: 0 auto; padding: 12px 24px; }
header { background: #fff; border-bottom: 1px solid #ddd; max-width: none; }
h1 { font-size: 1.4em; margin: 4px 0 8px; }
h2 { font-size: 1.15em; margin: 18px 0 8px; }
.muted { color: #666; }
.counts span { display: inline-block; padding: 1px 8px; border-radius: 10px; margin-right: 6px; color: #fff;
  font-weight: 600; }
.counts .critical { background: var(--crit); } .counts .major { background: var(--major); }
.counts .minor { background: var(--minor); }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid #e0e0e0; padding: 6px 8px; vertical-align: top; text-align: left; }
th { background: #f0f0f0; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.metrics { width: auto; } code { font-size: 0.85em; word-break: break-all; }
.texts td.ref, .texts td.cand { width: 46%; white-space: pre-wrap; overflow-wrap: anywhere; }
.texts tr.omitted td.ref { background: #fff0f0; } .texts tr.added td.cand { background: #f0fff0; }
.texts tr.omitted td.cand, .texts tr.added td.ref { color: #999; font-style: italic; }
.kind { font-size: 0.8em; color: #666; display: block; }
del { background: var(--del); text-decoration: line-through; text-decoration-color: #c0392b; }
ins { background: var(--ins); text-decoration: none; }
mark { background: none; border-bottom: 3px solid; padding: 0 1px; border-radius: 2px; }
mark.sev-critical { border-color: var(--crit); background: #ffe3e8; }
mark.sev-major { border-color: var(--major); background: #fff0e0; }
mark.sev-minor { border-color: var(--minor); background: #fffbe0; }
body.hide-critical mark.sev-critical, body.hide-major mark.sev-major, body.hide-minor mark.sev-minor {
  background: none; border-color: transparent; }
body.hide-critical tr.sev-critical, body.hide-major tr.sev-major, body.hide-minor tr.sev-minor { display: none; }
td.sev { font-weight: 600; white-space: nowrap; }
tr.sev-critical td.sev { color: var(--crit); } tr.sev-major td.sev { color: var(--major); }
tr.sev-minor td.sev { color: var(--minor); }
mark.flash, mark:target { outline: 3px solid #2962ff; animation: flash 1.2s ease-out 2; }
@keyframes flash { 0% { background: #90caf9; } 100% { } }
.filter { background: #fff; border: 1px solid #ddd; padding: 6px 10px; display: inline-block; border-radius: 4px; }
.filter label { margin-right: 14px; cursor: pointer; }
a.goto { white-space: nowrap; }
footer { max-width: 1400px; margin: 0 auto; padding: 12px 24px 40px; font-size: 0.85em; color: #666; }
""".strip()

SCRIPT = """
(function () {
  "use strict";
  var body = document.body;
  document.querySelectorAll("input[data-severity]").forEach(function (box) {
    box.addEventListener("change", function () {
      body.classList.toggle("hide-" + box.getAttribute("data-severity"), !box.checked);
    });
  });
  document.querySelectorAll("a.goto").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var id = link.getAttribute("data-finding");
      var marks = document.querySelectorAll('mark[data-finding="' + id + '"]');
      if (!marks.length) { return; }
      event.preventDefault();
      marks[0].scrollIntoView({ behavior: "smooth", block: "center" });
      marks.forEach(function (m) {
        m.classList.remove("flash");
        void m.offsetWidth;
        m.classList.add("flash");
        setTimeout(function () { m.classList.remove("flash"); }, 2500);
      });
    });
  });
})();
""".strip()


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


#: Nothing may load or run but the inline style sheet and script above.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src {_csp_hash(STYLE)}; script-src {_csp_hash(SCRIPT)}; "
    "img-src 'none'; base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True, slots=True)
class _Piece:
    """Where one finding falls inside one rendered segment (segment-local offsets)."""

    start: int
    end: int
    number: int
    severity: str
    anchor: str | None  # the id of the mark, on the first piece only


def _segment(doc: Document, indices: tuple[int, ...]) -> tuple[str, list[tuple[int, int, int]]]:
    """The pair's text on one side (sentences joined by a space) and its (seg_start, doc_start, len) map."""
    parts: list[str] = []
    spans: list[tuple[int, int, int]] = []
    pos = 0
    for k, i in enumerate(indices):
        s = doc.sentences[i]
        if k:
            parts.append(" ")
            pos += 1
        spans.append((pos, s.start, len(s.text)))
        parts.append(s.text)
        pos += len(s.text)
    return "".join(parts), spans


def _render_segment(text: str, diff: list[tuple[int, int, str]], pieces: list[_Piece]) -> str:
    """Escaped ``text`` with diff runs as <del>/<ins> and finding pieces as <mark>.

    Tags never overlap: the text is cut at every boundary and each cut carries its own tags.
    """
    cuts = {0, len(text)}
    for s, e, _ in diff:
        cuts.update((s, e))
    for p in pieces:
        cuts.update((p.start, p.end))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    out: list[str] = []
    anchored: set[str] = set()
    for a, b in itertools.pairwise(bounds):
        if a == b:
            continue
        chunk = escape(text[a:b], quote=True)
        tag = next((t for s, e, t in diff if s <= a and b <= e), None)
        if tag:
            chunk = f"<{tag}>{chunk}</{tag}>"
        for p in pieces:
            if p.start <= a and b <= p.end:
                attrs = f'class="sev-{p.severity}" data-finding="{p.number}"'
                if p.anchor and p.anchor not in anchored:
                    attrs = f'id="{p.anchor}" ' + attrs
                    anchored.add(p.anchor)
                chunk = f"<mark {attrs}>{chunk}</mark>"
        out.append(chunk)
    # a zero-length finding (something missing at a point) gets an empty, visible mark
    for p in pieces:
        if p.start == p.end and p.anchor and p.anchor not in anchored:
            anchored.add(p.anchor)
            out.append(f'<mark id="{p.anchor}" class="sev-{p.severity}" data-finding="{p.number}">∅</mark>')
    return "".join(out)


def _pieces_for(
    findings: tuple[Finding, ...], side: str, spans: list[tuple[int, int, int]], anchors: dict[int, str]
) -> list[_Piece]:
    out: list[_Piece] = []
    for n, f in enumerate(findings, start=1):
        loc = f.candidate if side == "candidate" else f.reference
        if loc is None:
            continue
        for seg_start, doc_start, length in spans:
            lo, hi = max(loc.start, doc_start), min(loc.end, doc_start + length)
            if lo < hi or (loc.start == loc.end and doc_start <= loc.start <= doc_start + length):
                anchor = anchors.get(n) if (side, n) == _anchor_side(f, n) else None
                out.append(
                    _Piece(seg_start + lo - doc_start, seg_start + hi - doc_start, n, f.severity, anchor)
                )
    return out


def _anchor_side(f: Finding, n: int) -> tuple[str, int]:
    """Findings are anchored (``f-N``) in the candidate, or in the reference when missing there."""
    return ("candidate" if f.candidate is not None else "reference", n)


def _texts(d: Diagnosis) -> tuple[str, set[int]]:
    """The side-by-side table, and the numbers of the findings that got a mark in it."""
    anchors = {n: f"f-{n}" for n in range(1, len(d.findings) + 1)}
    rows: list[str] = []
    placed: set[int] = set()
    for k, p in enumerate(d.alignment.pairs):
        ref_text, ref_spans = _segment(d.reference, p.reference)
        cand_text, cand_spans = _segment(d.candidate, p.candidate)
        ref_diff: list[tuple[int, int, str]] = []
        cand_diff: list[tuple[int, int, str]] = []
        if p.reference and p.candidate:
            for op in word_diff(ref_text, cand_text):
                if op.tag in ("replace", "delete") and op.a_end > op.a_start:
                    ref_diff.append((op.a_start, op.a_end, "del"))
                if op.tag in ("replace", "insert") and op.b_end > op.b_start:
                    cand_diff.append((op.b_start, op.b_end, "ins"))
        ref_pieces = _pieces_for(d.findings, "reference", ref_spans, anchors)
        cand_pieces = _pieces_for(d.findings, "candidate", cand_spans, anchors)
        placed.update(pc.number for pc in ref_pieces + cand_pieces if pc.anchor)
        if not p.candidate:
            cls, label = "omitted", "omitted"
            cand_html = "(not in the candidate)"
        else:
            cand_html = _render_segment(cand_text, cand_diff, cand_pieces)
        if not p.reference:
            cls, label = "added", "added"
            ref_html = "(not in the reference)"
        else:
            ref_html = _render_segment(ref_text, ref_diff, ref_pieces)
        if p.reference and p.candidate:
            cls, label = "matched", p.kind
        chrf = f"{p.scores.chrf:.1f}" if p.scores and p.reference and p.candidate else ""
        rows.append(
            f'<tr id="pair-{k}" class="{cls}"><td class="num">{k}<span class="kind">{escape(label)}</span></td>'
            f'<td class="ref">{ref_html}</td><td class="cand">{cand_html}</td><td class="num">{chrf}</td></tr>'
        )
    table = (
        '<table class="texts"><thead><tr><th class="num">pair</th><th>reference</th><th>candidate</th>'
        '<th class="num">chrF</th></tr></thead><tbody>\n' + "\n".join(rows) + "\n</tbody></table>"
    )
    return table, placed


def _findings(d: Diagnosis, placed: set[int]) -> str:
    if not d.findings:
        return "<p>No findings.</p>"
    order = {s: k for k, s in enumerate(SEVERITIES)}
    numbered = sorted(enumerate(d.findings, start=1), key=lambda nf: (order[nf[1].severity], nf[0]))
    rows = []
    for n, f in numbered:
        ref = escape(f.reference.text) if f.reference else "-"
        cand = escape(f.candidate.text) if f.candidate else "<em>(missing)</em>"
        what = escape(f.message)
        if f.suggestion:
            what += f'<br><span class="muted">suggestion: {escape(f.suggestion)}</span>'
        where = (
            f'<a class="goto" href="#f-{n}" data-finding="{n}">show</a>'
            if n in placed
            else '<span class="muted">not in the compared text</span>'
        )
        rows.append(
            f'<tr class="sev-{f.severity}" id="finding-{n}"><td class="num">{n}</td><td class="sev">{f.severity}</td>'
            f"<td><code>{escape(f.category)}/{escape(f.type)}</code></td><td>{what}</td><td>{ref}</td>"
            f"<td>{cand}</td><td>{where}</td></tr>"
        )
    counts = {s: sum(1 for f in d.findings if f.severity == s) for s in SEVERITIES}
    boxes = "".join(
        f'<label><input type="checkbox" checked data-severity="{s}"> {s} ({counts[s]})</label>'
        for s in SEVERITIES
    )
    return (
        f'<div class="filter">Show: {boxes}</div>\n'
        '<table class="findings"><thead><tr><th class="num">#</th><th>severity</th><th>kind</th><th>what</th>'
        "<th>reference</th><th>candidate</th><th>where</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>"
    )


def _metrics(d: Diagnosis) -> str:
    rows = "".join(
        f'<tr><td>{escape(METRIC_LABEL.get(name, name))}</td><td class="num">{s.score:.1f}</td>'
        f"<td><code>{escape(s.signature)}</code></td></tr>"
        for name, s in d.metrics.items()
    )
    return (
        '<table class="metrics"><thead><tr><th>metric</th><th class="num">document</th><th>signature</th></tr>'
        f"</thead><tbody>{rows}</tbody></table>"
    )


def _headline(d: Diagnosis) -> str:
    v = d.verdict
    if v.relation is None:
        verdict = "Verdict not assessed"
    else:
        verdict = (
            escape(v.label[:1].upper() + v.label[1:]) + f' <span class="muted">(confidence {v.confidence:.0%}'
        )
        if v.machine_probability is not None:
            verdict += f", machine probability {v.machine_probability:.0%}"
        verdict += ")</span>"
    counts = {s: sum(1 for f in d.findings if f.severity == s) for s in SEVERITIES}
    badges = "".join(f'<span class="{s}">{counts[s]} {s}</span>' for s in SEVERITIES)
    docs = "".join(
        f"<div>{role}: <code>{escape(doc.path or '<text>')}</code> "
        f'<span class="muted">{len(doc.sentences)} sentences, {doc.word_count} words'
        + (f", {len(doc.set_aside)} stretches set aside" if doc.set_aside else "")
        + (f" ({escape(doc.encoding_note)})" if doc.encoding_note else "")
        + "</span></div>"
        for role, doc in (("reference", d.reference), ("candidate", d.candidate))
    )
    al = d.alignment
    kinds: dict[str, int] = defaultdict(int)
    for p in al.pairs:
        kinds[p.kind] += 1
    shape = ", ".join(f"{k} ×{n}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    title = "diag report" + (f": {escape(d.id)}" if d.id else "")
    return (
        f"<h1>{title}</h1><div><strong>{verdict}</strong></div>"
        f'<div class="counts">{badges} <span class="muted">MQM penalty {d.mqm_per_1000:.1f} per 1000 words'
        f"</span></div>{docs}"
        f'<div class="muted">alignment: reference coverage {al.reference_coverage:.0%}, candidate coverage '
        f"{al.candidate_coverage:.0%} ({escape(shape)})</div>"
    )


def render(d: Diagnosis) -> str:
    """The report as one standalone HTML document."""
    texts, placed = _texts(d)
    title = escape(f"diag: {d.candidate.path or 'candidate'} against {d.reference.path or 'reference'}")
    evidence = ""
    if d.verdict.relation is not None and d.verdict.evidence:
        evidence = (
            "<h2>Verdict evidence</h2><ul>"
            + "".join(f"<li>{escape(e)}</li>" for e in d.verdict.evidence)
            + "</ul>"
        )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(CONTENT_SECURITY_POLICY)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header>{_headline(d)}</header>\n"
        f"<section><h2>Metrics</h2>{_metrics(d)}</section>\n"
        f'<section><h2 id="findings">Findings ({len(d.findings)})</h2>\n{_findings(d, placed)}</section>\n'
        f"<section>{evidence}</section>\n"
        f'<section><h2 id="texts">The texts, pair by pair</h2>\n'
        '<p class="muted"><del>struck</del> words of the reference were changed or dropped; '
        "<ins>green</ins> words of the candidate are new; underlined spans are findings.</p>\n"
        f"{texts}</section>\n"
        f"<footer>diag signature: <code>{escape(d.signature)}</code></footer>\n"
        f"<script>{SCRIPT}</script>\n</body></html>\n"
    )
