"""``diag scan`` on the dev documents (../shared/eval/dev; skipped where absent).

Every distinct reference of the set is indexed and every candidate scanned, as
tools/eval_scan.py does: each translation's own reference must be its source (goal 99%),
and an independent text must not be given the reference it was paired with (goal 95%).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from diag import cli
from tests.conftest import eval_path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from eval_scan import GOALS, score, write_corpora  # noqa: E402


@pytest.mark.slow
def test_scan_finds_each_translations_source_and_clears_independent_texts(tmp_path: Path) -> None:
    path = eval_path("mt_detection_docs.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    own = write_corpora(records, tmp_path)
    out = tmp_path / "out.jsonl"
    code = cli.main(["scan", "-r", str(tmp_path / "references.jsonl"), "-c", str(tmp_path / "candidates.jsonl"),
                     "-o", str(out), "-j", "2"])
    assert code == 0
    results = {str(d["id"]): d for d in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    figures = score(records, own, results)["figures"]["all"]
    assert figures["translation_found"]["n"] == 250
    assert figures["translation_found"]["rate"] >= GOALS["translation_found"]
    assert figures["independent_cleared"]["rate"] >= GOALS["independent_cleared"]
