"""diag.compare: the paired bootstrap equals sacrebleu's, units under mismatched splits, finding matching."""

from __future__ import annotations

import pytest

from diag.compare import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    compare,
    confidence,
    match_findings,
    units_of,
)
from diag.model import Finding, Location
from diag.pipeline import diagnose

# Our own example: a short report on a harbour, and two renderings of it sentence by sentence.
REFERENCE = [
    "The harbour authority of Lindqvist Bay opened a new pier on Monday.",
    "It cost 12 million euros and took three years to build.",
    "Mayor Anneli Roos said the pier would bring cruise ships back to the town.",
    "Local fishermen had asked for a separate berth for their boats.",
    "The authority promised one by the end of next year.",
    "Traffic on the coastal road was closed for two hours during the ceremony.",
    "About 4,000 people watched the opening from the beach.",
    "A brass band from the naval school played before the speeches.",
    "The old wooden pier will be taken down in the spring.",
    "Its timber is to be used for benches along the promenade.",
    "Tourism accounts for a third of the town's income.",
    "The next cruise ship is expected on 3 June.",
]
BASELINE = [
    "The port authority of Lindqvist Bay opened a new pier on Monday.",
    "It cost 12 million euros and needed three years to build.",
    "Mayor Anneli Roos said that the pier would bring cruise ships back to the town.",
    "Local fishermen had asked for a separate berth for their own boats.",
    "The authority promised one before the end of next year.",
    "Traffic on the coast road was closed for two hours during the ceremony.",
    "About 4,000 people watched the opening from the beach.",
    "A brass band of the naval school played before the speeches.",
    "The old wooden pier will be removed in the spring.",
    "Its wood is to be used for benches along the promenade.",
    "Tourism makes up a third of the town's income.",
    "The next cruise ship is expected on 3 June.",
]
CANDIDATE = [
    "The harbour office of Lindqvist Bay has opened a new jetty on Monday.",
    "It costs 12 million euro and took three years for building.",
    "Mayor Anneli Ross said the jetty will bring the cruise ships back to town.",
    "The local fishers had requested a separate berth for the boats.",
    "The office promised one until the end of next year.",
    "Traffic on the coastal road was closed two hours during the ceremony.",
    "About 4,000 people were watching the opening from the beach.",
    "A brass orchestra from the navy school played before speeches.",
    "The old wooden jetty will be demolished in spring.",
    "Its timber shall be used for benches on the promenade.",
    "Tourism is a third of the income of the town.",
    "The next cruise ship is expected on 3 June.",
]


def _sacrebleu_paired(refs: list[str], base: list[str], cand: list[str]) -> dict[str, object]:
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.metrics.ter import TER
    from sacrebleu.significance import PairedTest

    metrics = {"bleu": BLEU(), "chrf": CHRF(), "chrf++": CHRF(word_order=2), "ter": TER()}
    _, scores = PairedTest(
        [("baseline", base), ("candidate", cand)], metrics, [refs], test_type="bs", n_samples=DEFAULT_RESAMPLES
    )()
    names = {"BLEU": "bleu", "chrF2": "chrf", "chrF2++": "chrf++", "TER": "ter"}
    return {names[k]: v for k, v in scores.items() if k in names}


def test_one_to_one_figures_equal_sacrebleu_paired_bootstrap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SACREBLEU_SEED", raising=False)  # sacrebleu's default seed, 12345, is ours
    c = compare(" ".join(REFERENCE), " ".join(BASELINE), " ".join(CANDIDATE))
    for d in (c.baseline, c.candidate):
        assert [p.kind for p in d.alignment.pairs] == ["1-1"] * len(REFERENCE), "the example must align one to one"
    assert [u.reference for u in c.units] == [(i,) for i in range(len(REFERENCE))]
    refs = [s.text for s in c.reference.sentences]
    expected = _sacrebleu_paired(refs, [s.text for s in c.baseline.candidate.sentences], [s.text for s in c.candidate.candidate.sentences])
    assert DEFAULT_SEED == 12345 and set(expected) == set(c.metrics)
    for name, m in c.metrics.items():
        base_result, cand_result = expected[name]  # type: ignore[misc]
        assert m.baseline == base_result.score
        assert m.candidate == cand_result.score
        assert m.p_value == cand_result.p_value
        assert m.candidate_bootstrap.mean == cand_result.mean
        assert m.candidate_bootstrap.half_width == cand_result.ci
        assert m.baseline_bootstrap.mean == base_result.mean
        assert m.baseline_bootstrap.half_width == base_result.ci
    assert c.metrics["chrf"].p_value < 0.05 and c.metrics["chrf"].ci[1] < 0  # the candidate is worse here


