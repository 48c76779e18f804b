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


# --- bounded cost: closed forms, streaming, the band, TER without shifts -----------------------
CLOSED_FORMS = [  # an empty side, or a copy: no n-gram needs building
    ("", "A hypothesis with no reference, and some punctuation: (like this)."),
    ("A reference with no hypothesis; it has words, numbers (1,200) and more.", ""),
    ("", "x"),
    ("y", ""),
    ("   ", "white space only on the reference side"),
    ("white space only on the hypothesis side", " \t "),
    ("", ""),
    ("The same sentence, twice: word for word (even 1,200 of them).", "The same sentence, twice: word for word (even 1,200 of them)."),
    ("Ab", "Ab"),
    ("x y z x y z x", "x y z x y z x"),
]


@pytest.mark.parametrize("ref,hyp", CLOSED_FORMS)
def test_pairs_with_an_empty_side_or_copied_equal_sacrebleu_without_building_ngrams(
    monkeypatch: pytest.MonkeyPatch, ref: str, hyp: str
) -> None:
    expected = {
        "bleu": sacrebleu.metrics.BLEU(effective_order=True).sentence_score(hyp, [ref]).score,
        "chrf": CHRF().sentence_score(hyp, [ref]).score,
        "chrf_pp": CHRF(word_order=2).sentence_score(hyp, [ref]).score,
        "ter": sacrebleu.metrics.TER().sentence_score(hyp, [ref]).score,
    }
    corpus = {
        "bleu": sacrebleu.metrics.BLEU().corpus_score([hyp, hyp], [[ref, ref]]).score,
        "chrf++": CHRF(word_order=2).corpus_score([hyp, hyp], [[ref, ref]]).score,
    }

    def no_ngrams(*args: object, **kwargs: object) -> object:
        raise AssertionError("n-grams built for a pair with an empty side or a copy")

    import sacrebleu.metrics.bleu as bleu_module
    import sacrebleu.metrics.chrf as chrf_module

    monkeypatch.setattr(bleu_module, "extract_all_word_ngrams", no_ngrams)
    monkeypatch.setattr(chrf_module, "extract_all_char_ngrams", no_ngrams)
    got = score_segments([ref, ref], [hyp, hyp])
    assert got.pairs[0].as_dict() == {
        "bleu": expected["bleu"], "chrf": expected["chrf"], "chrf++": expected["chrf_pp"], "ter": expected["ter"]
    }
    assert {name: got.document[name].score for name in corpus} == corpus


def test_references_are_not_cached_for_all_pairs_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from sacrebleu.metrics.base import Metric

    def cache_all(*args: object, **kwargs: object) -> object:
        raise AssertionError("sacrebleu's reference cache holds every pair's n-grams at once")

    monkeypatch.setattr(Metric, "_cache_references", cache_all)
    got = score_segments(REFS, HYPS)
    assert len(got.pairs) == len(SEGMENTS) and got.notes == ()


def test_pairs_are_read_one_at_a_time() -> None:
    """Each pair is scored before the next is asked for, so a caller's generator never
    needs every segment's text at once."""
    from diag.metrics import score_pairs

    pulled: list[int] = []

    def pairs() -> object:
        for k, pair in enumerate(SEGMENTS):
            pulled.append(k)
            yield pair

    got = score_pairs(pairs())  # type: ignore[arg-type]
    assert pulled == list(range(len(SEGMENTS))) and len(got.pairs) == len(SEGMENTS)


def test_edit_distance_keeps_only_the_beam_band() -> None:
    """Cells stored for one hypothesis against a long reference: sacrebleu keeps two full
    rows per hypothesis word (the reference's length each); the band is the beam's width."""
    from sacrebleu.metrics.lib_ter import BeamEditDistance

    from diag.metrics import _EditDistance

    ref = [f"w{k % 97}" for k in range(5000)]
    hyp = [f"w{(k * 7) % 97}" for k in range(40)]
    ours = _EditDistance(ref)
    assert ours(hyp) == BeamEditDistance(ref)(hyp)
    stored = 0
    stack = [ours._cache]
    while stack:
        node = stack.pop()
        for child, (_, costs), ops in node.values():
            assert len(costs) == len(ops)
            stored += len(costs)
            stack.append(child)
    full_width = len(hyp) * (len(ref) + 1)
    beam = 5000 / 40 / 2 + 25
    assert stored <= (len(hyp) - 1) * (2 * beam + 2) + len(ref) + 1 < full_width / 10


@pytest.mark.parametrize("limit", [3, 6])
def test_long_segments_get_the_edit_distance_alone_and_say_so(monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    from sacrebleu.metrics.lib_ter import BeamEditDistance

    import diag.metrics as metrics

    monkeypatch.setattr(metrics, "TER_SHIFT_MAX_WORDS", limit)
    ter = sacrebleu.metrics.TER()
    got = score_segments(REFS, HYPS)
    over = 0
    edits_total, ref_total = 0, 0
    for k, (ref, hyp) in enumerate(SEGMENTS):
        words_ref, words_hyp = ter._preprocess_segment(ref).split(), ter._preprocess_segment(hyp).split()
        if max(len(words_ref), len(words_hyp)) > limit and words_ref and words_hyp:
            over += 1
            edits = BeamEditDistance(words_ref)(words_hyp)[0]
            assert got.pairs[k].ter == ter._compute_score_from_stats([edits, len(words_ref)]).score
        else:
            edits = ter._extract_corpus_statistics([hyp], [[ref]])[0][0]
            assert got.pairs[k].ter == ter.sentence_score(hyp, [ref]).score
        edits_total += edits
        ref_total += len(words_ref)
    assert over >= 2
    assert got.document["ter"].score == 100 * edits_total / ref_total
    assert got.document["ter"].signature == f"{ter.get_signature()}|shift:none>{limit}w"
    assert got.notes == (
        f"TER: {over} segments longer than {limit} words scored without TER's shift search "
        "(edit distance only, never below TER with shifts)",
    )
    assert got.document["bleu"] == score_segments(REFS, HYPS).document["bleu"]
