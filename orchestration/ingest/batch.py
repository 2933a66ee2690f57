"""Turn a folder scan into the rows of the raw tables, extracting only content not seen before.

Extraction is CPU-bound and independent per report, so new reports are spread over worker
processes when there are enough of them to pay for starting the pool.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..warehouse.raw_schema import arrow_schema
from .folder import DEFAULT_MAX_BYTES, FolderScan, Rejection, ReportFile
from .report_rows import DEFAULT_MAX_SECONDS_PER_FILE, ExtractedReport, extract_or_reject

# Below this many new reports a process pool costs more than it saves.
PARALLEL_THRESHOLD = 16

DOCUMENT_SCHEMA = arrow_schema("documents")
SENTENCE_SCHEMA = arrow_schema("sentences")
FACT_SCHEMA = arrow_schema("facts")


@dataclass
class IngestBatch:
    """What one scan adds: rows of new reports spooled to Parquet (never all held in memory)."""

    seen: list[ReportFile]  # every readable file of the folder, new or not
    rejections: list[Rejection]
    spool_dir: Path
    new_documents: int = 0
    fact_count: int = 0
    unchanged: int = 0
    scanned_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))

    def spooled(self, table: str) -> list[Path]:
        return sorted(self.spool_dir.glob(f"{table}-*.parquet"))


class _Spool:
    """Buffers extracted rows and writes them as Parquet chunks of `chunk_size` reports."""

    def __init__(self, directory: Path, chunk_size: int = 200) -> None:
        self.directory = directory
        self.chunk_size = chunk_size
        self.pending: list[ExtractedReport] = []
        self.chunks = 0

    def add(self, report: ExtractedReport) -> None:
        self.pending.append(report)
        if len(self.pending) >= self.chunk_size:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        tables = {
            "documents": pa.Table.from_pylist([r.document for r in self.pending], schema=DOCUMENT_SCHEMA),
            "sentences": pa.Table.from_pylist([s for r in self.pending for s in r.sentences], schema=SENTENCE_SCHEMA),
            "facts": pa.Table.from_pylist([f for r in self.pending for f in r.facts], schema=FACT_SCHEMA),
        }
        for name, table in tables.items():
            pq.write_table(table, self.directory / f"{name}-{self.chunks:06d}.parquet")
        self.chunks += 1
        self.pending = []


# prctl(2) option: the signal a process gets when the thread that started it ends.
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """In an extraction worker: end with the process that started it. A worker holds both ends of
    its task queue, so it would otherwise wait for work for ever after a kill -9 of the build, and
    keep multiprocessing's resource tracker alive with it."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(1)


def build_batch(scan: FolderScan, known_document_ids: Iterable[str], spool_dir: Path,
                max_bytes: int = DEFAULT_MAX_BYTES, workers: int | None = None,
                max_seconds_per_file: float | None = DEFAULT_MAX_SECONDS_PER_FILE,
                progress: Callable[[int], Callable[[], None]] | None = None) -> IngestBatch:
    """Extract the files whose content is new into `spool_dir`; count the rest as unchanged.

    `progress(n)`, given the number of reports to extract, returns what to call after each one.
    """
    known = set(known_document_ids)
    batch = IngestBatch(seen=[], rejections=list(scan.rejections), spool_dir=Path(spool_dir))
    todo: dict[str, ReportFile] = {}
    for file in scan.files:
        if file.document_id in known:
            batch.unchanged += 1
            batch.seen.append(file)
        elif file.document_id in todo:
            batch.seen.append(file)  # the same content under a second name: extracted once
        else:
            todo[file.document_id] = file
    jobs = [(f, max_bytes, batch.scanned_at, max_seconds_per_file) for f in todo.values()]
    # The cores this process may use (a container or `taskset` may give it fewer than the machine has).
    workers = workers or min(len(os.sched_getaffinity(0)) or 1, 4)
    spool = _Spool(batch.spool_dir)
    rejected_ids: set[str] = set()
    advance = progress(len(jobs)) if progress and jobs else None

    def collect(file: ReportFile, result: ExtractedReport | Rejection) -> None:
        if advance:
            advance()
        if isinstance(result, Rejection):
            batch.rejections.append(result)
            rejected_ids.add(file.document_id)
            return
        spool.add(result)
        batch.seen.append(file)
        batch.new_documents += 1
        batch.fact_count += len(result.facts)

    if len(jobs) >= PARALLEL_THRESHOLD and workers > 1:
        # Spawned, not forked: a fork would start each worker with a copy of this process
        # (Dagster, dbt, pandas: ~500 MB resident); a spawned one imports only the extractor.
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
            for file, result in zip(todo.values(), pool.map(extract_or_reject, jobs, chunksize=4), strict=True):
                collect(file, result)
    else:
        for file, job in zip(todo.values(), jobs, strict=True):
            collect(file, extract_or_reject(job))
    spool.flush()
    # A second name of rejected content is rejected too.
    rejected_names = {r.name for r in batch.rejections}
    kept = []
    for file in batch.seen:
        if file.document_id not in rejected_ids:
            kept.append(file)
        elif file.name not in rejected_names:
            batch.rejections.append(Rejection(file.name, "same content as a rejected file"))
    batch.seen = sorted(kept, key=lambda f: f.name)
    batch.rejections.sort(key=lambda r: r.name)
    return batch
