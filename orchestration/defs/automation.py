"""Jobs, the landing-folder sensor and the daily schedule."""


import json
import os
from datetime import UTC
from pathlib import Path

import dagster as dg
import duckdb

from ..ingest.folder import scan_folder
from ..ingest.raw_writes import ingested_folder
from ..paths import DEFAULT_REPORTS_DIR
from ..warehouse.connection import AddressLike
from .resources import Warehouse

build_warehouse_job = dg.define_asset_job(
    name="build_warehouse",
    selection=dg.AssetSelection.all(),
    description="Ingest the report folder and rebuild the warehouse (dbt), with every check.",
)

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh",
    job=build_warehouse_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    # A build skips dbt when nothing the marts are built from changed; the morning refresh rebuilds
    # them anyway, so their freshness (time since materialization) says the pipeline is alive.
    run_config={"resources": {"warehouse": {"config": {"full_rebuild": True}}}},
    description="Refresh the whole graph every morning, 06:00 Beijing time (dbt rebuilds the marts even "
                "when no report changed, to keep their freshness).",
)


def folder_state(folder: Path) -> dict[str, list[float]]:
    """File name → [size, mtime] of every visible entry of the folder."""
    state: dict[str, list[float]] = {}
    if not folder.is_dir():
        return state
    for entry in os.scandir(folder):
        if entry.name.startswith("."):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue
        state[entry.name] = [info.st_size, info.st_mtime]
    return state


def changed_files(previous: dict[str, list[float]], current: dict[str, list[float]]) -> list[str]:
    return sorted(name for name, stat in current.items() if previous.get(name) != stat)


def ingested_state(folder: Path, current: dict[str, list[float]], warehouse: AddressLike) -> dict[str, list[float]]:
    """The part of the folder's state the warehouse already holds: a file whose bytes are the
    content the raw tables record for it, or one rejected by a scan after it was last written.
    A sensor with no cursor (a new instance, `zhibiao ui` on a built warehouse) starts from this,
    so only files that really changed request a run."""
    ingested = ingested_folder(warehouse)
    if not ingested.document_ids and not ingested.rejected_at:
        return {}
    known = {f.name for f in scan_folder(folder).files if ingested.document_ids.get(f.name) == f.document_id}
    known.update(name for name, rejected_at in ingested.rejected_at.items()
                 if name in current and current[name][1] < rejected_at.replace(tzinfo=UTC).timestamp())
    return {name: stat for name, stat in current.items() if name in known}


def make_report_folder_sensor(folder: Path = DEFAULT_REPORTS_DIR) -> dg.SensorDefinition:
    @dg.sensor(
        name="report_folder_sensor",
        job=build_warehouse_job,
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=f"Requests a build when a report is added to or changed in {folder}.",
    )
    def report_folder_sensor(context: dg.SensorEvaluationContext,
                             warehouse: Warehouse) -> dg.RunRequest | dg.SkipReason:
        current = folder_state(folder)
        if context.cursor:
            previous = json.loads(context.cursor)
        else:
            try:
                previous = ingested_state(folder, current, warehouse.address)
            except duckdb.Error as err:  # a writer holds the file: try again on the next tick
                return dg.SkipReason(f"warehouse {warehouse.address.label} cannot be read now: {err}")
        changed = changed_files(previous, current)
        context.update_cursor(json.dumps(current, sort_keys=True))
        if not changed:
            return dg.SkipReason(f"no new or changed file in {folder}")
        # The run key makes a request for the same files in the same state unique: a file is
        # never processed twice, even if the cursor were lost between ticks.
        run_key = json.dumps({name: current[name] for name in changed}, sort_keys=True)
        return dg.RunRequest(
            run_key=run_key,
            run_config={"resources": {"reports": {"config": {"directory": str(folder)}}}},
            tags={"zhibiao/changed_files": ",".join(changed)[:200]},
        )

    return report_folder_sensor


report_folder_sensor = make_report_folder_sensor()
