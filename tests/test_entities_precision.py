"""Precision rules of the entity check: forms two good translations legitimately differ in are silent,
and damage of the same shape is still found. Each rule has its own table; every example is written
for these tests.
"""

from __future__ import annotations

import pytest

from diag.entities import find_damage
from diag.entities.decide import Decision, Evidence, decide
from diag.entities.lexicon import lexicon
from diag.entities.mentions import CLOCK, clock_time, contraction, find_names, find_numbers
from diag.entities.numbers import same_time
from diag.entities.tokens import tokenise
from diag.entities.words import abbreviated, roman_value, same_numeral, same_place
from diag.model import AlignedPair, Alignment, Document, Finding, Sentence

ONE_PAIR = Alignment(pairs=(AlignedPair((0,), (0,), 1.0),), reference_coverage=1.0, candidate_coverage=1.0)


def _damage(reference: str, candidate: str) -> tuple[Finding, ...]:
    ref = Document(text=reference, sentences=(Sentence(0, 0, len(reference), reference),))
    cand = Document(text=candidate, sentences=(Sentence(0, 0, len(candidate), candidate),))
    return find_damage(ref, cand, ONE_PAIR)


def _serious(findings: tuple[Finding, ...]) -> list[tuple[str, str]]:
    return [(f.type, f.severity) for f in findings if f.severity in {"major", "critical"}]


@pytest.mark.parametrize(("norm", "expected"), [
    ("we've", True), ("i'll", True), ("she'd", True), ("they're", True), ("i'm", True), ("don't", True),
    ("can't", True), ("won't", True), ("o'neill", False), ("d'arcy", False), ("ma'ruf", False), ("we", False),
])
def test_contraction(norm: str, expected: bool) -> None:
    assert contraction(norm, lexicon()) is expected


@pytest.mark.parametrize(("sentence", "names"), [
    ("We've asked Tove Lind to stay.", ["Tove Lind"]),
    ("I'll call Tove Lind.", ["Tove Lind"]),
    ("Don't tell Tove Lind.", ["Tove Lind"]),
    ("Rory O'Neill will stay.", ["Rory O'Neill"]),
    ("The ferry left at 10 PM from Tarvik.", ["Tarvik"]),
])
def test_contractions_and_meridiems_are_no_names(sentence: str, names: list[str]) -> None:
    tokens = tokenise(sentence, 0)
    found = find_names(tokens, 0, len(tokens), lexicon(), frozenset())
    assert [sentence[m.start : m.end] for m in found] == names


def _clock(text: str) -> tuple[str, ...] | None:
    tokens = tokenise(text, 0)
    m = clock_time(tokens, 0, len(tokens))
    return None if m is None else m.keys


@pytest.mark.parametrize(("text", "keys"), [
    ("13:25", (CLOCK, "805")),
    ("1:25 PM", (CLOCK, "805")),
    ("1:25 p.m.", (CLOCK, "805")),
    ("3:49AM", (CLOCK, "229")),
    ("03:49", (CLOCK, "229", "949")),
    ("10 PM", (CLOCK, "1320")),
    ("12 a.m.", (CLOCK, "0")),
    ("12:30 PM", (CLOCK, "750")),
    ("10 people", None),
    ("31:40", None),
])
def test_clock_time(text: str, keys: tuple[str, ...] | None) -> None:
    assert _clock(text) == keys


@pytest.mark.parametrize(("a", "b", "same"), [
    ("13:25", "1:25 PM", True), ("01:23", "1:23 a.m.", True), ("22:00", "10 PM", True), ("3:49", "15:49", True),
    ("19:06", "17:06", False), ("9 a.m.", "9 p.m.", False), ("13:25", "1:25 AM", False),
])
def test_same_time(a: str, b: str, same: bool) -> None:
    def mention(text: str):  # type: ignore[no-untyped-def]
        tokens = tokenise(text, 0)
        return find_numbers(tokens, 0, len(tokens), lexicon())[0]

    assert same_time(mention(a), mention(b)) is same


@pytest.mark.parametrize(("text", "value", "scale"), [
    ("4 mln", 4e6, 6), ("2.5 bln", 2.5e9, 9), ("12 thousand m2", 12e3, 3), ("two hundred million", 2e8, 8),
])
def test_scale_abbreviations(text: str, value: float, scale: int) -> None:
    tokens = tokenise(text, 0)
    m = find_numbers(tokens, 0, len(tokens), lexicon())[0]
    assert (m.value, m.scale) == (value, scale)


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("st", "saint", True), ("saint", "st", True), ("st", "street", True), ("mt", "mount", True),
    ("st", "state", False), ("mt", "mountain", False), ("ft", "fort", True), ("ft", "foot", False),
])
def test_abbreviated(a: str, b: str, expected: bool) -> None:
    assert abbreviated(a, b) is expected


