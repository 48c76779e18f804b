"""Metrics equal sacrebleu's own on the same segments, per pair and per document."""

from __future__ import annotations

import pytest
import sacrebleu
from sacrebleu.metrics import CHRF

import diag
from diag.metrics import score_segments

SEGMENTS = [
    ("The committee approved the budget on Tuesday.", "The committee approved the budget on Tuesday."),
    ("The committee approved the budget on Tuesday.", "On Tuesday the panel passed the budget."),
    ("Shares rose 8.5% to $2.4 billion.", "Stocks went up 8.5 percent to 2.4 billion dollars."),
    ("An omitted sentence counts with an empty hypothesis.", ""),
    ("", "An added sentence counts with an empty reference."),
    ("Short.", "Completely different words here"),
]
REFS = [r for r, _ in SEGMENTS]
HYPS = [h for _, h in SEGMENTS]


@pytest.mark.parametrize("k", range(len(SEGMENTS)))
def test_pair_scores_equal_sacrebleu_sentence_scores(k: int) -> None:
    got = score_segments(REFS, HYPS).pairs[k]
    ref, hyp = SEGMENTS[k]
    assert got.bleu == pytest.approx(sacrebleu.sentence_bleu(hyp, [ref]).score, abs=1e-9)
    assert got.chrf == pytest.approx(sacrebleu.sentence_chrf(hyp, [ref]).score, abs=1e-9)
    assert got.chrf_pp == pytest.approx(CHRF(word_order=2).sentence_score(hyp, [ref]).score, abs=1e-9)
    assert got.ter == pytest.approx(sacrebleu.sentence_ter(hyp, [ref]).score, abs=1e-9)


@pytest.mark.parametrize(
    "name,expected",
    [
        ("bleu", lambda: sacrebleu.corpus_bleu(HYPS, [REFS])),
        ("chrf", lambda: sacrebleu.corpus_chrf(HYPS, [REFS])),
        ("chrf++", lambda: CHRF(word_order=2).corpus_score(HYPS, [REFS])),
        ("ter", lambda: sacrebleu.corpus_ter(HYPS, [REFS])),
    ],
)
def test_document_scores_equal_sacrebleu_corpus_scores(name: str, expected: object) -> None:
    got = score_segments(REFS, HYPS).document[name]
    assert got.score == pytest.approx(expected().score, abs=1e-9)  # type: ignore[operator]


@pytest.mark.parametrize(
    "name,signature_part",
    [("bleu", "tok:13a"), ("chrf", "nw:0"), ("chrf++", "nw:2"), ("ter", "tok:tercom")],
)
def test_signatures(name: str, signature_part: str) -> None:
    sig = score_segments(REFS, HYPS).document[name].signature
    assert signature_part in sig and f"version:{sacrebleu.__version__}" in sig


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="2 references but 1 hypotheses"):
        score_segments(["a", "b"], ["a"])


def test_pipeline_scores_are_sacrebleus_on_the_aligned_segments() -> None:
    ref = "The bridge reopened on Friday.\nTraffic returned to normal by noon.\nOfficials praised the crews."
    cand = "The bridge was reopened on Friday.\nBy noon traffic was back to normal.\nA new paragraph was added here."
    d = diag.diagnose(ref, cand)
    refs = [" ".join(d.reference.sentences[i].text for i in p.reference) for p in d.alignment.pairs]
    hyps = [" ".join(d.candidate.sentences[j].text for j in p.candidate) for p in d.alignment.pairs]
    assert d.metrics["chrf"].score == pytest.approx(sacrebleu.corpus_chrf(hyps, [refs]).score)
    assert d.metrics["ter"].score == pytest.approx(sacrebleu.corpus_ter(hyps, [refs]).score)
    for p, r, h in zip(d.alignment.pairs, refs, hyps, strict=True):
        assert p.scores is not None
        assert p.scores.bleu == pytest.approx(sacrebleu.sentence_bleu(h, [r]).score)
