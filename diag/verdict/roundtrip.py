"""The machine round-trip channel: mechanical damage that a human translator does not produce.

In a round trip (an original text machine-translated into another language and back) the
reference *is* the original, so the candidate's names and numbers should come back as they
were. Engines that go through a language without case or with a different script leave
recurring, mechanical traces there, which a human translator of the same content does not:

============================  ======  ==============================================================
kind                          weight  what (read from the entity findings by category and type)
============================  ======  ==============================================================
``inner_capital_lost``        1.0     a name's inner capital folded: a reference word with an upper-
                                      case letter after a lower-case one comes back with only its
                                      first letter upper case (a casing finding)
``all_caps_name``             1.0     a title-case name word comes back all in capitals (surname
                                      convention of an intermediate language; a casing finding)
``magnitude_changed``         1.0     the same digits with another scale word (a number finding)
``sound_alike_name``          0.25    a name replaced by a transliteration of how it sounds
``acronym_expanded``          1.0     an acronym rendered as a word it happens to spell
``unrendered_sentence``       0.5     a one-to-one pair that renders nothing of its reference
                                      (trigram similarity below ``UNRENDERED_SIMILARITY``) inside an
                                      otherwise faithful alignment (median pair similarity at least
                                      ``FAITHFUL_SIMILARITY``, both coverages at least
                                      ``FAITHFUL_COVERAGE``)
============================  ======  ==============================================================

Weights are hand-set, not fitted (the dev data has round trips only as single sentences):
casing and magnitude damage, and an acronym taken for the word it spells, are mechanical
(weight 1: a human translator reads the acronym as a name); an unrendered sentence also
occurs between two human translators of a foreign source, so it counts half; two translators of a foreign name often transliterate it differently (12 of the
94 dev human translations carry such variants, none loses an inner capital), so a sound-alike
counts a quarter: it adds to mechanical evidence but takes eight to fire the channel alone. Each *distinct* damaged form counts once, however often it
recurs (one name mangled 20 times is one piece of evidence).

The channel is monotone: its probability ``1 - exp(-density / DENSITY_SCALE)`` grows with the
evidence per 100 words (``density``, at least ``MIN_WORDS`` words counted so a short text's
single slip is not a rate) and is zero below ``MIN_POINTS`` points (one slip is a translator's
choice or a typo; a machine's treatment recurs). No evidence ever counts against a machine:
the verdict combines it with the machine model as a noisy-OR.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from diag.model import Alignment, Finding

#: Points per distinct damaged form, by kind (see the module's table for the rationale).
WEIGHTS: Mapping[str, float] = {
    "inner_capital_lost": 1.0,
    "all_caps_name": 1.0,
    "magnitude_changed": 1.0,
    "sound_alike_name": 0.25,
    "acronym_expanded": 1.0,
    "unrendered_sentence": 0.5,
}
#: Below this many points the channel does not fire (one slip is no pattern).
MIN_POINTS = 2.0
#: Texts shorter than this are counted as this long: a short text's few slips are not a rate.
MIN_WORDS = 200
#: Points per 100 words at which the channel's probability reaches 1 - 1/e (0.63); at twice it, 0.86.
DENSITY_SCALE = 0.3
#: The channel fires (the label says "machine round trip") from this probability.
FIRES_AT = 0.5
#: A pair below this trigram similarity renders nothing of its reference.
UNRENDERED_SIMILARITY = 0.15
#: ... when the alignment is otherwise faithful: median pair similarity and both coverages at least these.
FAITHFUL_SIMILARITY = 0.45
FAITHFUL_COVERAGE = 0.9

#: How each kind reads in the evidence, with the count of distinct forms.
DESCRIPTIONS: Mapping[str, str] = {
    "inner_capital_lost": "name(s) lost an inner capital",
    "all_caps_name": "name word(s) set in all capitals",
    "magnitude_changed": "number(s) changed magnitude",
    "sound_alike_name": "name(s) replaced by a sound-alike",
    "acronym_expanded": "acronym(s) rendered as a word",
    "unrendered_sentence": "sentence(s) rendered nothing of the reference inside a faithful alignment",
}


@dataclass(frozen=True)
class RoundTrip:
    """The channel's reading of one candidate.

    Attributes:
        forms: kind -> distinct damaged forms (``"reference -> candidate"``), sorted.
        points: weighted count of distinct forms.
        density: points per 100 words (at least ``MIN_WORDS`` words counted).
        probability: P(machine round trip) from this evidence alone, 0 when it is too thin.
    """

    forms: Mapping[str, tuple[str, ...]]
    points: float
    density: float
    probability: float

    @property
    def fires(self) -> bool:
        return fires(self.probability)


def fires(probability: float) -> bool:
    """The channel fires: the label says machine round trip (and the wording policy grades by it)."""
    return probability >= FIRES_AT


def _has_inner_capital(word: str) -> bool:
    return any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False))


def _words_of(text: str) -> list[str]:
    return [w for w in text.replace("-", " ").split() if any(c.isalpha() for c in w)]


def inner_capital_lost(ref: str, cand: str) -> bool:
    """``TikTok`` -> ``Tiktok``: a word with an inner capital comes back with only its first letter upper."""
    pairs = list(zip(_words_of(ref), _words_of(cand), strict=False))
    return any(_has_inner_capital(r) and r.lower() == c.lower() and c[:1].isupper() and c[1:] == c[1:].lower()
               for r, c in pairs)


def all_caps_name(ref: str, cand: str) -> bool:
    """``Xi`` -> ``XI``: a title-case word of two or more letters comes back all in capitals."""
    pairs = list(zip(_words_of(ref), _words_of(cand), strict=False))
    return any(len(r) >= 2 and r[0].isupper() and r[1:].islower() and r.lower() == c.lower() and c.isupper()
               for r, c in pairs)


#: Casing findings sorted into kinds by what changed between the two spans.
_CASING_KINDS: tuple[tuple[str, Callable[[str, str], bool]], ...] = (
    ("inner_capital_lost", inner_capital_lost),
    ("all_caps_name", all_caps_name),
)
#: Entity findings (category, type) -> kind; only major or critical ones count (minor ones are hedged).
_TYPE_KINDS: Mapping[tuple[str, str], str] = {
    ("number", "magnitude_changed"): "magnitude_changed",
    ("named_entity", "transliterated"): "sound_alike_name",
    ("named_entity", "acronym_expanded"): "acronym_expanded",
}


def _finding_kind(f: Finding) -> str | None:
    if f.reference is None or f.candidate is None:
        return None
    if f.category == "casing":
        return next((k for k, test in _CASING_KINDS if test(f.reference.text, f.candidate.text)), None)
    if f.severity == "minor":
        return None
    return _TYPE_KINDS.get((f.category, f.type))


def unrendered_pairs(alignment: Alignment) -> list[int]:
    """Indices of one-to-one pairs that render nothing of their reference inside a faithful alignment."""
    matched = alignment.matched()
    if (len(matched) < 3 or alignment.reference_coverage < FAITHFUL_COVERAGE
            or alignment.candidate_coverage < FAITHFUL_COVERAGE):
        return []
    if statistics.median(p.similarity for p in matched) < FAITHFUL_SIMILARITY:
        return []
    return [k for k, p in enumerate(alignment.pairs)
            if p.kind == "1-1" and p.similarity < UNRENDERED_SIMILARITY]


def read(findings: Sequence[Finding], alignment: Alignment, candidate_words: int) -> RoundTrip:
    """The round-trip channel's evidence and probability for one candidate.

    Args:
        findings: the entity stage's findings (read by category, type and spans, never by message).
        alignment: the sentence alignment (for unrendered sentences).
        candidate_words: words in the candidate.

    Returns:
        A ``RoundTrip``; its probability is 0 below ``MIN_POINTS`` points.
    """
    forms: dict[str, set[str]] = {k: set() for k in WEIGHTS}
    for f in findings:
        kind = _finding_kind(f)
        if kind is not None and f.reference is not None and f.candidate is not None:
            forms[kind].add(f"{f.reference.text} -> {f.candidate.text}")
    for k in unrendered_pairs(alignment):
        forms["unrendered_sentence"].add(f"pair {k + 1}")
    points = sum(WEIGHTS[k] * len(v) for k, v in forms.items())
    density = 100.0 * points / max(candidate_words, MIN_WORDS)
    probability = 0.0 if points < MIN_POINTS else 1.0 - math.exp(-density / DENSITY_SCALE)
    return RoundTrip({k: tuple(sorted(v)) for k, v in forms.items() if v}, points, round(density, 6),
                     round(probability, 6))


def describe(rt: RoundTrip, examples: int = 2) -> str:
    """The channel's evidence in words, e.g. ``2 name(s) lost an inner capital (A -> a, ...)``."""
    parts = []
    for kind in WEIGHTS:
        forms = rt.forms.get(kind, ())
        if forms:
            shown = ", ".join(forms[:examples]) + (", ..." if len(forms) > examples else "")
            parts.append(f"{len(forms)} {DESCRIPTIONS[kind]} ({shown})")
    return "; ".join(parts)


__all__ = ["DESCRIPTIONS", "RoundTrip", "WEIGHTS", "all_caps_name", "describe", "fires", "inner_capital_lost", "read",
           "unrendered_pairs"]
