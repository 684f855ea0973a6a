"""The app's own scripts and styles sent gzipped to browsers that accept it.

waitress does not compress. Leaflet alone is 147 kB as written and 42 kB gzipped, a third of
the map page's weight on a phone. A file is compressed once (kept by path and modification
time) and sent with ``Content-Encoding: gzip``, ``Vary: Accept-Encoding`` and its own ETag.
"""

from __future__ import annotations

import gzip
from typing import Final

from flask import Flask, Response, request

from webapp.cache import LRU

__all__ = ["register_compression"]

_TYPES: Final = frozenset(
    {"text/css", "text/javascript", "application/javascript", "image/svg+xml", "text/plain"}
)
_SMALLEST: Final = 1024  # bytes: below this gzip saves nothing worth a header


def register_compression(app: Flask) -> None:
    """Compress the static text files of ``app`` for browsers that accept gzip."""
    packed: LRU[bytes] = LRU(64)

    @app.after_request
    def compress(response: Response) -> Response:
        if (
            not request.path.startswith("/static/")
            or response.status_code != 200
            or response.mimetype not in _TYPES
            or "Content-Encoding" in response.headers
            or request.accept_encodings.quality("gzip") <= 0
        ):
            return response
        response.direct_passthrough = False
        body = response.get_data()
        if len(body) < _SMALLEST:
            return response
        key = (request.path, response.last_modified, len(body))
        response.set_data(packed.get(key, lambda: gzip.compress(body, compresslevel=9)))
        response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
        etag, weak = response.get_etag()
        if etag:
            response.set_etag(f"{etag}-gzip", weak=bool(weak))
        return response
