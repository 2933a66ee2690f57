"""Column-level lineage of the dbt models, read from their compiled SQL with sqlglot.

For each output column of a model, the columns of its parent relations it is computed from; the
result is Dagster's `dagster/column_lineage` metadata, shown in the UI's column lineage view.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import sqlglot
from sqlglot import exp
from sqlglot.lineage import lineage
from sqlglot.optimizer.qualify import qualify

from .asset_metadata import dbt_relations


def _asset_key_by_relation(manifest: Mapping[str, Any],
                           key_of: Callable[[str], dg.AssetKey]) -> dict[tuple[str, str], dg.AssetKey]:
    keys = {relation: key_of(uid) for uid, relation in dbt_relations(manifest).items()}
    for uid, source in manifest["sources"].items():
        keys[(source["schema"], source["identifier"])] = key_of(uid)
    return keys


def _compiled_sql(manifest: Mapping[str, Any], target_dir: Path) -> dict[str, str]:
    out = {}
    for uid, node in manifest["nodes"].items():
        if node["resource_type"] == "model":
            compiled = Path(target_dir) / "compiled" / node["package_name"] / node["original_file_path"]
            if compiled.exists():
                out[uid] = compiled.read_text(encoding="utf-8")
    return out


def cached_column_lineage(manifest: Mapping[str, Any], target_dir: Path,
                          schemas: Mapping[str, Mapping[str, Mapping[str, str]]],
                          key_of: Callable[[str], dg.AssetKey], cache_dir: Path) -> dict[str, dg.TableColumnLineage]:
    """`column_lineage`, reused while the compiled SQL and the warehouse's columns stay the same.

    Lineage is a property of the models, not of the data: reading it anew costs every build a
    couple of seconds of sqlglot for the same answer.
    """
    sql = _compiled_sql(manifest, target_dir)
    keys = sorted((table, key.to_user_string()) for table, key in _asset_key_by_relation(manifest, key_of).items())
    digest = hashlib.sha256(json.dumps([sorted(sql.items()), schemas, keys], sort_keys=True).encode()).hexdigest()[:20]
    cached = Path(cache_dir) / f"column_lineage-{digest}.json"
    if cached.exists():
        try:
            return dg.deserialize_value(cached.read_text(encoding="utf-8"))
        except Exception:  # noqa: BLE001 - an unreadable cache is recomputed, never trusted
            pass
    result = column_lineage(manifest, target_dir, schemas, key_of)
    cached.parent.mkdir(parents=True, exist_ok=True)
    for stale in cached.parent.glob("column_lineage-*.json"):
        stale.unlink(missing_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(dg.serialize_value(result), encoding="utf-8")
    os.replace(partial, cached)
    return result


def column_lineage(manifest: Mapping[str, Any], target_dir: Path,
                   schemas: Mapping[str, Mapping[str, Mapping[str, str]]],
                   key_of: Callable[[str], dg.AssetKey]) -> dict[str, dg.TableColumnLineage]:
    """unique_id → lineage for every model whose compiled SQL sqlglot can read."""
    keys = _asset_key_by_relation(manifest, key_of)
    out: dict[str, dg.TableColumnLineage] = {}
    for uid, sql in _compiled_sql(manifest, target_dir).items():
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
