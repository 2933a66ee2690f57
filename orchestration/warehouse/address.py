"""Where a warehouse lives: a DuckDB file, or a DuckLake whose catalog is a SQLite file or a
PostgreSQL database and whose data files are Parquet in a folder (or an object-store URL).

    warehouse/zhibiao.duckdb                          a DuckDB file (the default)
    ducklake:sqlite:warehouse/zhibiao.sqlite          catalog in SQLite, data in warehouse/zhibiao.sqlite.files/
    ducklake:postgres:dbname=zhibiao host=/tmp/pg     catalog in PostgreSQL, data in --data-path

Parsing reads no file and opens no connection: an address is plain data, passed to Dagster as
run configuration and to dbt as environment variables.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..paths import DEFAULT_WAREHOUSE, resolved

LAKE_PREFIX = "ducklake:"
LAKE_CATALOGS = ("sqlite", "postgres")
# The address (and data path) the Dagster UI's runs, sensor and schedule use: set by `zhibiao ui`.
ADDRESS_VARIABLE = "ZHIBIAO_WAREHOUSE_ADDRESS"
DATA_PATH_VARIABLE = "ZHIBIAO_DATA_PATH"
# The report folder the UI's sensor watches and its runs read (`zhibiao ui --reports`).
REPORTS_VARIABLE = "ZHIBIAO_REPORTS"
# The name a lake is attached under, in zhibiao's connections and in dbt's (its `database`).
LAKE_ALIAS = "zhibiao"


class AddressError(ValueError):
    """A warehouse address that cannot be used; the message says how to write one."""


# A password in a libpq key=value string (quoted or not) or in a URL's user:password@.
_SECRET = re.compile(r"""(password\s*=\s*)(?:'(?:[^'\\]|\\.)*'|"[^"]*"|[^\s'"]+)|(://[^:/@\s]+:)[^@\s]+(@)""")


def redact(text: str) -> str:
    """`text` (a message, an error, a traceback) with every password it quotes replaced by ***."""
    def hidden(m: re.Match[str]) -> str:
        if m.group(1):
            # Already hidden (a message redacted twice keeps what follows the ***).
            return m.group(0) if m.group(0)[len(m.group(1)):].startswith("***") else f"{m.group(1)}***"
        return f"{m.group(2)}***{m.group(3)}"

    return _SECRET.sub(hidden, text)


def first_line(error: BaseException) -> str:
    """An error's message cut to its first non-empty line (DuckDB adds context and traceback-like
    lines after it), or the error's type when it says nothing: what one-line messages quote. A
    first line that ends in a colon goes on in the next, which is kept, never cut mid-sentence."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    return f"{lines[0]} {lines[1]}" if lines[0].endswith(":") and len(lines) > 1 else lines[0]


@dataclass(frozen=True)
class WarehouseAddress:
    catalog: str  # where its catalog is: "file" (a DuckDB file is its own), "sqlite" or "postgres"
    location: str  # the file, the SQLite catalog file, or the PostgreSQL connection string
    data_path: str = ""  # lakes: where the Parquet data files go (a folder or a URL)

    @classmethod
    def parse(cls, text: str | Path, data_path: str | Path | None = None) -> WarehouseAddress:
        """An address as written on the command line; a file path or SQLite path is made absolute."""
        text = str(text).strip()
        data = str(data_path).strip() if data_path else ""
        if not text.startswith(LAKE_PREFIX):
            if data:
                raise AddressError("--data-path applies to a DuckLake warehouse (ducklake:sqlite:… or "
                                   "ducklake:postgres:…), not to a DuckDB file")
            return cls("file", str(resolved(text)))
        catalog, _, location = text.removeprefix(LAKE_PREFIX).partition(":")
        if catalog not in LAKE_CATALOGS or not location.strip():
            raise AddressError(f"unknown warehouse address {text!r}: write ducklake:sqlite:PATH or "
                               "ducklake:postgres:CONNINFO (e.g. 'dbname=zhibiao host=/tmp/pg')")
        if catalog == "sqlite":
            catalog_file = resolved(location)
            folder = resolved(data) if data and "://" not in data else None
            default = Path(f"{catalog_file}.files")
            return cls("sqlite", str(catalog_file), _folder_text(folder or default) if not data or folder else data)
        if not data:
            # Read from the catalog when connecting (connection.with_recorded_data_path).
            return cls("postgres", location.strip())
        folder = resolved(data) if "://" not in data else None
        return cls("postgres", location.strip(), _folder_text(folder) if folder else data)

    @property
    def name(self) -> str:
        """The name of the DuckDB file or SQLite catalog file; `postgres` for a PostgreSQL catalog."""
        return "postgres" if self.catalog == "postgres" else Path(self.location).name

    @property
    def file(self) -> Path:
        """The DuckDB file (file backend) or the SQLite catalog file; no file for PostgreSQL."""
        if self.catalog == "postgres":
            raise AddressError("a ducklake:postgres: warehouse has no file")
        return Path(self.location)

    def __str__(self) -> str:
        """The address as written; for a lake, also what DuckDB's ATTACH takes."""
        return self.location if self.catalog == "file" else f"{LAKE_PREFIX}{self.catalog}:{self.location}"

    @property
    def label(self) -> str:
        """The address for messages and logs: a PostgreSQL password is never printed."""
        return redact(str(self))

    @property
    def local_folder(self) -> Path:
        """Where files made from the warehouse (charts) go: beside the file or catalog; for a
        PostgreSQL catalog, beside the local data folder, else (object storage, or a data path left
        to the catalog) in the project's warehouse folder."""
        if self.catalog != "postgres":
            return Path(self.location).parent
        local = self.data_path and "://" not in self.data_path
        return Path(self.data_path).parent if local else DEFAULT_WAREHOUSE.parent

    @property
    def charts_folder(self) -> Path:
        """The charts a build draws, one folder per warehouse so that two warehouses in one folder
        never overwrite each other's: `charts/<file name>/` beside a file or SQLite catalog, and
        `charts/postgres-<digest of the address>/` in a PostgreSQL lake's local folder."""
        if self.catalog != "postgres":
            return self.local_folder / "charts" / Path(self.location).name
        digest = hashlib.sha256(str(self).encode()).hexdigest()[:12]
        return self.local_folder / "charts" / f"postgres-{digest}"

    def exists(self) -> bool:
        """Whether there is a warehouse to read (a PostgreSQL catalog is assumed to exist: connecting
        tells, with the server's own message)."""
        return self.catalog == "postgres" or Path(self.location).exists()

    @property
    def lock_file(self) -> Path:
        """The file writers on this machine lock: beside a file or SQLite catalog; for a PostgreSQL
        catalog, one per address in the temporary folder (writers on other machines are serialised
        by the shared Dagster instance's pool, docs/scale-out.md)."""
        if self.catalog != "postgres":
            return Path(f"{self.location}.lock")
        digest = hashlib.sha256(str(self).encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"zhibiao-lake-{digest}.lock"


def _folder_text(folder: Path) -> str:
    """A data folder as DuckLake's DATA_PATH takes it: with a trailing slash."""
    return str(folder).rstrip("/") + "/"


def as_address(warehouse: WarehouseAddress | str | Path) -> WarehouseAddress:
    """An address from a parsed one, a string address or a plain file path."""
    return warehouse if isinstance(warehouse, WarehouseAddress) else WarehouseAddress.parse(warehouse)
