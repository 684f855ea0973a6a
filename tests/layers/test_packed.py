"""The binary register (``projects.arrow``) answers exactly what the GeoJSON register answers.

``layers.packed`` stores the register's features, their encoded bytes and the filter columns in
an Arrow file and reads them back as arrays. On random filters over the real register and the
small one, a packed selection holds the same features in the same order as
``layers.filters.apply_filter``, its totals are ``layers.aggregate``'s to the dollar, its
markers are ``webapp.mapdata.marker_rows``'s and its summary ``summarise``'s; a register edited
after it was packed is packed again.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from layers.aggregate import aggregate_counties
from layers.export import SEEN, export_feature, iter_text, register_digest, seen_register_digest
from layers.filters import FilterChoices, ProjectFilter, apply_filter
from layers.packed import PACKED, PackedRegister, Selection, load_packed, pack, write_packed
from tests.layers.test_columns import _filters
from webapp.mapdata import MarkerPoints, marker_rows, summarise
from webapp.page import town_choices


def _packed(features: list[dict[str, Any]]) -> PackedRegister:
    return PackedRegister.of(pack(features, "test"))  # type: ignore[arg-type]


@pytest.fixture(params=["small", "real"])
def features(
    request: pytest.FixtureRequest, register: dict[str, Any], built_register: dict[str, Any]
) -> list[dict[str, Any]]:
    chosen: list[dict[str, Any]] = (register if request.param == "small" else built_register)[
        "features"
    ]
    return chosen


def test_a_packed_selection_is_the_filter_s(features: list[dict[str, Any]]) -> None:
    packed = _packed(features)

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_filters(features))
    def check(f: ProjectFilter) -> None:
        expected = apply_filter(features, f)  # type: ignore[arg-type]
        found = packed.select(f)
        assert [packed.ids[row] for row in found.rows] == [str(x["id"]) for x in expected]
        assert list(found[:3]) == expected[:3]  # the features themselves, decoded
        assert found == expected
        totals = packed.columns.aggregate(packed.columns.mask(f))
        assert totals == aggregate_counties(expected)
        assert summarise(found) == summarise(list(expected))
        reference = marker_rows(expected, f.counties)
        assert MarkerPoints.of_selection(found, f.counties).marker_rows() == reference

    check()


def test_the_packed_features_are_the_register_s(features: list[dict[str, Any]]) -> None:
    packed = _packed(features)
    assert len(packed.features) == len(features)
    assert list(packed.features) == features
    assert [json.loads(packed.api.raw(i)) for i in range(len(features))] == [
        export_feature(f) for f in features
    ]
    assert packed.by_id[str(features[-1]["id"])] == features[-1]
    assert packed.choices() == FilterChoices.from_features(features)
    towns = [t for f in features for t in f["properties"].get("towns") or ()]
    assert town_choices(packed.town_names()) == town_choices(towns)


def test_the_packed_csv_rows_are_the_export_s(features: list[dict[str, Any]]) -> None:
    packed = _packed(features)
    selection = packed.select(ProjectFilter())
    assert packed.csv_columns is not None  # one layout of properties in these registers
    expected = "".join(iter_text(features, "csv"))
    assert "".join(iter_text(selection, "csv")) == expected
    some = packed.select(ProjectFilter(status="behind"))  # type: ignore[arg-type]
    assert "".join(iter_text(some, "csv")) == "".join(iter_text(list(some), "csv"))


def test_a_register_changed_after_packing_is_packed_again(tmp_path: Path, real_build: Path) -> None:
    build = tmp_path / "build"
    shutil.copytree(real_build, build)
    first = load_packed(build)
    assert (build / PACKED).is_file()
    data = json.loads((build / "projects.geojson").read_text(encoding="utf-8"))
    data["features"].reverse()  # the next edition: same projects, another order
    data["features"][0]["properties"]["name"] = "改名的計畫"
    (build / "projects.geojson").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    (build / "projects.geojson.sha256").unlink(missing_ok=True)
    second = load_packed(build)
    assert second.ids == [str(f["id"]) for f in data["features"]] == first.ids[::-1]
    renamed = second.by_id[str(data["features"][0]["id"])]
    assert renamed["properties"]["name"] == "改名的計畫"
    assert second.names[0] == "改名的計畫"
    digest = register_digest((build / "projects.geojson").read_bytes())
    assert load_packed(build).table.schema.metadata[b"register_sha256"] == digest.encode()


def _trust(register: Path, digest: str) -> None:
    """Record ``digest`` for the register as it is now, written an hour from now (so that only
    what ``stat`` says can tell a change)."""
    (register.parent / SEEN).write_text(json.dumps({"stat": _stat(register), "sha256": digest}))
    later = time.time_ns() + 3600 * 10**9
    os.utime(register.parent / SEEN, ns=(later, later))


def _stat(path: Path) -> list[int]:
    s = path.stat()
    return [s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns]


def test_a_register_s_digest_is_read_again_whenever_the_file_may_have_changed(
    tmp_path: Path, real_build: Path
) -> None:
    """The digest kept beside the register is used while the file is as it was recorded; an
    edit of the same size with its modification time put back, a copy, or a record written as
    the file changed each bring a new reading."""
    build = tmp_path / "build"
    shutil.copytree(real_build, build)
    register = build / "projects.geojson"
    digest = register_digest(register.read_bytes())
    assert seen_register_digest(register) == digest
    assert json.loads((build / SEEN).read_text())["sha256"] == digest
    # the record is what is trusted: a digest it keeps for this very file is given back
    _trust(register, "kept")
    assert seen_register_digest(register) == "kept"
    # one byte changed in place, same size, modification time set back: the change time tells
    data = bytearray(register.read_bytes())
    where = data.index(b'"budget_year": 20') + len(b'"budget_year": 20')
    data[where] = ord("9") if data[where] != ord("9") else ord("8")
    stamp = register.stat().st_mtime_ns
    with register.open("r+b") as stream:
        stream.write(data)
    os.utime(register, ns=(stamp, stamp))
    assert seen_register_digest(register) == register_digest(bytes(data)) != digest
    # a copy is another file, whatever its times
    _trust(register, "kept")
    copy = tmp_path / "copy"
    shutil.copytree(build, copy)
    assert seen_register_digest(copy / "projects.geojson") == register_digest(bytes(data))
    # a record not written after the file's last change cannot vouch for it
    _trust(register, "kept")
    early = register.stat().st_ctime_ns
    os.utime(build / SEEN, ns=(early, early))
    assert seen_register_digest(register) == register_digest(bytes(data))


def test_a_register_s_digest_is_read_when_it_cannot_be_kept(
    tmp_path: Path, real_build: Path
) -> None:
    build = tmp_path / "build"
    shutil.copytree(real_build, build)
    (build / SEEN).unlink(missing_ok=True)
    (build / SEEN).mkdir()  # no file can be written there
    register = build / "projects.geojson"
    assert seen_register_digest(register) == register_digest(register.read_bytes())
    assert load_packed(build).digest == register_digest(register.read_bytes())


def test_a_damaged_binary_register_is_made_again(tmp_path: Path, real_build: Path) -> None:
    build = tmp_path / "build"
    shutil.copytree(real_build, build)
    expected = load_packed(build).ids
    (build / PACKED).write_bytes(b"ARROW1 not really")
    assert load_packed(build).ids == expected


def test_the_packed_geopackage_is_the_export_s(
    features: list[dict[str, Any]], tmp_path: Path, counties_gdf: Any
) -> None:
    """Written from Arrow columns or feature by feature, the GeoPackage holds the same tables,
    field types, rows and geometries."""
    import pyogrio

    from layers.export import export

    packed = _packed(features)
    for f in (ProjectFilter(), ProjectFilter(status="behind")):  # type: ignore[arg-type]
        selection = packed.select(f)
        assert selection.layer_tables() is not None
        fast, slow = tmp_path / "fast.gpkg", tmp_path / "slow.gpkg"
        export(selection, "gpkg", fast, counties_gdf=counties_gdf)
        export(list(selection), "gpkg", slow, counties_gdf=counties_gdf)
        layers = pyogrio.list_layers(slow)
        assert pyogrio.list_layers(fast).tolist() == layers.tolist()
        for name, _ in layers:
            info = pyogrio.read_info(fast, layer=name), pyogrio.read_info(slow, layer=name)
            for key in ("fields", "dtypes", "geometry_type", "features", "crs"):
                assert str(info[0][key]) == str(info[1][key]), (name, key)
            a = pyogrio.read_dataframe(fast, layer=name)
            b = pyogrio.read_dataframe(slow, layer=name)
            assert a.equals(b), name


def test_a_packed_selection_sorts_as_the_table_does(features: list[dict[str, Any]]) -> None:
    """Every sort column, both ways, from the columns: the reference's order, ties in register
    order, projects without a value last."""
    from webapp.mapdata import sort_features
    from webapp.state import SORT_KEYS

    packed = _packed(features)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_filters(features))
    def check(f: ProjectFilter) -> None:
        found = packed.select(f)
        for key in SORT_KEYS:
            for descending in (False, True):
                fast = sort_features(found, key, descending=descending)
                slow = sort_features(list(found), key, descending=descending)
                assert isinstance(fast, Selection), key  # answered by the columns
                assert [packed.ids[r] for r in fast.rows] == [str(x["id"]) for x in slow], key

    check()


def test_a_register_written_in_several_batches_reads_the_same(
    built_register: dict[str, Any], tmp_path: Path
) -> None:
    """A register larger than one batch (over a million projects) is read across batches:
    the same rows, and each site's county code names the same county."""
    import pyarrow as pa

    from layers.filters import ProjectFilter

    features = built_register["features"]
    whole = _packed(features)
    write_packed(pack(features, "test"), tmp_path / PACKED, chunk=50)  # type: ignore[arg-type]
    table = pa.ipc.open_file(pa.memory_map(str(tmp_path / PACKED))).read_all()
    assert table["site_county"].num_chunks > 1
    split = PackedRegister.of(table)
    assert split.ids == whole.ids
    assert list(split.features) == list(whole.features)

    def county_names(register: PackedRegister) -> list[str | None]:
        names = register.site_counties
        return [names[code] if code >= 0 else None for code in register.sites.county]

    assert county_names(split) == county_names(whole)
    for county in ("臺南市", "新北市"):
        f = ProjectFilter(counties=(county,))
        assert (
            MarkerPoints.of_selection(split.select(f), f.counties).marker_rows()
            == MarkerPoints.of_selection(whole.select(f), f.counties).marker_rows()
        )


