"""Find the quantities in normalised text: the number, its exact value, its unit and its hedge.

Arabic numbers are scaled with Decimal (32488.79万元 is exactly 324887900 元). Chinese numerals
(三千五百万, 百分之二十七点九, 一点五万) are read with cn2an, which is exact for numerals only;
scale words and units around them are handled here. A number with no unit a warehouse can use
(years, dates, list markers, ordinals, ages, durations) is not a quantity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

from .lexicon import counters
from .scanning import finditer_from, first_chars

SCALES = counters.SCALES
COUNTERS = counters.COUNTERS
NON_FACT_UNITS = counters.NON_FACT_UNITS
PERCENT_UNITS = counters.PERCENT_UNITS
# No real figure is longer: a longer run of digits is table cells run together (1668811700001750…)
# and a longer Chinese numeral is a list or noise, not a number. Both bounds keep every value
# within the warehouse's decimal(38, 6) and keep the numeral reader (quadratic in length) fast.
MAX_INTEGER_DIGITS = 16
MAX_CHINESE_NUMERAL_LENGTH = 24
# Separators of thousands a number may be written with: 4,700, 1'000, 1 000 000.
_GROUPING = re.compile(r"[,'’\u2009\u202f ]")
_RANGE_ENDS = frozenset("%‰" + "".join(SCALES) + "".join(u for u in COUNTERS if len(u) == 1))
_EXPONENT_AFTER = re.compile(r"[eE][+-]?\d")
_EXPONENT_BEFORE = re.compile(r"\d[eE][+-]?$")
_EXPONENT_MARKS = frozenset("eE")
_EXPONENT_PARTS = frozenset("eE+-")

QUANTITY = re.compile(counters.QUANTITY, re.VERBOSE)

# Every quantity starts with a digit not inside a number (the pattern's lookbehind), the first
# character of 百分之 before the rest, or a Chinese numeral character that more numeral characters or
# a scale follow.
QUANTITY_FIRST_CHAR = first_chars([
    (r"\d", r"(?<![\d.]\d)"),
    (counters.PERCENT_OF[0], f"(?={re.escape(counters.PERCENT_OF[1:])})"),
    (counters.CHINESE_DIGITS + counters.CHINESE_ORDERS, f"(?={counters.CHINESE_FIGURE_FOLLOWER})"),
])

_CLAUSE_CLOSE = re.compile(counters.CLAUSE_CLOSE)
_CLAUSE_START = re.compile(r"[,，。;；:：!！?？\n]")
_CONDITION_FOLLOWER = re.compile(counters.CONDITION_FOLLOWER)
_PEOPLE_NOUN = re.compile(counters.PEOPLE_NOUN)
_RATIO_BEFORE = re.compile(counters.RATIO_BEFORE)
_CHANGE_BEFORE = re.compile(counters.CHANGE_BEFORE)
CHENG = re.compile(counters.TENTHS)
_CN_ONES = {ch: i + 1 for i, ch in enumerate(counters.TENTHS_DIGITS)}


@dataclass(slots=True)
class Quantity:
    """A number with its unit, found at [start, end) of the normalised text."""

    start: int  # first character of the number (or of 百分之)
    end: int  # end of the number with its scale and unit
    number_end: int  # end of the numeral itself
    value: Decimal  # in base units: scale words multiplied out
    unit: str  # base unit: 人, 元, %, 百分点, 元/月 …
    hedge: str | None  # 多, 余, 近, 超过, 以上 …
    chinese: bool  # written in Chinese numerals


def parse_numeral(text: str) -> Decimal | None:
    """Exact value of an Arabic or Chinese numeral without scale words (None if unreadable)."""
    if text and text[0].isdigit():
        try:
            return Decimal(_GROUPING.sub("", text))
        except InvalidOperation:
            return None
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return Decimal(str(value))


def _too_long(numeral: str, chinese: bool) -> bool:
    if len(numeral) <= min(MAX_INTEGER_DIGITS, MAX_CHINESE_NUMERAL_LENGTH):
        return False  # most numerals: short enough whatever they are written in
    if chinese:
        return len(numeral) > MAX_CHINESE_NUMERAL_LENGTH
    return len(_GROUPING.sub("", numeral.split(".")[0])) > MAX_INTEGER_DIGITS


def _in_exponent_notation(text: str, start: int, end: int) -> bool:
    """1e308: neither 1 nor 308 is the figure, and no rule here reads exponents, so leave it."""
    if text[end : end + 1] not in _EXPONENT_MARKS and text[start - 1 : start] not in _EXPONENT_PARTS:
        return False  # most numbers: no e beside them
    return bool(_EXPONENT_AFTER.match(text, end) or _EXPONENT_BEFORE.search(text, max(0, start - 3), start))


def _signed_negative(text: str, start: int) -> bool:
    if start == 0 or text[start - 1] not in counters.MINUS_SIGNS:
        return False
    before = text[start - 2] if start >= 2 else ""
    # After a figure with its unit or scale (5%-10%, 3万-5万人) the dash joins a range.
    return not (before.isdigit() or (before.isascii() and before.isalpha()) or before in _RANGE_ENDS)


def _per_unit(text: str, start: int, unit: str, per: str | None) -> str:
    if unit != counters.MONEY_UNIT:
        return unit
    if per:
        return unit + "/" + counters.PER_SPELLINGS.get(per[1:], per[1:])
    before = text[max(0, start - 6) : start]
    return unit + next((per for per, words in counters.PER_BEFORE if any(w in before for w in words)), "")


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, with units inherited along lists and ranges (5-10%, 3、4万人)."""
    raw: list[tuple[re.Match[str], str | None]] = []
    for m in finditer_from(QUANTITY, QUANTITY_FIRST_CHAR, text):
        percent_of, numeral, unit = m.group("percent_of", "number", "unit")
        chinese = not numeral[0].isdigit()
        if _too_long(numeral, chinese) or _in_exponent_notation(text, *m.span("number")):
            continue
        if percent_of:
            unit = "%"
        if unit is None and not chinese and _RATIO_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            unit = counters.RATIO_UNIT
        raw.append((m, unit))
    raw = _with_list_units(text, raw)

    quantities: list[Quantity] = []
    for m, unit in raw:
        percent_of, numeral, scale, per, hedge_after, hedge_after_number, hedge_after_scale = m.group(
            "percent_of", "number", "scale", "per", "hedge_after_unit", "hedge_after_number", "hedge_after_scale")
        start = m.start("percent_of") if percent_of else m.start("number")
        if unit is None and scale:
            # 327.26万建档立卡贫困人员: a scaled count of people with the counter left out.
            if _PEOPLE_NOUN.match(text, m.end()):
                unit = counters.PEOPLE_UNIT
            elif quantities and _CHANGE_BEFORE.search(text, max(0, start - 3), start) \
                    and not re.search(r"[。;；!！?？\n]", text[quantities[-1].end : start]):
                unit = quantities[-1].unit
            elif _CLAUSE_CLOSE.match(text, m.end()):
                unit = _counter_of_subject(text, start)  # 收入将比上年增加六百亿: counted in 元
        if unit is None or unit in NON_FACT_UNITS:
            continue
        if text[max(0, start - 1) : start] == counters.ORDINAL_MARK:
            continue  # ordinal: 第46届, 第二批
        if hedge_after in counters.CONDITION_HEDGES and _CONDITION_FOLLOWER.match(text, m.end()):
            continue  # a condition qualifying a noun: 800人以上安置点, 60周岁以上人员
        value = parse_numeral(numeral)
        if value is None:
            continue
        chinese = not numeral[0].isdigit()
        if not chinese and _signed_negative(text, start):
            value = -value
        if scale:
            value *= SCALES[scale]
        base_unit = PERCENT_UNITS.get(unit, unit)
        hedge = hedge_after_number or hedge_after_scale or hedge_after
        if hedge is None and text.endswith(counters.HEDGES_BEFORE, 0, start):
            hedge = next(h for h in counters.HEDGES_BEFORE if text.endswith(h, 0, start))
        quantities.append(
            Quantity(
                start=start,
                end=m.end() - len(hedge_after or ""),  # 以上/以内 qualify the number, not its text
                number_end=m.end("number"),
                value=value,
                unit=_per_unit(text, start, base_unit, per),
                hedge=hedge,
                chinese=chinese,
            )
        )
    quantities.extend(_tenths(text))
    quantities.sort(key=lambda q: q.start)
    return quantities


