"""What every ``tools/build_*.py`` shares: the header line, the atomic write and ``--check``.

A build script derives one file under ``diag/data`` from a maintained, licensed source that is
installed at build time only. It calls ``finish(path, text, check=...)``: without ``--check`` the
file is written atomically; with it nothing is written, and a stale file exits 1 with a one-line
summary of the difference.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "diag" / "data"


def header(path: Path, what: str, source: str, version: str, licence: str, script: str) -> str:
    """The first line of a shipped data file: what it holds, its source, version and licence."""
    return (
        f"# {path.name}: {what}. Source: {source} {version}; licence: {licence}. "
        f"Built by tools/{script}; do not edit by hand.\n"
    )


def parser(description: str | None) -> argparse.ArgumentParser:
    """The command line every build script takes (``--check``, ``--output``)."""
    ap = argparse.ArgumentParser(description=(description or "").split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true",
                    help="rebuild in memory and exit 1 if the shipped file differs (nothing is written)")
    ap.add_argument("--output", type=Path, default=None, help="write here instead of the shipped file")
    return ap


def diff_summary(old: str, new: str) -> str:
    """One line saying how two versions of a data file differ."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    if old_lines[:1] != new_lines[:1]:
        first = "header line differs (source version or licence)"
    else:
        first = ""
    removed = sorted(set(old_lines) - set(new_lines))
    added = sorted(set(new_lines) - set(old_lines))
    parts = [f"{len(added)} line(s) added", f"{len(removed)} removed"]
    if added:
        parts.append(f"first added {added[0][:50]!r}")
    if removed:
        parts.append(f"first removed {removed[0][:50]!r}")
    if not added and not removed:
        parts.append("same lines in another order")
    return "; ".join(([first] if first else []) + parts)


def finish(path: Path, text: str, *, check: bool, script: str) -> int:
    """Write ``text`` to ``path`` atomically, or with ``check`` compare and report; the exit code."""
    if check:
        try:
            shipped = path.read_text(encoding="utf-8")
        except OSError as exc:
            print(f"{path.name}: cannot read the shipped file ({exc}); run python3 tools/{script}")
            return 1
        if shipped == text:
            print(f"{path.name}: up to date")
            return 0
        print(f"{path.name} is stale: {diff_summary(shipped, text)}; rebuild with python3 tools/{script}")
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would ship a file only its builder can read
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    print(f"wrote {path} ({len(text.encode('utf-8')):,} bytes, {text.count(chr(10)):,} lines)")
    return 0


def fail(message: str) -> int:
    """Print a one-line error for a missing source and return exit code 3."""
    print(message, file=sys.stderr)
    return 3
