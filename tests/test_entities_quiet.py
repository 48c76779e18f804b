"""Quiet on good translations: common words, common-noun acronyms, currency signs and acronyms a text defines
are no damage, and damage of the same shape is still found. Every example is written for these tests.
"""

from __future__ import annotations

import pytest

from diag import lexdata
from diag.entities import find_damage
from diag.entities.definitions import abbreviates, defined_acronyms
from diag.entities.lexicon import lexicon
from diag.entities.mentions import case_evidence, find_names, inflected_common
from diag.entities.tokens import tokenise
from diag.model import AlignedPair, Alignment, Document, Finding, Sentence

ONE_PAIR = Alignment(pairs=(AlignedPair((0,), (0,), 1.0),), reference_coverage=1.0, candidate_coverage=1.0)


def _doc(text: str) -> Document:
    return Document(text=text, sentences=(Sentence(0, 0, len(text), text),))


def _damage(reference: str, candidate: str) -> tuple[Finding, ...]:
    return find_damage(_doc(reference), _doc(candidate), ONE_PAIR)


def _names(sentence: str) -> list[tuple[str, bool]]:
    """The sentence's names and whether each is weak, with the evidence the sentence itself gives."""
    lex = lexicon()
    evidence = case_evidence((_doc(sentence),), lex, lexdata.case_prior())
    tokens = tokenise(sentence, 0)
    return [(sentence[m.start : m.end], m.weak) for m in find_names(tokens, 0, len(tokens), lex, frozenset(), evidence)]


@pytest.mark.parametrize(("norm", "expected"), [
    ("rescuers", True),  # rescue + rs
    ("visiting", True),  # visit + ing
    ("larger", True),  # large + r
    ("controlled", True),  # control, doubled l
    ("harding", False),  # "hard" is too short a stem to decide
    ("tarviks", False),  # no English stem
    ("long", False),  # no ending at all
])
def test_inflected_common(norm: str, expected: bool) -> None:
    assert inflected_common(norm, lexdata.case_prior()) is expected


@pytest.mark.parametrize(("sentence", "names"), [
    # a common word's plural first in a sentence is no name
    ("Rescuers pulled two hikers from the river.", [("Rescuers", True)]),
    # an inflected common word glued to a name first in a sentence is cut off it
    ("Visiting Tarvik for talks on tourism", [("Tarvik", False)]),
    # a common word before an acronym is cut off it
    ("Larger KVX cameras leave more room.", [("KVX", False)]),
    # a short common word before an unknown word is a family name, as before
    ("Long Yongtu said the talks went well.", [("Long Yongtu", False)]),
    # a common word before a bare title opens the sentence; the titled name after it is the name
    ("Earlier, Chief Health Officer Ana Ruiz said it.", [("Earlier", True), ("Chief Health Officer Ana Ruiz", False)]),
    # a title in apposition after an article still makes a person of a common word
    ("Sharp, a financial journalist, wrote it.", [("Sharp", False)]),
    # the letters of a currency sign are no name; the same letters alone are one
    ("The fund got S$500 million.", []),
    ("The fund got HK$ 20 million.", []),
    ("The US fund got $500 million.", [("US", False)]),
    # a capitalised run of connecting words alone ("DU", "VON") compares nothing: no name
    ("Kestra Labs opened 0DU offices.", [("Kestra Labs", False)]),
])
def test_name_evidence(sentence: str, names: list[tuple[str, bool]]) -> None:
    assert _names(sentence) == names


@pytest.mark.parametrize(("text", "expected"), [
    ("TV", True), ("TVs", True), ("U.R.L.", True), ("SMS", True), ("NATO", False), ("US", False), ("WHO", False),
])
def test_common_acronym(text: str, expected: bool) -> None:
    assert lexdata.common_acronym(text) is expected


