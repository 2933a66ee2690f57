"""Which program a figure belongs to: the words that mark a program's name, and the ordered rules.

The words, patterns and rules are data: `orchestration/patterns/programs.toml`, which says
why each is there. This module names them with their types (loaded once, `lexicon/__init__.py`).
"""

from __future__ import annotations

from . import load
from .rules import Rule

_data = load("programs")

PROGRAM_NAME_ENDINGS: tuple[str, ...] = _data.words("program_name_endings")
PROGRAM_WORDS_AFTER_QUOTE: tuple[str, ...] = _data.words("program_words_after_quote")
PROGRAM_START_VERBS: tuple[str, ...] = _data.words("program_start_verbs")
UNQUOTED_PROGRAM_ENDINGS: tuple[str, ...] = _data.words("unquoted_program_endings")
PROGRAM_RULES: tuple[Rule, ...] = _data.rules("program_rules")
STARTED_PROGRAM: str = _data.text("started_program")
