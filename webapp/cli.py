"""The ``infra-atlas`` command: build, and later serve, export and geocode."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

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
def build(sources: Path, out: Path) -> None:
    """Build the project register from the source documents."""
    from layers.build import build as run_build
    from layers.build import write_build

    if not sources.is_dir():
        raise click.UsageError(f"sources folder not found: {sources}")
    result = run_build(sources)
    written = write_build(result, out)
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
