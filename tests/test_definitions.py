"""The Dagster code location loads with the expected assets, checks, policies and automation."""

import dagster as dg

from orchestration.definitions import defs


def asset_graph():
    return defs.resolve_asset_graph()


def test_expected_assets():
    keys = {k.to_user_string() for k in asset_graph().get_all_asset_keys()}
    expected = {"raw/documents", "raw/document_sources", "raw/sentences", "raw/facts", "raw/ingest_errors",
                "marts/fact_indicator", "marts/dim_region", "marts/dim_program", "marts/dim_indicator",
                "marts/dim_period", "marts/dim_document", "staging/stg_raw__facts",
                "intermediate/int_facts_resolved", "reference/regions", "reference/indicators",
                "reference/programs"}
    assert expected <= keys


def test_marts_depend_on_raw_tables_through_staging():
    graph = asset_graph()
    upstream = graph.get(dg.AssetKey(["staging", "stg_raw__facts"])).parent_keys
    assert dg.AssetKey(["raw", "facts"]) in upstream
    fact_parents = graph.get(dg.AssetKey(["marts", "fact_indicator"])).parent_keys
    assert dg.AssetKey(["intermediate", "int_facts_resolved"]) in fact_parents


def test_dbt_tests_and_python_checks_are_asset_checks():
    checks = {(k.asset_key.to_user_string(), k.name) for k in asset_graph().asset_check_keys}
    assert ("marts/fact_indicator", "unique_fact_indicator_fact_id") in checks
    assert ("raw/ingest_errors", "no_ingest_errors") in checks
    assert ("marts/fact_indicator", "facts_traceable_to_source") in checks
    assert any(name.startswith("accepted_values_fact_indicator_measure") for _, name in checks)
    assert not any(key == "fact_indicator" for key, _ in checks)  # no check on a phantom asset


def test_freshness_policies_on_raw_and_marts():
    graph = asset_graph()
    for key in (dg.AssetKey(["raw", "facts"]), dg.AssetKey(["marts", "fact_indicator"]),
                dg.AssetKey(["marts", "dim_region"]), dg.AssetKey(["intermediate", "int_facts_resolved"])):
        policy = graph.get(key).freshness_policy
        assert policy is not None, key


def test_writers_share_one_pool():
    pools = {node.pool for node in defs.resolve_job_def("build_warehouse").graph.node_defs if hasattr(node, "pool")}
    assert "duckdb_writer" in pools


def test_sensor_and_schedule_run_by_default():
    sensor = defs.resolve_sensor_def("report_folder_sensor")
    schedule = defs.resolve_schedule_def("daily_refresh")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedule.cron_schedule == "0 6 * * *"


def test_every_check_says_what_it_asserts():
    # dbt's generic tests have no description of their own; the translator writes one.
    specs = [spec for assets in defs.assets for spec in getattr(assets, "check_specs", [])]
    assert specs and all(spec.description for spec in specs), [s.name for s in specs if not s.description]
    unique = next(s for s in specs if s.name == "unique_fact_indicator_fact_id")
    assert unique.description == "No two rows share a `fact_id`."


def test_raw_assets_are_grouped_as_raw_and_charts_follow_the_marts():
    graph = asset_graph()
    assert graph.get(dg.AssetKey(["raw", "facts"])).group_name == "raw"
    charts = graph.get(dg.AssetKey(["reports", "indicator_charts"]))
    assert dg.AssetKey(["marts", "fact_indicator_reconciled"]) in charts.parent_keys


def test_one_freshness_rule_for_raw_data_everywhere():
    from test_schema import SOURCES, yaml

    from orchestration.lib.freshness import FAIL_AFTER, WARN_AFTER, dbt_source_freshness

    graph = asset_graph()
    for key in (dg.AssetKey(["raw", "facts"]), dg.AssetKey(["marts", "fact_indicator"])):
        policy = graph.get(key).freshness_policy
        assert (policy.fail_window.to_timedelta(), policy.warn_window.to_timedelta()) == (FAIL_AFTER, WARN_AFTER)
    (raw,) = [s for s in yaml.safe_load(SOURCES.read_text(encoding="utf-8"))["sources"] if s["name"] == "raw"]
    (sources_table,) = [t for t in raw["tables"] if t["name"] == "document_sources"]
    assert sources_table["config"]["freshness"] == dbt_source_freshness()
    assert dbt_source_freshness()["error_after"] == {"count": 36, "period": "hour"}


def test_marts_enforce_contracts_and_the_tricky_sql_has_unit_tests():
    import json

    from orchestration.defs.resources import dbt_project

    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    marts = [n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["fqn"][1] == "marts"]
    assert len(marts) == 8
    for node in marts:
        assert node["contract"]["enforced"], node["name"]
        assert all(column.get("data_type") for column in node["columns"].values()), node["name"]
    tested = {n["model"] for n in manifest.get("unit_tests", {}).values()}
    assert {"int_periods_unioned", "int_document_versions", "fact_indicator_reconciled"} <= tested
    assert {e["name"] for e in manifest["exposures"].values()} == {
        "zhibiao_facts", "zhibiao_chart", "zhibiao_parquet_export"}
