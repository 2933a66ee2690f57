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

SCALES: dict[str, Decimal] = {
    "万亿": Decimal("1000000000000"),
    "千万": Decimal("10000000"),
    "百万": Decimal("1000000"),
    "亿": Decimal("100000000"),
    "万": Decimal("10000"),
    "千": Decimal("1000"),
}

# Counters a fact can be counted in; the longest match wins (人次 before 人, 场次 before 场).
COUNTERS = (
    "人次 户次 家次 个次 场次 车次 架次 批次 班次 人 户 家 个 件 次 场 项 本 张 名 位 份 所 宗 笔 "
    "道 起 条 对 列 台 套 处 座 辆 期 篇 册 趟 亩 吨 平方米 公里 支 艘 倍 元"
).split()
# Units that mark a duration, an age, a date or a rank: numbers in them are conditions, not facts.
NON_FACT_UNITS = (
    "个工作日 工作日 个小时 小时 个月 分钟 周岁 岁 年 月 日 天 号 届 季度 周 秒 级 版 星 期间 强 后"
).split()
PERCENT_UNITS = {"%": "%", "个百分点": "百分点", "百分点": "百分点", "‰": "‰", "个千分点": "千分点", "千分点": "千分点"}
# No real figure is longer: a longer run of digits is table cells run together (1668811700001750…)
# and a longer Chinese numeral is a list or noise, not a number. Both bounds keep every value
# within the warehouse's decimal(38, 6) and keep the numeral reader (quadratic in length) fast.
MAX_INTEGER_DIGITS = 16
MAX_CHINESE_NUMERAL_LENGTH = 24
# A minus sign written before a figure (增长-0.86%, 为-1.1‰), but not a range's dash (1-9月, 5-10%).
_MINUS_SIGNS = "-−－﹣负"  # 负 before a figure is its sign (增速为负2.1%, 新增就业负5万人)
# Separators of thousands a number may be written with: 4,700, 1'000, 1 000 000.
_GROUPING = re.compile(r"[,'’\u2009\u202f ]")
_RANGE_ENDS = frozenset("%‰" + "".join(SCALES) + "".join(u for u in COUNTERS if len(u) == 1))
_EXPONENT_AFTER = re.compile(r"[eE][+-]?\d")
_EXPONENT_BEFORE = re.compile(r"\d[eE][+-]?$")
_EXPONENT_MARKS = frozenset("eE")
_EXPONENT_PARTS = frozenset("eE+-")

_UNIT_ALTERNATION = "|".join(
    re.escape(u)
    for u in sorted([*COUNTERS, *NON_FACT_UNITS, *PERCENT_UNITS], key=len, reverse=True)
)

_CN_DIGIT = "零〇一二两三四五六七八九"
# 三千五百, 一点五, and numerals with 万/亿 inside (二万五千, 两万零五百, 一百万零一).
_CN_NUMERAL = f"[{_CN_DIGIT}十百千]+(?:[万亿][{_CN_DIGIT}十百千]+)*(?:点[{_CN_DIGIT}]+)?"
_SCALE = "万亿|千万|百万|亿|万|千"
_HEDGES_AFTER = "|".join(counters.HEDGES_AFTER)
# A lone Chinese digit is almost always part of a phrase (一是, 二个平台, 三种模式, 五个加强): a
# Chinese numeral is a figure after 百分之, or with two or more numeral characters or a scale.
_CN_FIGURE_FOLLOWER = rf"(?:[{_CN_DIGIT}十百千]|点[{_CN_DIGIT}]|(?:多|余)?\s?(?:{_SCALE}))"
_CN_FIGURE_AHEAD = rf"(?=[{_CN_DIGIT}十百千]{_CN_FIGURE_FOLLOWER})"

QUANTITY = re.compile(
    rf"""
    (?P<percent_of>百分之)?
    (?P<number>
        (?<![\d.])(?:\d{{1,3}}(?:,\d{{3}})+(?![\d])   # 166881 / 4,700 / 2.58
                    # 1 000 000人, 1'000人: groups of three by a space or an apostrophe, before a unit
                    |\d{{1,3}}(?:['’\u2009\u202f ]\d{{3}})+(?=\s?(?:{_SCALE})?(?:{_UNIT_ALTERNATION}))
                    |\d+)(?:\.\d+)?
      | (?<![{_CN_DIGIT}十百千万亿])(?(percent_of)|{_CN_FIGURE_AHEAD})(?:{_CN_NUMERAL})  # 三千五百 / 一点五
    )
    (?P<hedge_after_number>多|余)?
    [^\S\n]?(?P<scale>{_SCALE})?
    (?P<hedge_after_scale>多|余)?
    [^\S\n]?(?P<unit>{_UNIT_ALTERNATION}|地(?=[\u4e00-\u9fff]))?
    (?P<per>/(?:人·月|人/月|人月|月|年|人|个|次|天|日|户|平方米))?
    (?P<hedge_after_unit>{_HEDGES_AFTER})?
    """,
    re.VERBOSE,
)

