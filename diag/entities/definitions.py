"""Acronyms a document defines in brackets: "Central News Agency (CNA)", "KMT (Chinese Kuomintang)".

A text that gives a name and its acronym side by side says they are one name, whatever the
acronym's letters (a romanised "Kuomintang" is "KMT"). Either text's definitions hold for both:
two translations of one text name the same bodies. The name rule ``variants.defined_acronym``
reads them, positionally (the other form must be in the aligned candidate sentence).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from diag.entities.lexicon import Lexicon, squash
from diag.entities.tokens import token_norm

#: A run of capitalised words (function words between them), then an acronym in brackets.
_NAME_THEN_ACRONYM = re.compile(
    r"((?:[A-Z][\w'’.&-]*\s+(?:(?:of|and|for|the|on|in|de|du|des|la|le|van|von|&)\s+)*)*[A-Z][\w'’.&-]*)"
    r"\s*[(（]\s*([A-Z][A-Za-z&.]{0,8}[A-Z]s?)\s*[)）]")
#: An acronym, then a run of capitalised words in brackets.
_ACRONYM_THEN_NAME = re.compile(
    r"\b([A-Z][A-Za-z&.]{0,8}[A-Z]s?)\s*[(（]\s*"
    r"((?:[A-Z][\w'’.&-]*\s+(?:(?:of|and|for|the|on|in|de|du|des|la|le|van|von|&)\s+)*)*[A-Z][\w'’.&-]*)\s*[)）]")
#: Most words an expansion keeps (a longer run before a bracket is a sentence's capitals, not one name).
MAX_EXPANSION_WORDS = 8

#: Acronym letters -> the expansions defined for it, each as its folded content words.
Definitions = Mapping[str, frozenset[tuple[str, ...]]]


def _content(name: str, lex: Lexicon) -> tuple[str, ...]:
    norms = [token_norm(w) for w in re.findall(r"[\w'’.&-]+", name)]
    return tuple(n for n in norms if n not in lex.function and n not in lex.connector and n not in lex.title)


def _letters(acronym: str) -> str:
    letters = squash(acronym)
    return letters[:-1] if acronym.endswith("s") and len(letters) > 2 else letters


def _subsequence(letters: str, text: str) -> bool:
    it = iter(text)
    return all(c in it for c in letters)


def abbreviates(letters: str, words: tuple[str, ...]) -> tuple[str, ...] | None:
    """The words from the first that starts with the acronym's first letter, when the acronym's letters stand in
    them in order ("kmt" in "Kuomintang" of "Chinese Kuomintang", "cpc" in "Communist Party China"), else None:
    a bracket after a name may give an affiliation instead ("Markus Söder (CSU)")."""
    start = next((i for i, w in enumerate(words) if w[:1] == letters[:1]), None)
    if start is None:
        return None
    kept = words[start:]
    return kept if _subsequence(letters, "".join(kept)) else None


#: A character no definition holds before or inside its brackets (not a word character, space, ``'’.&-``):
#: a bracket, a comma, a quote, a colon ... Every definition is a run of other characters, an opening
#: bracket, another such run and the closing bracket.
_BREAK = re.compile(r"[^\w'’.&\s-]")
_OPENING = frozenset("(（")
_CLOSING = frozenset(")）")


def bracket_pairs(text: str) -> list[tuple[str, str]]:
    """The (name, acronym) pairs that ``_NAME_THEN_ACRONYM`` and then ``_ACRONYM_THEN_NAME`` find in ``text``
    (``finditer`` over the whole text), each looked for only around a bracket.

    Every match lies in a window from just after the break before an opening bracket to the break just
    after it, which must be a closing bracket (no other break can be in a match: see ``_BREAK``); the
    windows do not overlap, and a search from a window's start sees the text before it as ``finditer``
    does. So the matches are those of the whole text, found without trying the patterns at every
    capitalised word of a long document (most of the entity check's time on one without brackets).
    """
    windows: list[tuple[int, int]] = []
    after_break = 0  # where the run of non-break characters before the current break starts
    opened = -1  # the start of the window of an opening bracket waiting for the next break
    for m in _BREAK.finditer(text):
        at = m.start()
        if opened >= 0 and text[at] in _CLOSING:
            windows.append((opened, at + 1))
        opened = after_break if text[at] in _OPENING else -1
        after_break = at + 1
    pairs = [(m.group(1), m.group(2)) for m in _searched(_NAME_THEN_ACRONYM, text, windows)]
    return pairs + [(m.group(2), m.group(1)) for m in _searched(_ACRONYM_THEN_NAME, text, windows)]


def _searched(pattern: re.Pattern[str], text: str, windows: list[tuple[int, int]]) -> list[re.Match[str]]:
    return [m for m in (pattern.search(text, start, end) for start, end in windows) if m is not None]


def defined_acronyms(texts: Iterable[str], lex: Lexicon) -> Definitions:
    """The acronyms ``texts`` define in brackets, with the content words of their expansions.

    Args:
        texts: the documents' texts (the reference's and the candidate's).
        lex: the word lists (function words, connectors and titles are no content words).

    Returns:
        Acronym letters (folded, a plural "s" dropped) -> expansions, each a tuple of folded
        content words; the expansion's leading titles and function words are not kept.
    """
    found: dict[str, set[tuple[str, ...]]] = {}
    for text in texts:
        for name, acronym in bracket_pairs(text):
            letters = _letters(acronym)
            words = abbreviates(letters, _content(name, lex)[-MAX_EXPANSION_WORDS:])
            if not words or "".join(words) == letters:
                continue
            found.setdefault(letters, set()).add(words)
    return {k: frozenset(v) for k, v in found.items()}


__all__ = ["Definitions", "MAX_EXPANSION_WORDS", "abbreviates", "bracket_pairs", "defined_acronyms"]
