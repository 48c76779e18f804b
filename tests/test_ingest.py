"""diag.ingest: decoding every supported encoding, input errors, and page furniture.

Every example text here is written for the test; the seeds and the dev set are only
read (and skipped where ../shared is absent).
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest
from conftest import EVAL_DEV, seed_path
from hypothesis import given, settings
from hypothesis import strategies as st

from diag import ingest
from diag.errors import ConfigError, InputError
from diag.ingest import (
    DEFAULT_MAX_BYTES,
    Decoded,
    body_regions,
    decode,
    find_furniture,
    format_size,
    read_input,
)
from diag.model import SetAside

CAPTION = ingest.REASON_CAPTION
COUNTER = ingest.REASON_VIEW_COUNTER
BOILERPLATE = ingest.REASON_BOILERPLATE
HAN_IN_LATIN = "block in another script (Han) than the document (Latin)"

# Invented article prose, long enough that a heading after it is past TAIL_MIN_FRACTION.
BODY = (
    "The city council approved the new budget on Tuesday after a long debate.\n\n"
    "Members argued for hours over funding for schools, roads and the harbour.\n\n"
    "The mayor said the plan would be reviewed again in the spring, officials added.\n"
)
CHINESE_PARAGRAPH = "市议会周二在长时间辩论后批准了新的预算方案，议员们就学校和道路资金争论了数小时。"
ENGLISH_PARAGRAPH = "The council approved the budget on Tuesday after a debate that lasted for many hours."


def span_of(text: str, piece: str) -> tuple[int, int]:
    """Where ``piece`` sits in ``text`` (it must occur exactly once)."""
    assert text.count(piece) == 1, piece
    start = text.index(piece)
    return start, start + len(piece)


def spans(text: str) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.reason) for s in find_furniture(text)]


# ------------------------------------------------------------------------------------------------
# decode
# ------------------------------------------------------------------------------------------------
SAMPLE = "Café “quoted” – naïve\r\nsecond line\n"


@pytest.mark.parametrize(
    ("data", "text", "encoding", "note_has"),
    [
        (SAMPLE.encode("utf-8"), SAMPLE, "utf-8", None),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), SAMPLE, "utf-8-sig", None),
        (b"\xff\xfe" + SAMPLE.encode("utf-16-le"), SAMPLE, "utf-16-le", None),
        (b"\xfe\xff" + SAMPLE.encode("utf-16-be"), SAMPLE, "utf-16-be", None),
        (b"\xff\xfe\x00\x00" + SAMPLE.encode("utf-32-le"), SAMPLE, "utf-32", None),
        (b"\x00\x00\xfe\xff" + SAMPLE.encode("utf-32-be"), SAMPLE, "utf-32", None),
        (SAMPLE.encode("utf-16-le"), SAMPLE, "utf-16-le", "guessed UTF-16-LE from its NUL-byte pattern"),
        (SAMPLE.encode("utf-16-be"), SAMPLE, "utf-16-be", "guessed UTF-16-BE from its NUL-byte pattern"),
        (
            SAMPLE.encode("cp1252"),
            SAMPLE,
            "cp1252",
            "not valid UTF-8 (byte 0xE9 at offset 3); decoded as cp1252",
        ),
        # 0x81 is undefined in cp1252: only latin-1 decodes it.
        (b"abc \x81 \xe9", "abc \x81 \xe9", "latin-1", "not valid UTF-8 (byte 0x81 at offset 4) nor cp1252"),
        (
            b"\xef\xbb\xbfcaf\xe9",
            "café",
            "cp1252",
            "has a UTF-8 byte-order mark but is not valid UTF-8 (byte 0xE9 at offset 6); decoded as cp1252",
        ),
        # Kept exactly as decoded: decomposed accents and CR LF stay.
        ("Cafe\u0301\r\n".encode(), "Cafe\u0301\r\n", "utf-8", None),
        ("北京\n".encode(), "北京\n", "utf-8", None),
    ],
    ids=[
        "utf-8",
        "utf-8-bom",
        "utf-16-le-bom",
        "utf-16-be-bom",
        "utf-32-le-bom",
        "utf-32-be-bom",
        "utf-16-le-guessed",
        "utf-16-be-guessed",
        "cp1252-fallback",
        "latin-1-fallback",
        "bom-then-cp1252",
        "no-normalisation",
        "cjk-utf-8",
    ],
)
def test_decode(data: bytes, text: str, encoding: str, note_has: str | None) -> None:
    decoded = decode(data, "a.txt")
    assert decoded.text == text
    assert decoded.encoding == encoding
    if note_has is None:
        assert decoded.note is None
    else:
        assert decoded.note is not None and note_has in decoded.note


def test_bom_is_not_part_of_the_text_so_offsets_start_at_the_first_character() -> None:
    body = "Advertisement\n\nThe council met on Tuesday to approve the budget.\n"
    for data in (b"\xef\xbb\xbf" + body.encode(), b"\xff\xfe" + body.encode("utf-16-le")):
        decoded = decode(data, "a.txt")
        assert decoded.text == body
        assert spans(decoded.text) == [(0, len("Advertisement"), BOILERPLATE)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "a.txt: is empty; pass a file with text in it"),
        (b"\xef\xbb\xbf", "a.txt: is empty; pass a file with text in it"),
        (b" \n\t\r\n  ", "a.txt: is empty (only whitespace); pass a file with text in it"),
        ("\u3000\n\u00a0".encode(), "a.txt: is empty (only whitespace); pass a file with text in it"),
        (
            b"hello world\x00\x01\x02\x03binary",
            "a.txt: looks like a binary file (NUL bytes at offset 11), not text; pass a text file",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "a.txt: looks like a binary file (NUL bytes at offset 8), not text; pass a text file",
        ),
        (
            b"\xef\xbb\xbfabc\x00def",
            "a.txt: looks like a binary file (NUL bytes at offset 6), not text; pass a text file",
        ),
        (
            b"\xff\xfea\x00\x00\xd8",  # a lone high surrogate
            (
                "a.txt: starts with a UTF-16-LE byte-order mark but is not valid UTF-16-LE "
                "(unexpected end of data at offset 4); re-save it as UTF-8"
            ),
        ),
    ],
    ids=[
        "empty",
        "bom-only",
        "whitespace",
        "unicode-whitespace",
        "nul",
        "png",
        "nul-after-bom",
        "bad-utf-16",
    ],
)
def test_decode_errors(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        decode(data, "a.txt")
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_decoded_rejects_an_unknown_encoding() -> None:
    with pytest.raises(ValueError, match="not one of"):
        Decoded("x", "ebcdic")


@pytest.mark.parametrize(
    ("n_bytes", "text"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (1023, "1023 bytes"),
        (1024, "1 KB"),
        (1536, "1.5 KB"),
        (200 * 1024 * 1024, "200 MB"),
        (300 * 1024 * 1024, "300 MB"),
        (3 * 1024**3, "3 GB"),
    ],
)
def test_format_size(n_bytes: int, text: str) -> None:
    assert format_size(n_bytes) == text


# ------------------------------------------------------------------------------------------------
# read_input
# ------------------------------------------------------------------------------------------------
def test_read_input_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfThe council met.\n")
    assert read_input(str(path)) == Decoded("The council met.\n", "utf-8-sig", None)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "reference.txt"
    with pytest.raises(InputError) as caught:
        read_input(str(path))
    assert str(caught.value) == f"{path}: no such file; check the path"


def test_path_through_a_file_is_missing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    path = tmp_path / "a.txt" / "b.txt"
    with pytest.raises(InputError, match="no such file; check the path"):
        read_input(str(path))


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_input(str(tmp_path))
    assert str(caught.value) == f"{tmp_path}: is a directory; pass a file"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The council met.\n")
    path.chmod(0)
    try:
        with pytest.raises(InputError) as caught:
            read_input(str(path))
        assert str(caught.value) == f"{path}: permission denied; check the file's permissions"
    finally:
        path.chmod(0o600)


@pytest.mark.parametrize(
    ("size", "max_bytes", "message"),
    [
        (11, 10, "{p}: 11 bytes exceeds --max-bytes (10 bytes); raise --max-bytes or split the file"),
        (
            300 * 1024 * 1024,
            DEFAULT_MAX_BYTES,
            "{p}: 300 MB exceeds --max-bytes (10 MB); raise --max-bytes or split the file",
        ),
        (
            DEFAULT_MAX_BYTES + 1,
            DEFAULT_MAX_BYTES,
            "{p}: 10,485,761 bytes exceeds --max-bytes (10,485,760 bytes); raise --max-bytes or split the file",
        ),
    ],
    ids=["tiny", "300-mb", "one-byte-over"],
)
def test_file_too_large(tmp_path: Path, size: int, max_bytes: int, message: str) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as file:  # sparse: the size is known without writing 300 MB
        file.write(b"x")
        file.truncate(size)
    with pytest.raises(InputError) as caught:
        read_input(str(path), max_bytes=max_bytes)
    assert str(caught.value) == message.format(p=path)


def test_file_of_exactly_max_bytes_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"0123456789")
    assert read_input(str(path), max_bytes=10).text == "0123456789"


@pytest.mark.parametrize("max_bytes", [0, -5])
def test_max_bytes_must_be_positive(max_bytes: int) -> None:
    with pytest.raises(ConfigError, match=f"got {max_bytes}"):
        read_input("-", max_bytes=max_bytes, stdin=io.BytesIO(b"x"))


class _Trickle(io.RawIOBase):
    """A stream that hands out a few bytes per read, endlessly or up to ``limit``, counting them."""

    def __init__(self, limit: int | None = None, chunk: int = 3) -> None:
        self.limit, self.chunk, self.given = limit, chunk, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self.chunk)
        if self.limit is not None:
            n = min(n, self.limit - self.given)
        buffer[:n] = b"a" * n
        self.given += n
        return n


def test_stdin_is_read_in_pieces() -> None:
    stream = _Trickle(limit=10)
    assert read_input("-", stdin=stream).text == "a" * 10  # type: ignore[arg-type]


def test_stdin_defaults_to_sys_stdin_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO("The council met.\n".encode("utf-16")))
    monkeypatch.setattr(sys, "stdin", fake)
    assert read_input("-") == Decoded("The council met.\n", "utf-16-le", None)


def test_stdin_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(InputError) as caught:
        read_input("-")
    assert str(caught.value) == "<stdin>: no standard input is available; pass a file path instead of '-'"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "<stdin>: is empty; pass a file with text in it"),
        (
            b"\x00\x01\x02\x03",
            "<stdin>: looks like a binary file (NUL bytes at offset 0), not text; pass a text file",
        ),
    ],
)
def test_stdin_errors_name_stdin(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_input("-", stdin=io.BytesIO(data))
    assert str(caught.value) == message


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_endless_device_is_read_only_up_to_max_bytes() -> None:
    with pytest.raises(InputError) as caught:
        read_input("/dev/zero", max_bytes=1000)
    assert str(caught.value) == (
        "/dev/zero: more than --max-bytes (1000 bytes); raise --max-bytes or split the input"
    )


def test_endless_stdin_is_read_only_up_to_max_bytes_plus_one() -> None:
    stream = _Trickle(chunk=1 << 16)
    with pytest.raises(InputError) as caught:
        read_input("-", max_bytes=100_000, stdin=stream)  # type: ignore[arg-type]
    assert (
        str(caught.value) == "<stdin>: more than --max-bytes (97.7 KB); raise --max-bytes or split the input"
    )
    assert stream.given == 100_001


# ------------------------------------------------------------------------------------------------
# furniture: each kind, exact spans
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "caption",
    [
        "In this photo illustration, a phone screen shows the company's logo in Berlin on March 3.",
        "In this photo, volunteers clear debris from a street after the storm.",
        "In this handout photo released by the ministry, a ship leaves the harbour.",
        "In this undated file photo, the old bridge is seen from the river bank.",
        "In this image made from video, firefighters work near the station.",
        "This photo taken on May 2 shows workers at the port.",
        "(Photo: Xinhua)",
        "Photo: Maria Lopez for The Daily Courier",
        "Photograph: Jan Novak/Reuters",
        "Image: courtesy of the city museum",
        "Pictured: the new library building on opening day.",
        "Photo credit: City Hall",
        "Firefighters work near the station on Sunday. Kevin Dietsch/Getty Images",
        "A worker inspects the line. REUTERS/Jane Doe",
        "Crowds gather at the square (AP Photo/Andy Wong)",
        "The mayor speaks to reporters (Photo by Sam Reed/AFP)",
        "The mayor at city hall. AFP via Getty Images",
        "The new bridge at dusk. Photo: Getty Images",
        "Voters queue outside a school in the capital [Photo: Al Jazeera]",
    ],
)
def test_caption_line_is_set_aside(caption: str) -> None:
    text = BODY + "\n" + caption + "\n\n" + BODY
    assert spans(text) == [(*span_of(text, caption), CAPTION)]


def test_wrapped_caption_takes_its_lowercase_continuation() -> None:
    caption = "In this photo taken on May 3, workers repair\na road near the old port."
    text = BODY + "\n" + caption + "\nThe repairs will take a month, the city said.\n"
    assert spans(text) == [(*span_of(text, caption), CAPTION)]


def test_caption_does_not_continue_past_a_blank_line() -> None:
    caption = "Photo: City Hall archive"
    text = BODY + "\n" + caption + "\n\nmembers of the public may visit the archive on weekdays.\n"
    assert spans(text) == [(*span_of(text, caption), CAPTION)]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Visited 1 times, 1 visit(s) today", COUNTER),
        ("1,234 views", COUNTER),
        ("Views: 5.2K", COUNTER),
        ("Advertisement", BOILERPLATE),
        ("ADVERTISEMENT", BOILERPLATE),
        ("Share this article", BOILERPLATE),
        ("Share on Facebook", BOILERPLATE),
        ("Click here to subscribe", BOILERPLATE),
        ("Story continues below advertisement", BOILERPLATE),
        ("Sign up for our daily newsletter!", BOILERPLATE),
    ],
)
def test_counter_and_boilerplate_lines(line: str, reason: str) -> None:
    text = BODY + "\n  " + line + "  \n\n" + BODY  # surrounding whitespace is trimmed off the span
    assert spans(text) == [(*span_of(text, line), reason)]


def test_adjacent_lines_with_one_reason_are_one_span() -> None:
    text = BODY + "\nAdvertisement\n\nShare this article\n\n" + BODY
    start = text.index("Advertisement")
    end = text.index("Share this article") + len("Share this article")
    assert spans(text) == [(start, end, BOILERPLATE)]


@pytest.mark.parametrize(
    "heading",
    [
        "Related Article",
        "Related Articles",
        "RELATED:",
        "Read also:",
        "Read more:",
        "See also",
        "More from Business",
        "You may also like",
        "Recommended",
        "Most read",
        "Trending now",
        "Related stories \u203a",
    ],
)
def test_related_articles_tail(heading: str) -> None:
    teasers = "- Storm damage closes the coast road\n- Harbour festival draws record crowds\n"
    text = BODY + "\n" + heading + "\n" + teasers + "\n\n"
    start = text.index(heading)
    assert spans(text) == [(start, len(text.rstrip()), f"related-articles tail (from '{heading}')")]


def test_tail_swallows_furniture_after_it_and_keeps_what_came_before() -> None:
    text = (
        BODY
        + "\nVisited 1 times, 1 visit(s) today\n\nRelated Article\n\nA teaser headline\n\n"
        + CHINESE_PARAGRAPH
        + "\n\nAdvertisement\n"
    )
    assert spans(text) == [
        (*span_of(text, "Visited 1 times, 1 visit(s) today"), COUNTER),
        (text.index("Related Article"), len(text.rstrip()), "related-articles tail (from 'Related Article')"),
    ]


def test_heading_early_in_the_text_does_not_start_a_tail() -> None:
    text = "The council met on Tuesday.\nRelated:\n" + BODY + BODY
    assert spans(text) == []


@pytest.mark.parametrize(
    ("text", "block", "reason"),
    [
        (BODY + "\n" + CHINESE_PARAGRAPH + "\n\n" + BODY, CHINESE_PARAGRAPH, HAN_IN_LATIN),
        (
            BODY * 2 + "\n" + CHINESE_PARAGRAPH + "\n\n" + CHINESE_PARAGRAPH[:20] + "\n\n" + BODY * 2,
            CHINESE_PARAGRAPH + "\n\n" + CHINESE_PARAGRAPH[:20],
            HAN_IN_LATIN,
        ),
        (
            BODY + "\nГородской совет во вторник утвердил новый бюджет после долгих споров.\n" + BODY,
            "Городской совет во вторник утвердил новый бюджет после долгих споров.",
            "block in another script (Cyrillic) than the document (Latin)",
        ),
        (
            "\n".join([CHINESE_PARAGRAPH] * 4) + "\n" + ENGLISH_PARAGRAPH + "\n" + CHINESE_PARAGRAPH,
            ENGLISH_PARAGRAPH,
            "block in another script (Latin) than the document (Han)",
        ),
    ],
    ids=["han-in-english", "adjacent-lines-join", "cyrillic-in-english", "english-in-chinese"],
)
def test_block_in_another_script(text: str, block: str, reason: str) -> None:
    assert spans(text) == [(*span_of(text, block), reason)]


@pytest.mark.parametrize(
    "text",
    [
        # a few foreign words inside English sentences
        BODY + "\nThe slogan 为人民服务 (serve the people) was painted on the wall of the old hall.\n" + BODY,
        BODY + "\nThe paper, 经济观察报, reported the figure first, citing two officials.\n" + BODY,
        # a short foreign line is too little to be a block
        BODY + "\n北京\n" + BODY,
        # a document entirely in another script is just that script
        "\n\n".join([CHINESE_PARAGRAPH] * 5),
        # Chinese with Latin names inline
        f"{CHINESE_PARAGRAPH}\nTikTok首席执行官周受资周二表示，公司将继续在美国运营。\n{CHINESE_PARAGRAPH}",
        # a bilingual document: neither script dominates enough to single out the other
        "\n".join([ENGLISH_PARAGRAPH, CHINESE_PARAGRAPH] * 3),
        # Japanese kana and kanji are one script family
        "東京都は火曜日に新しい予算を承認した。\nしかし、ながいぎろんのあとで、さいしゅうてきにけっていされました。\n",
    ],
    ids=[
        "inline-han",
        "inline-name",
        "short-line",
        "all-chinese",
        "latin-names-in-chinese",
        "bilingual",
        "japanese",
    ],
)
def test_not_a_block_in_another_script(text: str) -> None:
    assert spans(text) == []


# Ordinary news prose that mentions the furniture's words: none of it may be set aside.
PROSE = [
    "The photo of the summit, published by state media, drew wide attention.",
    "In this picture of the economy, inflation is the villain, the minister said.",
    "In this photograph-heavy era, newspapers still print long essays.",
    "Officials said the two cases were not related.",
    "Related talks will continue next week in Geneva, the ministry said.",
    "His views on trade have hardened, he told Reuters.",
    "Shares of the company fell 3% on Friday after the report.",
    "The agency told AFP that it would review the image before publishing it.",
    "Read more about the plan in the ministry's statement, she said.",
    "Advertisement revenue rose 12% in the quarter.",
    "Image is everything in politics, the consultant said.",
    "Support for the plan stood at 41%, according to Reuters/Ipsos",
    "Most voters backed the measure, an AP/NORC poll found",
    "The app's recommended videos are chosen by an algorithm.",
    "Trending topics on social media included the vote.",
    "More than 1,234 views were recorded on the first day.",
    "BEIJING (Reuters) - China said on Monday it would cut tariffs on some goods.",
    "The ministry confirmed the figures on Sunday. (AFP)",
    "Share prices rose after the announcement.",
    "Pictures of the flood spread quickly online.",
    "See the full schedule below.",
    "She sold the rights to Getty Images.",
    "Visitors can click here and there on the interactive map.",
    "Recommended reading lists were sent to every school in the district.",
]


def test_no_false_positives_on_ordinary_news_prose() -> None:
    text = "\n\n".join(PROSE) + "\n"
    assert spans(text) == []
    one_line_each = "\n".join(PROSE)
    assert spans(one_line_each) == []


def test_nothing_in_an_empty_or_blank_text() -> None:
    assert find_furniture("") == ()
    assert find_furniture(" \n\n\t") == ()


def test_other_line_breaks_separate_lines() -> None:
    text = BODY + "\r\nAdvertisement\u2028" + BODY.replace("\n", "\r\n")
    assert spans(text) == [(*span_of(text, "Advertisement"), BOILERPLATE)]


# ------------------------------------------------------------------------------------------------
# body_regions
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("length", "set_aside", "regions"),
    [
        (10, [], [(0, 10)]),
        (0, [], []),
        (10, [(0, 10)], []),
        (10, [(0, 3)], [(3, 10)]),
        (10, [(7, 10)], [(0, 7)]),
        (10, [(2, 4), (6, 8)], [(0, 2), (4, 6), (8, 10)]),
        (10, [(6, 8), (2, 4)], [(0, 2), (4, 6), (8, 10)]),
        (10, [(2, 6), (4, 8)], [(0, 2), (8, 10)]),
        (10, [(2, 4), (4, 8)], [(0, 2), (8, 10)]),
        (10, [(3, 3)], [(0, 3), (3, 10)]),
    ],
    ids=[
        "none",
        "empty-text",
        "all",
        "head",
        "end",
        "two",
        "unordered",
        "overlapping",
        "touching",
        "empty-span",
    ],
)
def test_body_regions(length: int, set_aside: list[tuple[int, int]], regions: list[tuple[int, int]]) -> None:
    assert body_regions("x" * length, [SetAside(a, b, "r") for a, b in set_aside]) == regions


def test_body_regions_rejects_a_span_past_the_end() -> None:
    with pytest.raises(ValueError, match="beyond text length 5"):
        body_regions("short", [SetAside(2, 9, "r")])


# ------------------------------------------------------------------------------------------------
# properties
# ------------------------------------------------------------------------------------------------
FRAGMENTS = [
    "In this photo, a crowd.",
    "Photo: Reuters",
    "Advertisement",
    "1,234 views",
    "Visited 1 times, 1 visit(s) today",
    "Related Articles",
    "Read also:",
    "The council met.",
    "a wrapped continuation",
    CHINESE_PARAGRAPH,
    "Городской совет утвердил бюджет после долгих споров.",
    "Kevin Dietsch/Getty Images",
    "北京",
    "",
]
SEPARATORS = ["\n", "\n\n", " ", "\r\n", "\u2028", "\t\n  \n", ""]


@st.composite
def furniture_texts(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)),
            max_size=25,
        )
    )
    return "".join(part + draw(st.sampled_from(SEPARATORS)) for part in parts)


@settings(max_examples=300, deadline=None)
@given(furniture_texts())
def test_spans_are_ordered_trimmed_and_complemented_exactly(text: str) -> None:
    found = find_furniture(text)
    previous_end = 0
    for span in found:
        assert previous_end <= span.start < span.end <= len(text)
        piece = text[span.start : span.end]
        assert piece == piece.strip()
        assert span.reason
        previous_end = span.end
    regions = body_regions(text, found)
    pieces = sorted([(a, b) for a, b in regions] + [(s.start, s.end) for s in found])
    position = 0
    for start, end in pieces:
        assert start == position and end > start
        position = end
    assert position == len(text)
    assert all(text[a:b].strip() == text[a:b].strip() for a, b in regions)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_decode_either_decodes_or_raises_input_error(data: bytes) -> None:
    try:
        decoded = decode(data, "a.txt")
    except InputError as error:
        assert str(error).startswith("a.txt: ") and "\n" not in str(error)
    else:
        assert decoded.text.strip()
        assert decoded.encoding in ingest.ENCODINGS


# ------------------------------------------------------------------------------------------------
# real data (read only, skipped where ../shared is absent)
# ------------------------------------------------------------------------------------------------
def test_seed_001_caption_counter_and_tail() -> None:
    text = read_input(str(seed_path("001"))).text
    found = find_furniture(text)
    assert [s.reason for s in found] == [CAPTION, COUNTER, "related-articles tail (from 'Related Article')"]
    assert text[found[0].start :].startswith("In this photo illustration")
    assert found[-1].end == len(text.rstrip())
    assert text[found[1].end : found[2].start].strip() == ""  # from the counter on, all of it


def test_seed_002_read_also_tail() -> None:
    text = read_input(str(seed_path("002"))).text
    found = find_furniture(text)
    assert [s.reason for s in found] == ["related-articles tail (from 'Read also:')"]
    assert found[0].end == len(text.rstrip())


@pytest.mark.parametrize("number", ["000", "003", "004"])
def test_clean_seeds_lose_nothing(number: str) -> None:
    assert find_furniture(read_input(str(seed_path(number))).text) == ()


def test_dev_set_texts_are_clean() -> None:
    files = sorted(EVAL_DEV.glob("*.jsonl")) if EVAL_DEV.is_dir() else []
    if not files:
        pytest.skip(f"evaluation data not found at {EVAL_DEV}")
    hits = []
    for path in files:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                for side in ("reference", "candidate"):
                    if isinstance(record.get(side), str) and find_furniture(record[side]):
                        hits.append((record["id"], side))
    assert hits == []


# ------------------------------------------------------------------------------------------------
# speed
# ------------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_fifty_megabytes_cost_a_few_rule_calls_per_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work, counted (growth in time is in benchmarks/): over 50 MB every rule looks at each
    line at most once, so the pass stays linear however long the text."""
    from collections import Counter

    from diag import ingest

    unit = "\n\n".join(
        [BODY] * 10
        + [
            "In this photo illustration, a logo is shown on a phone.",
            CHINESE_PARAGRAPH,
            "Advertisement",
            "1,234 views",
            "A worker inspects the line. REUTERS/Jane Doe",
        ]
    )
    text = (unit * (50_000_000 // len(unit) + 1))[:50_000_000]
    calls: Counter[str] = Counter()
    for name in ("_line_reason", "_is_caption", "_continues_caption", "_emit_block"):
        original = getattr(ingest, name)

        def counted(*args, _original=original, _name=name):  # type: ignore[no-untyped-def]
            calls[_name] += 1
            return _original(*args)

        monkeypatch.setattr(ingest, name, counted)
    found = find_furniture(text)
    lines = sum(1 for line in text.splitlines() if line.strip())
    assert len(found) > 10_000
    assert set(calls) >= {"_line_reason", "_is_caption", "_emit_block"}
    assert all(n <= lines for n in calls.values()), (calls, lines)
