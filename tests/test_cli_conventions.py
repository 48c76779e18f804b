"""CLI conventions shared by every subcommand: -v anywhere, one -o/--output, the format from
the file name, batch -o -, the corpus summary, a quiet broken pipe, the renderer registry."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from diag.cli import build_parser
from tests.clirun import run_cli
from diag.render import RENDERERS, format_names, get_renderer, renderer_for_path
from diag.summary import CorpusSummary, FailedRecord

ROOT = Path(__file__).parents[1]
REF = "Orvane Systems said on Monday it would cut 1,200 jobs.\nChief executive Mara Lindqvist blamed weak demand.\n"
CAND = "Orvane Systems said Monday it will cut 12,000 jobs.\nCEO Mara Lindkvist blamed the weak demand.\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_cli(capsys, list(argv))


@pytest.fixture
def pair(tmp_path: Path) -> tuple[str, str]:
    (tmp_path / "ref.txt").write_text(REF, encoding="utf-8")
    (tmp_path / "cand.txt").write_text(CAND, encoding="utf-8")
    return str(tmp_path / "ref.txt"), str(tmp_path / "cand.txt")


@pytest.mark.parametrize(
    "argv",
    [
        ["-v", "demo"],
        ["demo", "-v"],
        ["demo", "--verbose", "--format", "json"],
        ["report", "a", "b", "-v"],
        ["batch", "in.jsonl", "-o", "-", "-v"],
        ["check", "a", "b", "--verbose"],
    ],
)
def test_verbose_before_or_after_the_subcommand(argv: list[str]) -> None:
    assert build_parser().parse_args(argv).verbose is True


@pytest.mark.parametrize("argv", [["demo"], ["report", "a", "b"], ["batch", "in.jsonl", "-o", "x"]])
def test_not_verbose_by_default(argv: list[str]) -> None:
    assert build_parser().parse_args(argv).verbose is False


def test_every_subcommand_spells_output_the_same() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices  # type: ignore[attr-defined]
    for name, p in sub.items():
        strings = {s for a in p._actions for s in a.option_strings}
        assert {"-o", "--output"} <= strings, name
        assert {"-v", "--verbose"} <= strings, name
        assert not strings & {"--report", "--save-as", "--out"}, name


@pytest.mark.parametrize(
    "suffix,start",
    [(".json", '{\n  "schema": "diag.report/1"'), (".md", "## diag report"), (".html", "<!DOCTYPE html>"), (".txt", "╭─ diag")],
)
def test_the_format_comes_from_the_suffix(
    capsys: pytest.CaptureFixture[str], pair: tuple[str, str], tmp_path: Path, suffix: str, start: str
) -> None:
    out = tmp_path / f"r{suffix}"
    assert run(capsys, "report", *pair, "-o", str(out)) == (0, "", "")
    assert out.read_text(encoding="utf-8").startswith(start)


def test_check_writes_its_report_by_suffix_too(capsys: pytest.CaptureFixture[str], pair: tuple[str, str], tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    code, _, err = run(capsys, "check", *pair, "--min-chrf", "1", "-o", str(out))
    assert (code, err) == (0, "")
    assert out.read_text(encoding="utf-8").startswith("## diag report")


def test_format_wins_over_the_suffix(capsys: pytest.CaptureFixture[str], pair: tuple[str, str], tmp_path: Path) -> None:
    out = tmp_path / "report.out"
    assert run(capsys, "report", *pair, "-o", str(out), "--format", "md") == (0, "", "")
    assert out.read_text(encoding="utf-8").startswith("## diag report")


@pytest.mark.parametrize("name,canonical", [("md", "markdown"), ("MD", "markdown"), ("txt", "terminal"), ("html", "html")])
def test_format_aliases(name: str, canonical: str) -> None:
    assert build_parser().parse_args(["demo", "--format", name]).format == canonical


def test_an_unknown_suffix_is_a_usage_error(capsys: pytest.CaptureFixture[str], pair: tuple[str, str], tmp_path: Path) -> None:
    assert run(capsys, "report", *pair, "-o", str(tmp_path / "r.pdf")) == (
        2,
        "",
        f"diag: -o {tmp_path / 'r.pdf'}: unknown suffix '.pdf'; use .txt, .json, .md, .html, or give --format\n",
    )
    assert not (tmp_path / "r.pdf").exists()


def test_registry_is_the_single_list() -> None:
    assert [r.name for r in RENDERERS] == ["terminal", "json", "markdown", "html"]
    assert format_names() == ("terminal", "json", "markdown", "html", "txt", "text", "md")
    assert get_renderer("md") is RENDERERS[2]
    assert renderer_for_path("x/Report.HTM").name == "html"
    choices_help = next(a for a in build_parser()._subparsers._group_actions[0].choices["report"]._actions if a.dest == "format").help  # type: ignore[union-attr]
    assert all(r.name in (choices_help or "") for r in RENDERERS)


def test_save_writes_one_file_per_registered_format(capsys: pytest.CaptureFixture[str], pair: tuple[str, str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "report", *pair, "--format", "json", "--save", str(tmp_path / "s"))
    assert (code, err) == (0, f"saved cand.{{txt,json,md,html}} in {tmp_path / 's'}/\n")
    assert sorted(p.suffix for p in (tmp_path / "s").iterdir()) == sorted(r.suffix for r in RENDERERS)


# --- batch ----------------------------------------------------------------------------------


def _batch(tmp_path: Path) -> Path:
    lines = [
        json.dumps({"id": "same", "reference": REF, "candidate": REF}),
        "{not json",
        json.dumps({"id": "half", "reference": REF}),
        json.dumps({"id": "again", "reference": REF, "candidate": REF}),
        json.dumps({"id": "blank", "reference": REF, "candidate": "  \n"}),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src


def test_batch_names_failed_records_and_summarises_the_corpus(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = _batch(tmp_path)
    out = tmp_path / "out.jsonl"
    code, stdout, err = run(capsys, "batch", str(src), "-o", str(out), "-j", "1", "--strict")
    assert (code, stdout) == (3, "")
    assert err == (
        "diag batch: a record (line 2): is not valid JSON (Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)); write one JSON object per line\n"
        'diag batch: record "half" (line 3): has no "candidate" text or "candidate_path"; give one of them\n'
        'diag batch: record "blank" (line 5): candidate: is empty (only whitespace); pass a file with text in it\n'
        f"diag batch: 5 records, 3 failed; reports in {out}\n"
        "diag batch: corpus: 2 reports; relations: copy 2\n"
        "diag batch: corpus: median BLEU 100.0, chrF 100.0, chrF++ 100.0, TER 0.0\n"
        "diag batch: corpus: findings 0 critical, 0 major, 0 minor\n"
    )


def test_batch_dash_is_stdout(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, err = run(capsys, "batch", str(_batch(tmp_path)), "-o", "-", "-j", "1")
    assert code == 0  # every record has its line (failed ones as errors); --strict would exit 3
    rows = [json.loads(line) for line in stdout.splitlines()]
    assert [r.get("id") for r in rows] == ["same", None, "half", "again", "blank"]
    assert "diag batch: 5 records, 3 failed; reports in <stdout>\n" in err
    assert not (tmp_path / "-").exists()


def test_corpus_summary_from_reports() -> None:
    summary = CorpusSummary()
    for report in (
        {"verdict": {"relation": "translation"}, "metrics": {"bleu": {"score": 10.0}}, "findings": [{"severity": "major"}]},
        {"verdict": {"relation": "copy"}, "metrics": {"bleu": {"score": 30.0}}, "findings": []},
        {"verdict": {"relation": "translation"}, "metrics": {"bleu": {"score": 40.0}}, "findings": [{"severity": "minor"}]},
        {"id": 7, "error": "broken\nacross lines", "line": 9},
    ):
        summary.add(report)
    assert summary.failed == [FailedRecord("7", 9, "broken\nacross lines")]
    assert summary.failed[0].message() == 'record "7" (line 9): broken across lines'
    assert summary.lines() == [
        "corpus: 3 reports; relations: translation 2, copy 1",
        "corpus: median BLEU 30.0",
        "corpus: findings 0 critical, 1 major, 1 minor",
    ]


# --- a closed pipe ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["terminal", "json"])
def test_a_broken_pipe_exits_quietly_with_0(fmt: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "diag", "demo", "--format", fmt, "--width", "80"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first write, as after `| head -1`
    err = proc.stderr.read()
    assert (proc.wait(), err) == (0, b"")
