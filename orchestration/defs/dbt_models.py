"""The dbt models (staging → intermediate → marts) as Dagster assets.

On a DuckDB file, dbt builds into a copy of the warehouse file which replaces the real one only
when every model built. On a DuckLake, dbt builds in the lake itself, model by model, and the
build then publishes the result in one commit (warehouse/lake.py): readers move to it only then. Either
way a build killed half-way leaves the previous marts whole to readers, never a mix of old and new.
"""


import contextlib
import json
import os
import shutil
import signal
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ..lib.asset_metadata import dbt_relations, fact_summary, table_metadata
from ..lib.concurrency import WRITER_POOL, checks_never_finished, wait_for_ingests
from ..lib.console import say
from ..lib.freshness import FAIL_AFTER, INTERMEDIATE_FAIL_AFTER, WARN_AFTER
from ..lib.lineage import cached_column_lineage, lineage_table
from ..readers.model_lineage import warehouse_schemas
from ..warehouse.address import WarehouseAddress
from ..warehouse.backends import backend_for, connect, dbt_environment
from ..warehouse.build_inputs import (
    inputs_fingerprint,
    project_digest,
    record_fingerprint,
    recorded_fingerprint,
    recorded_project,
    recorded_run,
)
from ..warehouse.connection import writer_lock
from .resources import Warehouse, dbt_project

# Marts follow the ingest that feeds them within minutes: the same rule as raw.
LAYER_FRESHNESS = {
    "marts": dg.FreshnessPolicy.time_window(fail_window=FAIL_AFTER, warn_window=WARN_AFTER),
    "intermediate": dg.FreshnessPolicy.time_window(fail_window=INTERMEDIATE_FAIL_AFTER),
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

    def get_asset_check_spec(self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], unique_id: str,
                             project) -> dg.AssetCheckSpec | None:  # noqa: ANN001
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        # Generic tests have no description of their own: say what each one asserts.
        test = manifest.get("nodes", {}).get(unique_id, {})
        return dg.AssetCheckSpec(spec.name, asset=spec.asset_key, description=test.get("description") or
                                 describe_generic_test(test.get("test_metadata") or {}),
                                 additional_deps=spec.additional_deps, blocking=spec.blocking, metadata=spec.metadata,
                                 automation_condition=spec.automation_condition)


def describe_generic_test(test_metadata: Mapping[str, Any]) -> str | None:
    """What a generic dbt test asserts, in a sentence, from its name and arguments."""
    kwargs = test_metadata.get("kwargs", {})
    column = f"`{kwargs.get('column_name')}`"
    target = str(kwargs.get("to", "")).removeprefix("ref('").removeprefix("source('").rstrip("')")
    sentences = {
        "unique": f"No two rows share a {column}.",
        "not_null": f"{column} is never null.",
        "accepted_values": f"{column} is one of: {', '.join(map(str, kwargs.get('values', [])))}.",
        "relationships": f"Every {column} matches a `{kwargs.get('field')}` in {target}.",
        "at_most_one_current": f"At most one row per `{kwargs.get('group_by')}` has {column} true.",
        "expression_is_true": f"Every row satisfies `{kwargs.get('expression')}`.",
    }
    return sentences.get(test_metadata.get("name", ""))


# The tag the Dagster UI puts on every run it launches (Materialize, Launch run).
FROM_UI_TAG = "dagster/from_ui"
FACT_INDICATOR_KEY = dg.AssetKey(["marts", "fact_indicator"])
NOT_REBUILT = ("no raw table, reference file or dbt file changed since the marts of this warehouse were "
               "built, so dbt, the checks and the charts were skipped (Materialize in the UI, or "
               "`zhibiao build --full`, rebuilds them)")

# dbt's own output of the last few builds, kept to look into (compiled SQL, run results).
INVOCATION_TARGETS_KEPT = 3
TRANSLATOR = ZhibiaoTranslator(settings=DagsterDbtTranslatorSettings(enable_code_references=False))


def _project_target() -> Path:
    return Path(dbt_project.project_dir) / dbt_project.target_path


