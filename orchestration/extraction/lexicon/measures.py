"""What a figure measures: the words that decide it, and the ordered rules that use them.

The words, patterns and rules are data: `orchestration/patterns/measures.toml`, which says
why each is there. This module names them with their types (loaded once, `lexicon/__init__.py`).
"""

from __future__ import annotations

from . import load
from .rules import Rule

_data = load("measures")

CHANGE_UP: tuple[str, ...] = _data.words("change_up")
CHANGE_DOWN: tuple[str, ...] = _data.words("change_down")
CHANGE_INTENSIFIERS: tuple[str, ...] = _data.words("change_intensifiers")
YEAR_ON_YEAR: tuple[str, ...] = _data.words("year_on_year")
MONTH_ON_MONTH: tuple[str, ...] = _data.words("month_on_month")
GOAL_WORDS: tuple[str, ...] = _data.words("goal_words")
KEPT_AT: str = _data.text("kept_at")
BOUND_AFTER: tuple[str, ...] = _data.words("bound_after")
PLAN_VERBS: tuple[str, ...] = _data.words("plan_verbs")
SENTENCE_GOAL: tuple[str, ...] = _data.words("sentence_goal")
ACHIEVED: tuple[str, ...] = _data.words("achieved")
SHARE_WORDS: tuple[str, ...] = _data.words("share_words")
COMPLETION_WORDS: tuple[str, ...] = _data.words("completion_words")
SHARE_OF: str = _data.text("share_of")
COMPLETION_RATE: str = _data.text("completion_rate")
BASIS_AGAINST: str = _data.text("basis_against")
BASIS_MONTH_ON_MONTH: str = _data.text("basis_month_on_month")
SAME_PERIOD: str = _data.text("same_period")
LINE_DIFFERENCE_UNITS: tuple[str, ...] = _data.words("line_difference_units")
COMPLETION_OF_PLAN: str = _data.text("completion_of_plan")
ANOTHER_GOAL: str = _data.text("another_goal")
DONE_RIGHT_BEFORE: str = _data.text("done_right_before")
BELOW_LINE: tuple[str, ...] = _data.words("below_line")
ABOVE_LINE: tuple[str, ...] = _data.words("above_line")
LOWER_THAN: tuple[str, ...] = _data.words("lower_than")
DIFFERENCE_FROM_LINE: str = _data.text("difference_from_line")
GOAL_AFTER_FIGURE: str = _data.text("goal_after_figure")
COMPLETION_ANCHORS: tuple[str, ...] = _data.words("completion_anchors")
MEASURE_RULES: tuple[Rule, ...] = _data.rules("measure_rules")
CHANGE_VERB_BEFORE_FIGURE: str = _data.text("change_verb_before_figure")
EXPLICIT_BASIS: str = _data.text("explicit_basis")
TARGET: str = _data.text("target")
BASIS_PHRASE: str = _data.text("basis_phrase")
FULFIL_TARGET: str = _data.text("fulfil_target")
