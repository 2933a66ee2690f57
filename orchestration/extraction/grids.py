"""Statistical tables flattened to whitespace: a few header lines naming the columns, then one row
per indicator with its unit and a run of numbers.

              金华市   兰溪市 义乌市 …                      (columns: regions)
    城镇职工基本养老保险参保人数 (人) 1991043 517335 163873 …
    序号 统计指标      计量单位  2016年末 2017年  2017年 …     (columns: periods, two header lines)
                                        一季度末 二季度末 …
     68  参加工伤保险人数   万人     107.27  107.85  107.98 …
    指标 全体居民 城镇居民 …  /  总量 增长 总量 增长 …          (columns: group × measure)

Every number of a row is a fact: its row label the indicator (a `#城镇`, `其中:` or `70.1` row is
a part of the row it follows), its column the region, period or measure, its unit from the row
(`(人)`, `万人`) or from the table's `单位:元、%` line. Column headers are read by what their
words are (regions from the gazetteer, times, measure words), never by position alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal

from .lexicon import places, subjects, table_headers
from .lexicon.context import CHILD_REFERENCE
from .numbers import PERCENT_UNITS, parse_numeral
from .periods import ReportPeriod, find_time_expressions, stated_period, time_number, without_time_expressions
from .reference import UNKNOWN_REGION, Gazetteer, Region
from .scanning import alternation
from .tables import TableCell, split_unit
from .text import HAN

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_SERIAL = re.compile(r"^(?:\d+(?:\.\d+)?|\d+[.、])$")
_PAREN_UNIT = re.compile(r"^[(（]([^()（）]{1,6})[)）]$")
_TABLE_UNIT_LINE = re.compile(table_headers.GRID_UNIT_LINE)
_LEADING_SERIAL = re.compile(table_headers.LEADING_SERIAL)
_PART_MARK = re.compile(table_headers.PART_MARK)
_STUB_WORDS = table_headers.STUB_WORDS
_MEASURE_WORDS = table_headers.GRID_MEASURES
_YEAR = re.compile(table_headers.YEAR_CELL)
_QUARTER_END = re.compile(table_headers.QUARTER_CELL)
# The as-of period at the end of each quarter, counted from January as cumulative reports are.
_QUARTER_END_PERIOD = {1: "{y}Q1", 2: "{y}H1", 3: "{y}-09", 4: "{y}"}
MIN_ROWS = 2
MIN_NUMBERS = 2


@dataclass(frozen=True)
class Column:
    region: Region | None = None
    period: str | None = None
    measure: str = "value"
    qualifier: str = ""  # 全体居民: a group the column's figures are of
    unit: str | None = None  # a unit the header gives its column: 增长(%) → %
    indicator: str | None = None  # a table whose rows are places: what the column counts


@dataclass
class _Row:
    line_start: int
    label: str
    serial: str | None
    unit: str | None
    numbers: list[tuple[int, int, str]]  # (start, end, text) in the normalised text


def _tokens(line: str, line_start: int) -> list[tuple[int, int, str]]:
    return [(line_start + m.start(), line_start + m.end(), m.group()) for m in re.finditer(r"\S+", line)]


# The layouts are front ends to one row model: whitespace-aligned rows give their words, rows
# separated by | give their cells (a yearbook's English translation cell dropped: no Chinese, no
# number), and a | row with a label and no number is a section that qualifies the rows under it.
_PIPE = re.compile(r"\s*[|｜]\s*")
_LABEL_WITH_UNIT = re.compile(r"^(.*?[\u4e00-\u9fff].*?)[(（]([^()（）]{1,8})[)）]$")


def _is_piped(line: str) -> bool:
    return line.count("|") + line.count("｜") >= 2


def _pipe_cells(line: str, line_start: int) -> list[tuple[int, int, str]]:
    cells, pos = [], 0
    for m in [*_PIPE.finditer(line), None]:
        end = m.start() if m else len(line)
        cell = line[pos:end]
        if cell.strip() and (HAN.search(cell) or _NUMBER.fullmatch(cell.strip())):
            lead = len(cell) - len(cell.lstrip())
            cells.append((line_start + pos + lead, line_start + pos + lead + len(cell.strip()), cell.strip()))
        pos = m.end() if m else pos
    return cells


def _line_tokens(line: str, line_start: int) -> list[tuple[int, int, str]]:
    return _pipe_cells(line, line_start) if _is_piped(line) else _tokens(line, line_start)


def _is_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and number[:2] in ("19", "20")


# Two numbers with only white space between: every data row has them, prose almost never.
_TWO_NUMBERS = re.compile(r"(?:^|\s)[-+]?\d[\d.]*\s+[-+]?\d[\d.]*(?:\s|$)")
# A header cell of a one-cell-per-line table: a name with its unit in brackets, alone on a line.
_CELL_HEADER_LINE = re.compile(r"^[^\n]{2,30}[(（][^()（）\n]{1,6}[)）][ \t]*$", re.MULTILINE)


def _row(line: str, line_start: int) -> _Row | None:
    """A data row: label words, maybe a unit, then a run of numbers (separated by whitespace or |);
    or, in a | table, a section row: a label alone."""
    piped = _is_piped(line)
    if not piped and not _TWO_NUMBERS.search(line):
        return None
    tokens = _pipe_cells(line, line_start) if piped else _tokens(line, line_start)
    if piped:
        tokens = [piece for token in tokens for piece in _split_label_unit(token)]
    best: tuple[int, int] | None = None
    i = 0
    while i < len(tokens):
        if _NUMBER.fullmatch(tokens[i][2]):
            j = i
            while j < len(tokens) and _NUMBER.fullmatch(tokens[j][2]):
                j += 1
            if best is None or j - i > best[1] - best[0]:
                best = (i, j)
            i = j
        else:
            i += 1
    if piped and best is None:
        return _section_row(tokens, line_start)
    if best is None or best[1] - best[0] < MIN_NUMBERS:
        return None
    before, after = tokens[: best[0]], tokens[best[1]:]
    if any(_NUMBER.search(t[2]) for t in after) or len(after) > 2:
        return None  # prose, or a second table run together
    serial, unit = None, None
    label_parts: list[str] = []
    for _, _, word in before:
        paren = _PAREN_UNIT.match(word)
        if paren and split_unit(paren.group(1)):
            unit = paren.group(1)
        elif split_unit(word) and label_parts:
            unit = word
        elif _SERIAL.match(word) and not label_parts:
            serial = word.rstrip(".、")
        elif len(word) == 1 and not label_parts:
            continue  # a category written down the side of the table (工/伤/保/险)
        else:
            label_parts.append(word)
    label = "".join(label_parts)
    label = _LEADING_SERIAL.sub("", label) if not serial else label
    if not HAN.search(label) or len(label) > 40:
        return None
    numbers = [tokens[k] for k in range(*best)]
    if label in _STUB_WORDS and all(_is_year(n) for _, _, n in numbers):
        return None  # the header row of a | table: 项目 | 2010 | 2020
    return _Row(line_start, label, serial, unit, numbers)


def _split_label_unit(token: tuple[int, int, str]) -> list[tuple[int, int, str]]:
    """A | cell 参加失业保险人数(万人) as its label and its unit, when the brackets hold a unit."""
    start, end, text = token
    m = _LABEL_WITH_UNIT.match(text)
    if not m or not split_unit(m.group(2)):
        return [token]
    return [(start, start + len(m.group(1)), m.group(1)), (start + len(m.group(1)), end, text[len(m.group(1)):])]


def _section_row(tokens: list[tuple[int, int, str]], line_start: int) -> _Row | None:
    label = "".join(word for _, _, word in tokens if HAN.search(word))
    if not label or label in _STUB_WORDS or len(label) > 40 or any(split_unit(w) for _, _, w in tokens):
        return None
    return _Row(line_start, label, None, None, [])


def _qualified(label: str, section: str) -> str:
    """A row label under a section: 期末参保人数 under 失业保险 is 失业保险期末参保人数, and the
    section's last words found in the label are replaced by it (基本养老保险基金收入 under
    企业职工基本养老保险 is 企业职工基本养老保险基金收入)."""
    for size in range(len(section), 1, -1):
        if section[-size:] in label:
            return label.replace(section[-size:], section, 1)
    return section + label


def _blocks(text: str) -> list[tuple[list[_Row], int]]:
    """Runs of data rows (blank lines and single side characters may stand between them), each
    with the offset of its first line."""
    blocks: list[tuple[list[_Row], int]] = []
    current: list[_Row] = []
    first_line = 0
    pos = 0
    for line in text.split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        row = _row(line, line_start) if len(stripped) < 300 else None
        if row is not None and (row.numbers or current):
            if not current:
                first_line = line_start
            current.append(row)
            continue
        if current and len(stripped) <= 1:
            continue
        if len(current) >= MIN_ROWS:
            blocks.append((current, first_line))
        current = []
    if len(current) >= MIN_ROWS:
        blocks.append((current, first_line))
    return blocks


def _header_lines(text: str, block_start: int, limit: int = 6) -> list[tuple[str, int]]:
    """The lines above a table (nearest first) up to a sentence or the previous table."""
    out: list[tuple[str, int]] = []
    end = block_start - 1
    while end > 0 and len(out) < limit:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        end = start - 1
        if not line.strip():
            continue
        row = _row(line, start)
        if line.rstrip().endswith("。") or (row is not None and row.numbers):
            break
        out.append((line, start))
    return out


def _time_word(word: str) -> tuple[str, int] | None:
    """('year', y) for 2016年末, ('quarter', q) for 一季度末, None for anything else."""
    m = _YEAR.match(word)
    if m:
        return "year", int(m.group(1))
    m = _QUARTER_END.match(word)
    if m:
        return "quarter", time_number(m.group(1))
    return None


def _measure_word(word: str) -> str | None:
    return next((measure for key, measure in _MEASURE_WORDS if key in word), None)


def _columns(headers: list[tuple[str, int]], width: int, gazetteer: Gazetteer) -> list[Column] | None:
    """Column descriptions from the header lines (nearest first), or None when they do not fit."""
    lines = [[w for _, _, w in _line_tokens(line, start) if w not in _STUB_WORDS] for line, start in headers]
    for words in lines:
        regions = [r for r in (_region_word(w, gazetteer) for w in words) if r is not None]
        if words and len(regions) == len(words):
            if len(regions) == width:
                return [Column(region=r) for r in regions]
            if len(regions) == width - 1 and regions[0].level == "prefecture":
                # A yearbook's columns: the prefecture, its 市区 (often unlabelled), its counties.
                urban = Gazetteer.sub_area(regions[0], regions[0].name + places.URBAN_DISTRICTS)
                return [Column(region=regions[0]), Column(region=urban)] + [Column(region=r) for r in regions[1:]]
    for lower, upper in zip(lines, lines[1:], strict=False):
        times_up = [t for t in map(_time_word, upper) if t is not None]
        times_low = [_time_word(w) for w in lower]
        if len(times_up) == len(upper) == width:
            quarters = [t[1] for t in times_low if t and t[0] == "quarter"]
            columns = [Column(period=str(t[1])) for t in times_up]
            offset = width - len(quarters)
            for k, quarter in enumerate(quarters):
                year = times_up[offset + k][1]
                columns[offset + k] = Column(period=_QUARTER_END_PERIOD[quarter].format(y=year))
            return columns
        if upper and lower and len(lower) == width and width % len(upper) == 0 and all(map(_measure_word, lower)):
            span = width // len(upper)
            return [Column(measure=_measure_word(lower[j]) or "value", qualifier=upper[j // span])
                    for j in range(width)]
    for words in lines:
        # One header line of times and measures: 2020年 2019年 比上年增长(%).
        if len(words) == width and all(_time_word(w) or _measure_word(w) for w in words):
            return [_time_or_measure_column(w) for w in words]
    return None


_HEADER_UNIT = re.compile(r"[(（]([^()（）]{1,6})[)）]")
_CHILD_REFERENCE = re.compile(CHILD_REFERENCE)
_TABLE_NUMBER = re.compile(table_headers.TABLE_NUMBER)
_TITLE_PLACES_PREFIX = re.compile(table_headers.TITLE_PLACES_PREFIX)
_PLACE_COLUMN = re.compile(table_headers.PLACE_COLUMN)
_TOPIC_METRIC = re.compile(alternation(subjects.TOPIC_METRICS))


def _title_subject(lines: list[tuple[str, int]]) -> str | None:
    """What a table's title says its figures count: the nearest line above its header that is no
    unit line, without its times, its 各市州 and its 完成情况表."""
    for line, _ in lines:
        if _TABLE_UNIT_LINE.search(line) or not HAN.search(line):
            continue
        title = _TABLE_NUMBER.sub("", line.replace("|", " ").replace("｜", " ").strip())
        subject = _CHILD_REFERENCE.sub("", without_time_expressions(title))
        subject = _TITLE_PLACES_PREFIX.sub("", subject).strip()
        for tail in table_headers.TABLE_TITLE_TAILS:
            if subject.endswith(tail):
                subject = subject[: -len(tail)]
                break
        subject = subject.strip(" 　:：")
        return subject if len(HAN.findall(subject)) >= 2 else None
    return None


def _mostly_places(places: dict[int, tuple[Region | None, str]]) -> bool:
    """Whether at least half the rows are labelled by a place (or 全市, 合计): a table of places."""
    return len(places) >= MIN_ROWS and 2 * sum(1 for region, _ in places.values() if region is not None) >= len(places)


def _place_table_columns(headers: list[tuple[str, int]], width: int, report: ReportPeriod | None
                         ) -> list[Column] | None:
    """Indicator columns of a table whose rows are places, from the nearest header line with one
    cell per column: each an indicator with its unit and measure (城镇新增就业目标 | 城镇新增就业实际 |
    完成率(%)); a cell that is a measure alone (完成率, 比上年增长) is of the indicator before it,
    or of the table's title (各市州城镇新增就业完成情况表 | 目标任务 | 完成数 | 完成率)."""
    units_below: list[str] | None = None
    for index, (line, start) in enumerate(headers):
        words = [w for _, _, w in _line_tokens(line, start) if w not in _STUB_WORDS and not _PLACE_COLUMN.match(w)]
        if len(words) == width and all(_PAREN_UNIT.match(w) and split_unit(w) for w in words):
            units_below = [w.strip("()（）") for w in words]  # a header's units on a line of their own
            continue
        if len(words) != width or not all(HAN.search(w) for w in words) or any(map(_time_word, words)):
            continue
        columns: list[Column] = []
        previous: str | None = _title_subject(headers[index + 1 :])
        for k, word in enumerate(words):
            bracket = _HEADER_UNIT.search(word)
            unit = bracket.group(1) if bracket and split_unit(bracket.group(1)) else None
            unit = unit or (units_below[k] if units_below else None)
            name = _HEADER_UNIT.sub("", word)
            measure = _measure_word(name) or "value"
            done_words = table_headers.COMPLETION_HEADER_WORDS
            if measure == "value" and unit in PERCENT_UNITS and any(w in name for w in done_words):
                measure = "completion"  # 完成进度(%): how much of the goal is done
            # 1-6月完成, 年度目标: the column's own time, not a part of what it counts.
            stated = find_time_expressions(name, report)
            name = without_time_expressions(name)
            for key, _ in _MEASURE_WORDS:
                name = name.replace(key, "")
            for filler in table_headers.INDICATOR_COLUMN_FILLERS:
                name = name.removesuffix(filler)
            if not name:
                if previous is None:
                    break
                name = previous
            elif previous and _TOPIC_METRIC.fullmatch(name) and not name.startswith(previous):
                name = previous + name  # …养老保险任务数 | 参保任务人数: the title's scheme, the column's metric
            if unit is None and name.endswith(table_headers.RATE_ENDING) and measure == "value":
                unit = "%"  # a rate is a percentage, whatever the table's unit line lists first
            unit = unit or next((u for ending, u in table_headers.NAME_ENDING_UNITS if name.endswith(ending)), None)
            columns.append(Column(measure=measure, unit=unit, indicator=name,
                                  period=stated[0].period if stated else None))
            previous = name
        if len(columns) == width:
            return columns
    return None


