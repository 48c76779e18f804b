"""The JSON report: the ``diag.report/1`` contract that the scorer and CI users rely on.

Extend it, never break it: keys are only ever added. Offsets are Python ``str`` indices
into the decoded input texts.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring
from typing import IO, Any

from diag import __version__
from diag.model import SEVERITIES, Diagnosis, Document, Finding, Location, Score, Verdict

SCHEMA = "diag.report/1"


def _document(doc: Document, many: Callable[[Iterable[Any]], Any]) -> dict[str, Any]:
    return {
        "path": doc.path,
        "encoding": doc.encoding,
        "encoding_note": doc.encoding_note,
        "length": len(doc.text),
        "words": doc.word_count,
        "sentences": many({"start": s.start, "end": s.end} for s in doc.sentences),
        "set_aside": [{"start": a.start, "end": a.end, "reason": a.reason} for a in doc.set_aside],
    }


def _location(loc: Location | None) -> dict[str, Any] | None:
    if loc is None:
        return None
    return {"text": loc.text, "start": loc.start, "end": loc.end}


def finding_dict(f: Finding) -> dict[str, Any]:
    """One finding as the contract's JSON object."""
    return {
        "category": f.category,
        "type": f.type,
        "severity": f.severity,
        "message": f.message,
        "reference": _location(f.reference),
        "candidate": _location(f.candidate),
        "pair": f.pair,
        "suggestion": f.suggestion,
    }


def _metric(s: Score) -> dict[str, Any]:
    out: dict[str, Any] = {"score": _score(s.score), "signature": s.signature}
    if s.interval is not None:  # diag report --confidence
        out["ci"] = [s.interval[0], s.interval[1]]
        out["bootstrap_mean"] = s.bootstrap_mean
    return out


def _verdict(v: Verdict) -> dict[str, Any]:
    return {
        "relation": v.relation,
        "machine_probability": None if v.machine_probability is None else round(v.machine_probability, 4),
        "label": v.label,
        "confidence": round(v.confidence, 4),
        "probabilities": {k: round(p, 4) for k, p in v.probabilities.items()},
        "evidence": list(v.evidence),
        "features": {k: round(x, 4) for k, x in v.features.items()},
    }


#: Scores are rounded here, far below any printed precision, so that float noise
#: (BLEU 100.00000000000004) never crosses the contract's 0-100 range.
SCORE_DIGITS = 10


def _score(x: float) -> float:
    return round(x, SCORE_DIGITS)


def _scores(scores: dict[str, float]) -> dict[str, float]:
    return {k: _score(v) for k, v in scores.items()}


def to_dict(d: Diagnosis) -> dict[str, Any]:
    """The whole report as plain JSON-ready data."""
    return _report(d, list)


def _report(d: Diagnosis, many: Callable[[Iterable[Any]], Any]) -> dict[str, Any]:
    """The report, its long lists (sentence spans, pairs, findings) each made by ``many`` from a generator:
    ``list`` for ``to_dict``, ``_Lazy`` for ``write`` (made item by item as they are written)."""
    counts = {s: sum(1 for f in d.findings if f.severity == s) for s in SEVERITIES}
    out: dict[str, Any] = {"schema": SCHEMA}
    if d.id is not None:
        out["id"] = d.id
    out.update(
        {
            "diag_version": __version__,
            "signature": d.signature,
            "reference": _document(d.reference, many),
            "candidate": _document(d.candidate, many),
            "alignment": {
                "pairs": many(
                    {
                        "reference": list(p.reference),
                        "candidate": list(p.candidate),
                        "kind": p.kind,
                        "similarity": p.similarity,
                        "scores": _scores(p.scores.as_dict()) if p.scores else None,
                        "accuracy_risk": p.accuracy_risk,
                    }
                    for p in d.alignment.pairs
                ),
                "reference_coverage": d.alignment.reference_coverage,
                "candidate_coverage": d.alignment.candidate_coverage,
            },
            "metrics": {name: _metric(s) for name, s in d.metrics.items()},
            "verdict": _verdict(d.verdict),
            "findings": many(finding_dict(f) for f in d.findings),
            "mqm": {"penalty_per_1000_words": d.mqm_per_1000, "counts": counts, "words": d.candidate.word_count},
            "notes": list(d.notes),
        }
    )
    return out


def render(d: Diagnosis) -> str:
    """The report as indented JSON text (one trailing newline)."""
    return dumps_indented(to_dict(d)) + "\n"


# --- indented JSON text -------------------------------------------------------------------
# ``json.dumps(..., indent=2)`` cannot use the C encoder (only unindented output does): on a
# 10 MB document's report (100,000 pairs, 400,000 sentence spans) its generators yield millions
# of small strings, all held in one list before the join (hundreds of MB). ``dumps_indented``
# writes the same text by joining each container's items, with each scalar's text made as
# ``json``'s encoder makes it (``float.__repr__``, ``int.__repr__``, its string escaper).


