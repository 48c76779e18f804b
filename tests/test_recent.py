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


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.booleans()), max_size=60), st.integers(0, 4))
def test_get_or_make_shares_the_store_and_makes_only_what_is_not_kept(asks: list[tuple[int, bool]], size: int) -> None:
    """Asked through ``get_or_make`` (its own function) or as a call (the store's), a key is made once while it is
    kept, by the function it was first asked with; the order of use is one, as in a least-recently-used list."""
    calls: list[tuple[str, int]] = []

    def make(key: int) -> str:
        calls.append(("own", key))
        return f"own {key}"

    def other(key: int) -> str:
        calls.append(("other", key))
        return f"other {key}"

    recent: Recent[int, str] = Recent(make, size)
    kept: dict[int, str] = {}  # the specification, least recently used first
    expected_calls: list[tuple[str, int]] = []
    for key, own in asks:
        got = recent(key) if own else recent.get_or_make(key, other)
        if key in kept:
            value = kept.pop(key)
        else:
            value = f"own {key}" if own else f"other {key}"
            expected_calls.append(("own" if own else "other", key))
            if size and len(kept) >= size:
                del kept[next(iter(kept))]
        if size:
            kept[key] = value
        assert got == value
        assert calls == expected_calls
        assert len(recent) == len(kept) <= size
