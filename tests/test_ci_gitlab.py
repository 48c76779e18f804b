"""GitLab Code Quality and the Markdown job summary of ``diag check``: golden files, the shape GitLab
reads (required keys, severities, unique and stable fingerprints, 1-based lines that match the
text), the one location policy shared with SARIF, and the CLI (messages, exit codes, batch)."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import DEMO_FINDINGS, make_diagnosis
from hypothesis import given
from hypothesis import strategies as st

from diag.ci_formats import (
    CODEQUALITY_SEVERITIES,
    CODEQUALITY_SEVERITY,
    PairOutcome,
    Span,
    codequality,
    sarif,
    summary,
)
from diag.gate import GateConfig, evaluate
from diag.model import SEVERITIES, Diagnosis
from tests.ci_locations import CAND, FINDINGS, LOCATION_CASES, REF, write_pair_files
from tests.clirun import run_cli
from tests.golden_files import check_golden

DATA = Path(__file__).parents[1] / "diag" / "data"
REQUIRED = {"description", "check_name", "fingerprint", "severity", "location"}


def _outcome(d: Diagnosis, config: GateConfig | None = None, line: int | None = None, name: str | None = None) -> PairOutcome:
    result = evaluate(d, config or GateConfig(max_critical=0))
    return PairOutcome(name or d.candidate.path or d.id or "pair", d, result, line=line)


def shape_problems(issues: object, texts: dict[str, str]) -> list[str]:
    """What GitLab's Code Quality parser or widget would not take: not an array of objects with the
    five keys, a severity outside GitLab's five, a repeated fingerprint, a location without a path and
    a 1-based line; and, for a file in ``texts``, a line or column outside it."""
    if not isinstance(issues, list):
        return ["not a JSON array"]
    problems: list[str] = []
    seen: set[str] = set()
    for k, issue in enumerate(issues):
        missing = REQUIRED - set(issue)
        if missing:
            problems.append(f"issue {k} lacks {sorted(missing)}")
            continue
        if issue["severity"] not in CODEQUALITY_SEVERITIES:
            problems.append(f"issue {k}: severity {issue['severity']!r}")
        if not (isinstance(issue["fingerprint"], str) and issue["fingerprint"]) or issue["fingerprint"] in seen:
            problems.append(f"issue {k}: fingerprint {issue['fingerprint']!r} empty or repeated")
        seen.add(issue["fingerprint"])
        loc = issue["location"]
        begin = loc.get("lines", {}).get("begin") or loc.get("positions", {}).get("begin", {}).get("line")
        if not isinstance(loc.get("path"), str) or not isinstance(begin, int) or begin < 1:
            problems.append(f"issue {k}: location {loc!r} has no path and 1-based line")
        elif loc["path"] in texts and begin > len(texts[loc["path"]].split("\n")):
            problems.append(f"issue {k}: line {begin} past the end of {loc['path']}")
    return problems


def _at(text: str, position: dict[str, int]) -> int:
    """The ``str`` offset of a 1-based (line, column) position."""
    lines = text.split("\n")
    return sum(len(x) + 1 for x in lines[: position["line"] - 1]) + position["column"] - 1


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_pair_files(tmp_path, monkeypatch)


# --- golden files ---------------------------------------------------------------------------------


def test_codequality_of_the_demo_matches_golden(demo_diagnosis: Diagnosis) -> None:
    config = GateConfig(max_critical=0, min_chrf=50)
    check_golden("demo_codequality.json", codequality([_outcome(demo_diagnosis, config)]))


def test_summary_of_the_demo_matches_golden(demo_diagnosis: Diagnosis) -> None:
    config = GateConfig(max_critical=0, min_chrf=50, forbid_relations=("copy",))
    check_golden("demo_summary.md", summary([_outcome(demo_diagnosis, config)], "flags"))


def _batch_outcomes() -> list[PairOutcome]:
    ref = (DATA / "demo_reference.txt").read_text(encoding="utf-8")
    cand = (DATA / "demo_candidate.txt").read_text(encoding="utf-8")
    config = GateConfig(max_critical=0, max_major=2, min_chrf=50)
    good = make_diagnosis(ref, ref, (), paths=(None, None), id="good")
    demo = make_diagnosis(ref, cand, DEMO_FINDINGS, paths=(None, None), id="demo")
    return [
        _outcome(good, config, line=1, name="good"),  # type: ignore[arg-type]
        _outcome(demo, config, line=2, name="demo"),  # type: ignore[arg-type]
        PairOutcome("line 3", error="line 3 is not valid JSON (Unterminated string); fix the record", line=3),
    ]


def test_batch_summary_matches_golden() -> None:
    check_golden("batch_summary.md", summary(_batch_outcomes(), "pyproject.toml [tool.diag.gate]", batch=True))


def test_batch_codequality_matches_golden() -> None:
    check_golden("batch_codequality.json", codequality(_batch_outcomes(), source="pairs.jsonl"))


# --- the shape GitLab reads -----------------------------------------------------------------------


@pytest.mark.usefixtures("files")
@LOCATION_CASES
def test_every_issue_is_located_as_sarif_locates_it(
    paths: tuple[str | None, str | None], source: str | None, line: int | None, where: dict[str, str]
) -> None:
    d = make_diagnosis(REF, CAND, FINDINGS, paths=paths, id="rec")  # type: ignore[arg-type]
    outcome = _outcome(d, line=line, name="rec")  # type: ignore[arg-type]
    issues = json.loads(codequality([outcome], source=source))
    texts = {"ref.txt": REF, "cand.txt": CAND}
    assert shape_problems(issues, texts) == []
    gate, *found = issues
    assert (gate["check_name"], gate["severity"]) == ("diag/gate/max_critical", "blocker")
    assert [i["severity"] for i in found] == ["critical", "major", "minor"]  # most severe first
    got = {}
    for issue, f in zip(found, sorted(d.findings, key=lambda f: SEVERITIES.index(f.severity)), strict=True):  # type: ignore[attr-defined]
        loc = issue["location"]
        got[f.candidate.text if f.candidate else f.reference.text] = loc["path"]
        if source is not None:
            assert loc == {"path": source, "lines": {"begin": line}}
        elif loc["path"] in texts and (f.candidate or loc["path"] == "ref.txt"):
            text = texts[loc["path"]]
            words = f.candidate.text if loc["path"] == paths[1] else f.reference.text
            pos = loc["positions"]
            assert text[_at(text, pos["begin"]) : _at(text, pos["end"])] == words
    assert got == where
    # the same places as the SARIF log's
    log = json.loads(sarif([outcome], source=source))
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    assert uris == [i["location"]["path"] for i in found]


def test_severity_mapping_covers_every_severity_with_gitlab_values() -> None:
    assert set(SEVERITIES) <= set(CODEQUALITY_SEVERITY)
    assert set(CODEQUALITY_SEVERITY.values()) <= set(CODEQUALITY_SEVERITIES)


def _fingerprints(ref: str, cand: str, findings: tuple[tuple[str, str, str, str], ...]) -> dict[str, str]:
    d = make_diagnosis(ref, cand, findings)
    issues = json.loads(codequality([_outcome(d)]))  # type: ignore[arg-type]
    return {i["description"]: i["fingerprint"] for i in issues}


def test_fingerprints_are_stable_when_text_moves_and_unique_for_repeats() -> None:
    before = _fingerprints(REF, CAND, FINDINGS)
    assert before == _fingerprints(REF, CAND, FINDINGS)  # not of the run
    moved = _fingerprints("Intro line.\n" + REF, "Intro line.\n" + CAND, FINDINGS)
    assert moved == before  # the lines moved, the findings did not change
    # the same damage twice: two issues, two fingerprints
    d = make_diagnosis("A x.\nA y.\n", "B x.\nB y.\n", (("major", "name_changed", "A", "B"),))
    f = d.findings[0]  # type: ignore[attr-defined]
    issues = json.loads(codequality([_outcome(replace(d, findings=(f, f)))]))  # type: ignore[type-var]
    assert len({i["fingerprint"] for i in issues}) == len(issues) == 2


def test_an_input_error_is_a_blocker_at_the_record_line() -> None:
    outcome = PairOutcome("line 3", error="line 3 is not valid JSON; fix it", line=3)
    (issue,) = json.loads(codequality([outcome], source="pairs.jsonl"))
    assert issue["check_name"] == "diag/input_error" and issue["severity"] == "blocker"
    assert issue["description"] == "[line 3] diag check could not read the pair: line 3 is not valid JSON; fix it"
    assert issue["location"] == {"path": "pairs.jsonl", "lines": {"begin": 3}}


@given(st.text(alphabet="ab\n\u00e9\U0001f600 ", max_size=40), st.data())
def test_span_lines_and_columns_point_at_the_offsets(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    s = Span.of(text, start, end, text[start:end])
    assert _at(text, {"line": s.start_line, "column": s.start_column}) == start
    assert _at(text, {"line": s.end_line, "column": s.end_column}) == end


# --- the summary ------------------------------------------------------------------------------------


def test_summary_escapes_input_text() -> None:
    d = make_diagnosis("Pipe|Co sold 5.\n", "@Pipe|Co sold 6.\n", (("critical", "value_changed", "5", "6"),))
    md = summary([_outcome(d, name="a|b @c.txt")], "flags")  # type: ignore[arg-type]
    assert "Candidate `a\\|b @c.txt`" in md
    assert "@\u200bPipe\\|Co" in md and "@Pipe|Co" not in md


def test_summary_of_a_passing_gate_and_report_only(demo_diagnosis: Diagnosis) -> None:
    passing = summary([_outcome(demo_diagnosis, GateConfig(max_critical=1))], "flags")
    assert passing.startswith("## diag check: ✅ passed\n") and "**Not met:**" not in passing
    failing = summary([_outcome(demo_diagnosis)], "flags", report_only=True)
    assert failing.startswith("## diag check: ❌ failed (report only: not failing)\n")


# --- the command line -------------------------------------------------------------------------------


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("demo_reference.txt", "demo_candidate.txt"):
        shutil.copyfile(DATA / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


PAIR = ["demo_reference.txt", "demo_candidate.txt"]


def test_cli_writes_codequality_and_summary(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys, ["check", *PAIR, "--max-critical", "0", "--codequality", "gl.json", "--summary", "s.md"]
    )
    assert (code, err) == (1, "")
    assert out.endswith("diag check: failed: 1 pairs, 0 passed, 1 failed, 0 errors; thresholds from flags\n")
    issues = json.loads((work / "gl.json").read_text(encoding="utf-8"))
    texts = {name: (work / name).read_text(encoding="utf-8") for name in PAIR}
    assert shape_problems(issues, texts) == []
    assert issues[0]["description"] == "diag gate failed: max_critical: 1 critical finding, more than the maximum 0"
    assert issues[0]["location"] == {"path": "demo_candidate.txt", "lines": {"begin": 1}}
    critical = next(i for i in issues if i["severity"] == "critical")
    cand = texts["demo_candidate.txt"]
    pos = critical["location"]["positions"]
    assert cand[_at(cand, pos["begin"]) : _at(cand, pos["end"])] == "$2.4 million"
    md = (work / "s.md").read_text(encoding="utf-8")
    assert md.startswith("## diag check: ❌ failed\n\nCandidate `demo_candidate.txt` · thresholds from flags\n")
    assert "| `max_critical` | 0 | 1 | ❌ fail |" in md
    assert "| 🔴 critical | `number/magnitude_changed`" in md


def test_cli_absolute_paths_inside_the_working_directory_are_repository_relative(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run_cli(capsys, ["check", *(str(work / p) for p in PAIR), "--max-critical", "5", "--codequality", "gl.json"])
    assert code == 0
    issues = json.loads((work / "gl.json").read_text(encoding="utf-8"))
    assert {i["location"]["path"] for i in issues} <= {"demo_candidate.txt", "demo_reference.txt"}


def test_cli_candidate_on_stdin(work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    cand = (work / "demo_candidate.txt").read_text(encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(cand.encode("utf-8")), encoding="utf-8"))
    code, _, _ = run_cli(capsys, ["check", "demo_reference.txt", "-", "--max-critical", "0", "--codequality", "gl.json"])
    assert code == 1
    issues = json.loads((work / "gl.json").read_text(encoding="utf-8"))
    assert shape_problems(issues, {}) == []
    assert issues[0]["location"] == {"path": "stdin", "lines": {"begin": 1}}  # the gate: no file to point at
    assert {i["location"]["path"] for i in issues[1:]} == {"demo_reference.txt"}  # findings: where the reference has them


@pytest.mark.parametrize("flag", ["--codequality", "--summary"])
def test_cli_unwritable_output_is_one_line_exit_3(work: Path, capsys: pytest.CaptureFixture[str], flag: str) -> None:
    code, _, err = run_cli(capsys, ["check", *PAIR, "--max-critical", "5", flag, "nope/out"])
    assert (code, err) == (3, "diag: nope/out: folder nope does not exist; create it or choose another path\n")
    (work / "dir").mkdir()
    code, _, err = run_cli(capsys, ["check", *PAIR, "--max-critical", "5", flag, "dir"])
    assert (code, err) == (3, "diag: dir: is a directory; choose a file name\n")
    code, _, err = run_cli(capsys, ["check", *PAIR, "--max-critical", "5", flag, "demo_candidate.txt"])
    assert (code, err) == (
        3,
        "diag: demo_candidate.txt: is an input file; choose another --output so the input is not overwritten\n",
    )


def test_cli_batch(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ref = (DATA / "demo_reference.txt").read_text(encoding="utf-8")
    cand = (DATA / "demo_candidate.txt").read_text(encoding="utf-8")
    records = [
        json.dumps({"id": "same", "reference": ref, "candidate": ref}),
        json.dumps({"id": "demo", "reference": ref, "candidate": cand}),
        '{"id": "broken", "reference": "unterminated',
        json.dumps({"id": "files", "reference_path": "demo_reference.txt", "candidate_path": "demo_candidate.txt"}),
    ]
    (work / "pairs.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    args = ["check", "--batch", "pairs.jsonl", "--jobs", "1", "--max-critical", "0"]
    code, out, _ = run_cli(capsys, [*args, "--codequality", "gl.json", "--summary", "s.md"])
    assert code == 3
    assert out.endswith("diag check: failed: 4 pairs, 1 passed, 2 failed, 1 errors; thresholds from flags\n")
    issues = json.loads((work / "gl.json").read_text(encoding="utf-8"))
    jsonl = (work / "pairs.jsonl").read_text(encoding="utf-8")
    assert shape_problems(issues, {"demo_candidate.txt": cand, "pairs.jsonl": jsonl}) == []
    paths = {i["location"]["path"] for i in issues}
    assert paths <= {"pairs.jsonl", "demo_candidate.txt", "demo_reference.txt"} and "demo_candidate.txt" in paths
    error = next(i for i in issues if i["check_name"] == "diag/input_error")
    assert error["location"] == {"path": "pairs.jsonl", "lines": {"begin": 3}}
    gates = [i for i in issues if i["check_name"] == "diag/gate/max_critical"]
    assert [g["location"] for g in gates] == [
        {"path": "pairs.jsonl", "lines": {"begin": 2}},
        {"path": "demo_candidate.txt", "lines": {"begin": 1}},
    ]
    at_demo = [i for i in issues if i["location"] == {"path": "pairs.jsonl", "lines": {"begin": 2}}]
    assert len(at_demo) > 1 and all(i["description"].startswith("[demo] ") for i in at_demo)  # inline: named
    md = (work / "s.md").read_text(encoding="utf-8")
    assert md.startswith(
        "## diag check: ❌ failed\n\n4 pairs: 1 passed, 2 failed, 1 unreadable · thresholds from flags\n"
    )
    assert "| `max_critical` | 0 | 0 – 1 | ❌ 2 of 3 |" in md
    assert "### Failed pairs (2)" in md and "### Unreadable pairs (1)" in md and "#### demo" in md
    # the same run again: the same fingerprints
    run_cli(capsys, [*args, "--codequality", "gl2.json"])
    again = json.loads((work / "gl2.json").read_text(encoding="utf-8"))
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]


def test_help_names_the_new_outputs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, ["check", "--help"])
    assert code == 0
    flat = " ".join(out.split())
    assert "--codequality FILE write a GitLab Code Quality report (artifacts: reports: codequality: FILE)" in flat
    assert "--summary FILE write the gate's result as Markdown" in flat
