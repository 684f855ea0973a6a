"""The query parameters in one table: what each accepts, how it is read, how it is described.

Every parameter a user can give — to the map page, to the API or to ``infra-atlas export`` —
is a :class:`Param` of one of three tables: :data:`FILTER_PARAMS` here (which projects: the
map, the table, the exports and the API), ``webapp.state.VIEW_PARAMS`` (how the page shows
them) and ``webapp.api_query.ITEMS_PARAMS`` (the API's paging, box and period). The filter,
the page state, the API query, the OpenAPI document and the CLI options are derived from them.

A parameter's :class:`Kind` is the one parser of that kind of value and its OpenAPI schema —
for a text kind the schema's ``pattern`` is the parser's own regular expression, so the API
describes exactly what it accepts. Every bad value gets one sentence wherever it is given,
in English and in Chinese (:class:`~geo.errors.FilterError` carries both):

- an unknown parameter: ``unknown parameter 'colour'; the parameters are: …``;
- a repeated one: ``parameter 'status' takes one value, got 2: behind, planned``;
- a bad value: ``parameter 'limit': '0' is not a whole number from 1``.

An empty value is no value (an HTML form sends every field), and values are read without
their outer spaces. Nothing here knows about Flask.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, Final, Generic, TypeVar

from geo.counties import COUNTY_NAMES, normalise_place_name
from geo.errors import FilterError
from layers.classify import Layer
from layers.status import Status

__all__ = [
    "FILTER_KEYS",
    "FILTER_PARAMS",
    "PRECISION_CODES",
    "Amount",
    "Box",
    "Choice",
    "Code",
    "County",
    "FilterChoices",
    "Interval",
    "Kind",
    "Param",
    "Period",
    "Programme",
    "Text",
    "Town",
    "Whole",
    "Words",
    "Year",
    "read_params",
    "reject_unknown",
    "split_town",
    "town_forms",
]

_T = TypeVar("_T")
Params = Mapping[str, str | Sequence[str]]

#: Location precision codes (IATI ``GeographicalPrecision``) the geocoder gives.
PRECISION_CODES: Final[dict[int, str]] = {
    1: "exact location",
    2: "near (within 25 km)",
    3: "town (second-level administrative division)",
    4: "county (first-level administrative division)",
    6: "nationwide",
}


@dataclass(frozen=True, slots=True)
class Words:
    """One text in English and in Chinese."""

    en: str
    zh: str


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """The values that exist, against which a value is checked: towns and programmes are
    those the register holds (:meth:`from_features`), counties are Taiwan's."""

    towns: frozenset[str] = frozenset()
    programs: tuple[str, ...] = ()
    counties: tuple[str, ...] = COUNTY_NAMES

    @classmethod
    def from_features(cls, features: Iterable[Mapping[str, Any]]) -> FilterChoices:
        """The choices a register offers: its towns (full and bare) and its programmes."""
        towns: set[str] = set()
        programs: dict[str, None] = {}
        for feature in features:
            props = feature["properties"]
            for town in props.get("towns") or ():
                towns.update(town_forms(town))
            if props.get("program"):
                programs[props["program"]] = None
        return cls(towns=frozenset(towns), programs=tuple(programs))


class Invalid(ValueError):
    """A value its kind cannot read; ``detail`` says why when "is not …" is not enough."""

    def __init__(self, detail: Words | None = None) -> None:
        super().__init__(detail.en if detail else "")
        self.detail = detail


class Kind(Generic[_T]):
    """A kind of value: how it is read, what it is called, its OpenAPI schema."""

    expects: Words

    def read(self, text: str, choices: FilterChoices) -> _T:
        """The value of a non-empty, stripped text; raises :class:`Invalid`."""
        raise NotImplementedError

    def schema(self, choices: FilterChoices) -> dict[str, Any]:
        """The OpenAPI 3.0 schema of one value."""
        raise NotImplementedError

    def describe(self, choices: FilterChoices) -> Words:
        """What a value must be, for an error message (may list what exists)."""
        return self.expects


@dataclass(frozen=True, slots=True)
class Param:
    """One query parameter."""

    key: str
    kind: Kind[Any]
    title: Words
    description: str
    repeatable: bool = False
    #: The register field it filters on, if it names one (an OGC API queryable).
    field: str | None = None
    #: The value when it is not given, if that is a value (said in the OpenAPI schema).
    default: Any = None

    def openapi(self, choices: FilterChoices) -> dict[str, Any]:
        """The OpenAPI parameter object."""
        schema = self.kind.schema(choices)
        if self.default is not None:
            schema["default"] = self.default
        return {
            "name": self.key,
            "in": "query",
            "required": False,
            "description": f"{self.title.en}: {self.description}",
            "schema": {"type": "array", "items": schema} if self.repeatable else schema,
            "style": "form",
            "explode": self.repeatable,  # a box is one comma-separated value
            "allowEmptyValue": True,  # an empty value is no value (a form sends every field)
        }


