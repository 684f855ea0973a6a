"""Assertions on the full narrative documents, each checked against the printed text."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from layers.parsers import ParseResult
from layers.parsers import business_report as report_parser
from layers.parsers import policy_plan as plan_parser
from layers.parsers import sti_plan as sti_parser
from layers.records import Document, Record, RecordKind


def _by_name(result: ParseResult) -> dict[str, Record]:
    return {record.name: record for record in result.records}


def _figures(record: Record) -> list[tuple[str, int]]:
    return [(figure.printed, figure.line) for figure in record.figures]


@pytest.fixture(scope="module")
def report_result(business_report: Document) -> ParseResult:
    return report_parser.parse(business_report)


@pytest.fixture(scope="module")
def report(report_result: ParseResult) -> dict[str, Record]:
    return _by_name(report_result)


@pytest.fixture(scope="module")
def plan_result(policy_plan: Document) -> ParseResult:
    return plan_parser.parse(policy_plan)


@pytest.fixture(scope="module")
def sti_result(sti_plan: Document) -> ParseResult:
    return sti_parser.parse(sti_plan)


def test_amping_tunnel_in_policy_plan_and_report(
    plan_result: ParseResult, report: dict[str, Record]
) -> None:
    # 000 lines 510-513: 石門水庫阿姆 / 坪防淤隧道工 / 程計畫公共 / 建設辦理阿姆坪防淤隧道工程…
    row = _by_name(plan_result)["石門水庫阿姆坪防淤隧道工程計畫"]
    assert row.kind is RecordKind.PLAN
    assert (row.source.first_line, row.source.last_line) == (510, 513)
    assert row.facility_type == "sediment_tunnel"
    assert row.place_bound
    # 001 lines 4169-4171 name it first (in the 水與發展 list, paragraph 4167-4183);
    # 4251 and 4549 give its status: 預計於 111 年至 113 年完工 (the list), 預定於 110 年底完工.
    tunnel = report["石門水庫阿姆坪防淤隧道"]
    assert tunnel.kind is RecordKind.FACILITY
    assert (tunnel.source.first_line, tunnel.source.last_line) == (4167, 4183)
    assert tunnel.completion_year == 2024
    assert tunnel.status_phrase == "預計於111年至113年完工"


@pytest.mark.parametrize(
    ("name", "lines", "figures", "year"),
    [
        ("大潭電廠增建計畫", (1667, 1677), [("316萬瓩", 1669), ("1,104.6億元", 1671)], 2024),
        ("台中電廠新建燃氣機組計畫", (1689, 1699), [("260萬瓩", 1691), ("1,180.6億元", 1693)],
         2025),
        ("協和電廠更新改建計畫", (1701, 1708),
         [("200萬瓩", 1703), ("260萬瓩", 1703), ("1,218億元", 1705)], 2030),
    ],
)  # fmt: skip
def test_power_plants(
    report: dict[str, Record],
    name: str,
    lines: tuple[int, int],
    figures: list[tuple[str, int]],
    year: int,
) -> None:
    record = report[name]
    assert (record.source.first_line, record.source.last_line) == lines
    assert record.facility_type == "power_plant"
    assert _figures(record) == figures
    assert record.completion_year == year


def test_power_plant_amounts_in_twd(report: dict[str, Record]) -> None:
    (_, amount) = report["大潭電廠增建計畫"].figures
    assert (amount.value, amount.unit, amount.twd) == (Decimal("1104.6"), "億元", 110_460_000_000)


def test_plants_named_outside_plan_titles(report: dict[str, Record]) -> None:
    assert report["大潭電廠"].source.first_line == 1828  # 供應台電大潭電廠新增燃氣機組 (1830-1832)
    assert report["興達電廠"].source.first_line == 1808
    assert report["核一廠"].facility_type == "nuclear_plant"
    assert report["林口新3號機"].facility_type == "power_unit"


def test_guantang_lng_terminal(report: dict[str, Record]) -> None:
    # 1816 興建第三天然氣接收站; 1814 第三座液化天然氣接收站; 4091 觀塘第三接收站
    terminal = report["觀塘第三接收站"]
    assert terminal.facility_type == "lng_terminal"
    assert terminal.source.first_line == 1816
    assert set(terminal.aliases) == {"第三天然氣接收站", "第三座液化天然氣接收站"}
    assert "第三天然氣接收站" not in report
    assert report["觀塘工業區"].source.first_line == 1842


def test_offshore_wind(report: dict[str, Record]) -> None:
    first = report["離岸風力發電第一期計畫"]  # 1755-1761: 彰化芳苑外海, 251 億元, 11 萬瓩
    assert _figures(first) == [("251億元", 1757), ("11萬瓩", 1759)]
    assert (first.facility_type, first.completion_year, first.place_bound) == (
        "offshore_wind",
        2021,
        True,
    )
    second = report["離岸風力發電第二期計畫"]  # 1761-1763: 114 年完工, 30 萬瓩
    assert _figures(second) == [("30萬瓩", 1763)]
    assert second.completion_year == 2025


def test_niaozuitan_artificial_lake(report: dict[str, Record]) -> None:
    lake = report["烏溪鳥嘴潭人工湖"]  # 4263-4271
    assert lake.facility_type == "artificial_lake"
    assert (lake.source.first_line, lake.source.last_line) == (4263, 4271)
    assert _figures(lake) == [("每日9萬噸", 4267), ("每日25萬噸", 4269)]
    assert (lake.status_phrase, lake.completion_year) == ("將於110年底完工", 2021)


@pytest.mark.parametrize(
    ("name", "facility_type", "figures"),
    [
        ("屏東科技園區擴區", "technology_industrial_park",
         [("27公頃", 3248), ("50億元", 3248), ("100億元", 3250)]),
        ("潭子科技園區", "technology_industrial_park", [("18億元", 3215), ("80億元", 3216)]),
        ("臺中港工業專區", "industrial_park", []),
        ("觀音工業區", "industrial_park", []),
        ("臨海工業區", "industrial_park", []),
    ],
)  # fmt: skip
def test_parks(
    report: dict[str, Record], name: str, facility_type: str, figures: list[tuple[str, int]]
) -> None:
    assert report[name].facility_type == facility_type
    assert _figures(report[name]) == figures


def test_a_total_printed_after_many_plans_belongs_to_none(report: dict[str, Record]) -> None:
    # 1722-1734: nine 輸變電 plans, then 總投資金額合計約 3,669 億元
    assert report["第七輸變電計畫"].figures == ()
    assert report["南科超高壓變電所擴建計畫"].figures == ()


def test_reclaimed_water_plants(report: dict[str, Record]) -> None:
    plants = [r for r in report.values() if r.facility_type == "reclaimed_water_plant"]
    assert len([p for p in plants if p.kind is RecordKind.FACILITY]) == 12  # 4340-4385
    assert _figures(report["臺中福田廠"]) == [("每日5.8萬噸", 4347)]
    assert report["臺中福田廠"].completion_year == 2025


def _printed(document: Document) -> str:
    return re.sub(r"\s", "", "".join(document.lines)).replace("｣", "」")


@pytest.mark.parametrize("fixture", ["policy_plan", "business_report", "sti_plan"])
def test_names_are_printed_and_not_fragments(fixture: str, request: pytest.FixtureRequest) -> None:
    document: Document = request.getfixturevalue(fixture)
    module = {"policy_plan": plan_parser, "business_report": report_parser, "sti_plan": sti_parser}
    printed = _printed(document)
    for record in module[fixture].parse(document).records:
        assert _printed_or_sited(record.name.replace(" ", ""), printed), record.name
        if record.kind is RecordKind.FACILITY:  # 與新南向國家辦理… is a printed plan item
            assert not record.name.startswith(("及", "等", "與", "、", "和", "之")), record.name
        assert not re.search(r"等(?:水庫|工程|電廠|園區)$", record.name), record.name
        assert 1 <= record.source.first_line <= record.source.last_line <= len(document.lines)


def _printed_or_sited(name: str, printed: str) -> bool:
    """Printed as is, or a unit the text sites at a place: 宜蘭仁澤地熱發電機組 is printed
    於宜蘭仁澤建置 1 座 900 瓩之地熱發電機組 (001 line 1771)."""
    if name in printed:
        return True
    return any(
        re.search(f"於{name[:k]}(?:建置|設置|興建|新建|裝設).{{0,18}}?{name[k:]}", printed)
        for k in (2, 3, 4)
    )


@pytest.mark.parametrize("fixture", ["policy_plan", "business_report", "sti_plan"])
def test_figures_are_on_their_lines(fixture: str, request: pytest.FixtureRequest) -> None:
    document: Document = request.getfixturevalue(fixture)
    module = {"policy_plan": plan_parser, "business_report": report_parser, "sti_plan": sti_parser}
    for record in module[fixture].parse(document).records:
        for figure in record.figures:
            digits = re.search(r"\d[\d,.]*", figure.printed)
            assert digits is not None
            line = document.lines[figure.line - 1].replace(" ", "")
            assert digits.group(0).rstrip(",.") in line or line.endswith(digits.group(0)[:2])


def test_a_changed_figure_changes_the_output(business_report: Document) -> None:
    lines = list(business_report.lines)
    assert "316 萬瓩" in lines[1668]
    lines[1668] = lines[1668].replace("316 萬瓩", "318 萬瓩")
    changed = Document(name=business_report.name, lines=tuple(lines))
    record = _by_name(report_parser.parse(changed))["大潭電廠增建計畫"]
    assert _figures(record)[0] == ("318萬瓩", 1669)
    assert record.figures[0].value == Decimal(318)


def test_policy_plan_rows(plan_result: ParseResult) -> None:
    plans = [r for r in plan_result.records if r.kind is RecordKind.PLAN]
    assert len(plans) >= 75
    assert plan_result.tables_parsed == 1
    records = _by_name(plan_result)
    # 000 lines 502-504: 水資源開發及 / 維護重大水資源規 / 劃作業計畫公共
    assert records["重大水資源規劃作業計畫"].work_plan == "水資源開發及維護"
    # 000 lines 190-193: the work plan's own 科技發展 is not a row's category
    assert records["經濟資料整合服務計畫"].work_plan == "推動商業科技發展（資訊中心）"
    assert not records["工研院科技專案計畫"].place_bound
    assert records["興建大臺南會展中心"].completion_year == 2021  # 預定110年竣工
    # 000 line 485: the row split by the page footer 8-9 is reported, not guessed
    assert [p.line for p in plan_result.problems] == [485]


def test_sti_plan_invents_no_places(sti_result: ParseResult) -> None:
    bound = [r for r in sti_result.records if r.place_bound]
    assert len(bound) <= 3
    assert {r.name for r in bound} == {
        "金融科技創新園區",  # line 2864
        "離岸風電海洋科技產業創新園區",  # line 4029
        "海纜聯網第二中心",  # lines 6715-6717
    }
    programmes = [r for r in sti_result.records if r.kind is RecordKind.PLAN]
    assert programmes
    assert not any(r.place_bound for r in programmes)
    assert "智慧國家2025計畫" not in _by_name(sti_result)  # Singapore's, in 國際情勢
