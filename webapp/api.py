"""The OGC API – Features service under ``/api``: the same register and filter as the map.

``/api`` (landing page), ``/api/conformance``, ``/api/openapi`` (OpenAPI 3.0),
``/api/collections``, ``/api/collections/{id}``, ``…/items``, ``…/items/{featureId}`` and
``…/queryables``. Each answers in JSON or HTML (items also in CSV), chosen by ``f`` or else by
the Accept header; an unknown parameter or a bad value is a 400 problem response naming the
parameter. The collections are prepared on the first request (:mod:`webapp.api_collections`).
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, render_template, request, url_for

from layers.export import MEDIA_TYPES, iter_text
from layers.filters import FilterChoices, parse_filter
from layers.params import read_params, reject_unknown
from webapp.api_collections import (
    Catalogue,
    FeatureCollection,
    build_catalogue,
)
from webapp.api_query import API_LANG, ItemsQuery, format_param, parse_items_query
from webapp.api_words import api_strings, collection_words
from webapp.formatting import location_sentence, off_map_reason
from webapp.heavy import heavy_work
from webapp.i18n import Lang, html_lang_of, label
from webapp.openapi import CONFORMANCE, GEOJSON, OPENAPI_JSON, SCHEMA_JSON, openapi_document
from webapp.openapi import queryables as queryables_schema
from webapp.store import current_atlas

__all__ = ["api"]

api = Blueprint("api", __name__, url_prefix="/api")

CRS84: Final = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GREGORIAN: Final = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
QUERYABLES_REL: Final = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
JSON: Final = "application/json"
HTML: Final = "text/html"
CSV: Final = MEDIA_TYPES["csv"]
_PAGES: Final = ("json", "html")
_LOCK: Final = threading.Lock()


# Views ----------------------------------------------------------------------------------------


@api.get("/")
@api.get("")  # registered first, so url_for gives /api
def landing() -> Response:
    """The landing page: links to the API definition, conformance and the collections."""
    fmt = _format(_PAGES)
    body = {
        "title": "Taiwan Infrastructure Atlas",
        "description": "MOEA water, energy, industrial-park and disaster-prevention projects "
        "with budgets and progress, as OGC API – Features.",
        "links": [
            *_self_links(fmt, _PAGES),
            _link(url_for("api.openapi"), "service-desc", OPENAPI_JSON, "The API definition"),
            _link(url_for("api.openapi", f="html"), "service-doc", HTML, "The API documentation"),
            _link(url_for("api.conformance"), "conformance", JSON, "Conformance classes"),
            _link(url_for("api.collections"), "data", JSON, "The collections"),
        ],
    }
    return _respond(fmt, body, "api/landing.html")


@api.get("/conformance")
def conformance() -> Response:
    """The conformance classes implemented."""
    fmt = _format(_PAGES)
    body = {"conformsTo": list(CONFORMANCE), "links": _self_links(fmt, _PAGES)}
    return _respond(fmt, body, "api/conformance.html")


@api.get("/openapi")
def openapi() -> Response:
    """The OpenAPI 3.0 document (JSON), or a page listing its paths (``f=html``)."""
    fmt = _format(_PAGES, json_type=OPENAPI_JSON)
    document = openapi_document(
        _catalogue(), choices=current_atlas().choices, url=url_for("api.landing", _external=True)
    )
    if fmt == "html":
        return _page("api/openapi.html", document=document)
    return _json(document, OPENAPI_JSON)


@api.get("/collections")
def collections() -> Response:
    """Every collection, with its extent and links."""
    fmt = _format(_PAGES)
    body = {
        "links": _self_links(fmt, _PAGES),
        "collections": [_describe(collection) for collection in _catalogue()],
    }
    return _respond(fmt, body, "api/collections.html")


@api.get("/collections/<collection_id>")
def collection(collection_id: str) -> Response:
    """One collection, with its extent and links; filter parameters given here are carried
    by its items links (a filtered view, as GDAL opens ``…/collections/projects?county=…``)."""
    chosen = _collection(collection_id)
    fmt = _format(_PAGES, others=chosen.filter_keys)
    carried = [(key, value) for key, value in request.args.items(multi=True) if key != "f"]
    params = _filter_params()
    parse_filter(params, choices=current_atlas().choices)  # a bad value is a 400 here already
    body = _describe(chosen, carried)
    body["links"] = _self_links(fmt, _PAGES) + body["links"][2:]
    if totalled := _totalled(chosen):
        body["description"] += f" Here: the projects where {', '.join(totalled)}."
    return _respond(fmt, body, "api/collection.html", collection=chosen)


@api.app_template_filter("lang_of")
def lang_of(value: object) -> str:
    """The language of a value shown on an API page (:func:`webapp.i18n.html_lang_of`)."""
    return html_lang_of(value)


@api.get("/collections/<collection_id>/items")
def items(collection_id: str) -> Response:
    """A page of the collection's items that pass the filter, bbox and datetime."""
    chosen = _collection(collection_id)
    query = parse_items_query(
        dict(request.args.lists()),
        filter_keys=chosen.filter_keys,
        choices=current_atlas().choices,
    )
    fmt = _format(("json", "html", "csv"), json_type=GEOJSON, others=None)
    if fmt == "csv":  # a download: made in a slot of the heavy-work gate, kept for repeats
        key = ("api-csv", current_atlas().key, chosen.id, request.query_string)
        body = heavy_work().answer(key, lambda: _csv_bytes(chosen, query))
        return _csv(body, chosen.id)
    if query.limit > HEAVY_PAGE:
        gated = heavy_work().answer(None, lambda: _items_body(chosen, query, fmt).get_data())
        return Response(gated, mimetype=HTML if fmt == "html" else GEOJSON)
    return _items_body(chosen, query, fmt)


