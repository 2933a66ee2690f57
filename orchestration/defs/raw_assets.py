"""The ingest asset: scan the report folder, extract new content, write the raw tables."""


import tempfile
from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from ..ingest.batch import build_batch
from ..ingest.folder import printable, scan_folder
from ..ingest.raw_writes import apply_batch, known_document_ids
from ..lib.asset_metadata import table_metadata
from ..lib.concurrency import INGEST_POOL
from ..lib.console import progress_bar, say
from ..lib.freshness import FAIL_AFTER, WARN_AFTER
from ..warehouse.backends import backend_for, connect
from ..warehouse.build_inputs import raw_content_digest
from .resources import ReportFolder, Warehouse

RAW_TABLES = {
    "documents": "One row per distinct report content (version), with its text and metadata.",
    "document_sources": "Which file held which version when (type-2 history; removed files flagged).",
    "sentences": "Sentences of each version with offsets into its original text.",
    "facts": "Every quantitative fact extracted, with offsets of the number and its quote.",
    "ingest_errors": "Files that could not be ingested and why; empty when every file was read.",
}
RAW_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=FAIL_AFTER, warn_window=WARN_AFTER)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            key=["raw", table],
            description=description,
            group_name="raw",
            kinds={"python", "duckdb"},
            freshness_policy=RAW_FRESHNESS,
        )
        for table, description in RAW_TABLES.items()
    ],
    pool=INGEST_POOL,
)
def raw_reports(context: dg.AssetExecutionContext, reports: ReportFolder,
                warehouse: Warehouse) -> Iterator[dg.MaterializeResult]:
    """Read every file of the report folder; extract facts from content not seen before."""
    scan = scan_folder(reports.path, reports.max_file_bytes)
    say(f"ingest: {len(scan.files)} files in the folder; extracting the ones not seen before")
    address = warehouse.address
    backend = backend_for(address)
    with backend.writer_guard(warehouse.lock_timeout_s), tempfile.TemporaryDirectory() as spool:
        with progress_bar("extracting") as progress:
            batch = build_batch(scan, known_document_ids(address), Path(spool), reports.max_file_bytes,
                                max_seconds_per_file=reports.max_seconds_per_file, progress=progress)
        with connect(address) as con:
            apply_batch(con, batch, backend, str(reports.path.resolve()))
            metadata = {table: table_metadata(con, "raw", table) for table in RAW_TABLES}
            # One data version for the raw tables: their content, not when the folder was scanned.
            # A scan that finds nothing new keeps it, so nothing downstream shows as stale.
            version = dg.DataVersion(raw_content_digest(con))
            history_copy = backend.keep_history(con)
    if history_copy:
        context.log.info(f"raw history copied to {history_copy}")
    for rejection in batch.rejections:
        context.log.error(f"rejected {printable(rejection.name)}: {rejection.reason}")
    context.log.info(
        f"{len(scan.files) + len(scan.rejections)} files seen: {batch.new_documents} extracted, "
        f"{batch.unchanged} unchanged, {len(batch.rejections)} rejected; {batch.fact_count} new facts"
    )
    summary = {
        "reports_seen": len(scan.files) + len(scan.rejections),
        "reports_extracted": batch.new_documents,
        "reports_unchanged": batch.unchanged,
        "reports_rejected": [{"file": r.name, "reason": r.reason} for r in batch.rejections],
        "new_facts": batch.fact_count,
    }
    for table in RAW_TABLES:
        extra = {"ingest_summary": dg.MetadataValue.json(summary)} if table == "documents" else {}
        yield dg.MaterializeResult(asset_key=["raw", table], metadata={**metadata[table], **extra},
                                   data_version=version)