def reject_unknown(params: Iterable[str], keys: Sequence[str]) -> None:
    """Refuse a parameter that is not one of ``keys``, naming what is accepted."""
    for key in params:
        if key not in keys:
            raise FilterError(
                f"unknown parameter {key!r}; the parameters are: {', '.join(keys)}",
                zh=f"沒有「{key}」這個參數；可用的參數：{'、'.join(keys)}",
            )


def read_params(
    params: Params, table: Sequence[Param], *, choices: FilterChoices
) -> dict[str, Any]:
    """Each parameter of ``table``: a tuple of its values (repeated ones kept once, in order)
    if it repeats, else its value or ``None``. Keys not in the table are left alone.

    Raises
    ------
    FilterError
        A single-valued parameter given twice, or a value its kind cannot read.
    """
    read: dict[str, Any] = {}
    for param in table:
        texts = _texts(param, params.get(param.key, ()))
        if param.repeatable:
            read[param.key] = tuple(dict.fromkeys(_read(param, t, choices) for t in texts))
        elif len(texts) > 1:
            shown = [_shown(text) for text in texts[:5]]
            raise FilterError(
                f"parameter {param.key!r} takes one value, got {len(texts)}: {', '.join(shown)}",
                zh=f"「{param.title.zh}」只能有一個值，卻有 {len(texts)} 個：{'、'.join(shown)}",
            )
        else:
            read[param.key] = _read(param, texts[0], choices) if texts else None
    return read


def _texts(param: Param, raw: str | Sequence[str]) -> list[str]:
    items = [raw] if isinstance(raw, str) else list(raw)
    if not all(isinstance(item, str) for item in items):
        raise FilterError(
            f"parameter {param.key!r} takes text values, got {raw!r}",
            zh=f"「{param.title.zh}」的值必須是文字",
        )
    return [item.strip() for item in items if item.strip()]


def _read(param: Param, text: str, choices: FilterChoices) -> Any:
    try:
        return param.kind.read(text, choices)
    except Invalid as invalid:
        expects, detail = param.kind.describe(choices), invalid.detail
        shown = _shown(text)
        raise FilterError(
            f"parameter {param.key!r}: {shown!r} is not {expects.en}"
            + (f" ({detail.en})" if detail else ""),
            zh=f"「{param.title.zh}」的值「{shown}」不是{expects.zh}"
            + (f"（{detail.zh}）" if detail else ""),
        ) from None


def _shown(text: str) -> str:
    """A value as an error message repeats it: its first 40 characters."""
    return text if len(text) <= 40 else text[:40] + "…"


# Kinds of value ---------------------------------------------------------------------------


class Choice(Kind[_T]):
    """One of a fixed set of codes, written exactly (``water``, ``behind``, ``desc``)."""

    def __init__(self, options: Iterable[_T]) -> None:
        self.options = tuple(options)
        codes = ", ".join(str(option) for option in self.options)
        self.expects = Words(f"one of: {codes}", f"下列之一：{codes}")

    def read(self, text: str, choices: FilterChoices) -> _T:
        for option in self.options:
            if str(option) == text:
                return option
        raise Invalid

    def schema(self, choices: FilterChoices) -> dict[str, Any]:
        return {"type": "string", "enum": [str(option) for option in self.options]}


class Code(Kind[int]):
    """One of a fixed set of numeric codes, with their meanings (``precision``)."""

    def __init__(self, meanings: Mapping[int, str]) -> None:
        self.meanings = dict(meanings)
        codes = ", ".join(f"{code} ({meaning})" for code, meaning in self.meanings.items())
        self.expects = Words(f"one of the codes {codes}", f"下列代碼之一：{codes}")

    def read(self, text: str, choices: FilterChoices) -> int:
        if text.isascii() and text.isdigit() and len(text) < 9 and int(text) in self.meanings:
            return int(text)
        raise Invalid

    def schema(self, choices: FilterChoices) -> dict[str, Any]:
        return {"type": "integer", "enum": list(self.meanings)}


