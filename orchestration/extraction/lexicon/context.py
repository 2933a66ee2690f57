"""Words that tell a report's own area and period: one place to add a word.

The words, patterns and rules are data: `orchestration/patterns/context.toml`, which says
why each is there. This module names them with their types (loaded once, `lexicon/__init__.py`).
"""

from __future__ import annotations

from . import load

_data = load("context")

LOCAL_ISSUER_BODIES: tuple[str, ...] = _data.words("local_issuer_bodies")
NATIONAL_ISSUERS: tuple[str, ...] = _data.words("national_issuers")
DATELINE: str = _data.text("dateline")
DATE_LINE_LABELS: tuple[str, ...] = _data.words("date_line_labels")
MAX_TITLE_LENGTH: int = _data.number("max_title_length")
TITLE_LINES: int = _data.number("title_lines")
GOAL_COLUMN_HEADERS: tuple[str, ...] = _data.words("goal_column_headers")
PROGRESS_COLUMN_HEADERS: tuple[str, ...] = _data.words("progress_column_headers")
PROGRESS_CELL_STARTS: tuple[str, ...] = _data.words("progress_cell_starts")
REGION_EVIDENCE_WEIGHTS: dict[str, float] = _data.table("region_evidence_weights")
REGION_WEIGHT_FLOOR: float = _data.number("region_weight_floor")
SELF_LEVEL_FIT: float = _data.number("self_level_fit")
COUNTRY_IN_LOCAL_TEXT: float = _data.number("country_in_local_text")
NAVIGATION_LINE_STARTS: tuple[str, ...] = _data.words("navigation_line_starts")
SELF_REFERENCE_COMPARISONS: tuple[str, ...] = _data.words("self_reference_comparisons")
PERIOD_EVIDENCE_WEIGHTS: dict[str, float] = _data.table("period_evidence_weights")
PAST_YEAR_WORDS: tuple[str, ...] = _data.words("past_year_words")
SCOPE_REACH: int = _data.number("scope_reach")
CHILD_REFERENCE: str = _data.text("child_reference")
CHILD_REFERENCE_PARENT_LEVELS: dict[str, tuple[str, ...]] = _data.table("child_reference_parent_levels")
SITE_NAME_LINE: str = _data.text("site_name_line")
BOILERPLATE_LINE_STARTS: tuple[str, ...] = _data.words("boilerplate_line_starts")
LEVEL_ENDINGS: str = _data.text("level_endings")
BEFORE_TWO_CHARACTER_NAME: str = _data.text("before_two_character_name")
QUOTED_NAME_REACH: int = _data.number("quoted_name_reach")
TOWN_ISSUER: str = _data.text("town_issuer")
SIGNATURE_REACH: int = _data.number("signature_reach")
CHILD_REFERENCE_WORDS: tuple[str, ...] = _data.words("child_reference_words")
DOCUMENT_NUMBER: str = _data.text("document_number")
ISSUER: str = _data.text("issuer")
PUBLISH_DATE: str = _data.text("publish_date")
TRAILING_DATE: str = _data.text("trailing_date")
FULL_DATE: str = _data.text("full_date")
EXPLICIT_YEAR: str = _data.text("explicit_year")
HEADING: str = _data.text("heading")
SELF_REFERENCE: str = _data.text("self_reference")
FIGURE_CAPTION: str = _data.text("figure_caption")
SELF_REFERENCE_WORDS: tuple[str, ...] = _data.words("self_reference_words")
SELF_REFERENCE_BODY_LEVELS: tuple[str, ...] = _data.words("self_reference_body_levels")
PAGE_LABEL: str = _data.text("page_label")
NATIONAL_ISSUER: str = _data.text("national_issuer")
LEVEL_WORD_FITS: tuple[tuple[str, str, frozenset[str]], ...] = tuple(
    (word, ending, frozenset(levels.split())) for word, ending, levels in _data.entry("level_word_fits"))
ISSUER_LEVEL_WORDS: tuple[str, ...] = _data.words("issuer_level_words")
RANKED_IN_BEFORE: tuple[str, ...] = _data.words("ranked_in_before")
