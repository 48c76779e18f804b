"""Two candidates against one reference: paired bootstrap intervals and new and fixed damage. No I/O.

``compare(reference, baseline, candidate)`` diagnoses both candidates against the same
reference and returns one frozen ``Comparison``:

- **units**: both alignments group reference sentences (a 2-1 bead joins two of them); a
  unit is the smallest run of reference sentences that no pair of either side crosses, with
  the candidate sentences each side aligned to it (an added sentence goes with the unit
  before it). Where both sides align one to one, a unit is one reference sentence.
- **metrics**: per metric the two document scores (sacrebleu's corpus score, as in each
  report), the delta, a 95% paired bootstrap interval of the delta and a p-value. Units are
  resampled with replacement and both sides' aligned pairs move together. The resampling is
  sacrebleu's own (``sacrebleu.significance``): the same numpy generator, seed and index draw,
  float32 sums of the per-pair sufficient statistics each report already holds (nothing is
  tokenised again), the metric's own ``_compute_score_from_stats`` (computed for all
  resamples at once by ``diag.fastscore``, to the bit), and its p-value
  (``_compute_p_value`` of the centred absolute differences). Where both sides align one to
  one, the figures equal ``sacrebleu.significance.PairedTest(test_type="bs")`` on the same
  segments (tests/test_compare.py checks this with ``==``). One departure: when the two
  sides score the same on every resample (identical outputs), the p-value is 1, where
  sacrebleu reports 1/(resamples+1).
- **findings**: matched by category, type and reference span (by the candidate's words for
  an added mention, which has no reference span) into new (only in the candidate), fixed
  (only in the baseline) and unchanged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from diag.errors import InputError
from diag.model import METRIC_NAMES, Diagnosis, Document, Finding

if TYPE_CHECKING:
    import numpy as np

    from diag.entities import Glossary
    from diag.pipeline import Options

#: Bootstrap resamples by default (sacrebleu's default for the paired bootstrap).
DEFAULT_RESAMPLES = 1000
#: Seed of numpy's generator by default (sacrebleu's default ``SACREBLEU_SEED``).
DEFAULT_SEED = 12345
#: Coverage of the intervals: sacrebleu's ``estimate_ci`` cuts 1/40 of the resamples off each end.
CONFIDENCE = 0.95
#: Metrics where a lower score is better (the rest: higher is better).
LOWER_IS_BETTER: frozenset[str] = frozenset({"ter"})


@dataclass(frozen=True, slots=True)
class Interval:
    """A bootstrap distribution summarised: its mean and the 95% interval ``[lo, hi]``."""

    mean: float
    lo: float
    hi: float

    @property
    def half_width(self) -> float:
        """sacrebleu's ``ci`` (``mean ± half_width``)."""
        return 0.5 * (self.hi - self.lo)


@dataclass(frozen=True, slots=True)
class MetricComparison:
    """One metric for both sides: document scores, delta (candidate - baseline), interval, p-value."""

    name: str
    baseline: float
    candidate: float
    delta: float
    ci: tuple[float, float]
    p_value: float
    baseline_bootstrap: Interval
    candidate_bootstrap: Interval

    def __post_init__(self) -> None:
        if not 0.0 <= self.p_value <= 1.0:
            raise ValueError(f"MetricComparison {self.name}: p_value {self.p_value!r} outside [0, 1]")
        if self.ci[0] > self.ci[1]:
            raise ValueError(f"MetricComparison {self.name}: interval {self.ci!r} is reversed")

    @property
    def regression(self) -> float:
        """Points the candidate is worse than the baseline (negative: better)."""
        return self.delta if self.name in LOWER_IS_BETTER else -self.delta

    def significant(self, alpha: float) -> bool:
        return self.p_value < alpha


@dataclass(frozen=True, slots=True)
class Unit:
    """Reference sentences and what each side aligned to them, with each side's scores."""

    reference: tuple[int, ...]
    baseline: tuple[int, ...]
    candidate: tuple[int, ...]
    baseline_scores: Mapping[str, float]
    candidate_scores: Mapping[str, float]

    def delta(self, metric: str) -> float:
        return self.candidate_scores[metric] - self.baseline_scores[metric]


@dataclass(frozen=True)
class FindingChanges:
    """Findings of the candidate not in the baseline (new), the reverse (fixed), and how many are in both."""

    new: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    unchanged: int

    def count_new(self, severity: str) -> int:
        return sum(1 for f in self.new if f.severity == severity)


