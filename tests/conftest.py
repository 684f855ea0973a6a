"""Options shared by every test: ``--update-golden`` rewrites golden files from the code."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--update-golden``."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from what the code produces (review the diff by hand)",
    )
