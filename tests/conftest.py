"""Shared fixtures: a warehouse built once from the seed reports into a temporary directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEED_REPORTS = PROJECT_ROOT / "seeds" / "reports"
SHARED = PROJECT_ROOT.parent / "shared"


def pytest_configure(config):
    # The Dagster definitions read dbt's manifest; a fresh clone has none until dbt parses once.
    from orchestration.cli import ensure_dbt_manifest

    ensure_dbt_manifest()


# Fixtures that build a warehouse through Dagster and dbt (or start the UI): a test that uses one
# is an integration test, whether or not it says so. `uv run pytest -m "not integration"` is the
# fast loop (about a minute); the full suite takes about half an hour on two cores.
INTEGRATION_FIXTURES = {"seed_build", "seed_db", "dagster_env"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if INTEGRATION_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


def zhibiao(*args: str, env: dict[str, str] | None = None, check: bool = False,
            timeout: float = 900) -> subprocess.CompletedProcess:
    """Run the `zhibiao` command as a user would, in a fresh process."""
    return subprocess.run([sys.executable, "-m", "orchestration.cli", *args], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, check=check, timeout=timeout)


def build_json(result: subprocess.CompletedProcess) -> dict:
    """The JSON summary `zhibiao build --json` prints as its last line of standard output."""
    lines = [ln for ln in result.stdout.splitlines() if ln.strip()]
    assert lines, f"no output; stderr:\n{result.stderr[-3000:]}"
    return json.loads(lines[-1])


@pytest.fixture(scope="session")
def dagster_env(tmp_path_factory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("dagster_home")
    return {**os.environ, "DAGSTER_HOME": str(home), "DO_NOT_TRACK": "1"}


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory, dagster_env):
    """(summary, warehouse path) of one build of the seed reports."""
    warehouse = tmp_path_factory.mktemp("warehouse") / "zhibiao.duckdb"
    result = zhibiao("build", "--reports", str(SEED_REPORTS), "--warehouse", str(warehouse), "--json",
                     env=dagster_env)
    assert result.returncode == 0, result.stderr[-5000:]
    return build_json(result), warehouse


@pytest.fixture()
def seed_db(seed_build):
    _, warehouse = seed_build
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


def copy_seeds(target: Path, names: list[str] | None = None) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for p in sorted(SEED_REPORTS.glob("*.txt")):
        if names is None or p.name in names:
            shutil.copy(p, target / p.name)
    return target
