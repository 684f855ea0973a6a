"""Whether a place a text names is where the work is, or only mentioned in passing.

A report section about a project names many places that are not where it is built: the
examples it gives (石門水庫、曾文水庫等 47 座水庫集水區), prizes won by its sub-projects, the
firms and local governments it subsidises or works with (中鋼公司, 新竹市政府), the venues of
its meetings and events (南港展覽館, 電影節), the rivers it is compared with, and the areas it
serves (供應…地區, already told apart by the geocoder). :func:`place_role` reads the sentence
around one match and says which of these it is, or :attr:`Role.SITE` when nothing marks it
as incidental. 全臺/全國 says the work is nationwide, except as a superlative (全台最大) or
the extent of a map or data set (全臺溫泉露頭分布圖), :attr:`Role.SCOPE`.

The sentence is what lies between 。 or ； marks; a prize list is also recognised by its
heading (``(四)「…金蘋果獎」`` above ``1.宜蘭縣安農溪…計畫``).

A named site (a gazetteer facility) is a site when its clause says work is done on it (工程,
興建, 建置, 儲能, 完工…) and its sentence does not mark it as incidental; a site named as a
work item (``「永康整體都市排水改善工程」``) stays a site even in a sentence about subsidies or
investment, but not in a prize list or a list of examples. A county or town is a site only
when its sentence also says that something is built or done there: 位於, 設於, 座落, 工址,
廠址, 場址, …地點, 於 X 興建/建置/設置/施作…, X…工程 (the place is part of a work item's
name), or a count of works right after it (新北 4 口, 三處).
"""

from __future__ import annotations

import re
from enum import StrEnum

from geo.places import Place, PlaceKind

__all__ = ["Role", "county_works", "place_role"]


class Role(StrEnum):
    """What a place is to the text that names it."""

    SITE = "site"  # where the work is: it places the project
    SERVED = "served"  # an area the work supplies or serves
    EXAMPLE = "example"  # one of a longer list of examples (如…, …等 47 座)
    AWARD = "award"  # a sub-project named in a prize list
    AGENCY = "agency"  # a government, firm or association named by its place
    BENEFICIARY = "beneficiary"  # subsidised, commissioned or assisted
    INVESTMENT = "investment"  # private investment the project brought in
    EVENT = "event"  # a meeting, exhibition or festival venue
    COMPARISON = "comparison"  # compared with, evaluated, referred to
    REVIEWED = "reviewed"  # another owner's work the project reviews, verifies or certifies
    SCOPE = "scope"  # 全臺 as a superlative (全台最大) or the extent of a thing (全臺…分布圖)
    NO_SITE_WORDS = "no_site_words"  # a county or town in a sentence that builds nothing there


_SENTENCE_END = re.compile(r"[。；;！!？?]")
_CLAUSE_END = re.compile(r"[，,：:。；;！!？?]")
_SPACE = re.compile(r"\s+")

_AWARD = re.compile(r"獎")
#: Private investment, and a firm's own plant (生產線, 廠房): not the project's works.
_INVESTMENT = re.compile(r"帶動.{0,8}投資|企業投資|促進.{0,4}投資|投資(?:額|金額)|生產線|產線|廠房")
_EVENT = re.compile(
    r"展覽|舉辦|研討會|論壇|說明會|座談|[影樂術物食]節|節慶|球場|球賽|商圈|百貨|直播|觀光"
)
_COMPARISON = re.compile(r"相較|比較|比對|參考|借鏡|參照|評估")
_BENEFICIARY = re.compile(r"補助|委託|代辦|輔導|協助|協調|獎勵|合作|媒合|結合|攜手")
_EXAMPLE_BEFORE = re.compile(
    r"(?:例如|諸如|包括|包含|像是|譬如|(?<![比假例])如(?![期下何實此同上]))"
)
#: …等 47 座: a list that stops short of its count gives examples.
_COUNTED_LIST = re.compile(
    r"等\s*([0-9０-９]+|[一二三四五六七八九十百]+)\s*(?:座|個|處|縣市|案|家|口|條|區|所|場|地)"
)
#: What follows a place that names an organisation rather than a site.
_AGENCY_AFTER = re.compile(
    r"^(?:市|縣)?(?:政府|市政府|縣政府|公所|區公所|議會|公司|公會|協會|商業|業者|廠商|"
    r"企業|消防局|工業會|經發局|分局|大學|電信|捷運|金融|銀行|工廠)"
)
#: A sentence that opens with an organisation and a colon reports what that partner did.
_PARTNER_HEAD = re.compile(r"^[^：:，,]{0,30}(?:政府|公司|局|公會|協會|業者)[^：:，,]{0,6}[：:]")
#: Words that say work is done on a named site, looked for in its clause.
_WORK = re.compile(
    r"工程|計畫|興建|新建|建置|建設|設置|施作|施工|開發|擴建|改建|增建|安裝|裝設|完工|動工|"
    r"開工|儲能|機組|擴區|改善|整治|治理|探查|觀測|監測|場域|定位|增加|汰換|出水|通水|供水|"
    r"營運|運轉|完成|辦理|推動|進行|滯洪|清淤|防淤"
)
#: A named site followed closely by 工程 or 計畫 is a work item of the project.
_NAMED_WORK_ITEM = re.compile(r"^[^，,：:。；;、「」]{0,16}?(?:工程|計畫)")
_HEADING = re.compile(r"[（(][一二三四五六七八九十]+[)）]|(?m:^\s*[一二三四五六七八九十]+、)")
_SITE_BEFORE = re.compile(r"位於|位在|設於|設在|座落|坐落|工址|廠址|場址|地點|選址|所在地")
_BUILD_VERB = re.compile(
    r"興建|新建|建置|建設|設置|施作|施工|開發|擴建|改建|增建|安裝|裝設|鑿設|開鑿|闢建|整治|"
    r"治理|埋設|佈設|布設|鋪設|開工|完工|動工"
)
_WORK_ITEM_AFTER = re.compile(r"^[^，,：:。；;、]{0,20}?(?:工程|建設計畫)")
_COUNT_AFTER = re.compile(
    r"^(?:[0-9０-９]+\s*[口座處井站]|[^，,：:。；;]{0,12}?[一二三四五六七八九十兩]處)"
)

