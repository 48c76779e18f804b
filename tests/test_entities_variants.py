"""Equivalent forms are folded before comparing, and real damage of the same shape is still found.

One table per variant class of the entity check; every example is written for these tests.
"""

from __future__ import annotations

import pytest

from diag.entities import find_damage
from diag.model import AlignedPair, Alignment, Document, Finding, Sentence

ONE_PAIR = Alignment(pairs=(AlignedPair((0,), (0,), 1.0),), reference_coverage=1.0, candidate_coverage=1.0)


def _damage(reference: str, candidate: str) -> tuple[Finding, ...]:
    ref = Document(text=reference, sentences=(Sentence(0, 0, len(reference), reference),))
    cand = Document(text=candidate, sentences=(Sentence(0, 0, len(candidate), candidate),))
    return find_damage(ref, cand, ONE_PAIR)


# (class, reference, candidate): an acceptable rendering, so no finding at all
SILENT = [
    ("acronym", "The World Health Organization warned on Monday.", "The WHO warned on Monday."),
    ("acronym", "The WHO warned on Monday.", "The World Health Organization warned on Monday."),
    ("acronym", "Delegates of the National People's Congress voted.", "NPC delegates voted."),
    ("acronym", "The NPC delegates voted.", "Delegates of the National People's Congress voted."),
    ("place", "Trade with Germany grew.", "German trade grew."),
    ("place", "The United Kingdom left the bloc in 2020.", "The UK left the bloc in 2020."),
    ("place", "The United Kingdom left the bloc in 2020.", "Britain left the bloc in 2020."),
    ("place", "Talks with the British Embassy resumed.", "Talks with the UK Embassy resumed."),
    ("inflection", "The firm filed for three IPO plans.", "The firm filed for three IPOs."),
    ("headline", "Exports Rose Sharply", "Exports Rising Sharply"),
    ("diacritics", "Kılıç spoke to reporters in Ankara.", "Kilic spoke to reporters in Ankara."),
    ("diacritics", "Łódź opened a new tram line.", "Lodz opened a new tram line."),
    ("unit", "The farm put up a 5m fence last year.", "The farm put up a 5-metre fence last year."),
    ("unit", "The farm put up a 5m fence last year.", "The farm put up a fence 5 m high last year."),
    ("unit", "The fund raised $5m last year.", "The fund raised $5 million last year."),
    ("honorific", "The talks were led by Mrs Zhang on Monday.", "The talks were led by Zhang on Monday."),
    ("honorific", "The talks were led by Zhang on Monday.", "The talks were led by Mrs Zhang on Monday."),
    ("honorific", "The talks were led by Dr. Okafor on Monday.", "The talks were led by Okafor on Monday."),
    ("year range", "Revenue grew in the 2019-20 season.", "Revenue grew in the 2019-2020 season."),
    ("year range", "Revenue grew in the 1999/2000 season.", "Revenue grew in the 1999/00 season."),
]


@pytest.mark.parametrize(("kind", "reference", "candidate"), SILENT)
def test_equivalent_forms_are_silent(kind: str, reference: str, candidate: str) -> None:
    assert _damage(reference, candidate) == ()


# (class, reference, candidate, type, severity, reference span): the same shape, but damage
DAMAGE = [
    ("acronym", "The WHO warned on Monday.", "The World Trade Organization warned on Monday.",
     "named_entity", "major", "WHO"),
    ("place", "Trade with Germany grew.", "Trade with Austria grew.", "named_entity", "major", "Germany"),
    ("unit", "The fund raised $5m last year.", "The fund raised $5,000 last year.", "number", "major", "$5m"),
    ("unit", "The farm put up a 5m fence last year.", "The farm put up a 15m fence last year.",
     "number", "major", "5m"),
    ("year range", "Revenue grew in the 2019-20 season.", "Revenue grew in the 2019-2021 season.",
     "number", "major", "20"),
    ("surname", "He Lifeng met the delegation in Geneva.", "Zhang Wei met the delegation in Geneva.",
     "named_entity", "major", "He Lifeng"),
    ("honorific", "The talks were led by Mrs Zhang on Monday.", "The talks were led by Mrs Wang on Monday.",
     "named_entity", "major", "Mrs Zhang"),
]


@pytest.mark.parametrize(("kind", "reference", "candidate", "category", "severity", "ref_span"), DAMAGE)
def test_damage_of_the_same_shape_is_found(kind: str, reference: str, candidate: str, category: str, severity: str,
                                           ref_span: str) -> None:
    hits = [f for f in _damage(reference, candidate) if f.category == category and f.severity == severity]
    assert hits, _damage(reference, candidate)
    assert hits[0].reference is not None and hits[0].reference.text == ref_span


# a capitalised word without evidence of being a name never gives a major finding
NO_EVIDENCE = [
    ("Rising prices worry savers.", "Rose prices worry savers."),
    ("Strengthening ties is the aim.", "Strengthen ties is the aim."),
    ("Exports Climbed Sharply In March", "Exports Rose Sharply In March"),
]


@pytest.mark.parametrize(("reference", "candidate"), NO_EVIDENCE)
def test_capitalised_common_words_give_no_major_finding(reference: str, candidate: str) -> None:
    assert all(f.severity == "minor" for f in _damage(reference, candidate))


def test_a_family_name_that_is_a_pronoun_starts_the_name() -> None:
    findings = _damage("He Lifeng met the delegation in Geneva.", "He Lifen met the delegation in Geneva.")
    assert [(f.type, f.reference.text if f.reference else None) for f in findings] == [("spelling_variant", "He Lifeng")]


def test_the_only_number_of_a_pair_changed_is_major() -> None:
    findings = _damage("Officials said the 19th assembly met.",
                       "The 20th assembly was held, according to the officials of the region.")
    assert [(f.type, f.severity) for f in findings] == [("value_changed", "major")]

