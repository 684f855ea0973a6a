"""Every file under data/ is listed in the data manifest, and every listed file exists."""

from __future__ import annotations

import re
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def _listed() -> set[str]:
    manifest = (DATA / "README.md").read_text(encoding="utf-8")
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
