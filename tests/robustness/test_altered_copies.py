"""Every project keeps its own title, figures and place when the reports are edited.

Each case builds an altered copy of the five real documents (see ``corpus.py``) and compares
its register with the unaltered one, project by project: the same id, name, programme, layer,
budget rows, progress, jobs, period and place — or, where the alteration takes a project's
identity away, a reported problem. Nothing else may change.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.robustness import corpus as alter
from tests.robustness.conftest import Built

Build = Callable[[str, alter.Alteration | None], Built]


def fingerprint(feature: dict[str, Any]) -> dict[str, Any]:
    """What a reader takes from a project: its identity, its figures and its place."""
    props = feature["properties"]
    return {
        "name": props["name"],
        "program": props["program"],
        "layer": props["layer"],
        "period": (props["period_start"], props["period_end"]),
        "budget": figures(feature),
        "headline": (props["budget_year"], props["budget_legal_twd"], props["budget_executed_twd"]),
        "progress": (props["progress_planned_pct"], props["progress_actual_pct"]),
        "jobs": (props["jobs_person_years"], props["private_investment_twd"]),
        "place": (props["counties"], props["towns"], props["precision"]),
        "geometry": feature["geometry"],
    }


def figures(feature: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted(
        (
            str(row["phase"]),
            str(row["year"]),
            str(row["agency"]),
            row["legal_twd"],
            row["allocated_twd"],
            row["executed_twd"],
            row["execution_rate_pct"],
        )
        for row in feature["properties"]["budget_rows"]
    )


def placeholder(feature: dict[str, Any]) -> bool:
    return str(feature["properties"]["name"]).startswith("（")


def differences(
    base: Built,
    altered: Built,
    *,
    changed: set[str] = frozenset(),
    moved_placeholders: bool = False,
) -> list[str]:
    """How ``altered`` differs from ``base`` outside the projects named in ``changed``.

    With ``moved_placeholders``, an untitled section may carry another placeholder name (it
    follows another section now) if its figures are found under a reported placeholder.
    """
    found: list[str] = []
    reported = {message for _, _, message in altered.problems}
    matched: set[str] = set()
    for fid, feature in base.features.items():
        name = feature["properties"]["name"]
        if name in changed:
            continue
        if moved_placeholders and placeholder(feature):
            twins = [
                other
                for oid, other in altered.features.items()
                if placeholder(other) and figures(other) == figures(feature)
            ]
            if len(twins) != 1:
                found.append(f"{name}: {len(twins)} placeholders carry its figures")
            elif not any(other["properties"]["name"] in m for m in reported for other in twins):
                found.append(f"{name}: its placeholder is not reported")
            matched |= {other["id"] for other in twins}
            continue
        other = altered.features.get(fid)
        if other is None:
            found.append(f"{name}: missing")
            continue
        matched.add(fid)
        mine, theirs = fingerprint(feature), fingerprint(other)
        for key in mine:
            if mine[key] != theirs[key]:
                found.append(f"{name}: {key} {mine[key]!r} -> {theirs[key]!r}")
    for fid, feature in altered.features.items():
        name = feature["properties"]["name"]
        if fid not in matched and fid not in base.features and name not in changed:
            found.append(f"{name}: new")
    return found


def test_renamed_and_reversed_files_give_the_same_register(
    base: Built, build_corpus: Build
) -> None:
    altered = build_corpus("renamed_reversed", alter.renamed_reversed)
    names = {digest: name for name, digest in altered.digests.items()}
    text = json.dumps(base.features, ensure_ascii=False)
    for name, digest in base.digests.items():
        text = text.replace(name, names[digest])
    assert json.loads(text) == altered.features


def test_sections_reordered(base: Built, build_corpus: Build, sources: Path) -> None:
    spans = alter.review_sections(sources)
    moves = [
        ("建置水資源智慧管理及創新節水技術計畫", "高雄海洋科技產業創新專區"),  # far away
        ("引領中小微型企業數位轉型戰略攻頂計畫", "建構零售暨服務業數據共享創新服務計畫"),
        ("（報告未載明名稱：「碳循環關鍵技術開發計畫」後第一節）", None),  # to the end
    ]
    altered = build_corpus("reordered", alter.reorder(spans, moves))
    assert differences(base, altered, moved_placeholders=True) == []


def test_sections_removed(base: Built, build_corpus: Build, sources: Path) -> None:
    gone = ["深層海水取水工程計畫", "引領中小微型企業數位轉型戰略攻頂計畫"]
    altered = build_corpus("removed", alter.remove(alter.review_sections(sources), gone))
    assert differences(base, altered, changed=set(gone)) == []
    # 深層海水 survives through the 2019 plan that also names it, without the review's figures
    survivor = altered.named("深層海水取水工程計畫")["properties"]
    assert [s["kind"] for s in survivor["sources"]] == ["policy_plan"]
    assert survivor["budget_rows"] == []
    assert not [f for f in altered.features.values() if f["properties"]["name"] == gone[1]]
    messages = [message for _, _, message in altered.problems]
    assert "the introduction counts 47 projects; 45 sections found" in messages


def _feitsui_copy(sources: Path, title: str | None) -> alter.Alteration:
    """翡翠原水管 printed twice, the copy's 109 row changed (and its title, if given)."""
    edit = {"109 232,000 同(A) 232,000": "109 245,000 同(A) 245,000"}
    return alter.duplicate(alter.review_sections(sources), "翡翠原水管工程計畫", title, edit)