#: API pages of more items than this are heavy work (see :mod:`webapp.heavy`).
HEAVY_PAGE: Final = 1000


def _csv_bytes(chosen: FeatureCollection, query: ItemsQuery) -> bytes:
    matched = chosen.select(query)
    return "".join(iter_text(matched[query.offset : query.offset + query.limit], "csv")).encode()


def _items_body(chosen: FeatureCollection, query: ItemsQuery, fmt: str) -> Response:
    matched = chosen.select(query)
    page = matched[query.offset : query.offset + query.limit]
    meta = {
        "numberMatched": len(matched),
        "numberReturned": len(page),
        "timeStamp": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "links": _page_links(fmt, query.offset, query.limit, len(matched), chosen.id),
    }
    if fmt == "html":
        return _page(
            "api/items.html",
            collection=chosen,
            features=page,
            query=query,
            totalled=_totalled(chosen),
            item_href=functools.partial(_item_href, chosen),
            **_map_context(chosen, page),
            **meta,
        )
    head = b'{"type":"FeatureCollection","features":' + chosen.encode(page) + b","
    return Response(head + _dumps(meta)[1:], mimetype=GEOJSON)


@api.get("/collections/<collection_id>/items/<feature_id>")
def item(collection_id: str, feature_id: str) -> Response:
    """One item by id; a county row takes the project filter its totals cover."""
    chosen = _collection(collection_id)
    fmt = _format(_PAGES, json_type=GEOJSON, others=chosen.total_keys)
    feature = chosen.item(feature_id)
    if feature is None:
        abort(404, description=f"no item {feature_id!r} in the collection {chosen.id!r}")
    if _totalled(chosen):
        params = _filter_params()
        project_filter = parse_filter(params, choices=current_atlas().choices)
        rows = chosen.select(ItemsQuery(filter=project_filter))
        feature = next(row for row in rows if row["id"] == feature_id)
    collection_url = url_for("api.collection", collection_id=chosen.id)
    body = {
        **feature,
        "links": [
            *_self_links(fmt, _PAGES, json_type=GEOJSON),
            _link(collection_url, "collection", JSON, chosen.title),
        ],
    }
    if fmt == "html":
        context = _map_context(chosen, [feature])
        return _page(
            "api/item.html", collection=chosen, feature=body, totalled=_totalled(chosen), **context
        )
    return _json(body, GEOJSON)


@api.get("/collections/<collection_id>/queryables")
def queryables(collection_id: str) -> Response:
    """What the collection's items can be filtered by, as a JSON Schema."""
    chosen = _collection(collection_id)
    fmt = _format(_PAGES, json_type=SCHEMA_JSON)
    url = url_for("api.queryables", collection_id=chosen.id, _external=True)
    schema = queryables_schema(chosen, choices=current_atlas().choices, url=url)
    if fmt == "html":
        return _page("api/queryables.html", collection=chosen, schema=schema)
    return _json(schema, SCHEMA_JSON)


