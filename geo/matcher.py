"""A pure-Python Aho–Corasick automaton: every occurrence of thousands of names in one pass.

Built once from the written forms of every place, it finds all (overlapping) occurrences in
time linear in the text; :func:`longest_first` then keeps the longest non-overlapping ones, so
``石門水庫`` beats ``石門`` and ``臺南市`` beats ``臺南`` wherever they start.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import NamedTuple

__all__ = ["Hit", "Matcher", "longest_first"]


class Hit(NamedTuple):
    """One occurrence: ``text[start:end] == Matcher.patterns[pattern]``."""

    start: int
    end: int
    pattern: int


class Matcher:
    """Find every occurrence of a fixed set of non-empty strings.

    Parameters
    ----------
    patterns
        The strings to find; duplicates keep the first index.
    """

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns: tuple[str, ...] = tuple(patterns)
        # One dict of transitions per state; state 0 is the root.
        self._goto: list[dict[str, int]] = [{}]
        self._out: list[tuple[int, ...]] = [()]
        seen: set[str] = set()
        for index, pattern in enumerate(self.patterns):
            if pattern and pattern not in seen:
                seen.add(pattern)
                self._add(pattern, index)
        self._fail = self._link()

    def _add(self, pattern: str, index: int) -> None:
        state = 0
        for char in pattern:
            nxt = self._goto[state].get(char)
            if nxt is None:
                nxt = len(self._goto)
                self._goto[state][char] = nxt
                self._goto.append({})
                self._out.append(())
            state = nxt
        self._out[state] = (index,)

    def _link(self) -> list[int]:
        """Breadth-first failure links; outputs inherit their suffixes' outputs."""
        fail = [0] * len(self._goto)
        queue = deque(self._goto[0].values())
        while queue:
            state = queue.popleft()
            for char, nxt in self._goto[state].items():
                queue.append(nxt)
                back = fail[state]
                while back and char not in self._goto[back]:
                    back = fail[back]
                target = self._goto[back].get(char, 0)
                fail[nxt] = target if target != nxt else 0
                self._out[nxt] += self._out[fail[nxt]]
        return fail

    def find_all(self, text: str) -> list[Hit]:
        """Every occurrence of every pattern in ``text``, overlapping ones included."""
        goto, fail, out, patterns = self._goto, self._fail, self._out, self.patterns
        hits: list[Hit] = []
        state = 0
        for position, char in enumerate(text):
            while state and char not in goto[state]:
                state = fail[state]
            state = goto[state].get(char, 0)
            for index in out[state]:
                end = position + 1
                hits.append(Hit(end - len(patterns[index]), end, index))
        return hits


def longest_first(hits: Iterable[Hit]) -> list[Hit]:
    """The longest hits that do not overlap, chosen greedily (longest, then leftmost), by start."""
    taken: list[Hit] = []
    used: set[int] = set()
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        span = range(hit.start, hit.end)
        if used.isdisjoint(span):
            used.update(span)
            taken.append(hit)
    return sorted(taken)
