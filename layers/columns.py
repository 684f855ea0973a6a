"""The register in columns: every filter of :mod:`layers.filters` as a vectorised mask.

:func:`layers.filters.apply_filter` reads each feature's properties in Python, which is right
for a few hundred projects and slow for a million. :class:`RegisterColumns` reads the register
once into numpy arrays — layer, status, programme and precision as category codes, each
county as a boolean column, towns as an inverted index, years and budgets as numbers, the
searchable names as one folded text per project — so that a filter is a handful of array
operations. Its results are :func:`~layers.filters.apply_filter`'s, in register order (a
property test holds them equal on random filters); ``apply_filter`` stays the reference.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from geo.counties import COUNTIES, normalise_place_name
from layers.aggregate import (
    AGGREGATE_GROUPS,
    CountyAggregates,
    flat,
    is_nationwide,
    sums,
    whole_amount,
)
from layers.filters import ProjectFilter, iso_year, normalise_text
from layers.params import town_forms
from layers.schema import ProjectFeature

__all__ = ["RegisterColumns"]

Mask = npt.NDArray[np.bool_]
#: A missing year in the year columns (never equal to a year a filter takes).
_NO_YEAR: Final = -1
#: Between two names in a project's search text: no query the filter takes holds it.
_GAP: Final = "\x00"


@dataclass(frozen=True, eq=False)
class RegisterColumns:
    """A register's filterable fields as columns, in register order."""

    features: Sequence[ProjectFeature]
    codes: dict[str, tuple[dict[Any, int], npt.NDArray[np.int32]]]
    counties: Mapping[str, Mask]
    towns: Mapping[str, npt.NDArray[np.int64]]
    budget_year: npt.NDArray[np.int32]
    start_year: npt.NDArray[np.int32]
    end_year: npt.NDArray[np.int32]
    budget: npt.NDArray[np.float64]
    money: dict[str, tuple[npt.NDArray[np.int64], Mask]]
    behind: Mask
    nationwide: Mask
    group: npt.NDArray[np.int64]
    pairs: tuple[npt.NDArray[np.int64], ...]
    #: Makes :attr:`names` when a filter first searches (a million texts take 0.2 s).
    search_texts: Callable[[], list[str]] = field(repr=False)

    @functools.cached_property
    def names(self) -> list[str]:
        """Each project's searchable text: its names and aliases, folded, joined by a gap."""
        return self.search_texts()

    @classmethod
    def of(cls, features: Sequence[ProjectFeature]) -> RegisterColumns:
        """Read the columns of a register's features (once, at start-up)."""
        size = len(features)
        props = [feature["properties"] for feature in features]
        codes = {
            key: _categories([p.get(key) for p in props])
            for key in ("layer", "status", "program", "precision")
        }
        counties: dict[str, Mask] = {}
        towns: dict[str, list[int]] = {}
        for index, p in enumerate(props):
            for county in p.get("counties") or ():
                column = counties.setdefault(normalise_place_name(county), np.zeros(size, bool))
                column[index] = True
            for town in p.get("towns") or ():
                for form in town_forms(town):
                    towns.setdefault(form, []).append(index)
        return cls(
            features=features,
            codes=codes,
            counties=counties,
            towns={form: np.unique(np.array(rows)) for form, rows in towns.items()},
            budget_year=_years([p.get("budget_year") for p in props]),
            start_year=_years([iso_year(p.get("period_start")) for p in props]),
            end_year=_years([iso_year(p.get("period_end")) for p in props]),
            budget=np.array([_number(p.get("budget_legal_twd")) for p in props], np.float64),
            money={
                key: _money([p.get(f"budget_{key}_twd") for p in props])
                for key in ("legal", "allocated", "executed")
            },
            behind=np.array([p.get("status") == "behind" for p in props], bool),
            nationwide=np.array([is_nationwide(p) for p in props], bool),
            group=np.array([_GROUP.get(p.get("layer") or "", _OTHER) for p in props], np.int64),
            pairs=_county_pairs(props),
            search_texts=lambda: [
                _GAP.join(
                    normalise_text(n) for n in [p.get("name") or "", *(p.get("aliases") or ())]
                )
                for p in props
            ],
        )

    def mask(self, f: ProjectFilter) -> Mask:
        """Which features pass the filter."""
        size = len(self.features)
        keep = np.ones(size, bool)
        for key, values in (
            ("layer", f.layers),
            ("status", (f.status,) if f.status is not None else ()),
            ("program", (f.program,) if f.program is not None else ()),
            ("precision", (f.precision,) if f.precision is not None else ()),
        ):
            if values:
                index, column = self.codes[key]
                wanted = [index[value] for value in values if value in index]
                keep &= column == wanted[0] if len(wanted) == 1 else np.isin(column, wanted)
        if f.counties:
            anywhere = np.zeros(size, bool)
            for county in f.counties:
                if county in self.counties:
                    anywhere |= self.counties[county]
            keep &= anywhere
        if f.town is not None:
            inside = np.zeros(size, bool)
            inside[self.towns.get(f.town, np.array([], np.int64))] = True
            keep &= inside
        if f.year is not None:
            keep &= self._covers(f.year)
        if f.q:
            keep &= self._search(normalise_text(f.q), keep)
        if f.budget_min is not None or f.budget_max is not None:
            with np.errstate(invalid="ignore"):
                within = ~np.isnan(self.budget)
                if f.budget_min is not None:
                    within &= self.budget >= f.budget_min
                if f.budget_max is not None:
                    within &= self.budget <= f.budget_max
            keep &= within
        return keep

    def select(self, f: ProjectFilter) -> list[ProjectFeature]:
        """The features that pass the filter, in register order (the features themselves)."""
        return [self.features[int(i)] for i in np.flatnonzero(self.mask(f))]

    def aggregate(self, keep: Mask) -> CountyAggregates:
        """:func:`layers.aggregate.aggregate_counties` of the features ``keep`` selects, by
        array sums (a property test holds them equal): each project once nationally, each
        county its equal whole-dollar share of a shared project."""
        counties = np.bincount(self.pairs[0], minlength=len(self.features))  # known, each
        shared = counties > 1
        national = keep & self.nationwide
        placed = keep & ~self.nationwide
        pair_feature, pair_county, part, parts = self.pairs
        chosen = placed[pair_feature]
        feature = pair_feature[chosen]
        shares = {
            key: (_shares(values[feature], part[chosen], parts[chosen]), present[feature])
            for key, (values, present) in self.money.items()
        }
        by_county = _grouped(
            pair_county[chosen],
            len(COUNTIES),
            self.group[feature],
            shared[feature],
            self.behind[feature],
            shares,
        )
        return CountyAggregates(
            counties={c.name: flat(groups) for c, groups in zip(COUNTIES, by_county, strict=True)},
            national=flat(self._groups_of(keep, shared)),
            nationwide=flat(self._groups_of(national, np.zeros_like(shared))),
            unplaced=int(np.count_nonzero(placed & (counties == 0))),
            placed=flat(self._groups_of(placed & (counties > 0), shared)),
        )

    def _groups_of(self, keep: Mask, shared: Mask) -> dict[str, Any]:
        """The groups of the projects ``keep`` selects, each counted whole, once."""
        rows = np.flatnonzero(keep)
        (groups,) = _grouped(
            np.zeros(len(rows), np.int64),
            1,
            self.group[rows],
            shared[rows],
            self.behind[rows],
            {key: (values[rows], present[rows]) for key, (values, present) in self.money.items()},
        )
        return groups

    def _covers(self, year: int) -> Mask:
        """The budget year is ``year``, or the period (or its one known end) holds it."""
        start, end = self.start_year, self.end_year
        both = (start != _NO_YEAR) & (end != _NO_YEAR)
        spans = both & (start <= year) & (year <= end)
        ends = ~both & ((start == year) | (end == year))
        covered: Mask = (self.budget_year == year) | spans | ends
        return covered

    def _search(self, query: str, candidates: Mask) -> Mask:
        """Which names hold ``query``, each name on its own (only the candidates are read)."""
        found = np.zeros(len(self.features), bool)
        if _GAP in query:
            return found  # no name holds it
        for index in np.flatnonzero(candidates):
            text = self.names[index]
            if query in text:
                found[index] = any(query in name for name in text.split(_GAP))
        return found


