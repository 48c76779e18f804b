"""Shipped lexical data for the entity check, and the one fold every comparison of names uses.

Each loader reads one file under ``diag/data`` on first call and caches the result (nothing is
read at ``import diag``). Keys are always in ``fold`` form, so a caller folds what it looks up:

- ``case_prior()``: English word -> probability that it is written capitalised in running text
  (``case_prior.tsv``, built by ``tools/build_case_prior.py`` from spacy-lookups-data, MIT);
- ``lower_words()``: rarer English words written in lower case, beyond the case prior's (``lower_words.txt``,
  built by ``tools/build_lower_words.py`` from the same source);
- ``place_key()`` / ``place_keys()`` / ``place_groups()`` / ``same_place()``: countries and
  regions, their official, common and alternative names and demonyms, each folded form -> one
  canonical key (``places.tsv``, built by ``tools/build_places.py`` from the npm package
  world-countries, ODbL, with a few English aliases of the project's own);
- ``honorifics()``, ``titles()``, ``minor_words()``, ``units()``, ``common_acronyms()``: small lists the
  project curates itself (MIT): forms of address, titles and offices, the function words that do not
  count for an acronym's initials, unit abbreviations with what they measure, acronyms English uses
  as common nouns.

A data file that cannot be parsed raises ``DataFileError`` naming the file and line.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType

from diag.errors import DiagError

__all__ = [
    "CASE_PRIOR_FILE",
    "CITIES_FILE",
    "COMMON_ACRONYMS_FILE",
    "LOWER_WORDS_FILE",
    "HONORIFICS_FILE",
    "MINOR_WORDS_FILE",
    "PLACES_FILE",
    "TITLES_FILE",
    "UNITS_FILE",
    "DataFileError",
    "Unit",
    "capitalised_share",
    "case_prior",
    "city_keys",
    "common_acronym",
    "common_acronyms",
    "lower_words",
    "fold",
    "honorifics",
    "minor_words",
    "place_groups",
    "place_key",
    "place_keys",
    "same_place",
    "titles",
    "units",
]

CASE_PRIOR_FILE = "case_prior.tsv"
PLACES_FILE = "places.tsv"
CITIES_FILE = "cities.tsv"
HONORIFICS_FILE = "honorifics.txt"
TITLES_FILE = "titles.txt"
MINOR_WORDS_FILE = "minor_words.txt"
UNITS_FILE = "units.tsv"
COMMON_ACRONYMS_FILE = "common_acronyms.txt"
LOWER_WORDS_FILE = "lower_words.txt"

#: The kinds of form in ``places.tsv`` (third column's label, second column).
PLACE_KINDS = frozenset({"common", "official", "alt", "demonym", "plural", "alias", "region"})


class DataFileError(DiagError):
    """A data file shipped with diag is missing or cannot be parsed (a broken installation)."""

    exit_code = 3


# --------------------------------------------------------------------------- fold

#: Letters that Unicode decomposition leaves whole (no combining mark to strip), written out.
#: Other Latin letters "with stroke", "with hook" etc. are read from their Unicode names
#: (``_latin_bases``); these are the ones whose names do not say the base letter.
_LETTERS = {
    "ı": "i", "ø": "o", "ß": "ss", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d",
    "ħ": "h", "ŧ": "t", "ŋ": "n", "ə": "e", "ɛ": "e", "ɔ": "o", "ɖ": "d", "ĸ": "k",
    "ẟ": "d", "ſ": "s",
}
#: Apostrophes, primes and okinas become "'"; dashes and the minus sign become "-"; the
#: Catalan middle dot ("l·l", also what NFKD makes of "ŀ") goes.
_MARKS = {ch: "'" for ch in "’‘ʼʻʾʿ`´′‛ʹ"} | {ch: "-" for ch in "‐‑‒–—―−"} | {"·": ""}
#: The Latin blocks whose letters with strokes, hooks, bars and curls are folded by name.
_LATIN_BLOCKS = ((0x00C0, 0x0250), (0x1E00, 0x1F00))
_LATIN_NAME = re.compile(
    r"LATIN (?:SMALL |CAPITAL )?LETTER (?:(?:DOTLESS|TURNED|REVERSED|SMALL CAPITAL|BARRED|LONG|SCRIPT|"
    r"CLOSED|OPEN|SIDEWAYS|INSULAR|BROKEN|MIDDLE-WELSH) )*([A-Z]{1,2})(?: WITH .*)?$"
)


def _latin_bases() -> dict[str, str]:
    """Latin letters that keep a mark after NFKD ("ȴ" L WITH CURL) -> their base letters."""
    bases: dict[str, str] = {}
    for first, end in _LATIN_BLOCKS:
        for code in range(first, end):
            letter = chr(code).casefold()
            if len(letter) != 1 or unicodedata.decomposition(letter):
                continue  # folded by casefold or NFKD already
            match = _LATIN_NAME.match(unicodedata.name(letter, ""))
            if match:
                bases[letter] = match.group(1).lower()
    return bases


@functools.cache
def _translation() -> dict[int, str]:
    """The table ``fold`` translates with (built on first non-ASCII fold)."""
    return str.maketrans(_latin_bases() | _LETTERS | _MARKS)


#: A period that ends an abbreviation: after a letter, before the end, a space, or another
#: letter that itself ends the text, a word or an abbreviation ("U.S.", "U.S.A", "St. Louis").
#: A period inside a word ("example.com") or a number ("3.5") stays.
_ABBREVIATION_PERIOD = re.compile(r"(?<=[^\W\d_])\.(?=$|\s|[^\W\d_](?:[.\s]|$))")


def fold(text: str) -> str:
    """The comparison key of a name or word: case, diacritics, apostrophes and periods folded.

    Lower case (``str.casefold``); diacritics stripped completely (NFKD, then combining marks
    removed, then the letters decomposition leaves whole written out: ``ı``->``i``, ``ø``->``o``,
    ``ß``->``ss``, ``ł``->``l``, ``đ``->``d``, ``æ``->``ae`` ...); every apostrophe ``'``, every
    dash ``-``; abbreviation periods dropped (``U.S.`` -> ``us``, ``Ph.D.`` -> ``phd``, ``St.
    Louis`` -> ``st louis``); white space collapsed to single spaces and trimmed.

    Folding loses case, so ``fold("U.S.") == fold("us")``: a lookup that must tell the country
    from the pronoun goes through ``place_key``, which matches initialisms only as written in
    capitals. Idempotent: ``fold(fold(x)) == fold(x)``.

    Args:
        text: any text, usually one mention or word.

    Returns:
        The folded text ("" for text without visible characters).
    """
    if text.isascii():  # most tokens: the same result without the Unicode round trip
        folded = text.lower().replace("`", "'")
    else:
        decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_translation())
    if "." in folded:
        folded = _ABBREVIATION_PERIOD.sub("", folded)
    return " ".join(folded.split())


# --------------------------------------------------------------------------- reading


def _data_file(name: str) -> Traversable:
    """The shipped data file ``diag/data/<name>``."""
    return resources.files("diag").joinpath("data", name)


def _read_rows(name: str, columns: int) -> list[tuple[str, ...]]:
    """The data rows of ``diag/data/<name>``: "#" lines and blank lines skipped, tab-separated."""
    try:
        text = _data_file(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"diag/data/{name}: cannot be read ({exc}); reinstall diag") from exc
    rows: list[tuple[str, ...]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = tuple(field.strip() for field in line.split("\t"))
        if len(fields) != columns or not all(fields):
            raise DataFileError(
                f"diag/data/{name} line {number}: expected {columns} non-empty tab-separated "
                f"field(s), found {line[:60]!r}; the file is corrupt: reinstall diag or rebuild it "
                f"with its script in tools/"
            )
        rows.append(fields)
    if not rows:
        raise DataFileError(f"diag/data/{name}: holds no entries; reinstall diag or rebuild it")
    return rows


def _word_set(name: str) -> frozenset[str]:
    return frozenset(fold(word) for (word,) in _read_rows(name, 1))


# --------------------------------------------------------------------------- case prior


@functools.cache
def case_prior() -> Mapping[str, float]:
    """How often common English words are written capitalised in running text.

    Returns:
        Read-only mapping: folded word -> probability (0..1, two decimals) that an occurrence is
        capitalised (initial capital; all-capital forms are not counted). Sentence-initial use is
        included, so even "the" has about 0.08; "beijing" is near 1, "exports" near 0. A word
        missing from the mapping is rarer than the build's frequency floor (see the script).

    Raises:
        DataFileError: ``case_prior.tsv`` is missing or corrupt.
    """
    prior: dict[str, float] = {}
    for number, (word, value) in enumerate(_read_rows(CASE_PRIOR_FILE, 2), 1):
        try:
            probability = float(value)
        except ValueError:
            probability = -1.0
        if not 0.0 <= probability <= 1.0:
            raise DataFileError(
                f"diag/data/{CASE_PRIOR_FILE}: entry {number} ({word!r}) has probability {value!r}, "
                f"expected a number in [0, 1]; rebuild it with tools/build_case_prior.py"
            )
        prior[word] = probability
    return MappingProxyType(prior)


#: Endings ``capitalised_share`` tries removing, in order, when a word is not in the prior.
_PLURAL_ENDINGS = ("s", "es")


def capitalised_share(word: str) -> float | None:
    """The case prior of one written word, looked up through its usual variations.

    Tries, in order: the folded word; without a possessive ending ("Taiwan's" -> "taiwan");
    for a hyphenated word, its first element, which carries the capital ("Anti-fraud" ->
    "anti"); without a plural ending ("Rescuers" -> "rescuer"). The first form found is used.

    Args:
        word: one word as written.

    Returns:
        The probability that the word is written capitalised, or None when no form of it is
        among the prior's words (rare words: the texts' own evidence has to decide).
    """
    prior = case_prior()
    key = fold(word)
    if key.endswith("'s"):
        key = key[:-2]
    elif key.endswith("'"):
        key = key[:-1]
    candidates = [key]
    if "-" in key.strip("-"):
        candidates.append(key.strip("-").split("-", 1)[0])
    candidates += [key[: -len(end)] for end in _PLURAL_ENDINGS if key.endswith(end) and len(key) > len(end) + 2]
    for candidate in candidates:
        if candidate in prior:
            return prior[candidate]
    return None


# --------------------------------------------------------------------------- places


@dataclass(frozen=True, slots=True)
class _Places:
    names: Mapping[str, frozenset[str]]  # folded name -> keys
    initialisms: Mapping[str, frozenset[str]]  # capitals without periods ("US") -> keys


def _initialism(form: str) -> str | None:
    """The capitals of an initialism written in capitals ("U.S." -> "US"), else None."""
    letters = form.replace(".", "")
    if 2 <= len(letters) <= 5 and letters.isascii() and letters.isalpha() and letters.isupper():
        return letters
    return None


def _place_form(text: str) -> str:
    """A place name's folded form without a leading article or a possessive ending."""
    folded = fold(text)
    if folded.startswith("the "):
        folded = folded[4:]
    if folded.endswith("'s"):
        folded = folded[:-2]
    elif folded.endswith("'"):
        folded = folded[:-1]
    return folded