def test_report_confidence_equals_sacrebleu_bootstrap(monkeypatch: pytest.MonkeyPatch) -> None:
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.significance import _bootstrap_resample, estimate_ci
    import numpy as np

    monkeypatch.delenv("SACREBLEU_SEED", raising=False)
    d = diagnose(" ".join(REFERENCE), " ".join(CANDIDATE))
    intervals = confidence(d)
    metric = CHRF()
    stats = metric._extract_corpus_statistics([s.text for s in d.candidate.sentences], [[s.text for s in d.reference.sentences]])
    _, scores = _bootstrap_resample(stats, metric, DEFAULT_RESAMPLES)
    mean, half = estimate_ci(np.array([x.score for x in scores]))
    assert (intervals["chrf"].mean, intervals["chrf"].half_width) == (mean, half)
    assert intervals["chrf"].lo <= d.metrics["chrf"].score <= intervals["chrf"].hi


# --- units: mismatched sentence splits between baseline and candidate ---------------------------


def _split_example() -> tuple[list[str], list[str]]:
    """The example with the two sides splitting and merging differently (each edit our own)."""
    base, cand = list(BASELINE), list(CANDIDATE)
    base[1] = "It cost 12 million euros. It needed three years to build."  # baseline splits reference 1
    cand[3:5] = [  # candidate merges references 3 and 4
        "The local fishers had requested a separate berth for the boats, and the office promised one until the end of next year."
    ]
    cand.insert(7, "Several ministers from the capital were also invited to the event.")  # added after reference 7
    del base[9]  # baseline omits reference 9
    return base, cand


def test_mismatched_splits_become_units_both_sides_share() -> None:
    base, cand = _split_example()
    c = compare(" ".join(REFERENCE), " ".join(base), " ".join(cand), resamples=200)
    assert [p.kind for p in c.baseline.alignment.pairs][1] == "1-2"
    assert "2-1" in [p.kind for p in c.candidate.alignment.pairs] and "0-1" in [p.kind for p in c.candidate.alignment.pairs]
    assert [(u.reference, u.baseline, u.candidate) for u in c.units] == [
        ((0,), (0,), (0,)),
        ((1,), (1, 2), (1,)),
        ((2,), (3,), (2,)),
        ((3, 4), (4, 5), (3,)),
        ((5,), (6,), (4,)),
        ((6,), (7,), (5,)),
        ((7,), (8,), (6, 7)),
        ((8,), (9,), (8,)),
        ((9,), (), (9,)),
        ((10,), (10,), (10,)),
        ((11,), (11,), (11,)),
    ]
    # every reference sentence in exactly one unit, every candidate sentence of each side in exactly one
    assert [i for u in c.units for i in u.reference] == list(range(len(REFERENCE)))
    assert [j for u in c.units for j in u.baseline] == list(range(len(c.baseline.candidate.sentences)))
    assert [j for u in c.units for j in u.candidate] == list(range(len(c.candidate.candidate.sentences)))
    # the omitted sentence scores 0 on the baseline side, so the candidate gains there
    assert c.units[8].baseline_scores["chrf"] == 0.0 and c.units[8].delta("chrf") > 50


def test_units_sum_to_the_document_scores() -> None:
    """Unit statistics are sums of pair statistics: summed again they give each report's document score."""
    import numpy as np

    from diag.compare import _unit_statistics
    from diag.metrics import metric_objects

    base, cand = _split_example()
    c = compare(" ".join(REFERENCE), " ".join(base), " ".join(cand), resamples=50)
    raw = units_of(len(REFERENCE), c.baseline, c.candidate)
    for name, (metric, _) in metric_objects().items():
        for side, d in enumerate((c.baseline, c.candidate)):
            stats = _unit_statistics(raw, d, side, name)
            assert metric._compute_score_from_stats(stats.sum(0).astype(np.float32)).score == pytest.approx(
                d.metrics[name].score, abs=1e-4
            )


def test_an_added_sentence_before_any_reference_sentence_joins_the_first_unit() -> None:
    cand = ["An editor's note came first in this version.", *CANDIDATE]
    c = compare(" ".join(REFERENCE), " ".join(BASELINE), " ".join(cand), resamples=20)
    assert c.candidate.alignment.pairs[0].kind == "0-1"
    assert c.units[0].candidate == (0, 1) and c.units[0].baseline == (0,)


