"""Sentence-level relations from content asymmetry.

Two sentences on the same story from different outlets share names and topic words, so
character similarity alone calls them a translation. What separates them is content that
has no counterpart on the other side: a translation renders (nearly) every content word of
its reference somewhere, a different sentence on the same story carries its own facts and
clauses. ``sentence_features`` measures that, order-free and by exact word n-grams:

- ``ref_unmatched`` / ``cand_unmatched``: share of each side's content words with no
  counterpart on the other (the same word, or the same first ``STEM`` letters);
- ``longest_gap``: the longest run of consecutive reference content words without one,
  as a share of the reference's content words (an unrendered clause);
- ``length_gap``: ``|log(candidate words / reference words)|``;
- ``name_agreement``, ``number_agreement``: Dice agreement of the names and of the numbers
  of the two sides (0.5 when neither has any): a translation keeps both;
- ``shared_1grams`` ... ``shared_3grams``: Dice overlap of exact word n-grams;
- ``order``: share of pairs of matched content words that keep the reference's order
  (Kendall's concordance; 1 below ``ORDER_WORDS`` matched words).

The sentence model (fitted by ``tools/fit_verdict.py`` with hard negatives built from the
dev data: a sentence against another sentence of the same document) turns them into
P(independent); it decides between translation and independent for single-sentence inputs.
A sentence whose content is all rendered but whose order is not kept is a ``rewrite``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Mapping, Sequence
from collections.abc import Set as AbstractSet

#: Letters two content words must share at the start to count as counterparts ("elect"/"elected").
STEM = 5
#: Below this many matched content words the order is not measured (reads as kept).
ORDER_WORDS = 4
#: Words shorter than this, and the listed function words, are not content words.
MIN_CONTENT = 3
_FUNCTION = frozenset(
    "the and for that with from this was were are has had have been will would could should not but "
    "its their his her they them she him who whom which what when where while than then there these "
    "those also into over after before about said says into onto upon out off very more most such "
    "can may might must our your you all any each other some just only own same too both few".split()
)
#: Number words read as numbers (their digits are compared as written).
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred "
    "thousand million billion trillion dozen half quarter percent first second third".split()
)
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)

#: What each sentence feature measures, in words.
SENTENCE_FEATURES: Mapping[str, str] = {
    "ref_unmatched": "share of the reference's content words with no counterpart in the candidate",
    "cand_unmatched": "share of the candidate's content words with no counterpart in the reference",
    "longest_gap": "longest run of reference content words without a counterpart, as a share of them",
    "length_gap": "absolute log ratio of the two word counts",
    "name_agreement": "Dice agreement of the names (capitalised words) of the two sides (0.5 if neither has any)",
    "number_agreement": "Dice agreement of the numbers (digits, number words) of the two sides (0.5 if none)",
    "shared_1grams": "Dice overlap of exact lower-cased words",
    "shared_2grams": "Dice overlap of exact word bigrams",
    "shared_3grams": "Dice overlap of exact word trigrams",
    "order": "share of pairs of matched content words that keep the reference's order",
}


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _content(tokens: Sequence[str]) -> list[str]:
    return [t.lower() for t in tokens if len(t) >= MIN_CONTENT and t.lower() not in _FUNCTION]


def _numbers(tokens: Sequence[str]) -> set[str]:
    """Numbers: tokens with a digit and number words, lower-cased."""
    return {t.lower() for t in tokens if any(c.isdigit() for c in t) or t.lower() in NUMBER_WORDS}


def _names(tokens: Sequence[str]) -> set[str]:
    """Names: capitalised words not opening the sentence, lower-cased."""
    return {t.lower() for k, t in enumerate(tokens) if k > 0 and t[:1].isupper() and t.lower() not in NUMBER_WORDS}


def _dice(a: AbstractSet[Hashable], b: AbstractSet[Hashable], empty: float = 0.0) -> float:
    return 2.0 * len(a & b) / (len(a) + len(b)) if a or b else empty


def _ngrams(words: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[k:k + n]) for k in range(len(words) - n + 1)}


def counterparts(ref: Sequence[str], cand: Sequence[str]) -> list[int]:
    """For each reference content word, the position of its counterpart in ``cand`` (-1 if none).

    A counterpart is the same word or one sharing its first ``STEM`` letters; each candidate
    word serves once, nearest to the reference word's relative position first.
    """
    free: dict[str, list[int]] = {}
    for j, w in enumerate(cand):
        free.setdefault(w, []).append(j)
        if len(w) >= STEM:
            free.setdefault(w[:STEM] + "*", []).append(j)
    used: set[int] = set()
    out = []
    for i, w in enumerate(ref):
        where = -1
        for key in (w, w[:STEM] + "*" if len(w) >= STEM else None):
            if key is None:
                continue
            options = [j for j in free.get(key, ()) if j not in used]
            if options:
                target = i * len(cand) / max(1, len(ref))
                where = min(options, key=lambda j: (abs(j - target), j))
                break
        if where >= 0:
            used.add(where)
        out.append(where)
    return out


def _longest_run(flags: Sequence[bool]) -> int:
    best = run = 0
    for f in flags:
        run = run + 1 if f else 0
        best = max(best, run)
    return best


def _concordance(positions: Sequence[int]) -> float:
    """Share of pairs of matched words whose candidate positions keep the reference's order (Kendall's
    concordance): a moved clause breaks many pairs, a local adverb swap few."""
    n = len(positions)
    kept = sum(positions[j] > positions[i] for i in range(n) for j in range(i + 1, n))
    return kept / (n * (n - 1) / 2)


def sentence_features(reference: str, candidate: str) -> dict[str, float]:
    """The content-asymmetry features of two short texts (rounded to 6 places).

    Args:
        reference: the reference sentence (or a few).
        candidate: the candidate sentence (or a few).

    Returns:
        Feature name -> value, in the order of ``SENTENCE_FEATURES``.
    """
    rt, ct = _tokens(reference), _tokens(candidate)
    rc, cc = _content(rt), _content(ct)
    fwd = counterparts(rc, cc)
    back = counterparts(cc, rc)
    matched = [j for j in fwd if j >= 0]
    rl, cl = [t.lower() for t in rt], [t.lower() for t in ct]
    values = {
        "ref_unmatched": sum(j < 0 for j in fwd) / len(rc) if rc else 0.0,
        "cand_unmatched": sum(j < 0 for j in back) / len(cc) if cc else 0.0,
        "longest_gap": _longest_run([j < 0 for j in fwd]) / len(rc) if rc else 0.0,
        "length_gap": abs(math.log((len(ct) + 1) / (len(rt) + 1))),
        "name_agreement": _dice(_names(rt), _names(ct), empty=0.5),
        "number_agreement": _dice(_numbers(rt), _numbers(ct), empty=0.5),
        "shared_1grams": _dice(set(rl), set(cl)),
        "shared_2grams": _dice(_ngrams(rl, 2), _ngrams(cl, 2)),
        "shared_3grams": _dice(_ngrams(rl, 3), _ngrams(cl, 3)),
        "order": _concordance(matched) if len(matched) >= ORDER_WORDS else 1.0,
    }
    return {k: round(float(v), 6) for k, v in values.items()}


__all__ = ["SENTENCE_FEATURES", "counterparts", "sentence_features"]
