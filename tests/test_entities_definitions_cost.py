"""The acronym definitions of a text are looked for around its brackets only (``definitions.bracket_pairs``)
and are what the two patterns' ``finditer`` over the whole text finds (the definition is the specification)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diag.entities import definitions
from diag.entities.definitions import bracket_pairs, defined_acronyms
from diag.entities.lexicon import lexicon


def _pairs_spec(text: str) -> list[tuple[str, str]]:
    """``bracket_pairs`` as it was defined: both patterns tried at every place of the text."""
    pairs = [(m.group(1), m.group(2)) for m in definitions._NAME_THEN_ACRONYM.finditer(text)]
    return pairs + [(m.group(2), m.group(1)) for m in definitions._ACRONYM_THEN_NAME.finditer(text)]


#: Pieces that reach every part of the patterns: capitalised words (with inner ``.&-'’``), connectors, acronyms
#: and their plurals, lower-case words, both widths of brackets, the breaks between them, spaces and newlines.
PIECES = ["Central", "News", "Agency", "of", "the", "and", "&", "van", "CNA", "KMT", "NGOs", "U.S.", "R&D",
          "O'Brien", "Jean-Luc", "St.", "Kuomintang", "Chinese", "said", "party", "(", ")", "（", "）", ",", ".",
          ":", '"', "“", " ", " ", " ", "\n", "  ", "A", "Ab", "cd"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.booleans())
def test_bracket_pairs_equal_finditer_over_the_whole_text(pieces: list[str], spaced: bool) -> None:
    text = (" " if spaced else "").join(pieces)
    assert bracket_pairs(text) == _pairs_spec(text)


EXAMPLES = [
    ("The Central News Agency (CNA) said so.", [("The Central News Agency", "CNA")]),
    ("KMT (Chinese Kuomintang) and the DPP.", [("Chinese Kuomintang", "KMT")]),
    ("Markus Söder (CSU), Foo Bar（FB）", [("Markus Söder", "CSU"), ("Foo Bar", "FB")]),
    ("One (Two (TT) three", [("Two", "TT")]),
    ("Nothing (here) at all", []),
    ("", []),
]


def test_bracket_pairs_examples() -> None:
    for text, want in EXAMPLES:
        assert bracket_pairs(text) == want == _pairs_spec(text), text


def test_the_patterns_are_tried_once_per_bracket(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work is counted, not timed: on a long text with one bracket each pattern is tried once, not at every capital."""
    text = "Mara Lindqvist, of Orvane Systems, said Twelve Jobs Went. " * 2000 + "Orvane Systems (OS) agreed."
    want = _pairs_spec(text)
    assert want == [("Twelve Jobs Went. Orvane Systems", "OS")]
    calls: list[int] = []

    class Counted:
        def __init__(self, pattern: re.Pattern[str]) -> None:
            self.pattern = pattern

        def search(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
            calls.append(pos)
            return self.pattern.search(text, pos, endpos)

    monkeypatch.setattr(definitions, "_NAME_THEN_ACRONYM", Counted(definitions._NAME_THEN_ACRONYM))
    monkeypatch.setattr(definitions, "_ACRONYM_THEN_NAME", Counted(definitions._ACRONYM_THEN_NAME))
    assert bracket_pairs(text) == want
    assert len(calls) == 2
    assert defined_acronyms([text], lexicon()) == {"os": frozenset({("orvane", "systems")})}