@pytest.mark.parametrize(("text", "value"), [
    ("II", 2), ("III", 3), ("IV", 4), ("XIV", 14), ("MCM", 1900), ("I", None), ("IIII", None), ("VX", None),
    ("Ii", None), ("CIA", None),
])
def test_roman_value(text: str, value: int | None) -> None:
    assert roman_value(text) == value


@pytest.mark.parametrize(("a", "b", "same"), [("II", "2", True), ("3", "III", True), ("II", "3", False),
                                               ("I", "1", False), ("XI", "11", True)])
def test_same_numeral(a: str, b: str, same: bool) -> None:
    assert same_numeral(a, b) is same


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Poles", "Polish", True), ("Pole", "Poland", True), ("Czechs", "Czech Republic", True),
    ("Poles", "Czechs", False),
])
def test_people_nouns_name_their_country(a: str, b: str, same: bool) -> None:
    assert same_place(a, b) is same


# (class, reference, candidate): two writings of one thing, so no major or critical finding
SILENT = [
    ("contraction", '"We\'ve missed them," the coach said.', "We missed them, the coach said."),
    ("contraction", "The next model I'll show is called Helix.", "The next model I'd like to show is called Helix."),
    ("clock", "The ferry left Tarvik at 1:40 a.m. on Monday.", "The ferry left Tarvik at 01:40 on Monday."),
    ("clock", "The ferry left Tarvik at 13:40 local time.", "The ferry left Tarvik at 1:40 PM local time."),
    ("clock", "Tracking starts at about 10 PM tonight.", "Tracking starts at about 22:00 tonight."),
    ("scale", "Sales reached 4 million units in Norvia.", "Sales reached 4 mln units in Norvia."),
    ("scale", "The park covers twelve thousand square meters.", "The park covers 12 thousand m2."),
    ("abbreviation", "The parade was held in Saint Petersburg.", "The parade was held in St. Petersburg."),
    ("abbreviation", "The shop is at 12 Harbour Street in Tarvik.", "The shop is at 12 Harbour St in Tarvik."),
    ("numeral", "Part II covers the ethics of trade.", "Part 2 covers the ethics of trade."),
    ("place", "Infections are highest in the USA, officials said.", "In the US, infections are highest, officials said."),
    ("place", "The Poles have already agreed to it.", "Polish officials have already agreed to it."),
]


@pytest.mark.parametrize(("kind", "reference", "candidate"), SILENT)
def test_equivalent_writings_give_no_serious_finding(kind: str, reference: str, candidate: str) -> None:
    assert _serious(_damage(reference, candidate)) == []


# (class, reference, candidate, type): the same shape, but damage
DAMAGE = [
    ("clock", "The ferry left Tarvik at 19:10 on Monday.", "The ferry left Tarvik at 17:10 on Monday.", "value_changed"),
    ("clock", "The ferry left Tarvik at 9 a.m. on Monday.", "The ferry left Tarvik at 9 p.m. on Monday.",
     "value_changed"),
    ("scale", "Sales reached 4 million units in Norvia.", "Sales reached 4 bln units in Norvia.", "magnitude_changed"),
    ("abbreviation", "The parade was held in Saint Petersburg.", "The parade was held in St. Peterhof.",
     "replaced"),
    ("numeral", "Part II covers the ethics of trade.", "Part 3 covers the ethics of trade.", "replaced"),
    ("place", "Loans to Greece were cut off in May.", "Loans to were cut off in May.", "dropped"),
]


@pytest.mark.parametrize(("kind", "reference", "candidate", "type_"), DAMAGE)
def test_damage_of_the_same_shape_is_found(kind: str, reference: str, candidate: str, type_: str) -> None:
    assert type_ in {t for t, _ in _serious(_damage(reference, candidate))}


@pytest.mark.parametrize(("norm", "generic"), [
    ("bureau", True), ("commission", True), ("affairs", True), ("memory", True), ("stories", True),
    ("ordinance", True), ("tarvik", False), ("yun", False), ("zhang", False), ("beijing", False),
])
def test_generic_word(norm: str, generic: bool) -> None:
    from diag.entities.words import generic_word

    assert generic_word(norm, lexicon()) is generic


