"""The facts a report shows, computed once from a ``Diagnosis``; every renderer only lays them out.

``ReportView.build(diagnosis)`` gives the verdict line and its evidence, the counts by
severity, the findings grouped (same severity, kind and words: "TikTok -> Tiktok, 21
places") and ordered (most severe, then most repeated, then first place), the alignment
summary, the omitted and added sentences, the weakest pairs, the per-pair strip along the
document and the set-aside stretches. Terminal, Markdown, HTML, SARIF and JUnit read this,
never the diagnosis's raw lists.

Input text is untrusted: every string taken from the inputs goes through
``diag.render.printable`` (control characters shown, bidirectional controls neutralised),
one character for one, so offsets into the texts stay valid.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from diag.model import SEVERITIES, Diagnosis, Document, Finding, Location

METRIC_LABEL: Mapping[str, str] = {"bleu": "BLEU", "chrf": "chrF", "chrf++": "chrF++", "ter": "TER"}
#: Characters of text shown either side of a finding.
CONTEXT_CHARS = 40
#: The severities a reader must see first; the others are listed grouped, after them.
SERIOUS: tuple[str, ...] = ("critical", "major")


@dataclass(frozen=True, slots=True)
class Place:
    """One finding of a group: its number (1-based, in ``Diagnosis.findings``) and where it sits."""

    number: int
    finding: Finding


@dataclass(frozen=True)
class FindingGroup:
    """Findings of the same damage: same severity, category, type, reference and candidate words."""

    severity: str
    category: str
    type: str
    message: str
    suggestion: str | None
    reference: Location | None
    candidate: Location | None
    places: tuple[Place, ...]

    @property
    def rule(self) -> str:
        """``category/type``: the kind of finding (also the SARIF rule id)."""
        return f"{self.category}/{self.type}"

    @property
    def count(self) -> int:
        return len(self.places)


@dataclass(frozen=True, slots=True)
class PairView:
    """One aligned pair as reports show it: its texts (sentences joined by a space) and scores."""

    index: int
    kind: str
    reference: tuple[int, ...]
    candidate: tuple[int, ...]
    reference_text: str
    candidate_text: str
    chrf: float | None
    accuracy_risk: float | None


@dataclass(frozen=True, slots=True)
class MetricView:
    name: str
    label: str
    score: float
    pair_median: float | None
    signature: str
    #: the 95% bootstrap interval, with ``diag report --confidence``
    interval: tuple[float, float] | None = None

    @property
    def display(self) -> str:
        """The score with one decimal, and its interval when there is one: ``41.4 [39.2, 43.5]``."""
        if self.interval is None:
            return f"{self.score:.1f}"
        return f"{self.score:.1f} [{self.interval[0]:.1f}, {self.interval[1]:.1f}]"


@dataclass(frozen=True, slots=True)
class StretchView:
    """A stretch set aside as page furniture, with its text."""

    role: str
    start: int
    end: int
    reason: str
    text: str


@dataclass(frozen=True, slots=True)
class Context:
    """A span with some text either side, white space squeezed; ``…`` marks a cut."""

    before: str
    span: str
    after: str


def squeeze(text: str) -> str:
    """Runs of white space (line breaks included) as one space, ends kept."""
    if not text:
        return text
    inner = " ".join(text.split())
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() and inner else ""
    return lead + inner + trail


def context(text: str, loc: Location, chars: int = CONTEXT_CHARS) -> Context:
    """``loc`` in ``text`` with up to ``chars`` characters either side; an empty span is ``∅``."""
    lo, hi = max(0, loc.start - chars), min(len(text), loc.end + chars)
    return Context(
        ("…" if lo else "") + squeeze(text[lo : loc.start]),
        squeeze(text[loc.start : loc.end]) or "∅",
        squeeze(text[loc.end : hi]) + ("…" if hi < len(text) else ""),
    )


@dataclass(frozen=True, slots=True)
class DocumentView:
    role: str
    path: str
    sentences: int
    words: int
    set_aside: int
    encoding_note: str | None


@dataclass(frozen=True)
class ReportView:
    """Everything a report shows, in the order and form every renderer uses."""

    id: str | None
    assessed: bool
    verdict: str
    confidence: float
    machine_probability: float | None
    probabilities: tuple[tuple[str, float], ...]
    evidence: tuple[str, ...]
    counts: Mapping[str, int]
    total_findings: int
    mqm_per_1000: float
    documents: tuple[DocumentView, DocumentView]
    metrics: tuple[MetricView, ...]
    groups: tuple[FindingGroup, ...]
    reference_coverage: float
    candidate_coverage: float
    shape: tuple[tuple[str, int], ...]
    pairs: tuple[PairView, ...]
    weakest: tuple[PairView, ...]
    set_aside: tuple[StretchView, ...]
    signature: str
    #: What was measured other than as usual (``Diagnosis.notes``), one line each.
    notes: tuple[str, ...]
    #: The diagnosis with its input text made printable: for layouts that need the sentences' spans.
    safe: Diagnosis

    @classmethod
    def build(cls, d: Diagnosis) -> ReportView:
        """The view of ``d`` (input text made printable)."""
        from diag.render import printable_diagnosis

        return _build(printable_diagnosis(d))

    def context(self, role: str, loc: Location) -> Context:
        """A finding's place in the reference or candidate text, with its surroundings."""
        doc = self.safe.reference if role == "reference" else self.safe.candidate
        return context(doc.text, loc)

    @property
    def serious(self) -> tuple[FindingGroup, ...]:
        """Critical and major groups, most severe first."""
        return tuple(g for g in self.groups if g.severity in SERIOUS)

    @property
    def minor(self) -> tuple[FindingGroup, ...]:
        return tuple(g for g in self.groups if g.severity not in SERIOUS)

    @property
    def omitted(self) -> tuple[PairView, ...]:
        return tuple(p for p in self.pairs if not p.candidate)

    @property
    def added(self) -> tuple[PairView, ...]:
        return tuple(p for p in self.pairs if not p.reference)

    @property
    def verdict_line(self) -> str:
        """``Translation (confidence 80%, machine probability 91%)``, or that it was not assessed."""
        if not self.assessed:
            return "Verdict not assessed"
        extra = f"confidence {self.confidence:.0%}"
        if self.machine_probability is not None:
            extra += f", machine probability {self.machine_probability:.0%}"
        return f"{self.verdict} ({extra})"

    @property
    def counts_line(self) -> str:
        """``2 critical, 5 major, 9 minor findings · MQM penalty 12.3 per 1000 words``."""
        counts = ", ".join(f"{self.counts[s]} {s}" for s in SEVERITIES)
        return f"{counts} findings · MQM penalty {self.mqm_per_1000:.1f} per 1000 words"

    @property
    def shape_text(self) -> str:
        """``1-1 ×12, 1-0 ×2`` (most frequent kind first, ties by kind)."""
        return ", ".join(f"{kind} ×{n}" for kind, n in self.shape)

    @property
    def alignment_line(self) -> str:
        return (
            f"reference coverage {self.reference_coverage:.0%}, candidate coverage {self.candidate_coverage:.0%} "
            f"({len(self.pairs)} pairs: {self.shape_text})"
        )


