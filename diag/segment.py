"""Split a document body into sentence spans (the "split" stage of the pipeline).

Lines are grouped into blocks first: a line break ends a segment unless the text is
hard-wrapped prose, so headlines, datelines and list items stay on their own. NLTK's
Punkt, built offline from the project's own abbreviation list
(``diag/data/abbreviations.txt``) and imported lazily, then splits each block into
sentences. A few rules Punkt lacks are applied on top: titles ("Mr."), initials and
list numbers never end a sentence, a lowercase word after "?", "!", an ellipsis or a
dotted acronym continues it, a sentence only ends before whitespace, and CJK full stops
end one.

Punkt runs on a *view* of the text of exactly the same length (curly quotes made
straight, dashes made hyphens, every line break made ``"\\n"``), so its offsets are
offsets into the original text and no per-character bookkeeping is needed.

Work is linear in the length of the text. Lines are found with one regular-expression
pass. Punkt costs ~0.1 ms for each period it weighs, so the periods whose outcome its
rules fix with our parameters (a plain word, an abbreviation or an initial before a
lowercase or a capitalised word, ...) are decided beforehand exactly as Punkt would
(``_settle``; a test checks the two agree), and Punkt sees only the rest, at most
``PUNKT_CHUNK`` characters a call.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

Span = tuple[int, int]

#: Hard-wrapped prose is wrapped at a width between these (in characters); lines
#: of plain "one paragraph per line" text are longer, address or headline lists shorter.
MIN_WRAP_WIDTH = 30
MAX_WRAP_WIDTH = 100
#: Lines either side of a line break looked at to judge whether the text is wrapped.
WRAP_WINDOW = 4
#: Longest stretch handed to Punkt in one call; longer blocks are cut between words
#: (never after a possible sentence end) and glued back, so Punkt's cost stays linear.
PUNKT_CHUNK = 20_000
#: A stretch with more than ``DENSE_ENDS`` possible sentence ends still open after the
#: shortcuts, one every ``DENSE_SPACING`` characters or closer, is not prose (dotted
#: leaders, a run of list numbers): Punkt does not see it (it would cost ~0.1 ms per
#: possible end); it stays one segment, cut into pseudo-sentences if long.
DENSE_ENDS = 64
DENSE_SPACING = 16
#: Longest sentence kept whole, in characters. A longer stretch with no sentence end (a
#: page flattened to one line, a list with no punctuation) is cut into pseudo-sentences
#: of about this length at the nearest white space, so that no later stage sees one
#: enormous segment; the report notes it.
PSEUDO_SENTENCE_CHARS = 2000

ABBREVIATIONS_RESOURCE = "abbreviations.txt"

#: Abbreviations placed before a name: a sentence never ends on them, whatever follows.
TITLES: frozenset[str] = frozenset(
    """mr mrs ms mx messrs mmes mme mlle dr drs prof profs rev revd hon rt fr msgr
    sen sens rep reps gov govs pres amb atty supt insp det lt lieut gen gens col maj
    capt cpt cmdr cdr comdr cmdre adm brig sgt ssgt msgt cpl pvt pfc spc ens""".split()  # noqa: SIM905
)

#: Words that, capitalised right after an abbreviation ("in the U.S. The ..."), start a
#: new sentence. They are given to Punkt both as frequent sentence starters and as an
#: orthographic context "seen lowercase mid-sentence, uppercase only sentence-initially".
SENTENCE_STARTERS: frozenset[str] = frozenset(
    """a an the he she it they we you his her its their our my your this that these
    those there here but and or nor so yet however meanwhile moreover furthermore
    thus therefore nevertheless nonetheless instead indeed otherwise in on at for with
    by from as to after before when while if although though since because despite
    during under over until unless whether last next earlier later still also now
    then today yesterday tomorrow some many most other others both all each every
    several few more much such what who whom whose which why how where not one is
    are was were do does did can could will would should may might must according""".split()  # noqa: SIM905
)

# Same-length replacements giving the view Punkt reads: quotes it does not know become
# ASCII ones (so closing quotes stay with their sentence on any NLTK version), the
# ellipsis character becomes a period (so "… Then" can end a sentence), dashes become
# hyphens (Punkt finds the abbreviation in "China-U.S." only after a hyphen), and every
# line break str.splitlines() knows becomes "\n" ("\r\n" as " \n", first). Plain
# str.replace per character is several times faster than str.translate on large texts.
_VIEW_REPLACEMENTS: tuple[tuple[str, str], ...] = (
    ("\r\n", " \n"),
    *((quote, '"') for quote in "\u201c\u201d\u201e\u201f\u00ab\u00bb"),
    *((quote, "'") for quote in "\u2018\u2019\u201a\u201b\u2039\u203a"),
    ("\u2026", "."),
    *((dash, "-") for dash in "\u2010\u2011\u2012\u2013\u2014"),
    *((brk, "\n") for brk in "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"),
)

# A line holding something other than whitespace; group 1 starts at its first visible
# character. "^" anchors every attempt at a line start and the possessive "*+" never
# backtracks, so a pass over the text is linear even across long runs of spaces.
_NONBLANK_LINE = re.compile(r"^[^\S\n]*+(\S[^\n]*)", re.MULTILINE)
_HAS_ALNUM = re.compile(r"[^\W_]")
# A possible sentence end with a following token: Punkt can only split a block that has one.
_INNER_END = re.compile(r"[.?!][^\w\s]*\s+\S")
# "?" or "!" after a word and before whitespace and a word: Punkt always splits there.
_MARK_END = re.compile(r"(?<=[^\W_])[?!]+(?=\s+[^\W_])")
_SPACE = re.compile(r"\s")
# A safe place to cut a long block: whitespace right after a letter or digit.
_SAFE_CUT = re.compile(r"(?<=[^\W_])\s")
# A whitespace-delimited run ending in a period (group 1 before it), then whitespace and
# the next run (group 2).
_DOTTED_TOKEN = re.compile(r"(?<!\S)(\S*)\.(?=\s+(\S+))")
# A sentence-end character followed by more of the run: Punkt may find a break there.
_INNER_MARK = re.compile(r"[.!?](?!\Z)")
# The first token Punkt's word tokenizer takes from a run of non-space characters.
_PUNKT_WORD = re.compile(r"\S+?(?=\Z|[)\";}\]*:@'({\[!?]|--|\.\.|,(?=\Z|[)\";}\]*:@'({\[!?]|--|\.\.))")
# Tokens Punkt never takes for the start of a sentence.
_PUNKT_PUNCTUATION = ";:,!?"
# Closing marks Punkt moves from the start of a sentence to the end of the one before.
_REALIGNED = "\"')]}"
# Characters Punkt's word tokenizer never starts a word with (each is a token of its own).
_PUNKT_NON_START = '("`{[:;&#*@)}]-,'
# Where Punkt's word tokenizer ends a token: the characters it never puts inside a word.
_PUNKT_TOKEN_BREAK = re.compile(r"[)\";}\]*:@'({\[!?]|--|\.\.")
_LEADING_LETTERS = re.compile(r"[^\W\d_]+")
_PUNKT_INITIAL = re.compile(r"[^\W\d]\.\Z")
_PUNKT_NUMERIC = re.compile(r"-?[.,]?\d[\d,.-]*\.?\Z")
_LIST_ITEM = re.compile(
    r"(?:[-*+\u2022\u00b7\u25aa\u25e6\u2023]|\(?(?:\d{1,3}|[A-Za-z]|[ivxIVX]{2,4})[.)])(?:\s|\Z)"
)
_ENUMERATOR = re.compile(r"\(?(?:\d{1,3}|[A-Za-z]|[ivxIVX]{2,4})[.)]")
_INITIAL = re.compile(r"[^\W\d_]\.\Z")
_LEADING_INITIAL = re.compile(r"[^\W\d_]\.(?:\s|\Z)")
_ACRONYM = re.compile(r"(?:[^\W\d_]\.){2,}\Z")
# "?", "!" or an ellipsis, then closing quotes or brackets (matched on the text, not the view).
_SOFT_END = re.compile(r"(?:[?!\uff01\uff1f\u2026]|\.\.)[\"')\]}\u201d\u2019\u00bb]*\Z")
_CJK_MARK = re.compile(r"[\u3002\uff01\uff1f]")
_CJK_END = re.compile(r"[\u3002\uff01\uff1f]+[\"')\]}\u300d\u300f\uff09\u3011\u300b]*")

_OPENERS = "\"'([{\u00bf\u00a1\u201c\u2018\u201e\u00ab"
_VIEW_CLOSERS = "\"')]}\u300d\u300f\uff09\u3011\u300b"
_TERMINALS = ".!?\u3002\uff01\uff1f"


class Segmentation(NamedTuple):
    """Sentence spans, and how many over-long stretches were cut into pseudo-sentences."""

    spans: list[Span]
    cut_stretches: int


def split_sentences(text: str, regions: Sequence[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans (``segment(text, regions).spans``).

    Args:
        text: the decoded document, exactly as read.
        regions: ``(start, end)`` stretches holding the document body, in any order and
            not overlapping; ``None`` means the whole text.

    Returns:
        Sentence spans ``(start, end)`` as ``str`` indices into ``text``, in order and
        non-overlapping, each inside one region, each stripped of surrounding
        whitespace. Spans with no letter or digit (a lone dash, ``***``) are dropped.

    Raises:
        ValueError: a region lies outside the text, is reversed or overlaps another.
    """
    return segment(text, regions).spans


