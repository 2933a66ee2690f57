"""What analysts take out of a built warehouse: Parquet files, dbt's docs site, charts."""

from __future__ import annotations

import json

import duckdb
import pyarrow.parquet as pq
from helpers import zhibiao


def test_export_writes_every_mart_with_its_rows_and_descriptions(seed_build, tmp_path):
    _, warehouse = seed_build
    out = tmp_path / "export"
    result = zhibiao("export", str(out), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marts = {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0] for t, in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()}
    assert {p.stem for p in out.glob("*.parquet")} == set(marts)
    for table, rows in marts.items():
        assert pq.read_metadata(out / f"{table}.parquet").num_rows == rows
    schema = pq.read_schema(out / "fact_indicator.parquet")
    assert schema.field("indicator_match").metadata[b"description"].startswith(b"How the phrase was mapped")
    assert b"quantitative fact" in schema.metadata[b"description"]
    # Read back by any Parquet reader, without the warehouse: the headline fact is there.
    facts = pq.read_table(out / "fact_indicator.parquet", columns=["number_text", "value"]).to_pylist()
    assert {"number_text": "166881人", "value": 166881} in [{**f, "value": int(f["value"])} for f in facts]


def test_docs_site_has_the_real_columns_descriptions_and_row_counts(seed_build, tmp_path):
    _, warehouse = seed_build
    out = tmp_path / "docs"
    result = zhibiao("docs", "--out", str(out), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr[-3000:]
    assert {p.name for p in out.iterdir()} >= {"index.html", "manifest.json", "catalog.json"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    columns = manifest["nodes"]["model.zhibiao.fact_indicator"]["columns"]
    assert columns["indicator_match"]["description"].startswith("How the phrase was mapped")
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))["nodes"]["model.zhibiao.fact_indicator"]
    assert "indicator_match" in catalog["columns"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select count(*) from marts.fact_indicator").fetchone()[0]
        # persist_docs: the same description is a comment any SQL client sees.
        comment = con.execute("select comment from duckdb_columns() where schema_name = 'marts' "
                              "and table_name = 'fact_indicator' and column_name = 'indicator_match'").fetchone()[0]
    assert catalog["stats"]["row_count"]["value"] == rows
    assert comment.startswith("How the phrase was mapped")


def test_chart_page_is_self_contained_and_names_the_indicator(seed_build, tmp_path):
    _, warehouse = seed_build
    page = tmp_path / "c.html"
    result = zhibiao("chart", "urban_new_jobs", "--out", str(page), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert "城镇新增就业" in html and "贵州省" in html
    assert "<script src=" not in html  # plotly.js is embedded: nothing loads from the network
    assert "Plotly.newPlot" in html


def test_chart_picture_uses_a_font_with_the_chinese_glyphs(seed_build, tmp_path):
    from matplotlib.ft2font import FT2Font

    from orchestration.readers.charts import cjk_font_path

    _, warehouse = seed_build
    picture = tmp_path / "c.png"
    result = zhibiao("chart", "城镇新增就业", "--out", str(picture), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    font = FT2Font(str(cjk_font_path()))  # the font the picture is drawn with, from the mplfonts package
    assert all(font.get_char_index(ord(ch)) for ch in "城镇新增就业地区时期贵州省广西壮族自治区")


def test_unknown_indicator_is_one_clear_line(seed_build, tmp_path):
    _, warehouse = seed_build
    result = zhibiao("chart", "no_such_indicator", "--out", str(tmp_path / "x.html"), "--warehouse", str(warehouse))
    assert result.returncode == 1
    assert result.stderr.strip() == "zhibiao chart: no value figures of no_such_indicator in the warehouse"


def test_docs_page_opened_from_disk_shows_columns_and_their_lineage(seed_build, tmp_path, browser):
    _, warehouse = seed_build
    out = tmp_path / "docs"
    zhibiao("docs", "--out", str(out), "--warehouse", str(warehouse), check=True)
    page = browser.new_page()
    # From file://, where a browser refuses the page's fetch of manifest.json: the data is inline.
    page.goto(f"{(out / 'index.html').as_uri()}#!/model/model.zhibiao.fact_indicator")
    page.get_by_text("region_basis", exact=True).first.click()
    page.wait_for_selector("text=Computed from", timeout=30_000)
    shown = page.inner_text("body")
    assert "fact_indicator" in shown and "How the region was decided" in shown
    assert "Computed from: intermediate.int_facts_resolved.region_basis" in shown
    page.close()


def test_a_misspelt_indicator_gets_the_closest_codes(seed_build, tmp_path):
    _, warehouse = seed_build
    result = zhibiao("chart", "urban_new_job", "--out", str(tmp_path / "x.html"), "--warehouse", str(warehouse))
    assert result.returncode == 1
    assert "did you mean urban_new_jobs" in result.stderr
    # A Chinese name with a character missing finds its code as well.
    result = zhibiao("chart", "城镇新增就", "--out", str(tmp_path / "x.html"), "--warehouse", str(warehouse))
    assert "did you mean urban_new_jobs" in result.stderr
    # An indicator that exists, asked for a measure it has no figures of, gets no suggestion.
    result = zhibiao("chart", "urban_new_jobs", "--measure", "share", "--out", str(tmp_path / "x.html"),
                     "--warehouse", str(warehouse))
    assert result.stderr.strip() == "zhibiao chart: no share figures of urban_new_jobs in the warehouse"


def test_indicators_lists_codes_names_and_counts_of_a_word(seed_build):
    _, warehouse = seed_build
    result = zhibiao("indicators", "就业", "--warehouse", str(warehouse), "--format", "json")
    assert result.returncode == 0, result.stderr
    listed = [json.loads(line) for line in result.stdout.splitlines()]
    expected = zhibiao("sql", """select coalesce(i.indicator_code, '') as code, i.indicator_name as name,
                                        count(*) as facts
                                 from fact_indicator f join dim_indicator i using (indicator_key)
                                 where f.is_current and (i.indicator_name like '%就业%'
                                                         or coalesce(i.aliases, '') like '%就业%')
                                 group by all order by facts desc""",
                       "--warehouse", str(warehouse), "--format", "json", check=True)
    expected = [json.loads(line) for line in expected.stdout.splitlines()]
    assert sorted((r["code"], r["name"], r["facts"]) for r in listed) == sorted(
        (r["code"], r["name"], r["facts"]) for r in expected)
    assert [r["facts"] for r in listed] == sorted((r["facts"] for r in listed), reverse=True)
    assert "urban_new_jobs" in {r["code"] for r in listed}
    assert all(r["regions"] >= 1 and r["measures"] for r in listed)
    # A code's English words match too, in any case; a word nothing contains is one line.
    assert "urban_new_jobs" in zhibiao("indicators", "NEW_JOBS", "--warehouse", str(warehouse), check=True).stdout
    missing = zhibiao("indicators", "no_such_word", "--warehouse", str(warehouse))
    assert missing.returncode == 1
    assert missing.stderr.startswith("zhibiao indicators: no indicator's code, name or alias contains 'no_such_word'")


def test_the_build_draws_the_headline_charts_beside_the_warehouse(seed_build):
    _, warehouse = seed_build
    # A folder of this warehouse's own: another warehouse beside it draws into another.
    charts = warehouse.parent / "charts" / warehouse.name
    assert (charts / "urban_new_jobs.png").exists()
    page = (charts / "urban_new_jobs.html").read_text(encoding="utf-8")
    assert 'src="plotly.min.js"' in page and (charts / "plotly.min.js").exists()  # one copy, beside the pages


def test_a_headline_chart_keeps_the_regions_with_the_most_periods():
    from orchestration.readers.charts import ChartData

    rows = [("甲市", "2019", 5.0), ("乙市", "2019", 9.0), ("丙市", "2019", 7.0),
            ("甲市", "2020", 6.0), ("乙市", "2020", 8.0), ("丁市", "2020", 1.0)]
    data = ChartData("urban_new_jobs", "城镇新增就业", "人", "value", rows)
    # 甲市 and 乙市 have two periods; of the rest, 丙市's latest figure is the larger.
    assert data.best_covered(3).regions == ["甲市", "乙市", "丙市"]
    assert data.best_covered(2).rows == [r for r in rows if r[0] in ("甲市", "乙市")]
    assert data.best_covered(10) is data
