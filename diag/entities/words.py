"""Word and name equivalences: inflections and demonyms, spelling variants, sound keys, initials."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from difflib import SequenceMatcher

from diag.entities.lexicon import Lexicon, fold, squash
from diag.entities.mentions import Mention, Side


# --------------------------------------------------------------------------- matching helpers


LONG_ENDINGS = frozenset({"", "s", "n", "an", "ian", "ese", "i", "ish", "ans", "ns", "es", "ic", "ern"})
SHORT_ENDINGS = frozenset({"", "a", "e", "y", "o"})


def same_word(a: str, b: str) -> bool:
    """Equal, or one an inflection or demonym of the other (China/Chinese, Iran/Iranian, State/States)."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    prefix = 0
    for x, y in zip(short, long_):
        if x != y:
            break
        prefix += 1
    return prefix >= 4 and short[prefix:] in SHORT_ENDINGS and long_[prefix:] in LONG_ENDINGS


def stem_of(a: str, b: str) -> bool:
    """One word starts with the other, four letters or more (Peru/Peruvian, Sweden/Swedish is not)."""
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.startswith(short)


def contains_all(keys: Iterable[str], words: Collection[str]) -> bool:
    return all(any(same_word(k, w) for w in words) for k in keys)


def find_seq(needle: Sequence[str], hay: Sequence[str]) -> int:
    n = len(needle)
    for k in range(len(hay) - n + 1):
        if list(hay[k : k + n]) == list(needle):
            return k
    return -1


SOUNDS = (("ph", "f"), ("ck", "k"), ("qu", "kw"), ("x", "ks"), ("y", "i"), ("c", "k"), ("z", "s"), ("w", "v"))


def phonetic(text: str) -> str:
    """A rough sound key, so that romanisations of one name compare close (ZephyrSoft / Zefisofu)."""
    out = squash(text)
    for a, b in SOUNDS:
        out = out.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", out)


def acronym_read_as_word(acronym: str, word: str) -> bool:
    """An acronym read, and so translated, as an ordinary word: "PACE" -> "Peace", "MAGA" -> "Magazine"."""
    if word.isupper() or not acronym.isupper():
        return False
    a, w = fold(acronym), fold(word)
    return a[:1] == w[:1] and (w.startswith(a[: min(4, len(a))]) or similarity(a, w) >= 0.6)


def similarity(a: str, b: str) -> float:
    """Character similarity of two names, the better of spelling and a rough sound key."""
    plain = SequenceMatcher(None, squash(a), squash(b), autojunk=False).ratio()
    sound = SequenceMatcher(None, phonetic(a), phonetic(b), autojunk=False).ratio()
    return max(plain, sound)


def initials(m: Mention, lex: Lexicon) -> str:
    return "".join(k[0] for k in m.keys if k not in lex.function)


def word_norms(side: Side) -> list[str]:
    return [t.norm for t in side.tokens if t.is_word or t.is_number]



def spelling_variant(a: str, b: str) -> bool:
    """Two spellings of one name, one or two letters apart (Ibrahim / Ebrahim): a romanisation choice, not damage."""
    x, y = squash(a), squash(b)
    if x == y:
        return True
    ops = [op for op in SequenceMatcher(None, x, y, autojunk=False).get_opcodes() if op[0] != "equal"]
    changed = sum(max(op[2] - op[1], op[4] - op[3]) for op in ops)
    return len(ops) == 1 and changed <= 1 and min(len(x), len(y)) >= 5

