"""The whole pipeline on the seed reports, read back with SQL from a temporary warehouse."""

import json
import subprocess
import sys

import duckdb
import pytest
from helpers import MEASURED, PROJECT_ROOT, SEED_FLOORS, SEED_REPORTS, SHARED, build_json, zhibiao

from orchestration.readers.export import GOLD_FIELDS


def test_build_summary(seed_build):
    summary, _ = seed_build
    assert summary["reports_seen"] == 5 and summary["reports_extracted"] == 5
    assert summary["reports_rejected"] == [] and summary["checks_failed"] == 0
    assert summary["checks_passed"] > 50  # dbt tests and Python checks, every one recorded
    assert summary["facts"] > 700
    # Where the build's time went: the ingest step, dbt, and each check, all timed.
    steps = summary["step_seconds"]
    assert steps["raw_reports"] > 0 and steps["warehouse_models"] > 0
    assert "marts__fact_indicator_facts_traceable_to_source" in steps


def test_document_byte_size_is_the_size_of_the_file(seed_db):
    sizes = dict(seed_db.execute("select first_source_file, byte_size from staging.stg_raw__documents").fetchall())
    assert sizes == {p.name: p.stat().st_size for p in SEED_REPORTS.glob("*.txt")}


@pytest.mark.parametrize("region, period, indicator_code, measure, value, unit", [
    ("广西壮族自治区", "2020H1", "urban_new_jobs", "value", 166881, "人"),
    ("贵州省", "2020", "registered_unemployment_rate", "value", 3.75, "%"),
])
def test_headline_facts_by_sql(seed_db, region, period, indicator_code, measure, value, unit):
    rows = seed_db.execute("""
        select f.value, f.unit from marts.fact_indicator f
        join marts.dim_region r using (region_key)
        join marts.dim_indicator i using (indicator_key)
        join marts.dim_period p using (period_key)
        where r.region_name = ? and p.period_key = ? and i.indicator_code = ? and f.measure = ?
          and f.is_current""", [region, period, indicator_code, measure]).fetchall()
    assert [(float(v), u) for v, u in rows] == [(value, unit)]


def test_guiyang_monthly_pension(seed_db):
    rows = seed_db.execute("""
        select f.value, f.unit, f.indicator_phrase, r.parent_region_name from marts.fact_indicator f
        join marts.dim_region r using (region_key)
        where r.region_name = '贵阳市' and f.number_text = '2492元'""").fetchall()
    assert len(rows) == 1
    value, unit, phrase, parent = rows[0]
    assert (float(value), unit, parent) == (2492.0, "元", "贵州省")
    assert "养老金" in phrase


def test_all_marts_exist_and_every_fact_joins_every_dimension(seed_db):
    tables = {r[0] for r in seed_db.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
    assert {"fact_indicator", "dim_region", "dim_program", "dim_indicator", "dim_period", "dim_document"} <= tables
    total = seed_db.execute("select count(*) from marts.fact_indicator").fetchone()[0]
    joined = seed_db.execute("""
        select count(*) from marts.fact_indicator f
        join marts.dim_document d on d.document_key = f.document_key
        join marts.dim_indicator i on i.indicator_key = f.indicator_key
        join marts.dim_region r on r.region_key = f.region_key
        join marts.dim_period p on p.period_key = f.period_key
        join marts.dim_program g on g.program_key = f.program_key""").fetchone()[0]
    assert total == joined > 700


def test_document_metadata(seed_db):
    rows = dict(seed_db.execute("""
        select d.source_file, r.region_name || ' ' || d.period_key || ' ' || coalesce(d.document_number, '-')
        from marts.dim_document d join marts.dim_region r using (region_key)""").fetchall())
    assert rows["002_0ff12cf94d2db451.txt"] == "贵州省 2020 黔人社通〔2021〕72号"
    assert rows["001_018b6d58d0bf8554.txt"].startswith("厦门市 2020H1")


def test_region_hierarchy(seed_db):
    row = seed_db.execute("""select region_level, parent_region_name, prefecture_name, province_name
                             from marts.dim_region where region_name = '台山市'""").fetchone()
    assert row == ("county", "江门市", "江门市", "广东省")


def test_facts_export_is_gold_shaped_and_verbatim(seed_build):
    _, warehouse = seed_build
    result = zhibiao("facts", "--warehouse", str(warehouse), check=True)
    facts = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(facts) > 700
    texts = {p.name: p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "seeds" / "reports").glob("*.txt")}
    for f in facts:
        assert tuple(f) == GOLD_FIELDS
        text = texts[f["doc"]]
        assert f["quote"] in text
        assert text[f["offset"]:f["offset"] + len(f["number_text"])] == f["number_text"]


