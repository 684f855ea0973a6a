"""The API's self-description: conformance classes, queryables and the OpenAPI 3.0 document.

Queryables are the filter keys that name a property of a project (``county`` → its
``counties``, ``year`` → its ``budget_year`` or any year of its period; the fields are those of
``docs/data-dictionary.md``). ``q``, ``budget_min`` and ``budget_max`` filter too but name no
single property, so they are query parameters without being queryables. The ``counties``
collection's only queryable is its ``county``; the project filter keys it also takes
(:data:`webapp.api_collections.COUNTY_TOTAL_KEYS`) choose the projects its rows total, not
the rows, so they too are query parameters without being queryables. Nothing here knows
about Flask: URLs come in as arguments.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from layers.filters import FilterChoices
from layers.params import FILTER_PARAMS, Param
from webapp.api_collections import Catalogue, FeatureCollection
from webapp.api_query import API_LANG, ITEMS_PARAMS, format_param
from webapp.problems import PROBLEM_JSON

__all__ = [
    "CONFORMANCE",
    "OPENAPI_JSON",
    "QUERYABLE_FIELDS",
    "SCHEMA_JSON",
    "openapi_document",
    "queryables",
]

OPENAPI_JSON: Final = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA_JSON: Final = "application/schema+json"
GEOJSON: Final = "application/geo+json"

#: The conformance classes implemented (OGC API – Features Part 1 and Part 3).
CONFORMANCE: Final[tuple[str, ...]] = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
)

#: The table's parameters by key.
_PARAMS: Final = {param.key: param for param in FILTER_PARAMS}
#: Queryable → the register field it reads (``docs/data-dictionary.md``).
QUERYABLE_FIELDS: Final[dict[str, str]] = {
    **{param.key: param.field for param in FILTER_PARAMS if param.field},
    "geometry": "geometry",
}
#: The county of a row of the ``counties`` collection.
_COUNTY_ROW: Final = (
    "The county of the row, official 臺 name; 台 forms are accepted. Repeat the parameter "
    "for several."
)
#: After a project filter parameter's description, in the ``counties`` collection.
_TOTALLED: Final = " The rows total only the projects that match."


def queryables(
    collection: FeatureCollection, *, choices: FilterChoices, url: str
) -> dict[str, Any]:
    """The collection's queryables as a JSON Schema (OGC API – Features Part 3).

    Parameters
    ----------
    collection
        The collection.
    choices
        The programmes that exist, for the ``program`` enumeration.
    url
        The queryables' own URL, the schema's ``$id``.
    """
    totals = bool(collection.total_keys)
    properties = {
        key: _queryable(key, choices, counties=totals)
        for key in collection.queryable_keys
        if key in QUERYABLE_FIELDS
    }
    totalled = (
        f" The items also take the project filter parameters {', '.join(collection.total_keys)}:"
        " they choose the projects the rows total, not the rows, so they are not queryables."
        if totals
        else ""
    )
    properties["geometry"] = {
        "title": "Geometry",
        "description": "The geometry (CRS84 lon/lat); query it with bbox. "
        + collection.geometry_note,
        "x-ogc-role": "primary-geometry",
        "oneOf": [{"format": f"geometry-{kind}"} for kind in collection.geometry_kinds],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": url,
        "type": "object",
        "title": collection.title,
        "description": f"What {collection.id} items can be filtered by; each queryable of a "
        "simple type is also a query parameter of the items." + totalled,
        "properties": properties,
        "additionalProperties": False,
    }


def _queryable(key: str, choices: FilterChoices, *, counties: bool) -> dict[str, Any]:
    param = _PARAMS[key]
    return {
        "title": param.title.en,
        "description": _description(param, counties=counties),
        **param.kind.schema(choices),
    }


def _description(param: Param, *, counties: bool) -> str:
    """A filter parameter's description, as a parameter of projects or of county rows."""
    if counties and param.key == "county":
        return _COUNTY_ROW
    return param.description + (_TOTALLED if counties else "")


def _parameter(param: Param, choices: FilterChoices, *, counties: bool = False) -> dict[str, Any]:
    described = param.openapi(choices)
    described["description"] = f"{param.title.en}: {_description(param, counties=counties)}"
    return described


# The OpenAPI document --------------------------------------------------------------------


def openapi_document(catalogue: Catalogue, *, choices: FilterChoices, url: str) -> dict[str, Any]:
    """The OpenAPI 3.0 document of the API: every path, parameter and response.

    Parameters
    ----------
    catalogue
        The collections; each gets its own paths, with the query parameters it accepts.
    choices
        The filter's choices, for enumerations.
    url
        The API's base URL (``…/api``), the document's server.
    """
    paths: dict[str, Any] = {
        "/": _get("getLandingPage", "The landing page", "landingPage", ["json", "html"]),
        "/conformance": _get(
            "getConformance", "The conformance classes implemented", "confClasses", ["json", "html"]
        ),
        "/openapi": _get("getOpenAPI", "This document", None, ["json", "html"], media=OPENAPI_JSON),
        "/collections": _get("getCollections", "The collections", "collections", ["json", "html"]),
    }
    for collection in catalogue:
        paths.update(_collection_paths(collection, choices))
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Taiwan Infrastructure Atlas – OGC API – Features",
            "version": "1.0.0",
            "description": "The Ministry of Economic Affairs' water, energy, industrial-park and "
            "disaster-prevention projects with their budgets and progress, and county totals.",
            "license": {"name": "MIT"},
        },
        "servers": [{"url": url}],
        "paths": paths,
        "components": {"schemas": _SCHEMAS},
    }


