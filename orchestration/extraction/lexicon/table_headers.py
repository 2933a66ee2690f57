"""Words of flattened tables' column headers that say what a column's figures measure.

The words, patterns and rules are data: `orchestration/patterns/table_headers.toml`, which says
why each is there. This module names them with their types (loaded once, `lexicon/__init__.py`).
"""

from __future__ import annotations

from . import load

_data = load("table_headers")

AMOUNT_DONE_HEADERS: tuple[str, ...] = _data.words("amount_done_headers")
TIME_STUB_WORDS: tuple[str, ...] = _data.words("time_stub_words")
MONTH_ROW_LABEL: str = _data.text("month_row_label")
UNIT_LINE: str = _data.text("unit_line")
PIPE_TABLE_MEASURES: tuple[tuple[str, tuple[str, ...]], ...] = _data.entry("pipe_table_measures")
GRID_MEASURES: tuple[tuple[str, str], ...] = _data.entry("grid_measures")
CELL_LIST_MEASURES: tuple[tuple[str, str], ...] = _data.entry("cell_list_measures")
STUB_WORDS: frozenset[str] = frozenset(_data.words("stub_words"))
OWN_AREA_ROW: str = _data.text("own_area_row")
OWN_BODY_ROW: str = _data.text("own_body_row")
INDICATOR_COLUMN_FILLERS: tuple[str, ...] = _data.words("indicator_column_fillers")
TABLE_TITLE_TAILS: tuple[str, ...] = _data.words("table_title_tails")
VALUE_COLUMN_WORDS: tuple[str, ...] = _data.words("value_column_words")
TABLE_NUMBER: str = _data.text("table_number")
PLACE_COLUMN: str = _data.text("place_column")
PLACE_KIND_ENDINGS: dict[str, str] = _data.table("place_kind_endings")
BODY_LABEL_ENDINGS: tuple[str, ...] = _data.words("body_label_endings")
NAME_ENDING_UNITS: tuple[tuple[str, str], ...] = _data.entry("name_ending_units")
TITLE_PLACES_PREFIX: str = _data.text("title_places_prefix")
NAME_HEADER_WORDS: tuple[str, ...] = _data.words("name_header_words")
UNIT_HEADER_WORDS: tuple[str, ...] = _data.words("unit_header_words")
NUMBER_CELL: str = _data.text("number_cell")
GRID_UNIT_LINE: str = _data.text("grid_unit_line")
LEADING_SERIAL: str = _data.text("leading_serial")
PART_MARK: str = _data.text("part_mark")
RATE_OF_CHANGE: str = _data.text("rate_of_change")
CELL_HEADER: str = _data.text("cell_header")
SERIAL_HEADERS: tuple[str, ...] = _data.words("serial_headers")
SERIAL_CELL: str = _data.text("serial_cell")
YEAR_CELL: str = _data.text("year_cell")
QUARTER_CELL: str = _data.text("quarter_cell")
COMPLETION_HEADER_WORDS: tuple[str, ...] = _data.words("completion_header_words")
RATE_ENDING: str = _data.text("rate_ending")
TARGET_CELL_TAILS: tuple[str, ...] = _data.words("target_cell_tails")
