"""The entity check reads each distinct sentence once while it is recent (``SideBuilder``) and gives
the sides ``build_side`` gives (its definition is the specification), with the document-wide case
evidence read from each distinct sentence once; a recurring sentence is tokenised once."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diag import lexdata
from diag.entities import mentions
from diag.entities.damage import find_damage
from diag.entities.lexicon import lexicon
from diag.entities.mentions import (Mention, SentenceParses, SideBuilder, _moved, build_side, case_evidence,
                                    lower_words)
from diag.entities.tokens import Token
from diag.entities.words import find_seq
from diag.model import Document, Sentence
from diag.pipeline import align_and_score, build_document
from conftest import eval_path, seed_path

#: Words and marks that reach every rule of ``find_names`` and ``find_numbers``: names, titles and honorifics
#: (spacing after "Mr." matters), months, numbers with scales, units and currencies, clock times, quotes.
WORDS = ["The", "the", "Harbour", "harbour", "Authority", "NATO", "U.S.", "iPhone", "of", "Mr", "Mr.", "said", "Ho",
         "He", "Lifeng", "Reporter", "Li", "Wen", "a", "Élan", "1,200", "9th", "3", "$", "5m", "million", "Feb",
         "February", "10", "km", "13:25", "PM", "2023-02-11", "twenty", "-", "five", "“", "”", "(", ")", ",", ":",
         "Orvane", "Systems", "Mara", "Lindqvist", "’s", "People", "on", "Tuesday"]
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(
    lambda ws: " ".join(ws) + "."
)
#: Sentences picked from a few, so documents repeat some; separators of one or two characters shift offsets.
documents = st.tuples(st.lists(sentence, min_size=1, max_size=5),
                      st.lists(st.tuples(st.integers(0, 4), st.sampled_from([" ", "\n", "  "])), min_size=1,
                               max_size=14))


def _document(parts: tuple[list[str], list[tuple[int, str]]]) -> Document:
    pool, picks = parts
    text, spans = "", []
    for k, sep in picks:
        s = pool[k % len(pool)]
        spans.append(Sentence(len(spans), len(text), len(text) + len(s), s))
        text += s + sep
    return Document(text=text, sentences=tuple(spans))


def _groups(doc: Document, cuts: list[int]) -> list[tuple[int, ...]]:
    """The sentences of ``doc`` in consecutive groups of 1-3 (a side of one, two or three sentences)."""
    out, k = [], 0
    for c in cuts:
        if k >= len(doc.sentences):
            break
        out.append(tuple(range(k, min(len(doc.sentences), k + c))))
        k += c
    return out + [(j,) for j in range(k, len(doc.sentences))]


@settings(max_examples=300, deadline=None)
@given(documents, documents, st.lists(st.integers(1, 3), max_size=8), st.sampled_from([1, 2, 2048]))
def test_sides_equal_build_side(reference: tuple[list[str], list[tuple[int, str]]],
                                candidate: tuple[list[str], list[tuple[int, str]]], cuts: list[int], kept: int) -> None:
    """Every side, in document order, with one, two or many sentences kept: the tokens, bounds and mentions of
    ``build_side``, and the case evidence of every sentence read as often as it occurs."""
    lex = lexicon()
    docs = (_document(reference), _document(candidate))
    evidence = case_evidence(docs, lex, lexdata.case_prior())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mentions, "SENTENCE_CACHE", kept)
        for doc in docs:
            lower = lower_words(doc.text)
            builder = SideBuilder(doc, lex, lower, evidence)
            for indices in _groups(doc, cuts) + [(0,), tuple(range(len(doc.sentences)))]:
                got = builder.side(indices)
                want = build_side(doc, indices, lex, lower, evidence)
                assert (got.tokens, got.sentence_bounds, got.names, got.numbers) == (
                    want.tokens, want.sentence_bounds, want.names, want.numbers)
                assert all(type(t) is Token for t in got.tokens)
                assert all(doc.text[m.start : m.end] == m.text for m in got.names)


#: Words of ``WORDS`` written in lower case (a capitalised one first in a sentence is then no name in that document).
LOWER = ["harbour", "authority", "people", "systems", "orvane", "mara", "reporter", "said", "wen"]
#: Two documents drawn from one pool of sentences (so each repeats the other's), each with its own separators.
document_pairs = st.tuples(st.lists(sentence, min_size=1, max_size=6),
                           st.lists(st.tuples(st.integers(0, 5), st.sampled_from([" ", "\n", "  "])), min_size=1,
                                    max_size=12),
                           st.lists(st.tuples(st.integers(0, 5), st.sampled_from([" ", "\n", "  ", "\n\n"])),
                                    min_size=1, max_size=12),
                           st.lists(st.lists(st.sampled_from(LOWER), min_size=1, max_size=4).map(
                               lambda ws: " ".join(ws) + "."), max_size=2))


@settings(max_examples=400, deadline=None)
@given(document_pairs, st.lists(st.integers(1, 3), max_size=8), st.sampled_from([0, 1, 2, 2048]))
def test_shared_sides_equal_build_side(pair: tuple[list[str], list[tuple[int, str]], list[tuple[int, str]], list[str]],
                                       cuts: list[int], kept: int) -> None:
    """The builders of two documents that share one reading, asked for their sides in turn as the entity check
    asks (a reference side, then a candidate side): ``build_side``'s sides, with each document's own offsets,
    name texts and lower-case words (a sentence both write may be read with the other's), one, two or many kept."""
    pool, ref_picks, cand_picks, own = pair
    lex = lexicon()
    reference = _document((pool, ref_picks))
    # maybe a sentence or two of its own in lower case: the documents' lower-case words differ
    candidate = _document((pool + own, cand_picks + [(len(pool) + k, " ") for k in range(len(own))]))
    evidence = case_evidence((reference, candidate), lex, lexdata.case_prior())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mentions, "SENTENCE_CACHE", kept)
        parses = SentenceParses(lex, evidence)
        builders = [SideBuilder(doc, lex, lower_words(doc.text), evidence, shared=parses) for doc in (reference, candidate)]
        groups = [_groups(doc, cuts) + [tuple(range(len(doc.sentences)))] for doc in (reference, candidate)]
        asks = [(d, g) for k in range(max(map(len, groups))) for d in (0, 1) if k < len(groups[d])
                for g in [groups[d][k]]]
        for d, indices in asks:
            doc = builders[d].doc
            got = builders[d].side(indices)
            want = build_side(doc, indices, lex, lower_words(doc.text), evidence)
            assert (got.tokens, got.sentence_bounds, got.names, got.numbers) == (
                want.tokens, want.sentence_bounds, want.names, want.numbers)
            assert all(type(t) is Token for t in got.tokens)
            assert all(doc.text[m.start : m.end] == m.text for m in got.names + got.numbers if m.kind == "name")


