"""Fast whole-text scans for patterns that can only start at a few characters.

Python's `re` tries every alternative of a pattern at every position of the text. Most of our
patterns begin with optional parts (百分之, a year, 截至), which stops `re` from skipping ahead
to the characters a match can start with. `finditer_from` skips ahead itself with a one-character
class (a C-speed scan) and tries the full pattern only there, giving exactly the matches of
`pattern.finditer(text)`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator


def finditer_from(pattern: re.Pattern[str], first_char: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, where every match of `pattern` starts with a `first_char`.

    Lookbehinds still see the text before a candidate position: `match(text, pos)` does not
    slice the string.
    """
    search, match = first_char.search, pattern.match
    pos, end = 0, len(text)
    while pos <= end:
        candidate = search(text, pos)
        if candidate is None:
            return
        start = candidate.start()
        m = match(text, start)
        if m is None:
            pos = start + 1
            continue
        yield m
        pos = m.end() if m.end() > start else start + 1


def first_chars(starts: Iterable[tuple[str, str]]) -> re.Pattern[str]:
    """A `first_char` pattern for `finditer_from` from (characters, context) pairs: a match is one of
    the `characters` (a class such as `\\d` or `今本全`, without brackets) where `context` (zero-width
    assertions made right after the character, '' for none) holds.

    Written as one class of every starting character followed by the contexts, because `re` skips
    ahead at C speed only to a pattern's leading class: a pattern that starts with an alternation of
    lookaheads is tried at every position of the text.
    """
    starts = list(starts)
    every = "".join(chars for chars, _ in starts)
    contexts = "|".join(f"(?<=[{chars}])(?:{context})" for chars, context in starts)
    return re.compile(f"[{every}](?:{contexts})")


def first_char_of(words: Iterable[str]) -> re.Pattern[str]:
    """A `first_char` pattern for `finditer_from` when every match begins with one of `words`."""
    return re.compile("[" + "".join(dict.fromkeys(re.escape(w[0]) for w in words)) + "]")


def alternation(words: tuple[str, ...]) -> str:
    """A pattern matching any of `words` literally, tried in the order given (a longer word that
    begins with a shorter one must come first)."""
    return "|".join(re.escape(w) for w in words)


def lengths_by_last_char(names: Iterable[str], min_length: int) -> dict[str, tuple[int, ...]]:
    """For each last character, the lengths (longest first) of the names of `min_length` characters
    or more ending in it: the only suffixes of a phrase worth looking up in a dictionary of names."""
    lengths: dict[str, set[int]] = {}
    for name in names:
        if len(name) >= min_length:
            lengths.setdefault(name[-1], set()).add(len(name))
    return {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}


class SpanSet:
    """Merged, sorted spans answering "is this position inside one?" by binary search."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]
