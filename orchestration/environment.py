"""The environment every command that runs Dagster needs: telemetry off, a Dagster instance with one
warehouse writer at a time, and a current dbt manifest. Imports no Dagster: the CLI loads it for
every command."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from .paths import DEFAULT_DAGSTER_HOME, PROJECT_ROOT

INSTANCE_TEMPLATE = Path(__file__).parent / "instance" / "dagster.yaml"


def prepare_environment() -> Path:
    """Telemetry off, a Dagster instance with one writer at a time, and a current dbt manifest."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(DEFAULT_DAGSTER_HOME)))
    home.mkdir(parents=True, exist_ok=True)
    instance = home / "dagster.yaml"
    # The instance file is the project's: a newer template (a setting added) replaces an older copy.
    if not instance.exists() or instance.stat().st_mtime < INSTANCE_TEMPLATE.stat().st_mtime:
        shutil.copyfile(INSTANCE_TEMPLATE, instance)
    ensure_dbt_manifest()
    return home


def ensure_dbt_manifest() -> None:
    """Parse the dbt project when its manifest is missing or older than a model, test or seed."""
    # Imported here: the dbt project's definition reads DAGSTER_HOME-independent paths only, but
    # importing defs/ loads dagster-dbt; `prepare_environment` sets the environment first.
    from .defs.resources import dbt_project

    manifest = dbt_project.manifest_path
    sources = _dbt_sources([Path(dbt_project.project_dir), PROJECT_ROOT / "seeds" / "reference"])
    if manifest.exists() and all(p.stat().st_mtime <= manifest.stat().st_mtime for p in sources):
        return
    dbt_project.preparer.prepare(dbt_project)


def _dbt_sources(folders: list[Path]) -> list[Path]:
    """The files dbt reads under `folders`. Its own output (target/, logs/) is not walked: it holds
    thousands of files, and listing them cost a no-op build a third of a second."""
    found = []
    for folder in folders:
        for parent, subfolders, names in os.walk(folder):
            subfolders[:] = [d for d in subfolders if d not in ("target", "logs")]
            found += [Path(parent, n) for n in names if Path(n).suffix in {".sql", ".yml", ".csv"}]
    return found


def build_log_path() -> Path:
    """A new log file for one build's full event log, in the Dagster instance's folder."""
    home = Path(os.environ.get("DAGSTER_HOME", str(DEFAULT_DAGSTER_HOME)))
    return home / "logs" / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