def test_a_slice_of_the_binary_register_reads_as_the_register_of_its_rows(
    built_register: dict[str, Any],
) -> None:
    """The columns are read from the file's own buffers: a slice of the table (every array
    starting part-way into its buffers and bitmaps, lists part-way into their values) reads as
    the register packed from the same features, filter by filter, total by total, point by
    point, and each point's county code names the county its text column names."""
    features = built_register["features"]
    table = pack(features, "test")  # type: ignore[arg-type]
    start, stop = 13, 13 + len(features) // 2  # 13: not on a byte of a bitmap
    sliced = PackedRegister.of(table.slice(start, stop - start))
    part = _packed(features[start:stop])
    assert sliced.ids == part.ids
    assert list(sliced.placed) == list(part.placed)
    for key in ("legal", "allocated", "executed"):
        for mine, theirs in zip(sliced.columns.money[key], part.columns.money[key], strict=True):
            assert mine.tolist() == theirs.tolist(), key
    assert any(not present.all() for _, present in part.columns.money.values())  # nulls read
    for f in [ProjectFilter(), *(ProjectFilter(counties=(c,)) for c in ("臺南市", "新北市"))]:
        assert list(sliced.select(f)) == list(part.select(f))
        assert sliced.columns.aggregate(sliced.mask(f)) == part.columns.aggregate(part.mask(f))
    for name in ("lon", "lat", "api_lon", "api_lat", "feature", "shared"):
        assert getattr(sliced.sites, name).tolist() == getattr(part.sites, name).tolist(), name
    names = [None if code < 0 else sliced.site_counties[code] for code in sliced.sites.county]
    in_text = table.slice(start, stop - start)["site_county"].to_pylist()
    assert names == [county for counties in in_text for county in counties]
    assert len(set(names)) > 2


