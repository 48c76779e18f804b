"""Mentions: the names and numbers of one side of an aligned pair, found by rule on its tokens.

A name is a capitalised sequence not explained by sentence-initial position, inner capitals or an
acronym; a number carries its scale word, unit or currency and month. Word lists come from the
lexicon (``diag/data/entities_words.txt``).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress, count
from typing import Any

from diag import lexdata
from diag.entities.lexicon import Lexicon, lexicon
from diag.entities.tokens import (HYPHENS, Shape, Token, final_mark_texts, initial_at, mostly_upper_texts,
                                  sentence_texts, title_case_texts, token_norm, token_shape, tokenise)
from diag.model import Document
from diag.recent import Recent


# --------------------------------------------------------------------------- mentions

MONTH_NAMES = {m[:3]: m.capitalize() for m in ("january", "february", "march", "april", "may", "june", "july",
                                                  "august", "september", "october", "november", "december")}
MONTH_KEYS = tuple(MONTH_NAMES)  # "jan" ... "dec", in calendar order


@dataclass(frozen=True)
class Mention:
    """A name or number on one side: token range, document offsets and what it says."""

    kind: str  # "name" | "number"
    first: int  # token indices into the side's token list, inclusive
    last: int
    start: int
    end: int
    text: str
    keys: tuple[str, ...] = ()  # normalised name tokens without connectors
    acronym: bool = False
    weak: bool = False
    value: float | None = None
    mantissa: float | None = None
    scale: int = 0
    unit: str | None = None
    month: str | None = None
    bare_day: bool = False  # "on the 9th": a day of the month without its month
    numeric_date: bool = False  # "2023-02-11": keys hold the year


@dataclass
class Side:
    """One side of a pair: its tokens (document offsets) and mentions."""

    doc: Document
    tokens: list[Token]
    sentence_bounds: list[tuple[int, int]]  # token index ranges per sentence
    names: list[Mention] = field(default_factory=list)
    numbers: list[Mention] = field(default_factory=list)

    @cached_property
    def norms(self) -> list[str]:
        """Every token's normalised form (built once: mentions ask for it again and again)."""
        return [t.norm for t in self.tokens]

    @cached_property
    def word_norms(self) -> list[str]:
        """The normalised forms of the tokens that start with a letter or digit."""
        return [n for n in self.norms if n[:1].isalnum()]


@dataclass(frozen=True)
class NameEvidence:
    """What the two texts and the shipped case prior say about whether a capitalised word is a name.

    Attributes:
        mid_caps: folded words written capitalised in the middle of a sentence (not first in it or
            on its line, not on a Title Case or all-capitals line) in either text.
        lower: folded words written in lower case, as ordinary words, in either text.
        prior: common English words -> how often they are written capitalised (0..1); a word it
            lacks is no common English word. Empty: no prior (every unknown word counts as a name).
    """

    mid_caps: frozenset[str] = frozenset()
    lower: frozenset[str] = frozenset()
    prior: Mapping[str, float] = field(default_factory=dict)

    def word(self, norm: str) -> bool:
        """A capitalised word is a name word: capitalised mid-sentence somewhere, else never written in
        lower case and either usually capitalised in English or no common English word."""
        if norm in self.mid_caps:
            return True
        if norm in self.lower:
            return False
        p = self.prior.get(norm)
        if p is None:
            return not inflected_common(norm, self.prior)  # "Rescuers": a common word's plural, not a name
        return p >= PRIOR_NAME

    def common(self, norm: str) -> bool:
        """A common English word that English writes in lower case ("people", "workers")."""
        p = self.prior.get(norm)
        return p is not None and p < PRIOR_NAME


#: Endings of English inflections and comparatives, tried by ``inflected_common`` (longest first).
INFLECTION_ENDINGS = ("ings", "ers", "ing", "est", "ies", "es", "ed", "er", "rs", "s", "d", "r")
#: Shortest stem ``inflected_common`` accepts: shorter stems make names of common words ("Harding" / "hard").
INFLECTION_STEM = 5