def test_shared_reading_needs_the_same_lexicon_and_evidence() -> None:
    lex = lexicon()
    doc = _document((["Mara Lindqvist said so."], [(0, " ")]))
    evidence = case_evidence((doc,), lex, {})
    parses = SentenceParses(lex, evidence)
    with pytest.raises(ValueError, match="another lexicon or case evidence"):
        SideBuilder(doc, lex, lower_words(doc.text), case_evidence((doc,), lex, {}), shared=parses)
    assert SideBuilder(doc, lex, lower_words(doc.text), evidence, shared=parses).side((0,)).names


def _case_evidence_each_sentence(docs: tuple[Document, ...]) -> mentions.NameEvidence:
    """The case evidence with every occurrence of a sentence read (each document alone, then merged)."""
    lex = lexicon()
    parts = [case_evidence([Document(text=s.text, sentences=(Sentence(0, 0, len(s.text), s.text),))], lex, {})
             for doc in docs for s in doc.sentences]
    mid = frozenset().union(*(p.mid_caps for p in parts))
    lower = frozenset().union(*(p.lower for p in parts))
    return mentions.NameEvidence(mid, lower, {})


@settings(max_examples=200, deadline=None)
@given(documents, documents)
def test_case_evidence_reads_each_distinct_sentence_as_every_occurrence(
        reference: tuple[list[str], list[tuple[int, str]]], candidate: tuple[list[str], list[tuple[int, str]]]) -> None:
    docs = (_document(reference), _document(candidate))
    assert case_evidence(docs, lexicon(), {}) == _case_evidence_each_sentence(docs)


