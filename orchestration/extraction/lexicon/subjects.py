"""What a figure counts: the words around a subject phrase that name nothing, and the ordered rules

The words, patterns and rules are data: `orchestration/patterns/subjects.toml`, which says
why each is there. This module names them with their types (loaded once, `lexicon/__init__.py`).
"""

from __future__ import annotations

from . import load
from .rules import Rule

_data = load("subjects")

PLACE_SET: str = _data.text("place_set")
LEAD_FILLERS: tuple[str, ...] = _data.words("lead_fillers")
MEASURING_WORDS: tuple[str, ...] = _data.words("measuring_words")
SCHEME_SHORT_NAMES: dict[str, str] = _data.table("scheme_short_names")
TOPIC_METRICS: tuple[str, ...] = _data.words("topic_metrics")
TOPIC_METRIC_FUND: str = _data.text("topic_metric_fund")
ACTORLESS_VERBS: tuple[str, ...] = _data.words("actorless_verbs")
OBJECT_VERBS: tuple[str, ...] = _data.words("object_verbs")
TOPIC_TAILS: tuple[str, ...] = _data.words("topic_tails")
NON_ADDITIVE_WORDS: tuple[str, ...] = _data.words("non_additive_words")
RECIPIENT_UNITS: tuple[str, ...] = _data.words("recipient_units")
PAYMENT_WORDS: tuple[str, ...] = _data.words("payment_words")
TRAIL_WORDS: tuple[str, ...] = _data.words("trail_words")
RANKING_AFTER_SELF: tuple[str, ...] = _data.words("ranking_after_self")
RANKED_LIST_MARKERS: tuple[str, ...] = _data.words("ranked_list_markers")
RANKED_MEASURE_WORDS: tuple[tuple[str, str], ...] = _data.entry("ranked_measure_words")
SUBJECT_RULES: tuple[Rule, ...] = _data.rules("subject_rules")
FOREIGN_WORDS: str = _data.text("foreign_words")
SCHEME_ENDINGS: tuple[str, ...] = _data.words("scheme_endings")
LIST_JOINERS: tuple[str, ...] = _data.words("list_joiners")
BREAKDOWN_WORD: str = _data.text("breakdown_word")
BREAKDOWN_OPENINGS: tuple[str, ...] = _data.words("breakdown_openings")
POSSESSIVE: str = _data.text("possessive")
WORDS_HOLDING_A_JOINER: tuple[str, ...] = _data.words("words_holding_a_joiner")
LIST_ITEM_METRICS: tuple[str, ...] = _data.words("list_item_metrics")
LIST_ITEM_METRIC_LEADS: tuple[str, ...] = _data.words("list_item_metric_leads")
PAYING_VERBS: tuple[str, ...] = _data.words("paying_verbs")
AMOUNT_METRICS: tuple[str, ...] = _data.words("amount_metrics")
JOINER_GAP: str = _data.text("joiner_gap")
NEXT_LIST_ITEM: str = _data.text("next_list_item")
RESPECTIVELY: str = _data.text("respectively")
RANGE_JOINER: str = _data.text("range_joiner")
MEMBERS_BEFORE: str = _data.text("members_before")
BREAKDOWN_OPENER: str = _data.text("breakdown_opener")
VERB_PHRASE: str = _data.text("verb_phrase")
SCHEME_STEM: str = _data.text("scheme_stem")
TOPIC_TAIL: str = _data.text("topic_tail")
STATED_ITEM_COUNT: str = _data.text("stated_item_count")
ORDINAL_LIST: str = _data.text("ordinal_list")
ORDINAL_PREFIX: str = _data.text("ordinal_prefix")
