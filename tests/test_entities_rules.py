"""Tests for the entity rule engine: each name rule on its own table, the order of the registry, and ``decide``."""

from __future__ import annotations

import pytest

from diag.entities.damage import pair_context
from diag.entities.decide import Decision, Evidence, decide
from diag.entities.definitions import defined_acronyms
from diag.entities.lexicon import lexicon
from diag import lexdata
from diag.entities.mentions import build_side, case_evidence, lower_words
from diag.entities.tokens import tokenise
from diag.entities.variants import NAME_RULES
from diag.model import Document, Sentence


def _outcome(rule_name: str, reference: str, candidate: str) -> tuple[bool, list[str]]:
    """Apply one rule to the reference's longest name: (answered?, the types of its findings)."""
    ref_doc = Document(text=reference, sentences=(Sentence(0, 0, len(reference), reference),))
    cand_doc = Document(text=candidate, sentences=(Sentence(0, 0, len(candidate), candidate),))
    lex = lexicon()
    evidence = case_evidence((ref_doc, cand_doc), lex, lexdata.case_prior())
    ref = build_side(ref_doc, (0,), lex, lower_words(reference), evidence)
    cand = build_side(cand_doc, (0,), lex, lower_words(candidate), evidence)
    ctx = pair_context(ref, cand, 0, frozenset(t.norm for t in tokenise(reference, 0)),
                       frozenset(t.norm for t in tokenise(candidate, 0)), defined_acronyms((reference, candidate), lex))
    rule = dict(NAME_RULES)[rule_name]
    assert ref.names, f"no name found in {reference!r}"
    got = rule(ctx, max(ref.names, key=lambda m: m.end - m.start))
    return got is not None, [f.finding.type for f in got.found] if got is not None else []


