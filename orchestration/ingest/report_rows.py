"""The rows one report adds to the raw tables, extracted in whichever process runs this.

Kept free of pyarrow, DuckDB and Dagster: extraction workers import only this module and the
extractor, so each stays small.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ..extraction import extract_document
from .decoding import ReportRejected
from .folder import Rejection, ReportFile, read_report

EXTRACTOR_VERSION = "2026.12.1"


@dataclass
class ExtractedReport:
    """Rows of one newly seen report (plain lists, cheap to send back from a worker)."""

    document: dict
    sentences: list[dict]
    facts: list[dict]


def extract_report(file: ReportFile, max_bytes: int, loaded_at: datetime) -> ExtractedReport:
    decoded = read_report(file, max_bytes)
    extraction = extract_document(decoded.text)
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
        "extractor_version": EXTRACTOR_VERSION, "loaded_at": loaded_at,
    }
    sentences = [
        {"document_id": doc_id, "sentence_index": s.index, "start_offset": s.start,
         "end_offset": s.end, "sentence_text": s.text}
        for s in extraction.sentences
    ]
    facts = [
        {"document_id": doc_id, "fact_index": i, "offset": f.offset, "end_offset": f.end,
         "number_text": f.number_text, "quote": f.quote, "quote_start": f.quote_start,
         "quote_end": f.quote_end, "sentence_index": f.sentence_index,
         "indicator_phrase": f.indicator, "indicator_code": f.indicator_code,
         "value": Decimal(f.value).quantize(Decimal("0.000001")), "unit": f.unit,
         "measure": f.measure, "basis": f.basis, "region_code": f.region_code, "period": f.period,
         "program": f.program, "hedge": f.hedge, "part_of_offset": f.part_of_offset,
         "region_basis": f.region_basis, "period_basis": f.period_basis,
         "loaded_at": loaded_at}
        for i, f in enumerate(extraction.facts)
    ]
    return ExtractedReport(document, sentences, facts)


def extract_or_reject(args: tuple[ReportFile, int, datetime]) -> ExtractedReport | Rejection:
    file, max_bytes, loaded_at = args
    try:
        return extract_report(file, max_bytes, loaded_at)
    except ReportRejected as rejected:
        return Rejection(file.name, rejected.reason)
