"""Memory against corpus size: full and add-one builds of generated corpora of growing size into a
DuckDB file and into a DuckLake with a PostgreSQL catalog, with the peak RSS of each build's whole
process tree. Writes benchmarks/RESULTS-memory.md; the last line printed is the figures as JSON.

    uv run python benchmarks/memory.py                        # 10,000 and 100,000 reports
    uv run python benchmarks/memory.py --sizes 1000 10000     # a shorter run
"""

from __future__ import annotations

import argparse
import json
import os
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


def measure(size: int, generated: list[Path], work: Path, env: dict[str, str]) -> dict:
    row: dict = {"reports": size}
    with local_postgres() as postgres:  # a server per size: each lake starts empty
        targets = {
            "DuckDB file": (str(work / f"wh_{size}.duckdb"), ()),
            "DuckLake, PostgreSQL catalog": (f"ducklake:postgres:{postgres}",
                                             ("--data-path", str(work / f"pg_data_{size}"))),
        }
        for name, (address, options) in targets.items():
            corpus, extra = corpus_of(size, generated, work / f"corpus_{size}_{len(row)}")
            full = timed_build(corpus, address, env, *options)
            os.link(extra, corpus / extra.name)
            row[name] = {"full": full, "add_one": timed_build(corpus, address, env, *options)}
            print(json.dumps({"reports": size, "warehouse": name, **row[name]}), file=sys.stderr, flush=True)
    return row


def peak(build: dict) -> float:
    return max(build["full"]["peak_rss_mb"], build["add_one"]["peak_rss_mb"])


def write_results(result: dict) -> None:
    rows = result["rows"]
    lines = ["# Memory against corpus size", "",
             f"Measured {result['date']} on {result['machine']} by `uv run python benchmarks/memory.py"
             f"{result['arguments']}` (generated corpus, benchmarks/generate.py). Peak RSS is that of the "
             "build's whole process tree (Dagster, its step processes, dbt), sampled every 0.1 s.", "",
             "| reports | warehouse | full build | its peak RSS | add one report | its peak RSS | current facts | ok |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        for name, build in row.items():
            if name == "reports":
                continue
            full, add = build["full"], build["add_one"]
            lines.append(f"| {row['reports']:,} | {name} | {full['seconds']} s (ingest {full['ingest_s']} s, dbt "
                         f"{full['dbt_s']} s) | {full['peak_rss_mb']} MB | {add['seconds']} s | "
                         f"{add['peak_rss_mb']} MB | {add['facts']:,} | {full['ok'] and add['ok']} |")
    if len(rows) >= 2:
        smallest, largest = rows[0], rows[-1]
        lines += ["", f"## Target (issue 29): peak RSS at {largest['reports']:,} reports ≤ {GROWTH_LIMIT}× the peak "
                  f"at {smallest['reports']:,}", "", "| warehouse | peak, smaller | peak, larger | ratio | |",
                  "|---|---|---|---|---|"]
        for name in (n for n in largest if n != "reports" and n in smallest):
            ratio = peak(largest[name]) / peak(smallest[name])
            lines.append(f"| {name} | {peak(smallest[name])} MB | {peak(largest[name])} MB | {ratio:.2f}× | "
                         f"{'met' if ratio <= GROWTH_LIMIT else 'missed'} |")
    previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    analysis = previous[previous.index(ANALYSIS_MARKER):] if ANALYSIS_MARKER in previous else ""
    RESULTS.write_text("\n".join(lines) + "\n" + ("\n" + analysis if analysis else ""), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000],
                        help="report counts, smallest first (default 10000 100000)")
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    result: dict = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(), "rows": [],
                    "arguments": "" if sizes == [10000, 100000] else " --sizes " + " ".join(map(str, sizes))}
    with tempfile.TemporaryDirectory(prefix="zhibiao-memory-bench-") as scratch:
        work = Path(scratch)
        env = {**os.environ, "DAGSTER_HOME": str(work / "dagster_home"), "DO_NOT_TRACK": "1"}
        # One corpus, generated once: each size is its first reports, as a growing collection is.
        generated = generate(sizes[-1] + 1, work / "generated")
        for size in sizes:
            result["rows"].append(measure(size, generated, work, env))
            write_results(result)  # after each size: a later one that fails keeps the earlier figures
    print(json.dumps(result))


if __name__ == "__main__":
    main()
