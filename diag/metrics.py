"""sacrebleu's BLEU, chrF, chrF++ and TER over an alignment, per pair and per document.

Each metric's segment statistics are extracted once and serve both the per-pair
(sentence-level) scores and the document (corpus-level) score, which sacrebleu computes
from the sum of the same statistics; the tests check both against sacrebleu's public
``sentence_score``/``corpus_score``. TER is never run on a whole document as one segment
(its shift search is super-linear in segment length).

Two speed-ups, neither of which changes a number (tests/test_metrics_speed_equivalence.py
compares with sacrebleu exactly): chrF's statistics are the character part of chrF++'s,
so they are sliced from them rather than extracted twice; and TER's statistics come from
a port of sacrebleu's beam edit distance with list rows (about 3x faster; TER is most of
the metrics' cost), with sacrebleu's own tokeniser and shift search.

Document scores count every sentence: an omitted reference sentence is a segment whose
hypothesis is empty, an added candidate sentence one whose reference is empty. Page
furniture set aside at ingest is not part of either text and is not scored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from diag.model import PairScores, Score

#: sacrebleu settings: its defaults, named here so the signature and the CLI agree.
BLEU_TOKENIZE = "13a"
CHRF_WORD_ORDER_PLUS = 2


@dataclass(frozen=True)
class MetricResult:
    """Per-segment scores (in the order given) and the document-level scores.

    ``statistics`` holds each metric's sacrebleu sufficient statistics per segment (the
    sums of which give the document score): what the paired bootstrap of ``diag.compare``
    resamples without tokenising again.
    """

    pairs: tuple[PairScores, ...]
    document: Mapping[str, Score]
    statistics: Mapping[str, tuple[tuple[float, ...], ...]] = field(default_factory=dict)


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
    metrics = _metrics()
    hyps = list(hypotheses)
    refs = [list(references)]
    stats: dict[str, list[Any]] = {}
    for name, (corpus_metric, _) in metrics.items():
        if not hyps:
            corpus_metric.num_refs = 1  # what sacrebleu sets once it has seen the one reference
            stats[name] = []
        elif name == "ter":
            stats[name] = _ter_statistics(corpus_metric, hyps, refs)
        elif name == "chrf" and _chrf_is_prefix_of(corpus_metric, metrics["chrf++"][0]):
            continue  # derived from chrF++'s statistics below
        else:
            stats[name] = corpus_metric._extract_corpus_statistics(hyps, refs)
    if "chrf" not in stats:
        # chrF's statistics are the character n-gram part of chrF++'s (same character
        # orders and settings, one reference): no need to extract them twice.
        plus = metrics["chrf++"][0]
        width = 3 * plus.char_order
        stats["chrf"] = [s[:width] for s in stats["chrf++"]]
        metrics["chrf"][0].num_refs = plus.num_refs
    per_metric: dict[str, list[float]] = {}
    document: dict[str, Score] = {}
    for name, (corpus_metric, sentence_metric) in metrics.items():
        segment_metric = sentence_metric or corpus_metric
        per_metric[name] = [float(segment_metric._aggregate_and_compute([s]).score) for s in stats[name]]
        score = float(corpus_metric._aggregate_and_compute(stats[name]).score) if stats[name] else 0.0
        document[name] = Score(name, score, str(corpus_metric.get_signature()))
    pairs = tuple(
        PairScores(
            bleu=per_metric["bleu"][k],
            chrf=per_metric["chrf"][k],
            chrf_pp=per_metric["chrf++"][k],
            ter=per_metric["ter"][k],
        )
        for k in range(len(hyps))
    )
    statistics = {name: tuple(tuple(float(x) for x in row) for row in rows) for name, rows in stats.items()}
    return MetricResult(pairs=pairs, document=document, statistics=statistics)


def _chrf_is_prefix_of(chrf: Any, plus: Any) -> bool:
    """Whether chrF's segment statistics are the first entries of chrF++'s."""
    return bool(
        chrf.word_order == 0
        and chrf.char_order == plus.char_order
        and chrf.lowercase == plus.lowercase
        and chrf.whitespace == plus.whitespace
    )


# --- TER ----------------------------------------------------------------------------------
# sacrebleu's TER spends most of its time in its beam edit distance (pure Python, rows of
# (cost, op) tuples). _EditDistance is the same algorithm - same beam, costs, tie order,
# trace and prefix cache - with rows as plain lists, about three times faster. Everything
# else (tokenisation, the shift search, the statistics) is sacrebleu's own code, and
# tests/test_metrics_speed_equivalence.py checks the statistics against sacrebleu's on
# thousands of pairs.


class _EditDistance:
    """``sacrebleu.metrics.lib_ter.BeamEditDistance`` with list rows; same results."""

    __slots__ = ("_cache", "_cache_size", "_first", "_n", "_ref")

    def __init__(self, words_ref: list[str]) -> None:
        self._ref = words_ref
        self._n = len(words_ref)
        # Row 0: inserting the reference's first j words (cost 1 each).
        self._first: tuple[list[int], list[str]] = (list(range(self._n + 1)), ["i"] * (self._n + 1))
        # word -> (next node, costs row, ops row): rows already computed for a prefix.
        self._cache: dict[str, tuple[dict[str, Any], list[int], list[str]]] = {}
        self._cache_size = 0

    def __call__(self, words_hyp: list[str]) -> tuple[int, str]:
        from sacrebleu.metrics.lib_ter import _BEAM_WIDTH, _INT_INFINITY, _MAX_CACHE_SIZE

        inf = _INT_INFINITY
        node = self._cache
        costs = [self._first[0]]
        ops = [self._first[1]]
        for word in words_hyp:
            hit = node.get(word)
            if hit is None:
                break
            node, c, o = hit
            costs.append(c)
            ops.append(o)
        start = len(costs) - 1
        n_h, n, ref = len(words_hyp), self._n, self._ref
        ratio = n / n_h if words_hyp else 1
        beam = math.ceil(ratio / 2 + _BEAM_WIDTH) if _BEAM_WIDTH < ratio / 2 else _BEAM_WIDTH
        for i in range(start + 1, n_h + 1):
            diagonal = math.floor(i * ratio)
            lo = max(0, diagonal - beam)
            hi = n + 1 if i == n_h else min(n + 1, diagonal + beam)
            prev = costs[i - 1]
            row = [inf] * (n + 1)
            row_ops = ["x"] * (n + 1)
            w = words_hyp[i - 1]
            if lo == 0 and hi > 0:
                row[0] = prev[0] + 1
                row_ops[0] = "d"
                lo = 1
            left = row[lo - 1]
            for j in range(lo, hi):
                # In sacrebleu's order: substitution (or match), deletion, insertion,
                # each taken only if strictly cheaper, starting from "infinity".
                if w == ref[j - 1]:
                    best, op = prev[j - 1], " "
                else:
                    best, op = prev[j - 1] + 1, "s"
                if best >= inf:
                    best, op = inf, "x"
                cost = prev[j] + 1
                if cost < best:
                    best, op = cost, "d"
                cost = left + 1
                if cost < best:
                    best, op = cost, "i"
                row[j] = left = best
                row_ops[j] = op
            costs.append(row)
            ops.append(row_ops)
        trace: list[str] = []
        i, j = n_h, n
        while i > 0 or j > 0:
            op = ops[i][j]
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
        if self._cache_size < _MAX_CACHE_SIZE:
            node = self._cache
            for k in range(start):
                node = node[words_hyp[k]][0]
            for k in range(start, n_h):
                hit = node.get(words_hyp[k])
                if hit is None:
                    hit = node[words_hyp[k]] = ({}, costs[k + 1], ops[k + 1])
                    self._cache_size += 1
                node = hit[0]
        return costs[n_h][n], "".join(trace)


def _translation_edit_rate(words_hyp: list[str], words_ref: list[str]) -> tuple[int, int]:
    """``sacrebleu.metrics.lib_ter.translation_edit_rate`` with the faster edit distance."""
    from sacrebleu.metrics.lib_ter import _MAX_SHIFT_CANDIDATES, _shift

    if not words_ref:
        return len(words_hyp), 0
    edit_distance = _EditDistance(words_ref)
    shifts = 0
    words = words_hyp
    checked = 0
    while True:
        delta, shifted, checked = _shift(words, words_ref, edit_distance, checked)
        if checked >= _MAX_SHIFT_CANDIDATES or delta <= 0:
            break
        shifts += 1
        words = shifted
    distance, _ = edit_distance(words)
    return shifts + distance, len(words_ref)


def _ter_statistics(ter: Any, hypotheses: list[str], references: list[list[str]]) -> list[list[float]]:
    """What ``ter._extract_corpus_statistics(hypotheses, references)`` returns, faster.

    References go through sacrebleu's own reference cache (which also sets the metric's
    reference count for its signature); hypotheses through its own preprocessing.
    """
    ref_cache = ter._cache_references(references)
    stats: list[list[float]] = []
    for hyp, ref_info in zip(hypotheses, ref_cache, strict=True):
        words_hyp = ter._preprocess_segment(hyp).split()
        ref_lengths = 0
        best = int(1e16)
        for words_ref in ref_info["ref_words"]:
            edits, ref_len = _translation_edit_rate(words_hyp, words_ref)
            ref_lengths += ref_len
            best = min(best, edits)
        stats.append([best, ref_lengths / len(ref_info["ref_words"])])
    return stats


def sentence_signature() -> str:
    """The signature of the per-pair BLEU (effective order); the others match the document's."""
    from sacrebleu.metrics.bleu import BLEU

    return str(BLEU(tokenize=BLEU_TOKENIZE, effective_order=True).get_signature())
