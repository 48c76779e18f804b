"""The verdict's word lists and order-kept overlaps, made cheap on large texts, give the
values difflib and the plain word list give."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from hypothesis import given, settings
from hypothesis import strategies as st

from diag.verdict.features import _WORD, _char_overlap, _document_words, _word_overlap, _words

texts = st.text(alphabet=st.sampled_from(list("ab AB’'.,\nÉé1")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_overlaps_equal_difflib(a: str, b: str) -> None:
    for x, y in ((a, b), (a, a), (b, b)):
        wx, wy = _words(x), _words(y)
        expected_words = 1.0 if not wx and not wy else SequenceMatcher(None, wx, wy, autojunk=False).ratio()
        assert _word_overlap(wx, wy) == expected_words
        fx, fy = " ".join(wx), " ".join(wy)
        expected_chars = 1.0 if not fx and not fy else SequenceMatcher(None, fx, fy, autojunk=False).ratio()
        assert _char_overlap(x, y) == expected_chars


@settings(max_examples=200, deadline=None)
@given(texts)
def test_words_are_the_folded_words_each_recurring_one_shared(text: str) -> None:
    words = _document_words(text)
    assert words == _words(text) == [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    first = {}
    for w in words:
        assert first.setdefault(w, w) is w
    assert isinstance(_WORD, re.Pattern)
