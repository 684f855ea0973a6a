"""Heavy work kept from starving light requests: a few slots, and a cache of finished answers.

A download of the whole register, or an API page of thousands of items, takes a worker thread
(and the interpreter) for seconds. :class:`HeavyWork` lets ``ATLAS_EXPORT_SLOTS`` of them run
at once; the rest wait up to ``ATLAS_EXPORT_WAIT`` seconds and are then told to come back
(503 with Retry-After) instead of queueing without end. Finished answers are kept, newest
last, up to ``ATLAS_EXPORT_CACHE_MB``: the register does not change while the app runs, so a
repeated filter is answered at once and takes no slot.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Final

from flask import current_app
from werkzeug.exceptions import ServiceUnavailable

__all__ = ["HeavyWork", "heavy_work"]

RETRY_AFTER: Final = 10  # seconds


class HeavyWork:
    """At most ``slots`` heavy answers made at once; finished ones cached up to ``cache_bytes``."""

    def __init__(self, slots: int, wait: float, cache_bytes: int) -> None:
        self._slots = threading.BoundedSemaphore(slots)
        self._wait = wait
        self._cache: OrderedDict[Hashable, bytes] = OrderedDict()
        self._cache_bytes = cache_bytes
        self._held = 0
        self._lock = threading.Lock()

    def answer(self, key: Hashable | None, make: Callable[[], bytes]) -> bytes:
        """The bytes for ``key``: from the cache, or made by ``make`` in a slot (and kept,
        unless ``key`` is ``None``: an answer that changes, such as one with a time stamp).

        Raises
        ------
        ServiceUnavailable
            No slot came free within the wait (a 503 with Retry-After).
        """
        with self._lock:
            if key is not None and key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        if not self._slots.acquire(timeout=self._wait):
            busy = "the server is busy with other downloads; please try again in a few seconds"
            raise ServiceUnavailable(busy, retry_after=RETRY_AFTER)
        try:
            body = make()
        finally:
            self._slots.release()
        if key is not None:
            self._keep(key, body)
        return body

    def _keep(self, key: Hashable, body: bytes) -> None:
        if len(body) > self._cache_bytes:
            return
        with self._lock:
            if key in self._cache:
                return
            self._cache[key] = body
            self._held += len(body)
            while self._held > self._cache_bytes:
                _, dropped = self._cache.popitem(last=False)
                self._held -= len(dropped)


def heavy_work() -> HeavyWork:
    """The app's gate, made from its settings on first use."""
    app = current_app
    gate = app.extensions.get("atlas_heavy")
    if gate is None:
        with _MAKE_LOCK:
            gate = app.extensions.get("atlas_heavy")
            if gate is None:
                config = app.config
                gate = HeavyWork(
                    config["ATLAS_EXPORT_SLOTS"],
                    config["ATLAS_EXPORT_WAIT"],
                    config["ATLAS_EXPORT_CACHE_MB"] * 1024 * 1024,
                )
                app.extensions["atlas_heavy"] = gate
    assert isinstance(gate, HeavyWork)
    return gate


_MAKE_LOCK = threading.Lock()
