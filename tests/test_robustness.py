"""Hostile and broken inputs, safe writes, and untrusted text in the HTML report.

Every input either gives a correct report or one line on stderr that names the file and
the fix, with exit code 3; never a traceback. The CLI runs in-process (exact stderr and
exit code) except where a real process is the point: a kill during a write, and the
time and peak memory of the big inputs (marked ``slow``).
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.clirun import run_cli

ROOT = Path(__file__).resolve().parents[1]
REF = "Orvane Systems said on Monday it would cut 1,200 jobs.\nChief executive Mara Lindqvist blamed weak demand.\n"
CAND = "Orvane Systems said Monday it will cut 12,000 jobs.\nCEO Mara Lindkvist blamed the weak demand.\n"
# A sentence of every kind of character cp1252 has and latin-1 lacks, or the reverse.
ACCENTED = "Café “Orvane” said on Monday – naïve – it would cut 1,200 jobs.\nChief executive Mara Lindqvist blamed weak demand.\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code, out, err = run_cli(capsys, list(argv))
    assert "Traceback" not in err
    return code, out, err


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.fixture
def ref(tmp_path: Path) -> Path:
    return write(tmp_path / "ref.txt", REF)


def report_json(capsys: pytest.CaptureFixture[str], reference: Path, candidate: Path, *more: str) -> dict:
    code, out, err = run(capsys, "report", str(reference), str(candidate), "--format", "json", *more)
    assert (code, err) == (0, ""), err
    return json.loads(out)


def check_spans(side: dict, text: str) -> None:
    """Every sentence and set-aside span of a report side indexes the decoded text."""
    assert side["length"] == len(text)
    for s in side["sentences"]:
        piece = text[s["start"] : s["end"]]
        assert piece and piece == piece.strip()


# ------------------------------------------------------------------------------------------------
# one input of a pair: a one-line error and exit 3
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "{p}: is empty; pass a file with text in it"),
        ("blank.txt", b" \n\t\r\n   ", "{p}: is empty (only whitespace); pass a file with text in it"),
        ("blank16.txt", b"\xff\xfe" + " \n\u3000\n".encode("utf-16-le"), "{p}: is empty (only whitespace); pass a file with text in it"),
        (
            "image.png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
            "{p}: looks like a binary file (NUL bytes at offset 8), not text; pass a text file",
        ),
        (
            "nul-late.txt",
            b"Orvane Systems said on Monday.\n\x00\x00\x00\x01",
            "{p}: looks like a binary file (NUL bytes at offset 31), not text; pass a text file",
        ),
        (
            "bom-utf16-broken.txt",
            b"\xff\xfe" + "Orvane".encode("utf-16-le") + b"\x00\xdc",
            (
                "{p}: starts with a UTF-16-LE byte-order mark but is not valid UTF-16-LE "
                "(illegal encoding at offset 14); re-save it as UTF-8"
            ),
        ),
        ("dots.txt", b"... --- ***\n", "{p}: has no words to compare; pass a file with text in it"),
        (
            "furniture.txt",
            b"Photo: Reuters\n1,234 views\nShare this article\nAdvertisement\n",
            "{p}: every line was set aside as page furniture; pass --keep-all to compare it anyway",
        ),
    ],
    ids=["empty", "whitespace", "whitespace-utf16", "binary", "binary-late-nul", "bad-utf16", "no-words", "furniture"],
)
def test_unusable_candidate_is_one_line_and_exit_3(
    capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    bad = write(tmp_path / name, data)
    code, out, err = run(capsys, "report", str(ref), str(bad))
    assert (code, out, err) == (3, "", "diag: " + message.format(p=bad) + "\n")
    # the same input as the reference is refused the same way
    code, out, err = run(capsys, "report", str(bad), str(ref))
    assert (code, out, err) == (3, "", "diag: " + message.format(p=bad) + "\n")


def test_missing_path(capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such.txt"
    assert run(capsys, "report", str(ref), str(missing)) == (3, "", f"diag: {missing}: no such file; check the path\n")


def test_directory(capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path) -> None:
    assert run(capsys, "report", str(ref), str(tmp_path)) == (3, "", f"diag: {tmp_path}: is a directory; pass a file\n")


@pytest.mark.parametrize(
    "error,expected",
    [
        # Root reads every file, so the refusal is simulated at the open() ingest uses.
        (PermissionError(13, "Permission denied"), "permission denied; check the file's permissions"),
        # A failing disk or network file system (EIO) is one line too.
        (OSError(5, "Input/output error"), "cannot be read (Input/output error); check the file"),
    ],
    ids=["permission-denied", "read-error"],
)
def test_open_failures_simulated(
    capsys: pytest.CaptureFixture[str],
    ref: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: OSError,
    expected: str,
) -> None:
    from diag import ingest

    bad = write(tmp_path / "bad.txt", CAND)
    real_open = open

    def failing_open(file: object, *args: object, **kwargs: object) -> object:
        if str(file) == str(bad):
            raise type(error)(error.errno, error.strerror, str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(ingest, "open", failing_open, raising=False)
    assert run(capsys, "report", str(ref), str(bad)) == (3, "", f"diag: {bad}: {expected}\n")


def test_permission_denied_for_real(capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file; test_open_failures_simulated covers it")
    locked = write(tmp_path / "locked.txt", CAND)
    locked.chmod(0)
    expected = f"diag: {locked}: permission denied; check the file's permissions\n"
    assert run(capsys, "report", str(ref), str(locked)) == (3, "", expected)


def test_over_max_bytes(capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path) -> None:
    big = write(tmp_path / "big.txt", CAND * 40)  # 3.7 KB
    expected = f"diag: {big}: 3.7 KB exceeds --max-bytes (1 KB); raise --max-bytes or split the file\n"
    assert run(capsys, "report", str(ref), str(big), "--max-bytes", "1KB") == (3, "", expected)
    assert run(capsys, "report", str(ref), str(big), "--max-bytes", "4KB", "--format", "json")[0] == 0


def test_over_max_bytes_on_stdin(capsys: pytest.CaptureFixture[str], ref: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CAND.encode() * 40)))
    expected = "diag: <stdin>: more than --max-bytes (1 KB); raise --max-bytes or split the input\n"
    assert run(capsys, "report", str(ref), "-", "--max-bytes", "1KB") == (3, "", expected)


def test_default_max_bytes_is_generous() -> None:
    from diag.ingest import DEFAULT_MAX_BYTES

    assert DEFAULT_MAX_BYTES >= 10 * 1024 * 1024  # ten novels; see ingest.DEFAULT_MAX_BYTES for why not more


# ------------------------------------------------------------------------------------------------
# inputs that give a correct report
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "encoding", "note"),
    [
        (b"\xef\xbb\xbf" + ACCENTED.encode("utf-8"), "utf-8-sig", None),
        (b"\xff\xfe" + ACCENTED.encode("utf-16-le"), "utf-16-le", None),
        (b"\xfe\xff" + ACCENTED.encode("utf-16-be"), "utf-16-be", None),
        (ACCENTED.encode("utf-16-le"), "utf-16-le", "no byte-order mark; guessed UTF-16-LE from its NUL-byte pattern"),
        (ACCENTED.encode("utf-16-be"), "utf-16-be", "no byte-order mark; guessed UTF-16-BE from its NUL-byte pattern"),
        (ACCENTED.encode("cp1252"), "cp1252", "not valid UTF-8 (byte 0xE9 at offset 3); decoded as cp1252"),
    ],
    ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le-no-bom", "utf-16-be-no-bom", "cp1252"],
)
def test_encodings_give_the_same_report_as_utf8(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: bytes, encoding: str, note: str | None
) -> None:
    reference = write(tmp_path / "ref.txt", ACCENTED)
    candidate = write(tmp_path / "cand.txt", data)
    report = report_json(capsys, reference, candidate)
    side = report["candidate"]
    assert (side["encoding"], side["encoding_note"]) == (encoding, note)
    check_spans(side, ACCENTED)
    assert report["verdict"]["relation"] == "copy"
    assert report["metrics"]["chrf"]["score"] == pytest.approx(100.0)
    assert report["findings"] == []


def test_latin1_when_not_cp1252(capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path) -> None:
    # 0x81 is undefined in cp1252: only latin-1 decodes it (as a C1 control character)
    candidate = write(tmp_path / "cand.txt", b"Caf\xe9 \x81 Orvane Systems said on Monday it would cut 1,200 jobs.\n")
    report = report_json(capsys, ref, candidate)
    assert report["candidate"]["encoding"] == "latin-1"
    assert report["candidate"]["encoding_note"] == "not valid UTF-8 (byte 0xE9 at offset 3) nor cp1252; decoded as latin-1"
    check_spans(report["candidate"], "Café \x81 Orvane Systems said on Monday it would cut 1,200 jobs.\n")


def test_invalid_utf8_is_decoded_as_cp1252_and_said_so(capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path) -> None:
    candidate = write(tmp_path / "cand.txt", b"Orvane Systems said \xc3\x28 on Monday it would cut 1,200 jobs.\n")
    report = report_json(capsys, ref, candidate)
    assert report["candidate"]["encoding_note"] == "not valid UTF-8 (byte 0xC3 at offset 20); decoded as cp1252"
    code, out, _ = run(capsys, "report", str(ref), str(candidate), "--width", "120")
    assert code == 0 and "decoded as cp1252" in out, "the terminal report says so too"


def test_mixed_newlines(capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path) -> None:
    text = (
        "Orvane Systems said on Monday it would cut 1,200 jobs.\r\nChief executive Mara Lindqvist\r"
        "blamed weak demand.\nShares fell 3%.\u2028The union objected.\x0cA new page.\n"
    )
    candidate = write(tmp_path / "cand.txt", text)
    report = report_json(capsys, ref, candidate)
    check_spans(report["candidate"], text)
    pieces = [text[s["start"] : s["end"]] for s in report["candidate"]["sentences"]]
    assert "Shares fell 3%." in pieces and "A new page." in pieces
    assert not any(p.startswith(("\r", "\n")) or p.endswith(("\r", "\n")) for p in pieces)


def test_reference_identical_to_candidate(capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path) -> None:
    copy = write(tmp_path / "copy.txt", REF)
    report = report_json(capsys, ref, copy)
    assert report["verdict"]["relation"] == "copy"
    assert report["findings"] == []
    assert report["metrics"]["chrf"]["score"] == pytest.approx(100.0)
    assert report["metrics"]["bleu"]["score"] == pytest.approx(100.0)  # sacrebleu's own 100.00000000000004
    assert report["metrics"]["ter"]["score"] == 0.0
    assert report["mqm"]["penalty_per_1000_words"] == 0.0


def test_the_same_file_twice(capsys: pytest.CaptureFixture[str], ref: Path) -> None:
    report = report_json(capsys, ref, ref)
    assert report["verdict"]["relation"] == "copy" and report["findings"] == []


def test_all_furniture_with_keep_all_is_compared(capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path) -> None:
    furniture = write(tmp_path / "furniture.txt", "Photo: Reuters\n1,234 views\nShare this article\n")
    report = report_json(capsys, ref, furniture, "--keep-all")
    assert len(report["candidate"]["sentences"]) == 3 and report["candidate"]["set_aside"] == []


def test_control_characters_and_lone_surrogates_in_library_texts() -> None:
    import diag

    d = diag.diagnose(REF, "Orvane\x1b[31m Systems\x00 said \ud800 on Monday it would cut 1,200 jobs.")
    assert all(s.text == d.candidate.text[s.start : s.end] for s in d.candidate.sentences)
    from diag.render import renderer

    for fmt in ("json", "markdown", "html", "terminal"):
        assert renderer(fmt)(d)


@pytest.mark.parametrize("fmt", ["terminal", "markdown"])
def test_terminal_report_does_not_pass_escape_sequences_through(
    capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path, fmt: str
) -> None:
    hostile = write(
        tmp_path / "cand.txt",
        "Orvane Systems said \x1b[8mhidden\x1b[0m on Monday \x1b]0;pwned\x07it would cut 1,200 jobs.\n",
    )
    code, out, _ = run(capsys, "report", str(ref), str(hostile), "--width", "120", "--format", fmt)
    assert code == 0
    assert "\x1b[8m" not in out and "\x1b]0;" not in out and "\x07" not in out
    assert "\u241b" in out, "the escape is shown as a visible control picture"


# ------------------------------------------------------------------------------------------------
# batch: broken lines, missing fields, duplicate ids, huge records
# ------------------------------------------------------------------------------------------------
def _batch(tmp_path: Path, lines: list[str | bytes], name: str = "in.jsonl") -> Path:
    path = tmp_path / name
    with path.open("wb") as f:
        for line in lines:
            f.write((line if isinstance(line, bytes) else line.encode("utf-8")) + b"\n")
    return path


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_batch_bad_records_each_get_one_error_and_the_run_goes_on(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ok = {"reference": REF, "candidate": CAND}
    write(tmp_path / "ref.txt", REF)
    lines: list[str | bytes] = [
        json.dumps({"id": "good", **ok}),
        "{broken",
        "[1, 2, 3]",
        json.dumps({"reference": REF, "candidate": CAND}),
        json.dumps({"id": "no-candidate", "reference": REF}),
        json.dumps({"id": "number-text", "reference": 5, "candidate": CAND}),
        json.dumps({"id": "null-path", "reference": REF, "candidate_path": None}),
        json.dumps({"id": "good", **ok}),
        json.dumps({"id": "missing-file", "reference_path": "ref.txt", "candidate_path": "nope.txt"}),
        json.dumps({"id": "dir", "reference_path": "ref.txt", "candidate_path": "."}),
        "[" * 50_000 + "]" * 50_000,
        b'{"id": "bad-utf8", "reference": "\xff"}',
        "",
        "   ",
        json.dumps({"id": "empty-texts", "reference": "", "candidate": ""}),
        json.dumps({"id": 7, **ok}),
    ]
    src = _batch(tmp_path, lines)
    out = tmp_path / "out.jsonl"
    code, stdout, err = run(capsys, "batch", str(src), "--output", str(out), "--jobs", "1")
    assert (code, stdout) == (0, "")  # every record has its line; --strict makes the failures exit 3
    assert run(capsys, "batch", str(src), "--output", str(out), "--jobs", "1", "--strict")[0] == 3
    assert f"\ndiag batch: 14 records, 12 failed; reports in {out}\n" in err
    rows = _rows(out)
    assert [r.get("error") for r in rows] == [
        None,
        (
            "line 2 is not valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1)); "
            "write one JSON object per line"
        ),
        "line 3 is not a JSON object; write one object per line",
        'line 4 has no "id"; give every record a unique id',
        'record "no-candidate" has no "candidate" text or "candidate_path"; give one of them',
        'record "number-text": "reference" is int, not a string; give text or a path',
        'record "null-path": "candidate_path" is null, not a string; give text or a path',
        'line 8 repeats id "good"; ids must be unique',
        f"{tmp_path / 'nope.txt'}: no such file; check the path",
        f"{tmp_path / '.'}: is a directory; pass a file",
        "line 11 nests JSON too deeply; write one flat JSON object per line",
        (
            "line 12 is not valid JSON ('utf-8' codec can't decode byte 0xff in position 33: invalid start byte); "
            "write one JSON object per line"
        ),
        'record "empty-texts": reference: is empty; pass a file with text in it',
        None,
    ]
    assert [r["line"] for r in rows if "error" in r] == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15]
    assert [r["id"] for r in rows if "schema" in r] == ["good", "7"]


def test_batch_huge_record_is_refused_without_reading_it_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    huge = json.dumps({"id": "huge", "reference": REF * 30_000, "candidate": CAND})  # 3.1 MB
    src = _batch(tmp_path, [huge, json.dumps({"id": "small", "reference": REF, "candidate": CAND})])
    out = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "batch", str(src), "-o", str(out), "-j", "1", "--max-bytes", "1MB", "--strict")
    assert code == 3 and f"\ndiag batch: 2 records, 1 failed; reports in {out}\n" in err
    rows = _rows(out)
    assert rows[0] == {
        "id": None,
        "error": f"line 1 is {len(huge) + 1} bytes, over --max-bytes (1048576); "
        "raise --max-bytes or give the texts as reference_path/candidate_path",
        "line": 1,
    }
    assert rows[1]["id"] == "small" and rows[1]["schema"] == "diag.report/1"


def test_batch_lines_are_read_in_bounded_pieces(tmp_path: Path) -> None:
    """A line far over --max-bytes is skipped in pieces: never held in memory whole."""
    from diag import batch

    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"id": "x", "reference": "' + b"a" * 5_000_000 + b'"}\n{"id": "y"}\n')
    seen: list[int] = []
    real = io.BufferedReader.readline

    class Spy(io.BufferedReader):
        def readline(self, size: int = -1) -> bytes:  # type: ignore[override]
            line = real(self, size)
            seen.append(len(line))
            return line

    handle = Spy(io.FileIO(src))
    records = [(n, size) for n, _, size in batch._lines(handle, 1000)]
    assert records == [(1, 5_000_029), (2, 12)]
    assert max(seen) <= batch._SKIP_CHUNK


def test_batch_input_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.jsonl"
    assert run(capsys, "batch", str(tmp_path / "none.jsonl"), "-o", str(out)) == (
        3,
        "",
        f"diag: {tmp_path / 'none.jsonl'}: no such file; check the path\n",
    )
    assert run(capsys, "batch", str(tmp_path), "-o", str(out)) == (
        3,
        "",
        f"diag: {tmp_path}: is a directory; pass a JSONL file\n",
    )
    src = _batch(tmp_path, [json.dumps({"id": "a", "reference": REF, "candidate": CAND})])
    real_open = Path.open

    def refusing(self: Path, *args: object, **kwargs: object) -> object:
        if self == src:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", refusing)
    assert run(capsys, "batch", str(src), "-o", str(out)) == (
        3,
        "",
        f"diag: {src}: permission denied; check the file's permissions\n",
    )
    assert not out.exists()


def test_batch_empty_input_writes_an_empty_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = write(tmp_path / "in.jsonl", b"\n\n")
    out = tmp_path / "out.jsonl"
    assert run(capsys, "batch", str(src), "-o", str(out), "-j", "1") == (
        0,
        "",
        f"diag batch: 0 records, 0 failed; reports in {out}\ndiag batch: corpus: no record was diagnosed\n",
    )
    assert out.read_text() == ""


def test_batch_output_over_its_input_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = _batch(tmp_path, [json.dumps({"id": "a", "reference": REF, "candidate": CAND})])
    before = src.read_bytes()
    code, _, err = run(capsys, "batch", str(src), "-o", str(src))
    assert (code, err) == (3, f"diag: {src}: is an input file; choose another --output so the input is not overwritten\n")
    assert src.read_bytes() == before


# ------------------------------------------------------------------------------------------------
# safe names: --save never writes outside its folder, batch ids become safe, distinct names
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../x", "x"),
        ("../../etc/passwd", "etc_passwd"),
        ("/etc/passwd", "etc_passwd"),
        ("a/b", "a_b"),
        ("a\\b", "a_b"),
        ("", "report"),
        (".", "report"),
        ("..", "report"),
        ("...hidden", "hidden"),
        ("新闻", "report"),
        ("x" * 500, "x" * 120),
        ("a b;rm -rf ~", "a_b_rm_-rf"),
        ("nul\x00byte", "nul_byte"),
    ],
)
def test_safe_name(name: str, safe: str) -> None:
    from diag.files import safe_name

    assert safe_name(name) == safe


def test_unique_names() -> None:
    from diag.files import UniqueNames

    names = UniqueNames()
    taken = [names.take(n) for n in ["a/b", "a_b", "A_B", "a_b-2", "", "", "../a_b"]]
    assert taken == ["a_b", "a_b-2", "A_B-3", "a_b-2-2", "record", "record-2", "a_b-4"]


HOSTILE_IDS = ["../x", "/etc/passwd", "a/b", "a_b", "", "..", "x" * 1000, "新闻", "新闻2", "A_B", "../../tmp/evil"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_save_writes_every_report_inside_the_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, jobs: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    src = _batch(work, [json.dumps({"id": i, "reference": REF, "candidate": CAND}) for i in HOSTILE_IDS])
    saved = work / "saved"
    out = work / "out.jsonl"
    code, _, err = run(capsys, "batch", str(src), "-o", str(out), "--save", str(saved), "-j", jobs)
    assert (code, err.splitlines()[0]) == (0, f"diag batch: 11 records, 0 failed; reports in {out} and {saved}/")
    stems = [
        "x", "etc_passwd", "a_b", "a_b-2", "line-5", "line-6", "x" * 120, "line-8", "2", "A_B-3", "tmp_evil",
    ]
    assert sorted(p.name for p in saved.iterdir()) == sorted(f"{s}{x}" for s in stems for x in (".json", ".html"))
    for rid, stem in zip(HOSTILE_IDS, stems, strict=True):
        assert json.loads((saved / f"{stem}.json").read_text(encoding="utf-8"))["id"] == rid
    # nothing anywhere else
    assert sorted(p.name for p in work.iterdir()) == ["in.jsonl", "out.jsonl", "saved"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]


def test_batch_save_never_writes_over_a_record_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path / "r.json", REF)
    write(tmp_path / "c.json", CAND)
    src = _batch(tmp_path, [json.dumps({"id": "c", "reference_path": "r.json", "candidate_path": "c.json"})])
    code, _, _ = run(
        capsys, "batch", str(src), "-o", str(tmp_path / "out.jsonl"), "--save", str(tmp_path), "-j", "1", "--strict"
    )
    assert code == 3
    assert (tmp_path / "c.json").read_text() == CAND
    [row] = _rows(tmp_path / "out.jsonl")
    assert row["error"] == f"{tmp_path / 'c.json'}: is an input file; choose another --output so the input is not overwritten"


def test_report_save_names_files_after_a_safe_candidate_stem(capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path) -> None:
    odd = tmp_path / "in"
    odd.mkdir()
    candidate = write(odd / "..;rm -rf ~ $(x).txt", CAND)
    folder = tmp_path / "saved"
    code, _, err = run(capsys, "report", str(ref), str(candidate), "--format", "json", "--save", str(folder))
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == [f"rm_-rf_x{s}" for s in (".html", ".json", ".md", ".txt")]
    assert err == f"saved rm_-rf_x.{{txt,json,md,html}} in {folder}/\n"


def test_report_save_never_overwrites_the_candidate(capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path) -> None:
    folder = tmp_path / "here"
    folder.mkdir()
    candidate = write(folder / "cand.txt", CAND)  # --save would write here/cand.txt (the terminal report)
    code, _, err = run(capsys, "report", str(ref), str(candidate), "--format", "json", "--save", str(folder))
    assert code == 3
    assert err == f"diag: {candidate}: is an input file; choose another --output so the input is not overwritten\n"
    assert candidate.read_text() == CAND
    assert sorted(p.name for p in folder.iterdir()) == ["cand.txt"], "nothing was written before the refusal"


def test_output_through_a_link_to_an_input_is_refused(capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path) -> None:
    candidate = write(tmp_path / "cand.txt", CAND)
    hard = tmp_path / "hard.txt"
    os.link(candidate, hard)
    soft = tmp_path / "soft.txt"
    soft.symlink_to(candidate)
    for target in (hard, soft, tmp_path / "." / "cand.txt"):
        code, _, err = run(capsys, "report", str(ref), str(candidate), "--output", str(target))
        assert code == 3 and err.endswith("is an input file; choose another --output so the input is not overwritten\n")
    assert candidate.read_text() == CAND


def test_save_into_a_file_is_one_line(capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path) -> None:
    blocker = write(tmp_path / "blocker", "x")
    candidate = write(tmp_path / "cand.txt", CAND)
    code, _, err = run(capsys, "report", str(ref), str(candidate), "--format", "json", "--save", str(blocker))
    assert (code, err) == (3, f"diag: {blocker}: cannot create the folder (File exists); choose another --save DIR\n")


def test_output_into_a_missing_folder(capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path) -> None:
    target = tmp_path / "nope" / "r.json"
    code, _, err = run(capsys, "report", str(ref), str(ref), "--format", "json", "-o", str(target))
    assert (code, err) == (3, f"diag: {target}: folder {target.parent} does not exist; create it or choose another path\n")


def test_output_onto_a_directory(capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, "report", str(ref), str(ref), "--format", "json", "-o", str(tmp_path))
    assert (code, err) == (3, f"diag: {tmp_path}: is a directory; choose a file name\n")


def test_binary_on_stdin(capsys: pytest.CaptureFixture[str], ref: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"GIF89a\x00\x01\x02")))
    expected = "diag: <stdin>: looks like a binary file (NUL bytes at offset 6), not text; pass a text file\n"
    assert run(capsys, "report", str(ref), "-") == (3, "", expected)


# ------------------------------------------------------------------------------------------------
# atomic writes
# ------------------------------------------------------------------------------------------------
def test_atomic_write_replaces_and_leaves_nothing_behind(tmp_path: Path) -> None:
    from diag.files import atomic_write, atomic_writer

    target = tmp_path / "r.txt"
    atomic_write(target, "first")
    atomic_write(target, "second é")
    assert target.read_text(encoding="utf-8") == "second é"
    with pytest.raises(RuntimeError), atomic_writer(target) as out:
        out.write("half")
        raise RuntimeError("stop")
    assert target.read_text(encoding="utf-8") == "second é"
    assert os.listdir(tmp_path) == ["r.txt"]


def test_atomic_write_respects_the_umask(tmp_path: Path) -> None:
    from diag.files import atomic_write

    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "r.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "r.txt").stat().st_mode & 0o777 == 0o644


def test_atomic_write_replaces_a_symlink_instead_of_following_it(tmp_path: Path) -> None:
    from diag.files import atomic_write

    outside = tmp_path / "outside.txt"
    write(outside, "precious")
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "r.json").symlink_to(outside)
    atomic_write(folder / "r.json", "report")
    assert outside.read_text() == "precious"
    assert not (folder / "r.json").is_symlink() and (folder / "r.json").read_text() == "report"


def test_atomic_write_falls_back_to_a_named_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from diag import files

    monkeypatch.setattr(files, "_open_anonymous", lambda folder: None)
    files.atomic_write(tmp_path / "r.txt", "x")
    with pytest.raises(RuntimeError), files.atomic_writer(tmp_path / "r.txt") as out:
        out.write("half")
        raise RuntimeError
    assert os.listdir(tmp_path) == ["r.txt"] and (tmp_path / "r.txt").read_text() == "x"


def test_atomic_write_when_the_file_cannot_be_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where neither /proc nor AT_EMPTY_PATH can name the file, its content is copied."""
    from diag import files

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(files.os, "link", refuse)
    monkeypatch.setattr(files, "_linkat_empty_path", refuse)
    files.atomic_write(tmp_path / "r.txt", "é" * 3_000_000)
    files.atomic_write(tmp_path / "r.txt", "second")
    assert (tmp_path / "r.txt").read_text(encoding="utf-8") == "second"
    assert os.listdir(tmp_path) == ["r.txt"]


