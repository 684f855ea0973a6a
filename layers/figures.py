"""Finding the figures printed in running text: amounts, capacities, areas, percentages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from layers.numbers import UNIT_TWD, amount_to_twd, parse_number
from layers.records import Figure

__all__ = ["FIGURE_UNITS", "find_figures"]

#: Printed unit → what it measures. Longer units first so that 萬噸/日 wins over 萬噸.
FIGURE_UNITS: Final[dict[str, str]] = {
    "百萬元": "amount",
    "千元": "amount",
    "萬元": "amount",
    "億元": "amount",
    "萬瓩": "capacity",
    "千瓩": "capacity",
    "MW": "capacity",
    "GW": "capacity",
    "kW": "capacity",
    "瓩": "capacity",
    "萬噸/日": "water_capacity",
    "萬噸／日": "water_capacity",
    "萬立方公尺/日": "water_capacity",
    "噸/日": "water_capacity",
    "CMD": "water_capacity",
    "萬立方公尺": "volume",
    "公頃": "area",
    "公里": "length",
    "公尺": "length",
    "人年": "jobs",
    "%": "percent",
    "％": "percent",
}

_UNIT_PATTERN = "|".join(re.escape(unit) for unit in sorted(FIGURE_UNITS, key=len, reverse=True))
_FIGURE = re.compile(
    r"(?<![\d.,A-Za-z])(\d{1,3}(?:,\s?\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(" + _UNIT_PATTERN + ")"
)


def find_figures(text: str, *, first_line: int) -> Iterator[Figure]:
    """Yield every number printed with a known unit in ``text``.

    ``first_line`` is the document line of the text's first line; each figure carries the line
    it is printed on. Amounts of money also carry their value in whole NT$.
    """
    for offset, line in enumerate(text.split("\n")):
        for match in _FIGURE.finditer(line):
            number, unit = match.groups()
            value = parse_number(number)
            canonical = unit.replace("／", "/").replace("％", "%")
            twd = amount_to_twd(value, canonical) if canonical in UNIT_TWD else None
            yield Figure(
                what=FIGURE_UNITS[unit],
                value=value,
                unit=canonical,
                printed=match.group(0),
                line=first_line + offset,
                twd=twd,
            )