class _Unsupported(Exception):
    """A value ``dumps_indented`` leaves to ``json.dumps`` (a subclass, an unusual key)."""


_INFINITY = float("inf")


def _float_text(x: float) -> str:
    if x != x:
        return "NaN"
    if x == _INFINITY:
        return "Infinity"
    if x == -_INFINITY:
        return "-Infinity"
    return float.__repr__(x)


def _null(_: None) -> str:
    return "null"


def _bool_text(x: bool) -> str:
    return "true" if x else "false"


#: Exact scalar type -> its JSON text (subclasses are left to ``json.dumps``).
_SCALARS: dict[type, Any] = {
    str: encode_basestring,
    int: int.__repr__,
    float: _float_text,
    type(None): _null,
    bool: _bool_text,
}


def _key_text(key: object) -> str:
    """A dict key as ``json`` writes it (non-string keys become strings)."""
    if isinstance(key, str):
        return str(encode_basestring(key))
    if isinstance(key, float):
        return str(encode_basestring(_float_text(key)))
    if key is True or key is False or key is None:
        return '"' + ("true" if key is True else "false" if key is False else "null") + '"'
    if isinstance(key, int):
        return '"' + int.__repr__(key) + '"'
    raise _Unsupported


def _key_entry(key: object, keys: dict[str, str]) -> str:
    """A dict key's text with its separator; a string key's is made once and kept in ``keys``."""
    text = keys.get(key) if type(key) is str else None
    if text is None:
        text = _key_text(key) + ": "
        if type(key) is str:
            keys[key] = text
    return text


def _indented(value: Any, level: int, indents: list[str], keys: dict[str, str]) -> str:
    """``value`` at nesting ``level``; ``indents[k]``: a newline and ``k`` indentation steps; ``keys``:
    each string key's text with its separator, made once."""
    scalar = _SCALARS.get(type(value))
    if scalar is not None:
        return str(scalar(value))
    kind = type(value)
    if kind is not dict and kind is not list and kind is not tuple:
        raise _Unsupported
    if not value:
        return "{}" if kind is dict else "[]"
    if len(indents) <= level + 1:
        indents.append(indents[-1] + "  ")
    inner = indents[level + 1]
    if kind is dict:
        parts = []
        for key, item in value.items():
            text = _key_entry(key, keys)
            scalar = _SCALARS.get(type(item))
            parts.append(text + (scalar(item) if scalar is not None else _indented(item, level + 1, indents, keys)))
        return "{" + inner + ("," + inner).join(parts) + indents[level] + "}"
    return "[" + inner + ("," + inner).join([_indented(v, level + 1, indents, keys) for v in value]) + indents[level] + "]"


def dumps_indented(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, the same text at a fraction of the cost
    and memory on large reports (tests/test_render_json_text.py checks it against ``json.dumps``)."""
    try:
        return _indented(value, 0, ["\n"], {})
    except (_Unsupported, RecursionError):  # json.dumps writes it, or raises its own error
        return json.dumps(value, ensure_ascii=False, indent=2)


_END = object()


class _Lazy:
    """A list of the report that ``write`` makes item by item as it writes them, never holding it whole."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


def _write_indented(value: Any, level: int, indents: list[str], keys: dict[str, str], out: Callable[[str], Any]) -> None:
    """``_indented(value, level, ...)`` passed to ``out`` in parts: a dict key by key, a ``_Lazy`` list item by item
    (each item, and anything else, whole)."""
    kind = type(value)
    if kind is not dict and kind is not _Lazy:
        out(_indented(value, level, indents, keys))
        return
    items = iter(value.items() if kind is dict else value.items)
    first = next(items, _END)
    if first is _END:
        out("{}" if kind is dict else "[]")
        return
    if len(indents) <= level + 1:
        indents.append(indents[-1] + "  ")
    inner = indents[level + 1]
    out(("{" if kind is dict else "[") + inner)
    separator = ""
    for item in itertools.chain((first,), items):
        out(separator)
        separator = "," + inner
        if kind is _Lazy:
            out(_indented(item, level + 1, indents, keys))
            continue
        key, item = item
        out(_key_entry(key, keys))
        _write_indented(item, level + 1, indents, keys, out)
    out(indents[level] + ("}" if kind is dict else "]"))


def write(d: Diagnosis, out: IO[str]) -> None:
    """Write ``render(d)`` to ``out`` in parts, never holding the report's data or text whole (a 10 MB document's
    report is some 70 MB of text). ``out`` must be seekable: where the report holds a value ``render`` leaves to
    ``json.dumps``, what was written is cut and ``render(d)`` written instead."""
    start = out.tell()
    try:
        _write_indented(_report(d, _Lazy), 0, ["\n"], {}, out.write)
    except (_Unsupported, RecursionError):
        out.seek(start)
        out.truncate()
        out.write(render(d))
        return
    out.write("\n")


def render_line(d: Diagnosis) -> str:
    """The report as one JSON line, for batch output."""
    return json.dumps(to_dict(d), ensure_ascii=False, separators=(",", ":"))
