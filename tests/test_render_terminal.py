"""The terminal report: a golden file at a fixed width, and what it must never pass through."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import make_diagnosis

from diag.render.terminal import render

GOLDEN = Path(__file__).parent / "golden"
#: Set DIAG_UPDATE_GOLDEN=1 to rewrite the golden files from the current renderer.
UPDATE = os.environ.get("DIAG_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("width", [100, 72])
def test_demo_report_matches_golden(demo_diagnosis: object, width: int) -> None:
    path = GOLDEN / f"demo_report_{width}.txt"
    text = render(demo_diagnosis, width=width)  # type: ignore[arg-type]
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} missing; run with DIAG_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs; if intended, rerun with DIAG_UPDATE_GOLDEN=1"


def test_every_line_fits_the_width(demo_diagnosis: object) -> None:
    for line in render(demo_diagnosis, width=80).splitlines():  # type: ignore[arg-type]
        assert len(line) <= 80, line


@pytest.mark.parametrize(
    "hostile",
    ["\x1b[31mred\x1b[0m", "\x1b]0;title\x07", "abc\u202eevil", "bell\x07 and \x9b31m"],
)
def test_control_characters_are_made_visible(hostile: str) -> None:
    d = make_diagnosis(f"Plain words here. {hostile}\n", f"Plain words there. {hostile}\n")
    out = render(d, width=120)  # type: ignore[arg-type]
    assert not any(ch in out for ch in "\x1b\x07\x9b\u202e")
