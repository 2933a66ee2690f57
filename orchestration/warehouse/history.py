"""Copies of the raw history beside the warehouse, and a warehouse rebuilt from one.

The warehouse is the only place that holds report versions no longer in the landing folder
(superseded or removed ones). After every ingest that changed the raw tables, they are copied as
Parquet into `<warehouse>.history/<time>/` (written to a temporary folder and renamed, so a copy is
whole or absent), and the newest `KEEP` copies are kept. `restore` makes a new warehouse's raw
tables from a copy; `zhibiao build` then rebuilds every mart from them.

A copy costs what changed, not the size of the warehouse: the rows of a document in `documents`,
`sentences` and `facts` never change once loaded, so each of those tables is a folder of Parquet
segments, and a new copy hard-links the previous copy's segments and writes one segment with the
rows of the documents loaded since. Every copy is still whole on its own (deleting an old copy
deletes links, not the data a newer copy holds). The small tables that change in place
(`document_sources`, `ingest_errors`) are written whole each time.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb

from .address import first_line
from .connection import HISTORY_FINGERPRINT, RAW_DDL, backup_root, history_copies
from .lake import sql_text

RAW_TABLES = ("documents", "document_sources", "sentences", "facts", "ingest_errors")
# Tables whose rows, per document, are written once and never changed: copied as segments.
APPEND_ONLY = ("documents", "sentences", "facts")
KEEP = 3
_PARQUET = "(format parquet, row_group_size_bytes '32MB')"


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


def back_up_raw(con: duckdb.DuckDBPyConnection, warehouse: Path, keep: int = KEEP) -> Path | None:
    """Copy the raw tables when they changed since the newest copy; returns the new copy or None."""
    fingerprint = _fingerprint(con)
    existing = history_copies(warehouse)
    if existing and (existing[-1] / HISTORY_FINGERPRINT).read_text(encoding="utf-8") == fingerprint:
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
    # A copy is written in row groups of bounded bytes, not rows: 122,880 documents with their
    # texts in one row group took more than the connection's memory at 100,000 reports. The rows'
    # order in a copy means nothing (restore reads them back as a set), so it need not be kept.
    con.execute("set preserve_insertion_order = false")
    try:
        base = _segment_base(con, existing[-1] if existing else None)
        for table in RAW_TABLES:
            if table in APPEND_ONLY:
                _write_segments(con, table, base, partial / table, final.name)
            else:
                con.execute(f"copy raw.{table} to '{sql_text(str(partial / (table + '.parquet')))}' {_PARQUET}")
        (partial / HISTORY_FINGERPRINT).write_text(fingerprint, encoding="utf-8")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    finally:
        con.execute("reset preserve_insertion_order")
    for old in history_copies(warehouse)[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def _segment_base(con: duckdb.DuckDBPyConnection, previous: Path | None) -> Path | None:
    """The previous copy, when its segments can be taken as they are: it is segmented, and every
    document it holds is still in the raw tables (not so after a restore from an older copy)."""
    if previous is None or not (previous / "documents").is_dir():
        return None
    held = con.execute("select count(*), count(d.document_id) from read_parquet(?) as s "
                       "left join raw.documents as d using (document_id)",
                       [str(previous / "documents" / "*.parquet")]).fetchone()
    return previous if held[0] == held[1] else None


def _write_segments(con: duckdb.DuckDBPyConnection, table: str, base: Path | None, folder: Path,
                    name: str) -> None:
    """`folder`: the base copy's segments of `table`, linked, and one of the rows not in them."""
    folder.mkdir()
    new_rows = f"select * from raw.{table}"
    if base is not None:
        for segment in sorted((base / table).glob("*.parquet")):
            try:
                os.link(segment, folder / segment.name)
            except OSError:  # a file system without hard links: a copy holds the same bytes
                shutil.copyfile(segment, folder / segment.name)
        held = str(base / "documents" / "*.parquet")
        new_rows += f" where document_id not in (select document_id from read_parquet('{sql_text(held)}'))"
    if con.execute(f"select exists ({new_rows})").fetchone()[0] or base is None:
        con.execute(f"copy ({new_rows}) to '{sql_text(str(folder / (name + '.parquet')))}' {_PARQUET}")


def _table_files(copy: Path, table: str) -> str | None:
    """What read_parquet reads for `table` in `copy`: its segments, or the single file of a copy
    written before copies were segmented; None when the copy lacks the table."""
    if (copy / table).is_dir() and any((copy / table).glob("*.parquet")):
        return str(copy / table / "*.parquet")
    return str(copy / f"{table}.parquet") if (copy / f"{table}.parquet").exists() else None


class DamagedCopy(RuntimeError):
    """A copy of the raw history that cannot be read whole; the message names it and why."""


def restore(copy: Path, warehouse: Path) -> dict[str, int]:
    """Make `warehouse`'s raw tables from `copy` (a folder written by back_up_raw). The copy is read
    whole into a new file first; only then is an existing warehouse moved aside, under a name never
    used before, and never overwritten. Returns the rows restored per table."""
    copy, warehouse = Path(copy), Path(warehouse)
    missing = [t for t in RAW_TABLES if _table_files(copy, t) is None]
    if missing:
        raise FileNotFoundError(f"{copy} is not a copy of the raw history (missing {', '.join(missing)})")
    building = warehouse.with_name(f"{warehouse.name}.restoring-{os.getpid()}")  # two restores at once
    building.unlink(missing_ok=True)
    counts = {}
    try:
        try:
            with duckdb.connect(str(building)) as con:
                con.execute(RAW_DDL)
                for table in RAW_TABLES:
                    con.execute(f"insert into raw.{table} by name select * from read_parquet(?)",
                                [_table_files(copy, table)])
                    counts[table] = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
        except duckdb.Error as err:
            reason = first_line(err)
            raise DamagedCopy(f"{copy} cannot be restored ({reason}); {warehouse} is left as it was") from None
        if warehouse.exists():
            aside = _keep_aside(warehouse)
            wal = warehouse.with_name(warehouse.name + ".wal")
            if wal.exists():  # the old file's log: never to be replayed onto the restored one
                wal.rename(aside.with_name(aside.name + ".wal"))
        building.rename(warehouse)  # atomic: the old file stays under its new name
    finally:
        building.unlink(missing_ok=True)
    return counts


def _keep_aside(warehouse: Path) -> Path:
    """A second name for `warehouse`, `.replaced-TIME` (-2, -3 … when a restore in the same second
    took it): a hard link, which fails rather than overwrite, so no earlier copy is ever lost."""
    stem = f"{warehouse.name}.replaced-{time.strftime('%Y%m%dT%H%M%S')}"
    n = 1
    while True:
        aside = warehouse.with_name(stem if n == 1 else f"{stem}-{n}")
        try:
            os.link(warehouse, aside)
            return aside
        except FileExistsError:
            n += 1
        except OSError:  # a file system without hard links
            if not aside.exists():
                shutil.copyfile(warehouse, aside)
                return aside
            n += 1
