"""Finding the printed names of facilities and plans in joined narrative text.

A facility name is a run of name characters ending in a facility word (``…水庫``, ``…電廠``,
``…接收站``…). Chinese prints no spaces, so the start of a name is found by rules: the run
stops at punctuation, and is cut after the last *boundary word* in it (a verb, a conjunction
or a particle that cannot be part of a name: ``推動``, ``辦理``, ``及``, ``等``…). A candidate
whose remaining stem is empty or generic (``天然氣接收站``, ``在地型園區``) is not a name.

Plan names (``…計畫``, ``…工程``) are taken only where the print marks both ends: inside
``「」`` quotes, or as the title of a numbered item (``（三） 台中電廠新建燃氣機組計畫：``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = [
    "FACILITY_SUFFIXES",
    "NameMatch",
    "facility_type_of",
    "find_facility_names",
    "find_plan_names",
    "find_sited_units",
    "find_titled_plants",
    "is_generic_stem",
    "names_place",
    "run_start",
    "trim_name",
]

#: Printed facility word → facility type. Longer words win over the words they end with.
FACILITY_SUFFIXES: Final[dict[str, str]] = {
    "科技產業園區": "technology_industrial_park",
    "科技園區": "technology_industrial_park",
    "軟體園區": "technology_industrial_park",
    "科學園區": "science_park",
    "產業園區": "industrial_park",
    "工業專區": "industrial_park",
    "工業區": "industrial_park",
    "園區": "park",
    "水庫": "reservoir",
    "人工湖": "artificial_lake",
    "攔河堰": "weir",
    "淨水場": "water_treatment_plant",
    "淨水廠": "water_treatment_plant",
    "再生水廠": "reclaimed_water_plant",
    "海水淡化廠": "desalination_plant",
    "海淡廠": "desalination_plant",
    "原水管": "pipeline",
    "聯通管": "pipeline",
    "幹管": "pipeline",
    "防淤隧道": "sediment_tunnel",
    "引水隧道": "tunnel",
    "伏流水": "subsurface_intake",
    "滯洪池": "detention_pond",
    "抽水站": "pumping_station",
    "發電廠": "power_plant",
    "電廠": "power_plant",
    "發電機組": "power_unit",
    "號機": "power_unit",
    "液化天然氣廠": "lng_terminal",
    "接收站": "lng_terminal",
    "風力發電場": "wind_farm",
    "風場": "wind_farm",
    "變電所": "substation",
    "輸電線": "transmission_line",
    "斷層": "fault",
    "火山": "volcano",
}

#: 核一廠, 核二廠, 核三廠: nuclear plants print no facility word but 廠.
_NUCLEAR = re.compile(r"核[一二三四]廠")

#: Facility words that are the start of another word (斷層掃描 is tomography).
_NOT_FACILITY: Final = ("斷層掃描", "火山灰")
_SUFFIX = re.compile("|".join(sorted(map(re.escape, FACILITY_SUFFIXES), key=len, reverse=True)))

#: Characters a name may hold: CJK ideographs, ASCII letters and digits, a hyphen, 臺/台 dots.
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9\-‧]")

#: Words after which a name starts (the last one in a run wins). Multi-character words are
#: safe; single characters are limited to those never seen inside a printed name here
#: (not 和, which 協和 holds, nor 至, which quoted pipeline names hold).
BOUNDARY_WORDS: Final = (
    "包括", "包含", "其中", "另外", "以及", "位於", "選定", "規劃", "推動", "辦理", "興建",
    "擴建", "新建", "增建", "改建", "建置", "設置", "完成", "供應", "合作", "進行", "啟動",
    "引進", "協助", "透過", "依據", "配合", "針對", "鄰近", "連結", "鏈結", "結合", "提升",
    "既有", "現有", "所轄", "轄管", "開發", "利用", "優化", "更新", "管理", "執行", "擴大",
    "強化", "增加", "打造", "成立", "搭配", "增設", "延長", "採取", "負責", "注意", "發現",
    "評估", "分析", "維護", "促使", "偕同", "突破", "創造", "形塑", "俾利", "滿足", "進駐",
    "多項", "公司", "協力", "至", "由", "於", "在", "及", "與", "或", "等", "為", "之", "的",
    "將", "已", "並", "另", "如", "各", "該", "其", "即", "從", "向", "對", "讓", "以", "而",
    "編定", "建立", "發展", "加強", "鼓勵", "擴增", "就", "餘", "年", "月", "日", "起",
)  # fmt: skip

#: Where a boundary character is the first of a word that names hold (在地型園區).
_NOT_BOUNDARY: Final = ("在地",)

#: Owners printed before a facility name (``台電公司大潭電廠``); they are not part of it.
OWNER_PREFIXES: Final = (
    "台電公司", "中油公司", "台水公司", "台糖公司", "本部", "台電", "中油", "台水", "台糖",
)  # fmt: skip

#: Stems that describe rather than name (``液化天然氣接收站``, ``在地型園區``).
GENERIC_STEMS: Final = frozenset(
    {
        "", "天然氣", "液化天然氣", "LNG", "燃氣", "新", "首座示範", "示範", "海上", "離岸",
        "陸域", "公民", "虛擬", "在地型", "平價", "特色", "新創", "智慧", "綠能", "創新",
        "產業", "工業", "科學", "科技", "循環", "示範幼兒", "全國", "國內", "大型", "小型",
        "區內", "地熱", "水力", "地下", "海底", "北部", "中部", "南部", "東部", "全臺",
        "部分", "活動", "相關", "重要", "兩", "二", "三", "座", "號", "第", "本土", "國家",
        "永續發展智慧", "新循環示範", "產業示範", "立體化創新研發", "抗旱", "緊急海淡",
        "未來", "周邊", "技術工", "大氣", "都市計畫", "在地", "在地產業", "大規模", "智慧化",
        "核能", "再生能源公民", "乙種", "二次", "全國河川", "河川", "幸福",
    }
)  # fmt: skip

#: Generic stems that may end a longer name (基隆海底火山).
_EXACT_ONLY: Final = frozenset({"海底", "北部", "中部", "南部", "東部"})

#: Stem endings that describe a kind or an area, not one site (宜蘭地區火山, 全國活動斷層).
GENERIC_TAILS: Final = ("地區", "區域調度", "活動", "河川", "三維", "核")

#: Places that make a bare 園區 a named park (楠梓園區, 中科台中園區).
PARK_PLACES: Final = ("楠梓", "高軟", "中科", "南科", "竹科", "潭子", "臨廣", "屏東", "臺中港")

#: Place words that make a plan name place-bound (counties, cities, regions, islands).
PLACE_WORDS: Final = (
    "臺北", "台北", "新北", "桃園", "臺中", "台中", "臺南", "台南", "高雄", "基隆", "新竹",
    "苗栗", "彰化", "南投", "雲林", "嘉義", "屏東", "宜蘭", "花蓮", "臺東", "台東", "澎湖",
    "金門", "馬祖", "連江", "離島", "板新", "北部地區", "中部地區", "南部地區", "東部地區",
)  # fmt: skip

#: Plan words; a quoted or titled name ending in one of them is a plan.
_PLAN_END = re.compile(
    r"(?:計畫|計劃|工程|方案|專案)(?:[（(][^）)]{1,16}[）)])?(?:第.期|第\d+期)?$"
)
_QUOTED = re.compile(r"「([^「」]{3,60})」")
_ITEM_TITLE = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[、.]|[一二三四五六七八九十]+、)\s*([^：:，。]{3,50})[：:]"
)
_NATIONAL = re.compile(r"全國|全臺|國家|全區域")


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A printed name and where it stands in the text it was found in."""

    name: str
    start: int
    end: int
    facility_type: str | None


