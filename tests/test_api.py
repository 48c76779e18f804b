"""The Python API a notebook user meets: to_dict (the JSON contract), a short repr, _repr_html_."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from diag.model import Diagnosis
from diag.render.html import body, render
from diag.render.json import render as render_json

SCHEMA = json.loads((Path(__file__).parents[1] / "diag" / "data" / "report.schema.json").read_text(encoding="utf-8"))


def test_to_dict_is_the_json_contract() -> None:
    import diag

    ref = "Alpha Corp hired 10 people in May. The office opened in June and sales grew.\n"
    d = diag.diagnose(ref, ref.replace("10", "12"))
    data = d.to_dict()
    assert data == json.loads(render_json(d))
    jsonschema.validate(data, SCHEMA)
    assert data["schema"] == "diag.report/1"


@pytest.mark.parametrize(
    "id,expected",
    [
        (None, "<Diagnosis not assessed, chrF 73.1, 1 critical, 3 major, 1 minor (ref.txt -> cand.txt)>"),
        ("rec-7", "<Diagnosis 'rec-7': not assessed, chrF 73.1, 1 critical, 3 major, 1 minor (ref.txt -> cand.txt)>"),
    ],
)
def test_repr_is_one_short_line(demo_diagnosis: Diagnosis, id: str | None, expected: str) -> None:
    text = repr(replace(demo_diagnosis, id=id))
    assert text == expected
    assert demo_diagnosis.reference.text[:40] not in text


def test_repr_of_inline_texts_with_a_verdict() -> None:
    import diag

    ref = "Alpha Corp hired ten people in May. The office opened in June and sales grew.\n"
    d = diag.diagnose(ref, ref)
    assert repr(d) == "<Diagnosis copy, chrF 100.0, 0 critical, 0 major, 0 minor (<text> -> <text>)>"


def test_repr_html_is_the_report_body(demo_diagnosis: Diagnosis) -> None:
    html = demo_diagnosis._repr_html_()
    assert html == body(demo_diagnosis)
    assert html in render(demo_diagnosis)
    assert html.startswith("<header>") and "<script" not in html and "<html" not in html
