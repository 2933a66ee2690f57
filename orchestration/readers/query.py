"""Ad-hoc read-only SQL over the warehouse, for `zhibiao sql`.

Read-only is enforced by DuckDB itself, not by parsing SQL: the file (or the lake) is opened
read-only, file system access beyond the warehouse is disabled (no `copy … to`, `read_text`,
`attach`, `install`), extensions are never auto-installed or auto-loaded, and the configuration is
locked so a query cannot lift any of this with `set`. A lake's queries must read its data folder,
so there DuckDB allows that folder alone; and since extensions (SQLite's, DuckLake's maintenance
calls) do not all obey those settings, a lake query is also checked before it runs, by allowing
rather than forbidding: only `select` statements (show, describe and summarize are selects), only
table functions that read (READ_TABLE_FUNCTIONS), and only DuckDB's own scalar and aggregate
functions, read from the query's parse tree (`json_serialize_sql`).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import html
import io
import json
import math
import re
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import duckdb
import wcwidth

from ..warehouse.address import as_address, first_line
from ..warehouse.backends import backend_for, connect
from ..warehouse.connection import AddressLike
from ..warehouse.lake import sql_text

OUTPUT_FORMATS = ("table", "csv", "json", "markdown")

SANDBOX_CONFIG = {
    "memory_limit": "512MB",
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
# How much a query may spill to disk (into a temporary folder of its own) when it outgrows memory.
SPILL_LIMIT = "4GB"
# What a query on a lake may be: a select (show, describe, summarize and values are selects too).
READ_STATEMENTS = {duckdb.StatementType.SELECT}
# The table functions a query on a lake may call: ones that read the catalog, the lake's own
# snapshots and changes, or make rows from values. Not read_csv/read_parquet/glob (files), query
# (runs SQL text), sqlite_*/postgres_* (other databases) or DuckLake's maintenance calls (they write).
READ_TABLE_FUNCTIONS = frozenset({
    "range", "generate_series", "unnest", "repeat", "summary", "json_each", "json_tree",
    "duckdb_tables", "duckdb_views", "duckdb_columns", "duckdb_schemas", "duckdb_types", "duckdb_constraints",
    "duckdb_indexes", "duckdb_functions", "duckdb_keywords", "pragma_table_info", "pragma_show", "pragma_version",
    "snapshots", "current_snapshot", "last_committed_snapshot", "table_info", "table_changes",
    "table_insertions", "table_deletions", "ducklake_snapshots", "ducklake_current_snapshot",
    "ducklake_last_committed_snapshot", "ducklake_table_info", "ducklake_table_changes",
    "ducklake_table_insertions", "ducklake_table_deletions",
})
# Bare table names (and `show tables`) resolve in the marts first, then the other layers.
SEARCH_PATH = "marts,intermediate,staging,reference,raw,main"


class QueryRefused(RuntimeError):
    """The query failed or was refused; the message is one line meant for a person."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def _one_line(err: duckdb.Error) -> str:
    """DuckDB's message without its traceback-like context, keeping its 'Did you mean' hint."""
    hints = [line.strip() for line in str(err).splitlines()[1:]
             if line.strip().lower().startswith(("did you mean", "candidate"))]
    return " ".join([first_line(err), *hints])