def _last_boundary(run: str, word: str) -> int:
    index = run.rfind(word)
    while index >= 0 and any(run.startswith(keep, index) for keep in _NOT_BOUNDARY):
        index = run.rfind(word, 0, index)
    return index


def trim_name(run: str) -> str:
    """Cut a run of name characters after its last boundary word and owner prefix.

    >>> trim_name("興建第三天然氣接收站")
    '第三天然氣接收站'
    """
    cut = 0
    for word in BOUNDARY_WORDS:
        index = _last_boundary(run, word)
        if index >= 0:
            cut = max(cut, index + len(word))
    name = run[cut:]
    for owner in OWNER_PREFIXES:
        if name.startswith(owner):
            return name[len(owner) :]
    return name


def is_generic_stem(stem: str) -> bool:
    """Whether the part of a name before its facility word describes rather than names."""
    if stem.endswith(GENERIC_TAILS):
        return True
    if any(stem.endswith(word) for word in GENERIC_STEMS - _EXACT_ONLY if len(word) >= 2):
        return True  # 大幅提昇核能電廠: a description ending in a generic word
    return stem in GENERIC_STEMS or len(stem) < 2 or stem.isdigit()


def facility_type_of(name: str) -> str | None:
    """The facility type of a name, from the facility word it ends with (or ``None``)."""
    if _NUCLEAR.search(name):
        return "nuclear_plant"
    match = _SUFFIX.search(name)
    best: str | None = None
    while match:
        best = FACILITY_SUFFIXES[match.group(0)]
        match = _SUFFIX.search(name, match.end())
    return best


