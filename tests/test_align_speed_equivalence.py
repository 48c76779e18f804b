"""The fast aligner gives exactly the alignment of the straightforward one it replaced.

``_legacy_align`` below is the original implementation (sets of trigrams, a dict per cell,
memoised similarity), kept here as the specification. The fast one (bit masks, list rows,
prefix sums) must agree with it exactly: same beads, same similarities, same coverage,
on full tables and on bands, on the seeds, on generated long documents and on random input.
A speed-up that changes an alignment is a bug.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest
from conftest import seed_path
from hypothesis import given, settings
from hypothesis import strategies as st
from test_align import _generated

import diag.align as align_module
from diag.align import (
    DEFAULT_FLOOR,
    DOUBLE_MERGE_FACTOR,
    FULL_TABLE_CELLS,
    MERGE_FACTOR,
    MERGE_FLOOR,
    _band,
    _dice,
    _features,
    align,
    similarity,
)
from diag.model import AlignedPair, Alignment

_BEADS = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 0), (0, 1))


def _legacy_align(
    reference: Sequence[str],
    candidate: Sequence[str],
    *,
    floor: float = DEFAULT_FLOOR,
    banded: bool | None = None,
) -> Alignment:
    """The original aligner, verbatim but for ``banded`` (None: decide by table size, as align does)."""
    ref = [_features(s) for s in reference]
    cand = [_features(s) for s in candidate]
    n, m = len(ref), len(cand)
    cache: dict[tuple[int, int, int, int], float] = {}

    def grams(feats: list, i: int, k: int) -> frozenset[str]:  # type: ignore[type-arg]
        return feats[i].grams if k == 1 else feats[i].grams | feats[i + 1].grams

    def sim(i: int, ki: int, j: int, kj: int) -> float:
        key = (i, ki, j, kj)
        if key not in cache:
            cache[key] = _dice(grams(ref, i, ki), grams(cand, j, kj))
        return cache[key]

    def weight(i: int, ki: int, j: int, kj: int) -> int:
        return sum(ref[i + d].length for d in range(ki)) + sum(cand[j + d].length for d in range(kj))

    if banded is None:
        banded = n * m > FULL_TABLE_CELLS
    allowed = _band([f.words for f in ref], [f.words for f in cand]) if banded else None
    best: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for i in range(n + 1):
        columns = range(m + 1) if allowed is None else range(allowed[i][0], allowed[i][1] + 1)
        for j in columns:
            if i == 0 and j == 0:
                continue
            top = -math.inf
            choice = None
            for ki, kj in _BEADS:
                pi, pj = i - ki, j - kj
                if pi < 0 or pj < 0:
                    continue
                prev = best.get((pi, pj))
                if prev is None:
                    continue
                if ki and kj:
                    s = sim(pi, ki, pj, kj)
                    bead_floor = floor + MERGE_FLOOR.get((ki, kj), 0.0)
                    if s < bead_floor:
                        continue
                    gain = weight(pi, ki, pj, kj) * (s - bead_floor)
                    if ki == kj == 2:
                        gain *= DOUBLE_MERGE_FACTOR
                    elif ki != kj:
                        gain *= MERGE_FACTOR
                else:
                    gain = 0.0
                total = prev + gain
                if total > top:
                    top = total
                    choice = (pi, ki, pj, kj)
            if choice is not None:
                best[(i, j)] = top
                back[(i, j)] = choice
    path = []
    cell = (n, m)
    while cell != (0, 0):
        step = back.get(cell)
        if step is None:
            i, j = cell
            step = (i - 1, 1, j, 0) if i > 0 else (i, 0, j - 1, 1)
        path.append(step)
        cell = (step[0], step[2])
    path.reverse()
    pairs = []
    for i, ki, j, kj in path:
        s = sim(i, ki, j, kj) if ki and kj else 0.0
        pairs.append(
            AlignedPair(tuple(range(i, i + ki)), tuple(range(j, j + kj)), round(min(1.0, max(0.0, s)), 4))
        )
    ref_total = sum(len(s) for s in reference)
    cand_total = sum(len(s) for s in candidate)
    ref_aligned = sum(len(reference[i]) for p in pairs if p.candidate for i in p.reference)
    cand_aligned = sum(len(candidate[j]) for p in pairs if p.reference for j in p.candidate)
    return Alignment(
        tuple(pairs),
        round(ref_aligned / ref_total, 4) if ref_total else 0.0,
        round(cand_aligned / cand_total, 4) if cand_total else 0.0,
    )


def _seed_sentences(number: str, copies: int, keep_all: bool) -> list[str]:
    from diag.pipeline import build_document

    text = seed_path(number).read_text(encoding="utf-8")
    doc = build_document("\n\n".join([text] * copies), keep_all=keep_all)
    return [s.text for s in doc.sentences]


@pytest.mark.parametrize("copies,keep_all", [(1, False), (1, True), (3, False), (5, True)])
def test_seeds_equal_legacy(copies: int, keep_all: bool) -> None:
    ref = _seed_sentences("001", copies, keep_all)
    cand = _seed_sentences("000", copies, keep_all)
    assert align(ref, cand) == _legacy_align(ref, cand)


@pytest.mark.parametrize("n,seed", [(40, 1), (150, 2), (300, 3)])
@pytest.mark.parametrize("floor", [DEFAULT_FLOOR, 0.2, 0.5])
def test_generated_equal_legacy(n: int, seed: int, floor: float) -> None:
    ref, cand, _ = _generated(n, seed=seed)
    assert align(ref, cand, floor=floor) == _legacy_align(ref, cand, floor=floor)


@pytest.mark.parametrize("n,seed", [(200, 11), (250, 12)])
def test_banded_equals_full_table_on_moderate_inputs(
    n: int, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The band around the anchors loses nothing on these inputs: the full table agrees."""
    ref, cand, _ = _generated(n, seed=seed)
    monkeypatch.setattr(align_module, "FULL_TABLE_CELLS", 0)
    banded = align(ref, cand)
    assert banded == _legacy_align(ref, cand, banded=True)
    monkeypatch.setattr(align_module, "FULL_TABLE_CELLS", 10**12)
    full = align(ref, cand)
    assert full == _legacy_align(ref, cand, banded=False)
    assert banded == full


