"""Copies of the raw history beside the warehouse, and a warehouse rebuilt from one.

The warehouse is the only place that holds report versions no longer in the landing folder
(superseded or removed ones). After every ingest that changed the raw tables, they are copied as
Parquet into `<warehouse>.history/<time>/` (written to a temporary folder and renamed, so a copy is
whole or absent), and the newest `KEEP` copies are kept. `restore` makes a new warehouse's raw
tables from a copy; `zhibiao build` then rebuilds every mart from them.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import duckdb

from .warehouse import RAW_DDL, backup_root

RAW_TABLES = ("documents", "document_sources", "sentences", "facts", "ingest_errors")
KEEP = 3
FINGERPRINT = "fingerprint.txt"


def _fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """What changes whenever the raw history does: row counts, the newest load, the file history."""
    counts = [con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in RAW_TABLES]
    newest = con.execute("select max(loaded_at) from raw.documents").fetchone()[0]
    sources = con.execute("""select md5(coalesce(string_agg(concat_ws('|', source_file, document_id, valid_from,
                                    valid_to, removed_at), ',' order by all), ''))
                             from raw.document_sources""").fetchone()[0]
    errors = con.execute("""select md5(coalesce(string_agg(concat_ws('|', source_file, reason), ','
                                   order by all), '')) from raw.ingest_errors""").fetchone()[0]
    return f"{counts} {newest} {sources} {errors}"


def copies(warehouse: Path) -> list[Path]:
    """The whole copies of `warehouse`'s raw history, oldest first."""
    root = backup_root(warehouse)
    return sorted(p for p in root.glob("*") if p.is_dir() and (p / FINGERPRINT).exists()) if root.is_dir() else []


def back_up_raw(con: duckdb.DuckDBPyConnection, warehouse: Path, keep: int = KEEP) -> Path | None:
    """Copy the raw tables when they changed since the newest copy; returns the new copy or None."""
    fingerprint = _fingerprint(con)
    existing = copies(warehouse)
    if existing and (existing[-1] / FINGERPRINT).read_text(encoding="utf-8") == fingerprint:
        return None
    root = backup_root(warehouse)
    root.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    final = root / stamp
    suffix = 1
    while final.exists():
        final = root / f"{stamp}-{suffix}"
        suffix += 1
    partial = root / f".{final.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        for table in RAW_TABLES:
            con.execute(f"copy raw.{table} to '{partial / (table + '.parquet')}' (format parquet)")
        (partial / FINGERPRINT).write_text(fingerprint, encoding="utf-8")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    for old in copies(warehouse)[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def restore(copy: Path, warehouse: Path) -> dict[str, int]:
    """Make `warehouse`'s raw tables from `copy` (a folder written by back_up_raw). An existing
    warehouse file is moved aside first, never overwritten. Returns the rows restored per table."""
    copy, warehouse = Path(copy), Path(warehouse)
    missing = [t for t in RAW_TABLES if not (copy / f"{t}.parquet").exists()]
    if missing:
        raise FileNotFoundError(f"{copy} is not a copy of the raw history (missing {', '.join(missing)})")
    if warehouse.exists():
        aside = warehouse.with_name(f"{warehouse.name}.replaced-{time.strftime('%Y%m%dT%H%M%S')}")
        warehouse.rename(aside)
        wal = warehouse.with_name(warehouse.name + ".wal")
        if wal.exists():
            wal.rename(aside.with_name(aside.name + ".wal"))
    building = warehouse.with_name(warehouse.name + ".restoring")
    building.unlink(missing_ok=True)
    counts = {}
    try:
        with duckdb.connect(str(building)) as con:
            con.execute(RAW_DDL)
            for table in RAW_TABLES:
                con.execute(f"insert into raw.{table} by name select * from read_parquet(?)",
                            [str(copy / f"{table}.parquet")])
                counts[table] = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
        building.rename(warehouse)
    finally:
        building.unlink(missing_ok=True)
    return counts
