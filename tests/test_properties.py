"""Invariants of the whole pipeline on random texts (hypothesis).

* random texts never crash ``diag.diagnose`` (only ``InputError`` may come out of
  ``build_document`` when empty texts are not allowed);
* every span (sentence, set-aside furniture, finding location) is ``text[start:end]``;
* the alignment is monotone and uses each sentence of each side exactly once;
* a text against itself is a copy with no findings;
* scores stay within their ranges.

Texts are drawn from news-like pieces (names, numbers, abbreviations, furniture lines,
other scripts, odd line breaks) mixed with arbitrary Unicode, and candidates are
drawn as edits of the reference so that alignment and findings have work to do.
Examples are few (the pipeline runs sacrebleu) and there is no deadline: CI time stays
sane and a slow machine does not flake.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import diag
from diag.errors import InputError
from diag.model import Diagnosis, Document
from diag.pipeline import build_document

PIECES = [
    "Orvane Systems",
    "Mara Lindqvist",
    "ByteDance",
    "MAGA",
    "said on Monday",
    "it would cut",
    "1,200 jobs",
    "$2.4 billion",
    "35%",
    "3.5 million",
    "the U.S. market",
    "Mr. Smith",
    "Dr. J. R. Evans",
    "e.g.",
    "(Reuters)",
    "\u201cquoted,\u201d he said",
    "\u2014",
    "...",
    "?",
    "!",
    ".",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\u2028",
    "\t",
    "\u00a0",
    "Photo: Reuters",
    "1,234 views",
    "Advertisement",
    "Related Articles",
    "\u5e02\u8bae\u4f1a\u5468\u4e8c\u6279\u51c6\u4e86\u9884\u7b97\u3002",
    "\u0413\u043e\u0440\u043e\u0434\u0441\u043a\u043e\u0439 \u0441\u043e\u0432\u0435\u0442.",
    "\u0645\u062c\u0644\u0633 \u0627\u0644\u0645\u062f\u064a\u0646\u0629",
    "<script>alert(1)</script>",
    "e\u0301",
    "\U0001f600",
]
WORDS = "the council approved a new budget after long debate members argued over schools roads".split()  # noqa: SIM905


@st.composite
def texts(draw: st.DrawFn, max_parts: int = 30) -> str:
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(PIECES),
                st.sampled_from(WORDS),
                st.text(max_size=12),
                st.integers(0, 10**7).map(str),
            ),
            max_size=max_parts,
        )
    )
    separators = draw(st.lists(st.sampled_from([" ", " ", " ", "", ". ", ".\n", "\n"]), min_size=len(parts), max_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, separators, strict=True))


@st.composite
def edited(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few words dropped, swapped, repeated or replaced."""
    words = text.split(" ")
    for _ in range(draw(st.integers(0, 4))):
        if not words:
            break
        k = draw(st.integers(0, len(words) - 1))
        action = draw(st.sampled_from(["drop", "replace", "repeat", "digit"]))
        if action == "drop":
            del words[k]
        elif action == "replace":
            words[k] = draw(st.sampled_from(WORDS + PIECES))
        elif action == "repeat":
            words.insert(k, words[k])
        else:
            words[k] = "".join("7" if c.isdigit() else c for c in words[k])
    return " ".join(words)


@st.composite
def pairs(draw: st.DrawFn) -> tuple[str, str]:
    reference = draw(texts())
    candidate = draw(st.one_of(edited(reference), texts()))
    return reference, candidate


PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_document(doc: Document, text: str) -> None:
    assert doc.text == text
    previous = 0
    for k, s in enumerate(doc.sentences):
        assert s.index == k
        assert previous <= s.start < s.end <= len(text)
        assert s.text == text[s.start : s.end]
        assert s.text == s.text.strip()
        previous = s.end
    previous = 0
    for a in doc.set_aside:
        assert previous <= a.start < a.end <= len(text) and a.reason
        previous = a.end
    covered = [(a.start, a.end) for a in doc.set_aside]
    for s in doc.sentences:
        assert not any(a < s.end and s.start < b for a, b in covered), "a sentence inside set-aside furniture"


def check_alignment(d: Diagnosis) -> None:
    n, m = len(d.reference.sentences), len(d.candidate.sentences)
    refs = [i for p in d.alignment.pairs for i in p.reference]
    cands = [j for p in d.alignment.pairs for j in p.candidate]
    assert refs == list(range(n)), "each reference sentence exactly once, in order"
    assert cands == list(range(m)), "each candidate sentence exactly once, in order"
    for p in d.alignment.pairs:
        assert p.reference or p.candidate
        assert list(p.reference) == list(range(p.reference[0], p.reference[0] + len(p.reference))) if p.reference else True
        assert list(p.candidate) == list(range(p.candidate[0], p.candidate[0] + len(p.candidate))) if p.candidate else True