def _time_or_measure_column(word: str) -> Column:
    time = _time_word(word)
    if time and time[0] == "year":
        return Column(period=str(time[1]))
    unit = _HEADER_UNIT.search(word)
    measure = _measure_word(word) or "value"
    if unit is None and measure == "change" and _RATE_OF_CHANGE.search(word):
        return Column(measure=measure, unit="%")  # 增长, 增幅, 同比: a rate, whatever the row counts in
    return Column(measure=measure, unit=unit.group(1) if unit else None)


_RATE_OF_CHANGE = re.compile(table_headers.RATE_OF_CHANGE)


def _region_word(word: str, gazetteer: Gazetteer) -> Region | None:
    candidates = gazetteer.by_name.get(word)
    if not candidates or word in gazetteer.ambiguous:
        return None
    return gazetteer.resolve(candidates, None)


def _table_units(headers: list[tuple[str, int]]) -> list[str]:
    for line, _ in headers:
        m = _TABLE_UNIT_LINE.search(line)
        if m:
            return [u for u in re.split(r"[、,，/\s]+", m.group(1)) if u]
    return []


def _indicator(row: _Row, parents: dict[str, str], last_whole: str | None) -> tuple[str, str | None]:
    """The row's indicator (a part row qualifies the row it belongs to) and the row it may parent."""
    label = row.label
    part = _PART_MARK.match(label)
    if part:
        label = label[part.end():]
    parent = None
    if row.serial and "." in row.serial:
        parent = parents.get(row.serial.split(".")[0])
    elif part:
        parent = last_whole
    if parent:
        return f"{parent}({label})", None
    return label, label


