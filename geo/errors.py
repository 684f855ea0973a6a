"""The one exception tree of the atlas.

Every error the atlas raises on purpose descends from :class:`AtlasError`; leaves also
subclass the matching built-in so callers may catch either::

    AtlasError
    ├── DataFileError(FileNotFoundError)      a bundled data file is missing or unreadable
    ├── DocumentError                         a source document cannot be used
    │   ├── DocumentReadError(OSError)        the file cannot be read or decoded
    │   └── UnknownDocumentError(ValueError)  no parser recognises its content
    ├── ParseError(ValueError)                a printed value cannot be read (number, date…)
    ├── BuildError(RuntimeError)              a build cannot produce or find its output
    ├── ExportError(RuntimeError)             an export cannot be written in that format
    ├── DatabaseError(RuntimeError)           the shared database cannot be reached or used
    ├── PlaceError
    │   ├── PlaceNotFoundError(LookupError)   a text names no known place
    │   └── AmbiguousPlaceError(LookupError)  a name fits several places and context is silent
    └── FilterError(ValueError)               a filter value that does not exist

Domain errors carry no HTTP status: the web app maps them to problem responses.
"""

from __future__ import annotations

__all__ = [
    "AmbiguousPlaceError",
    "AtlasError",
    "BuildError",
    "DataFileError",
    "DatabaseError",
    "DocumentError",
    "DocumentReadError",
    "ExportError",
    "FilterError",
    "ParseError",
    "PlaceError",
    "PlaceNotFoundError",
    "UnknownDocumentError",
]


class AtlasError(Exception):
    """Base of every error raised by the atlas on purpose."""


class DataFileError(AtlasError, FileNotFoundError):
    """A bundled data file is missing or cannot be read."""


class DocumentError(AtlasError):
    """A source document cannot be used."""


class DocumentReadError(DocumentError, OSError):
    """A source document cannot be read or decoded."""


class UnknownDocumentError(DocumentError, ValueError):
    """No parser recognises the document's content."""


class ParseError(AtlasError, ValueError):
    """A printed value (number, date, unit) cannot be read."""


class BuildError(AtlasError, RuntimeError):
    """A build cannot produce its output, or a build directory is not there."""


class ExportError(AtlasError, RuntimeError):
    """An export cannot be written: unknown format, no file for a binary format, a driver error."""


class DatabaseError(AtlasError, RuntimeError):
    """The shared database (``--db``) cannot be reached, holds no build, or refuses a load."""


class PlaceError(AtlasError):
    """A place cannot be resolved."""


class PlaceNotFoundError(PlaceError, LookupError):
    """A text names no known place."""


class AmbiguousPlaceError(PlaceError, LookupError):
    """A name fits several places and its context does not say which."""


class FilterError(AtlasError, ValueError):
    """A query parameter or value that does not exist or cannot be read.

    The message is English; ``zh`` is the same sentence in Chinese, for the Chinese page.
    """

    def __init__(self, message: str, *, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh or message
