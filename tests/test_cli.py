"""The CLI in-process: exact messages and exit codes for report, demo and batch."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from diag.cli import build_parser
from tests.clirun import run_cli

REF = "Orvane Systems said on Monday it would cut 1,200 jobs.\nChief executive Mara Lindqvist blamed weak demand.\n"
CAND = "Orvane Systems said Monday it will cut 12,000 jobs.\nCEO Mara Lindkvist blamed the weak demand.\n"


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    ref = tmp_path / "ref.txt"
    cand = tmp_path / "cand.txt"
    ref.write_text(REF, encoding="utf-8")
    cand.write_text(CAND, encoding="utf-8")
    return ref, cand


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_cli(capsys, list(argv))


def test_report_json_on_stdout(capsys: pytest.CaptureFixture[str], pair: tuple[Path, Path]) -> None:
    code, out, err = run(capsys, "report", str(pair[0]), str(pair[1]), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["reference"]["path"] == str(pair[0])
    assert report["metrics"]["chrf"]["score"] > 0


def test_report_terminal(capsys: pytest.CaptureFixture[str], pair: tuple[Path, Path]) -> None:
    code, out, _ = run(capsys, "report", str(pair[0]), str(pair[1]), "--width", "100")
    assert code == 0
    assert "Metrics (sacrebleu" in out and "nrefs:1|case:mixed" in out


def test_report_output_file_is_written(capsys: pytest.CaptureFixture[str], pair: tuple[Path, Path], tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, _ = run(capsys, "report", str(pair[0]), str(pair[1]), "--format", "json", "--output", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "diag.report/1"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")], "no temporary file left behind"


def test_report_stdin(capsys: pytest.CaptureFixture[str], pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CAND.encode("utf-8"))))
    code, out, err = run(capsys, "report", str(pair[0]), "-", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["candidate"]["path"] == "<stdin>"


def test_save_writes_every_format(capsys: pytest.CaptureFixture[str], pair: tuple[Path, Path], tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    code, _, err = run(capsys, "report", str(pair[0]), str(pair[1]), "--format", "json", "--save", str(folder))
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == ["cand.html", "cand.json", "cand.md", "cand.txt"]
    assert err == f"saved cand.{{txt,json,md,html}} in {folder}/\n"


def test_demo(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "demo", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["reference"]["path"] == "demo/reference.txt"
    assert report["reference"]["set_aside"], "the demo's caption and related-article tail are set aside"
    severe = [f for f in report["findings"] if f["severity"] in ("critical", "major")]
    assert {f["category"] for f in severe} >= {"named_entity", "number"}


@pytest.mark.parametrize(
    "make,expected",
    [
        (lambda d: d / "missing.txt", "diag: {p}: no such file; check the path\n"),
        (lambda d: d, "diag: {p}: is a directory; pass a file\n"),
        (lambda d: _write(d / "empty.txt", b""), "diag: {p}: is empty; pass a file with text in it\n"),
        (lambda d: _write(d / "blank.txt", b"  \n\t\n"), "diag: {p}: is empty (only whitespace); pass a file with text in it\n"),
        (
            lambda d: _write(d / "bin.dat", b"PK\x03\x04\x00\x00binary"),
            "diag: {p}: looks like a binary file (NUL bytes at offset 4), not text; pass a text file\n",
        ),
        (
            lambda d: _write(d / "dots.txt", b"...\n---\n"),
            "diag: {p}: has no words to compare; pass a file with text in it\n",
        ),
    ],
    ids=["missing", "directory", "empty", "whitespace", "binary", "no-words"],
)
def test_input_errors(capsys: pytest.CaptureFixture[str], pair: tuple[Path, Path], tmp_path: Path, make, expected: str) -> None:
    bad = make(tmp_path)
    code, out, err = run(capsys, "report", str(pair[0]), str(bad))
    assert (code, out) == (3, "")
    assert err == expected.format(p=bad)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_unreadable_file(capsys: pytest.CaptureFixture[str], pair: tuple[Path, Path]) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file; permission errors cannot be produced")
    pair[1].chmod(0)
    code, _, err = run(capsys, "report", str(pair[0]), str(pair[1]))
    assert code == 3
    assert err == f"diag: {pair[1]}: permission denied; check the file's permissions\n"


def test_both_stdin_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "report", "-", "-")
    assert code == 2
    assert err == "diag: only one of REFERENCE and CANDIDATE can be '-' (stdin)\n"


def test_output_over_an_input_is_refused(capsys: pytest.CaptureFixture[str], pair: tuple[Path, Path]) -> None:
    code, _, err = run(capsys, "report", str(pair[0]), str(pair[1]), "--output", str(pair[1]))
    assert code == 3
    assert err == f"diag: {pair[1]}: is an input file; choose another --output so the input is not overwritten\n"
    assert pair[1].read_text(encoding="utf-8") == CAND


@pytest.mark.parametrize(
    "argv,fragment",
    [
        (["report", "only-one.txt"], "the following arguments are required: CANDIDATE"),
        (["report", "a", "b", "--format", "pdf"], "argument --format: unknown format 'pdf'; use one of terminal, json, markdown, html, txt, text, md"),
        (["batch", "in.jsonl"], "the following arguments are required: -o/--output"),
        (["batch", "in.jsonl", "-o", "x", "--jobs", "0"], "argument --jobs/-j: expected a number of at least 1, got 0"),
        (["report", "a", "b", "--max-bytes", "lots"], "argument --max-bytes: expected a size such as"),
        (["frobnicate"], "argument COMMAND: invalid choice: 'frobnicate'"),
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert fragment in err and err.startswith("usage: diag")


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys)
    assert code == 2 and "usage: diag" in err


def test_every_option_has_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    parsers = [parser, *sub.choices.values()]  # type: ignore[attr-defined]
    for p in parsers:
        for action in p._actions:
            if action.dest in ("help",):
                continue
            assert action.help, f"{p.prog}: option {action.option_strings or action.dest} has no help"


def _records(tmp_path: Path) -> Path:
    lines = [
        json.dumps({"id": "a", "reference": REF, "candidate": CAND}),
        "{not json",
        json.dumps({"id": "b", "reference": REF}),
        json.dumps({"id": "a", "reference": REF, "candidate": CAND}),
        json.dumps({"id": "c", "reference_path": "ref.txt", "candidate_path": "cand.txt"}),
    ]
    (tmp_path / "ref.txt").write_text(REF, encoding="utf-8")
    (tmp_path / "cand.txt").write_text(CAND, encoding="utf-8")
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_goes_on_after_bad_records(capsys: pytest.CaptureFixture[str], tmp_path: Path, jobs: str) -> None:
    src = _records(tmp_path)
    out = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "batch", str(src), "--output", str(out), "--jobs", jobs)
    assert code == 0  # every record has its line; --strict exits 3 (test_batch_strict_fails_on_a_bad_record)
    assert f"\ndiag batch: 5 records, 3 failed; reports in {out}\n" in err
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r.get("id") for r in rows] == ["a", None, "b", "a", "c"]
    assert rows[0]["schema"] == "diag.report/1" and rows[4]["schema"] == "diag.report/1"
    assert rows[1]["error"].startswith("line 2 is not valid JSON")
    assert rows[2]["error"] == 'record "b" has no "candidate" text or "candidate_path"; give one of them'
    assert rows[3]["error"] == 'line 4 repeats id "a"; ids must be unique'


def test_batch_strict_fails_on_a_bad_record(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "batch", str(_records(tmp_path)), "--output", str(out), "--jobs", "1", "--strict")
    assert code == 3
    assert f"\ndiag batch: 5 records, 3 failed; reports in {out}\n" in err


def test_batch_missing_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "batch", str(tmp_path / "nope.jsonl"), "--output", str(tmp_path / "o.jsonl"))
    assert code == 3
    assert err == f"diag: {tmp_path / 'nope.jsonl'}: no such file; check the path\n"
    assert not (tmp_path / "o.jsonl").exists()


def test_an_internal_error_is_one_line_and_exit_4(
    capsys: pytest.CaptureFixture[str], pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import diag.pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(diag.pipeline, "diagnose", broken)
    code, out, err = run(capsys, "report", str(pair[0]), str(pair[1]))
    assert (code, out) == (4, "")
    assert err == (
        "diag: internal error (RuntimeError: boom); please report it with the inputs "
        "(run with --verbose for the traceback)\n"
    )


def test_public_api_is_listed() -> None:
    import diag

    assert set(diag.__all__) == {"__version__", *diag._LAZY}
    for name in diag.__all__:
        assert getattr(diag, name) is not None