def _score(gold_dir, facts_jsonl: str, tmp_path) -> dict:
    facts = tmp_path / "facts.jsonl"
    facts.write_text(facts_jsonl, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(p.read_text(encoding="utf-8") for p in sorted(gold_dir.glob("*.jsonl"))), encoding="utf-8")
    return json.loads(subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(facts),
                                      "--json"], capture_output=True, text=True, check=True).stdout)


@pytest.mark.integration
@pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason="needs ../shared/gold and ../shared/eval")
def test_quality_on_the_seed_reports(seed_build, tmp_path):
    """Extraction quality on the seeds, read back from the warehouse, may not drop below the floors."""
    _, warehouse = seed_build
    score = _score(SHARED / "gold", zhibiao("facts", "--warehouse", str(warehouse), check=True).stdout, tmp_path)
    assert {k: score[k] >= floor for k, floor in SEED_FLOORS.items()} == dict.fromkeys(SEED_FLOORS, True), score


# The wide development set in the parts it was shared in, each with its own floors (number F1,
# fact F1): w01–w20 were tuned on for several rounds, w21–w36 were scored before anyone here had
# seen them. A report past the last part is scored as a part of its own, with the lowest floors.
WIDE_PARTS = {"w01–w20": (range(1, 21), 0.98, 0.91), "w21–w36": (range(21, 37), 0.95, 0.82)}


def _wide_part(name: str) -> str:
    number = int(name[1:3])
    return next((part for part, (numbers, *_) in WIDE_PARTS.items() if number in numbers), "newer")


@pytest.mark.skipif(not (SHARED / "wide" / "gold").is_dir(), reason="needs ../shared/wide")
def test_quality_on_the_wide_development_set(development_build, tmp_path):
    """Reports of other regions, years and genres (bulletins, tables, traditional script), built
    and exported as a user would (with the seeds, in one warehouse), every report of the folder;
    each part scored on its own."""
    _, warehouse, names = development_build
    wide = {p.name for p in (SHARED / "wide" / "reports").glob("*.txt")}
    assert wide <= set(names)
    facts = [line for line in zhibiao("facts", "--warehouse", str(warehouse), check=True).stdout.splitlines(True)
             if json.loads(line)["doc"] in wide]
    assert {json.loads(line)["doc"] for line in facts} == wide  # every report yields facts
    lowest = (min(n for _, n, _ in WIDE_PARTS.values()), min(f for _, _, f in WIDE_PARTS.values()))
    scores = {}
    for part in sorted({_wide_part(name) for name in wide}):
        gold = tmp_path / part / "gold"
        gold.mkdir(parents=True)
        for path in (SHARED / "wide" / "gold").glob("*.jsonl"):
            if _wide_part(path.name) == part:
                (gold / path.name).write_bytes(path.read_bytes())
        own = "".join(line for line in facts if _wide_part(json.loads(line)["doc"]) == part)
        scores[part] = _score(gold, own, tmp_path / part)
        catalogued = _catalogued_share(warehouse, [n for n in wide if _wide_part(n) == part])
        MEASURED[f"wide {part}"] = (f"number F1 {scores[part]['number_f1']:.3f}, "
                                    f"fact F1 {scores[part]['fact_f1']:.3f}, "
                                    f"{catalogued:.1%} of facts on a catalogue indicator")
    for part, score in scores.items():
        number_floor, fact_floor = WIDE_PARTS[part][1:] if part in WIDE_PARTS else lowest
        assert score["number_f1"] >= number_floor, (part, score)
        assert score["fact_f1"] >= fact_floor, (part, score)


