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
from datetime import datetime
from pathlib import Path

import duckdb

from . import lake
from .address import AddressError, WarehouseAddress, as_address, first_line, redact
from .raw_schema import raw_ddl

RAW_DDL = raw_ddl()  # the raw tables, from their one definition in raw_schema.py
# A lake has no keys, and appends never conflict: two writers whose folders share a report would
# both insert it. Every lake ingest rewrites the one row of raw.ingest_turn, so concurrent ingests
# conflict at commit and the later one is retried, when it finds the report already there.
LAKE_RAW_DDL = raw_ddl(primary_keys=False) + (
    "create table if not exists raw.ingest_turn (last_ingest_at timestamp);\n"
    "insert into raw.ingest_turn select null where not exists (select 1 from raw.ingest_turn);\n")
AddressLike = WarehouseAddress | Path | str  # an address, or a DuckDB file's path


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse's writer lock for longer than we may wait."""


class WarehouseUnusable(RuntimeError):
    """The warehouse cannot be written (damaged file, read-only folder); the message says what to do."""


def backup_root(warehouse: Path) -> Path:
    """Where copies of the raw history are kept beside a warehouse (see history.py)."""
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
            reason = redact(str(err).splitlines()[0])
            raise WarehouseUnusable(f"cannot open the lake {address.label}: {reason}") from None
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
            at: datetime | None = None, config: dict[str, object] | None = None, unpublished: bool = False,
            ) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection; read-only ones need an existing warehouse.

    On a lake, a read-only connection reads the newest published snapshot (lake.py), or the one
    `snapshot` (an id) or `at` (a time) names; a writing one reads and writes the newest. `snapshot`
    must be a published one and `at` reads the newest published by then, unless `unpublished`: the
    snapshots between a build's stages hold half a build.
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
            _attach_lake(con, address, read_only, snapshot, at, unpublished)
        yield con
    finally:
        con.close()


def with_recorded_data_path(warehouse: AddressLike, *, data_path_given: bool = True) -> WarehouseAddress:
    """A lake's address given without a data path, with the one its catalog records (every machine
    then reads the lake with the catalog's address alone): a PostgreSQL lake's always, a SQLite
    lake's when the catalog exists and its data are not in the default folder (`data_path_given`
    False: the address has that default). Any other address as it is."""
    address = as_address(warehouse)
    if address.backend == "sqlite" and not data_path_given and address.file.exists():
        recorded = lake.sqlite_recorded_data_path(address.file)
        return WarehouseAddress(address.backend, address.location, recorded) if recorded else address
    if address.backend != "postgres" or address.data_path:
        return address
    try:
        with connect(address, read_only=True) as con:
            recorded = lake.recorded_data_path(con)
    except duckdb.Error as err:
        first = first_line(err)
        # DuckLake's words for a catalog database that holds no lake yet (a read-only attach never makes one).
        new = "does not exist" in first and "creating a new ducklake" in first.lower()
        recorded, why = None, ("it is a new lake" if new else f"its catalog could not be read: {redact(first)}")
    else:
        why = "its catalog records none"
    if not recorded:
        raise AddressError(f"{address.label} needs --data-path DIR_OR_URL ({why}): the folder or object-store "
                           "URL a new lake's Parquet files go to; an existing lake's catalog records it")
    return WarehouseAddress(address.backend, address.location, recorded)


def _attach_lake(con: duckdb.DuckDBPyConnection, address: WarehouseAddress, read_only: bool,
                 snapshot: int | None, at: datetime | None, unpublished: bool = False) -> None:
    if (snapshot is None and at is None) or unpublished:
        lake.attach(con, address, read_only=read_only, snapshot=snapshot, at=at)
    else:
        lake.attach(con, address, read_only=True)
        snapshot = _published_snapshot_named(con, address, snapshot, at)
        con.execute(f"use memory; detach {lake.LAKE_ALIAS}")
        lake.attach(con, address, snapshot=snapshot)
        return
    if not read_only or snapshot is not None or at is not None:
        return
    published = lake.published_snapshot(con)
    if published is not None and published != lake.current_snapshot(con):
        # A build is between two stages: read what the last whole stage committed.
        con.execute(f"use memory; detach {lake.LAKE_ALIAS}")
        lake.attach(con, address, snapshot=published)


def _published_snapshot_named(con: duckdb.DuckDBPyConnection, address: WarehouseAddress,
                              snapshot: int | None, at: datetime | None) -> int:
    """The published snapshot `snapshot` (an id) or `at` (the newest published by then) names;
    AddressError when it names none."""
    if snapshot is not None:
        row = con.execute(f"select commit_message from {lake.LAKE_ALIAS}.snapshots() where snapshot_id = ?",
                          [snapshot]).fetchone()
        if row is None:
            raise AddressError(f"{address.label} has no snapshot {snapshot}: `zhibiao snapshots` lists them")
        if row[0] != lake.PUBLISHED:
            raise AddressError(f"snapshot {snapshot} of {address.label} was not published (a build was between "
                               "two stages): `zhibiao snapshots` lists the published ones; --unpublished reads "
                               "it all the same")
        return snapshot
    found = con.execute(f"select max(snapshot_id) from {lake.LAKE_ALIAS}.snapshots() "
                        "where commit_message = ? and snapshot_time <= ?", [lake.PUBLISHED, at]).fetchone()[0]
    if found is None:
        raise AddressError(f"no build of {address.label} had published anything by {at.isoformat()}: "
                           "`zhibiao snapshots` lists the published snapshots")
    return found


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
