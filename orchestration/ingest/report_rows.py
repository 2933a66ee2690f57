"""The rows one report adds to the raw tables, extracted in whichever process runs this.

Kept free of pyarrow, DuckDB and Dagster: extraction workers import only this module and the
extractor, so each stays small.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Context, Decimal
from functools import lru_cache

from ..extraction import extract_document
from ..extraction.periods import period_range
from ..warehouse.raw_schema import FACT_COLUMNS
from .decoding import ReportRejected
from .folder import Rejection, ReportFile, read_report

EXTRACTOR_VERSION = "2026.12.7.13"
# raw.facts.value is decimal(38, 6): six decimal places, at most 32 integer digits.
STORED_SCALE = Decimal("0.000001")
STORED_LIMIT = Decimal(10) ** 32
# Exact arithmetic for any value the warehouse can hold (32 + 6 digits); the default context keeps
# 28 digits and cannot quantize a value of 10^22 or more to six places.
STORED_CONTEXT = Context(prec=60)
# Longer than any real report takes (a 15 MB report extracts in about 15 s here): a file over it
# is rejected so that one pathological file cannot hold up the batch.
DEFAULT_MAX_SECONDS_PER_FILE = 120.0


class ExtractionTimeout(Exception):
    pass


def unstorable(value: Decimal) -> str | None:
    """Why the warehouse cannot hold `value` exactly, or None when it can."""
    if abs(value) >= STORED_LIMIT:
        return "too large for the warehouse (32 integer digits at most)"
    if value != value.quantize(STORED_SCALE, context=STORED_CONTEXT):
        return "more decimal places than the warehouse keeps (6)"
    return None


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ExtractionTimeout after `seconds` (main thread only; elsewhere no limit applies)."""
    try:
        previous = signal.signal(signal.SIGALRM, _raise_timeout) if seconds else None
    except ValueError:  # not the main thread: signals cannot be used here
        previous = None
    if previous is None:
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _raise_timeout(signum: int, frame: object) -> None:
    raise ExtractionTimeout


# raw.facts columns filled straight from a field of the extracted fact (raw_schema.FACT_COLUMNS).
_FACT_FIELDS = tuple((c.name, c.fact_field) for c in FACT_COLUMNS if c.fact_field)


@lru_cache(maxsize=4096)
def period_range_columns(label: str | None) -> dict[str, object]:
    """period_type, period_start and period_end of a period label (all null without one)."""
    covered = period_range(label) if label else None
    if covered is None:
        return {"period_type": None, "period_start": None, "period_end": None}
    return {"period_type": covered.period_type, "period_start": covered.start, "period_end": covered.end}


@dataclass
class ExtractedReport:
    """Rows of one newly seen report (plain lists, cheap to send back from a worker)."""

    document: dict
    sentences: list[dict]
    facts: list[dict]


def extract_report(file: ReportFile, max_bytes: int, loaded_at: datetime) -> ExtractedReport:
    decoded = read_report(file, max_bytes)
    extraction = extract_document(decoded.text, manifest=file.manifest)
    stored, not_stored = [], []
    for f in extraction.facts:
        reason = unstorable(f.value)
        if reason:
            not_stored.append(f"{f.number_text} at {f.offset}: {reason}")
        else:
            stored.append(f)
    meta = extraction.metadata
    doc_id = file.document_id
    document = {
        "document_id": doc_id, "content_hash": file.content_hash, "source_file": file.name,
        "encoding": decoded.encoding, "decode_warning": decoded.warning,
        "text_format": decoded.text_format, "byte_size": file.size,
        "char_count": len(decoded.text), "original_text": decoded.text, "title": meta.title,
        "issuer": meta.issuer, "publish_date": meta.publish_date,
        "document_number": meta.document_number, "region_code": meta.region.code,
        "period": meta.period.label if meta.period else None,
        "region_basis": meta.region_basis, "region_evidence": meta.region_evidence,
        "period_basis": meta.period_basis, "period_evidence": meta.period_evidence,
        "manifest_conflict": meta.manifest_conflict,
        **period_range_columns(meta.period.label if meta.period else None),
        "extractor_version": EXTRACTOR_VERSION, "loaded_at": loaded_at,
        "extraction_warning": (f"{len(not_stored)} fact(s) not stored: " + "; ".join(not_stored)[:2000]
                               if not_stored else None),
    }
    sentences = [
        {"document_id": doc_id, "sentence_index": s.index, "start_offset": s.start,
         "end_offset": s.end, "sentence_text": s.text}
        for s in extraction.sentences
    ]
    facts = [
        {"document_id": doc_id, "fact_index": i, "loaded_at": loaded_at,
         "value": Decimal(f.value).quantize(STORED_SCALE, context=STORED_CONTEXT),
         **{column: getattr(f, field) for column, field in _FACT_FIELDS}, **period_range_columns(f.period)}
        for i, f in enumerate(stored)
    ]
    return ExtractedReport(document, sentences, facts)


def extract_or_reject(args: tuple[ReportFile, int, datetime, float | None]) -> ExtractedReport | Rejection:
    """One file's rows, or its rejection: nothing one file does may stop the batch."""
    file, max_bytes, loaded_at, max_seconds = args
    try:
        with time_limit(max_seconds):
            return extract_report(file, max_bytes, loaded_at)
    except ReportRejected as rejected:
        return Rejection(file.name, rejected.reason)
    except ExtractionTimeout:
        return Rejection(file.name, f"extraction took longer than {max_seconds:g} s (the limit per file)")
    except Exception as err:  # noqa: BLE001 - any fault of one file rejects that file only
        return Rejection(file.name, f"extraction failed: {type(err).__name__}: {err}"[:500])