_KILL_CHILD = textwrap.dedent(
    """
    import os, sys, time
    from diag import files
    real_fsync = os.fsync
    def stalled_fsync(fd):
        sys.stdout.write("inside\\n"); sys.stdout.flush()
        time.sleep(60)
    files.os.fsync = stalled_fsync
    files.atomic_write(sys.argv[1], "new report " * 1_000_000)
    """
)


@pytest.mark.parametrize("existing", [False, True])
def test_a_kill_inside_atomic_write_leaves_the_old_file_or_nothing(tmp_path: Path, existing: bool) -> None:
    target = tmp_path / "report.html"
    if existing:
        write(target, "old complete report")
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    child = subprocess.Popen(
        [sys.executable, "-c", _KILL_CHILD, str(target)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "inside\n"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    if existing:
        assert target.read_text() == "old complete report"
        assert os.listdir(tmp_path) == ["report.html"], "no stray temporary file"
    else:
        assert os.listdir(tmp_path) == [], "no report and no stray temporary file"


def test_a_killed_batch_leaves_no_output_and_no_temporary_file(tmp_path: Path) -> None:
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to see when the batch is writing")
    records = [json.dumps({"id": str(k), "reference": REF * 3, "candidate": CAND * 3}) for k in range(400)]
    src = _batch(tmp_path, records)
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    child = subprocess.Popen(
        [sys.executable, "-m", "diag", "batch", str(src), "-o", str(out), "-j", "1"],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and child.poll() is None:
            if _writes_in(child.pid, tmp_path):
                break
            time.sleep(0.05)
        assert child.poll() is None, "the batch finished before it could be killed"
        time.sleep(0.5)  # well inside the run: 400 records take several seconds
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert sorted(os.listdir(tmp_path)) == ["in.jsonl"], "no output and no stray temporary file"


def _writes_in(pid: int, folder: Path) -> bool:
    """Whether process ``pid`` has a file open for writing in ``folder``."""
    fds = Path(f"/proc/{pid}/fd")
    try:
        for fd in fds.iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith(str(folder)) and not target.endswith("in.jsonl"):
                return True
    except OSError:
        pass
    return False


# ------------------------------------------------------------------------------------------------
# big inputs: time and peak memory in a child process
# ------------------------------------------------------------------------------------------------
#: The start of a measuring child script: imports and its own peak memory in MB.
_CHILD_PRELUDE = textwrap.dedent(
    """
    import json, resource, sys, time
    def _peak_mb():
        # VmHWM is this program's own peak; ru_maxrss on Linux also counts the forking parent's
        # image (it survives exec), so a large pytest process would inflate it.
        try:
            for line in open("/proc/self/status"):
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    """
)
_MEASURE_CHILD = _CHILD_PRELUDE + textwrap.dedent(
    """
    from diag.cli import main
    start = time.perf_counter()
    code = main(sys.argv[1:])
    peak_mb = _peak_mb()
    print(json.dumps({"code": code, "seconds": time.perf_counter() - start, "peak_mb": peak_mb}), file=sys.stderr)
    """
)


def measure(*argv: str, timeout: float) -> tuple[dict, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE_CHILD, *argv], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    *messages, stats = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr
    return json.loads(stats), "\n".join(messages)


def _prose(n_bytes: int, newline: str) -> str:
    words = (  # noqa: SIM905
        "the council approved a new budget on Tuesday after long debate members argued for hours over "
        "funding schools roads harbour mayor said plan would be reviewed again spring officials added "
        "Orvane Systems Mara Lindqvist 1,200 jobs demand"
    ).split()
    parts, size, k = [], 0, 0
    while size < n_bytes:
        n = 8 + (k * 7) % 17
        sentence = " ".join(words[(k * 13 + i * 5) % len(words)] for i in range(n))
        sentence = sentence[0].upper() + sentence[1:] + "."
        parts.append(sentence)
        size += len(sentence) + 1
        k += 1
    return newline.join(parts)[:n_bytes]


def test_over_max_bytes_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(300 * 1024 * 1024)  # sparse: 300 MB of NULs, no disk used
    stats, message = measure("report", str(big), str(big), timeout=120)
    assert stats["code"] == 3
    assert message == f"diag: {big}: 300 MB exceeds --max-bytes (10 MB); raise --max-bytes or split the file"
    assert stats["peak_mb"] < 400, stats


def test_fifty_megabyte_document_is_one_line_with_the_default_limit(tmp_path: Path) -> None:
    """Beyond the default --max-bytes (10 MB) a text is refused before it is read, whatever it holds."""
    doc = write(tmp_path / "doc50.txt", _prose(50 * 1024 * 1024, "\n"))
    small = write(tmp_path / "small.txt", _prose(3000, "\n"))
    expected = f"diag: {doc}: 50 MB exceeds --max-bytes (10 MB); raise --max-bytes or split the file"
    for argv in (("report", str(doc), str(small)), ("report", str(doc), str(doc)), ("report", str(small), str(doc))):
        stats, message = measure(*argv, timeout=120)
        assert (stats["code"], message) == (3, expected)
        assert stats["peak_mb"] < 400, stats


@pytest.mark.slow
def test_fifty_megabyte_document_is_read_and_split_in_bounded_time_and_memory(tmp_path: Path) -> None:
    doc = write(tmp_path / "doc50.txt", _prose(50 * 1024 * 1024, "\n"))
    stats = _build(doc)
    print("50 MB document, ingest + segmentation:", stats)
    assert stats["sentences"] > 400_000
    assert stats["peak_mb"] < 2500, stats


@pytest.mark.slow
def test_ten_megabyte_line_is_read_and_split_in_bounded_time_and_memory(tmp_path: Path) -> None:
    for newline_free in (_prose(10 * 1024 * 1024, " "), ("word " * (2 * 1024 * 1024))[: 10 * 1024 * 1024]):
        line = write(tmp_path / "line.txt", newline_free)
        stats = _build(line)
        print("10 MB line, ingest + segmentation:", stats)
        assert stats["sentences"] >= 1
        assert stats["peak_mb"] < 1000, stats


@pytest.mark.slow
def test_one_megabyte_line_gets_a_full_report(tmp_path: Path) -> None:
    """The whole pipeline on a long line with no newline, cut into pseudo-sentences."""
    line = write(tmp_path / "line.txt", _prose(1024 * 1024, " "))
    small = write(tmp_path / "small.txt", _prose(3000, "\n"))
    target = tmp_path / "r.json"
    stats, message = measure("report", str(line), str(small), "--format", "json", "-o", str(target), timeout=600)
    print("1 MB line vs 3 KB, full report:", stats)
    assert (stats["code"], message) == (0, "")
    report = json.loads(target.read_text())
    assert report["reference"]["length"] == 1024 * 1024
    assert len(report["reference"]["sentences"]) > 5000
    assert stats["peak_mb"] < 1500, stats


_BUILD_CHILD = _CHILD_PRELUDE + textwrap.dedent(
    """
    from diag.ingest import read_input
    from diag.pipeline import build_document
    from diag.segment import split_sentences
    split_sentences("Warm up. Done.")  # the NLTK import is not what is measured
    start = time.perf_counter()
    decoded = read_input(sys.argv[1], max_bytes=64 * 1024 * 1024)
    doc = build_document(decoded.text, path=sys.argv[1])
    peak_mb = _peak_mb()
    print(json.dumps({"sentences": len(doc.sentences), "seconds": time.perf_counter() - start, "peak_mb": peak_mb}))
    """
)


def _build(path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(
        [sys.executable, "-c", _BUILD_CHILD, str(path)], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


# ------------------------------------------------------------------------------------------------
# HTML: injection in both texts is text, through the real pipeline and in a real browser
# ------------------------------------------------------------------------------------------------
INJECTIONS = [
    "<script>window.__pwned = 'script'</script>",
    '<img src=x onerror="window.__pwned = \'img\'">',
    '"><svg onload="window.__pwned = \'svg\'">',
    "</td></tr></table><script>window.__pwned = 'table'</script>",
    "</style><style>body{display:none}</style>",
    "<a href=\"javascript:window.__pwned='link'\">click</a>",
    "<!-- ]]> &lt;b&gt; &amp; {{7*7}} ${7*7}",
    "<iframe src=\"https://example.invalid/\"></iframe>",
]


def _hostile_pair(tmp_path: Path) -> tuple[Path, Path]:
    ref_lines = [f"Orvane Systems said {inj} on Monday it would cut 1,200 jobs." for inj in INJECTIONS]
    cand_lines = [f"Orvane Systems said {inj} Monday it will cut 12,000 jobs." for inj in INJECTIONS]
    ref_lines.append("Chief executive <b>Mara Lindqvist</b> blamed weak demand.")
    cand_lines.append("CEO <i>Mara Lindkvist</i> blamed the weak demand.")
    return (
        write(tmp_path / "ref.txt", "\n".join(ref_lines) + "\n"),
        write(tmp_path / "cand.txt", "\n".join(cand_lines) + "\n"),
    )


def test_html_report_of_hostile_texts_has_no_markup_of_theirs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    reference, candidate = _hostile_pair(tmp_path)
    target = tmp_path / "report.html"
    code, _, err = run(capsys, "report", str(reference), str(candidate), "--format", "html", "-o", str(target))
    assert (code, err) == (0, "")
    page = target.read_text(encoding="utf-8")
    assert page.count("<script") == 1  # ours
    assert page.count("<svg") == page.count('<svg class="strip"') == 1  # ours
    for tag in ("<img", "<iframe", "<a href=\"javascript", "<i>", "</style><style>"):
        assert tag not in page
    assert "&lt;script&gt;window.__pwned = &#x27;script&#x27;&lt;/script&gt;" in page or (
        "&lt;script&gt;window.__pwned = &#39;script&#39;&lt;/script&gt;" in page
    )
    assert "&amp;lt;b&amp;gt;" in page, "an entity in the text is shown as typed, not decoded"


@pytest.mark.browser
def test_html_report_of_hostile_texts_in_a_browser(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from test_render_html import guarded_page

    reference, candidate = _hostile_pair(tmp_path)
    target = tmp_path / "report.html"
    code, _, err = run(capsys, "report", str(reference), str(candidate), "--format", "html", "-o", str(target))
    assert (code, err) == (0, "")
    with guarded_page(target) as (page, dialogs, requests, errors):
        assert page.evaluate("window.__pwned") is None
        assert (dialogs, errors, requests) == ([], [], [target.as_uri()])
        for tag in ("img", "svg:not(.strip)", "iframe", "i", "a[href^='javascript']"):
            assert page.locator(tag).count() == 0, tag
        assert page.locator("body").is_visible()
        ref_text = " ".join(page.locator("td.ref").all_inner_texts())
        cand_text = " ".join(page.locator("td.cand").all_inner_texts())
        for inj in INJECTIONS:
            assert inj in ref_text, inj
            assert inj in cand_text, inj
        # the mark-up the texts carried is shown as typed
        assert "<b>Mara Lindqvist</b>" in ref_text and "<i>Mara Lindkvist</i>" in cand_text


@pytest.mark.slow
def test_one_long_sentence_is_analysed_with_work_linear_in_its_length(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 600 KB 'sentence' with no punctuation, paired by the aligner: it is cut into
    pseudo-sentences, and TER's edit distance fills a number of cells linear in the words
    (sacrebleu's shift search over it as one segment filled ~10^8 and took 6.9 GB)."""
    import diag
    import diag.metrics as metrics

    reference = _prose(600 * 1024, " ").replace(".", "")  # one 600 KB sentence: no sentence end at all
    candidate = _prose(3000, "\n")
    cells = [0]
    band_rows = metrics._band_rows

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        for item in band_rows(*args, **kwargs):
            cells[0] += len(item[1][1])
            yield item

    monkeypatch.setattr(metrics, "_band_rows", counted)
    d = diag.diagnose(reference, candidate)
    assert d.notes[0] == (
        "reference: 1 stretch with no sentence end in over 2,000 characters "
        "cut into pseudo-sentences of about 2,000 characters at spaces"
    )
    assert len(d.reference.sentences) >= len(reference) // 3000
    assert max(s.end - s.start for s in d.reference.sentences) <= 3000
    assert d.alignment.matched()
    words = len(reference.split()) + len(candidate.split())
    assert 0 < cells[0] <= 50 * words, (cells[0], words)  # ~31 a word here


# ------------------------------------------------------------------------------------------------
# plainly not text: judged at once
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "candidate,reason",
    [
        ("word " * 60, "Not text: the candidate's 60 words are 1 distinct word repeated; judged independent without analysis."),
        ("Buy now cheap pills online! " * 20, "Not text: the candidate's 100 words are 5 distinct words repeated; judged independent without analysis."),
        ("word " * 49, None),  # too short to tell
        ("Buy now cheap pills online today! " * 20, None),  # six distinct words
        (CAND * 20, None),
    ],
)
def test_plainly_not_text(candidate: str, reason: str | None) -> None:
    from diag.pipeline import build_document, not_text

    assert not_text(build_document(candidate)) == reason


def test_not_text_is_judged_without_alignment_entities_or_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    import diag
    import diag.entities
    import diag.pipeline
    import diag.verdict

    calls: list[str] = []
    import diag.accuracy

    for module, name in (
        (diag.pipeline, "align"), (diag.accuracy, "assess"), (diag.entities, "find_damage"), (diag.verdict, "judge")
    ):
        monkeypatch.setattr(module, name, lambda *a, _n=name, **k: calls.append(_n))
    d = diag.diagnose(REF, "word " * 3000)
    assert calls == []
    assert (d.verdict.relation, d.verdict.label, d.verdict.confidence) == (
        "independent", "independent text (not prose: a few words repeated)", 1.0
    )
    assert d.verdict.evidence == (
        "Not text: the candidate's 3,000 words are 1 distinct word repeated; judged independent without analysis.",
    )
    assert d.notes == (
        "candidate: 1 stretch with no sentence end in over 2,000 characters cut into pseudo-sentences "
        "of about 2,000 characters at spaces",
        d.verdict.evidence[0],
    )
    assert all(not (p.reference and p.candidate) for p in d.alignment.pairs)
    assert len(d.alignment.pairs) == len(d.reference.sentences) + len(d.candidate.sentences)
    assert (d.metrics["bleu"].score, d.metrics["chrf"].score) == (0.0, 0.0)


def test_notes_reach_every_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    reference = write(tmp_path / "ref.txt", REF)
    candidate = write(tmp_path / "cand.txt", "word " * 3000)
    note = "Not text: the candidate's 3,000 words are 1 distinct word repeated; judged independent without analysis."
    for fmt in ("terminal", "markdown", "html", "json"):
        target = tmp_path / f"r.{fmt}"
        code, _, err = run(capsys, "report", str(reference), str(candidate), "--format", fmt, "-o", str(target))
        assert (code, err) == (0, ""), fmt
        out = target.read_text(encoding="utf-8")
        if fmt == "html":
            import html

            out = html.unescape(out)
        if fmt == "json":
            assert json.loads(out)["notes"][-1] == note
        else:
            assert " ".join(out.replace("│", " ").split()).count(note) == 2, fmt  # the note and the evidence