def find_grid_cells(text: str, gazetteer: Gazetteer, home: Region, report: ReportPeriod | None,
                    covered: list[tuple[int, int]]) -> tuple[list[TableCell], list[tuple[int, int]]]:
    """Facts of whitespace-flattened statistical tables and the spans of their rows.

    `covered` are rows another table reader already took; `home` is the report's own area (the
    全市 or 合计 row of a table whose rows are places)."""
    cells: list[TableCell] = []
    spans: list[tuple[int, int]] = []
    taken = {start for start, _ in covered}
    for rows, first_line in _blocks(text):
        rows = [r for r in rows if r.line_start not in taken]
        if sum(1 for r in rows if r.numbers) < MIN_ROWS:
            continue
        width = Counter(len(r.numbers) for r in rows if r.numbers).most_common(1)[0][0]
        headers = _header_lines(text, first_line)
        section = _nearest_section(headers)
        columns = _columns(headers, width, gazetteer)
        places: dict[int, tuple[Region | None, str]] = {}
        if columns is None:
            # A table whose rows are places and whose columns are indicators: 地区 | 城镇新增就业(人) | ….
            places = {r.line_start: _row_region(r.label, gazetteer, home) for r in rows if r.numbers}
            ending = _declared_place_kind(headers)
            if ending is not None:
                # 乡镇 | 城镇新增就业(人): the header says the rows are towns, though the gazetteer lacks them.
                places = {start: place if place[0] is not None else (_place_below(label, ending, gazetteer, home), "")
                          for (start, place), label in zip(places.items(), (r.label for r in rows if r.numbers),
                                                           strict=True)}
            columns = _place_table_columns(headers, width, report) if _mostly_places(places) else None
            if columns is None:
                places = {}
            else:
                section = None  # the header line of indicators is no section
        columns = columns or [Column() for _ in range(width)]
        units = _table_units(headers)
        parents: dict[str, str] = {}
        last_whole: str | None = None
        for row in rows:
            if not row.numbers:
                section = row.label
                continue
            row_columns = columns
            if len(row.numbers) != width:
                if len(row.numbers) > width or not _is_piped(text[row.line_start : text.find("\n", row.line_start)]):
                    continue
                # A | row with fewer figures: the early columns are the empty ones (a series that
                # began later), as a yearbook leaves them.
                row_columns = columns[width - len(row.numbers):]
            if places:
                region, qualifier = places[row.line_start]
                # A row that names no known place (a village, 其他) qualifies what its figures count.
                label = qualifier if region is not None else row.label
                spans.append((row.line_start, row.numbers[-1][1]))
                cells.extend(_row_cells(row, row_columns, label, units, region))
                continue
            indicator, whole = _indicator(row, parents, last_whole)
            if section:
                indicator = _qualified(indicator, section)
            if whole is not None:
                last_whole = whole
                if row.serial:
                    parents[row.serial] = whole
            spans.append((row.line_start, row.numbers[-1][1]))
            cells.extend(_row_cells(row, row_columns, indicator, units))
    listed, listed_spans = _place_list_cells(text, gazetteer, home, report, taken | {s for s, _ in spans})
    return cells + listed, spans + listed_spans


