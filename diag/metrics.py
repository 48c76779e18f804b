"""sacrebleu's BLEU, chrF, chrF++ and TER over an alignment, per pair and per document.

Each metric's segment statistics are extracted once and serve both the per-pair
(sentence-level) scores and the document (corpus-level) score, which sacrebleu computes
from the sum of the same statistics; the tests check both against sacrebleu's public
``sentence_score``/``corpus_score``. TER is never run on a whole document as one segment
(its shift search is super-linear in segment length).

Speed-ups, none of which changes a number (tests/test_metrics_speed_equivalence.py compares
with sacrebleu exactly, property tests included): chrF's statistics are the character part of
chrF++'s, so they are sliced from them rather than extracted twice, and their n-gram matches
are counted on sets where a side repeats no n-gram; BLEU's 13a tokeniser spaces out its
character class with ``str.translate`` (``bleu_tokeniser``); TER's statistics come from a port
of sacrebleu's beam edit distance with list rows of the band only, or, where the beam covers
every cell (sentences of up to about 25 words), Myers' bit-vector edit distance, one row in a
few integer operations; and sacrebleu's shift search, ported, traces only the hypothesis being
shifted and computes each candidate's distance alone, from the prefix it shares with it.

Document scores count every sentence: an omitted reference sentence is a segment whose
hypothesis is empty, an added candidate sentence one whose reference is empty. Page
furniture set aside at ingest is not part of either text and is not scored.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from diag.model import PairScores, Score
from diag.recent import Recent

#: sacrebleu settings: its defaults, named here so the signature and the CLI agree.
BLEU_TOKENIZE = "13a"
CHRF_WORD_ORDER_PLUS = 2


@dataclass(frozen=True)
class MetricResult:
    """Per-segment scores (in the order given), the document-level scores, and notes on
    anything scored other than sacrebleu would (one line each).

    ``statistics`` holds each metric's sacrebleu sufficient statistics per segment (the
    sums of which give the document score): what the paired bootstrap of ``diag.compare``
    resamples without tokenising again.
    """

    pairs: tuple[PairScores, ...]
    document: Mapping[str, Score]
    statistics: Mapping[str, tuple[tuple[float, ...], ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def metric_objects() -> dict[str, tuple[Any, Any]]:
    """Fresh sacrebleu metric objects per name: (document metric, sentence metric or None).

    The document metric turns summed sufficient statistics into a document score
    (``_compute_score_from_stats``); the sentence metric, where given, scores one pair.
    """
    return _metrics()


def _metrics() -> dict[str, tuple[Any, Any]]:
    """(corpus metric, sentence metric) per name; sacrebleu is imported on first use."""
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.metrics.ter import TER

    return {
        "bleu": (BLEU(tokenize=BLEU_TOKENIZE), BLEU(tokenize=BLEU_TOKENIZE, effective_order=True)),
        "chrf": (CHRF(), None),
        "chrf++": (CHRF(word_order=CHRF_WORD_ORDER_PLUS), None),
        "ter": (TER(), None),
    }


def score_segments(references: Sequence[str], hypotheses: Sequence[str]) -> MetricResult:
    """Score aligned segments with sacrebleu.

    Args:
        references: one reference string per segment ("" for an added candidate sentence).
        hypotheses: one hypothesis string per segment ("" for an omitted reference sentence).

    Returns:
        Sentence-level scores per segment (BLEU with effective order, as sacrebleu's
        ``sentence_bleu``) and corpus-level scores with their sacrebleu signatures.

    Raises:
        ValueError: if the two sequences differ in length.
    """
    if len(references) != len(hypotheses):
        raise ValueError(f"score_segments: {len(references)} references but {len(hypotheses)} hypotheses")
    return score_pairs(zip(references, hypotheses, strict=True))


def score_pairs(pairs: Iterable[tuple[str, str]]) -> MetricResult:
    """``score_segments`` over ``(reference, hypothesis)`` pairs, one at a time.

    Each pair's statistics are extracted, turned into its sentence-level scores and added
    to the document totals (in order, as sacrebleu sums them), then dropped with the
    pair's strings: memory does not grow with the texts, where sacrebleu's corpus
    scoring caches every reference's n-grams at once. A pair with an empty side gets its
    statistics in closed form (nothing matches; only the non-empty side's n-gram counts
    enter), without building n-grams.
    """
    metrics = _metrics()
    for corpus_metric, _ in metrics.values():
        corpus_metric.num_refs = 1  # what sacrebleu sets once it has seen the one reference
    bleu, chrf, plus, ter = (metrics[name][0] for name in ("bleu", "chrf", "chrf++", "ter"))
    # chrF's statistics are the character n-gram part of chrF++'s (same character
    # orders and settings, one reference): no need to extract them twice.
    chrf_width = 3 * plus.char_order if _chrf_is_prefix_of(chrf, plus) else 0
    # each distinct segment's BLEU tokens read once while it is recent (a sentence in several pairs)
    tokenise: Recent[str, str] = Recent(bleu_tokeniser(bleu), RECENT_TOKENISED)
    totals: dict[str, list[Any]] = {}
    # Each segment's statistics are kept too (``MetricResult.statistics``), as tuples of
    # floats shared by value: the same few counts recur, so a row costs its tuple only.
    kept: dict[str, list[tuple[float, ...]]] = {name: [] for name in metrics}
    floats: dict[float, float] = {}
    known: dict[str, dict[tuple[float, ...], float]] = {name: {} for name in metrics}
    rows: list[PairScores] = []
    unshifted = 0
    # A pair that recurs (a document repeating a line, and its copy repeating it) is scored once
    # while recent: its statistics, kept rows and scores are a function of its two strings alone.
    def scored(texts: tuple[str, str]) -> tuple[dict[str, list[Any]], dict[str, tuple[float, ...]], PairScores, bool]:
        ref, hyp = texts
        ter_stats, skipped = _ter_pair(ter, hyp, ref)
        plus_stats = _chrf_stats(plus, hyp, ref)
        segment: dict[str, list[Any]] = {
            "bleu": _bleu_stats(bleu, hyp, ref, tokenise),
            "chrf": plus_stats[:chrf_width] if chrf_width else _chrf_stats(chrf, hyp, ref),
            "chrf++": plus_stats,
            "ter": ter_stats,
        }
        row = {name: tuple(map(floats.setdefault, stats, map(float, stats))) for name, stats in segment.items()}
        scores = {name: _segment_score(name, segment[name], row[name], metrics[name], known) for name in segment}
        pair = PairScores(bleu=scores["bleu"], chrf=scores["chrf"], chrf_pp=scores["chrf++"], ter=scores["ter"])
        return segment, row, pair, skipped

    recent: Recent[tuple[str, str], tuple[dict[str, list[Any]], dict[str, tuple[float, ...]], PairScores, bool]]
    recent = Recent(scored, RECENT_PAIRS)
    for ref, hyp in pairs:
        segment, row, pair, skipped = recent((ref, hyp))
        unshifted += skipped
        for name, stats in segment.items():
            _accumulate(totals, name, stats)
            kept[name].append(row[name])
        rows.append(pair)
    document: dict[str, Score] = {}
    for name, (corpus_metric, _) in metrics.items():
        score = float(corpus_metric._compute_score_from_stats(totals[name]).score) if name in totals else 0.0
        signature = str(corpus_metric.get_signature())
        if name == "ter" and unshifted:
            signature += f"|shift:none>{TER_SHIFT_MAX_WORDS}w"  # some segment went without the search
        document[name] = Score(name, score, signature)
    notes = (_ter_note(unshifted),) if unshifted else ()
    statistics = {name: tuple(kept[name]) for name in metrics}
    return MetricResult(pairs=tuple(rows), document=document, statistics=statistics, notes=notes)


#: Distinct pairs whose statistics and scores ``score_pairs`` keeps for their next use (the most recent).
RECENT_PAIRS = 2048
#: Distinct statistics whose sentence score ``_segment_score`` keeps per metric (then it starts afresh).
SCORES_KEPT = 1 << 15


def _segment_score(
    name: str,
    stats: list[Any],
    row: tuple[float, ...],
    metric: tuple[Any, Any],
    known: dict[str, dict[tuple[float, ...], float]],
) -> float:
    """sacrebleu's sentence score of one segment's statistics (``row``: the same as floats).

    A score is a function of the statistics alone, and copied sentences of one length share them
    (every n-gram matches): each distinct row is scored once, up to ``SCORES_KEPT`` at a time.
    """
    seen = known[name]
    score = seen.get(row)
    if score is None:
        corpus_metric, sentence_metric = metric
        score = float((sentence_metric or corpus_metric)._compute_score_from_stats(stats).score)
        if len(seen) >= SCORES_KEPT:
            seen.clear()
        seen[row] = score
    return score


def _accumulate(totals: dict[str, list[Any]], name: str, stats: list[Any]) -> None:
    """Add one segment's statistics to the totals as ``sacrebleu.utils.sum_of_lists`` does:
    column by column, in segment order, from zero of the first segment's type."""
    total = totals.get(name)
    if total is None:
        total = totals[name] = [type(stats[0])(0.0)] * len(stats)
    total[:] = map(operator.add, total, stats)  # total[k] + stats[k], column by column