def segment(text: str, regions: Sequence[tuple[int, int]] | None = None) -> Segmentation:
    """Split ``text`` into sentence spans, as ``split_sentences`` documents.

    A sentence longer than ``PSEUDO_SENTENCE_CHARS`` is cut into pseudo-sentences at
    the white space nearest each multiple of that length (``cut_stretches`` counts the
    sentences so cut).
    """
    spans: list[Span] = []
    bounds = _check_regions(len(text), regions)
    if not bounds or text.isspace():
        return Segmentation(spans, 0)
    view = _view(text)
    tokenizer = _tokenizer()
    cut = 0
    for start, end in bounds:
        for block_start, block_end in _blocks(view, start, end):
            for s, e in _sentences(tokenizer, text, view, block_start, block_end):
                if e - s <= PSEUDO_SENTENCE_CHARS:
                    spans.append((s, e))
                else:
                    cut += 1
                    spans.extend(_pseudo_sentences(view, s, e))
    return Segmentation(spans, cut)


def _pseudo_sentences(view: str, start: int, end: int) -> Iterator[Span]:
    """Cut ``view[start:end]`` into pieces of about ``PSEUDO_SENTENCE_CHARS`` characters.

    Each cut falls on the white space nearest the mark (the mark itself when the stretch
    has no white space within half the length either side, as in unspaced scripts).
    """
    half = PSEUDO_SENTENCE_CHARS // 2
    while end - start > PSEUDO_SENTENCE_CHARS:
        mark = start + PSEUDO_SENTENCE_CHARS
        back = _SPACE.search(view[mark - half : mark + 1][::-1])  # the last space up to the mark
        before = mark - back.start() if back else None
        after = _SPACE.search(view, mark, min(end, mark + half))
        cut = mark
        if before is not None and (not after or mark - before <= after.start() - mark):
            cut = before
        elif after:
            cut = after.start()
        s, e = _strip(view, start, cut)
        if s < e and _HAS_ALNUM.search(view, s, e):
            yield s, e
        start = cut
    s, e = _strip(view, start, end)
    if s < e and _HAS_ALNUM.search(view, s, e):
        yield s, e


