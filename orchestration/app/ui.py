"""`zhibiao ui`: the Dagster UI (dagster dev) on the project's workspace, stopped as one."""

from __future__ import annotations

import contextlib
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
from ..warehouse.address import ADDRESS_VARIABLE, DATA_PATH_VARIABLE, WarehouseAddress
from .environment import prepare_environment

# How long dagster dev may take to stop its servers after SIGTERM before its group is killed.
STOP_GRACE_SECONDS = 20
# dagster dev warns at every start that `dg dev` supersedes it. dg dev runs the same servers but
# only in a dg project (dg.toml, a src/ layout), which this one is not: the warning tells a user
# nothing to do, so it is not shown (PYTHONWARNINGS matches the start of its message).
SUPERSEDED_WARNING = "ignore:Function `dev_command` is superseded"
# What click prints when dagster dev ends on the KeyboardInterrupt its SIGTERM handler raises: a
# stop that was asked for is no abort.
ABORTED_LINE = b"Aborted!"


def run_ui(dagster_args: list[str], address: WarehouseAddress | None = None) -> int:
    """Run dagster dev until it ends or this process is told to stop; its exit status. Its runs,
    sensor and schedule build `address` (default: the project's warehouse file)."""
    prepare_environment()
    from .build import open_instance  # imported here: it imports Dagster, which takes seconds

    with open_instance():
        pass  # created, with its pool limits, before dagster dev's processes open it at once
    if address is not None:
        # Read by the Warehouse resource when a run or a sensor tick uses it (defs/resources.py).
        os.environ[ADDRESS_VARIABLE] = str(address)
        os.environ[DATA_PATH_VARIABLE] = address.data_path
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


def _relay_stderr(stream: IO[bytes], stop_requested_at: list[float]) -> None:
    """Pass dagster dev's log on to our stderr as it comes, but for click's "Aborted!" once we
    asked it to stop."""
    out = sys.stderr.buffer
    for line in stream:
        if not (stop_requested_at and line.strip() == ABORTED_LINE):
            out.write(line)
            out.flush()