# -- Lists of places below the gazetteer, one figure column or more ------------------------------
#
#     序号 | 村委会名称 | 参保任务人数 |       a header naming the column of places (lexicon PLACE_COLUMN)
#     1 | 程家 | 514 |                       serial, place, figures: each place an area inside the report's
#     北坪镇 | 10700 | |                      (inside its parent when the report is a town), its kind's
#                                             ending added (程家村); the report's own name is its own area

def _place_list_tables(text: str) -> list[tuple[list[_Row], str]]:
    """(rows, the places' ending) of each | table whose header names a column of places; its rows
    may hold a single figure, which a grid's rows may not."""
    tables: list[tuple[list[_Row], str]] = []
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        start, line = lines[i]
        i += 1
        if not _is_piped(line):
            continue
        kind = next((m.group("kind") for _, _, w in _pipe_cells(line, start) if (m := _PLACE_COLUMN.match(w))), None)
        if kind is None:
            continue
        rows: list[_Row] = []
        while i < len(lines) and _is_piped(lines[i][1]):
            row = _place_list_row(lines[i][1], lines[i][0])
            i += 1
            if row is not None:
                rows.append(row)
        if len(rows) >= MIN_ROWS:
            tables.append((rows, table_headers.PLACE_KIND_ENDINGS.get(kind, "")))
    return tables


