"""Memory against corpus size: full and add-one builds of generated corpora of growing size into a
DuckDB file and into a DuckLake with a PostgreSQL catalog, with the peak RSS of each build's whole
process tree. Each build pair measured is appended to benchmarks/RESULTS-memory.jsonl (with its date and
commit) and benchmarks/RESULTS-memory.md is written from the newest line of each size and warehouse,
so a run of one size or one backend keeps the others' figures. The last line printed is this run's
figures as JSON.

    uv run python benchmarks/memory.py                        # 10,000 and 100,000 reports
    uv run python benchmarks/memory.py --sizes 1000 10000     # a shorter run
    uv run python benchmarks/memory.py --sizes 100000 --warehouses lake   # one backend, one size
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from generate import generate  # noqa: E402
from helpers import local_postgres  # noqa: E402
from run import machine, timed_build  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS-memory.md"
MEASUREMENTS = RESULTS.with_suffix(".jsonl")
ANALYSIS_MARKER = "<!-- analysis: written by people, not by benchmarks/memory.py -->"
# Issue 29: peak RSS at the largest size at most this many times the peak at the smallest.
GROWTH_LIMIT = 1.2


def corpus_of(size: int, generated: list[Path], folder: Path) -> tuple[Path, Path]:
    """A folder holding the first `size` generated reports (hard links, no copies) and, apart, the
    next one, which the add-one build adds."""
    folder.mkdir()
    for report in generated[:size]:
        os.link(report, folder / report.name)
    held = folder.with_name(folder.name + "_next")
    held.mkdir()
    os.link(generated[size], held / generated[size].name)
    return folder, held / generated[size].name


WAREHOUSES = {"file": "DuckDB file", "lake": "DuckLake, PostgreSQL catalog"}


def measure(size: int, generated: list[Path], work: Path, env: dict[str, str], warehouses: list[str],
            stamp: dict) -> list[dict]:
    """Full and add-one builds of `size` reports into each warehouse, each pair appended to the
    measurements file as soon as it ends: a later build that fails keeps the earlier figures."""
    measured = []
    with local_postgres() as postgres:  # a server per size: each lake starts empty
        targets = {
            "file": (str(work / f"wh_{size}.duckdb"), ()),
            "lake": (f"ducklake:postgres:{postgres}", ("--data-path", str(work / f"pg_data_{size}"))),
        }
        for key in warehouses:
            address, options = targets[key]
            corpus, extra = corpus_of(size, generated, work / f"corpus_{size}_{key}")
            full = timed_build(corpus, address, env, *options)
            os.link(extra, corpus / extra.name)
            line = {"reports": size, "warehouse": WAREHOUSES[key], **stamp,
                    "full": full, "add_one": timed_build(corpus, address, env, *options)}
            with MEASUREMENTS.open("a", encoding="utf-8") as out:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
            print(json.dumps(line, ensure_ascii=False), file=sys.stderr, flush=True)
            measured.append(line)
    return measured


def peak(line: dict) -> float:
    return max(line["full"]["peak_rss_mb"], line["add_one"]["peak_rss_mb"])


def newest_measurements() -> dict[tuple[int, str], dict]:
    """The newest line of each size and warehouse in the measurements file."""
    newest: dict[tuple[int, str], dict] = {}
    if MEASUREMENTS.exists():
        for text in MEASUREMENTS.read_text(encoding="utf-8").splitlines():
            if text.strip():
                line = json.loads(text)
                newest[(line["reports"], line["warehouse"])] = line
    return newest


def write_results() -> None:
    newest = newest_measurements()
    lines = ["# Memory against corpus size", "",
             "Written by `uv run python benchmarks/memory.py` from the newest measurement of each size and "
             "warehouse in `RESULTS-memory.jsonl` (generated corpus, benchmarks/generate.py). Peak RSS is that "
             "of the build's whole process tree (Dagster, its step processes, dbt), sampled every 0.1 s.", "",
             "| reports | warehouse | full build | its peak RSS | add one report | its peak RSS | current facts | ok "
             "| measured |",
             "|---|---|---|---|---|---|---|---|---|"]
    for (size, name), line in sorted(newest.items()):
        full, add = line["full"], line["add_one"]
        lines.append(f"| {size:,} | {name} | {full['seconds']} s (ingest {full['ingest_s']} s, dbt "
                     f"{full['dbt_s']} s) | {full['peak_rss_mb']} MB | {add['seconds']} s | "
                     f"{add['peak_rss_mb']} MB | {add['facts']:,} | {full['ok'] and add['ok']} | "
                     f"{line['date']}, {line['commit']}, {line['machine']} |")
    sizes = sorted({size for size, _ in newest})
    if len(sizes) >= 2:
        smallest, largest = sizes[0], sizes[-1]
        lines += ["", f"## Target (issue 29): peak RSS at {largest:,} reports ≤ {GROWTH_LIMIT}× the peak "
                  f"at {smallest:,}", "", "| warehouse | peak, smaller | peak, larger | ratio | |",
                  "|---|---|---|---|---|"]
        for name in WAREHOUSES.values():
            small, large = newest.get((smallest, name)), newest.get((largest, name))
            if small is None:
                continue
            if large is None:
                lines.append(f"| {name} | {peak(small)} MB | not measured | | open |")
                continue
            ratio = peak(large) / peak(small)
            lines.append(f"| {name} | {peak(small)} MB | {peak(large)} MB | {ratio:.2f}× | "
                         f"{'met' if ratio <= GROWTH_LIMIT else 'missed'} |")
    previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    analysis = previous[previous.index(ANALYSIS_MARKER):] if ANALYSIS_MARKER in previous else ""
    RESULTS.write_text("\n".join(lines) + "\n" + ("\n" + analysis if analysis else ""), encoding="utf-8")


def commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=RESULTS.parent, capture_output=True,
                           text=True, check=False)
    return found.stdout.strip() or "unknown commit"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000],
                        help="report counts, smallest first (default 10000 100000)")
    parser.add_argument("--warehouses", nargs="+", choices=sorted(WAREHOUSES), default=list(WAREHOUSES),
                        help="which backends to build (default both)")
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    stamp = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "commit": commit(), "machine": machine()}
    measured = []
    with tempfile.TemporaryDirectory(prefix="zhibiao-memory-bench-") as scratch:
        work = Path(scratch)
        env = {**os.environ, "DAGSTER_HOME": str(work / "dagster_home"), "DO_NOT_TRACK": "1"}
        # One corpus, generated once: each size is its first reports, as a growing collection is.
        generated = generate(sizes[-1] + 1, work / "generated")
        for size in sizes:
            measured += measure(size, generated, work, env, args.warehouses, stamp)
            write_results()
    print(json.dumps(measured, ensure_ascii=False))


if __name__ == "__main__":
    main()