def _prune_invocation_targets(current: Path, keep: int = INVOCATION_TARGETS_KEPT) -> None:
    """Remove all but the newest `keep` of the target folders dagster-dbt makes per invocation.

    Each holds the compiled SQL and run results of one build (~6 MB here); kept, they grew by one
    with every scheduled build. Their events and results are in the Dagster event log.
    """
    op_name = current.name.split("-")[0]
    folders = sorted((d for d in current.parent.glob(f"{op_name}-*") if d.is_dir()),
                     key=lambda d: d.stat().st_mtime, reverse=True)
    for old in folders[keep:]:
        if old != current:
            shutil.rmtree(old, ignore_errors=True)


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


def _dbt_pid_file(address: WarehouseAddress) -> Path:
    """Where the step records the dbt process it runs, beside the warehouse's writer lock."""
    return Path(f"{address.lock_file}.dbt-pid")


def _stop_orphaned_dbt(address: WarehouseAddress, grace_s: float = 10.0) -> None:
    """Stop a dbt process left running by a build that was killed. dbt is a process of its own: it
    outlives a build killed with SIGKILL and would go on writing (into a lake, beside the next
    build's dbt). Its work was abandoned with its build; the next build does it again."""
    pid_file = _dbt_pid_file(address)
    try:
        pid = int(pid_file.read_text(encoding="utf-8"))
        command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except (OSError, ValueError):
        return  # no record, or the process has ended
    if "dbt" in command:
        say(f"dbt: stopping the dbt process {pid} of a build that was killed")
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace_s
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)


def _all_tests_passed(invocation: Any) -> bool:  # noqa: ANN401 - a DbtCliInvocation
    """Whether no dbt test or unit test failed (a test of warn severity only flags data)."""
    results = invocation.get_artifact("run_results.json")["results"]
    tests = [r for r in results if r["unique_id"].startswith(("test.", "unit_test."))]
    return all(r["status"] in ("pass", "success", "warn") for r in tests)


def _dbt_build(context: dg.AssetExecutionContext, dbt: DbtCliResource, into: WarehouseAddress,
               full_refresh: bool, running: Path, raw_snapshot: int | None = None) -> tuple[list, Any]:
    """`dbt build` into the building copy or the lake (reading its raw tables at `raw_snapshot`):
    (its events, the invocation). dbt's process id is in the file `running` while it runs. Raises
    dg.Failure (so the copy is never swapped in, the lake never published) when dbt failed or left
    a model unbuilt."""
    with dbt_environment(into, raw_snapshot):
        invocation = dbt.cli(["build", *(["--full-refresh"] if full_refresh else [])], context=context,
                             raise_on_error=False)
        running.write_text(str(invocation.process.pid), encoding="utf-8")
        try:
            events = list(invocation.stream())
        finally:
            running.unlink(missing_ok=True)
    results_file = Path(invocation.target_path) / "run_results.json"
    run_results = invocation.get_artifact("run_results.json") if results_file.exists() else {"results": []}
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
    return events, invocation


def _coalesce_with_running_ingests(context: dg.AssetExecutionContext, max_wait_s: float) -> None:
    """Let the ingests other runs have in progress on this lake commit first, so this dbt run builds
    their documents as well and their own dbt steps find nothing changed (one dbt for N writers)."""
    def announce(runs: set[str]) -> None:
        context.log.info(f"dbt waits for the ingest of run(s) {', '.join(sorted(runs))} to build their "
                         "documents in the same dbt run")
        say(f"dbt: waiting for {len(runs)} other ingest(s) in progress, to build them in one dbt run")

    wait_for_ingests(context.instance, context.run.run_id, max_wait_s, on_wait=announce)


def _unchecked_marts(context: dg.AssetExecutionContext, built_by: str | None) -> bool:
    """Whether the run that built the marts ended before its checks did (killed during them): the
    marts are then built again, as dbt's tests and every check run only after a build."""
    unfinished = checks_never_finished(context.instance, built_by) if built_by else []
    if unfinished:
        context.log.info(f"dbt runs again: run {built_by}, which built the marts, ended before "
                         f"{len(unfinished)} of its checks ran ({', '.join(unfinished[:5])}"
                         f"{', …' if len(unfinished) > 5 else ''})")
        say(f"dbt: building the marts again, the checks of the build that made them never finished "
            f"({len(unfinished)} left)")
    return bool(unfinished)


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=TRANSLATOR,
            pool=WRITER_POOL)
