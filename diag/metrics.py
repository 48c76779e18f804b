"""sacrebleu's BLEU, chrF, chrF++ and TER over an alignment, per pair and per document.

Each metric's segment statistics are extracted once and serve both the per-pair
(sentence-level) scores and the document (corpus-level) score, which sacrebleu computes
from the sum of the same statistics; the tests check both against sacrebleu's public
``sentence_score``/``corpus_score``. TER is never run on a whole document as one segment
(its shift search is super-linear in segment length).

Document scores count every sentence: an omitted reference sentence is a segment whose
hypothesis is empty, an added candidate sentence one whose reference is empty. Page
furniture set aside at ingest is not part of either text and is not scored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from diag.model import PairScores, Score

#: sacrebleu settings: its defaults, named here so the signature and the CLI agree.
BLEU_TOKENIZE = "13a"
CHRF_WORD_ORDER_PLUS = 2


@dataclass(frozen=True)
class MetricResult:
    """Per-segment scores (in the order given) and the document-level scores."""

    pairs: tuple[PairScores, ...]
    document: Mapping[str, Score]


def _metrics() -> dict[str, tuple[Any, Any]]:
    """(corpus metric, sentence metric) per name; sacrebleu is imported on first use."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {
        "bleu": (BLEU(tokenize=BLEU_TOKENIZE), BLEU(tokenize=BLEU_TOKENIZE, effective_order=True)),
        "chrf": (CHRF(), None),
        "chrf++": (CHRF(word_order=CHRF_WORD_ORDER_PLUS), None),
        "ter": (TER(), None),
    }


def score_segments(references: Sequence[str], hypotheses: Sequence[str]) -> MetricResult:
    """Score aligned segments with sacrebleu.

    Args:
        references: one reference string per segment ("" for an added candidate sentence).
        hypotheses: one hypothesis string per segment ("" for an omitted reference sentence).

    Returns:
        Sentence-level scores per segment (BLEU with effective order, as sacrebleu's
        ``sentence_bleu``) and corpus-level scores with their sacrebleu signatures.

    Raises:
        ValueError: if the two sequences differ in length.
    """
    if len(references) != len(hypotheses):
        raise ValueError(f"score_segments: {len(references)} references but {len(hypotheses)} hypotheses")
    per_metric: dict[str, list[float]] = {}
    document: dict[str, Score] = {}
    refs = [list(references)]
    for name, (corpus_metric, sentence_metric) in _metrics().items():
        if not hypotheses:  # two empty texts: nothing to score; the signature still says how
            per_metric[name] = []
            corpus_metric.corpus_score([""], [[""]])  # sacrebleu learns nrefs for its signature here
            document[name] = Score(name, 0.0, str(corpus_metric.get_signature()))
            continue
        stats = corpus_metric._extract_corpus_statistics(list(hypotheses), refs)
        segment_metric = sentence_metric or corpus_metric
        per_metric[name] = [float(segment_metric._aggregate_and_compute([s]).score) for s in stats]
        corpus = corpus_metric._aggregate_and_compute(stats)
        document[name] = Score(name, float(corpus.score), str(corpus_metric.get_signature()))
    pairs = tuple(
        PairScores(
            bleu=per_metric["bleu"][k],
            chrf=per_metric["chrf"][k],
            chrf_pp=per_metric["chrf++"][k],
            ter=per_metric["ter"][k],
        )
        for k in range(len(hypotheses))
    )
    return MetricResult(pairs=pairs, document=document)


def sentence_signature() -> str:
    """The signature of the per-pair BLEU (effective order); the others match the document's."""
    from sacrebleu.metrics import BLEU

    return str(BLEU(tokenize=BLEU_TOKENIZE, effective_order=True).get_signature())
