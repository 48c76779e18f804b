"""diag reads English: other languages and empty texts get one clear error wherever texts come in
(files on the command line, batch records, ``diagnose()``), and bytes a clear TypeError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import diag
from diag.cli import build_parser
from tests.clirun import run_cli
from diag.errors import InputError
from diag.language import function_words, not_english, script
from tests_texts import ENGLISH, FOREIGN

REF = ENGLISH


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_cli(capsys, list(argv))


@pytest.mark.parametrize(
    "name,found",
    [
        ("german", "40% of its words are German function words, 2% English ones; it reads as German"),
        ("french", "30% of its words are French function words, 7% English ones; it reads as French"),
        ("spanish", None),  # filled in below from the table of texts
        ("chinese", "100% of its letters are CJK script"),
        ("russian", "100% of its letters are Cyrillic script"),
        ("arabic", "100% of its letters are Arabic script"),
    ],
)
def test_what_is_found_in_a_foreign_text(name: str, found: str | None) -> None:
    result = not_english(FOREIGN[name])
    assert result is not None
    if found is not None:
        assert result.found == found


@pytest.mark.parametrize(
    "text",
    [
        ENGLISH,
        "Xi Jinping met Olaf Scholz in Beijing.",  # short: only the script counts
        "Der Spiegel and Le Monde both ran the story on Monday, and so did El País in Madrid.",
        "Prices: 2.4 bn, 3.1 bn, 5.6 bn; margins 12%, 14%, 9%.",
        "Mara Lindqvist (林德奎斯特) said the plan would go ahead, and the board agreed with her.",
    ],
)
def test_english_passes(text: str) -> None:
    assert not_english(text) is None


def test_short_latin_text_is_not_judged_by_function_words() -> None:
    assert function_words("Der Umsatz ist gestiegen.") is None
    assert script("短") is None  # under MIN_LETTERS


@pytest.fixture
def ref(tmp_path: Path) -> Path:
    path = tmp_path / "ref.txt"
    path.write_text(REF, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "content,message",
    [
        (FOREIGN["chinese"], "not English (100% of its letters are CJK script); diag reads English texts only"),
        (
            FOREIGN["german"],
            "not English (40% of its words are German function words, 2% English ones; it reads as German); "
            "diag reads English texts only",
        ),
        ("", "is empty; pass a file with text in it"),
        (" \n\t\n", "is empty (only whitespace); pass a file with text in it"),
    ],
)
def test_the_same_error_everywhere(
    capsys: pytest.CaptureFixture[str], ref: Path, tmp_path: Path, content: str, message: str
) -> None:
    cand = tmp_path / "cand.txt"
    cand.write_text(content, encoding="utf-8")
    # the command line: one line naming the file, exit 3
    assert run(capsys, "report", str(ref), str(cand)) == (3, "", f"diag: {cand}: {message}\n")
    assert run(capsys, "check", str(ref), str(cand), "--min-chrf", "1")[::2] == (3, f"diag: {cand}: {message}\n")
    # a batch record, inline and by path
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "r1", "reference": REF, "candidate": content})
        + "\n"
        + json.dumps({"id": "r2", "reference_path": "ref.txt", "candidate_path": "cand.txt"})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert run(capsys, "batch", str(src), "-o", str(out), "-j", "1")[0] == 0  # every record has its line
    assert run(capsys, "batch", str(src), "-o", str(out), "-j", "1", "--strict")[0] == 3
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["error"] for r in rows] == [f'record "r1": candidate: {message}', f"{cand}: {message}"]
    # the library
    with pytest.raises(InputError) as caught:
        diag.diagnose(REF, content)
    assert str(caught.value) == f"candidate: {message}"


@pytest.mark.parametrize("text,segments", [('"', ('"',)), ("...", ("...",)), (" — \n", ("—",)),
                                           ("Advertisement\n1,234 views\n", ())])
def test_a_text_with_no_words_but_not_empty_is_data_in_the_library(text: str, segments: tuple[str, ...]) -> None:
    """Punctuation alone (a lone quote mark in a corpus) is one wordless segment, aligned and given an
    accuracy risk like any other; furniture alone leaves nothing. Both are compared, not refused."""
    d = diag.diagnose(REF, text)
    assert tuple(s.text for s in d.candidate.sentences) == segments and d.metrics["chrf"].score == 0.0
    assert all(p.accuracy_risk is not None for p in d.alignment.pairs)


@pytest.mark.parametrize("given", [REF.encode(), bytearray(REF.encode())])
def test_bytes_are_a_clear_type_error(given: bytes) -> None:
    with pytest.raises(TypeError) as caught:
        diag.diagnose(REF, given)  # type: ignore[arg-type]
    assert str(caught.value) == (
        f"diagnose(): candidate is {type(given).__name__}, not str; decode it first (data.decode('utf-8')) "
        "or read the file with diag.ingest.read_input"
    )


def test_help_says_diag_reads_english() -> None:
    assert "diag reads English" in " ".join(build_parser().format_help().split())
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "diag reads English" in readme
