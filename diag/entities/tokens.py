"""Tokens with document offsets and folded forms, and the shape of a sentence (all capitals, Title Case)."""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from diag import lexdata
from diag.entities.lexicon import Lexicon, fold

__all__ = ["HYPHENS", "Token", "document_words", "final_mark", "final_mark_texts", "initial_at", "mostly_upper",
           "mostly_upper_texts", "sentence_texts", "title_case", "title_case_texts", "token_norm", "token_shape", "tokenise"]

_TOKEN_PATTERN = (
    r"(?:[A-Z]\.){2,}"  # U.S., U.K.
    r"|[A-Z]{1,3}&[A-Z]{1,3}(?![^\W\d_])"  # R&D, M&A, AT&T: one acronym
    r"|\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s)?"  # 1,500.5  15:50  18th  1920s
    r"|[^\W\d_]+(?:['’](?![sS]\b)[^\W\d_]+)*"  # words, O'Brien, don't
    r"|['’][sS]\b"  # possessive
    r"|\S"
)


@functools.lru_cache(maxsize=1)
def _token_re() -> re.Pattern[str]:
    return re.compile(_TOKEN_PATTERN)


@functools.lru_cache(maxsize=1)
def _split_re() -> re.Pattern[str]:
    """The token pattern as one group: ``split`` gives the tokens and what lies between them, with no match
    objects (their lengths give the offsets)."""
    return re.compile(f"({_TOKEN_PATTERN})")


#: Tokens after which a word is the first of its sentence, quote or bracket.
OPENERS = frozenset({".", "!", "?", "“", '"', "‘", "(", ":", "—", "–", "[", "«", "-", "…", ";"})
HYPHENS = frozenset({"-", "‐", "‑", "–"})


class Token(NamedTuple):
    """A word, number or punctuation mark; ``start``/``end`` index the document text.

    The shape flags (``is_word`` ... ``inner_caps``) and ``norm`` depend on the text alone:
    ``tokenise`` computes them once per distinct text (``_shape``) rather than at every
    question, since the name rules ask them millions of times on a long document. A named
    tuple is as immutable as a frozen dataclass and several times cheaper to build.
    """

    text: str
    start: int
    end: int
    norm: str
    initial: bool  # first word of a sentence, quote or bracket
    is_word: bool  # starts with a letter
    is_number: bool  # starts with a digit
    capitalised: bool  # starts with an upper-case letter
    acronym: bool  # at least two letters, all of them upper case ("NATO", "U.S.")
    inner_caps: bool  # an upper-case letter after the first character, and a lower-case one ("iPhone", "McDonald")


#: What ``_shape`` gives: ``norm, is_word, is_number, capitalised, acronym, inner_caps``.
Shape = tuple[str, bool, bool, bool, bool, bool]


@functools.lru_cache(maxsize=1 << 16)
def _shape(t: str) -> Shape:
    """Everything about a token that its text decides (a recurring word is looked up, not recomputed)."""
    letters = [c for c in t if c.isalpha()]
    return (
        _norm(t),
        t[0].isalpha(),
        t[0].isdigit(),
        t[0].isupper(),
        len(letters) >= 2 and all(c.isupper() for c in letters),
        any(c.isupper() for c in t[1:]) and any(c.islower() for c in t),
    )


def token_shape(text: str) -> Shape:
    """The shape of a token whose text is ``text``: ``norm, is_word, is_number, capitalised, acronym, inner_caps``."""
    return _shape(text)


def token_norm(text: str) -> str:
    """The ``norm`` of a token whose text is ``text`` (folded, periods dropped from words)."""
    return _shape(text)[0]


def tokenise(text: str, offset: int) -> list[Token]:
    """The tokens of ``text``, their offsets shifted by ``offset`` (the text's start in its document).

    Built column by column with C-level maps (texts, offsets, shapes, then one tuple per token):
    every distinct sentence of both documents is tokenised, millions of tokens on a long text.
    """
    parts = _split_re().split(text)  # the white space before each token, the token, ..., the white space after
    texts = parts[1::2]
    if not texts:
        return []
    places = list(itertools.accumulate(map(len, parts), initial=offset))  # where each part starts
    starts = places[1:-1:2]
    ends = places[2::2]
    norms, is_word, is_number, capitalised, acronym, inner_caps = zip(*map(_shape, texts), strict=True)
    # first word of a sentence, quote or bracket: the first token, and any after an opener
    initial = [True, *map(OPENERS.__contains__, texts[:-1])]
    for k in _addressed(texts, starts, ends, norms):
        initial[k] = False
    columns = zip(texts, starts, ends, norms, initial, is_word, is_number, capitalised, acronym, inner_caps)
    return list(map(tuple.__new__, itertools.repeat(Token), columns))


def _addressed(texts: list[str], starts: list[int], ends: list[int], norms: Sequence[str]) -> list[int]:
    """The tokens that follow an honorific and its period ("Mr.", "Dr."): that period ends no sentence,
    the word after it is a personal name, not the first word of a sentence ("Mr. Ho said")."""
    out: list[int] = []
    k = 0
    while True:
        try:
            k = texts.index(".", k + 1)  # a period after the first token
        except ValueError:
            return out
        if k + 1 < len(texts) and starts[k] == ends[k - 1] and norms[k - 1] in lexdata.honorifics():
            out.append(k + 1)


