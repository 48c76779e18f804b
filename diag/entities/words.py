"""Word and name equivalences: inflections and demonyms, spelling variants, sound keys, initials."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from difflib import SequenceMatcher

import functools

from diag import lexdata
from diag.entities.lexicon import Lexicon, fold, lexicon, squash
from diag.entities.mentions import PRIOR_NAME, Mention, Side


# --------------------------------------------------------------------------- matching helpers


LONG_ENDINGS = frozenset({"", "s", "n", "an", "ian", "ese", "i", "ish", "ans", "ns", "es", "ic", "ern"})
SHORT_ENDINGS = frozenset({"", "a", "e", "y", "o"})


@functools.lru_cache(maxsize=1 << 16)
def same_word(a: str, b: str) -> bool:
    """Equal, or one an inflection or demonym of the other (China/Chinese, Iran/Iranian, State/States).

    Remembered for the most recent pairs of words: the name rules ask it of the same words in pair after pair.
    """
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


#: Shortest word that counts as kept at the start of a compound ("xinhua" in "xinhuanet").
COMPOUND_HEAD = 5


def compound_of(a: str, b: str) -> bool:
    """``b`` is a compound that starts with the word ``a`` and adds at least three letters ("xinhua" /
    "xinhuanet"); an inflection or derivation is ``same_word``'s or ``derived``'s."""
    return len(a) >= COMPOUND_HEAD and len(b) >= len(a) + 3 and b.startswith(a)


def contains_all(keys: Iterable[str], words: Collection[str]) -> bool:
    return all(any(same_word(k, w) for w in words) for k in keys)


def find_seq(needle: Sequence[str], hay: Sequence[str]) -> int:
    """Where ``needle`` first stands in ``hay`` as a run of items, or -1 (0 for an empty needle).

    Only the places of the needle's first item are compared (found by ``list.index``, in C).
    """
    want = list(needle)
    if not want:
        return 0
    items = list(hay)
    n, last = len(want), len(items) - len(want)
    k = 0
    while k <= last:
        try:
            k = items.index(want[0], k, last + 1)
        except ValueError:
            return -1
        if items[k : k + n] == want:
            return k
        k += 1
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
    minor = lexdata.minor_words()  # "of", "and", "the": left out of an acronym
    return "".join(k[0] for k in m.keys if k not in minor)


def word_norms(side: Side) -> list[str]:
    return [t.norm for t in side.tokens if t.is_word or t.is_number]



def spelling_variant(a: str, b: str) -> bool:
    """Two spellings of one name: one letter apart (Ibrahim / Ebrahim), two neighbouring letters swapped
    (Gortsaranain / Gortsaranian, a typing slip MQM counts as a minor spelling error), or word for word the
    same sound (``same_sound``: Aleksei / Alexei, Vasiliev / Vasilyev): a romanisation choice or a slip,
    not a changed name."""
    x, y = squash(a), squash(b)
    if x == y or same_sound(a, b) or swapped_letters(x, y):
        return True
    wa, wb = re.findall(r"[^\W\d_]+", fold(a)), re.findall(r"[^\W\d_]+", fold(b))
    if len(wa) == len(wb) > 1:
        # word for word: the one word that differs must be a long one ("Li Wei" / "Lin Wei", "Gao" / "Guo"
        # are two family names, "Ibrahim Musa" / "Ebrahim Musa" one name)
        differ = [(p, q) for p, q in zip(wa, wb, strict=True) if p != q]
        if len(differ) != 1:
            return False
        x, y = differ[0]
        if min(len(x), len(y)) < 5:
            return short_word_variant(x, y)
    ops = [op for op in SequenceMatcher(None, x, y, autojunk=False).get_opcodes() if op[0] != "equal"]
    changed = sum(max(op[2] - op[1], op[4] - op[3]) for op in ops)
    return len(ops) == 1 and changed <= 1 and min(len(x), len(y)) >= 5



def swapped_letters(x: str, y: str) -> bool:
    """``y`` is ``x`` with two neighbouring letters swapped, in a word of five letters or more."""
    if len(x) != len(y) or len(x) < 5:
        return False
    diff = [k for k in range(len(x)) if x[k] != y[k]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]


def short_word_variant(x: str, y: str) -> bool:
    """Two spellings of one short name word: a plural ("TV" / "TVs"), or the same consonant sound and the
    same vowels (Wade-Giles and pinyin: "Kao" / "Gao", "Tai" / "Dai"). A changed vowel or an added
    consonant is another name ("Gao" / "Guo", "Li" / "Lin", "Wang" / "Wong")."""
    if x + "s" == y or y + "s" == x:
        return True
    return _word_sound(x) == _word_sound(y) and _vowels(x) == _vowels(y)


#: Regular English endings an inflected word may add to its stem ("IPO"/"IPOs", "rise"/"rises",
#: "strengthen"/"strengthening").
INFLECTIONS = ("", "s", "es", "d", "ed", "ing", "'s")


def inflected(a: str, b: str) -> bool:
    """Two folded words are forms of one word by a regular ending: "ipo"/"ipos", "strengthen"/"strengthening",
    "rise"/"rising" (a final "e" dropped before "-ing"/"-ed")."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    for ending in INFLECTIONS[1:]:
        if not long_.endswith(ending):
            continue
        stem = long_[: -len(ending)]
        if stem == short and (len(short) >= 3 or (len(short) == 2 and ending == "s")):  # "IPOs", "TVs"
            return True
        if ending in {"ing", "ed"} and len(stem) >= 3 and (stem + "e" == short or (
                len(stem) >= 4 and stem[-1] == stem[-2] and stem[:-1] == short)):  # rising/rise, planned/plan
            return True
    return False


