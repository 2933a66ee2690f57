"""The words right around a figure's number: data only, read by `extraction/numbers.py`.

The words are data: `orchestration/patterns/counters.toml`, which says why each is there. This
module names them with their types (loaded once, `lexicon/__init__.py`).
"""

from __future__ import annotations

from . import load

_data = load("counters")

COUNTERS_BY_SUBJECT: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (counter, tuple(words)) for counter, *words in _data.entry("counters_by_subject"))
CLAUSE_CLOSE: str = _data.text("clause_close")
HEDGES_AFTER: tuple[str, ...] = _data.words("hedges_after")
