"""Every visible word in the page's language: placement notes and off-map reasons are worded
from codes in zh-TW and English, never shown as the register's English developer notes."""

from __future__ import annotations

import re
from typing import Any

import lxml.html
import pytest
from flask.testing import FlaskClient

#: Two Latin words in a row: an English phrase (names such as AI晶片 or DMIT are single words).
ENGLISH_PHRASE = re.compile(r"[A-Za-z]{2,}[ ,:;()'-]+[A-Za-z]{2,}")
#: What may be Latin in a Chinese page: the report files' names.
FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


def _visible(html: str, xpath: str) -> list[str]:
    doc = lxml.html.fromstring(html)
    return [FILE_NAME.sub("", element.text_content()) for element in doc.xpath(xpath)]


def test_the_chinese_off_map_list_has_no_english(client: FlaskClient) -> None:
    items = _visible(client.get("/").get_data(as_text=True), "//details//li")
    assert len(items) > 50
    texts = [item.split(" — ", 1)[-1] for item in items]  # the reason, not the project's name
    english = [text for text in texts if ENGLISH_PHRASE.search(text)]
    assert english == []
    assert any("僅順帶提及" in text for text in texts)  # the reasons are there, in Chinese


def _unplaced(built_register: dict[str, Any], code: str) -> str:
    return next(
        f["id"]
        for f in built_register["features"]
        if (f["properties"]["location_reason"] or {}).get("code") == code
    )


@pytest.mark.parametrize(
    ("code", "zh", "en"),
    [
        ("no_place", "施作地點", "No place is named where the work is"),
        ("distributed", "由各縣市政府執行", "The county governments carry out its works"),
        ("budget_level", "單位預算的工作計畫", "A work plan or branch plan"),
        ("national_programme", "全國性計畫", "A national programme"),
    ],
)
def test_a_project_page_says_its_placement_in_the_readers_language(
    client: FlaskClient, built_register: dict[str, Any], code: str, zh: str, en: str
) -> None:
    pid = _unplaced(built_register, code)
    chinese = _visible(client.get(f"/project/{pid}").get_data(as_text=True), "//dd")
    assert any(zh in text for text in chinese)
    assert not [text for text in chinese if ENGLISH_PHRASE.search(text)]
    english = _visible(client.get(f"/project/{pid}?lang=en").get_data(as_text=True), "//dd")
    assert any(en in text for text in english)
