"""Numbers that are no facts, by the words around them: data only, compiled by `extraction/pipeline.py`.

The words, patterns and rules are data: `orchestration/patterns/non_facts.toml`, which says
why each is there. This module names them with their types (loaded once, `lexicon/__init__.py`).
"""

from __future__ import annotations

from . import load

_data = load("non_facts")

SET_REFERENCE_BEFORE: str = _data.text("set_reference_before")
SECTION_COUNT_BEFORE: str = _data.text("section_count_before")
SECTION_COUNT_UNIT: str = _data.text("section_count_unit")
SECTION_COUNT_AFTER: str = _data.text("section_count_after")
CURRENCY_CONVERSION_BEFORE: str = _data.text("currency_conversion_before")
THRESHOLD_BEFORE: str = _data.text("threshold_before")
SAMPLE_BEFORE: str = _data.text("sample_before")
SAMPLE_UNITS: tuple[str, ...] = _data.words("sample_units")
SAMPLE_AFTER: str = _data.text("sample_after")
SAMPLE_REPORTING_AFTER: str = _data.text("sample_reporting_after")
PLACES_IN_SCOPE_BEFORE: str = _data.text("places_in_scope_before")
PLACES_IN_SCOPE_UNITS: tuple[str, ...] = _data.words("places_in_scope_units")
PLACES_IN_SCOPE_AFTER: str = _data.text("places_in_scope_after")