def inflected_common(norm: str, prior: Mapping[str, float]) -> bool:
    """A folded word is an inflection, plural or comparative of a common English word that English writes in
    lower case ("rescuers" of "rescue", "visiting" of "visit", "larger" of "large"): the prior's own entry for
    ``norm`` is not read, only its stem's. Stems shorter than ``INFLECTION_STEM`` letters do not count."""
    for end in INFLECTION_ENDINGS:
        if not norm.endswith(end):
            continue
        stem = norm[: -len(end)]
        for form in (stem, stem + "e", stem + "y", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
            p = prior.get(form) if len(form) >= INFLECTION_STEM else None
            if p is not None and p < PRIOR_NAME:
                return True
    return False


#: Share of capitalised uses above which the case prior counts a common English word as a name.
PRIOR_NAME = 0.5

#: An English contraction: a word and a clitic ("we've", "I'll", "she'd", "they're", "I'm", "don't").
_CONTRACTION = re.compile(r"([^\W\d_]+?)(?:['’](?:ve|ll|d|re|m)|n['’]t)")
#: Stems of negative contractions that are no words of their own ("can't", "won't", "shan't", "ain't").
_NEGATIVE_STEMS = frozenset({"ca", "wo", "sha", "ai"})


def contraction(norm: str, lex: Lexicon) -> bool:
    """A function word with a clitic ("we've", "I'll", "don't", "can't"): capitalised, it opens a sentence
    and names no one. A name with an apostrophe ("O'Neill", "D'Arcy") is no contraction."""
    m = _CONTRACTION.fullmatch(norm)
    return m is not None and (m.group(1) in lex.function or m.group(1) in _NEGATIVE_STEMS)


def case_evidence(docs: Iterable[Document], lex: Lexicon, prior: Mapping[str, float]) -> NameEvidence:
    """Collect ``NameEvidence`` from the sentences of ``docs`` (the reference and the candidate).

    Both documents are read whole, so no tokens are built here (each pair's sides build them):
    only the token texts are read, each distinct one's shape looked up once; the lower-case words
    come from the distinct texts, the mid-sentence capitals from the runs of capitalised words alone.
    """
    mid: set[str] = set()
    seen: set[str] = set()
    # what a sentence adds depends on its text alone: a recurring one is read once
    for sentence in dict.fromkeys(s.text for doc in docs for s in doc.sentences):
        texts = sentence_texts(sentence)
        seen.update(texts)
        if mostly_upper_texts(texts) or title_case_texts(texts, lex):
            continue
        shapes = list(map(token_shape, texts))
        caps = list(compress(count(), map(_capital_word, shapes)))
        r = 0
        while r < len(caps):
            q = r
            while q + 1 < len(caps) and caps[q + 1] == caps[q] + 1:
                q += 1
            first = caps[r]
            initial = initial_at(texts, first)
            if initial is None:  # after an honorific's period: spacing decides, as the tokens say
                initial = tokenise(sentence, 0)[first].initial
            if initial:  # "The Communist Party": the words after a leading function word count
                first = first + 1 if shapes[first][0] in lex.function else caps[q] + 1
            mid.update(shape[0] for shape in shapes[first : caps[q] + 1] if not shape[4])
            r = q + 1
    # a word token written in lower case, two letters or more
    lower = {token_norm(w) for w in seen if len(w) > 1 and w[0].islower() and w.isalpha()}
    return NameEvidence(frozenset(mid), frozenset(lower - lex.title), prior)


def _capital_word(shape: Shape) -> bool:
    """A word that starts with a capital (``Token.is_word and Token.capitalised``)."""
    return shape[1] and shape[3]


def parse_digits(text: str) -> tuple[float | None, str]:
    """``"1,500.5"`` -> 1500.5; ``"18th"`` -> 18 with suffix ``"th"``."""
    m = re.fullmatch(r"([\d.,:]+?)(st|nd|rd|th|s)?", text)
    if not m:
        return None, ""
    body, suffix = m.group(1), m.group(2) or ""
    if ":" in body:
        return None, suffix
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", body):
        body = body.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", body):
        body = body.replace(".", "")
    elif "," in body:
        body = body.replace(",", ".") if re.fullmatch(r"\d+,\d{1,2}", body) else body.split(",")[0]
    try:
        return float(body), suffix
    except ValueError:
        return None, suffix


def mixed_fraction(tokens: list[Token], last: int, hi: int) -> float | None:
    """The fraction written after a whole number ending at ``last`` ("2 1/2", "3 3/4"): a one-digit numerator and
    denominator joined by a slash, apart from the whole number; None when there is none."""
    if last + 3 >= hi:
        return None
    num, slash, den = tokens[last + 1 : last + 4]
    if not (num.is_number and slash.text == "/" and den.is_number and num.start > tokens[last].end
            and slash.start == num.end and den.start == slash.end and len(num.text) == 1 and len(den.text) == 1):
        return None
    n, d = int(num.text), int(den.text)
    return n / d if 0 < n < d else None


def find_numbers(tokens: list[Token], lo: int, hi: int, lex: Lexicon) -> list[Mention]:
    out: list[Mention] = []
    i = lo
    while i < hi:
        tok = tokens[i]
        value: float | None = None
        first = last = i
        if tok.is_number:
            clock = clock_time(tokens, i, hi)
            if clock is not None:
                out.append(clock)
                i = clock.last + 1
                continue
            if ":" in tok.text:  # a ratio or score ("3:1"): keep as a literal mention
                out.append(Mention("number", i, i, tok.start, tok.end, tok.text, keys=(tok.norm,)))
                i += 1
                continue
            numeric = numeric_date(tokens, i, hi)
            if numeric is not None:
                out.append(numeric)
                i = numeric.last + 1
                continue
            value, suffix = parse_digits(tok.text)
            value = range_end_year(tokens, i, lo, value)
        elif tok.norm in lex.number:
            value = lex.number[tok.norm]
            # twenty-five
            if i + 2 < hi and tokens[i + 1].text in HYPHENS and tokens[i + 2].norm in lex.number:
                value += lex.number[tokens[i + 2].norm]
                last = i + 2
        if value is None:
            i += 1
            continue
        suffix = suffix if tok.is_number else ""
        spelled = not tok.is_number
        scale = 0
        unit: str | None = None
        month: str | None = None
        if [t.norm for t in tokens[last + 1 : min(hi, last + 4)]] == ["and", "a", "half"]:  # "three and a half"
            value += 0.5
            last += 3
        elif tok.is_number and (fraction := mixed_fraction(tokens, last, hi)) is not None:  # "2 1/2"
            value += fraction
            last += 3
        j = last + 1
        measured = j < hi and unit_abbreviation(tokens, i, j, lo, hi, lex)
        if measured:  # "a 5m fence": five metres, not five million
            unit, last = lexdata.units()[tokens[j].norm].symbol, j
            j += 1
        elif j < hi and tokens[j].norm in lex.scale and not (tokens[j].norm in {"m", "b", "k"} and tokens[j].start > tokens[j - 1].end):
            scale = lex.scale[tokens[j].norm]
            last = j
            j += 1
            if (j < hi and tokens[j].norm in lex.scale and lex.scale[tokens[j].norm] > scale  # "two hundred million"
                    and not (tokens[j].norm in {"m", "b", "k"} and tokens[j].start > tokens[j - 1].end)):  # "12 thousand m2"
                scale += lex.scale[tokens[j].norm]
                last = j
                j += 1
        # unit or currency after the number
        if j < hi and not measured:
            two = tokens[j].norm + " " + tokens[j + 1].norm if j + 1 < hi else ""
            if two in lex.unit:
                unit, last = lex.unit[two], j + 1
            elif tokens[j].norm in lex.unit or tokens[j].text in lex.unit:
                unit, last = lex.unit.get(tokens[j].norm) or lex.unit[tokens[j].text], j
            elif tokens[j].norm in lex.currency:
                unit, last = lex.currency[tokens[j].norm], j
            elif tokens[j].norm in lex.month and not spelled:
                month, last = tokens[j].norm[:3], j
            elif (suffix in ORDINAL_SUFFIXES and tokens[j].norm == "of" and j + 1 < hi
                  and tokens[j + 1].norm in lex.month):  # "the 9th of February"
                month, last = tokens[j + 1].norm[:3], j + 1
        # currency or month before it
        if first > lo:
            before = tokens[first - 1]
            if before.text in lex.currency or before.norm in lex.currency:
                unit = lex.currency.get(before.text) or lex.currency[before.norm]
                first -= 1
                prefix = tokens[first - 1].norm + "$" if first > lo else ""
                if before.text == "$" and prefix in lex.currency and tokens[first - 1].end == before.start:
                    unit = lex.currency[prefix]
                    first -= 1
            elif before.norm in lex.month and not spelled:
                month = before.norm[:3]
                first -= 1
            elif (before.text == "." and first - 2 >= lo and tokens[first - 2].norm in lex.month and not spelled
                  and tokens[first - 2].end == before.start):  # "Feb. 11"
                month = tokens[first - 2].norm[:3]
                first -= 2
        if spelled and (value in (1.0, 0.5) or tok.norm in {"dozens"}) and scale == 0 and unit is None:
            i = last + 1
            continue  # "one of", "half of": too common to be a quantity
        bare_day = (month is None and unit is None and scale == 0 and first == last and first - 2 >= lo
                    and is_bare_day(tokens, first, hi, suffix, value, lex))
        if bare_day:
            first -= 1  # the mention is "the 9th"
        elif month is None and unit is None and scale == 0 and first == last:
            bare_day = dateline_day(tokens, first, lo, hi, suffix, value)
        mantissa = value
        start, end = tokens[first].start, tokens[last].end
        text = "".join(
            tokens[k].text if k == first else (" " if tokens[k].start > tokens[k - 1].end else "") + tokens[k].text
            for k in range(first, last + 1)
        )
        out.append(
            Mention("number", first, last, start, end, text, value=value * 10**scale, mantissa=mantissa,
                     scale=scale, unit=unit, month=month, bare_day=bare_day)
        )
        i = last + 1
    # "12 to 14 million": the first number takes the scale and unit of the second
    fixed: list[Mention] = []
    for k, m in enumerate(out):
        if k + 1 < len(out) and m.scale == 0 and m.value is not None:
            n = out[k + 1]
            between = [t.norm for t in tokens[m.last + 1 : n.first]]
            if n.scale and between in (["to"], ["-"], ["–"], ["and"], ["or"]) and n.mantissa is not None:
                m = Mention("number", m.first, m.last, m.start, m.end, m.text, value=m.value * 10**n.scale,
                             mantissa=m.mantissa, scale=n.scale, unit=m.unit or n.unit, month=m.month)
        fixed.append(m)
    return fixed


#: The first key of a clock-time mention; the others are its possible readings in minutes after midnight.
CLOCK = "clock"


def _meridiem(tokens: Sequence[Token], j: int, hi: int) -> tuple[str, int] | None:
    """"am" or "pm" written at ``tokens[j]`` ("PM", "pm", "A.M.", "a.m."), with the index of its last token."""
    if j >= hi:
        return None
    t = tokens[j]
    if t.norm in {"am", "pm"}:
        return t.norm, j
    if (t.norm in {"a", "p"} and j + 2 < hi and tokens[j + 1].text == "." and tokens[j + 2].norm == "m"
            and tokens[j + 1].start == t.end and tokens[j + 2].start == tokens[j + 1].end):
        return t.norm + "m", j + 2
    return None


def clock_time(tokens: Sequence[Token], k: int, hi: int) -> Mention | None:
    """A time of day at ``tokens[k]``: "13:25", "1:25 PM", "01:23", "10 p.m.", or None.

    Its keys after ``CLOCK`` are the minutes after midnight it can mean: one reading with "am"/"pm" or
    an hour past 12, two for a 12-hour time without them ("3:49" is 03:49 or 15:49), so "13:25" /
    "1:25 PM" and "01:23" / "1:23 a.m." are one time written two ways.
    """
    tok = tokens[k]
    m = re.fullmatch(r"(\d{1,2}):(\d\d)", tok.text) or re.fullmatch(r"(\d{1,2})", tok.text)
    if m is None:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0) if m.lastindex == 2 else 0
    if hour > 24 or minute > 59:
        return None
    after = k + 1
    marker = _meridiem(tokens, after, hi) if after < hi else None
    if m.lastindex != 2 and (marker is None or not 1 <= hour <= 12):
        return None  # a bare number is a time only with "am" or "pm" after it ("10 PM")
    last = k
    if marker is not None and 1 <= hour <= 12:
        readings = [hour % 12 * 60 + minute + (720 if marker[0] == "pm" else 0)]
        last = marker[1]
    elif 1 <= hour <= 12:
        readings = [hour % 12 * 60 + minute, hour % 12 * 60 + minute + 720]
    else:
        readings = [hour % 24 * 60 + minute]
    text = "".join(t.text if j == k else (" " if t.start > tokens[j - 1].end else "") + t.text
                   for j, t in enumerate(tokens[k : last + 1], start=k))
    return Mention("number", k, last, tok.start, tokens[last].end, text,
                   keys=(CLOCK, *(str(r) for r in readings)))


