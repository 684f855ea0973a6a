"""The web map's pages and the data their script loads: thin views over :mod:`webapp.page`.

``/``                          the map page; the query string is the whole state
``/county/<name>``             the same page with the county fixed (臺 or 台 forms)
``/project/<id>``              one project's details; ``/project/<id>/popup`` the map popup
``/markers.json``              the filtered markers, compact (:func:`webapp.mapdata.marker_rows`);
                               with ``z`` and ``bbox``, one view's markers or clusters
``/boundaries/<level>.geojson`` county or town boundaries, simplified for the page
``/export.<fmt>``              the filtered projects as GeoJSON, CSV or GeoPackage
``/feed.atom``                 the filtered projects' latest changes, as an Atom feed
``/about/<name>.md``           the data dictionary and the build report
"""

from __future__ import annotations

import gzip
import json
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup

from geo.counties import COUNTY_NAMES, county_by_name, normalise_place_name
from geo.errors import FilterError
from layers.database import DatabaseRegister
from layers.export import MEDIA_TYPES, ExportFormat, export, iter_text
from layers.filters import ProjectFilter, parse_filter
from layers.packed import place_at
from layers.params import Box, Param, Whole, Words, read_params
from layers.schema import ProjectFeature
from layers.status import Status
from webapp import formatting
from webapp.cache import LRU
from webapp.charts import budget_chart, progress_chart
from webapp.config import ROOT
from webapp.documents import describe
from webapp.feed import atom_feed
from webapp.heavy import Sending, heavy_work
from webapp.i18n import (
    Lang,
    agency_label,
    county_label,
    html_lang_of,
    label,
    lang_or_default,
    program_label,
    strings,
)
from webapp.mapdata import (
    CHOROPLETH_COLOURS,
    MAP_LAYERS,
    MarkerPoints,
    database_markers,
    database_view,
    marker_svg,
    simplified_boundaries,
    view_markers,
)
from webapp.page import BEHIND_SHOWN, PageModel, build_page
from webapp.security import page_policy
from webapp.state import PageState, parse_state, state_query
from webapp.store import Atlas, current_atlas

if TYPE_CHECKING:
    from webapp.mapview import MapParts

__all__ = ["bp"]

bp = Blueprint("map", __name__, template_folder="templates", static_folder=None)

_LEVELS = ("counties", "towns")


@bp.get("/")
def index() -> Response:
    """The map page."""
    return _page(county=None)


@bp.get("/county/<name>")
def county(name: str) -> Response:
    """The map page of one county; an unknown name is a 404 page listing the counties."""
    found = county_by_name(name)
    if found is None:
        context = {**_words(_safe_lang()), "name": name, "counties": COUNTY_NAMES}
        html = render_template("map/county_404.html", **context)
        return Response(html, status=404, mimetype="text/html")
    return _page(county=found.name)


@bp.get("/project/<pid>")
def project(pid: str) -> tuple[str, int]:
    """One project's details as a page; an unknown id is a 404 page linking to the map."""
    lang = _safe_lang()
    if pid not in current_atlas().by_id:
        return render_template("map/project_404.html", **_words(lang), pid=pid), 404
    context = _project_context(pid, lang)
    props = context["p"]
    return render_template(
        "map/project.html",
        **context,
        budget_chart=budget_chart(props.get("budget_rows") or [], lang),
        progress_chart=progress_chart(
            props.get("progress_planned_pct"), props.get("progress_actual_pct"), lang
        ),
        sites=_sites(context["feature"]),
        page_url=url_for(
            "map.project", pid=pid, lang=None if lang == "zh" else lang, _external=True
        ),
    ), 200


@bp.get("/project/<pid>/popup")
def popup(pid: str) -> str:
    """One project's details as the map popup's HTML (escaped by Jinja)."""
    lang = _safe_lang()
    return render_template("map/popup.html", **_project_context(pid, lang))


#: The map view a marker request may name: its zoom and its bounds (the filter is the rest).
_VIEW_PARAMS: Final = (
    Param("z", Whole(0, most=22), Words("Zoom", "縮放層級"), "The map's zoom level."),
    Param("bbox", Box(), Words("View", "地圖範圍"), "The map's bounds: west,south,east,north."),
)