def _collection_paths(collection: FeatureCollection, choices: FilterChoices) -> dict[str, Any]:
    cid = collection.id
    name = "".join(part.title() for part in cid.split("_"))
    base = f"/collections/{cid}"
    counties = bool(collection.total_keys)  # its items total projects: county rows
    filters = [
        _parameter(_PARAMS[key], choices, counties=counties) for key in collection.filter_keys
    ]
    items = _get(
        f"get{name}Features",
        f"The {cid} items: paged, filtered"
        + ("; project filter parameters choose the projects the rows total" if counties else ""),
        "featureCollectionGeoJSON",
        ["json", "html", "csv"],
        media=GEOJSON,
        parameters=[*(_parameter(p, choices) for p in ITEMS_PARAMS), *filters],
    )
    feature = _get(
        f"get{name}Feature",
        f"One {cid} item",
        "featureGeoJSON",
        ["json", "html"],
        media=GEOJSON,
        parameters=[_FEATURE_ID, *(p for p in filters if p["name"] in collection.total_keys)],
    )
    feature["get"]["responses"]["404"] = _problem("No item of that id")
    return {
        base: _get(
            f"describe{name}Collection",
            f"The {cid} collection; filter parameters given are carried by its items links",
            "collection",
            ["json", "html"],
            parameters=filters,
        ),
        f"{base}/items": items,
        f"{base}/items/{{featureId}}": feature,
        f"{base}/queryables": _get(
            f"get{name}Queryables",
            f"What {cid} items can be filtered by",
            "queryables",
            ["json", "html"],
            media=SCHEMA_JSON,
        ),
    }


def _get(
    operation: str,
    summary: str,
    schema: str | None,
    formats: list[str],
    *,
    media: str = "application/json",
    parameters: Iterable[dict[str, Any]] = (),
) -> dict[str, Any]:
    body = {"schema": {"$ref": f"#/components/schemas/{schema}"}} if schema else {"schema": {}}
    content: dict[str, Any] = {media: body}
    if "html" in formats:
        content["text/html"] = {"schema": {"type": "string"}}
    if "csv" in formats:
        content["text/csv"] = {"schema": {"type": "string"}}
    f_parameter = _parameter(format_param(formats), FilterChoices())
    lang_parameter = _parameter(API_LANG, FilterChoices())
    return {
        "get": {
            "operationId": operation,
            "summary": summary,
            "parameters": [*parameters, f_parameter, lang_parameter],
            "responses": {
                "200": {"description": summary, "content": content},
                "400": _problem("A bad or unknown query parameter"),
                "500": _problem("A server error"),
            },
        }
    }


def _problem(description: str) -> dict[str, Any]:
    """An error: problem details, or (asked for with ``f=html``) an HTML page."""
    return {
        "description": description,
        "content": {
            PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/exception"}},
            "text/html": {"schema": {"type": "string"}},
        },
    }


_FEATURE_ID: Final = {
    "name": "featureId",
    "in": "path",
    "required": True,
    "description": "The item's id: a project id (p and 10 hex digits) or a county code.",
    "schema": {"type": "string"},
}

_LINK: Final = {
    "type": "object",
    "required": ["href", "rel"],
    "properties": {
        "href": {"type": "string"},
        "rel": {"type": "string"},
        "type": {"type": "string"},
        "title": {"type": "string"},
    },
}
_LINKS: Final = {"type": "array", "items": {"$ref": "#/components/schemas/link"}}
_SCHEMAS: Final[dict[str, Any]] = {
    "link": _LINK,
    "landingPage": {
        "type": "object",
        "required": ["links"],
        "properties": {
            "title": {"type": "string"},
            "description": {"type": "string"},
            "links": _LINKS,
        },
    },
    "confClasses": {
        "type": "object",
        "required": ["conformsTo"],
        "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}},
    },
    "collection": {
        "type": "object",
        "required": ["id", "links"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "itemType": {"type": "string"},
            "extent": {"type": "object"},
            "links": _LINKS,
        },
    },
    "collections": {
        "type": "object",
        "required": ["links", "collections"],
        "properties": {
            "links": _LINKS,
            "collections": {"type": "array", "items": {"$ref": "#/components/schemas/collection"}},
        },
    },
    "featureGeoJSON": {
        "type": "object",
        "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": "string"},
            "geometry": {"type": "object", "nullable": True},
            "properties": {"type": "object", "nullable": True},
            "links": _LINKS,
        },
    },
    "featureCollectionGeoJSON": {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": {"$ref": "#/components/schemas/featureGeoJSON"}},
            "links": _LINKS,
            "timeStamp": {"type": "string", "format": "date-time"},
            "numberMatched": {"type": "integer", "minimum": 0},
            "numberReturned": {"type": "integer", "minimum": 0},
        },
    },
    "queryables": {
        "type": "object",
        "required": ["$schema", "$id", "type", "properties"],
        "properties": {"type": {"type": "string"}, "properties": {"type": "object"}},
    },
    "exception": {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "required": ["title", "status"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
        },
    },
}