def _place_list_row(line: str, line_start: int) -> _Row | None:
    cells = _pipe_cells(line, line_start)
    serial = None
    if len(cells) > 1 and _SERIAL.match(cells[0][2]) and HAN.search(cells[1][2]):
        serial, cells = cells[0][2], cells[1:]
    if not cells or not HAN.search(cells[0][2]):
        return None
    numbers = cells[1:]
    if not numbers or not all(_NUMBER.fullmatch(n) for _, _, n in numbers):
        return None
    return _Row(line_start, cells[0][2], serial, None, numbers)


def _declared_place_kind(headers: list[tuple[str, int]]) -> str | None:
    """The ending of the places a header cell names (村委会名称 → 村, 乡镇 → ""), or None."""
    for line, start in headers:
        for _, _, word in _line_tokens(line, start):
            found = _PLACE_COLUMN.match(word)
            if found:
                return table_headers.PLACE_KIND_ENDINGS.get(found.group("kind"), "")
    return None


def _place_below(label: str, ending: str, gazetteer: Gazetteer, home: Region) -> Region | None:
    """A place below the gazetteer named in a row: an area inside the report's own (inside the
    report's parent when the report is itself such an area); None when the report's area is unknown."""
    parent = gazetteer.regions.get(home.parent_code) if home.level == "sub_area" else home
    if parent is None or parent.code in (UNKNOWN_REGION.code, gazetteer.country().code):
        return None
    if label == home.name:
        return home
    written = label.endswith((ending, *table_headers.BODY_LABEL_ENDINGS)) if ending else True
    return Gazetteer.sub_area(parent, label if written else label + ending)


