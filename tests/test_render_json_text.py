"""``dumps_indented`` writes what ``json.dumps(value, ensure_ascii=False, indent=2)`` writes, for any
JSON-like value: the specification is ``json.dumps`` itself."""

from __future__ import annotations

import enum
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diag.render.json import dumps_indented, render, to_dict


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