# --- BLEU's tokeniser ------------------------------------------------------------------------
# sacrebleu's 13a tokeniser runs four regular expressions with group templates over each segment,
# and a template is expanded in Python per match: that was most of BLEU's cost. The first expression
# (space out every character of a small ASCII class, the space itself among them) is what
# str.translate does, in C. The second and third space out a period or comma after a non-digit,
# and one before a non-digit, each match taking two characters (so in ",.," the second mark is
# not the start of a match): ``_space_marks`` walks the marks in the same order with the same
# rule. The fourth spaces out a dash after a digit; no two of its matches can share a character,
# so a look-behind with a plain replacement gives the same text. tests/test_metrics_speed_equivalence.py
# compares with sacrebleu's tokeniser on generated text (hypothesis).

#: sacrebleu's 13a expressions and templates; the fast tokeniser is used only while they are these.
_13A_EXPRESSIONS = (
    (r"([\{-\~\[-\` -\&\(-\+\:-\@\/])", r" \1 "),
    (r"([^0-9])([\.,])", r"\1 \2 "),
    (r"([\.,])([^0-9])", r" \1 \2"),
    (r"([0-9])(-)", r"\1 \2 "),
)
#: The characters the first expression matches (every one is ASCII), each to be spaced out.
_SPACED = str.maketrans({c: f" {c} " for c in " !\"#$%&()*+/:;<=>?@[\\]^_`{|}~"})
_MARK = re.compile(r"[.,]")
_DIGITS = frozenset("0123456789")
_DASH_AFTER_DIGIT = re.compile(r"(?<=[0-9])-")
#: Distinct segments whose BLEU tokens ``score_pairs`` keeps for their next use (the most recent).
RECENT_TOKENISED = 4096


