"""Tables flattened to text: a header row naming the columns, then one row per indicator (or per
time).

    指标名称 | 计算单位 | 数值 | 比上年增长          项目,计划数,完成数,完成率
    城镇新增就业 | 万人 | 111.8 | 3.2%             城镇新增就业(人),3000,2710,90.3%

    单位:万人                                     季度      新增就业(人)   同比增长(%)
    指标名称    2020年    2021年                    一季度    5230          3.2

Cells are separated by |, tabs, runs of two or more spaces, commas, or (a table pasted from a page
whose cells lost their padding) single spaces; a serial-number column (序号) before the label
column is passed over. A unit comes from the unit
column, the row's label (城镇新增就业(万人)), the column's header in a table whose rows are times,
or a 单位: line above the header, and scales the value (万人 → ×10000 人); a column whose header
says 增长/同比/比上年 holds changes, 目标/计划 targets, 完成 completion rates and 占/比重 shares,
one that names a time (2021年, 2019) that time's values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from .lexicon import counters, table_headers
from .numbers import COUNTERS, PERCENT_UNITS, SCALES, parse_numeral
from .periods import ReportPeriod, find_time_expressions, without_time_expressions
from .reference import Region
from .scanning import alternation
from .text import HAN

CELL_SEPARATOR = re.compile(r"\s*[|｜\t]\s*|\s{2,}")
_NAME_HEADER = re.compile(alternation(table_headers.NAME_HEADER_WORDS))
_UNIT_HEADER = re.compile(alternation(table_headers.UNIT_HEADER_WORDS))
_NUMBER_CELL = re.compile(table_headers.NUMBER_CELL)
_RATE_OF_CHANGE = re.compile(table_headers.RATE_OF_CHANGE)  # a column of growth rates: in %


@dataclass(frozen=True)
class TableCell:
    start: int  # normalised offsets of the number
    end: int
    row_start: int
    indicator: str
    value: Decimal
    unit: str
    measure: str
    basis: str | None
    region: Region | None = None  # the cell's row or column place; None: the report's own
    period: str | None = None  # the cell's column time; None: the report's own


@lru_cache(maxsize=1024)  # asked of a header cell once for each row under it
def _column_measure(header: str) -> tuple[str, str | None]:
    """(measure, basis) of a column: the first measure of the lexicon whose word the header holds."""
    if without_time_expressions(_BRACKETS.sub("", header)).strip() in table_headers.AMOUNT_DONE_HEADERS:
        return "value", None
    for measure, words in table_headers.PIPE_TABLE_MEASURES:
        if any(word in header for word in words):
            return measure, "yoy" if measure == "change" else None
    return "value", None


_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")
_LABEL_UNIT = re.compile(r"[(（]([^()（）]{1,6})[)）]\s*$")
_COMMA = re.compile(r"\s*[,，]\s*")
_SINGLE_SPACE = re.compile(r"[ \u3000]+")
# Tried in this order on a header row; its rows are split as it was.
_SEPARATORS = (CELL_SEPARATOR, _COMMA, _SINGLE_SPACE)
_SERIAL_CELL = re.compile(table_headers.SERIAL_CELL)
_SENTENCE_MARK = re.compile(r"[。;；:：!！?？]")
_BARE_YEAR = re.compile(r"(?:19|20)\d{2}")
_MONTH_LABEL = re.compile(table_headers.MONTH_ROW_LABEL)
_STUB = re.compile("|".join([_NAME_HEADER.pattern, *table_headers.TIME_STUB_WORDS]))
_TRANSLATION = re.compile(r"[A-Za-z][A-Za-z .,'()-]*")
_UNIT_LINE = re.compile(table_headers.UNIT_LINE)
_MAX_HEADER_CHARS = 12  # a column header is a few words; a longer cell is prose
_MAX_CELL_LINE = 18  # a line of a table copied one cell per line holds one short cell
_MAX_TITLE_LINE = 40
MIN_CELL_LINE_ROWS = 2


def _naming_header(header: str, measure: str, label: str) -> str:
    """What a value column's header adds to the row's label: 参保人数 under 失业保险 (失业保险参保
    人数); nothing for a header that only says the column holds the figure (数值, 1-10月累计) or
    what the label already ends with."""
    if measure != "value":
        return ""
    words = without_time_expressions(_BRACKETS.sub("", header)).strip()
    for word in table_headers.VALUE_COLUMN_WORDS:
        words = words.replace(word, "")
    if len(HAN.findall(words)) < 2 or label.endswith(words):
        return ""
    return words


def _column_period(header: str, measure: str, report: ReportPeriod | None = None) -> str | None:
    """The time a value column's header states (2021年 | 2020年, and with the report's period 年度目标
    or 1-9月完成); None for the report's own. A change column's year is its basis (比2020年增长), never
    its period."""
    if measure not in ("value", "target"):
        return None
    if _BARE_YEAR.fullmatch(header.strip()):
        return header.strip()  # a yearbook's column: 2019
    stated = find_time_expressions(header, report)
    return stated[0].period if stated else None


def split_unit(unit_text: str) -> tuple[Decimal, str] | None:
    """(scale, base unit) of a unit as a table writes it: 万人 → (10000, 人), (%) → (1, %)."""
    unit_text = unit_text.strip().strip("()（）")
    if unit_text in PERCENT_UNITS:
        return Decimal(1), PERCENT_UNITS[unit_text]
    for scale, factor in sorted(SCALES.items(), key=lambda kv: -len(kv[0])):
        if unit_text.startswith(scale) and unit_text[len(scale):] in COUNTERS:
            return factor, unit_text[len(scale):]
    if unit_text in COUNTERS or re.fullmatch(counters.MONEY_PER_UNIT, unit_text):
        return Decimal(1), unit_text
    return None


def _cells(line: str, line_start: int, separator: re.Pattern[str] = CELL_SEPARATOR) -> list[tuple[int, int, str]]:
    """The non-blank cells of a line between `separator`s (commas for 项目,计划数,完成数)."""
    cells, pos = [], 0
    for m in separator.finditer(line):
        if m.start() > pos:
            cells.append((line_start + pos, line_start + m.start(), line[pos:m.start()]))
        pos = m.end()
    if pos < len(line):
        cells.append((line_start + pos, line_start + len(line), line[pos:]))
    return [c for c in cells if c[2].strip()]


def _column_headers(cells: list[tuple[int, int, str]]) -> bool:
    """Cells after the first that each only name a column: a time (2021年), a measure (同比增长,
    完成率) or the figure itself (本期数), short and with no sentence in them."""
    for _start, _end, cell in cells[1:]:
        words = _BRACKETS.sub("", cell).strip()
        if _TRANSLATION.fullmatch(words):
            continue  # a bilingual table's English column (Item, Indicator)
        if not words or len(words) > _MAX_HEADER_CHARS or _SENTENCE_MARK.search(words):
            return False
        names_time = _BARE_YEAR.fullmatch(words) or find_time_expressions(words, None)
        if not (names_time or _column_measure(words)[0] != "value"
                or any(word in words for word in table_headers.VALUE_COLUMN_WORDS)):
            return False
    return True


def _indicator_headers(cells: list[tuple[int, int, str]], unit_known: bool) -> bool:
    """Cells after the first that each name an indicator with its unit (新增就业(人)), or without it
    when the table states one (单位:人), or a measure of the one before (同比增长(%)): the columns of
    a table whose rows are times."""
    for _start, _end, cell in cells[1:]:
        words = cell.strip()
        unit = _LABEL_UNIT.search(words)
        if len(words) > _MAX_HEADER_CHARS + 6 or _SENTENCE_MARK.search(words) or not HAN.search(words):
            return False
        if not ((unit and split_unit(unit.group(1))) or unit_known or _column_measure(words)[0] != "value"):
            return False
    return True


class _Header(NamedTuple):
    cells: list[tuple[int, int, str]]  # without a serial-number column's
    separator: re.Pattern[str]  # the cells' separator, the rows' too
    serial: bool  # a serial-number column stands before the label column


def _header(line: str, line_start: int, unit_known: bool) -> _Header | None:
    """A table's header row: a label column (指标名称, 项目) and either a unit column (单位) or columns
    that each name a time or a measure; or a time column (季度) and columns that each name an
    indicator with its unit (or the table's, when `unit_known`). None for any other line."""
    for separator in _SEPARATORS:
        cells = _cells(line, line_start, separator)
        serial = bool(cells) and cells[0][2].strip() in table_headers.SERIAL_HEADERS
        cells = cells[1:] if serial else cells
        if len(cells) < 3 or len(cells[0][2].strip()) > _MAX_HEADER_CHARS:
            continue
        first = cells[0][2].strip()
        if first in table_headers.TIME_STUB_WORDS and _indicator_headers(cells, unit_known):
            return _Header(cells, separator, serial)
        if _NAME_HEADER.search(first) and (any(_UNIT_HEADER.search(c[2]) for c in cells) or _column_headers(cells)):
            return _Header(cells, separator, serial)
    return None


def _row_period(label: str, report: ReportPeriod | None) -> str | None:
    """The period a row of a table whose rows are times stands for: 一季度, 2021年, 3月, 2019."""
    if _BARE_YEAR.fullmatch(label):
        return label
    stated = find_time_expressions(label, report)
    if stated:
        return stated[0].period
    month = _MONTH_LABEL.fullmatch(label)
    if month and report is not None and 1 <= int(month.group(1)) <= 12:
        return f"{report.year}-{int(month.group(1)):02d}"  # 3月 in a table of the report's year
    return None


def find_table_cells(text: str, report: ReportPeriod | None = None) -> tuple[list[TableCell], list[tuple[int, int]]]:
    """Facts of flattened tables, and the spans of the table rows (for sentence rules to skip).
    `report` dates the rows of a table whose rows are times written without a year (一季度)."""
    facts: list[TableCell] = []
    spans: list[tuple[int, int]] = []
    header: list[str] | None = None
    separator, serial, latest, rows_are_times = CELL_SEPARATOR, False, None, False
    table_unit: tuple[Decimal, str] | None = None  # 单位:万人 on the line above the header
    pos = 0
    for line in text.split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        if header is None:
            # Outside a table only a header row (and a 单位:万人 line above it) matters.
            unit_line = _UNIT_LINE.match(line)
            if unit_line or not _STUB.search(line, 0, _MAX_HEADER_CHARS + 4):
                table_unit = split_unit(unit_line.group(1)) if unit_line else None
                continue
        found = _header(line, line_start, table_unit is not None) \
            if header is None or _STUB.search(line, 0, _MAX_HEADER_CHARS + 4) else None
        if found is not None:
            header, separator, serial = [c[2].strip() for c in found.cells], found.separator, found.serial
            rows_are_times = header[0] in table_headers.TIME_STUB_WORDS
            # A change or completion column is of the latest time a column states (指标 | 2020年 |
            # 2021年 | 增长(%)); with none, of the report's own.
            latest = max((p for h in header if (p := _column_period(h, "value"))), default=None)
            spans.append((line_start, line_start + len(line)))
            continue
        if header is None:
            continue
        cells = _cells(line, line_start, separator)
        if serial and len(cells) == len(header) + 1 and _SERIAL_CELL.fullmatch(cells[0][2].strip()):
            cells = cells[1:]  # the row's serial number
        if len(cells) != len(header):
            header = None  # the table has ended
            continue
        label = indicator = cells[0][2].strip()
        row_period = _row_period(label, report) if rows_are_times else None
        if rows_are_times and row_period is None and not _MONTH_LABEL.fullmatch(label):
            header = None  # a row that is no time: the table has ended (3月 is one, of no known year)
            continue
        spans.append((line_start, line_start + len(line)))
        unit_col = next((i for i, h in enumerate(header) if _UNIT_HEADER.search(h)), None)
        if rows_are_times:
            scaled = None  # each column's header gives its unit
        elif unit_col is None:
            # No unit column: the row's label carries its unit (城镇新增就业(万人)).
            in_label = _LABEL_UNIT.search(label)
            scaled = split_unit(in_label.group(1)) if in_label else None
            label = indicator = _LABEL_UNIT.sub("", label).strip()
            scaled = scaled or table_unit
        else:
            scaled = split_unit(cells[unit_col][2])
        for i, (start, _end, cell) in enumerate(cells):
            if i in (0, unit_col) or not _NUMBER_CELL.match(cell.strip()):
                continue
            measure, basis = _column_measure(header[i])
            if rows_are_times:
                # The column names the indicator and its unit; a change column is of the one before.
                in_header = _LABEL_UNIT.search(header[i])
                scaled = (split_unit(in_header.group(1)) if in_header else None) or table_unit
                if measure == "value":
                    indicator = _LABEL_UNIT.sub("", header[i]).strip()
            elif measure == "value":
                # A change or rate column after it is of what the value column named.
                indicator = label + _naming_header(header[i], measure, label)
            raw = cell.strip()
            percent = next((u for u in PERCENT_UNITS if raw.endswith(u)), None)
            number = raw[: -len(percent)].strip() if percent else raw
            value = parse_numeral(number.lstrip("+"))
            if value is None:
                continue
            growth_rate = measure == "change" and ("%" in header[i] or _RATE_OF_CHANGE.search(header[i]))
            if percent:
                unit = PERCENT_UNITS[percent]
            elif measure in ("completion", "share") or growth_rate or (measure == "change" and scaled is None):
                unit = "%"
            elif scaled is not None:
                value *= scaled[0]
                unit = scaled[1]
            else:
                continue
            offset = start + (len(cell) - len(cell.lstrip()))
            period = row_period or _column_period(header[i], measure, report) \
                or (None if measure == "value" else latest)
            facts.append(TableCell(offset, offset + len(raw), line_start, indicator, value, unit, measure, basis,
                                   period=period))
    return facts, spans


@dataclass(frozen=True)
class CellPerLineTable:
    """A table copied one cell per line, laid out again one row per line (cells between |) for the
    table readers; `origin[i]` is where character i of `text` stands in the report."""

    text: str
    origin: list[int]
    span: tuple[int, int]  # the run of lines in the report


def _short_cell(line: str) -> bool:
    words = line.strip()
    return 0 < len(words) <= _MAX_CELL_LINE and not _SENTENCE_MARK.search(words) and "|" not in words \
        and "｜" not in words


def cell_per_line_tables(text: str) -> list[CellPerLineTable]:
    """Tables copied one cell per line without separators: a run of short lines whose first k name
    the columns (a stub such as 县(市、区) or 季度, then k-1 headers), then rows of k lines each, a
    label and k-1 figures. The line before the run, when short, is its title."""
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    tables: list[CellPerLineTable] = []
    i = 0
    while i < len(lines):
        run = 0
        while i + run < len(lines) and _short_cell(lines[i + run][1]) \
                and not _NUMBER_CELL.match(lines[i + run][1].strip()):
            run += 1
        width = run - 1  # the last of these lines is the first row's label
        rows, j = [], i + width
        while width >= 3 and j + width <= len(lines) and _short_cell(lines[j][1]) and HAN.search(lines[j][1]) \
                and all(_NUMBER_CELL.match(lines[j + t][1].strip()) for t in range(1, width)):
            rows.append(lines[j : j + width])
            j += width
        if len(rows) < MIN_CELL_LINE_ROWS:
            i += 1  # the run may start with the title: try it from its next line
            continue
        title = [lines[i - 1]] if i > 0 and 0 < len(lines[i - 1][1].strip()) <= _MAX_TITLE_LINE else []
        pieces: list[str] = []
        origin: list[int] = []
        for row in [title, lines[i : i + width], *rows]:
            for index, (start, cell) in enumerate(row):
                if index:
                    pieces.append(" | ")
                    origin.extend([start] * 3)
                pieces.append(cell)
                origin.extend(range(start, start + len(cell)))
            if row:
                pieces.append("\n")
                origin.append(row[-1][0] + len(row[-1][1]))
        tables.append(CellPerLineTable("".join(pieces), origin, (lines[i][0], lines[j - 1][0] + len(lines[j - 1][1]))))
        i = j
    return tables