def _view(text: str) -> str:
    view = text
    for old, new in _VIEW_REPLACEMENTS:
        if old in view:
            view = view.replace(old, new)
    return view


def _check_regions(length: int, regions: Sequence[tuple[int, int]] | None) -> list[Span]:
    if regions is None:
        return [(0, length)] if length else []
    ordered = sorted((int(s), int(e)) for s, e in regions)
    previous_end = 0
    for start, end in ordered:
        if not 0 <= start <= end <= length:
            raise ValueError(f"split_sentences: region {start}-{end} is not within the text (0-{length})")
        if start < previous_end:
            raise ValueError(
                f"split_sentences: region {start}-{end} overlaps a region ending at {previous_end}"
            )
        previous_end = end
    return [(s, e) for s, e in ordered if s < e]


# -- lines and blocks -----------------------------------------------------------------


class _Line(NamedTuple):
    """A non-blank line of the view: ``start``/``end`` enclose its visible text."""

    start: int
    end: int
    width: int  # columns from the line start, indentation included
    body: str
    first_word: str


def _paragraphs(view: str, start: int, end: int) -> Iterator[list[_Line]]:
    """Runs of non-blank lines of ``view[start:end]``."""
    chunk = view[start:end]
    paragraph: list[_Line] = []
    previous_end = 0
    for m in _NONBLANK_LINE.finditer(chunk):
        body = m.group(1).rstrip()
        line_start = m.start(1)
        if paragraph and chunk.count("\n", previous_end, line_start) > 1:
            yield paragraph
            paragraph = []
        first_word = body.split(None, 1)[0]
        line_end = line_start + len(body)
        paragraph.append(_Line(start + line_start, start + line_end, line_end - m.start(), body, first_word))
        previous_end = line_end
    if paragraph:
        yield paragraph