RULES = [
    # (rule, reference, candidate, answers, finding types)
    ("verbatim", "The board met Ana Ruiz in Lisbon.", "Ana Ruiz met the board in Lisbon.", True, []),
    ("verbatim", "The board met Ana Ruiz's team.", "The board met the team of Ana Ruiz.", True, []),
    ("verbatim", "The board met Ana Ruiz in Lisbon.", "The board met Ana Ortiz in Lisbon.", False, []),
    ("addressed_short_form", "The plan was backed by Quan Meiling on Friday.",
     "The plan was backed by Ms. Quan on Friday.", True, []),
    ("addressed_short_form", "The plan was backed by Quan Meiling on Friday.",
     "The plan was backed by Governor Meiling on Friday.", True, []),
    ("addressed_short_form", "The plan was backed by Quan Meiling on Friday.",
     "The plan was backed by Quan on Friday.", False, []),
    ("addressed_short_form", "The plan was backed by Governor Quan Meiling on Friday.",
     "The plan was backed by Governor Quan Meilin on Friday.", False, []),
    ("addressed_short_form", "The plan was backed by Quan Meiling on Friday.",
     "The plan was backed by Ms. Guan on Friday.", False, []),
    ("cut_out", "The plan was backed by Henrik Dahl on Friday.", "The plan was backed by on Friday.", True,
     ["dropped"]),
    ("cut_out", "The plan was backed by Henrik Dahl on Friday.", "The plan was backed by Henrik Dahl on Friday.",
     False, []),
    ("casing_only", "Shares of SnapFrame rose again.", "Shares of Snapframe rose again.", True, ["casing"]),
    ("casing_only", "Shares of SnapFrame rose again.", "SHARES OF SNAPFRAME ROSE AGAIN TODAY.", True, []),
    ("casing_only", "Shares of SnapFrame rose again.", "Shares of Snapfarm rose again.", False, []),
    ("all_words_kept", "The grant was approved by Tove Lindahl on Friday.",
     "The grant was approved by Lindahl Tove on Friday.", True, ["name_order"]),
    ("all_words_kept", "Talks with the Chinese Commerce Ministry resumed.",
     "Talks with the Ministry of Commerce of China resumed.", True, []),
    ("all_words_kept", "Talks with the Chinese Commerce Ministry resumed.", "Talks with the ministers resumed.",
     False, []),
    ("initials_as_acronym", "Troops from the United States arrived.", "U.S. troops arrived.", True, []),
    ("initials_as_acronym", "Troops from the United States arrived.", "American troops arrived.", False, []),
    ("acronym_spelled_out", "Experts at WHO warned again.", "Experts at the World Health Organization warned again.",
     True, []),
    ("acronym_spelled_out", "Experts at WHO warned again.", "Experts at the Food Agency warned again.", False, []),
    ("syllabic_acronym_spelled_out", "INTERPOL issued a notice on Monday.",
     "The International Criminal Police Organization issued a notice on Monday.", True, []),
    ("syllabic_acronym_spelled_out", "The NORVECOM warned residents on Monday.",
     "The Ministry of Norvegian Commerce warned residents on Monday.", True, []),
    ("syllabic_acronym_spelled_out", "The NORVECOM warned residents on Monday.",
     "The Ministry of Forests warned residents on Monday.", False, []),
    ("syllabic_acronym_spelled_out", "The TARVA movement grew on Monday.", "The Tarvaz Movement grew on Monday.",
     False, []),
    ("defined_acronym", "It met the KMP.", "It met the Kormintal Party (KMP).", True, []),
    ("defined_acronym", "Delegates of the Kormintal Party (KMP) met in Tarvik.",
     "Delegates of the KMP met in Tarvik.", True, []),
    ("defined_acronym", "It met the KMP.", "It met the Velsk Party (VP).", False, []),
    ("defined_acronym", "Mayor Hanne Solberg-Ruiz (KVP) met them in Tarvik.", "Mayor KVP met them in Tarvik.",
     False, []),
    ("common_noun_spelled_out", "He worked on AI for a decade.", "He worked on artificial intelligence for a decade.",
     True, []),
    ("common_noun_spelled_out", "The GDP grew again.", "The gross domestic product grew again.", True, []),
    ("common_noun_spelled_out", "He worked on AI for a decade.", "He worked on robots for a decade.", False, []),
    ("common_noun_spelled_out", "The NTL grew again.", "The new tariff law grew again.", True, []),
    ("common_noun_spelled_out", "The NL grew again.", "The new law grew again.", False, []),
    ("shortened", "A report by the Delft Institute of Technology came out.",
     "A report by the Delft Institute came out, its technology team said.", True, []),
    ("shortened", "Minister of Transport Rasmus Holt opened it.",
     "Rasmus Holm, Minister of Transport, opened it.", False, []),
    ("equivalent_words", "The firm plans two more IPO listings.", "The firm plans two more IPOs.", True, []),
    ("equivalent_words", "Talks with the British Embassy resumed.", "Talks with the UK Embassy resumed.", True, []),
    ("equivalent_words", "Talks with the British Embassy resumed.", "Talks with the French Embassy resumed.",
     False, []),
    ("part_as_acronym", "He met the Norvian Trade Union Central Council.", "He met the NTU Central Council.", True, []),
    ("part_as_acronym", "He met the Norvian Trade Union Central Council.", "He met the NTU Central Bank.", False, []),
    ("part_as_acronym", "He met the Norvian Trade Union Central Council.", "He met the NTC Central Council.", False,
     []),
    ("person_kept", "NTU Vice Chairman Ana Ruiz spoke in Tarvik.",
     "Ana Ruiz, vice chairman of the Norvian Trade Union, spoke in Tarvik.", True, []),
    ("person_kept", "KVT Vice Chairman Xu Liyan spoke in Tarvik.",
     "Xu Liyan, vice chairman of the Kuovintang, spoke in Tarvik.", True, []),
    ("person_kept", "KVT Vice Chairman Xu Liyan spoke in Tarvik.", "DPP Vice Chairman Xu Liyan spoke in Tarvik.",
     False, []),
    ("person_kept", "KVT Vice Chairman Xu Liyan spoke in Tarvik.",
     "Xu Liyan, vice chairman of the party, spoke in Tarvik.", False, []),
    ("common_noun_reworded", "So the website URL was the official one.", "So the website address was the official one.",
     True, []),
    ("common_noun_reworded", "So the website URL was the official one.", "So the website Norvia was the official one.",
     False, []),
    ("common_noun_reworded", "So the NTU site was the official one.", "So the union site was the official one.", False,
     []),
    ("place_alias", "The United Kingdom left the bloc.", "Britain left the bloc.", True, []),
    ("place_alias", "Trade with Germany grew.", "German trade grew.", True, []),
    ("place_alias", "Trade with Germany grew.", "Austrian trade grew.", False, []),
    ("grammatical_forms", "The office is at 12 Morozov Street in Tarvik.", "The office is at 12 ulitsa Morozova in Tarvik.",
     True, ["spelling_variant"]),
    ("grammatical_forms", "Flights to the Orlovsky District resumed.", "Flights to the Orlov district resumed.", True,
     ["spelling_variant"]),
    ("grammatical_forms", "The office is at 12 Morozov Street in Tarvik.", "The office is at 12 Morozko Street in Tarvik.",
     False, []),
    ("joined_words", "Reporters met Wu Anling at noon.", "Reporters met Wu An Ling at noon.", True,
     ["spelling_variant"]),
    ("joined_words", "Quotes from Dailynews were cited.", "Quotes from the Daily News Network were cited.", True,
     ["spelling_variant"]),
    ("joined_words", "Reporters met Wu Anling at noon.", "Reporters met Wu Anping at noon.", False, []),
]


