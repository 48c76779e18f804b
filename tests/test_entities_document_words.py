"""The entity check's document-wide word set and dated months, read in one pass without
token objects, equal what the whole document's tokens give."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diag.entities.lexicon import lexicon
from diag.entities.numbers import dated_months
from diag.entities.tokens import document_words, tokenise

PIECES = ["Feb", "February", "May", "June", "Sept", "10", "3rd", "1,200", ".", ". ", " ", "  ", "the", "U.S.",
          "Ünïcödé", "O'Brien", "’s", "-", "\n", "(", "2023-02-11", "Dec.", "9th"]


def _expected(text: str) -> tuple[frozenset[str], frozenset[str]]:
    tokens = tokenise(text, 0)
    return frozenset(t.norm for t in tokens), dated_months(tokens, lexicon())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "On February 10 the council met; on 10 Feb. it met again, and Feb. 11 too.",
        "May June 5 and Sept . 4",
        "It ended in May.",
        "Dec.",
        "In 2023 May was cold. 3 June.",
    ],
)
def test_examples(text: str) -> None:
    assert document_words(text, lexicon().month) == _expected(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_any_text(pieces: list[str]) -> None:
    text = " ".join(pieces) if len(pieces) % 2 else "".join(pieces)
    assert document_words(text, lexicon().month) == _expected(text)