@pytest.mark.parametrize(("texts", "expected"), [
    (("Talks with the Norvian Trade Union (NTU) ended.",), {"ntu": {("norvian", "trade", "union")}}),
    (("The NTU (Norvian Trade Union) met.",), {"ntu": {("norvian", "trade", "union")}}),
    # a romanised name's acronym need not be its initials; a demonym before it is left out
    (("The vice chairman of the Velskan Kormintal (KMT) came.",), {"kmt": {("kormintal",)}}),
    # a bracket after a person gives an affiliation, not an expansion
    (("Mayor Ana Ruiz (NTP) spoke.",), {}),
    # both texts define
    (("The Norvian Trade Union (NTU) met.", "The Tarvik Party (TP) met."),
     {"ntu": {("norvian", "trade", "union")}, "tp": {("tarvik", "party")}}),
])
def test_defined_acronyms(texts: tuple[str, ...], expected: dict[str, set[tuple[str, ...]]]) -> None:
    assert {k: set(v) for k, v in defined_acronyms(texts, lexicon()).items()} == expected


@pytest.mark.parametrize(("letters", "words", "expected"), [
    ("kmt", ("velskan", "kormintal"), ("kormintal",)),
    ("ntu", ("norvian", "trade", "union"), ("norvian", "trade", "union")),
    ("csu", ("ana", "ruiz"), None),
    ("ntp", ("norvian", "party"), None),  # no "t" after the "n"... in order
])
def test_abbreviates(letters: str, words: tuple[str, ...], expected: tuple[str, ...] | None) -> None:
    assert abbreviates(letters, words) == expected


def _reported(findings: tuple[Finding, ...]) -> list[tuple[str, str]]:
    return [(f.type, f.severity) for f in findings if f.category in {"named_entity", "omission"}]


# (class, reference, candidate): two good renderings of one sentence, so no name finding at all
SILENT = [
    ("common word first", "The rescue team pulled two hikers from the river.",
     "Rescuers pulled two hikers from the river."),
    ("inflected word first", "Visiting Tarvik for talks on tourism", "Talks on tourism in Tarvik"),
    ("common-noun acronym added", "The bank did not send the text messages.", "The bank did not send the SMS."),
    ("common-noun acronym written out", "He has worked on AI for a decade.",
     "He has worked on artificial intelligence for a decade."),
    ("common-noun acronym plural", "Many laser TVs have sharp screens.", "Many laser TV sets have sharp screens."),
    ("currency sign", "The state granted SGD 500 million to tourism.", "The state granted S$500 million to tourism."),
    ("gloss left out", "According to the Norvian Trade Union (NTU), wages rose.",
     "According to the Norvian Trade Union, wages rose."),
    ("gloss added", "According to the Norvian Trade Union, wages rose.",
     "According to the Norvian Trade Union (NTU), wages rose."),
]


@pytest.mark.parametrize(("kind", "reference", "candidate"), SILENT)
def test_good_renderings_are_silent(kind: str, reference: str, candidate: str) -> None:
    assert _reported(_damage(reference, candidate)) == []


def _sentences(*texts: str) -> Document:
    text = " ".join(texts)
    sentences, start = [], 0
    for k, t in enumerate(texts):
        sentences.append(Sentence(k, start, start + len(t), t))
        start += len(t) + 1
    return Document(text=text, sentences=tuple(sentences))


TWO_PAIRS = Alignment(pairs=(AlignedPair((0,), (0,), 1.0), AlignedPair((1,), (1,), 1.0)), reference_coverage=1.0,
                      candidate_coverage=1.0)


@pytest.mark.parametrize(("reference", "candidate", "serious"), [
    # the acronym a text defines, rendered by its name in a later sentence, and the other way round
    (("The Velskan Kormintal (KMT) met in Tarvik.", "A KMT adviser praised the talks."),
     ("The Velskan Kormintal met in Tarvik.", "A Kormintal adviser praised the talks."), False),
    (("The Velskan Kormintal (KMT) met in Tarvik.", "A Kormintal adviser praised the talks."),
     ("The Velskan Kormintal met in Tarvik.", "A KMT adviser praised the talks."), False),
    # the comparison stays positional: the name in another sentence does not excuse a replaced acronym
    (("The Norvian Trade Union (NTU) met in Tarvik.", "Later NTU officials praised the talks."),
     ("The Norvian Trade Union met in Tarvik.", "Later Velsk Bank officials praised the talks."), True),
])
def test_defined_acronym_across_sentences(reference: tuple[str, str], candidate: tuple[str, str], serious: bool
                                          ) -> None:
    findings = find_damage(_sentences(*reference), _sentences(*candidate), TWO_PAIRS)
    assert any(f.severity in {"major", "critical"} for f in findings) is serious


