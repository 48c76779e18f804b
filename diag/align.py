"""Monotone sentence alignment of a reference and a candidate document.

A machine round trip rewords most of a sentence but keeps its names, numbers and
many character n-grams, and it splits and merges sentences. So sentences are compared
by the Dice overlap of their word-internal character trigrams (what chrF counts, but on
sets, cheap to intersect), and a dynamic programme picks the monotone sequence of
beads - 1-1, 1-2, 2-1, 2-2, 1-0 (omitted), 0-1 (added) - that maximises the
length-weighted similarity above a floor.

Cost stays about linear in document length: short documents get the full table; long
ones are first anchored by distinctive words shared between sentences (an inverted
index, a longest chain of mutually consistent matches), and the programme then only
visits cells in a band around the anchor path.
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from diag.model import AlignedPair, Alignment

#: Similarity below which two sentences are better left unaligned.
DEFAULT_FLOOR = 0.30
#: Extra similarity a merge bead must reach: the union of two sentences overlaps
#: another text more by chance than either sentence alone.
MERGE_FLOOR = {(1, 2): 0.04, (2, 1): 0.04, (2, 2): 0.10}
#: Multipliers on the score of beads that are not 1-1: prefer 1-1 when it explains as well
#: (a union of two sentences' trigrams overlaps more by chance than either sentence does).
MERGE_FACTOR = 0.93
DOUBLE_MERGE_FACTOR = 0.85
#: Reference coverage below which a candidate is a summary: what it leaves out, it leaves out on purpose
#: (the entity and accuracy checks then note omissions as minor, or not at all).
SUMMARY_COVERAGE = 0.8
#: Above this many table cells, align in a band around anchors instead of the full table.
#: (The full table is exact; the band can lose matches when a large block is omitted.)
FULL_TABLE_CELLS = 250_000
#: Half-width of the band around the anchor path, in sentences.
BAND = 12

_WORD = re.compile(r"\w+", re.UNICODE)

# Function words say little about which sentence renders which, and their trigrams
# ("the", " an", "of ") make unrelated sentences of one topic look alike.
_STOPWORDS = frozenset(
    """a an the and or but nor so yet of to in on at by for from with without into onto upon
    over under about above below after before between among through during since until as
    than then that this these those there here it its it's he him his she her hers they them
    their theirs we us our you your i me my mine be is are was were been being am do does
    did done have has had having will would shall should can could may might must not no
    also very just only even more most much many some any such all each both either neither
    which who whom whose what when where why how if while because though although whether
    said says say""".split()
)


@dataclass(frozen=True, slots=True)
class _Features:
    grams: frozenset[str]
    words: frozenset[str]
    length: int


def _content_words(text: str) -> list[str]:
    """The words that identify a sentence: all but function words, unless that is all it has."""
    every = _WORD.findall(text.lower())
    content = [w for w in every if w not in _STOPWORDS]
    return content if content else every


def _features(text: str) -> _Features:
    grams: set[str] = set()
    words: set[str] = set()
    for w in _content_words(text):
        if w in words:  # its trigrams are in already (a whole document repeats most of its words)
            continue
        words.add(w)
        padded = f" {w} "
        for k in range(len(padded) - 2):
            grams.add(padded[k : k + 3])
    return _Features(frozenset(grams), frozenset(words), max(1, len(text)))


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return 2.0 * len(a & b) / (len(a) + len(b))


def similarity(reference: str, candidate: str) -> float:
    """Character-trigram Dice similarity of two texts, in [0, 1]."""
    return _dice(_features(reference).grams, _features(candidate).grams)


def text_grams(text: str) -> frozenset[str]:
    """``_features(text).grams``, the words read match by match: for a whole document, whose list of every
    word's own string (some 120 MB for 10 MB of text) is then never made."""
    lowered = text.lower()
    grams: set[str] = set()
    words: set[str] = set()
    for w in map(re.Match.group, _WORD.finditer(lowered)):
        if w in _STOPWORDS or w in words:
            continue
        words.add(w)
        padded = f" {w} "
        for k in range(len(padded) - 2):
            grams.add(padded[k : k + 3])
    if not words:  # function words alone: all of them count (``_content_words``)
        return _features(text).grams
    return frozenset(grams)


def document_similarity(reference: str, candidate: str) -> float:
    """``similarity`` of two whole documents (``text_grams``: the same value, without their word lists)."""
    return _dice(text_grams(reference), text_grams(candidate))


