"""The environment every command that runs Dagster needs: telemetry off, a Dagster instance with one
warehouse writer at a time, and a current dbt manifest. Imports no Dagster: the CLI loads it for
every command.

Each warehouse has a Dagster instance of its own (`.dagster_home/<warehouse>-<digest>/`), chosen
from its address the same way by `build`, `ui` and so by the UI's sensor and schedule: its runs,
asset history, checks, freshness and sensor cursor are that warehouse's alone, and a UI serving
one warehouse never shows another's builds. A DAGSTER_HOME set by the user names one instance for
every warehouse instead (a shared instance of several machines, docs/scale-out.md).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

from ..paths import DEFAULT_INSTANCES_ROOT, DEFAULT_WAREHOUSE
from ..warehouse.address import WarehouseAddress
from ..warehouse.backends import backend_for

INSTANCE_TEMPLATE = Path(__file__).parent / "instance" / "dagster.yaml"
# Where the instances of the warehouses live, when not in the project's .dagster_home/.
INSTANCES_VARIABLE = "ZHIBIAO_INSTANCES"
# A PostgreSQL URL (postgresql+psycopg2://user:password@host:5432/db, or ?host=/socket/dir): the instance's
# storage, shared by the machines that set it; one database per warehouse.
SHARED_INSTANCE_VARIABLE = "ZHIBIAO_DAGSTER_POSTGRES"
RUN_LIMIT_KEY = "max_concurrent_runs:"  # in the template, set to each warehouse's backend's


# Set in this process, so in every process it starts (dagster dev, its daemon and webserver, runs, dbt).
# Dagster's log uploader (dagster/_core/telemetry_upload.py) posts $DAGSTER_HOME/logs/ to its server
# and empties it whatever the instance's `telemetry: enabled` says: only DAGSTER_DISABLE_TELEMETRY
# stops that thread. DO_NOT_TRACK and DBT_SEND_ANONYMOUS_USAGE_STATS keep dbt and others quiet.
TELEMETRY_OFF = {"DAGSTER_DISABLE_TELEMETRY": "1", "DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
# zhibiao's build logs: never in $DAGSTER_HOME/logs/ or .logs_queue/, the folders the uploader sends.
BUILD_LOGS_FOLDER = "build-logs"


def telemetry_off() -> None:
    """Nothing this process or its children start may send usage data or logs off the machine."""
    os.environ.update(TELEMETRY_OFF)


def instance_home(address: WarehouseAddress) -> Path:
    """The Dagster instance folder of the warehouse at `address`: its file name (or `postgres`) and a
    digest of the whole address, so that two warehouses never share one."""
    readable = re.sub(r"[^0-9A-Za-z_.-]+", "_", address.name)[:40]
    digest = hashlib.sha256(str(address).encode()).hexdigest()[:10]
    root = Path(os.environ.get(INSTANCES_VARIABLE) or DEFAULT_INSTANCES_ROOT)
    return root / f"{readable}-{digest}"


def prepare_environment(address: WarehouseAddress | None = None) -> Path:
    """Telemetry off, the Dagster instance of the warehouse at `address` (default: the project's
    file) with one writer at a time, and a current dbt manifest. Returns the instance's folder."""
    telemetry_off()
    address = address or WarehouseAddress.parse(DEFAULT_WAREHOUSE)
    # An instance of the warehouse's own queues as many runs at once as its backend takes; one a
    # user's DAGSTER_HOME names may serve any warehouse, so it runs one at a time.
    concurrent_runs = 1
    if not os.environ.get("DAGSTER_HOME"):
        os.environ["DAGSTER_HOME"] = str(instance_home(address))
        concurrent_runs = backend_for(address).concurrent_runs
    home = Path(os.environ["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    instance = home / "dagster.yaml"
    # The instance file is the project's: rewritten whenever the template, run limit or storage changes.
    wanted = instance_file_text(concurrent_runs)
    if not instance.exists() or instance.read_text(encoding="utf-8") != wanted:
        partial = instance.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(wanted, encoding="utf-8")
        os.replace(partial, instance)
    ensure_dbt_manifest()
    return home


def instance_file_text(concurrent_runs: int = 1) -> str:
    """The instance's dagster.yaml: the project's template with at most `concurrent_runs` runs in
    progress (the daemon's queue: the UI's, the sensor's and the schedule's runs), and with
    SHARED_INSTANCE_VARIABLE set, run, event and schedule storage in that PostgreSQL database, so
    that the runs, schedules and sensors of every machine configured alike are one instance's
    (docs/scale-out.md). The file
    names the variable, never its value: a password in the URL stays out of every file."""
    text = INSTANCE_TEMPLATE.read_text(encoding="utf-8").replace(
        f"{RUN_LIMIT_KEY} 1", f"{RUN_LIMIT_KEY} {concurrent_runs}")
    if os.environ.get(SHARED_INSTANCE_VARIABLE):
        text += ("# Shared by every machine whose zhibiao has the same $" + SHARED_INSTANCE_VARIABLE + ".\n"
                 "storage:\n  postgres:\n    postgres_url:\n      env: " + SHARED_INSTANCE_VARIABLE + "\n")
    return text


@contextlib.contextmanager
def instance_setup_lock() -> Iterator[None]:
    """Held while a process opens the Dagster instance: the first opening creates its SQLite
    storage, and two builds doing that at once leave it with two schema versions."""
    home = Path(os.environ["DAGSTER_HOME"])  # set by prepare_environment
    home.mkdir(parents=True, exist_ok=True)
    with open(home / ".zhibiao-instance.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


def ensure_dbt_manifest() -> None:
    """Parse the dbt project when its manifest is missing or older than a model, test or seed."""
    # Imported here: the dbt project's definition reads DAGSTER_HOME-independent paths only, but
    # importing defs/ loads dagster-dbt; `prepare_environment` sets the environment first.
    from ..defs.resources import dbt_project
    from ..warehouse.build_inputs import project_files

    manifest = dbt_project.manifest_path
    # The files the build fingerprints as dbt's inputs; dbt's own target/ (thousands of files) is not walked.
    sources = project_files()
    if manifest.exists() and all(p.stat().st_mtime <= manifest.stat().st_mtime for p in sources):
        return
    dbt_project.preparer.prepare(dbt_project)


def build_log_path() -> Path:
    """A new log file for one build's full event log, in the Dagster instance's folder."""
    home = Path(os.environ["DAGSTER_HOME"])  # set by prepare_environment
    return home / BUILD_LOGS_FOLDER / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
