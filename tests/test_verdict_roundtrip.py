"""Tests for diag.verdict.roundtrip (the machine round-trip channel) and diag.verdict.policy."""

from __future__ import annotations

import pytest

from diag.model import Alignment, Finding, Location
from diag.verdict import policy, roundtrip

EMPTY = Alignment((), 1.0, 1.0)


def _f(category: str, type_: str, ref: str, cand: str, severity: str = "major") -> Finding:
    return Finding(category, type_, severity, f"{ref} -> {cand}", Location(ref, 0, len(ref)),  # type: ignore[arg-type]
                   Location(cand, 0, len(cand)))


@pytest.mark.parametrize("ref,cand,inner,caps", [
    ("SkyRail", "Skyrail", True, False),
    ("McAllister", "Mcallister", True, False),
    ("Ko", "KO", False, True),
    ("Ansa Berg", "ANSA Berg", False, True),
    ("Ansa-Berg", "ANSA-Berg", False, True),
    ("Harbour District", "Harbour district", False, False),  # a common noun lower-cased: a style choice
    ("NORDA", "Norda", False, False),                        # all-caps to title case: a style choice
    ("US", "U.S.", False, False),
    ("App", "App", False, False),
])
def test_casing_kinds(ref: str, cand: str, inner: bool, caps: bool) -> None:
    assert roundtrip.inner_capital_lost(ref, cand) is inner
    assert roundtrip.all_caps_name(ref, cand) is caps


@pytest.mark.parametrize("findings,words,points,fires", [
    ([], 500, 0.0, False),
    ([_f("casing", "casing", "SkyRail", "Skyrail", "minor")], 100, 1.0, False),  # one slip is no pattern
    ([_f("casing", "casing", "SkyRail", "Skyrail", "minor")] * 12, 100, 1.0, False),  # repeats count once
    ([_f("casing", "casing", "SkyRail", "Skyrail", "minor"), _f("casing", "casing", "Ko", "KO", "minor")],
     150, 2.0, True),
    ([_f("casing", "casing", "SkyRail", "Skyrail", "minor"), _f("casing", "casing", "Ko", "KO", "minor")],
     2000, 2.0, False),  # two slips in a long text are thin
    ([_f("number", "magnitude_changed", "4 billion", "4 million", "critical"),
      _f("named_entity", "acronym_expanded", "NORDA", "Norda")], 180, 2.0, True),
    ([_f("number", "magnitude_changed", "4 billion", "4 million", "minor"),
      _f("named_entity", "acronym_expanded", "NORDA", "Norda", "minor")], 180, 0.0, False),  # hedged findings
    ([_f("named_entity", "transliterated", f"Name{k}", f"Naim{k}") for k in range(4)], 100, 1.0, False),
    ([_f("named_entity", "name_changed", "Kestrel", "Kesteler"), _f("number", "value_changed", "35%", "53%")],
     100, 0.0, False),  # differences a second translator also makes are not round-trip evidence
])
def test_channel(findings: list[Finding], words: int, points: float, fires: bool) -> None:
    rt = roundtrip.read(findings, EMPTY, words)
    assert rt.points == pytest.approx(points)
    assert rt.fires is fires
    assert (rt.probability > 0) is (points >= roundtrip.MIN_POINTS)


def test_channel_is_monotone() -> None:
    """More evidence never lowers the channel's probability."""
    pool = [_f("casing", "casing", f"SkyRail{k}", f"Skyrail{k}", "minor") for k in range(8)]
    last = 0.0
    for n in range(len(pool) + 1):
        p = roundtrip.read(pool[:n], EMPTY, 400).probability
        assert p >= last
        last = p


def test_describe_names_the_damage() -> None:
    rt = roundtrip.read([_f("casing", "casing", "SkyRail", "Skyrail", "minor"),
                         _f("casing", "casing", "Ko", "KO", "minor")], EMPTY, 100)
    assert roundtrip.describe(rt) == ("1 name(s) lost an inner capital (SkyRail -> Skyrail); "
                                      "1 name word(s) set in all capitals (Ko -> KO)")


@pytest.mark.parametrize("relation,kept_categories", [
    ("independent", ["glossary"]),
    ("translation", ["named_entity", "omission", "glossary"]),
    ("rewrite", ["named_entity", "omission", "glossary"]),
    (None, ["named_entity", "omission", "glossary"]),
])
def test_policy(relation: str | None, kept_categories: list[str]) -> None:
    findings = [_f("named_entity", "replaced", "Valdmoor", "Brekkvik"), _f("omission", "dropped", "Ansa", ""),
                Finding("glossary", "glossary_violation", "major", "term", None, None)]
    assert [f.category for f in policy.kept(relation, findings)] == kept_categories
    assert len(policy.withheld(relation, findings)) + len(kept_categories) == 3
    assert (policy.explanation(relation, findings) is None) is (relation != "independent")


@pytest.mark.parametrize("confidence,kept_categories,says", [
    (0.99, ["glossary"], "Entity findings withheld"),
    (0.90, ["glossary"], "Entity findings withheld"),
    (0.62, ["named_entity", "omission", "glossary"], "Entity findings kept: the candidate reads as independent with only 62%"),
])
def test_policy_withholds_only_for_a_confident_verdict(confidence: float, kept_categories: list[str], says: str) -> None:
    findings = [_f("named_entity", "replaced", "Valdmoor", "Brekkvik"), _f("omission", "dropped", "Ansa", ""),
                Finding("glossary", "glossary_violation", "major", "term", None, None)]
    assert [f.category for f in policy.kept("independent", findings, confidence)] == kept_categories
    assert len(policy.withheld("independent", findings, confidence)) + len(kept_categories) == 3
    assert (policy.explanation("independent", findings, confidence) or "").startswith(says)

