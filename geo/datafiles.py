"""Where the bundled data files are, and one way to open them that names a missing path."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from geo.errors import DataFileError

__all__ = ["DATA_DIR", "data_path", "own_folder", "replace_text"]

#: The repository's ``data/`` folder (the package is installed in development mode).
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def data_path(*parts: str, root: Path | None = None) -> Path:
    """The path of a bundled data file, checked to exist.

    Raises
    ------
    DataFileError
        The file is not there; the message names the path looked for.
    """
    path = (root or DATA_DIR).joinpath(*parts)
    if not path.exists():
        msg = f"data file not found: {path}"
        raise DataFileError(msg)
    return path


def own_folder(folder: Path) -> bool:
    """Make ``folder`` (and its parents) for this user alone, or check that an existing one is:
    whether it belongs to this user and no one else may write to it. What the app reads back
    from such a folder (a build's copy, compiled templates) runs as its own, so a folder
    another user could write to is not to be used.

    Raises
    ------
    OSError
        The folder cannot be made.
    """
    for missing in reversed([path for path in (folder, *folder.parents) if not path.exists()]):
        missing.mkdir(mode=0o700, exist_ok=True)  # the parents it makes too, not only the last
    held = folder.stat()
    return held.st_uid == os.getuid() and not held.st_mode & 0o022


def replace_text(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``
    (atomic on one file system: a reader sees the old file or the new one, never a part)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