def _space_marks(line: str, after: bool) -> str:
    """sacrebleu's ``([^0-9])([\\.,])`` -> ``\\1 \\2 `` (``after`` false: a mark after a non-digit) or
    ``([\\.,])([^0-9])`` -> `` \\1 \\2`` (``after`` true: a mark before a non-digit): both put a space on
    each side of the mark. A match takes two characters, and the next is looked for after them."""
    pieces: list[str] = []
    last = free = 0  # last: start of the text not yet copied; free: first character no match has taken
    for mark in _MARK.finditer(line):
        k = mark.start()
        if after:
            if k < free or k + 1 >= len(line) or line[k + 1] in _DIGITS:
                continue
            free = k + 2
        else:
            if k - 1 < free or line[k - 1] in _DIGITS:
                continue
            free = k + 1
        pieces += (line[last:k], " ", line[k], " ")
        last = k + 1
    if not pieces:
        return line
    pieces.append(line[last:])
    return "".join(pieces)


def bleu_tokeniser(bleu: Any) -> Callable[[str], str]:
    """A function giving ``bleu._preprocess_segment(segment)``, faster for sacrebleu's 13a tokeniser.

    Falls back on sacrebleu's own method for any other tokeniser, for lowercasing, or if sacrebleu's
    13a expressions are not the ones this was written against.
    """
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

    tokenizer = bleu.tokenizer
    post = getattr(tokenizer, "_post_tokenizer", None)
    expressions = getattr(post, "_re", None)
    if (
        type(tokenizer) is not Tokenizer13a
        or bleu.lowercase
        or not isinstance(expressions, list)
        or tuple((e.pattern, t) for e, t in expressions) != _13A_EXPRESSIONS
    ):
        return bleu._preprocess_segment  # type: ignore[no-any-return]

    def tokenise(segment: str) -> str:
        # Tokenizer13a.__call__ on the segment as BLEU gives it (right-stripped)
        line = segment.rstrip().replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
        if "&" in line:
            line = line.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        # then TokenizerRegexp.__call__, its four expressions in order
        line = f" {line} ".translate(_SPACED)
        if "." in line or "," in line:
            line = _space_marks(_space_marks(line, after=False), after=True)
        if "-" in line:
            line = _DASH_AFTER_DIGIT.sub(" - ", line)
        return " ".join(line.split())

    return tokenise


def _bleu_stats(bleu: Any, hyp: str, ref: str, tokenise: Callable[[str], str] | None = None) -> list[int]:
    """BLEU's segment statistics ``[hyp_len, ref_len, correct x4, total x4]``.

    ``tokenise``: what ``bleu._preprocess_segment`` gives for a segment (``bleu_tokeniser``), or None to ask it.
    """
    if tokenise is None:
        tokenise = bleu._preprocess_segment
    r = tokenise(ref)
    h = r if hyp == ref else tokenise(hyp)  # a copied segment is tokenised once
    hyp_words, ref_words = h.split(), r.split()
    hyp_len, ref_len = len(hyp_words), len(ref_words)
    order = bleu.max_ngram_order
    if hyp_words == ref_words:  # a copy: every n-gram matches (hyp_len - n of order n + 1)
        counts = [max(0, hyp_len - n) for n in range(order)]
        return [hyp_len, ref_len, *counts, *counts]
    if hyp_len and ref_len:
        return list(bleu._compute_segment_statistics(h, bleu._extract_reference_info([r])))
    # nothing can match; the hypothesis has hyp_len - n n-grams of order n + 1
    return [hyp_len, ref_len, *([0] * order), *(max(0, hyp_len - n) for n in range(order))]