def _blocks(view: str, start: int, end: int) -> Iterator[Span]:
    """Stretches of the view that Punkt splits on its own: a line, or joined wrapped lines."""
    for paragraph in _paragraphs(view, start, end):
        block_start = paragraph[0].start
        for i in range(len(paragraph) - 1):
            if not _joins(paragraph, i):
                yield block_start, paragraph[i].end
                block_start = paragraph[i + 1].start
        yield block_start, paragraph[-1].end


def _last_word(body: str) -> str:
    return body[body.rfind(" ") + 1 :].lstrip(_OPENERS)


def _ends_with_title(body: str) -> bool:
    last = _last_word(body)
    return last.endswith(".") and last[:-1].lower() in TITLES


def _starts_lowercase(text: str) -> bool:
    """``text`` starts with a lowercase word ("and", but not "iPhone" or "eBay")."""
    word = _LEADING_LETTERS.match(text.lstrip(_OPENERS))
    return word is not None and word.group().islower()


def _lowercase_start(line: _Line) -> bool:
    """The line starts with a lowercase word and is not a list item ("a) ...")."""
    return _starts_lowercase(line.first_word) and not _LIST_ITEM.match(line.body)


def _ends_mid_sentence(body: str) -> bool:
    """A trailing comma, semicolon, opening bracket or word-hyphen ("inter-")."""
    last = body[-1]
    return last in ",;([" or (last == "-" and len(body) > 1 and body[-2].isalnum())


def _ends_open(body: str) -> bool:
    """The line does not end a sentence: no final punctuation, or an abbreviation or initial."""
    if body.rstrip(_VIEW_CLOSERS)[-1:] not in _TERMINALS:
        return True
    last = _last_word(body)
    return bool(_INITIAL.match(last)) or last[:-1].lower() in _abbreviations()


def _joins(paragraph: list[_Line], i: int) -> bool:
    """Does line ``i + 1`` continue line ``i`` (hard-wrapped prose)?

    A lowercase start, or a line ending in a comma, semicolon, hyphen or title,
    continues. A capitalised next line continues only in wrapped text: its first word
    would not have fitted on the line (so the line was full), and another line break
    nearby shows wrapping too. Punkt still decides where sentences end in the joined block.
    """
    line, following = paragraph[i], paragraph[i + 1]
    if _LIST_ITEM.match(following.body):
        return False
    if not (_HAS_ALNUM.search(line.body) and _HAS_ALNUM.search(following.body)):
        return False
    if _lowercase_start(following) or _ends_mid_sentence(line.body) or _ends_with_title(line.body):
        return True
    needed = line.width + 1 + len(following.first_word)  # had the next word fitted on the line
    if line.width > MAX_WRAP_WIDTH or needed <= MIN_WRAP_WIDTH or not _ends_open(line.body):
        return False
    low, high = max(0, i - WRAP_WINDOW), min(len(paragraph), i + WRAP_WINDOW + 2)
    width = max(p.width for p in paragraph[low:high])
    if width > MAX_WRAP_WIDTH or needed <= width:
        return False
    if len(paragraph) <= 3:
        return True
    return any(
        _lowercase_start(paragraph[j + 1]) or _ends_mid_sentence(paragraph[j].body)
        for j in range(low, high - 1)
        if j != i
    )


# -- sentences within a block ---------------------------------------------------------


def _sentences(
    tokenizer: PunktSentenceTokenizer, text: str, view: str, start: int, end: int
) -> Iterator[Span]:
    """Sentence spans of the block ``view[start:end]``, in view (= text) offsets."""
    if not _INNER_END.search(view, start, end) and not _CJK_MARK.search(view, start, end):
        if _HAS_ALNUM.search(view, start, end):
            yield start, end
        return
    merged: list[Span] = []
    for s, e in _punkt_spans(tokenizer, view, start, end):
        s, e = _strip(view, s, e)
        if s >= e:
            continue
        if merged and (merged[-1][1] == s or _continues_previous(text, merged[-1], (s, e))):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    for s, e in merged:
        for piece in _split_cjk(view, s, e):
            if _HAS_ALNUM.search(view, piece[0], piece[1]):
                yield piece


