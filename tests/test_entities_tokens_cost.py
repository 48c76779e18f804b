"""The entity check's tokeniser, built column by column with each distinct text's shape computed
once, gives the tokens the plain one-token-at-a-time definition gives (the specification below)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diag import lexdata
from diag.entities.lexicon import fold
from diag.entities.tokens import _TOKEN_PATTERN, OPENERS, Token, tokenise

_SPEC_RE = re.compile(_TOKEN_PATTERN)


def _spec(text: str, offset: int) -> list[tuple[object, ...]]:
    """Each token's fields as the properties of the original token class defined them."""
    out: list[tuple[object, ...]] = []
    for m in _SPEC_RE.finditer(text):
        t = m.group()
        norm = fold(t).replace(".", "") if t[0].isalpha() else fold(t)
        # after an opener, unless that opener is the period of an honorific written right before it ("Mr. Ho")
        addressed = (len(out) >= 2 and out[-1][0] == "." and out[-1][1] == out[-2][2]
                     and out[-2][3] in lexdata.honorifics())
        initial = not out or (out[-1][0] in OPENERS and not addressed)
        letters = [c for c in t if c.isalpha()]
        out.append((t, m.start() + offset, m.end() + offset, norm, initial, t[0].isalpha(), t[0].isdigit(),
                    t[0].isupper(), len(letters) >= 2 and all(c.isupper() for c in letters),
                    any(c.isupper() for c in t[1:]) and any(c.islower() for c in t)))
    return out


PIECES = ["Mr", "Dr", ".", ". ", " ", "Ho", "ho", "U.S.", "NATO", "iPhone", "McDonald", "Ünïcödé", "ÉCOLE", "O'Brien",
          "’s", "'S", "-", "“", "(", ":", "1,200.5", "18th", "9", "x", "ⅻ", "ABⅻ", "中国", "A中", "Kılıç", "\n", ";"]


@pytest.mark.parametrize("text", ["", " ", "Mr. Ho said.", "He met Dr.Ho. Then Mr . Li", "(NATO) and the U.S.: “iPhone”"])
def test_examples(text: str) -> None:
    tokens = tokenise(text, 7)
    assert all(type(t) is Token for t in tokens)
    assert [tuple(t) for t in tokens] == _spec(text, 7)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30), st.integers(0, 1000))
def test_any_text(pieces: list[str], offset: int) -> None:
    text = "".join(pieces)
    assert [tuple(t) for t in tokenise(text, offset)] == _spec(text, offset)
