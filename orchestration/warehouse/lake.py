"""DuckLake: the extensions it needs, attaching a lake, its snapshots, and committing to it.

The DuckLake, SQLite and PostgreSQL extensions (and httpfs and aws, for data on object storage)
come from their PyPI packages (pinned with duckdb in pyproject.toml) and are installed from those
files, never downloaded: `INSTALL 'path'` copies
one into DuckDB's extension folder, where every later process (dbt's included) loads it by name.

A build writes a lake in stages (the ingest, then dbt's models one by one). The last commit of each
whole stage carries the commit message `PUBLISHED`; `zhibiao sql` and the other readers read the
newest published snapshot, so they never see a stage half done, and a build killed mid-stage
leaves the previous published snapshot as the one they read.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import random
import re
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import duckdb

from .address import LAKE_ALIAS, WarehouseAddress

# extension name → the package that carries it
EXTENSION_PACKAGES = {
    "ducklake": "duckdb_extension_ducklake",
    "sqlite_scanner": "duckdb_extension_sqlite_scanner",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
    # A data path on object storage (s3://…): httpfs reads and writes it, aws finds the credentials.
    "httpfs": "duckdb_extension_httpfs",
    "aws": "duckdb_extension_aws",
}
OBJECT_STORE_EXTENSIONS = ("httpfs", "aws")
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


def object_store_settings() -> dict[str, str]:
    """Where the S3 API of a data path on object storage is, from the standard AWS environment
    (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL for an S3-compatible server, AWS_REGION): the
    non-secret half of the secret lake connections and dbt create. The credentials are never
    read here: DuckDB's credential chain takes them from the environment itself, so no key is
    written into SQL, a profile or a log."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or ""
    parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}") if endpoint else None
    return {
        "endpoint": parts.netloc if parts else "s3.amazonaws.com",
        # An S3-compatible server is addressed by path (host/bucket/key); Amazon by virtual host.
        "url_style": "path" if parts else "vhost",
        "use_ssl": "false" if parts and parts.scheme == "http" else "true",
        "region": os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
    }


def use_object_store(con: duckdb.DuckDBPyConnection) -> None:
    """Let `con` read and write s3:// paths with the AWS environment's endpoint and credentials."""
    for name in OBJECT_STORE_EXTENSIONS:
        con.execute(f"load {name}")
    options = ", ".join(f"{key} '{sql_text(value)}'" for key, value in object_store_settings().items())
    # validation 'none': a credential the chain finds only when a file is read is no error here.
    con.execute("create or replace temporary secret zhibiao_object_store "
                f"(type s3, provider credential_chain, validation 'none', {options})")


class ObjectStoreUnusable(RuntimeError):
    """A data path on object storage that cannot be listed: the reason, for a person, in one line."""


# A probe of the data path fails fast: an unreachable endpoint should not hold a build for minutes.
PROBE_SETTINGS = {"http_timeout": 10, "http_retries": 1}


def check_object_store(data_path: str) -> None:
    """List `data_path` (s3://bucket/prefix/) with the AWS environment's endpoint and credentials,
    before a build writes anything; ObjectStoreUnusable naming what to fix when that fails."""
    install_extensions()
    with duckdb.connect(config={"autoinstall_known_extensions": False}) as con:
        use_object_store(con)
        for name, value in PROBE_SETTINGS.items():
            con.execute(f"set {name} = {value}")
        try:
            con.execute(f"select count(*) from glob('{sql_text(data_path.rstrip('/'))}/*')").fetchone()
        except duckdb.Error as err:
            raise ObjectStoreUnusable(f"cannot use the data path {data_path}: {_object_store_reason(err)}") from None


def _object_store_reason(err: duckdb.Error) -> str:
    """DuckDB's error about an object store, as one line that says what to check."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()] or [type(err).__name__]
    status = re.search(r"\(HTTP (?P<code>\d{3})(?P<text>[^)]*)\)", lines[0])
    if status is None:  # no answer: "Could not connect to server error for HTTP GET to '…'"
        cause = re.search(r"(Could not [^']+?) (?:error )?for HTTP", lines[0])
        return (f"{(cause.group(1) if cause else lines[0]).lower()} at {object_store_settings()['endpoint']}; "
                "check AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_S3) and the network")
    # The server's own code and message follow ("InvalidAccessKeyId: The AWS Access Key Id …").
    answer = next((line for line in lines[1:] if re.match(r"[A-Z][A-Za-z]+: ", line)), "")
    hint = {"403": "check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", "404": "check the bucket's name",
            "301": "check AWS_REGION"}.get(status["code"], "check the data path and the AWS environment")
    return f"HTTP {status['code']}{status['text']}{' (' + answer + ')' if answer else ''}; {hint}"


def attach(con: duckdb.DuckDBPyConnection, address: WarehouseAddress, *, read_only: bool = False,
           snapshot: int | None = None, at: datetime | None = None) -> None:
    """Attach the lake as `LAKE_ALIAS` and make it the default catalog; at a snapshot (by id or
    time) when given, which is read-only."""
    install_extensions()
    con.execute("load ducklake")
    con.execute(f"load {CATALOG_EXTENSION[address.catalog]}")
    if "://" in address.data_path:
        use_object_store(con)
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
    if "read_only" not in options:
        # Row groups bounded in bytes (bound_row_groups) need this; a table's row order means nothing.
        con.execute("set preserve_insertion_order = false")


# A Parquet row group of the lake holds at most this many bytes: 122,880 rows (DuckDB's default) of
# report texts took more than a connection's 512 MB at 100,000 reports.
ROW_GROUP_BYTES = 32_000_000


def bound_row_groups(con: duckdb.DuckDBPyConnection) -> None:
    """Record in the attached lake that its Parquet row groups are bounded in bytes (an option of
    the lake, so dbt's writes follow it too); once, when it is not recorded yet."""
    row = con.execute(f"select value from __ducklake_metadata_{LAKE_ALIAS}.ducklake_metadata "
                      "where key = 'parquet_row_group_size_bytes' and scope is null").fetchone()
    if row is None or int(row[0]) != ROW_GROUP_BYTES:
        con.execute(f"call {LAKE_ALIAS}.set_option('parquet_row_group_size_bytes', '{ROW_GROUP_BYTES // 10**6}MB')")


def recorded_data_path(con: duckdb.DuckDBPyConnection, alias: str = LAKE_ALIAS) -> str | None:
    """The data path the attached lake's catalog records (set when the lake was made)."""
    row = con.execute(f"select value from __ducklake_metadata_{alias}.ducklake_metadata "
                      "where key = 'data_path'").fetchone()
    return row[0] if row else None


def sqlite_recorded_data_path(catalog: Path) -> str | None:
    """The data path a SQLite catalog records, read with SQLite itself (no extension to load); None
    when the file holds no lake."""
    try:
        with contextlib.closing(sqlite3.connect(f"{catalog.as_uri()}?mode=ro", uri=True)) as con:
            row = con.execute("select value from ducklake_metadata where key = 'data_path'").fetchone()
    except sqlite3.Error:
        return None
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
