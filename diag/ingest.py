"""Read and decode an input text, and find the page furniture to set aside.

This is the edge of the pipeline where bytes come in. ``read_input`` reads a file
(or standard input for ``"-"``) with bounded memory and ``decode`` turns the bytes
into text, saying in ``Decoded.note`` when it had to fall back or guess.
``find_furniture`` then looks for text that a scraped web page carries but the
article does not (photo captions, view counters, share buttons, a related-articles
tail, a block in another script) and returns it as ``SetAside`` spans with a
reason, so nothing is dropped silently; ``body_regions`` is the complement.

The furniture rules are deliberately conservative: a false positive removes real
article text from the comparison, a false negative only leaves some noise in it.
Every rule works on whole lines (a line is the unit scrapers emit for a paragraph),
and all of them together run in time linear in the length of the text.

Every problem with an input is an ``InputError`` whose one-line message names the
input and says what to do; the message templates are the ``MSG_*`` constants below,
so callers and tests can rely on their exact wording.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from diag.errors import ConfigError, InputError
from diag.model import SetAside

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ENCODINGS",
    "STDIN_NAME",
    "Decoded",
    "body_regions",
    "decode",
    "find_furniture",
    "format_size",
    "read_input",
]

#: Inputs larger than this many bytes are refused (the CLI's ``--max-bytes`` default).
#: Reading is cheap, the analysis less so: a 10 MB prose document against itself peaks near
#: 600 MB (about 30 bytes of memory per input byte, the interpreter included) and takes one
#: to two minutes of CPU, so the default keeps a run within the memory and time of a CI job.
#: Raise it with ``--max-bytes`` for larger texts on a larger machine (benchmarks/ B5).
DEFAULT_MAX_BYTES: int = 10 * 1024 * 1024
#: How standard input is named in messages.
STDIN_NAME = "<stdin>"
#: Every value ``Decoded.encoding`` can take.
ENCODINGS: tuple[str, ...] = ("utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1")

# --- messages: one line each, "<name>: what is wrong; what to do" -------------------------------
MSG_NOT_FOUND = "{name}: no such file; check the path"
MSG_IS_DIRECTORY = "{name}: is a directory; pass a file"
MSG_PERMISSION = "{name}: permission denied; check the file's permissions"
MSG_UNREADABLE = "{name}: cannot be read ({reason}); check the file"
MSG_NO_STDIN = "{name}: no standard input is available; pass a file path instead of '-'"
MSG_TOO_LARGE = "{name}: {size} exceeds --max-bytes ({limit}); raise --max-bytes or split the file"
MSG_TOO_LARGE_STREAM = "{name}: more than --max-bytes ({limit}); raise --max-bytes or split the input"
MSG_BINARY = "{name}: looks like a binary file (NUL bytes at offset {offset}), not text; pass a text file"
MSG_EMPTY = "{name}: is empty; pass a file with text in it"
MSG_WHITESPACE_ONLY = "{name}: is empty (only whitespace); pass a file with text in it"
MSG_BAD_BOM_TEXT = (
    "{name}: starts with a {encoding} byte-order mark but is not valid {encoding} ({detail}); "
    "re-save it as UTF-8"
)
MSG_BAD_MAX_BYTES = "--max-bytes must be a positive number of bytes, got {max_bytes}"

# --- notes on Decoded ------------------------------------------------------------------------------
NOTE_CP1252 = "not valid UTF-8 ({detail}); decoded as cp1252"
NOTE_LATIN1 = "not valid UTF-8 ({detail}) nor cp1252; decoded as latin-1"
NOTE_UTF16_GUESS = "no byte-order mark; guessed {encoding} from its NUL-byte pattern"
NOTE_BOM_FALLBACK = "has a UTF-8 byte-order mark but is not valid UTF-8 ({detail}); decoded as {encoding}"

# --- furniture reasons -----------------------------------------------------------------------------
REASON_CAPTION = "photo caption"
REASON_VIEW_COUNTER = "view counter"
REASON_BOILERPLATE = "page boilerplate"
REASON_TAIL = "related-articles tail (from '{heading}')"
REASON_SCRIPT = "block in another script ({block}) than the document ({document})"

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian mark starts with the UTF-16 one.
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_READ_CHUNK = 1 << 20
_SNIFF_BYTES = 1 << 16
# UTF-16 guess: at least this share of the high (or low) bytes are NUL ...
_UTF16_MIN_NUL_SHARE = 0.1
# ... and the other half of the byte pairs has at most this many NULs per NUL in the first.
_UTF16_MAX_STRAY_NULS = 0.05
# A guessed UTF-16 text with more C0 control characters than this share is binary after all.
_MAX_CONTROL_SHARE = 0.01
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Decoded:
    """An input decoded to text.

    ``text`` is exactly what the bytes decode to (no newline or Unicode
    normalisation; a byte-order mark is not part of it). ``note`` says when the
    encoding was a fallback or a guess rather than certain.
    """

    text: str
    encoding: str
    note: str | None = None

    def __post_init__(self) -> None:
        if self.encoding not in ENCODINGS:
            raise ValueError(f"Decoded: encoding {self.encoding!r} not one of {ENCODINGS}")


def format_size(n_bytes: int) -> str:
    """``300 MB``, ``12.5 KB``, ``17 bytes``: sizes in messages (binary units)."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n_bytes >= scale:
            value = f"{n_bytes / scale:.1f}".removesuffix(".0")
            return f"{value} {unit}"
    return "1 byte" if n_bytes == 1 else f"{n_bytes} bytes"


