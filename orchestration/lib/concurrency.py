"""Runs that share one warehouse: which of them are alive, and which are ingesting right now.

Several runs may write one DuckLake at once (builds over different folders, on one machine or
many sharing the Dagster instance). Their ingests overlap; their dbt steps take turns. A dbt step
that waits for the ingests still in progress builds their documents too, and the dbt steps of
those runs then find nothing changed and skip: N writers cost N ingests and one dbt run.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable

from dagster import DagsterEventType, DagsterInstance, DagsterRun, DagsterRunStatus

# dbt's models are written in this pool, one step at a time across every run (the instance's limit).
WRITER_POOL = "duckdb_writer"
# The ingest runs in this one: on a lake, several at once (each commits its own documents); on a
# DuckDB file one at a time all the same, as each waits for the file's writer lock (warehouse/connection.py).
INGEST_POOL = "report_ingest"
POOL_LIMITS = {WRITER_POOL: 1, INGEST_POOL: 4}

# Tags of a run started by `zhibiao build`: the process that runs it, so a run whose process was
# killed can be told from one still running.
CLI_RUN_TAG = "zhibiao/launched_by"
PID_TAG = "zhibiao/pid"
# The machine of that process: in an instance several machines share, a pid means nothing elsewhere.
HOST_TAG = "zhibiao/host"


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def on_this_machine(run: DagsterRun) -> bool:
    """Whether `run` was started on this machine (runs tagged before hosts were recorded were)."""
    return run.tags.get(HOST_TAG, socket.gethostname()) == socket.gethostname()


def build_pid(run: DagsterRun) -> int:
    """The pid of the `zhibiao build` process on this machine that runs `run`; 0 for a run started
    otherwise or on another machine (whose process this one cannot see)."""
    return int(run.tags.get(PID_TAG, "0") or 0) if on_this_machine(run) else 0


def run_alive(instance: DagsterInstance, run_id: str) -> bool:
    """Whether a run is started and, if a `zhibiao build` on this machine runs it, its process lives
    (a build killed with SIGKILL leaves its run STARTED and its pool slots claimed)."""
    run = instance.get_run_by_id(run_id)
    if run is None or run.status != DagsterRunStatus.STARTED:
        return False
    pid = build_pid(run)
    return not pid or process_alive(pid)


def runs_ingesting(instance: DagsterInstance, except_run: str) -> set[str]:
    """The other live runs whose ingest step holds a slot of the ingest pool now."""
    claimed = instance.event_log_storage.get_concurrency_info(INGEST_POOL).active_run_ids - {except_run}
    return {run_id for run_id in claimed if run_alive(instance, run_id)}


def wait_for_ingests(instance: DagsterInstance, run_id: str, max_wait_s: float,
                     on_wait: Callable[[set[str]], None] = lambda runs: None, poll_s: float = 0.5) -> set[str]:
    """Wait until no other run is ingesting, at most `max_wait_s` (so a steady stream of writers
    cannot hold dbt back for ever). Returns the runs waited for; `on_wait` hears of them first."""
    waited: set[str] = set()
    deadline = time.monotonic() + max_wait_s
    while time.monotonic() < deadline:
        running = runs_ingesting(instance, run_id)
        if not running:
            break
        if not running <= waited:
            on_wait(running - waited)
            waited |= running
        time.sleep(poll_s)
    return waited


def checks_never_finished(instance: DagsterInstance, run_id: str) -> list[str]:
    """The asset checks run `run_id` planned and never evaluated, once it has ended or its build
    process died ("asset/check" names, sorted); [] for a run still going or unknown to the instance.

    A build killed while its checks run leaves them planned: the marts it built stand unchecked.
    """
    run = instance.get_run_by_id(run_id)
    if run is None or run_alive(instance, run_id) or run.status in (DagsterRunStatus.NOT_STARTED,
                                                                     DagsterRunStatus.STARTING):
        return []

    def checks(event_type: DagsterEventType) -> set[str]:
        records = instance.get_records_for_run(run_id, of_type=event_type, limit=1_000_000).records
        return {f"{data.asset_key.to_user_string()}/{data.check_name}"
                for data in (r.event_log_entry.dagster_event.event_specific_data for r in records)}

    return sorted(checks(DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED)
                  - checks(DagsterEventType.ASSET_CHECK_EVALUATION))