def _chrf_stats(chrf: Any, hyp: str, ref: str) -> list[int]:
    """chrF's segment statistics ``[hyp, ref, match]`` per character then word order."""
    r = chrf._preprocess_segment(ref)
    h = r if hyp == ref else chrf._preprocess_segment(hyp)
    if h != r and _has_chars(chrf, h) and _has_chars(chrf, r):
        return _chrf_match_stats(chrf, h, r)
    chars = len(r) if chrf.whitespace else len("".join(r.split()))
    words = len(chrf._remove_punctuation(r)) if chrf.word_order else 0
    stats: list[int] = []
    if h == r:
        # A copy: every n-gram matches. (sacrebleu counts the hypothesis's n-grams of an
        # order only where the reference has some, which here is the same count.)
        for n in range(1, chrf.char_order + 1):
            stats += [max(0, chars - n + 1)] * 3
        for n in range(1, chrf.word_order + 1):
            stats += [max(0, words - n + 1)] * 3
        return stats
    # One side has no n-gram at all: nothing matches, and sacrebleu counts the
    # hypothesis's n-grams only where the reference has some, so only the reference's
    # counts remain (all zero when it is the empty side).
    for n in range(1, chrf.char_order + 1):
        stats += [0, max(0, chars - n + 1), 0]
    for n in range(1, chrf.word_order + 1):
        stats += [0, max(0, words - n + 1), 0]
    return stats


def _chrf_match_stats(chrf: Any, h: str, r: str) -> list[int]:
    """What ``chrf._compute_segment_statistics(h, chrf._extract_reference_info([r]))`` gives (one reference).

    Per order sacrebleu counts each side's n-grams and adds up ``min(hypothesis count, reference
    count)`` over the hypothesis's distinct n-grams, in a Python loop over Counters. Where either side
    holds each of its n-grams once (most orders of a sentence), that sum is the size of the two sets'
    intersection; otherwise the minimum is summed over the common n-grams only, in C.
    """
    stats: list[int] = []
    if chrf.whitespace:
        h_chars, r_chars = h, r
    else:
        h_chars, r_chars = "".join(h.split()), "".join(r.split())
    for n in range(1, chrf.char_order + 1):
        stats += _order_stats(
            [h_chars[k : k + n] for k in range(len(h_chars) - n + 1)],
            [r_chars[k : k + n] for k in range(len(r_chars) - n + 1)],
        )
    if chrf.word_order:
        h_words, r_words = chrf._remove_punctuation(h), chrf._remove_punctuation(r)
        for n in range(1, chrf.word_order + 1):
            stats += _order_stats(
                h_words if n == 1 else [" ".join(h_words[k : k + n]) for k in range(len(h_words) - n + 1)],
                r_words if n == 1 else [" ".join(r_words[k : k + n]) for k in range(len(r_words) - n + 1)],
            )
    return stats


def _order_stats(h: list[str], r: list[str]) -> list[int]:
    """``CHRF._get_match_statistics`` of one order's n-grams (as lists, each as often as it occurs)."""
    if not h or not r:  # nothing matches; the hypothesis's n-grams count only where the reference has some
        return [len(h) if r else 0, len(r), 0]
    hs, rs = set(h), set(r)
    common = hs & rs
    if len(hs) == len(h) or len(rs) == len(r):  # a side without repeats: each common n-gram matches once
        return [len(h), len(r), len(common)]
    h_counts, r_counts = Counter(h), Counter(r)
    return [len(h), len(r), sum(map(min, map(h_counts.__getitem__, common), map(r_counts.__getitem__, common)))]


def _has_chars(chrf: Any, text: str) -> bool:
    return bool(text) if chrf.whitespace else not text.isspace() and bool(text)


def _chrf_is_prefix_of(chrf: Any, plus: Any) -> bool:
    """Whether chrF's segment statistics are the first entries of chrF++'s."""
    return bool(
        chrf.word_order == 0
        and chrf.char_order == plus.char_order
        and chrf.lowercase == plus.lowercase
        and chrf.whitespace == plus.whitespace
    )


def _ter_note(segments: int) -> str:
    noun = "segment" if segments == 1 else "segments"
    return (
        f"TER: {segments} {noun} longer than {TER_SHIFT_MAX_WORDS} words scored without TER's shift search "
        "(edit distance only, never below TER with shifts)"
    )


# --- TER ----------------------------------------------------------------------------------
# sacrebleu's TER spends most of its time in its beam edit distance (pure Python, full-width
# rows of (cost, op) tuples, every row kept in a prefix cache). _EditDistance is the same
# algorithm - same beam, costs, tie order, trace and prefix cache - with each row stored as
# its beam band only (the cells outside it are "infinity", as sacrebleu initialises them).
# A row then costs memory in proportion to the beam, not to the reference: sacrebleu's rows
# for one 100,000-word segment took 6.9 GB. Everything else (tokenisation, the shift search,
# the statistics) is sacrebleu's own code, and tests/test_metrics_speed_equivalence.py checks
# the statistics against sacrebleu's on thousands of pairs.

