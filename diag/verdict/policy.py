"""The independent-text policy, in one place: which findings a relation withholds, and why.

An independent text renders none of the reference's names and numbers, so the differences
the entity check finds in its chance pairs (two sentences on the same story that happen to
align) are not damage: they are withheld from the report. Glossary violations stay: terms
the candidate must carry count whatever the candidate is. The pipeline applies ``kept``;
the verdict states ``explanation`` in its evidence and counts the withheld findings in its
``withheld_findings`` feature, so a report never shows a damage rate beside zero findings
without saying why.
"""

from __future__ import annotations

from collections.abc import Sequence

from diag.model import Finding

#: Relations whose entity findings are withheld.
WITHHOLDING_RELATIONS: frozenset[str] = frozenset({"independent"})
#: Finding categories kept whatever the relation.
ALWAYS_KEPT: frozenset[str] = frozenset({"glossary"})


def withheld(relation: str | None, findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """The findings the policy withholds for this relation (none unless it is independent)."""
    if relation not in WITHHOLDING_RELATIONS:
        return ()
    return tuple(f for f in findings if f.category not in ALWAYS_KEPT)


def kept(relation: str | None, findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """The findings a report shows for this relation."""
    dropped = set(map(id, withheld(relation, findings)))
    return tuple(f for f in findings if id(f) not in dropped)


def explanation(relation: str | None, findings: Sequence[Finding]) -> str | None:
    """The evidence sentence saying what was withheld and why, or None when nothing was."""
    n = len(withheld(relation, findings))
    if not n:
        return None
    return (f"Entity findings withheld: an independent text renders none of the reference's names and numbers, "
            f"so the {n} difference(s) found in its chance pairs are not damage.")


__all__ = ["ALWAYS_KEPT", "WITHHOLDING_RELATIONS", "explanation", "kept", "withheld"]
