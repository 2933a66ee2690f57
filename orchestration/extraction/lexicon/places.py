"""Where a figure is: the ordered rules that decide its region.

The words, patterns and rules are data: `orchestration/patterns/places.toml`, which says
why each is there. This module names them with their types (loaded once, `lexicon/__init__.py`).
"""

from __future__ import annotations

from . import load
from .rules import Rule

_data = load("places")

SUB_AREA_ENDINGS: tuple[str, ...] = _data.words("sub_area_endings")
COUNTRY_LEVEL: str = _data.text("country_level")
PROVINCE_LEVEL: str = _data.text("province_level")
OWN_WORD: str = _data.text("own_word")
URBAN_DISTRICTS: str = _data.text("urban_districts")
SUB_AREA: str = _data.text("sub_area")
SUB_AREA_MAX_INFIX: int = _data.number("sub_area_max_infix")
OWN_SUB_AREA: str = _data.text("own_sub_area")
TOWN_NAME: str = _data.text("town_name")
UNKNOWN_PLACE_NAME: str = _data.text("unknown_place_name")
REGION_SUBJECT_FOLLOWERS: tuple[str, ...] = _data.words("region_subject_followers")
REGION_RULES: tuple[Rule, ...] = _data.rules("region_rules")
SELF_WORD: str = _data.text("self_word")
REGION_LEAD_FILLER: str = _data.text("region_lead_filler")
