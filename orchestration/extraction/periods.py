"""Periods: what time a report covers and what time each statement in it refers to.

Periods are written as in GOLD_SCHEMA.md: `2020` (year), `2020H1` (half), `2020Q2` (quarter),
`2020-06` (a month, or an as-of date within it) and `2015/2017` (a span of years). A statement
about the last month of the report's own period (截至6月底 in a half-year report) is about the
report's period itself.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .lexicon import times
from .scanning import SpanSet, finditer_from, first_chars
from .text import HAN


def time_number(text: str) -> int:
    """A year, month, quarter or count written in digits or Chinese numerals: 2021, 二〇二一, 二00九,
    九, 十二, 两."""
    if text.isdigit() and text.isascii():
        return int(text)
    if text.startswith(times.NUMERAL_TEN):
        return 10 + (times.NUMERAL_VALUES[text[1]] if len(text) > 1 else 0)
    return int("".join(str(times.NUMERAL_VALUES.get(ch, ch)) for ch in text))


TIME_EXPRESSION = re.compile(times.TIME_EXPRESSION, re.VERBOSE)

# The scan tries the pattern only where a time expression can start (times.toml's time_starts).
TIME_FIRST_CHAR = first_chars([
    *times.TIME_STARTS,
    # 近五年, 过去十年: each word's first character, where its rest and a count of years follow.
    *((word[0], f"(?={re.escape(word[1:])}{times.YEARS_COUNTED})") for word in times.RECENT_WORDS),
    # 去年, 上一年 …: each word's first character, where the rest of some word follows.
    ("".join(sorted({w[0] for w in times.OTHER_YEAR_BEFORE})),
     f"(?={'|'.join(sorted({w[1:] for w in times.OTHER_YEAR_BEFORE}, key=len, reverse=True))})"),
])


@dataclass(frozen=True)
class ReportPeriod:
    """The period a report covers: its label, year and the last month it covers."""

    label: str
    year: int
    end_month: int
    # The year the text itself speaks in (今年), when it reviews an earlier one: a speech dated
    # 2017 looking back on 2016 sets its 今年 targets for 2017.
    speaking_year: int | None = None


# A span of years or months whose members a 分别 list of figures takes one by one:
# 1-3月的求人倍率分别为1.20、1.15和1.33; 6月份以来…分别同比下降5.1%、1.4%、9.5%、6.5%.
_LISTED_SPAN = re.compile(times.LISTED_SPAN)


def listed_periods(lead: str, count: int, year: int | None, report: ReportPeriod | None) -> list[str] | None:
    """The periods a 分别 list of `count` figures after `lead` takes one by one, or None.

    Only a span with exactly one member per figure counts; `year` is the year of the list's
    months, and `N月以来` runs to the last month of the report.
    """
    spans = list(_LISTED_SPAN.finditer(lead))
    if count < 2 or not spans:
        return None
    span = spans[-1]
    if span["y1"]:
        labels = [str(y) for y in range(time_number(span["y1"]), time_number(span["y2"]) + 1)]
    elif year is None:
        return None
    elif span["last_m1"]:
        # 去年11月到今年6月: the months from last year's into this year's.
        labels = [f"{year - 1}-{m:02d}" for m in range(time_number(span["last_m1"]), 13)]
        labels += [f"{year}-{m:02d}" for m in range(1, time_number(span["this_m2"]) + 1)]
    elif span["since"]:
        if report is None or report.year != year:
            return None
        labels = [f"{year}-{m:02d}" for m in range(time_number(span["since"]), report.end_month + 1)]
    else:
        labels = [f"{year}-{m:02d}" for m in range(time_number(span["m1"]), time_number(span["m2"]) + 1)]
    return labels if len(labels) == count else None


@dataclass(slots=True)
class TimeExpression:
    start: int
    end: int
    period: str
    clause_scoped: bool  # 全年/年度 reach only the clause they stand in
    as_of: bool = False  # 截至…: holds for the whole sentence, across semicolons


def _last_day(year: int, month: int, tail: str) -> bool:
    """截至12月31日, 截至6月30日: the last day of the month, as 月底 is."""
    return int(tail[:-1]) == calendar.monthrange(year, month)[1]


def _month_period(year: int, month: int, report: ReportPeriod | None) -> str:
    if report and year == report.year and month == report.end_month:
        return report.label
    return f"{year}-{month:02d}"


def _range_period(year: int, m1: int, m2: int, report: ReportPeriod | None) -> str:
    if report and year == report.year and m2 == report.end_month:
        return report.label
    if report and year == report.year and m1 != 1 and _covers(report, m1, m2):
        # 3月至5月 in a half-year report: within the report's own period. 1-7月 counts from January:
        # the months so far, whatever the report's period.
        return report.label
    if m1 == 1 and m2 == 12:
        return str(year)
    if m1 == 1 and m2 == 6:
        return f"{year}H1"
    if m1 == 7 and m2 == 12:
        return f"{year}H2"
    if m2 - m1 == 2 and m1 in (1, 4, 7, 10):
        return f"{year}Q{(m1 + 2) // 3}"
    return f"{year}-{m2:02d}"


def _covers(report: ReportPeriod, m1: int, m2: int) -> bool:
    label = report.label
    if "-" in label or "/" in label:
        return False  # a month or a span of years: a range inside it is its own period
    first = {"H1": 1, "H2": 7}.get(label[4:], 1)
    if "Q" in label:
        first = report.end_month - 2
    return first <= m1 <= m2 <= report.end_month


def _interpret(m: re.Match[str], report: ReportPeriod | None, default_year: int | None) -> str | None:
    g = m.groupdict()
    year = default_year

    def y(key: str) -> int | None:
        return time_number(g[key]) if g[key] else year

    if g["span_y1"]:
        # 2018-2016年 is no span (a typo or OCR damage): better no period than a backwards one.
        first, last = time_number(g["span_y1"]), time_number(g["span_y2"])
        return f"{first}/{last}" if first <= last else None
    if g["since_y"]:
        since = time_number(g["since_y"])
        return f"{since}/{year}" if year and year > since else str(since)
    if g["plan"]:
        # “十二五”: the twelfth five-year plan, 2011-2015; 期末 its last year, 以来 up to now.
        start = 2001 + 5 * time_number(g["plan"])
        end = start + 4
        if g["plan_tail"] in times.PLAN_END_TAILS:
            return str(end)
        if g["plan_tail"] == times.PLAN_SINCE_TAIL and year and year > start:
            return f"{start}/{year}"
        return f"{start}/{end}"
    if g["recent"]:
        # 近十年 in a review of 2016: 2006/2016.
        span = time_number(g["recent"])
        return f"{year - span}/{year}" if year and span else None
    if g["half"]:
        hy = y("half_y")
        return f"{hy}H{1 if g['half'] == times.FIRST_HALF else 2}" if hy else None
    if g["cum_m"]:
        # 前九月, 前10个月: cumulative from January, the as-of month of its end.
        cy, month = y("cum_month_y"), time_number(g["cum_m"])
        return _month_period(cy, month, report) if cy and 1 <= month <= 12 else None
    if g["cum_q"]:
        # 前三季度 is cumulative from January: the as-of month of its end, like 1-9月.
        cy = y("cum_y")
        return _month_period(cy, time_number(g["cum_q"]) * 3, report) if cy else None
    if g["quarter"]:
        qy = y("quarter_y")
        if not qy:
            return None
        quarter = time_number(g["quarter"])
        if (g["quarter_asof"] or g["quarter_end"]) and report and qy == report.year and quarter * 3 == report.end_month:
            # 截至第二季度, 二季度末 in a half-year report: as of the report's own end.
            return report.label
        return f"{qy}Q{quarter}"  # 二季度 in a half-year report: that quarter
    if g["range_m2"]:
        ry, m1, m2 = y("range_y"), int(g["range_m1"]), int(g["range_m2"])
        if not ry or not (1 <= m1 <= m2 <= 12):
            return None
        return _range_period(ry, m1, m2, report)
    if g["month"]:
        month = time_number(g["month"])
        if not 1 <= month <= 12:
            return None
        if g["since"]:
            # 从2019年1月1日起: a rule that holds for that year; without a year, a start date only.
            return str(time_number(g["month_y"])) if g["month_y"] else None
        # A bare "5月" with no year, 截至 or day is too often part of a phrase to trust; one that a
        # comma closes (1月,全市…;2月,…) sets the time of what follows, and one that opens a clause
        # (…520人,5月新增就业480人) is that month's.
        bare = not (g["asof"] or g["month_y"] or g["month_this"] or g["month_tail"])
        if bare and g["month_setting"] is None and g["month_opens"] is None:
            return None
        my = y("month_y")
        if not my:
            return None
        if bare and g["month_setting"] is None:
            return f"{my}-{month:02d}"
        tail = g["month_tail"] or ""
        within = tail.endswith(times.MONTH_TAILS_WITHIN)
        if within or (tail.endswith(times.DAY_MARK) and not _last_day(my, month, tail)):
            return f"{my}-{month:02d}"  # 6月份, 截至6月17日: that month, not the half year it ends
        return _month_period(my, month, report)
    if g["year"]:
        return str(time_number(g["year"]))
    if g["relative"]:
        return str(year + times.OTHER_YEAR_BEFORE[g["relative"]]) if year else None
    if g["this_year"]:
        if report and g["this_year"] in times.WHOLE_YEAR_WORDS:
            return str(report.year)  # the whole of the report's year, even in a text dated after it
        return str(year) if year else None
    return None


def find_time_expressions(text: str, report: ReportPeriod | None,
                          protected: SpanSet | None = None) -> list[TimeExpression]:
    """Time expressions of `text` with the period each names (dates in names and bases left out)."""
    default_year = (report.speaking_year or report.year) if report else None
    found = []
    for m in finditer_from(TIME_EXPRESSION, TIME_FIRST_CHAR, text):
        start, end = m.span()
        if protected is not None and start in protected and not m.group("plan"):
            continue  # inside 《…》 or “…”: part of a title or a name (“十三五” is a time)
        if text[max(0, start - 1) : start] in times.COMPARISON_MARKS:
            continue
        if m.group("year_tail") == times.YEAR_QUALIFIER_TAIL and HAN.match(text, end):
            continue  # 2019年度稳岗补贴: the year qualifies a noun, it is not the figure's time
        period = _interpret(m, report, default_year)
        if period:
            scoped = m.group("this_year") in times.WHOLE_YEAR_WORDS
            found.append(TimeExpression(start, end, period, scoped, m.group("asof") in times.AS_OF_WORDS))
    return found


def without_time_expressions(text: str) -> str:
    """`text` with every time expression cut out (what is left names the subject)."""
    if not TIME_FIRST_CHAR.search(text):
        return text  # most subjects: nothing a time expression could start with
    pieces, pos = [], 0
    for m in finditer_from(TIME_EXPRESSION, TIME_FIRST_CHAR, text):
        pieces.append(text[pos : m.start()])
        pos = m.end()
    pieces.append(text[pos:])
    return "".join(pieces)


def time_expression_at(text: str) -> re.Match[str] | None:
    """The time expression that begins `text`, if any."""
    return TIME_EXPRESSION.match(text) if TIME_FIRST_CHAR.match(text) else None


def stated_period(head: str, fallback_year: int | None = None, *, as_of_only: bool = False) -> ReportPeriod | None:
    """The period the first lines (title, opening sentence) state, or None when they state none.
    `fallback_year` dates a period written without its year (上半年, 1-9月). A time that is a point
    of a comparison, a goal or another year (由1998年末的…, 争取2008年, 去年11月) is passed over;
    `as_of_only` takes only an as-of month (截至8月底)."""
    for m in finditer_from(TIME_EXPRESSION, TIME_FIRST_CHAR, head):
        if m.group("this_year") or m.group("relative"):
            continue  # 今年, 去年: the text's own year or one counted from it, not a statement of it
        if m.group("month") and not (m.group("asof") or m.group("month_y")):
            continue
        if m.group("month") and m.group("month_tail") and m.group("month_tail").endswith(times.DAY_MARK):
            continue  # 2022年7月14日: a date, not a period covered
        if as_of_only and not (m.group("asof") in times.AS_OF_WORDS and m.group("month")):
            continue
        if is_background(head, m.start()) or m.group("since_y"):
            continue  # 2016年以来 starts the story; what it reaches is the period
        label = _interpret(m, None, fallback_year)
        if not label:
            continue
        return period_from_label(label)
    return None


def last_year_mention(text: str) -> str | None:
    """The word of a clause that opens with the year before the text's own (去年,全市…), if any:
    a text that speaks so reviews the year before its date."""
    for m in finditer_from(TIME_EXPRESSION, TIME_FIRST_CHAR, text):
        if m.group("relative") and times.OTHER_YEAR_BEFORE[m.group("relative")] == -1:
            return m.group("relative")
    return None


def is_background(text: str, start: int) -> bool:
    """A time at `start` that is no period a report covers: a point of a comparison or a goal, or
    another year than its own (lexicon/times.py BACKGROUND_BEFORE, OTHER_YEAR_BEFORE)."""
    before = text[max(0, start - 3) : start]
    return before.endswith(times.BACKGROUND_BEFORE) or before.endswith(tuple(times.OTHER_YEAR_BEFORE))


def report_period(head: str, fallback_year: int | None = None) -> ReportPeriod | None:
    """The period a report covers, read from its first lines, else the fallback year."""
    stated = stated_period(head, fallback_year)
    if stated is None and fallback_year:
        return period_from_label(str(fallback_year))
    return stated


# The one grammar of period labels (GOLD_SCHEMA): the extractor writes them, `period_range` reads
# them for the warehouse (its period types and date ranges), `period_from_label` for the context.
_PERIOD_LABEL = re.compile(
    r"(?P<year>\d{4})(?:H(?P<half>[12])|Q(?P<quarter>[1-4])|-(?P<month>0[1-9]|1[0-2])|/(?P<last_year>\d{4}))?"
)


@dataclass(frozen=True)
class PeriodRange:
    """A period label's type (year, half_year, quarter, month, year_span) and its first and last day."""

    period_type: str
    start: date
    end: date


