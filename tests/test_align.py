"""The sentence aligner: beads, omissions, additions, long documents, invariants."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diag.align import FULL_TABLE_CELLS, align, similarity
from diag.model import Alignment

REF = [
    "The harbour authority approved a plan to dredge the northern channel on Monday.",
    "Engineers from Halvorsen Marine said the work would take eleven months.",
    "Local fishermen warned that the silt could smother the oyster beds near Kettle Point.",
    "The mayor, Odile Brannock, promised a public hearing before any contract is signed.",
    "Critics noted that a similar project in 2019 ran two years late and far over budget.",
]


def kinds(al: Alignment) -> list[str]:
    return [p.kind for p in al.pairs]


def check_invariants(al: Alignment, n: int, m: int) -> None:
    refs = [i for p in al.pairs for i in p.reference]
    cands = [j for p in al.pairs for j in p.candidate]
    assert refs == list(range(n)), "every reference sentence exactly once, in order"
    assert cands == list(range(m)), "every candidate sentence exactly once, in order"
    assert 0.0 <= al.reference_coverage <= 1.0 and 0.0 <= al.candidate_coverage <= 1.0


CASES = [
    ("identical", REF, REF, ["1-1"] * 5),
    (
        "reworded one to one",
        REF,
        [
            "On Monday the harbour authority approved plans to dredge the north channel.",
            "Halvorsen Marine engineers said that the work will take eleven months.",
            "Local fishermen warned the silt might smother oyster beds close to Kettle Point.",
            "Mayor Odile Brannock promised a public hearing before a contract is signed.",
            "Critics said a similar project in 2019 was two years late and well over budget.",
        ],
        ["1-1"] * 5,
    ),
    (
        "a sentence split in two (1-2)",
        REF,
        [
            REF[0],
            "Engineers from Halvorsen Marine gave their estimate.",
            "They said the work would take eleven months.",
            *REF[2:],
        ],
        ["1-1", "1-2", "1-1", "1-1", "1-1"],
    ),
    (
        "two sentences merged (2-1)",
        REF,
        [REF[0], REF[1], REF[2][:-1] + ", and " + REF[3][0].lower() + REF[3][1:], REF[4]],
        ["1-1", "1-1", "2-1", "1-1"],
    ),
    ("an omitted sentence (1-0)", REF, [REF[0], REF[1], REF[3], REF[4]], ["1-1", "1-1", "1-0", "1-1", "1-1"]),
    (
        "an added sentence (0-1)",
        REF,
        [REF[0], REF[1], "Subscribe to our newsletter for weekly updates on gardening.", *REF[2:]],
        ["1-1", "1-1", "0-1", "1-1", "1-1", "1-1"],
    ),
    ("empty candidate", REF[:2], [], ["1-0", "1-0"]),
    ("empty reference", [], REF[:2], ["0-1", "0-1"]),
]


@pytest.mark.parametrize("name,ref,cand,expected", CASES, ids=[c[0] for c in CASES])
def test_beads(name: str, ref: list[str], cand: list[str], expected: list[str]) -> None:
    al = align(ref, cand)
    assert kinds(al) == expected
    check_invariants(al, len(ref), len(cand))


def test_unrelated_sentences_stay_unaligned() -> None:
    other = [
        "A recipe for lemon cake needs butter, sugar, flour and three eggs.",
        "Preheat the oven and grease a round tin before you start mixing.",
    ]
    al = align(REF[:2], other)
    assert al.matched() == ()
    assert al.reference_coverage == 0.0 and al.candidate_coverage == 0.0


def test_similarity_survives_rewording() -> None:
    reworded = "Halvorsen Marine engineers said that the work will take eleven months."
    assert similarity(REF[1], reworded) > 0.6
    assert similarity(REF[1], REF[2]) < 0.3


def test_coverage_counts_characters() -> None:
    al = align(REF, [REF[0]])
    assert al.reference_coverage == pytest.approx(len(REF[0]) / sum(len(s) for s in REF), abs=1e-3)
    assert al.candidate_coverage == 1.0


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    letters = "abcdefghiklmnoprstuvwyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(size)]


def _generated(n: int, seed: int = 7) -> tuple[list[str], list[str], list[tuple[int, ...]]]:
    """A long reference, a reworded candidate with splits, omissions and additions, and the truth."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng, 4000)
    ref: list[str] = []
    cand: list[str] = []
    truth: list[tuple[int, ...]] = []  # reference indices rendered by each candidate sentence
    for i in range(n):
        words = [rng.choice(vocab) for _ in range(rng.randint(8, 22))]
        ref.append(" ".join(words).capitalize() + ".")
        roll = rng.random()
        if roll < 0.04:
            continue  # omitted
        reworded = [w if rng.random() > 0.3 else rng.choice(vocab) for w in words]
        if roll < 0.10 and len(reworded) > 10:
            half = len(reworded) // 2
            cand += [" ".join(reworded[:half]).capitalize() + ".", " ".join(reworded[half:]).capitalize() + "."]
            truth += [(i,), (i,)]
        else:
            cand.append(" ".join(reworded).capitalize() + ".")
            truth.append((i,))
        if rng.random() < 0.03:
            cand.append(" ".join(rng.choice(vocab) for _ in range(12)).capitalize() + ".")
            truth.append(())
    return ref, cand, truth


@pytest.mark.parametrize("n", [60, 600])
def test_long_generated_document(n: int) -> None:
    ref, cand, truth = _generated(n)
    al = align(ref, cand)
    check_invariants(al, len(ref), len(cand))
    if n == 600:
        assert len(ref) * len(cand) > FULL_TABLE_CELLS, "the banded path is exercised"
    got = {}
    for p in al.pairs:
        for j in p.candidate:
            got[j] = p.reference
    right = sum(1 for j, refs in enumerate(truth) if refs and refs[0] in got.get(j, ()))
    assert right / sum(1 for t in truth if t) >= 0.97


words = st.text(alphabet=st.characters(categories=("L", "N", "Zs", "P")), min_size=0, max_size=60)


@settings(max_examples=60, deadline=None)
@given(st.lists(words, max_size=12), st.lists(words, max_size=12))
def test_alignment_invariants(ref: list[str], cand: list[str]) -> None:
    al = align(ref, cand)
    check_invariants(al, len(ref), len(cand))
    for p in al.pairs:
        assert 0.0 <= p.similarity <= 1.0