#: The texts a page's footer links to: the data dictionary and the build's own report.
_ABOUT: Final = {
    "data-dictionary": lambda: ROOT / "docs" / "data-dictionary.md",
    "build-report": lambda: current_atlas().folder / "build-report.md",
}


@bp.get("/about/<name>.md")
def about(name: str) -> Response:
    """The data dictionary or the build report, as the Markdown they are written in."""
    if name not in _ABOUT or not (path := _ABOUT[name]()).is_file():
        abort(404)
    return Response(path.read_bytes(), mimetype="text/markdown")


@bp.get("/feed.atom")
def feed() -> Response:
    """An Atom feed of the projects that pass the filter, the latest changes first."""
    atlas = current_atlas()
    params = _params()
    lang = _safe_lang()
    params.pop("lang", None)
    project_filter = parse_filter(params, choices=atlas.choices)
    query = state_query(PageState(filter=project_filter, lang=lang))
    body = atom_feed(
        atlas.select(project_filter),
        atlas.history,
        title=formatting.filter_title(project_filter, lang),
        self_url=url_for("map.feed", _external=True) + (f"?{query}" if query else ""),
        page_url=url_for("map.index", _external=True) + (f"?{query}" if query else ""),
        project_url=lambda pid: url_for(
            "map.project", pid=pid, lang=None if lang == "zh" else lang, _external=True
        ),
        lang=lang,
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/markers.json")
def markers() -> Response:
    """The markers of the projects that pass the filter in the query string: all of them when
    there are at most ``ATLAS_MARKER_LIMIT`` (the page clusters them); else the clusters and
    near markers of the view that ``z`` and ``bbox`` give, with how many there are in all
    (``by_view``), or without a view only how many."""
    atlas = current_atlas()
    params = _params()
    view = read_params(params, _VIEW_PARAMS, choices=atlas.choices)
    project_filter = parse_filter(
        {k: v for k, v in params.items() if k not in ("z", "bbox")}, choices=atlas.choices
    )
    limit = current_app.config["ATLAS_MARKER_LIMIT"]
    bbox, zoom = view["bbox"], view["z"]
    if isinstance(atlas.packed, DatabaseRegister):
        return _database_markers(atlas.packed, project_filter, bbox, zoom, limit)
    points = _marker_points(atlas, project_filter)
    if len(points.rows) <= limit:  # all of them, whatever the view: the page clusters them
        return _json_response(*_marker_bytes(atlas, project_filter))
    # too many for one answer: the page asks view by view (z and bbox)
    if zoom is None or bbox is None:
        notice = {"layers": points.layers, "rows": [], "by_view": len(points.rows)}
        return _json_response(json.dumps(notice).encode(), None)

    def make() -> tuple[bytes, bytes | None]:
        answer = view_markers(points, bbox, zoom, limit=limit)
        answer["by_view"] = len(points.rows)
        body = json.dumps(answer, separators=(",", ":"), ensure_ascii=False).encode()
        return body, gzip.compress(body, compresslevel=5)

    # each view's answer is kept, as the database store keeps it: the build never changes, and
    # the view a map page opens on (Taiwan, a county) is the one most asked for
    views: LRU[tuple[bytes, bytes | None]] = _cache("marker_views", 256)
    return _json_response(*views.get((project_filter, bbox, zoom), make))


def _database_markers(
    register: DatabaseRegister,
    project_filter: ProjectFilter,
    bbox: tuple[float, float, float, float] | None,
    zoom: int | None,
    limit: int,
) -> Response:
    """The markers of a filter (or of one view) counted and clustered by the database, in the
    bytes the folder store sends. The build never changes, so each filter's count is kept, and
    each answer: a filter's few markers, or one view of a filter with many."""
    totals: LRU[int] = _cache("marker_totals", 256)
    database, build = register.database, register.build
    total = totals.get(project_filter, lambda: database.marker_count(build, project_filter, None))
    if total <= limit:  # few enough: all of them, whatever the view
        bbox = zoom = None

    def make() -> tuple[bytes, bytes | None]:
        if zoom is None or bbox is None:
            answer = database_markers(register, project_filter, limit=limit, total=total)
            if "by_view" in answer:
                return json.dumps(answer).encode(), None
            body = json.dumps(answer, separators=(",", ":")).encode()
        else:
            answer = database_view(register, project_filter, bbox, zoom, limit=limit)
            answer["by_view"] = total
            body = json.dumps(answer, separators=(",", ":"), ensure_ascii=False).encode()
        return body, gzip.compress(body, compresslevel=5)

    views: LRU[tuple[bytes, bytes | None]] = _cache("marker_views", 256)
    body, packed = views.get((project_filter, bbox, zoom), make)
    return _json_response(body, packed)


@bp.get("/boundaries/<level>.geojson")
def boundaries(level: str) -> Response:
    """County or town boundaries, simplified and rounded for the page."""
    if level not in _LEVELS:
        abort(404)
    path = current_atlas().boundaries / f"{level}.geojson"
    body, packed = simplified_boundaries(path, path.stat().st_mtime)
    response = _json_response(body, packed, mimetype="application/geo+json")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/export.<fmt>")
def download(fmt: str) -> Response:
    """The projects that pass the filter in one format, as a download."""
    if fmt not in MEDIA_TYPES:
        abort(404)
    atlas = current_atlas()
    project_filter = parse_filter(_params(), choices=atlas.choices)
    kind: ExportFormat = fmt  # checked against MEDIA_TYPES above

    chosen = atlas.select(project_filter)
    gate = heavy_work()
    if len(chosen) > current_app.config["ATLAS_STREAM_ABOVE"]:
        # too big to keep: text is sent as it is written, a GeoPackage from its file
        if kind == "gpkg":
            pieces = gate.stream(lambda: _gpkg_file(chosen, atlas))
        else:
            pieces = gate.stream(lambda: (p.encode("utf-8") for p in iter_text(chosen, kind)))
        response = Response(pieces, content_type=MEDIA_TYPES[kind])
    else:

        def make() -> bytes:
            if kind == "gpkg":
                return _gpkg(chosen, atlas)
            return "".join(iter_text(chosen, kind)).encode("utf-8")

        body = gate.answer(("download", atlas.key, kind, project_filter), make)
        response = Response(body, content_type=MEDIA_TYPES[kind])
    name = f"{formatting.download_stem(project_filter)}.{fmt}"
    response.headers["Content-Disposition"] = _attachment(name, fallback=f"infra-atlas.{fmt}")
    return response


def _attachment(name: str, *, fallback: str) -> str:
    """A Content-Disposition for a download; a name in Chinese goes as RFC 6266 ``filename*``
    (headers are Latin-1), with an ASCII ``filename`` for old clients."""
    if name.isascii():
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


def _page(*, county: str | None) -> Response:
    atlas = current_atlas()
    params = _params()
    if county is not None:
        params["county"] = [county]  # the path names the county
    try:
        state = parse_state(params, choices=atlas.choices)
    except FilterError as error:
        lang = _safe_lang()
        message = error.zh if lang == "zh" else str(error)
        html = render_template("map/index.html", **_context(None, lang, county, message))
        return Response(html, status=400, mimetype="text/html")

    def make() -> tuple[bytes, bytes, str]:
        model = build_page(
            atlas.features,
            state,
            towns=atlas.towns,
            programs=atlas.choices.programs,
            select=atlas.select,
            aggregate=atlas.aggregate,
        )
        html = render_template("map/index.html", **_context(model, state.lang, county, None))
        body = html.encode("utf-8")
        return body, gzip.compress(body, compresslevel=6), page_policy(html)

    # A page is the same for the same state while the app runs: made once, kept for repeats.
    pages: LRU[tuple[bytes, bytes, str]] = _cache("pages", 64)
    body, packed, policy = pages.get((county, state), make)
    response = _json_response(body, packed, mimetype="text/html")
    response.headers["Content-Security-Policy"] = policy
    return response


def _context(
    model: PageModel | None, lang: Lang, county: str | None, error: str | None
) -> dict[str, Any]:
    """The template's values: the page model, the words, the map and the links."""
    atlas = current_atlas()
    state = model.state if model is not None else PageState(lang=lang)
    # With a bad query there is no model, but the form still offers every choice.
    choice = model or build_page([], state, towns=atlas.towns, programs=atlas.choices.programs)
    everywhere = state.but(filter=replace(state.filter, counties=()), page=1)
    filter_query = state_query(state, view=False)
    return {
        **_words(lang),
        "model": model,
        "choice": choice,
        "all_href": f"{url_for('map.index')}?{state_query(everywhere)}".rstrip("?"),
        "state": state,
        "error": error,
        "county": county,
        "base": url_for("map.county", name=county) if county else url_for("map.index"),
        "parts": _map_parts(state),
        "query": lambda **changes: state_query(state, **changes),
        "behind_href": _behind_href(state, county),
        "filter_query": filter_query,
        "feed_href": url_for("map.feed")
        + (f"?{q}" if (q := state_query(PageState(filter=state.filter, lang=lang))) else ""),
        "colours": CHOROPLETH_COLOURS,
        "atlas_config": _map_config(model, lang, filter_query),
    }


def _behind_href(state: PageState, county: str | None) -> str:
    """The page's table of the same selection, behind schedule only."""
    behind = state.but(filter=replace(state.filter, status=Status.BEHIND), page=1)
    base = url_for("map.county", name=county) if county else url_for("map.index")
    return f"{base}?{state_query(behind)}#results"


def _words(lang: Lang) -> dict[str, Any]:
    """The language's strings and the formatting helpers every template uses."""
    atlas = current_atlas()
    documents, towns_en = atlas.documents, atlas.town_names_en if lang == "en" else {}
    return {
        "_": strings(lang),
        "lang": lang,
        "label": lambda kind, code: label(kind, code, lang),
        "county_label": lambda name: county_label(name, lang),
        "town_label": lambda town: towns_en.get(normalise_place_name(town), town),
        "program_label": lambda name: program_label(name, lang),
        "agency_label": lambda name: agency_label(name, lang),
        "describe_source": lambda name, kind: describe(documents.get(name), kind, lang),
        "name_lang": lambda text: _name_lang(text, lang),
        "sources": [describe(document, None, lang) for document in documents.values()],
        "BEHIND_SHOWN": BEHIND_SHOWN,
        "fmt": formatting,
        "symbol": _symbol,
    }


def _map_parts(state: PageState) -> MapParts:
    # folium (with pandas) is half a second of imports that only the map page needs: the API
    # and downloads of a starting server answer without waiting for it
    from webapp.mapview import build_map

    config = current_app.config
    return build_map(
        static=lambda path: url_for("static", filename=path),
        lang=state.lang,
        tiles=config["ATLAS_TILES"],
        offline=config["ATLAS_OFFLINE"],
        shown=[layer.value for layer in state.filter.layers],
    )


def _map_config(model: PageModel | None, lang: Lang, filter_query: str) -> dict[str, Any]:
    """What the page's script needs: its URLs (with the filter), words, colours, symbols."""
    choropleth = model.choropleth if model is not None else None
    return {
        "markers": f"{url_for('map.markers')}?{filter_query}",
        "popup": url_for("map.popup", pid="PID"),
        "boundaries": {level: url_for("map.boundaries", level=level) for level in _LEVELS},
        "lang": lang,
        "counties_label": strings(lang)["counties_layer"],
        "towns_label": strings(lang)["towns_layer"],
        "cluster_label": strings(lang)["cluster_label"],
        "fit": bool(filter_query),
        "bounds": _county_bounds(model.state.filter.counties) if model is not None else None,
        "chosen": list(model.state.filter.counties) if model is not None else [],
        "choropleth": (
            {"classes": choropleth.classes, "amounts": choropleth.amounts} if choropleth else None
        ),
        "colours": CHOROPLETH_COLOURS,
        "symbols": {
            layer: [marker_svg(layer, exact=False), marker_svg(layer, exact=True)]
            for layer in MAP_LAYERS
        },
    }


def _county_bounds(counties: Sequence[str]) -> list[list[float]] | None:
    """The chosen counties' bounds as Leaflet's ``[[south, west], [north, east]]``: a county
    view frames the county, not every site of its multi-county projects."""
    if not counties:
        return None
    frame = current_atlas().counties
    names = frame["county"].map(normalise_place_name)
    west, south, east, north = frame[names.isin(counties)].total_bounds
    return [[south, west], [north, east]]  # lat, lon: Leaflet's order


def _project_context(pid: str, lang: Lang) -> dict[str, Any]:
    feature = current_atlas().by_id.get(pid)
    if feature is None:
        abort(404)
    return {**_words(lang), "feature": feature, "p": feature["properties"]}


def _sites(feature: ProjectFeature) -> dict[str, Any]:
    """The project's sites as GeoJSON points for its small map, each labelled with the place
    the geocoder read (its name), or the project's name."""
    geometry = feature["geometry"]
    if not geometry:
        return {"type": "FeatureCollection", "features": []}
    points = [geometry["coordinates"]] if geometry["type"] == "Point" else geometry["coordinates"]
    places = place_at(feature["properties"])
    href = url_for("map.project", pid=feature["id"])
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": point},
                "properties": {
                    "label": places.get((point[0], point[1]), {}).get("name")
                    or feature["properties"]["name"],
                    "href": href,
                },
            }
            for point in points
        ],
    }


