"""Resources: the report folder, the warehouse file and dbt. Configurable per run (the CLI and the
UI's launchpad set them); defaults point into the project."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject

from ..ingest.folder import DEFAULT_MAX_BYTES
from ..ingest.report_rows import DEFAULT_MAX_SECONDS_PER_FILE
from ..paths import DBT_PROJECT_DIR, DEFAULT_REPORTS_DIR, DEFAULT_WAREHOUSE
from ..warehouse.address import ADDRESS_VARIABLE, DATA_PATH_VARIABLE, REPORTS_VARIABLE, WarehouseAddress

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class ReportFolder(dg.ConfigurableResource):
    """The landing folder of reports and the limits applied when reading it."""

    # Empty: the folder `zhibiao ui --reports` was started with ($ZHIBIAO_REPORTS), else seeds/reports.
    directory: str = ""
    max_file_bytes: int = DEFAULT_MAX_BYTES
    max_seconds_per_file: float = DEFAULT_MAX_SECONDS_PER_FILE

    @property
    def path(self) -> Path:
        # Read when a run or sensor uses the resource, never when the definitions are loaded.
        return Path(self.directory or os.environ.get(REPORTS_VARIABLE) or DEFAULT_REPORTS_DIR)


class Warehouse(dg.ConfigurableResource):
    """Where the warehouse lives (a DuckDB file or a DuckLake address, warehouse/address.py) and how long a
    writer waits for another one to finish."""

    # A DuckDB file, ducklake:sqlite:PATH or ducklake:postgres:CONNINFO. Empty: the address
    # `zhibiao ui --warehouse` was started with ($ZHIBIAO_WAREHOUSE_ADDRESS), else warehouse/zhibiao.duckdb.
    path: str = ""
    # A DuckLake's data files: a folder or an object-store URL (ducklake:sqlite: defaults to PATH.files/).
    data_path: str = ""
    lock_timeout_s: float = 600.0
    # On a lake: how long dbt waits for other runs' ingests in progress, so that one dbt run builds
    # their documents too and theirs is skipped (lib/concurrency.py). 0: never wait.
    coalesce_ingests_s: float = 300.0
    # Rebuild the marts even when nothing they are built from changed (`zhibiao build --full`).
    full_rebuild: bool = False
    # Rebuild the incremental models from every document (`zhibiao build --full-refresh`).
    full_refresh: bool = False

    @property
    def address(self) -> WarehouseAddress:
        # Read when a run or sensor uses the resource, never when the definitions are loaded.
        path = self.path or os.environ.get(ADDRESS_VARIABLE) or str(DEFAULT_WAREHOUSE)
        return WarehouseAddress.parse(path, self.data_path or os.environ.get(DATA_PATH_VARIABLE) or None)


def default_resources() -> dict[str, object]:
    return {
        "reports": ReportFolder(),
        "warehouse": Warehouse(),
        "dbt": DbtCliResource(project_dir=dbt_project),
    }
