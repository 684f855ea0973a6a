"""The compiled page templates, kept between starts in ``ATLAS_CACHE/templates``."""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

from jinja2.bccache import Bucket, FileSystemBytecodeCache

__all__ = ["TemplateCache"]


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in a folder, which a disk that fails never breaks: a
    template it cannot read is compiled from its source, one it cannot write is not kept (the
    folder removed by a cleaner of temporary files, a full disk), and the page is served."""

    def __init__(self, folder: Path, log: logging.Logger) -> None:
        super().__init__(str(folder))
        self._log = log

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, pickle.UnpicklingError) as exc:  # a damaged file
            bucket.reset()
            self._log.warning("a compiled template could not be read: %s", exc)

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as exc:
            self._log.warning("a compiled template could not be kept: %s", exc)