def range_end_year(tokens: Sequence[Token], k: int, lo: int, value: float | None) -> float | None:
    """The second year of a range written short ("2019-20", "1998/99") as the full year; other values unchanged."""
    if value is None or len(tokens[k].text) != 2 or not tokens[k].text.isdigit() or k - 2 < lo:
        return value
    dash, year = tokens[k - 1], tokens[k - 2]
    if (dash.text not in HYPHENS and dash.text != "/") or dash.start != year.end or tokens[k].start != dash.end:
        return value
    if not re.fullmatch(r"(1[89]|20)\d\d", year.text):
        return value
    first = int(year.text)
    second = first // 100 * 100 + int(tokens[k].text)
    if second <= first:
        second += 100
    return float(second) if second - first <= 10 else value


def unit_abbreviation(tokens: Sequence[Token], k: int, j: int, lo: int, hi: int, lex: Lexicon) -> bool:
    """``tokens[j]``, written right after the number ``tokens[k]``, is a unit of measure, not a scale:
    "a 5m fence", "a 10m-high wall", "5m long" are metres where "$5m" and "5m people" are millions.
    No currency stands by the number, and an article before it or a measure word or hyphen after it
    says it measures something."""
    t = tokens[j]
    if t.start != tokens[j - 1].end or t.norm not in lexdata.units():
        return False
    if k > lo and (tokens[k - 1].text in lex.currency or tokens[k - 1].norm in lex.currency):
        return False
    if k - 1 > lo and tokens[k - 1].text == "$":
        return False
    after = tokens[j + 1] if j + 1 < hi else None
    if after is not None and (after.norm in lex.currency):
        return False
    article = k > lo and tokens[k - 1].norm in {"a", "an"}
    measure = after is not None and ((after.text in HYPHENS and after.start == t.end) or after.norm in lex.measure_word)
    return article or measure


