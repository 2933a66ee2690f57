"""Bad input and faults: every supported encoding read right, every bad file rejected with its
reason while the rest of the batch goes on, and nothing already in the warehouse lost."""

import json
import os
from collections import Counter

import duckdb
import opencc
import pytest
from helpers import SEED_REPORTS, build_json, zhibiao

from orchestration.ingest.decoding import ReportRejected, decode_bytes, decode_report
from orchestration.ingest.folder import read_report, scan_folder

UTF8 = "000_c75d5ffc208d1d0b.txt"


def seed_text(name):
    return (SEED_REPORTS / name).read_text(encoding="utf-8")


def fact_keys(facts, doc):
    """What a fact says, independent of where its file's bytes put it."""
    return Counter((f["value"], f["unit"], f["indicator"], f["measure"], f["region"], f["period"])
                   for f in facts if f["doc"] == doc)


def test_decoding_each_encoding_gives_the_same_text():
    text = seed_text("002_0ff12cf94d2db451.txt")
    assert decode_bytes(text.encode("utf-8-sig"))[:2] == (text, "utf-8 (BOM)")
    assert decode_bytes(text.encode("utf-16"))[0] == text
    decoded, encoding, _ = decode_bytes(text.encode("gb18030"))
    assert decoded == text and encoding == "gb18030"
    traditional = opencc.OpenCC("s2t").convert(text[:3000])
    big5 = traditional.encode("big5", errors="ignore")
    decoded, encoding, _ = decode_bytes(big5)
    assert decoded == big5.decode("big5") and encoding.startswith(("big5", "cp950"))


def test_truncated_multibyte_character_is_decoded_with_a_warning():
    data = seed_text(UTF8).encode("utf-8")
    data = data[: len(data) - 1] if data[-1] >= 0x80 else data + "就".encode()[:2]
    text, encoding, warning = decode_bytes(data)
    assert encoding == "utf-8" and "truncated" in warning and len(text) > 9000


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    (bytes(range(0x80, 0x100)) * 40, "not text in a supported encoding"),
])
def test_bad_bytes_are_rejected_with_a_reason(data, reason):
    with pytest.raises(ReportRejected) as rejected:
        decode_bytes(data)
    assert reason in rejected.value.reason


def test_html_is_reduced_to_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>某市2021年就业情况</title><script>var x=1;</script></head>"
                    "<body><div class='nav'>首页</div><p>2021年,全市城镇新增就业3.2万人。</p></body></html>",
                    encoding="utf-8")
    decoded = decode_report(page, page.read_bytes())
    assert decoded.text_format == "html" and "var x" not in decoded.text
    assert "全市城镇新增就业3.2万人" in decoded.text and decoded.text.startswith("某市2021年就业情况")


def test_file_that_disappears_after_listing_is_rejected(tmp_path):
    (tmp_path / "a.txt").write_text("2021年,全市城镇新增就业3.2万人。", encoding="utf-8")
    [file] = scan_folder(tmp_path).files
    (tmp_path / "a.txt").unlink()
    with pytest.raises(ReportRejected, match="disappeared"):
        read_report(file)


def make_messy_folder(folder):
    folder.mkdir()
    sources = {}

    def put(name, data, source=None):
        (folder / name).write_bytes(data)
        if source:
            sources[name] = source

    put(UTF8, seed_text(UTF8).encode("utf-8"), UTF8)
    put("001_bom.txt", seed_text("001_018b6d58d0bf8554.txt").encode("utf-8-sig"), "001_018b6d58d0bf8554.txt")
    put("002_gb18030.txt", seed_text("002_0ff12cf94d2db451.txt").encode("gb18030"), "002_0ff12cf94d2db451.txt")
    put("003_utf16.txt", seed_text("003_95eefe6b59f03fdd.txt").encode("utf-16"), "003_95eefe6b59f03fdd.txt")
    lines = seed_text("004_a7fc59496351468e.txt").splitlines()
    paragraphs = "".join(f"<p>{line}</p>\n" for line in lines if line.strip())
    put("004_page.html", f"<html><body>{paragraphs}</body></html>".encode(), "004_a7fc59496351468e.txt")
    truncated = seed_text("003_95eefe6b59f03fdd.txt").encode("utf-8")[:-1]
    put("003_truncated.txt", truncated)
    bad = {
        "empty.txt": b"",
        "blank.txt": b"   \n\t\n",
        "picture.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        "garbage.txt": bytes(range(0x80, 0x100)) * 40,
        "huge.txt": ("全区城镇新增就业1000人。" * 20000).encode("utf-8"),
        "slides.pdf": b"%PDF-1.4 not a report",
    }
    for name, data in bad.items():
        put(name, data)
    (folder / "a_directory").mkdir()
    os.symlink(folder / UTF8, folder / "link.txt")
    return sources, set(bad) | {"a_directory", "link.txt"}