def _punkt_spans(tokenizer: PunktSentenceTokenizer, view: str, start: int, end: int) -> list[Span]:
    """Punkt's sentence spans of a block (not yet stripped).

    Punkt always splits after "?" or "!" before a word; the block is cut there first,
    then each piece has its periods settled (``_settle``) before Punkt sees the rest.
    """
    spans: list[Span] = []
    for m in _MARK_END.finditer(view, start, end):
        spans.extend(_piece_spans(tokenizer, view, start, m.end()))
        start = m.end()
    spans.extend(_piece_spans(tokenizer, view, start, end))
    return spans


def _piece_spans(tokenizer: PunktSentenceTokenizer, view: str, start: int, end: int) -> list[Span]:
    """Spans of ``view[start:end]``: settled periods first, Punkt for whatever is left."""
    piece = view[start:end]
    if not _INNER_END.search(piece) or _dense(piece, 0, len(piece)):
        return [(start, end)]
    piece, breaks = _settle(piece)
    spans: list[Span] = []
    low = 0
    for high in [*breaks, len(piece)]:
        spans.extend(_punkt_chunks(tokenizer, piece, low, high, start))
        low = high
    return spans


def _punkt_chunks(
    tokenizer: PunktSentenceTokenizer, piece: str, low: int, high: int, offset: int
) -> list[Span]:
    """Punkt's spans of ``piece[low:high]``, at most ``PUNKT_CHUNK`` characters a call.

    A cut falls on whitespace after a letter or digit, where Punkt never sees a possible
    sentence end, so gluing the spans either side of it back together gives what one
    call over the whole stretch would.
    """
    if not _INNER_END.search(piece, low, high) or _dense(piece, low, high):
        return [(offset + low, offset + high)]
    spans: list[Span] = []
    while low < high:
        cut = high
        if high - low > PUNKT_CHUNK:
            m = _SAFE_CUT.search(piece, low + PUNKT_CHUNK, min(high, low + 2 * PUNKT_CHUNK))
            cut = m.start() if m else low + PUNKT_CHUNK
        glue = bool(spans)
        for s, e in tokenizer.span_tokenize(piece[low:cut]):
            if glue:
                spans[-1] = (spans[-1][0], offset + low + e)
                glue = False
            else:
                spans.append((offset + low + s, offset + low + e))
        low = cut
    return spans


def _dense(piece: str, low: int, high: int) -> bool:
    """More than ``DENSE_ENDS`` possible sentence ends, one every ``DENSE_SPACING``
    characters or closer: not prose. Judged on a whole piece before ``_settle`` cuts it
    into short stretches (punctuation-dense text would otherwise reach Punkt as tens of
    thousands of small calls), and again on each stretch."""
    ends = sum(1 for _ in _INNER_END.finditer(piece, low, high))
    return ends > DENSE_ENDS and ends * DENSE_SPACING > high - low