@functools.cache
def _places() -> _Places:
    names: dict[str, set[str]] = {}
    initialisms: dict[str, set[str]] = {}
    for number, (key, kind, form) in enumerate(_read_rows(PLACES_FILE, 3), 1):
        if kind not in PLACE_KINDS:
            raise DataFileError(
                f"diag/data/{PLACES_FILE}: entry {number} ({form!r}) has kind {kind!r}, expected one of "
                f"{', '.join(sorted(PLACE_KINDS))}; rebuild it with tools/build_places.py"
            )
        capitals = _initialism(form)
        if capitals is not None:
            initialisms.setdefault(capitals, set()).add(key)
        else:
            names.setdefault(_place_form(form), set()).add(key)
    return _Places(
        names=MappingProxyType({k: frozenset(v) for k, v in names.items()}),
        initialisms=MappingProxyType({k: frozenset(v) for k, v in initialisms.items()}),
    )


def place_keys(form: str) -> frozenset[str]:
    """Every country or region a written form may name.

    Initialisms ("US", "U.S.", "UK", "UAE", "DPRK") count only when written in capitals, so the
    pronoun "us" names nothing. Other forms are folded; a leading "the" and a possessive "'s"
    are ignored ("the United Kingdom's" -> the United Kingdom). A form the data gives to several
    places of equal standing ("Congolese", "Dominican") returns all of them.

    Args:
        form: the form as written (case matters only for initialisms).

    Returns:
        The canonical keys (folded common names, e.g. "united kingdom"); empty if none.

    Raises:
        DataFileError: ``places.tsv`` is missing or corrupt.
    """
    places = _places()
    stripped = form.strip()
    if stripped.endswith(("'s", "’s")):
        stripped = stripped[:-2]
    capitals = _initialism(stripped)
    if capitals is not None and capitals in places.initialisms:
        return places.initialisms[capitals]
    return places.names.get(_place_form(stripped), frozenset())


