"""Word-level differences between two strings, as offsets both renderers can highlight."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)

Tag = Literal["equal", "replace", "delete", "insert"]


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One run of a word diff: ``a[a_start:a_end]`` became ``b[b_start:b_end]``.

    Offsets are ``str`` indices into the two strings given to ``word_diff``; runs cover
    each string from its first token to its last, white space between tokens included.
    """

    tag: Tag
    a_start: int
    a_end: int
    b_start: int
    b_end: int


def word_diff(a: str, b: str) -> list[DiffOp]:
    """Diff two texts word by word (punctuation marks are words of their own).

    Args:
        a: the reference side.
        b: the candidate side.

    Returns:
        The runs in order; ``equal`` runs compare case-sensitively.
    """
    from difflib import SequenceMatcher

    ta = [(m.start(), m.end()) for m in _TOKEN.finditer(a)]
    tb = [(m.start(), m.end()) for m in _TOKEN.finditer(b)]
    wa = [a[s:e] for s, e in ta]
    wb = [b[s:e] for s, e in tb]
    ops: list[DiffOp] = []
    matcher = SequenceMatcher(a=wa, b=wb, autojunk=False)

    def span(tokens: list[tuple[int, int]], i: int, j: int, text_len: int) -> tuple[int, int]:
        if i >= j:
            pos = tokens[i][0] if i < len(tokens) else text_len
            return pos, pos
        return tokens[i][0], tokens[j - 1][1]

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a0, a1 = span(ta, i1, i2, len(a))
        b0, b1 = span(tb, j1, j2, len(b))
        ops.append(DiffOp(tag, a0, a1, b0, b1))
    return ops
