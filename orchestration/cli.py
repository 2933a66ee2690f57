"""The `zhibiao` command: build the warehouse through Dagster, export facts, query with SQL.

    zhibiao build [--reports DIR] [--warehouse FILE] [--json]
    zhibiao facts [--warehouse FILE]
    zhibiao sql "SELECT …" [--warehouse FILE]
    zhibiao prepare        # the dbt manifest and the Dagster instance, as `build` does first
    zhibiao ui             # prepare, then `dagster dev` on workspace.yaml
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .console import failure_lines, output_to
from .export import fact_record
from .ingest.folder import DEFAULT_MAX_BYTES, printable
from .ingest.report_rows import DEFAULT_MAX_SECONDS_PER_FILE
from .paths import DEFAULT_DAGSTER_HOME, DEFAULT_REPORTS_DIR, DEFAULT_WAREHOUSE, PROJECT_ROOT

INSTANCE_TEMPLATE = Path(__file__).parent / "instance" / "dagster.yaml"


def prepare_environment() -> Path:
    """Telemetry off, a Dagster instance with one writer at a time, and a current dbt manifest."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(DEFAULT_DAGSTER_HOME)))
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copyfile(INSTANCE_TEMPLATE, home / "dagster.yaml")
    ensure_dbt_manifest()
    return home


def ensure_dbt_manifest() -> None:
    """Parse the dbt project when its manifest is missing or older than a model, test or seed."""
    from .defs.resources import dbt_project

    manifest = dbt_project.manifest_path
    sources = [p for d in (dbt_project.project_dir, PROJECT_ROOT / "seeds" / "reference")
               for p in Path(d).rglob("*") if p.suffix in {".sql", ".yml", ".csv"} and "target" not in p.parts]
    if manifest.exists() and all(p.stat().st_mtime <= manifest.stat().st_mtime for p in sources):
        return
    dbt_project.preparer.prepare(dbt_project)


def _step_seconds(instance, run_id: str) -> dict[str, float]:  # noqa: ANN001 - a DagsterInstance
    """Wall time of each step of the run (ingest, dbt, checks): where a build's time went."""
    return {s.step_key: round(s.end_time - s.start_time, 2)
            for s in instance.get_run_step_stats(run_id) if s.start_time and s.end_time}


def _summary(result: Any, warehouse: Path, step_seconds: dict[str, float]) -> dict[str, Any]:
    from .warehouse import connect

    ingest: dict[str, Any] = {}
    for event in result.get_asset_materialization_events():
        mat = event.materialization
        if mat.asset_key.path == ["raw", "documents"] and "ingest_summary" in mat.metadata:
            ingest = mat.metadata["ingest_summary"].value
    from dagster import AssetCheckSeverity

    checks = result.get_asset_check_evaluations()
    # A check of WARN severity (value conflicts between documents) flags data; it does not fail.
    failed = [f"{c.asset_key.to_user_string()}:{c.check_name}" for c in checks
              if not c.passed and c.severity != AssetCheckSeverity.WARN]
    warned = [f"{c.asset_key.to_user_string()}:{c.check_name}" for c in checks
              if not c.passed and c.severity == AssetCheckSeverity.WARN]
    facts = 0
    if warehouse.exists():
        try:
            with connect(warehouse, read_only=True) as con:
                facts = con.execute("select count(*) from marts.fact_indicator where is_current").fetchone()[0]
        except Exception:  # noqa: BLE001 - a warehouse without marts yet has no facts to count
            facts = 0
    return {
        "success": result.success,
        "reports_seen": ingest.get("reports_seen", 0),
        "reports_extracted": ingest.get("reports_extracted", 0),
        "reports_unchanged": ingest.get("reports_unchanged", 0),
        "reports_rejected": ingest.get("reports_rejected", []),
        "facts": facts,
        "checks_passed": len(checks) - len(failed) - len(warned),
        "checks_failed": len(failed),
        "failed_checks": failed,
        "checks_warned": len(warned),
        "warned_checks": warned,
        "warehouse": str(warehouse),
        "run_id": result.run_id,
        "step_seconds": step_seconds,
    }


CLI_RUN_TAG = "zhibiao/launched_by"
PID_TAG = "zhibiao/pid"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def release_abandoned_runs(instance) -> list[str]:  # noqa: ANN001 - a DagsterInstance
    """Fail the runs of `zhibiao build` processes that were killed, and free their pool slots.

    A build killed with SIGKILL cannot report its run as ended; its claim on the duckdb_writer
    pool would then block every later build. Called while holding the warehouse lock.
    """
    from dagster import DagsterRunStatus, RunsFilter

    unfinished = [DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]
    released = []
    for record in instance.get_run_records(RunsFilter(statuses=unfinished, tags={CLI_RUN_TAG: "cli"})):
        run = record.dagster_run
        pid = int(run.tags.get(PID_TAG, "0") or 0)
        if pid and _process_alive(pid):
            continue
        instance.report_run_failed(
            run, message=f"the zhibiao build process (pid {pid}) ended without finishing this run")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        released.append(run.run_id)
    return released