def _too_large(name: str, size: int, limit: int) -> InputError:
    size_text, limit_text = format_size(size), format_size(limit)
    if size_text == limit_text:  # "200 MB exceeds (200 MB)" would not explain anything
        size_text, limit_text = f"{size:,} bytes", f"{limit:,} bytes"
    return InputError(MSG_TOO_LARGE.format(name=name, size=size_text, limit=limit_text))


def _binary(name: str, offset: int) -> InputError:
    return InputError(MSG_BINARY.format(name=name, offset=offset))


def _utf8_detail(error: UnicodeDecodeError, offset: int = 0) -> str:
    return f"byte 0x{error.object[error.start]:02X} at offset {error.start + offset}"


def _guess_utf16(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when the NUL bytes sit in every other byte, else None."""
    if len(data) < 2 or len(data) % 2:
        return None
    sample = data[:_SNIFF_BYTES]
    half = len(sample) // 2
    nul_low, nul_high = sample[0::2].count(0), sample[1::2].count(0)
    if nul_high >= half * _UTF16_MIN_NUL_SHARE and nul_low <= nul_high * _UTF16_MAX_STRAY_NULS:
        return "utf-16-le"  # "A\0B\0": the high byte of ASCII characters is NUL
    if nul_low >= half * _UTF16_MIN_NUL_SHARE and nul_high <= nul_low * _UTF16_MAX_STRAY_NULS:
        return "utf-16-be"
    return None


def _looks_like_text(text: str) -> bool:
    controls = _CONTROL_RE.findall(text, 0, _SNIFF_BYTES)
    return "\x00" not in controls and len(controls) <= _MAX_CONTROL_SHARE * min(len(text), _SNIFF_BYTES)


def _decode_fallback(data: bytes, offset: int, bom_note: bool) -> Decoded:
    """Strict UTF-8, else cp1252, else latin-1 (which decodes any byte)."""
    try:
        return Decoded(data.decode("utf-8"), "utf-8-sig" if bom_note else "utf-8")
    except UnicodeDecodeError as error:
        detail = _utf8_detail(error, offset)
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    if bom_note:
        note = NOTE_BOM_FALLBACK.format(detail=detail, encoding=encoding)
    else:
        note = (NOTE_CP1252 if encoding == "cp1252" else NOTE_LATIN1).format(detail=detail)
    return Decoded(text, encoding, note)


def _decode_bytes(data: bytes, name: str) -> Decoded:
    for bom, encoding in _BOMS:
        if not data.startswith(bom):
            continue
        if encoding == "utf-8-sig":
            decoded = _decode_fallback(data[len(bom) :], len(bom), bom_note=True)
        else:
            codec = encoding if encoding == "utf-32" else "utf-16"  # these strip the mark themselves
            try:
                decoded = Decoded(data.decode(codec), encoding)
            except UnicodeDecodeError as error:
                detail = f"{error.reason} at offset {error.start}"
                raise InputError(
                    MSG_BAD_BOM_TEXT.format(name=name, encoding=encoding.upper(), detail=detail)
                ) from None
        nul = decoded.text.find("\x00")
        if nul >= 0:
            codec = "utf-8" if decoded.encoding == "utf-8-sig" else decoded.encoding
            prefix = decoded.text[:nul].encode(codec.replace("utf-32", "utf-32-le"))
            raise _binary(name, len(bom) + len(prefix))
        return decoded

    first_nul = data.find(b"\x00")
    if first_nul < 0:
        return _decode_fallback(data, 0, bom_note=False)
    guess = _guess_utf16(data)
    if guess is not None:
        try:
            text = data.decode(guess)
        except UnicodeDecodeError:
            pass
        else:
            if _looks_like_text(text):
                return Decoded(text, guess, NOTE_UTF16_GUESS.format(encoding=guess.upper()))
    raise _binary(name, first_nul)


def decode(data: bytes, name: str) -> Decoded:
    """Decode the bytes of one input.

    A byte-order mark decides UTF-8, UTF-16 (LE/BE) or UTF-32; without one, NUL
    bytes in every other byte mean UTF-16 (a guess, said in ``note``) and NUL bytes
    otherwise mean a binary file. Other input is strict UTF-8, else cp1252, else
    latin-1, with a ``note`` when it is not UTF-8.

    Args:
        data: the raw bytes.
        name: how to name the input in error messages (a path, or ``<stdin>``).

    Returns:
        The text, the encoding used, and a note when it was a fallback or a guess.

    Raises:
        InputError: the input is empty, whitespace only, binary, or has a UTF-16/32
            byte-order mark but does not decode.
    """
    if not data:
        raise InputError(MSG_EMPTY.format(name=name))
    decoded = _decode_bytes(data, name)
    if not decoded.text:
        raise InputError(MSG_EMPTY.format(name=name))
    if not decoded.text.strip():
        raise InputError(MSG_WHITESPACE_ONLY.format(name=name))
    return decoded


def _read_bounded(stream: BinaryIO, limit: int) -> bytes:
    """At most ``limit`` bytes, read in chunks so a small input never allocates ``limit``."""
    buffer = bytearray()
    while len(buffer) < limit:
        chunk = stream.read(min(_READ_CHUNK, limit - len(buffer)))
        if not chunk:
            break
        buffer += chunk
    return bytes(buffer)


def read_input(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES, stdin: BinaryIO | None = None) -> Decoded:
    """Read and decode one input file, or standard input when ``path`` is ``"-"``.

    Reads at most ``max_bytes + 1`` bytes, so memory stays bounded whatever the
    input (a device, a pipe that never ends).

    Args:
        path: a file path, or ``"-"`` for standard input.
        max_bytes: the largest input accepted, in bytes.
        stdin: the stream to read for ``"-"``; ``sys.stdin.buffer`` when None.

    Returns:
        The decoded input (see ``decode``).

    Raises:
        InputError: the file is missing, a directory, unreadable, too large, or
            cannot be decoded into non-empty text.
        ConfigError: ``max_bytes`` is not positive.
    """
    if max_bytes < 1:
        raise ConfigError(MSG_BAD_MAX_BYTES.format(max_bytes=max_bytes))
    if path == "-":
        name = STDIN_NAME
        stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise InputError(MSG_NO_STDIN.format(name=name))
        try:
            data = _read_bounded(stream, max_bytes + 1)
        except OSError as error:
            raise InputError(MSG_UNREADABLE.format(name=name, reason=error.strerror or error)) from None
        if len(data) > max_bytes:
            raise InputError(MSG_TOO_LARGE_STREAM.format(name=name, limit=format_size(max_bytes)))
        return decode(data, name)

    name = path
    try:
        with open(path, "rb") as file:
            info = os.fstat(file.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise InputError(MSG_IS_DIRECTORY.format(name=name))
            if not stat.S_ISREG(info.st_mode):  # a pipe or a device: no size to trust
                data = _read_bounded(file, max_bytes + 1)
            elif info.st_size > max_bytes:
                raise _too_large(name, info.st_size, max_bytes)
            else:
                data = file.read(info.st_size + 1)  # one allocation; the extra byte notices growth
                if len(data) > info.st_size:
                    data += _read_bounded(file, max_bytes + 1 - len(data))
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(MSG_NOT_FOUND.format(name=name)) from None
    except IsADirectoryError:
        raise InputError(MSG_IS_DIRECTORY.format(name=name)) from None
    except PermissionError:
        if os.path.isdir(path):  # Windows refuses to open a directory with EACCES
            raise InputError(MSG_IS_DIRECTORY.format(name=name)) from None
        raise InputError(MSG_PERMISSION.format(name=name)) from None
    except OSError as error:
        raise InputError(MSG_UNREADABLE.format(name=name, reason=error.strerror or error)) from None
    if len(data) > max_bytes:
        if stat.S_ISREG(info.st_mode):  # it grew while we read it
            raise _too_large(name, len(data), max_bytes)
        raise InputError(MSG_TOO_LARGE_STREAM.format(name=name, limit=format_size(max_bytes)))
    return decode(data, name)


# ==================================================================================================
# Page furniture
# ==================================================================================================

# Line breaks exactly as ``str.splitlines`` sees them.
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAK_RE = re.compile(rf"\r\n|[{_BREAKS}]")
# A non-blank line without its surrounding whitespace: found in C, blank lines never reach Python.
_CONTENT_LINE_RE = re.compile(rf"\S(?:[^{_BREAKS}]*\S)?")

# Counters, buttons and headings are lines of _MIN_RULE_CHARS ("Share") to _SHORT_LINE characters.
_MIN_RULE_CHARS = 5
_SHORT_LINE = 80
_CAPTION_MAX_CHARS = 400
_CREDIT_LINE_MAX_CHARS = 300
_CREDIT_WINDOW = 160
_HEADING_MAX_CHARS = 60
#: A related-articles heading only starts a tail after this share of the text, so that an
#: "Related:" box in the middle of an article cannot take the rest of the article with it.
TAIL_MIN_FRACTION = 0.3

_CAPTION_START_RE = re.compile(
    r"""
    (?:
        in\ this\ (?:[\w-]+\ ){0,3}?
            (?:photo(?:graph)?|image|handout|screen\ ?grab|video\ grab|file\ photo)s?
            (?=[\s,.:;]|$)
      | this\ (?:[\w-]+\ ){0,2}?(?:photo(?:graph)?|image|picture)
            \ (?:taken|released|provided|obtained|distributed)\b
      | [(\[]?\s*
        (?:photo(?:graph)?s?|images?|pictured|photo\ credit|image\ credit|image\ source
           |file\ photo|photographer)
        \s*[:\uff1a]
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)

_AGENCY = (
    r"(?:Getty\ Images|AFP|Reuters|REUTERS|AP|Associated\ Press|EPA(?:-EFE)?|EFE|Bloomberg|Xinhua"
    r"|Shutterstock|Alamy|Imaginechina|Kyodo|Yonhap|Anadolu(?:\ Agency)?|NurPhoto|SOPA\ Images"
    r"|Sipa(?:\ USA)?|ZUMA(?:\ Press)?|PA\ (?:Images|Wire)|TASS|Sputnik|UPI|dpa|VCG|Visual\ China\ Group"
    r"|AP\ Photo|AFP\ Photo|Reuters\ Photo|Xinhua\ Photo)"
)
# A photographer: two to four capitalised words, so that "Reuters/Ipsos" or "AP/NORC" (polls) is
# not taken for a credit.
_PHOTOGRAPHER = r"[A-Z][\w.'\u2019-]*(?:\ [A-Z][\w.'\u2019-]*){1,3}"
# A credit at the very end of a short line. A bare "(AFP)" or ". Reuters" is left out on
# purpose: news briefs end their last real paragraph that way to name the wire service.
_CREDIT_END_RE = re.compile(
    rf"""
    (?:
        [(\[]\s*(?i:(?:(?:file\ )?photo(?:graph)?|image|picture|credit)s?(?:\ credit)?\s*[:\uff1a]|photo\ by\ |\u00a9)
            [^()\[\]]{{1,80}}[)\]]
      | [(\[]\s*(?:{_PHOTOGRAPHER}|{_AGENCY})\s*/\s*{_AGENCY}\s*[)\]]
      | [(\[]\s*{_AGENCY}\s*/\s*{_PHOTOGRAPHER}\s*[)\]]
      | (?<!\S)(?:{_PHOTOGRAPHER}|{_AGENCY})\s*/\s*{_AGENCY}
      | (?<!\S){_AGENCY}\s*/\s*{_PHOTOGRAPHER}
      | Getty\ Images
      | [.!?]["\u201d\u2019]?\s+(?i:photo(?:graph)?|image|picture|photo\ credit|photographer)s?\s*[:\uff1a]
            \s*[^.!?:\uff1a]{{1,80}}
    )
    \s*$
    """,
    re.VERBOSE,
)

_VIEW_COUNTER = r"""
    visited\ [\d,]+\ times?(?:\s*,\s*[\d,]+\ visits?(?:\s*\(s\))?\ today)?
  | [\d][\d.,]*\s*[km]?\ (?:views|page\ ?views|reads|shares)
  | (?:views|page\ ?views|reads|shares)\s*[:\uff1a]\s*\d[\d.,]*\s*[km]?
"""
_BOILERPLATE = r"""
    advertisements?|skip\ advert(?:isement)?|story\ continues\ below(?:\ (?:this\ )?advertisement)?
  | continue\ reading(?:\ below)?|scroll\ to\ continue(?:\ with\ content)?
  | share(?:\ (?:this|the)\ (?:article|story|post|page))?
  | share\ (?:on|via)\ (?:facebook|twitter|x|whatsapp|linkedin|telegram|e-?mail)
  | (?:click|tap)\ here\ to\ (?:subscribe|sign\ up|register|log\ ?in|read\ more|continue\ reading
        |read\ the\ full\ (?:article|story)|download\ (?:the|our)\ app|follow\ us|join\ (?:us|now))
  | (?:subscribe|sign\ up)\ (?:to|for)\ (?:our|the)\ (?:\w+\ )?newsletters?
"""
# A whole short line that is a counter or a button, trailing punctuation allowed.
_SHORT_LINE_RE = re.compile(
    rf"(?:(?P<counter>{_VIEW_COUNTER})|(?P<boilerplate>{_BOILERPLATE}))[\s.!:\uff1a]*",
    re.IGNORECASE | re.VERBOSE,
)

_TAIL_HEADING_RE = re.compile(
    r"""
    (?:
        related(?:\ (?:articles?|stories|story|news|content|coverage|posts?|reading|links|topics))?
      | read\ (?:also|more)|also\ read|see\ also|further\ reading
      | more\ from(?:\ [\w&.'\u2019-]+){1,4}
      | more\ (?:stories|news|on\ this\ story)
      | you\ (?:may|might)\ also\ (?:like|be\ interested\ in)
      | recommended(?:\ (?:for\ you|stories|articles|reading))?
      | most\ (?:read|popular|viewed)
      | trending(?:\ now)?
      | editor[\u2019']?s\ picks
    )
    \s*[:\uff1a\-\u2013\u2014\u00bb\u203a>]*
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Cheap tests that rule a line out before a regex runs (tests check every example passes them).
# A credit has a slash, a colon or a closing bracket near the end of its line, or is Getty's.
_CREDIT_HINT_RE = re.compile(r"[/:\uff1a)\]]")
_SHORT_LINE_FIRST = frozenset("0123456789aAcCpPrRsStTvV")
_CAPTION_FIRST = frozenset("([fFiIpPtT")
_HEADING_FIRST = frozenset("aAeEfFmMrRsStTyY")


def _is_paragraph_break(gap: str) -> bool:
    """Whether the whitespace between two lines holds a blank line (two line breaks or more)."""
    if gap == "\n" or gap == "\r\n":
        return False
    breaks = _LINE_BREAK_RE.search(gap)
    return breaks is not None and _LINE_BREAK_RE.search(gap, breaks.end()) is not None


def _line_reason(text: str, start: int, end: int) -> str | None:
    """The reason the short line ``text[start:end]`` is a counter or a button, if it is one."""
    if text[start] not in _SHORT_LINE_FIRST:
        return None
    match = _SHORT_LINE_RE.fullmatch(text, start, end)
    if match is None:
        return None
    return REASON_VIEW_COUNTER if match.group("counter") is not None else REASON_BOILERPLATE


def _is_caption(text: str, start: int, end: int) -> bool:
    if text[start] in _CAPTION_FIRST and _CAPTION_START_RE.match(text, start, end):
        return True
    if end - start > _CREDIT_LINE_MAX_CHARS:
        return False
    window = max(start, end - _CREDIT_WINDOW)
    if _CREDIT_HINT_RE.search(text, window, end) is None and text.find("Getty Images", window, end) < 0:
        return False
    return _CREDIT_END_RE.search(text, window, end) is not None


def _continues_caption(text: str, previous_end: int, start: int) -> bool:
    """Whether the line at ``start`` wraps on the caption line that ends at ``previous_end``."""
    return (
        text[start].islower()
        and text[previous_end - 1] not in '.!?)]"\u201d'
        and not _is_paragraph_break(text[previous_end:start])
    )


# --- scripts ---------------------------------------------------------------------------------------
# (first code point, last code point, script); sorted, non-overlapping. Letters outside these
# ranges count for no script at all, which keeps the rule from firing on what it cannot name.
_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x005A, "Latin"),
    (0x0061, 0x007A, "Latin"),
    (0x00AA, 0x00AA, "Latin"),
    (0x00B5, 0x00B5, "Latin"),
    (0x00BA, 0x00BA, "Latin"),
    (0x00C0, 0x00D6, "Latin"),
    (0x00D8, 0x00F6, "Latin"),
    (0x00F8, 0x02AF, "Latin"),
    (0x0370, 0x03FF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"),
    (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0700, 0x074F, "Syriac"),
    (0x0750, 0x077F, "Arabic"),
    (0x0780, 0x07BF, "Thaana"),
    (0x0870, 0x08FF, "Arabic"),
    (0x0900, 0x097F, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"),
    (0x0B00, 0x0B7F, "Oriya"),
    (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"),
    (0x0D00, 0x0D7F, "Malayalam"),
    (0x0D80, 0x0DFF, "Sinhala"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Lao"),
    (0x0F00, 0x0FFF, "Tibetan"),
    (0x1000, 0x109F, "Myanmar"),
    (0x10A0, 0x10FF, "Georgian"),
    (0x1100, 0x11FF, "Hangul"),
    (0x1200, 0x139F, "Ethiopic"),
    (0x1780, 0x17FF, "Khmer"),
    (0x1800, 0x18AF, "Mongolian"),
    (0x1C80, 0x1C8F, "Cyrillic"),
    (0x1C90, 0x1CBF, "Georgian"),
    (0x1D00, 0x1DBF, "Latin"),
    (0x1E00, 0x1EFF, "Latin"),
    (0x1F00, 0x1FFF, "Greek"),
    (0x2C60, 0x2C7F, "Latin"),
    (0x2D00, 0x2D2F, "Georgian"),
    (0x2DE0, 0x2DFF, "Cyrillic"),
    (0x2E80, 0x2FDF, "Han"),
    (0x3005, 0x3007, "Han"),
    (0x3021, 0x3029, "Han"),
    (0x3038, 0x303C, "Han"),
    (0x3040, 0x30FF, "Kana"),
    (0x3100, 0x312F, "Bopomofo"),
    (0x3130, 0x318F, "Hangul"),
    (0x31A0, 0x31BF, "Bopomofo"),
    (0x31F0, 0x31FF, "Kana"),
    (0x3400, 0x4DBF, "Han"),
    (0x4E00, 0x9FFF, "Han"),
    (0xA640, 0xA69F, "Cyrillic"),
    (0xA720, 0xA7FF, "Latin"),
    (0xA8E0, 0xA8FF, "Devanagari"),
    (0xA960, 0xA97F, "Hangul"),
    (0xAB30, 0xAB6F, "Latin"),
    (0xAC00, 0xD7FF, "Hangul"),
    (0xF900, 0xFAFF, "Han"),
    (0xFB00, 0xFB06, "Latin"),
    (0xFB1D, 0xFB4F, "Hebrew"),
    (0xFB50, 0xFDFF, "Arabic"),
    (0xFE70, 0xFEFF, "Arabic"),
    (0xFF21, 0xFF3A, "Latin"),
    (0xFF41, 0xFF5A, "Latin"),
    (0xFF66, 0xFF9F, "Kana"),
    (0xFFA0, 0xFFDC, "Hangul"),
    (0x20000, 0x3FFFF, "Han"),
)
_SCRIPT_STARTS: tuple[int, ...] = tuple(first for first, _, _ in _SCRIPT_RANGES)
# Scripts written together in one language are one family: kana in a Japanese text, hanja in a
# Korean one are not "another script".
_CJK_SCRIPTS = frozenset({"Han", "Kana", "Bopomofo", "Hangul"})
#: One CJK character carries about as much as a few alphabetic letters; weigh it so.
CJK_WEIGHT = 3
#: The document's script family must hold this share of its (weighted) letters, else the
#: document is mixed and no block is singled out.
DOMINANT_MIN_SHARE = 0.75
#: A block in another script must have at least this many weighted letters (8 Han characters,
#: or about five English words): a few foreign words are never furniture.
SCRIPT_MIN_BLOCK_WEIGHT = 24


_ASCII_RUNS_RE = re.compile(r"[\x00-\x7f]+")
_ASCII_NON_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
# The script weights of a long text are estimated from this many characters of it.
_PROFILE_SAMPLE_CHARS = 1 << 20
_PROFILE_SAMPLE_SLICES = 256


def _script_of(char: str) -> str | None:
    code = ord(char)
    index = bisect_right(_SCRIPT_STARTS, code) - 1
    if index >= 0 and code <= _SCRIPT_RANGES[index][1]:
        return _SCRIPT_RANGES[index][2]
    return None


def _family(script: str) -> str:
    return "CJK" if script in _CJK_SCRIPTS else script


def _weight(script: str) -> int:
    return CJK_WEIGHT if script in _CJK_SCRIPTS else 1


def _class(family: str, *, inside: bool, cjk_only: bool = False) -> re.Pattern[str]:
    """Runs of letters of the script ``family`` (``inside``) or of every other family."""
    parts = [
        f"{re.escape(chr(first))}-{re.escape(chr(last))}"
        for first, last, script in _SCRIPT_RANGES
        if (_family(script) == family) == inside and (not cjk_only or script in _CJK_SCRIPTS)
    ]
    return re.compile(f"[{''.join(parts)}]+")


def _count(pattern: re.Pattern[str] | None, text: str) -> int:
    return 0 if pattern is None else len(text) - len(pattern.sub("", text))


def _script_weights(text: str) -> Counter[str]:
    """Weighted letters per script, CJK characters counting ``CJK_WEIGHT`` each."""
    weights: Counter[str] = Counter()
    # ASCII letters are counted as bytes, the rest one distinct character at a time: both in C,
    # and quick for the usual text that is mostly ASCII.
    ascii_letters = len(text.encode("ascii", "ignore").translate(None, _ASCII_NON_LETTERS))
    if ascii_letters:
        weights["Latin"] = ascii_letters
    for char, n in Counter(_ASCII_RUNS_RE.sub("", text)).items():
        script = _script_of(char) if char.isalpha() else None
        if script is not None:
            weights[script] += n * _weight(script)
    return weights


def _sample(text: str) -> str:
    """The text itself, or evenly spread slices of it when it is long (to weigh its scripts)."""
    if len(text) <= _PROFILE_SAMPLE_CHARS:
        return text
    size, step = _PROFILE_SAMPLE_CHARS // _PROFILE_SAMPLE_SLICES, len(text) // _PROFILE_SAMPLE_SLICES
    return "".join(text[i * step : i * step + size] for i in range(_PROFILE_SAMPLE_SLICES))


@dataclass(frozen=True)
class _ScriptProfile:
    """The script family a document is written in, and patterns to weigh a line with."""

    family: str
    document: str
    own: re.Pattern[str]
    foreign: re.Pattern[str]
    foreign_cjk: re.Pattern[str] | None

    def foreign_majority(self, text: str, start: int, end: int) -> int:
        """``text[start:end]``'s weighted foreign letters when they outweigh its own-script ones, else 0."""
        if not self.foreign.search(text, start, end):
            return 0
        line = text[start:end]
        foreign = _count(self.foreign, line) + (CJK_WEIGHT - 1) * _count(self.foreign_cjk, line)
        own = (CJK_WEIGHT if self.family == "CJK" else 1) * _count(self.own, line)
        return foreign if foreign > own else 0

    def block_script(self, block: str) -> str:
        """The script most of the block's foreign letters are in."""
        weights = _script_weights(block)
        foreign = [script for script in weights if _family(script) != self.family]
        return max(foreign, key=weights.__getitem__) if foreign else "unknown"


def _script_profile(text: str) -> _ScriptProfile | None:
    """None when no line can be a block in another script (the common, cheap case)."""
    if text.isascii():
        return None
    by_script = _script_weights(_sample(text))
    by_family: Counter[str] = Counter()
    for script, weight in by_script.items():
        by_family[_family(script)] += weight
    if not by_family:
        return None
    family, weight = by_family.most_common(1)[0]
    if weight < DOMINANT_MIN_SHARE * by_family.total():
        return None
    foreign = _class(family, inside=False)
    if foreign.search(text) is None:
        return None
    return _ScriptProfile(
        family=family,
        document=max((s for s in by_script if _family(s) == family), key=by_script.__getitem__),
        own=_class(family, inside=True),
        foreign=foreign,
        foreign_cjk=None if family == "CJK" else _class(family, inside=False, cjk_only=True),
    )


# --- one pass over the lines ----------------------------------------------------------------------


@dataclass(slots=True)
class _Span:
    """A span being built: covers the non-blank lines numbered ``first`` to ``last``."""

    start: int
    end: int
    reason: str
    first: int
    last: int
    weight: int = 0


def _emit(spans: list[_Span], span: _Span) -> None:
    """Append ``span``, joined to the previous one when that has the same reason and is adjacent."""
    last = spans[-1] if spans else None
    if last is not None and last.reason == span.reason and last.last + 1 == span.first:
        last.end, last.last = span.end, span.last
    else:
        spans.append(span)


def _emit_block(spans: list[_Span], block: _Span, text: str, profile: _ScriptProfile) -> None:
    if block.weight >= SCRIPT_MIN_BLOCK_WEIGHT:
        script = profile.block_script(text[block.start : block.end])
        block.reason = REASON_SCRIPT.format(block=script, document=profile.document)
        _emit(spans, block)


def _scan(text: str) -> list[_Span]:
    """One pass over the non-blank lines, spans appended in text order.

    A line costs a few C-level calls unless it is short, starts like a caption or holds
    letters of another script, so a long text of long lines goes fast.
    """
    spans: list[_Span] = []
    profile = _script_profile(text)
    content_start = len(text) - len(text.lstrip())
    content_end = len(text.rstrip())
    earliest_tail = content_start + TAIL_MIN_FRACTION * (content_end - content_start)
    caption: _Span | None = None  # open: the next line may continue it
    block: _Span | None = None  # open: the next line may extend it
    for number, line in enumerate(_CONTENT_LINE_RE.finditer(text)):
        start, end = line.span()
        length = end - start
        if caption is not None:
            if caption.end - caption.start + length <= _CAPTION_MAX_CHARS and _continues_caption(
                text, caption.end, start
            ):
                caption.end, caption.last = end, number
                continue
            _emit(spans, caption)
            caption = None
        if (
            _MIN_RULE_CHARS <= length <= _HEADING_MAX_CHARS
            and start >= earliest_tail
            and text[start] in _HEADING_FIRST
            and _TAIL_HEADING_RE.fullmatch(text, start, end)
        ):
            if block is not None and profile is not None:
                _emit_block(spans, block, text, profile)
            tail = REASON_TAIL.format(heading=text[start:end])
            spans.append(_Span(start, content_end, tail, number, number))
            return spans
        reason = _line_reason(text, start, end) if _MIN_RULE_CHARS <= length <= _SHORT_LINE else None
        if (
            reason is None
            and _MIN_RULE_CHARS <= length <= _CAPTION_MAX_CHARS
            and _is_caption(text, start, end)
        ):
            reason = REASON_CAPTION
        weight = 0
        if reason is None and profile is not None:
            weight = profile.foreign_majority(text, start, end)
            if weight and block is not None:
                block.end, block.last, block.weight = end, number, block.weight + weight
                continue
        if block is not None and profile is not None:
            _emit_block(spans, block, text, profile)
            block = None
        if weight:
            block = _Span(start, end, "", number, number, weight)
        elif reason == REASON_CAPTION:
            caption = _Span(start, end, reason, number, number)
        elif reason is not None:
            _emit(spans, _Span(start, end, reason, number, number))
    if caption is not None:
        _emit(spans, caption)
    if block is not None and profile is not None:
        _emit_block(spans, block, text, profile)
    return spans


def find_furniture(text: str) -> tuple[SetAside, ...]:
    """Find the page furniture in a decoded text.

    Rules, each on whole trimmed lines:

    * photo caption: a line starting "In this photo ...", "Photo:", "Image:",
      "Pictured:" and the like (wrapped lowercase continuations included), or a
      short line ending in a photo credit ("Name/Getty Images", "(Photo: X)");
    * view counter / page boilerplate: a short line that is only a counter ("1,234
      views", "Visited 1 times, 1 visit(s) today") or a button ("Share this
      article", "Advertisement", "Click here to subscribe");
    * related-articles tail: a heading line alone ("Related Articles", "Read also:",
      "More from ...", "Most read") at least ``TAIL_MIN_FRACTION`` into the text
      sets aside itself and everything after it;
    * block in another script: adjacent lines whose letters are mostly in another
      script family than the document's, with at least ``SCRIPT_MIN_BLOCK_WEIGHT``
      weighted letters, in a document whose own family holds ``DOMINANT_MIN_SHARE``.

    Adjacent lines with the same reason form one span. One pass, linear in ``len(text)``.

    Args:
        text: the decoded text.

    Returns:
        The spans, ordered and non-overlapping, each covering whole trimmed lines.
    """
    return tuple(SetAside(span.start, span.end, span.reason) for span in _scan(text))


def body_regions(text: str, set_aside: Sequence[SetAside]) -> list[tuple[int, int]]:
    """The stretches of ``text`` not covered by ``set_aside``: its exact complement.

    Args:
        text: the decoded text the spans index into.
        set_aside: spans in any order; overlapping ones are merged.

    Returns:
        Ordered, non-empty ``(start, end)`` regions that together with the spans
        cover ``text`` exactly.

    Raises:
        ValueError: a span reaches past the end of ``text``.
    """
    regions: list[tuple[int, int]] = []
    position = 0
    for span in sorted(set_aside, key=lambda s: (s.start, s.end)):
        if span.end > len(text):
            raise ValueError(f"body_regions: span {span.start}-{span.end} beyond text length {len(text)}")
        if span.start > position:
            regions.append((position, span.start))
        position = max(position, span.end)
    if position < len(text):
        regions.append((position, len(text)))
    return regions