def trigram_mask(words: Iterable[str], index: dict[str, int], word_masks: dict[str, int]) -> int:
    """The character trigrams of ``words`` (``_features``' grams of a text whose content words they
    are) as a bit mask: bit ``index[g]`` for trigram ``g``.

    ``index`` and ``word_masks`` (each word's own mask) grow as new trigrams and words come, and are
    shared by every text compared, so a recurring word's mask is built once.
    """
    mask = 0
    for w in words:
        wm = word_masks.get(w)
        if wm is None:
            wm = 0
            padded = f" {w} "
            for k in range(len(padded) - 2):
                g = padded[k : k + 3]
                b = index.get(g)
                if b is None:
                    b = index[g] = len(index)
                wm |= 1 << b
            word_masks[w] = wm
        mask |= wm
    return mask


class _Spans:
    """One side's sentences for the programme: trigram sets as bit masks, words, lengths.

    The programme asks for the Dice overlap of one- and two-sentence spans at every cell of
    its band, millions of times on a long document. Python sets made that the bulk of the
    cost (and the union of two sentences' sets was rebuilt at every cell); an int with one
    bit per trigram of the document makes intersection and union single C operations, and
    ``int.bit_count`` gives the same integer sizes, so every similarity is bit-for-bit the
    value ``_dice`` gives on ``_features``' sets (the tests check it). A word's trigram mask
    is built once per document, since most words recur.
    """

    __slots__ = ("counts", "masks", "prefix", "words")

    def __init__(
        self,
        texts: Sequence[str],
        index: dict[str, int],
        word_masks: dict[str, int],
        seen: dict[str, tuple[frozenset[str], int]] | None = None,
    ) -> None:
        """``seen``: each sentence text's words and mask, shared by both sides (a sentence the other side
        copies, or one a side repeats, is read once)."""
        seen = {} if seen is None else seen
        singles: list[int] = []
        self.words: list[frozenset[str]] = []
        #: prefix[i]: total length (the bead weight) of sentences 0 .. i-1.
        self.prefix = [0]
        for text in texts:
            known = seen.get(text)
            if known is None:
                # Built as _features builds it (same insertions, same order), so _anchors
                # sums its float weights in the same order as before.
                word_set: set[str] = set()
                for w in _content_words(text):
                    word_set.add(w)
                words = frozenset(word_set)
                # a text seen again adds no trigram to the index: its bits are the ones given here
                known = seen[text] = (words, trigram_mask(words, index, word_masks))
            singles.append(known[1])
            self.words.append(known[0])
            self.prefix.append(self.prefix[-1] + max(1, len(text)))
        pairs = [a | b for a, b in itertools.pairwise(singles)]
        #: masks[k][i]: trigrams of sentences i .. i+k-1 (k = 1, 2); counts likewise.
        self.masks: tuple[list[int], list[int], list[int]] = ([], singles, pairs)
        self.counts: tuple[list[int], list[int], list[int]] = (
            [],
            [m.bit_count() for m in singles],
            [m.bit_count() for m in pairs],
        )


def _span_sim(ref: _Spans, i: int, ki: int, cand: _Spans, j: int, kj: int) -> float:
    """``_dice`` of the trigrams of reference sentences i..i+ki-1 and candidate j..j+kj-1."""
    a, b = ref.counts[ki][i], cand.counts[kj][j]
    if not a or not b:
        return 0.0
    return 2.0 * (ref.masks[ki][i] & cand.masks[kj][j]).bit_count() / (a + b)


_BEADS: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 0), (0, 1))