def test_the_same_text_on_both_sides_is_no_change() -> None:
    c = compare(" ".join(REFERENCE), " ".join(CANDIDATE), " ".join(CANDIDATE), resamples=100)
    for m in c.metrics.values():
        assert (m.delta, m.ci, m.p_value) == (0.0, (0.0, 0.0), 1.0)
    assert c.findings.new == () and c.findings.fixed == ()


def test_signature_names_resamples_and_seed() -> None:
    c = compare(" ".join(REFERENCE), " ".join(BASELINE), " ".join(CANDIDATE), resamples=30, seed=7)
    assert c.signature.endswith("|test:paired-bs|unit:reference-sentence|bs:30|seed:7")
    assert c.signature.startswith(c.candidate.signature)


def test_the_seed_decides_the_interval_and_is_reproducible() -> None:
    args = (" ".join(REFERENCE), " ".join(BASELINE), " ".join(CANDIDATE))
    a, b, other = compare(*args, resamples=100), compare(*args, resamples=100), compare(*args, resamples=100, seed=1)
    assert a.metrics["chrf"].ci == b.metrics["chrf"].ci
    assert a.metrics["chrf"].ci != other.metrics["chrf"].ci
    assert a.metrics["chrf"].delta == other.metrics["chrf"].delta


# --- findings -------------------------------------------------------------------------------------


def _f(kind: str, ref: tuple[int, int] | None, cand: str = "x", severity: str = "major", category: str = "named_entity") -> Finding:
    return Finding(
        category=category,
        type=kind,
        severity=severity,  # type: ignore[arg-type]
        message=f"{kind} {ref} {cand}",
        reference=Location("r" * (ref[1] - ref[0]), *ref) if ref else None,
        candidate=Location(cand, 0, len(cand)),
    )


@pytest.mark.parametrize(
    ("baseline", "candidate", "new", "fixed", "unchanged"),
    [
        ([], [], [], [], 0),
        ([_f("replaced", (0, 4))], [_f("replaced", (0, 4), "other words")], [], [], 1),  # same span and type
        ([_f("replaced", (0, 4))], [_f("transliterated", (0, 4))], [0], [0], 0),  # same span, other type
        ([_f("replaced", (0, 4))], [_f("replaced", (0, 5))], [0], [0], 0),  # other span
        ([_f("replaced", (0, 4)), _f("replaced", (9, 12))], [_f("replaced", (9, 12))], [], [0], 1),
        ([_f("casing", (0, 4)), _f("casing", (0, 4))], [_f("casing", (0, 4))], [], [1], 1),  # one of two repeats
        ([], [_f("added", None, "Zorbex")], [0], [], 0),  # added mention: no reference span
        ([_f("added", None, "Zorbex")], [_f("added", None, "Zorbex")], [], [], 1),
        ([_f("added", None, "Zorbex")], [_f("added", None, "Quillon")], [0], [0], 0),
    ],
)
def test_findings_match_by_category_type_and_reference_span(
    baseline: list[Finding], candidate: list[Finding], new: list[int], fixed: list[int], unchanged: int
) -> None:
    changes = match_findings(baseline, candidate)
    assert [next(i for i, g in enumerate(candidate) if g is f) for f in changes.new] == new
    assert [next(i for i, g in enumerate(baseline) if g is f) for f in changes.fixed] == fixed
    assert changes.unchanged == unchanged
    assert len(changes.new) + changes.unchanged == len(candidate)
    assert len(changes.fixed) + changes.unchanged == len(baseline)


def test_bad_arguments_raise() -> None:
    with pytest.raises(ValueError, match="resamples must be at least 1, got 0"):
        compare(" ".join(REFERENCE), " ".join(BASELINE), " ".join(CANDIDATE), resamples=0)
    a = diagnose(" ".join(REFERENCE), " ".join(BASELINE))
    b = diagnose(" ".join(BASELINE), " ".join(CANDIDATE))
    from diag.compare import compare_diagnoses

    with pytest.raises(ValueError, match="different references"):
        compare_diagnoses(a, b)


# --- the vectorised scoring equals sacrebleu's row by row -----------------------------------------


def _sacrebleu_rows(metric: object, sums: object) -> object:
    import numpy as np

    return np.array([metric._compute_score_from_stats(row).score for row in sums])  # type: ignore[attr-defined]


