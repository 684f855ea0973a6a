"""County aggregates of the register: per county and per layer, with national totals.

Rules:

1. A project is *in a county* when the county is in its ``counties`` and it is not a national
   programme. A project in several counties counts as a project in each of them (and in that
   county's ``*_shared_projects``), but **its money is split**: the reports do not split
   budgets by county, so each of its n counties gets an equal 1/n share of each amount (whole
   NT$; the remainder's dollars go to its first counties, in the order it lists them). A
   county's ``*_legal_twd`` is its own projects' budgets (``*_own_legal_twd``) plus its shares
   of the shared ones (``*_shared_legal_twd``), so the county rows' money adds up exactly to
   :attr:`CountyAggregates.placed`: nothing is counted twice. Project counts do not add up.
2. A *national programme* (``place_bound`` false, or precision 6) is never spread over
   counties: it is summed in :attr:`CountyAggregates.nationwide`.
3. :attr:`CountyAggregates.national` sums every project once, whatever its counties;
   :attr:`CountyAggregates.placed` the projects placed in a county (what the rows share out).
4. Budgets are each project's latest budget year figures (``budget_legal_twd``,
   ``budget_allocated_twd``, ``budget_executed_twd``, NT$); the execution rate is the executed
   sum over the allocated sum of the projects that have both, in %.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any, Final

from geo.counties import COUNTIES, normalise_place_name
from layers.classify import Layer
from layers.schema import Project, ProjectFeature

if TYPE_CHECKING:
    import geopandas

__all__ = [
    "AGGREGATE_GROUPS",
    "AGGREGATE_MEASURES",
    "CountyAggregates",
    "aggregate_counties",
    "flat",
    "is_nationwide",
    "join_counties",
    "sums",
    "whole_amount",
]

Feature = ProjectFeature

#: Column groups: every project (``all``), then one per layer.
AGGREGATE_GROUPS: Final[tuple[str, ...]] = ("all", *(layer.value for layer in Layer))
#: The measures of each group; a column is ``{group}_{measure}``.
AGGREGATE_MEASURES: Final[tuple[str, ...]] = (
    "projects",
    "shared_projects",
    "legal_twd",
    "own_legal_twd",
    "shared_legal_twd",
    "allocated_twd",
    "executed_twd",
    "execution_rate_pct",
    "behind",
)


@dataclass(frozen=True, slots=True)
class CountyAggregates:
    """The county rows (all 22, keyed by official name), the national totals over unique
    projects, those of the projects placed in a county and of the national programmes, each a
    flat ``{group}_{measure}`` mapping."""

    counties: dict[str, dict[str, Any]]
    national: dict[str, Any]
    nationwide: dict[str, Any]
    unplaced: int
    placed: dict[str, Any]


class _Sums:
    """Running sums of one group of one row."""

    def __init__(self) -> None:
        self.projects = self.shared = self.behind = 0
        self.legal = self.own_legal = self.allocated = self.executed = 0
        self.rated_allocated = self.rated_executed = 0

    def add(self, props: Project, *, part: int = 0, parts: int = 1, shared: bool = False) -> None:
        """Count a project (``shared``: it lies in several counties), and add its
        ``part``-th of ``parts`` equal shares of its money."""
        self.projects += 1
        self.shared += shared
        self.behind += props.get("status") == "behind"
        legal, allocated, executed = (
            _share(whole_amount(props.get(f"budget_{key}_twd")), part, parts)
            for key in ("legal", "allocated", "executed")
        )
        self.legal += legal or 0
        self.own_legal += 0 if shared else (legal or 0)
        self.allocated += allocated or 0
        self.executed += executed or 0
        if allocated is not None and executed is not None:
            self.rated_allocated += allocated
            self.rated_executed += executed

    def row(self, group: str) -> dict[str, Any]:
        values = (
            self.projects,
            self.shared,
            self.legal,
            self.own_legal,
            self.legal - self.own_legal,
            self.allocated,
            self.executed,
            _rate(self.rated_executed, self.rated_allocated),
            self.behind,
        )
        return {f"{group}_{m}": v for m, v in zip(AGGREGATE_MEASURES, values, strict=True)}


def _share(amount: int | None, part: int, parts: int) -> int | None:
    """The ``part``-th of ``parts`` equal whole-dollar shares of ``amount`` (they add up to it)."""
    if amount is None:
        return None
    base, left = divmod(amount, parts)
    return base + (1 if part < left else 0)


def aggregate_counties(features: Iterable[Feature]) -> CountyAggregates:
    """Aggregate register features by county and layer (see the module docstring).

    Parameters
    ----------
    features
        Register features, filtered or not; each is counted once per county it lies in.

    Returns
    -------
    CountyAggregates
        A row for each of the 22 counties (zeros where no project lies), the national totals
        and the national programmes.
    """
    rows = {county.name: _groups() for county in COUNTIES}
    national, nationwide, placed = _groups(), _groups(), _groups()
    unplaced = 0
    for feature in features:
        props = feature["properties"]
        layer = props.get("layer") or Layer.OTHER.value
        named = dict.fromkeys(normalise_place_name(c) for c in props.get("counties") or ())
        # a name outside the 22 is the geocoder's to report, not ours
        counties = [county for county in named if county in rows]
        shared = len(counties) > 1
        _add(national, layer, props, shared=shared)
        if is_nationwide(props):
            _add(nationwide, layer, props)
            continue
        unplaced += not counties
        if counties:
            _add(placed, layer, props, shared=shared)
        for part, county in enumerate(counties):
            _add(rows[county], layer, props, part=part, parts=len(counties), shared=shared)
    return CountyAggregates(
        counties={name: _flat(groups) for name, groups in rows.items()},
        national=_flat(national),
        nationwide=_flat(nationwide),
        unplaced=unplaced,
        placed=_flat(placed),
    )


def join_counties(
    aggregates: CountyAggregates, counties_gdf: geopandas.GeoDataFrame
) -> geopandas.GeoDataFrame:
    """The county polygons with their aggregate columns.

    Parameters
    ----------
    aggregates
        From :func:`aggregate_counties`.
    counties_gdf
        County polygons with a ``county`` column of official names (台 forms accepted), as in
        ``data/boundaries/counties.geojson``; its other columns and CRS are kept.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per polygon, in the input's order, with every ``{group}_{measure}`` column;
        a polygon whose county is not one of the 22 gets zeros.
    """
    import pandas as pd

    zero = _flat(_groups())
    names = [normalise_place_name(str(name)) for name in counties_gdf["county"]]
    table = pd.DataFrame(
        [aggregates.counties.get(name, zero) for name in names], index=counties_gdf.index
    )
    joined = counties_gdf.copy()
    for column in table.columns:
        joined[column] = table[column].astype("Float64" if "rate" in column else "Int64")
    return joined


def sums(
    projects: int,
    shared: int,
    legal: int,
    own_legal: int,
    allocated: int,
    executed: int,
    rated_allocated: int,
    rated_executed: int,
    behind: int,
) -> _Sums:
    """One group's running sums from totals counted elsewhere (:mod:`layers.columns`), so
    that a row is worded by one function (:meth:`_Sums.row`) however it was counted."""
    totals = _Sums()
    totals.projects, totals.shared, totals.behind = projects, shared, behind
    totals.legal, totals.own_legal = legal, own_legal
    totals.allocated, totals.executed = allocated, executed
    totals.rated_allocated, totals.rated_executed = rated_allocated, rated_executed
    return totals


def flat(groups: dict[str, _Sums]) -> dict[str, Any]:
    """A row's groups as one ``{group}_{measure}`` mapping."""
    return _flat(groups)


def _groups() -> dict[str, _Sums]:
    return {group: _Sums() for group in AGGREGATE_GROUPS}


def _add(
    groups: dict[str, _Sums],
    layer: str,
    props: Project,
    *,
    part: int = 0,
    parts: int = 1,
    shared: bool = False,
) -> None:
    for group in ("all", layer if layer in groups else Layer.OTHER.value):
        groups[group].add(props, part=part, parts=parts, shared=shared)


def _flat(groups: dict[str, _Sums]) -> dict[str, Any]:
    return {key: value for group, sums in groups.items() for key, value in sums.row(group).items()}


def is_nationwide(props: Project) -> bool:
    """A nationwide programme: not bound to a place, or placed as the whole country (6)."""
    return props.get("place_bound") is False or props.get("precision") == 6


def whole_amount(value: object) -> int | None:
    """An NT$ amount as the totals count it: a number's whole part, else nothing."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value)


_CENT: Final = Decimal("0.01")


def _rate(executed: int, allocated: int) -> float | None:
    if allocated <= 0:
        return None
    return float((Decimal(100 * executed) / Decimal(allocated)).quantize(_CENT, ROUND_HALF_EVEN))
