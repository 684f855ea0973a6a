"""Everything the map page shows for one state, gathered without Flask.

:func:`build_page` applies the filter once and derives the summary, the table page, the
choropleth and the form's choices from that one selection, so that the map, the table, the
summary and the downloads can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from geo.counties import COUNTY_NAMES, normalise_place_name
from layers.aggregate import CountyAggregates
from layers.filters import PRECISION_CODES, ProjectFilter, apply_filter, split_town
from layers.packed import Selection
from layers.schema import ProjectFeature
from layers.status import Status
from webapp.mapdata import (
    MAP_LAYERS,
    Choropleth,
    Summary,
    choropleth_classes,
    page_of,
    sort_features,
    summarise,
)
from webapp.state import PAGE_SIZE, PageState

__all__ = ["PageModel", "TownChoice", "build_page", "town_choices"]

Feature = ProjectFeature


@dataclass(frozen=True, slots=True)
class TownChoice:
    """A town in the form: the value the filter takes, its county and its bare name."""

    value: str
    county: str
    name: str


@dataclass(frozen=True, slots=True)
class PageModel:
    """The selection and what is derived from it."""

    state: PageState
    selected: Sequence[Feature]
    summary: Summary
    rows: list[Feature]
    pages: int
    choropleth: Choropleth | None
    towns: list[TownChoice]
    programs: Sequence[str]
    #: With a county filter: the selected projects that also run in other counties (the map
    #: draws only their sites in the chosen ones).
    elsewhere: int = 0
    #: The first :data:`BEHIND_SHOWN` selected projects behind schedule, in register order.
    behind: Sequence[Feature] = ()
    layers: tuple[str, ...] = MAP_LAYERS
    statuses: tuple[str, ...] = tuple(status.value for status in Status)
    precisions: tuple[int, ...] = tuple(PRECISION_CODES)
    counties: tuple[str, ...] = COUNTY_NAMES


def build_page(
    features: Sequence[Feature],
    state: PageState,
    *,
    towns: Sequence[TownChoice],
    programs: Sequence[str],
    select: Callable[[ProjectFilter], Sequence[Feature]] | None = None,
    aggregate: Callable[[ProjectFilter], CountyAggregates] | None = None,
) -> PageModel:
    """Filter once and derive the page.

    Parameters
    ----------
    features
        The register.
    state
        The parsed page state.
    towns
        Every town of the register (:func:`town_choices`); the form offers those of the chosen
        county when one county is chosen.
    programs
        The programmes of the register.
    select
        How to filter ``features`` (the atlas's columns); :func:`apply_filter` when left out.
    aggregate
        How to total the counties of a filter for the choropleth (the atlas's columns);
        :func:`layers.aggregate.aggregate_counties` of the selection when left out.
    """
    selected = select(state.filter) if select else apply_filter(features, state.filter)
    ordered = sort_features(selected, state.sort, descending=state.descending)
    rows, pages = page_of(ordered, state.page, PAGE_SIZE)
    choropleth = (
        choropleth_classes(
            selected,
            state.choropleth,
            lang=state.lang,
            aggregates=aggregate(state.filter) if aggregate else None,
        )
        if state.choropleth
        else None
    )
    chosen = state.filter.counties
    return PageModel(
        state=state,
        selected=selected,
        summary=summarise(selected),
        rows=rows,
        pages=pages,
        choropleth=choropleth,
        towns=[town for town in towns if len(chosen) != 1 or town.county == chosen[0]],
        programs=programs,
        elsewhere=_elsewhere(selected, chosen),
        behind=_behind(selected),
    )


#: The page lists this many of its projects behind schedule; the rest are in the table.
BEHIND_SHOWN: Final = 20


def _elsewhere(selected: Sequence[Feature], chosen: Sequence[str]) -> int:
    """How many selected projects also run in a county not ``chosen`` (none without a choice)."""
    if not chosen:
        return 0
    if isinstance(selected, Selection):
        counties = selected.register.columns.counties
        other = np.zeros(len(selected.register.features), bool)
        for name, column in counties.items():
            if name not in chosen:
                other |= column
        return int(other[selected.rows].sum())
    return sum(
        1
        for feature in selected
        if any(
            normalise_place_name(c) not in chosen
            for c in feature["properties"].get("counties") or ()
        )
    )


def _behind(selected: Sequence[Feature]) -> Sequence[Feature]:
    if isinstance(selected, Selection):
        return selected.where(selected.register.columns.behind)[:BEHIND_SHOWN]
    return [f for f in selected if f["properties"].get("status") == "behind"][:BEHIND_SHOWN]


def town_choices(towns: Iterable[str]) -> list[TownChoice]:
    """The towns the register names (``towns`` as its features print them), as the filter
    accepts them, sorted by county order."""
    found: dict[str, TownChoice] = {}
    for raw in towns:
        value = normalise_place_name(raw)
        county, name = split_town(value)
        found.setdefault(value, TownChoice(value=value, county=county, name=name))
    order = {name: index for index, name in enumerate(COUNTY_NAMES)}
    return sorted(found.values(), key=lambda t: (order.get(t.county, len(order)), t.name))
