"""One error path that knows its audience.

A data route (the API, downloads, marker and boundary data) answers an error with RFC 9457
problem details (``application/problem+json``); a page route (the map, county and project
pages, and the API's pages asked for with ``f=html``) with an HTML page in the reader's
language. A :class:`~geo.errors.FilterError` is a 400 naming the parameter's wrong value, an
HTTP error keeps its status and headers (``Allow`` on a 405), and anything unexpected is a 500
whose body hides the internals (the traceback goes to the log). A database that cannot be
reached (``serve --db``) is a 503 with Retry-After, its cause in the log only.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, json, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from geo.errors import DatabaseError, FilterError
from webapp.i18n import lang_or_default, strings

__all__ = ["PROBLEM_JSON", "problem", "register_problem_handlers", "wants_html"]

PROBLEM_JSON = "application/problem+json"
#: Paths whose answers are data, not pages.
_DATA_PREFIXES = ("/api", "/export.", "/markers.json", "/boundaries/", "/static/", "/feed")

log = logging.getLogger(__name__)


def problem(status: int, title: str, detail: str, **extra: Any) -> Response:
    """A problem-details response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)


def wants_html() -> bool:
    """Whether the request is for a page: a page route, or an API page (``f=html``)."""
    if request.path.startswith("/api"):
        return request.args.get("f") == "html"
    return not request.path.startswith(_DATA_PREFIXES) and not request.path.endswith("/popup")


def register_problem_handlers(app: Flask) -> None:
    """Answer every error in the form its route speaks (see the module docstring).

    Pages that render HTML handle their own :class:`FilterError` (they show the message in the
    page with the form); these handlers are the fallback for everything else.
    """

    @app.errorhandler(FilterError)
    def bad_filter(error: FilterError) -> Response:
        return _answer(400, "Bad Request", str(error))

    @app.errorhandler(DatabaseError)
    def database_down(error: DatabaseError) -> Response:
        log.error("%s %s: %s", request.method, request.full_path, error)
        response = _answer(
            503, "Service Unavailable", "the database is unavailable: try again in a moment"
        )
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        response = _answer(status, error.name, error.description or error.name)
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value  # Allow on a 405
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.full_path)
        server = InternalServerError()
        return _answer(500, server.name, "the server could not answer this request")


def _answer(status: int, title: str, detail: str) -> Response:
    if not wants_html():
        return problem(status, title, detail)
    lang = lang_or_default(request.args.get("lang"))
    words = strings(lang)
    heading = words.get(f"error_{status}", words["error_other"])
    html = render_template("map/error.html", _=words, lang=lang, heading=heading, status=status)
    return Response(html, status=status, mimetype="text/html")
