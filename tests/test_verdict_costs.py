"""The verdict's word lists and order-kept overlaps, made cheap on large texts, give the
values difflib and the plain word list give."""

from __future__ import annotations

import itertools
import math
import re
from difflib import SequenceMatcher

import pytest
from conftest import seed_path
from hypothesis import given, settings
from hypothesis import strategies as st

from diag.align import _features
from diag.model import Document, Sentence
from diag.pipeline import align_and_score, build_document
from diag.verdict import features
from diag.verdict.features import (
    _WORD,
    MATTR_WINDOW,
    _mattr,
    _best_match,
    _consistency,
    _content_stems,
    _stem_row,
    _by_size,
    ORDER_SAMPLE,
    RESTATE_FLOOR,
    _char_overlap,
    _document_words,
    _order_free,
    _word_overlap,
    _words,
)

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
        assert _char_overlap(wx, wy) == expected_chars


@settings(max_examples=200, deadline=None)
@given(texts)
def test_words_are_the_folded_words_each_recurring_one_shared(text: str) -> None:
    words = _document_words(text)
    assert words == _words(text) == [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    first = {}
    for w in words:
        assert first.setdefault(w, w) is w
    assert isinstance(_WORD, re.Pattern)


def _order_free_loop(reference: Document, candidate: Document) -> tuple[float, float]:
    """The specification: every sampled candidate sentence against every reference sentence, one
    Python ``_dice`` on ``diag.align._features``' trigram sets at a time, the first best kept."""
    ref = [_features(s.text).grams for s in reference.sentences]
    cand_all = list(candidate.sentences)
    step = max(1, math.ceil(len(cand_all) / ORDER_SAMPLE))
    restated_len = total_len = 0
    best_idx: list[int] = []
    for s in cand_all[::step]:
        grams = _features(s.text).grams
        best, where = 0.0, -1
        for i, rg in enumerate(ref):
            d = 2.0 * len(grams & rg) / (len(grams) + len(rg)) if grams and rg else 0.0
            if d > best:
                best, where = d, i
        total_len += len(s.text)
        if best >= RESTATE_FLOOR:
            restated_len += len(s.text)
            best_idx.append(where)
    restated = restated_len / total_len if total_len else 0.0
    if len(best_idx) < 2:
        return restated, 1.0
    return restated, sum(1 for a, b in itertools.pairwise(best_idx) if b >= a) / (len(best_idx) - 1)


#: Sentences over few words (so that many pairs tie, and some hold only function words or nothing).
sentences = st.lists(st.sampled_from(["the", "of", "harbour", "harbours", "ferry", "tax", "Ferry", "x", "1", "a"]),
                     max_size=7).map(" ".join)


def _document(parts: list[str]) -> Document:
    text, spans = "", []
    for part in parts:
        start = len(text)
        text += part + " "
        spans.append(Sentence(len(spans), start, start + len(part), part))
    return Document(text=text, sentences=tuple(spans))


@settings(max_examples=300, deadline=None)
@given(st.lists(sentences, max_size=12), st.lists(sentences, max_size=12))
def test_order_free_equals_the_sentence_by_sentence_loop(reference: list[str], candidate: list[str]) -> None:
    """Repeated and copied sentences (their masks kept while recent, a few or none) included."""
    ref, cand = _document(reference), _document(candidate)
    expected = _order_free_loop(ref, cand)
    assert _order_free(ref, cand) == expected
    for recent in (0, 1, 3):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(features, "RECENT_SIDES", recent)
            assert _order_free(ref, cand) == expected


def test_order_free_samples_candidates_and_meets_every_reference_sentence() -> None:
    """Beyond ORDER_SAMPLE candidate sentences an even sample is compared; ties keep the first."""
    words = ["harbour ferry", "ferry tax", "tax harbour", "the of", "harbour"]
    ref = _document([words[k % 5] for k in range(3 * ORDER_SAMPLE)])
    cand = _document([words[(k * 7) % 5] for k in range(2 * ORDER_SAMPLE + 1)])
    assert _order_free(ref, cand) == _order_free_loop(ref, cand)


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 255), st.lists(st.integers(0, 255), max_size=40))
def test_best_match_is_the_first_best_of_the_loop(mask: int, masks: list[int]) -> None:
    """Grouped by size and read by their bound, the masks give the loop's best Dice and first index
    (small masks: many ties, of one size and across sizes)."""
    n, best, where = mask.bit_count(), 0.0, -1
    for i, m in enumerate(masks):
        d = 2.0 * (mask & m).bit_count() / (n + m.bit_count()) if n and m else 0.0
        if d > best:
            best, where = d, i
    assert _best_match(mask, _by_size(masks)) == (best, where)


