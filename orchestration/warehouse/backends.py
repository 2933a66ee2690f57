"""Where a warehouse's tables live, and what writing and reading them takes there: a DuckDB file
(`FileBackend`) or a DuckLake (`LakeBackend`). `backend_for` is the one place that tells them
apart; the rest of zhibiao asks a backend to do a thing, never which backend it has.

    what                 file                                  lake
    writers              one at a time (the writer lock)       many; a conflicting commit is retried
    marts                built in a copy that is swapped in    built in place from a pinned raw
                                                               snapshot, then published
    history              copies of the raw tables (history.py) every snapshot
    reading as it was    no                                    at a published snapshot, or by time
    dbt                  profile target `warehouse`            target `lake` (object-store secrets)
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import ClassVar, TypeVar

import duckdb

from . import lake
from .address import AddressError, WarehouseAddress, as_address, first_line, redact
from .connection import (
    CONNECTION_CONFIG,
    LAKE_RAW_DDL,
    RAW_DDL,
    AddressLike,
    WarehouseBusy,
    WarehouseUnusable,
    building_copy,
    history_copies,
    transaction,
    writer_lock,
)
from .history import back_up_raw

T = TypeVar("T")


class WarehouseBackend(ABC):
    """What a build, an ingest and a reader need of the place a warehouse's tables live."""

    raw_ddl: ClassVar[str]  # creates the raw tables and adds the columns of later releases
    keeps_snapshots: ClassVar[bool]  # every committed state stays readable (`zhibiao snapshots`)
    concurrent_runs: ClassVar[int]  # runs of the warehouse's Dagster instance that may be in progress at once

    def __init__(self, address: WarehouseAddress) -> None:
        self.address = address

    # -- writing -----------------------------------------------------------------------------

    @abstractmethod
    def writer_guard(self, timeout_s: float) -> AbstractContextManager[None]:
        """Held by a whole build and by an ingest: whatever other writers must wait for."""

    @abstractmethod
    def folders_to_write(self) -> list[Path]:
        """The local folders a build writes into (checked before it takes its lock)."""

    @abstractmethod
    def check_writable(self, wait_s: float) -> None:
        """Before a build: the warehouse can be opened for writing; WarehouseUnusable or
        WarehouseBusy with a message for a person when not."""

    @abstractmethod
    def retry_conflicts(self, write: Callable[[], T]) -> T:
        """Run `write` (one transaction), again while another writer's commit conflicts with it."""

    @abstractmethod
    def stamp_raw_write(self, con: duckdb.DuckDBPyConnection, at: datetime) -> None:
        """First statement of an ingest's transaction (see LakeBackend)."""

    @abstractmethod
    def keep_history(self, con: duckdb.DuckDBPyConnection) -> Path | None:
        """After an ingest: keep what the raw tables held; the copy made, if any."""

    # -- building the marts ------------------------------------------------------------------

    @abstractmethod
    def await_concurrent_ingests(self, wait: Callable[[], None]) -> None:
        """Before dbt: let ingests that may be running beside this build commit first (`wait`)."""

    @abstractmethod
    def marts_inputs_snapshot(self) -> int | None:
        """The raw snapshot dbt reads, fixed before it starts; None where nothing else can write."""

    @abstractmethod
    def build_marts(self, run_dbt: Callable[[WarehouseAddress], T],
                    record: Callable[[duckdb.DuckDBPyConnection, T], None]) -> T:
        """Run dbt with `run_dbt(into)`, then `record(con, its result)` in the built warehouse, so
        that readers see the new marts and the record together or neither."""

    @abstractmethod
    def dbt_environment_values(self) -> dict[str, str]:
        """The environment dbt_project/profiles.yml reads to reach this warehouse."""

    # -- reading -----------------------------------------------------------------------------

    @abstractmethod
    def open(self, read_only: bool, snapshot: int | None, at: datetime | None,
             settings: dict[str, object], unpublished: bool) -> duckdb.DuckDBPyConnection:
        """A connection (see `connect`)."""

    @abstractmethod
    def folders_read_by_queries(self) -> list[str]:
        """Files a sandboxed query's connection must go on reading once file access is closed:
        where they exist, a query is checked before it runs (readers/query.py)."""

    def with_recorded_data_path(self, data_path_given: bool) -> WarehouseAddress:
        """The address with the data path its catalog records, where it was given none."""
        return self.address