def _place_list_cells(text: str, gazetteer: Gazetteer, home: Region, report: ReportPeriod | None,
                      taken: set[int]) -> tuple[list[TableCell], list[tuple[int, int]]]:
    cells: list[TableCell] = []
    spans: list[tuple[int, int]] = []
    for rows, ending in _place_list_tables(text):
        rows = [r for r in rows if r.line_start not in taken]
        if len(rows) < MIN_ROWS:
            continue
        width = Counter(len(r.numbers) for r in rows).most_common(1)[0][0]
        headers = _header_lines(text, rows[0].line_start, limit=4)
        columns = _place_table_columns(headers, width, report)
        if columns is None:
            continue
        for row in rows:
            if len(row.numbers) != width:
                continue
            region = home if _OWN_AREA_LABELS.match(row.label) else _place_below(row.label, ending, gazetteer, home)
            spans.append((row.line_start, row.numbers[-1][1]))
            cells.extend(_row_cells(row, columns, "", [], region))
    return cells, spans


def _row_cells(row: _Row, columns: list[Column], indicator: str, units: list[str],
               region: Region | None = None) -> list[TableCell]:
    """The facts of one row under its columns: each number scaled by its row's or column's unit.
    Under indicator columns, `indicator` only qualifies the column's (a row's place is `region`)."""
    out = []
    for (start, end, number), column in zip(row.numbers, columns, strict=True):
        percent = number.endswith("%")
        unit_text = "%" if percent else column.unit or row.unit or _column_unit(units, column.measure)
        scaled = split_unit(unit_text) if unit_text else None
        value = parse_numeral(number.rstrip("%").lstrip("+"))
        if value is None or scaled is None:
            continue
        factor, unit = scaled
        if column.measure in ("completion", "share") or (column.measure == "change" and not row.unit):
            factor, unit = Decimal(1), "%"
        name = f"{indicator}{column.indicator}" if column.indicator else f"{column.qualifier}{indicator}"
        out.append(TableCell(start, end, row.line_start, name, value * factor, unit,
                             column.measure, "yoy" if column.measure == "change" else None, column.region or region,
                             column.period))
    return out


# -- Tables flattened one cell per line, each cell ending in | ------------------------------------
#
#     指标名称 |  计量单位 |  2016年1-6月 |  绝对数 |  相对数(%) |     header cells: stubs, times, measures
#     期末参加失业保险人数 |  万人 |  36.52 |  3.15% |              each row: a label, a unit, figures
#
# Cut into rows by where each figure run begins, then read by the same row and column model.

