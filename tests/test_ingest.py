"""The ingest library without Dagster: new reports extracted in spawned worker processes give
exactly the rows the same reports give extracted one by one."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
from helpers import PROJECT_ROOT, SEED_REPORTS

from orchestration.extraction import ManifestEntry
from orchestration.ingest.batch import PARALLEL_THRESHOLD, build_batch
from orchestration.ingest.folder import scan_folder

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
from generate import generate  # noqa: E402 - the benchmark corpus generator, not a package


def spooled_rows(batch, table):
    data = pq.read_table(batch.spooled(table))
    rows = data.drop_columns([c for c in data.column_names if c == "loaded_at"]).to_pylist()  # when it ran
    return sorted(rows, key=lambda r: tuple(str(v) for v in r.values()))


def test_worker_processes_extract_exactly_what_one_process_does(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    seeds = sorted(SEED_REPORTS.glob("*.txt"))
    for i in range(PARALLEL_THRESHOLD + 2):  # enough new reports to start the pool
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (folder / f"report_{i:02d}.txt").write_text(text + f"\n（第{i + 1}份）\n", encoding="utf-8")
    scan = scan_folder(folder)
    (tmp_path / "pool").mkdir()
    (tmp_path / "alone").mkdir()
    in_pool = build_batch(scan, [], tmp_path / "pool", workers=2)
    alone = build_batch(scan, [], tmp_path / "alone", workers=1)
    assert in_pool.new_documents == alone.new_documents == PARALLEL_THRESHOLD + 2
    assert in_pool.fact_count == alone.fact_count > 0
    for table in ("documents", "sentences", "facts"):
        assert spooled_rows(in_pool, table) == spooled_rows(alone, table)
    sizes = {r["source_file"]: r["byte_size"] for r in spooled_rows(in_pool, "documents")}
    assert sizes == {p.name: p.stat().st_size for p in folder.iterdir()}


def test_a_manifest_is_read_for_its_reports_and_never_taken_for_one(tmp_path):
    (tmp_path / "a.txt").write_text("全市城镇新增就业1.2万人。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("全市城镇新增就业3.4万人。", encoding="utf-8")
    (tmp_path / "SOURCES.tsv").write_text("file\turl\tregion\tperiod\ttitle\na.txt\thttp://x.invalid\t德阳市\tnull\t\n",
                                          encoding="utf-8")
    scan = scan_folder(tmp_path)
    assert [f.name for f in scan.files] == ["a.txt", "b.txt"] and scan.rejections == []
    assert scan.files[0].manifest == ManifestEntry(region="德阳市", period=None, title=None, url="http://x.invalid")
    assert scan.files[1].manifest is None


def test_a_manifest_that_cannot_be_used_is_one_rejection_line(tmp_path):
    (tmp_path / "a.txt").write_text("全市城镇新增就业1.2万人。", encoding="utf-8")
    (tmp_path / "sources.csv").write_text("name,region\na.txt,德阳市\n", encoding="utf-8")
    scan = scan_folder(tmp_path)
    assert [f.name for f in scan.files] == ["a.txt"] and scan.files[0].manifest is None
    assert [(r.name, r.reason) for r in scan.rejections] == [
        ("sources.csv", "manifest not used: no `file` column (expected file, url, region, period, title)")]


def _children(pid):
    """Every living process whose parent is `pid` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(stat.parent.name))
    return found


def _alive(pid):
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return False


def test_extraction_workers_end_when_the_build_is_killed(tmp_path):
    """Issue 27 item 15: after a kill -9 of the build, its workers (and multiprocessing's resource
    tracker) waited for work for ever."""
    folder = generate(400, tmp_path / "reports")[0].parent
    (tmp_path / "spool").mkdir()
    script = ("import sys; from pathlib import Path; from orchestration.ingest.batch import build_batch; "
              "from orchestration.ingest.folder import scan_folder; "
              "build_batch(scan_folder(Path(sys.argv[1])), set(), Path(sys.argv[2]), workers=2)")
    build = subprocess.Popen([sys.executable, "-c", script, str(folder), str(tmp_path / "spool")])
    try:
        deadline = time.monotonic() + 60
        while len(children := _children(build.pid)) < 3 and time.monotonic() < deadline:  # 2 workers, 1 tracker
            time.sleep(0.1)
        assert len(children) >= 3, children
        build.send_signal(signal.SIGKILL)
        build.wait(10)
        deadline = time.monotonic() + 20
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in children if _alive(pid)]
    finally:
        build.kill()
        for pid in children:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
