"""A candidate file holding the reference's text is checked and split once: its Document is the one
``build_document`` gives it, and the report is the one the full path writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirun import run_cli
from conftest import seed_path
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import diag.pipeline
from diag.errors import InputError
from diag.pipeline import build_document, same_text

lines = st.one_of(
    st.lists(st.sampled_from(["The", "ferry", "left", "Harbour", "at", "9.30", "on", "Monday", "Mr.", "Lindqvist",
                              "said", "it", "was", "late", "1,200", "(Reuters)", "—"]), max_size=14).map(" ".join),
    st.sampled_from(["", "Share this article", "Advertisement", "Photo: AP", "* * *", "Read more:", "12"]),
)
#: Lines of words (a capitalised one ends as a sentence) and of page furniture, one a line.
texts = st.lists(lines, min_size=1, max_size=8).map(lambda ls: "\n".join(f"{x}." if x[:1].isupper() else x for x in ls))


@settings(max_examples=200, deadline=None)
@given(texts, st.booleans(), st.sampled_from([("utf-8", None), ("utf-16", "guessed")]))
def test_same_text_is_the_document_build_document_gives(text: str, keep_all: bool, encoding: tuple[str, str | None]) -> None:
    try:
        built = build_document(text, path="reference.txt", keep_all=keep_all)
    except InputError:
        assume(False)
        return
    copy = "".join(text)  # an equal string, not the same object
    expected = build_document(copy, path="candidate.txt", encoding=encoding[0], encoding_note=encoding[1], keep_all=keep_all)
    assert same_text(built, copy, path="candidate.txt", encoding=encoding[0], encoding_note=encoding[1]) == expected


def test_same_text_refuses_another_text() -> None:
    built = build_document("The ferry left the harbour late.")
    with pytest.raises(ValueError, match="text differs"):
        same_text(built, "The ferry left on time.", path=None, encoding="utf-8", encoding_note=None)


@pytest.mark.parametrize("keep_all", [False, True])
def test_report_of_a_copy_is_that_of_the_full_path(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   keep_all: bool) -> None:
    text = seed_path("001").read_text(encoding="utf-8")
    reference, copy = tmp_path / "reference.txt", tmp_path / "copy.txt"
    reference.write_text(text, encoding="utf-8")
    copy.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # the same text behind a byte-order mark
    args = [*(["--keep-all"] if keep_all else [])]
    assert run_cli(capsys, ["report", str(reference), str(copy), "-o", str(tmp_path / "short.json"), *args])[0] == 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(diag.pipeline, "same_text", lambda built, t, **kw: build_document(t, keep_all=keep_all, **kw))
        assert run_cli(capsys, ["report", str(reference), str(copy), "-o", str(tmp_path / "full.json"), *args])[0] == 0
    short, full = (tmp_path / "short.json").read_text(encoding="utf-8"), (tmp_path / "full.json").read_text(encoding="utf-8")
    assert short == full
    assert json.loads(short)["candidate"]["path"] == str(copy)