class County(Kind[str]):
    """A county of Taiwan by its official name; 台 forms are read as 臺."""

    expects = Words("a county of Taiwan", "臺灣的縣市")

    def read(self, text: str, choices: FilterChoices) -> str:
        name = normalise_place_name(text)
        if name not in choices.counties:
            raise Invalid
        return name

    def schema(self, choices: FilterChoices) -> dict[str, Any]:
        return {"type": "string", "enum": list(choices.counties)}

    def describe(self, choices: FilterChoices) -> Words:
        names = "、".join(choices.counties)
        return Words(f"a county of Taiwan ({names})", f"臺灣的縣市（{names}）")


class Town(Kind[str]):
    """A town the register lists, as ``臺南市 新營區`` or the bare ``新營區``."""

    expects = Words(
        "a town where a project lies (臺南市 新營區 or 新營區)",
        "有計畫所在的鄉鎮市區（如「臺南市 新營區」或「新營區」）",
    )

    def read(self, text: str, choices: FilterChoices) -> str:
        name = normalise_place_name(text)
        if name not in choices.towns:
            raise Invalid
        return name

    def schema(self, choices: FilterChoices) -> dict[str, Any]:
        return {"type": "string", **({"enum": sorted(choices.towns)} if choices.towns else {})}


class Programme(Kind[str]):
    """A programme the register lists, written as it does (``水環境建設``)."""

    expects = Words("a programme of the register", "登錄的計畫類別")

    def read(self, text: str, choices: FilterChoices) -> str:
        if text not in choices.programs:
            raise Invalid
        return text

    def schema(self, choices: FilterChoices) -> dict[str, Any]:
        return {"type": "string", **({"enum": list(choices.programs)} if choices.programs else {})}

    def describe(self, choices: FilterChoices) -> Words:
        names = "、".join(choices.programs)
        return Words(f"a programme of the register ({names})", f"登錄的計畫類別（{names}）")


class Year(Kind[int]):
    """A year from 1912 to 2200, or a Republic of China year (民國 110 is 2021)."""

    roc_offset: Final = 1911
    last: Final = 2200
    expects = Words(
        "a year from 1912 to 2200 or a Republic of China year (110 = 2021)",
        "1912 至 2200 年間的西元年，或民國年（110 即 2021）",
    )

    def read(self, text: str, choices: FilterChoices) -> int:
        if not (text.isascii() and text.isdigit() and len(text) <= 4):
            raise Invalid
        year = int(text)
        if 0 < year <= self.last - self.roc_offset:
            year += self.roc_offset  # 民國 year, as the reports print it
        if not self.roc_offset < year <= self.last:
            raise Invalid
        return year

    def schema(self, choices: FilterChoices) -> dict[str, Any]:
        return {
            "type": "integer",
            "oneOf": [
                {"minimum": 1, "maximum": self.last - self.roc_offset},
                {"minimum": self.roc_offset + 1, "maximum": self.last},
            ],
        }


class Text(Kind[str]):
    """Any text."""

    expects = Words("text", "文字")

    def read(self, text: str, choices: FilterChoices) -> str:
        return text

    def schema(self, choices: FilterChoices) -> dict[str, Any]:
        return {"type": "string"}


class Whole(Kind[int]):
    """A whole number from ``least``; above ``most`` it is refused, or capped to ``cap``."""

    def __init__(self, least: int, *, most: int | None = None, cap: int | None = None) -> None:
        self.least, self.most, self.cap = least, most, cap
        top = most or cap
        self.expects = (
            Words(f"a whole number from {least} to {top}", f"{least} 至 {top} 的整數")
            if most
            else Words(f"a whole number from {least}", f"{least} 以上的整數")
        )

    def read(self, text: str, choices: FilterChoices) -> int:
        if not (text.isascii() and text.isdigit()):
            raise Invalid
        if len(text) > 18:  # longer than any count; not turned into an int of any size
            if self.cap is None:
                raise Invalid
            return self.cap
        number = int(text)
        if number < self.least or (self.most is not None and number > self.most):
            raise Invalid
        return number if self.cap is None else min(number, self.cap)

    def schema(self, choices: FilterChoices) -> dict[str, Any]:
        bounds = {"maximum": self.most} if self.most is not None else {}
        return {"type": "integer", "minimum": self.least, **bounds}