#: Longest segment, in TER words on either side, that gets TER's shift search. The search
#: tries up to 1,000 shifted hypotheses, each an edit distance over the segment, so its cost
#: grows faster than the segment; sentences are far shorter. A longer segment is scored by
#: the edit distance alone (TER without shifts: never below TER), and the TER signature and
#: the report say so.
TER_SHIFT_MAX_WORDS = 1000

_Row = tuple[int, list[int]]  # (first column of the band, costs of the band's columns)


class _EditDistance:
    """``sacrebleu.metrics.lib_ter.BeamEditDistance`` keeping only beam bands; same results."""

    __slots__ = ("_cache", "_cache_size", "_first", "_n", "_ref")

    def __init__(self, words_ref: list[str]) -> None:
        self._ref = words_ref
        self._n = len(words_ref)
        # Row 0: inserting the reference's first j words (cost 1 each).
        self._first: tuple[_Row, list[str]] = ((0, list(range(self._n + 1))), ["i"] * (self._n + 1))
        # word -> (next node, band row, its ops): rows already computed for a prefix.
        self._cache: dict[str, tuple[dict[str, Any], _Row, list[str]]] = {}
        self._cache_size = 0

    def __call__(self, words_hyp: list[str]) -> tuple[int, str]:
        rows, ops = self._rows(words_hyp)
        return _cell(rows[-1], self._n), _trace(rows, ops, len(words_hyp), self._n)

    def distance(self, words_hyp: list[str], shared: int = 0) -> int:
        """The edit distance alone (what ``__call__`` gives first), without tracing it back.
        (``shared``: the caller's hint for ``_BitEditDistance``; the prefix cache finds it here.)"""
        rows, _ = self._rows(words_hyp)
        return _cell(rows[-1], self._n)

    def _rows(self, words_hyp: list[str]) -> tuple[list[_Row], list[list[str]]]:
        from sacrebleu.metrics.lib_ter import _MAX_CACHE_SIZE

        node = self._cache
        rows = [self._first[0]]
        ops = [self._first[1]]
        for word in words_hyp:
            hit = node.get(word)
            if hit is None:
                break
            node, row, row_ops = hit
            rows.append(row)
            ops.append(row_ops)
        start = len(rows) - 1
        for _, row, row_ops in _band_rows(words_hyp, self._ref, rows[-1], start, keep_ops=True):
            rows.append(row)
            ops.append(row_ops)
        if self._cache_size < _MAX_CACHE_SIZE:
            node = self._cache
            for k in range(start):
                node = node[words_hyp[k]][0]
            for k in range(start, len(words_hyp)):
                hit = node.get(words_hyp[k])
                if hit is None:
                    hit = node[words_hyp[k]] = ({}, rows[k + 1], ops[k + 1])
                    self._cache_size += 1
                node = hit[0]
        return rows, ops


def _cell(row: _Row, j: int) -> int:
    from sacrebleu.metrics.lib_ter import _INT_INFINITY

    lo, costs = row
    return costs[j - lo] if lo <= j < lo + len(costs) else _INT_INFINITY


def _band_rows(
    words_hyp: list[str], ref: list[str], prev: _Row, start: int, *, keep_ops: bool
) -> Iterator[tuple[int, _Row, list[str]]]:
    """Rows ``start + 1 .. len(words_hyp)`` of sacrebleu's beam edit distance, each as its band.

    Row i covers the columns sacrebleu fills (``lo .. hi - 1`` around the length-scaled
    diagonal; the last row runs to the end); every other cell is "infinity" in sacrebleu's
    full-width rows, which is what reading outside a band gives here.
    """
    from sacrebleu.metrics.lib_ter import _BEAM_WIDTH, _INT_INFINITY

    inf = _INT_INFINITY
    n_h, n = len(words_hyp), len(ref)
    ratio = n / n_h if words_hyp else 1
    beam = math.ceil(ratio / 2 + _BEAM_WIDTH) if _BEAM_WIDTH < ratio / 2 else _BEAM_WIDTH
    no_ops: list[str] = []
    for i in range(start + 1, n_h + 1):
        diagonal = math.floor(i * ratio)
        lo = max(0, diagonal - beam)
        hi = n + 1 if i == n_h else min(n + 1, diagonal + beam)
        row_lo = lo
        costs: list[int] = []
        row_ops = [] if keep_ops else no_ops
        prev_lo, prev_costs = prev
        prev_end = prev_lo + len(prev_costs)
        left = inf
        if lo == 0 and hi > 0:
            left = (prev_costs[0] if prev_lo == 0 and prev_end > 0 else inf) + 1
            costs.append(left)
            if keep_ops:
                row_ops.append("d")
            lo = 1
        if lo < hi:
            # prev[j - 1] and prev[j] for j in lo .. hi - 1, "infinity" outside its band
            a, s, e = lo - 1, max(lo - 1, prev_lo), min(hi, prev_end)
            if s < e:
                padded = [inf] * (s - a) + prev_costs[s - prev_lo : e - prev_lo] + [inf] * (hi - e)
            else:
                padded = [inf] * (hi - a)
            w = words_hyp[i - 1]
            k = 0
            for r in itertools.islice(ref, lo - 1, hi - 1):
                # In sacrebleu's order: substitution (or match), deletion, insertion,
                # each taken only if strictly cheaper, starting from "infinity".
                if w == r:
                    best, op = padded[k], " "
                else:
                    best, op = padded[k] + 1, "s"
                if best >= inf:
                    best, op = inf, "x"
                k += 1
                cost = padded[k] + 1
                if cost < best:
                    best, op = cost, "d"
                cost = left + 1
                if cost < best:
                    best, op = cost, "i"
                costs.append(best)
                left = best
                if keep_ops:
                    row_ops.append(op)
        prev = (row_lo, costs)
        yield i, prev, row_ops