def _name_lang(text: object, lang: Lang) -> Markup:
    """`` lang="zh-Hant-TW"`` for a Chinese name on an English page (a screen reader then reads
    it in Chinese), else nothing."""
    if lang == "en" and html_lang_of(text) == "zh-Hant-TW":
        return Markup(' lang="zh-Hant-TW"')
    return Markup("")


def _symbol(layer: str, exact: bool = True) -> Markup:
    return Markup(marker_svg(layer, exact=exact))  # our own SVG: no user text in it


def _params() -> dict[str, list[str]]:
    return {key: request.args.getlist(key) for key in request.args}


def _safe_lang() -> Lang:
    return lang_or_default(request.args.get("lang"))


def _cache(name: str, size: int) -> LRU[Any]:
    """The cache of ``name`` (the last ``size`` answers) of the register being served: an
    answer depends on its register (and the app's settings)."""
    cache: LRU[Any] = current_atlas().caches.setdefault(name, LRU(size))
    return cache


def _marker_points(atlas: Atlas, project_filter: ProjectFilter) -> MarkerPoints:
    """The markers of a filter, kept for the last few filters: the register does not change
    while the app runs, and the national view is the one most asked for."""
    points: LRU[MarkerPoints] = _cache("marker_points", 8)
    return points.get(
        project_filter,
        lambda: MarkerPoints.of_selection(atlas.select(project_filter), project_filter.counties),
    )


