"""The DuckLake warehouse: addresses, the same facts as the DuckDB file on a SQLite and a PostgreSQL
catalog, readers during builds, killed builds, writers at once and snapshots."""

import contextlib
import json
import multiprocessing
import re
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import dagster as dg
import pytest
from helpers import (
    PROJECT_ROOT,
    SEED_REPORTS,
    build_json,
    copy_seeds,
    create_postgres_database,
    local_postgres,
    local_s3_server,
    zhibiao,
)
from test_faults import checks_run, kill_when, start_build, wait_for_log

from orchestration.app.cli import split_ui_arguments
from orchestration.defs.automation import daily_refresh, make_report_folder_sensor
from orchestration.ingest import raw_writes
from orchestration.ingest.batch import build_batch
from orchestration.ingest.folder import scan_folder
from orchestration.lib.concurrency import INGEST_POOL, PID_TAG, runs_ingesting, wait_for_ingests
from orchestration.readers.query import QueryRefused, run_read_only
from orchestration.warehouse import lake
from orchestration.warehouse.address import ADDRESS_VARIABLE, AddressError, WarehouseAddress
from orchestration.warehouse.backends import FileBackend, LakeBackend, backend_for, connect
from orchestration.warehouse.connection import LAKE_RAW_DDL, transaction
from orchestration.warehouse.lake import mark_published, published_snapshot

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
from generate import generate  # noqa: E402 - the benchmark corpus generator, not a package

EDITED = "003_95eefe6b59f03fdd.txt"


