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
from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import Any, Final

from flask import current_app
from werkzeug.exceptions import ServiceUnavailable

from webapp.cache import LRU

__all__ = ["HeavyWork", "Sending", "heavy_work"]

RETRY_AFTER: Final = 10  # seconds


class HeavyWork:
    """At most ``slots`` heavy answers made at once; finished ones cached up to ``cache_bytes``."""

    def __init__(self, slots: int, wait: float, cache_bytes: int) -> None:
        self._slots = threading.BoundedSemaphore(slots)
        self._wait = wait
        self._cache: LRU[bytes] = LRU(cache_bytes, weigh=len)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> HeavyWork:
        """The gate of the app's settings (:mod:`webapp.config`)."""
        return cls(
            config["ATLAS_EXPORT_SLOTS"],
            config["ATLAS_EXPORT_WAIT"],
            config["ATLAS_EXPORT_CACHE_MB"] * 1024 * 1024,
        )

    def answer(self, key: Hashable | None, make: Callable[[], bytes]) -> bytes:
        """The bytes for ``key``: from the cache, or made by ``make`` in a slot (and kept,
        unless ``key`` is ``None``: an answer that changes, such as one with a time stamp).

        Raises
        ------
        ServiceUnavailable
            No slot came free within the wait (a 503 with Retry-After).
        """
        if key is None:
            return self._in_slot(make)
        return self._cache.get(key, lambda: self._in_slot(make))

    def stream(self, make: Callable[[], Iterator[bytes]]) -> Iterator[bytes]:
        """The pieces ``make`` gives, sent as they come, in a slot taken now (a 503 before
        anything is sent when none comes free) and given back when the last piece is sent or
        the client goes away. ``make`` runs in the slot before anything is sent (so that an
        error in it is still an error response). Nothing is cached: an answer too big to keep
        is made each time."""
        self._take()
        try:
            pieces = make()
        except BaseException:
            self._slots.release()
            raise
        return Sending(pieces, self._slots.release)

    def _in_slot(self, make: Callable[[], bytes]) -> bytes:
        self._take()
        try:
            return make()
        finally:
            self._slots.release()

    def _take(self) -> None:
        if not self._slots.acquire(timeout=self._wait):
            busy = "the server is busy with other downloads; please try again in a few seconds"
            raise ServiceUnavailable(busy, retry_after=RETRY_AFTER)


class Sending(Iterator[bytes]):
    """Pieces being sent, and what to do once: when the last is sent or the server closes the
    answer (the client went away), even before the first piece (a generator that never
    started would run no ``finally``)."""

    def __init__(self, pieces: Iterator[bytes], done: Callable[[], object]) -> None:
        self._pieces = pieces
        self._done: Callable[[], object] | None = done

    def __next__(self) -> bytes:
        try:
            return next(self._pieces)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close the pieces (a file they read goes) and call ``done``, once."""
        done, self._done = self._done, None
        if done is None:
            return
        try:
            close = getattr(self._pieces, "close", None)
            if close is not None:
                close()
        finally:
            done()


def heavy_work() -> HeavyWork:
    """The gate of the app handling the current request (made by :func:`webapp.create_app`)."""
    gate = current_app.extensions["atlas_heavy"]
    assert isinstance(gate, HeavyWork)
    return gate
