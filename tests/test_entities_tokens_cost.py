"""The entity check's tokeniser (built column by column, each distinct text's shape computed once),
its Title Case test (read from the end) and its case evidence (from distinct texts and runs of
capitals) give what their plain one-token-at-a-time definitions give (the specifications below)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diag import lexdata
from diag.entities.lexicon import Lexicon, fold, lexicon
from diag.entities.mentions import case_evidence
from diag.entities import tokens as token_module
from diag.entities.numbers import dated_months
from diag.entities.tokens import _TOKEN_PATTERN, OPENERS, Token, document_words, mostly_upper, title_case, tokenise
from diag.model import Document, Sentence

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


# --- sentence shapes and the case evidence, against their plain definitions ---------------------


def _mostly_upper_spec(tokens: list[Token]) -> bool:
    words = [t for t in tokens if t.is_word and len(t.text) > 1]
    return len(words) >= 4 and sum(t.text.isupper() for t in words) >= 0.7 * len(words)


def _title_case_spec(tokens: list[Token], lex: Lexicon) -> bool:
    words = [t for t in tokens if t.is_word and len(t.text) > 3 and t.norm not in lex.function]
    ends = [t.text for t in tokens if not t.text[0].isalnum() and t.text not in "\"”’)»"]
    if ends and ends[-1] in {".", "!", "?"}:
        return False
    if len(words) == 3 and len(ends) == 0:
        return all(t.capitalised and t.norm not in lex.title for t in words)
    if len(words) < 4:
        return False
    return sum(t.capitalised for t in words) / len(words) >= 0.75


def _case_evidence_spec(docs: list[Document], lex: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """(mid_caps, lower) as the sentence-by-sentence, token-by-token loop collected them."""
    mid: set[str] = set()
    lower: set[str] = set()
    for doc in docs:
        for s in doc.sentences:
            tokens = tokenise(s.text, s.start)
            lower.update(t.norm for t in tokens if t.is_word and t.text[0].islower() and len(t.text) > 1
                         and t.text.isalpha())
            if _mostly_upper_spec(tokens) or _title_case_spec(tokens, lex):
                continue
            k = 0
            while k < len(tokens):
                if not (tokens[k].is_word and tokens[k].capitalised):
                    k += 1
                    continue
                j = k
                while j + 1 < len(tokens) and tokens[j + 1].is_word and tokens[j + 1].capitalised:
                    j += 1
                run = tokens[k : j + 1]
                if run[0].initial:
                    run = run[1:] if run[0].norm in lex.function else []
                mid.update(t.norm for t in run if not t.acronym)
                k = j + 1
    return frozenset(mid), frozenset(lower - lex.title)


WORDS = ["The", "the", "Harbour", "harbour", "Authority", "NATO", "U.S.", "iPhone", "of", "Of", "Mr", "said", "Ho",
         "EXPORTS", "ROSE", "Sharply", "Reporter", "Li", "Wen", "a", "Élan", "élan", "1,200", "9th", "x", "I"]
MARKS = [".", "!", "?", ",", ":", "“", "”", "(", ")", "-", "’s", ""]
sentence_pieces = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(MARKS)), min_size=1, max_size=9)


def _doc(sentences: list[list[tuple[str, str]]]) -> Document:
    text, spans = "", []
    for parts in sentences:
        sentence = " ".join(w + m for w, m in parts)
        spans.append(Sentence(len(spans), len(text), len(text) + len(sentence), sentence))
        text += sentence + " "
    return Document(text=text, sentences=tuple(spans))


@settings(max_examples=300, deadline=None)
@given(st.lists(sentence_pieces, max_size=6), st.lists(sentence_pieces, max_size=6))
def test_case_evidence_and_sentence_shapes_equal_their_plain_definitions(
    reference: list[list[tuple[str, str]]], candidate: list[list[tuple[str, str]]]
) -> None:
    lex = lexicon()
    docs = [_doc(reference), _doc(candidate)]
    for doc in docs:
        for s in doc.sentences:
            tokens = tokenise(s.text, s.start)
            assert title_case(tokens, lex) == _title_case_spec(tokens, lex)
            assert mostly_upper(tokens) == _mostly_upper_spec(tokens)
    evidence = case_evidence(docs, lex, {})
    assert (evidence.mid_caps, evidence.lower) == _case_evidence_spec(docs, lex)


@pytest.mark.parametrize("line", ["Exports Rose Sharply", "Reporter Li Wen", "The Harbour Authority Said Tuesday.",
                                  "THE HARBOUR AUTHORITY OF NATO", "Harbour Authority Rules Of The Sea (Draft)”"])
def test_title_case_examples(line: str) -> None:
    tokens = tokenise(line, 0)
    assert title_case(tokens, lexicon()) == _title_case_spec(tokens, lexicon())


# --- the document-wide words, read a piece at a time -----------------------------------------------

DATE_PIECES = ["Feb", "February", "May", "10", "3rd", ".", " ", "  ", "\n", "the", "U.S.", "O’s", "’s", "Dec.", "9"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(DATE_PIECES), max_size=40), st.integers(1, 9))
def test_document_words_read_in_small_pieces(pieces: list[str], size: int) -> None:
    """Cut into pieces of a few characters, the text gives the words and dated months it gives whole
    (a month's neighbours across a cut included), and those of its tokens."""
    text = "".join(pieces)
    months = lexicon().month
    whole = document_words(text, months)
    tokens = tokenise(text, 0)
    assert whole == (frozenset(t.norm for t in tokens), dated_months(tokens, lexicon()))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(token_module, "DOCUMENT_CHUNK", size)
        assert document_words(text, months) == whole
        assert "".join(token_module._chunks(text, size)) == text


@pytest.mark.parametrize("text", ["Feb . 10", "Feb .  10 x", "10 Feb", "Feb 10", "May . . 10", "the May .", "x May"])
def test_document_words_months_across_cuts(text: str) -> None:
    months = lexicon().month
    tokens = tokenise(text, 0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(token_module, "DOCUMENT_CHUNK", 1)
        assert document_words(text, months) == (frozenset(t.norm for t in tokens), dated_months(tokens, lexicon()))


def test_find_damage_tokenises_each_paired_sentence_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The case evidence reads token texts only: the entity check builds a sentence's tokens once, for
    its pairs' sides (both documents' when both write it), not a second time for the evidence over the
    whole documents (issue 17)."""
    from diag.entities import mentions
    from diag.entities.damage import find_damage
    from diag.pipeline import align_and_score, build_document

    text = " ".join(f"Mara Lindqvist of Orvane Systems said {k} jobs were cut on Tuesday." for k in range(40))
    reference, candidate = build_document(text), build_document(text + " The council met.")
    alignment, _ = align_and_score(reference, candidate)
    calls: list[str] = []
    real = mentions.tokenise

    def counted(sentence: str, offset: int) -> list[Token]:
        calls.append(sentence)
        return real(sentence, offset)

    monkeypatch.setattr(mentions, "tokenise", counted)
    find_damage(reference, candidate, alignment)
    paired = {s for p in alignment.pairs if p.reference and p.candidate
              for s in [*(reference.sentences[i].text for i in p.reference),
                        *(candidate.sentences[j].text for j in p.candidate)]}
    assert len(paired) == len(reference.sentences)  # the copy's sentences are the reference's; its added one unpaired
    assert sorted(calls) == sorted(paired)  # each distinct paired sentence once, for both sides