def lake_sql(address, query, *extra, env=None):
    """`zhibiao sql` on a lake, as CSV rows after the header."""
    result = zhibiao("sql", query, "--warehouse", address, "--format", "csv", *extra, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.splitlines()[1:]


def facts(address, *extra):
    return zhibiao("facts", "--warehouse", address, *extra, check=True).stdout


def build(folder, address, env, *extra):
    result = zhibiao("build", "--reports", str(folder), "--warehouse", address, "--json", *extra, env=env)
    assert result.returncode == 0, result.stderr[-5000:]
    return build_json(result)


def seed_facts_of(seed_build, names):
    """The file warehouse's facts of the seed reports `names`, as `zhibiao facts` prints them."""
    lines = facts(str(seed_build[1])).splitlines(keepends=True)
    return "".join(line for line in lines if json.loads(line)["doc"] in names)


# Addresses ---------------------------------------------------------------------------------------

def test_addresses_are_parsed_with_their_data_path(tmp_path):
    file = WarehouseAddress.parse(tmp_path / "wh.duckdb")
    assert (file.catalog, file.location) == ("file", str(tmp_path / "wh.duckdb"))
    assert isinstance(backend_for(file), FileBackend)
    sqlite = WarehouseAddress.parse(f"ducklake:sqlite:{tmp_path}/lake.sqlite")
    assert (sqlite.catalog, sqlite.data_path) == ("sqlite", f"{tmp_path}/lake.sqlite.files/")
    assert str(sqlite) == f"ducklake:sqlite:{tmp_path}/lake.sqlite"
    moved = WarehouseAddress.parse(f"ducklake:sqlite:{tmp_path}/lake.sqlite", tmp_path / "data")
    assert moved.data_path == f"{tmp_path}/data/"
    postgres = WarehouseAddress.parse("ducklake:postgres:dbname=zb host=/tmp/pg password=secret", "s3://bucket/zb/")
    assert (postgres.catalog, postgres.location, postgres.data_path) == (
        "postgres", "dbname=zb host=/tmp/pg password=secret", "s3://bucket/zb/")
    assert "secret" not in postgres.label
    assert isinstance(backend_for(sqlite), LakeBackend) and isinstance(backend_for(postgres), LakeBackend)


def test_each_warehouse_draws_its_charts_into_a_folder_of_its_own(tmp_path):
    file = WarehouseAddress.parse(tmp_path / "zb.duckdb")
    other = WarehouseAddress.parse(tmp_path / "zb2.duckdb")
    lake = WarehouseAddress.parse(f"ducklake:sqlite:{tmp_path}/zb.sqlite")
    one, two = (WarehouseAddress.parse(f"ducklake:postgres:dbname={name} host=/tmp/pg", tmp_path / "data")
                for name in ("a", "b"))
    folders = [w.charts_folder for w in (file, other, lake, one, two)]
    assert len(set(folders)) == 5
    assert file.charts_folder == tmp_path / "charts" / "zb.duckdb"
    assert all(folder.parent == tmp_path / "charts" for folder in folders)


@pytest.mark.parametrize("text, data_path, says", [
    ("ducklake:mysql:db", None, "ducklake:sqlite:PATH or ducklake:postgres:CONNINFO"),
    ("ducklake:sqlite:", None, "ducklake:sqlite:PATH"),
    ("warehouse/zb.duckdb", "/tmp/data", "applies to a DuckLake"),
])
def test_unusable_addresses_are_refused_with_the_way_to_write_one(text, data_path, says):
    with pytest.raises(AddressError, match=says):
        WarehouseAddress.parse(text, data_path)


def test_the_cli_names_a_bad_address_and_a_file_without_snapshots(tmp_path):
    # No data path given and no catalog to read it from (no server answers on that socket).
    bad = zhibiao("sql", "select 1", "--warehouse", f"ducklake:postgres:dbname=zb host={tmp_path} password=hush")
    assert bad.returncode == 2 and "needs --data-path" in bad.stderr and "hush" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    file = tmp_path / "wh.duckdb"
    with connect(file) as con:
        con.execute("create table t as select 1 as x")
    refused = zhibiao("sql", "select * from t", "--warehouse", str(file), "--at-snapshot", "1")
    assert refused.returncode == 2 and "keeps no snapshots" in refused.stderr


# A small lake, without Dagster: snapshots, the published one, and the read-only sandbox ------------

@pytest.fixture()
def small_lake(tmp_path):
    """A SQLite lake holding one value, published, then a second value committed but not published."""
    address = WarehouseAddress.parse(f"ducklake:sqlite:{tmp_path}/lake.sqlite")
    _publish_one_rate(address)
    with connect(address) as con:
        first = published_snapshot(con)
        con.execute("update marts.rate set value = 2.61")  # committed, never published
    return address, first


def _publish_one_rate(address):
    """marts.rate of a new lake, holding one value, published."""
    with connect(address) as con:
        con.execute("create schema marts")
        con.execute("create table marts.rate (region varchar, value decimal(10, 2))")
        with transaction(con):
            mark_published(con, "test")
            con.execute("insert into marts.rate values ('贵阳市', 2.58)")


def test_readers_read_the_published_snapshot_not_a_stage_half_done(small_lake):
    address, first = small_lake
    assert run_read_only(address, "select value from rate").rows == [(Decimal("2.58"),)]
    with connect(address) as writer:
        assert writer.execute("select value from marts.rate").fetchall() == [(Decimal("2.61"),)]
    newest = run_read_only(address, "select max(snapshot_id) from zhibiao.snapshots()").rows[0][0]
    assert run_read_only(address, "select value from rate", snapshot=first).rows == [(Decimal("2.58"),)]
    # Time travel reads published snapshots only, unless asked to read half a stage.
    with pytest.raises(AddressError, match=f"snapshot {newest} .* was not published"):
        run_read_only(address, "select value from rate", snapshot=newest)
    assert run_read_only(address, "select value from rate", snapshot=newest, unpublished=True).rows == [
        (Decimal("2.61"),)]
    later = datetime.now(UTC)
    assert run_read_only(address, "select value from rate", at=later).rows == [(Decimal("2.58"),)]
    assert run_read_only(address, "select value from rate", at=later, unpublished=True).rows == [
        (Decimal("2.61"),)]
    with pytest.raises(AddressError, match="had published anything by 2020"):
        run_read_only(address, "select value from rate", at=datetime(2020, 1, 1, tzinfo=UTC))


def test_snapshots_lists_the_published_ones_and_sql_refuses_the_others_in_one_line(small_lake):
    address, first = small_lake
    listed = zhibiao("snapshots", "--warehouse", str(address), "--format", "json", check=True).stdout
    assert [json.loads(line)["snapshot_id"] for line in listed.splitlines()] == [first]
    every = zhibiao("snapshots", "--warehouse", str(address), "--all", "--format", "json", check=True).stdout
    rows = [json.loads(line) for line in every.splitlines()]
    unpublished = [r["snapshot_id"] for r in rows if not r["published"]]
    assert len(rows) > 1 and first not in unpublished and unpublished
    refused = zhibiao("sql", "select value from rate", "--warehouse", str(address), "--at-snapshot",
                      str(unpublished[-1]))
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "was not published" in refused.stderr and "--unpublished" in refused.stderr
    forced = zhibiao("sql", "select value from rate", "--warehouse", str(address), "--at-snapshot",
                     str(unpublished[-1]), "--unpublished", "--format", "csv", check=True)
    assert forced.stdout.splitlines()[1:] == ["2.61"]


# Issue 27 items 3-5: a lake query is checked by allowing (select, reading table functions, DuckDB's
# own functions), since the SQLite extension and DuckLake's maintenance calls ignore the sandbox.
LAKE_ESCAPES = [
    "attach '{outside}/new.db' as other (type sqlite)",  # creates or changes a file anywhere
    "select * from sqlite_scan('{outside}/secret.db', 'secret')",  # another program's database
    "call sqlite_attach('{outside}/secret.db')",
    "detach zhibiao",
    "attach 'ducklake:{catalog}' as writable (data_path '{data}')",  # the lake again, writable
    "prepare p as copy rate to '{data}x.parquet'",  # overwrites a live data file when executed
    "execute p",
    "copy rate to '{outside}/out.csv'",
    "copy rate to '{data}x.parquet'",
    "export database '{outside}/dump'",
    "attach '{data}new.duckdb' as inside",
    "checkpoint",
    "call zhibiao.merge_adjacent_files()",
    "call ducklake_cleanup_old_files('zhibiao', cleanup_all => true)",
    "select * from ducklake_expire_snapshots('zhibiao', older_than => now())",
    "select * from query($$copy rate to '{outside}/q.csv'$$)",
    "select * from read_text('/etc/hostname')",
    "select * from read_parquet('{data}**/*.parquet')",
    "select * from glob('{outside}/*')",
    "set enable_external_access = true",
    "reset allowed_directories",
    "pragma profiling_output = '{outside}/profile.json'",
    "install sqlite",
    "load postgres",
    "create temp table t as select 1",
    "insert into rate values ('兰州市', 3.0)",
    "update rate set value = 0",
    "delete from rate",
    "drop table rate",
    "use memory",
    "select 1; copy rate to '{outside}/second.csv'",
]
# A DuckDB file opened read-only: a checkpoint has nothing to write and a temporary table lives in
# memory; neither touches a file (the test compares the warehouse's bytes).
HARMLESS_ON_A_READ_ONLY_FILE = {"checkpoint", "create temp table t as select 1"}
LAKE_READS = {
    "select value from rate": [(Decimal("2.58"),)],
    "select region from rate where value > 2 order by 1": [("贵阳市",)],
    "show tables": [("rate",)],
    "pivot rate on region in ('贵阳市') using sum(value)": [(Decimal("2.58"),)],
    "select upper(region), row_number() over () from rate": [("贵阳市", 1)],
    "select count(*) > 0 from zhibiao.snapshots()": [(True,)],
    "select count(*) from (describe rate)": [(2,)],
}


@pytest.fixture(params=["sqlite", "postgres", "file"])
def small_lake_of_each_catalog(request, tmp_path):
    """small_lake's published value on each catalog kind, and in a DuckDB file (whose sandbox is
    DuckDB's own settings): (address, a lake's catalog as written after ducklake:)."""
    if request.param == "file":
        address = WarehouseAddress.parse(tmp_path / "wh.duckdb")
        with connect(address) as con:
            con.execute("create schema marts")
            con.execute("create table marts.rate as select '贵阳市' as region, 2.58::decimal(10, 2) as value")
        return address, f"sqlite:{tmp_path}/lake.sqlite"
    if request.param == "sqlite":
        catalog = f"sqlite:{tmp_path}/lake.sqlite"
        address = WarehouseAddress.parse(f"ducklake:{catalog}")
    else:
        conninfo = create_postgres_database(request.getfixturevalue("postgres_catalog"), "escapes")
        catalog = f"postgres:{conninfo}"
        address = WarehouseAddress.parse(f"ducklake:{catalog}", tmp_path / "data")
    _publish_one_rate(address)
    return address, catalog


def _lake_state(address):
    """The lake's rows, snapshots and data files (name, size), as a writer sees them; a file's bytes."""
    if not address.catalog != "file":
        return address.file.read_bytes()
    with connect(address) as con:
        rows = con.execute("select * from marts.rate").fetchall()
        snapshots = con.execute("select count(*) from zhibiao.snapshots()").fetchone()[0]
    on_disk = sorted((p.name, p.stat().st_size) for p in Path(address.data_path).rglob("*") if p.is_file())
    return rows, snapshots, on_disk


def test_sql_on_a_lake_refuses_every_escape_and_answers_reads(small_lake_of_each_catalog, tmp_path):
    address, catalog = small_lake_of_each_catalog
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = sqlite3.connect(outside / "secret.db")
    secret.execute("create table secret (x)")
    secret.execute("insert into secret values ('not yours')")
    secret.commit()
    secret.close()
    before = _lake_state(address)
    data = address.data_path if address.catalog != "file" else f"{tmp_path}/"
    for escape in LAKE_ESCAPES:
        query = escape.format(outside=outside, data=data, catalog=catalog)
        if not address.catalog != "file" and escape in HARMLESS_ON_A_READ_ONLY_FILE:
            run_read_only(address, query)  # runs, and the file's bytes are checked below
            continue
        with pytest.raises(QueryRefused) as refused:
            run_read_only(address, query)
        assert "\n" not in str(refused.value), escape
    assert sorted(p.name for p in outside.iterdir()) == ["secret.db"]
    assert _lake_state(address) == before
    for query, rows in LAKE_READS.items():
        if address.catalog != "file" or "zhibiao." not in query:
            assert run_read_only(address, query).rows == rows, query


# Builds on a lake ----------------------------------------------------------------------------------

def test_seeds_on_a_sqlite_lake_give_the_facts_of_the_file(tmp_path, dagster_env, seed_build):
    address = f"ducklake:sqlite:{tmp_path}/catalog.sqlite"
    summary = build(SEED_REPORTS, address, dagster_env)
    assert summary["success"] and summary["checks_failed"] == 0 and summary["facts"] == seed_build[0]["facts"]
    assert facts(address) == facts(str(seed_build[1]))
    # The data are Parquet files in the default data folder beside the catalog.
    assert list((tmp_path / "catalog.sqlite.files").rglob("*.parquet"))
    assert lake_sql(address, """select f.value from fact_indicator f join dim_region r using (region_key)
                                where r.region_name = '贵阳市' and f.number_text = '2492元'""") == ["2492"]
    # Every staging model read the raw tables at the snapshot the ingest published (macro raw_source).
    ingest = lake_sql(address, "select max(snapshot_id) from zhibiao.snapshots() where commit_extra_info = 'ingest'")
    pins = lake_sql(address, r"""select distinct regexp_extract(sql, 'AT \(VERSION => (\d+)\)', 1)
                                 from duckdb_views() where view_name like 'stg_raw%'""")
    assert pins == ingest and len(pins) == 1
    # The indicator listing reads a lake through the same sandbox as `sql`, and says what the file says.
    listing = zhibiao("indicators", "就业", "--warehouse", address, env=dagster_env)
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout == zhibiao("indicators", "就业", "--warehouse", str(seed_build[1]), check=True).stdout
    # Nothing changed: the next build skips dbt, as on a file.
    assert build(SEED_REPORTS, address, dagster_env)["marts_rebuilt"] is False


def test_readers_never_fail_during_a_build_and_see_the_edit_after_it(tmp_path, dagster_env):
    folder = copy_seeds(tmp_path / "reports", ["000_c75d5ffc208d1d0b.txt", EDITED])
    address = f"ducklake:sqlite:{tmp_path}/catalog.sqlite"
    build(folder, address, dagster_env)
    current = """select number_text from fact_indicator
                 where number_text in ('4.59万人', '4.61万人') and is_current"""
    assert lake_sql(address, current) == ["4.59万人"]
    before = lake_sql(address, "select max(snapshot_id) from zhibiao.snapshots()")[0]

    report = folder / EDITED
    report.write_text(report.read_text(encoding="utf-8").replace("4.59万人", "4.61万人", 1), encoding="utf-8")
    polls: list[subprocess.CompletedProcess] = []
    done = threading.Event()

    def poll():
        while not done.is_set():
            polls.append(zhibiao("sql", current, "--warehouse", address, "--format", "csv", env=dagster_env))
            time.sleep(1)

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        second = build(folder, address, dagster_env)
    finally:
        done.set()
        reader.join()
    assert (second["reports_extracted"], second["marts_rebuilt"]) == (1, True)
    assert len(polls) >= 3
    assert [p.returncode for p in polls if p.returncode] == [], [p.stderr for p in polls if p.returncode][:1]
    # Each reader saw the old value or the new one, never none or both.
    assert {tuple(p.stdout.splitlines()[1:]) for p in polls} <= {("4.59万人",), ("4.61万人",)}
    assert lake_sql(address, current) == ["4.61万人"]
    # The lake as it was before the second build still holds the old value.
    assert lake_sql(address, current, "--at-snapshot", before) == ["4.59万人"]


def test_a_build_killed_during_dbt_leaves_the_previous_marts_and_the_next_completes(
        tmp_path, dagster_env, seed_build):
    names = ["000_c75d5ffc208d1d0b.txt", "002_0ff12cf94d2db451.txt"]
    address = f"ducklake:sqlite:{tmp_path}/catalog.sqlite"
    build(copy_seeds(tmp_path / "one", names[:1]), address, dagster_env)
    before = facts(address)
    assert before == seed_facts_of(seed_build, names[:1])

    folder = copy_seeds(tmp_path / "one", names[1:])  # the same folder, with one report more
    process = start_build(folder, address, dagster_env)
    assert kill_when(process, 'STEP_START - Started execution of step "warehouse_models"', 10.0)
    # Readers get the last published snapshot: the marts of the first build, whole.
    assert facts(address) == before
    build(folder, address, dagster_env)
    assert facts(address) == seed_facts_of(seed_build, names)


def test_a_build_killed_during_its_checks_leaves_the_next_build_to_run_them(tmp_path, dagster_env, seed_build):
    address = f"ducklake:sqlite:{tmp_path}/catalog.sqlite"
    folder = copy_seeds(tmp_path / "two", ["000_c75d5ffc208d1d0b.txt", "002_0ff12cf94d2db451.txt"])
    process = start_build(folder, address, dagster_env)
    # The marts are published before their checks: the kill leaves them in place, unchecked.
    assert kill_when(process, 'STEP_START - Started execution of step "marts__fact_indicator', 0.0)
    again = build(folder, address, dagster_env)
    assert again["marts_rebuilt"] is True
    assert checks_run(again) == checks_run(seed_build[0])
    # Once checked, the marts are not built again.
    assert build(folder, address, dagster_env)["marts_rebuilt"] is False


def test_two_builds_into_one_lake_at_once_lose_nothing(tmp_path, dagster_env, seed_build):
    address = f"ducklake:sqlite:{tmp_path}/catalog.sqlite"
    names = sorted(p.name for p in SEED_REPORTS.glob("*.txt"))
    folders = [copy_seeds(tmp_path / "a", names[:2]), copy_seeds(tmp_path / "b", names[2:])]
    processes = [start_build(folder, address, dagster_env) for folder in folders]
    outcomes = [process.communicate(timeout=900) for process in processes]
    for process, (_, stderr) in zip(processes, outcomes, strict=True):
        assert process.returncode == 0, stderr[-3000:]
    # Neither build flagged the other's files as removed: every seed's facts are current.
    assert facts(address) == facts(str(seed_build[1]))
    assert lake_sql(address, "select count(*) from raw.document_sources where removed_at is not null") == ["0"]


def _ingest_when_both_scanned(address, folder, spool, both_scanned, both_open):
    """One writer of the test below, in a process of its own: scan, wait for the other writer to
    have scanned too, then write; with `both_open`, wait inside the transaction as well."""
    batch = build_batch(scan_folder(folder), set(), spool, workers=1)
    both_scanned.wait()
    if both_open is not None:
        publish = lake.mark_published
        waited = []

        def mark_published_then_wait(con, stage):
            publish(con, stage)
            if not waited:  # a retry does not wait
                waited.append(True)
                both_open.wait()

        lake.mark_published = mark_published_then_wait
    with connect(address) as con:
        raw_writes.apply_batch(con, batch, backend_for(address), str(folder))


@pytest.mark.parametrize("catalog, second_name", [
    ("sqlite", "shared.txt"), ("sqlite", "same bytes, other name.txt"), ("postgres", "shared.txt"),
])
def test_two_lake_ingests_of_one_report_at_once_store_it_once(tmp_path, request, catalog, second_name):
    """Issue 27 item 6: two writers whose folders share a report (the same file, or the same bytes
    under another name) both scan before either writes; on PostgreSQL both transactions are open
    before either commits (SQLite's catalog lock lets one open at a time). The report is stored once."""
    if catalog == "sqlite":
        address = WarehouseAddress.parse(f"ducklake:sqlite:{tmp_path}/lake.sqlite")
    else:
        conninfo = create_postgres_database(request.getfixturevalue("postgres_catalog"), "shared_report")
        address = WarehouseAddress.parse(f"ducklake:postgres:{conninfo}", tmp_path / "data")
    text = (SEED_REPORTS / "004_a7fc59496351468e.txt").read_bytes()
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder, name in zip(folders, ["shared.txt", second_name], strict=True):
        folder.mkdir()
        (folder / name).write_bytes(text)
        (tmp_path / f"spool-{folder.name}").mkdir()
    with connect(address) as con:  # the raw tables exist, as after a first build
        con.execute(LAKE_RAW_DDL)
    processes = multiprocessing.get_context("fork")
    both_scanned = processes.Barrier(2, timeout=60)
    both_open = processes.Barrier(2, timeout=60) if catalog == "postgres" else None
    writers = [processes.Process(target=_ingest_when_both_scanned,
                                 args=(address, folder, tmp_path / f"spool-{folder.name}", both_scanned, both_open))
               for folder in folders]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(180)
    assert [writer.exitcode for writer in writers] == [0, 0]
    with connect(address) as con:
        documents = con.execute("select count(*), count(distinct document_id) from raw.documents").fetchone()
        facts = con.execute("select count(*), count(distinct (document_id, fact_index)) from raw.facts").fetchone()
        sources = con.execute("select count(*) from raw.document_sources where valid_to is null").fetchone()[0]
    assert documents == (1, 1)
    assert facts[0] == facts[1] > 10
    assert sources == (1 if second_name == "shared.txt" else 2)


def test_a_dbt_step_waits_for_another_runs_ingest_and_builds_it_in_one_dbt_run(tmp_path, dagster_env, seed_build):
    """Two builds into one lake: the small one reaches its dbt step while the large one is still
    ingesting. Its dbt waits for that ingest, builds both folders, and the large build's dbt finds
    nothing changed: two writers, one dbt run."""
    address = f"ducklake:sqlite:{tmp_path}/catalog.sqlite"
    large = generate(2000, tmp_path / "large")[0].parent  # a generated corpus (benchmarks/generate.py)
    small = copy_seeds(tmp_path / "small", ["002_0ff12cf94d2db451.txt"])
    ingesting = start_build(large, address, dagster_env)
    log = wait_for_log(ingesting, 'STEP_START - Started execution of step "raw_reports"')
    small_summary = build(small, address, dagster_env)
    assert ingesting.wait(timeout=900) == 0, "".join(log)[-3000:]
    large_summary = json.loads(ingesting.stdout.read().strip().splitlines()[-1])
    assert small_summary["marts_rebuilt"] and not large_summary["marts_rebuilt"]
    # The small build's marts hold the large folder's documents: it built them after waiting.
    assert small_summary["facts"] == large_summary["facts"] > 100_000
    seed_lines = [line for line in facts(address).splitlines(keepends=True)
                  if json.loads(line)["doc"] == small.joinpath("002_0ff12cf94d2db451.txt").name]
    assert "".join(seed_lines) == seed_facts_of(seed_build, ["002_0ff12cf94d2db451.txt"])


def test_waiting_for_ingests_sees_live_runs_of_the_ingest_pool_only(tmp_path):
    """A real run claims the ingest pool; the wait ends when it releases it, gives up after its
    limit, and skips a run whose build process has died (a killed build leaves its slot claimed)."""
    release = threading.Event()

    @dg.op(pool=INGEST_POOL)
    def ingesting():
        release.wait(60)

    @dg.job
    def writer():
        ingesting()

    @contextlib.contextmanager
    def run_ingesting(instance, tags):
        """A run of `writer` in a thread, from when its step holds its slot until it is released."""
        release.clear()
        thread = threading.Thread(target=writer.execute_in_process, kwargs={"instance": instance, "tags": tags})
        thread.start()
        deadline = time.monotonic() + 60
        while not instance.event_log_storage.get_concurrency_info(INGEST_POOL).active_run_ids:
            assert time.monotonic() < deadline, "the run never claimed its slot"
            time.sleep(0.1)
        try:
            yield next(iter(instance.event_log_storage.get_concurrency_info(INGEST_POOL).active_run_ids))
        finally:
            release.set()
            thread.join()

    dead = subprocess.Popen(["true"])
    dead.wait()
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        instance.event_log_storage.set_concurrency_slots(INGEST_POOL, 4)
        with run_ingesting(instance, {PID_TAG: str(dead.pid)}):
            assert runs_ingesting(instance, except_run="this run") == set()

        with run_ingesting(instance, {}) as run_id:
            assert runs_ingesting(instance, except_run="this run") == {run_id}
            assert runs_ingesting(instance, except_run=run_id) == set()  # a run's own ingest is not waited for
            started = time.monotonic()
            assert wait_for_ingests(instance, "this run", max_wait_s=1.0) == {run_id}
            assert 1.0 <= time.monotonic() - started < 5  # gave up at its limit: the run still ingests

            threading.Timer(1.0, release.set).start()
            heard = []
            assert wait_for_ingests(instance, "this run", max_wait_s=60, on_wait=heard.append) == {run_id}
            assert heard == [{run_id}] and runs_ingesting(instance, "this run") == set()


def test_a_lake_bounds_its_row_groups_in_bytes_and_writes_wide_rows_within_its_memory(tmp_path):
    address = WarehouseAddress.parse(f"ducklake:sqlite:{tmp_path}/lake.sqlite", tmp_path / "data")
    backend_for(address).check_writable(5)
    with connect(address) as con:
        recorded = con.execute(f"select value from __ducklake_metadata_{lake.LAKE_ALIAS}.ducklake_metadata "
                               "where key = 'parquet_row_group_size_bytes'").fetchone()
        assert int(recorded[0]) == lake.ROW_GROUP_BYTES
        # Distinct rows as wide as reports' texts: 122,880 of them in one row group would need
        # ~400 MB more than the connection may use (connection.CONNECTION_CONFIG); bounded, they fit.
        con.execute("set threads = 1")
        con.execute("create table wide as select range as id, repeat(md5(range::varchar), 100) as text "
                    "from range(125000)")
        assert con.execute("select count(*) from wide").fetchone()[0] == 125000


# Data on object storage ---------------------------------------------------------------------------

def test_a_lake_with_its_data_on_object_storage_builds_and_reads(tmp_path, dagster_env, seed_build):
    with local_s3_server("zb-lake") as aws:
        env = {**dagster_env, **aws}
        address = f"ducklake:sqlite:{tmp_path}/catalog.sqlite"
        result = zhibiao("build", "--reports", str(SEED_REPORTS), "--warehouse", address, "--data-path",
                         "s3://zb-lake/zhibiao/", "--json", env=env)
        assert result.returncode == 0, result.stderr[-3000:]
        assert build_json(result)["facts"] == seed_build[0]["facts"]
        listing = urllib.request.urlopen(f"{aws['AWS_ENDPOINT_URL']}/zb-lake?list-type=2&prefix=zhibiao/",
                                         timeout=30).read().decode()
        assert ".parquet</Key>" in listing
        # Readers find the data path in the catalog, and read the facts the file warehouse has.
        read = zhibiao("facts", "--warehouse", address, env=env)
        assert read.returncode == 0, read.stderr
        assert read.stdout == facts(str(seed_build[1]))
        # The credentials reach DuckDB from the environment only: no output or log holds them.
        log = Path(re.search(r"full log: (\S+?)\)", result.stderr).group(1)).read_text(encoding="utf-8")
        for secret in (aws["AWS_ACCESS_KEY_ID"], aws["AWS_SECRET_ACCESS_KEY"]):
            assert secret not in result.stdout + result.stderr + read.stderr + log
        assert not list((tmp_path).rglob("*.parquet"))  # nothing written locally


def moto_requires_credentials(endpoint: str, required: bool) -> None:
    """Make the S3 stand-in check credentials (it knows none, so every key is wrong) or not."""
    count = b"0" if required else b"inf"  # requests it lets through without a known key
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset-auth", data=count, method="POST",
                                                  headers={"Content-Type": "text/plain"}), timeout=30)