@functools.lru_cache(maxsize=4096)
def place_keys(text: str) -> frozenset[str]:
    """The countries, regions or large cities a written form names (shipped data, ``diag.lexdata``): "UK" and
    "British" both name the United Kingdom, "Naples" and "Napoli" the city."""
    return lexdata.place_keys(text) | lexdata.city_keys(text)


def same_place(a: str, b: str) -> bool:
    """Two written forms that name one country or region: a name, its short or alternative names, its demonym."""
    ka = place_keys(a)
    return bool(ka) and bool(ka & place_keys(b))


def abbreviated(a: str, b: str) -> bool:
    """One folded word is the other's abbreviation in a name ("st"/"saint", "mt"/"mount"; shipped word list)."""
    abbreviations = lexicon().abbreviation
    return b in abbreviations.get(a, ()) or a in abbreviations.get(b, ())


#: A Roman numeral of two letters or more, in capitals ("II", "XIV"; a lone "I" is the pronoun).
_ROMAN = re.compile(r"(?=[MDCLXVI]{2,}$)M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def roman_value(text: str) -> int | None:
    """The value of a Roman numeral written in capitals ("III" -> 3, "XIV" -> 14), or None."""
    if not _ROMAN.fullmatch(text):
        return None
    values = [_ROMAN_VALUES[c] for c in text]
    return sum(-v if k + 1 < len(values) and v < values[k + 1] else v for k, v in enumerate(values))


def same_numeral(a_text: str, b_text: str) -> bool:
    """A Roman numeral and the same number in digits ("Part III" / "Part 3")."""
    for x, y in ((a_text, b_text), (b_text, a_text)):
        value = roman_value(x)
        if value is not None and y.isdigit() and int(y) == value:
            return True
    return False


def equivalent(a_text: str, a_norm: str, b_text: str, b_norm: str) -> bool:
    """Two words are one word for a name: the same word, an inflection or demonym, the same place, a word
    and its abbreviation, a Roman numeral and its digits."""
    return (same_word(a_norm, b_norm) or inflected(a_norm, b_norm) or same_place(a_text, b_text)
            or abbreviated(a_norm, b_norm) or same_numeral(a_text, b_text))


def _sound_key(text: str) -> str:
    import jellyfish  # a C extension, imported on first use

    return "".join(jellyfish.metaphone(w) for w in re.findall(r"[^\W\d_]+", fold(text)))


def _word_sound(word: str) -> str:
    """A word's Metaphone key without its y (a vowel or glide that romanisations write or leave out: Vasiliev / Vasilyev)."""
    import jellyfish

    return jellyfish.metaphone(word).replace("Y", "")


def same_sound_key(a: str, b: str) -> bool:
    """Two single words with one Metaphone key, not empty: "He" / "Hu" / "Ho", "Wang" / "Wong", "Li" / "Lee"."""
    ka = _word_sound(fold(a))
    return bool(ka) and ka == _word_sound(fold(b))


def same_sound(a: str, b: str) -> bool:
    """Two names that are, word for word, one sound spelt two ways (Aleksandr / Alexander, Orel / Oryol,
    Chelyabinsk / Chelebinsk): the same number of words and every word's Metaphone key (y aside) equal.
    A sound-alike rendering that changes the sound (ByteDance / Baitedan, Sun / Sang) is not one."""
    wa = re.findall(r"[^\W\d_]+", fold(a))
    wb = re.findall(r"[^\W\d_]+", fold(b))
    if not wa or len(wa) != len(wb):
        return False
    return all(_one_sound(x, y) for x, y in zip(wa, wb, strict=True))


def _vowels(word: str) -> str:
    return "".join(c for c in word.replace("y", "i") if c in "aeiou")


def _is_subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(c in rest for c in short)


@functools.lru_cache(maxsize=4096)
def romanised(word: str) -> str:
    """A folded name word with each spelling romanisations choose between made its canonical form
    (``Lexicon.romanisation``): "oryol" and "orel" -> "orel", "yevgeny" and "evgeny" -> "evgeny"."""
    for spelling, canonical in lexicon().romanisation:
        word = word.replace(spelling, canonical)
    return word


def names_own_country(norms: Sequence[str], lex: Lexicon) -> bool:
    """The folded words of a sentence speak of its own country without naming it ("investors in my country";
    ``Lexicon.own_country``): a translation that names the country there adds no name."""
    for phrase in lex.own_country:
        if find_seq(phrase, norms) >= 0:
            return True
    return False


def given_name_forms(x: str, y: str) -> bool:
    """Two folded words are one given name in two languages' forms (``Lexicon.given_name``: "pyotr" / "peter",
    "mikhail" / "michael"), as translators render one person's name."""
    groups = lexicon().given_name
    gx = groups.get(x)
    return x != y and gx is not None and gx == groups.get(y)


def _one_sound(x: str, y: str) -> bool:
    """One word spelt two ways: the same first letter, the same consonant sound (Metaphone) and vowels that
    one spelling only adds to (Aleksandr / Alexander); a changed vowel is a changed name (Wong / Wang, Sun /
    Sang), and so is a changed first letter (Xia / Shi). The spellings romanisations choose between are made
    one first (``romanised``: "Oryol" / "Orel", "Yevgeny" / "Evgeny"); so is a given name's form in another
    language ("Pyotr" / "Peter")."""
    if x == y or given_name_forms(x, y) or _sound_and_vowels(x, y):
        return True
    rx, ry = romanised(x), romanised(y)
    return rx == ry or _sound_and_vowels(rx, ry)


def _sound_and_vowels(x: str, y: str) -> bool:
    if x[0] != y[0]:  # a romanisation keeps the first letter; Xia / Shi are two surnames
        return False
    kx, ky = _word_sound(x), _word_sound(y)
    if not kx or kx != ky:
        return False
    vx, vy = _vowels(x), _vowels(y)
    return _is_subsequence(vx, vy) if len(vx) <= len(vy) else _is_subsequence(vy, vx)


def sound_similarity(a: str, b: str) -> float:
    """How alike two names sound: Jaro-Winkler similarity of their Metaphone keys (jellyfish), 0..1.
    "ByteDance"/"Baitedan" 0.96, "Yun Sun"/"Yun Sang" 0.96; "Zhang"/"Wang" 0.72, "DPP"/"PDP" 0."""
    import jellyfish

    ka, kb = _sound_key(a), _sound_key(b)
    if not ka or not kb:
        return 0.0
    return float(jellyfish.jaro_winkler_similarity(ka, kb))


#: English derivational and inflectional endings: two words whose stems agree once one of these is taken
#: off are one word ("Youngsters"/"Young", "Sinicization"/"Sinicized", "Slavs"/"Slavics").
DERIVATIONS = ("ization", "isation", "izing", "ising", "ized", "ised", "ize", "ise", "ists", "ist", "isms", "ism",
               "sters", "ster", "ness", "ity", "ics", "ic", "ians", "ian", "ans", "an", "ers", "er", "ing", "ed",
               "es", "s", "al", "ly", "ish", "ese", "en", "")


def _stems(word: str) -> set[str]:
    return {word[: len(word) - len(e)] if e else word for e in DERIVATIONS
            if word.endswith(e) and len(word) - len(e) >= 4}


def derived(a: str, b: str) -> bool:
    """Two folded words are derivations of one English stem ("youngsters"/"young", "thuringen"/"thuringian")."""
    return bool(_stems(a) & _stems(b))


def alias_or_inflection(a: str, b: str) -> bool:
    """Two forms of one word or place rather than two names: an inflection ("Strengthening"/"Strengthen")
    or another name of the same country ("Japanese"/"Japan")."""
    fa, fb = squash(a), squash(b)
    return inflected(fa, fb) or same_word(fa, fb) or derived(fa, fb) or same_place(a, b)


def common_words(a: str, b: str) -> bool:
    """Both forms are ordinary English words (every word in the shipped case prior, ``diag.lexdata``):
    "Leftists"/"left", "Scottish"/"Scotch" are English words, not a romanised name."""
    prior = lexdata.case_prior()
    words = re.findall(r"[^\W\d_]+", fold(a) + " " + fold(b))
    return bool(words) and all(w in prior for w in words)


def generic_word(norm: str, lex: Lexicon) -> bool:
    """A word that says what kind of thing a name names rather than which one: an organisation, place or
    event word ("bureau", "commission", "office") or a common English word that English writes in lower
    case (the shipped case prior: "affairs", "memory", "stories"). Two translators of one foreign name
    may choose such words differently ("Health Bureau" / "Health Commission"). A word rarer than the case
    prior's counts is generic when the shipped list of lower-case English words has it or its singular
    ("maritime", "garments"; ``lexdata.lower_words``)."""
    if norm in lex.organisation:
        return True
    share = lexdata.capitalised_share(norm)
    if share is None:
        lower = lexdata.lower_words()
        return norm in lower or (norm.endswith("s") and norm[:-1] in lower)
    return share < PRIOR_NAME


#: Shortest stem two grammatical forms of a transliterated name share ("selezne" in "Seleznev" / "Selezneva").
FORM_STEM = 5


def grammatical_form(a: str, b: str, lex: Lexicon) -> bool:
    """Two folded words are one transliterated name in two grammatical forms of its source language: one is the
    other with a name ending added ("seleznev" / "selezneva", "stavropol" / "stavropolskaya"), or both are one
    stem with two endings ("tsumadinsky" / "tsumadi"); ``Lexicon.name_ending``. "Austria" / "Australia" are
    two names."""
    if a == b:
        return False
    short, long_ = sorted((a, b), key=len)
    if len(short) >= FORM_STEM and long_.startswith(short) and long_[len(short):] in lex.name_ending:
        return True
    # the same sound spelt another way before the ending ("kalnin" / "kalinina"; not "shaanxi" / "shanxi")
    if any(long_.endswith(e) and len(long_) - len(e) >= FORM_STEM and same_sound(long_[: len(long_) - len(e)], short)
           for e in lex.name_ending):
        return True
    for cut in range(1, 4):  # both inflected: "selezneva" / "seleznevu"
        stem = short[: len(short) - cut]
        if (len(stem) >= FORM_STEM and long_.startswith(stem) and short[len(stem):] in lex.name_ending
                and long_[len(stem):] in lex.name_ending):
            return True
    return False