@dataclass(frozen=True)
class Comparison:
    """Everything ``diag compare`` says; the renderers and the gate take only this."""

    baseline: Diagnosis
    candidate: Diagnosis
    metrics: Mapping[str, MetricComparison]
    findings: FindingChanges
    units: tuple[Unit, ...]
    signature: str
    resamples: int
    seed: int | None

    @property
    def reference(self) -> Document:
        return self.candidate.reference

    def __post_init__(self) -> None:
        if self.baseline.reference.text != self.candidate.reference.text:
            raise ValueError("Comparison: the baseline and the candidate were diagnosed against different references")


# --- units ----------------------------------------------------------------------------------


def units_of(n_reference: int, baseline: Diagnosis, candidate: Diagnosis) -> list[tuple[tuple[int, ...], list[int], list[int]]]:
    """The resampling units: (reference sentences, baseline pair indices, candidate pair indices).

    A boundary between reference sentences i and i+1 is kept unless a pair of either side
    holds both; each run between kept boundaries is a unit. A pair with no reference
    sentence (an added candidate sentence) joins the unit of the reference sentence before
    it (the first unit when it comes first).
    """
    joined = [False] * max(0, n_reference - 1)  # joined[i]: sentences i and i+1 in one unit
    for d in (baseline, candidate):
        for p in d.alignment.pairs:
            for i in range(min(p.reference, default=0), max(p.reference, default=0)):
                joined[i] = True
    unit_of: list[int] = []
    u = 0
    for i in range(n_reference):
        if i > 0 and not joined[i - 1]:
            u += 1
        unit_of.append(u)
    out: list[tuple[tuple[int, ...], list[int], list[int]]] = []
    for i in range(n_reference):
        if not out or unit_of[i] != len(out) - 1:
            out.append(((i,), [], []))
        else:
            out[-1] = ((*out[-1][0], i), out[-1][1], out[-1][2])
    for side, d in enumerate((baseline, candidate)):
        last = 0
        for k, p in enumerate(d.alignment.pairs):
            if p.reference:
                last = unit_of[p.reference[-1]]
                target = unit_of[p.reference[0]]
            else:
                target = last
            _, base_pairs, cand_pairs = out[target]
            (cand_pairs if side else base_pairs).append(k)
    return out


def _unit_statistics(units: Sequence[tuple[Any, list[int], list[int]]], d: Diagnosis, side: int, metric: str) -> np.ndarray:
    """Per unit, the sum of its pairs' sufficient statistics (float64, exact for the counts)."""
    import numpy as np

    rows = np.asarray(d.statistics[metric], dtype="float64")
    out = np.zeros((len(units), rows.shape[1] if rows.ndim == 2 else 0), dtype="float64")
    for u, unit in enumerate(units):
        pairs = unit[2 if side else 1]
        if pairs:
            out[u] = rows[pairs].sum(axis=0)
    return out


# --- the bootstrap ----------------------------------------------------------------------------


def resample_indices(n_units: int, resamples: int, seed: int | None) -> np.ndarray:
    """sacrebleu's draw: ``default_rng(seed).choice(n, size=(resamples, n), replace=True)``."""
    import numpy as np

    rng = np.random.default_rng(seed)
    return rng.choice(n_units, size=(resamples, n_units), replace=True)


def resample_counts(idxs: np.ndarray) -> np.ndarray:
    """How often each unit is drawn in each resample: a (resamples, units) float64 matrix."""
    import numpy as np

    resamples, n = idxs.shape
    flat = (idxs + (np.arange(resamples) * n)[:, None]).ravel()
    return np.bincount(flat, minlength=resamples * n).reshape(resamples, n).astype("float64")


def resampled_scores(stats: np.ndarray, counts: np.ndarray, metric: Any) -> np.ndarray:
    """The document score of every resample, from the float32 sums of the drawn units.

    sacrebleu sums ``stats_float32[idxs]`` row by row; the statistics are whole counts, so
    the count matrix times the statistics gives the same float32 sums, once for every
    metric, in a fraction of the memory. The scores are
    ``np.array([metric._compute_score_from_stats(row).score for row in sums])``, as
    sacrebleu builds them (value and dtype), computed across all resamples at once where
    ``diag.fastscore`` has the metric's formula for its settings.
    """
    import numpy as np

    from diag.fastscore import scores_from_sums

    sums = (counts @ stats).astype("float32")
    fast = scores_from_sums(metric, sums)
    if fast is not None:
        return fast
    return np.array([metric._compute_score_from_stats(row).score for row in sums])


