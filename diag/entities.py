"""Entity and number damage: find names, acronyms and numbers in the reference and check their rendering.

For every aligned pair with sentences on both sides, mentions are taken from the reference
sentences by rule (capitalised sequences not explained by sentence-initial position, inner
capitals, acronyms, numbers with scale words, units, currencies, percentages and dates; see
``diag/data/entities_words.txt`` for the word lists this module owns). Each mention is looked
for in the aligned candidate sentences under normalised forms (case, diacritics, hyphens and
spaces, possessives, number formats), so acceptable variants are not reported. A mention that
is not found is paired with the candidate mention or token span that took its place (by token
alignment, shared context, character similarity, acronym letters, numeric value and scale) and
the damage is classified MQM-style; a mention with no rendering at all is ``dropped``.

Mentions in wholly omitted reference sentences (1-0 pairs) are not reported here: the
alignment already lists omitted sentences, and a summary omits many.

Severity is ``major``/``critical`` only when the evidence is local and strong (the rendering
sits between the same neighbours, or its letters or value say what it was); weaker evidence
gives ``minor`` findings.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property
from importlib import resources
from pathlib import Path

from diag.errors import InputError
from diag.model import Alignment, Document, Finding, Location, Severity

__all__ = ["Glossary", "GlossaryTerm", "find_damage", "load_glossary"]

_SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2}
#: Character similarity above which a changed name counts as a transliteration of the original.
TRANSLITERATION_SIMILARITY = 0.6
#: Largest number of candidate tokens between two surviving neighbours for a mention to count as removed there.
ANCHOR_GAP = 2


# --------------------------------------------------------------------------- glossary


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """A protected term: wherever ``reference`` occurs in the reference, the candidate must say ``required``."""

    reference: str
    required: str

    def __post_init__(self) -> None:
        if not self.reference.strip() or not self.required.strip():
            raise ValueError(f"GlossaryTerm: empty form in {self.reference!r} -> {self.required!r}")


@dataclass(frozen=True)
class Glossary:
    """Protected terms, in file order."""

    terms: tuple[GlossaryTerm, ...]
    path: str | None = None


def load_glossary(path: str) -> Glossary:
    """Read a glossary: one protected term per line, or ``reference form<TAB>required form``.

    Blank lines and lines starting with ``#`` are skipped.

    Args:
        path: the glossary file (UTF-8).

    Returns:
        The glossary, terms in file order.

    Raises:
        InputError: the file cannot be read, is not UTF-8, has a malformed line or no terms.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"glossary {path}: cannot read it ({exc.strerror or exc}); pass an existing text file") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"glossary {path}: not UTF-8 (byte {exc.start}); save it as UTF-8 text, one term per line"
        ) from exc
    terms: list[GlossaryTerm] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        parts = [p.strip() for p in line.rstrip("\r\n").split("\t")]
        if len(parts) == 1:
            terms.append(GlossaryTerm(parts[0], parts[0]))
        elif len(parts) == 2 and parts[0] and parts[1]:
            terms.append(GlossaryTerm(parts[0], parts[1]))
        else:
            raise InputError(
                f"glossary {path}: line {number} has {len(parts)} tab-separated fields, expected "
                "'term' or 'reference form<TAB>required form'"
            )
    if not terms:
        raise InputError(f"glossary {path}: no terms found; write one term per line or 'reference<TAB>required'")
    return Glossary(tuple(terms), path=path)


# --------------------------------------------------------------------------- word lists


