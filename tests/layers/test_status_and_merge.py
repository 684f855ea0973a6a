"""Table-driven tests of the status rule and of the merge rules, on records made here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from layers.merge import match_key, merge_reports
from layers.records import BudgetRow, DocumentKind, Progress, Record, RecordKind, Source
from layers.status import Status, project_status


def _progress(planned: str | None, actual: str | None, as_of: date | None = None) -> Progress:
    value = lambda text: None if text is None else Decimal(text)  # noqa: E731
    return Progress(as_of, None, None, None, value(planned), value(actual), None, line=1)


def _record(
    name: str,
    kind: RecordKind = RecordKind.PLAN,
    *,
    document: str = "a.txt",
    line: int = 1,
    **fields: object,
) -> Record:
    source = Source(document, DocumentKind.BUSINESS_REPORT, line, line)
    return Record(name=name, kind=kind, source=source, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("entries", "status"),
    [
        ([_record("x", progress=_progress("50", "100"))], Status.COMPLETED),
        ([_record("x", progress=_progress("80", "79.99"))], Status.BEHIND),
        ([_record("x", progress=_progress("80", "80"))], Status.ON_TRACK),
        ([_record("x", progress=_progress("80", "95"))], Status.ON_TRACK),
        ([_record("x", progress=_progress(None, "40"))], Status.UNKNOWN),
        ([_record("x", status_phrase="已完工")], Status.COMPLETED),
        ([_record("x", status_phrase="預計 112 年完工")], Status.PLANNED),
        ([_record("x", status_phrase="施工中")], Status.UNKNOWN),
        ([_record("x")], Status.UNKNOWN),
        # figures win over words; the latest progress table wins over an older one
        ([_record("x", progress=_progress("80", "60"), status_phrase="已完工")], Status.BEHIND),
        (
            [
                _record("x", progress=_progress("80", "60", date(2020, 12, 31))),
                _record("x", progress=_progress("90", "95", date(2021, 12, 31))),
            ],
            Status.ON_TRACK,
        ),
    ],
)
def test_status(entries: list[Record], status: Status) -> None:
    assert project_status(tuple(entries)) is status


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("台南山上淨水場供水系統改善工程計畫", "臺南山上淨水場供水系統改善"),
        ("桃園-新竹備援管線工程計畫", "桃園新竹備援管線"),
        ("第三座液化天然氣接收站投資計畫", "第三座液化天然氣接收站"),
        ("白河水庫後續更新改善（第一階段）工程計畫", "白河水庫後續更新改善第一階段"),
        ("ＡＩ晶片計畫", "AI晶片"),
        ("計畫", "計畫"),  # nothing left: the name itself
    ],
)
def test_match_key(printed: str, key: str) -> None:
    assert match_key(printed) == key
    assert match_key(key) == match_key(printed)  # idempotent


def _row(year: int, legal: int) -> BudgetRow:
    return BudgetRow(
        None, year, legal, None, None, None, None, None, None, None, None, None, None, 1, ""
    )


def test_records_merge_by_any_printed_name_and_not_by_file_order() -> None:
    plan = _record("XX淨水場擴建工程計畫", document="b.txt")
    site = _record("苗栗XX淨水場", RecordKind.FACILITY, aliases=("XX淨水場擴建",), document="a.txt")
    forward = merge_reports((plan, site), aliases={})
    backward = merge_reports((site, plan), aliases={})
    assert len(forward) == len(backward) == 1
    assert forward[0].name == backward[0].name == "XX淨水場擴建工程計畫"  # a plan names it


@pytest.mark.parametrize(
    ("second", "merged", "reason"),
    [
        ({"budget_rows": (_row(2021, 1_000),)}, True, None),
        ({"budget_rows": (_row(2021, 2_000),)}, False, "their budget tables differ"),
        ({"period_start": date(2018, 1, 1)}, False, "their periods differ"),
        ({"agencies": ("經濟部工業局",)}, False, "their agencies differ"),
        ({"agencies": ("水利署",)}, True, None),  # 經濟部水利署 and 水利署 are one agency
    ],
)
def test_a_contradicting_entry_of_the_same_kind_is_not_merged(
    second: dict[str, object], merged: bool, reason: str | None
) -> None:
    first = _record(
        "YY計畫",
        RecordKind.REVIEW_PROJECT,
        budget_rows=(_row(2021, 1_000),),
        period_start=date(2017, 1, 1),
        agencies=("經濟部水利署",),
    )
    other = _record("YY計畫", RecordKind.REVIEW_PROJECT, document="b.txt", **second)
    projects = merge_reports((first, other), aliases={})
    assert (len(projects) == 1) is merged
    if reason is not None:
        assert reason in projects[1].merges[0]
