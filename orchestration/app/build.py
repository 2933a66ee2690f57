"""Running a build as the `zhibiao` command does: the environment it needs, the Dagster run, the
recovery of runs a killed build left behind, and the summary it prints."""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dagster import (
    AssetCheckSeverity,
    DagsterInstance,
    DagsterRun,
    DagsterRunStatus,
    ExecuteInProcessResult,
    RunsFilter,
)

from ..lib.concurrency import (
    CLI_RUN_TAG,
    HOST_TAG,
    PID_TAG,
    POOL_LIMITS,
    build_pid,
    on_this_machine,
    process_alive,
)
from ..lib.console import output_to
from ..warehouse.address import WarehouseAddress
from ..warehouse.backends import backend_for, check_folder, check_writable, connect
from ..warehouse.build_inputs import forget_built_inputs
from .environment import instance_setup_lock


def step_seconds(instance: DagsterInstance, run_id: str) -> dict[str, float]:
    """Wall time of each step of the run (ingest, dbt, checks): where a build's time went."""
    return {s.step_key: round(s.end_time - s.start_time, 2)
            for s in instance.get_run_step_stats(run_id) if s.start_time and s.end_time}


def build_summary(result: Any, warehouse: WarehouseAddress, seconds: dict[str, float]) -> dict[str, Any]:
    """What a build did, as `zhibiao build --json` prints it."""
    ingest: dict[str, Any] = {}
    for event in result.get_asset_materialization_events():
        mat = event.materialization
        if mat.asset_key.path == ["raw", "documents"] and "ingest_summary" in mat.metadata:
            ingest = mat.metadata["ingest_summary"].value
    checks = result.get_asset_check_evaluations()
    # A check of WARN severity (value conflicts between documents) flags data; it does not fail.
    failed = [f"{c.asset_key.to_user_string()}:{c.check_name}" for c in checks
              if not c.passed and c.severity != AssetCheckSeverity.WARN]
    warned = [f"{c.asset_key.to_user_string()}:{c.check_name}" for c in checks
              if not c.passed and c.severity == AssetCheckSeverity.WARN]
    silent = [entry for c in checks if c.check_name == "every_report_yields_facts" and not c.passed
              for entry in c.metadata["files"].value]
    # The dbt step yields no mart when nothing the marts are built from changed.
    marts_rebuilt = any(e.materialization.asset_key.path[0] == "marts"
                        for e in result.get_asset_materialization_events())
    facts = 0
    if warehouse.exists():
        try:
            with connect(warehouse, read_only=True) as con:
                facts = con.execute("select count(*) from marts.fact_indicator where is_current").fetchone()[0]
        except Exception:  # noqa: BLE001 - a warehouse without marts yet has no facts to count
            facts = 0
    return {
        "success": result.success,
        # False when the ingest step failed: the counts below are then of nothing, not of the folder.
        "ingest_step_succeeded": bool(ingest),
        "reports_seen": ingest.get("reports_seen", 0),
        "reports_extracted": ingest.get("reports_extracted", 0),
        "reports_unchanged": ingest.get("reports_unchanged", 0),
        "reports_rejected": ingest.get("reports_rejected", []),
        "facts": facts,
        "marts_rebuilt": marts_rebuilt,
        "checks_passed": len(checks) - len(failed) - len(warned),
        "checks_failed": len(failed),
        "failed_checks": failed,
        "checks_warned": len(warned),
        "warned_checks": warned,
        "reports_without_facts": silent,
        "warehouse": warehouse.label,
        "run_id": result.run_id,
        "step_seconds": seconds,
    }


def release_abandoned_runs(instance: DagsterInstance) -> list[str]:
    """Fail the runs of `zhibiao build` processes that were killed, and free their pool slots.

    A build killed with SIGKILL cannot report its run as ended; its claim on the duckdb_writer
    pool would then block every later build. Called while holding the warehouse lock.
    """
    unfinished = [DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]
    released = []
    for record in instance.get_run_records(RunsFilter(statuses=unfinished, tags={CLI_RUN_TAG: "cli"})):
        run = record.dagster_run
        pid = build_pid(run)
        if not on_this_machine(run) or (pid and process_alive(pid)):
            continue  # alive, or another machine's to judge
        _fail_run(instance, run, f"the zhibiao build process (pid {pid}) ended without finishing this run")
        released.append(run.run_id)
    return released


