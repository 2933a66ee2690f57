"""The `zhibiao` command: build the warehouse through Dagster, export facts, query with SQL.

    zhibiao build [--reports DIR] [--warehouse ADDRESS [--data-path DIR_OR_URL]] [--json]
    zhibiao facts [--warehouse ADDRESS]
    zhibiao sql "SELECT …" [--warehouse ADDRESS] [--format table|csv|json|markdown] [--at-snapshot N | --at TIME]
    zhibiao chart INDICATOR --out FILE.html|.png|.svg [--region NAME …] [--measure value]
    zhibiao indicators [WORD]   # the indicators with facts, their codes, counts and periods
    zhibiao snapshots [--all]   # a lake's published snapshots (what --at-snapshot reads)
    zhibiao export DIR     # every mart as DIR/<table>.parquet
    zhibiao docs [--out DIR]   # dbt's docs site for the warehouse; served on 127.0.0.1 without --out
    zhibiao prepare        # the dbt manifest and the Dagster instance, as `build` does first
    zhibiao ui             # prepare, then `dagster dev` on workspace.yaml

ADDRESS is a DuckDB file (the default, warehouse/zhibiao.duckdb), ducklake:sqlite:PATH or
ducklake:postgres:CONNINFO (orchestration/warehouse/address.py).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import duckdb

from ..ingest.folder import DEFAULT_MAX_BYTES, printable
from ..ingest.report_rows import DEFAULT_MAX_SECONDS_PER_FILE
from ..lib.console import failure_lines
from ..paths import DEFAULT_REPORTS_DIR, DEFAULT_WAREHOUSE, resolved
from ..readers.export import current_facts
from ..readers.indicators import closest_indicators, indicators
from ..readers.query import OUTPUT_FORMATS, QueryRefused, format_result, run_read_only
from ..warehouse.address import AddressError, WarehouseAddress, first_line, redact
from ..warehouse.backends import backend_for, connect, with_recorded_data_path
from ..warehouse.connection import WarehouseBusy, WarehouseUnusable, history_copies
from ..warehouse.history import DamagedCopy, restore
from ..warehouse.lake import PUBLISHED
from .environment import build_log_path, prepare_environment, telemetry_off
from .ui import run_ui

T = TypeVar("T")


def cmd_build(args: argparse.Namespace) -> int:
    warehouse = _address(args)
    prepare_environment(warehouse)
    # Imported here: Dagster takes seconds to import; `facts`, `sql` and `restore` never need it.
    from .build import run_build

    try:
        reports = resolved(args.reports)
        problem = None if reports.is_dir() else " does not exist or is not a directory"
    except OSError as err:
        reports, problem = Path(args.reports), f": {err.strerror}"
    if problem:
        message = f"report folder {reports}{problem}"
        print(f"zhibiao: {message}", file=sys.stderr)
        if args.json:
            print(json.dumps({"success": False, "error": message}, ensure_ascii=False))
        return 2
    log_path = None if args.verbose else build_log_path()
    print(f"zhibiao: building {warehouse.label} from {reports}" + (f" (full log: {log_path})" if log_path else ""),
          file=sys.stderr)
    try:
        result, summary = run_build(reports, warehouse, max_file_bytes=args.max_file_bytes,
                                    max_seconds_per_file=args.max_seconds_per_file, wait=args.wait,
                                    log_path=log_path, full=args.full or args.full_refresh,
                                    full_refresh=args.full_refresh)
    except (WarehouseBusy, WarehouseUnusable) as refused:
        print(f"zhibiao: {redact(str(refused))}", file=sys.stderr)
        if log_path is not None and not log_path.exists():
            # Refused before Dagster started: the log the first line named holds the reason.
            log_path.parent.mkdir(parents=True, exist_ok=True)
            log_path.write_text(f"zhibiao build refused: {redact(str(refused))}\n", encoding="utf-8")
        if args.json:
            print(json.dumps({"success": False, "error": str(refused)}, ensure_ascii=False))
        return 3 if isinstance(refused, WarehouseBusy) else 2
    for line in failure_lines(result):
        print(f"zhibiao: {line}", file=sys.stderr)
    for rejected in summary["reports_rejected"]:
        print(f"rejected {printable(rejected['file'])}: {rejected['reason']}", file=sys.stderr)
    for silent in summary["reports_without_facts"]:
        print(f"warning: {printable(silent['file'])} yielded no fact ({silent['numbers_in_text']} numbers "
              "in its text)", file=sys.stderr)
    ingest = (f"{summary['reports_seen']} reports seen, {summary['reports_extracted']} extracted, "
              f"{summary['reports_unchanged']} unchanged, {len(summary['reports_rejected'])} rejected"
              if summary["ingest_step_succeeded"] else "the ingest step failed (above), so no counts of the folder")
    print(
        f"zhibiao: {ingest}; "
        f"{summary['facts']} current facts"
        f"{'' if summary['marts_rebuilt'] else ' (marts unchanged: nothing they are built from changed)'}; "
        f"checks {summary['checks_passed']} passed, "
        f"{summary['checks_failed']} failed{_listed(summary['failed_checks'])}, "
        f"{summary['checks_warned']} warned{_listed(summary['warned_checks'])}; "
        f"run {summary['run_id']} {'succeeded' if result.success else 'FAILED'}",
        file=sys.stderr,
    )
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    ok = result.success and not summary["reports_rejected"] and not summary["checks_failed"]
    return 0 if ok else 1


def _address(args: argparse.Namespace) -> WarehouseAddress:
    """The command's warehouse; a lake's data path, unless given, from its catalog (once)."""
    if getattr(args, "resolved_address", None) is None:
        args.resolved_address = with_recorded_data_path(WarehouseAddress.parse(args.warehouse, args.data_path),
                                                        data_path_given=bool(args.data_path))
    return args.resolved_address


def add_warehouse_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE),
                        help="a DuckDB file (default warehouse/zhibiao.duckdb), ducklake:sqlite:PATH or "
                             "ducklake:postgres:CONNINFO")
    parser.add_argument("--data-path", help="a DuckLake's data files: a folder or URL (ducklake:sqlite: "
                                            "defaults to PATH.files/; a new ducklake:postgres: lake needs "
                                            "it, an existing one's catalog records it)")


def _positive(kind: type, *, zero: bool = False):  # noqa: ANN202 - an argparse type
    """An argparse type: a finite number above zero (or at least zero), or a one-line refusal."""
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value) or value < 0 or (value == 0 and not zero):
            raise argparse.ArgumentTypeError(f"{text!r} must be a finite number {'≥' if zero else '>'} 0")
        return value
    return parse


def _snapshot_time(text: str) -> datetime:
    try:
        time = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time (write 2026-12-04 or 2026-12-04T05:30)") from None
    return time if time.tzinfo else time.replace(tzinfo=UTC)


def _listed(names: list[str]) -> str:
    return f" ({', '.join(names)})" if names else ""


def cmd_facts(args: argparse.Namespace) -> int:
    out = sys.stdout
    for record in current_facts(_address(args)):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    if not args.query.strip():
        print("zhibiao sql: the query is empty (usage: zhibiao sql \"select …\")", file=sys.stderr)
        return 2
    address = _address(args)
    try:
        result = _interruptible(lambda: run_read_only(address, args.query, snapshot=args.at_snapshot, at=args.at,
                                                      unpublished=args.unpublished))
    except QueryRefused as err:
        print(f"zhibiao sql: {redact(str(err))}", file=sys.stderr)
        return 1
    print(format_result(result, args.format))
    return 0


def _interruptible(work: Callable[[], T]) -> T:
    """`work()`, stopped at once by Ctrl-C. A query holds the main thread inside DuckDB, where
    Python never sees the signal (a runaway recursive query ran until killed): it runs in a thread
    of its own while the main thread waits, and on Ctrl-C the process ends with status 130. It only
    read: nothing is left half-written. (DuckDB's own interrupt() from another thread crashed the
    process with std::terminate, so it is not used.)"""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as err:  # noqa: BLE001 - handed to the main thread as it is
            outcome["error"] = err

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
    except KeyboardInterrupt:
        print("zhibiao: interrupted", file=sys.stderr, flush=True)
        os._exit(130)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def cmd_chart(args: argparse.Namespace) -> int:
    from ..readers.charts import NoFigures, chart_data, render  # imported here: plotting libraries are slow to import

    try:
        with connect(_address(args), read_only=True) as con:
            data = chart_data(con, args.indicator, args.measure, tuple(args.region))
        out = render(data, Path(args.out))
    except (NoFigures, ValueError) as err:
        print(f"zhibiao chart: {redact(str(err))}{_did_you_mean(args)}", file=sys.stderr)
        return 1
    print(f"zhibiao: {data.name} in {len(data.regions)} regions over {len(data.periods)} periods → {out}",
          file=sys.stderr)
    return 0


def cmd_snapshots(args: argparse.Namespace) -> int:
    address = _address(args)
    if not backend_for(address).keeps_snapshots:
        print(f"zhibiao snapshots: {address.label} is a DuckDB file, which keeps no snapshots", file=sys.stderr)
        return 2
    try:
        result = run_read_only(address, SNAPSHOTS_SQL, parameters={"published": PUBLISHED, "all": args.all})
    except QueryRefused as err:
        print(f"zhibiao snapshots: {redact(str(err))}", file=sys.stderr)
        return 1
    print(format_result(result, args.format))
    return 0


# The snapshots an analyst reads: each ends a whole build stage (its ingest, or all of dbt). The
# others (about 40 a build) hold half a stage; --all lists them too.
SNAPSHOTS_SQL = """
select snapshot_id, snapshot_time, commit_extra_info as stage,
       coalesce(commit_message = $published, false) as published