def _listed(names: list[str]) -> str:
    return f" ({', '.join(names)})" if names else ""


def build_log_path() -> Path:
    """A new log file for one build's full event log, in the Dagster instance's folder."""
    home = Path(os.environ.get("DAGSTER_HOME", str(DEFAULT_DAGSTER_HOME)))
    return home / "logs" / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"


def cmd_build(args: argparse.Namespace) -> int:
    prepare_environment()
    from dagster import DagsterInstance

    from .definitions import defs

    warehouse = Path(args.warehouse).resolve()
    reports = Path(args.reports).resolve()
    from .warehouse import WarehouseBusy, WarehouseUnusable, check_folder, check_writable, writer_lock

    run_config = {"resources": {
        "reports": {"config": {"directory": str(reports), "max_file_bytes": args.max_file_bytes,
                               "max_seconds_per_file": args.max_seconds_per_file}},
        "warehouse": {"config": {"path": str(warehouse), "lock_timeout_s": args.wait}},
    }}
    if not reports.is_dir():
        print(f"zhibiao: report folder {reports} does not exist or is not a directory", file=sys.stderr)
        return 2
    job = defs.resolve_job_def("build_warehouse")
    try:
        check_folder(warehouse)
        # One build writes a warehouse at a time: a second one waits (--wait) or stops here.
        with writer_lock(warehouse, args.wait):
            check_writable(warehouse, args.wait)
            log_path = None if args.verbose else build_log_path()
            print(f"zhibiao: building {warehouse} from {reports}"
                  + (f" (full log: {log_path})" if log_path else ""), file=sys.stderr)
            with DagsterInstance.get() as instance:
                for run_id in release_abandoned_runs(instance):
                    print(f"zhibiao: marked run {run_id} of a killed build as failed", file=sys.stderr)
                with output_to(log_path):
                    result = job.execute_in_process(instance=instance, run_config=run_config, raise_on_error=False,
                                                    tags={CLI_RUN_TAG: "cli", PID_TAG: str(os.getpid())})
                step_seconds = _step_seconds(instance, result.run_id)
    except WarehouseBusy as busy:
        print(f"zhibiao: {busy}", file=sys.stderr)
        if args.json:
            print(json.dumps({"success": False, "error": str(busy)}, ensure_ascii=False))
        return 3
    except WarehouseUnusable as unusable:
        print(f"zhibiao: {unusable}", file=sys.stderr)
        if args.json:
            print(json.dumps({"success": False, "error": str(unusable)}, ensure_ascii=False))
        return 2
    summary = _summary(result, warehouse, step_seconds)
    for line in failure_lines(result):
        print(f"zhibiao: {line}", file=sys.stderr)
    for rejected in summary["reports_rejected"]:
        print(f"rejected {printable(rejected['file'])}: {rejected['reason']}", file=sys.stderr)
    print(
        f"zhibiao: {summary['reports_seen']} reports seen, {summary['reports_extracted']} extracted, "
        f"{summary['reports_unchanged']} unchanged, {len(summary['reports_rejected'])} rejected; "
        f"{summary['facts']} current facts; checks {summary['checks_passed']} passed, "
        f"{summary['checks_failed']} failed{_listed(summary['failed_checks'])}, "
        f"{summary['checks_warned']} warned{_listed(summary['warned_checks'])}; "
        f"run {summary['run_id']} {'succeeded' if result.success else 'FAILED'}",
        file=sys.stderr,
    )
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    ok = result.success and not summary["reports_rejected"] and not summary["checks_failed"]
    return 0 if ok else 1


CURRENT_FACTS_SQL = """
select f.source_file as doc, f.number_offset, f.number_text, f.quote, f.indicator_phrase, f.value,
       f.unit, f.measure, f.basis, r.region_name, nullif(f.period_key, 'unknown') as period,
       nullif(p.program_name, '(none)') as program
from marts.fact_indicator f
join marts.dim_region r using (region_key)
join marts.dim_program p using (program_key)
where f.is_current
order by f.source_file, f.number_offset, f.measure, f.fact_id
"""


def current_facts(warehouse: Path) -> list[dict[str, Any]]:
    from types import SimpleNamespace

    from .warehouse import connect

    with connect(warehouse, read_only=True) as con:
        rows = con.execute(CURRENT_FACTS_SQL).fetchall()
    out = []
    for doc, offset, number_text, quote, indicator, value, unit, measure, basis, region, period, program in rows:
        fact = SimpleNamespace(offset=offset, number_text=number_text, quote=quote, indicator=indicator,
                               value=value, unit=unit, measure=measure, basis=basis, region=region,
                               period=period, program=program)
        out.append(fact_record(doc, fact))
    return out