# Every quantity starts with a digit not inside a number (the pattern's lookbehind), 百 of 百分之,
# or a Chinese numeral character that more numeral characters or a scale follow.
QUANTITY_FIRST_CHAR = first_chars([
    (r"\d", r"(?<![\d.]\d)"),
    ("百", "(?=分之)"),
    (f"{_CN_DIGIT}十百千", f"(?={_CN_FIGURE_FOLLOWER})"),
])

_CLAUSE_CLOSE = re.compile(counters.CLAUSE_CLOSE)
_CLAUSE_START = re.compile(r"[,，。;；:：!！?？\n]")
_HEDGES_BEFORE = ("不少于", "不低于", "至少", "超过", "大约", "近", "约", "超", "逾")
# After a condition such as 800人以上 comes a noun it qualifies (800人以上安置点); after a stated
# amount comes punctuation or a verb.
_CONDITION_FOLLOWER = re.compile(r"(?:的|[\u4e00-\u9fff])")
_PEOPLE_NOUN = re.compile(r"[^,，;；。:：、]{0,10}?(?:人员|人口|人才|劳动力|毕业生|农民工|农民|职工|学生|群众|居民|人)")
# A ratio named right before its figure counts in 倍 (求人倍率1.24, 求人倍率分别为1.20、1.15).
_RATIO_BEFORE = re.compile(r"倍率[^,，;；。\d]{0,5}$")
# A scaled figure right after a change word counts in the unit of the figure stated before it
# (下岗职工三百一十万人,比去年底减少一百万).
_CHANGE_BEFORE = re.compile(r"(?:增加|减少|增长|下降|多|少)了?$")
# Tenths written with 成: 八成 is 80 %, 八成一 81 % (not 成员, 成本, 成果 … nor 一成不变).
# (The lookbehind stands after the first character so that `re` can skip ahead to that character.)
CHENG = re.compile(r"(?P<tens>[一二三四五六七八九])(?<![\u4e00-\u9fff]成.)成(?P<ones>[一二三四五六七八九])?"
                   r"(?![员本果立功效绩熟都交长就型为不以上])")
_CN_ONES = {ch: i + 1 for i, ch in enumerate("一二三四五六七八九")}


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
    if start == 0 or text[start - 1] not in _MINUS_SIGNS:
        return False
    before = text[start - 2] if start >= 2 else ""
    # After a figure with its unit or scale (5%-10%, 3万-5万人) the dash joins a range.
    return not (before.isdigit() or (before.isascii() and before.isalpha()) or before in _RANGE_ENDS)


def _per_unit(text: str, start: int, unit: str, per: str | None) -> str:
    if unit != "元":
        return unit
    if per:
        return "元" + per.replace("人月", "人·月").replace("人/月", "人·月")
    before = text[max(0, start - 6) : start]
    if "每人每月" in before or "人均每月" in before:
        return "元/人·月"
    if "每月" in before or "月人均" in before:
        return "元/月"
    return unit


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
            unit = "倍"
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
                unit = "人"
            elif quantities and _CHANGE_BEFORE.search(text, max(0, start - 3), start) \
                    and not re.search(r"[。;；!！?？\n]", text[quantities[-1].end : start]):
                unit = quantities[-1].unit
            elif _CLAUSE_CLOSE.match(text, m.end()):
                unit = _counter_of_subject(text, start)  # 收入将比上年增加六百亿: counted in 元
        if unit is None or unit in NON_FACT_UNITS:
            continue
        if text[max(0, start - 1) : start] == "第":
            continue  # ordinal: 第46届, 第二批
        if hedge_after in ("以上", "以下") and _CONDITION_FOLLOWER.match(text, m.end()):
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
        if hedge is None and text.endswith(_HEDGES_BEFORE, 0, start):
            hedge = next(h for h in _HEDGES_BEFORE if text.endswith(h, 0, start))
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
    if "成" not in text:
        return []
    found = []
    for m in CHENG.finditer(text):
        value = Decimal(_CN_ONES[m.group("tens")] * 10 + (_CN_ONES[m.group("ones")] if m.group("ones") else 0))
        hedge = next((h for h in _HEDGES_BEFORE if text.endswith(h, 0, m.start())), None)
        found.append(Quantity(start=m.start(), end=m.end(), number_end=m.end(), value=value, unit="%", hedge=hedge,
                              chinese=True))
    return found


_LIST_NUMBER = re.compile(r"[\d.]+[万亿千]?")
_JOINERS = "、|和|及|与|或|至|到|-|~"
_LIST_JOINER = re.compile(rf"^\s?(?:{_JOINERS})\s?$")
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
        joiner = _LIST_JOINER_BEFORE_UNIT if j > i else _LIST_JOINER
        if all(joiner.match(p) for p in pieces):
            return unit
    return None
