"""``diag compare``, ``diag check --baseline`` and ``diag report --confidence`` end to end: exit codes, messages, JSON.

The seed documents (../shared/seeds) give the must-show cases: the original article against its
machine round trip, and the round trip against itself; tests skip where they are absent.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import seed_path

from tests.clirun import run_cli

DATA = Path(__file__).parents[1] / "diag" / "data"
SCHEMAS = Path(__file__).parent / "schemas"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    return run_cli(capsys, args)


def _validate(doc: object) -> None:
    import jsonschema

    schema = json.loads((SCHEMAS / "compare.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder (the working directory, no pyproject.toml) with the demo texts."""
    for name in ("demo_reference.txt", "demo_candidate.txt"):
        shutil.copyfile(DATA / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- the seeds: must show ------------------------------------------------------------------------


def test_original_against_its_round_trip_is_a_significant_chrf_regression(capsys: pytest.CaptureFixture[str]) -> None:
    ref, trip = str(seed_path("001")), str(seed_path("000"))
    code, out, err = run(["compare", ref, ref, trip, "--format", "json"], capsys)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    _validate(doc)
    chrf = doc["metrics"]["chrf"]
    assert chrf["baseline"] == 100.0 and chrf["delta"] < -20
    assert chrf["ci"][1] < 0 and chrf["p_value"] < 0.05
    assert any(f["candidate"] and f["candidate"]["text"] == "Baitedan" for f in doc["findings"]["new"])
    assert doc["findings"]["fixed"] == [] and doc["findings"]["unchanged"] == 0
    assert doc["signature"].endswith("|bs:1000|seed:12345")


def test_round_trip_against_itself_is_no_change(capsys: pytest.CaptureFixture[str]) -> None:
    ref, trip = str(seed_path("001")), str(seed_path("000"))
    code, out, _ = run(["compare", ref, trip, trip, "--format", "json"], capsys)
    assert code == 0
    doc = json.loads(out)
    _validate(doc)
    for m in doc["metrics"].values():
        assert m["delta"] == 0.0 and m["ci"][0] <= 0.0 <= m["ci"][1]
    assert doc["findings"]["new"] == [] and doc["findings"]["unchanged"] > 0


def test_gate_fails_on_the_round_trip_and_passes_on_itself(capsys: pytest.CaptureFixture[str]) -> None:
    ref, trip = str(seed_path("001")), str(seed_path("000"))
    code, out, _ = run(["check", ref, trip, "--baseline", ref], capsys)
    assert code == 1
    assert "  FAIL max_regression_chrf: chrF fell 35.52 points (100 -> 64.48, delta -35.52" in out
    assert "significant at alpha 0.05 and more than the maximum 0" in out
    assert out.endswith("thresholds from the default baseline gate\n")
    code, out, _ = run(["check", ref, trip, "--baseline", trip], capsys)
    assert code == 0, out
    assert "  ok   max_new_major: 0 new major findings (not in the baseline), at most 0" in out


# --- the CLI on our own texts ---------------------------------------------------------------------


def test_check_baseline_outputs_say_what_regressed(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["check", "demo_reference.txt", "demo_candidate.txt", "--baseline", "demo_reference.txt", "--resamples", "200"]
    code, out, _ = run([*args, "--max-new-critical", "0", "--github", "--junit", "j.xml", "--sarif", "s.sarif"], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(
        "::error title=diag gate::diag check failed: 1 of 1 pairs failed the gate (max_new_critical: 1 new critical "
        "finding (not in the baseline), more than the maximum 0: "
    )
    assert all("::new: " in line for line in lines[1:] if line.startswith(("::error", "::warning")))
    junit = (work / "j.xml").read_text(encoding="utf-8")
    assert '<failure message="max_new_critical: 1 new critical finding (not in the baseline)' in junit
    sarif = json.loads((work / "s.sarif").read_text(encoding="utf-8"))
    states = {r["baselineState"] for r in sarif["runs"][0]["results"]}
    assert states == {"new"}


def test_a_comparison_threshold_without_a_baseline_fails_and_says_why(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", "demo_reference.txt", "demo_candidate.txt", "--max-regression-chrf", "1"], capsys)
    assert code == 1
    assert (
        "  FAIL max_regression_chrf: needs a baseline to compare with; pass --baseline FILE "
        "(or a baseline field per --batch record)"
    ) in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "-", "-", "demo_candidate.txt"], "diag: only one of REFERENCE, BASELINE and CANDIDATE can be '-' (stdin)\n"),
        (["check", "--batch", "x.jsonl", "--baseline", "demo_reference.txt", "--min-chrf", "1"],
         "diag: --baseline compares one pair; with --batch give a baseline or baseline_path field per record\n"),
        (["check", "demo_reference.txt", "demo_candidate.txt", "--baseline", "demo_reference.txt", "--alpha", "0"],
         "diag: --alpha: alpha must be a number above 0 and at most 1, got 0.0\n"),
        (["check", "demo_reference.txt", "demo_candidate.txt", "--max-regression-chrf", "-1"],
         "diag: --max-regression-chrf: max_regression_chrf must be a number from 0 to 100, got -1.0\n"),
    ],
)
def test_usage_errors_exit_2(work: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert run(args, capsys)[1:] == ("", message) and run(args, capsys)[0] == 2


def test_a_missing_baseline_is_an_input_error(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["compare", "demo_reference.txt", "nope.txt", "demo_candidate.txt"], capsys)
    assert code == 3 and err.startswith("diag: nope.txt: ")


def test_compare_writes_every_format_and_never_over_an_input(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["compare", "demo_reference.txt", "demo_reference.txt", "demo_candidate.txt", "--resamples", "100"]
    for fmt, suffix, start in [("json", ".json", "{"), ("markdown", ".md", "## diag compare"), ("html", ".html", "<!DOCTYPE html>"), ("terminal", ".txt", "demo_candidate.txt against")]:
        code, out, err = run([*base, "--format", fmt, "-o", f"c{suffix}"], capsys)
        assert (code, out, err) == (0, "", "")
        assert (work / f"c{suffix}").read_text(encoding="utf-8").startswith(start)
    code, _, err = run([*base, "-o", "demo_candidate.txt"], capsys)
    assert code == 3 and err.startswith("diag: demo_candidate.txt: ")


def test_check_batch_reads_a_baseline_per_record(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = [
        {"id": "worse", "reference_path": "demo_reference.txt", "candidate_path": "demo_candidate.txt", "baseline_path": "demo_reference.txt"},
        {"id": "same", "reference_path": "demo_reference.txt", "candidate_path": "demo_candidate.txt",
         "baseline": (work / "demo_candidate.txt").read_text(encoding="utf-8")},
        {"id": "none", "reference_path": "demo_reference.txt", "candidate_path": "demo_candidate.txt"},
        {"id": "bad", "reference_path": "demo_reference.txt", "candidate_path": "demo_candidate.txt", "baseline": 3},
    ]
    (work / "pairs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    code, out, err = run(["check", "--batch", "pairs.jsonl", "-j", "1", "--max-new-critical", "0"], capsys)
    assert code == 3  # the bad record
    assert 'diag: bad: record "bad": "baseline" is int, not a string; give text or a path' in err
    assert "FAIL worse\n" in out and "FAIL none\n" in out and "FAIL same\n" not in out
    assert "  FAIL max_new_critical: needs a baseline to compare with" in out
    assert "diag check: failed: 4 pairs, 1 passed, 2 failed, 1 errors" in out


def test_report_confidence_adds_intervals(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["report", "demo_reference.txt", "demo_candidate.txt", "--format", "json", "--confidence"], capsys)
    assert code == 0
    doc = json.loads(out)
    for m in doc["metrics"].values():
        lo, hi = m["ci"]
        assert lo <= m["bootstrap_mean"] <= hi
    assert doc["signature"].endswith("|bs:1000|seed:12345")
    code, out, _ = run(["report", "demo_reference.txt", "demo_candidate.txt", "--format", "json"], capsys)
    assert "ci" not in json.loads(out)["metrics"]["chrf"]


def test_the_bootstrap_benchmark_runs_on_tiny_inputs(tmp_path: Path) -> None:
    """benchmarks/compare.py end to end on our own short texts (no timing asserted; it exits 1 if the
    vectorised and sacrebleu-scored bootstraps disagree)."""
    import subprocess
    import sys

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copyfile(DATA / "demo_reference.txt", seeds / "001_demo.txt")
    shutil.copyfile(DATA / "demo_candidate.txt", seeds / "000_demo.txt")
    script = Path(__file__).parents[1] / "benchmarks" / "compare.py"
    done = subprocess.run(
        [sys.executable, str(script), "--quick", "--reps", "1", "--shared", str(tmp_path), "--json", str(tmp_path / "b5.json")],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("| size | units | report CPU s | bootstrap CPU s | bootstrap / report |")
    figures = json.loads((tmp_path / "b5.json").read_text(encoding="utf-8"))
    assert figures["1x"]["identical_figures"] is True


def test_check_with_a_baseline_writes_the_comparison_report(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["check", "demo_reference.txt", "demo_candidate.txt", "--baseline", "demo_candidate.txt", "--resamples", "50"]
    code, _, _ = run([*args, "-o", "cmp.md"], capsys)
    assert code == 0
    assert (work / "cmp.md").read_text(encoding="utf-8").startswith("## diag compare: demo\\_candidate.txt against demo\\_candidate.txt")
    code, _, _ = run([*args, "-o", "cmp.json"], capsys)
    assert json.loads((work / "cmp.json").read_text(encoding="utf-8"))["schema"] == "diag.compare/1"
