"""Fuzz target: bytes -> ingest.decode -> find_furniture -> split_sentences -> build_document.

Run with atheris (not a project dependency; see fuzz/README.md):

    pip install atheris
    python fuzz/fuzz_ingest.py fuzz/corpus fuzz/seeds -max_total_time=300 -timeout=10

Invariants checked on every input (an ``AssertionError`` or any exception other than
``InputError`` is a crash that libFuzzer saves as ``crash-*``):

* ``decode`` returns non-blank text in one of ``ingest.ENCODINGS`` or raises ``InputError``
  with a one-line message that starts with the input's name;
* furniture spans are ordered, non-overlapping, in bounds and trimmed, and with
  ``body_regions`` they cover the text exactly;
* sentence spans are ordered, non-overlapping, inside the body regions and stripped;
* ``build_document`` either raises ``InputError`` (nothing to compare) or returns a
  ``Document`` whose every sentence is ``text[start:end]``; with ``allow_empty`` it never
  raises.

The first byte chooses the mode: even, the rest is raw file bytes (through ``decode``);
odd, the rest is turned into an arbitrary ``str`` (lone surrogates included), as a
library caller of ``diag.diagnose`` may pass.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

with atheris.instrument_imports(include=["diag"]):
    from diag import ingest
    from diag.errors import InputError
    from diag.pipeline import build_document
    from diag.segment import split_sentences

NAME = "fuzz.txt"


def check_text(text: str) -> None:
    """The invariants of furniture, sentences and documents on one decoded text."""
    furniture = ingest.find_furniture(text)
    previous = 0
    for span in furniture:
        assert previous <= span.start < span.end <= len(text), (span, previous, len(text))
        piece = text[span.start : span.end]
        assert piece == piece.strip(), (span, piece)
        previous = span.end
    regions = ingest.body_regions(text, furniture)
    cover = sorted([*regions, *((s.start, s.end) for s in furniture)])
    position = 0
    for start, end in cover:
        assert start == position and end > start, (cover, len(text))
        position = end
    assert position == len(text)

    for keep_all, bounds in ((False, regions), (True, [(0, len(text))] if text else [])):
        spans = split_sentences(text, bounds)
        previous = 0
        for start, end in spans:
            assert previous <= start < end <= len(text), (start, end, previous, len(text))
            assert any(a <= start and end <= b for a, b in bounds), ((start, end), bounds)
            piece = text[start:end]
            assert piece == piece.strip(), (start, end, piece)
            previous = end
        doc = build_document(text, path=NAME, keep_all=keep_all, allow_empty=True)
        assert [(s.start, s.end) for s in doc.sentences] == spans
        assert all(text[s.start : s.end] == s.text for s in doc.sentences)
        try:
            strict = build_document(text, path=NAME, keep_all=keep_all)
        except InputError as error:
            assert not spans, "InputError although there are sentences"
            _one_line(error)
        else:
            assert strict.sentences == doc.sentences


def _one_line(error: InputError) -> None:
    message = str(error)
    assert message.startswith(f"{NAME}: ") and "\n" not in message, message


def test_one_input(data: bytes) -> None:
    if not data:
        return
    if data[0] % 2 == 0:
        try:
            decoded = ingest.decode(data[1:], NAME)
        except InputError as error:
            _one_line(error)
            return
        assert decoded.encoding in ingest.ENCODINGS
        assert decoded.text.strip()
        check_text(decoded.text)
    else:
        fdp = atheris.FuzzedDataProvider(data[1:])
        check_text(fdp.ConsumeUnicode(len(data)))


def main() -> None:
    # NLTK is imported on first use; import it now so -timeout measures the target, not the import.
    split_sentences("Warm up. Done.")
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
