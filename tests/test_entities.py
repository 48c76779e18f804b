"""Tests for diag.entities: every damage type and every acceptable variant, on examples written for these tests."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest

from diag.entities import Glossary, GlossaryTerm, find_damage, load_glossary
from diag.errors import InputError
from diag.model import AlignedPair, Alignment, Document, Finding, Sentence

ONE_PAIR = Alignment(pairs=(AlignedPair((0,), (0,), 1.0),), reference_coverage=1.0, candidate_coverage=1.0)


def _doc(text: str) -> Document:
    return Document(text=text, sentences=(Sentence(0, 0, len(text), text),))


def _damage(reference: str, candidate: str, glossary: Glossary | None = None) -> tuple[Finding, ...]:
    ref, cand = _doc(reference), _doc(candidate)
    findings = find_damage(ref, cand, ONE_PAIR, glossary=glossary)
    for f in findings:
        if f.reference is not None:
            assert ref.text[f.reference.start : f.reference.end] == f.reference.text
        if f.candidate is not None:
            assert cand.text[f.candidate.start : f.candidate.end] == f.candidate.text
    return findings


DAMAGE = [
    # (reference, candidate, category, type, severities, reference span, candidate span)
    ("Analysts say the startup ZephyrSoft will list its shares next year.",
     "Analysts say the startup Zefisofu will list its shares next year.",
     "named_entity", "transliterated", {"major"}, "ZephyrSoft", "Zefisofu"),
    ("The NAFTA treaty talks resumed in Ottawa on Monday.",
     "The Naftalene Treaty talks resumed in Ottawa on Monday.",
     "named_entity", "acronym_expanded", {"major"}, "NAFTA", "Naftalene"),
    ("The report was written by Maria Lindqvist of the city council.",
     "The report was written by Maria Lindberg of the city council.",
     "named_entity", "name_changed", {"major"}, "Maria Lindqvist", "Maria Lindberg"),
    ("Officials in Lisbon confirmed the plan on Tuesday.",
     "Officials in Nairobi confirmed the plan on Tuesday.",
     "named_entity", "replaced", {"major"}, "Lisbon", "Nairobi"),
    # a person in apposition to a title: the same role names the same person
    ("Olav Dahl, a reporter with Harbour Post, said the ferry was late.",
     "Quist, a maritime journalist at Harbour News, said that the ferry came late.",
     "named_entity", "replaced", {"major"}, "Olav Dahl", "Quist"),
    ("Shares of SnapFrame rose after the launch.",
     "Shares of Snapframe rose after the launch.",
     "casing", "casing", {"minor"}, "SnapFrame", "Snapframe"),
    ("Growers in the FARE cooperative sold more wheat this year.",
     "Growers in the Fair cooperative sold more wheat this year.",
     "named_entity", "acronym_expanded", {"major"}, "FARE", "Fair"),
    ("The minister met Li Wei in the capital.",
     "The minister met LI Wei in the capital.",
     "casing", "casing", {"minor"}, "Li Wei", "LI Wei"),
    ("The company sold 420 cars in March.",
     "The company sold 240 cars in March.",
     "number", "value_changed", {"major"}, "420", "240"),
    ("The service now has 2.5 billion subscribers worldwide.",
     "The service now has 2.5 million subscribers worldwide.",
     "number", "magnitude_changed", {"critical"}, "2.5 billion", "2.5 million"),
    ("According to the clinic, one crown costs from 3,000 to 9,000 kroner including the fitting.",
     "The clinic says the price of a single crown, fitting included, is about 39,000 kroner.",
     "number", "value_changed", {"major"}, "9,000 kroner", "39,000 kroner"),
    ("Prices rose by 12% over the year.",
     "Prices rose by 12 yuan over the year.",
     "number", "unit_changed", {"major"}, "12%", "12 yuan"),
    ("The mayor thanked the volunteers, according to Henrik Dahl.",
     "The mayor thanked the volunteers, according to .",
     "omission", "dropped", {"major"}, "Henrik Dahl", None),
    ("Fares rose to 300 dollars after the storm in Quito.",
     "Fares rose to dollars after the storm in Quito.",
     "omission", "dropped", {"major"}, "300 dollars", None),
    ("The ferry contract was signed by Cheng Wanli and the harbour board, officials said.",
     "The harbour board and Mr. Zhang Weiguo signed the ferry contract, officials said.",
     "named_entity", "replaced", {"major"}, "Cheng Wanli", "Zhang Weiguo"),
    ("The deal was praised by He Wenbo at the fair.",
     "The deal was praised by Ho Wenpo at the fair.",
     "named_entity", "transliterated", {"major"}, "He Wenbo", "Ho Wenpo"),
    ("The grant was approved by Tove Lindahl on Friday.",
     "The grant was approved by Lindahl Tove on Friday.",
     "named_entity", "name_order", {"minor"}, "Tove Lindahl", "Lindahl Tove"),
    ("Minister of Transport Rasmus Holt opened the bridge on Monday.",
     "Rasmus Holm, Minister of Transport, opened the bridge on Monday.",
     "named_entity", "name_changed", {"major"}, "Rasmus Holt", "Rasmus Holm"),
    ("\u201cWe will build it,\u201d said Pieter Janssen, a planner at the Delft Institute.",
     "\u201cWe will build it.\u201d",
     "omission", "dropped", {"major"}, "Pieter Janssen", None),
]


@pytest.mark.parametrize(("reference", "candidate", "category", "type_", "severities", "ref_span", "cand_span"), DAMAGE)
def test_damage_types(reference: str, candidate: str, category: str, type_: str, severities: set[str],
                      ref_span: str, cand_span: str | None) -> None:
    findings = _damage(reference, candidate)
    hits = [f for f in findings if f.type == type_]
    assert hits, f"no {type_} finding in {findings}"
    f = hits[0]
    assert f.category == category
    assert f.severity in severities
    assert f.reference is not None and ref_span in f.reference.text
    if cand_span is None:
        assert f.candidate is None
    else:
        assert f.candidate is not None and cand_span in f.candidate.text
    assert f.pair == 0
    assert f.suggestion
    assert f.message


ACCEPTABLE = [
    ("He advises the Peruvian Energy Ministry on pricing.", "He advises Peru's Ministry of Energy on pricing."),
    ("Kim Jong Un visited the factory.", "Kim Jong-un visited the factory."),
    ("Talks with Kim Jong-un resumed.", "Talks with Kim Jong Un resumed."),
    ("ZephyrSoft's shares fell.", "The shares of ZephyrSoft fell."),
    ("The town has 1,500 residents.", "The town has 1500 residents."),
    ("The army counts 640,000 soldiers.", "The army counts 640 thousand soldiers."),
    ("The fund holds 1.5 billion euros.", "The fund holds 1,500,000,000 euros."),
    ("Sales reached 12 million to 14 million units.", "Sales reached 12 to 14 million units."),
    ("The vote is on March 3, 2025, in Oslo.", "The vote is on 3 March 2025 in Oslo."),
    ("Growth was 20 percent last year.", "Growth was 20% last year."),
    ("The WHO issued a warning.", "The World Health Organization issued a warning."),
    ("Officials in the United States agreed.", "Officials in the U.S. agreed."),
    ("Three ships left Gdansk.", "3 ships left Gdansk."),
    ("President Lula da Silva spoke first.", "Lula da Silva spoke first."),
    ("Self-driving buses started in Aarhus.", "Driverless buses started in Aarhus."),
    ("The North Sea Forum was opened by Anna Berg.", "Anna Berg opened the North Sea Forum."),
    ("Talks between Oslo and Bergen resumed.", "Talks between Bergen and Oslo resumed."),
]


@pytest.mark.parametrize(("reference", "candidate"), ACCEPTABLE)
def test_acceptable_variants(reference: str, candidate: str) -> None:
    findings = _damage(reference, candidate)
    assert not [f for f in findings if f.severity != "minor"], findings


CONVENTIONS = [
    # (reference, candidate, type, reference span, candidate span): the same value written another way
    ("The fair opens on March 14 in Tromso.", "The fair opens on 14 March in Tromso.",
     "date_format", "March 14", "14 March"),
    ("The fair opens on March 14 in Tromso.", "The fair opens on Mar. 14 in Tromso.",
     "date_format", "March 14", "Mar. 14"),
    ("The fair opens on March 14 in Tromso.", "The fair opens on March 14th in Tromso.",
     "date_format", "March 14", "March 14th"),
    ("Each visitor pays EUR 40 at the gate.", "Each visitor pays 40 euros at the gate.",
     "currency_format", "EUR 40", "40 euros"),
    ("Each visitor pays RMB 40 at the gate.", "Each visitor pays 40 RMB at the gate.",
     "currency_format", "RMB 40", "40 RMB"),
    ("(Harbour desk, 9th) The ferry left late.", "(Harbour desk 9) The ferry left late.",
     "ordinal_format", "9th", "9"),
]


@pytest.mark.parametrize(("reference", "candidate", "type_", "ref_span", "cand_span"), CONVENTIONS)
def test_convention_notes(reference: str, candidate: str, type_: str, ref_span: str, cand_span: str) -> None:
    findings = _damage(reference, candidate)
    hits = [f for f in findings if f.type == type_]
    assert len(hits) == 1, findings
    f = hits[0]
    assert (f.category, f.severity) == ("number", "minor")
    assert f.reference is not None and f.reference.text == ref_span
    assert f.candidate is not None and f.candidate.text == cand_span
    assert "same value" in f.message
    assert not [g for g in findings if g.severity != "minor"], findings


@pytest.mark.parametrize(("reference", "candidate"), [
    ("The town has 1,500 residents.", "The town has 1500 residents."),
    ("The army counts 640,000 soldiers.", "The army counts 640 thousand soldiers."),
    ("The fair opens on March 14 in Tromso.", "On March 14 the fair opens in Tromso."),
    ("Each visitor pays $40 at the gate.", "At the gate each visitor pays $40."),
])
def test_same_convention_is_silent(reference: str, candidate: str) -> None:
    assert _damage(reference, candidate) == ()


DAY_OF_MONTH = [
    # (reference, candidate, [(type, severity, reference span, candidate span)]): a day with and without its month
    ("The ferry sailed on the 9th at noon.", "The ferry sailed on the 9th at noon.",
     [("date_format", "minor", "the 9th", "the 9th")]),
    ("The ferry sailed on the evening of the 9th.", "The ferry sailed on the 9th in the evening.",
     [("date_format", "minor", "the 9th", "the 9th")]),
    ("The ferry sailed on the 9th.", "The ferry sailed on May 9.",
     [("date_format", "minor", "the 9th", "May 9")]),
    ("BERGEN, March 10 -- The ferry sailed on the 9th.", "BERGEN, March 10 -- The ferry sailed on May 9.",
     [("value_changed", "major", "the 9th", "May 9")]),
    ("The ferry sailed on March 9.", "The ferry sailed on the 9th.",
     [("date_format", "minor", "March 9", "the 9th")]),
    ("The ferry sailed on the 9th of March.", "The ferry sailed on the 9th.",
     [("date_format", "minor", "9th of March", "the 9th")]),
    ("The ferry sailed on the 9th.", "The ferry sailed 9 times.",
     [("date_format", "minor", "the 9th", "9 times")]),
    # not a day of the month: a floor, a rank, an ordinal in a name
    ("The lift stops on the 9th floor.", "The lift stops on the 9th floor.", []),
    ("She came in 9th.", "She came in 9th.", []),
    ("Talks opened on the 20th Congress.", "Talks opened on the 20th Congress.", []),
    ("BERGEN, March 10 -- The ferry sailed on the 9th.", "BERGEN, March 10 -- The ferry sailed on March 9.", []),
    ("The ferry sailed on the 9th of March.", "The ferry sailed on 9 March.", [("date_format", "minor", "9th of March", "9 March")]),
]


NUMERIC_DATES = [
    # (reference, candidate, [(type, severity, reference span, candidate span)])
    ("Posted 2024-03-09 by the desk.", "Posted 2024-03-09 by the desk.",
     [("date_format", "minor", "2024-03-09", "2024-03-09")]),
    ("Posted March 9, 2024 by the desk.", "Posted 2024/3/9 by the desk.", [("date_format", "minor", None, "2024/3/9")]),
    ("Posted 2024-03-09 by the desk.", "Posted March 9, 2024 by the desk.", []),
    ("Posted 2024-03-09 by the desk.", "Posted 2023-03-09 by the desk.",
     [("value_changed", "major", "2024-03-09", "2023-03-09")]),
    ("The tally was 2024-13 at the end.", "The tally was 2024-13 at the end.", []),  # no month 13
]


def test_numeric_date_note_suggests_the_month_name() -> None:
    (f,) = _damage("Posted 2024-03-09 by the desk.", "Posted 2024-03-09 by the desk.")
    assert f.suggestion == "March 9, 2024"


@pytest.mark.parametrize(("reference", "candidate", "expected"), DAY_OF_MONTH + NUMERIC_DATES)
def test_dates(reference: str, candidate: str, expected: list[tuple[str, str, str | None, str]]) -> None:
    got = [(f.type, f.severity, f.reference.text if f.reference else None, f.candidate.text if f.candidate else None)
           for f in _damage(reference, candidate)]
    assert got == expected


def test_day_of_month_note_suggests_the_datelines_month() -> None:
    (f,) = _damage("BERGEN, March 10 -- The ferry sailed on the 9th.", "BERGEN, March 10 -- The ferry sailed on the 9th.")
    assert f.suggestion == "March 9"
    assert f.message == ('"the 9th" gives a day of the month without its month, a source-language convention; '
                         'English dates name the month ("March 9"); the reference writes it the same way')


@pytest.mark.parametrize("text", ["Turnout rose 40 percent", "Turnout rose 40 per cent", "It took 11 days"])
def test_unit_at_the_very_end(text: str) -> None:
    assert _damage(text, text) == ()
    assert [f.type for f in _damage(text, text.replace("40", "14").replace("11", "12"))] == ["value_changed"]


def test_one_cut_clause_is_one_finding() -> None:
    findings = _damage("\u201cIt will open soon,\u201d said Pieter Janssen, a planner at the Delft Institute, on Monday.",
                       "\u201cIt will open soon,\u201d on Monday.")
    dropped = [f for f in findings if f.type == "dropped"]
    assert len(dropped) == 1, findings
    f = dropped[0]
    assert f.reference is not None and f.reference.text == "Pieter Janssen, a planner at the Delft Institute"
    assert f.severity == "major"
    assert '"said Pieter Janssen"' in f.message and '"Delft Institute"' in f.message


@pytest.mark.parametrize(
    "reference,candidate",
    [
        ("Chief executive Ana Ruiz said sales grew.", "CEO Ana Ruiz said that sales grew."),
        ("Chief negotiators will meet in Lisbon on Monday.", "The lead negotiators will meet in Lisbon on Monday."),
    ],
)
def test_titles_are_not_names(reference: str, candidate: str) -> None:
    assert _damage(reference, candidate) == ()


def test_identical_text_has_no_findings() -> None:
    text = "On May 4, 2023, NordaBank said Anna Berg would lead its $200 million fund in Bergen."
    assert _damage(text, text) == ()


def test_findings_sorted_by_severity_then_position() -> None:
    findings = _damage("Lena Ostrova paid 3 billion dollars for Pavlograd Steel in Kyiv.",
                       "Lena Ostrova paid 3 million dollars for Pavlo Stahl in Lviv.")
    order = {"critical": 0, "major": 1, "minor": 2}
    keys = [(order[f.severity], f.reference.start if f.reference else 0) for f in findings]
    assert keys == sorted(keys)
    assert findings[0].type == "magnitude_changed"


def test_omitted_sentences_are_not_reported() -> None:
    ref_text = "Astrid Holm opened the Narvik plant. It cost 40 million dollars."
    cand_text = "Astrid Holm opened the Narvik plant."
    ref = Document(text=ref_text, sentences=(Sentence(0, 0, 36, ref_text[:36]), Sentence(1, 37, len(ref_text), ref_text[37:])))
    cand = _doc(cand_text)
    alignment = Alignment(pairs=(AlignedPair((0,), (0,), 1.0), AlignedPair((1,), (), 0.0)),
                          reference_coverage=0.5, candidate_coverage=1.0)
    assert find_damage(ref, cand, alignment) == ()


def test_glossary_violation(tmp_path: Path) -> None:
    path = tmp_path / "terms.txt"
    path.write_text("# protected\nZephyrSoft\nState Council\tState Council of the PRC\n", encoding="utf-8")
    glossary = load_glossary(str(path))
    assert glossary.terms == (GlossaryTerm("ZephyrSoft", "ZephyrSoft"),
                              GlossaryTerm("State Council", "State Council of the PRC"))
    findings = _damage("The State Council backed ZephyrSoft.", "The State Council backed Zefisofu.", glossary)
    kinds = {(f.category, f.type, f.reference.text if f.reference else None) for f in findings}
    assert ("glossary", "glossary_violation", "ZephyrSoft") in kinds
    assert ("glossary", "glossary_violation", "State Council") in kinds


@pytest.mark.parametrize(("content", "fragment"), [
    ("a\tb\tc\n", "line 1 has 3 tab-separated fields"),
    ("# only a comment\n\n", "no terms found"),
])
def test_load_glossary_errors(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=fragment):
        load_glossary(str(path))


def test_load_glossary_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_glossary(str(tmp_path / "absent.txt"))


SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not present beside the repository")
def test_seed_round_trip_and_rewrite() -> None:
    pipeline = pytest.importorskip("diag.pipeline")

    def read(n: str) -> str:
        return Path(glob.glob(str(SEEDS / f"{n}_*.txt"))[0]).read_text(encoding="utf-8")

    trip = pipeline.diagnose(read("001"), read("000"))
    serious = {f.type for f in trip.findings if f.severity in {"major", "critical"}}
    assert {"transliterated", "acronym_expanded", "magnitude_changed", "wording_changed"} <= serious
    assert any(f.type == "casing" for f in trip.findings)
    rewrite = pipeline.diagnose(read("001"), read("002"))
    assert not [f for f in rewrite.findings if f.severity in {"major", "critical"}
                and f.category in {"named_entity", "number", "casing"}]


def _split_doc(text: str, ends: list[int]) -> Document:
    sentences, start = [], 0
    for k, end in enumerate(ends):
        sentences.append(Sentence(k, start, end, text[start:end]))
        start = end + 1
    return Document(text=text, sentences=tuple(sentences))


def test_byline_name_on_title_case_line() -> None:
    findings = _damage("2024-03-05 09:12 [Source:Reuters] [Editor:Wu Tianhao] Font:[Large Medium Small]",
                       "2024-03-05 09:12 [Source: Reuters] [Editor: Wu Tianbo] Font: [Large Medium Small]")
    hits = [f for f in findings if f.type == "name_changed"]
    assert hits and hits[0].severity == "major"
    assert hits[0].reference is not None and hits[0].reference.text == "Wu Tianhao"
    assert hits[0].candidate is not None and hits[0].candidate.text == "Wu Tianbo"


def test_mangled_person_name_replaces_dropped_and_added() -> None:
    findings = _damage(
        "The harbour project was opened on Monday by Foreign Minister Tran Duc Long together with local officials.",
        "Foreign Minister Hoang Duc and the traders of the town launched the port works at the start of the week.")
    hits = [f for f in findings if f.type == "name_changed"]
    assert hits and hits[0].severity == "major"
    assert hits[0].candidate is not None and "Hoang Duc" in hits[0].candidate.text
    assert not [f for f in findings if f.type in {"dropped", "added"} and "Duc" in
                ((f.reference or f.candidate).text if (f.reference or f.candidate) else "")]


def test_mangled_person_name_in_neighbouring_pair() -> None:
    ref_text = "The visit ended on Sunday. It was led by Prime Minister Le Quang Hai and his wife."
    cand_text = "Prime Minister Ngo Quang ended the visit on Sunday. He and his wife led the delegation."
    ref = _split_doc(ref_text, [ref_text.index(".") + 1, len(ref_text)])
    cand = _split_doc(cand_text, [cand_text.index(".") + 1, len(cand_text)])
    alignment = Alignment(pairs=(AlignedPair((0,), (0,), 0.5), AlignedPair((1,), (1,), 0.5)),
                          reference_coverage=1.0, candidate_coverage=1.0)
    findings = find_damage(ref, cand, alignment)
    hits = [f for f in findings if f.type == "name_changed" and f.severity == "major"]
    assert hits and hits[0].candidate is not None and hits[0].candidate.text.endswith("Ngo Quang")
    assert hits[0].reference is not None and hits[0].reference.text.endswith("Le Quang Hai")
    assert not [f for f in findings if f.type == "added" and f.candidate and "Ngo" in f.candidate.text]


def test_unrelated_person_names_in_neighbouring_pairs_stay_minor() -> None:
    ref_text = "The visit ended on Sunday. It was led by Le Quang Hai and his wife."
    cand_text = "Marta Olsen ended the visit on Sunday. He and his wife led the delegation."
    ref = _split_doc(ref_text, [ref_text.index(".") + 1, len(ref_text)])
    cand = _split_doc(cand_text, [cand_text.index(".") + 1, len(cand_text)])
    alignment = Alignment(pairs=(AlignedPair((0,), (0,), 0.5), AlignedPair((1,), (1,), 0.5)),
                          reference_coverage=1.0, candidate_coverage=1.0)
    findings = find_damage(ref, cand, alignment)
    assert all(f.severity == "minor" for f in findings if f.category in {"named_entity", "omission"})


def test_credit_words_before_the_colon_and_apposition_on_title_case_lines() -> None:
    findings = _damage("[Photo Editor In Charge:Zhou Minghao] Layout:[Wide Narrow Print]",
                       "[Photo Editor In Charge: Zhou Minhai] Layout: [Wide Narrow Print]")
    assert [f for f in findings if f.type == "name_changed" and f.severity == "major"]
    findings = _damage("Tang Bin, a reporter with Eastern Harbour Daily Business",
                       "Staff Reporter Tanpin of the harbour daily's business desk")
    hits = [f for f in findings if f.type == "transliterated" and f.severity == "major"]
    assert hits and hits[0].reference is not None and hits[0].reference.text == "Tang Bin"
    assert hits[0].candidate is not None and hits[0].candidate.text == "Tanpin"
