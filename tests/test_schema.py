"""The raw tables are defined once (orchestration/warehouse/raw_schema.py): the DDL, the Arrow schemas, the
rows the extractor writes and the dbt sources file all agree with that definition."""

import dataclasses
import hashlib
import inspect
from datetime import datetime

import duckdb
import yaml
from helpers import PROJECT_ROOT

from orchestration.extraction import ExtractedFact
from orchestration.ingest.batch import IngestBatch
from orchestration.ingest.folder import ReportFile
from orchestration.ingest.raw_writes import apply_batch
from orchestration.ingest.report_rows import extract_report
from orchestration.warehouse.backends import backend_for
from orchestration.warehouse.raw_schema import RAW_COLUMNS, arrow_schema, raw_ddl

SOURCES = PROJECT_ROOT / "dbt_project" / "models" / "staging" / "_raw__sources.yml"


def test_ddl_and_arrow_schemas_have_the_defined_columns_in_order():
    con = duckdb.connect()
    con.execute(raw_ddl())
    con.execute(raw_ddl())  # idempotent: a second run (an existing warehouse) changes nothing
    for table, columns in RAW_COLUMNS.items():
        described = con.execute("select column_name, data_type from information_schema.columns "
                                "where table_schema = 'raw' and table_name = ? order by ordinal_position",
                                [table]).fetchall()
        assert [name for name, _ in described] == [c.name for c in columns]
        assert [dtype.lower().replace(",", ", ") for _, dtype in described] == [c.duckdb_type for c in columns]
        if table in ("documents", "sentences", "facts"):
            assert arrow_schema(table).names == [c.name for c in columns]


def test_a_warehouse_of_an_earlier_release_gains_the_columns_added_later():
    con = duckdb.connect()
    con.execute("create schema raw")
    first = [c for c in RAW_COLUMNS["facts"] if not c.added_later]
    con.execute("create table raw.facts (" + ", ".join(f'"{c.name}" {c.duckdb_type}' for c in first) + ")")
    con.execute(raw_ddl())
    names = [r[0] for r in con.execute("select column_name from information_schema.columns "
                                       "where table_name = 'facts' order by ordinal_position").fetchall()]
    assert names == [c.name for c in RAW_COLUMNS["facts"]]


def test_rows_extracted_before_period_ranges_get_them_at_the_next_ingest(tmp_path):
    """An older zhibiao wrote period labels alone; dbt now takes each label's type and dates from
    the raw rows, so the next ingest gives the old rows theirs (and leaves rows without a period)."""
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute("create schema raw")
    for table in ("documents", "facts"):
        first = [c for c in RAW_COLUMNS[table] if not c.added_later]
        con.execute(f"create table raw.{table} (" + ", ".join(f'"{c.name}" {c.duckdb_type}' for c in first) + ")")
    con.execute("insert into raw.documents (document_id, content_hash, source_file, original_text, period, loaded_at) "
                "values ('d1', 'h', 'a.txt', '…', '2019H1', now()), ('d2', 'h2', 'b.txt', '…', null, now())")
    con.execute("insert into raw.facts (document_id, fact_index, number_text, region_code, period, loaded_at) "
                "values ('d1', 0, '5万人', '520000', '2018Q4', now()), ('d1', 1, '3%', '520000', null, now())")
    apply_batch(con, IngestBatch(seen=[], rejections=[], spool_dir=tmp_path), backend_for(tmp_path / "old.duckdb"))
    documents = con.execute("select document_id, period_type, period_start, period_end from raw.documents "
                            "order by 1").fetchall()
    assert [tuple(map(str, row)) for row in documents] == [
        ("d1", "half_year", "2019-01-01", "2019-06-30"), ("d2", "None", "None", "None")]
    facts = con.execute("select period_type, period_start, period_end from raw.facts order by fact_index").fetchall()
    assert [tuple(map(str, row)) for row in facts] == [("quarter", "2018-10-01", "2018-12-31"),
                                                       ("None", "None", "None")]


def test_fact_rows_have_exactly_the_fact_columns(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("贵州省2021年就业情况\n全省城镇新增就业30万人,同比增长2.1%。", encoding="utf-8")
    data = report.read_bytes()
    file = ReportFile("report.txt", report, hashlib.sha256(data).hexdigest(), len(data))
    rows = extract_report(file, 1_000_000, datetime(2026, 1, 1))
    # Properties are data descriptors (compiled by mypyc, a property is a getset descriptor).
    fact_fields = {f.name for f in dataclasses.fields(ExtractedFact)} | {
        name for name, value in vars(ExtractedFact).items()
        if inspect.isdatadescriptor(value) and not name.startswith("__")}
    assert {c.fact_field for c in RAW_COLUMNS["facts"] if c.fact_field} <= fact_fields
    for row in rows.facts:
        assert set(row) == {c.name for c in RAW_COLUMNS["facts"]}
    assert set(rows.document) == {c.name for c in RAW_COLUMNS["documents"]}
    assert set(rows.sentences[0]) == {c.name for c in RAW_COLUMNS["sentences"]}
    value = next(r for r in rows.facts if r["number_text"] == "30万人")
    assert (value["value"], value["unit"], value["indicator_phrase"]) == (300000, "人", "城镇新增就业")


def test_dbt_sources_document_every_raw_column_as_defined():
    sources = yaml.safe_load(SOURCES.read_text(encoding="utf-8"))
    (raw,) = [s for s in sources["sources"] if s["name"] == "raw"]
    for table in raw["tables"]:
        documented = [(c["name"], c["description"]) for c in table["columns"]]
        assert documented == [(c.name, c.description) for c in RAW_COLUMNS[table["name"]]], (
            "run `uv run python scripts/write_raw_sources.py`")
    assert {t["name"] for t in raw["tables"]} == set(RAW_COLUMNS)
