"""Faults: builds killed at any point, builds started at once, and determinism."""

import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pytest
from helpers import PROJECT_ROOT, build_json, copy_seeds, zhibiao

REPORTS = ["000_c75d5ffc208d1d0b.txt", "002_0ff12cf94d2db451.txt"]


def start_build(folder, warehouse, env, *extra):
    return subprocess.Popen([sys.executable, "-m", "orchestration.app.cli", "build", "--reports", str(folder),
                             "--warehouse", str(warehouse), "--json", "--verbose", *extra],
                            cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_log(process, marker):
    """Wait until `marker` first appears in the log of `process`; its log lines so far and later.
    The log is read to its end in a thread, so a build never blocks on a full pipe."""
    seen = threading.Event()
    lines = []

    def read():
        for line in process.stderr:
            lines.append(line)
            if marker in line:
                seen.set()

    threading.Thread(target=read, daemon=True).start()
    if not seen.wait(timeout=180):
        process.kill()
        raise AssertionError(f"marker {marker!r} never appeared:\n{''.join(lines)[-3000:]}")
    return lines


def kill_when(process, marker, delay):
    """SIGKILL `process` `delay` seconds after `marker` first appears in its log; True if killed."""
    wait_for_log(process, marker)
    time.sleep(delay)
    killed = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    return killed


def assert_consistent(warehouse):
    """Readable; every loaded document has its facts; the marts, if any, join up."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {r[0] for r in con.execute(
            "select table_schema || '.' || table_name from information_schema.tables").fetchall()}
        if "raw.documents" in tables:
            orphans = con.execute("""select count(*) from raw.documents d
                                     where not exists (select 1 from raw.facts f
                                                       where f.document_id = d.document_id)""").fetchone()[0]
            assert orphans == 0
        if "marts.fact_indicator" in tables:
            total, joined = con.execute("""
                select (select count(*) from marts.fact_indicator),
                       (select count(*) from marts.fact_indicator f
                        join marts.dim_document d on d.document_key = f.document_key
                        join marts.dim_indicator i on i.indicator_key = f.indicator_key
                        join marts.dim_region r on r.region_key = f.region_key)""").fetchone()
            assert total == joined


def facts_output(warehouse):
    return zhibiao("facts", "--warehouse", str(warehouse), check=True).stdout


@pytest.fixture(scope="module")
def clean_facts(tmp_path_factory, dagster_env):
    root = tmp_path_factory.mktemp("clean")
    folder = copy_seeds(root / "reports", REPORTS)
    warehouse = root / "wh.duckdb"
    zhibiao("build", "--reports", str(folder), "--warehouse", str(warehouse), env=dagster_env, check=True)
    return facts_output(warehouse)


@pytest.mark.parametrize("marker, delay", [
    ("STEP_START - Started execution of step \"raw_reports\"", 0.3),   # while extracting / loading raw
    ("files seen:", 0.0),                                             # right after the raw transaction
    ("STEP_START - Started execution of step \"warehouse_models\"", 8.0),  # while dbt builds its copy
    ("STEP_START - Started execution of step \"marts__fact_indicator", 0.0),  # during the checks
])
def test_killed_build_leaves_a_consistent_warehouse(tmp_path, dagster_env, clean_facts, seed_build, marker, delay):
    folder = copy_seeds(tmp_path / "reports", REPORTS)
    warehouse = tmp_path / "wh.duckdb"
    # A first, complete build of one report: the state a killed build must not damage.
    zhibiao("build", "--reports", str(copy_seeds(tmp_path / "one", REPORTS[:1])), "--warehouse", str(warehouse),
            env=dagster_env, check=True)
    before = facts_output(warehouse)
    process = start_build(folder, warehouse, dagster_env)
    kill_when(process, marker, delay)
    assert_consistent(warehouse)
    after_kill = facts_output(warehouse)
    # The marts are either the previous build's or the new one's, never a mix.
    assert after_kill in (before, clean_facts)
    again = zhibiao("build", "--reports", str(folder), "--warehouse", str(warehouse), "--json", env=dagster_env)
    assert again.returncode == 0, again.stderr[-3000:]
    assert facts_output(warehouse) == clean_facts
    # Whenever the kill came, the marts the next build leaves have been checked: every check ran.
    assert checks_run(build_json(again)) == checks_run(seed_build[0])


def checks_run(summary):
    return summary["checks_passed"] + summary["checks_failed"] + summary["checks_warned"]


def test_second_build_at_once_stops_with_a_clear_message(tmp_path, dagster_env, clean_facts):
    folder = copy_seeds(tmp_path / "reports", REPORTS)
    warehouse = tmp_path / "wh.duckdb"
    first = start_build(folder, warehouse, dagster_env)
    time.sleep(1.0)
    while "building" not in (first.stderr.readline() if first.poll() is None else "building"):
        pass
    second = zhibiao("build", "--reports", str(folder), "--warehouse", str(warehouse), "--json", "--wait", "0",
                     env=dagster_env)
    assert second.returncode == 3
    assert "another zhibiao build is writing" in second.stderr
    assert build_json(second)["success"] is False
    out, _ = first.communicate(timeout=600)
    assert first.returncode == 0
    assert facts_output(warehouse) == clean_facts


def test_second_build_waits_and_both_succeed(tmp_path, dagster_env, clean_facts):
    folder = copy_seeds(tmp_path / "reports", REPORTS)
    warehouse = tmp_path / "wh.duckdb"
    first = start_build(folder, warehouse, dagster_env)
    second = start_build(folder, warehouse, dagster_env)
    # Drain both at once: the build that waits must not block on a full pipe of the other.
    with ThreadPoolExecutor(max_workers=2) as pool:
        (out1, err1), (out2, err2) = pool.map(lambda p: p.communicate(timeout=900), (first, second))
    assert first.returncode == 0 and second.returncode == 0, err1[-2000:] + err2[-2000:]
    extracted = sorted([build_json(subprocess.CompletedProcess([], 0, out1, ""))["reports_extracted"],
                        build_json(subprocess.CompletedProcess([], 0, out2, ""))["reports_extracted"]])
    assert extracted == [0, 2]  # one build did the work; the one that waited found nothing new
    assert facts_output(warehouse) == clean_facts


def test_two_builds_give_byte_identical_facts(tmp_path, dagster_env, clean_facts):
    folder = copy_seeds(tmp_path / "reports", REPORTS)
    warehouse = tmp_path / "other.duckdb"
    zhibiao("build", "--reports", str(folder), "--warehouse", str(warehouse), env=dagster_env, check=True)
    assert facts_output(warehouse) == clean_facts
