"""The ingest library without Dagster: new reports extracted in spawned worker processes give
exactly the rows the same reports give extracted one by one."""

import pyarrow.parquet as pq
from helpers import SEED_REPORTS

from orchestration.ingest.batch import PARALLEL_THRESHOLD, build_batch
from orchestration.ingest.folder import scan_folder


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
