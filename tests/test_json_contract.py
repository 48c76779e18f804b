"""The diag.report/1 JSON contract: schema, offsets, and what the scorer reads."""

from __future__ import annotations

import json
from importlib.resources import files

import jsonschema
import pytest

import diag
from diag.render.json import render, to_dict

SCHEMA = json.loads((files("diag") / "data" / "report.schema.json").read_text(encoding="utf-8"))

REF = (
    "Orvane Systems said on Monday it would cut 1,200 jobs by 2026.\n"
    "Chief executive Mara Lindqvist blamed weak demand in Europe.\n"
    "In this photo illustration, an Orvane logo is seen on a phone screen.\n"
)
CAND = (
    "Orvane Systems said Monday it will cut 12,000 jobs by 2026.\n"
    "CEO Mara Lindkvist blamed the weak demand in Europe.\n"
)


@pytest.fixture(scope="module")
def report() -> dict:
    return json.loads(render(diag.diagnose(REF, CAND)))


def test_validates_against_the_shipped_schema(report: dict) -> None:
    jsonschema.validate(report, SCHEMA)


def test_required_keys(report: dict) -> None:
    assert report["schema"] == "diag.report/1"
    for side in ("reference", "candidate"):
        assert set(report[side]) >= {"path", "encoding", "sentences", "set_aside"}
    assert set(report["alignment"]) >= {"pairs", "reference_coverage", "candidate_coverage"}
    assert set(report["metrics"]) == {"bleu", "chrf", "chrf++", "ter"}
    assert set(report["verdict"]) >= {"relation", "machine_probability", "label", "confidence", "evidence"}
    for pair in report["alignment"]["pairs"]:
        assert set(pair["scores"]) >= {"bleu", "chrf", "ter"}


def test_offsets_are_str_indices(report: dict) -> None:
    texts = {"reference": REF, "candidate": CAND}
    for side, text in texts.items():
        for s in report[side]["sentences"]:
            assert text[s["start"] : s["end"]].strip() == text[s["start"] : s["end"]]
        for a in report[side]["set_aside"]:
            assert 0 <= a["start"] < a["end"] <= len(text)
    for f in report["findings"]:
        for side in ("reference", "candidate"):
            loc = f[side]
            if loc is not None:
                assert texts[side][loc["start"] : loc["end"]] == loc["text"]


def test_caption_set_aside_and_not_aligned(report: dict) -> None:
    (aside,) = report["reference"]["set_aside"]
    assert REF[aside["start"] : aside["end"]].startswith("In this photo illustration")
    assert aside["reason"] == "photo caption"
    assert len(report["reference"]["sentences"]) == 2


def test_batch_id_is_carried() -> None:
    out = to_dict(diag.diagnose(REF, CAND, id="rec-7"))
    assert out["id"] == "rec-7"
    assert list(out)[:2] == ["schema", "id"]


def test_non_ascii_survives() -> None:
    ref = "Zoë Kraviß visited Łódź on 3 May.\n"
    out = json.loads(render(diag.diagnose(ref, ref)))
    s = out["reference"]["sentences"][0]
    assert ref[s["start"] : s["end"]] == ref.strip()
