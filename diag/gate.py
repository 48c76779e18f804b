"""The CI quality gate: thresholds in, pass/fail with reasons out; where its configuration is.

``GateConfig`` holds the thresholds (validated where built); ``GateConfig.from_mapping``
reads them from a ``[tool.diag.gate]`` table, naming unknown keys and bad values;
``evaluate(diagnosis, config, comparison)`` returns one ``Check`` per configured threshold.

The comparison thresholds (``max_regression_<metric>``, ``max_new_critical``,
``max_new_major``) judge a ``diag.compare.Comparison`` of the candidate with a baseline:
a metric's drop counts only when the paired bootstrap finds it significant at ``alpha``.

``discover(folder)`` finds the configuration as ruff and pytest find theirs (the nearest
pyproject.toml that has ``[tool.diag.gate]``); reading configuration files is the module's
only I/O.

A threshold whose value cannot be measured (the verdict was not assessed, a metric is
missing) fails: a gate that cannot see must not wave a text through.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diag.errors import ConfigError
from diag.model import RELATIONS, Diagnosis

if TYPE_CHECKING:
    from diag.compare import Comparison

# Threshold names: the TOML keys; the CLI flags are the same with dashes (--min-bleu).
MIN_BLEU = "min_bleu"
MIN_CHRF = "min_chrf"
MAX_TER = "max_ter"
MAX_CRITICAL = "max_critical"
MAX_MAJOR = "max_major"
MAX_MINOR = "max_minor"
MAX_MQM_PER_1000 = "max_mqm_per_1000"
FORBID_RELATIONS = "forbid_relations"
MAX_MACHINE_PROBABILITY = "max_machine_probability"
MAX_ACCURACY_MAJOR = "max_accuracy_major"
MAX_REGRESSION_BLEU = "max_regression_bleu"
MAX_REGRESSION_CHRF = "max_regression_chrf"
MAX_REGRESSION_CHRF_PP = "max_regression_chrf_pp"
MAX_REGRESSION_TER = "max_regression_ter"
MAX_NEW_CRITICAL = "max_new_critical"
MAX_NEW_MAJOR = "max_new_major"
#: Not a threshold: the significance level of the regression thresholds.
ALPHA = "alpha"
DEFAULT_ALPHA = 0.05

#: The thresholds that need a baseline (``diag check --baseline``), in the order checks are reported.
COMPARISON_THRESHOLDS: tuple[str, ...] = (
    MAX_REGRESSION_BLEU,
    MAX_REGRESSION_CHRF,
    MAX_REGRESSION_CHRF_PP,
    MAX_REGRESSION_TER,
    MAX_NEW_CRITICAL,
    MAX_NEW_MAJOR,
)
#: The gate of ``diag check --baseline`` when no threshold is configured: no significant drop
#: in any metric, no new critical or major finding.
DEFAULT_BASELINE_GATE: Mapping[str, float] = {
    MAX_REGRESSION_BLEU: 0.0,
    MAX_REGRESSION_CHRF: 0.0,
    MAX_REGRESSION_CHRF_PP: 0.0,
    MAX_REGRESSION_TER: 0.0,
    MAX_NEW_CRITICAL: 0,
    MAX_NEW_MAJOR: 0,
}

#: Every threshold, in the order checks are reported.
THRESHOLDS: tuple[str, ...] = (
    MIN_BLEU,
    MIN_CHRF,
    MAX_TER,
    MAX_CRITICAL,
    MAX_MAJOR,
    MAX_MINOR,
    MAX_MQM_PER_1000,
    FORBID_RELATIONS,
    MAX_MACHINE_PROBABILITY,
    MAX_ACCURACY_MAJOR,
    *COMPARISON_THRESHOLDS,
)
#: Every key of the gate's table: the thresholds and ``alpha``.
KEYS: tuple[str, ...] = (*THRESHOLDS, ALPHA)
#: The thresholds that count findings (whole numbers).
COUNT_THRESHOLDS: tuple[str, ...] = (
    MAX_CRITICAL, MAX_MAJOR, MAX_MINOR, MAX_ACCURACY_MAJOR, MAX_NEW_CRITICAL, MAX_NEW_MAJOR
)
#: Where thresholds live in a pyproject.toml.
PYPROJECT_TABLE = "[tool.diag.gate]"

#: What each threshold means, for help texts and error messages.
DESCRIPTIONS: Mapping[str, str] = {
    MIN_BLEU: "fail if document BLEU is below this (0-100)",
    MIN_CHRF: "fail if document chrF is below this (0-100)",
    MAX_TER: "fail if document TER is above this (0 or more)",
    MAX_CRITICAL: "fail if there are more critical findings than this",
    MAX_MAJOR: "fail if there are more major findings than this",
    MAX_MINOR: "fail if there are more minor findings than this",
    MAX_MQM_PER_1000: "fail if the MQM penalty per 1000 candidate words is above this",
    FORBID_RELATIONS: f"fail if the verdict's relation is one of these ({', '.join(RELATIONS)})",
    MAX_MACHINE_PROBABILITY: "fail if the verdict's machine probability is above this (0-1)",
    MAX_ACCURACY_MAJOR: "fail if there are more major or critical accuracy findings (meaning lost, changed or added) than this",
    MAX_REGRESSION_BLEU: "fail if BLEU falls more than this many points below the baseline's, significantly at alpha",
    MAX_REGRESSION_CHRF: "fail if chrF falls more than this many points below the baseline's, significantly at alpha",
    MAX_REGRESSION_CHRF_PP: "fail if chrF++ falls more than this many points below the baseline's, significantly at alpha",
    MAX_REGRESSION_TER: "fail if TER rises more than this many points above the baseline's, significantly at alpha",
    MAX_NEW_CRITICAL: "fail if there are more critical findings not in the baseline than this",
    MAX_NEW_MAJOR: "fail if there are more major findings not in the baseline than this",
    ALPHA: f"significance level of the max_regression_* thresholds (default {DEFAULT_ALPHA})",
}

_METRIC = {MIN_BLEU: ("bleu", "BLEU"), MIN_CHRF: ("chrf", "chrF"), MAX_TER: ("ter", "TER")}
_COUNT = {MAX_CRITICAL: "critical", MAX_MAJOR: "major", MAX_MINOR: "minor"}
_NEW_COUNT = {MAX_NEW_CRITICAL: "critical", MAX_NEW_MAJOR: "major"}
_REGRESSION = {
    MAX_REGRESSION_BLEU: ("bleu", "BLEU"),
    MAX_REGRESSION_CHRF: ("chrf", "chrF"),
    MAX_REGRESSION_CHRF_PP: ("chrf++", "chrF++"),
    MAX_REGRESSION_TER: ("ter", "TER"),
}
_RANGES: Mapping[str, tuple[float, float]] = {
    MIN_BLEU: (0.0, 100.0),
    MIN_CHRF: (0.0, 100.0),
    MAX_TER: (0.0, math.inf),
    MAX_MQM_PER_1000: (0.0, math.inf),
    MAX_MACHINE_PROBABILITY: (0.0, 1.0),
    MAX_REGRESSION_BLEU: (0.0, 100.0),
    MAX_REGRESSION_CHRF: (0.0, 100.0),
    MAX_REGRESSION_CHRF_PP: (0.0, 100.0),
    MAX_REGRESSION_TER: (0.0, math.inf),
    ALPHA: (0.0, 1.0),
}


def _describe_range(lo: float, hi: float) -> str:
    return f"a number of at least {lo:g}" if math.isinf(hi) else f"a number from {lo:g} to {hi:g}"


def _number(source: str, key: str, value: object) -> float:
    lo, hi = _RANGES[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise ConfigError(f"{source}: {key} must be {_describe_range(lo, hi)}, got {value!r}")
    if not lo <= value <= hi:
        raise ConfigError(f"{source}: {key} must be {_describe_range(lo, hi)}, got {value!r}")
    return float(value)


def _count(source: str, key: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{source}: {key} must be a whole number of at least 0, got {value!r}")
    return value


def _relations(source: str, key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ConfigError(f'{source}: {key} must be a list of relations such as ["copy"], got {value!r}')
    out: list[str] = []
    for item in value:
        if item not in RELATIONS:
            raise ConfigError(
                f"{source}: {key} has unknown relation {item!r}; known relations: {', '.join(RELATIONS)}"
            )
        if item not in out:
            out.append(item)
    return tuple(out)


@dataclass(frozen=True)
class GateConfig:
    """The thresholds of a gate; ``None`` means "not checked".

    ``source`` names where the values came from, for error messages.
    """

    min_bleu: float | None = None
    min_chrf: float | None = None
    max_ter: float | None = None
    max_critical: int | None = None
    max_major: int | None = None
    max_minor: int | None = None
    max_mqm_per_1000: float | None = None
    forbid_relations: tuple[str, ...] | None = None
    max_machine_probability: float | None = None
    max_accuracy_major: int | None = None
    max_regression_bleu: float | None = None
    max_regression_chrf: float | None = None
    max_regression_chrf_pp: float | None = None
    max_regression_ter: float | None = None
    max_new_critical: int | None = None
    max_new_major: int | None = None
    alpha: float | None = None
    source: str = "gate"

    def __post_init__(self) -> None:
        for key in KEYS:
            value = getattr(self, key)
            if value is None:
                continue
            if key == ALPHA and value in (0, 0.0):
                raise ConfigError(f"{self.source}: alpha must be a number above 0 and at most 1, got {value!r}")
            if key in COUNT_THRESHOLDS:
                _count(self.source, key, value)
            elif key == FORBID_RELATIONS:
                object.__setattr__(self, key, _relations(self.source, key, value))
            else:
                object.__setattr__(self, key, _number(self.source, key, value))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str) -> GateConfig:
        """Thresholds from a parsed TOML table (or any mapping).

        Raises:
            ConfigError: naming an unknown key or a bad value, with ``source``.
        """
        if not isinstance(data, Mapping):
            raise ConfigError(f"{source}: expected a table of thresholds, got {type(data).__name__}")
        unknown = [k for k in data if k not in KEYS]
        if unknown:
            raise ConfigError(f"{source}: unknown key {unknown[0]!r}; known keys: {', '.join(KEYS)}")
        return cls(**{k: data[k] for k in KEYS if k in data}, source=source)

    def with_overrides(self, overrides: Mapping[str, Any], source: str = "command line") -> GateConfig:
        """These thresholds with ``overrides`` (non-None values) on top, e.g. from flags.

        Raises:
            ConfigError: naming an unknown key or a bad value.
        """
        given = {k: v for k, v in overrides.items() if v is not None}
        unknown = [k for k in given if k not in KEYS]
        if unknown:
            raise ConfigError(f"{source}: unknown threshold {unknown[0]!r}; known: {', '.join(KEYS)}")
        if not given:
            return self
        # validate the new values under the name of their origin, then merge
        GateConfig(**given, source=source)
        label = source if self.is_empty() else f"{self.source} + {source}"
        return replace(self, **given, source=label)

    def configured(self) -> dict[str, Any]:
        """The thresholds that are set, by name, in ``THRESHOLDS`` order."""
        return {k: getattr(self, k) for k in THRESHOLDS if getattr(self, k) is not None}

    def is_empty(self) -> bool:
        return not self.configured()

    def needs_baseline(self) -> bool:
        """Whether a threshold judges a comparison with a baseline."""
        return any(getattr(self, k) is not None for k in COMPARISON_THRESHOLDS)

    @property
    def significance(self) -> float:
        """``alpha``, or its default."""
        return DEFAULT_ALPHA if self.alpha is None else self.alpha


#: The ``[tool.diag.*]`` tables diag knows; any other is a configuration error (a misspelt
#: ``[tool.diag.gates]`` must not be silently ignored).
KNOWN_TABLES: tuple[str, ...] = ("gate",)
PYPROJECT = "pyproject.toml"


def _load_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{source}: invalid TOML ({e}); fix the file or pass another --config") from None


def _diag_table(doc: Mapping[str, Any], source: str) -> Mapping[str, Any] | None:
    """``[tool.diag]`` of a parsed TOML document (None if absent), its sub-tables checked.

    Raises:
        ConfigError: naming an unknown ``[tool.diag.*]`` table or key.
    """
    tool = doc.get("tool")
    table = tool.get("diag") if isinstance(tool, dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: tool.diag must be a table such as {PYPROJECT_TABLE}")
    known = ", ".join(f"[tool.diag.{t}]" for t in KNOWN_TABLES)
    for name in table:
        if name not in KNOWN_TABLES:
            raise ConfigError(f"{source}: unknown table [tool.diag.{name}]; known: {known}")
    return table


def discover(start: Path) -> Path | None:
    """The configuration file for ``start``, found as ruff and pytest find theirs.

    The nearest ``pyproject.toml`` in ``start`` or a parent that has a ``[tool.diag.gate]``
    table; one without it is skipped, so a nested project's pyproject.toml does not shadow
    the gate of the repository around it. A ``[tool.diag]`` with an unknown sub-table stops
    the search with an error.

    Raises:
        ConfigError: if a pyproject.toml on the way cannot be read, is invalid TOML, or has an
            unknown ``[tool.diag.*]`` table.
    """
    for folder in (start, *start.parents):
        path = folder / PYPROJECT
        if not path.is_file():
            continue
        table = _diag_table(_load_toml(read_config(path), str(path)), str(path))
        if table is not None and "gate" in table:
            return path
    return None


def read_config(path: Path) -> str:
    """The text of a configuration file.

    Raises:
        ConfigError: if it cannot be read or decoded.
    """
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read the configuration ({e}); check the file") from None


def parse_toml(text: str, source: str, *, table: bool) -> GateConfig:
    """Thresholds from TOML text.

    Args:
        text: the TOML document.
        source: its file name, for messages.
        table: True for a pyproject.toml (thresholds under ``[tool.diag.gate]``); False for a
            ``--config`` file, where they may be top-level keys or under ``[tool.diag.gate]``.

    Raises:
        ConfigError: if the TOML is invalid, or a key or value is.
    """
    doc = _load_toml(text, source)
    diag_table = _diag_table(doc, source)
    nested = diag_table.get("gate") if diag_table is not None else None
    if table or nested is not None or "tool" in doc:
        if nested is None:
            return GateConfig(source=f"{source} {PYPROJECT_TABLE}")
        return GateConfig.from_mapping(nested, f"{source} {PYPROJECT_TABLE}")
    return GateConfig.from_mapping(doc, source)


@dataclass(frozen=True, slots=True)
class Check:
    """One threshold applied to one diagnosis.

    ``value`` is what was measured (``None``: it could not be measured, which fails).
    """

    name: str
    threshold: Any
    value: Any
    passed: bool
    message: str


@dataclass(frozen=True)
class GateResult:
    """Every check of one diagnosis; ``id`` is the batch record's id, if any."""

    checks: tuple[Check, ...]
    id: str | None = None

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def failures(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.passed)


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if math.isfinite(x) else str(x)


