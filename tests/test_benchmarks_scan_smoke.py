"""benchmarks/scan.py runs end to end on tiny inputs and prints its tables (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCAN = Path(__file__).resolve().parents[1] / "benchmarks" / "scan.py"
DATA = Path(__file__).parent / "data" / "scan"


def _shared(tmp_path: Path) -> Path:
    """A relation set made of the test articles: each reference with a rewrite, a copy and an unrelated text."""
    refs = {p.name: p.read_text(encoding="utf-8") for p in sorted((DATA / "references").iterdir())}
    cands = {p.name: p.read_text(encoding="utf-8") for p in sorted((DATA / "candidates").iterdir())}
    records = [
        {"id": "t-a", "reference": refs["harbour.txt"], "candidate": cands["a-rewrite.txt"], "label": "human_translation"},
        {"id": "t-b", "reference": refs["storks.txt"], "candidate": cands["b-copy.txt"], "label": "machine_translation"},
        {"id": "t-c", "reference": refs["library.txt"], "candidate": cands["c-other.txt"], "label": "independent_same_domain"},
    ]
    folder = tmp_path / "shared" / "eval" / "dev"
    folder.mkdir(parents=True)
    (folder / "mt_detection_docs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return tmp_path / "shared"


@pytest.mark.slow
def test_the_scan_benchmarks_print_their_tables(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    results = tmp_path / "results"
    done = subprocess.run(
        [sys.executable, str(SCAN), "--shared", str(_shared(tmp_path)), "--results", str(results),
         "--scales", "1,2", "--scan-limit", "2", "--s3-limit", "3", "--reps", "1"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Machine: ")
    assert "| measure | 1x | 2x |" in done.stdout
    assert "| translations with their own reference first | 1.000 | 1.000 |" in done.stdout
    assert "| S3 Dask | output identical to the local engine's | True |" in done.stdout
    assert "| S3 Dask | Dask tasks per run | 3 | 3 |" in done.stdout  # three records, within the tail: one per task
    assert "| S3 Dask | CPU ms per pair outside the workers: client (with its start-up) + scheduler" in done.stdout
    assert "| S3 Dask | share of the run the workers had a task to compute (the window's cost) |" in done.stdout
    assert "| S3 Dask | pairs/s, 1 worker vs the local engine `-j 1` (Dask's own cost) |" in done.stdout
    assert "| S3 Dask | worker CPU ms per pair: the task thread + the other threads (event loop, monitors) |" in done.stdout
    assert "| local engine | pairs/s, `-j 1` / `-j 2` (two processes of the same work on this machine, no Dask) |" in done.stdout
    assert "| S3 Dask | pairs/s over the workers' span (first task start to last task end;" in done.stdout
    assert "warm-up: each worker loads diag." in done.stdout
    assert "`distributed.worker.profile.enabled` False" in done.stdout
    data = json.loads(next(results.glob("scan-*.json")).read_text(encoding="utf-8"))
    assert [row["references"] for row in data["S1"]["rows"]] == [3, 6]
    assert data["S3"]["same_output_as_local"] is True


def test_a_missing_set_is_skipped_with_a_message(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(SCAN), "--shared", str(tmp_path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert done.stderr == f"skipping: {tmp_path / 'eval' / 'dev' / 'mt_detection_docs.jsonl'} not found; pass --shared DIR\n"
