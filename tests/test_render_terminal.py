"""The terminal report: golden files at 80 and 120 columns, its reading order, nothing cut
mid-identifier or mid-signature, and what it must never pass through."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from conftest import make_diagnosis

from diag.model import Diagnosis, Verdict
from diag.render.terminal import render, wrap_at_bars
from tests.golden_files import check_golden

VERDICT = Verdict(
    relation="translation",
    machine_probability=0.83,
    label="likely machine round-trip translation",
    confidence=0.9,
    probabilities={"translation": 0.9, "rewrite": 0.07, "copy": 0.02, "independent": 0.01},
    evidence=(
        "The alignment pairs every sentence of both texts in order, one to one.",
        "Paired sentences are 80% alike in character trigrams and keep 71% of their word order.",
    ),
)


@pytest.fixture(scope="module")
def judged(demo_diagnosis: Diagnosis) -> Diagnosis:
    """The demo diagnosis with a verdict and its evidence, and a long signature."""
    return replace(
        demo_diagnosis,
        verdict=VERDICT,
        signature="diag:0.1.0|seg:punkt-nltk3.9.1+diag-abbrev|align:trigram-dice|floor:0.30|furniture:set-aside",
    )


@pytest.mark.parametrize("width", [80, 120])
def test_demo_report_matches_golden(judged: Diagnosis, width: int) -> None:
    check_golden(f"demo_report_{width}.txt", render(judged, width=width))


@pytest.mark.parametrize("width", [80, 120])
def test_every_line_fits_the_width(judged: Diagnosis, width: int) -> None:
    for line in render(judged, width=width).splitlines():
        assert len(line) <= width, line


def test_verdict_then_serious_findings_then_minor_then_metrics_then_weakest(judged: Diagnosis) -> None:
    text = render(judged, width=80)
    marks = [
        "Likely machine round-trip translation (confidence 90%",
        "Why: ",
        "• The alignment pairs every sentence",
        "Critical and major findings: 4 kinds, 4 places",
        " CRITICAL  number/magnitude_changed",
        " MAJOR  named_entity/acronym_expanded",
        "Minor findings: 1 kind, 1 place",
        "Metrics (sacrebleu",
        "Weakest aligned pairs (by chrF)",
        "signature:",
    ]
    positions = [text.index(m) for m in marks]
    assert positions == sorted(positions), [m for m, _ in sorted(zip(marks, positions, strict=True), key=lambda x: x[1])]


@pytest.mark.parametrize("width", [80, 120])
def test_no_identifier_or_signature_is_cut(judged: Diagnosis, width: int) -> None:
    text = render(judged, width=width)
    words = set(re.findall(r"\S+", text))
    for f in judged.findings:
        assert any(f"{f.category}/{f.type}" in w for w in words), f"{f.category}/{f.type} cut at {width}"
    for sig in [judged.signature, *(s.signature for s in judged.metrics.values())]:
        for part in sig.split("|"):
            assert any(part in line for line in text.splitlines()), f"{part!r} of a signature cut at {width}"


@pytest.mark.parametrize(
    "text,width,lines",
    [
        ("a|b|c", 80, ["a|b|c"]),
        ("aaaa|bbbb|cccc", 10, ["aaaa|bbbb|", "cccc"]),
        ("aaaaaaaaaaaa|b", 5, ["aaaaaaaaaaaa|", "b"]),  # a part longer than the line stays whole
    ],
)
def test_wrap_at_bars(text: str, width: int, lines: list[str]) -> None:
    assert wrap_at_bars(text, width).split("\n") == lines


@pytest.mark.parametrize(
    "hostile",
    ["\x1b[31mred\x1b[0m", "\x1b]0;title\x07", "abc\u202eevil", "bell\x07 and \x9b31m"],
)
def test_control_characters_are_made_visible(hostile: str) -> None:
    d = make_diagnosis(f"Plain words here. {hostile}\n", f"Plain words there. {hostile}\n")
    out = render(d, width=120)
    assert not any(ch in out for ch in "\x1b\x07\x9b\u202e")