def format_value(x: object) -> str:
    """A threshold or a measured value as messages show it: ``73.13``, ``0``, ``copy, rewrite``, ``not measured``."""
    if x is None:
        return "not measured"
    if isinstance(x, float):
        return _fmt(x)
    if isinstance(x, (tuple, list)):
        return ", ".join(str(v) for v in x)
    return str(x)


def _signed(x: float) -> str:
    return f"{x:+.2f}"


def _check_regression(name: str, threshold: float, c: Comparison, alpha: float) -> Check:
    key, label = _REGRESSION[name]
    m = c.metrics[key]
    detail = (
        f"{_fmt(m.baseline)} -> {_fmt(m.candidate)}, delta {_signed(m.delta)}, "
        f"95% CI [{_signed(m.ci[0])}, {_signed(m.ci[1])}], p={m.p_value:.4f}"
    )
    verb = "rose" if key == "ter" else "fell"
    if m.regression <= threshold:
        return Check(name, threshold, m.regression, True, f"{name}: {label} {detail}: within {_fmt(threshold)} points")
    if not m.significant(alpha):
        return Check(
            name, threshold, m.regression, True,
            f"{name}: {label} {verb} {_fmt(m.regression)} points ({detail}), not significant at alpha {_fmt(alpha)}",
        )
    return Check(
        name, threshold, m.regression, False,
        f"{name}: {label} {verb} {_fmt(m.regression)} points ({detail}), significant at alpha {_fmt(alpha)} "
        f"and more than the maximum {_fmt(threshold)}",
    )


