"""SARIF and GitHub annotations as GitHub takes them: every SARIF result located (2.1.0 schema and
GitHub's upload rule), and annotations bounded, the gate's verdict first."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from conftest import make_diagnosis

from diag.ci_formats import ANNOTATIONS_PER_LEVEL, PairOutcome, github, sarif
from diag.gate import GateConfig, evaluate
from diag.model import Diagnosis
from tests.ci_locations import CAND, FINDINGS, LOCATION_CASES, REF, write_pair_files

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def github_upload_rule(log: dict) -> list[str]:
    """What GitHub's code-scanning upload refuses: a result without a location that has a physical
    location with an artifact and a region starting at a line."""
    problems = []
    for k, r in enumerate(log["runs"][0]["results"]):
        locations = r.get("locations") or []
        if not locations:
            problems.append(f"result {k} has no location")
            continue
        phys = locations[0].get("physicalLocation") or {}
        if not phys.get("artifactLocation", {}).get("uri"):
            problems.append(f"result {k} has no artifact")
        if not isinstance(phys.get("region", {}).get("startLine"), int):
            problems.append(f"result {k} has no region with a startLine")
    return problems


def _outcome(d: Diagnosis, line: int | None = None, config: GateConfig | None = None) -> PairOutcome:
    result = evaluate(d, config or GateConfig(max_critical=0))
    return PairOutcome(d.candidate.path or d.id or "pair", d, result, line=line)


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_pair_files(tmp_path, monkeypatch)


@pytest.mark.usefixtures("files")
@LOCATION_CASES
def test_every_sarif_result_is_located(
    paths: tuple[str | None, str | None], source: str | None, line: int | None, where: dict[str, str]
) -> None:
    d = make_diagnosis(REF, CAND, FINDINGS, paths=paths, id="rec")  # type: ignore[arg-type]
    log = json.loads(sarif([_outcome(d, line)], source=source))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert github_upload_rule(log) == []
    results = log["runs"][0]["results"]
    assert [r["level"] for r in results] == ["error", "error", "warning"]  # most severe first
    got = {}
    for r in results:
        key = r["properties"]["candidate"]["text"] if r["properties"]["candidate"] else r["properties"]["reference"]["text"]
        phys = r["locations"][0]["physicalLocation"]
        got[key] = phys["artifactLocation"]["uri"]
        region = phys["region"]
        if source is not None:
            assert region == {"startLine": line}
        elif got[key] in ("cand.txt", "ref.txt"):
            text = Path(got[key]).read_text(encoding="utf-8")
            snippet = text[region["charOffset"] : region["charOffset"] + region["charLength"]]
            assert snippet == region["snippet"]["text"]
    assert got == where


@pytest.mark.usefixtures("files")
def test_an_omission_is_missing_at_the_end_of_the_sentence_before_it() -> None:
    d = make_diagnosis(REF, CAND, FINDINGS, paths=("<stdin>", "cand.txt"))  # type: ignore[arg-type]
    omission = next(f for f in d.findings if f.candidate is None)  # type: ignore[attr-defined]
    # the omitted sentence is pair 2 (1-0); the last candidate sentence before it ends line 2
    d = replace(d, findings=tuple(replace(f, pair=2) if f is omission else f for f in d.findings))  # type: ignore[attr-defined, arg-type]
    log = json.loads(sarif([_outcome(d)]))
    region = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "named_entity/omitted")["locations"][0][
        "physicalLocation"
    ]["region"]
    assert (region["charOffset"], region["charLength"], region["startLine"]) == (len(CAND) - 1, 0, 2)


def _many(n_major: int, n_minor: int) -> Diagnosis:
    lines = [f"Firm{k} sold {k} units." for k in range(n_major + n_minor)]
    ref = "\n".join(lines) + "\n"
    cand = ref.replace("Firm", "Frim")
    findings = tuple(
        ("major" if k < n_major else "minor", "name_changed", f"Firm{k} ", f"Frim{k} ") for k in range(n_major + n_minor)
    )
    return make_diagnosis(ref, cand, findings, paths=("ref.txt", "cand.txt"))  # type: ignore[return-value]


def test_github_verdict_first_ten_per_level_and_one_notice_for_the_rest() -> None:
    d = _many(25, 15)
    lines = github([_outcome(d, config=GateConfig(max_major=0))])
    assert lines[0] == (
        "::error title=diag gate::diag check failed: 1 of 1 pairs failed the gate "
        "(max_major: 25 major findings, more than the maximum 0)"
    )
    levels = [line.split(" ", 1)[0].split("::")[1] for line in lines]
    assert levels.count("error") == ANNOTATIONS_PER_LEVEL  # the verdict and 9 findings
    assert levels.count("warning") == ANNOTATIONS_PER_LEVEL
    assert levels == ["error"] * 10 + ["warning"] * 10 + ["notice"]  # most severe first
    assert lines[1].endswith('::"Firm0 " rendered as "Frim0 "')
    assert lines[-1] == (
        "::notice title=diag::21 more findings not annotated (16 errors, 5 warnings): GitHub shows 10 annotations "
        "per level; see the SARIF or the report for all of them"
    )


def test_github_passing_gate_is_a_notice_and_nothing_is_left_out() -> None:
    d = _many(2, 1)
    lines = github([_outcome(d, config=GateConfig(max_major=5))])
    assert lines[0] == "::notice title=diag gate::diag check passed: 1 of 1 pairs"
    assert len(lines) == 4 and not any("more findings" in line for line in lines)


def test_github_unreadable_pairs_come_first() -> None:
    lines = github([_outcome(_many(3, 0)), PairOutcome("broken.txt", error="broken.txt: is empty; pass a file")])
    assert lines[0] == "::error title=diag gate::diag check failed: 1 could not be read"
    assert lines[1] == "::error title=diag input error::[broken.txt] diag check: broken.txt: is empty; pass a file"
