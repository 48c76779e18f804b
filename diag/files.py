"""Safe writes: atomic replacement, never over an input, never outside the chosen folder.

``atomic_writer`` writes into a file that has no name until it is complete (Linux
``O_TMPFILE``), then links it in and renames it over the target, so a reader sees the
old file or the whole new one, and a process killed mid-write (even by SIGKILL) leaves
neither a half-written report nor a stray temporary file. Where ``O_TMPFILE`` is not
available it falls back to a named temporary file beside the target (removed on any
error; only a SIGKILL can leave it behind).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from diag.errors import InputError

__all__ = ["MAX_NAME_CHARS", "UniqueNames", "atomic_write", "atomic_writer", "check_not_input", "safe_name"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
#: Longest file stem ``safe_name`` makes: with a suffix and a "-N" it stays far below
#: the 255 bytes most file systems allow.
MAX_NAME_CHARS = 120


def safe_name(name: str, default: str = "report") -> str:
    """A file stem made from ``name`` that cannot leave its folder.

    Anything but ASCII letters, digits, ``.``, ``_`` and ``-`` becomes ``_``; leading and
    trailing dots and underscores go (so ``"../x"`` -> ``"x"``, ``"/etc/passwd"`` ->
    ``"etc_passwd"``, ``".."`` -> ``default``), and the result has at most
    ``MAX_NAME_CHARS`` characters.
    """
    cleaned = _UNSAFE.sub("_", name).strip("._")
    return cleaned[:MAX_NAME_CHARS].rstrip("._") or default


class UniqueNames:
    """Safe, distinct file stems for a stream of names (batch record ids).

    Two names that make the same stem ("a/b" and "a_b") get "a_b" and "a_b-2"; stems
    are compared without case, so they stay distinct on case-insensitive file systems.
    """

    def __init__(self) -> None:
        self._used: set[str] = set()

    def take(self, name: str, default: str = "record") -> str:
        stem = safe_name(name, default)
        candidate, n = stem, 1
        while candidate.lower() in self._used:
            n += 1
            candidate = f"{stem}-{n}"
        self._used.add(candidate.lower())
        return candidate


def check_not_input(target: str | Path, inputs: Iterable[str | Path | None]) -> None:
    """Refuse to write over one of the inputs (also through a link or another spelling).

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


def _folder_of(path: Path) -> Path:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: folder {folder} does not exist; create it or choose another path")
    return folder


def _cannot_write(path: Path, error: OSError) -> InputError:
    return InputError(f"{path}: cannot write ({error.strerror or error}); check the folder's permissions")


def _open_anonymous(folder: Path) -> int | None:
    """A nameless file in ``folder`` (O_TMPFILE), or None where that is not supported."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_RDWR | getattr(os, "O_CLOEXEC", 0), 0o666)  # read back if copied
    except OSError as e:
        if e.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None  # file system or kernel without O_TMPFILE
        raise


def _open_named(folder: Path, path: Path) -> tuple[int, Path]:
    """A new temporary file beside ``path``; 0o666 so the umask decides, as for any new file."""
    while True:
        tmp = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666), tmp
        except FileExistsError:
            continue


def _linkat_empty_path(fd: int, path: Path) -> None:
    """``linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH)``: name an open file without /proc."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    at_fdcwd, at_empty_path = -100, 0x1000
    if libc.linkat(fd, b"", at_fdcwd, os.fsencode(path), at_empty_path) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(path))


def _name_anonymous(fd: int, path: Path) -> None:
    """Give the nameless file ``fd`` the new name ``path`` (which must not exist).

    Through /proc/self/fd first; some kernels and sandboxes refuse that (EXDEV) but
    allow ``AT_EMPTY_PATH``; where both fail, the content is copied to a named file.

    Raises:
        FileExistsError: ``path`` exists.
        OSError: the file cannot be named.
    """
    try:
        os.link(f"/proc/self/fd/{fd}", path, follow_symlinks=True)
        return
    except FileExistsError:
        raise
    except OSError:
        pass
    try:
        _linkat_empty_path(fd, path)
        return
    except FileExistsError:
        raise
    except (OSError, AttributeError):
        pass
    out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        offset = 0
        while chunk := os.pread(fd, 1 << 20, offset):
            os.write(out, chunk)
            offset += len(chunk)
        os.fsync(out)
    except BaseException:
        os.close(out)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    os.close(out)


def _link_anonymous(fd: int, folder: Path, path: Path) -> None:
    """Give the nameless file ``fd`` the name ``path``, replacing what is there atomically."""
    try:
        _name_anonymous(fd, path)  # no file there yet: one step
        return
    except FileExistsError:
        pass
    while True:
        tmp = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            _name_anonymous(fd, tmp)
            break
        except FileExistsError:
            continue
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_writer(path: str | Path) -> Iterator[IO[str]]:
    """A text handle (UTF-8) whose content replaces ``path`` only when the block ends normally.

    If the block raises, ``path`` is left as it was and nothing else stays on disk.
    A symbolic link at ``path`` is replaced, never followed, so a write stays in the
    folder named by ``path``.

    Raises:
        InputError: if the folder does not exist or cannot be written.
    """
    path = Path(path)
    folder = _folder_of(path)
    if path.is_dir():
        raise InputError(f"{path}: is a directory; choose a file name")
    try:
        fd = _open_anonymous(folder)
        tmp = None
        if fd is None:
            fd, tmp = _open_named(folder, path)
    except OSError as e:
        raise _cannot_write(path, e) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="", closefd=False) as out:
            yield out
            out.flush()
            os.fsync(fd)
        try:
            if tmp is None:
                _link_anonymous(fd, folder, path)
            else:
                os.replace(tmp, path)
                tmp = None
        except OSError as e:
            raise _cannot_write(path, e) from None
    finally:
        os.close(fd)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def atomic_write(path: str | Path, data: str) -> None:
    """Write ``data`` (UTF-8) to ``path`` atomically (see ``atomic_writer``).

    Raises:
        InputError: if the folder does not exist or cannot be written.
    """
    with atomic_writer(path) as out:
        out.write(data)