def test_moved_keeps_every_other_field() -> None:
    m = Mention("number", 1, 3, 10, 20, "$5m", keys=("x",), acronym=True, weak=True, value=5e6, mantissa=5.0,
                scale=6, unit="USD", month="feb", bare_day=True, numeric_date=True)
    assert _moved(m, 2, 7) == dataclasses.replace(m, first=3, last=5, start=17, end=27)
    assert [f.name for f in dataclasses.fields(Mention)][:6] == ["kind", "first", "last", "start", "end", "text"]


def _real_texts() -> list[str]:
    texts = [seed_path("001").read_text(encoding="utf-8"), seed_path("000").read_text(encoding="utf-8")]
    with eval_path("mt_detection_docs.jsonl").open(encoding="utf-8") as f:
        texts += [json.loads(line)["reference"] for line, _ in zip(f, range(20), strict=False)]
    return texts


def test_sides_of_real_documents_and_their_copies() -> None:
    """Every sentence of the seeds and 20 dev references, alone and with its neighbour, in a document and in
    the document written twice (the second copy read from the kept sentences): ``build_side``'s sides."""
    lex = lexicon()
    for text in _real_texts():
        for doc in (build_document(text), build_document(text + "\n\n" + text)):
            lower = lower_words(doc.text)
            evidence = case_evidence((doc,), lex, lexdata.case_prior())
            builder = SideBuilder(doc, lex, lower, evidence)
            n = len(doc.sentences)
            for indices in [(k,) for k in range(n)] + [(k, k + 1) for k in range(n - 1)]:
                got, want = builder.side(indices), build_side(doc, indices, lex, lower, evidence)
                assert (got.tokens, got.sentence_bounds, got.names, got.numbers) == (
                    want.tokens, want.sentence_bounds, want.names, want.numbers)


def test_a_recurring_sentence_is_tokenised_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A document of 5 distinct sentences written 8 times against a copy with 3 of them changed: each
    distinct sentence of the two documents is tokenised and its names found once (8 calls, not 80: the
    copy's unchanged sentences are read with the reference's); the findings are those of sides built one by one."""
    pool = [f"Mara Lindqvist of Orvane Systems said {k} jobs were cut on Tuesday." for k in range(5)]
    text = " ".join(pool * 8)
    reference, candidate = build_document(text), build_document(text.replace("Lindqvist", "Lindkvist", 3))
    alignment, _ = align_and_score(reference, candidate)
    calls: list[str] = []
    real = mentions.tokenise

    def counted(sentence: str, offset: int) -> list[Token]:
        calls.append(sentence)
        return real(sentence, offset)

    named: list[int] = []
    real_names = mentions.find_names

    def names_counted(*args: Any, **kwargs: Any) -> list[Mention]:
        named.append(1)
        return real_names(*args, **kwargs)

    monkeypatch.setattr(mentions, "tokenise", counted)
    monkeypatch.setattr(mentions, "find_names", names_counted)
    found = find_damage(reference, candidate, alignment)
    distinct = {s.text for doc in (reference, candidate) for s in doc.sentences}
    assert len(distinct) == 8
    assert len(calls) == len(named) == len(distinct)
    monkeypatch.setattr(mentions, "SENTENCE_CACHE", 0)
    assert find_damage(reference, candidate, alignment) == found


def _find_seq_spec(needle: list[str], hay: list[str]) -> int:
    """``words.find_seq`` as it was defined: every place compared."""
    n = len(needle)
    for k in range(len(hay) - n + 1):
        if list(hay[k : k + n]) == list(needle):
            return k
    return -1


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from("abc"), max_size=4), st.lists(st.sampled_from("abc"), max_size=10))
def test_find_seq_equals_its_definition(needle: list[str], hay: list[str]) -> None:
    assert find_seq(needle, hay) == _find_seq_spec(needle, hay)
    assert find_seq(tuple(needle), tuple(hay)) == _find_seq_spec(needle, hay)
