"""The independent-text policy, in one place: which findings a relation withholds, and why.

An independent text renders none of the reference's names and numbers, so the differences
the entity check finds in its chance pairs (two sentences on the same story that happen to
align) are not damage: they are withheld from the report. Glossary violations stay: terms
the candidate must carry count whatever the candidate is. The pipeline applies ``kept``;
the verdict states ``explanation`` in its evidence and counts the withheld findings in its
``withheld_findings`` feature, so a report never shows a damage rate beside zero findings
without saying why.

Withholding is for a confident verdict only (``WITHHOLD_CONFIDENCE``). Two short texts are
where the verdict is least sure: a free human translation and a literal machine one of the
same sentence can share few content words, and a sentence judged "possibly independent" at
60% may well be a translation whose damage the report must show. Below the bar the findings
stay, and the evidence says why.
"""

from __future__ import annotations

from collections.abc import Sequence

from diag.model import Finding

#: Relations whose entity findings are withheld.
WITHHOLDING_RELATIONS: frozenset[str] = frozenset({"independent"})
#: Finding categories kept whatever the relation.
ALWAYS_KEPT: frozenset[str] = frozenset({"glossary"})
#: The verdict's confidence from which its relation withholds findings.
WITHHOLD_CONFIDENCE = 0.85


def withheld(relation: str | None, findings: Sequence[Finding], confidence: float = 1.0) -> tuple[Finding, ...]:
    """The findings the policy withholds: none unless the text is independent with ``WITHHOLD_CONFIDENCE``."""
    if relation not in WITHHOLDING_RELATIONS or confidence < WITHHOLD_CONFIDENCE:
        return ()
    return tuple(f for f in findings if f.category not in ALWAYS_KEPT)


def kept(relation: str | None, findings: Sequence[Finding], confidence: float = 1.0) -> tuple[Finding, ...]:
    """The findings a report shows for this relation and confidence."""
    if not withheld(relation, findings, confidence):
        return tuple(findings)
    return tuple(f for f in findings if f.category in ALWAYS_KEPT)


def explanation(relation: str | None, findings: Sequence[Finding], confidence: float = 1.0) -> str | None:
    """The evidence sentence saying what was withheld (or kept despite the relation) and why, or None."""
    if relation not in WITHHOLDING_RELATIONS:
        return None
    n = sum(f.category not in ALWAYS_KEPT for f in findings)
    if not n:
        return None
    if confidence < WITHHOLD_CONFIDENCE:
        return (f"Entity findings kept: the candidate reads as independent with only {confidence:.0%} confidence "
                f"(withheld from {WITHHOLD_CONFIDENCE:.0%}), so the {n} difference(s) found may be damage.")
    return (f"Entity findings withheld: an independent text renders none of the reference's names and numbers, "
            f"so the {n} difference(s) found in its chance pairs are not damage.")


__all__ = ["ALWAYS_KEPT", "WITHHOLDING_RELATIONS", "WITHHOLD_CONFIDENCE", "explanation", "kept", "withheld"]