def numeric_date(tokens: Sequence[Token], k: int, hi: int) -> Mention | None:
    """An all-numeric year-month-day date at ``tokens[k]`` ("2023-02-11", "2023/2/11"), or None."""
    if k + 4 >= hi or not re.fullmatch(r"\d{4}", tokens[k].text):
        return None
    sep, month, sep2, day = tokens[k + 1 : k + 5]
    if sep.text not in {"-", "/", "."} or sep2.text != sep.text or not (month.text.isdigit() and day.text.isdigit()):
        return None
    if any(tokens[j].start != tokens[j - 1].end for j in range(k + 1, k + 5)):
        return None
    m, d = int(month.text), int(day.text)
    if not (1 <= m <= 12 and 1 <= d <= 31) or len(month.text) > 2 or len(day.text) > 2:
        return None
    start, end = tokens[k].start, day.end
    text = "".join(t.text for t in tokens[k : k + 5])
    return Mention("number", k, k + 4, start, end, text, keys=(tokens[k].text,), value=float(d), mantissa=float(d),
                    month=MONTH_KEYS[m - 1], numeric_date=True)


ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})



def is_bare_day(tokens: Sequence[Token], k: int, hi: int, suffix: str, value: float, lex: Lexicon) -> bool:
    """``tokens[k]`` is an ordinal day of the month without its month: "on the 9th", "the afternoon of the 10th"."""
    if suffix not in ORDINAL_SUFFIXES or not (1 <= value <= 31) or value != int(value):
        return False
    if tokens[k - 1].norm != "the" or tokens[k - 2].norm not in lex.date_preposition:
        return False
    if k + 1 >= hi:
        return True
    after = tokens[k + 1]
    if not after.is_word:
        return not after.is_number and after.text not in HYPHENS
    return not after.capitalised and after.norm in lex.date_follower


