"""Every project of the real build is placed honestly: right counties, never invented."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import shape

from geo.datafiles import data_path


@pytest.fixture(scope="module")
def features(built_register: dict[str, Any]) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = built_register["features"]
    return features


def _named(features: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(f for f in features if f["properties"]["name"] == name)


@pytest.mark.parametrize(
    ("name", "county"),
    [
        ("石門水庫阿姆坪防淤隧道工程計畫", "桃園市"),
        ("烏溪鳥嘴潭人工湖工程計畫", "南投縣"),
        ("白河水庫後續更新改善工程計畫第一階段", "臺南市"),
        ("翡翠原水管工程計畫", "新北市"),
        ("湖山水庫第二原水管工程計畫", "雲林縣"),
        ("台南山上淨水場供水系統改善工程計畫", "臺南市"),
        ("高雄海洋科技產業創新專區", "高雄市"),
    ],
)
def test_review_projects_in_their_counties(
    features: list[dict[str, Any]], name: str, county: str
) -> None:
    props = _named(features, name)["properties"]
    assert props["counties"] == [county]
    assert props["precision"] in (1, 2, 3, 4)  # a site, near it, its town or its county
    assert props["places"], "a placed project carries its evidence"


def test_every_project_kept_and_every_point_in_taiwan(features: list[dict[str, Any]]) -> None:
    counties = gpd.read_file(data_path("boundaries", "counties.geojson")).union_all()
    near_taiwan = counties.buffer(0.6)  # offshore wind farms lie at sea, within ~60 km
    for feature in features:
        geometry = feature["geometry"]
        props = feature["properties"]
        if geometry is None:
            assert props["location_note"], props["name"]
            continue
        for point in shapely.get_parts(shape(geometry)):
            assert point.x != 0
            assert point.y != 0
            assert near_taiwan.contains(point), props["name"]
            if props["precision"] in (3, 4):  # a town or county point lies on land
                assert counties.contains(point), props["name"]


def test_national_programmes_are_not_pinned(features: list[dict[str, Any]]) -> None:
    national = [f for f in features if f["properties"]["precision"] == 6]
    assert national
    for feature in national:
        assert feature["geometry"] is None
        assert feature["properties"]["counties"] == []


def test_multi_site_projects_get_every_county(features: list[dict[str, Any]]) -> None:
    multi = [f for f in features if len(f["properties"]["counties"]) > 1]
    assert multi
    for feature in multi:
        assert feature["geometry"]["type"] == "MultiPoint"


@pytest.mark.parametrize(
    ("name", "printed"),
    [
        # 001 line 4167 lists the Forward-looking works without 計畫: a site's name + its work
        ("台南山上淨水場供水系統改善工程計畫", "臺南山上淨水場供水系統改善"),
        ("白河水庫後續更新改善工程計畫第一階段", "白河水庫後續更新改善第一階段"),
        # 001 line 4649 prints the site with its county
        ("通霄溪伏流水", "苗栗通霄溪伏流水"),
        # 001 line 4655: 山上淨水廠改善 (a listed alias), 4251: a pipeline and a work in one list
        ("台南山上淨水場供水系統改善工程計畫", "山上淨水廠改善"),
        ("曾文南化聯通管工程計畫", "曾文南化聯通管"),
        # 001 line 1814: the terminal and its investment plan
        ("第三座液化天然氣接收站投資計畫", "觀塘第三接收站"),
    ],
)
def test_one_project_one_feature(features: list[dict[str, Any]], name: str, printed: str) -> None:
    project = _named(features, name)["properties"]
    assert printed in {source["name"] for source in project["sources"]}
    assert not [f for f in features if f["properties"]["name"] == printed]


def test_one_project_many_reports(features: list[dict[str, Any]]) -> None:
    pipeline = _named(features, "桃園-新竹備援管線工程計畫")["properties"]
    kinds = {source["kind"] for source in pipeline["sources"]}
    assert kinds == {"policy_plan", "business_report", "performance_review"}
    assert any(
        "桃園支援新竹幹管" in merge and "listed alias" in merge for merge in pipeline["merges"]
    )


def _points_in(geometry: dict[str, Any]) -> list[shapely.Point]:
    return list(shapely.get_parts(shape(geometry)))


@pytest.fixture(scope="module")
def county_polygons() -> dict[str, Any]:
    frame = gpd.read_file(data_path("boundaries", "counties.geojson"))
    return dict(zip(frame["county"], frame.geometry, strict=True))


@pytest.mark.parametrize(
    ("name", "county", "town"),
    [
        # business report (001): each facility's county, and its town where the name prints it
        ("核三廠", "屏東縣", "屏東縣 恆春鎮"),  # line 1885
        ("協和電廠更新改建計畫", "基隆市", "基隆市 中山區"),  # line 1701
        ("興達電廠燃氣機組改建計畫", "高雄市", None),  # line 1679
        ("離岸風力發電第一期計畫", "彰化縣", None),  # line 1755, at sea off 芳苑
        ("員崠淨水場擴建工程計畫", "新竹縣", None),  # line 1918
        ("澎湖七美鄉海水淡化廠興建計畫", "澎湖縣", "澎湖縣 七美鄉"),  # line 1934 prints 七美鄉
        ("臺南永康廠", "臺南市", "臺南市 永康區"),  # line 4357 prints 永康
        ("高雄溪埔伏流水", "高雄市", None),  # line 4606
        ("通霄溪伏流水", "苗栗縣", "苗栗縣 通霄鎮"),  # lines 4308, 4649 (苗栗通霄溪伏流水)
        # line 4167 lists 臺南山上淨水場供水系統改善: the review's project, at 山上
        ("台南山上淨水場供水系統改善工程計畫", "臺南市", "臺南市 山上區"),
        # generating units at their plants (line 3952: 林口新 3 號機、大林新 2 號機…)
        ("林口新3號機", "新北市", "新北市 林口區"),
        ("大林新2號機", "高雄市", "高雄市 小港區"),
        ("通霄燃氣複循環新3號機", "苗栗縣", "苗栗縣 通霄鎮"),  # line 3960
        ("龜山島火山", "宜蘭縣", "宜蘭縣 頭城鎮"),  # line 4778
        ("梅山斷層", "嘉義縣", "嘉義縣 梅山鄉"),  # line 4798
    ],
)
def test_business_report_facilities_in_their_county_and_town(
    features: list[dict[str, Any]], name: str, county: str, town: str | None
) -> None:
    props = _named(features, name)["properties"]
    assert props["counties"] == [county]
    if town is not None:
        assert town in props["towns"]


def test_a_pipeline_spans_every_county_it_crosses(
    features: list[dict[str, Any]], county_polygons: dict[str, Any]
) -> None:
    # 000 line 572-574: 桃園-新竹, pumping at 平鎮淨水場; 002 line 2930: on to 新竹市區
    feature = _named(features, "桃園-新竹備援管線工程計畫")
    props = feature["properties"]
    assert sorted(props["counties"]) == sorted(["桃園市", "新竹縣", "新竹市"])
    assert props["towns"] == ["桃園市 平鎮區"]
    assert feature["geometry"]["type"] == "MultiPoint"
    points = _points_in(feature["geometry"])
    assert len(points) == 3
    for point in points:  # one point in each county, none outside them
        assert sum(county_polygons[c].contains(point) for c in props["counties"]) == 1
    assert props["approximate"]
    # 001 line 4249 calls it 桃竹幹管
    assert sorted(_named(features, "桃竹幹管")["properties"]["counties"]) == sorted(
        props["counties"]
    )


def test_a_name_that_is_not_its_county(features: list[dict[str, Any]]) -> None:
    # 臺北水源特定區 lies in 新北市 (新店、烏來、坪林、石碇、雙溪), not in 臺北市
    props = _named(features, "台北水源特定區保育實施計畫第3期（107~111年）")["properties"]
    assert props["counties"] == ["新北市"]
    assert len(props["towns"]) == 5


def test_every_place_lies_in_its_own_county(
    features: list[dict[str, Any]], county_polygons: dict[str, Any]
) -> None:
    """No land site in the sea, none in the wrong county: each place inside its county."""
    for feature in features:
        for place in feature["properties"]["places"]:
            point = shapely.Point(place["lon"], place["lat"])
            polygon = county_polygons[place["county"]]
            if place["facility_kind"] == "offshore_wind" and place["precision"] <= 2:
                assert not polygon.contains(point), place["name"]
                assert polygon.distance(point) < 0.6, place["name"]  # ~60 km
            else:
                assert polygon.contains(point), (feature["properties"]["name"], place["name"])


@pytest.mark.parametrize(
    ("name", "not_in"),
    [
        # 002 line 1678: 石門、曾文 are two examples of 47 reservoirs
        ("加強水庫集水區保育治理計畫", {"桃園市", "臺南市"}),
        # 002 lines 5585-5642: prize-winning sub-projects are not the programme's place
        ("縣市管河川及區域排水整體改善計畫", {"澎湖縣", "嘉義市", "宜蘭縣"}),
        # 002 line 6652: a firm's investment at 臺中港加工出口區
        ("智慧電動巴士DMIT計畫", {"臺中市"}),
        # 002 lines 9481-9536: a digital programme's service areas
        ("普及智慧城鄉生活應用計畫", {"基隆市", "臺北市", "連江縣"}),
        # 002 lines 17035, 17385: an exhibition hall, an e-sports venue, a festival
        ("（第 42 項計畫：報告未載明名稱）", {"臺北市", "高雄市", "桃園市"}),
        # 002 line 14750: a subsidised firm's factory in 南科
        ("Å世代半導體-先端技術與產業鏈自主發展計畫", {"臺南市"}),
        # 001 line 4383: 高雄楠梓廠 is the alternative site, not 岡山橋頭廠's
        ("岡山橋頭廠", {"高雄市"}),
        # 002 lines 8187, 8341: the wind farm a standards programme reviewed
        ("國家綠能標準檢測驗證計畫", {"彰化縣"}),
        # 001 line 4667: 石圳聯通管 is listed with 鯉魚潭 and 集集, which are elsewhere
        ("石圳聯通管", {"苗栗縣", "南投縣"}),
    ],
)
def test_incidental_mentions_do_not_place(
    features: list[dict[str, Any]], name: str, not_in: set[str]
) -> None:
    props = _named(features, name)["properties"]
    assert not set(props["counties"]) & not_in
    if not props["counties"] and props["precision"] != 6:
        assert props["location_note"]


def test_an_unplaced_project_lists_its_incidental_places(features: list[dict[str, Any]]) -> None:
    note = _named(features, "智慧電動巴士DMIT計畫")["properties"]["location_note"]
    assert "臺中港加工出口區 (investment" in note


def test_the_sti_plan_places_at_most_the_sites_it_names(features: list[dict[str, Any]]) -> None:
    sti = [f for f in features if any(s["kind"] == "sti_plan" for s in f["properties"]["sources"])]
    assert sti
    placed = [f for f in sti if f["geometry"] is not None]
    assert len(placed) <= 3
    # it names 金融科技創新園區, 離岸風電海洋科技產業創新園區, 海纜聯網第二中心 without a place
    for name in ("金融科技創新園區", "離岸風電海洋科技產業創新園區", "海纜聯網第二中心"):
        props = _named(sti, name)["properties"]
        assert props["location_note"]
    assert all(f["properties"]["counties"] == [] for f in sti if not f["geometry"])


@pytest.mark.parametrize(
    ("name", "line"),
    [
        # 001 line 4185: 協助各縣市政府推動「縣市管河川及區域排水整體改善計畫」; the review's
        # section 18 (002 line 4864: 各縣市政府辦理工程) cites 永康整體都市排水 (臺南市) among
        # works in 嘉義縣 and 彰化縣, which must not make its NT$12.5 billion a 臺南市 budget
        ("縣市管河川及區域排水整體改善計畫", "002_3096ba7c283ef362.txt line 4864"),
        # 002 line 18789: 核定補助17直轄市、縣（市）共130案; its text cites five of them
        ("開發在地型產業園區", "002_3096ba7c283ef362.txt line 18789"),
    ],
)
def test_a_programme_the_counties_carry_out_is_nationwide(
    features: list[dict[str, Any]], name: str, line: str
) -> None:
    feature = _named(features, name)
    props = feature["properties"]
    assert feature["geometry"] is None
    assert props["precision"] == 6
    assert props["counties"] == []
    assert "county governments carry out its works" in props["location_note"]
    assert line in props["location_note"]


@pytest.mark.parametrize(
    ("name", "plant"),
    [
        ("林口新3號機", "林口電廠"),
        ("大林新 2 號機", "大林電廠"),
        ("通霄燃氣複循環新3號機", "通霄電廠"),
        ("通霄義和345 kV輸電線", None),
        ("第3號機", None),
    ],
)
def test_a_generating_unit_is_at_its_plant(name: str, plant: str | None) -> None:
    from layers.locate import _plant_of_unit

    assert _plant_of_unit(name) == plant


def test_a_unit_placed_at_its_plant_says_so(features: list[dict[str, Any]]) -> None:
    props = _named(features, "通霄新2號機")["properties"]
    assert props["location_note"] == "a generating unit: placed at its plant, 通霄電廠"
    assert props["places"][0]["name"] == "通霄發電廠"


def test_every_listed_alias_merges_two_reports_entries(features: list[dict[str, Any]]) -> None:
    """Each row of data/project_aliases.csv joins the entries printed under the alias and under
    the name into one project whose merges give the row's reason: no row is stale."""
    import csv

    from geo.datafiles import data_path
    from layers.merge import match_key

    def names(feature: dict[str, Any]) -> set[str]:
        props = feature["properties"]
        return {match_key(name) for name in [props["name"], *props["aliases"]]}

    with data_path("project_aliases.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        holding = [f for f in features if match_key(row["alias"]) in names(f)]
        assert len(holding) == 1, f"{row['alias']}: in {len(holding)} projects"
        assert match_key(row["name"]) in names(holding[0])
        merges = holding[0]["properties"]["merges"]
        assert any(row["reason"].strip() in merge for merge in merges), merges