class Amount(Kind[int]):
    """An amount of NT$ as readers write it: ``150000000``, ``1.5億``, ``8,902千元``, ``500萬``.

    Bounds are on whole NT$: a fraction is rounded inward by the filter's callers' reading
    (``budget_min`` up, ``budget_max`` down), which selects exactly the same whole amounts.
    """

    units: Final = {"億元": 10**8, "億": 10**8, "萬元": 10**4, "萬": 10**4, "千元": 1000, "元": 1}
    pattern: Final = (
        r"^[0-9０-９][0-9０-９,，]{0,23}([.．][0-9０-９]{1,8})?(億元|億|萬元|萬|千元|元)?$"
    )
    expects = Words(
        "an amount in NT$ (150000000) or with a unit (1.5億, 8,902千元, 500萬)",
        "新臺幣金額（如 150000000、1.5億、8,902千元、500萬）",
    )

    def __init__(self, *, round_up: bool) -> None:
        self.round_up = round_up

    def read(self, text: str, choices: FilterChoices) -> int:
        match = re.match(self.pattern, text)
        if match is None:
            raise Invalid
        unit = match.group(2) or ""
        number = unicodedata.normalize("NFKC", text[: len(text) - len(unit)]).replace(",", "")
        amount = Decimal(number) * self.units[unit or "元"]
        return int(amount.to_integral_value(ROUND_CEILING if self.round_up else ROUND_FLOOR))

    def schema(self, choices: FilterChoices) -> dict[str, Any]:
        return {"type": "string", "pattern": self.pattern}


class Box(Kind[tuple[float, float, float, float]]):
    """A box ``minlon,minlat,maxlon,maxlat`` in CRS84, or six numbers with heights (dropped).

    Read as the part of the Earth it bounds: a longitude beyond ±180 is the same meridian
    (200 is -160; a box 360° wide or more is every longitude), a latitude beyond ±90 is the
    pole; a west edge east of the east edge crosses the antimeridian; a south edge north of the
    north edge bounds nothing.
    """

    number: Final = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
    expects = Words(
        "4 or 6 comma-separated numbers (minlon,minlat,maxlon,maxlat)",
        "以逗號分隔的 4 或 6 個數字（最小經度,最小緯度,最大經度,最大緯度）",
    )

    def read(self, text: str, choices: FilterChoices) -> tuple[float, float, float, float]:
        parts = [part.strip() for part in text.split(",")]
        if len(parts) not in (4, 6) or not all(self.number.fullmatch(p) for p in parts):
            raise Invalid
        numbers = [float(part) for part in parts]
        if not all(math.isfinite(n) for n in numbers):
            raise Invalid(Words("a number is too large", "數字過大"))
        if len(numbers) == 6:
            numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]  # heights dropped
        west, south, east, north = numbers
        if east - west >= 360:
            west, east = -180.0, 180.0
        return _meridian(west), _pole(south), _meridian(east), _pole(north)

    def schema(self, choices: FilterChoices) -> dict[str, Any]:
        return {
            "type": "array",
            "oneOf": [{"minItems": 4, "maxItems": 4}, {"minItems": 6, "maxItems": 6}],
            "items": {"type": "number"},
        }


def _meridian(lon: float) -> float:
    return lon if -180 <= lon <= 180 else (lon + 180) % 360 - 180


def _pole(lat: float) -> float:
    return min(max(lat, -90.0), 90.0)


#: First and last day, inclusive; ``None`` is open.
Interval = tuple[date | None, date | None]


def _rfc3339() -> str:
    """An RFC 3339 date or date-time whose date exists (leap days included)."""
    year = r"(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"
    day = (
        r"((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])"
        r"|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
        r"|02-(0[1-9]|1[0-9]|2[0-8]))"
    )
    leap = r"(([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29)"
    clock = r"([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?"
    offset = r"([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
    return rf"({year}-{day}|{leap})([Tt]{clock}{offset})?"


class Period(Kind[Interval]):
    """An instant or an interval, RFC 3339 (as OGC API – Features ``datetime``): ``2021-05-01``,
    ``2021-05-01T08:00:00Z``, ``2020-01-01/2021-12-31``, ``../2021-12-31``, ``2020-01-01/..``.

    Read by day in Taiwan's time zone, the day the reports date their periods in; a time
    without offset is UTC. An interval that ends before it starts holds no day.
    """

    moment: Final = _rfc3339()
    pattern: Final = rf"^({moment}|{moment}/({moment}|\.\.)?|(\.\.)?/{moment})$"
    expects = Words(
        "an RFC 3339 date, date-time or interval (2021-05-01, 2021-05-01T08:00:00Z, "
        "2020-01-01/2021-12-31, ../2021-12-31)",
        "RFC 3339 日期、時間或期間（如 2021-05-01、2021-05-01T08:00:00Z、"
        "2020-01-01/2021-12-31、../2021-12-31）",
    )

    def read(self, text: str, choices: FilterChoices) -> Interval:
        if not re.match(self.pattern, text):
            raise Invalid
        if "/" not in text:
            day = _day(text)
            return day, day
        start, end = text.split("/")
        return (
            None if start in ("", "..") else _day(start),
            None if end in ("", "..") else _day(end),
        )

    def schema(self, choices: FilterChoices) -> dict[str, Any]:
        return {"type": "string", "pattern": self.pattern}


