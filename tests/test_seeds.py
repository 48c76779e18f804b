"""The seed documents (read from ../shared, skipped where absent): alignment and furniture."""

from __future__ import annotations

import pytest

import diag
from tests.conftest import seed_path


@pytest.fixture(scope="module")
def round_trip() -> diag.Diagnosis:
    ref = seed_path("001")
    cand = seed_path("000")
    return diag.diagnose(ref.read_text(encoding="utf-8"), cand.read_text(encoding="utf-8"))


def test_every_candidate_sentence_of_the_round_trip_is_aligned(round_trip: diag.Diagnosis) -> None:
    added = round_trip.alignment.added()
    assert added == (), [round_trip.candidate.sentences[p.candidate[0]].text for p in added]
    assert round_trip.alignment.candidate_coverage == 1.0
    assert round_trip.alignment.reference_coverage > 0.95


def test_aligned_pairs_render_each_other(round_trip: diag.Diagnosis) -> None:
    # A round trip keeps most sentences one to one and each pair is clearly similar.
    matched = round_trip.alignment.matched()
    assert sum(1 for p in matched if p.kind == "1-1") >= 0.8 * len(matched)
    assert min(p.similarity for p in matched) > 0.4


def test_caption_and_page_furniture_are_set_aside(round_trip: diag.Diagnosis) -> None:
    ref = round_trip.reference
    pieces = [ref.text[a.start : a.end] for a in ref.set_aside]
    assert any(p.startswith("In this photo illustration") for p in pieces)
    tail = max(ref.set_aside, key=lambda a: a.end)
    assert ref.text[tail.start :].lstrip().startswith("Related Article") or "Related Article" in "".join(pieces)
    assert tail.end >= len(ref.text.rstrip())
    # Nothing set aside is part of any sentence.
    for s in ref.sentences:
        for a in ref.set_aside:
            assert s.end <= a.start or s.start >= a.end
    assert round_trip.candidate.set_aside == ()


def test_seed_scores_are_plausible(round_trip: diag.Diagnosis) -> None:
    assert 55 < round_trip.metrics["chrf"].score < 75
    assert 20 < round_trip.metrics["bleu"].score < 50
