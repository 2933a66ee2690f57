"""Asset checks beyond dbt's tests: ingest errors, source traceability, raw freshness, plausibility."""


from datetime import UTC, datetime

import dagster as dg

from ..lib.freshness import FAIL_AFTER
from ..warehouse.backends import connect
from .resources import Warehouse

FACT_INDICATOR = dg.AssetKey(["marts", "fact_indicator"])


def _rows(warehouse: Warehouse, sql: str) -> list[tuple]:
    with connect(warehouse.address, read_only=True) as con:
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
                description="Like `dbt source freshness`: the report folder was scanned (last_seen_at) "
                            f"within {FAIL_AFTER.total_seconds() // 3600:.0f} hours (orchestration/lib/freshness.py).")
def raw_reports_fresh(warehouse: Warehouse) -> dg.AssetCheckResult:
    last_seen = _rows(warehouse, "select max(last_seen_at) from raw.document_sources")[0][0]
    now = datetime.now(UTC).replace(tzinfo=None)
    age = (now - last_seen) if last_seen else None
    return dg.AssetCheckResult(
        passed=age is not None and age <= FAIL_AFTER,
        metadata={"last_seen_at": str(last_seen), "age_hours": round(age.total_seconds() / 3600, 2) if age else -1},
    )


TRACE_DOCUMENTS_PER_QUERY = 500


# The facts the last dbt build wrote (all of them after a full refresh): a fact's number, quote and
# source text never change once written, so a fact checked once stays checked, and a build that
# adds one report checks that report's facts. A failed check makes the next build a full refresh
# (build_inputs.forget_built_inputs), which checks every fact again.
LAST_WRITTEN = "built_at = (select max(built_at) from marts.fact_indicator)"


def untraceable_facts(con) -> tuple[int, list[tuple]]:  # noqa: ANN001 - a DuckDB connection
    """(facts checked, the facts whose number or quote is not in the source at their offsets), over
    the facts the last build wrote.

    Checked in Python, a few hundred documents at a time: slicing a Python string by character
    offset is immediate, where SQL's substr walks the UTF-8 text from its start for every fact.
    """
    documents = [row[0] for row in con.execute(
        f"select distinct document_key from marts.fact_indicator where {LAST_WRITTEN} order by 1").fetchall()]
    checked, bad = 0, []
    for i in range(0, len(documents), TRACE_DOCUMENTS_PER_QUERY):
        chunk = documents[i : i + TRACE_DOCUMENTS_PER_QUERY]
        texts = dict(con.execute("select document_id, original_text from raw.documents "
                                 "where document_id in (select unnest(?::varchar[]))", [chunk]).fetchall())
        facts = con.execute("select fact_id, document_key, number_offset, number_text, quote_start, quote_end, quote "
                            f"from marts.fact_indicator where document_key in (select unnest(?::varchar[])) "
                            f"and {LAST_WRITTEN}",
                            [chunk]).fetchall()
        for fact_id, document, offset, number_text, quote_start, quote_end, quote in facts:
            text = texts[document]
            checked += 1
            if text[offset : offset + len(number_text)] != number_text or quote not in text[quote_start:quote_end]:
                bad.append((fact_id, number_text, quote))
    return checked, sorted(bad)


@dg.asset_check(asset=FACT_INDICATOR,
                description="Every fact's quote and number stand verbatim in its source text at their offsets "
                            "(the facts the last build wrote: each is checked once, when written).")
def facts_traceable_to_source(warehouse: Warehouse) -> dg.AssetCheckResult:
    with connect(warehouse.address, read_only=True) as con:
        checked, rows = untraceable_facts(con)
    return dg.AssetCheckResult(passed=not rows, metadata={
        "facts_checked": checked,
        "untraceable_facts": len(rows),
        "examples": dg.MetadataValue.json([{"fact_id": r[0], "number_text": r[1], "quote": r[2]} for r in rows[:20]])})


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


@dg.asset_check(asset=FACT_INDICATOR,
                description=("A stated part (其中 …) never exceeds its total; metadata reports the totals whose "
                             "parts add up exactly (within 0.5 %). Parts may overlap or leave a rest, so only "
                             "a part larger than the whole is an error."))
