"""Where the bundled data files are, and one way to open them that names a missing path."""

from __future__ import annotations

from pathlib import Path

from geo.errors import DataFileError

__all__ = ["DATA_DIR", "data_path"]

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
