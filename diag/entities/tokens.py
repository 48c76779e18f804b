"""Tokens with document offsets and folded forms, and the shape of a sentence (all capitals, Title Case)."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from diag import lexdata
from diag.entities.lexicon import Lexicon, fold

__all__ = ["HYPHENS", "Token", "document_words", "mostly_upper", "title_case", "tokenise"]

_TOKEN_PATTERN = (
    r"(?:[A-Z]\.){2,}"  # U.S., U.K.
    r"|\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s)?"  # 1,500.5  15:50  18th  1920s
    r"|[^\W\d_]+(?:['’](?![sS]\b)[^\W\d_]+)*"  # words, O'Brien, don't
    r"|['’][sS]\b"  # possessive
    r"|\S"
)


@functools.lru_cache(maxsize=1)
def _token_re() -> re.Pattern[str]:
    return re.compile(_TOKEN_PATTERN)


#: Tokens after which a word is the first of its sentence, quote or bracket.
OPENERS = frozenset({".", "!", "?", "“", '"', "‘", "(", ":", "—", "–", "[", "«", "-", "…", ";"})
HYPHENS = frozenset({"-", "‐", "‑", "–"})


@dataclass(frozen=True, slots=True)
class Token:
    """A word, number or punctuation mark; ``start``/``end`` index the document text."""

    text: str
    start: int
    end: int
    norm: str
    initial: bool  # first word of a sentence, quote or bracket

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()

    @property
    def is_number(self) -> bool:
        return self.text[0].isdigit()

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def acronym(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)

    @property
    def inner_caps(self) -> bool:
        return any(c.isupper() for c in self.text[1:]) and any(c.islower() for c in self.text)


def tokenise(text: str, offset: int) -> list[Token]:
    """The tokens of ``text``, their offsets shifted by ``offset`` (the text's start in its document)."""
    tokens: list[Token] = []
    prev: str | None = None
    for m in _token_re().finditer(text):
        t = m.group()
        norm = _norm(t)
        initial = prev is None or (prev in OPENERS and not _addressed(tokens))
        tokens.append(Token(t, m.start() + offset, m.end() + offset, norm, initial))
        prev = t
    return tokens


def _addressed(tokens: Sequence[Token]) -> bool:
    """The tokens end in an honorific and its period ("Mr.", "Dr."): that period ends no sentence, the
    word after it is a personal name, not the first word of a sentence ("Mr. Ho said")."""
    return (len(tokens) >= 2 and tokens[-1].text == "." and tokens[-1].start == tokens[-2].end
            and tokens[-2].norm in lexdata.honorifics())


def _norm(t: str) -> str:
    return fold(t).replace(".", "") if t[0].isalpha() else fold(t)


def document_words(text: str, months: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """``{t.norm for t in tokenise(text, 0)}`` and the months its dates are in, in one pass.

    What ``numbers.dated_months`` finds in the whole document's tokens ("February 10",
    "10 Feb", "Feb. 10"), as three-letter keys; ``months`` holds the folded month names.
    No token objects are built (a 10 MB document has two million of them), and each
    distinct token is folded once.
    """
    norms: dict[str, str] = {}
    dated: set[str] = set()
    previous_number = False
    waiting: str | None = None  # a month seen: is the next token (after a ".") a number?
    after_period = False
    for m in _token_re().finditer(text):
        t = m.group()
        norm = norms.get(t)
        if norm is None:
            norm = norms[t] = _norm(t)
        number = t[0].isdigit()
        if waiting is not None:
            if t == "." and not after_period:
                after_period = True
            else:
                if number:
                    dated.add(waiting)
                waiting, after_period = None, False
        if norm in months:
            if previous_number:
                dated.add(norm[:3])
            else:
                waiting, after_period = norm[:3], False
        previous_number = number
    return frozenset(norms.values()), frozenset(dated)


def mostly_upper(tokens: Sequence[Token]) -> bool:
    """Written in capitals (a shouted headline): casing says nothing there."""
    words = [t for t in tokens if t.is_word and len(t.text) > 1]
    return len(words) >= 4 and sum(t.text.isupper() for t in words) >= 0.7 * len(words)


def title_case(tokens: Sequence[Token], lex: Lexicon) -> bool:
    """A Title Case line (a headline): its capitals do not make names."""
    words = [t for t in tokens if t.is_word and len(t.text) > 3 and t.norm not in lex.function]
    ends = [t.text for t in tokens if not t.text[0].isalnum() and t.text not in "\"”’)»"]
    if ends and ends[-1] in {".", "!", "?"}:
        return False
    if len(words) == 3 and len(ends) == 0:  # a short headline, every word capitalised ("Exports Rose Sharply"),
        return all(t.capitalised and t.norm not in lex.title for t in words)  # not a credit ("Reporter Li Wen")
    if len(words) < 4:
        return False
    return sum(t.capitalised for t in words) / len(words) >= 0.75