def summarise(scores: np.ndarray) -> Interval:
    """Mean and 95% interval of bootstrap scores, as sacrebleu's ``estimate_ci`` cuts them."""
    import numpy as np

    ordered = np.sort(scores)
    n = len(ordered)
    lower = n // 40
    return Interval(float(ordered.mean()), float(ordered[lower]), float(ordered[n - lower - 1]))


def p_value(baseline_scores: np.ndarray, candidate_scores: np.ndarray, observed_delta: float) -> float:
    """sacrebleu's paired bootstrap p-value (two-sided), 1 when the sides never differ."""
    import numpy as np
    from sacrebleu.significance import _compute_p_value

    sample_diffs = np.abs(candidate_scores - baseline_scores)
    if observed_delta == 0.0 and not sample_diffs.any():
        return 1.0
    return float(_compute_p_value(sample_diffs - sample_diffs.mean(), abs(observed_delta)))


def _compare_metric(
    name: str,
    metric: Any,
    base: Diagnosis,
    cand: Diagnosis,
    base_stats: np.ndarray,
    cand_stats: np.ndarray,
    counts: np.ndarray,
) -> MetricComparison:
    b_scores = resampled_scores(base_stats, counts, metric)
    c_scores = resampled_scores(cand_stats, counts, metric)
    b, c = base.metrics[name].score, cand.metrics[name].score
    delta_dist = summarise(c_scores - b_scores)
    return MetricComparison(
        name=name,
        baseline=b,
        candidate=c,
        delta=c - b,
        ci=(delta_dist.lo, delta_dist.hi),
        p_value=p_value(b_scores, c_scores, c - b),
        baseline_bootstrap=summarise(b_scores),
        candidate_bootstrap=summarise(c_scores),
    )


def confidence(d: Diagnosis, *, resamples: int = DEFAULT_RESAMPLES, seed: int | None = DEFAULT_SEED) -> dict[str, Interval]:
    """Bootstrap intervals of one report's document metrics (``diag report --confidence``).

    Aligned pairs are resampled as sacrebleu's ``--confidence`` resamples segments, with its
    generator and index draw; the intervals equal sacrebleu's on the same segments.
    """
    from diag.metrics import metric_objects

    _check_resamples(resamples)
    if not d.alignment.pairs:
        return {}
    import numpy as np

    counts = resample_counts(resample_indices(len(d.alignment.pairs), resamples, seed))
    out: dict[str, Interval] = {}
    for name, (metric, _) in metric_objects().items():
        stats = np.array(d.statistics[name], dtype="float64")
        out[name] = summarise(resampled_scores(stats, counts, metric))
    return out


def _check_resamples(resamples: int) -> None:
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, got {resamples}")


# --- findings ---------------------------------------------------------------------------------


def finding_key(f: Finding) -> tuple[str, str, int, int, str]:
    """What makes two findings the same damage: category, type and reference span
    (an added mention has none: its candidate words instead)."""
    if f.reference is not None:
        return (f.category, f.type, f.reference.start, f.reference.end, "")
    return (f.category, f.type, -1, -1, f.candidate.text if f.candidate else "")


def match_findings(baseline: Sequence[Finding], candidate: Sequence[Finding]) -> FindingChanges:
    """Split findings into new, fixed and unchanged (each baseline finding matches at most one)."""
    left = Counter(finding_key(f) for f in baseline)
    new: list[Finding] = []
    unchanged = 0
    for f in candidate:
        key = finding_key(f)
        if left[key] > 0:
            left[key] -= 1
            unchanged += 1
        else:
            new.append(f)
    fixed: list[Finding] = []
    for f in reversed(baseline):  # the baseline's last copies of a key are the unmatched ones
        key = finding_key(f)
        if left[key] > 0:
            left[key] -= 1
            fixed.append(f)
    fixed.reverse()
    return FindingChanges(new=tuple(new), fixed=tuple(fixed), unchanged=unchanged)


# --- the comparison ---------------------------------------------------------------------------


