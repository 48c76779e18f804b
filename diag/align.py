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
import math
import re
from collections import defaultdict
from collections.abc import Sequence
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
#: Above this many table cells, align in a band around anchors instead of the full table.
FULL_TABLE_CELLS = 25_000
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


def _features(text: str) -> _Features:
    grams: set[str] = set()
    words: set[str] = set()
    for match in _WORD.finditer(text.lower()):
        w = match.group()
        if w in _STOPWORDS:
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


class _Scorer:
    """Similarity of spans of sentences, memoised (each span is asked for several times)."""

    def __init__(self, ref: Sequence[_Features], cand: Sequence[_Features]) -> None:
        self.ref = ref
        self.cand = cand
        self._cache: dict[tuple[int, int, int, int], float] = {}

    def _grams(self, feats: Sequence[_Features], i: int, k: int) -> frozenset[str]:
        if k == 1:
            return feats[i].grams
        return feats[i].grams | feats[i + 1].grams

    def sim(self, i: int, ki: int, j: int, kj: int) -> float:
        key = (i, ki, j, kj)
        got = self._cache.get(key)
        if got is None:
            got = _dice(self._grams(self.ref, i, ki), self._grams(self.cand, j, kj))
            self._cache[key] = got
        return got

    def weight(self, i: int, ki: int, j: int, kj: int) -> int:
        return sum(self.ref[i + d].length for d in range(ki)) + sum(self.cand[j + d].length for d in range(kj))


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
    ref = [_features(s) for s in reference]
    cand = [_features(s) for s in candidate]
    n, m = len(ref), len(cand)
    scorer = _Scorer(ref, cand)
    if n * m <= FULL_TABLE_CELLS:
        allowed = None
    else:
        allowed = _band(ref, cand)
    path = _dynamic_programme(scorer, n, m, floor, allowed)

    pairs: list[AlignedPair] = []
    for i, ki, j, kj in path:
        sim = scorer.sim(i, ki, j, kj) if ki and kj else 0.0
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
    scorer: _Scorer,
    n: int,
    m: int,
    floor: float,
    allowed: list[tuple[int, int]] | None,
) -> list[tuple[int, int, int, int]]:
    """Best monotone bead path; ``allowed[i]`` is the column range (lo, hi) open in row i."""
    neg = -math.inf
    best: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int, int, int]] = {}

    for i in range(n + 1):
        if allowed is None:
            columns: Sequence[int] = range(m + 1)
        else:
            lo, hi = allowed[i]
            columns = range(lo, hi + 1)
        for j in columns:
            if i == 0 and j == 0:
                continue
            top = neg
            choice: tuple[int, int, int, int] | None = None
            for ki, kj in _BEADS:
                pi, pj = i - ki, j - kj
                if pi < 0 or pj < 0:
                    continue
                prev = best.get((pi, pj))
                if prev is None:
                    continue
                if ki and kj:
                    sim = scorer.sim(pi, ki, pj, kj)
                    bead_floor = floor + MERGE_FLOOR.get((ki, kj), 0.0)
                    if sim < bead_floor:
                        continue
                    gain = scorer.weight(pi, ki, pj, kj) * (sim - bead_floor)
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
    # Walk back from the corner.
    path: list[tuple[int, int, int, int]] = []
    cell = (n, m)
    while cell != (0, 0):
        step = back.get(cell)
        if step is None:  # the band missed a corner; fall back to skips (never reached in practice)
            i, j = cell
            step = (i - 1, 1, j, 0) if i > 0 else (i, 0, j - 1, 1)
        path.append(step)
        cell = (step[0], step[2])
    path.reverse()
    return path


def _band(ref: Sequence[_Features], cand: Sequence[_Features]) -> list[tuple[int, int]]:
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


def _anchors(ref: Sequence[_Features], cand: Sequence[_Features]) -> list[tuple[int, int]]:
    """Pairs (i, j) with a strong, distinctive word overlap that form an increasing chain."""
    postings: dict[str, list[int]] = defaultdict(list)
    for j, f in enumerate(cand):
        for w in f.words:
            postings[w].append(j)
    n, m = len(ref), len(cand)
    # Words found in many sentences say little about where a sentence went.
    cap = max(3, int(math.sqrt(m)))
    matches: list[tuple[int, int, float]] = []
    for i, f in enumerate(ref):
        counts: dict[int, float] = defaultdict(float)
        for w in f.words:
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
