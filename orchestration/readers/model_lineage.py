"""What each column of each dbt model is computed from, read from the SQL dbt compiled, with sqlglot.

Free of Dagster: lib/lineage.py turns the answer into Dagster's column lineage, and the docs site
writes it under each column's description (readers/docs_site.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.lineage import lineage
from sqlglot.optimizer.qualify import qualify

Schemas = Mapping[str, Mapping[str, Mapping[str, str]]]
# An upstream column: (schema, table, column) of a dbt model, seed or source.
Upstream = tuple[str, str, str]


def warehouse_schemas(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, dict[str, str]]]:
    """Every column's type, by schema and table: what column lineage qualifies SQL against."""
    schemas: dict[str, dict[str, dict[str, str]]] = {}
    for schema, table, column, dtype in con.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where table_catalog = current_database()"
    ).fetchall():
        schemas.setdefault(schema, {}).setdefault(table, {})[column] = dtype
    return schemas


def project_relations(manifest: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """unique id of every dbt model, seed and source, by its (schema, table)."""
    relations = {(node["schema"], node.get("alias") or node["name"]): uid
                 for uid, node in manifest["nodes"].items() if node["resource_type"] in ("model", "seed")}
    for uid, source in manifest["sources"].items():
        relations[(source["schema"], source["identifier"])] = uid
    return relations


def compiled_sql(manifest: Mapping[str, Any], target_dir: Path) -> dict[str, str]:
    """The compiled SQL of every model dbt compiled into `target_dir`, by unique id."""
    out = {}
    for uid, node in manifest["nodes"].items():
        if node["resource_type"] == "model":
            compiled = Path(target_dir) / "compiled" / node["package_name"] / node["original_file_path"]
            if compiled.exists():
                out[uid] = compiled.read_text(encoding="utf-8")
    return out


def column_sources(manifest: Mapping[str, Any], target_dir: Path,
                   schemas: Schemas) -> dict[str, dict[str, list[Upstream]]]:
    """unique id → column → the upstream columns it is computed from, sorted, for every model whose
    compiled SQL sqlglot can read; columns computed from no project relation are left out."""
    relations = project_relations(manifest)
    out: dict[str, dict[str, list[Upstream]]] = {}
    for uid, sql in compiled_sql(manifest, target_dir).items():
        try:
            parsed = qualify(sqlglot.parse_one(sql, dialect="duckdb"), schema=schemas, dialect="duckdb",
                             validate_qualify_columns=False)
        except sqlglot.errors.SqlglotError:
            continue
        deps: dict[str, list[Upstream]] = {}
        for column in parsed.named_selects:
            try:
                root = lineage(column, parsed, schema=schemas, dialect="duckdb")
            except (sqlglot.errors.SqlglotError, KeyError, ValueError):
                continue
            found = {(leaf.expression.db, leaf.expression.name, leaf.name.split(".")[-1].strip('"'))
                     for leaf in root.walk()
                     if not leaf.downstream and isinstance(leaf.expression, exp.Table)
                     and (leaf.expression.db, leaf.expression.name) in relations}
            if found:
                deps[column] = sorted(found)
        if deps:
            out[uid] = deps
    return out