def test_a_selection_kept_by_a_mask_pages_as_its_rows_do(built_register: dict[str, Any]) -> None:
    """A selection made from a mask finds a page from the start by reading the mask only as
    far as the page reaches (``Selection(..., keep=mask)``): every slice, length and row is the
    listed rows', across the blocks it reads, for a mask keeping some, all and none."""
    import numpy as np

    from layers.packed import _first_rows

    packed = _packed(built_register["features"])
    size = len(packed.features)
    some = packed.mask(ProjectFilter(counties=("臺南市", "新北市")))
    for keep in (some, np.ones(size, bool), np.zeros(size, bool)):
        listed = Selection(packed, np.flatnonzero(keep))
        for bounds in [(0, 10), (3, 7), (0, size + 5), (size, size + 9), (9, 4), (None, 5)]:
            start, stop = bounds
            kept = Selection(packed, keep=keep)
            assert kept[start:stop].rows.tolist() == listed[start:stop].rows.tolist(), bounds
        kept = Selection(packed, keep=keep)
        assert len(kept) == len(listed)
        for index in (slice(-5, None), slice(2, None), slice(0, 20, 3)):
            assert kept[index].rows.tolist() == listed[index].rows.tolist(), index
        assert kept == listed
        assert list(kept[:4]) == list(listed[:4])
    for block in (1, 2, 7, 1 << 12):
        assert _first_rows(some, 25, block=block).tolist() == np.flatnonzero(some)[:25].tolist()


def test_a_copy_of_another_layout_is_refused_saying_so(
    built_register: dict[str, Any], tmp_path: Path
) -> None:
    """A database's copy of a build written by an older version (another layout) cannot be
    packed again (the database keeps no GeoJSON): it is refused, naming both layouts, and
    asking for the build to be loaded again; a copy of another register is refused too."""
    from geo.errors import BuildError
    from layers.packed import read_packed

    table = pack(built_register["features"], "abc")  # type: ignore[arg-type]
    write_packed(table, tmp_path / PACKED)
    assert len(read_packed(tmp_path / PACKED, "abc").features) == len(built_register["features"])
    with pytest.raises(BuildError, match="not the binary register of other: load the build"):
        read_packed(tmp_path / PACKED, "other")
    older = {**(table.schema.metadata or {}), b"infra_atlas_layout": b"3"}
    write_packed(table.replace_schema_metadata(older), tmp_path / PACKED)
    with pytest.raises(BuildError, match=r"of layout 3 \(this version reads \d+\): load the"):
        read_packed(tmp_path / PACKED, "abc")
