"""Operations: incremental builds, versions, the sensor, the schedule, and checks that fail."""

import json
import os
import shutil

import dagster as dg
import duckdb
from helpers import PROJECT_ROOT, build_json, copy_seeds, zhibiao

from orchestration.defs.automation import build_warehouse_job, daily_refresh, make_report_folder_sensor
from orchestration.defs.dbt_models import INVOCATION_TARGETS_KEPT
from orchestration.defs.resources import Warehouse

MARTS = ["fact_indicator", "fact_indicator_reconciled", "dim_document", "dim_indicator", "dim_period",
         "dim_program", "dim_region"]


def mart_rows(warehouse):
    """Every mart's rows, but for when a build wrote them."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = {}
        for table in MARTS:
            columns = [c for (c,) in con.execute("select column_name from information_schema.columns where "
                                                 "table_schema = 'marts' and table_name = ? order by ordinal_position",
                                                 [table]).fetchall() if c != "built_at"]
            rows[table] = sorted(map(repr, con.execute(f"select {', '.join(columns)} from marts.{table}").fetchall()))
        return rows


def query(warehouse, sql, params=()):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def build(folder, warehouse, env):
    result = zhibiao("build", "--reports", str(folder), "--warehouse", str(warehouse), "--json", env=env)
    return result, build_json(result)


def test_incremental_builds_versions_and_removal(tmp_path, dagster_env):
    folder = copy_seeds(tmp_path / "reports", ["000_c75d5ffc208d1d0b.txt", "003_95eefe6b59f03fdd.txt"])
    warehouse = tmp_path / "wh.duckdb"

    _, first = build(folder, warehouse, dagster_env)
    assert (first["reports_extracted"], first["reports_unchanged"]) == (2, 0)
    before = mart_rows(warehouse)

    # The same folder again: nothing is extracted, dbt is not run, and no mart row changes.
    _, second = build(folder, warehouse, dagster_env)
    assert (second["reports_extracted"], second["reports_unchanged"], second["marts_rebuilt"]) == (0, 2, False)
    assert mart_rows(warehouse) == before
    # --full rebuilds them, to the same rows.
    result = zhibiao("build", "--reports", str(folder), "--warehouse", str(warehouse), "--json", "--full",
                     env=dagster_env)
    assert build_json(result)["marts_rebuilt"] and mart_rows(warehouse) == before

    # One more report: exactly one extracted.
    copy_seeds(folder, ["001_018b6d58d0bf8554.txt"])
    _, third = build(folder, warehouse, dagster_env)
    assert (third["reports_extracted"], third["reports_unchanged"], third["marts_rebuilt"]) == (1, 2, True)

    # One number edited: one new version; the old fact stays as history, the new one is current.
    report = folder / "003_95eefe6b59f03fdd.txt"
    report.write_text(report.read_text(encoding="utf-8").replace("4.59万人", "4.61万人", 1), encoding="utf-8")
    _, fourth = build(folder, warehouse, dagster_env)
    assert (fourth["reports_extracted"], fourth["reports_unchanged"]) == (1, 2)
    rows = query(warehouse, """select number_text, is_current, source_status from marts.fact_indicator
                               where source_file = '003_95eefe6b59f03fdd.txt'
                                 and number_text in ('4.59万人', '4.61万人')
                               order by number_text""")
    assert rows == [("4.59万人", False, "superseded"), ("4.61万人", True, "current")]
    exported = [json.loads(x) for x in zhibiao("facts", "--warehouse", str(warehouse), check=True).stdout.splitlines()]
    numbers = {f["number_text"] for f in exported if f["doc"] == "003_95eefe6b59f03fdd.txt"}
    assert "4.61万人" in numbers and "4.59万人" not in numbers

    # A report removed from the folder keeps its facts, flagged as from a removed source.
    (folder / "001_018b6d58d0bf8554.txt").unlink()
    _, fifth = build(folder, warehouse, dagster_env)
    assert fifth["reports_extracted"] == 0
    status = query(warehouse, """select distinct source_status, is_current from marts.fact_indicator
                                 where source_file = '001_018b6d58d0bf8554.txt'""")
    assert status == [("removed", False)]
    exported = zhibiao("facts", "--warehouse", str(warehouse), check=True).stdout
    assert "001_018b6d58d0bf8554.txt" not in exported

    # Five builds each rewrote only the rows of new or changed documents: rebuilding every
    # document from scratch gives exactly the same marts.
    incremental = mart_rows(warehouse)
    result = zhibiao("build", "--reports", str(folder), "--warehouse", str(warehouse), "--json", "--full-refresh",
                     env=dagster_env)
    assert build_json(result)["marts_rebuilt"] and mart_rows(warehouse) == incremental
    # dbt ran in five of those builds; only the newest few of its per-build folders are kept.
    kept = list((PROJECT_ROOT / "dbt_project" / "target").glob("warehouse_models-*"))
    assert 1 <= len(kept) <= INVOCATION_TARGETS_KEPT


def test_duplicate_content_is_one_document_with_two_names(tmp_path, dagster_env):
    folder = copy_seeds(tmp_path / "reports", ["004_a7fc59496351468e.txt"])
    shutil.copy(folder / "004_a7fc59496351468e.txt", folder / "copy_of_report.txt")
    warehouse = tmp_path / "wh.duckdb"
    _, summary = build(folder, warehouse, dagster_env)
    assert summary["reports_extracted"] == 1 and summary["reports_rejected"] == []
    docs = query(warehouse, "select source_files, source_file_count from marts.dim_document")
    assert docs == [("004_a7fc59496351468e.txt | copy_of_report.txt", 2)]
    facts = query(warehouse, "select count(*), count(distinct number_offset) from marts.fact_indicator")
    assert facts[0][0] == facts[0][1] > 50


def sensor_context(cursor, warehouse):
    return dg.build_sensor_context(cursor=cursor, resources={"warehouse": Warehouse(path=str(warehouse))})


def test_sensor_requests_a_run_for_new_and_changed_files_only(tmp_path):
    folder = tmp_path / "landing"
    folder.mkdir()
    sensor = make_report_folder_sensor(folder)
    no_warehouse = tmp_path / "not_built.duckdb"
    context = sensor_context(None, no_warehouse)
    assert isinstance(sensor(context), dg.SkipReason)

    copy_seeds(folder, ["000_c75d5ffc208d1d0b.txt"])
    context = sensor_context(context.cursor, no_warehouse)
    request = sensor(context)
    assert isinstance(request, dg.RunRequest)
    assert request.tags["zhibiao/changed_files"] == "000_c75d5ffc208d1d0b.txt"
    assert request.run_config["resources"]["reports"]["config"]["directory"] == str(folder)

    again = sensor_context(context.cursor, no_warehouse)
    assert isinstance(sensor(again), dg.SkipReason)  # the same file is never requested twice

    report = folder / "000_c75d5ffc208d1d0b.txt"
    report.write_text(report.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.utime(report, (1_900_000_000, 1_900_000_000))
    changed = sensor(sensor_context(again.cursor, no_warehouse))
    assert isinstance(changed, dg.RunRequest) and changed.run_key != request.run_key


def test_sensor_without_cursor_starts_from_what_the_warehouse_holds(tmp_path, dagster_env):
    folder = copy_seeds(tmp_path / "landing", ["000_c75d5ffc208d1d0b.txt", "002_0ff12cf94d2db451.txt"])
    (folder / "empty.txt").write_bytes(b"")
    warehouse = tmp_path / "wh.duckdb"
    build(folder, warehouse, dagster_env)
    sensor = make_report_folder_sensor(folder)

    # A new instance (empty cursor) on the built warehouse: every file, the rejected one
    # included, is what the last build saw, so no run is requested.
    first = sensor_context(None, warehouse)
    assert isinstance(sensor(first), dg.SkipReason)
    assert set(json.loads(first.cursor)) == {"000_c75d5ffc208d1d0b.txt", "002_0ff12cf94d2db451.txt", "empty.txt"}

    # Touched but unchanged content is still known; edited content and a new file are not.
    os.utime(folder / "000_c75d5ffc208d1d0b.txt", (1_900_000_000, 1_900_000_000))
    report = folder / "002_0ff12cf94d2db451.txt"
    report.write_text(report.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    copy_seeds(folder, ["004_a7fc59496351468e.txt"])
    request = sensor(sensor_context(None, warehouse))
    assert isinstance(request, dg.RunRequest)
    assert request.tags["zhibiao/changed_files"] == "002_0ff12cf94d2db451.txt,004_a7fc59496351468e.txt"


def test_schedule_requests_the_whole_graph_daily():
    context = dg.build_schedule_context(scheduled_execution_time=None)
    request = daily_refresh.evaluate_tick(context).run_requests[0]
    assert daily_refresh.job_name == build_warehouse_job.name == "build_warehouse"
    assert daily_refresh.cron_schedule == "0 6 * * *" and daily_refresh.execution_timezone == "Asia/Shanghai"
    # Nothing may have changed overnight: the morning refresh rebuilds the marts all the same.
    assert request.run_config == {"resources": {"warehouse": {"config": {"full_rebuild": True}}}}


def test_run_triggered_by_the_sensor_builds_the_warehouse(tmp_path, dagster_env, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", dagster_env["DAGSTER_HOME"])
    from orchestration.definitions import defs

    folder = copy_seeds(tmp_path / "landing", ["002_0ff12cf94d2db451.txt"])
    warehouse = tmp_path / "wh.duckdb"
    request = make_report_folder_sensor(folder)(sensor_context(None, warehouse))
    assert isinstance(request, dg.RunRequest)
    run_config = {"resources": {**request.run_config["resources"],
                                "warehouse": {"config": {"path": str(warehouse)}}}}
    with dg.DagsterInstance.get() as instance:
        result = defs.resolve_job_def(request.job_name or "build_warehouse").execute_in_process(
            run_config=run_config, instance=instance, tags=request.tags)
    assert result.success
    assert query(warehouse, """select f.value from marts.fact_indicator f join marts.dim_region r using (region_key)
                               where r.region_name = '贵阳市' and f.number_text = '2492元'""") == [(2492,)]


BAD_NUMBERS = (
    "测试用报告 甘肃省兰州市2021年人力资源和社会保障工作总结\n"
    "2021年,全市城镇新增就业5000人,其中高校毕业生6000人。"
    "全市失业人员再就业4000人,完成全年任务5000人的95%。"
    "全市企业劳动合同签订率为105%。\n"
)


def test_checks_fail_on_data_that_breaks_them(tmp_path, dagster_env):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "lanzhou_2021.txt").write_text(BAD_NUMBERS, encoding="utf-8")
    (folder / "lanzhou_2021_bulletin.txt").write_text(
        "兰州市2021年人力资源和社会保障事业发展统计公报\n2021年,全市城镇新增就业5200人。\n", encoding="utf-8")
    warehouse = tmp_path / "wh.duckdb"
    result, summary = build(folder, warehouse, dagster_env)
    assert result.returncode == 1
    failed = {name.split(":")[1] for name in summary["failed_checks"]}
    assert {"parts_within_total", "completion_matches_value_over_target", "rates_at_most_100_percent"} <= failed
    assert summary["warned_checks"] == ["marts/fact_indicator_reconciled:no_conflicting_values"]
    # The reconciled mart keeps one row and prefers the statistical bulletin.
    rows = query(warehouse, """select value, source_documents, has_conflict from marts.fact_indicator_reconciled r
                               join marts.dim_indicator i using (indicator_key)
                               where i.indicator_code = 'urban_new_jobs' and measure = 'value'""")
    assert rows == [(5200, 2, True)]


def test_traceability_and_freshness_checks_fail_on_tampered_warehouse(tmp_path, seed_build):
    from orchestration.defs.checks import facts_traceable_to_source, raw_reports_fresh
    from orchestration.defs.resources import Warehouse

    _, warehouse = seed_build
    tampered = tmp_path / "tampered.duckdb"
    shutil.copy(warehouse, tampered)
    resource = Warehouse(path=str(tampered))
    assert facts_traceable_to_source(warehouse=resource).passed
    assert raw_reports_fresh(warehouse=resource).passed
    with duckdb.connect(str(tampered)) as con:
        con.execute("update marts.fact_indicator set quote = quote || '篡改' "
                    "where fact_id = (select min(fact_id) from marts.fact_indicator)")
        con.execute("update raw.document_sources set last_seen_at = last_seen_at - interval 3 day")
    untraceable = facts_traceable_to_source(warehouse=resource)
    assert not untraceable.passed and untraceable.metadata["untraceable_facts"].value == 1
    stale = raw_reports_fresh(warehouse=resource)
    assert not stale.passed and stale.metadata["age_hours"].value > 70


def test_an_edited_copy_of_a_report_is_the_one_conflict(tmp_path, dagster_env):
    # Each report states one value per key (indicator, region, period, measure, basis, program, unit)
    # or its several values the same way in a copy: only the edited number disagrees between documents.
    folder = copy_seeds(tmp_path / "reports")
    original = (folder / "000_c75d5ffc208d1d0b.txt").read_bytes()
    assert original.count(b"166881") == 1
    (folder / "edited_copy.txt").write_bytes(original.replace(b"166881", b"166981"))
    warehouse = tmp_path / "wh.duckdb"
    _, summary = build(folder, warehouse, dagster_env)
    assert summary["warned_checks"] == ["marts/fact_indicator_reconciled:no_conflicting_values"]
    conflicts = query(warehouse, """
        select i.indicator_code, r.region_name, c.period_key, c.measure, c.source_documents, c.distinct_values
        from marts.fact_indicator_reconciled c
        join marts.dim_indicator i using (indicator_key) join marts.dim_region r using (region_key)
        where c.has_conflict""")
    assert conflicts == [("urban_new_jobs", "广西壮族自治区", "2020H1", "value", 2, 2)]
