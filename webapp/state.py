"""The whole state of the map page as query parameters: the filter, then the view.

The filter is :mod:`layers.filters`; the view is the table :data:`VIEW_PARAMS` (language,
sort column and order, table page, choropleth), read by the same :mod:`layers.params` as every
other parameter. :func:`parse_state` reads both from a request's parameters and
:func:`state_query` writes them back, so that a link reproduces the page. Nothing here knows
about Flask.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal, get_args
from urllib.parse import urlencode

from layers.filters import FILTER_KEYS, FilterChoices, ProjectFilter, format_filter, parse_filter
from layers.params import Choice, Param, Params, Whole, Words, read_params, reject_unknown
from webapp.i18n import DEFAULT_LANG, LANG_PARAM, Lang

__all__ = [
    "CHOROPLETHS",
    "PAGE_SIZE",
    "SORT_KEYS",
    "VIEW_KEYS",
    "VIEW_PARAMS",
    "PageState",
    "parse_state",
    "state_query",
]

SortKey = Literal["name", "layer", "county", "budget", "rate", "progress", "gap", "status"]
SORT_KEYS: Final[tuple[SortKey, ...]] = get_args(SortKey)
Choropleth = Literal["legal", "executed"]
CHOROPLETHS: Final[tuple[Choropleth, ...]] = get_args(Choropleth)
PAGE_SIZE: Final = 100
#: How the page shows the filtered projects.
VIEW_PARAMS: Final[tuple[Param, ...]] = (
    LANG_PARAM,
    Param(
        "sort",
        Choice(SORT_KEYS),
        Words("Sort by", "排序欄位"),
        "The table's sort column; register order when absent.",
    ),
    Param("order", Choice(("asc", "desc")), Words("Order", "排序方向"), "asc or desc."),
    Param("page", Whole(1, most=10**9), Words("Page", "頁次"), "The table page, from 1."),
    Param(
        "choropleth",
        Choice(CHOROPLETHS),
        Words("Colour counties by", "縣市著色依據"),
        "legal or executed: colour the counties by that budget of the filtered projects.",
    ),
)
VIEW_KEYS: Final = tuple(param.key for param in VIEW_PARAMS)


@dataclass(frozen=True, slots=True)
class PageState:
    """What the page shows: the filter and how to show it."""

    filter: ProjectFilter = field(default_factory=ProjectFilter)
    lang: Lang = DEFAULT_LANG
    sort: SortKey | None = None
    descending: bool = False
    page: int = 1
    choropleth: Choropleth | None = None

    def but(self, **changes: Any) -> PageState:
        """This state with some fields changed."""
        return replace(self, **changes)


def parse_state(params: Params, *, choices: FilterChoices) -> PageState:
    """Read the page state: the view parameters, and the filter from the rest.

    Raises
    ------
    FilterError
        An unknown parameter or a bad value (:mod:`layers.params`'s messages), naming the
        parameter and what it accepts.
    """
    reject_unknown(params, (*VIEW_KEYS, *FILTER_KEYS))
    view = read_params(params, VIEW_PARAMS, choices=choices)
    return PageState(
        filter=parse_filter(
            {key: value for key, value in params.items() if key in FILTER_KEYS}, choices=choices
        ),
        lang=view["lang"] or DEFAULT_LANG,
        sort=view["sort"],
        descending=view["order"] == "desc",
        page=view["page"] or 1,
        choropleth=view["choropleth"],
    )


def state_query(state: PageState, *, view: bool = True, **changes: Any) -> str:
    """The query string of a state (``?`` not included), its defaults left out.

    Parameters
    ----------
    state
        The page state.
    view
        False for the filter alone (the download links and the marker data).
    changes
        Fields to change first, e.g. ``page=2``.
    """
    if changes:
        state = state.but(**changes)
    params: dict[str, list[str]] = dict(format_filter(state.filter))
    if view:
        extra = {
            "lang": state.lang if state.lang != DEFAULT_LANG else None,
            "sort": state.sort,
            "order": "desc" if state.sort and state.descending else None,
            "choropleth": state.choropleth,
            "page": str(state.page) if state.page > 1 else None,
        }
        params.update({key: [value] for key, value in extra.items() if value})
    return urlencode(params, doseq=True)
