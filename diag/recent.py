"""Values kept for their next use, the most recently used first to stay.

What a stage reads from one sentence text (or one pair of texts) alone is read once while the text
recurs nearby: documents repeat lines, and a copy repeats the other side's. At most ``size`` values
are kept, so memory stays bounded on texts that never repeat one.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Recent(Generic[K, V]):
    """``make(key)`` for each key asked for, kept for the ``size`` most recently used keys (0: none)."""

    __slots__ = ("_kept", "_make", "_size")

    def __init__(self, make: Callable[[K], V], size: int) -> None:
        self._make = make
        self._size = size
        self._kept: OrderedDict[K, V] = OrderedDict()

    def __call__(self, key: K) -> V:
        kept = self._kept
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
        value = self._make(key)
        if self._size:
            if len(kept) >= self._size:
                kept.popitem(last=False)  # the least recently used
            kept[key] = value
        return value

    def get_or_make(self, key: K, make: Callable[[K], V]) -> V:
        """``self(key)``, but a key not kept is made by ``make`` rather than the store's own function.

        For a value that depends on more than its key in a way each user corrects for: a sentence read at
        the place it first occurs, and shifted to each later place it is asked for at.
        """
        kept = self._kept
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
        value = make(key)
        if self._size:
            if len(kept) >= self._size:
                kept.popitem(last=False)  # the least recently used
            kept[key] = value
        return value

    def __len__(self) -> int:
        return len(self._kept)
