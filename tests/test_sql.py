"""`zhibiao sql` is read-only by DuckDB's own settings, and speaks one line when it refuses."""

import hashlib
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import wcwidth
from helpers import zhibiao

from orchestration.readers.query import run_read_only
from orchestration.warehouse.address import WarehouseAddress
from orchestration.warehouse.backends import connect


@pytest.fixture()
def warehouse_copy(seed_build, tmp_path):
    """A private copy of the seed warehouse: a refused statement that got through would harm only it."""
    _, warehouse = seed_build
    copy = tmp_path / "zhibiao.duckdb"
    shutil.copyfile(warehouse, copy)
    return copy


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.integration
@pytest.mark.parametrize("statement, refusal", [
    ("copy (select 'x') to '{warehouse}' (format csv)", "disabled by configuration"),
    ("copy (select 1) to '{outside}' (format csv)", "disabled by configuration"),
    ("select * from read_text('/etc/passwd')", "disabled by configuration"),
    ("attach '{outside}' as other", "disabled by configuration"),
    ("set memory_limit = '8GB'", "configuration has been locked"),
    ("set enable_external_access = true", "configuration has been locked"),
    ("install httpfs", "disabled by configuration"),
    ("create table marts.x as select 1", "read-only"),
    ("delete from marts.fact_indicator", "read-only"),
])
def test_sql_refuses_writes_and_file_access(warehouse_copy, tmp_path, statement, refusal):
    before = _digest(warehouse_copy)
    outside = tmp_path / "outside.csv"
    result = zhibiao("sql", statement.format(warehouse=warehouse_copy, outside=outside),
                     "--warehouse", str(warehouse_copy))
    assert result.returncode == 1
    assert refusal in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not outside.exists()
    assert _digest(warehouse_copy) == before
    count = zhibiao("sql", "select count(*) as n from fact_indicator", "--warehouse", str(warehouse_copy),
                    check=True)
    assert int(count.stdout.split()[-1]) > 700


@pytest.mark.integration
def test_sql_errors_and_usage(seed_build):
    _, warehouse = seed_build
    typo = zhibiao("sql", "select * from marts.fact_indicatorr", "--warehouse", str(warehouse))
    assert typo.returncode == 1 and 'Did you mean "fact_indicator"' in typo.stderr
    assert "Traceback" not in typo.stderr
    empty = zhibiao("sql", "  ", "--warehouse", str(warehouse))
    assert empty.returncode == 2 and "empty" in empty.stderr


@pytest.mark.integration
def test_sql_shows_tables_and_prints_numbers_as_written(seed_build):
    _, warehouse = seed_build
    tables = zhibiao("sql", "show tables", "--warehouse", str(warehouse), check=True).stdout.split()
    assert {"fact_indicator", "dim_region", "dim_period"} <= set(tables)
    row = zhibiao("sql", """select f.value, f.unit, count(*) over () as n from fact_indicator f
                            join dim_region r using (region_key)
                            where r.region_name = '广西壮族自治区' and f.number_text = '2.58%'""",
                  "--warehouse", str(warehouse), "--format", "csv", check=True).stdout.splitlines()
    assert row[0] == "value,unit,n"
    value, unit, n = row[1].split(",")
    assert (value, unit, n) == ("2.58", "%", "1")
    as_json = zhibiao("sql", "select 7 as n, 2.58::decimal(10,2) as r", "--warehouse", str(warehouse),
                      "--format", "json", check=True).stdout
    assert as_json.strip() == '{"n": 7, "r": 2.58}'
    markdown = zhibiao("sql", "select 7 as n", "--warehouse", str(warehouse), "--format", "markdown",
                       check=True).stdout
    assert markdown.splitlines() == ["| n |", "|---|", "| 7 |"]


