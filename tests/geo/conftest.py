"""Fixtures for the geo tests: the bundled boundaries and a tiny gazetteer of real sites."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.boundaries import Boundaries, load_boundaries
from geo.gazetteer import Facility, load_facilities
from geo.names import PlaceNames, default_place_names

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="session")
def boundaries() -> Boundaries:
    """The bundled county and town boundaries (read once)."""
    return load_boundaries()


@pytest.fixture(scope="session")
def names() -> PlaceNames:
    """Every written form of every county and town."""
    return default_place_names()


@pytest.fixture(scope="session")
def gazetteer() -> tuple[Facility, ...]:
    """Seven real sites: four with a point, two known only to their town, one to its county."""
    return load_facilities(FIXTURES / "facilities.csv")