def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource,
                     warehouse: Warehouse) -> Iterator[Any]:
    """Seeds, staging views, intermediate and mart tables, and their dbt tests."""
    target = warehouse.address
    backend = backend_for(target)
    whole_project = set(context.selected_asset_keys) == set(context.assets_def.keys)
    with writer_lock(target, warehouse.lock_timeout_s):
        _stop_orphaned_dbt(target)
        backend.await_concurrent_ingests(lambda: _coalesce_with_running_ingests(context, warehouse.coalesce_ingests_s))
        project = project_digest()
        # Where other writers may commit meanwhile (a lake), every model reads the raw tables at
        # this snapshot (macro raw_source) and the fingerprint is taken at it: what the marts are
        # built from, whoever commits meanwhile.
        raw_snapshot = backend.marts_inputs_snapshot()
        # The newest snapshot, published or not: another writer may be between two of its stages.
        with connect(target, read_only=raw_snapshot is not None, snapshot=raw_snapshot, unpublished=True) as con:
            inputs = inputs_fingerprint(con, project)
            unchanged = inputs == recorded_fingerprint(con)
            built_by = recorded_run(con)
            full_refresh = warehouse.full_refresh or recorded_project(con) != project
        # A person who clicks Materialize in the UI means it: skipping unchanged work is for
        # `zhibiao build`, the sensor and the schedule.
        from_ui = context.run.tags.get(FROM_UI_TAG) == "true"
        if (unchanged and inputs and whole_project and not from_ui
                and not (warehouse.full_rebuild or warehouse.full_refresh)
                and not _unchecked_marts(context, built_by)):
            # Nothing the models read has changed since they were built: dbt would rebuild the same
            # marts. No output is yielded, so the marts keep their last materialization (and data
            # version) and the steps downstream of them are skipped; the fact mart's timeline says why.
            context.log.info(f"dbt not run: {NOT_REBUILT}")
            say("dbt: not run, nothing the marts are built from changed")
            yield dg.AssetObservation(asset_key=FACT_INDICATOR_KEY,
                                      metadata={"marts_not_rebuilt": NOT_REBUILT, "run_id": context.run.run_id})
            return
        say("dbt: building the marts " + ("from every document (full refresh)" if full_refresh else
                                          "from new and changed documents") + " and running their tests")
        def run_dbt(into: WarehouseAddress) -> tuple[list, Any]:
            return _dbt_build(context, dbt, into, full_refresh, _dbt_pid_file(target), raw_snapshot)

        def record(con: duckdb.DuckDBPyConnection, built: tuple[list, Any]) -> None:
            # Not after a failed test: the next build runs dbt, and so every test and check, again.
            record_fingerprint(con, inputs if _all_tests_passed(built[1]) else "", project, context.run.run_id)

        events, invocation = backend.build_marts(run_dbt, record)
    _keep_partial_parse(Path(invocation.target_path))
    _prune_invocation_targets(Path(invocation.target_path))

    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    relations = dbt_relations(manifest)
    # Column schema and lineage are ours, not dagster-dbt's `fetch_column_metadata()`: tried on this
    # project, it attached neither to any model (it connects through the dbt adapter, per model,
    # while the dbt process still holds the DuckDB copy it builds into; its errors are swallowed).
    # Ours reads the swapped-in warehouse once, after dbt has exited, and caches the lineage by
    # compiled SQL (it changes only when a model does).
    with connect(target, read_only=True) as con:
        lineage = cached_column_lineage(manifest, invocation.target_path, warehouse_schemas(con),
                                        key_of=lambda uid: TRANSLATOR.get_asset_spec(manifest, uid, dbt_project).key,
                                        cache_dir=_project_target())
        for event in events:
            uid = (event.metadata or {}).get("unique_id")
            uid = getattr(uid, "value", uid)
            if isinstance(event, dg.Output) and uid in relations:
                extra = table_metadata(con, *relations[uid])
                if uid in lineage:
                    extra["dagster/column_lineage"] = lineage[uid]
                    # The same as a table: the open-source UI draws column lineage only in Dagster+.
                    extra["column_lineage"] = dg.MetadataValue.md(lineage_table(lineage[uid]))
                if relations[uid][1] == "fact_indicator":
                    extra.update(fact_summary(con))
                event = event.with_metadata({**event.metadata, **extra})
            yield event
