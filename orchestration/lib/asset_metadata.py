"""Materialization metadata of the warehouse's tables: Dagster's standard table metadata, shared by the
raw and the dbt assets, and a preview of the fact mart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
import duckdb


def table_metadata(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> dict[str, Any]:
    """Row count, column schema and relation name of `schema.table`; empty when it does not exist."""
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? and table_name = ? "
        "order by ordinal_position",
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


def dbt_relations(manifest: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """(schema, table) of every dbt model and seed, by unique id."""
    return {
        uid: (node["schema"], node.get("alias") or node["name"])
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in ("model", "seed")
    }


def fact_summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """A small preview of the fact mart, how much of it the catalogue covers, and how often one
    document states two values under one key (each such collision says the key lacks a qualifier)."""
    current, unmatched = con.execute(
        "select count(*), count(*) filter (where not i.in_catalogue) "
        "from marts.fact_indicator f join marts.dim_indicator i using (indicator_key) where f.is_current"
    ).fetchone()
    collisions = con.execute(
        "select coalesce(sum(documents_stating_several_values), 0) from marts.fact_indicator_reconciled"
    ).fetchone()[0]
    preview = con.execute(
        """select r.region_name, f.period_key, i.indicator_name, f.measure, f.value, f.unit
           from marts.fact_indicator f
           join marts.dim_indicator i using (indicator_key)
           join marts.dim_region r using (region_key)
           where f.is_current order by f.document_key, f.number_offset limit 10"""
    ).df()
    return {
        "facts_with_uncatalogued_indicator": dg.MetadataValue.int(unmatched),
        "share_of_facts_catalogued": dg.MetadataValue.float(round(1 - unmatched / current, 4) if current else 0.0),
        "within_document_collisions": dg.MetadataValue.int(int(collisions)),
        "preview": dg.MetadataValue.md(preview.to_markdown(index=False)),
    }