def _trace(rows: list[_Row], ops: list[list[str]], n_h: int, n: int) -> str:
    trace: list[str] = []
    i, j = n_h, n
    while i > 0 or j > 0:
        lo = rows[i][0]
        k = j - lo
        op = ops[i][k] if 0 <= k < len(ops[i]) else "x"
        trace.append(op)
        if op == " " or op == "s":
            i -= 1
            j -= 1
        elif op == "i":
            j -= 1
        elif op == "d":
            i -= 1
        else:
            raise ValueError(f"TER: unknown edit operation {op!r}")
    trace.reverse()
    return "".join(trace)


def _edit_distance_only(words_hyp: list[str], words_ref: list[str]) -> int:
    """The beam edit distance's value alone: one band row at a time, no trace, no cache."""
    last: _Row = (0, list(range(len(words_ref) + 1)))
    for _, row, _ops in _band_rows(words_hyp, words_ref, last, 0, keep_ops=False):
        last = row
    return _cell(last, len(words_ref))


class _BitEditDistance:
    """The beam edit distance of a segment whose beam covers every cell (each row's band is the whole
    row: a reference of at most about ``_BEAM_WIDTH`` words), one row per hypothesis word in a few
    integer operations.

    There the beam changes nothing, and the beam edit distance is the Levenshtein distance, which
    Myers' bit-vector algorithm computes (in Hyyrö's form for a whole-sequence distance, H. Hyyrö,
    "A bit-vector algorithm for computing Levenshtein and Damerau edit distances", 2003): row i is
    held as the signs of its steps ``row[j] - row[j - 1]`` (+1 bits, -1 bits) over the reference's
    words, so a cell is ``i`` plus the steps up to it. The trace is sacrebleu's, read back cell by cell
    with its order of preference (match or substitution, then deletion, then insertion, each only if
    strictly cheaper). Rows are kept for the last hypothesis traced: the shift search's candidates
    share a prefix with it, whose rows are not computed again.
    """

    __slots__ = ("_full", "_last", "_masks", "_n", "_ref", "_states", "_where")

    def __init__(self, words_ref: list[str]) -> None:
        self._ref = words_ref
        self._n = n = len(words_ref)
        self._full = (1 << n) - 1
        where: dict[str, int] = {}
        for j, w in enumerate(words_ref):
            where[w] = where.get(w, 0) | 1 << j
        self._where = where
        #: _masks[j]: the steps of columns 1 .. j.
        self._masks = [(1 << j) - 1 for j in range(n + 1)]
        self._last: list[str] = []
        self._states: list[tuple[int, int]] = [(self._full, 0)]  # row 0: j insertions, every step +1

    @staticmethod
    def covers(n_hyp: int, n_ref: int) -> bool:
        """Whether sacrebleu's beam fills every cell of every row for these lengths (``_band_rows``' bands)."""
        from sacrebleu.metrics.lib_ter import _BEAM_WIDTH

        if not n_hyp or not n_ref:
            return False
        ratio = n_ref / n_hyp
        beam = math.ceil(ratio / 2 + _BEAM_WIDTH) if _BEAM_WIDTH < ratio / 2 else _BEAM_WIDTH
        for i in range(1, n_hyp + 1):
            diagonal = math.floor(i * ratio)
            if diagonal - beam > 0 or (i < n_hyp and diagonal + beam < n_ref + 1):
                return False
        return True

    def _extend(self, states: list[tuple[int, int]], words_hyp: list[str], start: int) -> None:
        """Append rows ``start + 1 ..`` to ``states`` (rows ``0 .. start`` of ``words_hyp``)."""
        full, where = self._full, self._where
        pv, mv = states[start]
        for w in itertools.islice(words_hyp, start, None):
            eq = where.get(w, 0)
            xv = eq | mv
            xh = (((eq & pv) + pv) ^ pv) | eq
            ph = mv | (~(xh | pv) & full)
            mh = pv & xh
            ph = ((ph << 1) | 1) & full  # row i - 1 to row i at column 0: +1 (i deletions)
            mh = (mh << 1) & full
            pv = mh | (~(xv | ph) & full)
            mv = ph & xv
            states.append((pv, mv))

    def _cell(self, states: list[tuple[int, int]], i: int, j: int) -> int:
        pv, mv = states[i]
        mask = self._masks[j]
        return i + (pv & mask).bit_count() - (mv & mask).bit_count()

    def __call__(self, words_hyp: list[str]) -> tuple[int, str]:
        states = self._states[:1]
        self._extend(states, words_hyp, 0)
        self._last, self._states = words_hyp, states
        n_h, n = len(words_hyp), self._n
        return self._cell(states, n_h, n), self._trace(states, words_hyp)

    def distance(self, words_hyp: list[str], shared: int = 0) -> int:
        """The edit distance alone; ``words_hyp`` begins with the last traced hypothesis's first ``shared`` words."""
        if shared > len(self._last) or shared >= len(self._states):
            shared = 0
        full, where = self._full, self._where
        pv, mv = self._states[shared]
        for w in itertools.islice(words_hyp, shared, None):  # _extend's step, the rows not kept
            eq = where.get(w, 0)
            xv = eq | mv
            xh = (((eq & pv) + pv) ^ pv) | eq
            ph = mv | (~(xh | pv) & full)
            mh = pv & xh
            ph = ((ph << 1) | 1) & full
            mh = (mh << 1) & full
            pv = mh | (~(xv | ph) & full)
            mv = ph & xv
        return len(words_hyp) + pv.bit_count() - mv.bit_count()

    def _trace(self, states: list[tuple[int, int]], words_hyp: list[str]) -> str:
        """sacrebleu's trace, from the corner back. The cell walked to is known from the op taken (its
        cost), so a step reads one cell of the row above (two counts) and the steps around it (bits)."""
        ref, masks = self._ref, self._masks
        trace: list[str] = []
        i, j = len(words_hyp), self._n
        here = self._cell(states, i, j)
        while i > 0 and j > 0:
            pv, mv = states[i]
            above_pv, above_mv = states[i - 1]
            bit, mask = 1 << (j - 1), masks[j - 1]
            diagonal = i - 1 + (above_pv & mask).bit_count() - (above_mv & mask).bit_count()  # cell (i - 1, j - 1)
            up = diagonal + (1 if above_pv & bit else -1 if above_mv & bit else 0)  # cell (i - 1, j)
            left = here - (1 if pv & bit else -1 if mv & bit else 0)  # cell (i, j - 1)
            if words_hyp[i - 1] == ref[j - 1]:
                best, op, to = diagonal, " ", diagonal
            else:
                best, op, to = diagonal + 1, "s", diagonal
            if up + 1 < best:
                best, op, to = up + 1, "d", up
            if left + 1 < best:
                op, to = "i", left
            trace.append(op)
            if op == "i":
                j -= 1
            elif op == "d":
                i -= 1
            else:
                i -= 1
                j -= 1
            here = to
        trace += "d" * i  # column 0: deletions
        trace += "i" * j  # row 0: insertions
        trace.reverse()
        return "".join(trace)