def run_read_only(warehouse: AddressLike, query: str, *, snapshot: int | None = None,
                  at: datetime | None = None, parameters: dict[str, Any] | None = None,
                  unpublished: bool = False) -> QueryResult:
    """Run `query` (with its named `parameters`, `$name` in the SQL) on a sandboxed read-only
    connection, on a lake at its newest published snapshot or the published one `snapshot` (id) or
    `at` (time) names (any one with `unpublished`); raises QueryRefused with one line."""
    if not query.strip():
        raise ValueError("the query is empty")
    address = as_address(warehouse)
    if not address.exists():
        raise FileNotFoundError(f"warehouse {address.label} does not exist yet: run `zhibiao build` first")
    # A connection that must go on reading files (a lake's data) cannot close file access: what it
    # may run is checked instead.
    readable = backend_for(address).folders_read_by_queries()
    if readable:
        _check_query_of_open_connection(query)
    with contextlib.ExitStack() as stack:
        # A large sort or join spills to a folder of its own, bounded, removed after the query: not
        # DuckDB's default `.tmp` in the caller's folder, which may take 90 % of the free disk.
        spill = stack.enter_context(tempfile.TemporaryDirectory(prefix="zhibiao-sql-"))
        # File access is closed once the warehouse is open (a lake's data folder stays readable):
        # DuckDB takes no temp folder once it is closed.
        config = {k: v for k, v in SANDBOX_CONFIG.items() if k != "enable_external_access"}
        config.update(temp_directory=spill, max_temp_directory_size=SPILL_LIMIT)
        try:
            con = stack.enter_context(connect(address, read_only=True, snapshot=snapshot, at=at, config=config,
                                                   unpublished=unpublished))
            if readable:
                folders = ", ".join(f"'{sql_text(folder)}'" for folder in readable)
                con.execute(f"set allowed_directories = [{folders}]")
            con.execute("set enable_external_access = false")
            # Only the layers this warehouse (or snapshot) has: DuckDB refuses a path naming another.
            present = {row[0] for row in con.execute(
                "select schema_name from duckdb_schemas() where database_name = current_database()").fetchall()}
            con.execute(f"set search_path = '{','.join(s for s in SEARCH_PATH.split(',') if s in present)}'")
            # Last: locks every option above for the life of the connection, so no query can lift it.
            con.execute("set lock_configuration = true")
        except duckdb.Error as err:
            raise QueryRefused(f"cannot open {address.label}: {_one_line(err)}") from None
        try:
            cursor = con.execute(query, parameters)
            if cursor.description is None:
                return QueryResult([], [])
            return QueryResult([d[0] for d in cursor.description], cursor.fetchall())
        except duckdb.Error as err:
            raise QueryRefused(_one_line(err)) from None


def _check_query_of_open_connection(query: str) -> None:
    """Refuse, with one line, a query that is not a select or calls a function outside the allowed
    ones (on a connection whose file access stays open, as a lake's must)."""
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as err:
        raise QueryRefused(_one_line(err)) from None
    for statement in statements:
        if statement.type not in READ_STATEMENTS:
            raise QueryRefused(f"`{statement.type.name.lower()}` is not a read: on a lake zhibiao sql runs "
                               "select, show, describe and summarize only")
    with duckdb.connect(config=_PARSER_CONFIG) as parser:
        for statement in statements:
            tree = json.loads(parser.execute("select json_serialize_sql(?)", [statement.query]).fetchone()[0])
            if tree.get("error"):
                raise QueryRefused(f"not a plain select: {tree.get('error_message', 'it cannot be read')}")
            for kind, name in _functions_called(tree):
                if kind == "table" and name not in READ_TABLE_FUNCTIONS:
                    raise QueryRefused(f"`{name}` is no table function a read on a lake may call")
                if kind == "scalar" and name not in _core_functions():
                    raise QueryRefused(f"`{name}` is no function a read on a lake may call")


# A connection that only parses: no extension is loaded, so its functions are DuckDB's own.
_PARSER_CONFIG = {"enable_external_access": False, "autoinstall_known_extensions": False,
                  "autoload_known_extensions": False}


@functools.cache
def _core_functions() -> frozenset[str]:
    """DuckDB's own scalar, aggregate and macro functions (operators such as + and ~~ among them)."""
    with duckdb.connect(config=_PARSER_CONFIG) as con:
        return frozenset(name for (name,) in con.execute(
            "select distinct function_name from duckdb_functions() "
            "where function_type in ('scalar', 'aggregate', 'macro')").fetchall())


def _functions_called(node: Any) -> list[tuple[str, str]]:  # noqa: ANN401 - a parse tree of JSON values
    """(kind, name) of every function a serialized parse tree calls: `table` for one in a FROM clause."""
    found: list[tuple[str, str]] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if item.get("type") == "TABLE_FUNCTION":
                function = item.get("function") or {}
                found.append(("table", str(function.get("function_name", ""))))
                stack.extend(function.get("children") or [])
                stack.extend(v for k, v in item.items() if k != "function")
                continue
            if "function_name" in item:
                found.append(("scalar", str(item["function_name"])))
            stack.extend(item.values())
    return found


