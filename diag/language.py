"""Is a text English? diag reads English only; a text in another language is refused.

Two small, offline signals, each a named check (``CHECKS``) returning what it found or
``None``:

- ``script``: the share of (weighted) letters in a script other than Latin. A Chinese,
  Russian or Arabic text is mostly letters of its own script.
- ``function_words``: for a Latin-script text of some length, the share of its words that
  are English function words ("the", "of", "and" ...), against the share of another
  language's. Running English prose has 35-50% of them; German, French, Spanish, Dutch,
  Italian or Portuguese prose has a few percent, and many of its own.

Short texts (a headline, one sentence) are given the benefit of the doubt: below
``MIN_WORDS`` words only the script counts, and only from ``MIN_LETTERS`` letters.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from diag.errors import InputError

#: Letters (CJK weighted) before the script is judged at all.
MIN_LETTERS = 40
#: A text whose letters are less than this share Latin is not English.
MIN_LATIN_SHARE = 0.5
#: Words before the function words are judged at all.
MIN_WORDS = 30
#: Running English has far more of its function words than this; a list or a table may
#: have few, so the other language must also have more of its own.
MAX_ENGLISH_SHARE_OF_FOREIGN = 0.12

#: The commonest function words of each language, written for this module from their
#: grammars (articles, pronouns, prepositions, conjunctions, auxiliaries). Words shared by
#: English and a language (a, in, on, to, die) are left out of that language's list.
FUNCTION_WORDS: Mapping[str, frozenset[str]] = {
    "English": frozenset(
        "the of and to a in is that for it was on with as by at from his her he she they we be "
        "are were has have had not this which or an but their its been will would who said also".split()
    ),
    "German": frozenset(
        "der die das und ist nicht ein eine einen dem den des mit sich auf für von zu im "
        "auch es sie wird wurde sind werden nach bei aus wie oder dass über".split()
    ),
    "French": frozenset(
        "le la les et est un une des du pour dans que qui pas sur avec au aux ce cette il elle "
        "sont ont été par mais ou plus nous vous leur".split()
    ),
    "Spanish": frozenset(
        "el la los las y es un una del que en por para con no se su sus al lo como más pero "
        "fue ha han este esta son".split()
    ),
    "Italian": frozenset(
        "il lo la gli le e è un una del della dei che di per con non si sono al nel alla "
        "anche come ma più stato questo".split()
    ),
    "Portuguese": frozenset(
        "o os as e é um uma do da dos das que em no na por para com não se foi ao pelo pela "
        "mais mas como são".split()
    ),
    "Dutch": frozenset(
        "de het een en is van op dat niet met voor zijn er aan ook als bij maar om naar dan "
        "werd wordt hij zij".split()
    ),
}

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True, slots=True)
class NotEnglish:
    """What was found in a text that is not English, in words for a message."""

    found: str


def script(text: str) -> NotEnglish | None:
    """Mostly letters of a script other than Latin."""
    from diag.ingest import _family, _script_weights

    weights = _script_weights(text)
    total = sum(weights.values())
    if total < MIN_LETTERS or weights.get("Latin", 0) >= MIN_LATIN_SHARE * total:
        return None
    families: dict[str, int] = {}
    for name, weight in weights.items():
        families[_family(name)] = families.get(_family(name), 0) + weight
    top, weight = max(((k, v) for k, v in families.items() if k != "Latin"), key=lambda kv: kv[1])
    return NotEnglish(f"{weight / total:.0%} of its letters are {top} script")


def function_words(text: str) -> NotEnglish | None:
    """Few English function words, and more of another language's."""
    # counted in C (a 10 MB text has two million words); the same integers as testing each word
    counts = Counter(map(str.lower, _WORD_RE.findall(text)))
    n = sum(counts.values())
    if n < MIN_WORDS:
        return None
    shares = {lang: sum(counts[w] for w in fw) / n for lang, fw in FUNCTION_WORDS.items()}
    english = shares.pop("English")
    language, share = max(shares.items(), key=lambda kv: kv[1])
    if english >= MAX_ENGLISH_SHARE_OF_FOREIGN or share <= english:
        return None
    return NotEnglish(
        f"{share:.0%} of its words are {language} function words, {english:.0%} English ones; it reads as {language}"
    )


#: The checks, in order; the first that finds something decides.
CHECKS: tuple[Callable[[str], NotEnglish | None], ...] = (script, function_words)


def not_english(text: str) -> NotEnglish | None:
    """What makes ``text`` not English, or None if it may well be English."""
    for check in CHECKS:
        found = check(text)
        if found is not None:
            return found
    return None


def require_english(text: str, name: str) -> None:
    """Refuse a text that is not English.

    Raises:
        InputError: one line naming ``name`` and what was found.
    """
    found = not_english(text)
    if found is not None:
        raise InputError(f"{name}: not English ({found.found}); diag reads English texts only")


def require_readable(text: str, name: str) -> None:
    """The one check every input text passes, wherever it is read (files, batch records, ``diagnose``).

    Raises:
        InputError: if the text is empty or only white space, or not English.
    """
    from diag.ingest import MSG_EMPTY, MSG_WHITESPACE_ONLY

    if not text:
        raise InputError(MSG_EMPTY.format(name=name))
    if not text.strip():
        raise InputError(MSG_WHITESPACE_ONLY.format(name=name))
    require_english(text, name)