def _catalogued_share(warehouse, files: list[str]) -> float:
    """The share of the current facts of `files` whose phrase the catalogue maps to an indicator."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        total, catalogued = con.execute(
            "select count(*), count(i.indicator_code) from marts.fact_indicator f "
            "join marts.dim_indicator i using (indicator_key) where f.is_current "
            "and f.source_file in (select unnest(?::varchar[]))", [files]).fetchone()
    return catalogued / total


def test_sql_command_prints_a_table(seed_build):
    _, warehouse = seed_build
    result = zhibiao("sql", "select region_name, count(*) as n from marts.fact_indicator "
                     "join marts.dim_region using (region_key) group by 1 order by 2 desc limit 3",
                     "--warehouse", str(warehouse), check=True)
    assert "贵州省" in result.stdout and "region_name" in result.stdout


def test_column_lineage_runs_from_the_marts_back_to_the_raw_tables(seed_build, dagster_env):
    """The build records dbt column lineage with each model's materialization: Dagster's own
    metadata (drawn by Dagster+) and a table of column → upstream columns (shown by every UI)."""
    script = (
        "import json, dagster as dg\n"
        "instance = dg.DagsterInstance.get()\n"
        "def deps(key, column):\n"
        "    event = instance.get_latest_materialization_event(dg.AssetKey(key))\n"
        "    lineage = event.asset_materialization.metadata['dagster/column_lineage'].value\n"
        "    return [[d.asset_key.to_user_string(), d.column_name] for d in lineage.deps_by_column[column]]\n"
        "def table(key):\n"
        "    event = instance.get_latest_materialization_event(dg.AssetKey(key))\n"
        "    return event.asset_materialization.metadata['column_lineage'].value\n"
        "print(json.dumps({'mart': deps(['marts', 'fact_indicator'], 'region_basis'),\n"
        "                  'staging': deps(['staging', 'stg_raw__facts'], 'indicator_phrase'),\n"
        "                  'table': table(['marts', 'fact_indicator'])}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], env=dagster_env, capture_output=True, text=True,
                            cwd=PROJECT_ROOT, check=True)
    lineage = json.loads(result.stdout.splitlines()[-1])
    assert lineage["mart"] == [["intermediate/int_facts_resolved", "region_basis"]]
    assert lineage["staging"] == [["raw/facts", "indicator_phrase"]]
    # The same lineage as a table the open-source UI shows (it draws column lineage only in Dagster+).
    assert "| `region_basis` | `intermediate/int_facts_resolved.region_basis` |" in lineage["table"].splitlines()


def test_a_folder_manifest_fills_what_the_text_leaves_unsaid(tmp_path, dagster_env):
    """sources.csv beside the reports: its area and period where the text is silent (basis
    manifest), a contradiction noted in dim_document, the manifest itself never a report."""
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "silent.txt").write_text("我市落实就业优先政策,上半年全市城镇新增就业1.26万人。\n", encoding="utf-8")
    (reports / "stated.txt").write_text("2019年,遵义市城镇新增就业4.3万人。\n", encoding="utf-8")
    (reports / "sources.csv").write_text(
        "file,url,region,period,title\nsilent.txt,http://example.invalid/1,绵阳市,2021H1,\n"
        "stated.txt,http://example.invalid/2,绵阳市,2021,\n", encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    build = zhibiao("build", "--reports", str(reports), "--warehouse", str(warehouse), "--json", env=dagster_env)
    summary = build_json(build)
    assert (summary["reports_seen"], summary["reports_rejected"], summary["checks_failed"]) == (2, [], 0), summary
    result = zhibiao("sql", "select d.source_file, r.region_name, d.period_key, d.region_basis, d.period_basis, "
                     "d.manifest_conflict from dim_document d join dim_region r using (region_key) order by 1",
                     "--warehouse", str(warehouse), "--format", "json", check=True)
    rows = {row["source_file"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert rows["silent.txt"] == {"source_file": "silent.txt", "region_name": "绵阳市", "period_key": "2021H1",
                                  "region_basis": "manifest", "period_basis": "manifest", "manifest_conflict": None}
    stated = rows["stated.txt"]
    assert (stated["region_name"], stated["period_key"]) == ("遵义市", "2019")
    assert "遵义市" in stated["manifest_conflict"] and "绵阳市" in stated["manifest_conflict"]
    facts = {f["doc"]: f for f in map(json.loads, zhibiao("facts", "--warehouse", str(warehouse)).stdout.splitlines())}
    assert (facts["silent.txt"]["region"], facts["silent.txt"]["period"]) == ("绵阳市", "2021H1")


def test_facts_of_a_text_that_names_no_area_load_as_unknown(tmp_path, dagster_env):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "silent.txt").write_text("我市今年以来落实就业优先政策,全市城镇新增就业1.26万人。\n", encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    assert build_json(zhibiao("build", "--reports", str(reports), "--warehouse", str(warehouse), "--json",
                              env=dagster_env))["checks_failed"] == 0
    rows = zhibiao("sql", "select r.region_key, r.region_level, r.region_name, p.period_type from fact_indicator f "
                   "join dim_region r using (region_key) join dim_period p using (period_key)",
                   "--warehouse", str(warehouse), "--format", "csv", check=True).stdout.splitlines()
    assert rows == ["region_key,region_level,region_name,period_type", "unknown,unknown,,unknown"]


def test_the_facts_view_counts_a_restated_figure_once_and_a_silent_report_is_named(tmp_path, dagster_env):
    """Issue 30: a headline restated in the body is one figure in `marts.facts` (both statements stay
    in fact_indicator, the second marked), a traditional-script quote is found by a simplified LIKE,
    and a report that yields no fact is named by the build."""
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "restated.txt").write_text(
        "2023年柳州市就业工作简报\n\n2023年,柳州市城镇新增就业3.2万人。\n\n"
        "一、就业形势稳定。全年城镇新增就业3.2万人,完成目标任务的110%。\n", encoding="utf-8")
    (reports / "traditional.txt").write_text("2022年,桂林市城鎮新增就業2.7萬人。\n", encoding="utf-8")
    (reports / "minutes.txt").write_text("会议纪要\n\n3月5日下午召开例会,讨论下一步工作安排,地点在3楼会议室。\n",
                                         encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    build = zhibiao("build", "--reports", str(reports), "--warehouse", str(warehouse), "--json", env=dagster_env)
    summary = build_json(build)
    assert summary["checks_failed"] == 0, summary
    assert [entry["file"] for entry in summary["reports_without_facts"]] == ["minutes.txt"]
    assert "warning: minutes.txt yielded no fact" in build.stderr

    def sql(query: str) -> list[str]:
        return zhibiao("sql", query, "--warehouse", str(warehouse), "--format", "csv", check=True).stdout.splitlines()

    assert sql("select is_restatement, count(*) from fact_indicator where source_file = 'restated.txt' "
               "and measure = 'value' group by 1 order by 1") == ["is_restatement,count_star()", "False,1", "True,1"]
    assert sql("select region_name, period_key, cast(sum(value) as integer) as total from marts.facts "
               "where indicator_code = 'urban_new_jobs' and measure = 'value' group by all order by 1") == [
        "region_name,period_key,total", "柳州市,2023,32000", "桂林市,2022,27000"]
    assert sql("select source_file, quote_original from marts.facts where quote like '%城镇新增就业%' "
               "and source_file = 'traditional.txt'") == ["source_file,quote_original",
                                                          "traditional.txt,桂林市城鎮新增就業2.7萬人"]