def _counter_of_subject(text: str, start: int) -> str | None:
    """The counter the subject of the clause ending at `start` is measured in, if it says."""
    clause = _CLAUSE_START.split(text[max(0, start - 30) : start])[-1]
    return next((counter for counter, words in counters.COUNTERS_BY_SUBJECT if any(w in clause for w in words)), None)


def _tenths(text: str) -> list[Quantity]:
    """八成 (80 %), 八成一 (81 %), 近八成: shares written in tenths."""
    if counters.TENTHS_WORD not in text:
        return []
    found = []
    for m in CHENG.finditer(text):
        value = Decimal(_CN_ONES[m.group("tens")] * 10 + (_CN_ONES[m.group("ones")] if m.group("ones") else 0))
        hedge = next((h for h in counters.HEDGES_BEFORE if text.endswith(h, 0, m.start())), None)
        found.append(Quantity(start=m.start(), end=m.end(), number_end=m.end(), value=value, unit="%", hedge=hedge,
                              chinese=True))
    return found


_LIST_NUMBER = re.compile(counters.LIST_NUMBER)
_JOINERS = "|".join(counters.LIST_NUMBER_JOINERS)
# Nothing but what joins two numbers of a list or a range (3、4万人, 5%-10%).
LIST_OR_RANGE_JOINER = re.compile(rf"^\s?(?:{_JOINERS})\s?$")
# A comma joins bare figures to the unit after them (1,2,3人), never a figure to the unit before
# it, where a comma more often ends a clause (占45.03%,2018-2019年…).
_LIST_JOINER_BEFORE_UNIT = re.compile(rf"^\s?(?:{_JOINERS}|,|，)\s?$")