# (class, reference, candidate, type): the same shape, but damage
DAMAGE = [
    ("acronym dropped", "Shares of NTU rose in Tarvik on Monday.", "Shares of rose in Tarvik on Monday.", "dropped"),
    ("affiliation is no expansion", "Mayor Ana Ruiz (NTP) spoke in Tarvik.", "Mayor Tove Lind (NTP) spoke in Tarvik.",
     None),
    ("name after a common word", "Earlier, Chief Officer Ana Ruiz said it.", "Earlier, Chief Officer Tove Lind said it.",
     None),
]


@pytest.mark.parametrize(("kind", "reference", "candidate", "type_"), DAMAGE)
def test_damage_of_the_same_shape_is_found(kind: str, reference: str, candidate: str, type_: str | None) -> None:
    serious = [(f.type, f.severity) for f in _damage(reference, candidate) if f.severity in {"major", "critical"}]
    assert serious, kind
    if type_ is not None:
        assert type_ in {t for t, _ in serious}


@pytest.mark.parametrize(("reference", "candidate", "expected"), [
    # one acronym for another is a different name: not an acronym read as a word, not a transliteration
    ("The KVLM camera has a lens.", "The KVLR camera has a lens.", ("replaced", "major")),
    ("Support for the NTLF grew.", "Support for the NTF grew.", ("replaced", "major")),
    # an acronym read as the word it spells stays what it is
    ("Support for VELA grew in Tarvik.", "Support for Velasco grew in Tarvik.", ("acronym_expanded", "major")),
])
def test_acronym_for_acronym_is_replaced(reference: str, candidate: str, expected: tuple[str, str]) -> None:
    got = [(f.type, f.severity) for f in _damage(reference, candidate) if f.category == "named_entity"]
    assert got == [expected]


# (reference, candidate, serious?): a time of day or a thousands separator written with a period
NUMBER_FORMS = [
    ("The board met at 12.00 GMT in Tarvik.", "The board met at 12:00 GMT in Tarvik.", False),
    ("The board met at 9.30 in Tarvik.", "The board met at 9:30 a.m. in Tarvik.", False),
    ("The board met at 12.00 GMT in Tarvik.", "The board met at 12:30 GMT in Tarvik.", True),
    ("More than 272.000 votes were cast in Norvia.", "More than 272,000 votes were cast in Norvia.", False),
    ("More than 272.000 votes were cast in Norvia.", "More than 27,000 votes were cast in Norvia.", True),
    ("More than 272,000 votes were cast in Norvia.", "More than 272.000 votes were cast in Norvia.", False),
]


NUMBER_FORMS += [
    # a time of day as four digits and "hours"
    ("The centre got the call at 1:23 a.m. in Tarvik.", "The centre got the call at 0123 hours in Tarvik.", False),
    ("The doors opened at 6:30 p.m. in Tarvik.", "The doors opened at 1830 hours in Tarvik.", False),
    ("The centre got the call at 1:23 a.m. in Tarvik.", "The centre got the call at 0223 hours in Tarvik.", True),
    # a score or ratio with a colon or a hyphen
    ("Velsk lost 16-32 (8-13) before 800 fans.", "Velsk lost 16:32 (8:13) before 800 fans.", False),
    ("Fans saw a 3:1 win in Tarvik.", "Fans saw a 3-1 win in Tarvik.", False),
]


@pytest.mark.parametrize(("reference", "candidate"), [
    # a score changed is still a number finding (its severity is the pairing's: context decides)
    ("Velsk lost 16-32 (8-13) before 800 fans.", "Velsk lost 16:32 (8:14) before 800 fans."),
    ("Fans saw a 3-1 win in Tarvik.", "Fans saw a 3:2 win in Tarvik."),
])
def test_changed_score_is_found(reference: str, candidate: str) -> None:
    assert any(f.category == "number" and f.type == "value_changed" for f in _damage(reference, candidate))


