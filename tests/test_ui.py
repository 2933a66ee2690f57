"""The UI starts from workspace.yaml and lists the asset graph (asked through its GraphQL API); in a
real browser, it serves one warehouse's runs and materializes what is asked."""

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
from helpers import PROJECT_ROOT, build_json, copy_seeds, zhibiao

QUERY = "{ assetNodes { assetKey { path } hasAssetChecks } }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_webserver_lists_assets(dagster_env):
    port = free_port()
    webserver = shutil.which("dagster-webserver") or str(Path(sys.executable).with_name("dagster-webserver"))
    process = subprocess.Popen([webserver, "-w", str(PROJECT_ROOT / "workspace.yaml"), "-h", "127.0.0.1",
                                "-p", str(port)], cwd=PROJECT_ROOT, env=dagster_env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        nodes = None
        while time.monotonic() < deadline:
            try:
                data = graphql(port, QUERY)
                nodes = data.get("data", {}).get("assetNodes")
                if nodes:
                    break
            except OSError:
                pass
            time.sleep(2)
        assert nodes, "the webserver did not serve the asset graph within 180 s"
        keys = {"/".join(n["assetKey"]["path"]) for n in nodes}
        assert {"raw/facts", "marts/fact_indicator", "marts/dim_region", "staging/stg_raw__facts"} <= keys
        assert any(n["hasAssetChecks"] for n in nodes if n["assetKey"]["path"] == ["marts", "fact_indicator"])
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_ui_of_a_warehouse_shows_only_its_runs_and_materialize_all_rebuilds(tmp_path, dagster_env, browser):
    """In a real browser: each warehouse has a Dagster instance of its own, so the UI serving A
    shows A's runs and row counts after builds of A and B; and Materialize all on an unchanged
    warehouse runs dbt and every check (skipping is for `zhibiao build`, the sensor and schedule)."""
    env = {k: v for k, v in dagster_env.items() if k != "DAGSTER_HOME"}
    env["ZHIBIAO_INSTANCES"] = str(tmp_path / "instances")
    builds = {}
    for name, reports in (("a", ["000_c75d5ffc208d1d0b.txt"]), ("b", ["002_0ff12cf94d2db451.txt"])):
        folder = copy_seeds(tmp_path / f"reports-{name}", reports)
        result = zhibiao("build", "--reports", str(folder), "--warehouse", str(tmp_path / f"{name}.duckdb"),
                         "--json", env=env)
        assert result.returncode == 0, result.stderr[-3000:]
        builds[name] = build_json(result)
    with duckdb.connect(str(tmp_path / "a.duckdb"), read_only=True) as con:
        rows = con.execute("select count(*) from marts.fact_indicator").fetchone()[0]
    home = next(p for p in (tmp_path / "instances").iterdir() if p.name.startswith("a.duckdb-"))

    port = free_port()
    with (tmp_path / "ui.log").open("w") as log:
        ui = subprocess.Popen([sys.executable, "-m", "orchestration.app.cli", "ui", "--warehouse",
                               str(tmp_path / "a.duckdb"), "--reports", str(tmp_path / "reports-a"),
                               "-h", "127.0.0.1", "-p", str(port)], cwd=PROJECT_ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_served(port)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/runs")
        page.wait_for_selector(f"text={builds['a']['run_id'][:8]}", timeout=60_000)
        assert builds["b"]["run_id"][:8] not in page.inner_text("body")
        page.goto(f"http://127.0.0.1:{port}/assets/marts/fact_indicator")
        page.wait_for_selector("text=Row count", timeout=60_000)
        assert re.search(rf"Row count\s+{rows:,}\b", page.inner_text("body"))

        page.goto(f"http://127.0.0.1:{port}/asset-groups")
        page.get_by_role("button", name="Materialize all").click()
        page.wait_for_selector("text=Launched run", timeout=60_000)
        page.close()
        run = wait_for_ui_run(home, env)
        assert run["status"] == "SUCCESS", run
        assert "marts/fact_indicator" in run["materialized"]
        assert run["checks"] == builds["a"]["checks_passed"] + builds["a"]["checks_failed"] + \
            builds["a"]["checks_warned"]
    finally:
        ui.send_signal(signal.SIGTERM)
        ui.wait(timeout=60)


def wait_until_served(port: int, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if graphql(port, "{ version }").get("data"):
                return
        time.sleep(2)
    raise AssertionError(f"the UI did not start within {seconds} s")


RUN_FROM_UI = """
import json, sys, time
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter
instance = DagsterInstance.get()
deadline = time.monotonic() + float(sys.argv[1])
while time.monotonic() < deadline:
    runs = instance.get_runs(RunsFilter(tags={"dagster/from_ui": "true"}))
    if runs and runs[0].is_finished:
        break
    time.sleep(2)
run = runs[0]
def events(kind):
    return [r.event_log_entry.dagster_event for r in
            instance.get_records_for_run(run.run_id, of_type=kind, limit=100000).records]
print(json.dumps({"status": run.status.value,
                  "materialized": sorted({e.asset_key.to_user_string()
                                          for e in events(DagsterEventType.ASSET_MATERIALIZATION)}),
                  "checks": len(events(DagsterEventType.ASSET_CHECK_EVALUATION))}))
"""


def wait_for_ui_run(home: Path, env: dict[str, str], seconds: float = 600) -> dict:
    """The run the UI launched in the instance at `home`, once finished: status, assets, checks."""
    done = subprocess.run([sys.executable, "-c", RUN_FROM_UI, str(seconds)], env={**env, "DAGSTER_HOME": str(home)},
                          capture_output=True, text=True, cwd=PROJECT_ROOT, check=True, timeout=seconds + 120)
    return json.loads(done.stdout.splitlines()[-1])


def test_each_warehouse_has_an_instance_of_its_own_unless_dagster_home_names_one(tmp_path, monkeypatch):
    from orchestration.app.environment import instance_home, prepare_environment
    from orchestration.warehouse.address import WarehouseAddress

    monkeypatch.setenv("ZHIBIAO_INSTANCES", str(tmp_path / "instances"))
    addresses = [WarehouseAddress.parse(tmp_path / "a.duckdb"), WarehouseAddress.parse(tmp_path / "b" / "a.duckdb"),
                 WarehouseAddress.parse(f"ducklake:sqlite:{tmp_path}/a.sqlite"),
                 WarehouseAddress.parse("ducklake:postgres:dbname=zb host=/tmp/pg", tmp_path / "data")]
    homes = [instance_home(a) for a in addresses]
    assert len(set(homes)) == 4 and all(h.parent == tmp_path / "instances" for h in homes)
    assert homes[0] == instance_home(WarehouseAddress.parse(tmp_path / "a.duckdb"))  # chosen the same way each time
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert prepare_environment(addresses[2]) == homes[2]
    # The daemon's queue takes as many runs at once as the warehouse does: a lake's runs over
    # different folders ingest at once, a file's run one at a time.
    assert run_limit(homes[2]) == 4
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert prepare_environment(addresses[0]) == homes[0] and run_limit(homes[0]) == 1
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "shared"))
    assert prepare_environment(addresses[2]) == tmp_path / "shared"
    assert run_limit(tmp_path / "shared") == 1  # an instance a user names may serve any warehouse


def run_limit(home: Path) -> int:
    """The run queue's limit of the Dagster instance at `home`, as Dagster reads its dagster.yaml."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)) as instance:
        return instance.get_concurrency_config().run_queue_config.max_concurrent_runs


def test_a_ui_fails_the_runs_a_stopped_ui_left_unfinished_and_spares_a_builds(tmp_path, monkeypatch):
    import dagster as dg
    from dagster._core.storage.dagster_run import DagsterRun

    from orchestration.app.build import release_abandoned_runs, release_orphaned_ui_runs
    from orchestration.lib.concurrency import CLI_RUN_TAG, HOST_TAG, PID_TAG

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with dg.DagsterInstance.get() as instance:
        left = instance.add_run(DagsterRun(job_name="build_warehouse", status=dg.DagsterRunStatus.STARTED))
        build = instance.add_run(DagsterRun(job_name="build_warehouse", status=dg.DagsterRunStatus.STARTED,
                                            tags={CLI_RUN_TAG: "cli", PID_TAG: str(os.getpid())}))
        done = instance.add_run(DagsterRun(job_name="build_warehouse", status=dg.DagsterRunStatus.SUCCESS))
        assert release_orphaned_ui_runs(instance) == [left.run_id]
        # A build whose process is gone is released, on this machine only: another machine sharing
        # the instance has processes this one cannot see.
        dead_here, elsewhere = (instance.add_run(DagsterRun(
            job_name="build_warehouse", status=dg.DagsterRunStatus.STARTED,
            tags={CLI_RUN_TAG: "cli", PID_TAG: "999999999", HOST_TAG: host})) for host in (socket.gethostname(), "x"))
        assert release_abandoned_runs(instance) == [dead_here.run_id]
        assert instance.get_run_by_id(elsewhere.run_id).status == dg.DagsterRunStatus.STARTED
        statuses = {r: instance.get_run_by_id(r).status for r in (left.run_id, build.run_id, done.run_id)}
    assert statuses == {left.run_id: dg.DagsterRunStatus.FAILURE, build.run_id: dg.DagsterRunStatus.STARTED,
                        done.run_id: dg.DagsterRunStatus.SUCCESS}