@dataclass(frozen=True)
class _Lexicon:
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


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    text = resources.files("diag").joinpath("data/entities_words.txt").read_text(encoding="utf-8")
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

    def pairs(name: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for entry in sections.get(name, []):
            key, _, value = entry.partition("=")
            out[key.strip()] = value.strip()
        return out

    return _Lexicon(
        function=frozenset(sections.get("function", [])),
        title=frozenset(sections.get("title", [])),
        connector=frozenset(sections.get("connector", [])),
        month=frozenset(sections.get("month", [])),
        scale={k: int(v) for k, v in pairs("scale").items()},
        number={k: float(v) for k, v in pairs("number").items()},
        currency=pairs("currency"),
        unit=pairs("unit"),
        organisation=frozenset(sections.get("organisation", [])),
        byline=frozenset(sections.get("byline", [])),
    )


# --------------------------------------------------------------------------- tokens

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
_OPENERS = frozenset({".", "!", "?", "“", '"', "‘", "(", ":", "—", "–", "[", "«", "-", "…", ";"})
_HYPHENS = frozenset({"-", "‐", "‑", "–"})


def _fold(text: str) -> str:
    """Case-fold and strip diacritics: ``Frýdek`` -> ``frydek``."""
    if text.isascii():  # most tokens; the same result, without the Unicode round trip
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("’", "'")


@dataclass(frozen=True, slots=True)
class _Token:
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


def _tokenise(text: str, offset: int) -> list[_Token]:
    tokens: list[_Token] = []
    prev: str | None = None
    for m in _token_re().finditer(text):
        t = m.group()
        norm = _fold(t).replace(".", "") if t[0].isalpha() else _fold(t)
        initial = prev is None or prev in _OPENERS
        tokens.append(_Token(t, m.start() + offset, m.end() + offset, norm, initial))
        prev = t
    return tokens


def _mostly_upper(tokens: Sequence[_Token]) -> bool:
    words = [t for t in tokens if t.is_word and len(t.text) > 1]
    return len(words) >= 4 and sum(t.text.isupper() for t in words) >= 0.7 * len(words)


def _title_case(tokens: Sequence[_Token], lex: _Lexicon) -> bool:
    words = [t for t in tokens if t.is_word and len(t.text) > 3 and t.norm not in lex.function]
    if len(words) < 4:
        return False
    share = sum(t.capitalised for t in words) / len(words)
    ends = [t.text for t in tokens if not t.text[0].isalnum() and t.text not in "\"”’)»"]
    return share >= 0.75 and not (ends and ends[-1] in {".", "!", "?"})


# --------------------------------------------------------------------------- mentions

_MONTH_NAMES = {m[:3]: m.capitalize() for m in ("january", "february", "march", "april", "may", "june", "july",
                                                  "august", "september", "october", "november", "december")}
_MONTH_KEYS = tuple(_MONTH_NAMES)  # "jan" ... "dec", in calendar order


@dataclass(frozen=True)
class _Mention:
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
class _Side:
    """One side of a pair: its tokens (document offsets) and mentions."""

    doc: Document
    tokens: list[_Token]
    sentence_bounds: list[tuple[int, int]]  # token index ranges per sentence
    names: list[_Mention] = field(default_factory=list)
    numbers: list[_Mention] = field(default_factory=list)

    @cached_property
    def norms(self) -> list[str]:
        """Every token's normalised form (built once: mentions ask for it again and again)."""
        return [t.norm for t in self.tokens]

    @cached_property
    def word_norms(self) -> list[str]:
        """The normalised forms of the tokens that start with a letter or digit."""
        return [n for n in self.norms if n[:1].isalnum()]


def _parse_digits(text: str) -> tuple[float | None, str]:
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


def _numbers(tokens: list[_Token], lo: int, hi: int, lex: _Lexicon) -> list[_Mention]:
    out: list[_Mention] = []
    i = lo
    while i < hi:
        tok = tokens[i]
        value: float | None = None
        first = last = i
        if tok.is_number:
            if ":" in tok.text:  # clock time: keep as a literal mention
                out.append(_Mention("number", i, i, tok.start, tok.end, tok.text, keys=(tok.norm,)))
                i += 1
                continue
            numeric = _numeric_date(tokens, i, hi)
            if numeric is not None:
                out.append(numeric)
                i = numeric.last + 1
                continue
            value, suffix = _parse_digits(tok.text)
        elif tok.norm in lex.number:
            value = lex.number[tok.norm]
            # twenty-five
            if i + 2 < hi and tokens[i + 1].text in _HYPHENS and tokens[i + 2].norm in lex.number:
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
        j = last + 1
        if j < hi and tokens[j].norm in lex.scale and not (tokens[j].norm in {"m", "b", "k"} and tokens[j].start > tokens[j - 1].end):
            scale = lex.scale[tokens[j].norm]
            last = j
            j += 1
            if j < hi and tokens[j].norm in lex.scale and lex.scale[tokens[j].norm] > scale:  # "two hundred million"
                scale += lex.scale[tokens[j].norm]
                last = j
                j += 1
        # unit or currency after the number
        if j < hi:
            two = tokens[j].norm + " " + tokens[j + 1].norm if j + 1 < hi else ""
            if two in lex.unit:
                unit, last = lex.unit[two], j + 1
            elif tokens[j].norm in lex.unit or tokens[j].text in lex.unit:
                unit, last = lex.unit.get(tokens[j].norm) or lex.unit[tokens[j].text], j
            elif tokens[j].norm in lex.currency:
                unit, last = lex.currency[tokens[j].norm], j
            elif tokens[j].norm in lex.month and not spelled:
                month, last = tokens[j].norm[:3], j
            elif (suffix in _ORDINAL_SUFFIXES and tokens[j].norm == "of" and j + 1 < hi
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
                    and _bare_day(tokens, first, hi, suffix, value, lex))
        if bare_day:
            first -= 1  # the mention is "the 9th"
        mantissa = value
        start, end = tokens[first].start, tokens[last].end
        text = "".join(
            tokens[k].text if k == first else (" " if tokens[k].start > tokens[k - 1].end else "") + tokens[k].text
            for k in range(first, last + 1)
        )
        out.append(
            _Mention("number", first, last, start, end, text, value=value * 10**scale, mantissa=mantissa,
                     scale=scale, unit=unit, month=month, bare_day=bare_day)
        )
        i = last + 1
    # "12 to 14 million": the first number takes the scale and unit of the second
    fixed: list[_Mention] = []
    for k, m in enumerate(out):
        if k + 1 < len(out) and m.scale == 0 and m.value is not None:
            n = out[k + 1]
            between = [t.norm for t in tokens[m.last + 1 : n.first]]
            if n.scale and between in (["to"], ["-"], ["–"], ["and"], ["or"]) and n.mantissa is not None:
                m = _Mention("number", m.first, m.last, m.start, m.end, m.text, value=m.value * 10**n.scale,
                             mantissa=m.mantissa, scale=n.scale, unit=m.unit or n.unit, month=m.month)
        fixed.append(m)
    return fixed


def _numeric_date(tokens: Sequence[_Token], k: int, hi: int) -> _Mention | None:
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
    return _Mention("number", k, k + 4, start, end, text, keys=(tokens[k].text,), value=float(d), mantissa=float(d),
                    month=_MONTH_KEYS[m - 1], numeric_date=True)


_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
#: Words before "the 9th" that make it a date ("on the 9th", "the evening of the 9th", "since the 9th").
_DATE_PREPOSITIONS = frozenset({"on", "of", "since", "from", "until", "till", "by", "before", "after", "through"})
#: Words that may follow a day of the month ("on the 9th at noon"); a noun after it makes a rank ("the 9th floor").
_DATE_FOLLOWERS = frozenset({"at", "in", "and", "or", "but", "when", "that", "with", "as", "to", "for", "by", "from",
                             "after", "before", "while", "where", "which", "who", "this", "last", "next", "local",
                             "morning", "afternoon", "evening", "night"})


def _bare_day(tokens: Sequence[_Token], k: int, hi: int, suffix: str, value: float, lex: _Lexicon) -> bool:
    """``tokens[k]`` is an ordinal day of the month without its month: "on the 9th", "the afternoon of the 10th"."""
    if suffix not in _ORDINAL_SUFFIXES or not (1 <= value <= 31) or value != int(value):
        return False
    if tokens[k - 1].norm != "the" or tokens[k - 2].norm not in _DATE_PREPOSITIONS:
        return False
    if k + 1 >= hi:
        return True
    after = tokens[k + 1]
    if not after.is_word:
        return not after.is_number and after.text not in _HYPHENS
    return not after.capitalised and after.norm in _DATE_FOLLOWERS


def _credited(tokens: Sequence[_Token], k: int, last: int, lo: int, hi: int, lex: _Lexicon) -> bool:
    """The span ``k..last`` is credited in a byline or header: it follows a credit word and a colon
    ("[Editor: Li Wen]", "[Editor in charge: Li Wen]", "Source: Reuters"), or a title follows it
    in apposition ("Li Wen, a reporter with ...")."""
    if k - 2 >= lo and tokens[k - 1].text == ":":
        words = [t for t in tokens[max(lo, k - 4) : k - 1] if t.is_word]
        if any(t.norm in lex.title or t.norm in lex.byline for t in words):
            return True
    return _apposed_title(tokens, last, hi, lex)


def _apposed_title(tokens: Sequence[_Token], last: int, hi: int, lex: _Lexicon) -> bool:
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


def _names(tokens: list[_Token], lo: int, hi: int, lex: _Lexicon, lower_words: frozenset[str],
           inner_caps_words: frozenset[str]) -> list[_Mention]:
    sentence = tokens[lo:hi]
    if _mostly_upper(sentence):
        return []
    title = _title_case(sentence, lex)
    out: list[_Mention] = []
    i = lo

    def strong(t: _Token) -> bool:
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
            elif (n.text in _HYPHENS and j + 2 < hi and n.start == tokens[j].end
                  and tokens[j + 2].start == n.end and tokens[j + 2].text[0].isalnum()
                  and (tokens[j + 2].text[0].isupper() or tokens[j + 2].text[0].isdigit() or j > i)):
                j += 2
            elif (n.text == "." and len(tokens[j].text) <= 2 and n.start == tokens[j].end and j + 2 < hi
                  and tokens[j + 2].capitalised and tokens[j + 2].is_word):
                j += 1
            elif (n.norm in lex.connector and not n.capitalised and j + 2 < hi
                  and tokens[j + 2].is_word and tokens[j + 2].capitalised):
                j += 2
            else:
                break
        span = list(range(i, j + 1))
        i = j + 1
        # trim function words, months and connectors at both ends (acronyms stay)
        def droppable(k: int, leading: bool) -> bool:
            tk = tokens[k]
            if not tk.is_word:
                return True
            if tk.acronym and len(tk.text) > 1 and tk.text != "I":
                return False
            if (leading and tk.capitalised and not tk.initial and tk.norm in lex.function and k + 1 < hi
                    and tokens[k + 1].is_word and tokens[k + 1].capitalised and tokens[k + 1].norm not in lex.function
                    and tokens[k + 1].norm not in lex.month and tk.norm not in {"the", "a", "an", "of"}):
                return False  # mid-sentence "He Lifeng", "In Jae-hwan": a capitalised short word that starts a name
            # a capitalised connector ends a name as a name word ("Xia Bin", "Li Van")
            connector = tk.norm in lex.connector and (leading or not tk.capitalised)
            return tk.norm in lex.function or tk.norm in lex.month or connector or (
                tk.norm in lex.number or tk.norm in lex.scale) or (
                not tk.capitalised and leading)
        while span and droppable(span[0], True):
            span.pop(0)
        while span and droppable(span[-1], False):
            span.pop()
        if not span:
            continue
        words = [tokens[k] for k in span if tokens[k].is_word]
        if title and not any(strong(w) for w in words) and not _credited(tokens, span[0], span[-1], lo, hi, lex):
            continue
        weak = False
        if len(words) == 1 and not strong(words[0]):
            w = words[0]
            if w.initial or (span[0] > lo and tokens[span[0] - 1].text in {"“", '"', "‘"}):
                k = span[0]
                if w.norm in lower_words or (k + 2 < hi and tokens[k + 1].text in _HYPHENS
                                             and tokens[k + 2].is_word and not tokens[k + 2].capitalised):
                    continue  # "Anti-fraud tips", "Self-driving cars": a compound, not a name
                # "Sharpin, a financial journalist, said": a title in apposition makes it a person's name
                weak = not _apposed_title(tokens, span[-1], hi, lex)
            elif w.norm in lower_words and w.norm not in inner_caps_words and len(w.text) <= 3:
                continue
        if len(words) == 1 and (words[0].norm in lex.currency or words[0].text + "$" in lex.currency):
            continue
        if len(words) == 1 and words[0].norm in lex.title:
            continue  # "Chief executive ...", "President said": a title alone names no one
        first, last = span[0], span[-1]
        keys = tuple(tokens[k].norm for k in span if tokens[k].is_word and tokens[k].norm not in lex.connector)
        acronym = len(words) == 1 and words[0].acronym
        text_start, text_end = tokens[first].start, tokens[last].end
        out.append(_Mention("name", first, last, text_start, text_end, "", keys=keys, acronym=acronym, weak=weak))
    return out


def _side(doc: Document, indices: Sequence[int], lex: _Lexicon, lower_words: frozenset[str]) -> _Side:
    tokens: list[_Token] = []
    bounds: list[tuple[int, int]] = []
    for idx in indices:
        s = doc.sentences[idx]
        lo = len(tokens)
        tokens.extend(_tokenise(s.text, s.start))
        bounds.append((lo, len(tokens)))
    side = _Side(doc, tokens, bounds)
    for lo, hi in bounds:
        side.numbers.extend(_numbers(tokens, lo, hi, lex))
        names = _names(tokens, lo, hi, lex, lower_words, frozenset())
        side.names.extend(
            _Mention(m.kind, m.first, m.last, m.start, m.end, doc.text[m.start : m.end], keys=m.keys,
                     acronym=m.acronym, weak=m.weak)
            for m in names
        )
    return side


@functools.lru_cache(maxsize=8)
def _lower_words(text: str) -> frozenset[str]:
    """Words the document writes in lower case somewhere: such a word capitalised at a sentence start is no name."""
    lex = _lexicon()
    words = {m.group() for m in re.finditer(r"(?<![\w'’-])[a-z][a-z]+\b", text)}
    return frozenset(words) | lex.function


# --------------------------------------------------------------------------- matching helpers


_LONG_ENDINGS = frozenset({"", "s", "n", "an", "ian", "ese", "i", "ish", "ans", "ns", "es", "ic", "ern"})
_SHORT_ENDINGS = frozenset({"", "a", "e", "y", "o"})


def _same_word(a: str, b: str) -> bool:
    """Equal, or one an inflection or demonym of the other (China/Chinese, Iran/Iranian, State/States)."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    prefix = 0
    for x, y in zip(short, long_):
        if x != y:
            break
        prefix += 1
    return prefix >= 4 and short[prefix:] in _SHORT_ENDINGS and long_[prefix:] in _LONG_ENDINGS


def _stem_of(a: str, b: str) -> bool:
    """One word starts with the other, four letters or more (Peru/Peruvian, Sweden/Swedish is not)."""
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.startswith(short)


def _contains_all(keys: Iterable[str], words: Collection[str]) -> bool:
    return all(any(_same_word(k, w) for w in words) for k in keys)


def _find_seq(needle: Sequence[str], hay: Sequence[str]) -> int:
    n = len(needle)
    for k in range(len(hay) - n + 1):
        if list(hay[k : k + n]) == list(needle):
            return k
    return -1


def _squash(text: str) -> str:
    return re.sub(r"[^\w]|_", "", _fold(text))


_SOUNDS = (("ph", "f"), ("ck", "k"), ("qu", "kw"), ("x", "ks"), ("y", "i"), ("c", "k"), ("z", "s"), ("w", "v"))


def _phonetic(text: str) -> str:
    """A rough sound key, so that romanisations of one name compare close (ZephyrSoft / Zefisofu)."""
    out = _squash(text)
    for a, b in _SOUNDS:
        out = out.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", out)


def _acronym_read_as_word(acronym: str, word: str) -> bool:
    """An acronym read, and so translated, as an ordinary word: "PACE" -> "Peace", "MAGA" -> "Magazine"."""
    if word.isupper() or not acronym.isupper():
        return False
    a, w = _fold(acronym), _fold(word)
    return a[:1] == w[:1] and (w.startswith(a[: min(4, len(a))]) or _similarity(a, w) >= 0.6)


def _similarity(a: str, b: str) -> float:
    """Character similarity of two names, the better of spelling and a rough sound key."""
    plain = SequenceMatcher(None, _squash(a), _squash(b), autojunk=False).ratio()
    sound = SequenceMatcher(None, _phonetic(a), _phonetic(b), autojunk=False).ratio()
    return max(plain, sound)


def _initials(m: _Mention, lex: _Lexicon) -> str:
    return "".join(k[0] for k in m.keys if k not in lex.function)


def _word_norms(side: _Side) -> list[str]:
    return [t.norm for t in side.tokens if t.is_word or t.is_number]


# --------------------------------------------------------------------------- findings


def _loc(doc: Document, start: int, end: int) -> Location:
    return Location(doc.text[start:end], start, end)


def _finding(category: str, type_: str, severity: Severity, message: str, ref: _Side, r: _Mention,
             cand: _Side, c: tuple[int, int] | None, pair: int, suggestion: str | None) -> Finding:
    cloc = _loc(cand.doc, c[0], c[1]) if c else None
    return Finding(category, type_, severity, message, _loc(ref.doc, r.start, r.end), cloc, pair, suggestion)


def _neighbours(side: _Side, m: _Mention) -> tuple[str | None, str | None]:
    """The nearest word (or number) on each side of a mention, skipping punctuation and possessives."""
    left = right = None
    skip = {"the", "a", "an", "'s"}
    k = m.first - 1
    while k >= 0 and (not (side.tokens[k].is_word or side.tokens[k].is_number) or side.tokens[k].norm in skip):
        k -= 1
    if k >= 0:
        left = side.tokens[k].norm
    k = m.last + 1
    while k < len(side.tokens) and (
        not (side.tokens[k].is_word or side.tokens[k].is_number) or side.tokens[k].norm in skip
    ):
        k += 1
    if k < len(side.tokens):
        right = side.tokens[k].norm
    return left, right


def _context_score(ref: _Side, r: _Mention, cand: _Side, c: _Mention) -> int:
    """2 when the candidate mention sits between the same neighbours (a missing neighbour on both sides counts), 1 for one."""
    rl, rr = _neighbours(ref, r)
    cl, cr = _neighbours(cand, c)
    left = rl == cl if rl is not None or cl is not None else (rr is not None and rr == cr)
    right = rr == cr if rr is not None or cr is not None else (rl is not None and rl == cl)
    return int(left) + int(right)


def _relpos(side: _Side, m: _Mention) -> float:
    return m.first / max(1, len(side.tokens))


def _anchored_removal(ref: _Side, r: _Mention, cand: _Side) -> bool:
    """The mention's neighbours survive next to each other in the candidate: it was cut out there."""
    rw = ref.norms
    left = [t for t in rw[max(0, r.first - 2) : r.first] if t[:1].isalnum()]
    right = [t for t in rw[r.last + 1 : r.last + 3] if t[:1].isalnum()]
    cw_words = cand.word_norms
    if not left and not right:
        return False
    if not left:
        return cw_words[: len(right)] == right or _find_seq(right, cw_words) in range(ANCHOR_GAP + 1)
    if not right:
        k = _find_seq(left, cw_words)
        return k >= 0 and len(cw_words) - (k + len(left)) <= ANCHOR_GAP
    for k in range(len(cw_words) - len(left) + 1):
        if cw_words[k : k + len(left)] == left:
            after = k + len(left)
            for gap in range(ANCHOR_GAP + 1):
                if cw_words[after + gap : after + gap + len(right)] == right:
                    return True
    return False


_ATTRIBUTION_VERBS = frozenset({"said", "says", "told", "added", "noted", "wrote", "according", "explained"})


def _attribution(side: _Side, m: _Mention) -> str | None:
    """The reporting verb right before a mention (", said Brian Wong"), if any."""
    words = [t for t in side.tokens[max(0, m.first - 3) : m.first] if t.is_word]
    for t in reversed(words[-2:]):
        if t.norm in _ATTRIBUTION_VERBS:
            return t.norm
    return None


def _deleted_words(r: _Mention, ref: _Side, opcodes: Sequence[tuple[str, int, int, int, int]], lex: _Lexicon) -> list[int]:
    """Token indices of the mention's words that a token alignment simply cuts out (nothing put in their place)."""
    hit = [op for op in opcodes if op[0] != "equal" and op[1] <= r.last and op[2] > r.first]
    if not hit or any(op[0] != "delete" for op in hit):
        return []
    return [k for op in hit for k in range(max(op[1], r.first), min(op[2], r.last + 1))
            if ref.tokens[k].is_word and ref.tokens[k].norm not in lex.function and ref.tokens[k].norm not in lex.title]


def _local_replacement(ref: _Side, r: _Mention, cand: _Side, opcodes: Sequence[tuple[str, int, int, int, int]],
                       lex: _Lexicon) -> tuple[str, int, int, int, int] | None:
    """What took the mention's tokens in a token alignment of the pair.

    Returns ``(tag, cand first, cand last, ref first, ref end)``: tag ``"delete"`` when the mention's
    tokens were simply cut out, ``"replace"`` when a short stretch of candidate words took their place.
    """
    hit = [op for op in opcodes if op[0] != "equal" and op[1] <= r.last and op[2] > r.first]
    if not hit:
        return None
    i1, i2 = min(op[1] for op in hit), max(op[2] for op in hit)
    if all(op[0] == "delete" for op in hit):
        return ("delete", hit[0][3], hit[0][3], i1, i2)
    j1, j2 = min(op[3] for op in hit), max(op[4] for op in hit)
    got = [k for k in range(j1, j2) if cand.tokens[k].is_word or cand.tokens[k].is_number]
    while got and cand.tokens[got[0]].norm in lex.function:
        got.pop(0)
    while got and cand.tokens[got[-1]].norm in lex.function:
        got.pop()
    if not got:
        return ("delete", j1, j1, i1, i2)
    width = r.last - r.first + 1
    ref_words = [t for t in ref.tokens[i1:i2] if t.is_word]
    namey = all(t.capitalised or t.norm in lex.connector or t.norm in lex.function for t in ref_words)
    if (i2 - i1 <= width + 3 or namey) and got[-1] - got[0] + 1 <= 2 * width + 4:
        return ("replace", got[0], got[-1], i1, i2)
    return None


#: Largest difference in relative sentence position for a dropped and an added person's name to be paired.
PERSON_DRIFT = 0.3


def _person_like(side: _Side, m: _Mention, lex: _Lexicon) -> bool:
    """A mention shaped like a person's name: one to three capitalised words, no organisation or place word.

    A lone word counts only right after a title ("Mr. Ho", "Prime Minister Ban").
    """
    if m.weak or m.acronym:
        return False
    toks = [t for t in side.tokens[m.first : m.last + 1] if t.is_word]
    bare = [t for t in toks if t.norm not in lex.title]
    if not 1 <= len(bare) <= 3 or any(
        not t.capitalised or t.acronym or (t.norm in lex.function and t.initial) or t.norm in lex.connector
        or t.norm in lex.organisation or t.norm in lex.month or len(t.norm) < 2 for t in bare
    ):
        return False
    if len(bare) > 1 or len(toks) > len(bare):
        return True
    k = m.first - 1
    while k >= 0 and side.tokens[k].text == ".":
        k -= 1
    return k >= 0 and side.tokens[k].norm in lex.title


def _spelling_variant(a: str, b: str) -> bool:
    """Two spellings of one name, one or two letters apart (Ibrahim / Ebrahim): a romanisation choice, not damage."""
    x, y = _squash(a), _squash(b)
    if x == y:
        return True
    ops = [op for op in SequenceMatcher(None, x, y, autojunk=False).get_opcodes() if op[0] != "equal"]
    changed = sum(max(op[2] - op[1], op[4] - op[3]) for op in ops)
    return len(ops) == 1 and changed <= 1 and min(len(x), len(y)) >= 5


_LABELS = {"spelling_variant": "spelling variant", "acronym_expanded": "acronym read as a word", "name_changed": "part of the name changed",
           "transliterated": "transliteration", "replaced": "a different name"}


# --------------------------------------------------------------------------- the check


@dataclass
class _People:
    """Persons' names left over by the pair checks, for pairing across the pairs of one document."""

    dropped: list[tuple[int, _Side, _Mention, Finding]] = field(default_factory=list)
    orphans: list[tuple[int, _Side, _Mention]] = field(default_factory=list)


def _check_pair(ref: _Side, cand: _Side, pair: int, ref_doc_words: frozenset[str], cand_doc_words: frozenset[str],
                close: bool, lex: _Lexicon, people: _People | None = None,
                ref_months: frozenset[str] = frozenset()) -> list[Finding]:
    findings: list[Finding] = []
    ref_words = _word_norms(ref)
    cand_words = _word_norms(cand)
    cand_upper = _mostly_upper(cand.tokens)
    opcodes = SequenceMatcher(None, [t.norm for t in ref.tokens], [t.norm for t in cand.tokens],
                              autojunk=False).get_opcodes()

    # ---- names
    cand_keyseqs = [[t.norm for t in cand.tokens[m.first : m.last + 1] if t.is_word and t.norm not in lex.connector]
                    for m in cand.names]
    used_cand: set[int] = set()
    unmatched: list[_Mention] = []
    cand_tok_words = [t for t in cand.tokens if t.is_word]
    cand_norm_seq = [t.norm for t in cand_tok_words]
    cand_text_seq = [t.text for t in cand_tok_words]
    casing_taken: set[int] = set()
    for r in ref.names:
        ref_text_seq = [t.text for t in ref.tokens[r.first : r.last + 1] if t.is_word]
        ref_norm_seq = [t.norm for t in ref.tokens[r.first : r.last + 1] if t.is_word]
        if _find_seq(ref_text_seq, cand_text_seq) >= 0 or _find_seq(
            [re.sub(r"['’]s$", "", x) for x in ref_text_seq], cand_text_seq) >= 0:
            for ci, keys in enumerate(cand_keyseqs):
                if keys and _contains_all(keys, r.keys):
                    used_cand.add(ci)
            continue
        if close and not r.weak:
            cut = _deleted_words(r, ref, opcodes, lex)
            # a candidate name sharing a word elsewhere in the sentence is this one moved and changed, not a cut
            kin = any(ci not in used_cand and any(_same_word(k, w) for k in r.keys for w in keys
                                                  if w not in lex.title and k not in lex.title)
                      and not _contains_all(keys, r.keys) for ci, keys in enumerate(cand_keyseqs))
            if cut and not kin and not _contains_all(r.keys, cand_words):
                moved = all(any(_same_word(ref.tokens[k].norm, w) for w in cand_words) for k in cut)
                first, last = cut[0], cut[-1]
                part = _Mention("name", first, last, ref.tokens[first].start, ref.tokens[last].end, "", keys=r.keys)
                ptext = ref.doc.text[part.start : part.end]
                rtext = ref.doc.text[r.start : r.end]
                what = f'"{ptext}"' if ptext == rtext else f'"{ptext}" (of "{rtext}")'
                findings.append(_finding("omission", "dropped", "minor" if moved else "major",
                                         f"{what} missing from the aligned candidate sentence", ref, part, cand, None,
                                         pair, rtext))
                continue
        # casing only: the same letters in another case
        k = -1
        start_at = 0
        while True:
            k = _find_seq(ref_norm_seq, cand_norm_seq[start_at:])
            if k < 0:
                break
            k += start_at
            if k not in casing_taken:
                break
            start_at = k + 1
        if k >= 0:
            got = cand_tok_words[k : k + len(ref_norm_seq)]
            got_text = "".join(t.text for t in got)
            if any(c.isupper() for c in got_text) and not cand_upper and not (
                got[0].initial and len(got) == 1 and got_text[1:] == "".join(ref_text_seq)[1:]
            ):
                casing_taken.add(k)
                for ci, keys in enumerate(cand_keyseqs):
                    if keys and _contains_all(keys, r.keys):
                        used_cand.add(ci)
                cstart, cend = got[0].start, got[-1].end
                rtext = ref.doc.text[r.start : r.end]
                ctext = cand.doc.text[cstart:cend]
                if _squash(rtext) == _squash(ctext) and rtext.replace("-", " ") != ctext.replace("-", " "):
                    findings.append(_finding("casing", "casing", "minor", f'"{rtext}" rendered as "{ctext}" (casing)',
                                             ref, r, cand, (cstart, cend), pair, rtext))
                continue
            if k >= 0:
                continue
        if (_contains_all(r.keys, cand_words) if len(r.keys) > 1 else r.keys[0] in cand_words):
            swapped = None
            for ci, keys in enumerate(cand_keyseqs):
                if keys and _contains_all(keys, r.keys):
                    used_cand.add(ci)
                    bare_c = [k for k in keys if k not in lex.title]
                    bare_r = [k for k in r.keys if k not in lex.title]
                    if swapped is None and len(bare_c) > 1 and sorted(bare_c) == sorted(bare_r) and bare_c != bare_r:
                        swapped = cand.names[ci]
            if swapped is not None:  # "Fumio Kishida" / "Kishida Fumio": family name first or last
                rtext, ctext = ref.doc.text[r.start : r.end], cand.doc.text[swapped.start : swapped.end]
                findings.append(_finding("named_entity", "name_order", "minor",
                                         f'"{rtext}" written as "{ctext}": the same name, its parts in another order',
                                         ref, r, cand, (swapped.start, swapped.end), pair, rtext))
            continue
        # a written-out name whose initials are a candidate acronym (United States / U.S.)
        if len(r.keys) > 1 and _initials(r, lex) in {t.norm for t in cand.tokens if t.acronym}:
            continue
        # acronym written out with its own initials (WHO / World Health Organization)
        if r.acronym:
            letters = _squash(r.text)
            hit = [ci for ci, m in enumerate(cand.names) if len(m.keys) > 1 and _initials(m, lex) == letters]
            if hit:
                used_cand.update(hit)
                continue
        # candidate mention whose words are all in the reference mention: a shortened name
        short = [ci for ci, keys in enumerate(cand_keyseqs) if keys and _contains_all(keys, r.keys)]
        # the rest of the reference name must be titles or said elsewhere ("Minister of Transport Rasmus Holt"
        # kept as "Minister of Transport" beside "Rasmus Holm" is not a shortening)
        rest = [k for k in r.keys if k not in lex.title and k not in lex.function
                and not any(_same_word(k, w) for ci in short for w in cand_keyseqs[ci])]
        if short and all(any(_same_word(k, w) or _stem_of(k, w) for w in cand_words) for k in rest):
            used_cand.update(short)
            continue
        unmatched.append(r)

    free = [ci for ci, m in enumerate(cand.names) if ci not in used_cand
            and not _contains_all(cand_keyseqs[ci], ref_words)]
    first_free = list(free)
    handled: set[int] = set()
    for ri, r in enumerate(unmatched):
        if ri in handled:
            continue
        rtext = ref.doc.text[r.start : r.end]
        best: tuple[float, int, str] | None = None
        for ci in free:
            c = cand.names[ci]
            ckeys = cand_keyseqs[ci]
            novel = [k for k in ckeys if not any(_same_word(k, w) for w in ref_words)]
            if not novel:
                continue
            shared = [k for k in r.keys if any(_same_word(k, w) for w in ckeys)]
            ctx = _context_score(ref, r, cand, c)
            sim = _similarity(rtext, cand.doc.text[c.start : c.end])
            sim = max(sim, _similarity(" ".join(k for k in r.keys if k not in shared), " ".join(novel)))
            prefix = _fold(rtext)[: min(4, len(rtext))]
            if r.acronym and len(rtext) >= 3 and (
                any(k.startswith(prefix) for k in novel) or any(_acronym_read_as_word(rtext, k) for k in novel)
            ):
                kind, score = "acronym_expanded", 3.0 + ctx
            elif shared:
                kind, score = "name_changed", 2.0 + ctx + sim
            elif sim >= TRANSLITERATION_SIMILARITY and not r.acronym:
                kind, score = "transliterated", 2.0 + ctx + sim
            else:
                continue
            if best is None or score > best[0]:
                best = (score, ci, kind)
        if best is not None:
            score, ci, kind = best
            free.remove(ci)
            c = cand.names[ci]
            cs, ce = c.start, c.end
            if kind == "acronym_expanded":
                # keep only the candidate words the acronym became ("Magazine" of "Magazine Movement Core")
                toks = [t for t in cand.tokens[c.first : c.last + 1] if t.is_word]
                kept = [t for t in toks if not any(_same_word(t.norm, w) for w in ref_words)]
                if kept:
                    cs, ce = kept[0].start, kept[-1].end
            ctext = cand.doc.text[cs:ce]
            severity: Severity = "major"
            if kind in {"name_changed", "transliterated"} and _spelling_variant(rtext, ctext):
                kind, severity = "spelling_variant", "minor"
            findings.append(_finding("named_entity", kind, severity, f'"{rtext}" rendered as "{ctext}" ({_LABELS[kind]})',
                                     ref, r, cand, (cs, ce), pair, rtext))
            continue
        local = _local_replacement(ref, r, cand, opcodes, lex) if close else None
        if local and local[0] == "replace":
            # every unmatched mention that the same stretch replaced is one place
            group = [k for k, o in enumerate(unmatched) if k >= ri and k not in handled and local[3] <= o.first and o.last < local[4]]
            handled.update(group)
            tail = unmatched[group[-1]] if group else r
            j1, j2 = local[1], local[2]
            got = cand.tokens[j1 : j2 + 1]
            cs, ce = got[0].start, got[-1].end
            rspan = _Mention("name", r.first, tail.last, r.start, tail.end, "", keys=r.keys, acronym=r.acronym)
            rtext = ref.doc.text[rspan.start : rspan.end]
            ctext = cand.doc.text[cs:ce]
            sim = _similarity(rtext, ctext)
            if r.acronym and any(
                _fold(t.text).startswith(_fold(rtext)[:3]) or _acronym_read_as_word(rtext, t.text) for t in got if t.is_word
            ):
                kind = "acronym_expanded"
            elif sim >= TRANSLITERATION_SIMILARITY:
                kind = "transliterated"
            else:
                kind = "replaced"
            free[:] = [ci for ci in free if not (cand.names[ci].start < ce and cs < cand.names[ci].end)]
            namelike = any(t.capitalised or t.is_number for t in got if t.is_word or t.is_number)
            findings.append(_finding("named_entity", kind, "major" if namelike else "minor", f'"{rtext}" rendered as "{ctext}" ({_LABELS[kind]})',
                                     ref, rspan, cand, (cs, ce), pair, rtext))
            continue
        ctx_best: tuple[int, int] | None = None
        for ci in free:
            ctx = _context_score(ref, r, cand, cand.names[ci])
            if ctx and (ctx_best is None or ctx > ctx_best[0]):
                ctx_best = (ctx, ci)
        if ctx_best is not None:
            ctx, ci = ctx_best
            free.remove(ci)
            c = cand.names[ci]
            ctext = cand.doc.text[c.start : c.end]
            severity = "major" if ctx == 2 and close else "minor"
            findings.append(_finding("named_entity", "replaced", severity,
                                     f'"{rtext}" rendered as "{ctext}" ({_LABELS["replaced"]})',
                                     ref, r, cand, (c.start, c.end), pair, rtext))
            continue
        elsewhere = _contains_all(r.keys, cand_doc_words)
        if not elsewhere and _person_like(ref, r, lex):
            # a person's name gone and another person's name come in its place: MT rendered the name as someone else
            near = [ci for ci in free if _person_like(cand, cand.names[ci], lex)
                    and not _contains_all(cand_keyseqs[ci], ref_doc_words)
                    and abs(_relpos(ref, r) - _relpos(cand, cand.names[ci])) <= PERSON_DRIFT]
            if near:
                ci = min(near, key=lambda k: abs(_relpos(ref, r) - _relpos(cand, cand.names[k])))
                free.remove(ci)
                c = cand.names[ci]
                ctext = cand.doc.text[c.start : c.end]
                sim = _similarity(rtext, ctext)
                kind = "transliterated" if sim >= TRANSLITERATION_SIMILARITY else "replaced"
                if r.acronym and any(_acronym_read_as_word(rtext, w) for w in ctext.split()):
                    kind = "acronym_expanded"
                what = _LABELS[kind]
                findings.append(_finding("named_entity", kind, "major",
                                         f'"{rtext}" missing; "{ctext}" stands at about its place ({what})',
                                         ref, r, cand, (c.start, c.end), pair, rtext))
                continue
        anchored = _anchored_removal(ref, r, cand) or (local is not None and local[0] == "delete")
        if r.weak and not anchored:
            continue
        severity = "major" if anchored and not elsewhere and close else "minor"
        message = f'"{rtext}" missing from the aligned candidate sentence'
        verb = _attribution(ref, r)
        if verb and verb not in cand_words and not r.weak and len(r.keys) > 1:
            severity = "major"
            message = f'attribution "{verb} {rtext}" missing from the aligned candidate sentence'
        findings.append(_finding("omission", "dropped", severity, message, ref, r, cand, None, pair, rtext))
        if people is not None and not elsewhere and _titled_person(ref, r, lex):
            people.dropped.append((pair, ref, r, findings[-1]))

    if people is not None:
        taken = set(first_free) - set(free)
        people.orphans.extend((pair, cand, cand.names[ci]) for ci in range(len(cand.names))
                              if ci not in used_cand and ci not in taken and _titled_person(cand, cand.names[ci], lex))
    for ci in free:
        c = cand.names[ci]
        bare = [k for k in cand_keyseqs[ci] if k not in lex.title] or cand_keyseqs[ci]
        if c.weak or _contains_all(bare, ref_doc_words):
            continue  # a name the reference has, maybe with another title ("CEO Ana Ruiz" / "Chief executive Ana Ruiz")
        ctext = cand.doc.text[c.start : c.end]
        findings.append(Finding("named_entity", "added", "minor",
                                f'"{ctext}" has no counterpart in the aligned reference sentence',
                                None, _loc(cand.doc, c.start, c.end), pair, None))

    # ---- numbers
    findings.extend(_check_numbers(ref, cand, pair, opcodes, close, lex, ref_months))
    return _merge_cut_clauses(findings, ref, opcodes)


#: Largest distance, in aligned pairs, between a dropped person's name and the candidate name that may be its rendering.
PERSON_PAIRS = 1


def _person_words(side: _Side, m: _Mention, lex: _Lexicon) -> tuple[list[str], set[str]]:
    """A person mention's name words (titles left out) and its titles, with one title word right before it."""
    toks = [t for t in side.tokens[m.first : m.last + 1] if t.is_word]
    last_title = max((i for i, t in enumerate(toks) if t.norm in lex.title), default=-1)
    bare = [t.norm for t in toks[last_title + 1 :]]  # "Vietnamese Prime Minister Van Minh": the name after the title
    titles = {t.norm for t in toks if t.norm in lex.title}
    k = m.first - 1
    while k >= 0 and side.tokens[k].text == ".":
        k -= 1
    if k >= 0 and side.tokens[k].norm in lex.title:
        titles.add(side.tokens[k].norm)
    return bare, titles - {"mr", "mrs", "ms"}


def _titled_person(side: _Side, m: _Mention, lex: _Lexicon) -> bool:
    """Shaped like a person's name: one to three capitalised words right after a title in the mention, or
    two or three without one; capitalised particles count as name words here ("Van Minh", "Xia Bin")."""
    if _person_like(side, m, lex):
        return True
    if m.weak or m.acronym:
        return False
    toks = [t for t in side.tokens[m.first : m.last + 1] if t.is_word]
    last_title = max((i for i, t in enumerate(toks) if t.norm in lex.title), default=-1)
    name = toks[last_title + 1 :]
    least = 1 if last_title >= 0 or _apposed_title(side.tokens, m.last, len(side.tokens), lex) else 2
    return least <= len(name) <= 3 and all(
        t.capitalised and not t.acronym and t.norm not in lex.organisation and t.norm not in lex.month
        and not (t.norm in lex.function and t.initial) and t.norm not in lex.title and len(t.norm) >= 2
        for t in name)


def _person_rendering(ref: _Side, r: _Mention, cand: _Side, c: _Mention, lex: _Lexicon) -> tuple[float, str] | None:
    """How strongly a candidate person's name reads as a mangled rendering of a reference one, and as what.

    Strong evidence is one of: the names sound alike; they share a name word other than a leading
    family name both start with ("Tran Van Long" / "Duong Van Lam"); or the same title stands
    before both and they share a word or sound close.
    """
    rb, rt = _person_words(ref, r, lex)
    cb, ct = _person_words(cand, c, lex)
    if not rb or not cb or any(w in rb for w in cb) and all(w in rb for w in cb):
        return None
    shared = [(i, j) for i, a in enumerate(rb) for j, b in enumerate(cb) if _same_word(a, b)]
    sim = _similarity(" ".join(rb), " ".join(cb))
    inner = any(i or j for i, j in shared)
    titled = bool(rt & ct)
    if not (sim >= TRANSLITERATION_SIMILARITY or inner or (titled and (shared or sim >= 0.5))):
        # the same role: both stand before a title in apposition ("Xia Bin, a reporter" / "Sharpin, a journalist")
        if not (_apposed_title(ref.tokens, r.last, len(ref.tokens), lex)
                and _apposed_title(cand.tokens, c.last, len(cand.tokens), lex)):
            return None
        return sim, "replaced"
    return len(shared) + sim + titled, "name_changed" if shared else "transliterated"


def _pair_people(findings: list[Finding], people: _People, ref_doc_words: frozenset[str], lex: _Lexicon
                 ) -> list[Finding]:
    """A person's name dropped from its pair while a person's name the reference lacks appears in the same or
    a neighbouring pair, alike in words or sound: the MT mangled the name. Report it as a changed name."""
    gone: set[int] = set()
    new: list[Finding] = []
    used: set[int] = set()
    for pair, ref, r, dropped in people.dropped:
        best: tuple[float, str, int] | None = None
        for k, (cpair, cand, c) in enumerate(people.orphans):
            if k in used or abs(cpair - pair) > PERSON_PAIRS:
                continue
            words = [t.norm for t in cand.tokens[c.first : c.last + 1] if t.is_word and t.norm not in lex.title]
            if all(w in ref_doc_words for w in words):
                continue  # a name the reference has: someone else
            got = _person_rendering(ref, r, cand, c, lex)
            if got is not None and (best is None or got[0] > best[0]):
                best = (got[0], got[1], k)
        if best is None:
            continue
        _, kind, k = best
        used.add(k)
        _, cand, c = people.orphans[k]
        toks = [t for t in cand.tokens[c.first : c.last + 1] if t.is_word]
        last_title = max((i for i, t in enumerate(toks) if t.norm in lex.title), default=-1)
        cs = toks[last_title + 1].start if last_title + 1 < len(toks) else c.start  # the name, not its title
        rtext, ctext = ref.doc.text[r.start : r.end], cand.doc.text[cs : c.end]
        severity: Severity = "major"
        if _spelling_variant(rtext, ctext):
            kind, severity = "spelling_variant", "minor"
        gone.add(id(dropped))
        gone.update(id(f) for f in findings if f.type == "added" and f.reference is None and f.candidate is not None
                    and f.candidate.start < c.end and c.start < f.candidate.end)
        new.append(_finding("named_entity", kind, severity,
                            f'"{rtext}" missing; "{ctext}" stands in its place ({_LABELS[kind]})',
                            ref, r, cand, (cs, c.end), pair, rtext))
    return [f for f in findings if id(f) not in gone] + new


def _merge_cut_clauses(findings: list[Finding], ref: _Side, opcodes: Sequence[tuple[str, int, int, int, int]]
                       ) -> list[Finding]:
    """Report mentions dropped with one cut-out stretch of the reference (", said Pieter Janssen, a planner
    at the Delft Institute") as one finding: one cut, one place to fix."""
    cut: set[int] = set()
    for tag, i1, i2, _j1, _j2 in opcodes:
        if tag == "delete":
            cut.update(range(i1, i2))
    starts = {t.start: k for k, t in enumerate(ref.tokens)}
    ends = {t.end: k for k, t in enumerate(ref.tokens)}
    dropped = sorted((f for f in findings if f.type == "dropped" and f.reference is not None
                      and f.reference.start in starts and f.reference.end in ends),
                     key=lambda f: f.reference.start if f.reference else 0)
    groups: list[list[Finding]] = []
    for f in dropped:
        assert f.reference is not None
        first, last = starts[f.reference.start], ends[f.reference.end]
        if not all(k in cut for k in range(first, last + 1)):
            groups.append([f])
            continue
        if groups and len(groups[-1]) >= 1:
            prev = groups[-1][-1]
            assert prev.reference is not None
            p_last = ends[prev.reference.end]
            if all(k in cut for k in range(starts[prev.reference.start], p_last + 1)) and all(
                    k in cut for k in range(p_last + 1, first)):
                groups[-1].append(f)
                continue
        groups.append([f])
    merged: list[Finding] = []
    for g in groups:
        if len(g) == 1:
            continue
        first_ref, last_ref = g[0].reference, g[-1].reference
        assert first_ref is not None and last_ref is not None
        severity = min((f.severity for f in g), key=lambda v: _SEVERITY_ORDER[v])
        names = " and ".join(f.message.split(" missing", 1)[0] if f.message.startswith("attribution ")
                             else f'"{f.reference.text}"' for f in g if f.reference is not None)
        merged.append(Finding(g[0].category, "dropped", severity,
                              f"{names} missing from the aligned candidate sentence (one cut-out stretch)",
                              _loc(ref.doc, first_ref.start, last_ref.end), None, g[0].pair,
                              ref.doc.text[first_ref.start : last_ref.end]))
    gone = {id(f) for g in groups if len(g) > 1 for f in g}
    return [f for f in findings if id(f) not in gone] + merged


def _same_value(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _year_of(date: _Mention, plain: _Mention) -> bool:
    """``plain`` is the year of the all-numeric ``date`` ("2023" in "February 11, 2023" / "2023-02-11")."""
    return (date.numeric_date and not plain.numeric_date and plain.month is None and plain.unit is None
            and plain.value is not None and plain.value == int(date.keys[0]))


def _number_matches(r: _Mention, c: _Mention) -> bool:
    if _year_of(r, c) or _year_of(c, r):
        return True
    if r.value is None or c.value is None:
        return r.keys == c.keys and bool(r.keys)
    if not _same_value(r.value, c.value):
        return False
    if r.numeric_date and c.numeric_date and r.keys != c.keys:
        return False  # another year
    return not (r.month and c.month and r.month != c.month)


def _day_change(r: _Mention, c: _Mention, ref_months: frozenset[str]) -> tuple[str, Severity, str] | None:
    """The same day of the month with and without its month ("on the 9th" / "on February 9").

    A month the candidate supplies is an acceptable rendering when the reference's own dates
    (its dateline) are in that month, a changed date when they are all in other months, and
    a note when the reference dates nothing.

    Returns:
        ``(finding type, severity, what differs)`` or None.
    """
    if r.bare_day and c.month is not None:
        if c.month in ref_months:
            return None
        if ref_months:
            months = ", ".join(_MONTH_NAMES.get(m, m) for m in sorted(ref_months, key=_MONTH_KEYS.index))
            return ("value_changed", "major",
                    f"month added: the reference gives no month for this day, and its dates are in {months}")
        return "date_format", "minor", "month added that the reference does not give; check it"
    if r.month is not None and c.bare_day:
        return "date_format", "minor", "the month is left out"
    if r.bare_day and c.month is None and not c.bare_day:
        return "date_format", "minor", "no longer reads as a date"
    return None


def _date_convention_note(cand: _Side, c: _Mention, twin: _Mention | None, ref: _Side, pair: int,
                          ref_months: frozenset[str]) -> Finding:
    """A date in the candidate written in a convention English prose avoids, whatever the reference does
    (MQM: locale convention, minor): a day without its month ("on the 9th", a calque of Chinese 9日) or
    an all-numeric date ("2023-02-11"). ``twin`` is the reference's date written the same way, if any."""
    ctext = cand.doc.text[c.start : c.end]
    day = int(c.value or 0)
    if c.numeric_date:
        suggestion: str | None = f"{_MONTH_NAMES[c.month or 'jan']} {day}, {c.keys[0]}"
        message = (f'"{ctext}" is an all-numeric date, a data or source-language convention; '
                   f'English prose names the month ("{suggestion}")')
    else:
        suggestion = f"{_MONTH_NAMES[next(iter(ref_months))]} {day}" if len(ref_months) == 1 else None
        message = (f'"{ctext}" gives a day of the month without its month, a source-language convention; '
                   f'English dates name the month' + (f' ("{suggestion}")' if suggestion else ""))
    if twin is not None:
        message += "; the reference writes it the same way"
    rloc = _loc(ref.doc, twin.start, twin.end) if twin is not None else None
    return Finding("number", "date_format", "minor", message, rloc, _loc(cand.doc, c.start, c.end), pair, suggestion)


def _check_numbers(ref: _Side, cand: _Side, pair: int, opcodes: Sequence[tuple[str, int, int, int, int]], close: bool,
                   lex: _Lexicon, ref_months: frozenset[str] = frozenset()) -> list[Finding]:
    findings: list[Finding] = []
    unmatched: list[_Mention] = []
    noted: set[int] = set()  # candidate numbers already compared for their writing convention
    twins: dict[int, _Mention] = {}  # a candidate date -> the reference's date written the same way
    for r in ref.numbers:
        same = [c for c in cand.numbers if _number_matches(r, c)]
        if not same:
            unmatched.append(r)
            continue
        twin = next((c for c in same if c.start not in noted), None)
        if twin is not None:
            noted.add(twin.start)
            change = _day_change(r, twin, ref_months)
            if change is not None:
                type_, how_bad, what = change
                rtext, ctext = ref.doc.text[r.start : r.end], cand.doc.text[twin.start : twin.end]
                findings.append(_finding("number", type_, how_bad, f'"{rtext}" rendered as "{ctext}" ({what})',
                                         ref, r, cand, (twin.start, twin.end), pair, rtext))
                continue
            if (r.bare_day and twin.bare_day) or (r.numeric_date and twin.numeric_date):
                twins[twin.start] = r
            note = _convention_note(ref, r, cand, twin, lex)
            if note is not None:
                type_, what = note
                rtext, ctext = ref.doc.text[r.start : r.end], cand.doc.text[twin.start : twin.end]
                findings.append(_finding("number", type_, "minor",
                                         f'"{rtext}" written as "{ctext}": the same value, {what}',
                                         ref, r, cand, (twin.start, twin.end), pair, rtext))
        if r.unit and all(c.unit and c.unit != r.unit for c in same):
            c = same[0]
            assert c.unit is not None
            if {r.unit, c.unit} <= set(lex.currency.values()) or {r.unit, c.unit} & {"percent"}:
                rtext, ctext = ref.doc.text[r.start : r.end], cand.doc.text[c.start : c.end]
                findings.append(_finding("number", "unit_changed", "major",
                                         f'"{rtext}" rendered as "{ctext}" (unit changed: {r.unit} -> {c.unit})',
                                         ref, r, cand, (c.start, c.end), pair, rtext))
    # a date the candidate repeats ("Beijing, 11 Feb ... on 11 February") is noted at each place
    for c in cand.numbers:
        if c.start in noted or c.month is None:
            continue
        r2 = next((r for r in ref.numbers if r.month is not None and _number_matches(r, c)), None)
        note = _convention_note(ref, r2, cand, c, lex) if r2 is not None else None
        if r2 is not None and note is not None:
            rtext, ctext = ref.doc.text[r2.start : r2.end], cand.doc.text[c.start : c.end]
            findings.append(_finding("number", note[0], "minor", f'"{rtext}" written as "{ctext}": the same value, {note[1]}',
                                     ref, r2, cand, (c.start, c.end), pair, rtext))
    free = [c for c in cand.numbers if not any(_number_matches(r, c) for r in ref.numbers)]
    for r in unmatched:
        rtext = ref.doc.text[r.start : r.end]
        best: tuple[float, _Mention, bool] | None = None
        for c in free:
            ctx = _context_score(ref, r, cand, c)
            magnitude = (r.mantissa is not None and _same_value(r.mantissa, c.mantissa) and r.scale != c.scale)
            score = ctx + (1.0 if magnitude else 0.0) + (0.5 if r.unit and r.unit == c.unit else 0.0)
            score += 0.5 if r.month and r.month == c.month else 0.0
            score += 0.5 * (1.0 - min(1.0, abs(_relpos(ref, r) - _relpos(cand, c)) * 3))
            single = len(unmatched) == 1 and len(free) == 1
            # the only unmatched amount in this unit and scale on each side: "7,000 yuan" / "167,000 yuan"
            sole = _sole_kind(r, unmatched, c, free)
            score += 0.5 if sole else 0.0
            if (score >= 1.0 or (single and score >= 0.5)) and (best is None or score > best[0]):
                best = (score, c, magnitude)
        if best is not None:
            score, c, magnitude = best
            free.remove(c)
            ctext = cand.doc.text[c.start : c.end]
            confident = score >= 1.5 or magnitude or (close and score >= 1.0) or _sole_kind(r, unmatched, c, free + [c])
            if magnitude:
                rs = _scale_word(r.scale, lex)
                cs = _scale_word(c.scale, lex)
                findings.append(_finding("number", "magnitude_changed", "critical" if confident else "minor",
                                         f'"{rtext}" rendered as "{ctext}" (magnitude changed: {rs} -> {cs})',
                                         ref, r, cand, (c.start, c.end), pair, rtext))
            else:
                findings.append(_finding("number", "value_changed", "major" if confident else "minor",
                                         f'"{rtext}" rendered as "{ctext}" (value changed)',
                                         ref, r, cand, (c.start, c.end), pair, rtext))
            continue
        local = _local_replacement(ref, r, cand, opcodes, lex)
        anchored = _anchored_removal(ref, r, cand) or (local is not None and local[0] == "delete")
        severity: Severity = "major" if anchored and close else "minor"
        findings.append(_finding("omission", "dropped", severity,
                                 f'"{rtext}" missing from the aligned candidate sentence', ref, r, cand, None, pair,
                                 rtext))
    for c in free:
        ctext = cand.doc.text[c.start : c.end]
        findings.append(Finding("number", "added", "minor",
                                f'"{ctext}" has no counterpart in the aligned reference sentence',
                                None, _loc(cand.doc, c.start, c.end), pair, None))
    # dates written in a source-language or data convention, where no other finding sits
    located = {f.candidate.start for f in findings if f.candidate is not None}
    for c in cand.numbers:
        if (c.bare_day or c.numeric_date) and c.start not in located:
            findings.append(_date_convention_note(cand, c, twins.get(c.start), ref, pair, ref_months))
    return findings


_FULL_MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                          "october", "november", "december"})
_ORDINAL = re.compile(r"\d(st|nd|rd|th)$")