@pytest.mark.parametrize(("reference", "candidate", "serious"), NUMBER_FORMS)
def test_number_written_with_a_period(reference: str, candidate: str, serious: bool) -> None:
    findings = _damage(reference, candidate)
    assert any(f.category == "number" and f.severity in {"major", "critical"} for f in findings) is serious


@pytest.mark.parametrize(("reference", "candidate", "added"), [
    # the reference sentence's name with a designation added is no name added
    ("Prices are set across Tarvik territory, the bureau said.", "Prices are set across Tarvik Province, the bureau said.",
     False),
    ("Prices are set across Tarvik, the bureau said.", "Prices are set across Tarvik District, the bureau said.", False),
    # another name with the designation is
    ("Prices are set across the territory, the bureau said.", "Prices are set across Norvik Province, the bureau said.",
     True),
])
def test_designation_added(reference: str, candidate: str, added: bool) -> None:
    assert any(f.type == "added" for f in _damage(reference, candidate)) is added


def _named(findings: tuple[Finding, ...]) -> list[tuple[str, str]]:
    return [(f.type, f.severity) for f in findings if f.category in {"named_entity", "omission"}]


# (class, reference, candidate, expected): one name written two accepted ways is a minor spelling variant
ROMANISED = [
    ("yo / e", "Captain Fyodor Velkin led the crew.", "Captain Fedor Velkin led the crew.",
     [("spelling_variant", "minor")]),
    ("ye / e", "Yevgeny Tarkov won the race.", "Evgeny Tarkov won the race.", [("spelling_variant", "minor")]),
    ("kh / h", "The driver, Akhmal Rostami, was hurt.", "The driver, Ahmal Rostami, was hurt.",
     [("spelling_variant", "minor")]),
    ("long vowel", "Satou Haruki opened the shop.", "Sato Haruki opened the shop.", [("spelling_variant", "minor")]),
    ("moved and respelled", "Ships include the Koryol submarine and the Stoyan corvette.",
     "Ships include the submarine Korel and the corvette Stoyan.", [("spelling_variant", "minor")]),
    ("given name's English form", "Mikhail Tarvin won the race.", "Michael Tarvin won the race.",
     [("spelling_variant", "minor")]),
    ("given name's other form", "Pyotr Velkin won the race.", "Petr Velkin won the race.",
     [("spelling_variant", "minor")]),
]

# the same shapes, but another name: still major
ROMANISED_DAMAGE = [
    ("changed vowel", "Talks were held in Tarelyansk on Monday.", "Talks were held in Tarelensk on Monday."),
    ("another given name", "Mikhail Tarvin won the race.", "Nikolai Tarvin won the race."),
    ("another family name", "Yevgeny Tarkov won the race.", "Evgeny Torkin won the race."),
    ("moved and changed", "Ships include the Koryol submarine and the Stoyan corvette.",
     "Ships include the submarine Marlin and the corvette Stoyan."),
]


@pytest.mark.parametrize(("kind", "reference", "candidate", "expected"), ROMANISED)
def test_romanisation_choices_are_minor(kind: str, reference: str, candidate: str,
                                        expected: list[tuple[str, str]]) -> None:
    assert _named(_damage(reference, candidate)) == expected


@pytest.mark.parametrize(("kind", "reference", "candidate"), ROMANISED_DAMAGE)
def test_romanisation_does_not_excuse_another_name(kind: str, reference: str, candidate: str) -> None:
    assert any(s in {"major", "critical"} for _, s in _named(_damage(reference, candidate))), kind


# (class, reference, candidate, serious?): part of a name given as its acronym, or an acronym written out inside
# a longer name
ACRONYM_PARTS = [
    ("part as acronym", "He met the Norvian Trade Union Central Council.", "He met the NTU Central Council.", False),
    ("part as acronym, rest changed", "He met the Norvian Trade Union Central Council.", "He met the NTU Central Bank.",
     True),
    ("acronym written out inside a name", "They studied the 20th NTU Congress.",
     "They studied the 20th Congress of the Norvian Trade Union.", False),
    ("acronym cut", "They studied the 20th NTU Congress.", "They studied the 20th Congress.", True),
]


