"""The raw write model: what the raw tables say a report folder held, and writing one scan of a
folder (new report versions, the file history, the errors) in a single transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from ..warehouse.address import as_address
from ..warehouse.backends import WarehouseBackend, connect
from ..warehouse.connection import AddressLike, transaction
from .batch import IngestBatch
from .report_rows import period_range_columns


def known_document_ids(warehouse: AddressLike) -> set[str]:
    if not as_address(warehouse).exists():
        return set()
    with connect(warehouse, read_only=True) as con:
        exists = con.execute(
            "select count(*) from information_schema.tables where table_schema='raw' and table_name='documents'"
        ).fetchone()[0]
        if not exists:
            return set()
        return {row[0] for row in con.execute("select document_id from raw.documents").fetchall()}


@dataclass(frozen=True)
class IngestedFolder:
    """What the raw tables say the report folder held at the last build."""

    document_ids: dict[str, str]  # file name → id of the content it held (files still present)
    rejected_at: dict[str, datetime]  # file name → last scan that rejected it (UTC, naive)


def ingested_folder(warehouse: AddressLike) -> IngestedFolder:
    """The folder as the warehouse last saw it; empty for a warehouse not built yet."""
    if not as_address(warehouse).exists():
        return IngestedFolder({}, {})
    with connect(warehouse, read_only=True) as con:
        tables = {row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'").fetchall()}
        sources = con.execute(
            """select source_file, document_id from raw.document_sources
               where valid_to is null and removed_at is null""").fetchall() if "document_sources" in tables else []
        errors = con.execute("select source_file, last_seen_at from raw.ingest_errors").fetchall() \
            if "ingest_errors" in tables else []
    return IngestedFolder(dict(sources), dict(errors))


def apply_batch(con: duckdb.DuckDBPyConnection, batch: IngestBatch, backend: WarehouseBackend,
                landing_folder: str | None = None) -> None:
    """Write one scan of `landing_folder` in a single transaction: new versions, file history,
    errors. Files of other folders (writers sharing a lake) are not flagged as removed by it. On a
    lake the transaction is published (its readers move to it) and retried while it conflicts with
    another writer's commit."""
    older = _extracted_without_period_ranges(con)
    backend.retry_conflicts(lambda: _apply_batch(con, batch, landing_folder, backend, fill_period_ranges=older))


def _extracted_without_period_ranges(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether rows extracted by a zhibiao that wrote period labels alone (no type, no dates) are
    there: the raw tables lack the columns, or a report's labelled period has no range (the columns
    were added and the batch that was to fill them did not commit)."""
    columns = {row[0] for row in con.execute(
        "select column_name from duckdb_columns() where schema_name = 'raw' and table_name = 'documents'").fetchall()}
    if not columns:
        return False  # a new warehouse
    if "period_type" not in columns:
        return True
    return con.execute("select count(*) from (select 1 from raw.documents "
                       "where period is not null and period_type is null limit 1)").fetchone()[0] > 0


def _fill_period_ranges(con: duckdb.DuckDBPyConnection) -> None:
    """Give the rows an older zhibiao extracted the type and dates of their period labels."""
    for table in ("documents", "facts"):
        labels = [row[0] for row in con.execute(
            f"select distinct period from raw.{table} where period is not null and period_type is null").fetchall()]
        for label in labels:
            columns = period_range_columns(label)
            con.execute(f"""update raw.{table} set period_type = ?, period_start = ?, period_end = ?
                            where period = ? and period_type is null""",
                        [columns["period_type"], columns["period_start"], columns["period_end"], label])


def _apply_batch(con: duckdb.DuckDBPyConnection, batch: IngestBatch, landing_folder: str | None,
                 backend: WarehouseBackend, fill_period_ranges: bool) -> None:
    now = batch.scanned_at
    # Its own transaction: two writers creating a new lake's tables conflict over that alone.
    con.execute(backend.raw_ddl)
    with transaction(con):
        backend.stamp_raw_write(con, now)
        if fill_period_ranges:
            _fill_period_ranges(con)
        # Content another writer committed since this one scanned (the same report in two folders)
        # is there once: facts and sentences first, while raw.documents lacks this batch's ids.
        for table in ("facts", "sentences", "documents"):
            files = [str(p) for p in batch.spooled(table)]
            if files:
                con.execute(f"""insert into raw.{table} by name select * from read_parquet(?)
                                where document_id not in (select document_id from raw.documents)""", [files])
        seen_files = pa.table({"source_file": [f.name for f in batch.seen],
                               "document_id": [f.document_id for f in batch.seen]},
                              schema=pa.schema([("source_file", pa.string()), ("document_id", pa.string())]))
        con.register("seen_files_arrow", seen_files)
        con.execute("create temp table seen_files as select * from seen_files_arrow")
        con.unregister("seen_files_arrow")
        rejected = [r.name for r in batch.rejections]
        # A file whose content changed: close the old version's row.
        con.execute(
            """update raw.document_sources as ds set valid_to = ?
               from seen_files s
               where ds.source_file = s.source_file and ds.valid_to is null and ds.document_id <> s.document_id""",
            [now],
        )
        # A file back after it had gone: its removal stays in the history (that row is closed)
        # and its return opens a new row below.
        con.execute(
            """update raw.document_sources as ds set valid_to = ?
               from seen_files s
               where ds.source_file = s.source_file and ds.valid_to is null and ds.removed_at is not null""",
            [now],
        )
        # Files seen with the same content as before: still there (in this folder now).
        con.execute(
            """update raw.document_sources as ds set last_seen_at = ?, landing_folder = ?
               from seen_files s
               where ds.source_file = s.source_file and ds.valid_to is null and ds.document_id = s.document_id""",
            [now, landing_folder],
        )
        # New files, and new content of changed files.
        con.execute(
            """insert into raw.document_sources
                   (source_file, document_id, valid_from, valid_to, removed_at, last_seen_at, landing_folder)
               select s.source_file, s.document_id, ?, null, null, ?, ?
               from seen_files s
               where not exists (select 1 from raw.document_sources ds
                                 where ds.source_file = s.source_file and ds.valid_to is null)""",
            [now, now, landing_folder],
        )
        # Files gone from the folder keep their history and facts, flagged as removed. A file
        # that is still there but unreadable now is not removed: its error says what happened.
        # A file last seen in another folder is that folder's scan to judge.
        con.execute(
            """update raw.document_sources set removed_at = ?
               where valid_to is null and removed_at is null
                 and source_file not in (select source_file from seen_files)
                 and source_file not in (select unnest(?::varchar[]))
                 and (landing_folder is null or ?::varchar is null or landing_folder = ?::varchar)""",
            [now, rejected, landing_folder, landing_folder],
        )
        con.execute("delete from raw.ingest_errors where source_file not in (select unnest(?::varchar[]))", [rejected])
        for r in batch.rejections:
            # Keyed by file without `on conflict`, which DuckLake (no keys) lacks: the first
            # rejection's time stays, the reason and last time are the newest.
            con.execute("update raw.ingest_errors set reason = ?, last_seen_at = ? where source_file = ?",
                        [r.reason, now, r.name])
            con.execute("""insert into raw.ingest_errors select ?, ?, ?, ?
                           where not exists (select 1 from raw.ingest_errors where source_file = ?)""",
                        [r.name, r.reason, now, now, r.name])
        con.execute("drop table seen_files")