def _date_form(side: _Side, m: _Mention, lex: _Lexicon) -> tuple[str, str, str] | None:
    """How a date mention is written: (month before or after the day, full or abbreviated month, ordinal or not)."""
    toks = side.tokens[m.first : m.last + 1]
    month = next((k for k, t in enumerate(toks) if t.is_word and t.norm in lex.month), None)
    day = next((k for k, t in enumerate(toks) if t.is_number), None)
    if month is None or day is None:
        return None
    order = "month before day" if month < day else "day before month"
    form = "full month name" if toks[month].norm in _FULL_MONTHS else "abbreviated month"
    ordinal = "ordinal day" if _ORDINAL.search(toks[day].text) else "plain day"
    return order, form, ordinal


def _currency_form(side: _Side, m: _Mention, lex: _Lexicon) -> tuple[str, str] | None:
    """How an amount names its currency: (the symbol or word, before or after the number)."""
    toks = side.tokens[m.first : m.last + 1]
    digits = next((k for k, t in enumerate(toks) if t.is_number or t.norm in lex.number), None)
    for k, t in enumerate(toks):
        if t.norm in lex.currency or t.text in lex.currency:
            # "S$" is two tokens, "S" and "$": name the pair
            word = t.text if k == 0 or toks[k - 1].end != t.start else toks[k - 1].text + t.text
            if t.text == "$" and k + 1 < len(toks) and toks[k + 1].norm in lex.currency:
                continue
            return _fold(word).rstrip("s") or word, ("before" if digits is not None and k < digits else "after")
    return None


