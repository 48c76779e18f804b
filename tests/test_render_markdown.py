"""The Markdown report: a golden file, escaping of untrusted text, the size limit."""

from __future__ import annotations

import re

from conftest import make_diagnosis

from diag.render import renderer
from tests.golden_files import check_golden
from diag.render.markdown import MAX_CHARS, escape, render




def test_demo_report_matches_golden(demo_diagnosis: object) -> None:
    check_golden("demo_report.md", render(demo_diagnosis))  # type: ignore[arg-type]


def test_registry_serves_markdown(demo_diagnosis: object) -> None:
    assert renderer("markdown")(demo_diagnosis) == render(demo_diagnosis)  # type: ignore[arg-type]


def test_report_sections(demo_diagnosis: object) -> None:
    md = render(demo_diagnosis)  # type: ignore[arg-type]
    assert md.startswith("## diag report\n")
    for heading in ("### Metrics", "### Findings (5 of 5 kinds, 5 in all, most severe first)", "### Alignment"):
        assert heading in md
    assert "**1** critical, **3** major, **1** minor findings" in md
    assert "**Omitted from the candidate: 3 sentences**" in md
    # the worst finding comes first
    rows = [line for line in md.splitlines() if line.startswith(("| 🔴", "| 🟠"))]
    assert rows[0].startswith("| 🔴 critical | `number/magnitude_changed`")
    assert md.index("### Findings") < md.index("### Metrics") < md.index("### Alignment")


def test_the_last_line_shows_no_backslash(demo_diagnosis: object) -> None:
    last = render(demo_diagnosis).rstrip("\n").splitlines()[-1]  # type: ignore[arg-type]
    assert last == "<sub>diag signature: `diag:test|hand-built`</sub>"


def _cells(row: str) -> list[str]:
    """A GFM table row's cells: split on pipes that are not escaped."""
    return re.split(r"(?<!\\)\|", row.strip())[1:-1]


def test_untrusted_text_cannot_break_the_table_or_inject() -> None:
    ref = "The price is 10 dollars.\nSecond line here.\n"
    cand = "The price | is `10` <script>alert(1)</script> @octocat [x](http://e.com) **bold**.\nSecond line here.\n"
    d = make_diagnosis(ref, cand, (("major", "value_changed", "10", "`10`"),))
    md = render(d)  # type: ignore[arg-type]
    for line in md.splitlines():
        if line.startswith("| ") and "---" not in line:
            assert len(_cells(line)) in (4, 5), line  # metrics and pairs: 4 cells, findings: 5
    weakest = next(line for line in md.splitlines() if line.startswith("| 0 |"))
    assert len(_cells(weakest)) == 4
    assert "<script>" not in md
    assert "\\<script\\>" in md
    assert "@\u200boctocat" in md and "@octocat" not in md
    assert "\\[x\\](http://e.com)" in md
    assert "\\`10\\`" in md
    assert "\\*\\*bold\\*\\*" in md


def test_escape_collapses_lines_and_clips() -> None:
    assert escape("a\nb | c") == "a b \\| c"
    assert escape("x" * 500, 10) == "x" * 9 + "…"


def test_long_reports_stay_under_the_limit() -> None:
    lines = [f"Sentence {k} names Company{k} and {k} items." for k in range(3000)]
    ref = "\n".join(lines) + "\n"
    cand = "\n".join(line.replace("Company", "Firm") for line in lines[:1500]) + "\n"
    findings = tuple(("major", "replaced", f"Company{k} ", f"Firm{k} ") for k in range(1500))
    d = make_diagnosis(ref, cand, findings)
    md = render(d)  # type: ignore[arg-type]
    assert len(md) <= MAX_CHARS
    assert "more kinds of findings are left out" in md
    assert "- *and 1492 more*" in md