class FileBackend(WarehouseBackend):
    raw_ddl = RAW_DDL
    keeps_snapshots = False
    concurrent_runs = 1  # DuckDB lets one process write a file

    def writer_guard(self, timeout_s: float) -> AbstractContextManager[None]:
        return writer_lock(self.address, timeout_s)

    def folders_to_write(self) -> list[Path]:
        return [self.address.file.parent]

    def check_writable(self, wait_s: float) -> None:
        warehouse = self.address.file
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
                        f"another process{' (PID ' + holder.group(1) + ')' if holder else ''} has {warehouse} "
                        f"open and held it for more than {wait_s:.0f}s: close it (a notebook, a SQL client) "
                        "and build again"
                    ) from None
                time.sleep(0.5)
            except duckdb.Error as err:
                raise _damaged(warehouse, str(err).splitlines()[0]) from None

    def retry_conflicts(self, write: Callable[[], T]) -> T:
        return write()  # one writer at a time: nothing to conflict with

    def stamp_raw_write(self, con: duckdb.DuckDBPyConnection, at: datetime) -> None:
        return

    def keep_history(self, con: duckdb.DuckDBPyConnection) -> Path | None:
        return back_up_raw(con, self.address.file)

    def await_concurrent_ingests(self, wait: Callable[[], None]) -> None:
        return  # an ingest takes the writer lock this step holds: none is running

    def marts_inputs_snapshot(self) -> int | None:
        return None

    def build_marts(self, run_dbt: Callable[[WarehouseAddress], T],
                    record: Callable[[duckdb.DuckDBPyConnection, T], None]) -> T:
        # Into a copy swapped in only when dbt succeeded: a build killed half-way leaves the
        # previous warehouse whole, and the record is swapped in with the marts it describes.
        with building_copy(self.address.file) as building:
            result = run_dbt(WarehouseAddress("file", str(building)))
            with connect(building) as con:
                record(con, result)
        return result

    def dbt_environment_values(self) -> dict[str, str]:
        return {"ZHIBIAO_DBT_TARGET": "warehouse", "ZHIBIAO_WAREHOUSE": self.address.location}

    def open(self, read_only: bool, snapshot: int | None, at: datetime | None,
             settings: dict[str, object], unpublished: bool) -> duckdb.DuckDBPyConnection:
        if snapshot is not None or at is not None:
            raise AddressError(f"{self.address.label} is a DuckDB file, which keeps no snapshots: only a DuckLake "
                               "warehouse (ducklake:sqlite:… or ducklake:postgres:…) can be read as it was")
        self.address.file.parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(self.address.location, read_only=read_only, config=settings)

    def folders_read_by_queries(self) -> list[str]:
        return []