def _convention_note(ref: _Side, r: _Mention, cand: _Side, c: _Mention, lex: _Lexicon) -> tuple[str, str] | None:
    """A date or amount written in another convention than the reference's (MQM: a minor locale-convention error).

    Digit grouping and scale words ("1,500"/"1500", "640,000"/"640 thousand") are not conventions worth a note.

    Returns:
        ``(finding type, what differs)`` or None when both are written alike.
    """
    rd, cd = _date_form(ref, r, lex), _date_form(cand, c, lex)
    if rd is not None and cd is not None and rd != cd:
        diffs = [f"{a} instead of {b}" for a, b in zip(cd, rd, strict=True) if a != b]
        return "date_format", "only the date convention differs (" + "; ".join(diffs) + ")"
    if rd is None and cd is None and r.month is None and c.month is None and r.unit is None and c.unit is None:
        # "(Comprehensive, 11th)" / "(Consolidated 11)": digits with and without an ordinal suffix
        rt, ct = ref.tokens[r.first], cand.tokens[c.first]
        ro, co = bool(_ORDINAL.search(rt.text)), bool(_ORDINAL.search(ct.text))
        if r.first == r.last and c.first == c.last and rt.is_number and ct.is_number and ro != co:
            return "ordinal_format", ("only the convention differs (an ordinal instead of a plain number)" if co
                                      else "only the convention differs (a plain number instead of an ordinal)")
    if r.unit is not None and r.unit == c.unit:
        rc, cc = _currency_form(ref, r, lex), _currency_form(cand, c, lex)
        if rc is not None and cc is not None and rc != cc:
            diffs = []
            if rc[0] != cc[0]:
                diffs.append(f'currency written "{cc[0].upper() if len(cc[0]) <= 3 else cc[0]}" '
                             f'instead of "{rc[0].upper() if len(rc[0]) <= 3 else rc[0]}"')
            if rc[1] != cc[1]:
                diffs.append(f"currency {cc[1]} the amount instead of {rc[1]}")
            return "currency_format", "only the currency convention differs (" + "; ".join(diffs) + ")"
    return None


