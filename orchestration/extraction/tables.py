"""Tables flattened to text: a header row naming the columns, then one row per indicator.

    指标名称 | 计算单位 | 数值 | 比上年增长
    城镇新增就业 | 万人 | 111.8 | 3.2%

Cells are separated by |, tabs or runs of two or more spaces. The unit column scales the value
column (万人 → ×10000 人); a column whose header says 增长/同比/比上年 holds changes, 目标/计划
targets, 完成 completion rates and 占/比重 shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .lexicon import table_headers
from .numbers import COUNTERS, PERCENT_UNITS, SCALES, parse_numeral
from .periods import find_time_expressions, without_time_expressions
from .reference import Region
from .text import HAN

CELL_SEPARATOR = re.compile(r"\s*[|｜\t]\s*|\s{2,}")
_NAME_HEADER = re.compile(r"指标|项目|名称")
_UNIT_HEADER = re.compile(r"单位")
_NUMBER_CELL = re.compile(r"^[-+]?\d+(?:,\d{3})*(?:\.\d+)?\s*(?:%|个百分点|百分点)?$")


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


def _column_measure(header: str) -> tuple[str, str | None]:
    """(measure, basis) of a column: the first measure of the lexicon whose word the header holds."""
    for measure, words in table_headers.PIPE_TABLE_MEASURES:
        if any(word in header for word in words):
            return measure, "yoy" if measure == "change" else None
    return "value", None


_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")


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


def _column_period(header: str, measure: str) -> str | None:
    """The time a value column's header states (2021年 | 2020年); None for the report's own. A change
    column's year is its basis (比2020年增长), never its period."""
    if measure not in ("value", "target"):
        return None
    stated = find_time_expressions(header, None)
    return stated[0].period if stated else None


def split_unit(unit_text: str) -> tuple[Decimal, str] | None:
    """(scale, base unit) of a unit as a table writes it: 万人 → (10000, 人), (%) → (1, %)."""
    unit_text = unit_text.strip().strip("()（）")
    if unit_text in PERCENT_UNITS:
        return Decimal(1), PERCENT_UNITS[unit_text]
    for scale, factor in sorted(SCALES.items(), key=lambda kv: -len(kv[0])):
        if unit_text.startswith(scale) and unit_text[len(scale):] in COUNTERS:
            return factor, unit_text[len(scale):]
    if unit_text in COUNTERS or re.fullmatch(r"元/\S+", unit_text):
        return Decimal(1), unit_text
    return None


def _cells(line: str, line_start: int) -> list[tuple[int, int, str]]:
    cells, pos = [], 0
    for m in CELL_SEPARATOR.finditer(line):
        if m.start() > pos:
            cells.append((line_start + pos, line_start + m.start(), line[pos:m.start()]))
        pos = m.end()
    if pos < len(line):
        cells.append((line_start + pos, line_start + len(line), line[pos:]))
    return [c for c in cells if c[2].strip()]


def find_table_cells(text: str) -> tuple[list[TableCell], list[tuple[int, int]]]:
    """Facts of flattened tables, and the spans of the table rows (for sentence rules to skip)."""
    facts: list[TableCell] = []
    spans: list[tuple[int, int]] = []
    header: list[str] | None = None
    pos = 0
    for line in text.split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        if header is None and "单位" not in line:
            continue  # outside a table only a header row (with a 单位 column) matters
        cells = _cells(line, line_start)
        if len(cells) >= 3 and _NAME_HEADER.search(cells[0][2]) and any(_UNIT_HEADER.search(c[2]) for c in cells):
            header = [c[2].strip() for c in cells]
            spans.append((line_start, line_start + len(line)))
            continue
        if header is None:
            continue
        if len(cells) != len(header):
            header = None  # the table has ended
            continue
        spans.append((line_start, line_start + len(line)))
        unit_col = next(i for i, h in enumerate(header) if _UNIT_HEADER.search(h))
        scaled = split_unit(cells[unit_col][2])
        label = indicator = cells[0][2].strip()
        for i, (start, _end, cell) in enumerate(cells):
            if i in (0, unit_col) or not _NUMBER_CELL.match(cell.strip()):
                continue
            measure, basis = _column_measure(header[i])
            if measure == "value":
                # A change or rate column after it is of what the value column named.
                indicator = label + _naming_header(header[i], measure, label)
            raw = cell.strip()
            percent = next((u for u in PERCENT_UNITS if raw.endswith(u)), None)
            number = raw[: -len(percent)].strip() if percent else raw
            value = parse_numeral(number.lstrip("+"))
            if value is None:
                continue
            growth_rate = measure == "change" and ("%" in header[i] or re.search(r"增长|增幅|同比", header[i]))
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
            facts.append(TableCell(offset, offset + len(raw), line_start, indicator, value, unit, measure, basis,
                                   period=_column_period(header[i], measure)))
    return facts, spans
