"""Copies of the raw history cost what changed: segments of the append-only tables are linked from
the previous copy, and every copy restores the whole history on its own."""

import shutil

import duckdb
from helpers import copy_seeds, zhibiao

from orchestration.ingest.batch import build_batch
from orchestration.ingest.folder import scan_folder
from orchestration.ingest.raw_writes import apply_batch, known_document_ids
from orchestration.warehouse.backends import backend_for, connect
from orchestration.warehouse.connection import history_copies
from orchestration.warehouse.history import back_up_raw, restore


def ingest(folder, warehouse, spool):
    spool.mkdir()
    batch = build_batch(scan_folder(folder), known_document_ids(warehouse), spool, workers=1)
    with connect(warehouse) as con:
        apply_batch(con, batch, backend_for(warehouse))
        return back_up_raw(con, warehouse)


def counts(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0]
                for t in ("documents", "document_sources", "sentences", "facts")}


def test_a_new_copy_links_the_old_segments_and_adds_the_new_documents(tmp_path):
    folder = copy_seeds(tmp_path / "reports", ["000_c75d5ffc208d1d0b.txt"])
    warehouse = tmp_path / "wh.duckdb"
    first = ingest(folder, warehouse, tmp_path / "spool1")
    copy_seeds(folder, ["002_0ff12cf94d2db451.txt"])
    second = ingest(folder, warehouse, tmp_path / "spool2")
    assert history_copies(warehouse) == [first, second]

    old_segment = first / "facts" / f"{first.name}.parquet"
    linked = second / "facts" / old_segment.name
    assert linked.stat().st_ino == old_segment.stat().st_ino  # the same bytes, not written again
    with duckdb.connect() as con:
        new_documents = con.execute("select count(*) from read_parquet(?)",
                                    [str(second / "documents" / f"{second.name}.parquet")]).fetchone()[0]
    assert new_documents == 1  # only the report loaded since the first copy

    # The second copy holds the whole history, also once the first is gone.
    shutil.rmtree(first)
    restored = tmp_path / "restored.duckdb"
    restore(second, restored)
    assert counts(restored) == counts(warehouse)
    assert counts(restored)["documents"] == 2


def test_a_copy_written_as_single_files_still_restores(tmp_path):
    folder = copy_seeds(tmp_path / "reports", ["000_c75d5ffc208d1d0b.txt"])
    warehouse = tmp_path / "wh.duckdb"
    ingest(folder, warehouse, tmp_path / "spool")
    flat = tmp_path / "flat"
    flat.mkdir()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in ("documents", "document_sources", "sentences", "facts", "ingest_errors"):
            con.execute(f"copy raw.{table} to '{flat / (table + '.parquet')}' (format parquet)")
    restored = tmp_path / "restored.duckdb"
    restore(flat, restored)
    assert counts(restored) == counts(warehouse)


def test_a_warehouse_under_a_path_with_an_apostrophe_keeps_its_history(tmp_path):
    """Issue 27 item 11: the history copy wrote SQL with the path unescaped, so every build under a
    folder named like it's failed after its ingest had committed."""
    home = tmp_path / "it's here"
    home.mkdir()
    folder = copy_seeds(home / "reports", ["000_c75d5ffc208d1d0b.txt"])
    warehouse = home / "wh.duckdb"
    first = ingest(folder, warehouse, home / "spool1")
    copy_seeds(folder, ["002_0ff12cf94d2db451.txt"])
    second = ingest(folder, warehouse, home / "spool2")
    assert history_copies(warehouse) == [first, second]
    restored = home / "restored.duckdb"
    restore(second, restored)
    assert counts(restored) == counts(warehouse) and counts(restored)["documents"] == 2


def test_restoring_twice_in_one_second_keeps_both_replaced_warehouses(tmp_path):
    """Issue 27 item 9: the second restore took the first one's `.replaced-TIME` name, losing it."""
    folder = copy_seeds(tmp_path / "reports", ["000_c75d5ffc208d1d0b.txt"])
    warehouse = tmp_path / "wh.duckdb"
    copy = ingest(folder, warehouse, tmp_path / "spool1")
    copy_seeds(folder, ["002_0ff12cf94d2db451.txt"])
    ingest(folder, warehouse, tmp_path / "spool2")
    original = warehouse.read_bytes()
    restore(copy, warehouse)
    first_restore = warehouse.read_bytes()
    restore(copy, warehouse)
    aside = sorted(tmp_path.glob("wh.duckdb.replaced-*"))
    assert len(aside) == 2 and not list(tmp_path.glob("*.restoring*"))
    assert {p.read_bytes() for p in aside} == {original, first_restore}
    assert counts(warehouse)["documents"] == 1


def test_a_damaged_copy_leaves_the_warehouse_in_place(tmp_path):
    folder = copy_seeds(tmp_path / "reports", ["000_c75d5ffc208d1d0b.txt"])
    warehouse = tmp_path / "wh.duckdb"
    copy = ingest(folder, warehouse, tmp_path / "spool")
    segment = next((copy / "facts").glob("*.parquet"))
    segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 2])  # truncated
    before = warehouse.read_bytes()
    result = zhibiao("restore", str(copy), "--warehouse", str(warehouse))
    assert result.returncode == 1 and "cannot be restored" in result.stderr and str(copy) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert warehouse.read_bytes() == before
    assert not list(tmp_path.glob("wh.duckdb.re*"))  # nothing moved aside, nothing half restored


def test_a_copy_writes_wide_documents_in_row_groups_bounded_in_bytes(tmp_path):
    """Reports' texts are wide rows: a copy of them in one row group of DuckDB's default 122,880
    rows ran a 100,000-report warehouse out of memory; copies are written in row groups of at most
    32 MB (history._PARQUET), so a copy's memory does not grow with the warehouse."""
    folder = copy_seeds(tmp_path / "reports", ["000_c75d5ffc208d1d0b.txt"])
    warehouse = tmp_path / "wh.duckdb"
    ingest(folder, warehouse, tmp_path / "spool1")
    with duckdb.connect(str(warehouse)) as con:
        # 12,000 documents of 10,000 characters each: about 120 MB of text.
        con.execute("""insert into raw.documents
                       select documents.* replace (document_id || '-' || i as document_id,
                                         repeat(md5(i::varchar), 312) as original_text)
                       from raw.documents, range(12000) copies(i)""")
        copy = back_up_raw(con, warehouse)
    with duckdb.connect() as con:
        groups = con.execute("""select file_name, any_value(row_group_num_rows), sum(total_uncompressed_size)
                                from parquet_metadata(?) group by file_name, row_group_id""",
                             [str(copy / "documents" / "*.parquet")]).fetchall()
    assert sum(rows for _, rows, _ in groups) == 12001
    assert len(groups) >= 3  # not one group of every row
    assert max(size for _, _, size in groups) <= 48_000_000  # 32 MB, give or take a row group's last rows
