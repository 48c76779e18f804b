"""``diag check``: the CI gate's exit codes, messages, configuration and JUnit/SARIF/GitHub outputs.

Most tests replace the analysis with a hand-built diagnosis (``fake_pipeline``) so that
they test the gate and its outputs, not the moving analysis; one runs the real pipeline.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DEMO_FINDINGS, eval_path, make_diagnosis

from diag.ci_formats import escape_data, escape_property, position
from diag.cli import build_parser
from tests.clirun import run_cli

SCHEMAS = Path(__file__).parent / "schemas"
DATA = Path(__file__).parents[1] / "diag" / "data"
KNOWN = (
    "known keys: min_bleu, min_chrf, max_ter, max_critical, max_major, max_minor, max_mqm_per_1000, "
    "forbid_relations, max_machine_probability, max_accuracy_major, max_regression_bleu, max_regression_chrf, "
    "max_regression_chrf_pp, max_regression_ter, max_new_critical, max_new_major, alpha"
)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    return run_cli(capsys, args)


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """diagnose() -> a hand-built diagnosis with the demo findings present in the texts."""
    import diag.pipeline

    def fake(reference: object, candidate: object, **kwargs: object) -> object:
        ref, cand = reference.text, candidate.text  # type: ignore[attr-defined]
        found = tuple(f for f in DEMO_FINDINGS if f[2] in ref and (not f[3] or f[3] in cand))
        paths = (reference.path, candidate.path)  # type: ignore[attr-defined]
        return make_diagnosis(ref, cand, found, paths=paths, id=kwargs.get("id"))  # type: ignore[arg-type]

    monkeypatch.setattr(diag.pipeline, "diagnose", fake)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (the working directory) with the demo texts and no pyproject.toml."""
    for name in ("demo_reference.txt", "demo_candidate.txt"):
        shutil.copyfile(DATA / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


PAIR = ["demo_reference.txt", "demo_candidate.txt"]


# --- exit codes and messages ------------------------------------------------------------------


@pytest.mark.usefixtures("fake_pipeline")
def test_pass_exits_0(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["check", *PAIR, "--max-critical", "1", "--min-chrf", "50"], capsys)
    assert (code, err) == (0, "")
    assert out == (
        "PASS demo_candidate.txt\n"
        "  ok   min_chrf: chrF 73.13 is at least 50\n"
        "  ok   max_critical: 1 critical finding, at most 1\n"
        "diag check: passed: 1 pairs, 1 passed, 0 failed, 0 errors; thresholds from flags\n"
    )


@pytest.mark.usefixtures("fake_pipeline")
def test_failed_gate_exits_1(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", *PAIR, "--max-critical", "0", "--max-major", "3"], capsys)
    assert code == 1
    assert (
        "FAIL demo_candidate.txt\n  FAIL max_critical: 1 critical finding, more than the maximum 0\n" in out
    )
    assert "  ok   max_major: 3 major findings, at most 3\n" in out
    assert out.endswith("diag check: failed: 1 pairs, 0 passed, 1 failed, 0 errors; thresholds from flags\n")


@pytest.mark.usefixtures("fake_pipeline")
def test_report_only_never_fails(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", *PAIR, "--max-critical", "0", "--report-only"], capsys)
    assert code == 0
    assert "diag check: failed (report only: not failing): 1 pairs, 0 passed, 1 failed" in out


@pytest.mark.usefixtures("fake_pipeline")
def test_thresholds_from_the_nearest_pyproject(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (work / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.diag.gate]\nmax_major = 1\n', encoding="utf-8"
    )
    sub = work / "docs" / "deep"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    ref, cand = str(work / PAIR[0]), str(work / PAIR[1])
    code, out, _ = run(["check", ref, cand], capsys)
    assert code == 1
    assert "  FAIL max_major: 3 major findings, more than the maximum 1\n" in out
    assert out.endswith(f"thresholds from {work / 'pyproject.toml'} [tool.diag.gate]\n")
    # a flag overrides the file
    code, out, _ = run(["check", ref, cand, "--max-major", "5"], capsys)
    assert code == 0
    assert out.endswith(f"thresholds from {work / 'pyproject.toml'} [tool.diag.gate] + flags\n")


@pytest.mark.usefixtures("fake_pipeline")
def test_config_file(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "gate.toml").write_text('min_bleu = 40\nforbid_relations = ["copy"]\n', encoding="utf-8")
    code, out, _ = run(["check", *PAIR, "--config", "gate.toml"], capsys)
    assert code == 1  # the relation was not assessed, so it cannot be cleared
    assert "  ok   min_bleu: BLEU 45.37 is at least 40\n" in out
    assert (
        "  FAIL forbid_relations: the relation was not assessed, so it cannot be shown not to be copy\n"
        in out
    )


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        (
            {"pyproject.toml": "[tool.diag.gate]\nmin_bleux = 30\n"},
            [],
            "diag: {work}/pyproject.toml [tool.diag.gate]: unknown key 'min_bleux'; " + KNOWN + "\n",
        ),
        (
            {"pyproject.toml": '[tool.diag.gate]\nmax_critical = "none"\n'},
            [],
            "diag: {work}/pyproject.toml [tool.diag.gate]: max_critical must be a whole number of at least 0, got 'none'\n",
        ),
        (
            {"pyproject.toml": '[project]\nname = "x"\n'},  # skipped: it has no [tool.diag.gate]
            [],
            (
                "diag: no configuration file: the gate has no thresholds; set at least one in "
                "[tool.diag.gate] of pyproject.toml, in a --config file, or with a flag such as --min-chrf 50\n"
            ),
        ),
        (
            {},
            [],
            (
                "diag: no configuration file: the gate has no thresholds; set at least one in [tool.diag.gate] of "
                "pyproject.toml, in a --config file, or with a flag such as --min-chrf 50\n"
            ),
        ),
        ({}, ["--min-bleu", "120"], "diag: --min-bleu: min_bleu must be a number from 0 to 100, got 120.0\n"),
        (
            {},
            ["--forbid-relations", "copy,clone"],
            (
                "diag: --forbid-relations: forbid_relations has unknown relation 'clone'; known relations: copy, "
                "translation, rewrite, independent\n"
            ),
        ),
        ({}, ["--config", "missing.toml"], "diag: --config missing.toml: no such file; check the path\n"),
        ({"gate.toml": "max_major = [\n"}, ["--config", "gate.toml"], None),
        (
            {},
            ["--max-major", "1", "-o", "out.pdf"],
            "diag: -o out.pdf: unknown suffix '.pdf'; use .txt, .json, .md, .html, or give --format\n",
        ),
    ],
)
def test_configuration_errors_exit_2(
    work: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    args: list[str],
    message: str | None,
) -> None:
    for name, text in files.items():
        (work / name).write_text(text, encoding="utf-8")
    code, out, err = run(["check", *PAIR, *args], capsys)
    assert code == 2
    assert out == ""
    if message is None:
        assert err.startswith("diag: gate.toml: invalid TOML (") and err.endswith(
            "; fix the file or pass another --config\n"
        )
    else:
        assert err == message.format(work=work)


def test_usage_errors_exit_2(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(["check", "--max-major", "1"], capsys)[2]
        == "diag: give REFERENCE and CANDIDATE, or --batch INPUT.jsonl\n"
    )
    code, _, err = run(["check", *PAIR, "--batch", "x.jsonl", "--max-major", "1"], capsys)
    assert (code, err) == (2, "diag: give either REFERENCE CANDIDATE or --batch INPUT.jsonl, not both\n")
    code, _, err = run(["check", *PAIR, "--min-bleu", "high"], capsys)
    assert code == 2 and err.endswith("diag check: error: argument --min-bleu: invalid float value: 'high'\n")


@pytest.mark.usefixtures("fake_pipeline")
def test_input_error_exits_3_and_is_reported(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["check", "demo_reference.txt", "nope.txt", "--max-major", "1", "--junit", "j.xml"], capsys
    )
    assert code == 3
    assert err.startswith("diag: nope.txt: ")
    assert out == "diag check: incomplete: 1 pairs, 0 passed, 0 failed, 1 errors; thresholds from flags\n"
    junit = (work / "j.xml").read_text(encoding="utf-8")
    assert 'errors="1"' in junit and '<error message="nope.txt: ' in junit


def test_every_check_option_has_help() -> None:
    parser = build_parser()
    check = parser._subparsers._group_actions[0].choices["check"]  # type: ignore[union-attr]
    for action in check._actions:
        assert action.help, f"diag check: {action.option_strings or action.dest} has no help"


# --- JUnit, SARIF, GitHub ---------------------------------------------------------------------


@pytest.mark.usefixtures("fake_pipeline")
def test_junit_is_valid_and_names_thresholds(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lxml import etree

    code, _, _ = run(
        [
            "check",
            *PAIR,
            "--max-critical",
            "0",
            "--min-chrf",
            "80",
            "--max-minor",
            "3",
            "--junit",
            "report.xml",
        ],
        capsys,
    )
    assert code == 1
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "junit-10.xsd")))
    doc = etree.parse(str(work / "report.xml"))
    schema.assertValid(doc)
    cases = doc.findall(".//testcase")
    assert [c.get("name") for c in cases] == ["demo_candidate.txt"]
    failure = cases[0].find("failure")
    assert failure is not None
    assert failure.get("message") == (
        "min_chrf: chrF 73.13 is below the minimum 80; max_critical: 1 critical finding, more than the maximum 0"
    )
    assert doc.getroot().find("testsuite").get("failures") == "1"
    assert cases[0].find("system-out").text.splitlines()[-2:] == [
        "Verdict not assessed",
        "1 critical, 3 major, 1 minor findings · MQM penalty 12.5 per 1000 words",
    ]


