"""The raw tables' columns, defined once: DuckDB DDL, Arrow schemas, the fact row and the dbt
source docs are all derived from these tables.

A column added after the first release is marked `added_later`: a warehouse built before it gains
it with `alter table … add column` (null for the rows extracted then). `dbt_project/models/staging/
_raw__sources.yml` lists the same columns with the same descriptions; `scripts/write_raw_sources.py`
writes that file from here and `tests/test_schema.py` checks it is current.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class Column:
    name: str
    duckdb_type: str
    arrow_type: str  # a pyarrow type by name (see `arrow_schema`)
    description: str
    not_null: bool = False
    primary_key: bool = False
    added_later: bool = False
    fact_field: str | None = None  # the `ExtractedFact` field the column is filled from (raw.facts)


_TEXT, _INT, _BIG, _TIME, _DECIMAL, _DATE = "string", "int32", "int64", "timestamp[us]", "decimal128(38, 6)", "date32"


def _period_range_columns(whose: str) -> tuple[Column, ...]:
    """The type and date range of a period label, as the extractor reads it (`periods.period_range`):
    dbt takes them from here rather than parsing labels a second time."""
    return (
        Column("period_type", "varchar", _TEXT,
               f"Type of {whose} period: year, half_year, quarter, month or year_span; null with no period.",
               added_later=True),
        Column("period_start", "date", _DATE, f"First day of {whose} period.", added_later=True),
        Column("period_end", "date", _DATE, f"Last day of {whose} period.", added_later=True),
    )


DOCUMENT_COLUMNS = (
    Column("document_id", "varchar", _TEXT,
           "Content id, the first 20 hex digits of the SHA-256 of the file's bytes.", primary_key=True),
    Column("content_hash", "varchar", _TEXT, "SHA-256 of the file's bytes.", not_null=True),
    Column("source_file", "varchar", _TEXT, "Name of the file this content was first read from.", not_null=True),
    Column("encoding", "varchar", _TEXT, "Encoding the bytes were decoded from (utf-8, gb18030, big5 …)."),
    Column("decode_warning", "varchar", _TEXT, "What was repaired while decoding (a truncated last character …)."),
    Column("text_format", "varchar", _TEXT, "plain or html (an HTML page is reduced to its text)."),
    Column("byte_size", "bigint", _BIG, "Size of the file in bytes."),
    Column("char_count", "bigint", _BIG, "Length of the decoded text in characters."),
    Column("original_text", "varchar", _TEXT,
           "The decoded text; every fact's offsets point into it.", not_null=True),
    Column("title", "varchar", _TEXT, "The report's title line."),
    Column("issuer", "varchar", _TEXT, "The body that issued the report, where stated."),
    Column("publish_date", "varchar", _TEXT, "Date the report states it was published (YYYY-MM-DD)."),
    Column("document_number", "varchar", _TEXT, "Official document number (文号), where stated."),
    Column("region_code", "varchar", _TEXT, "The report's own area (gazetteer code)."),
    Column("period", "varchar", _TEXT,
           "The report's own period label (2021, 2021H1, 2021-09 …); null if none is stated."),
    Column("extractor_version", "varchar", _TEXT, "Version of the extraction rules that read this content."),
    Column("loaded_at", "timestamp", _TIME, "When the content was extracted and loaded.", not_null=True),
    Column("region_basis", "varchar", _TEXT,
           "The heaviest evidence for the report's area: title, issuer, document_number, mentions, "
           "sub_areas, manifest (the text silent), or none (unknown area).",
           added_later=True),
    Column("region_evidence", "varchar", _TEXT, "The words that decided the report's area.", added_later=True),
    Column("period_basis", "varchar", _TEXT,
           "The heaviest evidence for the report's period: title, scope, opening, body_year, past_year, "
           "date_line or manifest (the text silent).",
           added_later=True),
    Column("period_evidence", "varchar", _TEXT, "The words that decided the report's period.", added_later=True),
    Column("extraction_warning", "varchar", _TEXT,
           "Facts found but not stored (a value too large to store …).", added_later=True),
    Column("manifest_conflict", "varchar", _TEXT,
           "Where the text contradicts what the folder's manifest (sources.csv) says of its area or period.",
           added_later=True),
    *_period_range_columns("the report's own"),
)

DOCUMENT_SOURCE_COLUMNS = (
    Column("source_file", "varchar", _TEXT, "File name in the report folder.", not_null=True),
    Column("document_id", "varchar", _TEXT, "Content the file held.", not_null=True),
    Column("valid_from", "timestamp", _TIME, "When the file was first seen with this content.", not_null=True),
    Column("valid_to", "timestamp", _TIME, "When the file's content changed; null while it holds this content."),
    Column("removed_at", "timestamp", _TIME, "When the file disappeared from the folder; null while present."),
    Column("last_seen_at", "timestamp", _TIME, "Last scan that saw the file.", not_null=True),
    Column("landing_folder", "varchar", _TEXT,
           "Report folder whose last scan saw the file; a scan flags as removed only its own folder's files "
           "(null: before folders were recorded).", added_later=True),
)

SENTENCE_COLUMNS = (
    Column("document_id", "varchar", _TEXT, "Document the sentence belongs to.", not_null=True),
    Column("sentence_index", "integer", _INT, "Position of the sentence in its document, from 0.", not_null=True),
    Column("start_offset", "integer", _INT, "First character of the sentence in the original text.",
           not_null=True),
    Column("end_offset", "integer", _INT, "End (exclusive) of the sentence in the original text.", not_null=True),
    Column("sentence_text", "varchar", _TEXT, "The sentence as written.", not_null=True),
)

FACT_COLUMNS = (
    Column("document_id", "varchar", _TEXT, "Document the fact was read from.", not_null=True),
    Column("fact_index", "integer", _INT, "Position of the fact in its document, from 0.", not_null=True),
    Column("offset", "integer", _INT, "First character of the number in the original text.", not_null=True,
           fact_field="offset"),
    Column("end_offset", "integer", _INT, "End (exclusive) of the number with its unit.", not_null=True,
           fact_field="end"),
    Column("number_text", "varchar", _TEXT, "The number with its unit as written.", not_null=True,
           fact_field="number_text"),
    Column("quote", "varchar", _TEXT, "The clause from its start to the number: the fact's evidence.",
           not_null=True, fact_field="quote"),
    Column("quote_start", "integer", _INT, "First character of the quote in the original text.", not_null=True,
           fact_field="quote_start"),
    Column("quote_end", "integer", _INT, "End (exclusive) of the quote in the original text.", not_null=True,
           fact_field="quote_end"),
    Column("sentence_index", "integer", _INT, "Sentence the fact stands in (-1: a table row outside one).",
           not_null=True, fact_field="sentence_index"),
    Column("indicator_phrase", "varchar", _TEXT, "What the number counts, as the report words it.",
           fact_field="indicator"),
    Column("indicator_code", "varchar", _TEXT, "Catalogue indicator the phrase names; null if none.",
           fact_field="indicator_code"),
    Column("value", "decimal(38, 6)", _DECIMAL, "The number in base units (人, 元, % …).",
           not_null=True),
    Column("unit", "varchar", _TEXT, "Base unit of the value.", not_null=True, fact_field="unit"),
    Column("measure", "varchar", _TEXT, "value, change, target, completion or share.", not_null=True,
           fact_field="measure"),
    Column("basis", "varchar", _TEXT, "What a change is against: yoy, or the stated base (较2019年底).",
           fact_field="basis"),
    Column("region_code", "varchar", _TEXT, "Area the fact is about (gazetteer code).", not_null=True,
           fact_field="region_code"),
    Column("period", "varchar", _TEXT, "Period label of the fact; null when nothing states one.",
           fact_field="period"),
    Column("program", "varchar", _TEXT, "Program the fact belongs to, where named.", fact_field="program"),
    Column("hedge", "varchar", _TEXT, "A qualifier of the number as written (近, 约, 以上 …).", fact_field="hedge"),
    Column("part_of_offset", "integer", _INT, "Offset of the total this fact is a stated part of (其中 …).",
           fact_field="part_of_offset"),
    Column("loaded_at", "timestamp", _TIME, "When the fact was extracted and loaded.", not_null=True),
    Column("region_basis", "varchar", _TEXT, "How the region was decided: sentence, table or document.",
           added_later=True, fact_field="region_basis"),
    Column("period_basis", "varchar", _TEXT,
           "How the period was decided: sentence, heading, table or document; null with no period.",
           added_later=True, fact_field="period_basis"),
    Column("indicator_match", "varchar", _TEXT,
           "The catalogue mapper's rule: catalogue_name, composed_terms, scheme_in_persons or name_at_end when "
           "indicator_code is set; qualified_name, unit_mismatch or not_catalogued when it is not.",
           added_later=True, fact_field="indicator_rule"),
    Column("indicator_candidates", "varchar", _TEXT,
           "When the phrase names no catalogue indicator: the codes it nearly named, joined by |.",
           added_later=True, fact_field="candidate_codes"),
    Column("quote_simplified", "varchar", _TEXT,
           "The quote in simplified script with full-width forms folded and annotations (pinyin) dropped, "
           "for searching; quote is the verbatim evidence.",
           added_later=True, fact_field="quote_simplified"),
    *_period_range_columns("the fact's"),
)

INGEST_ERROR_COLUMNS = (
    Column("source_file", "varchar", _TEXT, "File of the report folder that could not be ingested.",
           primary_key=True),
    Column("reason", "varchar", _TEXT, "Why, in words (empty file, binary file, file too large …).", not_null=True),
    Column("first_seen_at", "timestamp", _TIME, "First scan that rejected the file.", not_null=True),
    Column("last_seen_at", "timestamp", _TIME, "Last scan that rejected the file.", not_null=True),
)

RAW_COLUMNS: dict[str, tuple[Column, ...]] = {
    "documents": DOCUMENT_COLUMNS,
    "document_sources": DOCUMENT_SOURCE_COLUMNS,
    "sentences": SENTENCE_COLUMNS,
    "facts": FACT_COLUMNS,
    "ingest_errors": INGEST_ERROR_COLUMNS,
}


def arrow_schema(table: str) -> pa.Schema:
    # Imported here: extraction workers build fact rows from this module and never need pyarrow
    # (it would add tens of MB to every worker).
    import pyarrow as pa

    types = {"string": pa.string(), "int32": pa.int32(), "int64": pa.int64(), "timestamp[us]": pa.timestamp("us"),
             "decimal128(38, 6)": pa.decimal128(38, 6), "date32": pa.date32()}
    return pa.schema([(c.name, types[c.arrow_type]) for c in RAW_COLUMNS[table]])


def _column_sql(column: Column, primary_keys: bool) -> str:
    name = f'"{column.name}"' if column.name == "offset" else column.name  # a keyword in DuckDB
    constraint = " primary key" if column.primary_key and primary_keys else \
        " not null" if column.not_null or column.primary_key else ""
    return f"{name} {column.duckdb_type}{constraint}"


def raw_ddl(primary_keys: bool = True) -> str:
    """Create the raw schema and tables; add the columns a warehouse of an earlier release lacks.
    `primary_keys=False` for DuckLake, which has no keys (the ingest keeps the ids unique itself)."""
    statements = ["create schema if not exists raw;"]
    for table, columns in RAW_COLUMNS.items():
        body = ",\n    ".join(_column_sql(c, primary_keys) for c in columns)
        statements.append(f"create table if not exists raw.{table} (\n    {body}\n);")
    for table, columns in RAW_COLUMNS.items():
        statements += [f"alter table raw.{table} add column if not exists {c.name} {c.duckdb_type};"
                       for c in columns if c.added_later]
    return "\n".join(statements) + "\n"
