"""The relation policies (``diag.verdict.policy``): how a relation grades a translator's wording."""

from __future__ import annotations

import pytest

from diag.model import Finding, Location, Verdict
from diag.verdict import policy


def _verdict(relation: str, round_trip: float) -> Verdict:
    return Verdict(relation=relation, machine_probability=0.5 if relation == "translation" else None, label="x",
                   confidence=0.9, features={"round_trip_probability": round_trip})


def _finding(type_: str) -> Finding:
    return Finding("named_entity", type_, "minor", "m", Location("Health Bureau", 0, 13),
                   Location("Health Commission", 0, 17), 0)


# (relation, round-trip probability, finding type, severity after the policy)
GRADES = [
    ("translation", 0.0, "wording_changed", "minor"),  # two translations of a third text: a translator's wording
    ("translation", 0.4, "wording_changed", "minor"),  # round-trip evidence too thin to fire
    ("translation", 0.9, "wording_changed", "major"),  # a machine round trip: the reference is the original
    ("copy", 0.0, "wording_changed", "major"),  # a copy keeps the reference's names
    ("rewrite", 0.0, "wording_changed", "minor"),
    ("independent", 0.0, "wording_changed", "minor"),
    ("translation", 0.9, "spelling_variant", "minor"),  # other types are not the wording policy's
    ("copy", 0.0, "added", "minor"),
]


@pytest.mark.parametrize(("relation", "round_trip", "type_", "severity"), GRADES)
def test_graded(relation: str, round_trip: float, type_: str, severity: str) -> None:
    (got,) = policy.graded(_verdict(relation, round_trip), [_finding(type_)])
    assert (got.type, got.severity) == (type_, severity)


def test_graded_changes_nothing_but_the_severity() -> None:
    f = _finding("wording_changed")
    (got,) = policy.graded(_verdict("copy", 0.0), [f])
    assert (got.message, got.reference, got.candidate, got.pair) == (f.message, f.reference, f.candidate, f.pair)


def test_a_copy_keeps_a_changed_generic_word_major() -> None:
    import diag

    text = ("The Tarvik Health Bureau said on Monday that the number of new cases rose by a third in the northern "
            "districts, and that the clinics there would open for longer hours from next week.")
    d = diag.diagnose(text, text.replace("Health Bureau", "Health Commission"))
    assert d.verdict.relation == "copy"
    assert [(f.type, f.severity) for f in d.findings if f.category == "named_entity"] == [("wording_changed", "major")]