def test_section_duplicated_under_a_new_name(
    base: Built, build_corpus: Build, sources: Path
) -> None:
    altered = build_corpus("duplicated_renamed", _feitsui_copy(sources, "新店溪原水管工程計畫"))
    assert differences(base, altered, changed={"新店溪原水管工程計畫"}) == []
    new = altered.named("新店溪原水管工程計畫")
    rows = {(r["year"], r["legal_twd"]) for r in new["properties"]["budget_rows"]}
    assert (2020, 245_000_000) in rows
    assert (2020, 232_000_000) not in rows


def test_section_duplicated_under_its_own_name(
    base: Built, build_corpus: Build, sources: Path
) -> None:
    altered = build_corpus("duplicated_same_name", _feitsui_copy(sources, None))
    # The original keeps its figures; the edited copy is a project of its own, and reported.
    assert differences(base, altered, changed={"翡翠原水管工程計畫"}) == []
    original = base.named("翡翠原水管工程計畫")
    same = [f for f in altered.features.values() if f["properties"]["name"] == "翡翠原水管工程計畫"]
    assert len(same) == 2
    assert fingerprint(altered.features[original["id"]]) == fingerprint(original)
    assert any("not merged, their budget tables differ" in reason for reason in altered.merges)


def test_footers_of_other_forms_inside_tables(base: Built, build_corpus: Build) -> None:
    altered = build_corpus("footers", alter.footers_in_tables)
    assert differences(base, altered) == []
    assert not [p for p in altered.problems if "budget" in p[2] and p not in base.problems]


def test_full_width_digits_and_letters(base: Built, build_corpus: Build) -> None:
    altered = build_corpus("full_width", alter.full_width)
    assert differences(base, altered) == []
    row = altered.named("翡翠原水管工程計畫")["properties"]["budget_rows"][0]
    assert "１０８" in row["printed"]  # provenance keeps the line as printed


def test_prose_rewrapped(base: Built, build_corpus: Build) -> None:
    altered = build_corpus("rewrapped", alter.rewrapped)
    assert differences(base, altered) == []


def test_an_unrelated_document_added(base: Built, build_corpus: Build) -> None:
    altered = build_corpus("unrelated", alter.unrelated_added)
    assert differences(base, altered) == []
    assert ("000_minutes.txt", None, "no parser recognises this document; skipped") in (
        altered.problems
    )


@pytest.mark.parametrize(
    ("case", "alteration"),
    [("unaltered_again", None), ("renamed_reversed", alter.renamed_reversed)],
)
def test_the_register_is_deterministic(
    base: Built, build_corpus: Build, case: str, alteration: alter.Alteration | None
) -> None:
    altered = build_corpus(case, alteration)
    assert sorted(fingerprint(f)["name"] for f in altered.features.values()) == sorted(
        fingerprint(f)["name"] for f in base.features.values()
    )
    assert list(altered.features) == list(base.features)  # the same order too


def test_a_facility_moved_to_another_county_in_its_sentence(
    base: Built, build_corpus: Build
) -> None:
    moved = alter.edited(alter.BUSINESS, {"台電公司選定彰化芳苑外海": "台電公司選定雲林麥寮外海"})
    altered = build_corpus("county_changed", moved)
    name = "離岸風力發電第一期計畫"
    assert differences(base, altered, changed={name}) == []
    assert base.named(name)["properties"]["counties"] == ["彰化縣"]
    props = altered.named(name)["properties"]
    # The text decides; the gazetteer's stored county is reported, not silently kept.
    assert props["counties"] == ["雲林縣"]
    assert props["towns"] == ["雲林縣 麥寮鄉"]
    assert "the gazetteer puts 離岸風力發電第一期計畫 in 彰化縣" in props["location_note"]