def dateline_day(tokens: Sequence[Token], k: int, lo: int, hi: int, suffix: str, value: float) -> bool:
    """``tokens[k]`` is the ordinal day that ends a bracketed dateline without its month ("(Xinhua, 9th)",
    "(Comprehensive 11th)"): capitalised words, maybe a comma, then the day and the closing bracket."""
    if suffix not in ORDINAL_SUFFIXES or not (1 <= value <= 31) or value != int(value):
        return False
    if k + 1 >= hi or tokens[k + 1].text != ")":
        return False
    j = k - 1
    if j >= lo and tokens[j].text == ",":
        j -= 1
    words = 0
    while j >= lo and tokens[j].is_word and tokens[j].capitalised and words < 3:
        words += 1
        j -= 1
    return words > 0 and j >= lo and tokens[j].text == "("


def credited(tokens: Sequence[Token], k: int, last: int, lo: int, hi: int, lex: Lexicon) -> bool:
    """The span ``k..last`` is credited in a byline or header: it follows a credit word and a colon
    ("[Editor: Li Wen]", "[Editor in charge: Li Wen]", "Source: Reuters"), or a title follows it
    in apposition ("Li Wen, a reporter with ...")."""
    if k - 2 >= lo and tokens[k - 1].text == ":":
        words = [t for t in tokens[max(lo, k - 4) : k - 1] if t.is_word]
        if any(t.norm in lex.title or t.norm in lex.byline for t in words):
            return True
    return apposed_title(tokens, last, hi, lex)


def articled(tokens: Sequence[Token], last: int, hi: int) -> bool:
    """An article follows the comma after ``tokens[last]`` (", a reporter", ", the spokesman")."""
    return last + 2 < hi and tokens[last + 1].text == "," and tokens[last + 2].norm in {"a", "an", "the"}


def apposed_title(tokens: Sequence[Token], last: int, hi: int, lex: Lexicon) -> bool:
    """A title follows ``tokens[last]`` in apposition: "Li Wen, a reporter", "Li Wen, a senior Xinhua reporter"."""
    after = tokens[last + 1 : min(hi, last + 6)]
    if len(after) < 2 or after[0].text != ",":
        return False
    k = 2 if after[1].norm in {"a", "an", "the"} else 1
    # up to two words describe the title ("a senior financial journalist")
    for t in after[k : k + 3]:
        if not t.is_word:
            return False
        if t.norm in lex.title:
            return True
    return False


def currency_prefix(tokens: Sequence[Token], k: int, hi: int, lex: Lexicon) -> bool:
    """``tokens[k]`` is the letters of a currency sign written before "$" ("S$500", "HK$ 3", "NT$"): no name."""
    n = k + 1
    return (n < hi and tokens[n].text.startswith("$") and tokens[n].start == tokens[k].end
            and tokens[k].norm + "$" in lex.currency)


