"""The CLI run in-process, as a user would run it: its exit code and what it printed."""

from __future__ import annotations

import pytest

from diag.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    """``diag ARGV``: the exit code (argparse's own exits for usage errors and --help included), stdout, stderr."""
    try:
        code = main(argv)
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
