"""The values the pipeline stages pass to each other: frozen, validated where built.

Every offset is a Python ``str`` index into the decoded text of its document
(``Document.text``), so ``doc.text[span.start:span.end]`` is always the span's text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Relation = Literal["copy", "translation", "rewrite", "independent"]
RELATIONS: tuple[Relation, ...] = ("copy", "translation", "rewrite", "independent")

Severity = Literal["critical", "major", "minor"]
SEVERITIES: tuple[Severity, ...] = ("critical", "major", "minor")
#: MQM weights per error severity.
MQM_WEIGHTS: Mapping[str, int] = {"critical": 25, "major": 5, "minor": 1}



def mqm_per_1000(severities: Sequence[str], words: int) -> float:
    """MQM-style penalty: the summed severity weights per 1000 words of the candidate."""
    return sum(MQM_WEIGHTS[s] for s in severities) * 1000.0 / max(1, words)


Category = Literal["named_entity", "number", "casing", "omission", "glossary", "accuracy"]
CATEGORIES: tuple[str, ...] = ("named_entity", "number", "casing", "omission", "glossary", "accuracy")
#: Types of the ``accuracy`` category (MQM's Accuracy subtypes that diag locates).
ACCURACY_TYPES: tuple[str, ...] = ("mistranslation", "addition", "omission")

METRIC_NAMES: tuple[str, ...] = ("bleu", "chrf", "chrf++", "ter")


def _check_span(owner: str, start: int, end: int) -> None:
    if not (isinstance(start, int) and isinstance(end, int)) or start < 0 or end < start:
        raise ValueError(f"{owner}: invalid span start={start!r} end={end!r}")


@dataclass(frozen=True, slots=True)
class SetAside:
    """A stretch of page furniture left out of the comparison, and why."""

    start: int
    end: int
    reason: str

    def __post_init__(self) -> None:
        _check_span("SetAside", self.start, self.end)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One segment of a document: ``text == document.text[start:end]``."""

    index: int
    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        _check_span("Sentence", self.start, self.end)
        if len(self.text) != self.end - self.start:
            raise ValueError(
                f"Sentence {self.index}: text has {len(self.text)} characters, span {self.start}-{self.end}"
            )


@dataclass(frozen=True)
class Document:
    """A decoded input text and its segmentation.

    ``text`` is the decoded input exactly as read (no normalisation), ``sentences``
    cover the body, ``set_aside`` the furniture that was excluded from it.
    """

    text: str
    path: str | None = None
    encoding: str = "utf-8"
    encoding_note: str | None = None
    sentences: tuple[Sentence, ...] = ()
    set_aside: tuple[SetAside, ...] = ()
    #: How the text was treated other than as usual (over-long stretches cut), one line each.
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n = len(self.text)
        last = -1
        for i, s in enumerate(self.sentences):
            if s.index != i:
                raise ValueError(f"Document: sentence {i} carries index {s.index}")
            if s.end > n or s.start < last:
                raise ValueError(f"Document: sentence {i} span {s.start}-{s.end} out of order or bounds")
            if self.text[s.start : s.end] != s.text:
                raise ValueError(f"Document: sentence {i} text does not match its span")
            last = s.end
        for a in self.set_aside:
            if a.end > n:
                raise ValueError(f"Document: set-aside span {a.start}-{a.end} beyond text length {n}")

    @property
    def word_count(self) -> int:
        return sum(len(s.text.split()) for s in self.sentences)


@dataclass(frozen=True, slots=True)
class PairScores:
    """Sentence-level sacrebleu scores of one aligned pair (0-100; TER may exceed 100)."""

    bleu: float
    chrf: float
    chrf_pp: float
    ter: float

    def as_dict(self) -> dict[str, float]:
        return {"bleu": self.bleu, "chrf": self.chrf, "chrf++": self.chrf_pp, "ter": self.ter}


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """Reference sentences rendered by candidate sentences (either side may be empty).

    ``reference == ()`` is an added candidate sentence (0-1), ``candidate == ()`` an
    omitted reference sentence (1-0). ``accuracy_risk`` is the probability that the pair
    holds a major accuracy error (``diag.accuracy``; None: not assessed).
    """

    reference: tuple[int, ...]
    candidate: tuple[int, ...]
    similarity: float
    scores: PairScores | None = None
    accuracy_risk: float | None = None

    def __post_init__(self) -> None:
        if not self.reference and not self.candidate:
            raise ValueError("AlignedPair: both sides are empty")
        if not 0.0 <= self.similarity <= 1.0:
            raise ValueError(f"AlignedPair: similarity {self.similarity!r} outside [0, 1]")
        if self.accuracy_risk is not None and not 0.0 <= self.accuracy_risk <= 1.0:
            raise ValueError(f"AlignedPair: accuracy_risk {self.accuracy_risk!r} outside [0, 1]")

    @property
    def kind(self) -> str:
        """``"1-1"``, ``"2-1"``, ``"1-0"`` (omitted), ``"0-1"`` (added) ..."""
        return f"{len(self.reference)}-{len(self.candidate)}"


