"""When a figure is: the ordered rules that decide its period.

The words, patterns and rules are data: `orchestration/patterns/times.toml`, which says
why each is there. This module names them with their types (loaded once, `lexicon/__init__.py`).
"""

from __future__ import annotations

from . import load
from .rules import Rule

_data = load("times")

BACKGROUND_BEFORE: tuple[str, ...] = _data.words("background_before")
OTHER_YEAR_BEFORE: dict[str, int] = _data.table("other_year_before")
RECENT_WORDS: tuple[str, ...] = _data.words("recent_words")
SCOPE_SENTENCE: str = _data.text("scope_sentence")
PERIOD_RULES: tuple[Rule, ...] = _data.rules("period_rules")