def test_text_formats_never_pass_control_characters_formulas_or_html():
    """Issue 27 item 13: a report's text or a file name may hold terminal escapes, a cell a
    spreadsheet would run, or HTML; the text formats show them as text."""
    from decimal import Decimal

    from orchestration.readers.query import QueryResult, format_result

    result = QueryResult(["name\x1b[31m", "quote", "value"],
                         [("a\x1b]0;owned\x07.txt", "=HYPERLINK(\"x\")", Decimal("-3.5")),
                          ("b\r\nc", "<img src=x onerror=alert(1)>", Decimal("2")),
                          ("\u202eevil.txt", "@SUM(A1)", None)])
    for fmt in ("table", "csv", "markdown"):
        out = format_result(result, fmt)
        assert "\x1b" not in out and "\x07" not in out and "\r" not in out and "\u202e" not in out, fmt
        assert "\\x1b" in out and "\\u202e" in out
    csv_out = format_result(result, "csv")
    assert "'=HYPERLINK" in csv_out and "'@SUM(A1)" in csv_out
    assert ",-3.5" in csv_out  # a number is no formula
    markdown = format_result(result, "markdown")
    assert "<img" not in markdown and "&lt;img src=x onerror=alert(1)&gt;" in markdown
    assert "a\\x1b]0;owned\\x07.txt" in format_result(result, "table")


@pytest.mark.parametrize("kind", ["file", "lake"])
def test_sql_spills_into_a_bounded_folder_of_its_own(tmp_path, monkeypatch, kind):
    """Issue 27 item 17: not DuckDB's default `.tmp` in the caller's folder, unbounded."""
    lake = f"ducklake:sqlite:{tmp_path}/lake.sqlite"
    address = WarehouseAddress.parse(tmp_path / "wh.duckdb" if kind == "file" else lake)
    with connect(address) as con:
        con.execute("create schema marts")
        con.execute("create table marts.t as select 1 as x")
    caller = tmp_path / "caller"
    caller.mkdir()
    monkeypatch.chdir(caller)
    folder, limit = run_read_only(address, "select current_setting('temp_directory'), "
                                           "current_setting('max_temp_directory_size') from t").rows[0]
    assert Path(folder).parent == Path(tempfile.gettempdir()) and Path(folder).name.startswith("zhibiao-sql-")
    assert limit.endswith("GiB") and float(limit.split()[0]) <= 4
    assert not Path(folder).exists() and list(caller.iterdir()) == []


# Issue 27 item 14: one line, never a traceback ---------------------------------------------------

