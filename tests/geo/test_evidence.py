"""Which places in a project's text say where it is built, and which are incidental."""

from __future__ import annotations

import pytest

from geo.evidence import Role, county_works, place_role
from geo.geocode import geocode
from geo.places import Place


def _roles(text: str) -> dict[str, Role]:
    result = geocode(text)
    places: list[Place] = [*result.places, *result.served]
    return {place.matched.replace("\n", ""): place_role(text, place) for place in places}


@pytest.mark.parametrize(
    ("text", "matched", "role"),
    [
        # 002 line 1678: two of 47 reservoirs are examples, not the project's sites
        ("110年已達成石門水庫、曾文水庫等 47座水庫集水區：", "石門水庫", Role.EXAMPLE),
        # a list that names all it counts is not a list of examples
        ("場域橫跨基隆、桃園、雲林、嘉義、屏東、花蓮等 6 縣市", "花蓮", Role.NO_SITE_WORDS),
        # 002 line 1137: wells counted per county are built there
        ("106-110 年 7 月已完成新北 4 口、桃園 7 口防災備援水井。", "新北", Role.SITE),
        ("106-110 年 7 月已完成新北 4 口、桃園 7 口防災備援水井。", "桃園", Role.SITE),
        # 002 line 8944: three demonstration systems
        ("110 年進行高雄永安、臺中龍井及彰化彰濱三處儲能示範系統之運維", "臺中龍井", Role.SITE),
        # agencies, firms and partners named by their place
        ("3. 高雄市政府經發局：介接「高雄好物」和「高雄港都選物所」。", "高雄港", Role.AGENCY),
        ("轉化為 CO 觸媒技術，並與中鋼公司進行合作。", "中鋼", Role.AGENCY),
        ("執行地點分別為竹北工廠負責研發、南科工廠負責製造，", "南科", Role.AGENCY),
        # meeting and event venues
        ("訪談業者 44 家次，並於台北市南港展覽館舉辦成果發表會。", "台北市南港", Role.EVENT),
        ("結合高雄電影節、及桃園鐵玫瑰音樂節", "高雄", Role.EVENT),
        # private investment a programme brought in
        (
            "帶動公民營企業投資：109 年度華○於臺中港加工出口區新建中港廠房。",
            "臺中港加工出口區",
            Role.INVESTMENT,
        ),
        # 002 line 14615: a firm building its own production line
        ("惟應材刻正加速於南科建置 8 吋整機生產線與提升產能，", "南科", Role.INVESTMENT),
        # subsidised governments and the works they build with the subsidy
        ("(四)內政部補助臺南市政府執行「永康整體都市排水改善工程」，", "臺南市", Role.AGENCY),
        (
            "(四)內政部補助臺南市政府執行「永康整體都市排水改善工程」，",
            "永康整體都市排水",
            Role.SITE,
        ),
        ("由行政院環境保護署持續補助新竹市及雲林縣等縣市", "雲林縣", Role.BENEFICIARY),
        # 001 line 1771: built there, whoever the partners
        ("台電及中油公司合作於宜蘭仁澤建置 1 座 900 瓩之地熱發電機組", "宜蘭", Role.SITE),
        # comparisons and evaluations
        ("以條件評估法評估桃園市管河川老街溪流域", "老街溪", Role.COMPARISON),
        # prize lists, by sentence or by heading
        (
            "金質獎「最佳環境文化類」：臺南市鹽水區月津港水環境改善計畫。",
            "臺南市鹽水區月津港",
            Role.AWARD,
        ),
        (
            "(四)「全國水環境改善計畫第三屆金蘋果獎」\n1.宜蘭縣安農溪第三期河道環境改善計畫",
            "宜蘭縣安農溪",
            Role.AWARD,
        ),
        # served areas
        ("鳥嘴潭人工湖完工後可供應南投及彰化地區用水", "彰化", Role.SERVED),
        # a named site worked on; a named site only mentioned
        ("一、溪埔伏流水工程：已於 109 年 1 月 30 日完工。", "溪埔伏流水", Role.SITE),
        (
            "提升國內綠能發電系統的壽命與可靠度及擴散沙崙科學城之研發能量，",
            "沙崙",
            Role.NO_SITE_WORDS,
        ),
        # a county is where work is only when the sentence says so
        ("於楠梓園區興建創新產業大樓", "楠梓園區", Role.SITE),
        ("預計於 111 年於臺南市新建抽水站", "臺南市", Role.SITE),
        ("工址位於嘉義縣", "嘉義縣", Role.SITE),
        ("完成臺北、新北、宜蘭都會區土壤液化潛勢圖", "新北", Role.NO_SITE_WORDS),
        # 002 lines 8187, 8341: a standards programme reviews another owner's wind farm
        (
            "本年度完成台電一期示範風場審查，並提供電廠運轉維護意見",
            "台電一期示範風場",
            Role.REVIEWED,
        ),
        (
            "本年度完成台電公司「離岸風力發電第一期計畫-示範風場新建工程」風場專案驗證審查。",
            "離岸風力發電第一期計畫",
            Role.REVIEWED,
        ),
    ],
)
def test_place_roles(text: str, matched: str, role: Role) -> None:
    roles = _roles(text)
    assert roles[matched] is role, roles


@pytest.mark.parametrize("text", ["全國各地", "全臺 368 鄉鎮", "推動全國水環境改善"])
def test_nationwide_phrases_are_kept(text: str) -> None:
    assert set(_roles(text).values()) == {Role.SITE}


@pytest.mark.parametrize(
    "text",
    [
        "上架全臺溫泉露頭分布圖、深井井底溫度",  # 002 line 7904: the extent of a map
        "促成全家超商導入全台最大的 4K 顯示屏",  # 002 line 16968: a superlative
        "建置全國首座中小型畜牧場共醱酵沼氣發電系統",  # 003 line 981
        "打造多個全台第一案例",
    ],
)
def test_nation_as_a_scope_or_superlative_does_not_place(text: str) -> None:
    assert set(_roles(text).values()) == {Role.SCOPE}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("養殖區防洪排水銜接治理改善計畫，各縣市政府辦理工程進場施作準備", "各縣市政府辦理"),
        ("協助各縣市政府推動「縣市管河川及區域排水整體\n改善計畫」", "各縣市政府推動"),
        ("本署定期派員赴各計畫執行縣\n市進行現地訪查", None),  # a visit, not the works
        ("內政部補助臺南市政府執行「永康整體都市排水改善工程」", None),  # one county
        ("以縣市為單位彙整", None),
        # 002 line 18789: a programme that subsidises 17 counties' 130 cases
        ("(一) 本計畫核定補助17直轄市、縣（市）共130案（強化公設94案", "補助17直轄市"),
        ("補助2縣市辦理", None),
    ],
)
def test_county_works(text: str, found: str | None) -> None:
    offset = county_works(text)
    if found is None:
        assert offset is None
    else:
        assert offset is not None
        assert text[offset:].replace("\n", "").startswith(found)