#: The county governments carry out the works (各縣市政府辦理工程…), or the programme subsidises
#: many of them (核定補助17直轄市、縣（市）共130案): a distributed programme.
_COUNTY_WORKS = re.compile(
    r"各(?:執行)?縣市(?:政府)?(?:辦理|執行|施作|推動)"
    r"|補助(?:[1-9][0-9]|[5-9]|[五六七八九十][一二三四五六七八九十]{0,2})個?"
    r"(?:直轄市、?)?縣[（(]?市[）)]?"
)

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九", start=0)}


def place_role(text: str, place: Place) -> Role:
    """What ``place`` (found in ``text`` by the geocoder) is to the work ``text`` describes.

    Parameters
    ----------
    text
        The text the place was found in (``place.offset`` counts characters in it).
    place
        A place from :meth:`geo.geocode.Geocoder.geocode` of ``text``.
    """
    if place.served:
        return Role.SERVED
    if place.kind is PlaceKind.NATION:
        return _nation_role(text[place.offset + len(place.matched) :])
    start, end = place.offset, place.offset + len(place.matched)
    sentence_start = _last(_SENTENCE_END, text, start)
    sentence_end = _next(_SENTENCE_END, text, end)
    clause_start = _last(_CLAUSE_END, text, start)
    clause_end = _next(_CLAUSE_END, text, end)
    sentence = _squeeze(text[sentence_start:sentence_end])
    clause_before = _squeeze(text[clause_start:start])
    clause_after = _squeeze(text[end:clause_end])
    after = _squeeze(text[end:sentence_end])
    if _AWARD.search(sentence) or _AWARD.search(_heading(text, start)):
        return Role.AWARD
    incidental = _incidental(sentence, clause_before, clause_after, after)
    if incidental in (Role.BENEFICIARY, Role.COMPARISON) and _built_here(
        _squeeze(text[sentence_start:start]), clause_before, clause_after
    ):  # 台電及中油公司合作於宜蘭仁澤建置…: built there, whoever the partners
        incidental = None
    if place.kind is PlaceKind.FACILITY and _reviewed(clause_before, clause_after):
        return Role.REVIEWED
    if place.kind is PlaceKind.FACILITY:
        work_item = _NAMED_WORK_ITEM.match(clause_after) is not None
        if incidental is None or (work_item and incidental is not Role.EXAMPLE):
            clause = clause_before + place.matched + clause_after
            return Role.SITE if work_item or _WORK.search(clause) else Role.NO_SITE_WORDS
        return incidental
    if incidental is not None:
        return incidental
    before = _squeeze(text[sentence_start:start])
    return Role.SITE if _site_words(before, clause_before, clause_after) else Role.NO_SITE_WORDS


#: 全臺/全國 followed by a superlative (全台最大, 全國首座, 全台第一) compares; followed within
#: its phrase by a map, data or list, it is that thing's extent, not where the work is.
_SUPERLATIVE = re.compile(r"^(?:的)?(?:最|第一|首|唯一|之最|獨)")
_EXTENT_OF = re.compile(
    r"^[^，,：:。；;、]{0,8}?(?:圖|資料|資訊|名錄|清單|統計|分布|地圖|平台|平臺)"
)