def _one_line_failure(result, *words):
    assert result.returncode != 0, result.stdout[-500:]
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr[-2000:]
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture(scope="module")
def broken_warehouses(tmp_path_factory):
    """An empty file, a truncated warehouse, and a warehouse whose marts were never built."""
    folder = tmp_path_factory.mktemp("broken")
    (folder / "empty.duckdb").write_bytes(b"")
    with connect(folder / "raw_only.duckdb") as con:
        con.execute("create schema raw")
        con.execute("create table raw.documents as select range as id, repeat('字', 200) as text from range(20000)")
    whole = (folder / "raw_only.duckdb").read_bytes()
    (folder / "truncated.duckdb").write_bytes(whole[: len(whole) // 2])
    return folder


@pytest.mark.parametrize("command", [["facts"], ["sql", "select 1 from fact_indicator"],
                                     ["chart", "城镇新增就业", "--out", "{out}/c.html"], ["export", "{out}/marts"]])
@pytest.mark.parametrize("name, says", [("empty.duckdb", "empty.duckdb.*not a valid DuckDB database"),
                                        ("truncated.duckdb", "cannot (read|open) .*truncated.duckdb"),
                                        ("raw_only.duckdb", "does not exist|no marts yet")])
def test_a_file_that_is_no_warehouse_is_one_line(broken_warehouses, tmp_path, command, name, says):
    args = [part.format(out=tmp_path) for part in command]
    result = zhibiao(*args, "--warehouse", str(broken_warehouses / name))
    _one_line_failure(result)
    assert re.search(says, result.stderr), result.stderr


def test_a_loop_of_symbolic_links_is_one_line(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    _one_line_failure(zhibiao("facts", "--warehouse", str(tmp_path / "a")), "loop of symbolic links")
    _one_line_failure(zhibiao("sql", "select 1", "--warehouse", f"ducklake:sqlite:{tmp_path / 'a'}"),
                      "loop of symbolic links")
    built = zhibiao("build", "--reports", str(tmp_path / "a"), "--warehouse", str(tmp_path / "w.duckdb"), "--json")
    assert built.returncode == 2 and "loop of symbolic links" in built.stderr and "Traceback" not in built.stderr
    assert '"success": false' in built.stdout


def test_output_onto_or_under_a_file_is_one_line(tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    with connect(warehouse) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fact_indicator as select 1 as x")
    occupied = tmp_path / "occupied"
    occupied.write_text("mine")
    _one_line_failure(zhibiao("export", str(occupied), "--warehouse", str(warehouse)), str(occupied))
    _one_line_failure(zhibiao("export", str(occupied / "under"), "--warehouse", str(warehouse)), str(occupied))
    assert occupied.read_text() == "mine"


def test_json_output_holds_every_duckdb_type(tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    with connect(warehouse) as con:
        con.execute("create schema marts")
    query = ("select interval 3 day as i, 'ab'::blob as b, '00000000-0000-0000-0000-000000000001'::uuid as u, "
             "time '10:30:00' as t, 'nan'::double as n, 'inf'::double as f, map {'k': 2} as m, '101'::bit as bt")
    result = zhibiao("sql", query, "--warehouse", str(warehouse), "--format", "json", check=True)
    assert json.loads(result.stdout) == {"i": 259200.0, "b": "6162", "u": "00000000-0000-0000-0000-000000000001",
                                         "t": "10:30:00", "n": None, "f": None, "m": {"k": 2}, "bt": "101"}
    table = zhibiao("sql", query, "--warehouse", str(warehouse), check=True).stdout
    assert "3 days, 0:00:00" in table and "nan" in table and "inf" in table


@pytest.mark.parametrize("command", [["facts"], ["sql", "select 1"], ["export", "{out}/marts"]])
def test_a_lake_read_with_another_data_path_is_one_line(tmp_path, command):
    lake = WarehouseAddress.parse(f"ducklake:sqlite:{tmp_path}/lake.sqlite")
    with connect(lake) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fact_indicator as select 1 as x")
    args = [part.format(out=tmp_path) for part in command]
    result = zhibiao(*args, "--warehouse", str(lake), "--data-path", str(tmp_path / "elsewhere"))
    _one_line_failure(result, "does not match existing data path")


def test_table_columns_line_up_by_the_width_a_terminal_gives_each_character():
    from orchestration.readers.query import QueryResult, format_result

    # Quotes and full-width forms, a combining accent, a zero-width space, half-width katakana.
    names = ["“稳岗”返还", "＂援企＂", "Qué", "Que\u0301", "a\u200bb", "ｶﾅ", "城镇新增就业"]
    table = format_result(QueryResult(["name", "value"], [(n, i * 1000) for i, n in enumerate(names)]), "table")
    lines = table.splitlines()
    # The value column is right-aligned: every line ends in the same terminal column.
    assert len({wcwidth.wcswidth(line) for line in lines}) == 1, table
    # A letter with a combining accent takes one column, as the precomposed one does: same padding.
    assert lines[3].index("2000") - len("Qué") == lines[4].index("3000") - len("Que\u0301")


def test_ctrl_c_stops_a_runaway_query_at_once(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from helpers import PROJECT_ROOT

    warehouse = tmp_path / "wh.duckdb"
    with connect(warehouse) as con:
        con.execute("create table t as select 1 as x")
    endless = "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r"
    query = subprocess.Popen([sys.executable, "-m", "orchestration.app.cli", "sql", endless, "--warehouse",
                              str(warehouse)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        time.sleep(3)  # well inside the query, which never ends by itself
        assert query.poll() is None
        query.send_signal(signal.SIGINT)
        _, stderr = query.communicate(timeout=20)
    finally:
        query.kill()  # a query Ctrl-C did not stop would run on after the test
    assert query.returncode == 130 and stderr.strip() == "zhibiao: interrupted"