def _translation_edit_rate(words_hyp: list[str], words_ref: list[str]) -> tuple[int, int]:
    """``sacrebleu.metrics.lib_ter.translation_edit_rate`` with the band-only (or bit-vector) edit distance."""
    from sacrebleu.metrics.lib_ter import _MAX_SHIFT_CANDIDATES

    if not words_ref:
        return len(words_hyp), 0
    if not words_hyp:  # no shift applies: one insertion per reference word
        return len(words_ref), len(words_ref)
    if words_hyp == words_ref:  # no edit, and no shift can do better than none
        return 0, len(words_ref)
    covered = _BitEditDistance.covers(len(words_hyp), len(words_ref))
    edit_distance: _EditDistance | _BitEditDistance = (
        _BitEditDistance(words_ref) if covered else _EditDistance(words_ref)
    )
    shifts = 0
    words = words_hyp
    checked = 0
    while True:
        delta, shifted, checked = _shift(words, words_ref, edit_distance, checked)
        if checked >= _MAX_SHIFT_CANDIDATES or delta <= 0:
            break
        shifts += 1
        words = shifted
    return shifts + edit_distance.distance(words), len(words_ref)


def _shift(
    words_h: list[str], words_r: list[str], edit_distance: _EditDistance | _BitEditDistance, checked: int
) -> tuple[int, list[str], int]:
    """``sacrebleu.metrics.lib_ter._shift``: the shift that lowers the edit distance most, in sacrebleu's
    order of candidates and of preference, and the candidates checked so far. Only the hypothesis being
    shifted is traced; each candidate's distance is computed alone, from the prefix it shares with it."""
    from sacrebleu.metrics.lib_ter import _FLIP_OPS, _MAX_SHIFT_CANDIDATES, _perform_shift, trace_to_alignment

    pre_score, inv_trace = edit_distance(words_h)
    align, ref_err, hyp_err = trace_to_alignment(inv_trace.translate(_FLIP_OPS))  # sacrebleu's _flip_trace
    best: tuple[int, int, int, int, list[str]] | None = None
    for start_h, start_r, length in _shift_sources(words_h, words_r, align, ref_err, hyp_err):
        prev_idx = -1
        for offset in range(-1, length):
            if start_r + offset == -1:
                idx = 0
            elif start_r + offset in align:
                idx = align[start_r + offset] + 1
            else:
                break
            if idx == prev_idx:
                continue
            prev_idx = idx
            shifted = _perform_shift(words_h, start_h, length, idx)
            candidate = (
                pre_score - edit_distance.distance(shifted, min(start_h, idx)),  # the first words are unmoved
                length,
                -start_h,
                -idx,
                shifted,
            )
            checked += 1
            if not best or candidate > best:
                best = candidate
        if checked >= _MAX_SHIFT_CANDIDATES:
            break
    if not best:
        return 0, words_h, checked
    return best[0], best[4], checked


