"""benchmarks/run.py runs end to end on tiny inputs and prints its table (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"

REFERENCE = """Harbour plan approved

The harbour authority approved a plan to dredge the northern channel on Monday.

Engineers from Halvorsen Marine said the work would take eleven months and cost $4.2 million.

The mayor, Odile Brannock, promised a public hearing before any contract is signed.
"""
CANDIDATE = """Harbour plan approved

On Monday the harbour authority approved plans to dredge the north channel.

Halvorsen Marine engineers said that the work will take eleven months and cost 4.2 million dollars.

Mayor Odile Brannok promised a public hearing before a contract is signed.
"""


def _shared(tmp_path: Path) -> Path:
    shared = tmp_path / "shared"
    (shared / "seeds").mkdir(parents=True)
    (shared / "seeds" / "001_tiny.txt").write_text(REFERENCE, encoding="utf-8")
    (shared / "seeds" / "000_tiny.txt").write_text(CANDIDATE, encoding="utf-8")
    (shared / "eval" / "dev").mkdir(parents=True)
    records = [{"id": f"r{k}", "reference": REFERENCE, "candidate": CANDIDATE} for k in range(2)]
    (shared / "eval" / "dev" / "mt_detection_docs.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8"
    )
    return shared


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RUN), *args], capture_output=True, text=True, timeout=600, check=False
    )


@pytest.mark.slow
def test_all_benchmarks_print_their_table(tmp_path: Path) -> None:
    shared = _shared(tmp_path)
    results = tmp_path / "results"
    done = _run(
        "--quick", "--shared", str(shared), "--results", str(results),
        "--reps", "1", "--sizes", "1,2", "--batch-limit", "2",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "| benchmark | measure | diag | reference | ratio | goal | met |" in out
    assert out.startswith("Machine: ")
    for row in ("| B1 seeds 001/000 | cold CLI", "| B1 seeds 001/000 | in-process", "| B2 growth |",
                "| B3 batch |", "| B4 start-up |"):  # fmt: skip
        assert row in out, row
    assert "same document scores as sacrebleu (in-process exact; CLI to 0.1) | yes | yes |" in out
    saved = list(results.glob("bench-*.json"))
    assert len(saved) == 1
    data = json.loads(saved[0].read_text(encoding="utf-8"))
    assert {"machine", "B1", "B2", "B3", "B4", "B6", "table"} <= set(data)
    assert [r["name"] for r in data["B6"]["rows"]] == [
        "seeds 1x", "seeds 2x", "prose10", "generated10", "perturbed10", "distinct10", "word10", "sentence600",
        "dense2"
    ]  # fmt: skip
    assert "| input | input MB | sentences | peak MB |" in out
    assert data["B3"]["same_output"] is True


def test_one_b6_input_alone(tmp_path: Path) -> None:
    """``--b6-inputs`` runs only the inputs named, without the seed sizes; an unknown name is a usage error."""
    shared = _shared(tmp_path)
    done = _run("--only", "B6", "--b6-inputs", "generated10", "--b6-scale", "0.002", "--shared", str(shared),
                "--results", str(tmp_path / "r"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(next((tmp_path / "r").glob("bench-*.json")).read_text(encoding="utf-8"))
    assert [r["name"] for r in data["B6"]["rows"]] == ["generated10"]
    assert data["B6"]["rows"][0]["relation"] == "copy"
    wrong = _run("--only", "B6", "--b6-inputs", "prose", "--results", str(tmp_path / "r"))
    assert wrong.returncode == 2
    assert ("unknown B6 input(s) prose; choose from prose10,generated10,perturbed10,distinct10,word10,sentence600,"
            "dense2") in wrong.stderr


def test_missing_inputs_are_skipped_with_a_message(tmp_path: Path) -> None:
    done = _run("--only", "B1,B2,B3", "--shared", str(tmp_path / "nowhere"), "--results", str(tmp_path / "r"))
    assert done.returncode == 0, done.stderr
    assert "| B1 | skipped: seed 001 not found in" in done.stdout
    assert "| B3 | skipped:" in done.stdout
    assert "skipping B2:" in done.stderr


def test_unknown_benchmark_is_a_usage_error(tmp_path: Path) -> None:
    done = _run("--only", "B9", "--results", str(tmp_path / "r"))
    assert done.returncode == 2
    assert "unknown benchmark(s) B9" in done.stderr