def _consistency_loop(source: list[frozenset[str]], target: list[frozenset[str]]) -> float:
    where: dict[str, list[int]] = {}
    for k, stems in enumerate(source):
        for stem in stems:
            where.setdefault(stem, []).append(k)
    shares = []
    for positions in where.values():
        if len(positions) < 2:
            continue
        counts: dict[str, int] = {}
        for k in positions:
            for stem in target[k]:
                counts[stem] = counts.get(stem, 0) + 1
        shares.append(max(counts.values(), default=0) / len(positions))
    return math.fsum(shares) / len(shares) if shares else 1.0


stem_sets = st.lists(st.frozensets(st.sampled_from(["elect", "state", "harbo", "ferry", "tax", "vote"])), max_size=15)


@settings(max_examples=300, deadline=None)
@given(stem_sets, st.data())
def test_consistency_counted_in_c_equals_the_loop(source: list[frozenset[str]], data: st.DataObject) -> None:
    """Counted with C-level counters over tuples of shared stems, the same value as the dictionary loop over
    the pairs' frozensets."""
    target = data.draw(st.lists(st.frozensets(st.sampled_from(["elect", "state", "vote", "x"])),
                                min_size=len(source), max_size=len(source)))
    expected = _consistency_loop(source, target)
    assert _consistency(source, target) == expected
    assert _consistency([tuple(s) for s in source], [tuple(t) for t in target]) == expected


def test_stem_rows_share_their_strings() -> None:
    words = _words("Elections and electoral states: the elections, the statement.")
    row = _stem_row(words)
    assert sorted(row) == sorted(_content_stems(words))
    again = _stem_row(_words("Electoral statements"))
    assert all(any(a is b for b in row) for a in again)


def _mattr_sliding(words: list[str], window: int = MATTR_WINDOW) -> float:
    """The specification: a sliding count of each window's distinct words."""
    n = len(words)
    if n == 0:
        return 0.0
    if n <= window:
        return len(set(words)) / n
    counts: dict[str, int] = {}
    for w in words[:window]:
        counts[w] = counts.get(w, 0) + 1
    total = len(counts)
    for k in range(window, n):
        out, new = words[k - window], words[k]
        counts[out] -= 1
        if counts[out] == 0:
            del counts[out]
        counts[new] = counts.get(new, 0) + 1
        total += len(counts)
    return total / (n - window + 1) / window


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "d", "e", "the", "of"]), max_size=160), st.integers(1, 70))
def test_mattr_by_previous_occurrence_equals_the_sliding_count(words: list[str], window: int) -> None:
    assert _mattr(words, window) == _mattr_sliding(words, window)
    assert _mattr(words) == _mattr_sliding(words)