from zhibiao.snapshots()
where $all or commit_message = $published
order by snapshot_id
"""


def _did_you_mean(args: argparse.Namespace) -> str:
    """The indicators closest to a chart's unknown one, as the end of its error line ('' when the
    names cannot be read: the error line stands on its own)."""
    try:
        close = closest_indicators(_address(args), args.indicator)
    except QueryRefused:
        return ""
    if not close or args.indicator in close:
        return ""  # no near name, or the indicator exists and only the figures asked for do not
    return f"; did you mean {', '.join(close)}? (`zhibiao indicators WORD` lists the indicators)"


def cmd_indicators(args: argparse.Namespace) -> int:
    try:
        result = indicators(_address(args), args.word, snapshot=args.at_snapshot)
    except QueryRefused as err:
        print(f"zhibiao indicators: {redact(str(err))}", file=sys.stderr)
        return 1
    if not result.rows and args.word:
        close = closest_indicators(_address(args), args.word)
        print(f"zhibiao indicators: no indicator's code, name or alias contains {args.word!r}"
              + (f"; did you mean {', '.join(close)}?" if close else ""), file=sys.stderr)
        return 1
    print(format_result(result, args.format))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ..readers.marts_export import export_marts  # imported here: pyarrow is only needed for the export

    counts = export_marts(_address(args), Path(args.dir))
    for table, rows in counts.items():
        print(f"{Path(args.dir) / (table + '.parquet')}\t{rows} rows")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from ..readers.docs_site import DocsFailed, generate_docs, serve_docs

    try:
        if args.out:
            site = generate_docs(_address(args), Path(args.out))
            print(f"zhibiao: dbt docs written to {site / 'index.html'}", file=sys.stderr)
            return 0
        with tempfile.TemporaryDirectory(prefix="zhibiao-docs-site-") as scratch:
            serve_docs(generate_docs(_address(args), Path(scratch)), args.port)
    except DocsFailed as err:
        print(f"zhibiao docs: {redact(str(err))}", file=sys.stderr)
        return 1
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    address = _address(args)
    if backend_for(address).keeps_snapshots:
        print(f"zhibiao restore: {address.label} is a lake, which keeps every snapshot: read an earlier one "
              "with `zhibiao sql --at-snapshot N` (restore applies to a DuckDB file's copies)", file=sys.stderr)
        return 2
    warehouse = address.file
    if args.copy:
        source = Path(args.copy)
    else:
        copies = history_copies(warehouse)
        source = copies[-1] if copies else None
    if source is None:
        print(f"zhibiao: no copy of the raw history beside {warehouse}; name one: zhibiao restore DIR", file=sys.stderr)
        return 2
    try:
        counts = restore(source, warehouse)
    except (DamagedCopy, FileNotFoundError) as err:
        print(f"zhibiao restore: {err}", file=sys.stderr)
        return 1
    print(f"zhibiao: restored {counts['documents']} report versions, {counts['facts']} facts and the file history "
          f"from {source} into {warehouse}; run `zhibiao build --warehouse {warehouse}` to rebuild the marts",
          file=sys.stderr)
    return 0


def cmd_prepare(args: argparse.Namespace) -> int:
    home = prepare_environment(_address(args))
    print(f"dbt manifest ready; Dagster instance at {home}")
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    reports = resolved(args.reports) if getattr(args, "reports", None) else None
    if reports is not None and not reports.is_dir():
        print(f"zhibiao: report folder {reports} does not exist or is not a directory", file=sys.stderr)
        return 2
    return run_ui(args.dagster_args, _address(args) if args.warehouse else None, reports)


def split_ui_arguments(argv: list[str]) -> argparse.Namespace:
    """`zhibiao ui [--warehouse ADDRESS [--data-path DIR]] [--reports DIR] [DAGSTER DEV ARGUMENTS]`:
    zhibiao's own options first, everything else for dagster dev (-p 3001 -h 0.0.0.0)."""
    own = {"--warehouse": None, "--data-path": None, "--reports": None}
    rest = [a for a in argv if a != "--"]
    while rest[:1] and rest[0].split("=")[0] in own:
        name, _, value = rest.pop(0).partition("=")
        own[name] = value or (rest.pop(0) if rest else "")
    return argparse.Namespace(func=cmd_ui, dagster_args=rest, warehouse=own["--warehouse"],
                              data_path=own["--data-path"], reports=own["--reports"])


