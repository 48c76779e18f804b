"""Accuracy findings and per-pair risk: the project's own examples for each type, faithful
rewordings that stay silent, the model file, the seeds and the demo."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diag import accuracy as A
from diag.model import ACCURACY_TYPES, AlignedPair
from diag.pipeline import diagnose

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

# Each text pair is: a well-aligned lead and tail, and one sentence that carries the case.
LEAD_REF = (
    "The city council approved the new budget for the public library on Monday evening. "
    "Members debated the plan for nearly three hours before the final vote was taken. "
)
LEAD_CAND = (
    "The city council approved the new budget for the public library on Monday evening. "
    "Members debated the plan for almost three hours before the final vote was taken. "
)
TAIL_REF = "The library will open its renovated reading rooms to visitors in the spring."
TAIL_CAND = "The library will open its renovated reading rooms to visitors in the spring."


def _accuracy(ref_mid: str, cand_mid: str) -> list[tuple[str, str, str | None, str | None]]:
    d = diagnose(LEAD_REF + ref_mid + " " + TAIL_REF, LEAD_CAND + cand_mid + " " + TAIL_CAND)
    return [
        (f.type, f.severity, f.reference.text if f.reference else None, f.candidate.text if f.candidate else None)
        for f in d.findings
        if f.category == "accuracy"
    ]


FOUND = [
    pytest.param(
        "Residents praised the decision because the reading rooms had been closed for repairs since the flood.",
        "Residents praised the decision because tomorrow the weather will bring heavy snow across the northern hills.",
        "mistranslation",
        "reading rooms had been closed for repairs since the flood",
        "tomorrow the weather will bring heavy snow across the northern hills",
        id="mistranslated-clause",
    ),
    pytest.param(
        "The head librarian thanked the volunteers who had catalogued old maps, rare letters and fragile "
        "photographs during the closure.",
        "The head librarian thanked the volunteers.",
        "omission",
        "catalogued old maps, rare letters and fragile photographs",
        None,
        id="omitted-clause",
    ),
    pytest.param(
        "The head librarian thanked the volunteers.",
        "The head librarian thanked the volunteers, who secretly planned a surprise concert with famous "
        "guitar players and dancing clowns.",
        "addition",
        None,
        "secretly planned a surprise concert with famous guitar players and dancing clowns",
        id="added-clause",
    ),
]


@pytest.mark.parametrize(("ref_mid", "cand_mid", "type_", "ref_text", "cand_text"), FOUND)
def test_each_type_is_found_and_located(ref_mid: str, cand_mid: str, type_: str, ref_text: str | None,
                                        cand_text: str | None) -> None:
    found = _accuracy(ref_mid, cand_mid)
    assert len(found) == 1, found
    kind, severity, ref_loc, cand_loc = found[0]
    assert (kind, severity) == (type_, "major")
    if ref_text is not None:
        assert ref_loc is not None and ref_text in ref_loc
    if cand_text is not None:
        assert cand_loc is not None and cand_text in cand_loc


NEGATION = [
    pytest.param(
        "The committee has approved the plan to extend the opening hours of the reading rooms.",
        "The committee has not approved the plan to extend the opening hours of the reading rooms.",
        (None, "not"),
        id="negation-added",
    ),
    pytest.param(
        "The committee did not approve the plan to extend the opening hours of the reading rooms.",
        "The committee did approve the plan to extend the opening hours of the reading rooms.",
        ("not", None),
        id="negation-dropped",
    ),
    pytest.param(
        "The committee won't approve the plan to extend the opening hours of the reading rooms.",
        "The committee will approve the plan to extend the opening hours of the reading rooms.",
        ("won't", None),
        id="contraction-dropped",
    ),
]


@pytest.mark.parametrize(("ref_mid", "cand_mid", "where"), NEGATION)
def test_negation_flip_in_a_close_pair(ref_mid: str, cand_mid: str, where: tuple[str | None, str | None]) -> None:
    found = _accuracy(ref_mid, cand_mid)
    assert [(k, s) for k, s, _, _ in found] == [("mistranslation", "major")]
    ref_word, cand_word = where
    if ref_word is not None:
        assert found[0][2] == ref_word
    if cand_word is not None:
        assert found[0][3] == cand_word


SILENT = [
    pytest.param(
        "Residents praised the decision because the reading rooms had been closed for repairs since the flood.",
        "Residents welcomed the decision, as the reading rooms had been shut for repair work since the flooding.",
        id="reworded-clause",
    ),
    pytest.param(
        "The head librarian thanked the volunteers who had catalogued old maps during the closure.",
        "During the closure, volunteers catalogued old maps, and the head librarian thanked them.",
        id="reordered",
    ),
    pytest.param(
        "Few of the visitors were unhappy with the new opening hours of the reading rooms last year.",
        "Not many of the visitors complained about the reading rooms' new opening hours last year.",
        id="negation-moved-into-another-word",
    ),
    pytest.param(
        "Officials expect the project to cost less than the previous one.",
        "Officials expect that the project will cost less than the previous one did.",
        id="function-words",
    ),
]


def test_message_says_what_was_said_instead() -> None:
    d = diagnose(
        LEAD_REF + "Residents praised the decision because the reading rooms had been closed for repairs since "
        "the flood. " + TAIL_REF,
        LEAD_CAND + "Residents praised the decision because tomorrow the weather will bring heavy snow across "
        "the northern hills. " + TAIL_CAND,
    )
    (found,) = [f for f in d.findings if f.category == "accuracy"]
    risk = d.alignment.pairs[found.pair or 0].accuracy_risk or 0.0
    assert found.message == (
        '"reading rooms had been closed for repairs since the flood" rendered as "tomorrow the weather will '
        f'bring heavy snow across the north…", which says something else (mistranslation; accuracy risk '
        f"{round(100 * risk)}%)"
    )


@pytest.mark.parametrize(("ref_mid", "cand_mid"), SILENT)
def test_faithful_rewordings_stay_silent(ref_mid: str, cand_mid: str) -> None:
    assert _accuracy(ref_mid, cand_mid) == []


def test_every_pair_gets_a_risk_in_range() -> None:
    d = diagnose(LEAD_REF + TAIL_REF, LEAD_CAND + "An unrelated sentence about mountain goats. " + TAIL_CAND)
    risks = [p.accuracy_risk for p in d.alignment.pairs]
    assert risks and all(r is not None and 0.0 <= r <= 1.0 for r in risks)


def test_hallucinated_pair_has_the_highest_risk() -> None:
    mid_ref = "Residents praised the decision because the reading rooms had been closed for repairs since the flood."
    mid_cand = "We are delighted to offer our customers an exciting chance to win fantastic prizes every week."
    d = diagnose(LEAD_REF + mid_ref + " " + TAIL_REF, LEAD_CAND + mid_cand + " " + TAIL_CAND)
    risks = [p.accuracy_risk or 0.0 for p in d.alignment.pairs]
    worst = max(range(len(risks)), key=risks.__getitem__)
    assert d.candidate.sentences[d.alignment.pairs[worst].candidate[0]].text == mid_cand


CLASSIFY = [
    # (reference run, candidate run, reference content, candidate content) -> finding
    ((0, 0, 10, 10), None),
    ((8, 8, 10, 10), ("mistranslation", "major")),
    ((4, 4, 10, 10), ("mistranslation", "minor")),
    ((8, 0, 12, 4), ("omission", "major")),
    ((8, 0, 10, 9), None),  # the candidate is as long: reworded, not lost
    ((0, 8, 4, 12), ("addition", "major")),
    ((0, 4, 6, 10), ("addition", "minor")),
]


@pytest.mark.parametrize(("runs", "expected"), CLASSIFY)
def test_classify(runs: tuple[int, int, int, int], expected: tuple[str, str] | None) -> None:
    params = {"minor_run": 4, "major_run": 7}
    assert A.classify(*runs, params) == expected


def test_shipped_model_matches_the_features() -> None:
    params = json.loads((files("diag") / "data" / A.PARAMETERS_FILE).read_text(encoding="utf-8"))
    assert params["features"] == list(A.FEATURES)
    assert len(params["coefficients"]) == len(params["mean"]) == len(params["scale"]) == len(A.FEATURES)
    # signs that make sense: more unmatched content, lower chrF, longer pairs, a negation flip -> more risk
    assert all(c > 0 for c in params["coefficients"])
    assert 0 < params["minor_risk"] < 1 and 0 < params["minor_run"] <= params["major_run"]
    assert set(A.DESCRIPTIONS) >= set(A.FEATURES)


def test_risk_outside_range_is_rejected() -> None:
    with pytest.raises(ValueError, match="accuracy_risk 1.5 outside"):
        AlignedPair((0,), (0,), 0.5, accuracy_risk=1.5)


def test_types_are_the_models() -> None:
    assert ACCURACY_TYPES == ("mistranslation", "addition", "omission")


def test_demo_planted_clause_is_found() -> None:
    data = files("diag") / "data"
    d = diagnose((data / "demo_reference.txt").read_text(encoding="utf-8"),
                 (data / "demo_candidate.txt").read_text(encoding="utf-8"))
    found = [f for f in d.findings if f.category == "accuracy"]
    assert [(f.type, f.severity) for f in found] == [("mistranslation", "major")]
    assert found[0].candidate is not None and "holiday" in found[0].candidate.text
    assert found[0].reference is not None and "promise" in found[0].reference.text


def _seed(prefix: str) -> str:
    paths = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not paths:
        pytest.skip(f"seed {prefix} not found under {SEEDS}")
    return paths[0].read_text(encoding="utf-8")


def test_seed_round_trip_flags_the_unrelated_quotation() -> None:
    # the quotation that came back as an unrelated promotional sentence is the weakest matched pair by chrF
    d = diagnose(_seed("001"), _seed("000"))
    matched = [k for k, p in enumerate(d.alignment.pairs) if p.reference and p.candidate and p.scores]
    weakest = min(matched, key=lambda k: d.alignment.pairs[k].scores.chrf)  # type: ignore[union-attr]
    hits = [f for f in d.findings if f.category == "accuracy" and f.pair == weakest]
    assert [(f.type, f.severity) for f in hits] == [("mistranslation", "major")]
    assert hits[0].reference is not None and hits[0].candidate is not None


def test_seed_condensing_rewrite_gets_at_most_one() -> None:
    d = diagnose(_seed("001"), _seed("002"))
    assert len([f for f in d.findings if f.category == "accuracy"]) <= 1


# --- invariants (hypothesis) ----------------------------------------------------------------------

_WORDS = ["council", "budget", "library", "approved", "not", "river", "Monday", "1,200", "quietly", "the", "of",
          "visitors", "never", "reading", "rooms", "snow", "Lumora", "said", "and", "without"]


@st.composite
def _sentences(draw: st.DrawFn) -> str:
    n = draw(st.integers(min_value=1, max_value=5))
    out = []
    for _ in range(n):
        words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14))
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_sentences(), _sentences())
def test_risks_and_findings_are_well_formed(reference: str, candidate: str) -> None:
    from diag.pipeline import build_document

    d = diagnose(build_document(reference, allow_empty=True), build_document(candidate, allow_empty=True))
    for pair in d.alignment.pairs:
        assert pair.accuracy_risk is not None and 0.0 <= pair.accuracy_risk <= 1.0
    for f in d.findings:
        if f.category != "accuracy":
            continue
        assert f.type in ACCURACY_TYPES
        assert f.pair is not None and 0 <= f.pair < len(d.alignment.pairs)
        pair = d.alignment.pairs[f.pair]
        for loc, doc, side in ((f.reference, d.reference, pair.reference), (f.candidate, d.candidate, pair.candidate)):
            if loc is None:
                continue
            assert doc.text[loc.start : loc.end] == loc.text
            assert doc.sentences[side[0]].start <= loc.start <= loc.end <= doc.sentences[side[-1]].end


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_sentences())
def test_a_text_against_itself_raises_no_accuracy_finding(text: str) -> None:
    d = diagnose(text, text)
    assert [f for f in d.findings if f.category == "accuracy"] == []