def place_key(form: str) -> str | None:
    """The one country or region a written form names, or None (unknown or ambiguous).

    ``place_key("Germany") == place_key("German") == place_key("Federal Republic of Germany")``;
    ``place_key("UK") == place_key("British") == place_key("the United Kingdom")``;
    ``place_key("U.S.") == place_key("American")``, and ``place_key("us") is None``.
    See ``place_keys`` for the rules.
    """
    keys = place_keys(form)
    return next(iter(keys)) if len(keys) == 1 else None


def same_place(a: str, b: str) -> bool:
    """Whether two written forms can name the same country or region (their keys intersect)."""
    return bool(place_keys(a) & place_keys(b))


def place_groups() -> Mapping[str, str]:
    """Every unambiguous folded place name -> its canonical key.

    Initialisms are left out (they match only in capitals: use ``place_key``), and so are forms
    shared by several places. Keys are the folded common names ("germany", "united kingdom").
    """
    return _place_groups()


@functools.cache
def _place_groups() -> Mapping[str, str]:
    return MappingProxyType({form: next(iter(keys)) for form, keys in _places().names.items() if len(keys) == 1})


# --------------------------------------------------------------------------- cities


@functools.cache
def _cities() -> Mapping[str, frozenset[str]]:
    names: dict[str, set[str]] = {}
    for key, forms in _read_rows(CITIES_FILE, 2):
        for form in forms.split(" | "):
            names.setdefault(fold(form.strip()), set()).add(key)
    return MappingProxyType({k: frozenset(v) for k, v in names.items()})


