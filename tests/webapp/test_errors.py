"""One error path that knows its audience, and no input that makes a 500.

Pages answer errors with an HTML page in the reader's language; data routes with RFC 9457
problem details; a 405 says what is allowed. A hand-written fuzz of the map's parameters and
a property-based one find no 500.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layers.filters import FILTER_KEYS
from webapp import create_app
from webapp.state import VIEW_KEYS

PARAMETERS = (*FILTER_KEYS, *VIEW_KEYS)
HOSTILE = [
    "²",
    "9" * 5000,
    "-1",
    "0",
    "1e999",
    "nan",
    "NaN",
    "inf",
    "",
    " ",
    "臺南市%00",
    "\x00",
    "\ud7ff",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "１１０",
    "9999-12-31T23:59:59+14:00",
    "a" * 10_000,
]


@pytest.mark.parametrize("key", PARAMETERS)
@pytest.mark.parametrize("value", HOSTILE)
def test_no_map_parameter_makes_a_500(client: FlaskClient, key: str, value: str) -> None:
    # The downloads parse the query as the markers do (one filter), so these two cover them.
    for path in ("/", "/markers.json"):
        response = client.get(path, query_string={key: value})
        assert response.status_code in (200, 400), (path, key, value[:20], response.status_code)
        if path == "/":
            assert response.mimetype == "text/html"
        elif response.status_code == 400:
            assert response.mimetype == "application/problem+json"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(PARAMETERS), st.text(max_size=30) | st.integers().map(str), max_size=4
    )
)
def test_fuzzed_map_queries_make_no_500(client: FlaskClient, query: dict[str, str]) -> None:
    for path in ("/", "/markers.json", "/county/臺南市"):
        assert client.get(path, query_string=query).status_code in (200, 400)


@pytest.mark.parametrize(
    ("path", "status", "mimetype"),
    [
        ("/no-such-page", 404, "text/html"),
        ("/no-such-page?lang=en", 404, "text/html"),
        ("/project/nope", 404, "text/html"),
        ("/api/no-such-thing", 404, "application/problem+json"),
        ("/api/no-such-thing?f=html", 404, "text/html"),
        ("/api/collections/projects/items?limit=abc", 400, "application/problem+json"),
        ("/api/collections/projects/items?limit=abc&f=html", 400, "text/html"),
        ("/export.xyz", 404, "application/problem+json"),
        # the last and first days there are, seen from Taipei: answered, not overflowed
        ("/api/collections/projects/items?datetime=9999-12-31T23:59:59Z", 200, None),
        ("/api/collections/projects/items?datetime=0001-01-01T00:00:00%2B14:00", 200, None),
    ],
)
def test_errors_speak_the_routes_language(
    client: FlaskClient, path: str, status: int, mimetype: str | None
) -> None:
    response = client.get(path)
    assert response.status_code == status
    if mimetype is not None:
        assert response.mimetype == mimetype
    if response.mimetype == "text/html":
        text = response.get_data(as_text=True)
        assert "<h1>" in text
        assert ('lang="en"' in text) == ("lang=en" in path)


@pytest.mark.parametrize(
    ("method", "path"), [("post", "/"), ("delete", "/api"), ("put", "/export.csv")]
)
def test_405_says_what_is_allowed(client: FlaskClient, method: str, path: str) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}


@pytest.fixture
def broken_app(small_build: Path) -> Flask:
    app = create_app({"TESTING": True, "ATLAS_BUILD": small_build})

    def boom() -> str:
        raise RuntimeError("secret internals /etc/shadow")

    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/api/boom", "api_boom", boom)
    return app


@pytest.mark.parametrize(
    ("path", "mimetype"), [("/boom", "text/html"), ("/api/boom", "application/problem+json")]
)
def test_an_unexpected_error_is_a_500_that_hides_internals(
    broken_app: Flask, path: str, mimetype: str, caplog: pytest.LogCaptureFixture
) -> None:
    response = broken_app.test_client().get(path)
    assert response.status_code == 500
    assert response.mimetype == mimetype
    assert "secret internals" not in response.get_data(as_text=True)
    assert "secret internals" in caplog.text  # the log has it