def signature(options_signature: str, resamples: int, seed: int | None) -> str:
    """The diagnosis signature with the bootstrap's settings (sacrebleu's keys ``bs`` and ``seed``)."""
    return f"{options_signature}|test:paired-bs|unit:reference-sentence|bs:{resamples}|seed:{str(seed).lower()}"


def compare_diagnoses(
    baseline: Diagnosis,
    candidate: Diagnosis,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
) -> Comparison:
    """Compare two diagnoses against the same reference.

    Raises:
        ValueError: if the references differ, the reference has no sentences, or
            ``resamples`` is below 1.
    """

    from diag.metrics import metric_objects

    _check_resamples(resamples)
    if baseline.reference.text != candidate.reference.text:
        raise ValueError("compare_diagnoses: the two diagnoses have different references")
    n_ref = len(candidate.reference.sentences)
    if n_ref == 0:
        raise ValueError("compare_diagnoses: the reference has no sentences to resample")
    units = units_of(n_ref, baseline, candidate)
    counts = resample_counts(resample_indices(len(units), resamples, seed))
    objects = metric_objects()
    metrics: dict[str, MetricComparison] = {}
    per_unit: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in METRIC_NAMES:
        metric, _ = objects[name]
        b_stats = _unit_statistics(units, baseline, 0, name)
        c_stats = _unit_statistics(units, candidate, 1, name)
        per_unit[name] = (b_stats, c_stats)
        metrics[name] = _compare_metric(name, metric, baseline, candidate, b_stats, c_stats, counts)
    rows = []
    for u, (refs, b_pairs, c_pairs) in enumerate(units):
        b_scores: dict[str, float] = {}
        c_scores: dict[str, float] = {}
        for name in METRIC_NAMES:
            corpus, sentence = objects[name]
            scorer = sentence or corpus
            b_scores[name] = float(scorer._compute_score_from_stats(per_unit[name][0][u].astype("float32")).score)
            c_scores[name] = float(scorer._compute_score_from_stats(per_unit[name][1][u].astype("float32")).score)
        rows.append(
            Unit(
                reference=refs,
                baseline=tuple(j for k in b_pairs for j in baseline.alignment.pairs[k].candidate),
                candidate=tuple(j for k in c_pairs for j in candidate.alignment.pairs[k].candidate),
                baseline_scores=b_scores,
                candidate_scores=c_scores,
            )
        )
    return Comparison(
        baseline=baseline,
        candidate=candidate,
        metrics=metrics,
        findings=match_findings(baseline.findings, candidate.findings),
        units=tuple(rows),
        signature=signature(candidate.signature, resamples, seed),
        resamples=resamples,
        seed=seed,
    )


def compare(
    reference: str | Document,
    baseline: str | Document,
    candidate: str | Document,
    *,
    options: Options | None = None,
    glossary: Glossary | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
) -> Comparison:
    """Diagnose ``baseline`` and ``candidate`` against ``reference`` and compare them.

    Args:
        reference: the reference text, or a ``Document`` built by ``build_document``.
        baseline: what is shipped now (text or ``Document``).
        candidate: what would replace it (text or ``Document``).
        options: diagnosis settings, shared by both sides.
        glossary: protected terms, shared by both sides.
        resamples: bootstrap resamples (default 1000).
        seed: numpy generator seed (default 12345, sacrebleu's).

    Returns:
        The ``Comparison``.

    Raises:
        InputError: if the reference has no sentences.
        ValueError: if ``resamples`` is below 1.
    """
    from diag.pipeline import Options as _Options
    from diag.pipeline import build_document, diagnose

    options = options or _Options()
    ref_doc = reference if isinstance(reference, Document) else build_document(reference, keep_all=options.keep_all)
    if not ref_doc.sentences:
        raise InputError(f"{ref_doc.path or '<reference>'}: has no sentences to compare; pass a file with text in it")
    base = diagnose(ref_doc, baseline, options=options, glossary=glossary)
    cand = diagnose(ref_doc, candidate, options=options, glossary=glossary)
    return compare_diagnoses(base, cand, resamples=resamples, seed=seed)


__all__ = [
    "CONFIDENCE",
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "Comparison",
    "FindingChanges",
    "Interval",
    "MetricComparison",
    "Unit",
    "compare",
    "compare_diagnoses",
    "confidence",
    "match_findings",
]
