"""The dbt models (staging → intermediate → marts) as Dagster assets.

dbt builds into a copy of the warehouse file which replaces the real one only when every model
built: a build killed half-way leaves the previous marts whole, never a mix of old and new.
"""


import json
import os
import shutil
from collections.abc import Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ..warehouse import connect, writer_lock
from .lineage import cached_column_lineage
from .metadata import table_metadata
from .resources import WRITER_POOL, Warehouse, dbt_project

# Marts follow the ingest that feeds them within minutes; allow a day and a half like raw.
LAYER_FRESHNESS = {
    "marts": dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=36), warn_window=timedelta(hours=26)),
    "intermediate": dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=48)),
}


class ZhibiaoTranslator(DagsterDbtTranslator):
    """Groups assets by dbt layer and gives each layer its freshness policy; keys stay dbt's."""

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project) -> dg.AssetSpec:  # noqa: ANN001
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest.get("nodes", {}).get(unique_id) or manifest.get("sources", {}).get(unique_id) or {}
        fqn = node.get("fqn", [])
        layer = "reference" if node.get("resource_type") == "seed" else (fqn[1] if len(fqn) > 2 else None)
        if layer is None or node.get("resource_type") == "source":
            return spec
        return spec.replace_attributes(group_name=layer, freshness_policy=LAYER_FRESHNESS.get(layer))


TRANSLATOR = ZhibiaoTranslator(settings=DagsterDbtTranslatorSettings(enable_code_references=False))


def _relations(manifest: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    return {
        uid: (node["schema"], node.get("alias") or node["name"])
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in ("model", "seed")
    }


def _schemas(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, dict[str, str]]]:
    schemas: dict[str, dict[str, dict[str, str]]] = {}
    for schema, table, column, dtype in con.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns"
    ).fetchall():
        schemas.setdefault(schema, {}).setdefault(table, {})[column] = dtype
    return schemas


def _fact_summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """A small preview of the fact mart and how many facts the catalogue does not cover yet."""
    unmatched = con.execute(
        "select count(*) from marts.fact_indicator f join marts.dim_indicator i using (indicator_key) "
        "where not i.in_catalogue and f.is_current"
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
        "preview": dg.MetadataValue.md(preview.to_markdown(index=False)),
    }


def _project_target() -> Path:
    return Path(dbt_project.project_dir) / dbt_project.target_path


def _keep_partial_parse(invocation_target: Path) -> None:
    """Keep this build's dbt parse state where dagster-dbt seeds the next invocation from.

    dbt re-parses the whole project when the profile differs from the saved state, and the
    profile's path is the warehouse being built; without this, every build re-parses (~3 s).
    dbt checks the state against every file before using it, so a stale copy only costs a parse.
    """
    state = invocation_target / "partial_parse.msgpack"
    if state.exists():
        keep = _project_target() / "partial_parse.msgpack"
        partial = keep.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(state, partial)
        os.replace(partial, keep)


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=TRANSLATOR,
            pool=WRITER_POOL)
def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource,
                     warehouse: Warehouse) -> Iterator[Any]:
    """Seeds, staging views, intermediate and mart tables, and their dbt tests."""
    target = warehouse.file
    building = target.with_name(target.name + ".building")
    with writer_lock(target, warehouse.lock_timeout_s):
        with connect(target):
            pass  # replays and checkpoints any WAL left by a killed writer before the copy
        try:
            # Inside the try: a copy cut short (a full disk) must not leave a partial file behind.
            shutil.copyfile(target, building)
            os.environ["ZHIBIAO_WAREHOUSE"] = str(building)  # read by dbt_project/profiles.yml
            invocation = dbt.cli(["build"], context=context, raise_on_error=False)
            events = list(invocation.stream())
            run_results = invocation.get_artifact("run_results.json")
            # A model that errored, or was skipped because a test upstream of it failed, is not
            # built: keep the previous warehouse whole rather than swap in a partial one.
            broken = [r["unique_id"] for r in run_results["results"]
                      if r["status"] in ("error", "skipped") and not r["unique_id"].startswith("test.")]
            # Exit code 2 is dbt failing as a whole (it could not open the warehouse, the disk is
            # full): it may have built nothing at all, and reported no model as broken.
            if invocation.process.wait() >= 2 or not run_results["results"]:
                error = invocation.get_error()
                raise dg.Failure(description=f"dbt failed before building the marts; the warehouse keeps its "
                                             f"previous marts: {error}")
            if broken:
                raise dg.Failure(
                    description=f"dbt did not build {', '.join(broken)}; the warehouse keeps its previous marts",
                    metadata={"dbt_errors": dg.MetadataValue.json(broken)},
                )
            os.replace(building, target)
            _keep_partial_parse(Path(invocation.target_path))
        finally:
            os.environ.pop("ZHIBIAO_WAREHOUSE", None)
            Path(building).unlink(missing_ok=True)
            Path(str(building) + ".wal").unlink(missing_ok=True)

    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    relations = _relations(manifest)
    with connect(target, read_only=True) as con:
        lineage = cached_column_lineage(manifest, invocation.target_path, _schemas(con),
                                        key_of=lambda uid: TRANSLATOR.get_asset_spec(manifest, uid, dbt_project).key,
                                        cache_dir=_project_target())
        for event in events:
            uid = (event.metadata or {}).get("unique_id")
            uid = getattr(uid, "value", uid)
            if isinstance(event, dg.Output) and uid in relations:
                extra = table_metadata(con, *relations[uid])
                if uid in lineage:
                    extra["dagster/column_lineage"] = lineage[uid]
                if relations[uid][1] == "fact_indicator":
                    extra.update(_fact_summary(con))
                event = event.with_metadata({**event.metadata, **extra})
            yield event
