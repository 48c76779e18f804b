"""The one location policy's cases, shared by the SARIF and the Code Quality tests: a two-file pair
with a changed name, an omission and a changed number, and where each finding must be located."""

from __future__ import annotations

from pathlib import Path

import pytest

REF = "Alpha Corp hired 10 people.\nBeta Ltd sold 20 cars.\nGamma Inc lost 30 deals.\n"
CAND = "Alfa Corp hired 10 people.\nGamma Inc lost 31 deals.\n"
FINDINGS = (
    ("major", "name_changed", "Alpha Corp", "Alfa Corp"),
    ("minor", "omitted", "Beta Ltd", ""),
    ("critical", "value_changed", "30", "31"),
)

#: (the pair's paths, the batch input, the record's line in it, the file each finding is located in)
LOCATION_CASES = pytest.mark.parametrize(
    "paths,source,line,where",
    [
        # files: in the candidate; the omission at its place in the reference file
        (("ref.txt", "cand.txt"), None, None, {"Alfa Corp": "cand.txt", "Beta Ltd": "ref.txt", "31": "cand.txt"}),
        # reference on stdin: the omission where it is missing in the candidate
        (("<stdin>", "cand.txt"), None, None, {"Alfa Corp": "cand.txt", "Beta Ltd": "cand.txt", "31": "cand.txt"}),
        # candidate on stdin: everything in the reference file
        (("ref.txt", "<stdin>"), None, None, {"Alfa Corp": "ref.txt", "Beta Ltd": "ref.txt", "31": "ref.txt"}),
        # a batch record of inline texts: its line of the input
        ((None, None), "in.jsonl", 7, {"Alfa Corp": "in.jsonl", "Beta Ltd": "in.jsonl", "31": "in.jsonl"}),
        # inline texts with no input file to point at
        ((None, None), None, None, {"Alfa Corp": "stdin", "Beta Ltd": "stdin", "31": "stdin"}),
    ],
)


def write_pair_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``ref.txt`` and ``cand.txt`` in ``tmp_path``, made the working directory."""
    monkeypatch.chdir(tmp_path)
    Path("ref.txt").write_text(REF, encoding="utf-8")
    Path("cand.txt").write_text(CAND, encoding="utf-8")