def _sole_kind(r: _Mention, unmatched: Sequence[_Mention], c: _Mention, free: Sequence[_Mention]) -> bool:
    """``r`` and ``c`` share a unit or scale that no other unmatched number on either side has."""
    if r.value is None or c.value is None or (r.unit is None and not r.scale) or (r.unit, r.scale) != (c.unit, c.scale):
        return False
    kind = (r.unit, r.scale)
    return (sum((m.unit, m.scale) == kind for m in unmatched if m.value is not None) == 1
            and sum((m.unit, m.scale) == kind for m in free if m.value is not None) == 1)


def _scale_word(scale: int, lex: _Lexicon) -> str:
    names = {2: "hundred", 3: "thousand", 6: "million", 9: "billion", 12: "trillion"}
    return names.get(scale, "units" if scale == 0 else f"10^{scale}")


def _closeness(ref: _Side, cand: _Side) -> float:
    """Share of the reference's words that the candidate keeps, in order."""
    a = [t.norm for t in ref.tokens if t.is_word or t.is_number]
    b = [t.norm for t in cand.tokens if t.is_word or t.is_number]
    if not a:
        return 0.0
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(bl.size for bl in blocks) / len(a)


#: Reference coverage of the alignment below which the candidate counts as a summary (omissions become minor).
SUMMARY_COVERAGE = 0.8
#: Share of reference words kept in order above which a pair counts as a close rendering.
CLOSE_PAIR = 0.6