def _marker_bytes(atlas: Atlas, project_filter: ProjectFilter) -> tuple[bytes, bytes]:
    """The marker JSON of a filter and its gzip, kept for the last few filters."""

    def make() -> tuple[bytes, bytes]:
        rows = _marker_points(atlas, project_filter).marker_rows()
        body = json.dumps(rows, separators=(",", ":")).encode()
        return body, gzip.compress(body, compresslevel=5)

    markers: LRU[tuple[bytes, bytes]] = _cache("markers", 8)
    return markers.get(project_filter, make)


def _json_response(
    body: bytes, packed: bytes | None, mimetype: str = "application/json"
) -> Response:
    """Bytes (JSON, or a page), gzipped when the browser accepts it (waitress does not)."""
    response = Response(mimetype=mimetype)
    response.vary.add("Accept-Encoding")
    if request.accept_encodings.quality("gzip") > 0 and len(body) > 1024:
        response.set_data(packed if packed is not None else gzip.compress(body, compresslevel=5))
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.set_data(body)
    return response


def _gpkg(chosen: Sequence[Any], atlas: Atlas) -> bytes:
    """A GeoPackage of the features, whole (a small one, to keep)."""
    return b"".join(_gpkg_file(chosen, atlas))


def _gpkg_file(chosen: Sequence[Any], atlas: Atlas) -> Iterator[bytes]:
    """A GeoPackage of the features, with county aggregates, written now to a temporary file
    and then read from it in blocks of a megabyte as they are sent (a whole register's is
    hundreds of megabytes: not held in memory); the file goes when the last block is sent or
    the client goes away."""
    folder = Path(tempfile.mkdtemp(prefix="infra-atlas-"))
    try:
        out = folder / "export.gpkg"
        export(chosen, "gpkg", out, counties_gdf=atlas.counties)
        stream = out.open("rb")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise

    def gone() -> None:
        stream.close()
        shutil.rmtree(folder, ignore_errors=True)

    return Sending(iter(lambda: stream.read(1 << 20), b""), gone)
