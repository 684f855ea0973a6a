"""The web map's words in Traditional Chinese (the default) and English.

:func:`strings` gives one language's table; :func:`parse_lang` reads the ``lang`` query
parameter. Labels for the register's codes (layers, statuses, precision codes) live here too,
so that the table, the popups, the legend and the summary say the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final, Literal, get_args

from geo.counties import COUNTIES
from geo.errors import FilterError
from layers.params import Choice, FilterChoices, Param, Words, read_params

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "LANG_PARAM",
    "Lang",
    "agency_label",
    "county_label",
    "html_lang_of",
    "label",
    "parse_lang",
    "program_label",
    "strings",
]

Lang = Literal["zh", "en"]
LANGS: Final[tuple[Lang, ...]] = get_args(Lang)
DEFAULT_LANG: Final[Lang] = "zh"

_ZH: Final[dict[str, str]] = {
    "html_lang": "zh-Hant-TW",
    "title": "臺灣基礎建設地圖",
    "subtitle": "經濟部計畫的位置、預算與進度",
    "switch_lang": "English",
    "skip_link": "跳到主要內容",
    "back_to_list": "回到計畫列表與地圖",
    "show_on_map": "在地圖上檢視此計畫",
    "reason_national_programme": "全國性計畫，不屬特定地點",
    "reason_text_nationwide": "報告載明為全國性工作",
    "reason_distributed": (
        "由各縣市政府執行（{printed}…，{document} 第 {line} 行），屬全國性計畫，文中地點僅為舉例"
    ),
    "reason_generating_unit": "發電機組，定位於所屬電廠「{plant}」",
    "reason_budget_level": (
        "單位預算的工作計畫或分支計畫：文中地點屬其下各項目，不將全部預算標示於單一地點"
    ),
    "reason_site_not_in_gazetteer": "此地點名稱不在地名資料中",
    "reason_no_place": "名稱與內文未提及施作地點",
    "reason_no_place_passing": "未提及施作地點；僅順帶提及：{places}",
    "reason_passing_place": "{name}（{role}，{document} 第 {line} 行）",
    "reason_more": "等另 {n} 處",
    "reason_ambiguous": "（名稱不明確，未予猜測：{names}）",
    "reason_text_conflict": (
        "地名資料將「{name}」列於{stored}，但報告（{document} 第 {line} 行）寫為{said}：依報告定位"
    ),
    "filters": "篩選",
    "filters_chosen": "（已選 {n} 項）",
    "switch_county": "切換縣市",
    "phase_totals": "各期法定預算合計（報告所載）",
    "phase_n": "第 {n} 期",
    "chart_budget": "各年度預算：法定與已執行",
    "chart_progress": "累計進度：預定與實際",
    "charts": "圖表",
    "sites_map": "計畫地點地圖",
    "page_link": "本頁連結",
    "copy_link": "複製連結",
    "copied": "已複製",
    "feed_link": "訂閱更新（Atom）",
    "basis": "資料依據",
    "basis_note": "本圖所有數字皆讀自上列報告的文字，未經人工填補；報告未載明者顯示為「—」。",
    "api_link": "開放資料 API（OGC API – Features）",
    "dictionary_link": "欄位說明（英文）",
    "report_link": "建置報告（英文）",
    "unknown_document": "未辨識的文件",
    "all_behind": "全部 {n} 項落後計畫（表格）",
    "elsewhere_note": "其中 {n} 項計畫也在其他縣市執行：地圖只畫出它們在{counties}的地點。",
    "county": "縣市",
    "town": "鄉鎮市區",
    "program": "計畫類別",
    "layer": "圖層",
    "year": "年度",
    "year_hint": "西元或民國，如 2021 或 110",
    "status": "執行狀態",
    "precision": "定位精確度",
    "q": "計畫名稱",
    "budget_min": "法定預算下限（元）",
    "budget_max": "法定預算上限（元）",
    "choropleth": "縣市著色",
    "choropleth_none": "不著色",
    "choropleth_legal": "法定預算",
    "choropleth_executed": "執行數",
    "any": "全部",
    "apply": "套用",
    "reset": "清除篩選",
    "map": "地圖",
    "map_label": "計畫地圖",
    "legend": "圖例",
    "exact": "實心：精確或鄰近位置（精確度 1–2）",
    "approximate": "空心虛線：鄉鎮或縣市層級（精確度 3–4），非實際地點",
    "cluster": "數字圓圈：多個計畫聚集，放大可展開",
    "counties_layer": "縣市界",
    "towns_layer": "鄉鎮市區界（放大後顯示）",
    "no_basemap": "無底圖",
    "summary": "摘要",
    "count": "符合計畫",
    "legal": "法定預算合計",
    "executed": "執行數合計",
    "behind": "進度落後",
    "off_map": "未顯示於地圖",
    "off_map_list": "未顯示於地圖的計畫",
    "and_more": "另有 {n} 項（見下載檔案）",
    "totals_note": (
        "預算為各計畫最新年度數字；總計中每個計畫只計一次，跨縣市計畫的預算在各縣市間平均分攤。"
    ),
    "printed_by": "（{total} 項中 {n} 項載有數字）",
    "downloads": "下載篩選結果",
    "results": "計畫列表",
    "results_caption": "符合篩選的計畫（共 {n} 項，第 {page}／{pages} 頁）",
    "name": "名稱",
    "budget": "法定預算",
    "budget_column": "法定預算（億元，各計畫最新年度）",
    "rate": "執行率",
    "progress": "進度（實際／預定）",
    "gap": "落後（百分點）",
    "money_vs_work": "執行率是預算花用的比例（已執行÷可支用預算），"
    "進度是工程完成的比例（實際／預定）：兩者衡量不同的事，執行率高不代表工程已完成。",
    "behind_rule": "落後＝累計實際進度低於預定進度；落後未滿 5 個百分點為輕微落後，"
    "5 至未滿 10 為落後，10 以上為嚴重落後。",
    "budget_of_year": "法定預算（{year}）",
    "sort_hint": "（點選以{order}排序）",
    "cluster_label": "個計畫，按 Enter 放大",
    "ascending": "遞增",
    "descending": "遞減",
    "previous": "上一頁",
    "next": "下一頁",
    "pages": "分頁",
    "none_found": "沒有符合篩選的計畫。",
    "bad_request": "篩選條件有誤",
    "agency": "執行機關",
    "period": "計畫期程",
    "budget_year": "預算年度",
    "budget_table": "歷年預算",
    "phase": "期別",
    "allocated": "分配數",
    "progress_planned": "預定進度",
    "progress_actual": "實際進度",
    "as_of": "截至",
    "placement": "定位",
    "location_note": "定位說明",
    "sources": "資料來源",
    "lines": "第 {first}–{last} 行",
    "details": "詳細資料",
    "national": "全國性",
    "unplaced": "未定位",
    "county_page": "{county}的計畫",
    "all_counties": "全國",
    "unknown_county": "找不到縣市「{name}」",
    "counties_are": "縣市如下：",
    "error_404": "找不到這個頁面",
    "error_405": "這個網址不接受此種請求",
    "error_500": "伺服器發生錯誤",
    "error_503": "資料暫時無法取得，請稍後再試",
    "error_other": "無法處理這個請求",
    "error_help": "請回到地圖重新查詢；若問題持續，請稍後再試。",
    "unknown_project": "找不到計畫「{pid}」",
    "unknown_project_help": "計畫代碼可能已因重新建置而改變；請從地圖或列表查詢。",
    "behind_list": "進度落後的計畫",
    "not_found": "找不到此計畫",
    "loading": "載入中…",
    "total": "合計",
}

_EN: Final[dict[str, str]] = {
    "html_lang": "en",
    "title": "Taiwan Infrastructure Atlas",
    "subtitle": "Where Ministry of Economic Affairs projects are, their budgets and progress",
    "switch_lang": "中文",
    "skip_link": "Skip to the main content",
    "back_to_list": "Back to the list and the map",
    "show_on_map": "See this project on the map",
    "reason_national_programme": "A national programme, not bound to a place",
    "reason_text_nationwide": "The report says the work is nationwide",
    "reason_distributed": (
        "The county governments carry out its works ({printed}…, {document} line {line}): "
        "nationwide; the sites it names are examples"
    ),
    "reason_generating_unit": "A generating unit, placed at its plant, {plant}",
    "reason_budget_level": (
        "A work plan or branch plan of a unit budget: the places it names belong to its "
        "items; its whole amount is not pinned to one of them"
    ),
    "reason_site_not_in_gazetteer": "The site's name is not in the gazetteer",
    "reason_no_place": "No place is named where the work is",
    "reason_no_place_passing": "No place is named where the work is; only in passing: {places}",
    "reason_passing_place": "{name} ({role}, {document} line {line})",
    "reason_more": "and {n} more",
    "reason_ambiguous": " (ambiguous names not guessed: {names})",
    "reason_text_conflict": (
        "The gazetteer puts {name} in {stored}, but its report ({document} line {line}) "
        "says {said}: placed where the report says"
    ),
    "filters": "Filters",
    "filters_chosen": "({n} chosen)",
    "switch_county": "Another county",
    "phase_totals": "Legal budget per phase, as printed",
    "phase_n": "phase {n}",
    "chart_budget": "Budget by year: legal and executed",
    "chart_progress": "Cumulative progress: planned and actual",
    "charts": "Charts",
    "sites_map": "Map of the project's sites",
    "page_link": "Link to this page",
    "copy_link": "Copy link",
    "copied": "Copied",
    "feed_link": "Follow changes (Atom)",
    "basis": "What this map is based on",
    "basis_note": "Every figure here is read from the text of the reports above, never filled "
    "in by hand; what a report does not print is shown as “—”.",
    "api_link": "Open data API (OGC API – Features)",
    "dictionary_link": "Data dictionary",
    "report_link": "Build report",
    "unknown_document": "an unrecognised document",
    "all_behind": "All {n} projects behind schedule (table)",
    "elsewhere_note": "{n} of these projects also run in other counties: the map draws only "
    "their sites in {counties}.",
    "county": "County",
    "town": "Town",
    "program": "Programme",
    "layer": "Layer",
    "year": "Year",
    "year_hint": "Gregorian or ROC, e.g. 2021 or 110",
    "status": "Status",
    "precision": "Placement precision",
    "q": "Project name",
    "budget_min": "Legal budget from (NT$)",
    "budget_max": "Legal budget up to (NT$)",
    "choropleth": "Colour counties by",
    "choropleth_none": "nothing",
    "choropleth_legal": "legal budget",
    "choropleth_executed": "executed budget",
    "any": "all",
    "apply": "Apply",
    "reset": "Clear filters",
    "map": "Map",
    "map_label": "Map of the projects",
    "legend": "Legend",
    "exact": "Filled: exact site or near it (precision 1–2)",
    "approximate": "Hollow, dashed: town or county level (precision 3–4), not the site itself",
    "cluster": "Numbered circle: several projects together; zoom in to split",
    "counties_layer": "County boundaries",
    "towns_layer": "Town boundaries (when zoomed in)",
    "no_basemap": "No basemap",
    "summary": "Summary",
    "count": "Matching projects",
    "legal": "Legal budget",
    "executed": "Executed",
    "behind": "Behind schedule",
    "off_map": "Not on the map",
    "off_map_list": "Projects not on the map",
    "and_more": "and {n} more (in the downloads)",
    "printed_by": "({n} of {total} projects print the figure)",
    "totals_note": (
        "Budgets are each project's latest budget year; each project counts once in the "
        "totals, and a multi-county project's budget is shared equally among its counties."
    ),
    "downloads": "Download these projects",
    "results": "Projects",
    "results_caption": "Matching projects ({n}, page {page} of {pages})",
    "name": "Name",
    "budget": "Legal budget",
    "budget_column": "Legal budget (NT$ million, each project's latest year)",
    "rate": "Execution rate",
    "progress": "Progress (actual / planned)",
    "gap": "Behind by (points)",
    "money_vs_work": "The execution rate is money spent (executed ÷ available budget); progress "
    "is work done (actual / planned). They measure different things: a high execution rate "
    "does not mean the work is finished.",
    "behind_rule": "Behind schedule: cumulative actual progress below planned. Under 5 points "
    "behind is slightly behind, 5 to under 10 behind, 10 or more seriously behind.",
    "budget_of_year": "Legal budget ({year})",
    "sort_hint": " (select to sort {order})",
    "cluster_label": " projects; Enter zooms in",
    "ascending": "ascending",
    "descending": "descending",
    "previous": "Previous",
    "next": "Next",
    "pages": "Pages",
    "none_found": "No project matches these filters.",
    "bad_request": "The filter is not valid",
    "agency": "Agency",
    "period": "Period",
    "budget_year": "Budget year",
    "budget_table": "Budget by year",
    "phase": "Phase",
    "allocated": "Allocated",
    "progress_planned": "Planned progress",
    "progress_actual": "Actual progress",
    "as_of": "as of",
    "placement": "Placement",
    "location_note": "Location note",
    "sources": "Sources",
    "lines": "lines {first}–{last}",
    "details": "Details",
    "national": "nationwide",
    "unplaced": "not placed",
    "county_page": "Projects in {county}",
    "all_counties": "All of Taiwan",
    "unknown_county": "No county called “{name}”",
    "counties_are": "The counties are:",
    "error_404": "No such page",
    "error_405": "This address does not take that kind of request",
    "error_500": "Something went wrong on the server",
    "error_503": "The data is unavailable for a moment: please try again shortly",
    "error_other": "The request could not be handled",
    "error_help": "Go back to the map and search again; if it persists, try again later.",
    "unknown_project": "No project “{pid}”",
    "unknown_project_help": (
        "Project ids may change when the atlas is rebuilt: search the map or the table."
    ),
    "behind_list": "Behind schedule",
    "not_found": "No such project",
    "loading": "Loading…",
    "total": "total",
}

_LABELS: Final[dict[Lang, dict[str, dict[str, str]]]] = {
    "zh": {
        "layer": {
            "water": "水資源",
            "energy": "能源",
            "industrial_park": "產業園區",
            "disaster": "防災",
            "other": "其他",
        },
        "status": {
            "completed": "已完工",
            "on_track": "進度正常",
            "behind": "進度落後",
            "planned": "規劃中",
            "unknown": "不明",
        },
        "document": {
            "performance_review": "前瞻基礎建設計畫績效檢討報告",
            "unit_budget": "單位預算",
            "policy_plan": "年度施政計畫",
            "business_report": "業務報告",
            "sti_plan": "國家科學技術發展計畫",
        },
        "role": {
            "site": "施作地點",
            "served": "供應地區",
            "example": "舉例",
            "award": "獲獎項目",
            "agency": "機關或公司",
            "beneficiary": "補助或輔導對象",
            "investment": "民間投資",
            "event": "活動場地",
            "comparison": "比較對象",
            "no_site_words": "未述及施作",
            "reviewed": "審查對象",
            "scope": "範圍或最高級用語",
        },
        "precision": {
            "1": "精確位置",
            "2": "鄰近（25 公里內）",
            "3": "鄉鎮市區層級",
            "4": "縣市層級",
            "6": "全國性計畫",
            "": "未定位",
        },
        "sort": {
            "name": "名稱",
            "layer": "圖層",
            "county": "縣市",
            "budget": "法定預算",
            "rate": "執行率",
            "progress": "實際進度",
            "gap": "落後百分點",
            "status": "執行狀態",
        },
        "behind_level": {"slight": "輕微落後", "behind": "落後", "serious": "嚴重落後"},
    },
    "en": {
        "layer": {
            "water": "Water",
            "energy": "Energy",
            "industrial_park": "Industrial parks",
            "disaster": "Disaster prevention",
            "other": "Other",
        },
        "status": {
            "completed": "completed",
            "on_track": "on track",
            "behind": "behind schedule",
            "planned": "planned",
            "unknown": "unknown",
        },
        "document": {
            "performance_review": "Forward-looking Infrastructure performance review",
            "unit_budget": "Unit budget",
            "policy_plan": "Annual policy plan",
            "business_report": "Business report",
            "sti_plan": "National science and technology plan",
        },
        "role": {
            "site": "where the work is",
            "served": "an area served",
            "example": "an example",
            "award": "a prize list",
            "agency": "an agency or firm",
            "beneficiary": "subsidised or assisted",
            "investment": "private investment",
            "event": "an event venue",
            "comparison": "a comparison",
            "no_site_words": "nothing built there",
            "reviewed": "reviewed, not built",
            "scope": "a scope or superlative",
        },
        "precision": {
            "1": "exact site",
            "2": "near the site (within 25 km)",
            "3": "town level",
            "4": "county level",
            "6": "nationwide programme",
            "": "not placed",
        },
        "sort": {
            "name": "name",
            "layer": "layer",
            "county": "county",
            "budget": "legal budget",
            "rate": "execution rate",
            "progress": "actual progress",
            "gap": "points behind",
            "status": "status",
        },
        "behind_level": {
            "slight": "slightly behind",
            "behind": "behind",
            "serious": "seriously behind",
        },
    },
}

_COUNTY_EN: Final = {county.name: county.name_en for county in COUNTIES}

#: English for the programmes the reports print (前瞻基礎建設 programmes and unit-budget work
#: plans). Ours, not official: a name not listed is shown as printed.
_PROGRAM_EN: Final = {
    "水環境建設": "Water environment infrastructure",
    "綠能建設": "Green energy infrastructure",
    "數位建設": "Digital infrastructure",
    "城鄉建設": "Urban and rural infrastructure",
    "軌道建設": "Railway infrastructure",
    "人才培育促進就業建設": "Talent development and employment infrastructure",
    "食品安全建設": "Food safety infrastructure",
    "因應少子化友善育兒空間建設": "Childcare-friendly spaces",
    "策進傳統產業躍升與永續發展環境": "Upgrading traditional industries, sustainably",
    "發展新興與高科技產業": "Developing emerging and high-tech industries",
    "資訊管理": "Information management",
    "基本行政工作維持": "Basic administration",
    "產業行政與管理": "Industrial administration and management",
    "產業政策企劃": "Industrial policy planning",
    "產業用地開發整合服務計畫": "Industrial land development and integrated services",
    "智慧電動機車能源補充設施普及計畫": "Electric scooter charging and battery-swap stations",
}
#: English for the agencies the reports print (MOEA's own English names where it has them).
_AGENCY_EN: Final = {
    "經濟部": "Ministry of Economic Affairs (MOEA)",
    "經濟部水利署": "Water Resources Agency, MOEA",
    "經濟部工業局": "Industrial Development Bureau, MOEA",
    "經濟部技術處": "Department of Industrial Technology, MOEA",
    "經濟部中企處": "Small and Medium Enterprise Administration, MOEA",
    "經濟部能源局": "Bureau of Energy, MOEA",
    "經濟部商業司": "Department of Commerce, MOEA",
    "經濟部加工處": "Export Processing Zone Administration, MOEA",
    "台灣自來水公司": "Taiwan Water Corporation",
    "台灣電力公司": "Taiwan Power Company",
    "台灣中油公司": "CPC Corporation, Taiwan",
    "環保署": "Environmental Protection Administration",
    "行政院環保署": "Environmental Protection Administration",
    "農委會": "Council of Agriculture",
    "行政院農委會": "Council of Agriculture",
    "內政部": "Ministry of the Interior",
    "交通部": "Ministry of Transportation and Communications",
    "工業區組": "Industrial Parks Division",
    "金屬機電組": "Metal and Mechanical Industries Division",
    "金機組": "Metal and Mechanical Industries Division",
    "知識服務組": "Knowledge Services Division",
    "知識組": "Knowledge Services Division",
    "電子資訊組": "Electronics and Information Industries Division",
    "電資組": "Electronics and Information Industries Division",
    "產業政策組": "Industrial Policy Division",
    "永續發展組": "Sustainable Development Division",
    "永發組": "Sustainable Development Division",
    "民生化工組": "Consumer and Chemical Industries Division",
    "民化組": "Consumer and Chemical Industries Division",
    "人事室": "Personnel Office",
    "秘書室": "Secretariat",
    "主計室": "Accounting Office",
    "政風室": "Civil Service Ethics Office",
    "資訊室": "Information Management Office",
    "中辦": "Central Taiwan Office",
    "各單位": "all units",
}


#: The page's language, a parameter of every page.
LANG_PARAM: Final = Param(
    "lang", Choice(LANGS), Words("Language", "語言"), "zh (the default) or en."
)


def parse_lang(value: str | None) -> Lang:
    """The ``lang`` parameter: ``zh`` (also when absent) or ``en``.

    Raises
    ------
    FilterError
        Any other value; the message lists the languages.
    """
    lang: Lang | None = read_params({"lang": value or ""}, [LANG_PARAM], choices=FilterChoices())[
        "lang"
    ]
    return lang or DEFAULT_LANG


def lang_or_default(value: str | None) -> Lang:
    """The ``lang`` parameter, or the default language when it is not one (for pages that must
    answer even a bad query, such as an error page)."""
    try:
        return parse_lang(value)
    except FilterError:
        return DEFAULT_LANG


_CJK: Final = re.compile(r"[\u3400-\u9fff]")


def html_lang_of(value: object) -> str:
    """The HTML language of a value shown on a page: ``zh-Hant-TW`` if it holds Chinese
    characters (a project's name, a report's title), else ``en``."""
    return "zh-Hant-TW" if _CJK.search(str(value or "")) else "en"


def strings(lang: Lang) -> Mapping[str, str]:
    """The interface strings of one language."""
    return _EN if lang == "en" else _ZH


def label(kind: str, code: object, lang: Lang) -> str:
    """The label of a register code: ``kind`` is ``layer``, ``status``, ``precision``,
    ``document`` (a source's kind) or ``sort``; an unknown code is shown as it is."""
    key = "" if code is None else str(code)
    return _LABELS[lang][kind].get(key, key)


def program_label(name: str | None, lang: Lang) -> str:
    """A programme's name in the language (as printed in Chinese, or when not translated)."""
    if not name:
        return ""
    return _PROGRAM_EN.get(name, name) if lang == "en" else name


def agency_label(name: str, lang: Lang) -> str:
    """An agency's name in the language (as printed in Chinese, or when not translated)."""
    return _AGENCY_EN.get(name, name) if lang == "en" else name


def county_label(name: str, lang: Lang) -> str:
    """A county's name in the language (its official name in Chinese)."""
    return _COUNTY_EN.get(name, name) if lang == "en" else name