@pytest.mark.parametrize(("a", "b", "same"), [
    ("seleznev", "selezneva", True), ("stavropol", "stavropolskaya", True), ("prikubansk", "prikuban", True),
    ("tsumadinsky", "tsumadi", True), ("morozova", "morozovu", True), ("austria", "australia", False),
    ("orlov", "orlova", True), ("kazan", "kazanets", False), ("lena", "lenaa", False), ("ivanov", "ivanov", False),
])
def test_grammatical_form(a: str, b: str, same: bool) -> None:
    from diag.entities.words import grammatical_form

    assert grammatical_form(a, b, lexicon()) is same


# (reference, candidate, the entity stage's type and severity for the name)
WORDING = [
    ("The Tarvik Health Bureau said cases rose.", "The Tarvik Health Commission said cases rose.",
     ("wording_changed", "minor")),
    ("His books include Strange Stories in Norvia.", "His books include Odd Stories in Norvia.",
     ("wording_changed", "minor")),
    ("The Public Relations Department of the ministry replied.", "The Office of Public Affairs of the ministry replied.",
     ("wording_changed", "minor")),
    # a person's name keeps a given name: a changed name, whatever the words
    ("Talks with Yun Sun ended.", "Talks with Yun Sang ended.", ("name_changed", "major")),
    # a distinctive word changed: a changed name
    ("The Tarvik Health Bureau said cases rose.", "The Tarvik Harbour Bureau said cases rose.",
     ("name_changed", "major")),
]


@pytest.mark.parametrize(("reference", "candidate", "expected"), WORDING)
def test_generic_words_inside_a_name(reference: str, candidate: str, expected: tuple[str, str]) -> None:
    got = [(f.type, f.severity) for f in _damage(reference, candidate) if f.category == "named_entity"]
    assert got == [expected]


@pytest.mark.parametrize(("reference", "candidate"), [
    ("Head of Norvia Province Pavel Vasiliev met the champion.", "The head of Norvia Province, Pavel Vasilyev, met the champion."),
    ("Foreign Secretary of Great Britain Tom Hale did not apologize.", "British Foreign Secretary Tom Hale will not apologize."),
])
def test_names_that_differ_in_a_variant_only_give_no_serious_finding(reference: str, candidate: str) -> None:
    assert _serious(_damage(reference, candidate)) == []


@pytest.mark.parametrize(("sentence", "names"), [
    ("Hello, I ordered two lamps from Tarvik.", ["Tarvik"]),
    ("Thank you, Tove Lind.", ["Tove Lind"]),
    ("Sorry, the shop in Tarvik is closed.", ["Tarvik"]),
])
def test_greetings_are_no_names(sentence: str, names: list[str]) -> None:
    tokens = tokenise(sentence, 0)
    found = find_names(tokens, 0, len(tokens), lexicon(), frozenset())
    assert [sentence[m.start : m.end] for m in found] == names


@pytest.mark.parametrize(("text", "value"), [
    ("three and a half", 3.5), ("2 and a half million", 2.5e6), ("three and a dozen", 3.0),
])
def test_and_a_half(text: str, value: float) -> None:
    tokens = tokenise(text, 0)
    assert find_numbers(tokens, 0, len(tokens), lexicon())[0].value == value


@pytest.mark.parametrize(("text", "tokens"), [
    ("R&D budget", ["R&D", "budget"]), ("AT&T shares", ["AT&T", "shares"]), ("Q&A.", ["Q&A", "."]),
    ("R&Dx", ["R", "&", "Dx"]), ("salt&pepper", ["salt", "&", "pepper"]),
])
def test_ampersand_acronyms_are_one_token(text: str, tokens: list[str]) -> None:
    assert [t.text for t in tokenise(text, 0)] == tokens


@pytest.mark.parametrize(("letters", "candidate", "spelled"), [
    ("rd", "China Enterprise Research and Development Base", True),
    ("ma", "the Mergers and Acquisitions desk", True),
    ("rd", "China Enterprise Research Base", False),
    ("rd", "the research and development desk", False),  # an acronym's expansion is capitalised
])
def test_spelled_out(letters: str, candidate: str, spelled: bool) -> None:
    from diag.entities.variants import spelled_out

    words = [t for t in tokenise(candidate, 0) if t.is_word]
    assert spelled_out(letters, words) is spelled


