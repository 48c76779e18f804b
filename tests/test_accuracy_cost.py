"""The accuracy check's pair-side words, built column by column with each distinct token's facts
looked up once, equal the token-by-token definition (the specification below)."""

from __future__ import annotations

import pytest
from conftest import seed_path
from hypothesis import given, settings
from hypothesis import strategies as st

from diag import accuracy
from diag.pipeline import align_and_score, build_document
from diag.recent import Recent
from diag.accuracy import _FUNCTION_WORDS, _NEGATIONS, _TOKEN, _number_key, _stemmer, _words
from diag.model import Document, Sentence


def _spec(doc: Document, indices: list[int]) -> list[tuple[object, ...]]:
    stem = _stemmer()
    out: list[tuple[object, ...]] = []
    for i in indices:
        s = doc.sentences[i]
        first = True
        for m in _TOKEN.finditer(s.text):
            raw = m.group()
            low = raw.lower().replace("’", "'")
            negation = low in _NEGATIONS or low.endswith("n't")
            if low.endswith("'s"):
                low = low[:-2]
            digit = any(ch.isdigit() for ch in raw)
            key = _number_key(raw) if digit else stem(low)
            content = low not in _FUNCTION_WORDS and low not in _NEGATIONS and (digit or len(low) > 1)
            entity = digit or (raw[:1].isupper() and not first)
            out.append((s.start + m.start(), s.start + m.end(), key, content, entity, negation))
            first = False
    return out


PIECES = ["The", "the", "ferry", "Ferries", "not", "Don't", "can’t", "Harbour's", "harbour’s", "1,200.50", "3rd",
          "A1", "x", "it's", "Never", "without", "ÉCOLE", "école", " ", ", ", ". ", "-", "\n"]


def _document(sentences: list[list[str]]) -> Document:
    text, spans = "", []
    for parts in sentences:
        sentence = "".join(parts)
        spans.append(Sentence(len(spans), len(text), len(text) + len(sentence), sentence))
        text += sentence + " "
    return Document(text=text, sentences=tuple(spans))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=12), min_size=1, max_size=5), st.data())
def test_words_equal_the_token_by_token_definition(sentences: list[list[str]], data: st.DataObject) -> None:
    doc = _document(sentences)
    indices = data.draw(st.lists(st.integers(0, len(sentences) - 1), max_size=3, unique=True).map(sorted))
    assert [tuple(w) for w in _words(doc, indices)] == _spec(doc, indices)
    for kept in (2048, 1, 0):  # sentences read once while recent (a document repeats some), a few or none kept
        recent = Recent(accuracy._columns, kept)
        for _ in range(2):
            assert [tuple(w) for w in _words(doc, indices, recent)] == _spec(doc, indices)
            assert [tuple(w) for w in _words(doc, indices[::-1], recent)] == _spec(doc, indices[::-1])


def _assess_read_apart(reference: Document, candidate: Document, alignment: object) -> object:
    """``assess`` with both sides of every pair read (no pair taken for a copy)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accuracy, "_copied", lambda *sides: False)
        patch.setattr(accuracy, "RECENT_SENTENCES", 0)
        return accuracy.assess(reference, candidate, alignment)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=12), min_size=1, max_size=6), st.data())
def test_copied_pairs_read_once_give_what_reading_both_gives(sentences: list[list[str]], data: st.DataObject) -> None:
    """A document against itself and against a copy with some sentences changed or dropped: every pair's
    evidence (negations at the candidate's offsets included) and the whole assessment are those of the
    full path."""
    changed = [data.draw(st.one_of(st.just(s), st.lists(st.sampled_from(PIECES), max_size=12))) for s in sentences]
    ref = _document(sentences)
    for cand in (ref, _document(changed), _document([["x "], *sentences])):
        if not cand.sentences:
            continue
        alignment, _ = align_and_score(ref, cand)
        median = accuracy.document_median(alignment)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(accuracy, "_copied", lambda *sides: False)
            full = [accuracy.pair_features(ref, cand, p, median) for p in alignment.pairs]
        assert [accuracy.pair_features(ref, cand, p, median) for p in alignment.pairs] == full
        recent = Recent(accuracy._columns, accuracy.RECENT_SENTENCES)
        assert [accuracy.pair_features(ref, cand, p, median, recent=recent) for p in alignment.pairs] == full
        expected = _assess_read_apart(ref, cand, alignment)
        assert accuracy.assess(ref, cand, alignment) == expected
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(accuracy, "RECENT_SENTENCES", 1)
            assert accuracy.assess(ref, cand, alignment) == expected


@pytest.mark.parametrize("edit", ["copy", "near copy"])
def test_assessment_of_a_seed_copy_is_that_of_the_full_path(edit: str) -> None:
    text = seed_path("001").read_text(encoding="utf-8")
    candidate = text
    if edit == "near copy":
        words = text.split(" ")
        candidate = " ".join("not" if k % 89 == 0 else w for k, w in enumerate(words))
    ref, cand = build_document(text), build_document(candidate)
    alignment, _ = align_and_score(ref, cand)
    copies = sum(accuracy._copied(ref, p.reference, cand, p.candidate) for p in alignment.pairs)
    assert copies > 10
    assert accuracy.assess(ref, cand, alignment) == _assess_read_apart(ref, cand, alignment)
