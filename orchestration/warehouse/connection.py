"""What every warehouse backend (backends.py) builds on: the raw tables' DDL, the writer lock, one
transaction, a building copy, the connection settings and the history copies' place.

DuckDB lets one process write a file at a time. Every writer takes an exclusive `flock` on a
lock file beside the warehouse first (waiting a bounded time), and each write is one transaction,
so a writer killed at any point leaves the last committed state. A lake takes many writers: the
ingest's transaction is retried when another writer's commit conflicts with it (lake.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from .address import WarehouseAddress, as_address
from .raw_schema import raw_ddl

RAW_DDL = raw_ddl()  # the raw tables, from their one definition in raw_schema.py
# A lake has no keys; raw.ingest_turn makes concurrent ingests conflict (backends.LakeBackend).
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
    deadline = time.monotonic() + timeout_s
    fd = _locked(lock_path, deadline, lambda: WarehouseBusy(
        f"another zhibiao build is writing {warehouse} (lock {lock_path} held for "
        f"more than {timeout_s:.0f}s); try again when it has finished"))
    try:
        _HELD[key] = 1
        try:
            yield
        finally:
            _HELD.pop(key, None)
            # Removed while still held, so no lock file stays beside the warehouse (nor beside a
            # lake a refused build never made); a waiter that opened it sees it gone (_locked).
            with contextlib.suppress(FileNotFoundError):
                os.unlink(lock_path)
    finally:
        os.close(fd)  # closing the descriptor releases the lock, also when the process dies


def _locked(lock_path: Path, deadline: float, busy: Callable[[], Exception]) -> int:
    """A descriptor of `lock_path` holding its exclusive flock, waiting until `deadline` (then
    raises busy()). A holder unlinks the file as it releases it, so a lock taken on a file no
    longer at the path locks nothing: then the path is opened again."""
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise busy() from None
                    time.sleep(0.2)
            with contextlib.suppress(FileNotFoundError):
                if os.stat(lock_path).st_ino == os.fstat(fd).st_ino:
                    return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


# Bounded memory at any corpus size: DuckDB spills to disk beyond this. A build's memory is this
# process (~0.5 GB of Dagster) plus dbt's (~0.2 GB) plus each one's DuckDB buffer.
CONNECTION_CONFIG = {"memory_limit": "512MB", "autoinstall_known_extensions": False}


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
    # Replays and checkpoints any WAL left by a killed writer before the copy.
    duckdb.connect(str(target), config=CONNECTION_CONFIG).close()
    try:
        # Inside the try: a copy cut short (a full disk) must not leave a partial file behind.
        shutil.copyfile(target, building)
        yield building
        os.replace(building, target)
    finally:
        building.unlink(missing_ok=True)
        Path(str(building) + ".wal").unlink(missing_ok=True)
