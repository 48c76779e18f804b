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
from dataclasses import dataclass
from html import escape

from diag.diff import word_diff
from diag.model import SEVERITIES, Diagnosis, Finding
from diag.render import printable
from diag.render.view import Context, FindingGroup, Place, ReportView, plural, segment, stretches

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
body.hide-critical details.sev-critical, body.hide-major details.sev-major, body.hide-minor details.sev-minor {
  display: none; }
details.group { background: #fff; border: 1px solid #e0e0e0; border-left: 4px solid; margin: 4px 0;
  padding: 4px 8px; }
details.sev-critical { border-left-color: var(--crit); } details.sev-major { border-left-color: var(--major); }
details.sev-minor { border-left-color: var(--minor); }
details.group summary { cursor: pointer; }
.sev { font-weight: 600; text-transform: uppercase; font-size: 0.8em; }
.sev-critical .sev { color: var(--crit); } .sev-major .sev { color: var(--major); } .sev-minor .sev { color: var(--minor); }
.count { font-weight: 600; }
table.places { margin: 6px 0; } table.places b { background: #fff3c4; }
.verdict { font-size: 1.15em; margin: 4px 0; }
details.evidence summary { cursor: pointer; color: #444; }
svg.strip { width: 100%; height: 90px; background: #fff; border: 1px solid #ddd; display: block; }
svg.strip rect.gap { fill: #bbb; }
td.furniture { color: #666; }
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


def _texts(v: ReportView) -> tuple[str, set[int]]:
    """The side-by-side table, and the numbers of the findings that got a mark in it."""
    d = v.safe
    anchors = {n: f"f-{n}" for n in range(1, len(d.findings) + 1)}
    rows: list[str] = []
    placed: set[int] = set()
    with_risk = any(p.accuracy_risk is not None for p in v.pairs)
    for p in v.pairs:
        ref_text, ref_spans = segment(d.reference, p.reference)
        cand_text, cand_spans = segment(d.candidate, p.candidate)
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
        chrf = "" if p.chrf is None else f"{p.chrf:.1f}"
        risk = "" if p.accuracy_risk is None else f"{p.accuracy_risk:.2f}"
        rows.append(
            f'<tr id="pair-{p.index}" class="{cls}"><td class="num">{p.index}<span class="kind">{escape(label)}</span></td>'
            f'<td class="ref">{ref_html}</td><td class="cand">{cand_html}</td><td class="num">{chrf}</td>'
            + (f'<td class="num">{risk}</td>' if with_risk else "")
            + "</tr>"
        )
    table = (
        '<table class="texts"><thead><tr><th class="num">pair</th><th>reference</th><th>candidate</th>'
        '<th class="num">chrF</th>'
        + ('<th class="num">accuracy risk</th>' if with_risk else "")
        + "</tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>"
    )
    return table, placed


def _place(v: ReportView, place: Place, placed: set[int]) -> str:
    f = place.finding
    ref = _context(v.context("reference", f.reference)) if f.reference else "-"
    cand = _context(v.context("candidate", f.candidate)) if f.candidate else "<em>(missing)</em>"
    where = (
        f'<a class="goto" href="#f-{place.number}" data-finding="{place.number}">show</a>'
        if place.number in placed
        else '<span class="muted">not in the compared text</span>'
    )
    return f"<tr><td class=\"num\">{place.number}</td><td>{ref}</td><td>{cand}</td><td>{where}</td></tr>"


def _context(c: Context) -> str:
    return f"{escape(c.before)}<b>{escape(c.span)}</b>{escape(c.after)}"


def _group(v: ReportView, g: FindingGroup, placed: set[int]) -> str:
    what = escape(g.message)
    if g.suggestion:
        what += f' <span class="muted">suggestion: {escape(g.suggestion)}</span>'
    places = "".join(_place(v, p, placed) for p in g.places)
    count = f'<span class="count">×{g.count}</span>' if g.count > 1 else ""
    return (
        f'<details class="group sev-{g.severity}"><summary><span class="sev">{g.severity}</span> '
        f"<code>{escape(g.rule)}</code> {count} {what}</summary>"
        '<table class="places"><thead><tr><th class="num">#</th><th>reference</th><th>candidate</th><th>where</th>'
        f"</tr></thead><tbody>{places}</tbody></table></details>"
    )


def _findings(v: ReportView, placed: set[int]) -> str:
    if not v.groups:
        return "<p>No findings.</p>"
    boxes = "".join(
        f'<label><input type="checkbox" checked data-severity="{s}"> {s} ({v.counts[s]})</label>' for s in SEVERITIES
    )
    sections = []
    for title, groups in (("Critical and major", v.serious), ("Minor", v.minor)):
        if groups:
            places = sum(g.count for g in groups)
            sections.append(
                f"<h3>{title}: {plural(len(groups), 'kind')}, {plural(places, 'place')}</h3>\n"
                + "\n".join(_group(v, g, placed) for g in groups)
            )
    return f'<div class="filter">Show: {boxes}</div>\n<div class="findings">' + "\n".join(sections) + "</div>"


def _metrics(v: ReportView) -> str:
    rows = "".join(
        f'<tr><td>{escape(m.label)}</td><td class="num">{escape(m.display)}</td>'
        f'<td class="num">{"-" if m.pair_median is None else f"{m.pair_median:.1f}"}</td>'
        f"<td><code>{escape(m.signature)}</code></td></tr>"
        for m in v.metrics
    )
    return (
        '<table class="metrics"><thead><tr><th>metric</th><th class="num">document</th>'
        '<th class="num">pair median</th><th>signature</th></tr>'
        f"</thead><tbody>{rows}</tbody></table>"
    )


#: The strip's geometry (SVG user units): one bar per pair, chrF up to BAR_HEIGHT.
STRIP_WIDTH = 1000
BAR_HEIGHT = 60
RISK_HEIGHT = 16


def _chrf_colour(chrf: float) -> str:
    return "#2e7d32" if chrf >= 70 else "#f9a825" if chrf >= 45 else "#c62828"


def strip(v: ReportView) -> str:
    """An inline SVG strip: one bar per pair along the document, its height the pair's chrF; omitted
    and added sentences as grey ticks; accuracy risk (when assessed) as a band below. Each bar links
    to its row of the texts table; nothing is fetched."""
    n = len(v.pairs)
    if not n:
        return ""
    w = STRIP_WIDTH / n
    has_risk = any(p.accuracy_risk is not None for p in v.pairs)
    height = BAR_HEIGHT + (RISK_HEIGHT + 4 if has_risk else 0)
    shapes = []
    for k, p in enumerate(v.pairs):
        x = k * w
        if p.chrf is None:
            label = "omitted from the candidate" if not p.candidate else "added in the candidate"
            bar = f'<rect class="gap" x="{x:.2f}" y="0" width="{max(w - 0.5, 0.5):.2f}" height="{BAR_HEIGHT}"/>'
        else:
            h = max(1.0, BAR_HEIGHT * p.chrf / 100)
            label = f"chrF {p.chrf:.1f}"
            bar = (
                f'<rect x="{x:.2f}" y="{BAR_HEIGHT - h:.2f}" width="{max(w - 0.5, 0.5):.2f}" height="{h:.2f}" '
                f'fill="{_chrf_colour(p.chrf)}"/>'
            )
        risk = ""
        if p.accuracy_risk is not None:
            label += f", accuracy risk {p.accuracy_risk:.2f}"
            risk = (
                f'<rect x="{x:.2f}" y="{BAR_HEIGHT + 4}" width="{max(w - 0.5, 0.5):.2f}" height="{RISK_HEIGHT}" '
                f'fill="#6a1b9a" fill-opacity="{p.accuracy_risk:.2f}"/>'
            )
        shapes.append(f'<a href="#pair-{p.index}"><title>pair {p.index}: {escape(label)}</title>{bar}{risk}</a>')
    legend = "bar height: chrF of each pair, in document order; grey: omitted or added"
    if has_risk:
        legend += "; purple band: accuracy risk"
    return (
        f'<svg class="strip" role="img" aria-label="{escape(legend)}" viewBox="0 0 {STRIP_WIDTH} {height}" '
        f'preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg">'
        + "".join(shapes)
        + f'</svg><p class="muted">{escape(legend)}</p>'
    )


def _set_aside(v: ReportView) -> str:
    if not v.set_aside:
        return ""
    rows = "".join(
        f"<tr><td>{s.role}</td><td class=\"num\">{s.start}-{s.end}</td><td>{escape(s.reason)}</td>"
        f'<td class="furniture">{escape(s.text)}</td></tr>'
        for s in v.set_aside
    )
    return (
        f'<section><h2 id="set-aside">Set aside as page furniture ({len(v.set_aside)})</h2>'
        '<table class="set-aside"><thead><tr><th>text</th><th class="num">characters</th><th>why</th>'
        f"<th>stretch</th></tr></thead><tbody>{rows}</tbody></table></section>\n"
    )


def _headline(v: ReportView) -> str:
    verdict = escape(v.verdict_line) if v.assessed else "Verdict not assessed"
    badges = "".join(f'<span class="{s}">{v.counts[s]} {s}</span>' for s in SEVERITIES)
    docs = "".join(
        f"<div>{doc.role}: <code>{escape(doc.path)}</code> "
        f'<span class="muted">{doc.sentences} sentences, {doc.words} words'
        + (f", {stretches(doc.set_aside)} set aside" if doc.set_aside else "")
        + (f" ({escape(doc.encoding_note)})" if doc.encoding_note else "")
        + "</span></div>"
        for doc in v.documents
    ) + "".join(f'<div class="muted">note: {escape(note)}</div>' for note in v.notes)
    evidence = ""
    if v.assessed and v.evidence:
        probs = ", ".join(f"{escape(k)} {p:.0%}" for k, p in v.probabilities)
        evidence = (
            f'<details class="evidence" open><summary>Why ({probs})</summary><ul>'
            + "".join(f"<li>{escape(e)}</li>" for e in v.evidence)
            + "</ul></details>"
        )
    title = "diag report" + (f": {escape(v.id)}" if v.id else "")
    return (
        f'<h1>{title}</h1><div class="verdict"><strong>{verdict}</strong></div>'
        f'<div class="counts">{badges} <span class="muted">MQM penalty {v.mqm_per_1000:.1f} per 1000 words'
        f"</span></div>{evidence}{docs}"
        f'<div class="muted">alignment: {escape(v.alignment_line)}</div>'
    )


def body(d: Diagnosis) -> str:
    """The report's content without the page around it (also ``Diagnosis._repr_html_``)."""
    v = ReportView.build(d)
    texts, placed = _texts(v)
    return (
        f"<header>{_headline(v)}</header>\n"
        f'<section><h2 id="findings">Findings ({v.total_findings})</h2>\n{_findings(v, placed)}</section>\n'
        f'<section><h2 id="strip">Along the document</h2>{strip(v)}</section>\n'
        f"<section><h2>Metrics</h2>{_metrics(v)}</section>\n"
        f"{_set_aside(v)}"
        f'<section><h2 id="texts">The texts, pair by pair</h2>\n'
        '<p class="muted"><del>struck</del> words of the reference were changed or dropped; '
        "<ins>green</ins> words of the candidate are new; underlined spans are findings.</p>\n"
        f"{texts}</section>\n"
        f"<footer>diag signature: <code>{escape(v.signature)}</code></footer>\n"
    )


def render(d: Diagnosis) -> str:
    """The report as one standalone HTML document."""
    title = escape(f"diag: {printable(d.candidate.path or 'candidate')} against {printable(d.reference.path or 'reference')}")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(CONTENT_SECURITY_POLICY)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{body(d)}"
        f"<script>{SCRIPT}</script>\n</body></html>\n"
    )
