"""DuckLake: the extensions it needs, attaching a lake, its snapshots, and committing to it.

The DuckLake, SQLite and PostgreSQL extensions come from their PyPI packages (pinned with duckdb
in pyproject.toml) and are installed from those files, never downloaded: `INSTALL 'path'` copies
one into DuckDB's extension folder, where every later process (dbt's included) loads it by name.

A build writes a lake in stages (the ingest, then dbt's models one by one). The last commit of each
whole stage carries the commit message `PUBLISHED`; `zhibiao sql` and the other readers read the
newest published snapshot, so they never see a stage half done, and a build killed mid-stage
leaves the previous published snapshot as the one they read.
"""

from __future__ import annotations

import functools
import importlib
import random
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import duckdb

from .address import LAKE_ALIAS, WarehouseAddress

# extension name → the package that carries it
EXTENSION_PACKAGES = {
    "ducklake": "duckdb_extension_ducklake",
    "sqlite_scanner": "duckdb_extension_sqlite_scanner",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
}
CATALOG_EXTENSION = {"sqlite": "sqlite_scanner", "postgres": "postgres_scanner"}
PUBLISHED = "zhibiao: published"
# Conflicting commits of concurrent writers are retried for this long before the error stands.
COMMIT_RETRY_SECONDS = 120.0

T = TypeVar("T")


def extension_file(name: str) -> Path:
    """The extension's file inside its package, for this DuckDB version."""
    package = importlib.import_module(EXTENSION_PACKAGES[name])
    folder = Path(package.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    path = folder / f"{name}.duckdb_extension"
    if not path.exists():
        raise RuntimeError(f"{path} is missing: the {package.__name__} package does not match duckdb "
                           f"{duckdb.__version__}; run `uv sync`")
    return path


@functools.cache
def install_extensions() -> None:
    """Install the lake's extensions from their packages into DuckDB's extension folder (once per
    process; installing an installed one only compares files)."""
    with duckdb.connect(config={"autoinstall_known_extensions": False}) as con:
        for name in EXTENSION_PACKAGES:
            con.execute(f"install '{sql_text(str(extension_file(name)))}'")


def attach(con: duckdb.DuckDBPyConnection, address: WarehouseAddress, *, read_only: bool = False,
           snapshot: int | None = None, at: datetime | None = None) -> None:
    """Attach the lake as `LAKE_ALIAS` and make it the default catalog; at a snapshot (by id or
    time) when given, which is read-only."""
    install_extensions()
    con.execute("load ducklake")
    con.execute(f"load {CATALOG_EXTENSION[address.backend]}")
    # Without a data path DuckLake uses the one its catalog records (a new lake must be given one).
    options = [f"data_path '{sql_text(address.data_path)}'"] if address.data_path else []
    if read_only or snapshot is not None or at is not None:
        options.append("read_only")
    if snapshot is not None:
        options.append(f"snapshot_version {int(snapshot)}")
    elif at is not None:
        options.append(f"snapshot_time '{at.isoformat(sep=' ')}'")
    con.execute(f"attach '{sql_text(str(address))}' as {LAKE_ALIAS} ({', '.join(options)})")
    con.execute(f"use {LAKE_ALIAS}")


def recorded_data_path(con: duckdb.DuckDBPyConnection, alias: str = LAKE_ALIAS) -> str | None:
    """The data path the attached lake's catalog records (set when the lake was made)."""
    row = con.execute(f"select value from __ducklake_metadata_{alias}.ducklake_metadata "
                      "where key = 'data_path'").fetchone()
    return row[0] if row else None


def sql_text(text: str) -> str:
    """`text` for inside a single-quoted SQL string literal."""
    return text.replace("'", "''")


def current_snapshot(con: duckdb.DuckDBPyConnection) -> int:
    """The snapshot the attached lake reads: its newest, or the one it was attached at."""
    return con.execute(f"select id from {LAKE_ALIAS}.current_snapshot()").fetchone()[0]


def published_snapshot(con: duckdb.DuckDBPyConnection) -> int | None:
    """The newest snapshot a whole build stage committed; None before the first."""
    return con.execute(f"select max(snapshot_id) from {LAKE_ALIAS}.snapshots() where commit_message = ?",
                       [PUBLISHED]).fetchone()[0]


def mark_published(con: duckdb.DuckDBPyConnection, stage: str) -> None:
    """Inside a transaction: its commit ends a stage, and readers move to it."""
    con.execute(f"call {LAKE_ALIAS}.set_commit_message('zhibiao', ?, extra_info => ?)", [PUBLISHED, stage])


def is_commit_conflict(err: duckdb.Error) -> bool:
    """A commit refused because another writer committed first (or held the catalog): worth retrying."""
    text = str(err).lower()
    return any(sign in text for sign in ("conflict", "database is locked", "could not serialize"))


def retry_conflicts(write: Callable[[], T], seconds: float = COMMIT_RETRY_SECONDS) -> T:
    """Run `write` (one whole transaction) again while a concurrent writer's commit conflicts with it."""
    deadline = time.monotonic() + seconds
    delay = 0.2
    while True:
        try:
            return write()
        except duckdb.Error as err:
            if not is_commit_conflict(err) or time.monotonic() >= deadline:
                raise
        time.sleep(delay * (1 + random.random()))
        delay = min(delay * 2, 5.0)
