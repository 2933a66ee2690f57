"""Column-level lineage of the dbt models as Dagster metadata.

For each output column of a model, the columns of its parent relations it is computed from (read
from the compiled SQL by readers/model_lineage.py): Dagster's `dagster/column_lineage` metadata.
The open-source UI draws that only in Dagster+, so each materialization also carries it as a
table (`column_lineage`, lineage_table), and the docs site writes it under each column's
description (readers/docs_site.py).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import dagster as dg

from ..readers.model_lineage import Schemas, column_sources, compiled_sql, project_relations


def _asset_key_by_relation(manifest: Mapping[str, Any],
                           key_of: Callable[[str], dg.AssetKey]) -> dict[tuple[str, str], dg.AssetKey]:
    return {relation: key_of(uid) for relation, uid in project_relations(manifest).items()}


def cached_column_lineage(manifest: Mapping[str, Any], target_dir: Path, schemas: Schemas,
                          key_of: Callable[[str], dg.AssetKey], cache_dir: Path) -> dict[str, dg.TableColumnLineage]:
    """`column_lineage`, reused while the compiled SQL and the warehouse's columns stay the same.

    Lineage is a property of the models, not of the data: reading it anew costs every build a
    couple of seconds of sqlglot for the same answer.
    """
    sql = compiled_sql(manifest, target_dir)
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


def column_lineage(manifest: Mapping[str, Any], target_dir: Path, schemas: Schemas,
                   key_of: Callable[[str], dg.AssetKey]) -> dict[str, dg.TableColumnLineage]:
    """unique_id → Dagster's column lineage for every model whose compiled SQL sqlglot can read."""
    keys = _asset_key_by_relation(manifest, key_of)
    return {uid: dg.TableColumnLineage(deps_by_column={
                column: [dg.TableColumnDep(asset_key=keys[(schema, table)], column_name=name)
                         for schema, table, name in upstream]
                for column, upstream in by_column.items()})
            for uid, by_column in column_sources(manifest, target_dir, schemas).items()}


def upstream_columns(lineage: dg.TableColumnLineage) -> dict[str, list[str]]:
    """column → the upstream columns it is computed from, as "layer/model.column" names."""
    return {column: [f"{dep.asset_key.to_user_string()}.{dep.column_name}" for dep in deps]
            for column, deps in lineage.deps_by_column.items()}


def lineage_table(lineage: dg.TableColumnLineage) -> str:
    """The lineage of one model as a Markdown table: column, the upstream columns it is computed from."""
    rows = [f"| `{column}` | {', '.join(f'`{name}`' for name in upstream)} |"
            for column, upstream in upstream_columns(lineage).items()]
    return "\n".join(["| column | computed from |", "|---|---|", *rows])