#: 完成台電公司「離岸風力發電第一期計畫-示範風場新建工程」風場專案驗證審查, 完成台電一期示範
#: 風場審查: another owner's work that the project reviews, verifies or certifies.
_REVIEW = r"(?:審查|驗證|認證|稽核|查核|評鑑)"
_OWNER_QUOTE = re.compile(r"(?:公司|政府|公所|業者|廠商)「[^」]*$")
_QUOTED_REVIEW_AFTER = re.compile(rf"^[^」，,。；;]*」[^，,。；;]{{0,8}}?{_REVIEW}")
_REVIEW_AFTER = re.compile(rf"^(?:之|的)?(?:專案)?{_REVIEW}")


def _reviewed(clause_before: str, clause_after: str) -> bool:
    if _REVIEW_AFTER.match(clause_after):
        return True
    return bool(_OWNER_QUOTE.search(clause_before) and _QUOTED_REVIEW_AFTER.match(clause_after))


def _nation_role(after: str) -> Role:
    after = _squeeze(after)
    if _SUPERLATIVE.match(after) or _EXTENT_OF.match(after):
        return Role.SCOPE
    return Role.SITE


def county_works(text: str) -> int | None:
    """Where ``text`` says the county governments carry out the works (各縣市政府辦理…) or that
    five or more counties are subsidised (補助17直轄市、縣（市）), as a character offset, or
    ``None``.

    Such a programme is spread over the counties: the few sites its report names are a sample
    of its works, not where it is (a NT$12.5 billion river programme is not a 臺南市 project
    because its report cites one 臺南市 drainage work among its results).
    """
    match = _COUNTY_WORKS.search(_squeeze(text))
    if match is None:
        return None
    # The offset in the text as written: count the squeezed characters up to the match.
    seen = 0
    for offset, char in enumerate(text):
        if seen == match.start():
            return offset
        seen += not char.isspace()
    return None


def _incidental(sentence: str, clause_before: str, clause_after: str, after: str) -> Role | None:
    if _AGENCY_AFTER.match(after) or _PARTNER_HEAD.match(sentence):
        return Role.AGENCY
    if _INVESTMENT.search(sentence):
        return Role.INVESTMENT
    if _EVENT.search(sentence):
        return Role.EVENT
    if _EXAMPLE_BEFORE.search(clause_before) or _short_list(clause_before, clause_after):
        return Role.EXAMPLE
    if _BENEFICIARY.search(clause_before) or _COMPARISON.search(clause_before + clause_after):
        return Role.BENEFICIARY if _BENEFICIARY.search(clause_before) else Role.COMPARISON
    return None


def _heading(text: str, start: int) -> str:
    """The line of the nearest numbered heading above ``start`` ((四), 二、), if any."""
    heads = [m.start() for m in _HEADING.finditer(text, 0, start)]
    if not heads:
        return ""
    line_end = text.find("\n", heads[-1])
    return text[heads[-1] : line_end if 0 <= line_end < start else start]


def _short_list(clause_before: str, clause_after: str) -> bool:
    """Whether the place is in a list that ends 等 N and names fewer than N items."""
    counted = _COUNTED_LIST.search(clause_after)
    if counted is None:
        return False
    total = _number(counted.group(1))
    listed = clause_before + clause_after[: counted.start()]
    items = 1 + len(re.findall(r"[、及與和]", listed))
    return total is not None and items < total


def _built_here(before: str, clause_before: str, clause_after: str) -> bool:
    """位於 X, 設於 X, 於 X 興建…: the sentence says the work is at the place."""
    if _SITE_BEFORE.search(before):
        return True
    return "於" in clause_before and _BUILD_VERB.search(clause_after) is not None


def _site_words(before: str, clause_before: str, clause_after: str) -> bool:
    if _built_here(before, clause_before, clause_after):
        return True
    return bool(_WORK_ITEM_AFTER.match(clause_after) or _COUNT_AFTER.match(clause_after))


def _number(written: str) -> int | None:
    """47, ４７, 四十七, 十 → the number; None for forms not read here."""
    if written.isdigit():
        return int(written)
    if "百" in written:
        return None
    if "十" in written:
        tens, _, units = written.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0))
    return _CN_DIGITS.get(written)


def _last(pattern: re.Pattern[str], text: str, before: int) -> int:
    ends = [m.end() for m in pattern.finditer(text, 0, before)]
    return ends[-1] if ends else 0


def _next(pattern: re.Pattern[str], text: str, after: int) -> int:
    match = pattern.search(text, after)
    return match.start() if match else len(text)


def _squeeze(text: str) -> str:
    return _SPACE.sub("", text)
