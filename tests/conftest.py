"""Shared fixtures: the seed documents and evaluation data in ../shared (skipped where absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
EVAL_DEV = SHARED / "eval" / "dev"


def seed_path(number: str) -> Path:
    """The seed file whose name starts with ``number`` (e.g. "001"); skips the test if absent."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    found = sorted(SEEDS.glob(f"{number}_*.txt"))
    if not found:
        pytest.skip(f"seed {number} not found in {SEEDS}")
    return found[0]


def eval_path(name: str) -> Path:
    """An evaluation set in ../shared/eval/dev; skips the test if absent."""
    path = EVAL_DEV / name
    if not path.is_file():
        pytest.skip(f"evaluation set {name} not found at {EVAL_DEV}")
    return path


@pytest.fixture
def seed() -> object:
    """``seed("001")`` -> the seed's text."""

    def read(number: str) -> str:
        return seed_path(number).read_text(encoding="utf-8")

    return read
