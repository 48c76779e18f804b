"""The entity check's token alignment and closeness skip difflib for two equal token sequences (a
copied sentence) and give exactly what difflib gives; the whole check's findings are the same with
and without the shortcut, on copies and near copies of real documents."""

from __future__ import annotations

import json
from difflib import SequenceMatcher

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diag.entities import damage, pairing
from diag.entities.pairing import closeness, token_opcodes
from diag.pipeline import align_and_score, build_document, diagnose
from conftest import eval_path, seed_path

tokens = st.lists(st.sampled_from(["the", "harbour", "ferry", "1,200", ",", ".", "x"]), max_size=12)


@settings(max_examples=400, deadline=None)
@given(tokens, tokens)
def test_token_opcodes_equal_difflib(a: list[str], b: list[str]) -> None:
    for x, y in ((a, b), (a, list(a)), (b, list(b))):
        assert token_opcodes(x, y) == SequenceMatcher(None, x, y, autojunk=False).get_opcodes()


def _closeness_difflib(ref: pairing.Side, cand: pairing.Side) -> float:
    a = [t.norm for t in ref.tokens if t.is_word or t.is_number]
    b = [t.norm for t in cand.tokens if t.is_word or t.is_number]
    if not a:
        return 0.0
    return sum(bl.size for bl in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()) / len(a)


def _difflib_opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _texts() -> list[str]:
    """Seeds 001 and 000 and the first 40 references of the document-level dev set."""
    texts = [seed_path("001").read_text(encoding="utf-8"), seed_path("000").read_text(encoding="utf-8")]
    with eval_path("mt_detection_docs.jsonl").open(encoding="utf-8") as f:
        texts += [json.loads(line)["reference"] for line, _ in zip(f, range(40), strict=False)]
    return texts


def test_every_sentence_pair_of_real_documents_and_its_copy() -> None:
    """Every aligned pair of seeds 001/000, and every sentence of the texts paired with itself and with
    its neighbour: opcodes and closeness as difflib gives them."""
    lex = damage.lexicon()
    pairs = 0
    for text in _texts():
        doc = build_document(text)
        lower = damage.lower_words(doc.text)
        sides = [damage.build_side(doc, (k,), lex, lower) for k in range(len(doc.sentences))]
        for k, side in enumerate(sides):
            for other in (side, damage.build_side(doc, (k,), lex, lower), sides[k - 1]):
                assert token_opcodes(side.norms, other.norms) == _difflib_opcodes(side.norms, other.norms)
                assert closeness(side, other) == _closeness_difflib(side, other)
                pairs += 1
    assert pairs > 1000


@pytest.mark.parametrize("edit", ["copy", "near copy"])
def test_findings_are_those_of_the_full_path(edit: str) -> None:
    """A document against itself (every pair a copy) and against a copy with names and numbers changed
    here and there: the same diagnosis with difflib run on every pair."""
    reference = seed_path("001").read_text(encoding="utf-8")
    candidate = reference
    if edit == "near copy":
        words = reference.split(" ")
        candidate = " ".join(w.upper() if k % 151 == 0 else ("19" if k % 211 == 0 else w) for k, w in enumerate(words))
    shortcut = diagnose(reference, candidate)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(damage, "token_opcodes", _difflib_opcodes)
        patch.setattr(damage, "closeness", _closeness_difflib)
        full = diagnose(reference, candidate)
    assert shortcut.findings == full.findings
    assert shortcut == full
    ref, cand = build_document(reference), build_document(candidate)
    alignment, _ = align_and_score(ref, cand)
    copies = sum(ref.sentences[p.reference[0]].text == cand.sentences[p.candidate[0]].text
                 for p in alignment.pairs if len(p.reference) == len(p.candidate) == 1)
    assert copies > 10
