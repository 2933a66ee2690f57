"""The DuckLake benchmark: one generated corpus built into a DuckDB file, a lake with a SQLite
catalog and a lake with a PostgreSQL catalog (full and no-op builds); the same corpus by one
writer and by two at once (split in two folders) into a SQLite lake, on the whole machine and with
each build confined to one core (as writers on machines of their own); and a reader running
`zhibiao sql` every second while a build rewrites every mart of that lake. Writes benchmarks/RESULTS-lake.md; the
last line printed is the figures as JSON.

    uv run python benchmarks/lake.py                 # 1,000 reports
    uv run python benchmarks/lake.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from generate import generate  # noqa: E402
from helpers import local_postgres  # noqa: E402
from run import PROJECT_ROOT, machine, start_build, timed_build  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS-lake.md"
READER_QUERY = "select count(*) from fact_indicator where is_current"


def read_current_facts(address: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`zhibiao sql` counting the lake's current facts, as a reader would run it."""
    return subprocess.run([sys.executable, "-m", "orchestration.app.cli", "sql", READER_QUERY, "--warehouse", address,
                           "--format", "csv"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)


class PollingReader:
    """Runs `zhibiao sql` on a warehouse every second until stopped; counts the runs that failed."""

    def __init__(self, address: str, env: dict[str, str]) -> None:
        self.address, self.env = address, env
        self.results: list[tuple[int, str]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self.stop.is_set():
            done = read_current_facts(self.address, self.env)
            self.results.append((done.returncode, done.stderr.strip()[-300:]))
            time.sleep(1)

    def __enter__(self) -> PollingReader:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def summary(self) -> dict:
        failures = [err for code, err in self.results if code]
        return {"queries": len(self.results), "failed": len(failures), "first_failure": failures[:1]}


def concurrent_builds(folders: list[Path], address: str, env: dict[str, str],
                      cores: list[set[int]] | None = None) -> dict:
    """Build each folder into `address` at the same time (the i-th on cores[i] only, if given); wall
    time until the last one ends."""
    start = time.perf_counter()
    processes = [start_build(folder, address, env, cores=cores[index] if cores else None)
                 for index, folder in enumerate(folders)]
    outputs = [process.communicate()[0] for process in processes]
    seconds = time.perf_counter() - start
    summaries = [json.loads(out.strip().splitlines()[-1]) for out in outputs]
    return {"seconds": round(seconds, 2), "ok": all(p.returncode == 0 for p in processes),
            "extracted": sum(s.get("reports_extracted", 0) for s in summaries),
            "facts": max(s.get("facts", 0) for s in summaries),
            "ingest_s": [s["step_seconds"].get("raw_reports") for s in summaries],
            "dbt_s": [s["step_seconds"].get("warehouse_models") for s in summaries]}


def current_facts(address: str, env: dict[str, str]) -> int | str:
    """The lake's current facts, or why they cannot be read."""
    done = read_current_facts(address, env)
    return int(done.stdout.splitlines()[1]) if done.returncode == 0 else done.stderr.strip()[-300:]


def measure(size: int, work: Path, env: dict[str, str], postgres: str) -> dict:
    corpus = work / f"corpus_{size}"
    generate(size, corpus)
    row: dict = {"reports": size}
    targets = {
        "file": (str(work / f"wh_{size}.duckdb"), ()),
        "sqlite": (f"ducklake:sqlite:{work}/lake_{size}.sqlite", ()),
        "postgres": (f"ducklake:postgres:{postgres}", ("--data-path", str(work / f"pg_data_{size}"))),
    }
    for name, (address, options) in targets.items():
        row[name] = {"full": timed_build(corpus, address, env, *options),
                     "noop": timed_build(corpus, address, env, *options)}
    # The same corpus in two folders, by two builds at once, into a new lake, with a reader.
    halves = [work / f"half_a_{size}", work / f"half_b_{size}"]
    for index, report in enumerate(sorted(corpus.glob("*.txt"))):
        halves[index % 2].mkdir(exist_ok=True)
        shutil.copy(report, halves[index % 2] / report.name)
    two = f"ducklake:sqlite:{work}/two_{size}.sqlite"
    row["two_writers"] = concurrent_builds(halves, two, env)
    row["two_writers"]["current_facts"] = current_facts(two, env)
    # Writers on machines of their own, emulated by one core per build: one writer alone on core 0
    # against two writers at once, one per core, each into a new lake.
    alone, pair = f"ducklake:sqlite:{work}/alone_{size}.sqlite", f"ducklake:sqlite:{work}/pair_{size}.sqlite"
    row["one_core_each"] = {"one_writer": timed_build(corpus, alone, env, cores={0}),
                            "two_writers": concurrent_builds(halves, pair, env, cores=[{0}, {1}])}
    row["one_core_each"]["two_writers"]["current_facts"] = current_facts(pair, env)
    row["one_core_each"]["speedup"] = round(row["one_core_each"]["one_writer"]["seconds"]
                                            / row["one_core_each"]["two_writers"]["seconds"], 2)
    # A reader every second while a build rewrites every mart of that lake (dbt with --full).
    with PollingReader(two, env) as reader:
        row["rebuild_while_reading"] = timed_build(halves[0], two, env, "--full")
    row["reader"] = reader.summary()
    row["one_writer_s"] = row["sqlite"]["full"]["seconds"]
    row["speedup_two_vs_one"] = round(row["one_writer_s"] / row["two_writers"]["seconds"], 2)
    row["same_facts"] = row["two_writers"]["current_facts"] == row["sqlite"]["full"]["facts"] == \
        row["file"]["full"]["facts"] == row["one_core_each"]["two_writers"]["current_facts"] == \
        row["one_core_each"]["one_writer"]["facts"]
    shutil.rmtree(corpus)
    for half in halves:
        shutil.rmtree(half)
    return row


def step_times(seconds: list[float]) -> str:
    """The step times of builds run at once, as the tables print them: `9.9 s + 0.6 s`."""
    return " + ".join(f"{s} s" for s in seconds)


def write_results(result: dict) -> None:
    lines = [
        "# DuckLake benchmark",
        "",
        f"Measured {result['date']} on {result['machine']} by `uv run python benchmarks/lake.py "
        f"--sizes {' '.join(str(r['reports']) for r in result['rows'])}` (generated corpus, benchmarks/generate.py).",
        "",
        "| reports | warehouse | full build | no-op build | peak memory | current facts |",
        "|---|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        for name, label in (("file", "DuckDB file"), ("sqlite", "DuckLake, SQLite catalog"),
                            ("postgres", "DuckLake, PostgreSQL catalog")):
            full, noop = row[name]["full"], row[name]["noop"]
            lines.append(f"| {row['reports']:,} | {label} | {full['seconds']} s (ingest {full['ingest_s']} s, dbt "
                         f"{full['dbt_s']} s) | {noop['seconds']} s | {full['peak_rss_mb']} MB | {full['facts']} |")
    lines += ["", "| reports | 1 writer (SQLite lake) | 2 writers at once (each half) | their ingest steps | "
              "their dbt steps | speed-up | same facts |", "|---|---|---|---|---|---|---|"]
    for row in result["rows"]:
        two = row["two_writers"]
        lines.append(f"| {row['reports']:,} | {row['one_writer_s']} s | {two['seconds']} s | "
                     f"{step_times(two['ingest_s'])} | {step_times(two['dbt_s'])} "
                     f"| {row['speedup_two_vs_one']} | {row['same_facts']} |")
    lines += ["", "Writers on machines of their own, emulated by confining each build to one core (`taskset`):",
              "", "| reports | 1 writer on 1 core | 2 writers at once, 1 core each | their ingest steps | "
              "their dbt steps | speed-up |", "|---|---|---|---|---|---|"]
    for row in result["rows"]:
        one, two = row["one_core_each"]["one_writer"], row["one_core_each"]["two_writers"]
        lines.append(f"| {row['reports']:,} | {one['seconds']} s (ingest {one['ingest_s']} s, dbt {one['dbt_s']} s) "
                     f"| {two['seconds']} s | {step_times(two['ingest_s'])} | "
                     f"{step_times(two['dbt_s'])} | {row['one_core_each']['speedup']} |")
    lines += ["", "| reports | build rewriting every mart (`--full`) | `zhibiao sql` runs during it, one a second "
              "| failed |", "|---|---|---|---|"]
    for row in result["rows"]:
        lines.append(f"| {row['reports']:,} | {row['rebuild_while_reading']['seconds']} s | "
                     f"{row['reader']['queries']} | {row['reader']['failed']} |")
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000], help="report counts (default 1000)")
    args = parser.parse_args()
    result: dict = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(), "rows": []}
    with tempfile.TemporaryDirectory(prefix="zhibiao-lake-bench-") as scratch:
        work = Path(scratch)
        env = {**os.environ, "DAGSTER_HOME": str(work / "dagster_home"), "DO_NOT_TRACK": "1"}
        for size in args.sizes:
            # A server per size: its lake starts empty, like the file and the SQLite lake.
            with local_postgres() as postgres:
                (work / str(size)).mkdir()
                result["rows"].append(measure(size, work / str(size), env, postgres))
            print(json.dumps(result["rows"][-1]), file=sys.stderr)
            write_results(result)  # after each size: a later one that fails keeps the earlier figures
    print(json.dumps(result))


if __name__ == "__main__":
    main()
