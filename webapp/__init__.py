"""The web app: the map, its table and county pages, the exports and the OGC API.

:func:`create_app` is the application factory; ``infra-atlas serve`` runs it under waitress.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Make the app for one build.

    Parameters
    ----------
    config
        Settings over the defaults and the environment (:mod:`webapp.config`), e.g.
        ``{"ATLAS_BUILD": path}``; Flask's own keys (``TESTING``) pass through.

    Raises
    ------
    BuildError
        The build folder holds no readable register.
    DatabaseError
        With ``ATLAS_DATABASE``: the database cannot be reached or holds no build.
    """
    # The app's modules (Flask, folium, the register's columns) are imported here, not with the
    # package: the command line (webapp.cli) starts without them, in 0.2 s rather than 1.4 s.
    from flask import Flask

    from webapp import views
    from webapp.api import api
    from webapp.compress import register_compression
    from webapp.config import load_config
    from webapp.heavy import HeavyWork
    from webapp.problems import register_problem_handlers
    from webapp.security import register_security_headers
    from webapp.store import Atlas

    app = Flask(__name__)
    app.config.update(load_config(config))
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    _keep_compiled_templates(app)
    if app.config["ATLAS_DATABASE"]:
        _serve_database(app)
    else:
        app.extensions["atlas"] = Atlas.load(
            app.config["ATLAS_BUILD"], app.config["ATLAS_BOUNDARIES"]
        )
    app.extensions["atlas_heavy"] = HeavyWork.from_config(app.config)
    register_problem_handlers(app)
    register_security_headers(app)
    register_compression(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api)
    return app


def _keep_compiled_templates(app: Flask) -> None:
    """Keep the compiled templates in ``ATLAS_CACHE/templates``, so that the first page after a
    start does not compile them again (a tenth of a second). Jinja compares each with its
    source before using it. A folder other users could write to is not used."""
    from geo.datafiles import own_folder
    from webapp.templates_cache import TemplateCache

    cache = app.config["ATLAS_CACHE"]
    folder = cache / "templates"
    try:
        usable = own_folder(cache) and own_folder(folder)
    except OSError as exc:
        app.logger.warning("templates are compiled at each start: %s", exc)
        return
    if not usable:
        app.logger.warning(
            "templates are compiled at each start: %s is not this user's alone", folder
        )
        return
    app.jinja_env.bytecode_cache = TemplateCache(folder, app.logger)


def _serve_database(app: Flask) -> None:
    """Serve the live build of the database: each request asks which build is live (and a
    database that cannot be reached is a 503, until it can be again)."""
    from flask import g, request

    from layers.database import Database
    from webapp.store import LiveAtlas

    config = app.config
    database = Database(
        config["ATLAS_DATABASE"], size=config["ATLAS_DB_POOL"], timeout=config["ATLAS_DB_TIMEOUT"]
    )
    live = LiveAtlas(database, config["ATLAS_CACHE"], config["ATLAS_BOUNDARIES"])
    app.extensions["atlas_live"] = live
    try:
        app.extensions["atlas"] = live.current()
    except BaseException:
        database.close()  # its connections and threads, now: no app will use them
        raise

    @app.before_request
    def live_build() -> None:
        if request.endpoint != "static":
            g.atlas = live.current()