def release_orphaned_ui_runs(instance: DagsterInstance) -> list[str]:
    """Fail the runs an earlier `zhibiao ui` of this instance left unfinished, and free their pool
    slots. Called by a UI that holds the instance's UI lock: no other UI can be running them, and
    Dagster's run monitoring cannot tell a dead run of its default launcher from a live one, so
    one run killed with its UI would otherwise hold the queue (one run at a time) for ever."""
    unfinished = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]
    released = []
    for record in instance.get_run_records(RunsFilter(statuses=unfinished)):
        run = record.dagster_run
        if CLI_RUN_TAG in run.tags:
            continue  # a `zhibiao build`'s own: release_abandoned_runs judges it by its process
        _fail_run(instance, run, "the zhibiao ui that ran this run stopped before it ended")
        released.append(run.run_id)
    return released


def _fail_run(instance: DagsterInstance, run: DagsterRun, why: str) -> None:
    """Mark a run whose process is gone as failed and free the pool slots it claimed."""
    instance.report_run_failed(run, message=why)
    instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)


def ensure_pool_limits(instance: DagsterInstance) -> None:
    """Give the instance the pools' limits the definitions rely on (POOL_LIMITS)."""
    def configured() -> dict[str, int]:
        return {pool.name: pool.limit for pool in instance.event_log_storage.get_pool_limits()}

    for pool, limit in POOL_LIMITS.items():
        if configured().get(pool) == limit:
            continue
        try:
            instance.event_log_storage.set_concurrency_slots(pool, limit)
        except Exception:  # noqa: BLE001 - the storage's unique-key error: another build set it first
            if configured().get(pool) != limit:
                raise


@contextlib.contextmanager
def open_instance() -> Iterator[DagsterInstance]:
    """The Dagster instance, opened under the setup lock (the first opening creates its storage)
    and given the pool limits the definitions rely on."""
    with instance_setup_lock():
        instance = DagsterInstance.get()
    with instance:
        ensure_pool_limits(instance)
        yield instance


def run_build(reports: Path, warehouse: WarehouseAddress, *, max_file_bytes: int, max_seconds_per_file: float,
              wait: float, log_path: Path | None, full: bool = False,
              full_refresh: bool = False) -> tuple[ExecuteInProcessResult, dict[str, Any]]:
    """Run the build_warehouse job once: (its result, its summary).

    Holds the warehouse's writer lock for the whole run (a second build waits `wait` seconds, then
    raises WarehouseBusy); an unusable warehouse file or folder raises WarehouseUnusable. The run's
    full event log goes to `log_path` (None: the terminal).
    """
    from ..definitions import defs  # imported here: loading the definitions reads the dbt manifest

    run_config = {"resources": {
        "reports": {"config": {"directory": str(reports), "max_file_bytes": max_file_bytes,
                               "max_seconds_per_file": max_seconds_per_file}},
        "warehouse": {"config": {"path": str(warehouse), "data_path": warehouse.data_path,
                                 "lock_timeout_s": wait, "full_rebuild": full,
                                 "full_refresh": full_refresh}},
    }}
    job = defs.resolve_job_def("build_warehouse")
    check_folder(warehouse)
    # One build writes a file at a time: a second one waits (wait) or stops here. Builds into a
    # lake run at once; their dbt steps take turns (the writer pool, and the lock in the step).
    with backend_for(warehouse).writer_guard(wait):
        check_writable(warehouse, wait)
        with open_instance() as instance:
            for run_id in release_abandoned_runs(instance):
                print(f"zhibiao: marked run {run_id} of a killed build as failed", file=sys.stderr)
            with output_to(log_path):
                result = job.execute_in_process(instance=instance, run_config=run_config, raise_on_error=False,
                                                tags={CLI_RUN_TAG: "cli", PID_TAG: str(os.getpid()),
                                                      HOST_TAG: socket.gethostname()})
            seconds = step_seconds(instance, result.run_id)
        summary = build_summary(result, warehouse, seconds)
        if summary["checks_failed"]:
            # The next build must evaluate every check again, even if nothing changed by then.
            forget_built_inputs(warehouse)
    return result, summary
