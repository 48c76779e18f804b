"""Renderers: each turns a finished ``Diagnosis`` into one output format.

``RENDERERS`` maps a format name to the module that renders it; every module has
``render(diagnosis: Diagnosis) -> str``. Modules are imported on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from diag.model import Diagnosis

RENDERERS: dict[str, str] = {
    "terminal": "diag.render.terminal",
    "json": "diag.render.json",
    "markdown": "diag.render.markdown",
    "html": "diag.render.html",
}
#: File suffix per format, for ``--save``.
SUFFIXES: dict[str, str] = {"terminal": ".txt", "json": ".json", "markdown": ".md", "html": ".html"}


def renderer(name: str) -> Callable[[Diagnosis], str]:
    """The ``render`` function of format ``name`` (a key of ``RENDERERS``)."""
    module = importlib.import_module(RENDERERS[name])
    fn: Callable[[Diagnosis], str] = module.render
    return fn
