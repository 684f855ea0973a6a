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


def test_english_pages_name_programmes_agencies_and_towns_in_english(client: FlaskClient) -> None:
    """Programmes and agencies in English, towns by their MOI English names (towns.geojson);
    the Chinese page keeps them as printed."""
    atlas = client.application.extensions["atlas"]
    feature = next(
        f
        for f in atlas.features
        if f["properties"].get("program") == "水環境建設"
        and "經濟部水利署" in (f["properties"].get("agencies") or [])
        and f["properties"].get("towns")
    )
    english = client.get(f"/project/{feature['id']}?lang=en").get_data(as_text=True)
    assert "Water environment infrastructure" in english
    assert "Water Resources Agency, MOEA" in english
    town = feature["properties"]["towns"][0]
    assert atlas.town_names_en[town] in english
    assert atlas.town_names_en[town].isascii()
    chinese = client.get(f"/project/{feature['id']}").get_data(as_text=True)
    assert "水環境建設" in chinese
    assert "Water Resources Agency" not in chinese
    form = lxml.html.fromstring(client.get("/?lang=en").get_data(as_text=True))
    programmes = form.xpath('//select[@name="program"]/option/text()')
    assert "Water environment infrastructure" in programmes
    towns = form.xpath('//select[@name="town"]//option[@value="嘉義市 東區"]/text()')
    assert towns == ["East District"]


#: Names that stay as they are in a Chinese page: the API standard's.
STANDARD_NAMES = ("OGC API – Features",)


@pytest.mark.parametrize(
    "path", ["/", "/county/臺南市", "/?status=behind&sort=gap", "/?year=abc", "/no-such-page"]
)
def test_a_chinese_page_has_no_english_sentence(client: FlaskClient, path: str) -> None:
    """Every visible text and every accessible name of a zh-TW page — but for projects' own
    names (links to their pages) and a standard's name — has no English phrase."""
    doc = lxml.html.fromstring(client.get(path).get_data(as_text=True))
    for element in doc.xpath("//script | //style | //a[contains(@href, '/project/')]"):
        element.drop_tree()
    texts = [text for element in doc.iter() for text in (element.text, element.tail) if text]
    texts += [
        value
        for element in doc.iter()
        for name in ("title", "aria-label", "alt", "placeholder")
        if (value := element.get(name))
    ]
    english = [text for text in texts if ENGLISH_PHRASE.search(text.replace(STANDARD_NAMES[0], ""))]
    assert english == []


def test_a_chinese_project_page_has_no_english_sentence(client: FlaskClient) -> None:
    atlas = client.application.extensions["atlas"]
    for feature in atlas.features[::25]:
        doc = lxml.html.fromstring(client.get(f"/project/{feature['id']}").get_data(as_text=True))
        for element in doc.xpath("//script | //style | //h1 | //title"):
            element.drop_tree()  # the project's own name
        name = feature["properties"]["name"]
        texts = [t.replace(name, "") for e in doc.iter() for t in (e.text, e.tail) if t]
        english = [t for t in texts if ENGLISH_PHRASE.search(t.replace(STANDARD_NAMES[0], ""))]
        assert english == [], feature["id"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/?f=html&lang=zh",
        "/api/collections?f=html&lang=zh",
        "/api/collections/counties?f=html&lang=zh",
        "/api/collections/projects/items?f=html&lang=zh&limit=20",
        "/api/collections/counties/items?f=html&lang=zh",
        "/api/collections/water/queryables?f=html&lang=zh",
        "/api/openapi?f=html&lang=zh",
    ],
)
def test_the_api_pages_speak_chinese_when_asked(client: FlaskClient, path: str) -> None:
    """With lang=zh every heading, label and sentence of an API page is Chinese; only the
    standard's technical descriptions stay English, and say so (lang="en"), as do codes."""
    doc = lxml.html.fromstring(client.get(path).get_data(as_text=True))
    assert doc.get("lang") == "zh-Hant-TW"
    for element in doc.xpath("//script | //style | //*[@lang='en'] | //code | //pre"):
        element.drop_tree()
    texts = [text for element in doc.iter() for text in (element.text, element.tail) if text]
    texts += [v for e in doc.iter() for n in ("title", "aria-label") if (v := e.get(n))]
    english = [t for t in texts if ENGLISH_PHRASE.search(t.replace(STANDARD_NAMES[0], ""))]
    assert english == []
    english_page = lxml.html.fromstring(client.get(path.replace("lang=zh", "lang=en")).data)
    assert english_page.get("lang") == "en"


def test_chinese_names_on_an_english_page_say_their_language(client: FlaskClient) -> None:
    """A screen reader reads a project's Chinese name in Chinese on an English page."""
    doc = lxml.html.fromstring(client.get("/?lang=en").get_data(as_text=True))
    names = doc.xpath('//table[@id="results"]//th[@scope="row"]/a')
    assert names
    assert all(
        a.get("lang") == "zh-Hant-TW" for a in names if re.search(r"[\u3400-\u9fff]", a.text)
    )
    chinese = lxml.html.fromstring(client.get("/").get_data(as_text=True))
    assert not chinese.xpath('//table[@id="results"]//a[@lang]')  # the page's own language