def test_wrong_credentials_or_an_unreachable_endpoint_refuse_a_build_in_one_line(tmp_path, dagster_env):
    reports = copy_seeds(tmp_path / "reports", sorted(p.name for p in SEED_REPORTS.glob("*.txt"))[:2])
    with local_s3_server("zb-refused") as aws:
        env = {**dagster_env, **aws}
        address = f"ducklake:sqlite:{tmp_path}/catalog.sqlite"
        build(reports, address, env, "--data-path", "s3://zb-refused/lake/")
        before = zhibiao("facts", "--warehouse", address, env=env, check=True).stdout
        copy_seeds(reports)  # more reports: a build that went ahead would change the facts
        moto_requires_credentials(aws["AWS_ENDPOINT_URL"], True)
        closed_port = "http://127.0.0.1:9"
        for endpoint, says in ((aws["AWS_ENDPOINT_URL"], "HTTP 403 Forbidden"), (closed_port, "could not connect")):
            for target in (address, f"ducklake:sqlite:{tmp_path}/new.sqlite"):
                refused = zhibiao("build", "--reports", str(reports), "--warehouse", target, "--data-path",
                                  "s3://zb-refused/lake/", env={**env, "AWS_ENDPOINT_URL": endpoint})
                assert refused.returncode == 2, refused.stderr[-3000:]
                reason = refused.stderr.splitlines()[1:]
                assert len(reason) == 1 and says in reason[0] and "AWS_" in reason[0], refused.stderr
                assert aws["AWS_SECRET_ACCESS_KEY"] not in refused.stderr
        moto_requires_credentials(aws["AWS_ENDPOINT_URL"], False)
        # Nothing was written: the lake reads as before, no new lake was made, no lock file stays.
        assert zhibiao("facts", "--warehouse", address, env=env, check=True).stdout == before
        assert not (tmp_path / "new.sqlite").exists()
        assert not list(tmp_path.glob("*.lock"))


