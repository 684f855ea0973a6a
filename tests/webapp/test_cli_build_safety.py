"""Careful builds: atomic replacement, no empty register over a good one, a clear error for an
unwritable folder, and documents that give nothing named on standard error."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from layers.build import BuildResult, write_build
from webapp.cli import main


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["-q", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def good(real_build: Path) -> Path:
    """A build folder with the real register (the suite's one build of it)."""
    return real_build


def _count(folder: Path) -> int:
    return len(json.loads((folder / "projects.geojson").read_text(encoding="utf-8"))["features"])


def test_an_empty_build_keeps_the_register(good: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(good, out)
    before = (out / "projects.geojson").read_bytes()
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = _cli("build", "--sources", str(empty), "--out", str(out))
    assert code == 1
    assert "the build found no project" in err
    assert "is kept" in err
    assert (out / "projects.geojson").read_bytes() == before
    # asked for, it is replaced
    code, _, _ = _cli("build", "--sources", str(empty), "--out", str(out), "--allow-empty")
    assert code == 0
    assert _count(out) == 0


def test_an_unwritable_folder_is_one_line_before_the_build(tmp_path: Path, sources: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, out, err = _cli("build", "--sources", str(sources), "--out", str(blocker / "build"))
    assert code == 1
    assert out == ""  # nothing was built
    assert err.startswith(f"error: cannot write the build to {blocker / 'build'}")
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_documents_that_give_nothing_are_named(tmp_path: Path, sources: Path) -> None:
    folder = tmp_path / "sources"
    shutil.copytree(sources, folder)
    (folder / "menu.txt").write_text("今日午餐：牛肉麵 120 元", encoding="utf-8")
    (folder / "blank.txt").write_text("", encoding="utf-8")
    code, _, err = _cli("build", "--sources", str(folder), "--out", str(tmp_path / "out"))
    assert code == 0
    assert "warning: menu.txt: not recognised" in err
    assert "warning: blank.txt: not recognised" in err


def test_readers_never_see_a_partial_register(
    good: Path, tmp_path: Path, real_result: BuildResult
) -> None:
    """While builds replace the register again and again, every read parses whole."""
    out = tmp_path / "out"
    shutil.copytree(good, out)
    result = real_result
    stop = threading.Event()
    reads: list[int] = []
    failures: list[str] = []

    def read() -> None:
        while not stop.is_set():
            try:
                reads.append(_count(out))
            except (ValueError, OSError) as exc:
                failures.append(repr(exc))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(8):
            write_build(result, out)
    finally:
        stop.set()
        reader.join()
    assert failures == []
    assert reads
    assert set(reads) == {len(result.projects)}
    assert not list(out.glob(".*.tmp"))  # no temporary file left behind


def test_a_build_stopped_while_writing_leaves_the_old_register(
    good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_result: BuildResult
) -> None:
    from geo import datafiles

    out = tmp_path / "out"
    shutil.copytree(good, out)
    before = (out / "projects.geojson").read_bytes()
    result = real_result

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt  # the process is stopped between writing and renaming

    monkeypatch.setattr(datafiles.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_build(result, out)
    assert (out / "projects.geojson").read_bytes() == before
    assert not list(out.glob(".*.tmp"))
