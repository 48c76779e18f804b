"""The comparison reports: golden files for every format (our own example), escaping of untrusted text."""

from __future__ import annotations

import json

import pytest
from test_compare import BASELINE, CANDIDATE, REFERENCE, _split_example

from diag.compare import Comparison, compare
from tests.golden_files import check_golden
from diag.pipeline import build_document
from diag.render.compare import RENDERERS, render_html, render_markdown, render_terminal, to_dict, view




@pytest.fixture(scope="module")
def comparison() -> Comparison:
    base, cand = _split_example()
    return compare(
        build_document(" ".join(REFERENCE), path="harbour/reference.txt"),
        build_document(" ".join(base), path="harbour/shipped.txt"),
        build_document(" ".join(cand), path="harbour/new.txt"),
        resamples=200,
    )


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("compare.json", RENDERERS["json"]),
        ("compare.md", render_markdown),
        ("compare_100.txt", render_terminal),
        ("compare.html", render_html),
    ],
)
def test_matches_golden(comparison: Comparison, name: str, render: object) -> None:
    check_golden(name, render(comparison))  # type: ignore[operator]


def test_json_is_the_contract(comparison: Comparison) -> None:
    doc = json.loads(RENDERERS["json"](comparison))
    assert list(doc)[:3] == ["schema", "diag_version", "signature"]
    assert set(doc) >= {"schema", "signature", "metrics", "findings", "pairs"}
    assert set(doc["metrics"]["chrf"]) >= {"baseline", "candidate", "delta", "ci", "p_value"}
    assert len(doc["pairs"]) == len(comparison.units)
    assert doc == to_dict(comparison)
    # pairs name every sentence of each side once, by index into that side's spans
    for side, d in (("reference", comparison.reference), ("baseline", comparison.baseline.candidate), ("candidate", comparison.candidate.candidate)):
        assert [i for p in doc["pairs"] for i in p[side]] == list(range(len(doc[side]["sentences"])))
        assert [d.text[s["start"] : s["end"]] for s in doc[side]["sentences"]] == [s.text for s in d.sentences]


def test_view_lists_the_largest_drops_first(comparison: Comparison) -> None:
    rows = view(comparison).largest_changes(3)
    deltas = [r.m["chrf"][2] for r in rows]
    assert deltas == sorted(deltas) and deltas[0] < 0


def test_untrusted_text_is_inert_in_every_format() -> None:
    hostile = '<script>alert(1)</script> | `x` @someone \x1b[31mred'
    c = compare(" ".join(REFERENCE), " ".join(BASELINE), " ".join(CANDIDATE[:-1]) + " " + hostile, resamples=20)
    page = render_html(c)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "\x1b" not in render_terminal(c) and "\x1b" not in render_markdown(c)
    assert "@\u200bsomeone" in render_markdown(c)
