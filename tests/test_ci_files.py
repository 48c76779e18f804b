"""The composite GitHub Action (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml): valid
files, every input used, and the action's diag step run for real against this checkout."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from diag.cli import build_parser, main

ROOT = Path(__file__).parents[1]
DATA = ROOT / "diag" / "data"
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
#: The keys pre-commit's manifest schema knows for a hook.
HOOK_KEYS = {
    "id", "name", "entry", "language", "alias", "files", "exclude", "types", "types_or", "exclude_types",
    "additional_dependencies", "args", "always_run", "fail_fast", "pass_filenames", "description",
    "language_version", "log_file", "minimum_pre_commit_version", "require_serial", "stages", "verbose",
}  # fmt: skip


def test_action_is_a_composite_action_with_every_input_used() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert ACTION["name"] and ACTION["description"]
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    for name, spec in ACTION["inputs"].items():
        assert spec["description"], name
        assert f"inputs.{name}" in text, f"input {name} is never used"
    ids = {step.get("id") for step in ACTION["runs"]["steps"]}
    for name, spec in ACTION["outputs"].items():
        step = re.match(r"\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}", spec["value"])
        assert step and step.group(1) in ids, name
    for step in ACTION["runs"]["steps"]:
        assert ("run" in step) != ("uses" in step), step
        if "run" in step:
            assert step["shell"] == "bash", step  # a composite step must name its shell
            assert "${{" not in step["run"], "inputs go through env, never into the script"


def _step(step_id: str) -> dict:
    return next(s for s in ACTION["runs"]["steps"] if s.get("id") == step_id)


def _run_check_step(tmp_path: Path, inputs: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], dict[str, str], str]:
    """The action's `diag check` step, run by bash as the runner would, with `diag` this checkout."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "diag"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m diag "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    for name in ("demo_reference.txt", "demo_candidate.txt"):
        shutil.copyfile(DATA / name, tmp_path / name)
    output, summary = tmp_path / "gh_output", tmp_path / "gh_summary"
    output.touch()
    summary.touch()
    step = _step("check")
    defaults = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    for var, expr in step["env"].items():
        name = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", expr).group(1)  # type: ignore[union-attr]
        env[var] = inputs.get(name, defaults[name])
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    return done, outputs, summary.read_text(encoding="utf-8")


PAIR = {"reference": "demo_reference.txt", "candidate": "demo_candidate.txt"}


