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
     [("name_changed", "Gao Yuning", "Gu")]),
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
    # a lone name that is no English word nor a place, right before a reporting verb, is a speaker, so each
    # of two gone names is paired with the name at its place
    ("In Hanoi, the remarks that Bao Renmin made to Chu Wenli drew praise from all sides.",
     "In Hanoi, what Qin said about Qin Chuwan drew praise from all sides.",
     [("replaced", "Bao Renmin", "Qin"), ("replaced", "Chu Wenli", "Qin Chuwan")]),
    ("In Hanoi, the remarks that Bao Renmin made to Chu Wenli drew praise from all sides.",
     "In Hanoi, what Qin did for Qin Chuwan drew praise from all sides.",
     [("replaced", "Bao Renmin", "Qin Chuwan")]),
    ("In Hanoi, the remarks that Bao Renmin made to Chu Wenli drew praise from all sides.",
     "In Hanoi, what Vietnam said about Qin Chuwan drew praise from all sides.",
     [("replaced", "Bao Renmin", "Qin Chuwan")]),
]


@pytest.mark.parametrize(("reference", "candidate", "major"), PERSON_SHAPE)
def test_person_shape(reference: str, candidate: str, major: list[tuple[str, str, str]]) -> None:
    assert _major(_damage(reference, candidate)) == major


# (reference, candidate, the candidate spans of date_format notes): a day the candidate gives its month is
# written like the reference's own date of that day ("the 3rd" / "3 February" beside "February 3rd")
DAY_WITH_MONTH = [
    ("The fair opened on February 3rd and closed on the evening of the 3rd.",
     "The fair opened on 3 February and closed on the evening of 3 February.", ["3 February", "3 February"]),
    ("The fair opened on February 3rd and closed on the evening of the 3rd.",
     "The fair opened on February 3rd and closed on the evening of February 3rd.", []),
]


@pytest.mark.parametrize(("reference", "candidate", "notes"), DAY_WITH_MONTH)
def test_day_with_month_follows_the_reference_date(reference: str, candidate: str, notes: list[str]) -> None:
    found = [f.candidate.text for f in _damage(reference, candidate) if f.type == "date_format" and f.candidate]
    assert sorted(found) == notes


def _two_sentence_candidate(reference: str, first: str, second: str) -> tuple[Finding, ...]:
    text = f"{first} {second}"
    ref = Document(text=reference, sentences=(Sentence(0, 0, len(reference), reference),))
    cand = Document(text=text, sentences=(Sentence(0, 0, len(first), first),
                                          Sentence(1, len(first) + 1, len(text), second)))
    alignment = Alignment(pairs=(AlignedPair((0,), (0,), 1.0), AlignedPair((), (1,), 0.0)),
                          reference_coverage=1.0, candidate_coverage=0.5)
    return find_damage(ref, cand, alignment)


# (second candidate sentence, with no reference counterpart; its date_format notes): a day without its month
# or an all-numeric date is noted there too
UNPAIRED = [
    ("The vote was held on the 4th.", ["the 4th"]),
    ("The vote was held on 2024-03-04.", ["2024-03-04"]),
    ("The vote was held on March 4.", []),
    ("The vote was held on the 4th floor.", []),
]


@pytest.mark.parametrize(("second", "notes"), UNPAIRED)
def test_an_unpaired_candidate_sentence_keeps_its_date_notes(second: str, notes: list[str]) -> None:
    findings = _two_sentence_candidate("Officials in Oslo approved the budget.",
                                       "Officials in Oslo approved the budget.", second)
    assert [(f.type, f.severity, f.candidate.text if f.candidate else None) for f in findings] == [
        ("date_format", "minor", n) for n in notes]
    assert all(f.candidate is not None and f.reference is None for f in findings)


# (a, b, one name?): in a name of several words, the one word that differs decides; a short word (a family
# name) is another name when a vowel changes or a consonant comes, one name when only the romanisation of a
# consonant changes or a plural ending comes
@pytest.mark.parametrize(("a", "b", "variant"), [
    ("Gao Yuning", "Guo Yuning", False), ("Li Wenjun", "Lin Wenjun", False), ("Wang Tao", "Wong Tao", False),
    ("Gao Yuning", "Kao Yuning", True), ("Tai Wenli", "Dai Wenli", True), ("Ibrahim Musa", "Ebrahim Musa", True),
    ("Gao Yuning", "Gao Yunin", True), ("OLED TVs", "OLED TV", True), ("Gao Yuning", "Guo Yunin", False),
])
def test_spelling_variant_word_for_word(a: str, b: str, variant: bool) -> None:
    from diag.entities.words import spelling_variant

    assert spelling_variant(a, b) is variant


def test_a_changed_family_name_is_damage() -> None:
    assert _major(_damage("Minister Gao Yuning visited the port of Dalian.",
                          "Minister Guo Yuning visited the port of Dalian.")) == [
        ("name_changed", "Minister Gao Yuning", "Minister Guo Yuning")]


# (text, the number, a day without its month?): a bracketed dateline that ends in an ordinal day
@pytest.mark.parametrize(("text", "number", "bare"), [
    ("(Roundup, 14th) Prices fell again.", "14th", True),
    ("(Xinhua 3rd) Prices fell again.", "3rd", True),
    ("Prices fell again (ranked 14th) in May.", "14th", False),
    ("(Roundup, 14th floor) Prices fell again.", "14th", False),
    ("(Roundup, 45th) Prices fell again.", "45th", False),
])
def test_a_dateline_day_has_no_month(text: str, number: str, bare: bool) -> None:
    from diag.entities.lexicon import lexicon
    from diag.entities.mentions import find_numbers

    tokens = tokenise(text, 0)
    got = next(m for m in find_numbers(tokens, 0, len(tokens), lexicon()) if text[m.start : m.end].endswith(number))
    assert got.bare_day is bare


def test_a_dateline_day_gets_a_date_note() -> None:
    findings = _damage("(Roundup, 14th) Prices fell again in Lyon.", "(Roundup, 14th) Prices fell again in Lyon.")
    assert [(f.type, f.severity, f.candidate.text if f.candidate else None) for f in findings] == [
        ("date_format", "minor", "14th")]


def test_an_unpaired_candidate_sentence_is_read_for_its_dates_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import diag.entities.mentions as mentions

    calls: list[str] = []
    real = mentions.find_names

    def counting(tokens, lo, hi, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(" ".join(t.text for t in tokens[lo:hi]))
        return real(tokens, lo, hi, *args, **kwargs)

    monkeypatch.setattr(mentions, "find_names", counting)
    findings = _two_sentence_candidate("Officials in Oslo approved the budget.",
                                       "Officials in Oslo approved the budget.", "Kari Nordmann voted on the 4th.")
    assert [f.candidate.text for f in findings if f.candidate] == ["the 4th"]
    # the paired sentence, one text on both sides (read once for both), not the unpaired one
    assert calls == ["Officials in Oslo approved the budget ."]