def find_names(tokens: list[Token], lo: int, hi: int, lex: Lexicon, lower_words: frozenset[str],
               evidence: NameEvidence | None = None) -> list[Mention]:
    """The names of sentence ``tokens[lo:hi]``.

    A name first in its sentence (or quote) or on a Title Case line is ``weak`` unless the evidence
    makes it one (``NameEvidence.word``, a title in apposition, a credit): weak names never give
    major findings. Without ``evidence`` a lone word first in its sentence is weak.
    """
    texts = [t.text for t in tokens[lo:hi]]  # the sentence's shape follows from its token texts
    if mostly_upper_texts(texts):
        return []
    title = title_case_texts(texts, lex)
    sentence_stops = final_mark_texts(texts) in {".", "!", "?"}
    out: list[Mention] = []
    i = lo

    def strong(t: Token) -> bool:
        return t.acronym or t.inner_caps

    while i < hi:
        t = tokens[i]
        if not (t.is_word and t.capitalised):
            i += 1
            continue
        j = i
        while j + 1 < hi:
            n = tokens[j + 1]
            if n.is_word and n.capitalised and n.norm not in lex.month:
                j += 1
            elif (n.text in HYPHENS and j + 2 < hi and n.start == tokens[j].end
                  and tokens[j + 2].start == n.end and tokens[j + 2].text[0].isalnum()
                  and (tokens[j + 2].text[0].isupper() or tokens[j + 2].text[0].isdigit() or j > i)):
                j += 2
            elif (n.text == "." and len(tokens[j].text) <= 2 and n.start == tokens[j].end and j + 2 < hi
                  and tokens[j + 2].capitalised and tokens[j + 2].is_word):
                j += 1
            elif (evidence is not None and n.text in {"'s", "’s"} and n.start == tokens[j].end and j > i and j + 2 < hi
                  and tokens[j + 2].is_word and tokens[j + 2].capitalised and evidence.common(tokens[j].norm)):
                j += 2  # "National People's Congress", "Children's Hospital": a common noun's possessive inside a name
            elif (n.norm in lex.connector and not n.capitalised and j + 2 < hi
                  and tokens[j + 2].is_word and tokens[j + 2].capitalised):
                j += 2
            else:
                break
        span = list(range(i, j + 1))
        i = j + 1
        def surname_first(k: int) -> bool:
            """A pronoun first in the sentence that is also a surname, before a word no English text
            writes ("He Lifeng said"): a pronoun is not followed by a capitalised unknown word."""
            nxt = tokens[k + 1].norm
            return (evidence is not None and bool(evidence.prior) and tokens[k].norm in lex.pronoun_surname
                    and nxt not in evidence.prior and nxt not in evidence.lower)

        # trim function words, months and connectors at both ends (acronyms stay)
        def droppable(k: int, leading: bool) -> bool:
            tk = tokens[k]
            if not tk.is_word:
                return True
            if tk.norm in {"am", "pm"} and k > lo and tokens[k - 1].is_number:
                return True  # "10 PM", "3:49AM": part of a time of day
            if tk.acronym and len(tk.text) > 1 and tk.text != "I":
                return False
            if (leading and tk.capitalised and tk.norm in lex.function and k + 1 < hi
                    and tokens[k + 1].is_word and tokens[k + 1].capitalised and tokens[k + 1].norm not in lex.function
                    and tokens[k + 1].norm not in lex.month and tk.norm not in {"the", "a", "an", "of"}
                    and (not tk.initial or surname_first(k))):
                return False  # "He Lifeng", mid-sentence "In Jae-hwan": a capitalised short word that starts a name
            # a capitalised connector ends a name as a name word ("Xia Bin", "Li Van")
            connector = tk.norm in lex.connector and (leading or not tk.capitalised)
            return tk.norm in lex.function or contraction(tk.norm, lex) or tk.norm in lex.month or connector or (
                tk.norm in lex.number or tk.norm in lex.scale) or (
                not tk.capitalised and leading)
        while span and droppable(span[0], True):
            span.pop(0)
        # a common word capitalised only as the sentence's first ("Delegates of the National People's Congress");
        # one right before a word no English text writes is a family name ("Men Rui", "Long Yongtu"), unless
        # that word is an acronym or the first an inflected form ("Larger DSLM", "Visiting Macau")
        while (evidence is not None and len(span) > 1 and tokens[span[0]].initial and not strong(tokens[span[0]])
               and not evidence.word(tokens[span[0]].norm) and not surname_first(span[0])
               and not (span[1] == span[0] + 1 and tokens[span[1]].norm not in evidence.prior
                        and not strong(tokens[span[1]])
                        and not inflected_common(tokens[span[0]].norm, evidence.prior))):
            span.pop(0)
            while span and droppable(span[0], True):
                span.pop(0)
        while span and droppable(span[-1], False):
            span.pop()
        if not span:
            continue
        words = [tokens[k] for k in span if tokens[k].is_word]
        if title and not any(strong(w) for w in words) and not credited(tokens, span[0], span[-1], lo, hi, lex):
            continue
        weak = False
        if len(words) == 1 and not strong(words[0]):
            w = words[0]
            if w.initial or (span[0] > lo and tokens[span[0] - 1].text in {"“", '"', "‘"}):
                k = span[0]
                if w.norm in lower_words or (k + 2 < hi and tokens[k + 1].text in HYPHENS
                                             and tokens[k + 2].is_word and not tokens[k + 2].capitalised):
                    continue  # "Anti-fraud tips", "Self-driving cars": a compound, not a name
                # "Sharpin, a financial journalist, said": a title in apposition makes it a person's name
                weak = not apposed_title(tokens, span[-1], hi, lex)
            elif w.norm in lower_words and len(w.text) <= 3:
                continue
        if evidence is not None and not any(strong(w) for w in words):
            k = span[0]
            quoted = k > lo and tokens[k - 1].text in {"“", '"', "‘"}
            if tokens[k].initial or title or (quoted and len(words) == 1):
                content = [w for w in words if w.norm not in lex.function and w.norm not in lex.title
                           and w.norm not in lex.connector]
                # in a sentence (not a headline line), capitals after the first word are mid-sentence capitals
                inner = len(content) >= 2 and not title and sentence_stops
                # a title in apposition names a person ("Sharp, a financial journalist"); a common word before a
                # bare title opens the sentence before a titled name ("Earlier, Chief Health Officer Ana Ruiz")
                apposed = apposed_title(tokens, span[-1], hi, lex) and not (
                    all(evidence.common(w.norm) for w in content) and not articled(tokens, span[-1], hi))
                named = inner or any(evidence.word(w.norm) for w in content) or (
                    title and credited(tokens, span[0], span[-1], lo, hi, lex)) or apposed
                weak = not named
        if len(words) == 1 and (words[0].norm in lex.currency or currency_prefix(tokens, span[-1], hi, lex)):
            continue
        if len(words) == 1 and words[0].norm in lex.title:
            continue  # "Chief executive ...", "President said": a title alone names no one
        first, last = span[0], span[-1]
        keys = tuple(tokens[k].norm for k in span if tokens[k].is_word and tokens[k].norm not in lex.connector)
        if not keys:
            continue  # only connecting words ("DU" alone): nothing to compare, no name
        acronym = len(words) == 1 and words[0].acronym
        text_start, text_end = tokens[first].start, tokens[last].end
        out.append(Mention("name", first, last, text_start, text_end, "", keys=keys, acronym=acronym, weak=weak))
    return out


