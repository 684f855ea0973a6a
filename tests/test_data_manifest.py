"""Every file under data/ and every vendored web asset is listed in its manifest, and every
listed file exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
VENDOR = ROOT / "webapp" / "static" / "vendor"


def _listed(folder: Path = DATA) -> set[str]:
    manifest = (folder / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\|\s*`([^`]+)`", manifest, flags=re.MULTILINE))


def test_every_data_file_is_in_the_manifest() -> None:
    files = {
        str(path.relative_to(DATA))
        for path in DATA.rglob("*")
        if path.is_file() and path.name != "README.md" and "build" not in path.parts
    }
    assert files
    missing = files - _listed()
    assert not missing, f"not in data/README.md: {sorted(missing)}"


def test_every_listed_file_exists() -> None:
    absent = {name for name in _listed() if not (DATA / name).exists()}
    assert not absent, f"listed in data/README.md but missing: {sorted(absent)}"


def test_every_vendored_asset_is_in_its_manifest_with_a_licence() -> None:
    files = {
        str(path.relative_to(VENDOR))
        for path in VENDOR.rglob("*")
        if path.is_file() and path.name != "README.md"
    }
    assert files
    missing = files - _listed(VENDOR)
    assert not missing, f"not in webapp/static/vendor/README.md: {sorted(missing)}"
    absent = {name for name in _listed(VENDOR) if not (VENDOR / name).exists()}
    assert not absent, f"listed in webapp/static/vendor/README.md but missing: {sorted(absent)}"
    for package in {name.split("/")[0] for name in files}:
        assert any(name.startswith(f"{package}/") and "LICEN" in name.upper() for name in files), (
            f"{package} has no licence file"
        )
