"""Recall rules of the entity check: names the pairing used to leave as a minor dropped/added couple.

Each rule has its own table; every example is written for these tests.
"""

from __future__ import annotations

import pytest

from diag.entities import find_damage
from diag.entities.tokens import tokenise
from diag.entities.words import same_sound_key
from diag.model import AlignedPair, Alignment, Document, Finding, Sentence

ONE_PAIR = Alignment(pairs=(AlignedPair((0,), (0,), 1.0),), reference_coverage=1.0, candidate_coverage=1.0)


def _damage(reference: str, candidate: str) -> tuple[Finding, ...]:
    ref = Document(text=reference, sentences=(Sentence(0, 0, len(reference), reference),))
    cand = Document(text=candidate, sentences=(Sentence(0, 0, len(candidate), candidate),))
    return find_damage(ref, cand, ONE_PAIR)


def _major(findings: tuple[Finding, ...]) -> list[tuple[str, str | None, str | None]]:
    return [(f.type, f.reference.text if f.reference else None, f.candidate.text if f.candidate else None)
            for f in findings if f.severity in {"major", "critical"}]


# (text, word, first in its sentence?): a period after a form of address ends no sentence
INITIAL = [
    ("Mr. Quan said so.", "Quan", False),
    ("Dr. Okafor left early.", "Okafor", False),
    ("They met Mrs. Ito there.", "Ito", False),
    ("It rained. Quan said so.", "Quan", True),
    ("It was 5 p.m. Quan said so.", "Quan", True),
    ("Quan said so.", "Quan", True),
]


@pytest.mark.parametrize(("text", "word", "initial"), INITIAL)
def test_a_word_after_an_honorific_is_not_sentence_initial(text: str, word: str, initial: bool) -> None:
    token = next(t for t in tokenise(text, 0) if t.text == word)
    assert token.initial is initial


@pytest.mark.parametrize(("a", "b", "same"), [
    ("He", "Hu", True), ("He", "Ho", True), ("Gao", "Gu", True), ("Wang", "Wong", True),
    ("He", "Lin", False), ("Gao", "Zhou", False), ("Song", "Liu", False),
])
def test_same_sound_key(a: str, b: str, same: bool) -> None:
    assert same_sound_key(a, b) is same


# (reference, candidate, the major findings): a person's full name gone and a lone name come that sounds
# like one of its words is the person named by a mangled family name (``family_name``); a lone name
# that sounds like none of them is left minor, and the family name kept is no damage
FAMILY_NAME = [
    ("The plant in Tianjin was opened on Monday by Gao Yuning.", "Gu opened the plant in Tianjin on Monday.",
     [("replaced", "Gao Yuning", "Gu")]),
    ("Talks in Geneva went well, He Wenbo told reporters on Friday.",
     "He Wenbo's deputy said on Friday that Hu found the talks in Geneva good.",
     []),
    ("The plant in Tianjin was opened on Monday by Gao Yuning.", "Lin opened the plant in Tianjin on Monday.", []),
    ("The plant in Tianjin was opened on Monday by Gao Yuning.", "Gao opened the plant in Tianjin on Monday.", []),
    ("The plant in Tianjin was opened on Monday by the mayor.", "Gu opened the plant in Tianjin on Monday.", []),
]


@pytest.mark.parametrize(("reference", "candidate", "major"), FAMILY_NAME)
def test_family_name(reference: str, candidate: str, major: list[tuple[str, str, str]]) -> None:
    assert _major(_damage(reference, candidate)) == major


# (reference, candidate, the major findings): a person's name that starts with a pronoun that is also a
# family name ("He", "She") is a person's name for the pairing, and an honorific makes the next word a name
PERSON_SHAPE = [
    ("He Wenbo opened the new bridge in Wuhan.", "Mr. Hou opened the new bridge in Wuhan.",
     [("replaced", "He Wenbo", "Hou")]),
    ("He Wenbo opened the new bridge in Wuhan.", "Mr. He opened the new bridge in Wuhan.", []),
    ("She Tianyu opened the new bridge in Wuhan.", "Ms. Shi opened the new bridge in Wuhan.",
     [("replaced", "She Tianyu", "Shi")]),
]


@pytest.mark.parametrize(("reference", "candidate", "major"), PERSON_SHAPE)
def test_person_shape(reference: str, candidate: str, major: list[tuple[str, str, str]]) -> None:
    assert _major(_damage(reference, candidate)) == major