def build_side(doc: Document, indices: Sequence[int], lex: Lexicon, lower_words: frozenset[str],
               evidence: NameEvidence | None = None, *, names: bool = True) -> Side:
    """One side of an aligned pair: the tokens of sentences ``indices`` of ``doc`` and their mentions
    (its numbers only when ``names`` is false)."""
    tokens: list[Token] = []
    bounds: list[tuple[int, int]] = []
    for idx in indices:
        s = doc.sentences[idx]
        lo = len(tokens)
        tokens.extend(tokenise(s.text, s.start))
        bounds.append((lo, len(tokens)))
    side = Side(doc, tokens, bounds)
    for lo, hi in bounds:
        side.numbers.extend(find_numbers(tokens, lo, hi, lex))
        if not names:
            continue
        side.names.extend(
            Mention(m.kind, m.first, m.last, m.start, m.end, doc.text[m.start : m.end], keys=m.keys,
                     acronym=m.acronym, weak=m.weak)
            for m in find_names(tokens, lo, hi, lex, lower_words, evidence)
        )
    return side


@functools.lru_cache(maxsize=8)
def lower_words(text: str) -> frozenset[str]:
    """Words the document writes in lower case somewhere: such a word capitalised at a sentence start is no name."""
    lex = lexicon()
    words = {m.group() for m in re.finditer(r"(?<![\w'’-])[a-z][a-z]+\b", text)}
    return frozenset(words) | lex.function



#: Distinct sentences whose tokens and mentions the side builders of a document pair keep for their next use (the
#: most recently used).
SENTENCE_CACHE = 2048


@dataclass
class _Parsed:
    """One sentence's tokens and mentions as ``build_side`` finds them for a side of that sentence alone.

    ``base`` is the sentence's start in the document it was first read in: the offsets are shifted by
    the start of a later occurrence (in either document) minus ``base``, the token indices by the
    sentence's place in its side. Its names depend on the words of the sentence that its document
    writes in lower case somewhere (``find_names`` reads ``lower_words`` for no other word), so they
    are kept per such set (``names``): two documents that write the same words in lower case share them.
    """

    base: int
    tokens: list[Token]
    numbers: list[Mention]
    words: frozenset[str]  # its word tokens' norms: all of ``lower_words`` that its names read
    names: dict[frozenset[str], list[Mention]] = field(default_factory=dict)
    columns: list[tuple[Any, ...]] | None = None  # the tokens' fields, column by column, once reused


