"""OGC API – Features Part 3: queryables and queryables as query parameters, one test per
abstract test (``/conf/queryables/get-queryables-response`` →
``test_queryables_get_queryables_response``)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from layers.filters import apply_filter, parse_filter
from webapp.api_collections import COLLECTION_IDS
from webapp.openapi import QUERYABLE_FIELDS

QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
DICTIONARY = Path(__file__).resolve().parents[2] / "docs" / "data-dictionary.md"
SIMPLE = {"string", "number", "integer", "boolean"}


def schema_of(client: FlaskClient, cid: str) -> dict[str, Any]:
    response = client.get(f"/api/collections/{cid}/queryables")
    assert response.status_code == 200
    assert response.mimetype == "application/schema+json"
    schema: dict[str, Any] = json.loads(response.get_data(as_text=True))
    return schema


@pytest.mark.parametrize("cid", COLLECTION_IDS)
def test_queryables_get_queryables_op(client: FlaskClient, cid: str) -> None:
    """/conf/queryables/get-queryables-op: the collection links to its queryables."""
    collection = client.get(f"/api/collections/{cid}").get_json()
    assert collection is not None
    link = next(link for link in collection["links"] if link["rel"] == QUERYABLES_REL)
    assert link["type"] == "application/schema+json"
    assert link["href"] == f"http://localhost/api/collections/{cid}/queryables"


@pytest.mark.parametrize("cid", COLLECTION_IDS)
def test_queryables_get_queryables_response(client: FlaskClient, cid: str) -> None:
    """/conf/queryables/get-queryables-response: a JSON Schema of an object whose properties
    have types; the geometry has the primary-geometry role."""
    schema = schema_of(client, cid)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"http://localhost/api/collections/{cid}/queryables"
    assert schema["type"] == "object"
    assert schema["title"]
    assert schema["additionalProperties"] is False
    properties = schema["properties"]
    assert properties["geometry"]["x-ogc-role"] == "primary-geometry"
    for name, queryable in properties.items():
        assert queryable["title"], name
        assert queryable["description"], name
        assert name == "geometry" or queryable["type"] in SIMPLE, name
    assert ("layer" in properties) == (cid == "projects")
    assert "county" in properties


def test_queryables_schema_is_valid_json_schema(client: FlaskClient) -> None:
    from jsonschema import Draft202012Validator

    for cid in COLLECTION_IDS:
        Draft202012Validator.check_schema(schema_of(client, cid))


def test_queryables_are_documented_fields() -> None:
    """Each queryable reads a field of docs/data-dictionary.md."""
    documented = set(re.findall(r"`([a-z_0-9]+)`", DICTIONARY.read_text(encoding="utf-8")))
    assert set(QUERYABLE_FIELDS.values()) <= documented


def _sample(queryable: dict[str, Any], features: list[dict[str, Any]], name: str) -> str:
    """A value of the queryable that some feature has."""
    if name == "town":
        return next(town for f in features for town in f["properties"]["towns"])
    if name == "year":
        return "2021"
    values = queryable["enum"]
    present = {str(f["properties"].get(name)) for f in features}
    return next((str(v) for v in values if str(v) in present), str(values[0]))


@pytest.mark.parametrize("cid", COLLECTION_IDS)
def test_queryables_query_parameters(client: FlaskClient, cid: str) -> None:
    """/conf/queryables-query-parameters/parameters: every queryable of a simple type is a
    query parameter of the items, and it filters as the shared filter does."""
    atlas = client.application.extensions["atlas"]
    schema = schema_of(client, cid)
    openapi = client.get("/api/openapi").get_json(force=True)
    declared = {
        p["name"] for p in openapi["paths"][f"/collections/{cid}/items"]["get"]["parameters"]
    }
    layer = [cid] if cid not in ("projects", "counties") else []
    for name, queryable in schema["properties"].items():
        if name == "geometry":
            continue
        assert name in declared
        value = _sample(queryable, list(atlas.features), name)
        response = client.get(f"/api/collections/{cid}/items", query_string={name: value})
        assert response.status_code == 200, (name, value, response.get_data(as_text=True))
        matched = response.get_json(force=True)["numberMatched"]
        if cid == "counties":
            assert matched == 1
            continue
        chosen = parse_filter({"layer": layer, name: value}, choices=atlas.choices)
        assert matched == len(apply_filter(atlas.features, chosen)), (name, value)