def _decimal(value: Decimal) -> int | float | str:
    """Integral decimals as integers, others without the storage scale's trailing zeros
    (2.580000 → 2.58): as a float where that is exact, else as exact text."""
    if value == value.to_integral_value():
        return int(value)
    written = format(value.normalize(), "f")
    return float(written) if repr(float(written)) == written else written


def _plain(value: Any) -> Any:  # noqa: ANN401 - any value DuckDB returns
    """A cell as JSON can hold it: decimals as written; dates, times and UUIDs as ISO text; an
    interval in seconds; bytes as hex; NaN and infinities (no JSON number) as null."""
    if isinstance(value, Decimal):
        return _decimal(value) if value.is_finite() else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _text(value: Any) -> str:  # noqa: ANN401 - any value DuckDB returns
    """A cell as text: NULL as empty, integers as integers, decimals exactly as stored."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float | timedelta):
        return str(value)  # nan and inf as they are; an interval as 3 days, 0:00:00
    if isinstance(value, list | tuple | dict):
        return json.dumps(_plain(value), ensure_ascii=False)
    return str(_plain(value))


def _width(text: str) -> int:
    """Display width in a terminal: wide (CJK, full-width forms) characters take two columns,
    combining and zero-width ones none. Cells reach here with control characters escaped."""
    width = wcwidth.wcswidth(text)
    return width if width >= 0 else len(text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


# Characters a terminal acts on rather than shows (escape sequences, carriage return, bell, the C1
# controls) and the bidirectional overrides that reorder what is shown: a report's text or a file
# name may hold any of them, so the text formats show them escaped (\x1b), never raw.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A CSV cell a spreadsheet would run as a formula: its text starts with one of these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _shown(text: str, keep: str = "") -> str:
    """`text` with every control character but those in `keep` escaped."""
    return _CONTROL.sub(lambda m: m.group() if m.group() in keep else repr(m.group())[1:-1], text)


def _csv_cell(value: Any) -> str:  # noqa: ANN401 - any value DuckDB returns
    """A CSV cell: text that a spreadsheet would run as a formula is quoted with a leading '."""
    text = _shown(_text(value), keep="\n")
    return "'" + text if isinstance(value, str) and text.startswith(_FORMULA_START) else text


def format_result(result: QueryResult, fmt: str) -> str:
    if fmt not in OUTPUT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(OUTPUT_FORMATS)}")
    if fmt == "json":
        return "\n".join(json.dumps(dict(zip(result.columns, map(_plain, row), strict=True)), ensure_ascii=False)
                         for row in result.rows)
    columns = [_shown(c) for c in result.columns]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_csv_cell(v) for v in row] for row in result.rows)
        return buf.getvalue().rstrip("\n")
    cells = [[_shown(_text(v)) for v in row] for row in result.rows]
    if not result.columns:
        return "(done)"
    if fmt == "markdown":
        # HTML in a cell is shown as text, not rendered.
        escaped = [[html.escape(c, quote=False).replace("|", "\\|") for c in row] for row in cells]
        lines = ["| " + " | ".join(html.escape(c, quote=False) for c in columns) + " |",
                 "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(row) + " |" for row in escaped]
        return "\n".join(lines)
    return _table(columns, cells, [_is_numeric_column(result.rows, i) for i in range(len(result.columns))])


def _is_numeric_column(rows: Sequence[tuple[Any, ...]], index: int) -> bool:
    values = [row[index] for row in rows if row[index] is not None]
    return bool(values) and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values)


def _table(columns: list[str], cells: list[list[str]], numeric: list[bool]) -> str:
    widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, w, n) for c, w, n in zip(columns, widths, numeric, strict=True)).rstrip()]
    lines += ["  ".join(_pad(v, w, n) for v, w, n in zip(row, widths, numeric, strict=True)).rstrip() for row in cells]
    if not cells:
        lines.append("(no rows)")
    return "\n".join(lines)
