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

from geo.counties import COUNTY_NAMES
from layers.classify import Layer
from layers.filters import PRECISION_CODES, FilterChoices
from layers.status import Status
from webapp.api_collections import Catalogue, FeatureCollection
from webapp.api_query import DEFAULT_LIMIT, MAX_LIMIT
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

#: Queryable → the register field it reads (``docs/data-dictionary.md``).
QUERYABLE_FIELDS: Final[dict[str, str]] = {
    "layer": "layer",
    "county": "counties",
    "town": "towns",
    "program": "program",
    "status": "status",
    "year": "budget_year",
    "precision": "precision",
    "geometry": "geometry",
}

_DESCRIPTIONS: Final[dict[str, tuple[str, str]]] = {
    "layer": (
        "Map layer",
        "The project's main map layer (`layer`), decided by the keyword rules of "
        "layers/classify.py. Repeat the parameter for several.",
    ),
    "county": (
        "County",
        "A county the project lies in (`counties`), official 臺 name; 台 forms are accepted. "
        "A project spanning several counties matches each. Repeat the parameter for several.",
    ),
    "town": (
        "Town",
        "A town the project lies in (`towns`), as `臺南市 新營區` or the bare `新營區`.",
    ),
    "program": ("Programme", "The 前瞻基礎建設 programme (`program`), e.g. 水環境建設."),
    "status": (
        "Status",
        "Where the project stands (`status`), derived from the progress figures by one rule.",
    ),
    "year": (
        "Year",
        "The budget year (`budget_year`) or any year the project period covers; a year below "
        "1912 is read as a Republic of China year (110 = 2021).",
    ),
    "precision": (
        "Location precision",
        "IATI geographical precision (`precision`): "
        + ", ".join(f"{code} {meaning}" for code, meaning in PRECISION_CODES.items())
        + ".",
    ),
}
#: The county of a row of the ``counties`` collection.
_COUNTY_ROW: Final = (
    "County",
    "The county of the row (`county`), official 臺 name; 台 forms are accepted. Repeat the "
    "parameter for several.",
)
#: After a project filter parameter's description, in the ``counties`` collection.
_TOTALLED: Final = " The rows total only the projects that match."
_EXTRA_PARAMETERS: Final[dict[str, dict[str, Any]]] = {
    "q": {
        "description": "Text in the project name or its aliases; 台/臺, width and case ignored.",
        "schema": {"type": "string"},
    },
    "budget_min": {
        "description": "Lowest latest legal budget (`budget_legal_twd`, NT$, inclusive).",
        "schema": {"type": "integer", "minimum": 0},
    },
    "budget_max": {
        "description": "Highest latest legal budget (`budget_legal_twd`, NT$, inclusive).",
        "schema": {"type": "integer", "minimum": 0},
    },
}


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
        if key in _DESCRIPTIONS
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
    title, description = _describe(key, counties=counties)
    return {"title": title, "description": description, **_schema(key, choices)}


def _describe(key: str, *, counties: bool) -> tuple[str, str]:
    """A filter key's title and description, as a parameter of projects or of county rows."""
    if counties and key == "county":
        return _COUNTY_ROW
    title, description = _DESCRIPTIONS[key]
    return title, description + (_TOTALLED if counties else "")


def _schema(key: str, choices: FilterChoices) -> dict[str, Any]:
    schemas: dict[str, dict[str, Any]] = {
        "layer": {"type": "string", "enum": [layer.value for layer in Layer]},
        "county": {"type": "string", "enum": list(choices.counties or COUNTY_NAMES)},
        "town": {"type": "string", **({"enum": sorted(choices.towns)} if choices.towns else {})},
        "program": {
            "type": "string",
            **({"enum": list(choices.programs)} if choices.programs else {}),
        },
        "status": {"type": "string", "enum": [status.value for status in Status]},
        # a Gregorian year, or an ROC one (民國 110 is 2021) up to the same 2200
        "year": {
            "type": "integer",
            "oneOf": [{"minimum": 1, "maximum": 289}, {"minimum": 1912, "maximum": 2200}],
        },
        "precision": {"type": "integer", "enum": list(PRECISION_CODES)},
    }
    return schemas[key]


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
    filters = [_filter_parameter(key, choices, counties=counties) for key in collection.filter_keys]
    items = _get(
        f"get{name}Features",
        f"The {cid} items: paged, filtered"
        + ("; project filter parameters choose the projects the rows total" if counties else ""),
        "featureCollectionGeoJSON",
        ["json", "html", "csv"],
        media=GEOJSON,
        parameters=[_LIMIT, _OFFSET, _BBOX, _DATETIME, *filters],
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
    f_parameter = {
        "name": "f",
        "in": "query",
        "required": False,
        "description": "The format, overriding the Accept header.",
        "schema": {"type": "string", "enum": formats},
    }
    return {
        "get": {
            "operationId": operation,
            "summary": summary,
            "parameters": [*parameters, f_parameter],
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


def _filter_parameter(key: str, choices: FilterChoices, *, counties: bool) -> dict[str, Any]:
    if key in _EXTRA_PARAMETERS:
        extra = _EXTRA_PARAMETERS[key]
        description = extra["description"] + (_TOTALLED if counties else "")
        return {"name": key, "in": "query", "required": False, **extra, "description": description}
    title, description = _describe(key, counties=counties)
    schema = _schema(key, choices)
    repeatable = key in {"layer", "county"}
    return {
        "name": key,
        "in": "query",
        "required": False,
        "description": f"{title}: {description}",
        "schema": {"type": "array", "items": schema} if repeatable else schema,
        "style": "form",
        "explode": True,
    }


_LIMIT: Final = {
    "name": "limit",
    "in": "query",
    "required": False,
    "description": f"Items per page; a value above {MAX_LIMIT} is capped.",
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    "style": "form",
    "explode": False,
}
_OFFSET: Final = {
    "name": "offset",
    "in": "query",
    "required": False,
    "description": "How many matching items to skip (the next and prev links page with it).",
    "schema": {"type": "integer", "minimum": 0, "default": 0},
}
_BBOX: Final = {
    "name": "bbox",
    "in": "query",
    "required": False,
    "description": "minlon,minlat,maxlon,maxlat (CRS84), or six numbers with heights. Items "
    "with no geometry never match.",
    "schema": {
        "type": "array",
        "oneOf": [{"minItems": 4, "maxItems": 4}, {"minItems": 6, "maxItems": 6}],
        "items": {"type": "number"},
    },
    "style": "form",
    "explode": False,
}
_DATETIME: Final = {
    "name": "datetime",
    "in": "query",
    "required": False,
    "description": "An instant or an interval (2020-01-01/2021-12-31, ../2021-12-31, "
    "2020-01-01/..) against the project period (period_start to period_end), by day in "
    "Taiwan time. Items with no period never match.",
    "schema": {"type": "string"},
    "style": "form",
    "explode": False,
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
