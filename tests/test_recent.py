"""``Recent`` returns what its function returns, calls it once per key while the key is among the most
recently used, and keeps no more than its size."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from diag.recent import Recent


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=60), st.integers(0, 4))
def test_values_calls_and_size_are_those_of_a_least_recently_used_list(keys: list[int], size: int) -> None:
    calls: list[int] = []

    def make(key: int) -> str:
        calls.append(key)
        return f"value {key}"

    recent: Recent[int, str] = Recent(make, size)
    order: list[int] = []  # the specification: the kept keys, least recently used first
    expected_calls: list[int] = []
    for key in keys:
        assert recent(key) == f"value {key}"
        if key in order:
            order.remove(key)
        else:
            expected_calls.append(key)
            if size and len(order) >= size:
                order.pop(0)
        if size:
            order.append(key)
        assert calls == expected_calls
        assert len(recent) == len(order) <= size
