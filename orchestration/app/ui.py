"""`zhibiao ui`: the Dagster UI (dagster dev) on the project's workspace, stopped as one."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from ..paths import PROJECT_ROOT
from ..warehouse.address import ADDRESS_VARIABLE, DATA_PATH_VARIABLE, REPORTS_VARIABLE, WarehouseAddress
from .environment import SHARED_INSTANCE_VARIABLE, prepare_environment

# How long dagster dev may take to stop its servers after SIGTERM before its group is killed.
STOP_GRACE_SECONDS = 20
# dagster dev warns at every start that `dg dev` supersedes it. dg dev runs the same servers but
# only in a dg project (dg.toml, a src/ layout), which this one is not: the warning tells a user
# nothing to do, so it is not shown (PYTHONWARNINGS matches the start of its message).
SUPERSEDED_WARNING = "ignore:Function `dev_command` is superseded"
# What click prints when dagster dev ends on the KeyboardInterrupt its SIGTERM handler raises: a
# stop that was asked for is no abort.
ABORTED_LINE = b"Aborted!"


def run_ui(dagster_args: list[str], address: WarehouseAddress | None = None, reports: Path | None = None) -> int:
    """Run dagster dev until it ends or this process is told to stop; its exit status. Its runs,
    sensor and schedule build `address` (default: the project's warehouse file) from `reports`
    (default: seeds/reports)."""
    home = prepare_environment(address)
    from .build import open_instance, release_orphaned_ui_runs  # imported here: Dagster takes seconds to import

    ui_lock = _hold_ui_lock(home)
    if ui_lock is None:
        print(f"zhibiao: another zhibiao ui serves this warehouse (its Dagster instance {home}); stop it "
              "first, or open that one", file=sys.stderr)
        return 2
    with open_instance() as instance:
        # Created, with its pool limits, before dagster dev's processes open it at once. In an
        # instance other machines share, their UIs' runs are theirs to judge: none is released.
        orphaned = [] if os.environ.get(SHARED_INSTANCE_VARIABLE) else release_orphaned_ui_runs(instance)
        for run_id in orphaned:
            print(f"zhibiao: run {run_id} was left unfinished by a UI that stopped: marked failed", file=sys.stderr)
    if address is not None:
        # Read by the Warehouse resource when a run or a sensor tick uses it (defs/resources.py).
        os.environ[ADDRESS_VARIABLE] = str(address)
        os.environ[DATA_PATH_VARIABLE] = address.data_path
    if reports is not None:
        os.environ[REPORTS_VARIABLE] = str(reports)
    dagster = shutil.which("dagster") or str(Path(sys.executable).with_name("dagster"))
    # dagster dev starts a webserver, a daemon, a code server and runs: all in a process group of
    # their own, so that stopping `zhibiao ui` (Ctrl-C, SIGTERM) stops every one of them at once.
    warnings = ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"), SUPERSEDED_WARNING]))
    ui = subprocess.Popen([dagster, "dev", "-w", str(PROJECT_ROOT / "workspace.yaml"), *dagster_args],
                          start_new_session=True, stderr=subprocess.PIPE,
                          env={**os.environ, "PYTHONWARNINGS": warnings})

    stop_requested_at: list[float] = []
    relay = threading.Thread(target=_relay_stderr, args=(ui.stderr, stop_requested_at), daemon=True)
    relay.start()

    def stop_group(signum: int, frame: object) -> None:
        stop_requested_at.append(time.monotonic())
        with contextlib.suppress(ProcessLookupError):
            os.killpg(ui.pid, signal.SIGTERM)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop_group)
    while True:
        try:
            code = ui.wait(timeout=1)
            break
        except subprocess.TimeoutExpired:
            # dagster dev shuts its servers down gracefully; on a loaded machine that can take a
            # minute. Asked to stop, we give it STOP_GRACE_SECONDS, then end the group at once.
            if stop_requested_at and time.monotonic() - stop_requested_at[0] > STOP_GRACE_SECONDS:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(ui.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(ui.pid, signal.SIGKILL)  # anything of the group that outlived dagster dev
    relay.join(timeout=5)
    return 0 if stop_requested_at else code


def _hold_ui_lock(home: Path) -> IO[str] | None:
    """The instance's UI lock, held (by the open file) for the life of this process; None when
    another `zhibiao ui` holds it."""
    lock = open(home / ".zhibiao-ui.lock", "a")  # noqa: SIM115 - closed when this process ends
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        return None
    return lock


def _relay_stderr(stream: IO[bytes], stop_requested_at: list[float]) -> None:
    """Pass dagster dev's log on to our stderr as it comes, but for click's "Aborted!" once we
    asked it to stop."""
    out = sys.stderr.buffer
    for line in stream:
        if not (stop_requested_at and line.strip() == ABORTED_LINE):
            out.write(line)
            out.flush()
