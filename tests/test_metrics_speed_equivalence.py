"""diag's faster metric statistics give exactly sacrebleu's scores.

``score_segments`` derives chrF from chrF++'s statistics and computes TER's statistics
with a faster port of sacrebleu's beam edit distance. Neither may change a number: these
tests compare with sacrebleu's public ``sentence_score``/``corpus_score`` and with its
own TER statistics, exactly (``==``, not approximately), on the seeds' aligned pairs, on
the evaluation sets' sentence pairs and on adversarial and random input.
"""

from __future__ import annotations

import json
import random

import pytest
from conftest import eval_path, seed_path
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.lib_ter import translation_edit_rate

from diag.metrics import _ter_statistics, _translation_edit_rate, score_segments


def _assert_equal_to_sacrebleu(refs: list[str], hyps: list[str]) -> None:
    got = score_segments(refs, hyps)
    expected = {
        "bleu": BLEU(),
        "chrf": CHRF(),
        "chrf++": CHRF(word_order=2),
        "ter": TER(),
    }
    for name, metric in expected.items():
        corpus = metric.corpus_score(hyps, [refs])
        assert got.document[name].score == corpus.score, name
        assert got.document[name].signature == str(metric.get_signature()), name
    sentence_bleu = BLEU(effective_order=True)
    chrf, chrf_pp, ter = CHRF(), CHRF(word_order=2), TER()
    for k, (ref, hyp) in enumerate(zip(refs, hyps, strict=True)):
        pair = got.pairs[k]
        assert pair.bleu == sentence_bleu.sentence_score(hyp, [ref]).score, (k, "bleu")
        assert pair.chrf == chrf.sentence_score(hyp, [ref]).score, (k, "chrf")
        assert pair.chrf_pp == chrf_pp.sentence_score(hyp, [ref]).score, (k, "chrf++")
        assert pair.ter == ter.sentence_score(hyp, [ref]).score, (k, "ter")


def test_seed_pairs_equal_sacrebleu() -> None:
    from diag.pipeline import diagnose

    d = diagnose(seed_path("001").read_text(encoding="utf-8"), seed_path("000").read_text(encoding="utf-8"))
    refs = [" ".join(d.reference.sentences[i].text for i in p.reference) for p in d.alignment.pairs]
    hyps = [" ".join(d.candidate.sentences[j].text for j in p.candidate) for p in d.alignment.pairs]
    assert any(not r for r in refs) or any(not h for h in hyps) or len(refs) > 30
    _assert_equal_to_sacrebleu(refs, hyps)