def _check_new(name: str, threshold: int, c: Comparison) -> Check:
    severity = _NEW_COUNT[name]
    new = [f for f in c.findings.new if f.severity == severity]
    ok = len(new) <= threshold
    noun = "finding" if len(new) == 1 else "findings"
    message = f"{name}: {len(new)} new {severity} {noun} (not in the baseline), {'at most' if ok else 'more than the maximum'} {threshold}"
    if not ok:
        shown = "; ".join(f.message for f in new[:3])
        message += f": {shown}" + (f"; and {len(new) - 3} more" if len(new) > 3 else "")
    return Check(name, threshold, len(new), ok, message)


def _check_comparison(name: str, threshold: Any, c: Comparison | None, alpha: float) -> Check:
    if c is None:
        return Check(
            name, threshold, None, False,
            f"{name}: needs a baseline to compare with; pass --baseline FILE (or a baseline field per --batch record)",
        )
    if name in _REGRESSION:
        return _check_regression(name, threshold, c, alpha)
    return _check_new(name, threshold, c)


def _check(name: str, threshold: Any, d: Diagnosis) -> Check:
    if name in _METRIC:
        key, label = _METRIC[name]
        score = d.metrics.get(key)
        if score is None:
            return Check(
                name, threshold, None, False, f"{name}: {label} was not computed, so {name} cannot be checked"
            )
        value = score.score
        if name == MAX_TER:
            ok = value <= threshold
            word = "at most" if ok else "above the maximum"
        else:
            ok = value >= threshold
            word = "at least" if ok else "below the minimum"
        return Check(name, threshold, value, ok, f"{name}: {label} {_fmt(value)} is {word} {_fmt(threshold)}")
    if name in _COUNT:
        severity = _COUNT[name]
        n = sum(1 for f in d.findings if f.severity == severity)
        ok = n <= threshold
        word = "at most" if ok else "more than the maximum"
        noun = "finding" if n == 1 else "findings"
        return Check(name, threshold, n, ok, f"{name}: {n} {severity} {noun}, {word} {threshold}")
    if name == MAX_ACCURACY_MAJOR:
        n = sum(1 for f in d.findings if f.category == "accuracy" and f.severity in ("critical", "major"))
        ok = n <= threshold
        word = "at most" if ok else "more than the maximum"
        noun = "finding" if n == 1 else "findings"
        return Check(name, threshold, n, ok, f"{name}: {n} major or critical accuracy {noun}, {word} {threshold}")
    if name == MAX_MQM_PER_1000:
        value = d.mqm_per_1000
        ok = value <= threshold
        word = "at most" if ok else "above the maximum"
        return Check(
            name,
            threshold,
            value,
            ok,
            f"{name}: MQM penalty {_fmt(value)} per 1000 words is {word} {_fmt(threshold)}",
        )
    if name == FORBID_RELATIONS:
        relation = d.verdict.relation
        allowed = ", ".join(threshold)
        if relation is None:
            return Check(
                name,
                threshold,
                None,
                False,
                f"{name}: the relation was not assessed, so it cannot be shown not to be {allowed}",
            )
        ok = relation not in threshold
        message = f"is not one of {allowed}" if ok else f"is forbidden ({allowed})"
        return Check(name, threshold, relation, ok, f"{name}: relation {relation!r} {message}")
    if name == MAX_MACHINE_PROBABILITY:
        p = d.verdict.machine_probability
        if p is None:
            return Check(
                name,
                threshold,
                None,
                False,
                f"{name}: the machine probability was not assessed, so it cannot be checked",
            )
        ok = p <= threshold
        word = "at most" if ok else "above the maximum"
        return Check(
            name, threshold, p, ok, f"{name}: machine probability {_fmt(p)} is {word} {_fmt(threshold)}"
        )
    raise ConfigError(f"unknown threshold {name!r}")  # unreachable: GateConfig validates names


def evaluate(diagnosis: Diagnosis, config: GateConfig, comparison: Comparison | None = None) -> GateResult:
    """Apply every configured threshold to ``diagnosis`` (and the comparison thresholds to ``comparison``).

    A comparison threshold without a comparison fails: it cannot be checked.

    Raises:
        ConfigError: if ``config`` has no thresholds at all (an empty gate is a mistake, not a pass).
    """
    if config.is_empty():
        raise ConfigError(
            f"{config.source}: the gate has no thresholds; set at least one of {', '.join(THRESHOLDS)} "
            f"in {PYPROJECT_TABLE}, a --config file or a flag such as --min-chrf 50"
        )
    checks = tuple(
        _check_comparison(name, value, comparison, config.significance)
        if name in COMPARISON_THRESHOLDS
        else _check(name, value, diagnosis)
        for name, value in config.configured().items()
    )
    return GateResult(checks=checks, id=diagnosis.id)


def field_names() -> tuple[str, ...]:
    """The GateConfig fields that are thresholds (a consistency check for tests)."""
    return tuple(f.name for f in fields(GateConfig) if f.name not in ("source", ALPHA))
