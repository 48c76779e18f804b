"""Safe writes: atomic replacement, never over an input, never outside the chosen folder."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from diag.errors import InputError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str, default: str = "report") -> str:
    """A file name made from ``name`` that cannot leave its folder ("../x" -> "x")."""
    cleaned = _UNSAFE.sub("_", name).strip("._")
    return cleaned[:120] or default


def check_not_input(target: str | Path, inputs: Iterable[str | None]) -> None:
    """Refuse to write over one of the inputs.

    Raises:
        InputError: if ``target`` is (the same file as) an input.
    """
    target = Path(target)
    for src in inputs:
        if not src or src == "-":
            continue
        try:
            same = target.exists() and os.path.samefile(target, src)
        except OSError:
            same = False
        if same or target.resolve() == Path(src).resolve():
            raise InputError(f"{target}: is an input file; choose another --output so the input is not overwritten")


def atomic_write(path: str | Path, data: str) -> None:
    """Write ``data`` (UTF-8) to ``path`` through a temporary file and a rename.

    A reader (or a crash) never sees a half-written file.

    Raises:
        InputError: if the folder does not exist or cannot be written.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: folder {folder} does not exist; create it or choose another path")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise InputError(f"{path}: cannot write ({e.strerror}); check the folder's permissions") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