@pytest.mark.usefixtures("fake_pipeline")
def test_sarif_is_valid_with_character_regions(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    run(["check", *PAIR, "--max-critical", "5", "--sarif", "diag.sarif"], capsys)
    log = json.loads((work / "diag.sarif").read_text(encoding="utf-8"))
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    run_ = log["runs"][0]
    assert (
        run_["columnKind"] == "unicodeCodePoints"
        and "columns count characters" in run_["properties"]["columns"]
    )
    results = run_["results"]
    cand = (work / "demo_candidate.txt").read_text(encoding="utf-8")
    assert len(results) == 5  # one per finding
    assert {r["ruleId"] for r in results} >= {"number/magnitude_changed", "number/value_changed"}
    first = results[0]
    assert first["level"] == "error" and first["properties"]["severity"] == "critical"
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "demo_candidate.txt"
    region = loc["region"]
    start = region["charOffset"]
    assert cand[start : start + region["charLength"]] == "$2.4 million"
    line = cand.splitlines()[region["startLine"] - 1]
    assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == "$2.4 million"
    # the finding missing from the candidate is located at its place in the reference file
    missing = next(r for r in results if r["ruleId"] == "named_entity/omitted")
    loc = missing["locations"][0]["physicalLocation"]
    ref = (work / "demo_reference.txt").read_text(encoding="utf-8")
    assert loc["artifactLocation"]["uri"] == "demo_reference.txt" and missing["level"] == "warning"
    assert ref[loc["region"]["charOffset"] :].startswith("Related Article")


@pytest.mark.usefixtures("fake_pipeline")
def test_github_annotations(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", *PAIR, "--max-critical", "0", "--github"], capsys)
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("::")]
    cand = (work / "demo_candidate.txt").read_text(encoding="utf-8")
    line, col = position(cand, cand.find("$2.4 million"))
    assert lines.pop(0) == (
        "::error title=diag gate::diag check failed: 1 of 1 pairs failed the gate "
        "(max_critical: 1 critical finding, more than the maximum 0)"
    )
    assert lines[0] == (
        f"::error file=demo_candidate.txt,line={line},col={col},endLine={line},endColumn={col + 12},"
        'title=diag critical%3A number/magnitude_changed::"$2.4 billion" rendered as "$2.4 million"'
    )
    assert any(
        x.startswith("::error file=demo_candidate.txt,line=") and '"35%25" rendered as "53%25"' in x
        for x in lines
    )
    # the finding missing from the candidate: at its place in the reference file, as in SARIF
    ref = (work / "demo_reference.txt").read_text(encoding="utf-8")
    line, col = position(ref, ref.find("Related Article"))
    minor = [x for x in lines if "named_entity/omitted" in x]
    assert minor == [
        f"::warning file=demo_reference.txt,line={line},col={col},endLine={line},endColumn={col + 15},"
        'title=diag minor%3A named_entity/omitted::"Related Article" rendered as ""'
    ]


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


# --- batch ------------------------------------------------------------------------------------


def _records(path: Path) -> None:
    ref = (DATA / "demo_reference.txt").read_text(encoding="utf-8")
    cand = (DATA / "demo_candidate.txt").read_text(encoding="utf-8")
    lines = [
        json.dumps({"id": "good", "reference": ref, "candidate": ref}),
        json.dumps({"id": "demo", "reference": ref, "candidate": cand}),
        '{"id": "broken", "reference": "unterminated',
        json.dumps({"reference": ref, "candidate": cand}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.usefixtures("fake_pipeline")
def test_batch_check_with_bad_records_exits_3(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lxml import etree

    _records(work / "in.jsonl")
    code, out, err = run(
        [
            "check",
            "--batch",
            "in.jsonl",
            "--jobs",
            "1",
            "--max-critical",
            "0",
            "--junit",
            "j.xml",
            "--sarif",
            "s.sarif",
        ],
        capsys,
    )
    assert code == 3
    assert "FAIL demo\n  FAIL max_critical: 1 critical finding, more than the maximum 0\n" in out
    assert "PASS good" not in out  # a batch lists only what failed
    assert out.endswith("diag check: failed: 4 pairs, 1 passed, 1 failed, 2 errors; thresholds from flags\n")
    assert "diag: line 3: line 3 is not valid JSON (" in err
    assert 'diag: line 4: line 4 has no "id"; give every record a unique id\n' in err
    doc = etree.parse(str(work / "j.xml"))
    etree.XMLSchema(etree.parse(str(SCHEMAS / "junit-10.xsd"))).assertValid(doc)
    assert [c.get("name") for c in doc.findall(".//testcase")] == ["good", "demo", "line 3", "line 4"]
    sarif = json.loads((work / "s.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert sum(1 for r in results if r["properties"]["record"] == "demo") == 5
    assert {r["properties"]["record"] for r in results} <= {"good", "demo"}
    # inline texts: located at the record's line of the batch input
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {"in.jsonl"}
    line = {"good": 1, "demo": 2}
    assert all(r["locations"][0]["physicalLocation"]["region"] == {"startLine": line[r["properties"]["record"]]} for r in results)


@pytest.mark.usefixtures("fake_pipeline")
def test_batch_check_failing_gate_exits_1(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _records(work / "in.jsonl")
    lines = (work / "in.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    (work / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run(
        ["check", "--batch", "in.jsonl", "--jobs", "1", "--max-critical", "0", "--github"], capsys
    )
    assert code == 1
    # inline texts: at the record's line of the batch input, named
    assert "::error file=in.jsonl,line=2,title=diag critical%3A number/magnitude_changed::[demo] " in out


# --- the real pipeline ------------------------------------------------------------------------


def test_real_pipeline_end_to_end(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["check", *PAIR, "--min-chrf", "1", "--sarif", "s.sarif", "-o", "r.html"], capsys
    )
    assert (code, err) == (0, ""), err
    assert out.startswith("PASS demo_candidate.txt\n  ok   min_chrf: chrF ")
    assert (work / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.slow
def test_batch_over_dev_documents_with_a_broken_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = eval_path("mt_detection_docs.jsonl")
    lines = source.read_text(encoding="utf-8").splitlines()
    lines.insert(3, '{"id": "broken", "reference": "unterminated')
    data = tmp_path / "docs.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out_path = tmp_path / "out.jsonl"
    code, _, err = run(["batch", str(data), "--output", str(out_path), "--strict"], capsys)
    assert code == 3
    records = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(lines)
    assert records[3] == {"id": None, "error": records[3]["error"], "line": 4}
    assert records[3]["error"].startswith("line 4 is not valid JSON")
    failed = [r for r in records if "error" in r]
    assert f"diag batch: {len(lines)} records, {len(failed)} failed" in err
    # Other records must not fail; the analysis modules are young, so a rare internal error
    # (reported in the record, the run going on) is tolerated here rather than hidden.
    crashed = [r for r in failed if r is not records[3]]
    assert all(r["error"].startswith("internal error (") for r in crashed)
    assert len(crashed) <= len(lines) // 50, [r["error"] for r in crashed[:3]]


# --- configuration discovery, as ruff and pytest do it ------------------------------------------


@pytest.mark.usefixtures("fake_pipeline")
def test_a_nested_pyproject_without_the_table_does_not_shadow_the_gate(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (work / "pyproject.toml").write_text("[tool.diag.gate]\nmax_major = 1\n", encoding="utf-8")
    nested = work / "tools" / "sub"
    nested.mkdir(parents=True)
    (nested / "pyproject.toml").write_text('[project]\nname = "sub"\n\n[tool.ruff]\nline-length = 99\n', encoding="utf-8")
    monkeypatch.chdir(nested)
    code, out, _ = run(["check", str(work / PAIR[0]), str(work / PAIR[1])], capsys)
    assert code == 1
    assert out.endswith(f"thresholds from {work / 'pyproject.toml'} [tool.diag.gate]\n")


@pytest.mark.usefixtures("fake_pipeline")
@pytest.mark.parametrize(
    "where,args",
    [("pyproject.toml", ["--max-major", "1"]), ("pyproject.toml", []), ("gate.toml", ["--config", "gate.toml"])],
)
def test_an_unknown_diag_table_is_a_configuration_error(
    work: Path, capsys: pytest.CaptureFixture[str], where: str, args: list[str]
) -> None:
    (work / where).write_text("[tool.diag.gates]\nmax_major = 1\n", encoding="utf-8")
    code, out, err = run(["check", *PAIR, *args], capsys)
    source = where if args[:1] == ["--config"] else str(work / where)
    assert (code, out, err) == (
        2,
        "",
        f"diag: {source}: unknown table [tool.diag.gates]; known: [tool.diag.gate]\n",
    )


@pytest.mark.usefixtures("fake_pipeline")
def test_an_unknown_table_stops_the_search(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (work / "pyproject.toml").write_text("[tool.diag.gate]\nmax_major = 1\n", encoding="utf-8")
    nested = work / "sub"
    nested.mkdir()
    (nested / "pyproject.toml").write_text("[tool.diag.gatee]\nmax_major = 9\n", encoding="utf-8")
    monkeypatch.chdir(nested)
    code, _, err = run(["check", str(work / PAIR[0]), str(work / PAIR[1])], capsys)
    assert (code, err) == (2, f"diag: {nested / 'pyproject.toml'}: unknown table [tool.diag.gatee]; known: [tool.diag.gate]\n")
