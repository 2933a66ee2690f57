"""Resources: the report folder, the warehouse file and dbt. Configurable per run (the CLI and the
UI's launchpad set them); defaults point into the project."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject

from ..ingest.folder import DEFAULT_MAX_BYTES
from ..ingest.report_rows import DEFAULT_MAX_SECONDS_PER_FILE
from ..paths import DBT_PROJECT_DIR, DEFAULT_REPORTS_DIR, DEFAULT_WAREHOUSE

# Every asset that writes the DuckDB file runs in this pool; the instance limits it to one.
WRITER_POOL = "duckdb_writer"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class ReportFolder(dg.ConfigurableResource):
    """The landing folder of reports and the limits applied when reading it."""

    directory: str = str(DEFAULT_REPORTS_DIR)
    max_file_bytes: int = DEFAULT_MAX_BYTES
    max_seconds_per_file: float = DEFAULT_MAX_SECONDS_PER_FILE

    @property
    def path(self) -> Path:
        return Path(self.directory)


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse file and how long a writer waits for another one to finish."""

    path: str = str(DEFAULT_WAREHOUSE)
    lock_timeout_s: float = 600.0
    # Rebuild the marts even when nothing they are built from changed (`zhibiao build --full`).
    full_rebuild: bool = False
    # Rebuild the incremental models from every document (`zhibiao build --full-refresh`).
    full_refresh: bool = False

    @property
    def file(self) -> Path:
        return Path(self.path)


def default_resources() -> dict[str, object]:
    return {
        "reports": ReportFolder(),
        "warehouse": Warehouse(),
        "dbt": DbtCliResource(project_dir=dbt_project),
    }
