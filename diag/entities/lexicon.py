"""The word lists entity checks read, loaded once from ``diag/data/entities_words.txt``, and the text folds.

The file is the project's own (its header line names source and licence); sections start with
``[name]``, one lower-case entry a line, ``key = value`` where a section maps words to values.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

from diag import lexdata

__all__ = ["Lexicon", "fold", "lexicon", "squash"]


@dataclass(frozen=True)
class Lexicon:
    """Every word list of the entity checks, by role."""

    function: frozenset[str]
    title: frozenset[str]
    connector: frozenset[str]
    month: frozenset[str]
    scale: dict[str, int]
    number: dict[str, float]
    currency: dict[str, str]
    unit: dict[str, str]
    organisation: frozenset[str]
    byline: frozenset[str] = frozenset()
    attribution: frozenset[str] = frozenset()
    date_preposition: frozenset[str] = frozenset()
    date_follower: frozenset[str] = frozenset()
    pronoun_surname: frozenset[str] = frozenset()
    measure_word: frozenset[str] = frozenset()
    #: An abbreviated name word -> the words it may stand for ("st" -> {"saint", "street"}).
    abbreviation: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Endings a transliterated name takes in its source grammar ("a": "Seleznev" / "Selezneva").
    name_ending: frozenset[str] = frozenset()
    #: Spellings romanisations choose between, each with its canonical form, in the order they are applied
    #: ("yo" -> "e": "Oryol" / "Orel").
    romanisation: tuple[tuple[str, str], ...] = ()
    #: A given name -> the number of its group of forms in other languages ("pyotr", "peter" -> one group).
    given_name: dict[str, int] = field(default_factory=dict)
    #: Phrases for a text's own country that do not name it ("my country"), as tuples of folded words.
    own_country: frozenset[tuple[str, ...]] = frozenset()


def parse_sections(text: str) -> dict[str, list[str]]:
    """``[name]`` sections of a word-list file; ``#`` starts a comment."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip() if not line.startswith("#") else ""
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        else:
            current.append(line)
    return sections


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped word lists (read once)."""
    text = resources.files("diag").joinpath("data/entities_words.txt").read_text(encoding="utf-8")
    sections = parse_sections(text)

    def pairs(name: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for entry in sections.get(name, []):
            key, _, value = entry.partition("=")
            out[key.strip()] = value.strip()
        return out

    def words(name: str) -> frozenset[str]:
        return frozenset(sections.get(name, []))

    return Lexicon(
        function=words("function"),
        title=words("title"),
        connector=words("connector"),
        month=words("month"),
        scale={k: int(v) for k, v in pairs("scale").items()},
        number={k: float(v) for k, v in pairs("number").items()},
        currency=pairs("currency"),
        unit=pairs("unit"),
        organisation=words("organisation"),
        byline=words("byline"),
        attribution=words("attribution"),
        date_preposition=words("date_preposition"),
        date_follower=words("date_follower"),
        pronoun_surname=words("pronoun_surname"),
        measure_word=words("measure_word"),
        abbreviation=_multi(sections.get("name_abbreviation", [])),
        name_ending=words("name_ending"),
        romanisation=tuple(pairs("romanisation").items()),
        own_country=frozenset(tuple(e.split()) for e in sections.get("own_country", [])),
        given_name={name: k for k, line in enumerate(sections.get("given_name", [])) for name in line.split()},
    )


def _multi(entries: list[str]) -> dict[str, frozenset[str]]:
    """``key = value`` lines where a key may come back with several values."""
    out: dict[str, set[str]] = {}
    for entry in entries:
        key, _, value = entry.partition("=")
        out.setdefault(key.strip(), set()).add(value.strip())
    return {k: frozenset(v) for k, v in out.items()}


def fold(text: str) -> str:
    """Case-fold and strip diacritics completely (``Frýdek`` -> ``frydek``, ``Kılıç`` -> ``kilic``): the
    project's one fold (``diag.lexdata.fold``) for anything not plain ASCII."""
    if text.isascii():  # most tokens; the same result, without the Unicode round trip
        return text.lower()
    return lexdata.fold(text)


def squash(text: str) -> str:
    """Folded letters and digits only: ``"Kim Jong-un"`` -> ``"kimjongun"``."""
    return re.sub(r"[^\w]|_", "", fold(text))