def parts_within_total(warehouse: Warehouse) -> dg.AssetCheckResult:
    rows = _rows(warehouse, """
        with parts as (
            select part_of_fact_id, sum(value) as parts_sum, count(*) as parts, max(value) as largest_part
            from marts.fact_indicator where part_of_fact_id is not null and is_current
            group by part_of_fact_id
        )
        select t.fact_id, t.indicator_phrase, t.value, p.parts_sum, p.parts,
               abs(p.parts_sum - t.value) <= 0.005 * abs(t.value) as adds_up, p.largest_part
        from parts p join marts.fact_indicator t on t.fact_id = p.part_of_fact_id""")
    over = [r for r in rows if float(r[6]) > float(r[2]) * 1.005]
    return dg.AssetCheckResult(passed=not over, metadata={
        "totals_with_parts": len(rows),
        "totals_that_add_up_exactly": sum(1 for r in rows if r[5]),
        "parts_exceeding_total": dg.MetadataValue.json(
            [{"fact_id": r[0], "indicator": r[1], "total": float(r[2]), "largest_part": float(r[6])}
             for r in over][:20]),
    })


@dg.asset_check(asset=FACT_INDICATOR,
                description="Where a sentence states a value, its target and the completion rate, "
                            "completion = value ÷ target (±0.5 points).")
def completion_matches_value_over_target(warehouse: Warehouse) -> dg.AssetCheckResult:
    rows = _rows(warehouse, """
        with stated as (
            select document_key, sentence_index, indicator_key,
                   max(value) filter (where measure = 'value' and unit <> '%') as achieved,
                   count(*) filter (where measure = 'value' and unit <> '%') as n_value,
                   max(value) filter (where measure = 'target' and unit <> '%') as target,
                   count(*) filter (where measure = 'target' and unit <> '%') as n_target,
                   max(value) filter (where measure = 'completion') as completion,
                   count(*) filter (where measure = 'completion') as n_completion,
                   min(fact_id) filter (where measure = 'completion') as fact_id
            from marts.fact_indicator where is_current
            group by document_key, sentence_index, indicator_key
        )
        select fact_id, achieved, target, completion, round(100 * achieved / target, 2) as computed
        from stated
        where n_value = 1 and n_target = 1 and n_completion = 1 and target <> 0""")
    wrong = [r for r in rows if abs(float(r[4]) - float(r[3])) > 0.5]
    return dg.AssetCheckResult(passed=not wrong, metadata={
        "triples_checked": len(rows),
        "inconsistent": dg.MetadataValue.json(
            [{"fact_id": r[0], "value": float(r[1]), "target": float(r[2]), "completion": float(r[3]),
              "value_over_target": float(r[4])} for r in wrong][:20]),
    })


@dg.asset_check(asset=dg.AssetKey(["marts", "fact_indicator_reconciled"]),
                description="Flags indicators whose region, period and measure are reported with different "
                            "values by different documents.")
def no_conflicting_values(warehouse: Warehouse) -> dg.AssetCheckResult:
    conflicts = _rows(warehouse, "select count(*) from marts.fact_indicator_reconciled where has_conflict")[0][0]
    rows = _rows(warehouse, """
        select i.indicator_name, region_key, period_key, measure, source_documents, distinct_values
        from marts.fact_indicator_reconciled r join marts.dim_indicator i using (indicator_key)
        where has_conflict order by 1, 2, 3, 4 limit 20""")
    return dg.AssetCheckResult(passed=not conflicts, severity=dg.AssetCheckSeverity.WARN, metadata={
        "conflicts": conflicts,
        "examples": dg.MetadataValue.json([{"indicator": r[0], "region": r[1], "period": r[2], "measure": r[3],
                                            "documents": r[4], "values": r[5]} for r in rows])})


SILENT_REPORTS_SHOWN = 50


@dg.asset_check(asset=dg.AssetKey(["marts", "dim_document"]),
                description="Warns of every current report that yielded no fact (a layout the extractor cannot "
                            "read, or a text without figures): its file and how many numbers its text holds.")
def every_report_yields_facts(warehouse: Warehouse) -> dg.AssetCheckResult:
    rows = _rows(warehouse, r"""
        select d.source_file, len(regexp_extract_all(r.original_text, '[0-9０-９]+')) as numbers
        from marts.dim_document d join raw.documents r on r.document_id = d.document_key
        where d.is_current and d.fact_count = 0
        order by d.source_file""")
    return dg.AssetCheckResult(passed=not rows, severity=dg.AssetCheckSeverity.WARN, metadata={
        "reports_without_facts": len(rows),
        "files": dg.MetadataValue.json([{"file": f, "numbers_in_text": n} for f, n in rows[:SILENT_REPORTS_SHOWN]])})


CHECKS = [no_ingest_errors, raw_reports_fresh, facts_traceable_to_source, rates_at_most_100_percent,
          parts_within_total, completion_matches_value_over_target, no_conflicting_values,
          every_report_yields_facts]
