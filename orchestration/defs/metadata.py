"""Dagster's standard table metadata for a warehouse table, shared by the raw and the dbt assets."""

from __future__ import annotations

from typing import Any

import dagster as dg
import duckdb


def table_metadata(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> dict[str, Any]:
    """Row count, column schema and relation name of `schema.table`; empty when it does not exist."""
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    if not columns:
        return {}
    rows = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
    return {
        "dagster/row_count": dg.MetadataValue.int(rows),
        "dagster/column_schema": dg.TableSchema(columns=[dg.TableColumn(n, t) for n, t in columns]),
        "dagster/relation_identifier": f"{schema}.{table}",
    }