# PostgreSQL as the catalog ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def postgres_catalog():
    """A PostgreSQL server of our own for this module's tests (helpers.local_postgres)."""
    with local_postgres() as conninfo:
        yield conninfo


def test_two_machines_share_one_dagster_instance_in_postgresql(tmp_path, dagster_env, postgres_catalog):
    conninfo = dict(part.split("=", 1) for part in create_postgres_database(postgres_catalog, "instance").split())
    url = f"postgresql+psycopg2://{conninfo['user']}@/{conninfo['dbname']}?host={conninfo['host']}"
    machines = []
    for name in ("one", "two"):
        env = {k: v for k, v in dagster_env.items() if k != "DAGSTER_HOME"}
        env.update(ZHIBIAO_INSTANCES=str(tmp_path / name), ZHIBIAO_DAGSTER_POSTGRES=url)
        machines.append(env)
    warehouse = str(tmp_path / "wh.duckdb")
    built = build(copy_seeds(tmp_path / "reports", ["002_0ff12cf94d2db451.txt"]), warehouse, machines[0])
    # The second machine's instance (its own folder, the same database) holds the first one's run.
    zhibiao("prepare", "--warehouse", warehouse, env=machines[1], check=True)
    (home,) = (tmp_path / "two").iterdir()
    listing = subprocess.run([sys.executable, "-c", "import dagster as dg; print([r.run_id for r in "
                              "dg.DagsterInstance.get().get_runs()])"], env={**machines[1], "DAGSTER_HOME": str(home)},
                             capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    assert built["run_id"] in listing.stdout
    # The instance file names the variable, never the database's address.
    instance_file = (home / "dagster.yaml").read_text()
    assert "ZHIBIAO_DAGSTER_POSTGRES" in instance_file and url not in instance_file


def test_seeds_on_a_postgres_lake_give_the_facts_of_the_file(tmp_path, dagster_env, seed_build, postgres_catalog):
    address = f"ducklake:postgres:{postgres_catalog}"
    data = tmp_path / "lake-data"
    # A new lake is told where its data files go; it is the only command that needs to be.
    new = zhibiao("build", "--reports", str(SEED_REPORTS), "--warehouse", address, env=dagster_env)
    assert new.returncode == 2 and "needs --data-path DIR_OR_URL (it is a new lake)" in new.stderr
    summary = build(SEED_REPORTS, address, dagster_env, "--data-path", str(data))
    assert summary["success"] and summary["checks_failed"] == 0
    assert list(data.rglob("*.parquet"))
    # Every later command reads the data path from the catalog.
    assert facts(address) == facts(str(seed_build[1]))
    assert lake_sql(address, "select count(*) from fact_indicator where is_current") == [str(seed_build[0]["facts"])]
    assert build(SEED_REPORTS, address, dagster_env)["marts_rebuilt"] is False


# The UI's runs, sensor and schedule on a lake ------------------------------------------------------

def test_zhibiao_ui_takes_its_warehouse_and_passes_the_rest_to_dagster():
    args = split_ui_arguments(["--warehouse", "ducklake:sqlite:lake.sqlite", "--data-path=/data", "-p", "3001"])
    assert (args.warehouse, args.data_path) == ("ducklake:sqlite:lake.sqlite", "/data")
    assert args.dagster_args == ["-p", "3001"]
    assert split_ui_arguments(["-p", "3001"]).warehouse is None


def test_the_sensor_and_the_schedule_build_the_lake_the_ui_was_started_on(tmp_path, dagster_env, monkeypatch):
    from orchestration.definitions import defs  # imported here, as in test_operations

    address = f"ducklake:sqlite:{tmp_path}/catalog.sqlite"
    # What `zhibiao ui --warehouse ADDRESS` sets for the webserver, the daemon and their runs.
    monkeypatch.setenv(ADDRESS_VARIABLE, address)
    monkeypatch.setenv("DAGSTER_HOME", dagster_env["DAGSTER_HOME"])
    folder = copy_seeds(tmp_path / "landing", ["002_0ff12cf94d2db451.txt"])
    sensor = make_report_folder_sensor(folder)
    request = sensor(dg.build_sensor_context(cursor=None, resources=defs.resources))
    assert isinstance(request, dg.RunRequest)
    job = defs.resolve_job_def("build_warehouse")
    with dg.DagsterInstance.get() as instance:
        assert job.execute_in_process(run_config=request.run_config, instance=instance, tags=request.tags).success
        assert lake_sql(address, """select f.value from fact_indicator f join dim_region r using (region_key)
                                    where r.region_name = '贵阳市' and f.number_text = '2492元'""") == ["2492"]
        # A sensor with no cursor starts from what the lake holds: nothing new.
        assert isinstance(sensor(dg.build_sensor_context(cursor=None, resources=defs.resources)), dg.SkipReason)
        schedule_request = daily_refresh.evaluate_tick(dg.build_schedule_context()).run_requests[0]
        run_config = {"resources": {**schedule_request.run_config["resources"],
                                    "reports": {"config": {"directory": str(folder)}}}}
        result = job.execute_in_process(run_config=run_config, instance=instance)
    assert result.success
    marts = {e.materialization.asset_key.path[0] for e in result.get_asset_materialization_events()}
    assert "marts" in marts
