"""What dbt builds from, as one fingerprint: it changes with the raw content and the project's files,
not with the time a scan last saw the folder."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from orchestration.warehouse.build_inputs import (
    forget_built_inputs,
    inputs_fingerprint,
    project_digest,
    record_fingerprint,
    recorded_fingerprint,
    recorded_project,
    recorded_run,
)
from orchestration.warehouse.raw_schema import raw_ddl


@pytest.fixture()
def warehouse(tmp_path):
    path = tmp_path / "wh.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(raw_ddl())
        con.execute("insert into raw.documents (document_id, content_hash, source_file, original_text, loaded_at) "
                    "values ('d1', 'h1', 'a.txt', '全市城镇新增就业5000人。', '2026-01-01')")
        con.execute("insert into raw.document_sources values "
                    "('a.txt', 'd1', '2026-01-01', null, null, '2026-01-01', null)")
    return path


def fingerprint(path, project="p"):
    with duckdb.connect(str(path)) as con:
        return inputs_fingerprint(con, project)


def test_a_scan_that_finds_nothing_new_keeps_the_fingerprint(warehouse):
    before = fingerprint(warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update raw.document_sources set last_seen_at = '2026-01-02'")
    assert fingerprint(warehouse) == before


def test_new_content_a_changed_file_or_another_project_changes_it(warehouse):
    before = fingerprint(warehouse)
    assert fingerprint(warehouse, project="q") != before
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update raw.document_sources set valid_to = '2026-01-02'")
    assert fingerprint(warehouse) != before


def test_no_raw_tables_no_fingerprint(tmp_path):
    with duckdb.connect(str(tmp_path / "empty.duckdb")) as con:
        assert inputs_fingerprint(con, "p") == ""
        assert recorded_fingerprint(con) is None


def test_the_recorded_fingerprint_can_be_forgotten(warehouse):
    with duckdb.connect(str(warehouse)) as con:
        assert recorded_project(con) is None  # never built: the first build is a full refresh
        record_fingerprint(con, "abc", "project-1", "run-1")
        assert (recorded_fingerprint(con), recorded_project(con), recorded_run(con)) == ("abc", "project-1", "run-1")
    forget_built_inputs(warehouse)
    with duckdb.connect(str(warehouse)) as con:
        # The next build rebuilds every row (a full refresh) and checks it again.
        assert (recorded_fingerprint(con), recorded_project(con), recorded_run(con)) == ("", None, None)


def test_a_build_record_of_an_older_zhibiao_names_no_run(warehouse):
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema meta")
        con.execute("create table meta.dbt_build as select 'abc' as inputs_fingerprint, "
                    "'project-1' as project_digest, current_timestamp as built_at")
        assert (recorded_fingerprint(con), recorded_run(con)) == ("abc", None)


def test_a_warehouse_recorded_before_project_digests_is_refreshed_in_full(warehouse):
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema meta")
        con.execute("create table meta.dbt_build as select 'abc' as inputs_fingerprint, now() as built_at")
        assert recorded_project(con) is None


def test_project_digest_covers_the_dbt_files_and_reference_csvs(tmp_path):
    root = tmp_path / "project"
    for folder in ("dbt_project/models", "seeds/reference"):
        (root / folder).mkdir(parents=True)
    (root / "dbt_project" / "dbt_project.yml").write_text("name: x\n")
    (root / "dbt_project" / "models" / "m.sql").write_text("select 1\n")
    (root / "seeds" / "reference" / "r.csv").write_text("a\n1\n")
    before = project_digest(root)
    (root / "seeds" / "reference" / "r.csv").write_text("a\n2\n")
    assert project_digest(root) != before
    shutil.rmtree(root / "dbt_project" / "models")
    assert project_digest(root) != before