def align(
    reference: Sequence[str],
    candidate: Sequence[str],
    *,
    floor: float = DEFAULT_FLOOR,
) -> Alignment:
    """Align two sequences of sentences monotonically.

    Args:
        reference: the reference sentences, in order.
        candidate: the candidate sentences, in order.
        floor: similarity below which sentences are left unaligned.

    Returns:
        An ``Alignment`` whose pairs cover every sentence of both sides exactly once,
        in order, with coverage measured in characters.
    """
    n, m = len(reference), len(candidate)
    index: dict[str, int] = {}
    word_masks: dict[str, int] = {}
    seen: dict[str, tuple[frozenset[str], int]] = {}
    ref_spans = _Spans(reference, index, word_masks, seen)
    copy = n == m and all(a == b for a, b in zip(reference, candidate, strict=True))
    # a copy's spans are the reference's (read-only from here on)
    cand_spans = ref_spans if copy else _Spans(candidate, index, word_masks, seen)
    del seen
    if n * m <= FULL_TABLE_CELLS:
        allowed = None
    else:
        allowed = _band(ref_spans.words, cand_spans.words)
    path = _copy_path(ref_spans, floor, allowed) if copy else None
    if path is None:
        path = _dynamic_programme(ref_spans, cand_spans, n, m, floor, allowed)

    pairs: list[AlignedPair] = []
    for i, ki, j, kj in path:
        sim = _span_sim(ref_spans, i, ki, cand_spans, j, kj) if ki and kj else 0.0
        pairs.append(
            AlignedPair(
                reference=tuple(range(i, i + ki)),
                candidate=tuple(range(j, j + kj)),
                similarity=round(min(1.0, max(0.0, sim)), 4),
            )
        )
    ref_total = sum(len(s) for s in reference)
    cand_total = sum(len(s) for s in candidate)
    ref_aligned = sum(len(reference[i]) for p in pairs if p.candidate for i in p.reference)
    cand_aligned = sum(len(candidate[j]) for p in pairs if p.reference for j in p.candidate)
    return Alignment(
        pairs=tuple(pairs),
        reference_coverage=round(ref_aligned / ref_total, 4) if ref_total else 0.0,
        candidate_coverage=round(cand_aligned / cand_total, 4) if cand_total else 0.0,
    )


def _dynamic_programme(
    ref: _Spans,
    cand: _Spans,
    n: int,
    m: int,
    floor: float,
    allowed: list[tuple[int, int]] | None,
) -> list[tuple[int, int, int, int]]:
    """Best monotone bead path; ``allowed[i]`` is the column range (lo, hi) open in row i.

    Each row keeps its scores in a list over its open columns (``-inf``: unreachable), and
    the six beads are tried in the fixed order of ``_BEADS`` with a strict ``>``, so ties
    resolve as they always have. The arithmetic of every gain is written out in the same
    order as before (weight * (sim - bead floor), then the merge factor), so the path and
    its scores do not depend on the speed-ups. Cost: a few big-int operations per cell of
    the band. The four matching beads are written out one by one on purpose: this is the
    innermost loop (millions of cells on a long document), and a helper call per bead
    costs more than the bead itself. For the same reason no bead checks its bounds: the rows
    above are read over this row's columns with ``-inf`` outside their bands, so a bead from
    a cell that is not there totals ``-inf`` and never wins (tests/test_align_speed_equivalence.py
    compares with the loop that checks every bound).
    """
    neg = -math.inf
    if allowed is None:
        allowed = [(0, m)] * (n + 1)
    f11 = floor + MERGE_FLOOR.get((1, 1), 0.0)
    f12 = floor + MERGE_FLOOR.get((1, 2), 0.0)
    f21 = floor + MERGE_FLOOR.get((2, 1), 0.0)
    f22 = floor + MERGE_FLOOR.get((2, 2), 0.0)
    r1, r2 = ref.masks[1], ref.masks[2]
    rc1, rc2 = ref.counts[1], ref.counts[2]
    rp, cp = ref.prefix, cand.prefix
    # The candidate spans by the column j they end at: one sentence (j - 1) and two (j - 2, j - 1),
    # with their trigram masks, counts and weights; a column no span ends at holds an empty one
    # (its bead then starts from a cell outside every row, -inf, and never wins).
    c1 = [0, *cand.masks[1]]
    cc1 = [0, *cand.counts[1]]
    w1 = [0, *map(operator.sub, cp[1:], cp[:-1])]
    c2 = [0, 0, *cand.masks[2]]
    cc2 = [0, 0, *cand.counts[2]]
    w2 = [0, 0, *map(operator.sub, cp[2:], cp[:-2])]
    # Beads as codes 0..5, in the order of _BEADS; back[i][j - lo_i] is the bead ending at (i, j).
    backs: list[bytearray] = []
    los: list[int] = []
    # Row 0: the candidate's first sentences added one by one.
    lo, hi = allowed[0]
    width = hi - lo + 1 if hi >= lo else 0
    prev1 = [0.0 if lo == 0 else neg] + [neg] * (width - 1) if width else []
    back = bytearray(b"\xff") * width
    for k in range(1, width):
        if prev1[k - 1] != neg:
            prev1[k] = prev1[k - 1] + 0.0
            back[k] = 5
    backs.append(back)
    los.append(lo)
    lo1, hi1 = lo, hi
    prev2: list[float] = []  # row i-2
    lo2, hi2 = 0, -1
    for i in range(1, n + 1):
        lo, hi = allowed[i]
        width = hi - lo + 1 if hi >= lo else 0
        row = [neg] * width
        back = bytearray(b"\xff") * width
        # The rows above over columns lo - 2 .. hi (-inf outside their bands): column j - d is at j - lo + 2 - d.
        up1 = _over(prev1, lo1, hi1, lo - 2, hi)
        up2 = _over(prev2, lo2, hi2, lo - 2, hi)
        rs1, rn1 = r1[i - 1], rc1[i - 1]
        rw1 = rp[i] - rp[i - 1]
        if i >= 2:
            rs2, rn2 = r2[i - 2], rc2[i - 2]
            rw2 = rp[i] - rp[i - 2]
        else:
            rs2 = rn2 = rw2 = 0
        left = neg
        for k, x1, n1, v1, x2, n2, v2 in zip(
            range(width), c1[lo : hi + 1], cc1[lo : hi + 1], w1[lo : hi + 1], c2[lo : hi + 1], cc2[lo : hi + 1],
            w2[lo : hi + 1], strict=True,
        ):
            top = neg
            code = -1
            # (1, 1)
            sim = 2.0 * (rs1 & x1).bit_count() / (rn1 + n1) if rn1 and n1 else 0.0
            if sim >= f11:
                total = up1[k + 1] + (rw1 + v1) * (sim - f11)
                if total > top:
                    top, code = total, 0
            # (1, 2)
            sim = 2.0 * (rs1 & x2).bit_count() / (rn1 + n2) if rn1 and n2 else 0.0
            if sim >= f12:
                gain = (rw1 + v2) * (sim - f12)
                gain *= MERGE_FACTOR
                total = up1[k] + gain
                if total > top:
                    top, code = total, 1
            # (2, 1)
            sim = 2.0 * (rs2 & x1).bit_count() / (rn2 + n1) if rn2 and n1 else 0.0
            if sim >= f21:
                gain = (rw2 + v1) * (sim - f21)
                gain *= MERGE_FACTOR
                total = up2[k + 1] + gain
                if total > top:
                    top, code = total, 2
            # (2, 2)
            sim = 2.0 * (rs2 & x2).bit_count() / (rn2 + n2) if rn2 and n2 else 0.0
            if sim >= f22:
                gain = (rw2 + v2) * (sim - f22)
                gain *= DOUBLE_MERGE_FACTOR
                total = up2[k] + gain
                if total > top:
                    top, code = total, 3
            # (1, 0): the reference sentence is left out.
            total = up1[k + 2] + 0.0
            if total > top:
                top, code = total, 4
            # (0, 1): the candidate sentence is added.
            total = left + 0.0
            if total > top:
                top, code = total, 5
            if code >= 0:
                row[k] = top
                back[k] = code
            left = row[k]
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