@pytest.mark.parametrize(("x", "y", "swapped"), [
    ("krasnodar", "kransodar", True), ("gortsaranain", "gortsaranian", True), ("tarvik", "travik", True),
    ("lina", "lian", False), ("krasnodar", "krasnodra", True), ("krasnodar", "kransodra", False),
    ("tarvik", "tarvak", False),
])
def test_swapped_letters(x: str, y: str, swapped: bool) -> None:
    from diag.entities.words import swapped_letters

    assert swapped_letters(x, y) is swapped


# (reference, candidate, the entity stage's (type, severity) for the name)
SHAPES = [
    # only a generic word cut from the name: a translator's wording
    ("The Tarvik Youth Ice Hockey League opened the season.", "The Tarvik Youth Hockey League opened the season.",
     [("wording_changed", "minor")]),
    # a distinctive word cut from it: damage
    ("The Tarvik Youth Ice Hockey League opened the season.", "The Youth Ice Hockey League opened the season.",
     [("dropped", "major")]),
    # two neighbouring letters swapped, a designator added: a minor spelling variant
    ("The crash was on Gortsaranain street at night.", "The crash was on Gortsaranian Street at night.",
     [("spelling_variant", "minor")]),
    ("The crash was on Gortsaranain street at night.", "The crash was on Gortsarabin Street at night.",
     [("transliterated", "major")]),
    # an acronym inside a name written out
    ("It won the China Enterprise R&D Base award.", "It won the China Enterprise Research and Development Base award.",
     []),
    # another province a letter away: not a spelling variant
    ("Prices rose in Shaanxi Province last year.", "Prices rose in Shanxi last year.", [("transliterated", "major")]),
    # a name with a lower-case part after a hyphen, written as one word
    ("A boat was found in the Tarva-gawa river in Okamura.", "In Tarvagawa in Okamura, a boat was found in the river.",
     [("spelling_variant", "minor")]),
    # a place named by its adjective among the words that took its place
    ("She spends Christmas at home in Thüringen with her family.",
     "She spends Christmas in her Thuringian homeland with her family.", [("spelling_variant", "minor")]),
    # another grammatical form of a name spelt another way before its ending
    ("The meeting is at 339 Morzov Street in Tarvik.", "The meeting is at 339 ulitsa Morozova in Tarvik.",
     [("spelling_variant", "minor")]),
    # a name cut where a related word both sentences carry stays: a cut
    ("Greek ships left Greece in May, the agency said.", "Greek ships left in May, the agency said.",
     [("dropped", "major")]),
    # a month is no transliteration of a name
    ("Tarvik has grown since Novembre 2014.", "Tarvik has grown since November 2014.", [("replaced", "minor")]),
    # a word kept as the start of a compound: part of the name changed, not a transliteration
    ("Quotes from Norvia News were cited, the paper said.", "Quotes from Norvianet were cited, the paper said.",
     [("name_changed", "major")]),
]


@pytest.mark.parametrize(("reference", "candidate", "expected"), SHAPES)
def test_shapes_of_a_changed_name(reference: str, candidate: str, expected: list[tuple[str, str]]) -> None:
    got = [(f.type, f.severity) for f in _damage(reference, candidate) if f.category in {"named_entity", "omission"}
           and f.type != "added"]
    assert got == expected


@pytest.mark.parametrize(("a", "b", "compound"), [
    ("xinhua", "xinhuanet", True), ("norvia", "norviabank", True), ("norvia", "norvian", False),
    ("tass", "tassnews", False), ("china", "chinese", False),
])
def test_compound_of(a: str, b: str, compound: bool) -> None:
    from diag.entities.words import compound_of

    assert compound_of(a, b) is compound


DECISIONS = [
    (Evidence("similar", shared_word=True, similarity=0.9, generic=True), Decision("named_entity", "wording_changed", "minor")),
    (Evidence("similar", shared_word=True, similarity=0.9), Decision("named_entity", "name_changed", "major")),
    (Evidence("cut", generic=True), Decision("named_entity", "wording_changed", "minor")),
    (Evidence("cut"), Decision("omission", "dropped", "major")),
    (Evidence("local", shared_word=True, similarity=0.8), Decision("named_entity", "name_changed", "major")),
    (Evidence("local", alias=True, similarity=0.8), Decision("named_entity", "spelling_variant", "minor")),
    (Evidence("local", alias=True, similarity=0.8, namelike=False), Decision("named_entity", "replaced", "minor")),
    (Evidence("local", similarity=0.8), Decision("named_entity", "transliterated", "major")),
]


@pytest.mark.parametrize(("evidence", "decision"), DECISIONS)
def test_decide(evidence: Evidence, decision: Decision) -> None:
    assert decide(evidence) == decision
