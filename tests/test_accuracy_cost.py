"""The accuracy check's pair-side words, built column by column with each distinct token's facts
looked up once, equal the token-by-token definition (the specification below)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

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