def _check_glossary(glossary: Glossary, ref: _Side, cand: _Side, pair: int) -> list[Finding]:
    findings: list[Finding] = []
    cand_text = " ".join(cand.doc.text[t.start : t.end] for t in cand.tokens)
    cand_norm = _squash(cand_text)
    for term in glossary.terms:
        pattern = re.compile(r"(?<!\w)" + re.escape(term.reference).replace(r"\ ", r"[\s-]+") + r"(?!\w)",
                             re.IGNORECASE)
        for lo, hi in ref.sentence_bounds:
            if lo == hi:
                continue
            s, e = ref.tokens[lo].start, ref.tokens[hi - 1].end
            for m in pattern.finditer(ref.doc.text, s, e):
                required_ok = re.search(
                    r"(?<!\w)" + re.escape(term.required).replace(r"\ ", r"[\s-]+") + r"(?!\w)", cand_text) is not None
                if required_ok:
                    continue
                loose = _squash(term.required) in cand_norm
                what = "written differently" if loose else "not rendered as required"
                cloc = None
                if loose:
                    for t in cand.tokens:
                        if _squash(t.text) and _squash(term.required).startswith(_squash(t.text)):
                            cloc = _loc(cand.doc, t.start, t.end)
                            break
                findings.append(Finding("glossary", "glossary_violation", "major",
                                        f'"{m.group()}" {what}: the glossary requires "{term.required}"',
                                        _loc(ref.doc, m.start(), m.end()), cloc, pair, term.required))
    return findings


