"""The folium map of the page: Leaflet from the app's own files, a cluster group per layer, the
basemaps the deployment offers and a layer control. Nothing here knows about Flask.

The map is built empty: 100,000 folium markers inlined into the page would weigh tens of
megabytes, so the page's script (``webapp/static/map/atlas.js``) fetches the markers as compact
JSON for the same filter and fills the groups named in :class:`MapParts`, adds the county and
town boundaries, and fetches each popup when it is opened.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import folium
from folium.plugins import MarkerCluster

from webapp.config import BASEMAPS
from webapp.i18n import Lang, label
from webapp.mapdata import MAP_LAYERS, marker_svg

__all__ = ["LEAFLET", "MARKERCLUSTER", "MapParts", "build_map"]

LEAFLET: Final = "vendor/leaflet-1.9.4"
MARKERCLUSTER: Final = "vendor/leaflet.markercluster-1.5.3"
#: Taiwan with Kinmen and Matsu: south-west and north-east corners (lat, lon, Leaflet's order).
TAIWAN_BOUNDS: Final = ((21.85, 118.1), (26.4, 122.1))
_VIEWPORT: Final = re.compile(r'<meta name="viewport"[^>]*>')
_HIDDEN_LAYERS: Final = frozenset({"other"})  # on the map, but off until asked for


@dataclass(frozen=True, slots=True)
class MapParts:
    """The rendered map, split for a page template, and the JavaScript names of its parts."""

    header: str
    html: str
    script: str
    map_name: str
    control_name: str
    groups: dict[str, str]


def build_map(
    *,
    static: Callable[[str], str],
    lang: Lang,
    tiles: Sequence[str],
    offline: bool,
    shown: Sequence[str] = (),
) -> MapParts:
    """Build the empty map.

    Parameters
    ----------
    static
        The URL of a file under ``webapp/static`` (Flask's ``url_for("static", ...)``).
    lang
        The language of the layer names.
    tiles
        The basemaps offered (keys of :data:`webapp.config.BASEMAPS`).
    offline
        True drops every tile layer, whatever ``tiles`` says.
    shown
        Layers to show even if they start hidden (``other``, when the filter asks for it).
    """
    fmap = folium.Map(
        location=[23.7, 120.9],
        zoom_start=7,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        min_zoom=6,
    )
    # markercluster needs the map's maxZoom; folium gives it to tile layers only (maybe none).
    fmap.options["maxZoom"] = 18
    # Only the app's own copies of Leaflet: no jQuery, Bootstrap or icon fonts from CDNs.
    fmap.default_js = [("leaflet", static(f"{LEAFLET}/leaflet.js"))]
    fmap.default_css = [("leaflet_css", static(f"{LEAFLET}/leaflet.css"))]
    for key in () if offline else tiles:
        title, url, attribution = BASEMAPS[key]
        folium.TileLayer(url, attr=attribution, name=title, overlay=False, max_zoom=18).add_to(fmap)
    groups = {}
    for layer in MAP_LAYERS:
        group = MarkerCluster(  # type: ignore[no-untyped-call]
            name=f"{marker_svg(layer, exact=True)} {label('layer', layer, lang)}",
            show=layer not in _HIDDEN_LAYERS or layer in shown,
            options={"chunkedLoading": True, "showCoverageOnHover": False, "maxClusterRadius": 50},
        )
        group.default_js = [
            ("markerclusterjs", static(f"{MARKERCLUSTER}/leaflet.markercluster.js"))
        ]
        group.default_css = [
            ("markerclustercss", static(f"{MARKERCLUSTER}/MarkerCluster.css")),
            ("markerclusterdefaultcss", static(f"{MARKERCLUSTER}/MarkerCluster.Default.css")),
        ]
        group.add_to(fmap)
        groups[layer] = group.get_name()
    control = folium.LayerControl(collapsed=False, position="topright")
    control.add_to(fmap)
    whole = folium.map.FitBounds([list(corner) for corner in TAIWAN_BOUNDS])
    whole.options["animate"] = False  # at once: the page asks for this view's markers next
    fmap.add_child(whole)
    root = fmap.get_root()
    root.render()
    # folium's viewport forbids pinch zoom (maximum-scale=1, user-scalable=no), a barrier for
    # low vision; the page template has its own, which allows it.
    header = _VIEWPORT.sub("", root.header.render())  # type: ignore[attr-defined]
    return MapParts(
        header=header,
        html=root.html.render(),  # type: ignore[attr-defined]
        script=root.script.render(),  # type: ignore[attr-defined]
        map_name=fmap.get_name(),
        control_name=control.get_name(),
        groups=groups,
    )