def _norm(t: str) -> str:
    return fold(t).replace(".", "") if t[0].isalpha() else fold(t)


#: Characters of a document read at a time by ``document_words`` (cut at white space, which no token holds).
DOCUMENT_CHUNK = 1 << 20


def _chunks(text: str, size: int) -> Iterator[str]:
    """``text`` in pieces of about ``size`` characters, each cut just before white space (or at the end)."""
    start = 0
    while start < len(text):
        end = start + size
        if end < len(text):
            cut = _SPACE.search(text, end)
            end = cut.start() if cut else len(text)
        yield text[start:end]
        start = end


_SPACE = re.compile(r"\s")


def document_words(text: str, months: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """``{t.norm for t in tokenise(text, 0)}`` and the months its dates are in.

    What ``numbers.dated_months`` finds in the whole document's tokens ("February 10",
    "10 Feb", "Feb. 10"), as three-letter keys; ``months`` holds the folded month names:
    a month token is dated when a number comes right before it, right after it, or after
    it and a period. No token objects are built (a 10 MB document has two million
    tokens): the token texts are read a megabyte at a time, each distinct one folded once,
    and only the months' neighbours are looked at.
    """
    norms: dict[str, str] = {}
    month_texts: set[str] = set()
    dated: set[str] = set()
    tail: list[str] = []  # the last two tokens before this piece: a month's neighbours may lie across
    for piece in _chunks(text, DOCUMENT_CHUNK):
        texts = tail + _token_re().findall(piece)
        for t in set(texts).difference(norms):
            norm = norms[t] = _norm(t)
            if norm in months:
                month_texts.add(t)
        if month_texts:
            for k in itertools.compress(itertools.count(), map(month_texts.__contains__, texts)):
                if _dated(texts, k):
                    dated.add(norms[texts[k]][:3])
        tail = texts[-2:]
    return frozenset(norms.values()), frozenset(dated)


def _dated(texts: list[str], k: int) -> bool:
    """The month at ``texts[k]`` has a number before it, after it, or after it and a period."""
    if k > 0 and texts[k - 1][0].isdigit():
        return True
    after = texts[k + 1 : k + 3]
    return bool(after) and (after[0][0].isdigit() or (after[0] == "." and len(after) == 2 and after[1][0].isdigit()))


def mostly_upper(tokens: Sequence[Token]) -> bool:
    """Written in capitals (a shouted headline): casing says nothing there."""
    return mostly_upper_texts(list(map(_TEXT, tokens)))


def mostly_upper_texts(texts: Sequence[str]) -> bool:
    """``mostly_upper`` of the tokens whose texts are ``texts`` (every field it reads follows from the text)."""
    cases = list(map(_word_case, texts))
    words = len(cases) - cases.count(None)
    return words >= 4 and cases.count(True) >= 0.7 * words


@functools.lru_cache(maxsize=1 << 16)
def _word_case(t: str) -> bool | None:
    """For ``mostly_upper``: None for no word of two letters or more, else whether it is written in capitals."""
    return t.isupper() if len(t) > 1 and t[0].isalpha() else None


def final_mark(tokens: Sequence[Token]) -> str | None:
    """The last punctuation mark that is no closing quote or bracket (a full stop, a comma ...), or None.

    Read from the end: it is usually the last token.
    """
    return final_mark_texts(list(map(_TEXT, tokens)))


def final_mark_texts(texts: Sequence[str]) -> str | None:
    """``final_mark`` of the tokens whose texts are ``texts``."""
    return next((t for t in reversed(texts) if not t[0].isalnum() and t not in "\"”’)»"), None)


def title_case(tokens: Sequence[Token], lex: Lexicon) -> bool:
    """A Title Case line (a headline): its capitals do not make names."""
    return title_case_texts(list(map(_TEXT, tokens)), lex)


def title_case_texts(texts: Sequence[str], lex: Lexicon) -> bool:
    """``title_case`` of the tokens whose texts are ``texts`` (a token's shape follows from its text)."""
    last_end = final_mark_texts(texts)
    if last_end in {".", "!", "?"}:  # most sentences stop here, before their words are looked at
        return False
    words = [t for t in texts if len(t) > 3 and t[0].isalpha() and token_norm(t) not in lex.function]
    if len(words) == 3 and last_end is None:  # a short headline, every word capitalised ("Exports Rose Sharply"),
        return all(t[0].isupper() and token_norm(t) not in lex.title for t in words)  # not a credit ("Reporter Li Wen")
    if len(words) < 4:
        return False
    return sum(t[0].isupper() for t in words) / len(words) >= 0.75


def sentence_texts(text: str) -> list[str]:
    """The texts of ``tokenise(text, ...)``, without building the tokens (what a pass over whole documents reads)."""
    return _token_re().findall(text)


def initial_at(texts: Sequence[str], k: int) -> bool | None:
    """``tokenise(...)[k].initial`` from the token texts alone, or None where it depends on spacing: a period
    after an honorific ("Mr. Ho" and "Mr . Ho" differ), where the caller tokenises."""
    if k == 0:
        return True
    if texts[k - 1] not in OPENERS:
        return False
    if texts[k - 1] == "." and k >= 2 and token_norm(texts[k - 2]) in lexdata.honorifics():
        return None
    return True


_TEXT = operator.attrgetter("text")
