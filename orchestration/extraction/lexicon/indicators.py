"""Which catalogue indicator a figure's phrase names: the words the mapper sets aside, and its rules.

The words, patterns and rules are data: `orchestration/patterns/indicators.toml`, which says
why each is there. This module names them with their types (loaded once, `lexicon/__init__.py`).
"""

from __future__ import annotations

import re

from . import load
from .rules import Rule

_data = load("indicators")

SCOPE_WORDS: tuple[str, ...] = _data.words("scope_words")
SCOPE_NOTES: tuple[str, ...] = _data.words("scope_notes")
TRAILING_WORDS: tuple[str, ...] = _data.words("trailing_words")
INCLUDING_NOTE: re.Pattern[str] = _data.pattern("including_note")
CLOSING_NOTE: re.Pattern[str] = _data.pattern("closing_note")
ENUMERATOR: re.Pattern[str] = _data.pattern("enumerator")
MEASURE_TAILS: dict[str, re.Pattern[str]] = {
    measure: re.compile(tail) for measure, tail in _data.table("measure_tails").items()}
REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement) for pattern, replacement in _data.entry("rewrites"))
HEAD_IMPLIED_IN_PERSONS: dict[str, str] = _data.table("head_implied_in_persons")
IMPLIED_METRIC: str = _data.text("implied_metric")
QUALIFYING_KINDS: frozenset[str] = frozenset(_data.words("qualifying_kinds"))
FILLER_WORDS: tuple[str, ...] = _data.words("filler_words")
MIN_NAME_AT_END: int = _data.number("min_name_at_end")
INDICATOR_RULES: tuple[Rule, ...] = _data.rules("indicator_rules")
RELATIVE_UNITS: frozenset[str] = frozenset(_data.words("relative_units"))
PERSON_UNITS: frozenset[str] = frozenset(_data.words("person_units"))
ORGANISATION_UNITS: frozenset[str] = frozenset(_data.words("organisation_units"))
