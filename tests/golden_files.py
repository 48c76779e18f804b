"""Golden files for the renderers: compare a rendered text with tests/golden/NAME.

Set DIAG_UPDATE_GOLDEN=1 to rewrite the golden files from the current renderer.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, text: str) -> None:
    """Assert that ``text`` equals the golden file ``name`` (or rewrite it under DIAG_UPDATE_GOLDEN=1)."""
    path = GOLDEN / name
    if os.environ.get("DIAG_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} missing; run with DIAG_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs; if intended, rerun with DIAG_UPDATE_GOLDEN=1"