_PIPED_CELL_LINE = re.compile(r"^[ \t]*([^|｜\n]*[^|｜\s])[ \t]*[|｜][ \t]*$")
_CELL_FIGURE = re.compile(r"[-+]?\d+(?:\.\d+)?%?")
MIN_CELL_LINES = 6


def _piped_cell_runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Runs of consecutive lines that each hold one cell ending in |."""
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    pos = 0
    for line in text.split("\n"):
        m = _PIPED_CELL_LINE.match(line)
        if m:
            current.append((pos + m.start(1), pos + m.end(1), m.group(1)))
        elif line.strip() or not current:
            if len(current) >= MIN_CELL_LINES:
                runs.append(current)
            current = []
        pos += len(line) + 1
    if len(current) >= MIN_CELL_LINES:
        runs.append(current)
    return runs


def _cell_rows(run: list[tuple[int, int, str]]) -> tuple[list[tuple[int, int, str]], list[_Row]]:
    """(header cells, rows) of a run: a row is a label, maybe a unit, then its figures."""
    rows: list[_Row] = []
    header_end: int | None = None
    i = 0
    while i < len(run):
        if not _CELL_FIGURE.fullmatch(run[i][2]):
            i += 1
            continue
        first = i
        while i < len(run) and _CELL_FIGURE.fullmatch(run[i][2]):
            i += 1
        unit_at = first - 1 if first >= 1 and split_unit(run[first - 1][2]) else None
        label_at = (unit_at if unit_at is not None else first) - 1
        if label_at < 0 or not HAN.search(run[label_at][2]) or _CELL_FIGURE.fullmatch(run[label_at][2]):
            continue
        if header_end is None:
            header_end = label_at
        rows.append(_Row(run[label_at][0], run[label_at][2], None,
                         run[unit_at][2] if unit_at is not None else None, run[first:i]))
    return run[: header_end or 0], rows


def _cell_columns(header: list[tuple[int, int, str]], width: int, report: ReportPeriod | None) -> list[Column]:
    """Columns from the header cells: their times (2016年1-6月, 截至2015年9月底) and measures
    (绝对数, 相对数(%), 比上年增长), one per column, or one time for all."""
    fallback = report.year if report else None
    times: list[str] = []
    for _, _, cell in header:
        period = stated_period(cell, fallback)
        if period is not None and period.label not in times:
            times.append(period.label)
    measures = [_time_or_measure_column(cell) for _, _, cell in header
                if _measure_word(cell) and not stated_period(cell, fallback)]
    columns = measures if len(measures) == width else [Column() for _ in range(width)]
    if len(times) == width:
        return [replace(c, period=p) for c, p in zip(columns, times, strict=True)]
    return [replace(c, period=times[0]) for c in columns] if times else columns


def find_cell_per_line_cells(text: str, report: ReportPeriod | None
                             ) -> tuple[list[TableCell], list[tuple[int, int]]]:
    """Facts of tables copied one cell per line with a | after each cell, and the spans of the runs."""
    if "|" not in text and "｜" not in text:
        return [], []
    cells: list[TableCell] = []
    spans: list[tuple[int, int]] = []
    for run in _piped_cell_runs(text):
        header, rows = _cell_rows(run)
        if not rows:
            continue
        width = Counter(len(r.numbers) for r in rows).most_common(1)[0][0]
        columns = _cell_columns(header, width, report)
        for row in rows:
            if len(row.numbers) == width:
                cells.extend(_row_cells(row, columns, row.label, []))
        spans.append((run[0][0], run[-1][1]))
    return cells, spans


def _nearest_section(headers: list[tuple[str, int]]) -> str | None:
    """The section row right above a | table's first data row, if any."""
    for line, start in headers:
        row = _row(line, start)
        if row is None:
            return None
        if not row.numbers:
            return row.label
    return None


def _column_unit(units: list[str], measure: str) -> str | None:
    """The table's unit for a column: 单位:元、% gives 元 to amounts and % to rates of change."""
    if not units:
        return None
    if measure in ("change", "completion", "share"):
        return next((u for u in units if u in PERCENT_UNITS), units[-1])
    return next((u for u in units if u not in PERCENT_UNITS), units[0])


# -- Tables flattened one cell per line (an HTML table copied as text) -------------------------
#
#     城镇新增就业(人)          column headers: an indicator with its unit …
#     城镇登记失业率低于(%)
#     目标 / 任务 / 进度 / 完成比例(%)   … and the measures under each indicator
#     全市 / 27800 / 52242 / 187.9 …   then each row: a place, then its numbers
#
# Empty cells are dropped in such a copy, so a row is read only when its count of numbers fits
# the columns: all of them, all but the completion ratios of rate targets (a rate has no
# completion), or whole trailing indicators (a row that reports only the last ones).