class LakeBackend(WarehouseBackend):
    # A lake has no keys, and appends never conflict: two writers whose folders share a report would
    # both insert it. Every ingest rewrites the one row of raw.ingest_turn (`stamp_raw_write`), so
    # concurrent ingests conflict at commit and the later one is retried, and finds the report there.
    raw_ddl = LAKE_RAW_DDL
    keeps_snapshots = True
    # Runs over different folders ingest at once (as many as the report_ingest pool admits); their
    # dbt steps take turns in the duckdb_writer pool and share one dbt run (docs/scale-out.md).
    concurrent_runs = 4

    def writer_guard(self, timeout_s: float) -> AbstractContextManager[None]:
        # Writers run at once and retry a conflicting commit; the dbt step takes the lock itself.
        return contextlib.nullcontext()

    def folders_to_write(self) -> list[Path]:
        folders = [] if self.address.catalog == "postgres" else [self.address.file.parent]
        if "://" not in self.address.data_path:
            folders.append(Path(self.address.data_path))
        return folders

    def check_writable(self, wait_s: float) -> None:
        if "://" in self.address.data_path:
            # Before the catalog is opened (which makes a new lake): wrong credentials or an
            # unreachable endpoint refuse the build with the warehouse as it was.
            try:
                lake.check_object_store(self.address.data_path)
            except lake.ObjectStoreUnusable as err:
                raise WarehouseUnusable(redact(str(err))) from None
        try:
            # Under the lock: the first connection creates the catalog, and two at once collide.
            with writer_lock(self.address, wait_s):
                lake.retry_conflicts(lambda: _open_with_bounded_row_groups(self.address))
        except duckdb.Error as err:
            reason = redact(str(err).splitlines()[0])
            raise WarehouseUnusable(f"cannot open the lake {self.address.label}: {reason}") from None

    def retry_conflicts(self, write: Callable[[], T]) -> T:
        return lake.retry_conflicts(write)

    def stamp_raw_write(self, con: duckdb.DuckDBPyConnection, at: datetime) -> None:
        lake.mark_published(con, "ingest")
        con.execute("update raw.ingest_turn set last_ingest_at = ?", [at])

    def keep_history(self, con: duckdb.DuckDBPyConnection) -> Path | None:
        return None  # every snapshot stays readable (`zhibiao sql --at-snapshot`)

    def await_concurrent_ingests(self, wait: Callable[[], None]) -> None:
        wait()

    def marts_inputs_snapshot(self) -> int | None:
        with connect(self.address) as con:
            return lake.current_snapshot(con)

    def build_marts(self, run_dbt: Callable[[WarehouseAddress], T],
                    record: Callable[[duckdb.DuckDBPyConnection, T], None]) -> T:
        result = run_dbt(self.address)

        def publish() -> None:
            with transaction(con):
                lake.mark_published(con, "dbt")
                record(con, result)

        with connect(self.address) as con:
            lake.retry_conflicts(publish)
        return result

    def dbt_environment_values(self) -> dict[str, str]:
        return {"ZHIBIAO_DBT_TARGET": "lake", "ZHIBIAO_LAKE": str(self.address),
                "ZHIBIAO_LAKE_DATA_PATH": self.address.data_path,
                **{f"ZHIBIAO_S3_{key.upper()}": value for key, value in lake.object_store_settings().items()}}

    def open(self, read_only: bool, snapshot: int | None, at: datetime | None,
             settings: dict[str, object], unpublished: bool) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(config=settings)
        try:
            _attach_lake(con, self.address, read_only, snapshot, at, unpublished)
        except BaseException:
            con.close()
            raise
        return con

    def folders_read_by_queries(self) -> list[str]:
        return [self.address.data_path]

    def with_recorded_data_path(self, data_path_given: bool) -> WarehouseAddress:
        address = self.address
        if address.catalog == "sqlite":
            if data_path_given or not address.file.exists():
                return address
            recorded = lake.sqlite_recorded_data_path(address.file)
            return WarehouseAddress(address.catalog, address.location, recorded) if recorded else address
        if address.data_path:
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
        return WarehouseAddress(address.catalog, address.location, recorded)


def backend_for(warehouse: AddressLike) -> WarehouseBackend:
    """The backend of the warehouse at `warehouse`: the one place that asks which it is."""
    address = as_address(warehouse)
    return FileBackend(address) if address.catalog == "file" else LakeBackend(address)


# -- what the rest of zhibiao calls ------------------------------------------------------------

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
    backend = backend_for(warehouse)
    if read_only and not backend.address.exists():
        raise FileNotFoundError(f"warehouse {backend.address.label} does not exist yet: run `zhibiao build` first")
    con = backend.open(read_only, snapshot, at, {**CONNECTION_CONFIG, **(config or {})}, unpublished)
    try:
        yield con
    finally:
        con.close()


def check_folder(warehouse: AddressLike) -> None:
    """Before a build takes its lock: the warehouse's folders (the file's, or a lake's catalog and
    local data folder) exist or can be made, and take files."""
    for folder in backend_for(warehouse).folders_to_write():
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
    backend_for(warehouse).check_writable(wait_s)


def with_recorded_data_path(warehouse: AddressLike, *, data_path_given: bool = True) -> WarehouseAddress:
    """A lake's address given without a data path, with the one its catalog records (every machine
    then reads the lake with the catalog's address alone): a PostgreSQL lake's always, a SQLite
    lake's when the catalog exists and its data are not in the default folder (`data_path_given`
    False: the address has that default). Any other address as it is."""
    return backend_for(warehouse).with_recorded_data_path(data_path_given)


@contextlib.contextmanager
def dbt_environment(address: WarehouseAddress, raw_snapshot: int | None = None) -> Iterator[None]:
    """Within the block, the environment variables dbt_project/profiles.yml reads point dbt at
    `address`, and those the raw_source macro reads make its models read the raw tables of a lake
    at `raw_snapshot` (None: as they are); they are restored after."""
    values = backend_for(address).dbt_environment_values()
    values["ZHIBIAO_RAW_SNAPSHOT"] = "" if raw_snapshot is None else str(raw_snapshot)
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


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


def _open_with_bounded_row_groups(address: WarehouseAddress) -> None:
    with connect(address) as con:
        lake.bound_row_groups(con)


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