def _with_list_units(text: str, raw: list[tuple[re.Match[str], str | None]]
                     ) -> list[tuple[re.Match[str], str | None]]:
    """`raw` with a list's unit passed along the whole list (1、2、3、4人: each is 人, not only the
    two nearest the unit): one sweep from the end carries a last figure's unit back, one from the
    start carries a first figure's forward. Linear, however long the list."""
    if all(unit is not None for _, unit in raw):
        return raw  # most texts: every figure has its own unit
    raw = list(raw)
    bare = [i for i, (_, unit) in enumerate(raw) if unit is None]
    for order in (reversed(bare), bare):
        for i in order:
            if raw[i][1] is None:
                raw[i] = (raw[i][0], _inherited_unit(text, raw, i))
    return raw


def _inherited_unit(text: str, raw: list[tuple[re.Match[str], str | None]], i: int) -> str | None:
    """A unit-less number takes the unit of its neighbour in a list or range (both directions)."""
    m = raw[i][0]
    for j in (i + 1, i + 2, i - 1, i - 2):
        if not 0 <= j < len(raw):
            continue
        other, unit = raw[j]
        if unit is None or unit in NON_FACT_UNITS:
            continue
        lo, hi = (m, other) if j > i else (other, m)
        # Every gap between the two (and any numbers in between) must be a list joiner.
        gap_start = lo.end()
        gap_end = hi.start()
        gap = text[gap_start:gap_end]
        pieces = _LIST_NUMBER.split(gap)
        joiner = _LIST_JOINER_BEFORE_UNIT if j > i else LIST_OR_RANGE_JOINER
        if all(joiner.match(p) for p in pieces):
            return unit
    return None
