"""The JSON report: the ``diag.report/1`` contract that the scorer and CI users rely on.

Extend it, never break it: keys are only ever added. Offsets are Python ``str`` indices
into the decoded input texts.
"""

from __future__ import annotations

import json
from typing import Any

from diag import __version__
from diag.model import SEVERITIES, Diagnosis, Document, Finding, Location, Score, Verdict

SCHEMA = "diag.report/1"


def _document(doc: Document) -> dict[str, Any]:
    return {
        "path": doc.path,
        "encoding": doc.encoding,
        "encoding_note": doc.encoding_note,
        "length": len(doc.text),
        "words": doc.word_count,
        "sentences": [{"start": s.start, "end": s.end} for s in doc.sentences],
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
    counts = {s: sum(1 for f in d.findings if f.severity == s) for s in SEVERITIES}
    out: dict[str, Any] = {"schema": SCHEMA}
    if d.id is not None:
        out["id"] = d.id
    out.update(
        {
            "diag_version": __version__,
            "signature": d.signature,
            "reference": _document(d.reference),
            "candidate": _document(d.candidate),
            "alignment": {
                "pairs": [
                    {
                        "reference": list(p.reference),
                        "candidate": list(p.candidate),
                        "kind": p.kind,
                        "similarity": p.similarity,
                        "scores": _scores(p.scores.as_dict()) if p.scores else None,
                        "accuracy_risk": p.accuracy_risk,
                    }
                    for p in d.alignment.pairs
                ],
                "reference_coverage": d.alignment.reference_coverage,
                "candidate_coverage": d.alignment.candidate_coverage,
            },
            "metrics": {name: _metric(s) for name, s in d.metrics.items()},
            "verdict": _verdict(d.verdict),
            "findings": [finding_dict(f) for f in d.findings],
            "mqm": {"penalty_per_1000_words": d.mqm_per_1000, "counts": counts, "words": d.candidate.word_count},
            "notes": list(d.notes),
        }
    )
    return out


def render(d: Diagnosis) -> str:
    """The report as indented JSON text (one trailing newline)."""
    return json.dumps(to_dict(d), ensure_ascii=False, indent=2) + "\n"


def render_line(d: Diagnosis) -> str:
    """The report as one JSON line, for batch output."""
    return json.dumps(to_dict(d), ensure_ascii=False, separators=(",", ":"))
