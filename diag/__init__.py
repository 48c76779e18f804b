"""diag: a translation-quality diagnostic.

Compares a candidate text with a reference text and says how close it is (sacrebleu's
BLEU, chrF, chrF++ and TER per document and per aligned sentence), what it is (copy,
translation, rewrite or independent text) and what was damaged (names, numbers, casing).

    >>> import diag
    >>> d = diag.diagnose(reference_text, candidate_text)
    >>> d.verdict.relation, d.metrics["chrf"].score, len(d.findings)

Heavy modules (sacrebleu, nltk, rich) load on first use, so ``import diag`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from diag.errors import ConfigError, DiagError, InputError
    from diag.model import (
        AlignedPair,
        Alignment,
        Diagnosis,
        Document,
        Finding,
        Location,
        Score,
        Sentence,
        SetAside,
        Verdict,
    )
    from diag.pipeline import Options, build_document, diagnose

_LAZY = {
    "diagnose": "diag.pipeline",
    "build_document": "diag.pipeline",
    "Options": "diag.pipeline",
    "DiagError": "diag.errors",
    "InputError": "diag.errors",
    "ConfigError": "diag.errors",
    "AlignedPair": "diag.model",
    "Alignment": "diag.model",
    "Diagnosis": "diag.model",
    "Document": "diag.model",
    "Finding": "diag.model",
    "Location": "diag.model",
    "Score": "diag.model",
    "Sentence": "diag.model",
    "SetAside": "diag.model",
    "Verdict": "diag.model",
}

__all__ = [
    "__version__",
    "diagnose",
    "build_document",
    "Options",
    "DiagError",
    "InputError",
    "ConfigError",
    "AlignedPair",
    "Alignment",
    "Diagnosis",
    "Document",
    "Finding",
    "Location",
    "Score",
    "Sentence",
    "SetAside",
    "Verdict",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'diag' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
