"""Shared fixtures: a warehouse built once from the seed reports into a temporary directory."""

from __future__ import annotations

import os
import shutil
import subprocess

import duckdb
import pytest
from helpers import MEASURED, SEED_REPORTS, SHARED, build_json, zhibiao


def pytest_configure(config):
    # The Dagster definitions read dbt's manifest; a fresh clone has none until dbt parses once.
    from orchestration.app.environment import ensure_dbt_manifest

    ensure_dbt_manifest()


# Fixtures that build a warehouse through Dagster and dbt (or start the UI): a test that uses one
# is an integration test, whether or not it says so. `uv run pytest -m "not integration"` is the
# fast loop (about a minute); the full suite takes about half an hour on two cores.
INTEGRATION_FIXTURES = {"seed_build", "seed_db", "dagster_env", "development_build"}


def pytest_terminal_summary(terminalreporter):
    # Figures a test measured (the indicator mapper's precision and coverage on the checked table).
    for name, figures in MEASURED.items():
        terminalreporter.write_line(f"{name}: {figures}")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if INTEGRATION_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Playwright: Debian's chromium, installed here when missing (as
    root, with apt); skipped with the reason when none can be had. Playwright's own browser download
    is not used: this machine reaches package registries only."""
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or install_debian_chromium()
    if chromium is None:
        pytest.skip("no Chromium: /usr/bin/chromium is missing and `apt-get install chromium` is not possible here")
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium, args=CHROMIUM_OFFLINE_ARGS)
        try:
            yield launched
        finally:
            launched.close()


# Without these Chromium keeps trying to reach Google's services, which this machine's network refuses.
CHROMIUM_OFFLINE_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def install_debian_chromium() -> str | None:
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return None
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env, **quiet)
    return shutil.which("chromium")


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


@pytest.fixture(scope="session")
def development_build(tmp_path_factory, dagster_env):
    """(summary, warehouse path, report names) of one build of every development report: the seeds
    and `../shared/wide`, in one folder, as an analyst comparing regions would build them."""
    wide = SHARED / "wide" / "reports"
    if not wide.is_dir():
        pytest.skip("needs ../shared/wide")
    reports = tmp_path_factory.mktemp("development_reports")
    for path in [*SEED_REPORTS.glob("*.txt"), *wide.glob("*.txt")]:
        shutil.copy(path, reports / path.name)
    warehouse = tmp_path_factory.mktemp("development") / "zhibiao.duckdb"
    result = zhibiao("build", "--reports", str(reports), "--warehouse", str(warehouse), "--json", env=dagster_env)
    summary = build_json(result)
    assert summary["reports_extracted"] == len(list(reports.iterdir())), result.stderr[-3000:]
    return summary, warehouse, sorted(p.name for p in reports.iterdir())


@pytest.fixture()
def seed_db(seed_build):
    _, warehouse = seed_build
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()