@dataclass(frozen=True)
class Alignment:
    """A monotone alignment: every sentence of each side appears in exactly one pair."""

    pairs: tuple[AlignedPair, ...]
    reference_coverage: float
    candidate_coverage: float

    def matched(self) -> tuple[AlignedPair, ...]:
        """Pairs with sentences on both sides."""
        return tuple(p for p in self.pairs if p.reference and p.candidate)

    def omitted(self) -> tuple[AlignedPair, ...]:
        return tuple(p for p in self.pairs if not p.candidate)

    def added(self) -> tuple[AlignedPair, ...]:
        return tuple(p for p in self.pairs if not p.reference)


@dataclass(frozen=True, slots=True)
class Score:
    """A document-level metric with the sacrebleu signature that reproduces it."""

    name: str
    score: float
    signature: str
    #: 95% bootstrap interval (lo, hi) and the bootstrap mean, when asked for (``diag report --confidence``).
    interval: tuple[float, float] | None = None
    bootstrap_mean: float | None = None


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding sits in one text: ``text == document.text[start:end]``."""

    text: str
    start: int
    end: int

    def __post_init__(self) -> None:
        _check_span("Location", self.start, self.end)


@dataclass(frozen=True)
class Finding:
    """One piece of damage, located in both texts where it can be."""

    category: str
    type: str
    severity: Severity
    message: str
    reference: Location | None
    candidate: Location | None
    pair: int | None = None
    suggestion: str | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"Finding: severity {self.severity!r} not one of {SEVERITIES}")
        if self.category not in CATEGORIES:
            raise ValueError(f"Finding: category {self.category!r} not one of {CATEGORIES}")


@dataclass(frozen=True)
class Verdict:
    """What the candidate is relative to the reference.

    ``relation is None`` means the verdict was not assessed.
    """

    relation: Relation | None
    machine_probability: float | None
    label: str
    confidence: float
    probabilities: Mapping[str, float] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()
    features: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.relation is not None and self.relation not in RELATIONS:
            raise ValueError(f"Verdict: relation {self.relation!r} not one of {RELATIONS}")
        if self.machine_probability is not None and not 0.0 <= self.machine_probability <= 1.0:
            raise ValueError(f"Verdict: machine_probability {self.machine_probability!r} outside [0, 1]")


NOT_ASSESSED = Verdict(relation=None, machine_probability=None, label="not assessed", confidence=0.0)


@dataclass(frozen=True)
class Diagnosis:
    """Everything diag says about one candidate/reference pair; renderers take only this."""

    reference: Document
    candidate: Document
    alignment: Alignment
    metrics: Mapping[str, Score]
    verdict: Verdict
    findings: tuple[Finding, ...]
    signature: str
    mqm_per_1000: float = 0.0
    id: str | None = None
    #: sacrebleu sufficient statistics per metric and aligned pair (in ``alignment.pairs`` order):
    #: the document score is computed from their sums. Not rendered; ``diag.compare`` resamples them.
    statistics: Mapping[str, tuple[tuple[float, ...], ...]] = field(default_factory=dict, repr=False, compare=False)
    #: What was measured other than as usual, to keep cost bounded (one line each: pseudo-
    #: sentences, TER without shifts, a candidate judged without analysis).
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The report as plain, JSON-ready data: the ``diag.report/1`` contract that
        ``--format json`` writes (``diag.render.json.to_dict``)."""
        from diag.render.json import to_dict

        return to_dict(self)

    def __repr__(self) -> str:
        """One line: the verdict, chrF, the findings by severity and the two texts (never the texts)."""
        counts = ", ".join(f"{sum(f.severity == s for f in self.findings)} {s}" for s in SEVERITIES)
        chrf = self.metrics.get("chrf")
        score = f"chrF {chrf.score:.1f}, " if chrf is not None else ""
        ident = f"{self.id!r}: " if self.id is not None else ""
        names = f"{self.reference.path or '<text>'} -> {self.candidate.path or '<text>'}"
        return f"<Diagnosis {ident}{self.verdict.relation or 'not assessed'}, {score}{counts} ({names})>"

    def _repr_html_(self) -> str:
        """The HTML report's body, for notebooks (``diag.render.html.body``)."""
        from diag.render.html import body

        return body(self)
