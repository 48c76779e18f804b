"""Whole-document readings made without their word lists (peak memory on 10 MB inputs): each equals its old
definition, which is the specification here."""

from __future__ import annotations

import math
from itertools import repeat

from hypothesis import given, settings
from hypothesis import strategies as st

from diag.align import _features, document_similarity, similarity, text_grams
from diag.verdict.features import _FUNCTION_RANKS, _UNLISTED_RANK, _common_words, _word_ranks, _words

#: Function words, content words, digits, case that lower() changes in length, punctuation and spaces.
pieces = st.sampled_from(["the", "a", "and", "of", "The", "council", "Mara", "1,200", "İstanbul", "ß", "_", "—", "'s", ".", " ", "\n", "x"])
texts = st.lists(pieces, max_size=30).map("".join) | st.text(max_size=40)


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_text_grams_and_document_similarity_are_features_and_similarity(a: str, b: str) -> None:
    assert text_grams(a) == _features(a).grams
    assert document_similarity(a, b) == similarity(a, b)


def _common_words_spec(words: list[str]) -> float:
    ranks = _word_ranks()
    logs = [math.log(r + 1) for r in map(ranks.get, words, repeat(_UNLISTED_RANK)) if r >= _FUNCTION_RANKS]
    return sum(logs) / len(logs) if logs else 0.0


@settings(max_examples=300, deadline=None)
@given(texts)
def test_common_words_is_its_old_definition(text: str) -> None:
    words = _words(text)
    assert _common_words(words) == _common_words_spec(words)


def test_function_words_alone_keep_their_grams() -> None:
    assert text_grams("The and of a.") == _features("The and of a.").grams != frozenset()