def _settle(piece: str) -> tuple[str, list[int]]:
    """Decide the periods whose fate Punkt's rules settle, as Punkt would, but cheaply.

    With our parameters (an orthographic table that knows only the sentence starters,
    no collocations) Punkt splits after a plain word whatever follows; after an
    abbreviation only before a capitalised starter ("U.S. The", not "U.S. Senate");
    after an initial before a capitalised starter or anything uncased, not before a
    lowercase or other capitalised word ("J. Smith"); after a number unless a lowercase
    word follows. Each costs Punkt ~0.1 ms, a regular expression and a set lookup here.

    Returns:
        ``piece`` with the periods that do not end a sentence replaced by ``_``, so that
        Punkt no longer sees them, and the offsets just after the periods that do.
        A token not cut the way Punkt would cut it is left to Punkt.
    """
    abbreviations = _abbreviations()
    masked: list[int] = []
    breaks: list[int] = []
    for m in _DOTTED_TOKEN.finditer(piece):
        # Punkt looks at the whole run before the period and the whole run after it,
        # and splits if any token there ends a sentence ("left!U.S. officials"), so
        # both must be plain: one token before, no inner end after.
        token, following = m.group(1).lstrip(_PUNKT_NON_START), m.group(2)
        if not token or token[-1] == "." or _PUNKT_TOKEN_BREAK.search(token) or _INNER_MARK.search(following):
            continue
        lower = token.lower()
        first = following[0]
        if first == ".":  # "..." or ".x": Punkt's next token is not obvious
            continue
        starter = False
        if first.isupper():
            word = _PUNKT_WORD.match(following)
            kind = (word.group() if word else following).lower()
            starter = kind.removesuffix(".") in SENTENCE_STARTERS
        # Lowercase or a punctuation mark next: "not a sentence start" to Punkt; uncased
        # (a digit, a quote, CJK): "unknown", which keeps an initial or a number's split.
        continues = first.islower() or first in _PUNKT_PUNCTUATION
        if _PUNKT_INITIAL.match(token + "."):
            split = starter or not (continues or first.isupper())
        elif lower in abbreviations or lower.split("-")[-1] in abbreviations:
            split = starter
        elif _PUNKT_NUMERIC.match(lower + "."):
            split = not continues
        else:
            split = True
        if split:
            if first not in _REALIGNED:  # else Punkt moves the quote or bracket back: its call
                breaks.append(m.end())
        elif lower not in SENTENCE_STARTERS:  # as the next token, "A." is the starter "a"
            masked.append(m.end(1))
    if masked:
        bounds = [-1, *masked, len(piece)]
        piece = "_".join(piece[a + 1 : b] for a, b in itertools.pairwise(bounds))
    return piece, breaks


def _strip(view: str, start: int, end: int) -> Span:
    piece = view[start:end]
    stripped = piece.lstrip()
    start += len(piece) - len(stripped)
    return start, start + len(stripped.rstrip())


def _continues_previous(text: str, previous: Span, current: Span) -> bool:
    """Rules Punkt lacks: "Mr.", initials and list numbers ("1.") never end a sentence;
    a lowercase word after "?", "!", an ellipsis ("“Why?” she asked") or a dotted acronym
    missing from our list ("U.S.A.F. officers") continues the sentence."""
    tail = text[max(previous[0], previous[1] - 24) : previous[1]]
    if _ends_with_title(tail) or (previous[1] - previous[0] <= 6 and _ENUMERATOR.fullmatch(tail)):
        return True
    last = _last_word(tail)
    head = text[current[0] : min(current[1], current[0] + 24)]
    if _INITIAL.match(last) and last[0].isupper() and _LEADING_INITIAL.match(head) and head[0].isupper():
        return True
    if not _starts_lowercase(head):
        return False
    return bool(_SOFT_END.search(tail) or _ACRONYM.search(last))


def _split_cjk(view: str, start: int, end: int) -> Iterator[Span]:
    """Split after CJK full stops, which Punkt does not know and which need no space after."""
    if not _CJK_MARK.search(view, start, end):
        yield start, end
        return
    for m in _CJK_END.finditer(view, start, end):
        if m.end() < end:
            s, e = _strip(view, start, m.end())
            if s < e:
                yield s, e
            start = m.end()
    s, e = _strip(view, start, end)
    if s < e:
        yield s, e


# -- the tokenizer ---------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    """The project's abbreviation list (lowercase, without the final period)."""
    source = resources.files("diag").joinpath("data", ABBREVIATIONS_RESOURCE).read_text(encoding="utf-8")
    words = (line.strip().lower() for line in source.splitlines())
    return frozenset(word for word in words if word and not word.startswith("#"))


class _OrthoContext(dict[str, int]):
    """Punkt's orthographic table; unlike a defaultdict, a lookup never adds a key, so the
    cached tokenizer does not grow with every word it is shown."""

    def __missing__(self, key: str) -> int:
        return 0


@functools.lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    """Build Punkt once, offline, from our own data (no nltk.download, no pickles)."""
    from nltk.tokenize.punkt import (
        _ORTHO_BEG_UC,
        _ORTHO_MID_LC,
        PunktParameters,
        PunktSentenceTokenizer,
    )

    params = PunktParameters()
    params.abbrev_types = set(_abbreviations())
    params.sent_starters = set(SENTENCE_STARTERS)
    params.ortho_context = _OrthoContext(dict.fromkeys(SENTENCE_STARTERS, _ORTHO_BEG_UC | _ORTHO_MID_LC))
    return PunktSentenceTokenizer(params)