_CELL_HEADER = re.compile(table_headers.CELL_HEADER)
_CELL_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
_CELL_MEASURES = table_headers.CELL_LIST_MEASURES
# Row labels that stand for the report's own area (全市 …) and its own body (市本级).
_OWN_AREA_LABELS = re.compile(table_headers.OWN_AREA_ROW)
_OWN_BODY_LABELS = re.compile(table_headers.OWN_BODY_ROW)


def _cell_lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos + len(line) - len(line.lstrip()), line.strip()))
        pos += len(line) + 1
    return out


def _cell_measure(word: str) -> str | None:
    return next((m for key, m in _CELL_MEASURES if key in word), None)


def find_cell_list_cells(text: str, gazetteer: Gazetteer, home: Region, report: ReportPeriod | None
                         ) -> tuple[list[TableCell], list[tuple[int, int]]]:
    """Facts of a table copied one cell per line, and the spans of its number cells."""
    if not _CELL_HEADER_LINE.search(text):
        return [], []
    lines = _cell_lines(text)
    headers = [(i, m.group(1), m.group(2)) for i, (_, line) in enumerate(lines)
               if (m := _CELL_HEADER.match(line)) and split_unit(m.group(2)) and not _cell_measure(m.group(1))]
    if len(headers) < 2:
        return [], []
    after_headers = headers[-1][0] + 1
    measures: list[str] = []
    first_row = None
    for i in range(after_headers, len(lines)):
        line = lines[i][1]
        if _CELL_NUMBER.match(line):
            first_row = i - 1
            break
        measure = _cell_measure(line)
        if measure and len(line) <= 8:
            # 目标 / 任务 on two lines are one header cell (目标任务) split by the copy.
            split_target = measure == "target" and line in table_headers.TARGET_CELL_TAILS
            if not (measures and split_target and measures[-1] == "target"):
                measures.append(measure)
    if first_row is None or not measures or len(measures) % len(headers):
        return [], []
    per_indicator = measures[: len(measures) // len(headers)]
    full = [(h, m) for h in headers for m in per_indicator]
    without_rate_completion = [(h, m) for h, m in full if not (m == "completion" and h[2] in PERCENT_UNITS)]
    cells: list[TableCell] = []
    spans: list[tuple[int, int]] = []
    i = first_row
    while i < len(lines):
        label = lines[i][1]
        numbers = []
        j = i + 1
        while j < len(lines) and _CELL_NUMBER.match(lines[j][1]):
            numbers.append(lines[j])
            j += 1
        region, qualifier = _row_region(label, gazetteer, home)
        if region is None and not numbers and HAN.search(label) and len(label) <= 12:
            i = j  # a place the copy gave no numbers (or one not in the gazetteer): nothing to read
            continue
        if region is None and numbers:
            break  # not a row label: the table has ended
        if region is None:
            break
        layout = next((cols for cols in (full, without_rate_completion) if len(cols) == len(numbers)), None)
        if layout is None and numbers and len(numbers) % len(per_indicator) == 0:
            layout = full[len(full) - len(numbers):]  # only the last indicators reported
        for (start, number), ((_, name, unit_text), measure) in zip(numbers, layout or [], strict=False):
            value = parse_numeral(number.lstrip("+"))
            factor, unit = split_unit(unit_text) or (Decimal(1), unit_text)
            if measure == "completion":
                factor, unit = Decimal(1), "%"
            if value is None:
                continue
            indicator = f"{qualifier}{name}" if qualifier else name
            cells.append(TableCell(start, start + len(number), lines[i][0], indicator, value * factor, unit,
                                   measure, None, region))
            spans.append((start, start + len(number)))
        i = j
    return cells, spans


def _row_region(label: str, gazetteer: Gazetteer, home: Region) -> tuple[Region | None, str]:
    """The place a row label names: 全市 the report's own area, 市本级 its own body, or a region."""
    if _OWN_AREA_LABELS.match(label):
        return home, ""
    if _OWN_BODY_LABELS.match(label):
        return home, label
    candidates = gazetteer.by_name.get(label)
    if candidates and label not in gazetteer.ambiguous:
        return gazetteer.resolve(candidates, home), ""
    return None, ""
