"""The exceptions the core raises; only the CLI turns them into messages and exit codes."""

from __future__ import annotations


class DiagError(Exception):
    """Base of every error diag raises on purpose. ``str(error)`` is a one-line message."""

    exit_code = 3


class InputError(DiagError):
    """An input text or file cannot be used (missing, unreadable, empty, binary, too large)."""

    exit_code = 3


class ConfigError(DiagError):
    """A configuration or threshold is invalid (unknown key, bad value): a usage error."""

    exit_code = 2