def cmd_facts(args: argparse.Namespace) -> int:
    out = sys.stdout
    for record in current_facts(Path(args.warehouse)):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    from .query import QueryRefused, format_result, run_read_only

    if not args.query.strip():
        print("zhibiao sql: the query is empty (usage: zhibiao sql \"select …\")", file=sys.stderr)
        return 2
    try:
        result = run_read_only(Path(args.warehouse), args.query)
    except QueryRefused as err:
        print(f"zhibiao sql: {err}", file=sys.stderr)
        return 1
    print(format_result(result, args.format))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from .history import copies, restore

    warehouse = Path(args.warehouse).resolve()
    source = Path(args.copy) if args.copy else (copies(warehouse)[-1] if copies(warehouse) else None)
    if source is None:
        print(f"zhibiao: no copy of the raw history beside {warehouse}; name one: zhibiao restore DIR", file=sys.stderr)
        return 2
    counts = restore(source, warehouse)
    print(f"zhibiao: restored {counts['documents']} report versions, {counts['facts']} facts and the file history "
          f"from {source} into {warehouse}; run `zhibiao build --warehouse {warehouse}` to rebuild the marts",
          file=sys.stderr)
    return 0


def cmd_prepare(args: argparse.Namespace) -> int:
    home = prepare_environment()
    print(f"dbt manifest ready; Dagster instance at {home}")
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    prepare_environment()
    dagster = shutil.which("dagster") or str(Path(sys.executable).with_name("dagster"))
    # dagster dev starts a webserver, a daemon, a code server and runs: all in a process group of
    # their own, so that stopping `zhibiao ui` (Ctrl-C, SIGTERM) stops every one of them at once.
    ui = subprocess.Popen([dagster, "dev", "-w", str(PROJECT_ROOT / "workspace.yaml"), *args.dagster_args],
                          start_new_session=True)

    def stop_group(signum: int, frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(ui.pid, signal.SIGTERM)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop_group)
    code = ui.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(ui.pid, signal.SIGKILL)  # anything of the group that outlived dagster dev
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhibiao", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="materialise every asset through Dagster")
    build.add_argument("--reports", default=str(DEFAULT_REPORTS_DIR), help="report folder (default seeds/reports)")
    build.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE),
                       help="DuckDB file (default warehouse/zhibiao.duckdb)")
    build.add_argument("--json", action="store_true", help="end with one JSON summary line on stdout")
    build.add_argument("--verbose", action="store_true",
                       help="show Dagster's and dbt's full log live (by default it goes to a log file)")
    build.add_argument("--max-file-bytes", type=int, default=DEFAULT_MAX_BYTES,
                       help=f"reject larger files before reading them (default {DEFAULT_MAX_BYTES})")
    build.add_argument("--max-seconds-per-file", type=float, default=DEFAULT_MAX_SECONDS_PER_FILE,
                       help="reject a file whose extraction takes longer (default %(default)g s)")
    build.add_argument("--wait", type=float, default=600.0,
                       help="seconds to wait for another build writing the same warehouse (0: stop at once)")
    build.set_defaults(func=cmd_build)

    facts = sub.add_parser("facts", help="print every current fact as JSON Lines (GOLD_SCHEMA fields)")
    facts.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    facts.set_defaults(func=cmd_facts)

    sql = sub.add_parser("sql", help="run SQL against the warehouse (read-only)")
    sql.add_argument("query")
    sql.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    sql.add_argument("--format", choices=("table", "csv", "json", "markdown"), default="table",
                     help="table (default), csv, json (one object per line) or markdown")
    sql.set_defaults(func=cmd_sql)

    restore = sub.add_parser("restore", help="rebuild a warehouse's raw tables from a copy of its raw history")
    restore.add_argument("copy", nargs="?", help="a copy folder (default: the newest beside the warehouse)")
    restore.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    restore.set_defaults(func=cmd_restore)

    prepare = sub.add_parser("prepare", help="parse the dbt project and create the Dagster instance")
    prepare.set_defaults(func=cmd_prepare)

    ui = sub.add_parser("ui", help="open the Dagster UI (dagster dev) with the daemon, sensor and schedule")
    ui.add_argument("dagster_args", nargs="*", help="passed on to dagster dev (e.g. -p 3001)")
    ui.set_defaults(func=cmd_ui)

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["ui"] and not {"-h", "--help"} & set(argv[1:2]):
        # Everything after `ui` belongs to dagster dev (-p 3001 -h 0.0.0.0), not to zhibiao.
        args = argparse.Namespace(func=cmd_ui, dagster_args=[a for a in argv[1:] if a != "--"])
    else:
        args = parser.parse_args(argv)
    try:
        return args.func(args)
    except FileNotFoundError as err:
        print(f"zhibiao: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