def test_messy_folder_end_to_end(tmp_path, dagster_env):
    folder = tmp_path / "reports"
    sources, bad_names = make_messy_folder(folder)
    warehouse = tmp_path / "wh.duckdb"
    args = ["build", "--reports", str(folder), "--warehouse", str(warehouse), "--json", "--max-file-bytes", "200000"]
    result = zhibiao(*args, env=dagster_env)
    summary = build_json(result)
    assert result.returncode != 0
    rejected = {r["file"]: r["reason"] for r in summary["reports_rejected"]}
    assert set(rejected) == bad_names
    assert rejected["empty.txt"] == "empty file" and rejected["blank.txt"] == "whitespace only"
    assert "binary" in rejected["picture.txt"] and "supported encoding" in rejected["garbage.txt"]
    assert "too large" in rejected["huge.txt"] and "unsupported file type" in rejected["slides.pdf"]
    assert "directory" in rejected["a_directory"] and "symbolic link" in rejected["link.txt"]
    assert "no_ingest_errors" in " ".join(summary["failed_checks"])
    for name in rejected:
        assert name in result.stderr  # each rejection is named on the console too

    facts = [json.loads(x) for x in zhibiao("facts", "--warehouse", str(warehouse), check=True).stdout.splitlines()]
    single = tmp_path / "utf8_originals"
    single.mkdir()
    for source in sources.values():
        (single / source).write_text(seed_text(source), encoding="utf-8")
    ref_wh = tmp_path / "ref.duckdb"
    zhibiao("build", "--reports", str(single), "--warehouse", str(ref_wh), env=dagster_env, check=True)
    reference = [json.loads(x) for x in zhibiao("facts", "--warehouse", str(ref_wh), check=True).stdout.splitlines()]
    for name, source in sources.items():
        assert fact_keys(facts, name) == fact_keys(reference, source), name
    # Offsets of plain-text encodings are the same characters as in the UTF-8 original.
    gb = {(f["offset"], f["number_text"]) for f in facts if f["doc"] == "002_gb18030.txt"}
    assert gb == {(f["offset"], f["number_text"]) for f in reference if f["doc"] == "002_0ff12cf94d2db451.txt"}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        docs = dict(con.execute("select source_file, decode_warning from marts.dim_document").fetchall())
    assert "truncated" in docs["003_truncated.txt"]

    # Remove the bad files: the rebuild succeeds and nothing already loaded is lost.
    for name in bad_names:
        path = folder / name
        path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
    again = zhibiao(*args, env=dagster_env)
    assert again.returncode == 0, again.stderr[-3000:]
    assert build_json(again)["reports_rejected"] == []
    after = [json.loads(x) for x in zhibiao("facts", "--warehouse", str(warehouse), check=True).stdout.splitlines()]
    assert Counter(map(json.dumps, after)) == Counter(map(json.dumps, facts))


@pytest.mark.parametrize("option, value", [
    ("--max-file-bytes", "-1"), ("--max-file-bytes", "0"), ("--max-seconds-per-file", "nan"),
    ("--max-seconds-per-file", "inf"), ("--wait", "-5"),
])
def test_a_limit_that_is_no_positive_number_is_refused_in_one_line(option, value):
    result = zhibiao("build", option, value)
    assert result.returncode == 2
    assert f"argument {option}: '{value}' must be a finite number" in result.stderr


def test_a_missing_report_folder_still_ends_with_the_json_line(tmp_path):
    result = zhibiao("build", "--reports", str(tmp_path / "nowhere"), "--warehouse", str(tmp_path / "w.duckdb"),
                     "--json")
    assert result.returncode == 2 and not (tmp_path / "w.duckdb").exists()
    summary = build_json(result)
    assert summary["success"] is False and "nowhere" in summary["error"]


def test_a_report_of_more_than_99999_facts_keeps_one_id_per_fact(tmp_path, dagster_env):
    """Red team: a fact's id padded its position to five digits by cutting, so the 100,000th fact
    took the 10,000th's id and every build of the folder failed its uniqueness test."""
    folder = tmp_path / "reports"
    folder.mkdir()
    figures = "、".join(f"{i % 90 + 10}人" for i in range(100_002))
    (folder / "long_list.txt").write_text(f"北坪县2020年各村参保人数为{figures}。", encoding="utf-8")
    warehouse = tmp_path / "wh.duckdb"
    result = zhibiao("build", "--reports", str(folder), "--warehouse", str(warehouse), "--json", env=dagster_env)
    assert result.returncode == 0, result.stderr[-3000:]
    counts = zhibiao("sql", "select count(*), count(distinct fact_id), count(*) filter (fact_id like '%:100001') "
                     "from fact_indicator", "--warehouse", str(warehouse), "--format", "csv",
                     check=True).stdout.splitlines()[1]
    assert counts == "100002,100002,1"
