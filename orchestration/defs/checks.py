"""Asset checks beyond dbt's tests: ingest errors, source traceability, raw freshness, plausibility."""


from datetime import datetime, timedelta, timezone

import dagster as dg

from ..warehouse import connect
from .resources import Warehouse

RAW_STALE_AFTER = timedelta(hours=36)
FACT_INDICATOR = dg.AssetKey(["marts", "fact_indicator"])


def _rows(warehouse: Warehouse, sql: str) -> list[tuple]:
    with connect(warehouse.file, read_only=True) as con:
        return con.execute(sql).fetchall()


@dg.asset_check(asset=dg.AssetKey(["raw", "ingest_errors"]), blocking=False,
                description="Fails while any file of the report folder could not be ingested (see the reasons).")
def no_ingest_errors(warehouse: Warehouse) -> dg.AssetCheckResult:
    rows = _rows(warehouse, "select source_file, reason from raw.ingest_errors order by source_file")
    return dg.AssetCheckResult(
        passed=not rows,
        metadata={"rejected_files": len(rows),
                  "reasons": dg.MetadataValue.json([{"file": f, "reason": r} for f, r in rows])},
    )


@dg.asset_check(asset=dg.AssetKey(["raw", "document_sources"]),
                description="Like `dbt source freshness`: the report folder was scanned (last_seen_at) within 36 hours.")
def raw_reports_fresh(warehouse: Warehouse) -> dg.AssetCheckResult:
    last_seen = _rows(warehouse, "select max(last_seen_at) from raw.document_sources")[0][0]
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    age = (now - last_seen) if last_seen else None
    return dg.AssetCheckResult(
        passed=age is not None and age <= RAW_STALE_AFTER,
        metadata={"last_seen_at": str(last_seen), "age_hours": round(age.total_seconds() / 3600, 2) if age else -1},
    )


@dg.asset_check(asset=FACT_INDICATOR,
                description="Every fact's quote and number stand verbatim in its source text at their offsets.")
def facts_traceable_to_source(warehouse: Warehouse) -> dg.AssetCheckResult:
    rows = _rows(warehouse, """
        select f.fact_id, f.number_text, f.quote
        from marts.fact_indicator f
        join raw.documents d on d.document_id = f.document_key
        where substr(d.original_text, f.number_offset + 1, length(f.number_text)) <> f.number_text
           or substr(d.original_text, f.quote_start + 1, f.quote_end - f.quote_start) not like '%' || f.quote || '%'
        limit 20""")
    return dg.AssetCheckResult(passed=not rows, metadata={
        "untraceable_facts": len(rows),
        "examples": dg.MetadataValue.json([{"fact_id": r[0], "number_text": r[1], "quote": r[2]} for r in rows])})


@dg.asset_check(asset=FACT_INDICATOR,
                description="Rates (indicators ending in 率) stated as a level are at most 100 %.")
def rates_at_most_100_percent(warehouse: Warehouse) -> dg.AssetCheckResult:
    rows = _rows(warehouse, """
        select fact_id, indicator_phrase, value from marts.fact_indicator
        where is_current and unit = '%' and measure = 'value' and indicator_phrase like '%率' and value > 100
        limit 20""")
    return dg.AssetCheckResult(passed=not rows, metadata={
        "rates_over_100": len(rows),
        "examples": dg.MetadataValue.json([{"fact_id": r[0], "indicator": r[1], "value": float(r[2])} for r in rows])})


CHECKS = [no_ingest_errors, raw_reports_fresh, facts_traceable_to_source, rates_at_most_100_percent]