def _eval_pairs(name: str, limit: int) -> list[tuple[str, str]]:
    with eval_path(name).open(encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    return [(r["reference"], r["candidate"]) for r in records[:limit]]


@pytest.mark.parametrize("name", ["mt_detection_sentences.jsonl", "entity_errors_real_mt.jsonl"])
def test_eval_sentence_pairs_equal_sacrebleu(name: str) -> None:
    pairs = _eval_pairs(name, 150 if name == "mt_detection_sentences.jsonl" else 40)
    _assert_equal_to_sacrebleu([r for r, _ in pairs], [h for _, h in pairs])


def _adversarial(pairs: list[tuple[str, str]], seed: int) -> list[tuple[str, str]]:
    """Shuffled words (many shifts), doubled and tripled segments, length mismatch past
    the beam, filler words, empty sides: the corners of the shift search and the beam."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = [("", ""), ("", "only a hypothesis"), ("only a reference", "")]
    for ref, hyp in pairs:
        words = hyp.split()
        rng.shuffle(words)
        out.append((ref, " ".join(words)))
        out.append((ref, f"{hyp} {hyp}"))
        out.append((f"{ref} {ref} {ref}", hyp))
        out.append(
            (ref, " ".join(rng.choice(["the", "a", "of", "x", "."]) for _ in range(rng.randint(0, 60))))
        )
        cut = hyp.split()
        out.append((ref, " ".join(cut[len(cut) // 2 :] + cut[: len(cut) // 2])))
    return out


def test_ter_statistics_equal_sacrebleu_on_adversarial_pairs() -> None:
    pairs = _adversarial(_eval_pairs("mt_detection_sentences.jsonl", 20), seed=3)
    refs, hyps = [r for r, _ in pairs], [h for _, h in pairs]
    assert _ter_statistics(TER(), hyps, [refs]) == TER()._extract_corpus_statistics(hyps, [refs])
    refs, hyps = refs[:30], hyps[:30]
    for options in ({"case_sensitive": True}, {"normalized": True}, {"no_punct": True}):
        assert _ter_statistics(TER(**options), hyps, [refs]) == TER(**options)._extract_corpus_statistics(
            hyps, [refs]
        ), options


def test_document_sized_segment_equals_sacrebleu() -> None:
    """One long segment (shift candidates run out; rows come from the prefix cache)."""
    pairs = _eval_pairs("mt_detection_sentences.jsonl", 8)
    ref = " ".join(r for r, _ in pairs)
    hyp = " ".join(h for _, h in reversed(pairs))
    tok = TER()
    words_ref = tok._preprocess_segment(ref).split()
    words_hyp = tok._preprocess_segment(hyp).split()
    assert len(words_ref) > 100
    assert _translation_edit_rate(words_hyp, words_ref) == translation_edit_rate(words_hyp, words_ref)


vocabulary = st.sampled_from(["a", "b", "c", "d", "the", "cat", "sat", "on", "mat", ".", ","])


@settings(max_examples=300, deadline=None)
@given(st.lists(vocabulary, max_size=40), st.lists(vocabulary, max_size=40))
def test_random_word_lists_equal_sacrebleu(hyp: list[str], ref: list[str]) -> None:
    assert _translation_edit_rate(hyp, ref) == translation_edit_rate(hyp, ref)


@settings(max_examples=40, deadline=None)
@given(st.lists(vocabulary, min_size=1, max_size=8), st.lists(vocabulary, min_size=60, max_size=140))
def test_very_unequal_lengths_equal_sacrebleu(hyp: list[str], ref: list[str]) -> None:
    """A reference far longer than the hypothesis widens sacrebleu's beam."""
    assert _translation_edit_rate(hyp, ref) == translation_edit_rate(hyp, ref)
    assert _translation_edit_rate(ref, hyp) == translation_edit_rate(ref, hyp)


def test_empty_input_has_signatures() -> None:
    got = score_segments([], [])
    assert got.pairs == ()
    assert all("nrefs:1" in s.signature for s in got.document.values())


sentences = st.lists(vocabulary, max_size=12).map(" ".join)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(sentences, sentences), min_size=1, max_size=12), st.data())
def test_copied_and_repeated_segments_equal_sacrebleu(pairs: list[tuple[str, str]], data: st.DataObject) -> None:
    """Copied segments (tokenised once), recurring pairs (scored once while recent, a few or none kept)
    and segments whose statistics recur (scored once per distinct statistics, the kept scores cleared as
    they fill up) give sacrebleu's scores, pair by pair."""
    import diag.metrics

    refs, hyps = [], []
    for ref, hyp in pairs:
        kind = data.draw(st.sampled_from(["pair", "copy", "repeat"]))
        refs.append(ref)
        hyps.append(ref if kind == "copy" else hyp)
        if kind == "repeat":
            refs.append(ref)
            hyps.append(hyp)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(diag.metrics, "SCORES_KEPT", data.draw(st.integers(1, 4)))
        patch.setattr(diag.metrics, "RECENT_PAIRS", data.draw(st.integers(0, 3)))
        _assert_equal_to_sacrebleu(refs, hyps)
        kept = score_segments(refs, hyps)
    _assert_equal_to_sacrebleu(refs, hyps)
    assert score_segments(refs, hyps) == kept  # the per-segment statistics too
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(diag.metrics, "RECENT_PAIRS", 0)
        assert score_segments(refs, hyps) == kept


# Text for the tokeniser: words, digits, every character class sacrebleu's 13a expressions treat
# specially (spaced-out ASCII, periods, commas, dashes, entities, tags, line breaks) and non-ASCII.
_TOKEN_PIECES = st.sampled_from(
    ["word", "Word", "12", "3.5", "1,000", "-", "--", ".", ",", "...", ",.", "&amp;", "&quot;", "&lt;", "&gt;",
     "&", "<skipped>", "-\n", "\n", " ", "  ", "\t", "é", "’", "—", "\u00a0", "\u3000", "(", ")", "'", '"',
     "!?", "$", "%", "/", "\\", "@", "^_`", "{|}~", "[", "]", ";:", "<", ">", "=", "#", "*+", "a.b", "b,c",
     "1-", "-2", "9.", ".9", ",,", ".,.", "7,", ",7", "x"]
)
_TOKEN_TEXT = st.one_of(st.lists(_TOKEN_PIECES, max_size=30).map("".join), st.text(max_size=60))


@settings(max_examples=2000, deadline=None)
@given(_TOKEN_TEXT)
def test_bleu_tokeniser_equals_sacrebleu(text: str) -> None:
    from diag.metrics import bleu_tokeniser

    bleu = BLEU()
    assert bleu_tokeniser(bleu)(text) == bleu._preprocess_segment(text)


def test_bleu_tokeniser_falls_back_on_other_settings() -> None:
    """Lowercasing or another tokeniser: sacrebleu's own method is used (same values by construction)."""
    from diag.metrics import bleu_tokeniser

    for bleu in (BLEU(lowercase=True), BLEU(tokenize="intl"), BLEU(tokenize="none")):
        assert bleu_tokeniser(bleu) == bleu._preprocess_segment
    bleu = BLEU()
    assert bleu_tokeniser(bleu) != bleu._preprocess_segment


