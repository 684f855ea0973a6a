"""Tests for geo.crs: cached always_xy transformers and the TWD97 round trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Geod

from geo import crs

LON = st.floats(min_value=crs.TAIWAN_BBOX[0], max_value=crs.TAIWAN_BBOX[2])
LAT = st.floats(min_value=crs.TAIWAN_BBOX[1], max_value=crs.TAIWAN_BBOX[3])


def test_transformers_are_cached() -> None:
    assert crs.transformer(crs.WGS84, crs.TWD97_TM2) is crs.transformer(crs.WGS84, crs.TWD97_TM2)


@pytest.mark.parametrize(
    ("lon", "lat", "x", "y"),
    [
        (121.0, 0.0, 250_000.0, 0.0),  # the zone's origin: central meridian 121°E, false easting
        (121.5645, 25.0340, 307_000.0, 2_769_900.0),  # Taipei 101, to the nearest ~1 km
    ],
)
def test_to_twd97_known_points(lon: float, lat: float, x: float, y: float) -> None:
    east, north = crs.to_twd97(lon, lat)
    tolerance = 1e-6 if lat == 0 else 1_000
    assert east == pytest.approx(x, abs=tolerance)
    assert north == pytest.approx(y, abs=tolerance)


@given(lon=LON, lat=LAT)
def test_round_trip_over_taiwan(lon: float, lat: float) -> None:
    back_lon, back_lat = crs.to_lonlat(*crs.to_twd97(lon, lat))
    assert abs(back_lon - lon) < 1e-7
    assert abs(back_lat - lat) < 1e-7


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ((121.5170, 25.0478), (120.3025, 22.6394)),  # Taipei to Kaohsiung main stations
        ((121.2425, 24.8117), (121.2500, 24.8200)),  # across 石門水庫, about 1 km
    ],
)
def test_distance_m_matches_the_ellipsoid(a: tuple[float, float], b: tuple[float, float]) -> None:
    _, _, geodesic = Geod(ellps="GRS80").inv(*a, *b)
    assert crs.distance_m(a, b) == pytest.approx(geodesic, rel=1e-3)