def plural(n: int, word: str) -> str:
    """``1 kind``, ``2 kinds``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def stretches(n: int) -> str:
    """``1 stretch``, ``2 stretches``."""
    return f"{n} stretch" if n == 1 else f"{n} stretches"


def segment(doc: Document, indices: tuple[int, ...]) -> tuple[str, list[tuple[int, int, int]]]:
    """One side of a pair: its sentences joined by a space (the one place they are joined), and
    where each sentence sits, as (start in the joined text, start in the document, length)."""
    parts: list[str] = []
    spans: list[tuple[int, int, int]] = []
    pos = 0
    for k, i in enumerate(indices):
        s = doc.sentences[i]
        if k:
            parts.append(" ")
            pos += 1
        spans.append((pos, s.start, len(s.text)))
        parts.append(s.text)
        pos += len(s.text)
    return "".join(parts), spans


def pair_text(doc: Document, indices: tuple[int, ...]) -> str:
    """The sentences of one side of a pair, joined by a space."""
    return segment(doc, indices)[0]


def group_findings(findings: tuple[Finding, ...]) -> tuple[FindingGroup, ...]:
    """Findings of the same damage together: most severe first, then the most repeated, then the
    first in the candidate (or the reference)."""
    buckets: dict[tuple[str, str, str, str, str], list[Place]] = {}
    for n, f in enumerate(findings, start=1):
        key = (
            f.severity,
            f.category,
            f.type,
            f.reference.text if f.reference else "",
            f.candidate.text if f.candidate else "",
        )
        buckets.setdefault(key, []).append(Place(n, f))
    order = {s: k for k, s in enumerate(SEVERITIES)}

    def first_offset(places: list[Place]) -> int:
        loc = places[0].finding.candidate or places[0].finding.reference
        return loc.start if loc else 0

    ordered = sorted(buckets.values(), key=lambda g: (order[g[0].finding.severity], -len(g), first_offset(g), g[0].number))
    return tuple(
        FindingGroup(
            severity=g[0].finding.severity,
            category=g[0].finding.category,
            type=g[0].finding.type,
            message=g[0].finding.message,
            suggestion=g[0].finding.suggestion,
            reference=g[0].finding.reference,
            candidate=g[0].finding.candidate,
            places=tuple(g),
        )
        for g in ordered
    )


def _pairs(d: Diagnosis) -> tuple[PairView, ...]:
    out = []
    for k, p in enumerate(d.alignment.pairs):
        matched = bool(p.reference and p.candidate)
        out.append(
            PairView(
                index=k,
                kind=p.kind,
                reference=p.reference,
                candidate=p.candidate,
                reference_text=pair_text(d.reference, p.reference),
                candidate_text=pair_text(d.candidate, p.candidate),
                chrf=p.scores.chrf if p.scores and matched else None,
                accuracy_risk=getattr(p, "accuracy_risk", None),
            )
        )
    return tuple(out)


def _metrics(d: Diagnosis) -> tuple[MetricView, ...]:
    matched = [p.scores.as_dict() for p in d.alignment.matched() if p.scores]
    out = []
    for name, score in d.metrics.items():
        values = [s[name] for s in matched if name in s]
        out.append(
            MetricView(
                name,
                METRIC_LABEL.get(name, name),
                score.score,
                statistics.median(values) if values else None,
                score.signature,
                score.interval,
            )
        )
    return tuple(out)


def _build(d: Diagnosis) -> ReportView:
    v = d.verdict
    pairs = _pairs(d)
    shape = sorted(Counter(p.kind for p in pairs).items(), key=lambda kv: (-kv[1], kv[0]))
    weakest = sorted((p for p in pairs if p.chrf is not None), key=lambda p: (p.chrf, p.index))
    stretches = tuple(
        StretchView(role, a.start, a.end, a.reason, doc.text[a.start : a.end])
        for role, doc in (("reference", d.reference), ("candidate", d.candidate))
        for a in doc.set_aside
    )
    documents = tuple(
        DocumentView(role, doc.path or "<text>", len(doc.sentences), doc.word_count, len(doc.set_aside), doc.encoding_note)
        for role, doc in (("reference", d.reference), ("candidate", d.candidate))
    )
    return ReportView(
        id=d.id,
        assessed=v.relation is not None,
        verdict=v.label[:1].upper() + v.label[1:],
        confidence=v.confidence,
        machine_probability=v.machine_probability,
        probabilities=tuple(v.probabilities.items()),
        evidence=v.evidence,
        counts={s: sum(1 for f in d.findings if f.severity == s) for s in SEVERITIES},
        total_findings=len(d.findings),
        mqm_per_1000=d.mqm_per_1000,
        documents=(documents[0], documents[1]),
        metrics=_metrics(d),
        groups=group_findings(d.findings),
        reference_coverage=d.alignment.reference_coverage,
        candidate_coverage=d.alignment.candidate_coverage,
        shape=tuple(shape),
        pairs=pairs,
        weakest=tuple(weakest),
        set_aside=stretches,
        signature=d.signature,
        notes=d.notes,
        safe=d,
    )


def missing_at(d: Diagnosis, f: Finding) -> int:
    """Where in the candidate a finding with no candidate span is missing: the end of the last
    candidate sentence aligned before its pair (0 when there is none)."""
    if f.pair is None:
        return 0
    for p in reversed(d.alignment.pairs[: f.pair + 1]):
        if p.candidate:
            return d.candidate.sentences[p.candidate[-1]].end
    return 0
