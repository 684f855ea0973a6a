"""A small thread-safe LRU cache for answers computed from the register.

The register does not change while the app runs, so an answer made for one query (a page, the
marker JSON of a filter, a download) can be kept and given again; only the last are kept, up
to ``size`` values or, with ``weigh``, up to a total weight (the bytes of downloads).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["LRU"]

V = TypeVar("V")


class LRU(Generic[V]):
    """The last values made, by key, up to a total of ``size`` (each value weighs one, or what
    ``weigh`` says); safe to share between waitress's threads."""

    def __init__(self, size: int, weigh: Callable[[V], int] | None = None) -> None:
        self._size = size
        self._weigh = weigh or (lambda _value: 1)
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept for ``key``, or ``make()`` kept for the next time (unless it alone
        weighs more than the whole cache holds)."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()  # outside the lock: two threads may make it once each, both correct
        weight = self._weigh(value)
        if weight > self._size:
            return value
        with self._lock:
            if key not in self._values:
                self._values[key] = value
                self._held += weight
            self._values.move_to_end(key)
            while self._held > self._size:
                _, dropped = self._values.popitem(last=False)
                self._held -= self._weigh(dropped)
        return value
