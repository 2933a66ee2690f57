"""Scan a report folder: every entry becomes either a readable report (with its content id) or a
rejection naming the file and the reason. Nothing here raises for a bad file."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from ..extraction import ManifestEntry
from .decoding import DecodedReport, ReportRejected, decode_report

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A crawl's manifest beside the reports (any case): file, url, region, period, title per report.
MANIFEST_NAMES = ("sources.csv", "sources.tsv")
MANIFEST_COLUMNS = ("region", "period", "title", "url")
CONTENT_ID_LENGTH = 20


@dataclass(frozen=True)
class ReportFile:
    name: str
    path: Path
    content_hash: str  # SHA-256 of the bytes
    size: int  # bytes hashed (read_report checks the file still has exactly these)
    manifest: ManifestEntry | None = None  # what the folder's manifest says of it

    @property
    def document_id(self) -> str:
        return self.content_hash[:CONTENT_ID_LENGTH]


def printable(name: str) -> str:
    """A file name as it may be shown on one line: control characters (a newline that would forge
    a log line) escaped, everything else, Chinese included, as it is."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in name)


@dataclass(frozen=True)
class Rejection:
    name: str
    reason: str


@dataclass(frozen=True)
class FolderScan:
    files: list[ReportFile]
    rejections: list[Rejection]


def _read_bounded(path: Path, max_bytes: int) -> bytes:
    """Read a regular file, refusing links, directories and files over `max_bytes` before reading."""
    try:
        info = os.lstat(path)
    except FileNotFoundError as err:
        raise ReportRejected("file disappeared before it could be read") from err
    if stat.S_ISLNK(info.st_mode):
        raise ReportRejected("symbolic link (only regular files are read)")
    if stat.S_ISDIR(info.st_mode):
        raise ReportRejected("directory (reports must be files directly in the folder)")
    if not stat.S_ISREG(info.st_mode):
        raise ReportRejected("not a regular file")
    if info.st_size > max_bytes:
        raise ReportRejected(f"file too large ({info.st_size} bytes > limit {max_bytes})")
    try:
        with open(path, "rb", opener=lambda p, flags: os.open(p, flags | os.O_NOFOLLOW)) as f:
            data = f.read(max_bytes + 1)
    except FileNotFoundError as err:
        raise ReportRejected("file disappeared before it could be read") from err
    except OSError as err:
        raise ReportRejected(f"cannot be read: {err.strerror}") from err
    if len(data) > max_bytes:
        raise ReportRejected(f"file too large (more than {max_bytes} bytes)")
    return data


def scan_folder(folder: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> FolderScan:
    """Hash every file of `folder` (sorted by name); reject what cannot be a report."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"report folder {folder} does not exist or is not a directory")
    files: list[ReportFile] = []
    rejections: list[Rejection] = []
    manifest: dict[str, ManifestEntry] = {}
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue  # editor swap files, .DS_Store: not reports and not worth a rejection
        path = Path(entry.path)
        name = readable_name(entry.name)
        if name.lower() in MANIFEST_NAMES:
            try:
                manifest.update(read_manifest(path, max_bytes))
            except ReportRejected as rejected:
                rejections.append(Rejection(name, f"manifest not used: {rejected.reason}"))
            continue
        try:
            data = _read_bounded(path, max_bytes)
        except ReportRejected as rejected:
            rejections.append(Rejection(name, rejected.reason))
            continue
        files.append(ReportFile(name, path, hashlib.sha256(data).hexdigest(), len(data)))
    files = [replace(f, manifest=manifest[f.name]) if f.name in manifest else f for f in files]
    return FolderScan(files, rejections)


def readable_name(name: str) -> str:
    """A file name as text: one that is not UTF-8 (GBK names from zip tools, which Python hands over
    with surrogate escapes) read as GB18030, else with its undecodable bytes escaped (\\xb9)."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="backslashreplace")


def read_manifest(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, ManifestEntry]:
    """file name → what the manifest says of it; empty cells (and null, none) say nothing."""
    data = _read_bounded(path, max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ReportRejected("not UTF-8 text") from err
    reader = csv.DictReader(io.StringIO(text), delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
    if "file" not in (reader.fieldnames or []):
        raise ReportRejected("no `file` column (expected file, url, region, period, title)")

    def cell(row: dict[str, str | None], column: str) -> str | None:
        value = (row.get(column) or "").strip()
        return None if value.lower() in ("", "null", "none", "-") else value

    return {name: ManifestEntry(**{c: cell(row, c) for c in MANIFEST_COLUMNS})
            for row in reader if (name := cell(row, "file"))}


def read_report(file: ReportFile, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedReport:
    """Decode a scanned file; its bytes must still be those that were hashed."""
    data = _read_bounded(file.path, max_bytes)
    if hashlib.sha256(data).hexdigest() != file.content_hash:
        raise ReportRejected("file changed while it was being read; it will be read on the next run")
    return decode_report(file.path, data)