def _day(text: str) -> date:
    """The day in Taipei of an RFC 3339 date or date-time the pattern has matched."""
    if len(text) == 10:
        return date.fromisoformat(text)
    day, clock = date.fromisoformat(text[:10]), text[11:].upper()
    hours, minutes, seconds = (int(part) for part in clock[:8].split(":"))
    zone = clock[max(clock.find("Z"), clock.find("+"), clock.find("-")) :]
    ahead = timedelta(hours=8)  # Taipei is UTC+8; the time is UTC plus its offset
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        ahead -= sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    try:
        return (datetime.combine(day, time(hours, minutes, min(seconds, 59))) + ahead).date()
    except OverflowError:  # before the first or after the last day there is
        return date.min if ahead < timedelta(0) else date.max


# The filter's parameters -------------------------------------------------------------------


def split_town(town: str) -> tuple[str, str]:
    """A register town as (county, bare name): ``台南市 新營區`` → ``("臺南市", "新營區")``;
    a town written without its county gives ``("", name)``."""
    county, _, name = normalise_place_name(town).rpartition(" ")
    return county, name


def town_forms(town: str) -> set[str]:
    """A town's full form and its bare name: ``臺南市 新營區`` → that and ``新營區``."""
    return {normalise_place_name(town), split_town(town)[1]}


#: Which projects: the map, the table, the exports and the API read these.
FILTER_PARAMS: Final[tuple[Param, ...]] = (
    Param(
        "layer",
        Choice(Layer),
        Words("Map layer", "圖層"),
        "The project's main map layer, decided by the keyword rules of layers/classify.py. "
        "Repeat the parameter for several.",
        repeatable=True,
        field="layer",
    ),
    Param(
        "county",
        County(),
        Words("County", "縣市"),
        "A county the project lies in, official 臺 name; 台 forms are accepted. A project "
        "spanning several counties matches each. Repeat the parameter for several.",
        repeatable=True,
        field="counties",
    ),
    Param(
        "town",
        Town(),
        Words("Town", "鄉鎮市區"),
        "A town the project lies in, as `臺南市 新營區` or the bare `新營區`.",
        field="towns",
    ),
    Param(
        "program",
        Programme(),
        Words("Programme", "計畫類別"),
        "The 前瞻基礎建設 programme, e.g. 水環境建設.",
        field="program",
    ),
    Param(
        "status",
        Choice(Status),
        Words("Status", "執行狀態"),
        "Where the project stands, derived from the progress figures by one rule.",
        field="status",
    ),
    Param(
        "year",
        Year(),
        Words("Year", "年度"),
        "The budget year or any year the project period covers; a year up to 289 is a "
        "Republic of China year (110 = 2021).",
        field="budget_year",
    ),
    Param(
        "precision",
        Code(PRECISION_CODES),
        Words("Location precision", "位置精確度"),
        "IATI geographical precision: "
        + ", ".join(f"{code} {meaning}" for code, meaning in PRECISION_CODES.items())
        + ".",
        field="precision",
    ),
    Param(
        "q",
        Text(),
        Words("Search", "搜尋"),
        "Text in the project name or its aliases; 台/臺, width and case ignored.",
    ),
    Param(
        "budget_min",
        Amount(round_up=True),
        Words("Lowest budget", "預算下限"),
        "Lowest latest legal budget (`budget_legal_twd`, inclusive), in NT$ or with a unit "
        "(1.5億, 8,902千元, 500萬). Above budget_max, nothing matches.",
    ),
    Param(
        "budget_max",
        Amount(round_up=False),
        Words("Highest budget", "預算上限"),
        "Highest latest legal budget (`budget_legal_twd`, inclusive), in NT$ or with a unit.",
    ),
)
#: Every key the filter reads.
FILTER_KEYS: Final[tuple[str, ...]] = tuple(param.key for param in FILTER_PARAMS)
