"""The ``infra-atlas`` command: build, geocode, export and serve."""

from __future__ import annotations

import gc
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["main"]

DEFAULT_SOURCES = Path("data/sources")
DEFAULT_BUILD = Path("data/build")


@click.group()
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary and errors.")
def main(quiet: bool) -> None:
    """Taiwan Infrastructure Atlas: MOEA reports as a map of projects."""
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("pyogrio").setLevel(logging.WARNING)  # "Created N records" per table


@main.command()
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_SOURCES,
    show_default=True,
    help="Folder of source documents (*.txt).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_BUILD,
    show_default=True,
    help="Folder to write projects.geojson and the build report into.",
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Replace a register that has projects even if this build finds none.",
)
def build(sources: Path, out: Path, allow_empty: bool) -> None:
    """Build the project register from the source documents.

    The register and the report are replaced whole, at once: a reader never sees a part, and
    a failed or stopped build leaves the previous register as it was.
    """
    from geo.errors import BuildError
    from layers.build import build as run_build
    from layers.build import check_writable, write_build

    if not sources.is_dir():
        raise click.UsageError(f"sources folder not found: {sources}")
    try:
        check_writable(out)  # before the build runs, not after
        result = run_build(sources)
        for report in result.reports:
            if report.kind is None or report.records == 0:
                why = "not recognised" if report.kind is None else "no record read"
                click.echo(f"warning: {report.document}: {why}", err=True)
        written = write_build(result, out, allow_empty=allow_empty)
    except BuildError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    problems = sum(len(report.problems) for report in result.reports)
    click.echo(
        f"built {len(result.projects)} projects from {len(result.reports)} documents "
        f"in {result.seconds:.1f} s ({problems} problems reported) -> {written[0]}"
    )
    for _name, error in result.unreadable:
        click.echo(f"error: {error}", err=True)
    if not result.ok:
        sys.exit(1)


@main.command()
@click.argument("text")
def geocode(text: str) -> None:
    """Print, as JSON, every place TEXT names: county, town, precision, lon, lat, matched text.

    Exits with status 1 when the text names no place.
    """
    import json

    from geo.geocode import geocode as run_geocode

    result = run_geocode(text)
    data = result.to_dict()
    if not result.places and not result.served:
        data["error"] = "the text names no known place"
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        sys.exit(1)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


DEFAULT_BOUNDARIES = Path("data/boundaries/counties.geojson")
EXPORT_FORMATS = ("geojson", "gpkg", "csv")  # layers.export.EXPORT_FORMATS, kept lazy


def _filter_options(command: Callable[..., None]) -> Callable[..., None]:
    """One option per filter parameter (:data:`layers.params.FILTER_PARAMS`): ``--layer``,
    ``--county`` … ``--budget-max``; a single-valued one given twice is refused by the
    filter, with its message."""
    from layers.params import FILTER_PARAMS, Choice

    for param in reversed(FILTER_PARAMS):
        codes = f" ({param.kind.expects.en})" if isinstance(param.kind, Choice) else ""
        option = click.option(
            f"--{param.key.replace('_', '-')}",
            param.key,
            multiple=True,
            help=f"{param.title.en}: {param.description}{codes}".replace("`", ""),
        )
        command = option(command)
    return command


@main.command("export")
@click.option(
    "--build",
    "build_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_BUILD,
    show_default=True,
    help="Build folder holding projects.geojson.",
)
@_filter_options
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="Export format."
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write; standard output when left out (not for gpkg).",
)
@click.option(
    "--boundaries",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"County polygons for the gpkg aggregates [default: {DEFAULT_BOUNDARIES}, if there].",
)
def export(
    build_dir: Path, fmt: str, out: Path | None, boundaries: Path | None, **options: Any
) -> None:
    """Export the projects that pass a filter as GeoJSON, GeoPackage or CSV (no row cap)."""
    from geo.errors import AtlasError
    from layers.export import ExportFormat
    from layers.export import export as run_export
    from layers.filters import parse_filter
    from layers.packed import load_packed

    if fmt == "gpkg" and out is None:
        raise click.UsageError("--format gpkg writes a binary file: give --out FILE")
    try:
        register = load_packed(build_dir)  # the binary register: a mask selects, rows write
        project_filter = parse_filter(_filter_params(options), choices=register.choices())
        chosen = register.select(project_filter)
        counties_gdf = _counties(boundaries) if fmt == "gpkg" else None
        target = out if out is not None else click.get_text_stream("stdout")
        count = run_export(chosen, cast(ExportFormat, fmt), target, counties_gdf=counties_gdf)
    except AtlasError as exc:
        raise click.UsageError(str(exc)) from exc
    placed = int(register.placed[chosen.rows].sum())
    click.echo(
        f"exported {count} of {len(register.features)} projects ({placed} placed) as {fmt} "
        f"-> {out or 'standard output'}",
        err=True,
    )


def _filter_params(options: dict[str, Any]) -> dict[str, str | list[str]]:
    """Click's options as the query parameters :func:`layers.filters.parse_filter` reads."""
    from layers.params import FILTER_KEYS

    return {key: list(options[key]) for key in FILTER_KEYS if options.get(key)}