def test_forced_band_on_small_input_equals_legacy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The banded code path, on inputs small enough to run the legacy band too."""
    ref, cand, _ = _generated(70, seed=5)
    monkeypatch.setattr(align_module, "FULL_TABLE_CELLS", 0)
    assert align(ref, cand) == _legacy_align(ref, cand, banded=True)


sentence = st.text(alphabet=st.sampled_from("ab cd ef the of gh ij, kl. Mn Op 12 3"), min_size=0, max_size=50)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(sentence, max_size=14), st.lists(sentence, max_size=14), st.sampled_from([0.0, 0.1, 0.3, 0.6])
)
def test_random_equal_legacy(ref: list[str], cand: list[str], floor: float) -> None:
    assert align(ref, cand, floor=floor) == _legacy_align(ref, cand, floor=floor)


@settings(max_examples=60, deadline=None)
@given(st.lists(sentence, min_size=1, max_size=30), st.lists(sentence, min_size=1, max_size=30))
def test_random_banded_equal_legacy_banded(ref: list[str], cand: list[str]) -> None:
    original = align_module.FULL_TABLE_CELLS
    align_module.FULL_TABLE_CELLS = 0
    try:
        got = align(ref, cand)
    finally:
        align_module.FULL_TABLE_CELLS = original
    assert got == _legacy_align(ref, cand, banded=True)


def test_similarity_is_dice_of_features() -> None:
    a, b = "The mayor, Odile Brannock, spoke.", "Mayor Brannock said nothing."
    assert similarity(a, b) == _dice(_features(a).grams, _features(b).grams)


@settings(max_examples=150, deadline=None)
@given(st.lists(sentence, min_size=1, max_size=10), st.data())
def test_sentences_read_once_give_the_spans_read_apart(ref: list[str], data: st.DataObject) -> None:
    """A candidate that copies and repeats reference sentences: each text read once for both sides gives
    the masks, bit index, words (in their iteration order) and weights of reading every sentence apart,
    and the same alignment as the specification."""
    cand = data.draw(st.lists(st.one_of(st.sampled_from(ref), sentence), max_size=12))
    index: dict[str, int] = {}
    masks: dict[str, int] = {}
    apart = [align_module._Spans(texts, index, masks) for texts in (ref, cand)]
    shared_index: dict[str, int] = {}
    seen: dict[str, tuple[frozenset[str], int]] = {}
    shared = [align_module._Spans(texts, shared_index, {}, seen) for texts in (ref, cand)]
    assert shared_index == index and list(shared_index) == list(index)
    for a, b in zip(apart, shared, strict=True):
        assert a.masks == b.masks and a.counts == b.counts and a.prefix == b.prefix
        assert [list(w) for w in a.words] == [list(w) for w in b.words]
    assert align(ref, cand) == _legacy_align(ref, cand)
    assert align(ref, ref) == _legacy_align(ref, ref)


def _programme_checking_bounds(
    ref: align_module._Spans,
    cand: align_module._Spans,
    n: int,
    m: int,
    floor: float,
    allowed: list[tuple[int, int]] | None,
) -> list[tuple[int, int, int, int]]:
    """The specification: the former cell-by-cell programme, every bead checking its bounds."""
    neg = -math.inf
    if allowed is None:
        allowed = [(0, m)] * (n + 1)
    f11 = floor + MERGE_FLOOR.get((1, 1), 0.0)
    f12 = floor + MERGE_FLOOR.get((1, 2), 0.0)
    f21 = floor + MERGE_FLOOR.get((2, 1), 0.0)
    f22 = floor + MERGE_FLOOR.get((2, 2), 0.0)
    r1, r2 = ref.masks[1], ref.masks[2]
    rc1, rc2 = ref.counts[1], ref.counts[2]
    c1, c2 = cand.masks[1], cand.masks[2]
    cc1, cc2 = cand.counts[1], cand.counts[2]
    rp, cp = ref.prefix, cand.prefix
    # Beads as codes 0..5, in the order of _BEADS; back[i][j - lo_i] is the bead ending at (i, j).
    backs: list[bytearray] = []
    los: list[int] = []
    prev1: list[float] = []  # row i-1
    prev2: list[float] = []  # row i-2
    lo1 = lo2 = 0
    hi1 = hi2 = -1
    for i in range(n + 1):
        lo, hi = allowed[i]
        width = hi - lo + 1 if hi >= lo else 0
        row = [neg] * width
        back = bytearray(b"\xff") * width
        if i >= 1:
            rs1, rn1 = r1[i - 1], rc1[i - 1]
            rw1 = rp[i] - rp[i - 1]
        if i >= 2:
            rs2, rn2 = r2[i - 2], rc2[i - 2]
            rw2 = rp[i] - rp[i - 2]
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            top = neg
            code = -1
            if i >= 1:
                # (1, 1)
                if j >= 1 and lo1 <= j - 1 <= hi1:
                    p = prev1[j - 1 - lo1]
                    if p != neg:
                        b = cc1[j - 1]
                        sim = 2.0 * (rs1 & c1[j - 1]).bit_count() / (rn1 + b) if rn1 and b else 0.0
                        if sim >= f11:
                            total = p + (rw1 + (cp[j] - cp[j - 1])) * (sim - f11)
                            if total > top:
                                top, code = total, 0
                # (1, 2)
                if j >= 2 and lo1 <= j - 2 <= hi1:
                    p = prev1[j - 2 - lo1]
                    if p != neg:
                        b = cc2[j - 2]
                        sim = 2.0 * (rs1 & c2[j - 2]).bit_count() / (rn1 + b) if rn1 and b else 0.0
                        if sim >= f12:
                            gain = (rw1 + (cp[j] - cp[j - 2])) * (sim - f12)
                            gain *= MERGE_FACTOR
                            total = p + gain
                            if total > top:
                                top, code = total, 1
            if i >= 2:
                # (2, 1)
                if j >= 1 and lo2 <= j - 1 <= hi2:
                    p = prev2[j - 1 - lo2]
                    if p != neg:
                        b = cc1[j - 1]
                        sim = 2.0 * (rs2 & c1[j - 1]).bit_count() / (rn2 + b) if rn2 and b else 0.0
                        if sim >= f21:
                            gain = (rw2 + (cp[j] - cp[j - 1])) * (sim - f21)
                            gain *= MERGE_FACTOR
                            total = p + gain
                            if total > top:
                                top, code = total, 2
                # (2, 2)
                if j >= 2 and lo2 <= j - 2 <= hi2:
                    p = prev2[j - 2 - lo2]
                    if p != neg:
                        b = cc2[j - 2]
                        sim = 2.0 * (rs2 & c2[j - 2]).bit_count() / (rn2 + b) if rn2 and b else 0.0
                        if sim >= f22:
                            gain = (rw2 + (cp[j] - cp[j - 2])) * (sim - f22)
                            gain *= DOUBLE_MERGE_FACTOR
                            total = p + gain
                            if total > top:
                                top, code = total, 3
            # (1, 0): the reference sentence is left out.
            if i >= 1 and lo1 <= j <= hi1:
                p = prev1[j - lo1]
                if p != neg:
                    total = p + 0.0
                    if total > top:
                        top, code = total, 4
            # (0, 1): the candidate sentence is added.
            if j >= 1 and j - 1 >= lo:
                p = row[j - 1 - lo]
                if p != neg:
                    total = p + 0.0
                    if total > top:
                        top, code = total, 5
            if code >= 0:
                row[j - lo] = top
                back[j - lo] = code
        backs.append(back)
        los.append(lo)
        prev2, lo2, hi2 = prev1, lo1, hi1
        prev1, lo1, hi1 = row, lo, hi
    # Walk back from the corner.
    path: list[tuple[int, int, int, int]] = []
    i, j = n, m
    while (i, j) != (0, 0):
        lo = los[i]
        code = backs[i][j - lo] if lo <= j < lo + len(backs[i]) else 0xFF
        if code == 0xFF:  # the band missed a corner; fall back to skips (never reached in practice)
            step = (i - 1, 1, j, 0) if i > 0 else (i, 0, j - 1, 1)
        else:
            ki, kj = _BEADS[code]
            step = (i - ki, ki, j - kj, kj)
        path.append(step)
        i, j = step[0], step[2]
    path.reverse()
    return path



@st.composite
def _band_of(draw: st.DrawFn, n: int, m: int) -> list[tuple[int, int]]:
    """A connected band of column ranges (lo, hi), row 0 from column 0, row n to column m."""
    allowed = []
    for _ in range(n + 1):
        lo = draw(st.integers(0, m))
        allowed.append((lo, draw(st.integers(lo, m))))
    for i in range(1, n + 1):
        lo, hi = allowed[i]
        plo, phi = allowed[i - 1]
        allowed[i] = (min(lo, phi), max(hi, plo))
    allowed[0] = (0, max(allowed[0][1], 0))
    allowed[n] = (min(allowed[n][0], m), m)
    return allowed


@settings(max_examples=300, deadline=None)
@given(
    st.lists(sentence, max_size=12),
    st.lists(sentence, max_size=12),
    st.sampled_from([-0.1, 0.0, 0.1, 0.3, 0.6]),
    st.booleans(),
    st.data(),
)
def test_programme_without_bound_checks_equals_the_checking_loop(
    ref: list[str], cand: list[str], floor: float, banded: bool, data: st.DataObject
) -> None:
    """Full tables and random connected bands (narrow ones miss cells, even corners), floors at and
    below zero (where a bead with no shared trigram still counts): the same path."""
    index: dict[str, int] = {}
    masks: dict[str, int] = {}
    r, c = align_module._Spans(ref, index, masks), align_module._Spans(cand, index, masks)
    n, m = len(ref), len(cand)
    allowed = data.draw(_band_of(n, m)) if banded else None
    expected = _programme_checking_bounds(r, c, n, m, floor, allowed)
    assert align_module._dynamic_programme(r, c, n, m, floor, allowed) == expected


_COPY_SENTENCES = st.sampled_from(
    ["The council met.", "It rained in Orvane on Tuesday.", "Budget, roads and schools.", "A", "...", "—", "the of",
     "Mara Lindqvist said so.", "Again.", "1,200 approved."]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_COPY_SENTENCES, max_size=14), st.sampled_from([0.3, 0.0, -0.5, 0.6, 0.95, 0.99, 1.0, 1.2]))
def test_a_copy_is_aligned_as_the_programme_aligns_it(sentences: list[str], floor: float) -> None:
    """A document against its own copy: the diagonal, taken without the programme where that is certain
    (no sentence without a trigram, a floor under 1), is the programme's path, beads and similarities."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(align_module, "_copy_path", lambda *args: None)
        expected = align(sentences, sentences, floor=floor)
    assert align(sentences, list(sentences), floor=floor) == expected
    assert _legacy_align(sentences, sentences, floor=floor) == expected


def test_a_long_copy_takes_the_diagonal_without_the_programme(monkeypatch: pytest.MonkeyPatch) -> None:
    """Banded (a long document): the diagonal lies in the band, and no cell of the programme is computed."""
    ref, _, _ = _generated(900, seed=5)
    programme = align_module._dynamic_programme
    calls = []

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return programme(*args, **kwargs)

    monkeypatch.setattr(align_module, "_dynamic_programme", counted)
    got = align(ref, list(ref))
    assert calls == [] and len(ref) ** 2 > FULL_TABLE_CELLS
    assert [(p.reference, p.candidate, p.similarity) for p in got.pairs] == [((i,), (i,), 1.0) for i in range(len(ref))]
    monkeypatch.setattr(align_module, "_copy_path", lambda *args: None)
    assert align(ref, list(ref)) == got and len(calls) == 1
