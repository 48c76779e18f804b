"""Accuracy findings at the candidate's unmatched stretches (a high-risk pair of a segment), the
whole-word widening of every accuracy span, and the selection rules of tools/fit_accuracy.py.

The examples are the project's own; the tier is switched on with parameters that let any pair
through (``major_risk`` 0, ``stretch_content`` 0) where a test is about location, not the threshold.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diag import accuracy as A
from diag.model import Document, Finding
from diag.pipeline import align_and_score, build_document, diagnose

OPEN: Mapping[str, Any] = {**A.load_parameters(), "major_risk": 0.0, "stretch_content": 0}


def _assess(reference: str, candidate: str, params: Mapping[str, Any] = OPEN) -> tuple[Document, tuple[Finding, ...]]:
    ref, cand = build_document(reference), build_document(candidate)
    alignment, _ = align_and_score(ref, cand)
    return cand, A.assess(ref, cand, alignment, params)[1]


def _where(found: tuple[Finding, ...]) -> list[tuple[str, str, str | None, str | None]]:
    return [(f.type, f.severity, f.reference.text if f.reference else None, f.candidate.text if f.candidate else None)
            for f in found]


STRETCHES = [
    pytest.param(
        "The harbour board will widen the northern pier next spring and hire twelve divers to inspect the hull "
        "of every ferry.",
        "The harbour board will demolish the northern pier next spring and dismiss twelve divers to inspect the "
        "hull of every ferry.",
        [("mistranslation", "major", "widen", "demolish"), ("mistranslation", "major", "hire", "dismiss")],
        id="two-separate-words-two-findings",
    ),
    pytest.param(
        "The orchard owners expect a small harvest because frost damaged the blossoms.",
        "The orchard owners expect a small harvest because heavy autumn winds flattened the young blossoms.",
        [("mistranslation", "major", "frost damaged", "heavy autumn winds flattened the young")],
        id="one-stretch-each-side-rendered-as",
    ),
    pytest.param(
        "The orchard owners expect a small harvest this year.",
        "The orchard owners expect a small harvest this year, blaming greedy cross-border traders.",
        [("addition", "major", None, "blaming greedy cross-border traders")],
        id="addition-whole-hyphenated-word",
    ),
    pytest.param(
        "The ferry company will cut the winter timetable, citing falling demand, and sell two older boats.",
        "The ferry company will cut the winter timetable, citing falling demand, and quietly sell two older "
        "boats to a rival.",
        [("addition", "major", None, "quietly"), ("addition", "major", None, "rival")],
        id="added-words-where-nothing-was-lost",
    ),
    pytest.param(
        "The council approved a short-term loan for the bakery.",
        "The council approved a long-term grant for the bakery.",
        [("mistranslation", "major", "short-term loan", "long-term grant")],
        id="hyphenated-words-whole",
    ),
]


@pytest.mark.parametrize(("reference", "candidate", "expected"), STRETCHES)
def test_each_unmatched_stretch_is_a_finding(reference: str, candidate: str,
                                             expected: list[tuple[str, str, str | None, str]]) -> None:
    _, found = _assess(reference, candidate)
    got = _where(found)
    assert [(k, s, c) for k, s, _, c in got] == [(k, s, c) for k, s, _, c in expected]
    for (_, _, ref_text, _), (_, _, want, _) in zip(got, expected, strict=True):
        if want is not None:
            assert ref_text == want
        else:  # an addition: the reference side is the pair's whole reference sentence
            assert ref_text == reference


SILENT = [
    pytest.param(
        "The harbour board will widen the northern pier next spring.",
        "The harbour board will broaden the northern pier next spring.",
        id="one-word-is-not-enough",
    ),
    pytest.param(
        "The harbour board met Anna Okafor and Piet Brandsma on Monday.",
        "The harbour board met Anya Okafora and Pieter Brandsmaa on Monday.",
        id="names-are-the-entity-checks",
    ),
    pytest.param(
        "The harbour board will widen the northern pier next spring.",
        "The harbour board will widen the northern pier next spring.",
        id="a-copy",
    ),
]


@pytest.mark.parametrize(("reference", "candidate"), SILENT)
def test_no_stretch_finding(reference: str, candidate: str) -> None:
    assert _assess(reference, candidate)[1] == ()


def test_message_names_both_sides() -> None:
    reference, candidate, _ = STRETCHES[1].values
    _, found = _assess(str(reference), str(candidate), {**OPEN, "major_risk": 0.0})
    risk = A.assess(*_docs(str(reference), str(candidate)), OPEN)[0][0]
    assert [f.message for f in found] == [
        f'"frost damaged" rendered as "heavy autumn winds flattened the young", which says something else '
        f"(mistranslation; accuracy risk {round(100 * risk)}%)"
    ]


def _docs(reference: str, candidate: str) -> tuple[Document, Document, Any]:
    ref, cand = build_document(reference), build_document(candidate)
    return ref, cand, align_and_score(ref, cand)[0]


def test_thresholds_hold_the_tier_back() -> None:
    reference, candidate, _ = STRETCHES[0].values
    assert _assess(str(reference), str(candidate), {**OPEN, "major_risk": 1.0}) [1] == ()
    assert _assess(str(reference), str(candidate), {**OPEN, "stretch_content": 100})[1] == ()


def test_a_pair_of_a_document_that_rewords_evenly_is_not_named() -> None:
    # a pair that falls no further than the others below its document's median is its document's style
    ref = ("The harbour board will widen the northern pier next spring. The divers inspect every ferry hull. "
           "The ferries sail twice a day in summer. The ticket office opens at dawn.")
    cand = ("The harbour board will enlarge the northern jetty next spring. The divers examine every ferry hull. "
            "The ferries travel twice daily in summer. The ticket counter opens at sunrise.")
    assert _assess(ref, cand)[1] == ()


LONG_REF = (
    "After three years of planning, the regional water authority announced on Tuesday that it will repair the "
    "old pumping station beside the river next summer, hire twenty local engineers to inspect every pipe in "
    "the valley, plant willows along the eroded banks, and publish monthly reports on leaks so that residents "
    "can follow the progress of the work through the winter."
)
LONG_CAND = (
    "After three years of planning, the regional water authority announced on Tuesday that it will sell the "
    "old pumping station beside the river next summer, fire twenty local engineers to inspect every pipe in "
    "the valley, pave parking lots along the eroded banks, and publish monthly reports on leaks so that "
    "residents can follow the progress of the work through the winter."
)


def test_shipped_model_names_the_stretches_of_a_long_changed_segment() -> None:
    params = A.load_parameters()
    d = diagnose(LONG_REF, LONG_CAND)
    assert (d.alignment.pairs[0].accuracy_risk or 0.0) >= params["major_risk"]
    found = [f.candidate.text for f in d.findings if f.category == "accuracy" and f.candidate is not None]
    assert {"sell", "fire", "pave parking lots"} <= set(found)
    assert all(f.severity == "major" for f in d.findings if f.category == "accuracy")


def test_shipped_parameters_are_in_range() -> None:
    params = A.load_parameters()
    assert 0.5 <= params["major_risk"] <= 1.0
    assert params["stretch_content"] >= 0 and params["minor_run"] <= params["major_run"]


# --- invariants (hypothesis) ----------------------------------------------------------------------

_WORDS = ["harbour", "pier", "ferry", "widen", "demolish", "long-term", "state's", "not", "the", "of", "and",
          "Okafor", "12", "divers", "quietly", "inspect", "blossoms", "frost", "x", "e-mail", "never", "it’s"]


@st.composite
def _text(draw: st.DrawFn) -> str:
    sentences = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=16))
        sentences.append(" ".join(words).capitalize() + draw(st.sampled_from([".", "!", "?", "…"])))
    return " ".join(sentences)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_text(), _text())
def test_every_accuracy_span_is_a_whole_word_slice_inside_its_pair(reference: str, candidate: str) -> None:
    ref, cand = build_document(reference, allow_empty=True), build_document(candidate, allow_empty=True)
    alignment, _ = align_and_score(ref, cand)
    _, found = A.assess(ref, cand, alignment, OPEN)
    by_pair: dict[int, list[tuple[int, int]]] = {}
    for f in found:
        assert f.pair is not None
        pair = alignment.pairs[f.pair]
        for loc, doc, side in ((f.reference, ref, pair.reference), (f.candidate, cand, pair.candidate)):
            if loc is None:
                continue
            assert side, "a location on a side the pair does not have"
            assert doc.text[loc.start:loc.end] == loc.text  # str indices: the quoted text is the slice
            assert doc.sentences[side[0]].start <= loc.start < loc.end <= doc.sentences[side[-1]].end
            assert loc.start == 0 or not doc.text[loc.start - 1].isalnum()
            assert loc.end == len(doc.text) or not doc.text[loc.end].isalnum()
        if f.candidate is not None and f.candidate.text != cand.text[slice(*_side(cand, pair.candidate))]:
            by_pair.setdefault(f.pair, []).append((f.candidate.start, f.candidate.end))
    for spans in by_pair.values():  # a pair's stretches are separate and in text order
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def _side(doc: Document, indices: tuple[int, ...]) -> tuple[int, int]:
    return doc.sentences[indices[0]].start, doc.sentences[indices[-1]].end


@given(st.text(alphabet="ab-' .,’", max_size=20), st.data())
def test_whole_words_widens_to_word_boundaries(text: str, data: st.DataObject) -> None:
    doc = Document(text=text, sentences=())
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=len(text)))
    loc = A._whole_words(doc, start, end)
    assert loc.start <= start <= end <= loc.end and loc.text == text[loc.start:loc.end]
    assert loc.start == 0 or not text[loc.start - 1].isalnum()
    assert loc.end == len(text) or not text[loc.end].isalnum()
    assert " " not in text[loc.start:start] + text[end:loc.end]


# --- tools/fit_accuracy.py --------------------------------------------------------------------------

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))


def _row(rid: str, role: str, *, stretches: list[tuple[int, int]], spans: list[tuple[int, int]],
         content: int = 30, runs: tuple[int, int, int, int] = (0, 0, 10, 10)) -> dict[str, Any]:
    return {"id": rid, "role": role, "spans": spans, "stretches": stretches, "negation": False, "content": content,
            "summary": False, "similarity": 0.8, "runs": runs, "unpaired": None,
            "where": {"omission": (0, 50), "addition": None, "mistranslation": (0, 50), "negation": None}}


def test_fit_counts_spans_and_alarms_as_score_does() -> None:
    fit_accuracy = pytest.importorskip("fit_accuracy")
    rows = [
        _row("p1", "positive", stretches=[(10, 15), (20, 30)], spans=[(12, 13), (40, 44)]),
        _row("p2", "positive", stretches=[(5, 9)], spans=[(7, 7)], content=10),  # below the floor
        _row("n1", "negative", stretches=[(0, 4)], spans=[]),
    ]
    params = {"minor_risk": 0.2, "minor_run": 4, "major_run": 8, "major_risk": 0.5, "stretch_content": 20}
    got = fit_accuracy.alarms(rows, [0.9, 0.9, 0.4], params)
    assert got["span_recall"] == pytest.approx(1 / 3)  # p1's first span; p2 is below the floor
    assert got["false_alarms_major"] == 0.0  # n1 stays under major_risk
    got = fit_accuracy.alarms(rows, [0.9, 0.9, 0.6], {**params, "stretch_content": 0})
    assert got["span_recall"] == pytest.approx(2 / 3)  # an empty gold span inside a stretch counts
    assert got["false_alarms_major"] == 1.0
