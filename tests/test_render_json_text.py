"""``dumps_indented`` writes what ``json.dumps(value, ensure_ascii=False, indent=2)`` writes, for any
JSON-like value: the specification is ``json.dumps`` itself."""

from __future__ import annotations

import enum
import io
import json
import math
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diag.render.json import _Lazy, _write_indented, dumps_indented, render, to_dict, write


def _spec(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e16, 1e-7, 100.00000000000004, math.inf, -math.inf, math.nan]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.text(alphabet=st.sampled_from(list('a"\\\n\t\x00\x1f\x7f\u2028é’\U0001f600 ')), max_size=8),
)
keys = st.one_of(
    st.text(max_size=6),
    st.integers(min_value=-5, max_value=5),
    st.floats(allow_nan=False, width=16),
    st.booleans(),
    st.none(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(keys, inner, max_size=5),
    ),
    max_leaves=40,
)


@settings(max_examples=600, deadline=None)
@given(values)
def test_same_text_as_json_dumps(value: Any) -> None:
    assert dumps_indented(value) == _spec(value)


class _Kind(enum.IntEnum):
    ONE = 1


class _Text(str):
    pass


@pytest.mark.parametrize(
    "value",
    [
        {"a": _Kind.ONE},  # int subclasses: json.dumps writes them (int.__repr__), not repr()
        [_Text("x"), {"k": [True, None]}],
        {_Text("key"): 1.5},
        {True: [1.0, -0.0], "x": {}},
        {1: "a", 2.5: "b", False: "c", None: "d"},
        [[], {}, [[]], [{}]],
        {"nested": {"deeper": {"deepest": [1, [2, [3]]]}}},
    ],
)
def test_unusual_values_same_as_json_dumps(value: Any) -> None:
    assert dumps_indented(value) == _spec(value)


def test_what_json_dumps_refuses_is_refused_alike() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_indented(loop)
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps_indented({"a": {1, 2}})
    with pytest.raises(TypeError, match="keys must be"):
        dumps_indented({(1, 2): 0})


def test_report_text_is_json_dumps_of_the_report(demo_diagnosis: Any) -> None:
    assert render(demo_diagnosis) == _spec(to_dict(demo_diagnosis)) + "\n"


# --- write: the report in parts, the same text as render ------------------------------------


def _lazily(value: Any, draw: Any) -> Any:
    """``value`` with some of its lists (in dicts, as the report's are) made ``_Lazy``: what ``write`` streams."""
    if type(value) is dict:
        return {k: _lazily(v, draw) for k, v in value.items()}
    if type(value) is list and draw(st.booleans()):
        return _Lazy(iter(value))
    return value


@settings(max_examples=400, deadline=None)
@given(values, st.data())
def test_written_in_parts_same_text_as_json_dumps(value: Any, data: Any) -> None:
    parts: list[str] = []
    _write_indented(_lazily(value, data.draw), 0, ["\n"], {}, parts.append)
    assert "".join(parts) == _spec(value)


def _written(d: Any) -> str:
    with io.StringIO() as out:
        out.write("kept")  # write starts where the handle is
        write(d, out)
        return out.getvalue()


def test_write_is_render(demo_diagnosis: Any) -> None:
    assert demo_diagnosis.findings
    assert _written(demo_diagnosis) == "kept" + render(demo_diagnosis)
    bare = replace(demo_diagnosis, findings=(), notes=())  # empty lists in parts: "[]"
    assert _written(bare) == "kept" + render(bare)


def test_write_of_a_value_render_leaves_to_json_dumps_is_render(demo_diagnosis: Any) -> None:
    verdict = replace(demo_diagnosis.verdict, label=_Text("labelled"))  # comes after the pairs were written
    odd = replace(demo_diagnosis, verdict=verdict)
    assert _written(odd) == "kept" + render(odd) == "kept" + _spec(to_dict(odd)) + "\n"


def test_cli_report_json_is_render(tmp_path: Any) -> None:
    from diag.cli import main
    from diag.pipeline import build_document, diagnose

    ref, cand = "Mara Lindqvist met the council on Tuesday. It approved 1,200 jobs.", "Mara Lindkvist met the council on Tuesday. It approved 1,300 jobs."
    (tmp_path / "r.txt").write_text(ref, encoding="utf-8")
    (tmp_path / "c.txt").write_text(cand, encoding="utf-8")
    assert main(["report", str(tmp_path / "r.txt"), str(tmp_path / "c.txt"), "-o", str(tmp_path / "x.json")]) == 0
    d = diagnose(build_document(ref, path=str(tmp_path / "r.txt")), build_document(cand, path=str(tmp_path / "c.txt")))
    assert (tmp_path / "x.json").read_text(encoding="utf-8") == render(d)
