"""Tests for geo.geocode: what a text names, where, how precisely, and what is only served."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import shapely

from geo.boundaries import Boundaries
from geo.errors import AmbiguousPlaceError, DataFileError, PlaceNotFoundError
from geo.gazetteer import Facility, FacilityKind
from geo.geocode import Geocoder, geocode, geocode_or_raise
from geo.places import GeocodeResult, PlaceKind, Precision

Run = Callable[..., GeocodeResult]


@pytest.fixture(scope="module")
def run(gazetteer: tuple[Facility, ...], boundaries: Boundaries) -> Run:
    """geocode() bound to the fixture gazetteer and the bundled boundaries."""

    def _run(text: str, name: str | None = None) -> GeocodeResult:
        return geocode(text, name=name, gazetteer=gazetteer, boundaries=boundaries)

    return _run


def _names(result: GeocodeResult) -> list[tuple[str, str, int]]:
    return [(p.kind.value, p.name, int(p.precision)) for p in result.places]


@pytest.mark.parametrize(
    ("text", "places", "precision"),
    [
        # a facility with a point: exact
        ("石門水庫", [("facility", "石門水庫", 1)], 1),
        ("石門壩加高", [("facility", "石門水庫", 1)], 1),
        ("台中港", [("facility", "臺中港", 1)], 1),
        ("核三廠除役", [("facility", "第三核能發電廠", 1)], 1),
        # a facility known only to its town, or only to its county
        ("山上淨水場", [("facility", "山上淨水場", 3)], 3),
        ("曾文南化聯通管", [("facility", "曾文南化聯通管", 4)], 4),
        # towns and counties
        ("高雄大樹", [("town", "大樹區", 3)], 3),
        ("臺南山上", [("town", "山上區", 3)], 3),
        ("桃園觀音", [("town", "觀音區", 3)], 3),
        ("板橋市", [("town", "板橋區", 3)], 3),
        ("臺南市東區", [("town", "東區", 3)], 3),
        ("臺南市", [("county", "臺南市", 4)], 4),
        ("台北縣", [("county", "新北市", 4)], 4),
        ("全國", [("nation", "臺灣", 6)], 6),
        # longest match wins; a facility containing a place name is the facility
        ("新竹科學園區", [("facility", "新竹科學園區", 1)], 1),
        ("臺南山上淨水場", [("county", "臺南市", 4), ("facility", "山上淨水場", 3)], 3),
        # several sites: every one, and the coarsest precision overall
        ("石門水庫及核三廠", [("facility", "石門水庫", 1), ("facility", "第三核能發電廠", 1)], 1),
        ("石門水庫與臺南市", [("facility", "石門水庫", 1), ("county", "臺南市", 4)], 4),
        # a county drops out of the location when a site in it is named
        ("桃園市石門水庫", [("county", "桃園市", 4), ("facility", "石門水庫", 1)], 1),
        # nothing
        ("推動產業創新", [], None),
        ("", [], None),
    ],
)
def test_places_and_precision(
    run: Run,
    text: str,
    places: list[tuple[str, str, int]],
    precision: int | None,
) -> None:
    result = run(text)
    assert _names(result) == places
    assert result.precision == precision


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("新竹", ("新竹縣", "新竹市")),
        ("中山區", ("基隆市中山區", "臺北市中山區")),
        ("北區水資源局", ("新竹市北區", "臺中市北區", "臺南市北區")),
    ],
)
def test_ambiguous_names_are_reported_not_guessed(
    run: Run, text: str, candidates: tuple[str, ...]
) -> None:
    result = run(text)
    assert result.places == ()
    assert [a.candidates for a in result.ambiguous] == [candidates]


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("臺北市中山區及中山區", "臺北市"),
        ("基隆港所在的基隆市中正區與中正區", "基隆市"),
        ("新竹縣竹東鎮與新竹", "新竹縣"),
    ],
)
def test_context_resolves(run: Run, text: str, town: str) -> None:
    result = run(text)
    assert not result.ambiguous
    assert {p.county for p in result.places} == {town}
    assert any(p.by_context for p in result.places)


def test_weak_town_names_need_their_county(run: Run) -> None:
    # 北區 is also an agency region: even with 臺南市 named, a bare 北區 stays ambiguous
    result = run("臺南市北區水資源局")
    assert _names(result) == [("town", "北區", 3)]
    result = run("臺南市政府與北區水資源局")
    assert _names(result) == [("county", "臺南市", 4)]
    assert len(result.ambiguous) == 1


def test_served_places_are_separate(run: Run) -> None:
    result = run("辦理鳥嘴潭人工湖工程，供應南投及彰化地區用水")
    assert _names(result) == [("facility", "鳥嘴潭人工湖", 3)]
    assert [p.name for p in result.served] == ["南投縣", "彰化縣"]
    assert all(p.served for p in result.served)
    assert result.counties == ("南投縣",)
    assert result.located[0].name == "鳥嘴潭人工湖"


@pytest.mark.parametrize(
    ("text", "served"),
    [
        ("供水至臺南地區", ["臺南市"]),
        ("受益範圍包括高雄市及屏東縣", ["高雄市", "屏東縣"]),
        ("供應南投。彰化縣另案辦理", ["南投縣"]),  # a clause end stops the served phrase
        ("臺南山上淨水場供水系統改善", []),  # the verb after the place does not count
    ],
)
def test_served_phrases(run: Run, text: str, served: list[str]) -> None:
    assert [p.name for p in run(text).served] == served


def test_served_only_text_is_located_by_them(run: Run) -> None:
    result = run("供水至臺南地區")
    assert result.places == ()
    assert result.precision == Precision.COUNTY
    assert result.counties == ("臺南市",)


def test_offsets_and_lines_point_into_the_original(run: Run) -> None:
    text = "第一行\n辦理 台中 港 擴建\n及高雄大樹"
    result = run(text)
    port, town = result.places
    assert text[port.offset : port.offset + len(port.matched)] == port.matched == "台中 港"
    assert (port.line, town.line) == (2, 3)
    assert town.matched == "高雄大樹"
    assert run("石門水庫").places[0].line is None


def test_name_argument(run: Run) -> None:
    result = run("工程位於新竹縣竹東鎮", name="石門水庫更新改善計畫")
    assert [(p.source, p.name) for p in result.places] == [
        ("text", "竹東鎮"),
        ("name", "石門水庫"),
    ]


def test_approximate_flags(run: Run) -> None:
    exact, town_only, county = run("石門水庫、山上淨水場與臺東縣").places
    assert not exact.approximate
    assert town_only.approximate
    assert county.approximate


def test_geometry(run: Run, boundaries: Boundaries) -> None:
    one = run("石門水庫").geometry()
    assert isinstance(one, shapely.Point)
    assert (one.x, one.y) == (121.2425, 24.8117)
    many = run("石門水庫及核三廠與臺東縣").geometry()
    assert isinstance(many, shapely.MultiPoint)
    assert len(many.geoms) == 3
    assert run("推動產業創新").geometry() is None
    # a town or county stands at a point inside its polygon
    point = run("高雄大樹").geometry()
    assert boundaries.geometry("64000150").contains(point)


def test_to_dict_is_json_ready(run: Run) -> None:
    data = run("石門水庫及高雄大樹\n供應南投地區").to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["precision"] == 3
    assert data["geometry"]["type"] == "MultiPoint"
    town = data["places"][1]
    assert town["county"] == "高雄市"
    assert town["town"] == "大樹區"
    assert town["lon"] == round(town["lon"], 6)
    assert (town["matched"], town["offset"], town["line"]) == ("高雄大樹", 5, 1)
    assert data["served"][0]["name"] == "南投縣"


def test_or_raise(gazetteer: tuple[Facility, ...], boundaries: Boundaries) -> None:
    kwargs = {"gazetteer": gazetteer, "boundaries": boundaries}
    assert geocode_or_raise("石門水庫", **kwargs).precision == Precision.EXACT
    with pytest.raises(PlaceNotFoundError, match="no place"):
        geocode_or_raise("推動產業創新", **kwargs)
    with pytest.raises(AmbiguousPlaceError, match="新竹縣 or 新竹市"):
        geocode_or_raise("新竹", **kwargs)


@pytest.mark.parametrize(
    ("county", "town", "message"),
    [
        ("北京市", None, "北京市"),
        ("新竹", None, "fits 2 counties"),
        ("新竹縣市", None, "fits 2 counties"),
        ("臺南市", "大樹區", "大樹區"),
    ],
)
def test_bad_gazetteer_rows_are_data_errors(
    boundaries: Boundaries, county: str, town: str | None, message: str
) -> None:
    towns = ((county, town),) if town else ()
    bad = Facility("某水庫", (), FacilityKind.RESERVOIR, None, None, (county,), towns, False, "")
    with pytest.raises(DataFileError, match=message):
        Geocoder([bad], boundaries)


def test_shared_alias_is_ambiguous(boundaries: Boundaries) -> None:
    a = Facility(
        "甲水庫", ("水庫甲",), FacilityKind.RESERVOIR, None, None, ("臺南市",), (), False, ""
    )
    b = Facility(
        "乙水庫", ("水庫甲",), FacilityKind.RESERVOIR, None, None, ("高雄市",), (), False, ""
    )
    result = Geocoder([a, b], boundaries).geocode("水庫甲")
    assert result.ambiguous[0].candidates == ("甲水庫", "乙水庫")
    assert Geocoder([a, b], boundaries).geocode("高雄市水庫甲").places[-1].name == "乙水庫"


def test_extended_facilities_are_near(boundaries: Boundaries) -> None:
    pipe = Facility("某管線", (), FacilityKind.PIPELINE, 120.3, 23.1, ("臺南市",), (), False, "")
    place = Geocoder([pipe], boundaries).geocode("某管線").places[0]
    assert place.precision == Precision.NEAR
    assert place.approximate


def test_a_site_spanning_counties_is_in_each(boundaries: Boundaries) -> None:
    pipe = Facility(
        "甲乙管線",
        ("甲乙幹管",),
        FacilityKind.PIPELINE,
        None,
        None,
        ("桃園市", "新竹縣", "新竹市"),
        (("桃園市", "平鎮區"),),
        False,
        "town and county only",
    )
    result = Geocoder([pipe], boundaries).geocode("辦理甲乙幹管工程")
    assert result.counties == ("新竹縣", "新竹市", "桃園市")  # by county code
    assert [(p.county, p.town, p.precision) for p in result.located] == [
        ("桃園市", "平鎮區", Precision.TOWN),
        ("新竹縣", None, Precision.COUNTY),
        ("新竹市", None, Precision.COUNTY),
    ]
    geometry = result.geometry()
    assert isinstance(geometry, shapely.MultiPoint)
    assert len(geometry.geoms) == 3
    assert all(boundaries.county_at(p.x, p.y) is not None for p in geometry.geoms)
    assert result.precision == Precision.COUNTY


def test_a_point_stands_for_the_first_town_of_a_span(boundaries: Boundaries) -> None:
    park = Facility(
        "甲園區",
        (),
        FacilityKind.SCIENCE_PARK,
        121.0,
        24.78,
        ("新竹市", "新竹縣"),
        (("新竹市", "東區"), ("新竹縣", "寶山鄉")),
        False,
        "",
    )
    located = Geocoder([park], boundaries).geocode("甲園區").located
    assert [(p.town, p.precision, p.lon) for p in located] == [
        ("東區", Precision.EXACT, 121.0),
        ("寶山鄉", Precision.TOWN, located[1].lon),
    ]


def test_kinds_cover_places(run: Run) -> None:
    kinds = {p.kind for p in run("石門水庫、高雄大樹、臺東縣、全臺").places}
    assert kinds == set(PlaceKind)


def test_defaults_use_bundled_data() -> None:
    # the bundled gazetteer may be empty on this branch; towns and counties are always there
    assert geocode("高雄大樹").precision == Precision.TOWN
    assert geocode("高雄大樹").places[0].town_code == "64000150"
