"""The warehouse: its raw tables, the writer lock, and short-lived connections, on a DuckDB file
or a DuckLake (address.py).

DuckDB lets one process write a file at a time. Every writer takes an exclusive `flock` on a
lock file beside the warehouse first (waiting a bounded time), and each write is one transaction,
so a writer killed at any point leaves the last committed state. A lake takes many writers: the
ingest's transaction is retried when another writer's commit conflicts with it (lake.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from . import lake
from .address import AddressError, WarehouseAddress, as_address
from .ingest.batch import IngestBatch
from .raw_schema import raw_ddl

RAW_DDL = raw_ddl()  # the raw tables, from their one definition in raw_schema.py
LAKE_RAW_DDL = raw_ddl(primary_keys=False)
AddressLike = WarehouseAddress | Path | str  # an address, or a DuckDB file's path


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse's writer lock for longer than we may wait."""


class WarehouseUnusable(RuntimeError):
    """The warehouse cannot be written (damaged file, read-only folder); the message says what to do."""


def backup_root(warehouse: Path) -> Path:
    """Where copies of the raw history are kept beside a warehouse (see ingest/history.py)."""
    return Path(warehouse).with_name(Path(warehouse).name + ".history")


# Written last into a copy of the raw history: a folder holding it is a whole copy.
HISTORY_FINGERPRINT = "fingerprint.txt"


def history_copies(warehouse: Path) -> list[Path]:
    """The whole copies of `warehouse`'s raw history, oldest first."""
    root = backup_root(warehouse)
    if not root.is_dir():
        return []
    return sorted(p for p in root.glob("*") if p.is_dir() and (p / HISTORY_FINGERPRINT).exists())


def _damaged(warehouse: Path, detail: str) -> WarehouseUnusable:
    backups = history_copies(warehouse)
    if backups:
        newest = backups[-1]
        advice = (f"restore its raw history from the newest copy with `zhibiao restore {newest} --warehouse "
                  f"{warehouse}` (it moves the damaged file aside), then run `zhibiao build`")
    else:
        advice = ("move it aside and run `zhibiao build` to rebuild it from the report folder; report versions "
                  "no longer in the folder (superseded or removed) cannot be rebuilt and would be lost")
    return WarehouseUnusable(f"warehouse {warehouse} is damaged ({detail}): {advice}")


def check_folder(warehouse: AddressLike) -> None:
    """Before a build takes its lock: the warehouse's folders (the file's, or a lake's catalog and
    local data folder) exist or can be made, and take files."""
    address = as_address(warehouse)
    folders = [] if address.backend == "postgres" else [address.file.parent]
    if address.is_lake and "://" not in address.data_path:
        folders.append(Path(address.data_path))
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".zhibiao-probe-"):
                pass
        except OSError as err:
            raise WarehouseUnusable(f"cannot write the warehouse folder {folder} ({err.strerror or err}): "
                                    "make it writable or choose another --warehouse") from None


def check_writable(warehouse: AddressLike, wait_s: float) -> None:
    """Before a build, under its lock: the file (if any) is a readable DuckDB database, and no other
    process has it open (waited for up to `wait_s`, like another build); a lake's catalog can be
    opened for writing. Raises WarehouseUnusable or WarehouseBusy with a message for a person."""
    address = as_address(warehouse)
    if address.is_lake:
        try:
            # Under the lock: the first connection creates the catalog, and two at once collide.
            with writer_lock(address, wait_s):
                lake.retry_conflicts(lambda: _open_and_close(address))
            return
        except duckdb.Error as err:
            raise WarehouseUnusable(f"cannot open the lake {address.label}: {str(err).splitlines()[0]}") from None
    warehouse = address.file
    if not warehouse.exists():
        return
    if warehouse.stat().st_size == 0:
        raise _damaged(warehouse, "the file is empty")
    deadline = time.monotonic() + wait_s
    while True:
        try:
            duckdb.connect(str(warehouse), config={"memory_limit": "512MB"}).close()
            return
        except duckdb.IOException as err:
            message = str(err).splitlines()[0]
            if "lock" not in message.lower():
                raise _damaged(warehouse, message) from None
            if time.monotonic() >= deadline:
                holder = re.search(r"PID (\d+)", str(err))
                raise WarehouseBusy(
                    f"another process{' (PID ' + holder.group(1) + ')' if holder else ''} has {warehouse} open "
                    f"and held it for more than {wait_s:.0f}s: close it (a notebook, a SQL client) and build again"
                ) from None
            time.sleep(0.5)
        except duckdb.Error as err:
            raise _damaged(warehouse, str(err).splitlines()[0]) from None


def _open_and_close(address: WarehouseAddress) -> None:
    with connect(address):
        pass


# Locks this process holds, by lock file: a build holds its warehouse's lock for the whole run and
# the assets it runs in-process take it again without blocking on themselves.
_HELD: dict[str, int] = {}