@pytest.mark.parametrize(("rule", "reference", "candidate", "answers", "types"), RULES)
def test_name_rule(rule: str, reference: str, candidate: str, answers: bool, types: list[str]) -> None:
    assert _outcome(rule, reference, candidate) == (answers, types)


def test_every_rule_has_examples_both_ways() -> None:
    for name, _rule in NAME_RULES:
        answers = {row[3] for row in RULES if row[0] == name}
        assert answers == {True, False}, name


def test_rule_order_is_stable() -> None:
    # the order is behaviour: a verbatim name is never a casing note, a cut never a shortening, a person
    # addressed by the family name ("Ms. Quan") never a cut
    names = [name for name, _ in NAME_RULES]
    assert names[:4] == ["verbatim", "addressed_short_form", "cut_out", "casing_only"]
    assert names.index("cut_out") < names.index("shortened")


DECISIONS = [
    (Evidence("similar", acronym=True, acronym_read=True), Decision("named_entity", "acronym_expanded", "major")),
    (Evidence("similar", shared_word=True, similarity=0.9), Decision("named_entity", "name_changed", "major")),
    (Evidence("similar", similarity=0.7), Decision("named_entity", "transliterated", "major")),
    (Evidence("similar", similarity=0.7, spelling_variant=True), Decision("named_entity", "spelling_variant", "minor")),
    (Evidence("similar", similarity=0.3), None),
    (Evidence("similar", acronym=True, similarity=0.9), None),
    (Evidence("local", similarity=0.2, namelike=True), Decision("named_entity", "replaced", "major")),
    (Evidence("local", similarity=0.2, namelike=False), Decision("named_entity", "replaced", "minor")),
    (Evidence("local", similarity=0.2, spelling_variant=True), Decision("named_entity", "spelling_variant", "minor")),
    (Evidence("context", context=2, close=True), Decision("named_entity", "replaced", "major")),
    (Evidence("context", context=1, close=True), Decision("named_entity", "replaced", "minor")),
    (Evidence("person", similarity=0.8), Decision("named_entity", "transliterated", "major")),
    # an acronym is spelt letter by letter: one acronym for another is a different name, not a transliteration
    (Evidence("local", acronym=True, similarity=0.8), Decision("named_entity", "replaced", "major")),
    (Evidence("similar", acronym=True, similarity=0.8), None),
    (Evidence("family", similarity=0.5), Decision("named_entity", "name_changed", "major")),
    (Evidence("family", similarity=0.5, named=False), Decision("named_entity", "name_changed", "minor")),
    (Evidence("people", kind="replaced", spelling_variant=True), Decision("named_entity", "spelling_variant", "minor")),
    (Evidence("cut"), Decision("omission", "dropped", "major")),
    (Evidence("cut", moved=True), Decision("omission", "dropped", "minor")),
    (Evidence("cut", short_form=True), Decision("omission", "dropped", "minor")),
    (Evidence("dropped", anchored=True, close=True), Decision("omission", "dropped", "major")),
    (Evidence("dropped", anchored=True, close=True, elsewhere=True), Decision("omission", "dropped", "minor")),
    (Evidence("dropped", attribution=True), Decision("omission", "dropped", "major")),
]


