"""An Atom feed (RFC 4287) of the projects a filter selects, newest change first.

A reporter or a county official subscribes to ``/feed.atom?county=臺南市&status=behind`` and
sees, after each build, the projects that are new or whose figures or places changed (the
build's history: :mod:`layers.history`). Each entry is a project: its page as the link, its
status, budget and progress as the summary, in the feed's language. Nothing here knows about
Flask: URLs come in as functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Final
from xml.etree import ElementTree as ET

from layers.schema import ProjectFeature
from webapp.formatting import behind_gap, format_gap, format_progress, format_twd
from webapp.i18n import Lang, label, strings

__all__ = ["ATOM", "MAX_ENTRIES", "atom_feed"]

ATOM: Final = "http://www.w3.org/2005/Atom"
#: The most recent changes a feed lists.
MAX_ENTRIES: Final = 100
#: An entry's time when the build kept no history (a register from elsewhere).
_EPOCH: Final = "1970-01-01T00:00:00Z"


def atom_feed(
    features: Sequence[ProjectFeature],
    history: Mapping[str, Mapping[str, str]],
    *,
    title: str,
    self_url: str,
    page_url: str,
    project_url: Callable[[str], str],
    lang: Lang,
) -> bytes:
    """The feed of ``features``: the :data:`MAX_ENTRIES` changed last, newest first.

    Parameters
    ----------
    features
        The projects the filter selects.
    history
        Project id → ``first_seen`` and ``changed`` (ISO 8601 UTC).
    title
        The feed's title (the filter in words).
    self_url, page_url
        The feed's own URL and the map page of the same filter.
    project_url
        A project id → its page's absolute URL (also the entry's id: stable across builds).
    lang
        The language of the titles and summaries.
    """

    def changed(feature: ProjectFeature) -> str:
        return history.get(str(feature["id"]), {}).get("changed", _EPOCH)

    ordered = sorted(features, key=changed, reverse=True)[:MAX_ENTRIES]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-Hant-TW" if lang == "zh" else "en"})
    _text(feed, "title", title)
    _text(feed, "id", self_url)
    _text(feed, "updated", changed(ordered[0]) if ordered else _EPOCH)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=page_url)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", strings(lang)["title"])
    for feature in ordered:
        props, fid = feature["properties"], str(feature["id"])
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", props["name"])
        _text(entry, "id", project_url(fid))
        _text(entry, "updated", changed(feature))
        _text(entry, "published", history.get(fid, {}).get("first_seen", _EPOCH))
        ET.SubElement(
            entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=project_url(fid)
        )
        _text(entry, "summary", _summary(feature, lang))
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def _summary(feature: ProjectFeature, lang: Lang) -> str:
    """Status (with its gap), latest legal budget and progress, in words."""
    props = feature["properties"]
    words = strings(lang)
    parts = [label("status", props.get("status"), lang)]
    if (gap := behind_gap(props)) is not None:
        parts[0] += f" {format_gap(gap, lang)}"
    parts.append(f"{words['budget']} {format_twd(props.get('budget_legal_twd'), lang)}")
    parts.append(f"{words['progress']} {format_progress(props, lang)}")
    return ("；" if lang == "zh" else "; ").join(parts)


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text