@contextlib.contextmanager
def writer_lock(warehouse: AddressLike, timeout_s: float) -> Iterator[None]:
    """Exclusive lock for writing `warehouse`; waits up to `timeout_s`, then raises WarehouseBusy."""
    address = as_address(warehouse)
    warehouse = address.label
    lock_path = address.lock_file
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    key = str(lock_path)
    if _HELD.get(key):
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"another zhibiao build is writing {warehouse} (lock {lock_path} held for "
                        f"more than {timeout_s:.0f}s); try again when it has finished"
                    ) from None
                time.sleep(0.2)
        _HELD[key] = 1
        try:
            yield
        finally:
            _HELD.pop(key, None)
    finally:
        os.close(fd)  # closing the descriptor releases the lock, also when the process dies


# Bounded memory at any corpus size: DuckDB spills to disk beyond this. A build's memory is this
# process (~0.5 GB of Dagster) plus dbt's (~0.2 GB) plus each one's DuckDB buffer.
CONNECTION_CONFIG = {"memory_limit": "512MB", "autoinstall_known_extensions": False}


@contextlib.contextmanager
def connect(warehouse: AddressLike, read_only: bool = False, *, snapshot: int | None = None,
            at: datetime | None = None, config: dict[str, object] | None = None,
            ) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection; read-only ones need an existing warehouse.

    On a lake, a read-only connection reads the newest published snapshot (lake.py), or the one
    `snapshot` (an id) or `at` (a time) names; a writing one reads and writes the newest.
    """
    address = as_address(warehouse)
    if read_only and not address.exists():
        raise FileNotFoundError(f"warehouse {address.label} does not exist yet: run `zhibiao build` first")
    if (snapshot is not None or at is not None) and not address.is_lake:
        raise AddressError(f"{address.label} is a DuckDB file, which keeps no snapshots: only a DuckLake "
                           "warehouse (ducklake:sqlite:… or ducklake:postgres:…) can be read as it was")
    settings = {**CONNECTION_CONFIG, **(config or {})}
    if not address.is_lake:
        address.file.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(address.location, read_only=read_only, config=settings)
    else:
        con = duckdb.connect(config=settings)
    try:
        if address.is_lake:
            _attach_lake(con, address, read_only, snapshot, at)
        yield con
    finally:
        con.close()


def _attach_lake(con: duckdb.DuckDBPyConnection, address: WarehouseAddress, read_only: bool,
                 snapshot: int | None, at: datetime | None) -> None:
    lake.attach(con, address, read_only=read_only, snapshot=snapshot, at=at)
    if not read_only or snapshot is not None or at is not None:
        return
    published = lake.published_snapshot(con)
    if published is not None and published != lake.current_snapshot(con):
        # A build is between two stages: read what the last whole stage committed.
        con.execute(f"use memory; detach {lake.LAKE_ALIAS}")
        lake.attach(con, address, snapshot=published)


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


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction: committed when the block ends, rolled back when it raises."""
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        # A commit that failed (a lake's conflict) has ended the transaction already.
        with contextlib.suppress(duckdb.TransactionException):
            con.execute("rollback")
        raise
    con.execute("commit")


def apply_batch(con: duckdb.DuckDBPyConnection, batch: IngestBatch, landing_folder: str | None = None,
                on_lake: bool = False) -> None:
    """Write one scan of `landing_folder` in a single transaction: new versions, file history,
    errors. Files of other folders (writers sharing a lake) are not flagged as removed by it. On a
    lake the transaction is published (its readers move to it) and retried while it conflicts with
    another writer's commit."""
    if on_lake:
        lake.retry_conflicts(lambda: _apply_batch(con, batch, landing_folder, LAKE_RAW_DDL, publish=True))
    else:
        _apply_batch(con, batch, landing_folder, RAW_DDL, publish=False)


def _apply_batch(con: duckdb.DuckDBPyConnection, batch: IngestBatch, landing_folder: str | None, ddl: str,
                 publish: bool) -> None:
    now = batch.scanned_at
    # Its own transaction: two writers creating a new lake's tables conflict over that alone.
    con.execute(ddl)
    with transaction(con):
        if publish:
            lake.mark_published(con, "ingest")
        for table in ("documents", "sentences", "facts"):
            files = [str(p) for p in batch.spooled(table)]
            if files:
                con.execute(f"insert into raw.{table} by name select * from read_parquet(?)", [files])
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


@contextlib.contextmanager
def building_copy(target: Path) -> Iterator[Path]:
    """A copy of the warehouse to build into, which replaces it only when the block ends without an
    error: a build killed or failing half-way leaves the previous warehouse whole."""
    building = target.with_name(target.name + ".building")
    with connect(target):
        pass  # replays and checkpoints any WAL left by a killed writer before the copy
    try:
        # Inside the try: a copy cut short (a full disk) must not leave a partial file behind.
        shutil.copyfile(target, building)
        yield building
        os.replace(building, target)
    finally:
        building.unlink(missing_ok=True)
        Path(str(building) + ".wal").unlink(missing_ok=True)
