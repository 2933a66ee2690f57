"""Ingest spread over workers, as machines of their own would run it: N `zhibiao build` processes,
each confined to one core (`taskset`-like affinity) and with a Dagster instance folder of its own,
sharing nothing but a PostgreSQL server (the lake's catalog and the Dagster instance's storage) and
an S3 stand-in (moto's server, the lake's data). The corpus is split into N folders, one per
worker. Writes benchmarks/RESULTS-scale.md; the last line printed is the figures as JSON.

    uv run python benchmarks/workers.py                    # 10,000 reports, N = 1 and 2
    uv run python benchmarks/workers.py --reports 1000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from generate import generate  # noqa: E402
from helpers import create_postgres_database, local_postgres, local_s3_server  # noqa: E402
from lake import current_facts  # noqa: E402
from run import machine, start_build  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS-scale.md"
BUCKET = "zhibiao-bench"


def split(corpus: Path, parts: int, work: Path) -> list[Path]:
    """The corpus's reports dealt round-robin into `parts` folders (one per worker)."""
    folders = [work / f"part_{index}" for index in range(parts)]
    for folder in folders:
        folder.mkdir(parents=True)
    for index, report in enumerate(sorted(corpus.glob("*.txt"))):
        os.link(report, folders[index % parts] / report.name)
    return folders


def run_workers(folders: list[Path], address: str, data_path: str, env: dict[str, str], work: Path) -> dict:
    """One build per folder, all at once, the i-th on core i only, each with its own instance folder."""
    start = time.perf_counter()
    processes = []
    for index, folder in enumerate(folders):
        machine_env = {**env, "ZHIBIAO_INSTANCES": str(work / f"machine_{index}")}
        processes.append(start_build(folder, address, machine_env, "--data-path", data_path, cores={index}))
    outputs = [process.communicate()[0] for process in processes]
    wall = time.perf_counter() - start
    summaries = [json.loads(out.strip().splitlines()[-1]) for out in outputs]
    failed = [{key: s.get(key) for key in ("success", "checks_failed", "failed_checks", "reports_rejected", "error")}
              | {"log": _kept_log(work / f"machine_{index}", s.get("run_id"))}
              for index, (p, s) in enumerate(zip(processes, summaries, strict=True)) if p.returncode]
    ingest = [round(s["step_seconds"].get("raw_reports", 0.0), 2) for s in summaries]
    dbt = [round(s["step_seconds"].get("warehouse_models", 0.0), 2) for s in summaries]
    extracted = sum(s.get("reports_extracted", 0) for s in summaries)
    return {"workers": len(folders), "ok": all(p.returncode == 0 for p in processes), "wall_s": round(wall, 2),
            "extracted": extracted, "ingest_s": ingest, "dbt_s": dbt,
            # The ingests start together (each build's start-up is the same): the longest is the
            # time the corpus took to ingest.
            "ingest_reports_per_s": round(extracted / max(ingest), 1) if max(ingest) else None,
            "runs": [s.get("run_id") for s in summaries], "failed": failed}


def _kept_log(instances: Path, run_id: str | None) -> str | None:
    """A failed run's build log, copied out of the benchmark's temporary folder (into the system's)."""
    logs = sorted(instances.glob("*/build-logs/*.log"))
    if not logs:
        return None
    kept = Path(tempfile.gettempdir()) / f"zhibiao-workers-{run_id or 'unknown'}.log"
    shutil.copy(logs[-1], kept)
    return str(kept)


def measure(size: int, work: Path) -> dict:
    corpus = work / "corpus"
    generate(size, corpus)
    rows = []
    with local_postgres() as server, local_s3_server(BUCKET) as aws:
        conninfo = dict(part.split("=", 1) for part in create_postgres_database(server, "instance").split())
        env = {**os.environ, **aws, "DO_NOT_TRACK": "1",
               "ZHIBIAO_DAGSTER_POSTGRES": (f"postgresql+psycopg2://{conninfo['user']}@/{conninfo['dbname']}"
                                            f"?host={conninfo['host']}")}
        env.pop("DAGSTER_HOME", None)
        for workers in (1, 2):
            catalog = create_postgres_database(server, f"lake_{workers}")
            folders = split(corpus, workers, work / f"n{workers}")
            row = run_workers(folders, f"ducklake:postgres:{catalog}", f"s3://{BUCKET}/lake_{workers}/", env,
                              work / f"n{workers}")
            row["current_facts"] = current_facts(f"ducklake:postgres:{catalog}", env)
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
    one, two = rows
    speedup = round(two["ingest_reports_per_s"] / one["ingest_reports_per_s"], 2) \
        if one["ingest_reports_per_s"] and two["ingest_reports_per_s"] else None
    return {"reports": size, "rows": rows, "ingest_speedup": speedup,
            "same_facts": one["current_facts"] == two["current_facts"]}


def write_results(result: dict) -> None:
    lines = ["# Ingest spread over workers", "",
             f"Measured {result['date']} on {result['machine']} by `uv run python benchmarks/workers.py "
             f"--reports {result['reports']}` (generated corpus, benchmarks/generate.py). Each worker is a "
             "`zhibiao build` confined to one core with a Dagster instance folder of its own; they share a "
             "local PostgreSQL (lake catalog and Dagster instance storage) and a local S3 stand-in (lake data), "
             "which run unconfined on the same two cores.", "",
             "| workers | wall | ingest steps | ingest throughput | dbt steps | current facts |",
             "|---|---|---|---|---|---|"]
    for row in result["rows"]:
        lines.append(f"| {row['workers']} | {row['wall_s']} s | {' + '.join(f'{s} s' for s in row['ingest_s'])} | "
                     f"{row['ingest_reports_per_s']} reports/s | {' + '.join(f'{s} s' for s in row['dbt_s'])} | "
                     f"{row['current_facts']} |")
    lines += ["", f"Ingest throughput of 2 one-core workers ÷ 1: **{result['ingest_speedup']}** "
              f"(target ≥ 1.7); the same current facts: {result['same_facts']}."]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhibiao-workers-bench-") as scratch:
        result = measure(args.reports, Path(scratch))
    result.update(date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), machine=machine())
    write_results(result)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
