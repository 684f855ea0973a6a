"""The whole state of the map page as query parameters: the filter, then the view.

The filter is :mod:`layers.filters` (its keys, its parser, its messages). The view adds:

``lang``
    ``zh`` (default) or ``en``.
``sort``, ``order``
    The table's sort column (:data:`SORT_KEYS`) and ``asc`` or ``desc``; register order when
    ``sort`` is absent.
``page``
    The table page, from 1.
``choropleth``
    ``legal`` or ``executed``: colour the counties by that budget of the filtered projects.

:func:`parse_state` reads both from a request's parameters and :func:`state_query` writes them
back, so that a link reproduces the page. Nothing here knows about Flask.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal, TypeVar, get_args
from urllib.parse import urlencode

from geo.errors import FilterError
from layers.filters import FilterChoices, ProjectFilter, format_filter, parse_filter
from webapp.i18n import DEFAULT_LANG, Lang, parse_lang

__all__ = [
    "CHOROPLETHS",
    "PAGE_SIZE",
    "SORT_KEYS",
    "VIEW_KEYS",
    "PageState",
    "parse_state",
    "state_query",
]

SortKey = Literal["name", "layer", "county", "budget", "rate", "progress", "status"]
SORT_KEYS: Final[tuple[SortKey, ...]] = get_args(SortKey)
Choropleth = Literal["legal", "executed"]
CHOROPLETHS: Final[tuple[Choropleth, ...]] = get_args(Choropleth)
VIEW_KEYS: Final = ("lang", "sort", "order", "page", "choropleth")
PAGE_SIZE: Final = 100

_S = TypeVar("_S", bound=str)
Params = Mapping[str, str | Sequence[str]]


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
    """Read the page state; the view keys are taken out and the rest is the filter.

    Raises
    ------
    FilterError
        A bad filter value or key (:func:`layers.filters.parse_filter`'s message) or a bad view
        value, naming the parameter and what it accepts.
    """
    view = {key: _single(key, params[key]) for key in VIEW_KEYS if key in params}
    rest = {key: value for key, value in params.items() if key not in VIEW_KEYS}
    return PageState(
        filter=parse_filter(rest, choices=choices),
        lang=parse_lang(view.get("lang")),
        sort=_option("sort", view.get("sort"), SORT_KEYS),
        descending=_option("order", view.get("order"), ("asc", "desc")) == "desc",
        page=_page(view.get("page")),
        choropleth=_option("choropleth", view.get("choropleth"), CHOROPLETHS),
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


def _single(key: str, raw: str | Sequence[str]) -> str | None:
    values = [raw] if isinstance(raw, str) else [value for value in raw if value.strip()]
    if len(values) > 1:
        msg = f"{key!r} takes one value, got {len(values)}: {', '.join(values)}"
        raise FilterError(msg)
    return values[0].strip() or None if values else None


def _option(key: str, value: str | None, options: tuple[_S, ...]) -> _S | None:
    if value is None:
        return None
    for option in options:
        if option == value:
            return option
    msg = f"unknown {key} {value!r}; choose from: {', '.join(options)}"
    raise FilterError(msg)


def _page(value: str | None) -> int:
    if value is None:
        return 1
    if not re.fullmatch(r"[1-9][0-9]{0,8}", value):  # ASCII digits: not ², not 5,000 of them
        msg = f"'page' takes a whole number from 1, got {value[:40]!r}"
        raise FilterError(msg)
    return int(value)
