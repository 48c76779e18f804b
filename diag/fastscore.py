"""sacrebleu's document scores for many summed statistics at once, equal to its own to the bit.

The paired bootstrap scores every resample: sacrebleu calls ``metric._compute_score_from_stats``
once per resample on a float32 row, which for chrF and BLEU spends most of its time in
arithmetic on numpy scalars. Here the same operations run on whole columns, in the same order
and the same precision, so every score and the array's dtype are what
``np.array([metric._compute_score_from_stats(row).score for row in sums])`` gives:

- chrF/chrF++: each precision, recall and average is float32 arithmetic in sacrebleu (float32
  statistics, Python numbers taken as weak types), and elementwise float32 division,
  multiplication and addition are correctly rounded in numpy as in scalar code. Where sacrebleu
  returns the Python float 0.0 (no order with both counts, or a zero average), the array becomes
  float64, as sacrebleu's does.
- BLEU: the precisions are float32 (vectorised); logarithms, their sum, the mean and the
  exponential are Python floats and run through ``math`` in the same order, since numpy's own
  ``log``/``exp`` may round differently in the last place.
- TER: one float32 division per row (Python floats 100.0 or 0.0 for an empty reference).

``scores_from_sums`` returns None for settings it does not cover (chrF's epsilon smoothing,
BLEU's effective order or other smoothing); the caller then asks sacrebleu row by row.
tests/test_compare.py checks equality with sacrebleu (values with ``==`` and dtypes) on
generated statistics, zero counts included.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np


def _with_python_zeros(values: np.ndarray, zero: np.ndarray) -> np.ndarray:
    """float32 ``values``, except where ``zero``: there sacrebleu returns the Python float 0.0,
    which makes its array float64."""
    import numpy as np

    if not zero.any():
        return values
    out = values.astype(np.float64)
    out[zero] = 0.0
    return out


def chrf_scores(metric: Any, sums: np.ndarray) -> np.ndarray | None:
    """``CHRF._compute_f_score`` (effective-order averaging) for every row of ``sums``."""
    import numpy as np

    if metric.eps_smoothing or not isinstance(metric.beta, int) or sums.shape[1] != 3 * metric.order:
        return None
    f32 = np.float32
    factor = metric.beta**2
    rows = len(sums)
    avg_p = np.zeros(rows, dtype=f32)
    avg_r = np.zeros(rows, dtype=f32)
    eff = np.zeros(rows, dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(metric.order):
            hyp, ref, match = sums[:, 3 * i], sums[:, 3 * i + 1], sums[:, 3 * i + 2]
            counted = (hyp > 0) & (ref > 0)
            avg_p = np.where(counted, avg_p + match / hyp, avg_p)
            avg_r = np.where(counted, avg_r + match / ref, avg_r)
            eff += counted
        orders = eff.astype(f32)
        avg_p = np.where(eff > 0, avg_p / orders, f32(0))
        avg_r = np.where(eff > 0, avg_r / orders, f32(0))
        total = avg_p + avg_r
        score = f32(1 + factor) * avg_p * avg_r
        score = score / (f32(factor) * avg_p + avg_r)
        score = f32(100) * score
    return _with_python_zeros(score, (eff == 0) | (total == 0))


def bleu_scores(metric: Any, sums: np.ndarray) -> np.ndarray | None:
    """``BLEU.compute_bleu`` (document BLEU: no effective order; exp or no smoothing) for every row."""
    import numpy as np

    n = metric.max_ngram_order
    if metric.effective_order or metric.smooth_method not in ("exp", "none") or sums.shape[1] != 2 + 2 * n:
        return None
    f32 = np.float32
    correct, total = sums[:, 2 : 2 + n], sums[:, 2 + n :]
    broken = np.logical_or.accumulate(total == 0, axis=1)  # sacrebleu stops at the first empty order
    missed = (correct == 0) & ~broken
    with np.errstate(divide="ignore", invalid="ignore"):
        found = (f32(100) * correct) / total
        if metric.smooth_method == "exp":
            halvings = np.cumsum(missed, axis=1)
            smoothed = f32(100) / (np.power(f32(2), halvings).astype(f32) * total)
            precisions = np.where(missed, smoothed, found)
        else:
            precisions = np.where(missed, f32(0), found)
    precisions = np.where(broken, f32(0), precisions)
    no_match = np.asarray(~correct.any(axis=1))
    sys_lens = [int(x) for x in sums[:, 0]]
    ref_lens = [int(x) for x in sums[:, 1]]
    out = np.empty(len(sums), dtype=np.float64)
    for k, row in enumerate(precisions.tolist()):
        if no_match[k]:
            out[k] = 0.0
            continue
        sys_len, ref_len = sys_lens[k], ref_lens[k]
        bp = 1.0
        if sys_len < ref_len:
            bp = math.exp(1 - ref_len / sys_len) if sys_len > 0 else 0.0
        logs: float = sum([-9999999999 if p == 0.0 else math.log(p) for p in row])
        out[k] = bp * math.exp(logs / n)
    return out


def ter_scores(metric: Any, sums: np.ndarray) -> np.ndarray | None:
    """``TER._compute_score_from_stats`` for every row."""
    import numpy as np

    if sums.shape[1] != 2:
        return None
    edits, ref = sums[:, 0], sums[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        score: np.ndarray = np.float32(100) * (edits / ref)
    empty: np.ndarray = ~(ref > 0)
    if not empty.any():
        return score
    out: np.ndarray = score.astype(np.float64)
    out[empty] = np.where(edits[empty] > 0, 100.0, 0.0)
    return out


#: sacrebleu metric class name -> the function that scores many rows at once.
SCORERS: dict[str, Callable[[Any, Any], Any]] = {"CHRF": chrf_scores, "BLEU": bleu_scores, "TER": ter_scores}


def scores_from_sums(metric: Any, sums: np.ndarray) -> np.ndarray | None:
    """What sacrebleu's per-row scoring gives for float32 ``sums`` (resamples x statistics), or None."""
    scorer = SCORERS.get(type(metric).__name__)
    return None if scorer is None or len(sums) == 0 else scorer(metric, sums)


__all__ = ["SCORERS", "bleu_scores", "chrf_scores", "scores_from_sums", "ter_scores"]
