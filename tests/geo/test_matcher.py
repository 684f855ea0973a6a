"""Tests for geo.matcher: the Aho–Corasick automaton and the longest-first choice."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.matcher import Hit, Matcher, longest_first


def _brute_force(patterns: list[str], text: str) -> set[tuple[int, int, str]]:
    return {
        (i, i + len(p), p)
        for p in set(patterns)
        if p
        for i in range(len(text) - len(p) + 1)
        if text.startswith(p, i)
    }


@given(st.lists(st.text("abc", max_size=4), max_size=8), st.text("abcd", max_size=30))
def test_find_all_equals_brute_force(patterns: list[str], text: str) -> None:
    matcher = Matcher(patterns)
    found = {(h.start, h.end, matcher.patterns[h.pattern]) for h in matcher.find_all(text)}
    assert found == _brute_force(patterns, text)


@pytest.mark.parametrize(
    ("patterns", "text", "chosen"),
    [
        (["石門", "石門水庫"], "石門水庫", ["石門水庫"]),
        (["臺南", "臺南市"], "臺南市政府", ["臺南市"]),
        (["臺南", "臺南山上", "山上淨水場"], "臺南山上淨水場", ["臺南", "山上淨水場"]),
        (["ab", "bc"], "abc", ["ab"]),  # equal length: leftmost
        (["a"], "aXa", ["a", "a"]),
        (["x"], "abc", []),
    ],
)
def test_longest_first(patterns: list[str], text: str, chosen: list[str]) -> None:
    matcher = Matcher(patterns)
    hits = longest_first(matcher.find_all(text))
    assert [text[h.start : h.end] for h in hits] == chosen
    assert all(isinstance(h, Hit) for h in hits)