def test_sacrebleu_tokenises_no_segment_for_bleu(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every segment's BLEU tokens come from ``bleu_tokeniser`` (each distinct segment once while recent):
    sacrebleu's 13a tokeniser is not called, and the scores are sacrebleu's."""
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

    calls = []
    original = Tokenizer13a.__call__

    def counted(self: Tokenizer13a, line: str) -> str:
        calls.append(line)
        return original(self, line)  # type: ignore[no-any-return]

    monkeypatch.setattr(Tokenizer13a, "__call__", counted)
    refs = ["The cat sat on the mat.", "A dog, 3.5 km away - far.", "The cat sat on the mat.", ""]
    hyps = ["The cat sat on a mat.", "A dog, 3.5 km away - far.", "The cat sat on a mat.", "Added."]
    got = score_segments(refs, hyps)
    assert calls == []
    monkeypatch.setattr(Tokenizer13a, "__call__", original)
    _assert_equal_to_sacrebleu(refs, hyps)
    assert got == score_segments(refs, hyps)


_CHRF_TEXT = st.one_of(
    st.lists(st.sampled_from(["the", "cat", "sat", "a", "aa", "(hi)", "x,", ".", "é", "  ", "the cat"]), max_size=25)
    .map(" ".join),
    st.text(alphabet="ab .,(-", max_size=40),
    st.text(max_size=30),
)


@settings(max_examples=400, deadline=None)
@given(_CHRF_TEXT, _CHRF_TEXT, st.sampled_from([(6, 0, False), (6, 2, False), (3, 1, True), (6, 2, True)]))
def test_chrf_match_statistics_equal_sacrebleu(hyp: str, ref: str, settings_: tuple[int, int, bool]) -> None:
    """chrF's statistics of a pair with characters on both sides: sets where a side repeats no n-gram,
    counts over the common n-grams otherwise; sacrebleu's Counter loop is the specification."""
    from diag.metrics import _chrf_match_stats, _chrf_stats

    char_order, word_order, whitespace = settings_
    chrf = CHRF(char_order=char_order, word_order=word_order, whitespace=whitespace)
    expected = chrf._compute_segment_statistics(hyp, chrf._extract_reference_info([ref]))
    assert _chrf_match_stats(chrf, hyp, ref) == expected
    assert _chrf_stats(chrf, hyp, ref) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(vocabulary, min_size=1, max_size=30), st.lists(vocabulary, min_size=1, max_size=30))
def test_bit_vector_edit_distance_equals_sacrebleu_where_the_beam_covers_every_cell(
    hyp: list[str], ref: list[str]
) -> None:
    """Value and trace as sacrebleu's beam edit distance gives them; a candidate's distance computed from
    the prefix it shares with the traced hypothesis too."""
    from sacrebleu.metrics.lib_ter import BeamEditDistance

    from diag.metrics import _BitEditDistance

    if not _BitEditDistance.covers(len(hyp), len(ref)):
        return
    ours = _BitEditDistance(ref)
    assert ours(hyp) == BeamEditDistance(ref)(hyp)
    for shared in range(len(hyp) + 1):
        other = hyp[:shared] + list(reversed(hyp[shared:]))
        assert ours.distance(other, shared) == BeamEditDistance(ref)(other)[0]


@pytest.mark.parametrize("n_ref", [1, 2, 10, 24, 25, 26, 40, 120])
def test_bit_vector_edit_distance_is_used_where_every_band_is_the_whole_row(n_ref: int) -> None:
    """``covers`` agrees with the band rows the edit distance otherwise computes (every one from column 0
    through the last), for hypotheses of every length up to three times the reference's."""
    from diag.metrics import _band_rows, _BitEditDistance

    for n_hyp in range(1, 3 * n_ref + 2):
        rows = list(_band_rows(["h"] * n_hyp, ["r"] * n_ref, (0, list(range(n_ref + 1))), 0, keep_ops=False))
        whole = all(lo == 0 and len(costs) == n_ref + 1 for _, (lo, costs), _ in rows)
        assert _BitEditDistance.covers(n_hyp, n_ref) == whole, (n_hyp, n_ref)


@settings(max_examples=300, deadline=None)
@given(st.lists(vocabulary, min_size=1, max_size=30), st.lists(vocabulary, min_size=1, max_size=30))
def test_shift_sources_are_the_triples_sacrebleus_shift_tries(hyp: list[str], ref: list[str]) -> None:
    """``_shift_sources`` yields, in order, the triples of sacrebleu's ``_find_shifted_pairs`` that pass the
    three tests at the top of its ``_shift`` loop, on the alignment of the hypothesis's trace."""
    from sacrebleu.metrics.lib_ter import BeamEditDistance, _find_shifted_pairs, _flip_trace, trace_to_alignment

    from diag.metrics import _shift_sources

    _, inv_trace = BeamEditDistance(ref)(hyp)
    align, ref_err, hyp_err = trace_to_alignment(_flip_trace(inv_trace))
    expected = [
        (h, r, n)
        for h, r, n in _find_shifted_pairs(hyp, ref)
        if sum(hyp_err[h : h + n]) and sum(ref_err[r : r + n]) and not h <= align[r] < h + n
    ]
    assert list(_shift_sources(hyp, ref, align, ref_err, hyp_err)) == expected