def check_ranges(d: Diagnosis) -> None:
    for name in ("bleu", "chrf", "chrf++"):
        score = d.metrics[name].score
        assert 0.0 <= score <= 100.0 + 1e-9, (name, score)
        assert d.metrics[name].signature
    assert d.metrics["ter"].score >= 0.0 and math.isfinite(d.metrics["ter"].score)
    for p in d.alignment.pairs:
        assert 0.0 <= p.similarity <= 1.0
        if p.scores is not None:
            assert 0.0 <= p.scores.bleu <= 100.0 + 1e-9
            assert 0.0 <= p.scores.chrf <= 100.0 + 1e-9
            assert 0.0 <= p.scores.chrf_pp <= 100.0 + 1e-9
            assert p.scores.ter >= 0.0 and math.isfinite(p.scores.ter)
    assert 0.0 <= d.alignment.reference_coverage <= 1.0
    assert 0.0 <= d.alignment.candidate_coverage <= 1.0
    v = d.verdict
    assert 0.0 <= v.confidence <= 1.0
    assert v.machine_probability is None or 0.0 <= v.machine_probability <= 1.0
    for value in v.probabilities.values():
        assert 0.0 <= value <= 1.0
    if v.probabilities:
        assert sum(v.probabilities.values()) == pytest.approx(1.0, abs=1e-3)  # each rounded to 4 places
    assert d.mqm_per_1000 >= 0.0 and math.isfinite(d.mqm_per_1000)


def check_findings(d: Diagnosis) -> None:
    for f in d.findings:
        for loc, doc in ((f.reference, d.reference), (f.candidate, d.candidate)):
            if loc is not None:
                assert 0 <= loc.start <= loc.end <= len(doc.text)
                assert loc.text == doc.text[loc.start : loc.end], (f, loc)
        if f.pair is not None:
            assert 0 <= f.pair < len(d.alignment.pairs)


def _diagnose(reference: str, candidate: str) -> Diagnosis:
    """The core on any text: Documents built as given (the input checks of ``diagnose`` are tested elsewhere)."""
    return diag.diagnose(build_document(reference, allow_empty=True), build_document(candidate, allow_empty=True))


@PROPERTY
@given(pairs())
@example(("", ""))
@example(("Orvane Systems said on Monday it would cut 1,200 jobs.", ""))
@example(("\r\n\u2028 \x0c", "Photo: Reuters\n1,234 views"))
@example(("a\ud800b. Second sentence here.", "a\udfffb. Second sentence here."))
def test_random_texts_never_crash_and_spans_are_slices(pair: tuple[str, str]) -> None:
    reference, candidate = pair
    d = _diagnose(reference, candidate)
    check_document(d.reference, reference)
    check_document(d.candidate, candidate)
    check_alignment(d)
    check_ranges(d)
    check_findings(d)


@PROPERTY
@given(texts(max_parts=60), st.booleans())
def test_build_document_either_builds_or_says_why(text: str, keep_all: bool) -> None:
    doc = build_document(text, keep_all=keep_all, allow_empty=True)
    check_document(doc, text)
    try:
        strict = build_document(text, path="x.txt", keep_all=keep_all)
    except InputError as error:
        # refused on the command line; diagnose() and batch records keep a wordless text as wordless segments
        assert not any(any(ch.isalnum() for ch in s.text) for s in doc.sentences)
        assert str(error).startswith("x.txt: ") and "\n" not in str(error)
    else:
        assert strict.sentences == doc.sentences


def _has_words(text: str) -> bool:
    """Texts diagnose() compares: with words, and English (others are refused with a message, see test_language)."""
    from diag.language import not_english

    sentences = build_document(text, allow_empty=True).sentences
    return any(any(ch.isalnum() for ch in s.text) for s in sentences) and not_english(text) is None


@PROPERTY
@given(texts().filter(_has_words))
@example("Orvane Systems said on Monday it would cut 1,200 jobs. Chief executive Mara Lindqvist blamed demand.")
@example("x")
@example("It was not.")
def test_a_text_against_itself_has_no_findings_and_top_scores(text: str) -> None:
    d = diag.diagnose(text, text)
    assert d.findings == ()
    assert d.mqm_per_1000 == 0.0
    check_ranges(d)


@PROPERTY
@given(texts().filter(_has_words))
@example("It was not.")  # function words only: align once left it unpaired against itself
@example("Orvane Systems said on Monday it would cut 1,200 jobs. Chief executive Mara Lindqvist blamed demand.")
def test_a_text_against_itself_is_a_copy(text: str) -> None:
    d = _diagnose(text, text)
    assert all(p.kind == "1-1" for p in d.alignment.pairs), [p.kind for p in d.alignment.pairs]
    assert d.verdict.relation == "copy", (d.verdict.label, d.verdict.evidence)
    assert d.metrics["chrf"].score == pytest.approx(100.0)
    assert d.metrics["ter"].score == pytest.approx(0.0)
    assert d.alignment.reference_coverage == d.alignment.candidate_coverage == 1.0


def test_a_short_sentence_of_function_words_aligns_with_itself() -> None:
    text = (
        "Orvane Systems said on Monday it would cut 1,200 jobs.\nIt was not.\n"
        "Chief executive Mara Lindqvist blamed weak demand.\n"
    )
    d = diag.diagnose(text, text)
    assert [p.kind for p in d.alignment.pairs] == ["1-1", "1-1", "1-1"]
    assert (d.metrics["chrf"].score, d.metrics["ter"].score) == (pytest.approx(100.0), pytest.approx(0.0))
