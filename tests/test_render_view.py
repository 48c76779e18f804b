"""The view model every renderer lays out, tested once: counts by severity, grouped findings, the
alignment summary, the weakest pairs, the stretches set aside, and printable text."""

from __future__ import annotations

from dataclasses import replace

from conftest import make_diagnosis

from diag.model import Diagnosis, Location, SetAside
from diag.render.view import ReportView, context, group_findings, missing_at, pair_text, segment

REF = "TikTok grew fast. TikTok hired staff.\nSales hit 10 units.\nA closing line.\nAnother closing line.\n"
CAND = "Tiktok grew fast. Tiktok hired staff.\nSales hit 12 units.\nAn added line.\n"


def _diagnosis() -> Diagnosis:
    d = make_diagnosis(
        REF,
        CAND,
        (
            ("minor", "casing_changed", "TikTok", "Tiktok"),
            ("major", "value_changed", "10", "12"),
            ("minor", "casing_changed", "TikTok", "Tiktok"),
            ("critical", "omitted", "A closing line", ""),
        ),
    )
    # the second TikTok is the second place, not the first again
    second = Location("Tiktok", CAND.index("Tiktok", 1), CAND.index("Tiktok", 1) + 6)
    findings = list(d.findings)  # type: ignore[attr-defined]
    findings[2] = replace(findings[2], candidate=second)
    ref = replace(d.reference, set_aside=(SetAside(REF.index("Another"), len(REF) - 1, "related-articles tail"),))  # type: ignore[attr-defined]
    return replace(d, findings=tuple(findings), reference=ref)  # type: ignore[arg-type]


def test_counts_and_groups() -> None:
    v = ReportView.build(_diagnosis())
    assert dict(v.counts) == {"critical": 1, "major": 1, "minor": 2} and v.total_findings == 4
    assert [(g.severity, g.rule, g.count) for g in v.groups] == [
        ("critical", "named_entity/omitted", 1),
        ("major", "number/value_changed", 1),
        ("minor", "named_entity/casing_changed", 2),
    ]
    assert [p.number for p in v.groups[2].places] == [1, 3]
    assert [g.severity for g in v.serious] == ["critical", "major"] and [g.severity for g in v.minor] == ["minor"]
    assert v.counts_line == "1 critical, 1 major, 2 minor findings · MQM penalty 12.5 per 1000 words"


def test_groups_order_most_severe_then_most_repeated_then_first_place() -> None:
    d = _diagnosis()
    extra = replace(d.findings[1], reference=Location("hit", 6, 9), candidate=Location("hit", 6, 9))
    groups = group_findings((*d.findings, extra, extra))
    assert [(g.severity, g.count) for g in groups][:3] == [("critical", 1), ("major", 2), ("major", 1)]


def test_alignment_summary_and_weakest_pairs() -> None:
    v = ReportView.build(_diagnosis())
    assert v.shape == (("1-1", 3), ("1-0", 1))
    assert v.alignment_line == "reference coverage 86%, candidate coverage 86% (4 pairs: 1-1 ×3, 1-0 ×1)"
    assert [p.index for p in v.omitted] == [3] and v.added == ()
    assert [(p.index, p.chrf) for p in v.weakest] == [(0, 60.0), (1, 61.0), (2, 62.0)]
    assert v.pairs[0].reference_text == "TikTok grew fast. TikTok hired staff."
    assert [m.label for m in v.metrics] == ["BLEU", "chrF", "TER"]
    assert [m.pair_median for m in v.metrics] == [51.0, 61.0, 39.0]


def test_set_aside_stretches_and_documents() -> None:
    v = ReportView.build(_diagnosis())
    assert [(s.role, s.reason, s.text) for s in v.set_aside] == [("reference", "related-articles tail", "Another closing line.")]
    assert [(doc.role, doc.path, doc.sentences, doc.set_aside) for doc in v.documents] == [
        ("reference", "ref.txt", 4, 1),
        ("candidate", "cand.txt", 3, 0),
    ]


def test_verdict_line() -> None:
    v = ReportView.build(_diagnosis())
    assert (v.assessed, v.verdict_line) == (False, "Verdict not assessed")


def test_input_text_is_printable_and_offsets_hold() -> None:
    d = make_diagnosis("Pay \u202e10 now.\n", "Pay \u202e12 now.\n", (("major", "value_changed", "\u202e10", "\u202e12"),))
    v = ReportView.build(d)  # type: ignore[arg-type]
    assert "\u202e" not in v.pairs[0].candidate_text and "\ufffd12" in v.pairs[0].candidate_text
    c = v.context("candidate", v.groups[0].candidate)  # type: ignore[arg-type]
    assert (c.before, c.span, c.after) == ("Pay ", "\ufffd12", " now. ")


def test_context_and_joining() -> None:
    text = "  a\n\nb  " + "x" * 50
    c = context(text, Location("b", 5, 6), chars=3)
    assert (c.before, c.span, c.after) == ("…a ", "b", " x…")
    assert context("ab", Location("", 1, 1)).span == "∅"
    d = _diagnosis()
    assert pair_text(d.candidate, (0, 1)) == segment(d.candidate, (0, 1))[0] == CAND.splitlines()[0] + " " + CAND.splitlines()[1]
    assert segment(d.candidate, (0, 1))[1] == [(0, 0, 37), (38, 38, 19)]


def test_missing_at_is_after_the_last_candidate_sentence_before_the_pair() -> None:
    d = _diagnosis()
    omitted = replace(d.findings[3], pair=3)
    assert missing_at(d, omitted) == d.candidate.sentences[2].end
    assert missing_at(d, replace(omitted, pair=None)) == 0
