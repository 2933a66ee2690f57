"""The words right around a figure's number and the numeral grammar: data only, read by
`extraction/numbers.py`.

The words are data: `orchestration/patterns/counters.toml`, which says why each is there. This
module names them with their types (loaded once, `lexicon/__init__.py`).
"""

from __future__ import annotations

import re
from decimal import Decimal

from . import load

_data = load("counters")

COUNTERS_BY_SUBJECT: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (counter, tuple(words)) for counter, *words in _data.entry("counters_by_subject"))
CLAUSE_CLOSE: str = _data.text("clause_close")
HEDGES_AFTER: tuple[str, ...] = _data.words("hedges_after")

# The numeral grammar.
SCALES: dict[str, Decimal] = {word: Decimal(factor) for word, factor in _data.entry("scales")}
COUNTERS: tuple[str, ...] = _data.words("counters")
NON_FACT_UNITS: tuple[str, ...] = _data.words("non_fact_units")
PERCENT_UNITS: dict[str, str] = _data.table("percent_units")
MINUS_SIGNS: str = _data.text("minus_signs")
NEGATIVE_WORD: str = _data.text("negative_word")
CHINESE_DIGITS: str = _data.text("chinese_digits")
CHINESE_ORDERS: str = _data.text("chinese_orders")
PERCENT_OF: str = _data.text("percent_of")
HEDGES_BEFORE: tuple[str, ...] = _data.words("hedges_before")
CONDITION_HEDGES: tuple[str, ...] = _data.words("condition_hedges")
CONDITION_FOLLOWER: str = _data.text("condition_follower")
ORDINAL_MARK: str = _data.text("ordinal_mark")
PEOPLE_NOUN: str = _data.text("people_noun")
PEOPLE_UNIT: str = _data.text("people_unit")
RATIO_BEFORE: str = _data.text("ratio_before")
RATIO_UNIT: str = _data.text("ratio_unit")
CHANGE_BEFORE: str = _data.text("change_before")
MONEY_UNIT: str = _data.text("money_unit")
PER_SPELLINGS: dict[str, str] = _data.table("per_spellings")
PER_BEFORE: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (per, tuple(words)) for per, *words in _data.entry("per_before"))
TENTHS_WORD: str = _data.text("tenths_word")
TENTHS_DIGITS: str = _data.text("tenths_digits")
LIST_NUMBER: str = _data.text("list_number")
LIST_NUMBER_JOINERS: tuple[str, ...] = _data.words("list_number_joiners")

# Patterns that name the scale words and every unit: the longest first, so that the longest wins.
SCALE_ALTERNATION = "|".join(SCALES)
UNIT_ALTERNATION = "|".join(
    re.escape(u) for u in sorted([*COUNTERS, *NON_FACT_UNITS, *PERCENT_UNITS], key=len, reverse=True))
_grammar = _data.with_values(scale=SCALE_ALTERNATION, units=UNIT_ALTERNATION)
QUANTITY: str = _grammar.text("quantity")
CHINESE_FIGURE_FOLLOWER: str = _grammar.text("chinese_figure_follower")
TENTHS: str = _data.text("tenths")
MONEY_PER_UNIT: str = _data.text("money_per_unit")
RATE_UNITS: tuple[str, ...] = _data.words("rate_units")
