"""Sentence segmentation: Punkt with our abbreviations, line handling, regions, invariants."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diag import segment
from diag.segment import split_sentences

ROOT = Path(__file__).resolve().parents[1]


def sentences(text: str, regions: list[tuple[int, int]] | None = None) -> list[str]:
    spans = split_sentences(text, regions)
    assert_valid(text, spans, regions)
    return [text[s:e] for s, e in spans]


def assert_valid(text: str, spans: list[tuple[int, int]], regions: list[tuple[int, int]] | None) -> None:
    bounds = [(0, len(text))] if regions is None else regions
    previous_end = 0
    for start, end in spans:
        assert 0 <= previous_end <= start < end <= len(text), (start, end, previous_end)
        piece = text[start:end]
        assert piece == piece.strip(), repr(piece)
        assert any(ch.isalnum() for ch in piece), repr(piece)
        assert any(rs <= start and end <= re for rs, re in bounds), (start, end, bounds)
        previous_end = end


# -- abbreviations, initials, numbers ---------------------------------------------------

ABBREVIATIONS = [
    (
        "The senator flew to the U.S. capital on Monday. She returned on Friday.",
        ["The senator flew to the U.S. capital on Monday.", "She returned on Friday."],
    ),
    (
        "Talks between the U.S. and the U.K. resumed. Both sides were hopeful.",
        ["Talks between the U.S. and the U.K. resumed.", "Both sides were hopeful."],
    ),
    (
        "The plant will be built in the U.S. The company did not give a date.",
        ["The plant will be built in the U.S.", "The company did not give a date."],
    ),
    (
        "Exports to the U.S. In March they fell again.",
        ["Exports to the U.S.", "In March they fell again."],
    ),
    (
        "U.S. Treasury officials declined to comment.",
        ["U.S. Treasury officials declined to comment."],
    ),
    (
        "Mr. Alvarez and Mrs. Chen met Dr. Okafor. They talked for an hour.",
        ["Mr. Alvarez and Mrs. Chen met Dr. Okafor.", "They talked for an hour."],
    ),
    ("Sen. Marlow and Gov. Ruiz spoke with Gen. Tate.", ["Sen. Marlow and Gov. Ruiz spoke with Gen. Tate."]),
    ("Ask Prof. A. Lindqvist about it.", ["Ask Prof. A. Lindqvist about it."]),
    (
        "She works for Brightline Inc. The firm employs 40 people.",
        ["She works for Brightline Inc.", "The firm employs 40 people."],
    ),
    ("Shares of Harlow Corp. rose sharply.", ["Shares of Harlow Corp. rose sharply."]),
    ("They bought apples, pears, etc. and went home.", ["They bought apples, pears, etc. and went home."]),
    (
        "Some fruits, e.g. apples, keep well, i.e. for months.",
        ["Some fruits, e.g. apples, keep well, i.e. for months."],
    ),
    ("The vote is set for Sept. 14 in Washington, D.C. and nowhere else.", None),
    ("The tax, approx. 4 percent, was cut by the Dept. of Revenue.", None),
    (
        "Trade between China-U.S. partners grew. Then it shrank.",
        ["Trade between China-U.S. partners grew.", "Then it shrank."],
    ),
    ("Relations between China–U.S. negotiators improved.", None),
    ("The U.S.A.F. pilots landed safely.", None),
]

INITIALS = [
    ("Robert F. Kennedy Jr. spoke on Tuesday.", None),
    ("J. R. R. Tolkien wrote the novel.", None),
    (
        "The letter was signed by J. A. Moreno. Nobody replied.",
        ["The letter was signed by J. A. Moreno.", "Nobody replied."],
    ),
    ("They chose Plan B. The others disagreed.", ["They chose Plan B.", "The others disagreed."]),
    ("George W. Bush and Franklin D. Roosevelt were presidents.", None),
]

NUMBERS = [
    (
        "Inflation rose 3.5 percent in May. Wages rose 2.1 percent.",
        ["Inflation rose 3.5 percent in May.", "Wages rose 2.1 percent."],
    ),
    ("The song reached No. 5 on the chart.", None),
    ("The meeting starts at 5 p.m. Tuesday in the hall.", None),
    ("The meeting ended at 5 p.m. The vote follows.", ["The meeting ended at 5 p.m.", "The vote follows."]),
    (
        "Revenue hit $1.25 billion in 2023. In 2024 it fell.",
        ["Revenue hit $1.25 billion in 2023.", "In 2024 it fell."],
    ),
    ("Version 2.0.1 fixed the bug.", None),
]

ELLIPSES_AND_MARKS = [
    ("He paused... and then he went on.", None),
    ("He paused… and then he went on.", None),
    ("Wait… Then it started to rain.", ["Wait…", "Then it started to rain."]),
    ("Really? Yes. Great!", ["Really?", "Yes.", "Great!"]),
    ("Is this it?! We hoped for more.", ["Is this it?!", "We hoped for more."]),
]


@pytest.mark.parametrize(("text", "expected"), ABBREVIATIONS + INITIALS + NUMBERS + ELLIPSES_AND_MARKS)
def test_abbreviations_initials_numbers(text: str, expected: list[str] | None) -> None:
    assert sentences(text) == (expected if expected is not None else [text])


# -- quotes and brackets ----------------------------------------------------------------

QUOTES = [
    ("He said “yes.” Then he left.", ["He said “yes.”", "Then he left."]),
    ('He said "yes." Then he left.', ['He said "yes."', "Then he left."]),
    ("She wrote ‘done.’ Nobody answered.", ["She wrote ‘done.’", "Nobody answered."]),
    ("“It ended,” she said. “We go home.”", ["“It ended,” she said.", "“We go home.”"]),
    ("“Is it over?” she asked.", ["“Is it over?” she asked."]),
    ("“Stop!” he shouted. The car stopped.", ["“Stop!” he shouted.", "The car stopped."]),
    ("He quoted ‘the “final” word.’” It was late.", ["He quoted ‘the “final” word.’”", "It was late."]),
    ("(The figures were revised.) Markets rallied.", ["(The figures were revised.)", "Markets rallied."]),
    ("She left [as planned.] He stayed.", ["She left [as planned.]", "He stayed."]),
    ("« C’est fini. » Il est parti.", ["« C’est fini. »", "Il est parti."]),
]


@pytest.mark.parametrize(("text", "expected"), QUOTES)
def test_quotes_and_brackets_stay_with_their_sentence(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


# -- lines: headlines, datelines, lists, wrapping ---------------------------------------

LINES = [
    (
        "Storm closes ports along the coast\n\nRotterdam\n—\n\nHigh winds shut the port on Sunday.",
        ["Storm closes ports along the coast", "Rotterdam", "High winds shut the port on Sunday."],
    ),
    (
        "Storm closes ports\nRotterdam\nHigh winds shut the port on Sunday.\nThe port reopened Monday.",
        [
            "Storm closes ports",
            "Rotterdam",
            "High winds shut the port on Sunday.",
            "The port reopened Monday.",
        ],
    ),
    ("NAIROBI —\nThe rains came early this year.", ["NAIROBI —", "The rains came early this year."]),
    ("Related stories\n***\nMore news", ["Related stories", "More news"]),
    ("- apples\n- pears\n* plums\n• figs", ["- apples", "- pears", "* plums", "• figs"]),
    (
        "1. Open the box\n2. Remove the tray\na) keep the lid\nb) recycle it",
        ["1. Open the box", "2. Remove the tray", "a) keep the lid", "b) recycle it"],
    ),
    (
        "Steps:\n1. Heat the pan.\n2. Add the oil.",
        ["Steps:", "1. Heat the pan.", "2. Add the oil."],
    ),
    (
        "- a list item that is long enough to wrap onto a second line of\n  text, which continues here.",
        ["- a list item that is long enough to wrap onto a second line of\n  text, which continues here."],
    ),
    ("Hong Kong\nTaipei\nSeoul", ["Hong Kong", "Taipei", "Seoul"]),
    ("First line of a poem\nSecond line of the poem\n", ["First line of a poem", "Second line of the poem"]),
]

WRAPPED = (
    "The committee met on Thursday to review the budget that the city\n"
    "council had sent back in March, and it decided to postpone the vote\n"
    "until the auditors from Lisbon could finish their report. Members\n"
    "said the delay was regrettable but unavoidable, given the size of\n"
    "the shortfall. Officials from the finance office, led by Maria\n"
    "Santos, promised figures by the end of the month.\n"
    "\n"
    "A second paragraph starts here and is short.\n"
)

WRAPPED_SENTENCES = [
    (
        "The committee met on Thursday to review the budget that the city\n"
        "council had sent back in March, and it decided to postpone the vote\n"
        "until the auditors from Lisbon could finish their report."
    ),
    "Members\nsaid the delay was regrettable but unavoidable, given the size of\nthe shortfall.",
    "Officials from the finance office, led by Maria\nSantos, promised figures by the end of the month.",
    "A second paragraph starts here and is short.",
]

WRAP_CASES = [
    (WRAPPED, WRAPPED_SENTENCES),
    (
        "The report was written by Mr.\nHalvorsen last year.",
        ["The report was written by Mr.\nHalvorsen last year."],
    ),
    (
        "The word was broken across lines as inter-\nnational by mistake.",
        ["The word was broken across lines as inter-\nnational by mistake."],
    ),
    (
        "A line that ends with a comma,\nThen a capital continues it.",
        ["A line that ends with a comma,\nThen a capital continues it."],
    ),
    (
        "It was the best of times\nand the worst of times.",
        ["It was the best of times\nand the worst of times."],
    ),
    (
        "Apple unveils new phone\niPhone sales begin on Friday.",
        ["Apple unveils new phone", "iPhone sales begin on Friday."],
    ),
    (
        (
            "Markets close higher after a long and volatile trading week\n"
            "Investors cheered the central bank decision on Wednesday, sending stocks up."
        ),
        [
            "Markets close higher after a long and volatile trading week",
            "Investors cheered the central bank decision on Wednesday, sending stocks up.",
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), LINES + WRAP_CASES)
def test_line_breaks(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_one_sentence_per_line_is_never_joined() -> None:
    lines = [
        "The minister arrived in Oslo on Monday",
        "Talks with Norwegian officials lasted three hours",
        "Both sides described the meeting as constructive",
        "A joint statement is expected later this week",
        "Protesters gathered outside the building",
    ]
    assert sentences("\n".join(lines)) == lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("First line.\r\nSecond line.\r\n\r\nThird line.", ["First line.", "Second line.", "Third line."]),
        ("First line.\rSecond line.\r\rThird line.", ["First line.", "Second line.", "Third line."]),
        ("Headline\r\nBody text here.", ["Headline", "Body text here."]),
        ("Headline\u2028Body text here.", ["Headline", "Body text here."]),
        ("Page one ends.\fPage two starts.", ["Page one ends.", "Page two starts."]),
        ("Wrapped over a\r\nline break.", ["Wrapped over a\r\nline break."]),
    ],
)
def test_line_break_styles(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


# -- CJK -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今天下雨。明天晴天！你去吗？", ["今天下雨。", "明天晴天！", "你去吗？"]),
        ("他说：「我们走吧。」然后离开了。", ["他说：「我们走吧。」", "然后离开了。"]),
        ("東京は晴れ。 大阪は雨。", ["東京は晴れ。", "大阪は雨。"]),
    ],
)
def test_cjk_full_stops(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


# -- regions, empty input, errors ------------------------------------------------------


def test_regions_are_honoured() -> None:
    text = "MENU HOME NEWS\nThe body starts. It has two sentences.\nShare this article"
    start = text.index("The body")
    end = text.index("\nShare")
    assert sentences(text, [(start, end)]) == ["The body starts.", "It has two sentences."]


def test_a_region_boundary_cuts_a_sentence() -> None:
    text = "One sentence here. Another sentence there."
    cut = text.index("Another") + 3
    assert sentences(text, [(0, cut), (cut, len(text))]) == [
        "One sentence here.",
        "Ano",
        "ther sentence there.",
    ]


def test_regions_in_any_order_give_ordered_spans() -> None:
    text = "Alpha one. Beta two.\n\nGamma three. Delta four."
    middle = text.index("\n\n")
    forward = split_sentences(text, [(0, middle), (middle, len(text))])
    backward = split_sentences(text, [(middle, len(text)), (0, middle)])
    assert forward == backward == split_sentences(text)


@pytest.mark.parametrize(
    "regions",
    [[(-1, 3)], [(0, 99)], [(5, 2)], [(0, 6), (4, 9)]],
)
def test_invalid_regions_are_rejected(regions: list[tuple[int, int]]) -> None:
    with pytest.raises(ValueError, match="region"):
        split_sentences("Some text. More text.", regions)


@pytest.mark.parametrize(
    "text", ["", " ", "\n\n", "\r\n \t\r\n", "\u3000\u2028", "— *** —", "...", "-\n–\n—"]
)
def test_empty_or_contentless_input(text: str) -> None:
    assert split_sentences(text) == []


def test_empty_regions() -> None:
    assert split_sentences("Text here.", []) == []
    assert split_sentences("Text here.", [(3, 3)]) == []


# -- resources, laziness, offline -----------------------------------------------------


def test_abbreviation_list_is_well_formed() -> None:
    source = resources.files("diag").joinpath("data", "abbreviations.txt").read_text(encoding="utf-8")
    entries = [line.strip() for line in source.splitlines() if line.strip() and not line.startswith("#")]
    assert len(entries) >= 200
    assert len(entries) == len(set(entries)), "duplicate entries"
    for entry in entries:
        assert entry == entry.lower() and not entry.endswith(".") and " " not in entry, entry
    abbreviations = set(entries)
    assert {
        "u.s",
        "mr",
        "dr",
        "jr",
        "sen",
        "gov",
        "gen",
        "st",
        "inc",
        "corp",
        "co",
        "ltd",
        "vs",
        "etc",
    } <= abbreviations
    assert {
        "e.g",
        "i.e",
        "jan",
        "feb",
        "sept",
        "no",
        "approx",
        "dept",
        "univ",
        "u.k",
        "u.n",
        "e.u",
        "d.c",
    } <= abbreviations
    assert segment.TITLES <= abbreviations
    # A starter after a period is read as a new sentence, never as an abbreviation.
    assert not segment.SENTENCE_STARTERS & abbreviations
    # Everyday words that often end a sentence must not be listed.
    assert not {"me", "ill", "miss", "sat", "sun", "us", "in", "am", "man", "art"} & abbreviations


def test_import_is_cheap_and_nltk_is_lazy() -> None:
    code = "import sys, diag.segment; print('nltk' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_builds_offline_without_nltk_data(monkeypatch: pytest.MonkeyPatch) -> None:
    import nltk
    import nltk.data

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("segment must not download or load NLTK data")

    monkeypatch.setattr(nltk, "download", forbidden)
    monkeypatch.setattr(nltk.data, "load", forbidden)
    monkeypatch.setattr(nltk.data, "find", forbidden)
    segment._tokenizer.cache_clear()
    try:
        assert sentences("Dr. Ames left the U.S. on Friday. She is back.") == [
            "Dr. Ames left the U.S. on Friday.",
            "She is back.",
        ]
    finally:
        segment._tokenizer.cache_clear()


def test_tokenizer_cache_does_not_grow() -> None:
    tokenizer = segment._tokenizer()
    size = len(tokenizer._params.ortho_context)
    split_sentences("Gov. Unheardof arrived. The U.S. Xylophonics met. Zed. Quux.")
    assert len(tokenizer._params.ortho_context) == size


# -- the seeds, read in place ------------------------------------------------------------


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_seed_segments_are_sensible(number: str, seed: object) -> None:
    text = seed(number)  # type: ignore[operator]
    spans = split_sentences(text)
    assert_valid(text, spans, None)
    assert len(spans) > 5
    for (start, end), (next_start, _) in zip(spans, [*spans[1:], (len(text), len(text))], strict=True):
        sentence = text[start:end]
        # A segment never starts with a closing quote or a lowercase word ("U.S. officials").
        assert sentence[0] not in "”’»)]", sentence
        first = sentence.split()[0].lstrip("“‘\"'(")
        assert not (first[:1].islower() and first.lower() == first), sentence
        # Within a line, a segment ends on an abbreviation only before a sentence starter.
        if "\n" not in text[end:next_start] and sentence.endswith(
            (" U.S.", " Mr.", " Dr.", " Jr.", " Sept.")
        ):
            assert text[next_start:].split()[0].lower() in segment.SENTENCE_STARTERS, sentence
    first_line = text.strip().splitlines()[0].strip()
    if first_line[-1:] not in '.!?”"':
        assert text[spans[0][0] : spans[0][1]] == first_line  # the headline is its own segment


# -- invariants and speed ----------------------------------------------------------------

ALPHABET = st.sampled_from(
    list("abcXYZ019 .,;:!?-—–…“”‘’\"'()[]\t")
    + [
        "\n",
        "\r\n",
        "\r",
        "\u2028",
        "\x0b",
        "\x0c",
        "\u3002",
        "\uff01",
        "\u00a0",
        "\u3000",
        "é",
        "ß",
        "Ж",
        "中",
        "😀",
    ]
    + ["U.S.", "Mr.", "Dr. ", "No. 5", "p.m.", " The ", " and ", "3.5", "...", "\n\n", "- ", "1. "]
)


@st.composite
def text_and_regions(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]] | None]:
    text = "".join(draw(st.lists(ALPHABET, max_size=120)))
    if draw(st.booleans()):
        return text, None
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    return text, pairs


@settings(max_examples=400, deadline=None)
@given(text_and_regions())
def test_spans_are_ordered_stripped_and_inside_regions(
    case: tuple[str, list[tuple[int, int]] | None],
) -> None:
    text, regions = case
    spans = split_sentences(text, regions)
    assert_valid(text, spans, regions)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_unicode_never_crashes(text: str) -> None:
    assert_valid(text, split_sentences(text), None)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Alpha one.", "Beta two!", "Gamma three?", "Delta four"]), min_size=1, max_size=12
    )
)
def test_simple_sentences_are_found_exactly(parts: list[str]) -> None:
    text = " ".join(parts)
    expected: list[str] = []
    for part in parts:
        if expected and not expected[-1].endswith((".", "!", "?")):
            expected[-1] += " " + part
        else:
            expected.append(part)
    assert sentences(text) == expected


NEVER = re.compile(r"(?!)")
# Pieces for texts full of the cases the shortcuts decide: abbreviations, initials,
# numbers and plain words before capitalised, lowercase, uncased or punctuation tokens.
SHORTCUT_WORDS = st.sampled_from(
    [
        "U.S",
        "Mr",
        "Gov",
        "Inc",
        "J",
        "A",
        "I",
        "5",
        "1.5",
        "no",
        "etc",
        "a.m",
        "x",
        "Ab",
        "the",
        "The",
        "In",
        "in",
        "Then",
        "It's",
        "iPhone",
        "É",
        "中",
        "-",
        "--",
        "",
    ]
)
SHORTCUT_GLUE = st.sampled_from(
    [
        ".",
        ". ",
        ".  ",
        "! ",
        "? ",
        ", ",
        " ",
        "\n",
        "\n\n",
        ".\n",
        ".)",
        ".” ",
        ". “",
        "...",
        ". (",
        "; ",
        ":",
    ]
    + ["'", "’s ", ".—", ". -", "?!", "!?", ". ,", ". ;", ". :", ". !", ". .", ".' ", ") ", "\t", "。"]
)


@st.composite
def shortcut_texts(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 25))):
        word = draw(SHORTCUT_WORDS)
        case = draw(st.sampled_from(["as is", "capitalised", "upper"]))
        if case == "capitalised":
            word = word[:1].upper() + word[1:]
        elif case == "upper":
            word = word.upper()
        parts += [word, draw(SHORTCUT_GLUE)]
    return "".join(parts)


@settings(max_examples=500, deadline=None)
@given(shortcut_texts())
def test_shortcuts_agree_with_plain_punkt(text: str) -> None:
    """The cuts and masks that spare Punkt calls never change what Punkt decides."""
    fast = split_sentences(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(segment, "_MARK_END", NEVER)
        patch.setattr(segment, "_DOTTED_TOKEN", NEVER)
        slow = split_sentences(text)
    assert fast == slow


def test_long_blocks_are_cut_for_punkt_without_changing_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    text = " ".join(
        f"Sentence number {i} mentions the U.S. economy and Mr. Lee. It ends here." for i in range(60)
    )
    whole = split_sentences(text)
    monkeypatch.setattr(segment, "PUNKT_CHUNK", 50)
    assert split_sentences(text) == whole


_LARGE_UNITS = [
    (
        "The U.S. economy grew 3.5 percent, Mr. Reyes said. Exports rose.\n"
        "Prices fell in the\nsecond quarter. \u201cWe expect more,\u201d he said.\n\n"
    ),
    "Short line.\nx\n",
    ". . . . 1. 2. 3. ",
]


def _punkt_work(monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[int, int, list[tuple[int, int]]]:
    """Punkt calls and the characters they were given, while splitting ``text``."""
    tokenizer = segment._tokenizer()
    calls, chars = [0], [0]
    original = tokenizer.span_tokenize

    def counted(piece: str):  # type: ignore[no-untyped-def]
        calls[0] += 1
        chars[0] += len(piece)
        return original(piece)

    monkeypatch.setattr(tokenizer, "span_tokenize", counted)
    spans = split_sentences(text)
    return calls[0], chars[0], spans


@pytest.mark.parametrize("unit", _LARGE_UNITS)
def test_punkt_sees_each_character_at_most_once_and_never_a_dense_run(
    monkeypatch: pytest.MonkeyPatch, unit: str
) -> None:
    """Work, counted: Punkt (~0.1 ms a possible sentence end, more per call) reads each
    character at most once, and none of a punctuation-dense run (". . . 1. 2."), which
    used to reach it as tens of thousands of small calls."""
    text = unit * (200_000 // len(unit))
    calls, chars, spans = _punkt_work(monkeypatch, text)
    assert spans
    assert chars <= len(text)
    if unit.startswith(". . ."):
        assert (calls, chars) == (0, 0)
        assert all(e - s <= 1.5 * segment.PSEUDO_SENTENCE_CHARS for s, e in spans)
    else:
        assert calls <= len(text) / 100


@pytest.mark.slow
@pytest.mark.parametrize("unit", _LARGE_UNITS)
def test_large_text_costs_what_a_smaller_one_does_per_character(monkeypatch: pytest.MonkeyPatch, unit: str) -> None:
    """2 MB against 200 KB: the same Punkt work per character (growth in time is in benchmarks/)."""
    small = _punkt_work(monkeypatch, unit * (200_000 // len(unit)))
    large = _punkt_work(monkeypatch, unit * (2_000_000 // len(unit)))
    assert large[1] <= 10 * small[1] + 20_000 and large[0] <= 10 * small[0] + 10
    assert len(large[2]) >= 9 * len(small[2])


def _words(n: int) -> str:
    return " ".join(f"word{k % 50}" for k in range(n))


@pytest.mark.parametrize(
    "text,pieces",
    [
        (_words(100), 1),  # 589 characters: kept whole
        (_words(1000), 4),  # 6,799 characters, no sentence end
        ("Intro sentence. " + _words(1000) + ". Outro sentence.", 6),
        ("\u5b57" * 4500, 3),  # no space at all: cut at the length itself
    ],
)
def test_long_stretches_are_cut_into_pseudo_sentences_at_spaces(text: str, pieces: int) -> None:
    result = segment.segment(text)
    assert len(result.spans) == pieces
    assert result.cut_stretches == (0 if pieces == 1 else 1)
    for s, e in result.spans:
        assert e - s <= 1.5 * segment.PSEUDO_SENTENCE_CHARS
        assert not text[s].isspace() and not text[e - 1].isspace()
        if " " in text:
            assert (e == len(text) or text[e].isspace()) and (s == 0 or text[s - 1].isspace())
    joined = "".join("".join(text[s:e].split()) for s, e in result.spans)
    assert joined == "".join(text.split())  # every character kept, in order
    assert split_sentences(text) == result.spans


def test_a_cut_falls_on_the_space_nearest_the_mark() -> None:
    mark = segment.PSEUDO_SENTENCE_CHARS
    text = "a" * (mark - 10) + " " + "b" * 30 + " " + "c" * (mark + 100)
    (s1, e1), (s2, _), *_ = segment.segment(text).spans
    assert (s1, e1, s2) == (0, mark - 10, mark - 9)  # 10 before the mark, not 21 after
    text = "a" * (mark - 10) + " " + "b" * 13 + " " + "c" * (mark + 100)
    (s1, e1), (s2, _), *_ = segment.segment(text).spans
    assert (s1, e1, s2) == (0, mark + 4, mark + 5)  # 4 after the mark, not 10 before