@pytest.mark.parametrize(("evidence", "decision"), DECISIONS)
def test_decide(evidence: Evidence, decision: Decision | None) -> None:
    assert decide(evidence) == decision


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("ipo", "ipos", True), ("strengthen", "strengthening", True), ("rise", "rising", True),
    ("plan", "planned", True), ("vote", "voted", True), ("rose", "rising", False), ("bin", "binding", False),
    ("wang", "zhang", False),
])
def test_inflected(a: str, b: str, expected: bool) -> None:
    from diag.entities.words import inflected

    assert inflected(a, b) is expected


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Aleksei Morozkin", "Alexei Morozkin", True), ("Aleksandr Dvornik", "Alexander Dvornik", True),
    ("Vasiliev", "Vasilyev", True), ("Katerina", "Kateryna", True), ("Xia Liyan", "Shi Lian", False),
    ("ByteDance", "Baitedan", False), ("Yun Sun", "Yun Sang", False), ("Wong", "Wang", False),
    ("Lin Tao", "Lin", False), ("Cyberspace Administration", "Cyberspace Agency", False),
    # the spellings romanisations choose between ("yo" / "e", "kh" / "h", "ou" / "o") and a given name's forms
    ("Orel", "Oryol", True), ("Fyodor Velkin", "Fedor Velkin", True), ("Akhmal", "Ahmal", True),
    ("Satou", "Sato", True), ("Pyotr Velkin", "Peter Velkin", True), ("Mikhail", "Michael", True),
    ("Tarelyansk", "Tarelensk", False), ("Mikhail", "Nikolai", False), ("Pyotr Velkin", "Pavel Velkin", False),
])
def test_same_sound(a: str, b: str, same: bool) -> None:
    """One sound spelt two ways (a romanisation choice) against a changed sound (damage)."""
    from diag.entities.words import same_sound

    assert same_sound(a, b) is same


def test_a_romanisation_variant_is_a_minor_spelling_variant() -> None:
    from diag.entities import find_damage
    from diag.pipeline import align_and_score, build_document

    ref = build_document("Minister Aleksandr Dvornik opened the Orvane plant on Monday.")
    cand = build_document("Minister Alexander Dvornik opened the Orvane plant on Monday.")
    alignment, _ = align_and_score(ref, cand)
    findings = find_damage(ref, cand, alignment)
    assert [(f.type, f.severity) for f in findings] == [("spelling_variant", "minor")]


@pytest.mark.parametrize(("a", "b", "alike"), [
    ("ByteDance", "Baitedan", True), ("Yun Sun", "Yun Sang", True), ("ZephyrSoft", "Zefisofu", True),
    ("He Wenbo", "Ho Wenpo", True), ("Zhang", "Wang", False), ("DPP", "PDP", False),
    ("Party Congress", "Central Committee", False), ("Cheng Wanli", "Zhang Weiguo", False),
])
def test_sound_similarity(a: str, b: str, alike: bool) -> None:
    from diag.entities.pairing import PAIRING
    from diag.entities.words import sound_similarity

    assert (sound_similarity(a, b) >= PAIRING.sound_alike) is alike


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Germany", "German", True), ("United Kingdom", "UK", True), ("United Kingdom", "British", True),
    ("Japanese", "Japan", True), ("Germany", "Austria", False), ("China", "Chinanews", False),
])
def test_same_place(a: str, b: str, same: bool) -> None:
    from diag.entities.words import same_place

    assert same_place(a, b) is same
