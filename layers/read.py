"""Stage 1: read the source documents as lines of text."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from geo.errors import DocumentReadError
from layers.records import Document

__all__ = ["normalise_line", "read_document", "read_documents"]

# Full-width digits, Latin letters and the marks of numbers, as another PDF converter prints
# them (１１０, ４５％, １，０４６): read as their ASCII forms. CJK punctuation (，。「」（）) is
# left alone: the parsers read it as printed.
_FULL_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + k): str(k) for k in range(10)},
        **{chr(0xFF21 + k): chr(ord("A") + k) for k in range(26)},
        **{chr(0xFF41 + k): chr(ord("a") + k) for k in range(26)},
        "％": "%",
        "．": ".",
        "\u3000": " ",
    }
)
_FULL_WIDTH_COMMA = re.compile(r"(?<=\d)，(?=\d{3}(?!\d))")


def normalise_line(text: str) -> str:
    """``text`` with full-width digits, letters, ％ and ． (and a ， between digits) in ASCII."""
    return _FULL_WIDTH_COMMA.sub(",", text.translate(_FULL_WIDTH))


log = logging.getLogger(__name__)


def read_document(path: Path) -> Document:
    """Read one UTF-8 text document.

    Raises
    ------
    DocumentReadError
        The file cannot be read or is not UTF-8 text; the message names it.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        msg = f"{path.name}: cannot be read ({exc.strerror or exc})"
        raise DocumentReadError(msg) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        msg = f"{path.name}: not UTF-8 text (byte {exc.start} is {raw[exc.start]:#04x})"
        raise DocumentReadError(msg) from exc
    if "\x00" in text:
        msg = f"{path.name}: binary content, not a text document"
        raise DocumentReadError(msg)
    printed = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    lines = tuple(normalise_line(line) for line in printed)
    return Document(name=path.name, lines=lines, printed=printed if lines != printed else ())


def read_documents(sources: Path) -> tuple[list[Document], list[tuple[str, str]]]:
    """Read every ``*.txt`` document under ``sources``, in name order.

    Returns the documents read and, for each one that could not be read, its name and the
    reason; one unreadable document never stops the others.
    """
    documents: list[Document] = []
    failures: list[tuple[str, str]] = []
    for path in sorted(sources.glob("*.txt")):
        try:
            documents.append(read_document(path))
        except DocumentReadError as exc:
            failures.append((path.name, str(exc)))
    log.info("read: %d documents (%d unreadable)", len(documents), len(failures))
    return documents, failures
