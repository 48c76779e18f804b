"""The relation policies, in one place: which findings a relation withholds, and why; how a relation grades
a translator's wording.

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

Two translations of one foreign text word its names' generic words differently ("Health Bureau" /
"Health Commission", "Public Relations Office" / "Office of Public Affairs"): the entity stage
reports such a change as a minor ``wording_changed``. Where the candidate was made from the
reference's own words (a copy, or a machine round trip whose channel fires: the reference is the
original), the same change is damage, and ``graded`` makes it major.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from diag.model import Finding, Verdict
from diag.verdict.roundtrip import fires

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


#: Findings (category, type) that are a translator's wording where both texts translate a third text, and damage
#: where the candidate was made from the reference's own words.
WORDING: frozenset[tuple[str, str]] = frozenset({("named_entity", "wording_changed")})
#: Relations whose candidate is made from the reference's own words (a translation only when it is a round trip).
FROM_REFERENCE_RELATIONS: frozenset[str] = frozenset({"copy"})


def from_reference(verdict: Verdict) -> bool:
    """The candidate was made from the reference's own words: a copy, or a machine round trip of it (the
    round-trip channel fires: the reference reads as the original)."""
    if verdict.relation in FROM_REFERENCE_RELATIONS:
        return True
    return verdict.relation == "translation" and fires(verdict.features.get("round_trip_probability", 0.0))


def graded(verdict: Verdict, findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """The findings with the wording policy applied: a generic word changed inside a name (``WORDING``: "Health
    Bureau" / "Health Commission") is minor between two translations of a third text, where translators word
    a foreign name differently, and major where the candidate was made from the reference's own words
    (``from_reference``: "Cyberspace Administration" coming back from a round trip as "Cyberspace Agency")."""
    if not from_reference(verdict):
        return tuple(findings)
    return tuple(replace(f, severity="major") if (f.category, f.type) in WORDING else f for f in findings)


__all__ = ["ALWAYS_KEPT", "FROM_REFERENCE_RELATIONS", "WITHHOLDING_RELATIONS", "WITHHOLD_CONFIDENCE", "WORDING",
           "explanation", "from_reference", "graded", "kept", "withheld"]