def _metric(name: str) -> object:
    from diag.metrics import metric_objects

    return metric_objects()[name][0]


@pytest.mark.parametrize("name", ["bleu", "chrf", "chrf++", "ter"])
def test_vectorised_scores_equal_sacrebleu_on_generated_statistics(name: str) -> None:
    import numpy as np
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from diag.fastscore import scores_from_sums

    metric = _metric(name)
    width = {"bleu": 10, "chrf": 18, "chrf++": 24, "ter": 2}[name]

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.lists(st.integers(0, 60), min_size=width, max_size=width), min_size=1, max_size=40))
    def check(rows: list[list[int]]) -> None:
        if name.startswith("chrf"):  # a match count never exceeds the n-gram counts
            rows = [[min(r[k], r[k - 1], r[k - 2]) if k % 3 == 2 else r[k] for k in range(width)] for r in rows]
        if name == "bleu":  # correct <= total
            rows = [r[:2] + [min(c, t) for c, t in zip(r[2:6], r[6:10])] + r[6:10] for r in rows]
        sums = np.array(rows, dtype="float32")
        fast = scores_from_sums(metric, sums)
        slow = _sacrebleu_rows(metric, sums)
        assert fast is not None and fast.dtype == slow.dtype
        assert fast.tolist() == slow.tolist()

    check()


def test_vectorised_scores_equal_sacrebleu_on_a_real_bootstrap() -> None:
    """Resample sums of real pairs (our example, mismatched splits) scored both ways."""
    import numpy as np

    from diag.compare import _unit_statistics, resample_counts, resample_indices
    from diag.fastscore import scores_from_sums

    base, cand = _split_example()
    c = compare(" ".join(REFERENCE), " ".join(base), " ".join(cand), resamples=5)
    raw = units_of(len(REFERENCE), c.baseline, c.candidate)
    counts = resample_counts(resample_indices(len(raw), 500, DEFAULT_SEED))
    for name in ("bleu", "chrf", "chrf++", "ter"):
        metric = _metric(name)
        sums = (counts @ _unit_statistics(raw, c.candidate, 1, name)).astype(np.float32)
        fast, slow = scores_from_sums(metric, sums), _sacrebleu_rows(metric, sums)
        assert fast is not None and fast.dtype == slow.dtype and fast.tolist() == slow.tolist()


def test_settings_the_vectorised_scoring_does_not_cover_fall_back() -> None:
    import numpy as np
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF

    from diag.fastscore import scores_from_sums

    sums = np.ones((3, 18), dtype="float32")
    assert scores_from_sums(CHRF(eps_smoothing=True), sums) is None
    assert scores_from_sums(BLEU(effective_order=True), np.ones((3, 10), dtype="float32")) is None
    assert scores_from_sums(BLEU(smooth_method="floor"), np.ones((3, 10), dtype="float32")) is None


# --- invariants -------------------------------------------------------------------------------------


def test_swapping_the_sides_mirrors_everything() -> None:
    """compare(R, A, B) and compare(R, B, A): deltas and intervals negated, same p-values, new <-> fixed."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    choices = st.lists(st.sampled_from(["ref", "base", "cand", "drop"]), min_size=len(REFERENCE), max_size=len(REFERENCE))

    def text(picks: list[str]) -> str:
        source = {"ref": REFERENCE, "base": BASELINE, "cand": CANDIDATE}
        out = [source[p][i] for i, p in enumerate(picks) if p != "drop"]
        return " ".join(out) or REFERENCE[0]

    @settings(max_examples=12, deadline=None)
    @given(choices, choices)
    def check(a: list[str], b: list[str]) -> None:
        ab = compare(" ".join(REFERENCE), text(a), text(b), resamples=200)
        ba = compare(" ".join(REFERENCE), text(b), text(a), resamples=200)
        for name in ab.metrics:
            x, y = ab.metrics[name], ba.metrics[name]
            assert x.delta == -y.delta and x.p_value == y.p_value
            assert x.ci == (-y.ci[1], -y.ci[0])
        assert len(ab.findings.new) == len(ba.findings.fixed) and len(ab.findings.fixed) == len(ba.findings.new)
        assert ab.findings.unchanged == ba.findings.unchanged
        assert [(u.reference, u.baseline, u.candidate) for u in ab.units] == [
            (u.reference, u.candidate, u.baseline) for u in ba.units
        ]

    check()