#: Highest floor at which ``_copy_path`` answers for the programme (its margin over every other path
#: is then at least 0.01 of a character's weight, far above the rounding of a 10 MB document's sums).
COPY_PATH_MAX_FLOOR = 0.99


def _copy_path(spans: _Spans, floor: float, allowed: list[tuple[int, int]] | None) -> list[tuple[int, int, int, int]] | None:
    """The programme's path for a document aligned with its copy (``spans``: its sentences; every one
    1-1 with itself), or None where that is not certain: the programme must then run.

    Why it is the programme's path: a bead's gain is at most ``(1 - floor)`` times its weight, and only a
    1-1 bead of similarity 1 reaches that (a merge bead's floor and factor keep it at most
    ``0.93 * (0.96 - floor)``, below ``1 - floor`` for any floor under 1); a path's weight is at most
    every sentence's length twice, reached only when it leaves none out. The diagonal reaches both
    bounds when every sentence has a trigram (similarity 1 with itself), and no other monotone path of
    1-1 beads covers both sides, so every other path totals less by at least ``1 - floor`` of a
    character's weight: the programme's maximum, at every cell of the diagonal too (a prefix of a
    copy is a copy), so its back-pointers trace it whatever the order of ties. In a band, the diagonal
    must lie inside it. tests/test_align_speed_equivalence.py compares with the programme.
    """
    if floor > COPY_PATH_MAX_FLOOR or not all(spans.counts[1]):
        return None
    merges = ((MERGE_FACTOR, (1, 2)), (MERGE_FACTOR, (2, 1)), (DOUBLE_MERGE_FACTOR, (2, 2)))
    if any(factor * (1.0 - floor - MERGE_FLOOR.get(bead, 0.0)) > (1.0 - floor) - 0.01 for factor, bead in merges):
        return None  # merge beads that could come near a copied sentence's gain: the bound above does not hold
    if allowed is not None and not all(lo <= i <= hi for i, (lo, hi) in enumerate(allowed)):
        return None
    return [(i, 1, i, 1) for i in range(len(spans.words))]