def _shift_sources(
    words_h: list[str], words_r: list[str], align: Mapping[int, int], ref_err: list[int], hyp_err: list[int]
) -> Iterator[tuple[int, int, int]]:
    """The triples of sacrebleu's ``_find_shifted_pairs`` that its ``_shift`` goes on to try, in order.

    ``_find_shifted_pairs`` tries every (hypothesis, reference) start within ``_MAX_SHIFT_DIST`` and
    yields nothing where the first words differ, so only the reference positions holding the
    hypothesis word are visited here; ``_shift`` skips at once (no count, no stop) a triple whose
    hypothesis words or reference words hold no error, or whose target lies inside the words moved,
    so those are not yielded (errors summed from prefix sums).
    """
    from sacrebleu.metrics.lib_ter import _MAX_SHIFT_DIST, _MAX_SHIFT_SIZE

    n_h, n_r = len(words_h), len(words_r)
    hyp_sums = list(itertools.accumulate(hyp_err, initial=0))
    ref_sums = list(itertools.accumulate(ref_err, initial=0))
    where: dict[str, list[int]] = {}
    for start_r, w in enumerate(words_r):
        where.setdefault(w, []).append(start_r)
    for start_h, w in enumerate(words_h):
        for start_r in where.get(w, ()):
            if abs(start_r - start_h) > _MAX_SHIFT_DIST:
                continue
            target = align[start_r]
            length = 0
            while words_h[start_h + length] == words_r[start_r + length] and length < _MAX_SHIFT_SIZE:
                length += 1
                if (
                    hyp_sums[start_h + length] != hyp_sums[start_h]
                    and ref_sums[start_r + length] != ref_sums[start_r]
                    and not start_h <= target < start_h + length
                ):
                    yield start_h, start_r, length
                if n_h == start_h + length or n_r == start_r + length:
                    break


def _ter_pair(ter: Any, hyp: str, ref: str) -> tuple[list[float], bool]:
    """TER's segment statistics ``[edits, reference length]`` of one pair, and whether
    the shift search was left out (a segment over ``TER_SHIFT_MAX_WORDS``)."""
    words_ref = ter._preprocess_segment(ref).split()
    words_hyp = words_ref if hyp == ref else ter._preprocess_segment(hyp).split()
    if max(len(words_hyp), len(words_ref)) > TER_SHIFT_MAX_WORDS and words_hyp and words_ref:
        return [_edit_distance_only(words_hyp, words_ref), len(words_ref) / 1], True
    edits, ref_len = _translation_edit_rate(words_hyp, words_ref)
    return [min(int(1e16), edits), ref_len / 1], False


def _ter_statistics(ter: Any, hypotheses: list[str], references: list[list[str]]) -> list[list[float]]:
    """What ``ter._extract_corpus_statistics(hypotheses, references)`` returns (one reference)."""
    (refs,) = references
    ter.num_refs = 1
    return [_ter_pair(ter, hyp, ref)[0] for hyp, ref in zip(hypotheses, refs, strict=True)]


def sentence_signature() -> str:
    """The signature of the per-pair BLEU (effective order); the others match the document's."""
    from sacrebleu.metrics.bleu import BLEU

    return str(BLEU(tokenize=BLEU_TOKENIZE, effective_order=True).get_signature())
