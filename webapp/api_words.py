"""The words of the API's HTML pages, in English (their default) and Traditional Chinese.

``?lang=zh`` on any API page asks for Chinese (the JSON is the same either way). The OpenAPI
document's and the queryables' technical descriptions stay in English, marked as such; every
heading, label and sentence of the pages themselves is here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from webapp.i18n import Lang

__all__ = ["api_strings", "collection_words"]

_EN: Final = {
    "html_lang": "en",
    "site": "Taiwan Infrastructure Atlas API",
    "api": "API",
    "switch": "中文",
    "collections": "Collections",
    "collections_hint": "the projects, one per layer, and the counties",
    "conformance": "Conformance",
    "conformance_hint": "the OGC classes implemented",
    "conformance_title": "Conformance classes",
    "docs": "API documentation",
    "docs_crumb": "Documentation",
    "openapi_json": "OpenAPI 3.0 JSON",
    "clients": "In QGIS: Layer → Add Layer → Add WFS / OGC API – Features Layer, new connection "
    "with the URL {url}. With GDAL: {command}",
    "collection": "Collection",
    "description": "Description",
    "items_label": "Items",
    "browse": "browse",
    "browse_items": "Browse the items",
    "queryables": "Queryables",
    "items_of": "{title}: items",
    "queryables_of": "{title}: queryables",
    "matching": "{returned} of {matched} matching",
    "where": "where",
    "from_n": "(from {n}).",
    "spatial": "Spatial extent (CRS84)",
    "temporal": "Temporal extent (project periods)",
    "totals_where": "Totals of the projects where",
    "totals_all": "Totals of every project of the register",
    "totals_rule": "; a project in several counties counts as a project in each and its money "
    "is shared equally among them (the rows' budgets add up), nationwide programmes count in "
    "none.",
    "geometry": "geometry",
    "none": "none",
    "id": "id",
    "name": "name",
    "layer": "layer",
    "counties": "counties",
    "status": "status",
    "legal_budget": "legal budget (NT$)",
    "period": "period",
    "county": "county",
    "projects": "projects",
    "behind": "behind",
    "type": "type",
    "values_label": "values",
    "parameter": "parameter",
    "in": "in",
    "docs_intro": "The machine-readable definition is the {link}; every path below is under {url}.",
    "openapi_document": "OpenAPI 3.0 document",
    "also_as": "Also as:",
    "table": "Table",
    "map_of": "Map of the {noun} on this page",
    "not_on_map": "{n} not on the map (no place)",
    "noun_projects": "projects",
    "rel_prev": "Previous page",
    "rel_next": "Next page",
    "noun_counties": "counties",
}

_ZH: Final = {
    "html_lang": "zh-Hant-TW",
    "site": "臺灣基礎建設地圖 API",
    "api": "API",
    "switch": "English",
    "collections": "資料集",
    "collections_hint": "全部計畫、各圖層的計畫與各縣市統計",
    "conformance": "符合的標準",
    "conformance_hint": "實作的 OGC 標準類別",
    "conformance_title": "符合的標準類別",
    "docs": "API 說明文件",
    "docs_crumb": "說明文件",
    "openapi_json": "OpenAPI 3.0（JSON）",
    "clients": "在 QGIS：圖層 → 新增圖層 → 新增 WFS／OGC API – Features 圖層，以網址 {url} "
    "建立新連線。以 GDAL：{command}",
    "collection": "資料集",
    "description": "說明",
    "items_label": "項目",
    "browse": "瀏覽",
    "browse_items": "瀏覽項目",
    "queryables": "可查詢欄位",
    "items_of": "{title}：項目",
    "queryables_of": "{title}：可查詢欄位",
    "matching": "符合 {matched} 項，本頁 {returned} 項",
    "where": "條件：",
    "from_n": "（自第 {n} 項起）。",
    "spatial": "空間範圍（CRS84）",
    "temporal": "時間範圍（計畫期程）",
    "totals_where": "以下條件之計畫的合計：",
    "totals_all": "登錄所有計畫的合計",
    "totals_rule": "；跨縣市計畫在每個縣市各算一項，預算由各縣市平均分攤（各列預算加總即為總數），"
    "全國性計畫不計入任何縣市。",
    "geometry": "幾何",
    "none": "無",
    "id": "代碼",
    "name": "名稱",
    "layer": "圖層",
    "counties": "縣市",
    "status": "執行狀態",
    "legal_budget": "法定預算（新臺幣元）",
    "period": "計畫期程",
    "county": "縣市",
    "projects": "計畫數",
    "behind": "進度落後",
    "type": "型別",
    "values_label": "可用值",
    "parameter": "參數",
    "in": "位置",
    "docs_intro": "機器可讀的定義為 {link}；以下各路徑皆位於 {url} 之下。",
    "openapi_document": "OpenAPI 3.0 文件",
    "also_as": "其他格式：",
    "table": "表格",
    "map_of": "本頁{noun}的地圖",
    "not_on_map": "{n} 項未顯示於地圖（無地點）",
    "noun_projects": "計畫",
    "rel_prev": "上一頁",
    "rel_next": "下一頁",
    "noun_counties": "縣市",
}

#: Collection titles and descriptions in Chinese (the English ones are the JSON's).
_COLLECTIONS_ZH: Final = {
    "projects": ("全部計畫", "登錄的所有計畫，不論是否有地點。"),
    "water": ("水資源", "水庫、供水與水環境計畫。"),
    "energy": ("能源", "電廠、電網與綠能計畫。"),
    "industrial_park": ("產業園區", "產業園區計畫。"),
    "disaster": ("防災", "防洪與防災計畫。"),
    "other": ("其他", "不屬於任何地圖圖層的計畫（數位、人才、行政…）。"),
    "counties": (
        "縣市",
        "22 個縣市各圖層的計畫數、預算與進度落後計畫數；跨縣市計畫在每個縣市各算一項，"
        "預算平均分攤，全國性計畫不計入。",
    ),
}


def api_strings(lang: Lang) -> Mapping[str, str]:
    """The API pages' words in one language."""
    return _ZH if lang == "zh" else _EN


def collection_words(cid: str, title: str, description: str, lang: Lang) -> tuple[str, str]:
    """A collection's title and description in the language (the JSON's in English)."""
    return _COLLECTIONS_ZH.get(cid, (title, description)) if lang == "zh" else (title, description)