def _redacted_traceback(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    """A traceback that quotes a warehouse address prints it without its password."""
    sys.stderr.write(redact("".join(traceback.format_exception(kind, error, trace))))


def main(argv: list[str] | None = None) -> int:
    telemetry_off()
    sys.excepthook = _redacted_traceback
    parser = argparse.ArgumentParser(prog="zhibiao", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="materialise every asset through Dagster")
    build.add_argument("--reports", default=str(DEFAULT_REPORTS_DIR), help="report folder (default seeds/reports)")
    add_warehouse_options(build)
    build.add_argument("--json", action="store_true", help="end with one JSON summary line on stdout")
    build.add_argument("--full", action="store_true",
                       help="rebuild the marts even when nothing they are built from changed")
    build.add_argument("--full-refresh", action="store_true",
                       help="rebuild the incremental models from every document, not only new or changed ones")
    build.add_argument("--verbose", action="store_true",
                       help="show Dagster's and dbt's full log live (by default it goes to a log file)")
    build.add_argument("--max-file-bytes", type=_positive(int), default=DEFAULT_MAX_BYTES,
                       help=f"reject larger files before reading them (default {DEFAULT_MAX_BYTES})")
    build.add_argument("--max-seconds-per-file", type=_positive(float), default=DEFAULT_MAX_SECONDS_PER_FILE,
                       help="reject a file whose extraction takes longer (default %(default)g s)")
    build.add_argument("--wait", type=_positive(float, zero=True), default=600.0,
                       help="seconds to wait for another build writing the same warehouse (0: stop at once)")
    build.set_defaults(func=cmd_build)

    facts = sub.add_parser("facts", help="print every current fact as JSON Lines (GOLD_SCHEMA fields)")
    add_warehouse_options(facts)
    facts.set_defaults(func=cmd_facts)

    sql = sub.add_parser("sql", help="run SQL against the warehouse (read-only)")
    sql.add_argument("query")
    add_warehouse_options(sql)
    sql.add_argument("--format", choices=OUTPUT_FORMATS, default="table",
                     help="table (default), csv, json (one object per line) or markdown")
    history = sql.add_mutually_exclusive_group()
    history.add_argument("--at-snapshot", type=int, metavar="N", help="a lake: read snapshot N (ids from "
                         "`zhibiao snapshots`)")
    history.add_argument("--at", type=_snapshot_time, metavar="TIME",
                         help="a lake: read it as the last build published it by this time (ISO, UTC)")
    sql.add_argument("--unpublished", action="store_true",
                     help="let --at-snapshot/--at read a snapshot no build published (half a build stage)")
    sql.set_defaults(func=cmd_sql)

    snapshots = sub.add_parser("snapshots", help="a lake: the published snapshots --at-snapshot reads")
    add_warehouse_options(snapshots)
    snapshots.add_argument("--all", action="store_true", help="every snapshot, the unpublished too")
    snapshots.add_argument("--format", choices=OUTPUT_FORMATS, default="table")
    snapshots.set_defaults(func=cmd_snapshots)

    chart = sub.add_parser("chart", help="draw one indicator across regions and periods")
    chart.add_argument("indicator", help="a catalogue code (urban_new_jobs) or a Chinese indicator name")
    chart.add_argument("--out", required=True, help="FILE.html (interactive, offline), FILE.png or FILE.svg")
    chart.add_argument("--region", action="append", default=[], help="only this region (repeatable)")
    chart.add_argument("--measure", default="value", choices=("value", "change", "target", "completion", "share"))
    add_warehouse_options(chart)
    chart.set_defaults(func=cmd_chart)

    listing = sub.add_parser("indicators", help="list the indicators with facts: codes, names, counts, periods")
    listing.add_argument("word", nargs="?", default="",
                         help="only those whose code, name or alias contains it (就业, pension)")
    add_warehouse_options(listing)
    listing.add_argument("--format", choices=OUTPUT_FORMATS, default="table")
    listing.add_argument("--at-snapshot", type=int, metavar="N", help="a lake: read snapshot N")
    listing.set_defaults(func=cmd_indicators)

    export = sub.add_parser("export", help="write every mart as DIR/<table>.parquet")
    export.add_argument("dir")
    add_warehouse_options(export)
    export.set_defaults(func=cmd_export)

    docs = sub.add_parser("docs", help="dbt's docs site for the warehouse (served on 127.0.0.1 without --out)")
    docs.add_argument("--out", help="write index.html, manifest.json and catalog.json here instead of serving")
    docs.add_argument("--port", type=int, default=8580)
    add_warehouse_options(docs)
    docs.set_defaults(func=cmd_docs)

    restore = sub.add_parser("restore", help="rebuild a warehouse's raw tables from a copy of its raw history")
    restore.add_argument("copy", nargs="?", help="a copy folder (default: the newest beside the warehouse)")
    add_warehouse_options(restore)
    restore.set_defaults(func=cmd_restore)

    prepare = sub.add_parser("prepare", help="parse the dbt project and create the Dagster instance")
    add_warehouse_options(prepare)
    prepare.set_defaults(func=cmd_prepare)

    ui = sub.add_parser("ui", help="open the Dagster UI (dagster dev) with the daemon, sensor and schedule")
    add_warehouse_options(ui)
    ui.add_argument("--reports", help="the report folder the sensor watches (default seeds/reports)")
    ui.add_argument("dagster_args", nargs="*", help="passed on to dagster dev (e.g. -p 3001)")
    ui.set_defaults(func=cmd_ui)

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["ui"] and not {"-h", "--help"} & set(argv[1:2]):
        # Everything after `ui` belongs to dagster dev (-p 3001 -h 0.0.0.0), not to zhibiao.
        args = split_ui_arguments(argv[1:])
    else:
        args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, AddressError) as err:
        print(f"zhibiao: {redact(str(err))}", file=sys.stderr)
        return 2
    except duckdb.Error as err:
        # A file that is no warehouse (empty, truncated, locked by a writer), or one with no marts yet.
        hint = "; run `zhibiao build` first" if isinstance(err, duckdb.CatalogException) else ""
        where = f" {_address(args).label}" if getattr(args, "warehouse", None) else ""
        print(f"zhibiao {args.command}: cannot read{where}: {redact(first_line(err))}{hint}", file=sys.stderr)
        return 1
    except OSError as err:
        # A folder or file the command cannot use: a symlink loop, an --out that is a file, no permission.
        where = f": {err.filename}" if err.filename else ""
        print(f"zhibiao {args.command}: {redact(err.strerror or str(err))}{where}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
