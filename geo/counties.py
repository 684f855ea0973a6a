"""The 22 counties and cities of Taiwan: official 臺-form names, codes and English names.

The names are the ones the Ministry of the Interior publishes, and the ones
``data/boundaries/counties.geojson`` carries in its ``county`` property; the codes are the
five-digit administrative codes (``COUNTYCODE``) of the same publication. Text from the reports
often prints 台 for 臺: :func:`normalise_place_name` folds it before any comparison.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Final

__all__ = ["COUNTIES", "COUNTY_NAMES", "County", "county_by_name", "normalise_place_name"]


@dataclass(frozen=True, slots=True)
class County:
    """One county or special municipality."""

    code: str
    name: str
    name_en: str


COUNTIES: Final[tuple[County, ...]] = (
    County("63000", "臺北市", "Taipei City"),
    County("65000", "新北市", "New Taipei City"),
    County("68000", "桃園市", "Taoyuan City"),
    County("66000", "臺中市", "Taichung City"),
    County("67000", "臺南市", "Tainan City"),
    County("64000", "高雄市", "Kaohsiung City"),
    County("10017", "基隆市", "Keelung City"),
    County("10018", "新竹市", "Hsinchu City"),
    County("10020", "嘉義市", "Chiayi City"),
    County("10004", "新竹縣", "Hsinchu County"),
    County("10005", "苗栗縣", "Miaoli County"),
    County("10007", "彰化縣", "Changhua County"),
    County("10008", "南投縣", "Nantou County"),
    County("10009", "雲林縣", "Yunlin County"),
    County("10010", "嘉義縣", "Chiayi County"),
    County("10013", "屏東縣", "Pingtung County"),
    County("10002", "宜蘭縣", "Yilan County"),
    County("10015", "花蓮縣", "Hualien County"),
    County("10014", "臺東縣", "Taitung County"),
    County("10016", "澎湖縣", "Penghu County"),
    County("09020", "金門縣", "Kinmen County"),
    County("09007", "連江縣", "Lienchiang County"),
)

#: The official names, in the order above (municipalities first).
COUNTY_NAMES: Final[tuple[str, ...]] = tuple(county.name for county in COUNTIES)

_BY_NAME: Final[dict[str, County]] = {county.name: county for county in COUNTIES}


def normalise_place_name(text: str) -> str:
    """A place name in its official form: NFKC width folding, no outer spaces, 台 → 臺.

    Parameters
    ----------
    text
        A county, town or facility name as printed or typed.

    Returns
    -------
    str
        The folded name; folding twice changes nothing.
    """
    return unicodedata.normalize("NFKC", text).strip().replace("台", "臺")


def county_by_name(name: str) -> County | None:
    """The county of an official or 台-form name, or ``None`` for a name that is not a county."""
    return _BY_NAME.get(normalise_place_name(name))
