"""Robustness, round two (issue 16): one file never sinks a batch, numbers are stored exactly or
rejected with a reason, and names and line ends cannot forge output."""

import errno
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from helpers import PROJECT_ROOT, build_json, zhibiao

from orchestration.extraction import extract_document
from orchestration.ingest import report_rows
from orchestration.ingest.batch import build_batch
from orchestration.ingest.decoding import decode_bytes
from orchestration.ingest.folder import printable, scan_folder
from orchestration.warehouse.connection import history_copies

GOOD = "湖州市2021年就业情况\n全市城镇新增就业3.2万人,同比增长-5%。\n"


def facts_of(text):
    return {f.number_text: f for f in extract_document(text).facts}


# -- numbers -------------------------------------------------------------------------------------

def test_cells_run_together_are_no_number_and_never_crash():
    facts = facts_of("表一 16688117000017500018000020000021000022000人\n全市城镇新增就业1.2万人。")
    assert list(facts) == ["1.2万人"]


@pytest.mark.parametrize("length", [5_000, 100_000])
def test_runs_of_chinese_numerals_are_bounded(length):
    run = ("一二三四五六七八九" * (length // 9 + 1))[:length]
    start = time.perf_counter()
    facts = facts_of(f"{run}人。全市城镇新增就业1.2万人。")
    assert time.perf_counter() - start < 20
    assert "1.2万人" in facts and all(len(n) < 30 for n in facts)


def test_a_written_sign_is_kept():
    facts = facts_of(GOOD + "人口自然增长率为-1.1‰,比上年下降0.3个千分点。就业人数在6%-10%之间。")
    change = facts["5%"]
    assert (change.value, change.measure, change.basis) == (Decimal("-5"), "change", "yoy")
    assert (facts["1.1‰"].value, facts["1.1‰"].unit) == (Decimal("-1.1"), "‰")
    assert (facts["0.3个千分点"].value, facts["0.3个千分点"].unit) == (Decimal("-0.3"), "千分点")
    assert facts["10%"].value == Decimal("10")  # a range's dash is no sign


def test_exponent_notation_is_left_alone():
    assert facts_of("投入资金1e308元,补贴2E-5元。") == {}


def test_values_the_warehouse_cannot_hold_exactly_are_named():
    assert report_rows.unstorable(Decimal("1E-15")) and report_rows.unstorable(Decimal("1E+33"))
    assert report_rows.unstorable(Decimal("123456.123456")) is None


# -- one file never sinks the batch ----------------------------------------------------------------

def test_an_unexpected_error_rejects_only_its_file(tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "bad.txt").write_text("触发故障的报告\n城镇新增就业1人。", encoding="utf-8")
    real = report_rows.extract_document

    def failing(text, *args, **kwargs):
        if "触发故障" in text:
            raise RuntimeError("boom")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(report_rows, "extract_document", failing)
    (tmp_path / "spool").mkdir()
    batch = build_batch(scan_folder(folder), [], tmp_path / "spool", workers=1)
    assert [(r.name, r.reason) for r in batch.rejections] == [("bad.txt", "extraction failed: RuntimeError: boom")]
    assert batch.new_documents == 1


def test_a_file_over_the_time_bound_is_rejected_in_the_worker_pool(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for i in range(16):
        (folder / f"r{i:02d}.txt").write_text(GOOD.replace("3.2", f"3.{i}"), encoding="utf-8")
    (folder / "huge.txt").write_text(GOOD * 40_000, encoding="utf-8")  # ~2 MB, seconds to extract
    (tmp_path / "spool").mkdir()
    batch = build_batch(scan_folder(folder), [], tmp_path / "spool", workers=2, max_seconds_per_file=1.0)
    assert [(r.name, r.reason) for r in batch.rejections] == [
        ("huge.txt", "extraction took longer than 1 s (the limit per file)")]
    assert batch.new_documents == 16


# -- encodings, line ends and names ------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_unicode_without_a_byte_order_mark_is_read(encoding):
    text = GOOD * 3
    decoded, found, _ = decode_bytes(text.encode(encoding))
    assert decoded == text and found == f"{encoding} (no BOM)"


def test_old_mac_line_ends_break_lines():
    facts = extract_document("一、就业\r全市城镇新增就业1.2万人。\r二、社保\r养老保险参保人数5万人。").facts
    assert [f.indicator for f in facts] == ["城镇新增就业", "养老保险参保人数"]


def test_names_are_printed_on_one_line():
    assert printable("000_a.txt\nrejected 001.txt: forged") == "000_a.txt\\nrejected 001.txt: forged"
    assert printable("报告.txt") == "报告.txt"


@pytest.mark.integration
def test_a_hostile_batch_builds_and_keeps_every_good_report(tmp_path, dagster_env):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "cells.txt").write_text("表一 16688117000017500018000020000021000022000人\n" + GOOD, encoding="utf-8")
    (folder / "numerals.txt").write_text("一二三四五六七八九" * 600 + "\n" + GOOD, encoding="utf-8")
    (folder / "tiny.txt").write_text(GOOD + "占比0.000000000000001%。", encoding="utf-8")
    (folder / "mac.txt").write_bytes(GOOD.replace("\n", "\r").encode("utf-8"))
    (folder / "wide.txt").write_bytes(GOOD.encode("utf-16-le"))
    (folder / "forged\nrejected good.txt: forged.txt").write_bytes(b"\x89PNG\x00\x00binary")
    warehouse = tmp_path / "w.duckdb"
    result = zhibiao("build", "--reports", str(folder), "--warehouse", str(warehouse), "--json", env=dagster_env)
    summary = build_json(result)
    assert summary["reports_extracted"] == 6
    assert [r["reason"] for r in summary["reports_rejected"]] == [
        "binary file (contains NUL bytes and is no UTF-16 or UTF-32 text)"]
    assert "Traceback" not in result.stderr
    assert not any(line.startswith("rejected good.txt") for line in result.stderr.splitlines())
    assert "forged\\nrejected good.txt" in result.stderr
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        changes = con.execute("""select d.source_file, f.value from marts.fact_indicator f
                                 join marts.dim_document d using (document_key)
                                 where f.measure = 'change' order by 1""").fetchall()
        assert {(name, float(v)) for name, v in changes} == {
            (n, -5.0) for n in ("cells.txt", "good.txt", "mac.txt", "numerals.txt", "tiny.txt", "wide.txt")}
        warning = con.execute("select extraction_warning from marts.dim_document where source_file = 'tiny.txt'"
                              ).fetchone()[0]
        assert warning.startswith("1 fact(s) not stored: 0.000000000000001%") and "decimal places" in warning
        phrases = [r[0] for r in con.execute("select indicator_phrase from marts.fact_indicator").fetchall()]
        assert not any("\r" in p for p in phrases)
    finally:
        con.close()


def _processes_with_home(home: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"DAGSTER_HOME={home}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


@pytest.mark.integration
def test_stopping_the_ui_stops_all_its_processes(tmp_path, dagster_env):
    home = str(tmp_path / "ui_home")
    env = {**dagster_env, "DAGSTER_HOME": home}
    from test_ui import free_port, graphql

    port = free_port()
    ui = subprocess.Popen([sys.executable, "-m", "orchestration.app.cli", "ui", "-p", str(port), "-h", "127.0.0.1"],
                          cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if graphql(port, "{ version }").get("data"):
                    break
            except OSError:
                time.sleep(2)
        assert len(_processes_with_home(home)) >= 3  # zhibiao, dagster dev, webserver, daemon, code server
        ui.send_signal(signal.SIGTERM)
        ui.wait(timeout=60)
        deadline = time.monotonic() + 30
        while _processes_with_home(home) and time.monotonic() < deadline:
            time.sleep(1)
        assert _processes_with_home(home) == []
    finally:
        for pid in _processes_with_home(home):
            os.kill(pid, signal.SIGKILL)


# -- the environment: damaged or held warehouses, unwritable folders, a full disk ------------------

def _build(folder, warehouse, env, *extra):
    return zhibiao("build", "--reports", str(folder), "--warehouse", str(warehouse), *extra, env=env)


@pytest.fixture()
def one_report(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    return folder


@pytest.mark.integration
@pytest.mark.parametrize("damage, detail", [(b"", "the file is empty"), (os.urandom(4096), "not a valid DuckDB")])
def test_a_damaged_warehouse_is_named_with_what_to_do(tmp_path, dagster_env, one_report, damage, detail):
    warehouse = tmp_path / "w.duckdb"
    warehouse.write_bytes(damage)
    result = _build(one_report, warehouse, dagster_env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert str(warehouse) in message and detail in message and "zhibiao build" in message
    assert warehouse.read_bytes() == damage  # nothing written over it


@pytest.mark.integration
def test_an_unwritable_folder_is_named(tmp_path, dagster_env, one_report):
    # /proc takes no new files, not even from root (the CI user).
    result = _build(one_report, "/proc/self/zhibiao.duckdb", dagster_env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "cannot write the warehouse folder" in result.stderr


@pytest.mark.integration
def test_another_process_holding_the_warehouse_is_waited_for(tmp_path, dagster_env, one_report):
    warehouse = tmp_path / "w.duckdb"
    assert _build(one_report, warehouse, dagster_env).returncode == 0
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time\n"
                               f"c = duckdb.connect({str(warehouse)!r}); print('open', flush=True); time.sleep(40)"],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    refused = _build(one_report, warehouse, dagster_env, "--wait", "1")
    assert refused.returncode == 3 and f"PID {holder.pid}" in refused.stderr and "Traceback" not in refused.stderr
    waited = _build(one_report, warehouse, dagster_env, "--wait", "120")  # the holder lets go after 40 s
    holder.wait()
    assert waited.returncode == 0, waited.stderr[-2000:]


@pytest.mark.integration
def test_a_full_disk_fails_cleanly_and_leaves_no_partial_copy(tmp_path, dagster_env, one_report):
    disk = tmp_path / "small_disk"
    disk.mkdir()
    warehouse = disk / "w.duckdb"
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        first = _build(one_report, warehouse, dagster_env)
        assert first.returncode == 0, first.stderr[-2000:]
        before = zhibiao("facts", "--warehouse", str(warehouse), check=True).stdout
        # Fill the disk, then add a report: the build cannot copy the warehouse for dbt.
        filler = disk / "filler"
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        filler.write_bytes(b"\0" * max(0, free - warehouse.stat().st_size // 2))
        (one_report / "second.txt").write_text(GOOD.replace("3.2", "4.4"), encoding="utf-8")
        full = _build(one_report, warehouse, dagster_env)
        assert full.returncode == 1 and "Traceback" not in full.stderr
        assert "the disk is full" in full.stderr
        assert not list(disk.glob("*.building*"))
        assert zhibiao("facts", "--warehouse", str(warehouse), check=True).stdout == before
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


# -- history that cannot be lost ------------------------------------------------------------------

@pytest.mark.integration
def test_raw_history_is_copied_and_restores_a_damaged_warehouse(tmp_path, dagster_env, one_report):
    warehouse = tmp_path / "w.duckdb"
    assert _build(one_report, warehouse, dagster_env).returncode == 0
    # A new version of the report: the first version now lives only in the warehouse (and its copy).
    (one_report / "good.txt").write_text(GOOD.replace("3.2", "3.9"), encoding="utf-8")
    assert _build(one_report, warehouse, dagster_env).returncode == 0
    history = sorted((tmp_path / "w.duckdb.history").iterdir())
    assert len(history) == 2
    assert _build(one_report, warehouse, dagster_env).returncode == 0
    assert len(sorted((tmp_path / "w.duckdb.history").iterdir())) == 2  # nothing changed: no new copy
    warehouse.write_bytes(os.urandom(2048))
    damaged = _build(one_report, warehouse, dagster_env)
    assert f"zhibiao restore {history[-1]}" in damaged.stderr
    restored = zhibiao("restore", "--warehouse", str(warehouse), env=dagster_env)
    assert restored.returncode == 0 and "restored 2 report versions" in restored.stderr
    assert list(tmp_path.glob("w.duckdb.replaced-*"))  # the damaged file moved aside, not lost
    assert _build(one_report, warehouse, dagster_env).returncode == 0
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        values = con.execute("""select f.is_current, f.value from marts.fact_indicator f
                                where f.number_text in ('3.2万人', '3.9万人') order by 2""").fetchall()
        assert [(current, float(v)) for current, v in values] == [(False, 32000.0), (True, 39000.0)]
    finally:
        con.close()


@pytest.mark.integration
def test_a_report_removed_and_added_again_keeps_its_removal(tmp_path, dagster_env, one_report):
    warehouse = tmp_path / "w.duckdb"
    kept = tmp_path / "kept.txt"
    assert _build(one_report, warehouse, dagster_env).returncode == 0
    (one_report / "good.txt").rename(kept)
    (one_report / "other.txt").write_text(GOOD.replace("3.2", "5.5"), encoding="utf-8")
    assert _build(one_report, warehouse, dagster_env).returncode == 0
    kept.rename(one_report / "good.txt")
    assert _build(one_report, warehouse, dagster_env).returncode == 0
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("""select removed_at is not null, valid_to is not null from raw.document_sources
                              where source_file = 'good.txt' order by valid_from""").fetchall()
        assert rows == [(True, True), (False, False)]
        status = con.execute("select source_status, removed_at from marts.dim_document "
                             "where source_file = 'good.txt'").fetchone()
        assert status == ("current", None)
    finally:
        con.close()


def test_a_value_of_ten_to_the_twenty_two_is_stored_and_the_report_kept(tmp_path):
    """Quantizing 5×10^22 to six places needs more than the 28 digits Decimal keeps by default: it
    rejected the whole report (InvalidOperation) and lost all its facts."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "big.txt").write_text("全省城镇新增就业4.1万人。\n某项资金累计500000000000000亿元。\n", encoding="utf-8")
    (tmp_path / "spool").mkdir()
    batch = build_batch(scan_folder(folder), [], tmp_path / "spool", workers=1)
    assert batch.rejections == []
    facts = pq.read_table(batch.spooled("facts")).to_pylist()
    assert sorted(str(f["value"]) for f in facts) == ["41000.000000", "50000000000000000000000.000000"]


def test_file_names_that_are_not_utf8_are_read_and_named(tmp_path):
    """A GBK name (from a zip tool) stopped the whole batch with an encoding error naming no file."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "就业通报.txt".encode("gbk").decode("utf-8", "surrogateescape")).write_text(
        "全省城镇新增就业2.7万人。", encoding="utf-8")
    (folder / b"\xff\xfe-report.txt".decode("utf-8", "surrogateescape")).write_text(
        "全市城镇新增就业8600人。", encoding="utf-8")
    (tmp_path / "spool").mkdir()
    batch = build_batch(scan_folder(folder), [], tmp_path / "spool", workers=1)
    assert batch.rejections == []
    assert sorted(f.name for f in batch.seen) == ["\\xff\\xfe-report.txt", "就业通报.txt"]
    facts = pq.read_table(batch.spooled("facts")).to_pylist()
    assert len(facts) == 2


@pytest.mark.integration
def test_a_full_disk_during_the_history_copy_is_said_as_it_is(tmp_path, dagster_env, one_report, monkeypatch, capfd):
    """Issue 27 item 16: the disk filling while the raw history is copied (after the ingest
    committed) said the warehouse kept its previous state and that 0 reports were seen."""
    from orchestration.app import cli
    from orchestration.warehouse import backends

    def disk_full(con, warehouse):
        raise OSError(errno.ENOSPC, "No space left on device", str(warehouse))

    monkeypatch.setenv("DAGSTER_HOME", dagster_env["DAGSTER_HOME"])
    monkeypatch.setattr(backends, "back_up_raw", disk_full)
    warehouse = tmp_path / "w.duckdb"
    assert cli.main(["build", "--reports", str(one_report), "--warehouse", str(warehouse), "--json"]) == 1
    out, err = capfd.readouterr()
    assert "the disk is full" in err and "what it committed stays; the next build makes what is missing" in err
    assert "previous state" not in err and "0 reports seen" not in err
    assert "the ingest step failed (above), so no counts" in err and '"ingest_step_succeeded": false' in out
    monkeypatch.undo()  # the disk has room again: the next build copies the history
    again = _build(one_report, warehouse, dagster_env)
    assert again.returncode == 0, again.stderr[-2000:]
    assert history_copies(warehouse)


def _count_under_writer_lock(warehouse: str, counter: str, times: int) -> None:
    from orchestration.warehouse.connection import writer_lock

    for _ in range(times):
        with writer_lock(warehouse, timeout_s=60):
            value = int(Path(counter).read_text() or 0)
            time.sleep(0.001)  # a writer that is slow between reading and writing
            Path(counter).write_text(str(value + 1))


def test_the_writer_lock_excludes_other_processes_and_leaves_no_file(tmp_path):
    import multiprocessing

    warehouse, counter = str(tmp_path / "w.duckdb"), tmp_path / "counter"
    counter.write_text("0")
    # Each holder removes the lock file as it releases it: a waiter holding the removed file's
    # lock must not count as holding the lock, or two processes would write at once.
    workers = [multiprocessing.get_context("fork").Process(target=_count_under_writer_lock,
                                                           args=(warehouse, str(counter), 40)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    assert counter.read_text() == "120"
    assert not list(tmp_path.glob("*.lock"))