def _dated_months(tokens: Sequence[_Token], lex: _Lexicon) -> frozenset[str]:
    """The months a text's dates are in ("February 10", "10 Feb", "Feb. 10"), as three-letter keys."""
    months: set[str] = set()
    for k, t in enumerate(tokens):
        if t.norm not in lex.month:
            continue
        after = k + 2 if k + 2 < len(tokens) and tokens[k + 1].text == "." else k + 1
        if (after < len(tokens) and tokens[after].is_number) or (k > 0 and tokens[k - 1].is_number):
            months.add(t.norm[:3])
    return frozenset(months)


def find_damage(reference: Document, candidate: Document, alignment: Alignment, *,
                glossary: Glossary | None = None) -> tuple[Finding, ...]:
    """Find damaged, dropped and miscased names, acronyms and numbers in the candidate.

    Args:
        reference: the reference document, segmented.
        candidate: the candidate document, segmented.
        alignment: the sentence alignment of the two; ``Finding.pair`` indexes ``alignment.pairs``.
        glossary: protected terms the candidate must render as required (category ``glossary``).

    Returns:
        Findings sorted by severity (critical first), then reference position. Every location's
        ``text`` equals the slice of its document at ``start:end``.
    """
    lex = _lexicon()
    ref_lower = _lower_words(reference.text)
    cand_lower = _lower_words(candidate.text)
    ref_doc_tokens = _tokenise(reference.text, 0)
    ref_doc_words = frozenset(t.norm for t in ref_doc_tokens)
    ref_months = _dated_months(ref_doc_tokens, lex)
    cand_doc_words = frozenset(t.norm for t in _tokenise(candidate.text, 0))
    findings: list[Finding] = []
    people = _People()
    for index, pair in enumerate(alignment.pairs):
        if not pair.reference or not pair.candidate:
            continue
        ref = _side(reference, pair.reference, lex, ref_lower)
        cand = _side(candidate, pair.candidate, lex, cand_lower)
        close = _closeness(ref, cand) >= CLOSE_PAIR
        pair_findings = _check_pair(ref, cand, index, ref_doc_words, cand_doc_words, close, lex, people, ref_months)
        if glossary is not None:
            terms = _check_glossary(glossary, ref, cand, index)
            taken = [(f.reference.start, f.reference.end) for f in terms if f.reference]
            pair_findings = [f for f in pair_findings if not f.reference or not any(
                f.reference.start < e and s < f.reference.end for s, e in taken)] + terms
        if alignment.reference_coverage < SUMMARY_COVERAGE:
            # a summary or loose rewrite leaves things out on purpose: omissions are notes, not errors
            pair_findings = [
                Finding(f.category, f.type, "minor", f.message, f.reference, f.candidate, f.pair, f.suggestion)
                if f.category == "omission" else f for f in pair_findings
            ]
        findings.extend(pair_findings)
    findings = _pair_people(findings, people, ref_doc_words, lex)

    def order(f: Finding) -> tuple[int, int, int]:
        pos = f.reference.start if f.reference else (f.candidate.start if f.candidate else 0)
        return (_SEVERITY_ORDER[f.severity], pos, f.pair if f.pair is not None else -1)

    return tuple(sorted(findings, key=order))

