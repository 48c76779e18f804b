"""Pairing evidence: where a reference mention went in its candidate sentence(s).

Neighbouring words, a token alignment of the pair, relative position; the weights and limits
the pairing uses are one frozen configuration, ``PAIRING``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from diag.align import SUMMARY_COVERAGE
from diag.entities.lexicon import Lexicon
from diag.entities.mentions import Mention, Side
from diag.entities.words import find_seq

Opcodes = Sequence[tuple[str, int, int, int, int]]


@dataclass(frozen=True)
class PairingConfig:
    """Every limit and weight of the pairing, in one place."""

    #: Character similarity above which a changed name counts as a transliteration of the original.
    transliteration_similarity: float = 0.6
    #: Sound similarity (jellyfish Metaphone keys, Jaro-Winkler) from which a changed name counts as transliterated.
    sound_alike: float = 0.75
    #: Largest number of candidate tokens between two surviving neighbours for a mention to count as removed there.
    anchor_gap: int = 2
    #: Largest difference in relative sentence position for a dropped and an added person's name to be paired.
    person_drift: float = 0.3
    #: Largest distance, in aligned pairs, between a dropped person's name and the candidate name that may be its rendering.
    person_pairs: int = 1
    #: Reference coverage of the alignment below which the candidate counts as a summary (omissions become minor).
    summary_coverage: float = SUMMARY_COVERAGE
    #: Share of reference words kept in order above which a pair counts as a close rendering.
    close_pair: float = 0.6
    #: Base scores of a candidate name paired with a reference name, by what explains the pairing.
    score_acronym: float = 3.0
    score_shared_word: float = 2.0
    score_sound: float = 2.0


PAIRING = PairingConfig()


def neighbours(side: Side, m: Mention) -> tuple[str | None, str | None]:
    """The nearest word (or number) on each side of a mention, skipping punctuation and possessives."""
    left = right = None
    skip = {"the", "a", "an", "'s"}
    k = m.first - 1
    while k >= 0 and (not (side.tokens[k].is_word or side.tokens[k].is_number) or side.tokens[k].norm in skip):
        k -= 1
    if k >= 0:
        left = side.tokens[k].norm
    k = m.last + 1
    while k < len(side.tokens) and (
        not (side.tokens[k].is_word or side.tokens[k].is_number) or side.tokens[k].norm in skip
    ):
        k += 1
    if k < len(side.tokens):
        right = side.tokens[k].norm
    return left, right


def context_score(ref: Side, r: Mention, cand: Side, c: Mention) -> int:
    """2 when the candidate mention sits between the same neighbours (a missing neighbour on both sides counts), 1 for one."""
    rl, rr = neighbours(ref, r)
    cl, cr = neighbours(cand, c)
    left = rl == cl if rl is not None or cl is not None else (rr is not None and rr == cr)
    right = rr == cr if rr is not None or cr is not None else (rl is not None and rl == cl)
    return int(left) + int(right)


def relpos(side: Side, m: Mention) -> float:
    return m.first / max(1, len(side.tokens))


def anchored_removal(ref: Side, r: Mention, cand: Side) -> bool:
    """The mention's neighbours survive next to each other in the candidate: it was cut out there."""
    rw = ref.norms
    left = [t for t in rw[max(0, r.first - 2) : r.first] if t[:1].isalnum()]
    right = [t for t in rw[r.last + 1 : r.last + 3] if t[:1].isalnum()]
    cw_words = cand.word_norms
    if not left and not right:
        return False
    if not left:
        return cw_words[: len(right)] == right or find_seq(right, cw_words) in range(PAIRING.anchor_gap + 1)
    if not right:
        k = find_seq(left, cw_words)
        return k >= 0 and len(cw_words) - (k + len(left)) <= PAIRING.anchor_gap
    for k in range(len(cw_words) - len(left) + 1):
        if cw_words[k : k + len(left)] == left:
            after = k + len(left)
            for gap in range(PAIRING.anchor_gap + 1):
                if cw_words[after + gap : after + gap + len(right)] == right:
                    return True
    return False


def attribution(side: Side, m: Mention, lex: Lexicon) -> str | None:
    """The reporting verb right before a mention (", said Brian Wong"), if any."""
    words = [t for t in side.tokens[max(0, m.first - 3) : m.first] if t.is_word]
    for t in reversed(words[-2:]):
        if t.norm in lex.attribution:
            return t.norm
    return None


def deleted_words(r: Mention, ref: Side, opcodes: Sequence[tuple[str, int, int, int, int]], lex: Lexicon) -> list[int]:
    """Token indices of the mention's words that a token alignment simply cuts out (nothing put in their place)."""
    hit = [op for op in opcodes if op[0] != "equal" and op[1] <= r.last and op[2] > r.first]
    if not hit or any(op[0] != "delete" for op in hit):
        return []
    return [k for op in hit for k in range(max(op[1], r.first), min(op[2], r.last + 1))
            if ref.tokens[k].is_word and ref.tokens[k].norm not in lex.function and ref.tokens[k].norm not in lex.title]


def local_replacement(ref: Side, r: Mention, cand: Side, opcodes: Sequence[tuple[str, int, int, int, int]],
                       lex: Lexicon) -> tuple[str, int, int, int, int] | None:
    """What took the mention's tokens in a token alignment of the pair.

    Returns ``(tag, cand first, cand last, ref first, ref end)``: tag ``"delete"`` when the mention's
    tokens were simply cut out, ``"replace"`` when a short stretch of candidate words took their place.
    """
    hit = [op for op in opcodes if op[0] != "equal" and op[1] <= r.last and op[2] > r.first]
    if not hit:
        return None
    i1, i2 = min(op[1] for op in hit), max(op[2] for op in hit)
    if all(op[0] == "delete" for op in hit):
        return ("delete", hit[0][3], hit[0][3], i1, i2)
    j1, j2 = min(op[3] for op in hit), max(op[4] for op in hit)
    got = [k for k in range(j1, j2) if cand.tokens[k].is_word or cand.tokens[k].is_number]
    while got and cand.tokens[got[0]].norm in lex.function:
        got.pop(0)
    while got and cand.tokens[got[-1]].norm in lex.function:
        got.pop()
    if not got:
        return ("delete", j1, j1, i1, i2)
    width = r.last - r.first + 1
    ref_words = [t for t in ref.tokens[i1:i2] if t.is_word]
    namey = all(t.capitalised or t.norm in lex.connector or t.norm in lex.function for t in ref_words)
    if (i2 - i1 <= width + 3 or namey) and got[-1] - got[0] + 1 <= 2 * width + 4:
        return ("replace", got[0], got[-1], i1, i2)
    return None


def token_opcodes(a: Sequence[str], b: Sequence[str]) -> Opcodes:
    """difflib's opcodes turning token sequence ``a`` into ``b``.

    Two equal sequences are one ``equal`` block (no block at all when empty), which is what difflib
    finds, without matching them: a copied sentence is common, and its matcher costs more than the rules.
    """
    if a == b:
        return [("equal", 0, len(a), 0, len(b))] if a else []
    return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def closeness(ref: Side, cand: Side) -> float:
    """Share of the reference's words that the candidate keeps, in order."""
    a = [t.norm for t in ref.tokens if t.is_word or t.is_number]
    b = [t.norm for t in cand.tokens if t.is_word or t.is_number]
    if not a:
        return 0.0
    if a == b:  # what difflib's matching blocks give a sequence and its copy: all of it
        return 1.0
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(bl.size for bl in blocks) / len(a)

