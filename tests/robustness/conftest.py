"""Build each altered corpus once per session, beside the unaltered one."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from geo.boundaries import load_boundaries
from geo.gazetteer import load_facilities
from geo.geocode import Geocoder
from layers.build import BuildResult, build, build_register
from tests.robustness.corpus import Alteration, Corpus, load


@dataclass(frozen=True)
class Built:
    """A built corpus: features by id, every problem reported, and each file's digest."""

    features: dict[str, dict[str, Any]]
    problems: list[tuple[str, int | None, str]]
    merges: list[str]
    digests: dict[str, str]

    def named(self, name: str) -> dict[str, Any]:
        found = [f for f in self.features.values() if f["properties"]["name"] == name]
        assert len(found) == 1, (name, len(found))
        return found[0]


@pytest.fixture(scope="session")
def geocoder() -> Geocoder:
    return Geocoder(load_facilities(), load_boundaries())


@pytest.fixture(scope="session")
def corpus(sources: Path) -> Corpus:
    return load(sources)


@pytest.fixture(scope="session")
def build_corpus(
    tmp_path_factory: pytest.TempPathFactory,
    geocoder: Geocoder,
    corpus: Corpus,
    real_result: BuildResult,
) -> Callable[[str, Alteration | None], Built]:
    """Build the corpus as altered by ``alteration`` (once per case name and session)."""
    cache: dict[str, Built] = {}

    def make(case: str, alteration: Alteration | None) -> Built:
        if case not in cache:
            files = alteration(dict(corpus)) if alteration else dict(corpus)
            if alteration is None:
                result = real_result  # the suite's one build of the unaltered documents
            else:
                folder = tmp_path_factory.mktemp(case)
                for name, text in files.items():
                    (folder / name).write_text(text, encoding="utf-8")
                result = build(folder, geocoder=geocoder)
            register = build_register(result)
            cache[case] = Built(
                features={f["id"]: f for f in register["features"]},
                problems=[
                    (report.document, problem.line, problem.message)
                    for report in result.reports
                    for problem in report.problems
                ],
                merges=[reason for project in result.projects for reason in project.merges],
                digests={
                    name: hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
                    for name, text in files.items()
                },
            )
        return cache[case]

    return make


@pytest.fixture(scope="session")
def base(build_corpus: Callable[[str, Alteration | None], Built]) -> Built:
    return build_corpus("unaltered", None)