@pytest.mark.parametrize(("kind", "reference", "candidate", "serious"), ACRONYM_PARTS)
def test_acronym_for_part_of_a_name(kind: str, reference: str, candidate: str, serious: bool) -> None:
    found = _named(_damage(reference, candidate))
    assert any(s in {"major", "critical"} for _, s in found) is serious, found
    if not serious:
        assert found == [], found


@pytest.mark.parametrize(("reference", "candidate", "severity"), [
    # named in full in the first sentence, by the family name in the second: the usual short form
    (("Ana Velkin met the mayor.", "Later Ana Velkin said the talks went well."),
     ("Ana Velkin met the mayor.", "Later Velkin said the talks went well."), "minor"),
    # never named in full in the candidate: the given name is lost
    (("The minister met the mayor.", "Later Ana Velkin said the talks went well."),
     ("The minister met the mayor.", "Later Velkin said the talks went well."), "major"),
    # the whole name cut
    (("Ana Velkin met the mayor.", "Later Ana Velkin said the talks went well."),
     ("Ana Velkin met the mayor.", "Later said the talks went well."), "major"),
])
def test_person_named_by_family_name(reference: tuple[str, str], candidate: tuple[str, str], severity: str) -> None:
    found = [f for f in find_damage(_sentences(*reference), _sentences(*candidate), TWO_PAIRS)
             if f.category == "omission"]
    assert [f.severity for f in found] == [severity]


# (class, reference, candidate, expected): two translators word a name's generic words differently
WORDING = [
    ("rarer common word", "Residents of Tarvik mark the Year of Remembrance.",
     "Residents of Tarvik mark the Year of Memory.", [("wording_changed", "minor")]),
    ("rarer common word, plural", "He ran the Velsk Garments Factory for years.",
     "He ran the Velsk Clothing Factory for years.", [("wording_changed", "minor")]),
    ("a dish", "Can I get a refund for the Poached Chicken with Dill Sauce?",
     "Can I get a refund for the Steamed Chicken with Dill Sauce?", [("wording_changed", "minor")]),
    # most of the name's kind lost: no wording
    ("kind lost", "It was designed by the Velsk Central Maritime Design Bureau.",
     "It was designed by the Velsk Central Bank.", [("name_changed", "major")]),
    # a name word changed: no wording
    ("name word", "Residents of Velsk mark the Year of Tarvik.", "Residents of Velsk mark the Year of Korvin.",
     [("name_changed", "major")]),
]


@pytest.mark.parametrize(("kind", "reference", "candidate", "expected"), WORDING)
def test_generic_wording(kind: str, reference: str, candidate: str, expected: list[tuple[str, str]]) -> None:
    assert _named(_damage(reference, candidate)) == expected


# (class, reference, candidate, expected): a name's word in another form of one word (an adjective of a place)
FORMS = [
    ("adjective form", "Hikers love the Velsker Forest in summer.", "Hikers love the Velskian Forest in summer.",
     [("spelling_variant", "minor")]),
    ("another word", "Hikers love the Velsker Forest in summer.", "Hikers love the Korvin Forest in summer.",
     [("name_changed", "major")]),
    # a name's word translated by one translator and kept by the other cannot be told from a name translated
    # word for word, a mistranslation: it stays a changed name
    ("translated / kept", "They read Tales of Lesnoy Velsk at school.", "They read Tales of Forest Velsk at school.",
     [("name_changed", "major")]),
]


@pytest.mark.parametrize(("kind", "reference", "candidate", "expected"), FORMS)
def test_word_forms_inside_a_name(kind: str, reference: str, candidate: str, expected: list[tuple[str, str]]) -> None:
    assert _named(_damage(reference, candidate)) == expected


