"""Table-driven tests of the name boundary rules, on text copied from the documents."""

from __future__ import annotations

import pytest

from layers.parsers.names import (
    facility_type_of,
    find_facility_names,
    find_plan_names,
    names_place,
    trim_name,
)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # 001 line 1779: a list of reservoirs, no fragment such as 及湖山水庫 or 等水庫
        ("台電公司規劃於鯉魚潭水庫、湖山水庫、石門水庫、集集攔河堰設置小型機組",
         ["鯉魚潭水庫", "湖山水庫", "石門水庫", "集集攔河堰"]),
        # 001 line 4251: the longer name wins; 石門水庫 is not reported inside it
        ("另石門水庫阿姆坪防淤隧道、白河水庫後續更新改善", ["石門水庫阿姆坪防淤隧道", "白河水庫"]),
        # 001 line 4089: owners and verbs are cut, 及 separates two terminals
        ("擴建既有中油台中接收站及永安接收站，並新建觀塘第三接收站"
         "以及台電公司台中港接收站與協和接收站",
         ["台中接收站", "永安接收站", "觀塘第三接收站", "台中港接收站", "協和接收站"]),
        # 協和 holds 和, which is therefore not a boundary
        ("協和電廠更新改建", ["協和電廠"]),
        # 001 line 1816: 之必要性 follows, 興建 precedes
        ("興建第三天然氣接收站之必要性", ["第三天然氣接收站"]),
        # generic descriptions are not names
        ("興建液化天然氣接收站", []),
        ("推動天然氣接收站與儲槽之建置", []),
        ("辦理既有工業區公共設施強化，及設置平價產業園區", []),
        ("運用前瞻基礎建設計畫，補助地方設置在地型園區", []),
        ("並搭配水庫清淤", []),
        ("第 1 階段之首座示範風場", []),
        ("2021年核能電廠除役", []),
        ("技術工斷層", []),
        # 001 line 4669: two counted units are not a named unit
        ("湖山與集集南岸二發電機組均已進場施工", []),
        # power units: a place before the unit number
        ("108 年在林口新3號機、大林新2號機及通霄新2號機陸續併聯",
         ["林口新3號機", "大林新2號機", "通霄新2號機"]),
        ("第7號機組第1階段燃氣單循環機組", []),
        # nuclear plants print only 廠
        ("核一廠：運轉執照已於108年7月屆期", ["核一廠"]),
        # science and technology parks; a bare 園區 only with a known place
        ("引進知名法商投資31億元於楠梓及臺中港科技園區設置", ["臺中港科技園區"]),
        ("臺中水湳廠供應中科台中園區", ["中科台中園區"]),
        ("俾利園區營運再創高峰", []),
        # 001 line 4430: places before a detention pond are part of its name
        ("陸續辦理高雄典寶溪D區滯洪池、臺南市安順寮排水滯洪池",
         ["高雄典寶溪D區滯洪池", "臺南市安順寮排水滯洪池"]),
        # 001 line 4798
        ("進行梅山斷層、車瓜林斷層、小崗山斷層鑽探", ["梅山斷層", "車瓜林斷層", "小崗山斷層"]),
        ("建置全國活動斷層潛勢圖資", []),
        # 001 line 4436: a count of sites is a class of sites, not a facility
        ("河川環境景觀改善工程 160.9 公里、水門抽水站每年維護操作管理 2,950處", []),
        ("辦理新建抽水站 3 座", []),
    ],
)  # fmt: skip
def test_facility_names(text: str, names: list[str]) -> None:
    assert [match.name for match in find_facility_names(text)] == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("（三） 台中電廠新建燃氣機組計畫：裝置 2 部燃氣複循環機組", ["台中電廠新建燃氣機組計畫"]),
        ("（三）中油公司台中液化天然氣廠二期投資計畫：107年完成", ["台中液化天然氣廠二期投資計畫"]),
        ("（六）啟動高雄軟體園區第二期開發計畫：高軟園區北側", ["高雄軟體園區第二期開發計畫"]),
        ("包括「第七輸變電計畫」、「北區一期電網計畫」", ["第七輸變電計畫", "北區一期電網計畫"]),
        ("「南化場至豐德配水池複線送水幹管工程(南化場至左鎮段)」",
         ["南化場至豐德配水池複線送水幹管工程(南化場至左鎮段)"]),
        ("瓩。另離岸風力發電第二期計畫已於109年6月15日決標", ["離岸風力發電第二期計畫"]),
        # a title that is a description, and quoted words that are not plans
        ("(3) 促成業者發展物聯網整體解決方案：輔導業者", []),
        ("「地方出題，中央補助產業解題」之機制", []),
        ("並依據「資安產業發展行動計畫」", ["資安產業發展行動計畫"]),
    ],
)  # fmt: skip
def test_plan_names(text: str, names: list[str]) -> None:
    assert [match.name for match in find_plan_names(text)] == names


def test_plan_names_without_clauses() -> None:
    assert find_plan_names("。另離岸風力發電第二期計畫已於", clauses=False) == []


@pytest.mark.parametrize(
    ("run", "name"),
    [
        ("興建第三天然氣接收站", "第三天然氣接收站"),
        ("於宜蘭仁澤", "宜蘭仁澤"),
        ("台電公司大潭電廠", "大潭電廠"),
        ("輔導地方政府規劃增設在地產業園區", "在地產業園區"),
        ("桃園支援新竹幹管", "桃園支援新竹幹管"),
    ],
)
def test_trim_name(run: str, name: str) -> None:
    assert trim_name(run) == name


@pytest.mark.parametrize(
    ("name", "facility_type"),
    [
        ("石門水庫阿姆坪防淤隧道", "sediment_tunnel"),
        ("湖山水庫第二原水管工程計畫", "pipeline"),
        ("楠梓科技園區", "technology_industrial_park"),
        ("核二廠", "nuclear_plant"),
        ("工研院科技專案計畫", None),
    ],
)
def test_facility_type_of(name: str, facility_type: str | None) -> None:
    assert facility_type_of(name) == facility_type


@pytest.mark.parametrize(
    ("name", "bound"),
    [
        ("石門水庫阿姆坪防淤隧道工程計畫", True),
        ("台北水源特定區保育實施計畫第3期", True),
        ("離島地區供水改善計畫第二期", True),
        ("全國水環境改善計畫", False),
        ("加強水庫集水區保育治理計畫", False),
        ("伏流水開發工程計畫", False),
    ],
)
def test_names_place(name: str, bound: bool) -> None:
    assert names_place(name) is bound