def city_keys(form: str) -> frozenset[str]:
    """The large cities a written form names, by any of their Latin-script names (``cities.tsv``, built by
    ``tools/build_cities.py`` from GeoNames): "Naples" and "Napoli" both name ``naples/it``.

    Args:
        form: the form as written (folded here; a leading "the" and a possessive are ignored).

    Returns:
        The city keys (folded GeoNames name and country code); empty if none.

    Raises:
        DataFileError: ``cities.tsv`` is missing or corrupt.
    """
    return _cities().get(_place_form(form.strip()), frozenset())


# --------------------------------------------------------------------------- curated lists


@functools.cache
def honorifics() -> frozenset[str]:
    """Forms of address written before a personal name (folded, without periods: "mr", "mrs", "dr").

    Raises:
        DataFileError: ``honorifics.txt`` is missing or corrupt.
    """
    return _word_set(HONORIFICS_FILE)


@functools.cache
def lower_words() -> frozenset[str]:
    """Less frequent English words that English writes in lower case, beyond the case prior's words (folded:
    "maritime", "garment"; ``lower_words.txt``, built by ``tools/build_lower_words.py``).

    Raises:
        DataFileError: ``lower_words.txt`` is missing or corrupt.
    """
    return _word_set(LOWER_WORDS_FILE)


@functools.cache
def common_acronyms() -> frozenset[str]:
    """Acronyms English uses as common nouns (folded, without periods: "tv", "sms", "url", "gdp").

    Raises:
        DataFileError: ``common_acronyms.txt`` is missing or corrupt.
    """
    return _word_set(COMMON_ACRONYMS_FILE)


def common_acronym(text: str) -> bool:
    """``text`` is an acronym of ``common_acronyms()``, maybe in the plural or with periods ("TVs", "U.R.L.")."""
    key = fold(text).replace(".", "")
    words = common_acronyms()
    return key in words or (len(key) > 2 and key.endswith("s") and key[:-1] in words)


@functools.cache
def titles() -> frozenset[str]:
    """Words of titles and offices that may come and go before a name ("president", "minister").

    Raises:
        DataFileError: ``titles.txt`` is missing or corrupt.
    """
    return _word_set(TITLES_FILE)


@functools.cache
def minor_words() -> frozenset[str]:
    """Function words that do not count for an acronym's initials and may stand lower-case
    inside a multi-word name ("of", "the", "and", "for", "de", "von").

    Raises:
        DataFileError: ``minor_words.txt`` is missing or corrupt.
    """
    return _word_set(MINOR_WORDS_FILE)


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit of measurement an abbreviation stands for.

    Attributes:
        symbol: the canonical symbol ("km", "kg", "km/h"); two abbreviations with the same symbol
            are the same unit ("kph" and "km/h").
        quantity: what it measures ("length", "mass", "area", "speed", ...).
    """

    symbol: str
    quantity: str


@functools.cache
def units() -> Mapping[str, Unit]:
    """Unit abbreviations, so "a 5m fence" can be read as metres where "$5m" is million.

    Returns:
        Read-only mapping: folded abbreviation ("m", "km", "kg", "ft", "mph") -> its ``Unit``.
        Whether a given "m" is a unit or a magnitude is the caller's reading of the context
        (a currency before the number says magnitude).

    Raises:
        DataFileError: ``units.tsv`` is missing or corrupt.
    """
    return MappingProxyType(
        {fold(form): Unit(symbol, quantity) for form, symbol, quantity in _read_rows(UNITS_FILE, 3)}
    )