# Helpers --------------------------------------------------------------------------------------


def _catalogue() -> Catalogue:
    """The collections of the register being served, prepared by the first request that
    needs them."""
    atlas = current_atlas()
    if "api" not in atlas.caches:
        with _LOCK:
            if "api" not in atlas.caches:
                atlas.caches["api"] = build_catalogue(
                    atlas.packed, lambda: atlas.counties, atlas.county_bounds
                )
    catalogue: Catalogue = atlas.caches["api"]
    return catalogue


def _collection(collection_id: str) -> FeatureCollection:
    found = _catalogue().get(collection_id)
    if found is None:
        names = ", ".join(c.id for c in _catalogue())
        abort(404, description=f"no collection {collection_id!r}; the collections are: {names}")
    return found


def _format(
    formats: tuple[str, ...], *, json_type: str = JSON, others: Collection[str] | None = ()
) -> str:
    """The format asked for: ``f`` if given, else the best the Accept header takes (JSON for
    ``*/*``). A parameter other than ``f``, ``lang`` and ``others`` is refused (``None``: the
    caller has checked them); so is a language other than ``en`` and ``zh``."""
    if others is not None:
        reject_unknown(request.args, ("f", "lang", *others))
    _lang()
    param = format_param(formats)
    asked: str | None = read_params(
        dict(request.args.lists()), [param], choices=current_atlas().choices
    )["f"]
    if asked:
        return asked
    offered = {json_type: "json", JSON: "json", HTML: "html", "text/csv": "csv"}
    candidates = [media for media, fmt in offered.items() if fmt in formats]
    best = request.accept_mimetypes.best_match(candidates, default=json_type)
    return offered.get(best or json_type, "json")


