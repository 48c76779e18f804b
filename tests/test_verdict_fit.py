"""tools/fit_verdict.py: the machine model's two families (needs the ``fit`` extra: scipy, numpy)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("scipy")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import fit_verdict  # noqa: E402 - tools/ is not a package


def _data(seed: int = 0) -> tuple[object, object]:
    """Two features, the first larger for class 1, the second smaller, on different scales."""
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], 60)
    X = np.column_stack([rng.normal(y * 1.0, 1.0) * 10.0, rng.normal(-y * 0.5, 1.0) * 0.01])
    return X, y


@pytest.mark.parametrize("directions", [[1, -1], [-1, 1], [1, 1]])
def test_unit_weighted_coefficients_are_equal_in_size_with_the_stated_signs(directions: list[int]) -> None:
    X, y = _data()
    mean, scale, coef, _ = fit_verdict.fit_unit_weighted(X, y, directions)
    assert np.allclose(np.abs(coef), abs(coef[0])) and abs(coef[0]) >= 0
    assert all(w * d >= 0 for w, d in zip(coef, directions, strict=True))
    assert np.allclose(mean, X.mean(0)) and np.allclose(scale, X.std(0))


def test_unit_weighted_model_ranks_by_the_signed_sum_and_calibrates_it() -> None:
    X, y = _data()
    mean, scale, coef, intercept = fit_verdict.fit_unit_weighted(X, y, [1, -1])
    clipped = np.clip((X - mean) / scale, -fit_verdict.Z_CLIP, fit_verdict.Z_CLIP)
    z = clipped @ coef + intercept
    total = clipped @ np.array([1.0, -1.0])
    assert coef[0] > 0 and np.array_equal(np.argsort(z, kind="stable"), np.argsort(total, kind="stable"))
    p = 1 / (1 + np.exp(-z))
    assert abs(p.mean() - y.mean()) < 0.02  # calibrated: the mean probability is the base rate


def test_unit_weighted_scale_is_zero_for_a_feature_against_its_direction() -> None:
    X, y = _data()
    _, _, coef, _ = fit_verdict.fit_unit_weighted(X, y, [-1, 1])  # both signs wrong: the sum points to human
    assert np.allclose(coef, 0.0)


def test_unit_weighted_model_holds_a_far_out_feature_within_the_clip() -> None:
    X, y = _data()
    X_out = np.vstack([X, [[1e6, 0.0]]])  # one document with an absurd first feature, labelled human
    y_out = np.append(y, 0)
    _, _, coef, _ = fit_verdict.fit_unit_weighted(X_out, y_out, [1, -1])
    _, _, coef_in, _ = fit_verdict.fit_unit_weighted(X, y, [1, -1])
    assert abs(coef[0]) > 0.5 * abs(coef_in[0])  # the outlier moves the scale by at most its clipped share