#: Each aggregate group's index; a layer not known counts as ``other``.
_GROUP: Final = {group: index for index, group in enumerate(AGGREGATE_GROUPS)}
_OTHER: Final = _GROUP["other"]


def _money(values: list[Any]) -> tuple[npt.NDArray[np.int64], Mask]:
    """Whole NT$ amounts (:func:`layers.aggregate.whole_amount`) and which exist."""
    amounts = [whole_amount(v) for v in values]
    present = np.array([amount is not None for amount in amounts], bool)
    return np.array([amount or 0 for amount in amounts], np.int64), present


def _county_pairs(props: Sequence[Any]) -> tuple[npt.NDArray[np.int64], ...]:
    """(feature, county, part, parts) for each county of the 22 a project lies in, in the order
    it names them (the order decides who gets the odd dollars of a share)."""
    order = {county.name: index for index, county in enumerate(COUNTIES)}
    rows: list[tuple[int, int, int, int]] = []
    for index, p in enumerate(props):
        named = dict.fromkeys(normalise_place_name(c) for c in p.get("counties") or ())
        known = [order[c] for c in named if c in order]
        rows += [(index, county, part, len(known)) for part, county in enumerate(known)]
    if not rows:
        return tuple(np.zeros(0, np.int64) for _ in range(4))
    return tuple(np.array(column, np.int64) for column in zip(*rows, strict=True))


