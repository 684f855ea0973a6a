"""Shared fixtures: the bundled sources, golden-file comparison, a temporary build."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the golden files from the current output instead of comparing.",
    )


def normalise(data: Any) -> Any:
    """Golden form: sorted keys, floats rounded to 6 decimals."""
    if isinstance(data, float):
        return round(data, 6)
    if isinstance(data, dict):
        return {key: normalise(data[key]) for key in sorted(data)}
    if isinstance(data, (list, tuple)):
        return [normalise(item) for item in data]
    return data


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, Any], None]:
    """Compare data with ``tests/golden/NAME.json`` (or rewrite it with --update-golden)."""

    def check(name: str, data: Any) -> None:
        path = GOLDEN / f"{name}.json"
        text = json.dumps(normalise(data), ensure_ascii=False, indent=1) + "\n"
        if request.config.getoption("--update-golden"):
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}; run pytest --update-golden and review it"
        assert json.loads(text) == json.loads(path.read_text(encoding="utf-8"))

    return check


@pytest.fixture(scope="session")
def sources() -> Path:
    return SOURCES
