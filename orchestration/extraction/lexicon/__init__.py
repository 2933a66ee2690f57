"""The extractor's rule data: word lists, patterns and ordered rule tables, one module per attribute
of a fact.

The words themselves are data files, `orchestration/patterns/<module>.toml`, read once at import by
this loader, which knows no language: a word changes in its data file, and nothing is compiled
again. Each module here names what its file holds, with the type the extractor uses.

Two ways a data file refers to another entry, so that each word is written once:
- an array item `"@name"` (or `"@file.name"`) stands for the items of that array, or for that string;
- `{{name}}` inside a string stands for that string, or for an array as the alternation `(?:a|b)`.

A pattern may also name a value the code derives from the data (`{{units}}`: every unit, longest
first), given with `with_values`; the data file says which.
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from .rules import Rule

# ZHIBIAO_PATTERNS names another folder of data files: to try a word before it is committed (the
# tests add a change verb so). Reports already in a warehouse are extracted again only when the
# extractor version changes, so a build with another folder extracts only new reports with it.
PATTERNS = Path(os.environ.get("ZHIBIAO_PATTERNS") or Path(__file__).resolve().parents[2] / "patterns")
_REFERENCE = re.compile(r"\{\{([a-z_.]+)\}\}")


class LexiconError(ValueError):
    """A data file names an entry it lacks, or refers to one that does not exist."""


@cache
def _file(name: str) -> dict[str, Any]:
    with open(PATTERNS / f"{name}.toml", "rb") as data:
        return tomllib.load(data)


class Lexicon:
    """The entries of one data file, resolved: arrays as tuples, references replaced."""

    def __init__(self, name: str, derived: dict[str, str] | None = None) -> None:
        self.name = name
        self.derived = derived or {}

    def with_values(self, **derived: str) -> Lexicon:
        """This file with values the code derives from its data, for its patterns to name."""
        return Lexicon(self.name, {**self.derived, **derived})

    def _raw(self, key: str) -> Any:  # noqa: ANN401 - whatever the TOML holds
        if key in self.derived:
            return self.derived[key]
        file, _, entry = key.rpartition(".") if "." in key else (self.name, "", key)
        data = _file(file or self.name)
        if entry not in data:
            raise LexiconError(f"{PATTERNS / (file or self.name)}.toml has no entry {entry!r}")
        return data[entry]

    def _resolve(self, value: Any) -> Any:  # noqa: ANN401 - a TOML value
        if isinstance(value, str):
            return _REFERENCE.sub(lambda m: self._as_pattern(m.group(1)), value)
        if isinstance(value, list):
            items: list[Any] = []
            for item in value:
                if isinstance(item, str) and item.startswith("@"):
                    included = self._resolve(self._raw(item[1:]))
                    items.extend(included if isinstance(included, tuple) else (included,))
                else:
                    items.append(self._resolve(item))
            return tuple(items)
        if isinstance(value, dict):
            return {k: self._resolve(v) for k, v in value.items()}
        return value

    def _as_pattern(self, key: str) -> str:
        value = self._resolve(self._raw(key))
        return "(?:" + "|".join(value) + ")" if isinstance(value, tuple) else str(value)

    def entry(self, key: str) -> Any:  # noqa: ANN401 - the caller's annotation says what it is
        return self._resolve(self._raw(key))

    def text(self, key: str) -> str:
        return str(self.entry(key))

    def words(self, key: str) -> tuple[str, ...]:
        return tuple(self.entry(key))

    def number(self, key: str) -> Any:  # noqa: ANN401 - an int or a float, as written
        return self.entry(key)

    def table(self, key: str) -> dict[str, Any]:
        return dict(self.entry(key))

    def pattern(self, key: str) -> re.Pattern[str]:
        return re.compile(self.text(key))

    def rules(self, key: str) -> tuple[Rule, ...]:
        """A rule table; a row without a title stands in the examples' usual document."""
        title = self.text("rules.example_title")
        return tuple(Rule(**{"title": title, **row}) for row in self.entry(key))


def load(name: str) -> Lexicon:
    return Lexicon(name)