@pytest.mark.parametrize(("reference", "candidate", "serious"), [
    # the person kept, the affiliation's acronym written out or read in the one word of a romanised name
    ("KVT Vice Chairman Xu Liyan spoke in Tarvik.", "Xu Liyan, vice chairman of the Kuovintang, spoke in Tarvik.",
     False),
    ("NTU Vice Chairman Ana Ruiz spoke in Tarvik.", "Ana Ruiz, vice chairman of the Norvian Trade Union, spoke in Tarvik.",
     False),
    # another affiliation, or another person
    ("KVT Vice Chairman Xu Liyan spoke in Tarvik.", "DPP Vice Chairman Xu Liyan spoke in Tarvik.", True),
    ("KVT Vice Chairman Xu Liyan spoke in Tarvik.", "Xu Lian, vice chairman of the Kuovintang, spoke in Tarvik.",
     True),
])
def test_person_kept_with_affiliation_reworded(reference: str, candidate: str, serious: bool) -> None:
    found = _named(_damage(reference, candidate))
    assert any(s in {"major", "critical"} for _, s in found) is serious, found
    if not serious:
        assert found == [], found


@pytest.mark.parametrize(("reference", "candidate", "added"), [
    # a text's own country, named by the translation
    ("There will be 70 million fund investors in my country by May.", "Kenya will have 70 million fund investors by May.",
     False),
    ("Our country will build 12 ports, the minister said.", "Kenya will build 12 ports, the minister said.", False),
    ("Farmers in our nation grew more rice.", "Farmers in Kenya grew more rice.", False),
    # no such phrase: a country added
    ("Farmers grew more rice.", "Farmers in Kenya grew more rice.", True),
    # not a country: a name added
    ("There will be 70 million fund investors in my country by May.",
     "Tarvik Bank will have 70 million fund investors by May.", True),
])
def test_own_country_named(reference: str, candidate: str, added: bool) -> None:
    assert any(f.type == "added" for f in _damage(reference, candidate)) is added


@pytest.mark.parametrize(("kind", "reference", "candidate", "expected"), [
    # a given name's other form where the alignment replaced only that word
    ("given name replaced in place", "Talks between Ivan Lesko and Volodymyr Tarvin took place on Monday.",
     "Talks between Ivan Lesko and Vladimir Tarvin took place on Monday.", [("spelling_variant", "minor")]),
    ("another given name in place", "Talks between Ivan Lesko and Volodymyr Tarvin took place on Monday.",
     "Talks between Ivan Lesko and Oleksiy Tarvin took place on Monday.", [("name_changed", "major")]),
    # era notations
    ("era", "The wall was built in the third century BCE by the Velsk.",
     "The wall was built in the third century BC by the Velsk.", []),
    ("other era", "The wall was built in the third century BCE by the Velsk.",
     "The wall was built in the third century AD by the Velsk.", [("replaced", "major")]),
])
def test_more_accepted_forms(kind: str, reference: str, candidate: str, expected: list[tuple[str, str]]) -> None:
    assert _named(_damage(reference, candidate)) == expected


@pytest.mark.parametrize(("reference", "candidate", "serious"), [
    ("The fine is over 2 1/2 million tenge.", "The fine is more than two and a half million tenge.", False),
    ("The fine is over 2 1/2 million tenge.", "The fine is more than 2.5 million tenge.", False),
    ("The fine is over 2 1/2 million tenge.", "The fine is more than two million tenge.", True),
    ("The fine is over 2 3/4 million tenge.", "The fine is more than 2.5 million tenge.", True),
    # a date is no fraction
    ("He won on 2 1/2/2020 in Tarvik.", "He won on 2 1/2/2020 in Tarvik.", False),
])
def test_mixed_fraction(reference: str, candidate: str, serious: bool) -> None:
    findings = _damage(reference, candidate)
    assert any(f.category == "number" and f.severity in {"major", "critical"} for f in findings) is serious


def test_a_name_of_connecting_words_alone_is_no_finding() -> None:
    """It had no words to compare, and the name rules indexed its first one."""
    found = _damage("Kestra Labs Kestra Labs 0DU ", "Kestra Labs ")
    assert [(f.category, f.reference.text if f.reference else None) for f in found] == [("omission", "0")]