def _shares(
    amounts: npt.NDArray[np.int64], part: npt.NDArray[np.int64], parts: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Each pair's equal whole-dollar share: the first ``amount % parts`` get one more."""
    base, left = np.divmod(amounts, parts)
    share: npt.NDArray[np.int64] = base + (part < left)
    return share


def _grouped(
    owner: npt.NDArray[np.int64],
    owners: int,
    group: npt.NDArray[np.int64],
    shared: Mask,
    behind: Mask,
    money: dict[str, tuple[npt.NDArray[np.int64], Mask]],
) -> list[dict[str, Any]]:
    """For each owner (a county, or one owner for a whole set) of these rows, the ``all``
    group and one per layer, as :func:`layers.aggregate.sums`."""
    (legal, has_legal), (allocated, has_allocated), (executed, has_executed) = (
        money[key] for key in ("legal", "allocated", "executed")
    )
    legal = np.where(has_legal, legal, 0)
    allocated = np.where(has_allocated, allocated, 0)
    executed = np.where(has_executed, executed, 0)
    rated = has_allocated & has_executed
    columns = (
        np.ones(len(group), np.int64),
        shared.astype(np.int64),
        legal,
        np.where(shared, 0, legal),
        allocated,
        executed,
        np.where(rated, allocated, 0),
        np.where(rated, executed, 0),
        behind.astype(np.int64),
    )
    # each (owner, group)'s rows together, by a sort of small keys (numpy's radix sort), so
    # that its sum is a difference of running sums (exact: int64)
    size = len(AGGREGATE_GROUPS)
    key = (owner * size + group).astype(np.int16)
    order = np.argsort(key, kind="stable")
    bounds = np.searchsorted(key[order], np.arange(owners * size + 1))
    totals = np.diff(
        [np.concatenate([[0], np.cumsum(column[order])])[bounds] for column in columns], axis=1
    ).reshape(len(columns), owners, size)
    return [
        {
            name: sums(*(int(v) for v in (mine.sum(axis=1) if name == "all" else mine[:, index])))
            for index, name in enumerate(AGGREGATE_GROUPS)
        }
        for mine in (totals[:, o, :] for o in range(owners))
    ]


def _categories(values: list[Any]) -> tuple[dict[Any, int], npt.NDArray[np.int32]]:
    """Each distinct value's code, and the column of codes (``None`` is a code too)."""
    index: dict[Any, int] = {}
    column = np.array([index.setdefault(value, len(index)) for value in values], np.int32)
    return index, column


def _years(values: list[Any]) -> npt.NDArray[np.int32]:
    return np.array(
        [v if isinstance(v, int) and not isinstance(v, bool) else _NO_YEAR for v in values],
        np.int32,
    )


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return float("nan")
    return float(value)