@settings(max_examples=300, deadline=None)
@given(stem_sets, st.data())
def test_consistency_with_copied_rows_equals_the_loop(source: list[frozenset[str]], data: st.DataObject) -> None:
    """Rows the target shares with the source (the same tuple, or an equal one) take the shortcut; the
    value is the loop's."""
    rows = [tuple(s) for s in source]
    target = []
    for row in rows:
        kind = data.draw(st.sampled_from(["same", "equal", "other"]))
        if kind == "same":
            target.append(row)
        elif kind == "equal":
            target.append(tuple(row))
        else:
            target.append(tuple(data.draw(st.frozensets(st.sampled_from(["elect", "state", "vote", "x"])))))
    assert _consistency(rows, target) == _consistency_loop(source, [frozenset(t) for t in target])
    assert _consistency(target, rows) == _consistency_loop([frozenset(t) for t in target], source)


def _features_read_apart(reference: Document, candidate: Document) -> dict[str, float]:
    """``extract_features`` with every side read on its own (no text taken for the same as another)."""
    alignment, scored = align_and_score(reference, candidate)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(features, "_same", lambda a, b: False)
        patch.setattr(features, "RECENT_SIDES", 0)
        return features.extract_features(reference, candidate, alignment, scored.document, ())


def _features_shared(reference: Document, candidate: Document, recent: int = features.RECENT_SIDES) -> dict[str, float]:
    """``extract_features`` as it runs, keeping ``recent`` sides (a few: the least recent dropped often)."""
    alignment, scored = align_and_score(reference, candidate)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(features, "RECENT_SIDES", recent)
        return features.extract_features(reference, candidate, alignment, scored.document, ())


@settings(max_examples=60, deadline=None)
@given(st.lists(sentences, min_size=1, max_size=10), st.data())
def test_features_of_copied_sides_are_those_read_apart(reference: list[str], data: st.DataObject) -> None:
    """A document against itself, against a copy and against a copy with sentences changed: each copied
    side shares the reference side's words and stems, and every feature is what reading both gives."""
    changed = [data.draw(st.one_of(st.just(s), sentences)) for s in reference]
    ref = _document(reference)
    for cand in (ref, _document(list(reference)), _document(changed), _document(changed + reference)):
        expected = _features_read_apart(ref, cand)
        for recent in (features.RECENT_SIDES, 1, 2):
            assert _features_shared(ref, cand, recent) == expected


@pytest.mark.parametrize("edit", ["copy", "near copy"])
def test_features_of_a_seed_copy_are_those_read_apart(edit: str) -> None:
    text = seed_path("001").read_text(encoding="utf-8")
    candidate = text
    if edit == "near copy":
        words = text.split(" ")
        candidate = " ".join(w.upper() if k % 97 == 0 else w for k, w in enumerate(words))
    ref, cand = build_document(text), build_document(candidate)
    assert _features_shared(ref, cand) == _features_read_apart(ref, cand)


_OVERLAP_WORDS = st.lists(st.sampled_from(["the", "mayor", "said", "budget", "a", "roads", "1,200", "x"]), max_size=30)


@settings(max_examples=300, deadline=None)
@given(_OVERLAP_WORDS, _OVERLAP_WORDS)
def test_overlaps_are_difflibs_ratios(a: list[str], b: list[str]) -> None:
    """The word and character overlaps (cdifflib's matcher where the extra is installed) are difflib's own
    ratios, exactly."""
    from diag.verdict.features import _char_overlap, _word_overlap

    assert _word_overlap(a, b) == SequenceMatcher(None, a, b, autojunk=False).ratio()
    fa, fb = " ".join(a), " ".join(b)
    assert _char_overlap(a, b) == SequenceMatcher(None, fa, fb, autojunk=False).ratio()


def test_the_c_matcher_is_used_where_installed() -> None:
    """With the extra ``diag[fast]`` installed, the overlaps run in cdifflib's matcher (the property test
    above then compares it with difflib's); without it, in difflib's own."""
    from diag.verdict.features import _sequence_matcher

    try:
        from cdifflib import CSequenceMatcher
    except ImportError:
        assert _sequence_matcher() is SequenceMatcher
    else:
        assert _sequence_matcher() is CSequenceMatcher
