"""The heavy-work gate: a few slots, a bounded wait (then 503 with Retry-After), a cache."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.exceptions import ServiceUnavailable

from webapp import create_app
from webapp.config import load_config
from webapp.heavy import HeavyWork, Sending


def test_at_most_the_slots_run_at_once() -> None:
    gate = HeavyWork(slots=2, wait=5, cache_bytes=0)
    running, most = [0], [0]
    lock = threading.Lock()

    def make() -> bytes:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return b"x"

    threads = [threading.Thread(target=gate.answer, args=(None, make)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 2


def test_a_request_that_waits_too_long_is_told_to_retry() -> None:
    gate = HeavyWork(slots=1, wait=0.05, cache_bytes=0)
    started = threading.Event()
    release = threading.Event()

    def slow() -> bytes:
        started.set()
        release.wait(5)
        return b"slow"

    holder = threading.Thread(target=gate.answer, args=(None, slow))
    holder.start()
    started.wait(5)
    with pytest.raises(ServiceUnavailable) as raised:
        gate.answer(None, lambda: b"fast")
    release.set()
    holder.join()
    assert dict(raised.value.get_headers())["Retry-After"] == "10"


def test_repeated_answers_come_from_the_cache_within_its_size() -> None:
    gate = HeavyWork(slots=1, wait=1, cache_bytes=10)
    made: list[str] = []

    def make(text: str) -> bytes:
        made.append(text)
        return text.encode()

    assert gate.answer("a", lambda: make("aaaa")) == b"aaaa"
    assert gate.answer("a", lambda: make("other")) == b"aaaa"
    gate.answer("b", lambda: make("bbbbbb"))
    gate.answer("c", lambda: make("cccccc"))  # 16 bytes > 10: the oldest goes
    gate.answer("a", lambda: make("aaaa"))
    assert made == ["aaaa", "bbbbbb", "cccccc", "aaaa"]
    gate.answer(None, lambda: make("never kept"))
    gate.answer(None, lambda: make("never kept"))
    assert made.count("never kept") == 2


def test_a_busy_download_is_a_503_problem(small_build: Path) -> None:
    app = create_app({"TESTING": True, "ATLAS_BUILD": small_build, "ATLAS_EXPORT_WAIT": 0})
    client = app.test_client()
    gate = HeavyWork(slots=1, wait=0, cache_bytes=0)
    app.extensions["atlas_heavy"] = gate
    gate._slots.acquire()  # every slot taken
    response = client.get("/export.csv")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "10"
    gate._slots.release()
    assert client.get("/export.csv").status_code == 200


@pytest.mark.parametrize(
    ("key", "value"),
    [("ATLAS_THREADS", "0"), ("ATLAS_CONNECTION_LIMIT", "many"), ("ATLAS_EXPORT_SLOTS", "-1")],
)
def test_bad_serving_settings_are_refused(key: str, value: str) -> None:
    with pytest.raises(ValueError, match=key):
        load_config({key: value})


def _streaming_app(build: Path) -> Flask:
    """The app of ``build`` with one download slot and no wait for it, which streams every
    download of more than 10 projects."""
    return create_app(
        {
            "TESTING": True,
            "ATLAS_BUILD": build,
            "ATLAS_STREAM_ABOVE": 10,
            "ATLAS_EXPORT_SLOTS": 1,
            "ATLAS_EXPORT_WAIT": 0,
        }
    )


def test_a_big_download_is_streamed_in_a_slot_and_equals_the_export(real_build: Path) -> None:
    """Above ATLAS_STREAM_ABOVE a CSV or GeoJSON download is sent as it is written: the same
    bytes as the export, and the gate's one slot is free again once it is sent."""
    import io

    from layers.export import export

    app = _streaming_app(real_build)
    client = app.test_client()
    atlas = app.extensions["atlas"]
    for fmt in ("csv", "geojson"):
        expected = io.StringIO()
        export(atlas.features, fmt, expected)
        response = client.get(f"/export.{fmt}")
        assert "Content-Length" not in response.headers  # sent as written: no length known
        assert response.get_data() == expected.getvalue().encode("utf-8")
        response.close()
    small = client.get("/export.csv?county=連江縣")  # under the threshold: made whole, kept
    assert int(small.headers["Content-Length"]) == len(small.get_data())
    assert client.get("/export.csv").status_code == 200  # the slot came back


def test_a_big_geopackage_is_sent_from_its_file_which_then_goes(
    real_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above ATLAS_STREAM_ABOVE a GeoPackage is written to a temporary file and sent from it
    block by block (a whole register's is hundreds of megabytes): the same tables as the
    export; the file goes, and the slot comes back, once it is sent or the client goes away."""
    import tempfile

    import pyogrio

    from layers.export import export

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    app = _streaming_app(real_build)
    client = app.test_client()
    atlas = app.extensions["atlas"]
    expected = tmp_path / "expected.gpkg"
    export(atlas.features, "gpkg", expected, counties_gdf=atlas.counties)
    response = client.get("/export.gpkg")
    assert response.status_code == 200
    sent = tmp_path / "sent.gpkg"
    sent.write_bytes(response.get_data())
    response.close()
    assert list((tmp_path / "tmp").iterdir()) == []  # the file is gone
    assert [tuple(row) for row in pyogrio.list_layers(sent)] == [
        tuple(row) for row in pyogrio.list_layers(expected)
    ]
    for name, _ in pyogrio.list_layers(expected):
        assert (
            pyogrio.read_info(sent, layer=name)["features"]
            == (pyogrio.read_info(expected, layer=name)["features"])
        )
    # a client that goes away after the first block, or before it: the file goes, the slot
    # comes back (the gate has one: a slot not given back would make the next a 503)
    left = client.get("/export.gpkg", buffered=False)
    next(left.response)  # type: ignore[call-overload]
    assert len(list((tmp_path / "tmp").iterdir())) == 1
    left.close()
    assert list((tmp_path / "tmp").iterdir()) == []
    early = client.get("/export.gpkg", buffered=False)
    assert len(list((tmp_path / "tmp").iterdir())) == 1
    early.close()
    assert list((tmp_path / "tmp").iterdir()) == []
    again = client.get("/export.gpkg")
    assert again.status_code == 200
    again.close()


def test_a_stream_gives_its_slot_back_once_whenever_it_ends() -> None:
    """Sent to the end, or closed by the server (the client went away) even before its first
    piece: the slot comes back, and the pieces are closed, once."""
    gate = HeavyWork(slots=1, wait=0, cache_bytes=0)
    closed: list[str] = []
    first = gate.stream(lambda: Sending(iter([b"a", b"b"]), lambda: closed.append("first")))
    with pytest.raises(ServiceUnavailable):
        gate.stream(lambda: iter([b"x"]))  # the one slot is taken
    first.close()  # before anything was sent
    assert closed == ["first"]
    second = gate.stream(lambda: iter([b"x"]))
    assert list(second) == [b"x"]  # sent to the end
    first.close()  # a second close changes nothing
    assert closed == ["first"]
    assert list(gate.stream(lambda: iter([b"y"]))) == [b"y"]  # the slot came back each time
    with pytest.raises(ValueError, match="failed to make"):
        gate.stream(lambda: iter(_fail()))
    assert list(gate.stream(lambda: iter([b"z"]))) == [b"z"]  # a maker that fails gives it back


def _fail() -> list[bytes]:
    msg = "failed to make"
    raise ValueError(msg)