def _over(row: list[float], lo: int, hi: int, start: int, end: int) -> list[float]:
    """``row`` (columns ``lo .. hi``) read over columns ``start .. end``, ``-inf`` outside it."""
    neg = -math.inf
    if end < start:
        return []
    a, b = max(lo, start), min(hi, end)
    if a > b:
        return [neg] * (end - start + 1)
    return [neg] * (a - start) + row[a - lo : b - lo + 1] + [neg] * (end - b)


def _band(ref: Sequence[frozenset[str]], cand: Sequence[frozenset[str]]) -> list[tuple[int, int]]:
    """Column range per row: a band around a chain of anchors found by distinctive words."""
    n, m = len(ref), len(cand)
    anchors = _anchors(ref, cand)
    # Piecewise-linear path through (0, 0), the anchors and (n, m); rows between two
    # anchors interpolate, and the band widens with the gap's size mismatch.
    points = [(0, 0), *anchors, (n, m)]
    allowed: list[tuple[int, int]] = []
    seg = 0
    for i in range(n + 1):
        while seg + 1 < len(points) - 1 and points[seg + 1][0] < i:
            seg += 1
        (i0, j0), (i1, j1) = points[seg], points[seg + 1]
        if i1 == i0:
            centre_lo, centre_hi = min(j0, j1), max(j0, j1)
        else:
            t = (i - i0) / (i1 - i0)
            c = j0 + t * (j1 - j0)
            centre_lo = centre_hi = int(round(c))
        # Between anchors the path may stray from the straight line by the gap's size
        # mismatch (an omitted paragraph), within reason: the band must stay narrow.
        slack = BAND + min(abs((j1 - j0) - (i1 - i0)), 3 * BAND) // 2
        lo = max(0, centre_lo - slack)
        hi = min(m, centre_hi + slack)
        allowed.append((lo, hi))
    # Keep the band connected: each row's range must reach the previous row's.
    for i in range(1, n + 1):
        lo, hi = allowed[i]
        plo, phi = allowed[i - 1]
        allowed[i] = (min(lo, phi), max(hi, plo))
    allowed[0] = (0, max(allowed[0][1], 0))
    allowed[n] = (min(allowed[n][0], m), m)
    return allowed


def _anchors(ref: Sequence[frozenset[str]], cand: Sequence[frozenset[str]]) -> list[tuple[int, int]]:
    """Pairs (i, j) with a strong, distinctive word overlap that form an increasing chain.

    ``ref`` and ``cand`` hold each sentence's distinctive (non-stop) words.
    """
    postings: dict[str, list[int]] = defaultdict(list)
    for j, words in enumerate(cand):
        for w in words:
            postings[w].append(j)
    n, m = len(ref), len(cand)
    # Words found in many sentences say little about where a sentence went.
    cap = max(3, int(math.sqrt(m)))
    matches: list[tuple[int, int, float]] = []
    for i, words in enumerate(ref):
        counts: dict[int, float] = defaultdict(float)
        for w in words:
            posting = postings.get(w)
            if posting is None or len(posting) > cap or len(w) < 3:
                continue
            weight = 1.0 / len(posting)
            for j in posting:
                counts[j] += weight
        if not counts:
            continue
        j_best = max(counts, key=lambda j: counts[j])
        score = counts[j_best]
        if score >= 1.5:
            matches.append((i, j_best, score))
    # Heaviest chain increasing in both i and j (patience-style LIS on j, weights ignored).
    tails: list[int] = []
    tail_idx: list[int] = []
    prev: list[int] = [-1] * len(matches)
    for k, (_i, j, _s) in enumerate(matches):
        pos = bisect.bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(k)
        else:
            tails[pos] = j
            tail_idx[pos] = k
        prev[k] = tail_idx[pos - 1] if pos > 0 else -1
    chain: list[tuple[int, int]] = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        chain.append((matches[k][0] + 1, matches[k][1] + 1))
        k = prev[k]
    chain.reverse()
    return [(i, j) for i, j in chain if 0 < i <= n and 0 < j <= m]
