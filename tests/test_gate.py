"""The quality gate: thresholds validated where built, one check per threshold."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import make_diagnosis

from diag.errors import ConfigError
from diag.gate import (
    THRESHOLDS,
    GateConfig,
    evaluate,
    field_names,
    parse_toml,
)
from diag.model import Finding, Verdict

SRC = "pyproject.toml [tool.diag.gate]"
KNOWN = "known keys: min_bleu, min_chrf, max_ter, max_critical, max_major, max_minor, max_mqm_per_1000, forbid_relations, max_machine_probability, max_accuracy_major, max_regression_bleu, max_regression_chrf, max_regression_chrf_pp, max_regression_ter, max_new_critical, max_new_major, alpha"


def test_threshold_names_are_the_config_fields() -> None:
    assert field_names() == THRESHOLDS


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"min_bleux": 30}, f"{SRC}: unknown key 'min_bleux'; {KNOWN}"),
        ({"min_bleu": "high"}, f"{SRC}: min_bleu must be a number from 0 to 100, got 'high'"),
        ({"min_chrf": 100.5}, f"{SRC}: min_chrf must be a number from 0 to 100, got 100.5"),
        ({"max_ter": -1}, f"{SRC}: max_ter must be a number of at least 0, got -1"),
        ({"max_critical": 1.5}, f"{SRC}: max_critical must be a whole number of at least 0, got 1.5"),
        ({"max_major": True}, f"{SRC}: max_major must be a whole number of at least 0, got True"),
        ({"max_minor": -2}, f"{SRC}: max_minor must be a whole number of at least 0, got -2"),
        ({"max_mqm_per_1000": "5"}, f"{SRC}: max_mqm_per_1000 must be a number of at least 0, got '5'"),
        (
            {"max_machine_probability": 1.2},
            f"{SRC}: max_machine_probability must be a number from 0 to 1, got 1.2",
        ),
        (
            {"forbid_relations": "copy"},
            f"{SRC}: forbid_relations must be a list of relations such as [\"copy\"], got 'copy'",
        ),
        (
            {"forbid_relations": ["copy", "clone"]},
            f"{SRC}: forbid_relations has unknown relation 'clone'; known relations: copy, translation, rewrite, independent",
        ),
    ],
)
def test_bad_configuration_is_named(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as e:
        GateConfig.from_mapping(data, SRC)
    assert str(e.value) == message


def test_values_are_normalised() -> None:
    c = GateConfig.from_mapping(
        {"min_bleu": 30, "forbid_relations": ["copy", "copy"], "max_critical": 0}, SRC
    )
    assert c.min_bleu == 30.0 and isinstance(c.min_bleu, float)
    assert c.forbid_relations == ("copy",)
    assert c.configured() == {"min_bleu": 30.0, "max_critical": 0, "forbid_relations": ("copy",)}


def test_toml_sources() -> None:
    pyproject = '[project]\nname = "x"\n\n[tool.diag.gate]\nmin_chrf = 50\nforbid_relations = ["copy"]\n'
    c = parse_toml(pyproject, "pyproject.toml", table=True)
    assert c.configured() == {"min_chrf": 50.0, "forbid_relations": ("copy",)}
    assert c.source == SRC
    assert parse_toml('[project]\nname = "x"\n', "pyproject.toml", table=True).is_empty()
    assert parse_toml("max_major = 2\n", "gate.toml", table=False).configured() == {"max_major": 2}
    with pytest.raises(ConfigError, match=r"^gate.toml: unknown key 'maxmajor'; known keys: "):
        parse_toml("maxmajor = 2\n", "gate.toml", table=False)
    with pytest.raises(
        ConfigError, match=r"^gate.toml: invalid TOML \(.*\); fix the file or pass another --config$"
    ):
        parse_toml("max_major = \n", "gate.toml", table=False)


def test_overrides_win_and_are_validated() -> None:
    c = GateConfig.from_mapping({"min_chrf": 50, "max_major": 2}, SRC).with_overrides(
        {"min_chrf": 70, "max_ter": None}
    )
    assert c.configured() == {"min_chrf": 70.0, "max_major": 2}
    assert c.source == f"{SRC} + command line"
    with pytest.raises(ConfigError, match=r"^flags: min_chrf must be a number from 0 to 100, got 170$"):
        GateConfig().with_overrides({"min_chrf": 170}, source="flags")


def test_an_empty_gate_is_an_error() -> None:
    d = make_diagnosis("A line.\n", "A line.\n")
    with pytest.raises(ConfigError, match=r"the gate has no thresholds; set at least one of min_bleu, "):
        evaluate(d, GateConfig(source=SRC))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def diagnosis() -> object:
    ref = "Shares rose 8.5% on Monday.\nThe firm Kestrel said so.\nA third line.\n"
    cand = "Shares rose 5.8% on Monday.\nThe firm Kesteler said so.\nA third line.\n"
    return make_diagnosis(
        ref,
        cand,
        (
            ("critical", "value_changed", "8.5%", "5.8%"),
            ("major", "replaced", "Kestrel", "Kesteler"),
            ("minor", "x", "third", "third"),
        ),
    )  # bleu 45.37, chrf 73.13, ter 31.5, mqm 12.5


@pytest.mark.parametrize(
    ("thresholds", "passed", "messages"),
    [
        ({"min_bleu": 45.0}, True, ["min_bleu: BLEU 45.37 is at least 45"]),
        ({"min_bleu": 45.5}, False, ["min_bleu: BLEU 45.37 is below the minimum 45.5"]),
        ({"min_chrf": 73.13}, True, ["min_chrf: chrF 73.13 is at least 73.13"]),
        ({"max_ter": 30}, False, ["max_ter: TER 31.5 is above the maximum 30"]),
        (
            {"max_critical": 0, "max_major": 1},
            False,
            [
                "max_critical: 1 critical finding, more than the maximum 0",
                "max_major: 1 major finding, at most 1",
            ],
        ),
        ({"max_minor": 5}, True, ["max_minor: 1 minor finding, at most 5"]),
        ({"max_accuracy_major": 0}, True, ["max_accuracy_major: 0 major or critical accuracy findings, at most 0"]),
        (
            {"max_mqm_per_1000": 12.5},
            True,
            ["max_mqm_per_1000: MQM penalty 12.5 per 1000 words is at most 12.5"],
        ),
        (
            {"forbid_relations": ["copy"]},
            False,
            ["forbid_relations: the relation was not assessed, so it cannot be shown not to be copy"],
        ),
        (
            {"max_machine_probability": 0.5},
            False,
            ["max_machine_probability: the machine probability was not assessed, so it cannot be checked"],
        ),
    ],
)
def test_checks(diagnosis: object, thresholds: dict[str, object], passed: bool, messages: list[str]) -> None:
    result = evaluate(diagnosis, GateConfig.from_mapping(thresholds, SRC))  # type: ignore[arg-type]
    assert result.passed is passed
    assert [c.message for c in result.checks] == messages
    assert [c.name for c in result.checks] == list(thresholds)


@pytest.mark.parametrize(
    ("severities", "threshold", "passed", "message"),
    [
        (("major",), 0, False, "max_accuracy_major: 1 major or critical accuracy finding, more than the maximum 0"),
        (("major", "critical", "minor"), 2, True, "max_accuracy_major: 2 major or critical accuracy findings, at most 2"),
        (("minor", "minor"), 0, True, "max_accuracy_major: 0 major or critical accuracy findings, at most 0"),
    ],
)
def test_accuracy_count(diagnosis: object, severities: tuple[str, ...], threshold: int, passed: bool,
                        message: str) -> None:
    extra = tuple(
        Finding("accuracy", "mistranslation", s, "says something else", None, None)  # type: ignore[arg-type]
        for s in severities
    )
    d = replace(diagnosis, findings=diagnosis.findings + extra)  # type: ignore[attr-defined,type-var]
    result = evaluate(d, GateConfig(max_accuracy_major=threshold, source=SRC))
    assert result.passed is passed
    assert [c.message for c in result.checks] == [message]


@pytest.mark.parametrize(
    ("relation", "probability", "passed"),
    [("translation", 0.2, True), ("copy", 0.2, False), ("translation", 0.9, False)],
)
def test_verdict_checks(diagnosis: object, relation: str, probability: float, passed: bool) -> None:
    v = Verdict(relation=relation, machine_probability=probability, label=relation, confidence=0.8)  # type: ignore[arg-type]
    d = replace(diagnosis, verdict=v)  # type: ignore[type-var]
    config = GateConfig.from_mapping(
        {"forbid_relations": ["copy", "rewrite"], "max_machine_probability": 0.5}, SRC
    )
    result = evaluate(d, config)
    assert result.passed is passed
    checks = {c.name: c for c in result.checks}
    assert checks["forbid_relations"].value == relation
    assert checks["max_machine_probability"].value == pytest.approx(probability)
    if relation == "copy":
        assert (
            checks["forbid_relations"].message
            == "forbid_relations: relation 'copy' is forbidden (copy, rewrite)"
        )