def _moved(m: Mention, tokens: int, chars: int) -> Mention:
    """``m`` with its token indices shifted by ``tokens`` and its offsets by ``chars`` (every other field kept)."""
    if not tokens and not chars:
        return m
    return Mention(m.kind, m.first + tokens, m.last + tokens, m.start + chars, m.end + chars, m.text, m.keys, m.acronym,
                   m.weak, m.value, m.mantissa, m.scale, m.unit, m.month, m.bare_day, m.numeric_date)


def _moved_tokens(parsed: _Parsed, chars: int) -> list[Token]:
    """``parsed.tokens`` with their offsets shifted by ``chars``, built column by column."""
    if parsed.columns is None:
        parsed.columns = list(zip(*parsed.tokens, strict=True))
    c = parsed.columns
    shift = chars.__add__
    fields = zip(c[0], map(shift, c[1]), map(shift, c[2]), *c[3:], strict=True)
    return list(map(tuple.__new__, itertools.repeat(Token), fields))


class SentenceParses:
    """The tokens and mentions of sentence texts, read once while recent and shared by the side builders of
    a document pair (``SideBuilder(..., shared=...)``).

    A sentence's tokens and numbers depend on its text alone; its names also on the case evidence (one
    for the pair) and on which of its own words its document writes in lower case: the rules look at no
    token outside the sentence, and a token's offsets only through differences. So a sentence a copy or a
    close translation repeats is tokenised and read once for both documents, and shifted to each place.
    At most ``SENTENCE_CACHE`` distinct sentences are kept, the most recently used (``diag.recent``), so
    memory stays bounded on documents that never repeat one.
    """

    def __init__(self, lex: Lexicon, evidence: NameEvidence | None = None) -> None:
        self.lex = lex
        self.evidence = evidence
        self._recent: Recent[str, _Parsed] = Recent(functools.partial(self._read, start=0), SENTENCE_CACHE)

    def _read(self, text: str, start: int) -> _Parsed:
        tokens = tokenise(text, start)
        words = frozenset(t.norm for t in tokens if t.is_word)
        return _Parsed(start, tokens, find_numbers(tokens, 0, len(tokens), self.lex), words)

    def parse(self, text: str, start: int, lower_words: frozenset[str]) -> tuple[_Parsed, list[Mention]]:
        """The sentence ``text`` (read at ``start`` if it is not kept) and its names in a document that
        writes ``lower_words`` in lower case; the names' offsets, like the tokens', are at ``_Parsed.base``."""
        parsed = self._recent.get_or_make(text, functools.partial(self._read, start=start))
        lower = parsed.words & lower_words
        names = parsed.names.get(lower)
        if names is None:
            base = parsed.base
            names = parsed.names[lower] = [
                Mention(m.kind, m.first, m.last, m.start, m.end, text[m.start - base : m.end - base], keys=m.keys,
                        acronym=m.acronym, weak=m.weak)
                for m in find_names(parsed.tokens, 0, len(parsed.tokens), self.lex, lower, self.evidence)]
        return parsed, names


class SideBuilder:
    """``build_side`` for the pairs of one document, each distinct sentence text read once while it is recent.

    The reading (``SentenceParses``) is its own, or ``shared`` with the other document's builder, made
    with the same lexicon and case evidence: a sentence both documents write is then read once.
    """

    def __init__(self, doc: Document, lex: Lexicon, lower_words: frozenset[str],
                 evidence: NameEvidence | None = None, *, shared: SentenceParses | None = None) -> None:
        if shared is None:
            shared = SentenceParses(lex, evidence)
        elif shared.lex is not lex or shared.evidence is not evidence:
            raise ValueError("SideBuilder: the shared sentence parses were made with another lexicon or case evidence")
        self.doc = doc
        self.lex = lex
        self.lower_words = lower_words
        self.evidence = evidence
        self._parses = shared

    def side(self, indices: Sequence[int]) -> Side:
        """``build_side(doc, indices, lex, lower_words, evidence)``."""
        tokens: list[Token] = []
        bounds: list[tuple[int, int]] = []
        names: list[Mention] = []
        numbers: list[Mention] = []
        parse, lower = self._parses.parse, self.lower_words
        for idx in indices:
            s = self.doc.sentences[idx]
            parsed, found = parse(s.text, s.start, lower)
            lo = len(tokens)
            chars = s.start - parsed.base
            tokens.extend(_moved_tokens(parsed, chars) if chars else parsed.tokens)
            bounds.append((lo, len(tokens)))
            numbers.extend(_moved(m, lo, chars) for m in parsed.numbers)
            names.extend(_moved(m, lo, chars) for m in found)
        return Side(self.doc, tokens, bounds, names, numbers)
