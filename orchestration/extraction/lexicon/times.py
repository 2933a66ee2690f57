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

# The time grammar.
NUMERAL_VALUES: dict[str, int] = _data.table("numeral_values")
NUMERAL_TEN: str = _data.text("numeral_ten")
YEARS_COUNTED: str = _data.text("years_counted")
# 去年, 上一年 …: the longest first, so that 上一年 is not read as 上 and 一年.
RELATIVE_YEAR = "|".join(sorted(OTHER_YEAR_BEFORE, key=len, reverse=True))
_grammar = _data.with_values(relative_year=RELATIVE_YEAR)
TIME_EXPRESSION: str = _grammar.text("time_expression")
TIME_STARTS: tuple[tuple[str, str], ...] = tuple((chars, context) for chars, context in _data.entry("time_starts"))
LISTED_SPAN: str = _data.text("listed_span")
COMPARISON_MARKS: tuple[str, ...] = _data.words("comparison_marks")
WHOLE_YEAR_WORDS: tuple[str, ...] = _data.words("whole_year_words")
PLAN_END_TAILS: tuple[str, ...] = _data.words("plan_end_tails")
PLAN_SINCE_TAIL: str = _data.text("plan_since_tail")
FIRST_HALF: str = _data.text("first_half")
MONTH_TAILS_WITHIN: tuple[str, ...] = _data.words("month_tails_within")
DAY_MARK: str = _data.text("day_mark")
YEAR_QUALIFIER_TAIL: str = _data.text("year_qualifier_tail")
AS_OF_WORDS: tuple[str, ...] = _data.words("as_of_words")
YEAR_WORD: str = _data.text("year_word")