def _stated_year(year: int) -> bool:
    return 1900 <= year <= 2099


def period_label(text: str | None) -> str | None:
    """`text` when it is a period label as GOLD_SCHEMA writes them (2020, 2020H1, 2020Q2, 2020-06,
    2015/2017), else None."""
    text = (text or "").strip()
    m = _PERIOD_LABEL.fullmatch(text)
    ok = m and _stated_year(int(m["year"])) and (not m["last_year"] or _stated_year(int(m["last_year"])))
    return text if ok else None


def period_range(label: str) -> PeriodRange | None:
    """The type and date range of a period label; None for anything that is not one."""
    m = _PERIOD_LABEL.fullmatch(label)
    if not m:
        return None
    year = int(m["year"])
    if m["last_year"]:
        return PeriodRange("year_span", date(year, 1, 1), date(int(m["last_year"]), 12, 31))
    if m["half"]:
        first = 1 if m["half"] == "1" else 7
        return PeriodRange("half_year", date(year, first, 1), _month_end(year, first + 5))
    if m["quarter"]:
        last = int(m["quarter"]) * 3
        return PeriodRange("quarter", date(year, last - 2, 1), _month_end(year, last))
    if m["month"]:
        month = int(m["month"])
        return PeriodRange("month", date(year, month, 1), _month_end(year, month))
    return PeriodRange("year", date(year, 1, 1), date(year, 12, 31))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_from_label(label: str) -> ReportPeriod:
    """The report period a label names: the year and month it ends in (a span of years, a plan
    period: 今年 inside it is its last year)."""
    covered = period_range(label)
    if covered is None:
        raise ValueError(f"not a period label: {label!r}")
    return ReportPeriod(label, covered.end.year, covered.end.month)
