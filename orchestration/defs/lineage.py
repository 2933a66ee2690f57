"""Column-level lineage of the dbt models, read from their compiled SQL with sqlglot.

For each output column of a model, the columns of its parent relations it is computed from; the
result is Dagster's `dagster/column_lineage` metadata, shown in the UI's column lineage view.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import sqlglot
from sqlglot import exp
from sqlglot.lineage import lineage
from sqlglot.optimizer.qualify import qualify


def _asset_key_by_relation(manifest: Mapping[str, Any],
                           key_of: Callable[[str], dg.AssetKey]) -> dict[tuple[str, str], dg.AssetKey]:
    keys: dict[tuple[str, str], dg.AssetKey] = {}
    for uid, node in manifest["nodes"].items():
        if node["resource_type"] in ("model", "seed"):
            keys[(node["schema"], node.get("alias") or node["name"])] = key_of(uid)
    for uid, source in manifest["sources"].items():
        keys[(source["schema"], source["identifier"])] = key_of(uid)
    return keys


def column_lineage(manifest: Mapping[str, Any], target_dir: Path,
                   schemas: Mapping[str, Mapping[str, Mapping[str, str]]],
                   key_of: Callable[[str], dg.AssetKey]) -> dict[str, dg.TableColumnLineage]:
    """unique_id → lineage for every model whose compiled SQL sqlglot can read."""
    keys = _asset_key_by_relation(manifest, key_of)
    out: dict[str, dg.TableColumnLineage] = {}
    for uid, node in manifest["nodes"].items():
        if node["resource_type"] != "model":
            continue
        compiled = Path(target_dir) / "compiled" / node["package_name"] / node["original_file_path"]
        if not compiled.exists():
            continue
        sql = compiled.read_text(encoding="utf-8")
        try:
            parsed = qualify(sqlglot.parse_one(sql, dialect="duckdb"), schema=schemas, dialect="duckdb",
                             validate_qualify_columns=False)
        except sqlglot.errors.SqlglotError:
            continue
        deps: dict[str, list[dg.TableColumnDep]] = {}
        for column in parsed.named_selects:
            try:
                root = lineage(column, parsed, schema=schemas, dialect="duckdb")
            except (sqlglot.errors.SqlglotError, KeyError, ValueError):
                continue
            found = []
            for leaf in root.walk():
                if leaf.downstream or not isinstance(leaf.expression, exp.Table):
                    continue
                table = leaf.expression
                key = keys.get((table.db, table.name))
                if key is not None:
                    found.append(dg.TableColumnDep(asset_key=key, column_name=leaf.name.split(".")[-1].strip('"')))
            if found:
                deps[column] = sorted(set(found), key=lambda d: (d.asset_key.to_user_string(), d.column_name))
        if deps:
            out[uid] = dg.TableColumnLineage(deps_by_column=deps)
    return out