@pytest.mark.slow
def test_the_action_step_passes_and_writes_its_outputs(tmp_path: Path) -> None:
    done, outputs, summary = _run_check_step(tmp_path, {**PAIR, "args": "--min-chrf 1"})
    assert done.returncode == 0, done.stderr
    assert outputs == {"exit-code": "0", "sarif": "diag.sarif"}
    assert done.stdout.startswith("::notice title=diag gate::diag check passed: 1 of 1 pairs\n")
    # the gate's result first, then the report
    assert summary.startswith("## diag check: ✅ passed\n\nCandidate `demo_candidate.txt` · thresholds from flags\n")
    assert "\n## diag report" in summary and (tmp_path / "diag-summary.md").is_file()
    assert json.loads((tmp_path / "diag.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert (tmp_path / "diag-junit.xml").is_file()


@pytest.mark.slow
def test_the_action_step_records_a_failed_gate_and_the_gate_step_fails(tmp_path: Path) -> None:
    done, outputs, summary = _run_check_step(
        tmp_path, {**PAIR, "args": "--max-critical 0", "junit": "", "report": "", "summary": ""}
    )
    assert done.returncode == 0, done.stderr  # the step records; the last step fails the job
    assert outputs["exit-code"] == "1"
    assert summary == ""
    for name in ("diag-junit.xml", "diag-report.md", "diag-summary.md"):
        assert not (tmp_path / name).exists()
    gate = ACTION["runs"]["steps"][-1]
    failed = subprocess.run(["bash", "-c", gate["run"]], env={**os.environ, "DIAG_EXIT": outputs["exit-code"]})
    assert failed.returncode == 1


@pytest.mark.slow
def test_the_action_step_with_a_baseline_gates_the_comparison(tmp_path: Path) -> None:
    """The candidate against itself as the baseline: no regression, and the summary is the comparison's."""
    (tmp_path / "same").mkdir()
    (tmp_path / "worse").mkdir()
    done, outputs, summary = _run_check_step(
        tmp_path / "same", {**PAIR, "baseline": "demo_candidate.txt", "args": "--resamples 100"}
    )
    assert done.returncode == 0, done.stderr
    assert outputs["exit-code"] == "0"
    assert summary.startswith("## diag check: ✅ passed") and "\n## diag compare" in summary
    done, outputs, _ = _run_check_step(tmp_path / "worse", {**PAIR, "baseline": "demo_reference.txt", "args": "--resamples 100"})
    assert outputs["exit-code"] == "1"
    assert "max_new_critical: 1 new critical finding (not in the baseline)" in done.stdout


def test_the_action_check_step_builds_valid_command_lines() -> None:
    parser = build_parser()
    args = parser.parse_args(["check", "--github", "r.txt", "c.txt", "-o", "diag-report.md", "--sarif", "diag.sarif",
                              "--junit", "diag-junit.xml", "--min-chrf", "55"])  # fmt: skip
    assert (args.output, args.sarif, args.junit, args.min_chrf) == ("diag-report.md", "diag.sarif", "diag-junit.xml", 55.0)
    args = parser.parse_args(["check", "--github", "--batch", "pairs.jsonl", "--sarif", "diag.sarif"])
    assert args.batch == "pairs.jsonl"


def test_pre_commit_hook_definition() -> None:
    assert isinstance(HOOKS, list) and len(HOOKS) == 1
    hook = HOOKS[0]
    assert set(hook) <= HOOK_KEYS
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert (hook["id"], hook["language"], hook["pass_filenames"]) == ("diag-check", "python", False)
    assert hook["entry"].split()[:2] == ["diag", "check"]
    re.compile(hook["files"])
    # the project installs the `diag` the entry names
    assert 'diag = "diag.cli:main"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_pre_commit_entry_gates(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ref.txt").write_text("Alpha Corp hired 10 people in May.\nSales grew in June.\n", encoding="utf-8")
    (tmp_path / "cand.txt").write_text("Alpha Corp hired 10 people in May.\nSales grew in June.\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.diag.gate]\nmin_chrf = 99\n", encoding="utf-8")
    argv = HOOKS[0]["entry"].split()[1:] + ["ref.txt", "cand.txt"]
    assert main(argv) == 0
    (tmp_path / "cand.txt").write_text("Alpha Corp hired 12 people in May.\nSales fell in July.\n", encoding="utf-8")
    assert main(argv) == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith("diag check: failed: 1 pairs, 0 passed, 1 failed")


def test_readme_ci_section_uses_the_action_and_the_hook() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = readme[readme.index("## Continuous integration") : readme.index("## How it works")]
    blocks = re.findall(r"```yaml\n(.*?)```", ci, re.S)
    docs = [yaml.safe_load(b) for b in blocks]
    steps = [s for d in docs if isinstance(d, dict) and "jobs" in d for job in d["jobs"].values() for s in job["steps"]]
    action_steps = [s for s in steps if str(s.get("uses", "")).endswith("diag@v1") or s.get("uses") == "./"]
    assert action_steps, "the workflow uses the action"
    for step in action_steps:
        assert set(step.get("with", {})) <= set(ACTION["inputs"]), step
    hooks = [h for d in docs if isinstance(d, dict) and "repos" in d for r in d["repos"] for h in r["hooks"]]
    assert [h["id"] for h in hooks] == [HOOKS[0]["id"]]