def names_place(name: str) -> bool:
    """Whether a plan name is bound to a place: it names a facility or a place, not the nation."""
    if _NATIONAL.search(name):
        return False
    has_facility = any(True for _ in find_facility_names(name))
    return has_facility or any(word in name for word in PLACE_WORDS)


def run_start(text: str, end: int) -> int:
    """Where the run of name characters that ends at ``end`` starts."""
    start = end
    while start > 0:
        char = text[start - 1]
        latin_space = char == " " and text[start - 2 : start - 1].isalnum() and start > 1
        if not (_NAME_CHAR.match(char) or latin_space):
            break
        start -= 1
    return start


def _accepts(stem: str, suffix: str) -> bool:
    """Whether ``stem`` + ``suffix`` is a name rather than a description."""
    ordinal = re.match(r"第[一二三四五六七八九十]座?", stem)
    if ordinal and suffix == "接收站":
        return True  # 第三天然氣接收站: LNG terminals are known by their ordinal
    if is_generic_stem(stem) or stem.endswith(("第", "等", "號")) or ordinal:
        return False
    if suffix == "號機":
        return bool(re.search(r"[\u4e00-\u9fff]{2}新?\d+$", stem))  # not 第 7 號機組
    if suffix == "發電機組" and stem[-1] in "一二兩三四五六七八九十":
        return False  # 二發電機組: two units, counted
    if suffix == "園區":
        return any(place in stem for place in (*PLACE_WORDS, *PARK_PLACES))
    return "座" not in stem


#: A count of sites printed after a facility word in the same clause makes it a class of sites.
_COUNT_AFTER = re.compile(
    r"[^，。；、：]{0,12}?\d[\d,]*\s*(?:處|座|所)(?![\u4e00-\u9fff]*(?:廠|場|站))"
)


def _facility_candidates(text: str) -> list[NameMatch]:
    found: list[NameMatch] = []
    for match in _SUFFIX.finditer(text):
        if text.startswith(_NOT_FACILITY, match.start()):
            continue
        start = run_start(text, match.start())
        name = trim_name(text[start : match.start()]) + match.group(0)
        if not _accepts(name[: -len(match.group(0))], match.group(0)):
            continue
        if _COUNT_AFTER.match(text, match.end()):
            continue  # 水門抽水站每年維護操作管理 2,950 處: a count of sites, not one facility
        found.append(NameMatch(name, match.end() - len(name), match.end(), facility_type_of(name)))
    for match in _NUCLEAR.finditer(text):
        found.append(NameMatch(match.group(0), match.start(), match.end(), "nuclear_plant"))
    return found


