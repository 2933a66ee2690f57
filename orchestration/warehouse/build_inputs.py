"""What the dbt models are built from, as one fingerprint: the raw tables' content, the reference
CSVs, the dbt project's files and the versions of dbt that builds them.

A warehouse records the fingerprint its marts were built from (`meta.dbt_build`, written into the
building copy before it replaces the warehouse). A build whose fingerprint is the recorded one has
nothing for dbt to do: the models would come out the same. The scan time of files
(`document_sources.last_seen_at`) is left out: a scan that finds nothing new changes no mart.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

import duckdb

from ..paths import PROJECT_ROOT

BUILD_STATE_TABLE = "meta.dbt_build"
# Every file dbt reads, relative to the project root; dbt's own target/ and logs/ are not inputs.
PROJECT_INPUTS = ("dbt_project/dbt_project.yml", "dbt_project/profiles.yml", "dbt_project/models",
                  "dbt_project/macros", "dbt_project/tests", "seeds/reference")
TOOL_PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")

RAW_CONTENT_SQL = """
select
    (select count(*) || ':' || coalesce(md5(string_agg(document_id || '/' || coalesce(extractor_version, ''), ','
        order by document_id)), '') from raw.documents),
    (select count(*) from raw.facts),
    (select coalesce(md5(string_agg(concat_ws('/', source_file, document_id, valid_from, valid_to, removed_at), ','
        order by source_file, valid_from)), '') from raw.document_sources),
    (select coalesce(md5(string_agg(source_file || '/' || reason, ',' order by source_file)), '')
        from raw.ingest_errors)
"""


def project_files(root: Path = PROJECT_ROOT) -> list[Path]:
    """Every file dbt reads (`PROJECT_INPUTS`) that exists under `root`, in a stable order."""
    files: list[Path] = []
    for entry in PROJECT_INPUTS:
        path = root / entry
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path] * path.exists()
    return files


def project_digest(root: Path = PROJECT_ROOT) -> str:
    """sha256 of every file dbt reads (path and bytes) and the versions of the tools that run it."""
    digest = hashlib.sha256()
    for file in project_files(root):
        digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes() + b"\0")
    for package in TOOL_PACKAGES:
        digest.update(f"{package}=={metadata.version(package)}\0".encode())
    return digest.hexdigest()


def inputs_fingerprint(con: duckdb.DuckDBPyConnection, project: str) -> str:
    """The fingerprint of what dbt would build the marts from, read from the warehouse `con` opens."""
    raw = raw_content_digest(con)
    return hashlib.sha256(f"{raw}\n{project}".encode()).hexdigest() if raw else ""


def raw_content_digest(con: duckdb.DuckDBPyConnection) -> str:
    """sha256 of the raw tables' content (not of when files were last scanned); '' without raw tables."""
    try:
        raw = con.execute(RAW_CONTENT_SQL).fetchone()
    except duckdb.CatalogException:
        return ""
    return hashlib.sha256("\n".join(map(str, raw)).encode()).hexdigest()


def recorded_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    """The fingerprint the warehouse's marts were built from; None before any recorded build."""
    return _recorded(con, "inputs_fingerprint")


def _recorded(con: duckdb.DuckDBPyConnection, column: str) -> str | None:
    """A column of the build record; None before any recorded build or when it lacks the column
    (a warehouse built by an older zhibiao)."""
    exists = con.execute("select count(*) from duckdb_columns() where schema_name = 'meta' "
                         "and table_name = 'dbt_build' and column_name = ?", [column]).fetchone()[0]
    if not exists:
        return None
    row = con.execute(f"select {column} from {BUILD_STATE_TABLE}").fetchone()
    return row[0] if row else None


def recorded_project(con: duckdb.DuckDBPyConnection) -> str | None:
    """The project digest the warehouse's marts were built with; None when not recorded.

    The incremental models keep rows built by earlier runs; after a change of a model, a macro, a
    reference file or dbt itself those rows may no longer be what the models make, so the next
    build rebuilds them all (dbt's --full-refresh).
    """
    return _recorded(con, "project_digest")


def recorded_run(con: duckdb.DuckDBPyConnection) -> str | None:
    """The Dagster run that built the warehouse's marts; None when not recorded.

    Its checks run after the marts are in place: a build killed during them leaves marts whose
    fingerprint is recorded and whose checks never finished, which the next build must not take
    for checked (defs/dbt_models.py asks the run's events).
    """
    return _recorded(con, "built_by_run")


def record_fingerprint(con: duckdb.DuckDBPyConnection, fingerprint: str, project: str | None,
                       run_id: str | None = None) -> None:
    con.execute("create schema if not exists meta")
    con.execute(f"create or replace table {BUILD_STATE_TABLE} as "
                "select ? as inputs_fingerprint, ?::varchar as project_digest, current_timestamp as built_at, "
                "?::varchar as built_by_run", [fingerprint, project, run_id])




def forget_built_inputs(warehouse: Path) -> None:
    """Make the next build of `warehouse` rebuild every model from every document (a full refresh)
    whatever changed, and so run every test and check again on all rows."""
    from .backends import connect  # imported here: backends.py needs nothing of this module

    if not warehouse.exists():
        return
    with connect(warehouse) as con:
        if recorded_fingerprint(con) is not None:
            record_fingerprint(con, "", None)
