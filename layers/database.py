"""The register in PostgreSQL + PostGIS: one shared store for several app servers.

``infra-atlas load --db postgresql://…`` writes a build into the database (:func:`load_build`);
``infra-atlas serve --db …`` serves the live build from it (:class:`Database`). The tables:

``builds``
    One row per loaded build; exactly one is ``live``. A load is one transaction: readers see
    the old build or the new one, never a mix. The build before the live one is kept, so that a
    request begun on it finishes; older ones are deleted (their rows go with them).
``projects``
    One row per project and build, in register order (``ord``): the register's typed fields
    (geometry in EPSG:4326 with a GiST index; county, town, layer, programme, status, year,
    precision and budget columns indexed), the whole feature as JSONB with its ``sources``,
    ``budget_rows`` and ``checks``, and the filter's own columns (``f_*``: the forms
    :class:`layers.columns.RegisterColumns` compares, computed by the same code at load).
``sites``
    Every map point of every project (5 decimals, as the map draws them), with its layer and
    county: what the map's markers are counted and clustered from.
``counties``
    The county polygons the build was served with.
``build_files``
    The build folder's files in parts (the binary register ``projects.arrow``, the build report,
    the history), from which each app server keeps a local copy of the live build.

Every filter is :func:`where`: the filter of :mod:`layers.filters` written as SQL text that
never holds a value, with every value a bound parameter. Its results are
:func:`~layers.filters.apply_filter`'s (a property test holds them equal).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any, Final, LiteralString, Protocol

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import shapely

from geo.datafiles import own_folder
from geo.errors import BuildError, DatabaseError
from layers.filters import ProjectFilter, normalise_text
from layers.packed import PACKED, PackedRegister, load_packed, read_packed

__all__ = [
    "Database",
    "DatabaseRegister",
    "LiveBuild",
    "load_build",
    "where",
]

log = logging.getLogger(__name__)

#: A bbox: west, south, east, north (degrees).
BBox = tuple[float, float, float, float]
#: A period: its first and last day, ``None`` for an open end.
Interval = tuple[date | None, date | None]

#: The build folder's files a server needs, besides the register (which it reads in binary).
_SERVED_FILES: Final = ("build-report.json", "build-report.md", "history.json")
#: The size of one part of a file in ``build_files``.
_PART: Final = 32 << 20
#: The advisory lock that lets one load at a time change the builds.
_LOAD_LOCK: Final = 0x41746C6173  # "Atlas"
#: How far the API's points (6 decimals) may lie from the geometry's: the index's margin.
_ROUNDING: Final = 1e-6

SCHEMA: Final[tuple[LiteralString, ...]] = (
    "CREATE EXTENSION IF NOT EXISTS postgis",
    """CREATE TABLE IF NOT EXISTS builds (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        loaded_at timestamptz NOT NULL DEFAULT now(),
        register_sha256 text NOT NULL,
        projects integer NOT NULL,
        live boolean NOT NULL DEFAULT false
    )""",
    "CREATE UNIQUE INDEX IF NOT EXISTS builds_one_live ON builds (live) WHERE live",
    """CREATE TABLE IF NOT EXISTS projects (
        build bigint NOT NULL REFERENCES builds ON DELETE CASCADE,
        ord integer NOT NULL,
        id text NOT NULL,
        name text,
        layer text,
        status text,
        program text,
        precision integer,
        counties text[] NOT NULL,
        towns text[] NOT NULL,
        budget_year integer,
        period_start text,
        period_end text,
        budget_legal_twd double precision,
        budget_allocated_twd double precision,
        budget_executed_twd double precision,
        geometry geometry(Geometry, 4326),
        feature jsonb NOT NULL,
        sources jsonb GENERATED ALWAYS AS (feature -> 'properties' -> 'sources') STORED,
        budget_rows jsonb GENERATED ALWAYS AS (feature -> 'properties' -> 'budget_rows') STORED,
        checks jsonb GENERATED ALWAYS AS (feature -> 'properties' -> 'checks') STORED,
        f_counties text[] NOT NULL,
        f_towns text[] NOT NULL,
        f_names text[] NOT NULL,
        f_budget_year integer,
        f_start_year integer,
        f_end_year integer,
        f_budget double precision,
        f_site_lon double precision[] NOT NULL,
        f_site_lat double precision[] NOT NULL,
        f_dated boolean NOT NULL,
        f_period_first integer,
        f_period_last integer,
        PRIMARY KEY (build, ord),
        UNIQUE (build, id)
    )""",
    "CREATE INDEX IF NOT EXISTS projects_geometry ON projects USING gist (geometry)",
    "CREATE INDEX IF NOT EXISTS projects_layer ON projects (build, layer)",
    "CREATE INDEX IF NOT EXISTS projects_status ON projects (build, status)",
    "CREATE INDEX IF NOT EXISTS projects_program ON projects (build, program)",
    "CREATE INDEX IF NOT EXISTS projects_precision ON projects (build, precision)",
    "CREATE INDEX IF NOT EXISTS projects_year ON projects (build, f_budget_year)",
    "CREATE INDEX IF NOT EXISTS projects_budget ON projects (build, f_budget)",
    "CREATE INDEX IF NOT EXISTS projects_counties ON projects USING gin (f_counties)",
    "CREATE INDEX IF NOT EXISTS projects_towns ON projects USING gin (f_towns)",
    """CREATE TABLE IF NOT EXISTS sites (
        build bigint NOT NULL REFERENCES builds ON DELETE CASCADE,
        ord integer NOT NULL,
        i integer NOT NULL,
        map_layer text,
        lon double precision NOT NULL,
        lat double precision NOT NULL,
        county text,
        several boolean NOT NULL,
        PRIMARY KEY (build, ord, i)
    )""",
    "CREATE INDEX IF NOT EXISTS sites_lon ON sites (build, lon)",
    """CREATE TABLE IF NOT EXISTS counties (
        build bigint NOT NULL REFERENCES builds ON DELETE CASCADE,
        county_code text NOT NULL,
        county text NOT NULL,
        county_en text,
        geometry geometry(MultiPolygon, 4326) NOT NULL,
        PRIMARY KEY (build, county_code)
    )""",
    """CREATE TABLE IF NOT EXISTS build_files (
        build bigint NOT NULL REFERENCES builds ON DELETE CASCADE,
        name text NOT NULL,
        part integer NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (build, name, part)
    )""",
)

#: The columns :func:`load_build` copies into ``projects``, in order.
_PROJECT_COLUMNS: Final = (
    "build",
    "ord",
    "id",
    "name",
    "layer",
    "status",
    "program",
    "precision",
    "counties",
    "towns",
    "budget_year",
    "period_start",
    "period_end",
    "budget_legal_twd",
    "budget_allocated_twd",
    "budget_executed_twd",
    "geometry",
    "feature",
    "f_counties",
    "f_towns",
    "f_names",
    "f_budget_year",
    "f_start_year",
    "f_end_year",
    "f_budget",
    "f_site_lon",
    "f_site_lat",
    "f_dated",
    "f_period_first",
    "f_period_last",
)


@dataclass(frozen=True)
class LiveBuild:
    """The build the database serves: its id and the SHA-256 of its register."""

    id: int
    register_sha256: str
    projects: int


# --- the filter in SQL ---------------------------------------------------------------------


def where(
    project_filter: ProjectFilter, *, bbox: BBox | None = None, interval: Interval | None = None
) -> tuple[Any, dict[str, Any]]:
    """The conditions of a filter (and the API's bbox and datetime) on ``projects``.

    Returns
    -------
    (psycopg.sql.Composed, dict)
        ``cond AND cond …`` (``TRUE`` for none), whose text holds no value, and the values of
        its named parameters. The conditions are those of
        :meth:`layers.columns.RegisterColumns.mask` and
        :meth:`layers.packed.PackedRegister.in_bbox` / ``in_period``, read the same way.
    """
    from psycopg import sql

    f = project_filter
    parts: list[LiteralString] = []
    params: dict[str, Any] = {}
    if f.layers:
        parts.append("layer = ANY(%(layers)s)")
        params["layers"] = [str(layer) for layer in f.layers]
    if f.status is not None:
        parts.append("status = %(status)s")
        params["status"] = str(f.status)
    if f.program is not None:
        parts.append("program = %(program)s")
        params["program"] = f.program
    if f.precision is not None:
        parts.append("precision = %(precision)s")
        params["precision"] = f.precision
    if f.counties:
        parts.append("f_counties && %(counties)s::text[]")
        params["counties"] = list(f.counties)
    if f.town is not None:
        parts.append("f_towns @> ARRAY[%(town)s::text]")
        params["town"] = f.town
    if f.year is not None:
        parts.append(
            "(f_budget_year = %(year)s"
            " OR (f_start_year IS NOT NULL AND f_end_year IS NOT NULL"
            " AND f_start_year <= %(year)s AND %(year)s <= f_end_year)"
            " OR ((f_start_year IS NULL OR f_end_year IS NULL)"
            " AND (f_start_year = %(year)s OR f_end_year = %(year)s)))"
        )
        params["year"] = f.year
    if f.q:
        query = normalise_text(f.q)
        if "\x00" in query:
            parts.append("FALSE")  # no name holds it (and PostgreSQL text cannot)
        else:
            parts.append("EXISTS (SELECT 1 FROM unnest(f_names) AS n WHERE strpos(n, %(q)s) > 0)")
            params["q"] = query
    if f.budget_min is not None:
        parts.append("f_budget >= %(budget_min)s")
        params["budget_min"] = f.budget_min
    if f.budget_max is not None:
        parts.append("f_budget <= %(budget_max)s")
        params["budget_max"] = f.budget_max
    if bbox is not None:
        parts.append(_bbox_condition(bbox, params))
    if interval is not None:
        parts.append(_period_condition(interval, params))
    text = " AND ".join(parts) if parts else "TRUE"
    return sql.SQL(text), params


def _sites(
    build: int,
    project_filter: ProjectFilter,
    bbox: BBox | None,
    select: LiteralString,
    tail: LiteralString,
    *,
    projects: bool = False,
) -> tuple[Any, dict[str, Any]]:
    """A query over ``s``, the map points (5 decimals) of the projects that pass the filter
    (joined to their projects ``p`` when the filter needs them, or ``projects`` is true). With
    a county filter, a project of several points keeps those of the chosen counties (and those
    no record places); with ``bbox``, the points inside it (edges included; a west edge east of
    the east edge crosses the antimeridian) — :meth:`webapp.mapdata.MarkerPoints.of_selection`
    and :func:`webapp.mapdata.view_markers`, in SQL."""
    from psycopg import sql

    condition, params = where(project_filter)
    parts: list[LiteralString] = []
    if project_filter.counties:
        parts.append("(NOT s.several OR s.county IS NULL OR s.county = ANY(%(site_counties)s))")
        params["site_counties"] = list(project_filter.counties)
    if bbox is not None:
        west, south, east, north = bbox
        params.update(v_west=west, v_south=south, v_east=east, v_north=north)
        parts.append("s.lat >= %(v_south)s AND s.lat <= %(v_north)s")
        if west <= east:
            parts.append("s.lon >= %(v_west)s AND s.lon <= %(v_east)s")
        else:
            parts.append("(s.lon >= %(v_west)s OR s.lon <= %(v_east)s)")
    sites = " AND ".join(parts) if parts else "TRUE"
    join: LiteralString = ""
    if projects or project_filter != ProjectFilter():
        join = " JOIN projects AS p ON p.build = s.build AND p.ord = s.ord"
    query = sql.SQL(
        "{select} FROM sites AS s{join} WHERE s.build = %(build)s AND {condition} AND {sites}{tail}"
    ).format(
        select=sql.SQL(select),
        join=sql.SQL(join),
        condition=condition,
        sites=sql.SQL(sites),
        tail=sql.SQL(tail),
    )
    return query, {**params, "build": build}


def _bbox_condition(bbox: BBox, params: dict[str, Any]) -> LiteralString:
    """A point of the project (the API's, 6 decimals) in the box, edges included; a west edge
    east of the east edge crosses the antimeridian; a south edge north of the north edge bounds
    nothing."""
    west, south, east, north = bbox
    params.update(west=west, south=south, east=east, north=north)
    if west <= east:
        params["margin"] = _ROUNDING
        return (
            "geometry && ST_MakeEnvelope(%(west)s - %(margin)s, %(south)s - %(margin)s,"
            " %(east)s + %(margin)s, %(north)s + %(margin)s, 4326)"
            " AND EXISTS (SELECT 1 FROM unnest(f_site_lon, f_site_lat) AS s(lon, lat)"
            " WHERE s.lat >= %(south)s AND s.lat <= %(north)s"
            " AND s.lon >= %(west)s AND s.lon <= %(east)s)"
        )
    return (
        "EXISTS (SELECT 1 FROM unnest(f_site_lon, f_site_lat) AS s(lon, lat)"
        " WHERE s.lat >= %(south)s AND s.lat <= %(north)s"
        " AND (s.lon >= %(west)s OR s.lon <= %(east)s))"
    )


def _period_condition(interval: Interval, params: dict[str, Any]) -> LiteralString:
    """The project's period meets the interval (``None``: open); a project with no period never
    does, nor does an interval that ends before it starts."""
    first, last = interval
    if first is not None and last is not None and first > last:
        return "FALSE"
    parts: list[LiteralString] = ["f_dated"]
    if first is not None:
        parts.append("(f_period_last IS NULL OR f_period_last >= %(first_day)s)")
        params["first_day"] = first.toordinal()
    if last is not None:
        parts.append("(f_period_first IS NULL OR f_period_first <= %(last_day)s)")
        params["last_day"] = last.toordinal()
    return " AND ".join(parts)


# --- the database the app servers share -----------------------------------------------------


class Database:
    """A connection pool to the shared store, and the queries the app makes of it.

    Every failure to reach the database (down, unreachable, the pool's wait run out) is a
    :class:`~geo.errors.DatabaseError`; the pool replaces broken connections, so the next
    request after the database returns is answered.
    """

    def __init__(self, dsn: str, *, size: int = 4, timeout: float = 5.0) -> None:
        from psycopg_pool import ConnectionPool

        self.dsn = dsn
        self.pool = ConnectionPool(
            dsn,
            min_size=1,
            max_size=size,
            timeout=timeout,
            open=False,
            check=ConnectionPool.check_connection,
            # give up a connection's attempts soon: the next request starts new ones at once,
            # so that the server answers again as soon as the database is back (the pool's own
            # backoff would wait up to minutes)
            reconnect_timeout=2 * timeout,
            kwargs={"connect_timeout": max(1, int(timeout)), "application_name": "infra-atlas"},
            name="infra-atlas",
        )
        self.pool.open(wait=False)

    def close(self) -> None:
        self.pool.close()

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A connection of the pool; a database that cannot be reached is a DatabaseError."""
        import psycopg
        from psycopg_pool import PoolTimeout

        try:
            with self.pool.connection() as conn:
                yield conn
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise DatabaseError(_unreachable(exc)) from exc

    def live(self) -> LiveBuild:
        """The live build.

        Raises
        ------
        DatabaseError
            The database cannot be reached, or holds no live build (nothing loaded yet).
        """
        import psycopg

        try:
            with self.connection() as conn:
                row = conn.execute(
                    "SELECT id, register_sha256, projects FROM builds WHERE live"
                ).fetchone()
        except psycopg.errors.UndefinedTable:
            row = None
        if row is None:
            msg = "the database holds no build: run `infra-atlas load --db …` first"
            raise DatabaseError(msg)
        return LiveBuild(int(row[0]), str(row[1]), int(row[2]))

    def rows(
        self,
        build: int,
        project_filter: ProjectFilter,
        *,
        bbox: BBox | None = None,
        interval: Interval | None = None,
    ) -> npt.NDArray[np.int64]:
        """The register rows (``ord``) of the build that pass the filter, in order."""
        from psycopg import sql

        condition, params = where(project_filter, bbox=bbox, interval=interval)
        # the rows as one bytea of big-endian int4s: 4 bytes a row, read by numpy as they come
        query = sql.SQL(
            "SELECT string_agg(int4send(ord), ''::bytea ORDER BY ord) FROM projects"
            " WHERE build = %(build)s AND {}"
        ).format(condition)
        with self.connection() as conn:
            row = conn.cursor(binary=True).execute(query, {**params, "build": build}).fetchone()
        data = row[0] if row and row[0] is not None else b""
        return np.frombuffer(data, ">i4").astype(np.int64)

    def marker_count(self, build: int, project_filter: ProjectFilter, bbox: BBox | None) -> int:
        """How many map points of the projects that pass the filter lie in ``bbox``."""
        query, params = _sites(build, project_filter, bbox, "SELECT count(*)", "")
        with self.connection() as conn:
            row = conn.execute(query, params).fetchone()
        return int(row[0]) if row else 0

    def marker_rows(
        self, build: int, project_filter: ProjectFilter, bbox: BBox | None
    ) -> list[tuple[str, str | None, int, float, float, str | None]]:
        """The map points in ``bbox`` in register order: (id, layer, precision (0 for none),
        lon, lat, name)."""
        query, params = _sites(
            build,
            project_filter,
            bbox,
            "SELECT p.id, p.layer, coalesce(p.precision, 0), s.lon, s.lat, p.name",
            " ORDER BY s.ord, s.i",
            projects=True,
        )
        with self.connection() as conn:
            return list(conn.execute(query, params))

    def marker_cells(
        self, build: int, project_filter: ProjectFilter, bbox: BBox | None, cell: float
    ) -> list[tuple[str | None, int, int, int, int, int]]:
        """The map points in ``bbox`` counted by layer and grid cell of ``cell`` degrees: (layer,
        column, row, points, sum of lon × 10⁵, sum of lat × 10⁵). The points have 5 decimals,
        so the sums are whole numbers, exact in any order."""
        query, params = _sites(
            build,
            project_filter,
            bbox,
            "SELECT s.map_layer, floor(s.lon / %(cell)s)::bigint, floor(s.lat / %(cell)s)::bigint,"
            " count(*), sum(round(s.lon * 100000)::bigint), sum(round(s.lat * 100000)::bigint)",
            " GROUP BY 1, 2, 3",
        )
        with self.connection() as conn:
            rows = conn.execute(query, {**params, "cell": cell})
            return [
                (layer, int(x), int(y), int(n), int(a), int(b)) for layer, x, y, n, a, b in rows
            ]

    def copy_build(self, build: LiveBuild, folder: Path) -> Path:
        """The build's served files, in ``folder/build-<id>-<sha>`` (kept: a copy already there is
        used as it is, and several servers on a machine share it).

        Raises
        ------
        DatabaseError
            The database cannot be reached, or the build's files are not there (a build removed
            since, by two later loads).
        """
        if not own_folder(folder):
            msg = f"{folder} is not this user's alone: set ATLAS_CACHE to a folder of your own"
            raise DatabaseError(msg)
        target = folder / f"build-{build.id}-{build.register_sha256[:16]}"
        if (target / PACKED).is_file():
            return target
        partial = folder / f".{target.name}.{os.getpid()}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        try:
            with self.connection() as conn:
                names = [
                    str(name)
                    for (name,) in conn.execute(
                        "SELECT DISTINCT name FROM build_files WHERE build = %s", (build.id,)
                    )
                ]
                if PACKED not in names:
                    msg = f"build {build.id} has no files in the database: load it again"
                    raise DatabaseError(msg)
                for name in names:
                    with (partial / name).open("wb") as out:
                        cursor = conn.cursor(binary=True)
                        cursor.execute(
                            "SELECT data FROM build_files WHERE build = %s AND name = %s"
                            " ORDER BY part",
                            (build.id, name),
                        )
                        for (data,) in cursor:
                            out.write(data)
            try:
                partial.rename(target)
            except OSError:
                if not (target / PACKED).is_file():  # not another server's copy: a real failure
                    raise
        finally:
            shutil.rmtree(partial, ignore_errors=True)
        _forget_older(folder, build.id)
        return target


@dataclass(frozen=True, eq=False, kw_only=True)
class DatabaseRegister(PackedRegister):
    """The live build of a database: its rows read from this server's copy of the build's
    binary register, every selection made by the database (:meth:`Database.rows`)."""

    database: Database = field(repr=False)
    #: The build's id in the database.
    build: int
    #: The folder of this server's copy of the build's files.
    folder: Path
    #: The selections made, kept by query (a build never changes): a repeated query does not
    #: ask the database again.
    selections: Remember = field(default_factory=lambda: _Forget(), repr=False)

    @classmethod
    def open(
        cls,
        database: Database,
        build: LiveBuild,
        cache: Path,
        *,
        selections: Remember | None = None,
    ) -> DatabaseRegister:
        """The build's register, its files copied into ``cache`` when not there already.

        Raises
        ------
        DatabaseError
            The database cannot be reached, or has lost the build's files.
        BuildError
            The copy is not the build's register.
        """
        folder = database.copy_build(build, cache)
        packed = read_packed(folder / PACKED, build.register_sha256)
        held = {f.name: getattr(packed, f.name) for f in fields(PackedRegister)}
        return cls(
            **held,
            database=database,
            build=build.id,
            folder=folder,
            selections=selections if selections is not None else _Forget(),
        )

    def mask(
        self,
        project_filter: ProjectFilter,
        *,
        bbox: BBox | None = None,
        interval: Interval | None = None,
    ) -> npt.NDArray[np.bool_]:
        """The database's selection, as a mask of the build's rows (read-only: it may be kept).
        No filter at all is every row, without asking."""
        size = len(self.features)
        if project_filter == ProjectFilter() and bbox is None and interval is None:
            every = np.ones(size, bool)
            every.flags.writeable = False
            return every

        def select() -> npt.NDArray[np.bool_]:
            keep = np.zeros(size, bool)
            keep[self.database.rows(self.build, project_filter, bbox=bbox, interval=interval)] = (
                True
            )
            keep.flags.writeable = False
            return keep

        kept: npt.NDArray[np.bool_] = self.selections.get((project_filter, bbox, interval), select)
        return kept


class Remember(Protocol):
    """A cache: the value kept for a key, or ``make()``'s (``webapp.cache.LRU``)."""

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any: ...


class _Forget:
    """No cache: every value is made again."""

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        return make()


def _forget_older(folder: Path, live: int) -> None:
    """Delete the copies of builds older than the one before ``live`` (a server still reading
    one keeps its open files; the database has deleted those builds)."""
    for old in folder.glob("build-*-*"):
        number = old.name.split("-")[1]
        if number.isdigit() and int(number) < live - 1:
            shutil.rmtree(old, ignore_errors=True)


def _unreachable(exc: BaseException) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"the database cannot be reached: {first}"


# --- loading a build -------------------------------------------------------------------------


def load_build(dsn: str, build_dir: Path, boundaries: Path) -> LiveBuild:
    """Write a build into the database and make it the live one, in one transaction.

    Parameters
    ----------
    dsn
        The database (``postgresql://…``); its tables are made when missing.
    build_dir
        A build folder (``infra-atlas build``), read through its binary register.
    boundaries
        The folder of ``counties.geojson``.

    Raises
    ------
    BuildError
        No readable register in ``build_dir``.
    DatabaseError
        The database cannot be reached or refuses the load (nothing of it is kept).
    """
    import psycopg

    register = load_packed(build_dir)  # made from the GeoJSON there now (else packed again)
    digest = register.digest
    counties_path = boundaries / "counties.geojson"
    if not counties_path.is_file():
        msg = f"boundary file missing: {counties_path}"
        raise BuildError(msg)
    try:
        with psycopg.connect(dsn, connect_timeout=10) as conn, conn.transaction():
            for statement in SCHEMA:
                conn.execute(statement)
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOAD_LOCK,))
            row = conn.execute(
                "INSERT INTO builds (register_sha256, projects) VALUES (%s, %s) RETURNING id",
                (digest, len(register.features)),
            ).fetchone()
            assert row is not None
            build = int(row[0])
            _copy_projects(conn, build, register.table)
            _copy_sites(conn, build, register.table)
            _copy_counties(conn, build, counties_path)
            for name in (PACKED, *_SERVED_FILES):
                if (build_dir / name).is_file():
                    _copy_file(conn, build, name, build_dir / name)
            previous = conn.execute("SELECT id FROM builds WHERE live").fetchone()
            conn.execute("UPDATE builds SET live = false WHERE live")
            conn.execute("UPDATE builds SET live = true WHERE id = %s", (build,))
            kept = [build] + ([int(previous[0])] if previous else [])
            conn.execute("DELETE FROM builds WHERE NOT (id = ANY(%s))", (kept,))
            for table in ("projects", "sites"):  # the planner's figures, for the new rows
                conn.execute(f"ANALYZE {table}")
    except psycopg.OperationalError as exc:
        raise DatabaseError(_unreachable(exc)) from exc
    except psycopg.Error as exc:
        msg = f"the database refused the load: {str(exc).strip()}"
        raise DatabaseError(msg) from exc
    log.info("load: build %d (%d projects) is live", build, len(register.features))
    return LiveBuild(build, digest, len(register.features))


def _copy_projects(conn: Any, build: int, table: pa.Table) -> None:
    """COPY the register's rows into ``projects``, a batch of columns at a time."""
    meta = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
    county_names = json.loads(meta["counties"])
    town_forms = json.loads(meta["towns"])
    precisions = json.loads(meta["codes"])["precision"]
    columns = ", ".join(_PROJECT_COLUMNS)
    offset = 0
    with conn.cursor().copy(f"COPY projects ({columns}) FROM STDIN") as copy:
        for batch in table.to_batches(max_chunksize=50_000):
            for row in _project_rows(batch, build, offset, county_names, town_forms, precisions):
                copy.write_row(row)
            offset += batch.num_rows


def _copy_sites(conn: Any, build: int, table: pa.Table) -> None:
    """COPY every map point (5 decimals) into ``sites``: the project's row, the point's place
    among its points, its layer and county, and whether the project has several."""
    offset = 0
    with conn.cursor().copy(
        "COPY sites (build, ord, i, map_layer, lon, lat, county, several) FROM STDIN"
    ) as copy:
        for batch in table.to_batches(max_chunksize=50_000):
            columns = zip(
                batch.column("layer").to_pylist(),
                batch.column("site_lon").to_pylist(),
                batch.column("site_lat").to_pylist(),
                batch.column("site_county").to_pylist(),
                strict=True,
            )
            for index, (layer, lons, lats, counties) in enumerate(columns):
                several = len(lons) > 1
                for i, (lon, lat, county) in enumerate(zip(lons, lats, counties, strict=True)):
                    copy.write_row((build, offset + index, i + 1, layer, lon, lat, county, several))
            offset += batch.num_rows


def _project_rows(
    batch: pa.RecordBatch,
    build: int,
    offset: int,
    county_names: list[str],
    town_forms: list[str],
    precisions: list[Any],
) -> Iterator[tuple[Any, ...]]:
    def values(name: str) -> list[Any]:
        return batch.column(name).to_pylist()  # type: ignore[no-any-return]

    wkb = np.asarray(batch.column("geometry").to_numpy(zero_copy_only=False), object)
    shapes = shapely.set_srid(shapely.from_wkb(wkb), 4326)
    ewkb = shapely.to_wkb(shapes, hex=True, include_srid=True)
    nan_free = {
        name: [None if v is None or v != v else v for v in values(name)]
        for name in ("budget_legal_twd", "budget_allocated_twd", "budget_executed_twd", "c_budget")
    }
    columns = zip(
        values("id"),
        values("name"),
        values("layer"),
        values("status"),
        values("program"),
        values("c_precision"),
        values("counties"),
        values("towns"),
        values("budget_year"),
        values("period_start"),
        values("period_end"),
        nan_free["budget_legal_twd"],
        nan_free["budget_allocated_twd"],
        nan_free["budget_executed_twd"],
        ewkb,
        values("feature"),
        values("c_counties"),
        values("c_towns"),
        values("c_names"),
        values("c_budget_year"),
        values("c_start_year"),
        values("c_end_year"),
        nan_free["c_budget"],
        values("site_api_lon"),
        values("site_api_lat"),
        values("p_dated"),
        values("p_first"),
        values("p_last"),
        strict=True,
    )
    for index, row in enumerate(columns):
        (fid, name, layer, status, program, precision, counties, towns, year) = row[:9]
        (start, end, legal, allocated, executed, geometry, feature) = row[9:16]
        (f_counties, f_towns, f_names, f_year, f_start, f_end, f_budget) = row[16:23]
        (lon, lat, dated, first, last) = row[23:]
        yield (
            build,
            offset + index,
            fid,
            name,
            layer,
            status,
            program,
            precisions[precision],
            counties,
            towns,
            year,
            start,
            end,
            legal,
            allocated,
            executed,
            geometry,
            feature.decode("utf-8"),
            [county_names[code] for code in f_counties],
            [town_forms[code] for code in f_towns],
            f_names.split("\x00"),
            _known(f_year),
            _known(f_start),
            _known(f_end),
            f_budget,
            lon,
            lat,
            dated,
            _known(first),
            _known(last),
        )


def _known(value: int) -> int | None:
    """A year or day column's value, ``None`` for the columns' -1 (none)."""
    return None if value == -1 else value


def _copy_counties(conn: Any, build: int, path: Path) -> None:
    features = json.loads(path.read_text(encoding="utf-8")).get("features", [])
    with conn.cursor().copy(
        "COPY counties (build, county_code, county, county_en, geometry) FROM STDIN"
    ) as copy:
        for feature in features:
            props = feature.get("properties") or {}
            shape = shapely.set_srid(
                shapely.multipolygons(
                    shapely.get_parts(shapely.geometry.shape(feature["geometry"]))
                )
                if feature["geometry"]["type"] == "Polygon"
                else shapely.geometry.shape(feature["geometry"]),
                4326,
            )
            copy.write_row(
                (
                    build,
                    props.get("county_code"),
                    props.get("county"),
                    props.get("county_en"),
                    shapely.to_wkb(shape, hex=True, include_srid=True),
                )
            )


def _copy_file(conn: Any, build: int, name: str, path: Path) -> None:
    with path.open("rb") as stream:
        part = 0
        while data := stream.read(_PART):
            conn.execute(
                "INSERT INTO build_files (build, name, part, data) VALUES (%s, %s, %s, %s)",
                (build, name, part, data),
            )
            part += 1