def find_facility_names(text: str) -> list[NameMatch]:
    """Every facility name printed in ``text``, longest first where names overlap.

    A name inside a longer one (``石門水庫`` in ``石門水庫阿姆坪防淤隧道``) is not reported
    on its own there.
    """
    candidates = sorted(_facility_candidates(text), key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[NameMatch] = []
    for candidate in candidates:
        if any(k.start <= candidate.start and candidate.end <= k.end for k in kept):
            continue
        kept = [k for k in kept if not (candidate.start <= k.start and k.end <= candidate.end)]
        kept.append(candidate)
    return sorted(kept, key=lambda m: m.start)


_LEADING_VERB = re.compile(r"^(?:推動|辦理|啟動|執行|依據|依)")
_CLAUSE_PLAN = re.compile(
    r"(?:^|[，。；：、）)])(?:另外|另|並|其中|而)?"
    r"([\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9\-]{3,30}?計畫(?:第.期)?)(?=已|將|預|於|為|之|，|。)"
)


def _clean_plan(name: str) -> str | None:
    name = _LEADING_VERB.sub("", name.strip())
    for owner in OWNER_PREFIXES:
        if name.startswith(owner):
            name = name[len(owner) :]
    if not _PLAN_END.search(name) or len(name) < 4:
        return None
    if any(ch in name for ch in "，。；、") or "業者" in name or name.endswith("解決方案"):
        return None
    return name


def _clause_plans(text: str) -> list[NameMatch]:
    """Unquoted plan names that fill a clause: ``另離岸風力發電第二期計畫已於…決標``."""
    found: list[NameMatch] = []
    for match in _CLAUSE_PLAN.finditer(text):
        name = match.group(1)
        if trim_name(name) != name or name.startswith(("本計畫", "該計畫", "計畫")):
            continue  # a verb or particle inside: a description, not a name
        found.append(NameMatch(name, match.start(1), match.end(1), facility_type_of(name)))
    return found


def find_plan_names(text: str, *, clauses: bool = True) -> list[NameMatch]:
    """Plan names whose two ends the print marks: quoted, or the title of a numbered item,
    and (if ``clauses``) unquoted names that fill a clause."""
    found: list[NameMatch] = []
    title = _ITEM_TITLE.match(text)
    if title:
        name = _clean_plan(title.group(1))
        if name:
            end = title.end(1)
            found.append(NameMatch(name, end - len(name), end, facility_type_of(name)))
    for match in _QUOTED.finditer(text):
        name = _clean_plan(match.group(1))
        if name:
            end = match.end(1)
            found.append(NameMatch(name, end - len(name), end, facility_type_of(name)))
    for clause in _clause_plans(text) if clauses else []:
        if not any(f.start <= clause.start < f.end for f in found):
            found.append(clause)
    return sorted(found, key=lambda m: m.start)


_TITLED_PLANT = re.compile(
    r"^[（(]\d+[）)]\s*([\u4e00-\u9fff]{2,6}廠)(?:或([\u4e00-\u9fff]{2,6}廠))?(?=供應|：)"
)


def find_titled_plants(text: str, facility_type: str) -> list[NameMatch]:
    """Plants printed with a bare ``廠`` as the title of a numbered item (``(3) 臺中福田廠供應…``).

    A bare 廠 names a plant only where the heading above says what kind of plant it is, so the
    caller passes ``facility_type``.
    """
    match = _TITLED_PLANT.match(text)
    if not match:
        return []
    return [
        NameMatch(match.group(group), match.start(group), match.end(group), facility_type)
        for group in (1, 2)
        if match.group(group)
    ]


#: 於宜蘭仁澤建置 1 座 900 瓩之地熱發電機組, 於新竹南寮設置緊急海淡機組: a unit the text sites
#: at a place without naming it otherwise. Its name is the place and the unit, as printed.
_SITED_UNIT = re.compile(
    r"於([\u4e00-\u9fff]{2,4}?)(?:建置|設置|興建|新建|裝設)"
    r"(?:[^，。；、]{0,16}?之)?((?:緊急)?(?:地熱發電機組|海淡機組|海水淡化機組|小水力發電機組))"
)


def find_sited_units(text: str) -> list[NameMatch]:
    """Units the text builds at a named place (``於宜蘭仁澤建置…之地熱發電機組``), named by the
    place and the unit: ``宜蘭仁澤地熱發電機組``."""
    found = []
    squeezed = re.sub(r"\s+", "", text)
    for match in _SITED_UNIT.finditer(squeezed):
        name = match.group(1) + match.group(2)
        kind = "geothermal" if "地熱" in name else facility_type_of(name)
        at = text.find(match.group(2)[:2])
        found.append(NameMatch(name, max(at, 0), max(at, 0) + len(match.group(2)), kind))
    return found
