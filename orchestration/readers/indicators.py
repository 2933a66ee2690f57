"""Which indicators the warehouse holds, for `zhibiao indicators [WORD]`, and the ones closest to a
name it does not know, for `zhibiao chart`'s "did you mean".

Both read through `run_read_only`, so they see what `zhibiao sql` sees: the published snapshot of
a lake, the marts of a file, under the same sandbox.
"""

from __future__ import annotations

import difflib

from ..warehouse.connection import AddressLike
from .query import QueryResult, run_read_only

# An indicator matches a word when its code (any case), its name or one of its aliases contains it:
# a Chinese word needs no pinyin, an English one matches the catalogue's codes.
INDICATORS_SQL = """
with matching as (
    select indicator_key, coalesce(nullif(indicator_code, ''), '') as code, indicator_name as name,
           in_catalogue
    from marts.dim_indicator
    where $word = ''
       or contains(lower(coalesce(indicator_code, '')), lower($word))
       or contains(indicator_name, $word)
       or contains(coalesce(aliases, ''), $word)
)
select m.code, m.name, count(*) as facts,
       count(distinct f.region_key) as regions,
       count(distinct f.period_key) filter (where f.period_key <> 'unknown') as periods,
       -- the earliest (then shortest) period and the latest-ending (then shortest) one; the key breaks
       -- ties, so the listing is the same whatever order the rows are read in
       min({'start': p.start_date, 'end': p.end_date, 'key': f.period_key})
           filter (where f.period_key <> 'unknown').key as first_period,
       max({'end': p.end_date, 'start': p.start_date, 'key': f.period_key})
           filter (where f.period_key <> 'unknown').key as last_period,
       string_agg(distinct f.measure, ',' order by f.measure) as measures
from matching m
join marts.fact_indicator f on f.indicator_key = m.indicator_key and f.is_current
left join marts.dim_period p on p.period_key = f.period_key
group by m.code, m.name, m.in_catalogue
order by facts desc, m.in_catalogue desc, m.code, m.name
"""

NAMES_SQL = """
select coalesce(nullif(i.indicator_code, ''), i.indicator_name) as shown, i.indicator_code, i.indicator_name,
       coalesce(i.aliases, '') as aliases, count(*) as facts
from marts.dim_indicator i
join marts.fact_indicator f on f.indicator_key = i.indicator_key and f.is_current
group by all
"""

# difflib's ratio below which a name is no suggestion: a typo of a code or a name with one or two
# characters missing or changed stays above it; an unrelated word of the same script does not.
SUGGESTION_CUTOFF = 0.6


def indicators(warehouse: AddressLike, word: str = "", snapshot: int | None = None) -> QueryResult:
    """The indicators with current facts, most facts first, those whose code, name or alias contains
    `word` ('' for all): code ('' outside the catalogue), name, facts, regions, periods, first and
    last period, measures; on a lake at `snapshot` when given."""
    return run_read_only(warehouse, INDICATORS_SQL, parameters={"word": word.strip()}, snapshot=snapshot)


def closest_indicators(warehouse: AddressLike, word: str, limit: int = 5) -> list[str]:
    """Codes (or names, outside the catalogue) of the indicators closest to `word`: those whose code,
    name or alias contains it, then those spelled most like it; the more facts, the earlier."""
    rows = run_read_only(warehouse, NAMES_SQL).rows
    needle = word.strip().lower()
    if not needle:
        return []
    scored: dict[str, tuple[float, int]] = {}
    for shown, code, name, aliases, facts in rows:
        spellings = [s for s in [(code or "").lower(), name, *aliases.split("|")] if s]
        if any(needle in s for s in spellings):
            score = 2.0  # contains the word: before any spelled alike
        else:
            score = max(_likeness(needle, s) for s in spellings)
        if score >= SUGGESTION_CUTOFF:
            scored[shown] = max(scored.get(shown, (0.0, 0)), (score, facts))
    return sorted(scored, key=lambda s: (-scored[s][0], -scored[s][1], s))[:limit]


def _likeness(word: str, spelling: str) -> float:
    """How alike `word` is to `spelling` or to the part of a longer spelling that resembles it most
    (a misspelt `unemploymnt_rate` is most like the end of registered_unemployment_rate)."""
    whole = difflib.SequenceMatcher(None, word, spelling).ratio()
    width = len(word) + 1
    parts = (spelling[i : i + width] for i in range(max(1, len(spelling) - width + 1)))
    return max(whole, *(difflib.SequenceMatcher(None, word, part).ratio() for part in parts))
