"""Tests for diag.verdict.sentence: content-asymmetry features and sentence-level relations."""

from __future__ import annotations

import pytest

import diag
from diag.verdict.sentence import SENTENCE_FEATURES, counterparts, sentence_features

REFERENCE = ("Mayor Ingrid Halvorsen said on Tuesday that the new ferry terminal in Valdmoor "
             "would cost 48 million euros.")
#: Another outlet's sentence on the same story: the same names, other facts.
SAME_STORY = ("Fishermen in Valdmoor protested against Mayor Ingrid Halvorsen's ferry plan on Monday, "
              "blocking the harbour for three hours.")
#: The same names and half the content words, other facts.
HALF_SHARED = ("Ingrid Halvorsen, the mayor of Valdmoor, has faced protests from fishermen "
               "since the ferry plan was first announced.")
#: The same content, reworded in the reference's order (a translation).
REWORDED = ("On Tuesday Mayor Ingrid Halvorsen stated that the new Valdmoor ferry terminal "
            "was going to cost 48 million euros.")
#: The same content, its parts restated in another order (a rewrite).
REORDERED = ("48 million euros: that is what the new ferry terminal in Valdmoor would cost, "
             "Mayor Ingrid Halvorsen said on Tuesday.")
UNRELATED = "Several ministers travelled to the summit to discuss energy prices with their neighbours."


@pytest.mark.parametrize("candidate,ref_unmatched_at_most,ref_unmatched_at_least,order_at_least", [
    (REFERENCE, 0.0, 0.0, 1.0),
    (REWORDED, 0.25, 0.0, 0.7),
    (SAME_STORY, 1.0, 0.5, 0.0),
    (HALF_SHARED, 0.7, 0.4, 0.0),
    (UNRELATED, 1.0, 1.0, 0.0),
])
def test_features(candidate: str, ref_unmatched_at_most: float, ref_unmatched_at_least: float,
                  order_at_least: float) -> None:
    f = sentence_features(REFERENCE, candidate)
    assert list(f) == list(SENTENCE_FEATURES)
    assert ref_unmatched_at_least <= f["ref_unmatched"] <= ref_unmatched_at_most
    assert f["order"] >= order_at_least
    assert all(0.0 <= v <= 1.0 for k, v in f.items() if k != "length_gap")


def test_reordered_restatement_loses_order() -> None:
    f = sentence_features(REFERENCE, REORDERED)
    assert f["ref_unmatched"] <= 0.2 and f["order"] < 0.5


@pytest.mark.parametrize("ref,cand,expected", [
    (["elected", "council", "vote"], ["vote", "council", "election"], [2, 1, 0]),  # elect- is shared
    (["council", "council"], ["council"], [0, -1]),          # each counterpart serves once
    (["electorate"], ["elected"], [0]),                      # the same first five letters
])
def test_counterparts(ref: list[str], cand: list[str], expected: list[int]) -> None:
    assert counterparts(ref, cand) == expected


@pytest.mark.parametrize("name,candidate,expected", [
    ("same story, other facts", SAME_STORY, "independent"),
    ("same names, half the words, other facts", HALF_SHARED, "independent"),
    ("reworded in order", REWORDED, "translation"),
    ("restated in another order", REORDERED, "rewrite"),
    ("unrelated", UNRELATED, "independent"),
])
def test_sentence_relation(name: str, candidate: str, expected: str) -> None:
    v = diag.diagnose(REFERENCE, candidate).verdict
    assert v.relation == expected, (name, v.probabilities, v.features["sentence_independence"])
    assert 0.0 < v.features["sentence_independence"] < 1.0


def test_documents_are_not_judged_by_the_sentence_model() -> None:
    text = " ".join([REFERENCE, UNRELATED, REWORDED])
    v = diag.diagnose(text, text).verdict
    assert v.relation == "copy"
    assert v.features["sentence_independence"] == 0.0


def test_sentence_evidence_in_words() -> None:
    v = diag.diagnose(REFERENCE, REWORDED).verdict
    assert v.evidence[-1].startswith("Sentence level: ")
    assert "have no counterpart" in v.evidence[-1]