def _describe(chosen: FeatureCollection, carried: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """A collection's description in ``/collections`` and ``/collections/{id}``; its items
    links carry the ``carried`` filter parameters."""
    cid = chosen.id
    here = url_for("api.collection", collection_id=cid)
    query = f"?{urlencode(carried)}&" if carried else "?"
    items_url = url_for("api.items", collection_id=cid) + query
    body: dict[str, Any] = {
        "id": cid,
        "title": chosen.title,
        "description": chosen.description,
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {},
        "links": [
            _link(here, "self", JSON, chosen.title),
            _link(url_for("api.collection", collection_id=cid, f="html"), "alternate", HTML),
            _link(items_url.rstrip("?&"), "items", GEOJSON, f"{chosen.title} items"),
            _link(f"{items_url}f=html", "items", HTML),
            _link(f"{items_url}f=csv", "items", CSV),
            _link(url_for("api.queryables", collection_id=cid), QUERYABLES_REL, SCHEMA_JSON),
        ],
    }
    if chosen.bbox is not None:
        body["extent"]["spatial"] = {"bbox": [list(chosen.bbox)], "crs": CRS84}
    if chosen.interval is not None:
        body["extent"]["temporal"] = {"interval": [list(chosen.interval)], "trs": GREGORIAN}
    return body


def _map_context(chosen: FeatureCollection, features: Sequence[Any]) -> dict[str, Any]:
    """What an HTML page's small map needs: its placed features as GeoJSON, and the unplaced
    ones (listed as not on the map)."""
    placed = [_map_feature(chosen, feature) for feature in features if feature["geometry"]]
    return {
        "map_data": {"type": "FeatureCollection", "features": placed},
        "unplaced": [feature for feature in features if not feature["geometry"]],
    }


def _map_feature(chosen: FeatureCollection, feature: Any) -> dict[str, Any]:
    """A feature for the small map: its geometry (a county's simplified outline), a ``label``
    and the ``href`` of its page."""
    props, fid = feature["properties"], feature["id"]
    return {
        "type": "Feature",
        "id": fid,
        "geometry": chosen.outline(feature),
        "properties": {
            "label": str(props.get("name") or props.get("county") or fid),
            "href": _item_href(chosen, fid),
        },
    }


def _item_href(chosen: FeatureCollection, feature_id: str) -> str:
    """The HTML page of an item; a county row's keeps the project filter of its totals."""
    kept = [
        (key, value) for key, value in request.args.items(multi=True) if key in chosen.total_keys
    ]
    url = url_for("api.item", collection_id=chosen.id, feature_id=feature_id)
    return f"{url}?{urlencode([*kept, ('f', 'html')])}"


def _totalled(chosen: FeatureCollection) -> list[str]:
    """The project filter parameters of this request that choose what the items total (none
    for projects)."""
    return [
        f"{key}={value}"
        for key, value in request.args.items(multi=True)
        if key in chosen.total_keys and value.strip()
    ]


def _link(href: str, rel: str, media: str, title: str | None = None) -> dict[str, str]:
    absolute = href if href.startswith("http") else request.host_url.rstrip("/") + href
    link = {"href": absolute, "rel": rel, "type": media}
    if title:
        link["title"] = title
    return link


def _here(**changes: Any) -> str:
    """This request's URL with some parameters changed (``None`` removes one), the rest kept
    in order."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k not in changes]
    pairs += [(k, str(v)) for k, v in changes.items() if v is not None]
    return request.base_url + (f"?{urlencode(pairs)}" if pairs else "")


def _self_links(
    fmt: str, formats: tuple[str, ...], *, json_type: str = JSON
) -> list[dict[str, str]]:
    """``self`` (this very URL) and an ``alternate`` per other format (``f`` set)."""
    media = {"json": json_type, "html": HTML, "csv": "text/csv"}
    links = [_link(_here(), "self", media[fmt])]
    links += [_link(_here(f=other), "alternate", media[other]) for other in formats if other != fmt]
    return links


def _page_links(fmt: str, offset: int, limit: int, matched: int, cid: str) -> list[dict[str, str]]:
    links = _self_links(fmt, ("json", "html", "csv"), json_type=GEOJSON)
    media = {"json": GEOJSON, "html": HTML, "csv": "text/csv"}[fmt]
    if offset + limit < matched:
        links.append(_link(_here(offset=offset + limit), "next", media, "Next page"))
    if offset > 0:
        links.append(
            _link(_here(offset=max(offset - limit, 0) or None), "prev", media, "Previous page")
        )
    links.append(_link(url_for("api.collection", collection_id=cid), "collection", JSON))
    return links


def _dumps(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _json(body: Any, media: str) -> Response:
    return Response(_dumps(body), mimetype=media)


def _filter_params() -> dict[str, list[str]]:
    """The request's parameters but the format and the language: the project filter's."""
    return {key: values for key, values in request.args.lists() if key not in ("f", "lang")}


def _lang() -> Lang:
    """The HTML pages' language: ``lang=zh`` or English (the default)."""
    lang: Lang = (
        read_params(dict(request.args.lists()), [API_LANG], choices=FilterChoices())["lang"] or "en"
    )
    return lang


def _titled(collection: Any, lang: Lang) -> tuple[str, str]:
    """A collection's title and description in the page's language (a collection, or its
    JSON description)."""
    if isinstance(collection, dict):
        cid, title, description = (collection[k] for k in ("id", "title", "description"))
    else:
        cid, title, description = collection.id, collection.title, collection.description
    return collection_words(cid, title, description, lang)


def _page(template: str, **context: Any) -> Response:
    lang = _lang()
    words = api_strings(lang)
    kept = [(k, v) for k, v in request.args.items(multi=True) if k not in ("lang", "f")]
    switch = [*kept, ("f", "html"), *([("lang", "zh")] if lang == "en" else [])]
    html = render_template(
        template,
        lang=lang,
        switch_query=urlencode(switch),
        w=words,
        L="zh" if lang == "zh" else None,  # url_for(..., lang=L): the links keep the language
        titled=lambda c: _titled(c, lang),
        placement=lambda props: location_sentence(props, lang) or off_map_reason(props, lang),
        label=lambda kind, code: label(kind, code, lang),
        **context,
    )
    return Response(html, mimetype=HTML)


def _respond(fmt: str, body: dict[str, Any], template: str, **context: Any) -> Response:
    if fmt == "html":
        return _page(template, body=body, **context)
    return _json(body, JSON)


def _csv(body: bytes, cid: str) -> Response:
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Type"] = CSV
    response.headers["Content-Disposition"] = f'attachment; filename="{cid}.csv"'
    return response