def _counties(boundaries: Path | None) -> Any:
    """The county polygons for the aggregate tables, or ``None`` when there are none yet."""
    from layers.export import read_counties

    if boundaries is None:
        if not DEFAULT_BOUNDARIES.exists():
            logging.getLogger(__name__).info("export: no %s, no county tables", DEFAULT_BOUNDARIES)
            return None
        boundaries = DEFAULT_BOUNDARIES
    return read_counties(boundaries)


@main.command()
@click.option(
    "--db",
    "dsn",
    required=True,
    help="The PostgreSQL + PostGIS database, postgresql://user@host/name (libpq's forms).",
)
@click.option(
    "--build",
    "build_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_BUILD,
    show_default=True,
    help="Build folder to load.",
)
@click.option(
    "--boundaries",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_BOUNDARIES.parent,
    show_default=True,
    help="Folder of counties.geojson.",
)
def load(dsn: str, build_dir: Path, boundaries: Path) -> None:
    """Load a build into PostGIS and make it the live one, in one transaction.

    Servers started with `serve --db` on the same database serve it from their next request.
    """
    from geo.errors import AtlasError
    from layers.database import load_build

    try:
        live = load_build(dsn, build_dir, boundaries)
    except AtlasError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"loaded {live.projects} projects from {build_dir}: build {live.id} is live", err=True
    )


@main.command()
@click.option(
    "--build",
    "build_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_BUILD,
    show_default=True,
    help="Build folder to serve; the default one is built first if it holds no register.",
)
@click.option(
    "--db",
    "dsn",
    default=None,
    help="Serve the live build of this PostGIS database (`infra-atlas load`) instead of a "
    "build folder [default: ATLAS_DATABASE or none].",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--tiles",
    default=None,
    help="Basemaps to offer: osm, nlsc, both (osm,nlsc) or none [default: ATLAS_TILES or none].",
)
@click.option(
    "--offline/--online",
    default=None,
    help="Offline turns every tile layer off [default: ATLAS_OFFLINE or offline].",
)
@click.option("--threads", type=int, help="Worker threads [default: ATLAS_THREADS or 8].")
@click.option(
    "--connection-limit",
    type=int,
    help="Open connections kept, idle ones included [default: ATLAS_CONNECTION_LIMIT or 1000].",
)
@click.option(
    "--channel-timeout",
    type=int,
    help="Seconds an idle connection is kept [default: ATLAS_CHANNEL_TIMEOUT or 30].",
)
@click.option(
    "--export-slots",
    type=int,
    help="Downloads and large pages made at once [default: ATLAS_EXPORT_SLOTS or 2].",
)
def serve(
    build_dir: Path,
    dsn: str | None,
    host: str,
    port: int,
    tiles: str | None,
    offline: bool | None,
    threads: int | None,
    connection_limit: int | None,
    channel_timeout: int | None,
    export_slots: int | None,
) -> None:
    """Serve the web map, its table, exports and OGC API with waitress."""
    import waitress

    from geo.errors import AtlasError
    from webapp import create_app

    if dsn is None and not (build_dir / "projects.geojson").exists() and build_dir == DEFAULT_BUILD:
        click.echo(f"no register in {build_dir}: building it from {DEFAULT_SOURCES}", err=True)
        from layers.build import build as run_build
        from layers.build import write_build

        write_build(run_build(DEFAULT_SOURCES), build_dir)
    settings: dict[str, Any] = {"ATLAS_BUILD": build_dir}
    if dsn is not None:
        settings["ATLAS_DATABASE"] = dsn
    if tiles is not None:
        settings["ATLAS_TILES"] = tiles
    if offline is not None:
        settings["ATLAS_OFFLINE"] = offline
    given = {
        "ATLAS_THREADS": threads,
        "ATLAS_CONNECTION_LIMIT": connection_limit,
        "ATLAS_CHANNEL_TIMEOUT": channel_timeout,
        "ATLAS_EXPORT_SLOTS": export_slots,
    }
    settings |= {key: value for key, value in given.items() if value is not None}
    # Starting makes objects that live as long as the server (modules, the register): the
    # collector walking them again and again while they are made took a fifth of the start-up.
    # It is switched back on once the first pages are ready (_prepare), the start frozen.
    gc.disable()
    try:
        app = create_app(settings)
    except (AtlasError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc
    threading.Thread(target=_prepare, args=(app,), name="prepare", daemon=True).start()
    count = len(app.extensions["atlas"].features)
    origin = "the database" if app.config["ATLAS_DATABASE"] else build_dir
    click.echo(f"serving {count} projects from {origin} on http://{host}:{port}/", err=True)
    config = app.config
    waitress.serve(
        app,
        host=host,
        port=port,
        threads=config["ATLAS_THREADS"],
        connection_limit=config["ATLAS_CONNECTION_LIMIT"],
        channel_timeout=config["ATLAS_CHANNEL_TIMEOUT"],
        asyncore_use_poll=True,  # poll(), not select(): more than 1,024 open connections
        ident="infra-atlas",
    )


def _prepare(app: Flask) -> None:
    """Make what the first visitors ask for while the server already answers: the API's
    collections (a few tenths of a second), then the national map page most visitors open (its
    imports, folium with pandas, are half a second). A request that needs either first waits
    for the same work."""
    client = app.test_client()
    try:
        client.get("/api/collections")
        client.get("/")
    finally:
        gc.freeze()  # what start-up made is never walked again
        gc.enable()
