"""Errors as RFC 9457 problem details (``application/problem+json``).

Domain errors (:mod:`geo.errors`) carry no HTTP status; :func:`register_problem_handlers` maps
them: a :class:`~geo.errors.FilterError` is a 400 naming the parameter's wrong value, an HTTP
error keeps its status, anything else is a 500 whose detail hides the internals.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, json
from werkzeug.exceptions import HTTPException

from geo.errors import FilterError

__all__ = ["PROBLEM_JSON", "problem", "register_problem_handlers"]

PROBLEM_JSON = "application/problem+json"


def problem(status: int, title: str, detail: str, **extra: Any) -> Response:
    """A problem-details response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)


def register_problem_handlers(app: Flask) -> None:
    """Answer errors of the JSON endpoints with problem details.

    Pages that render HTML handle their own :class:`FilterError` (they show the message in the
    page); these handlers are the fallback for everything else.
    """

    @app.errorhandler(FilterError)
    def bad_filter(error: FilterError) -> Response:
        return problem(400, "Bad Request", str(error))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        return problem(status, error.name, error.description or error.name)
