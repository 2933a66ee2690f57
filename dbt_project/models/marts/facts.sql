-- The analysts' view: one row per current fact, first statements only (a restated headline counts
-- once), every dimension's names beside its key, and how the area and period were decided.
-- DuckLake takes no comments on a view's columns (the view's own comment it takes).
{{ config(
    materialized='view',
    persist_docs={'relation': true, 'columns': target.name != 'lake'}
) }}

with facts as (
    select * from {{ ref('fact_indicator') }}
    where is_current and not is_restatement
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

regions as (
    select * from {{ ref('dim_region') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

programs as (
    select * from {{ ref('dim_program') }}
),

documents as (
    select * from {{ ref('dim_document') }}
),

final as (
    select
        facts.fact_id,
        indicators.indicator_code,
        coalesce(indicators.indicator_name, facts.indicator_phrase) as indicator_name,
        facts.indicator_phrase,
        facts.region_key,
        regions.region_name,
        regions.region_level,
        facts.period_key,
        periods.period_type,
        periods.start_date as period_start,
        periods.end_date as period_end,
        facts.measure,
        facts.basis,
        -- `value` is a keyword, but it is the fact schema's column name.
        facts.value,  -- noqa: RF04
        facts.unit,
        facts.hedge,
        nullif(programs.program_name, '(none)') as program_name,
        facts.region_basis,
        facts.period_basis,
        documents.region_basis as document_region_basis,
        documents.period_basis as document_period_basis,
        facts.source_file,
        -- The simplified quote is what a simplified LIKE finds; `quote` reads as fact_indicator's.
        coalesce(facts.quote_simplified, facts.quote) as quote,  -- noqa: RF04
        facts.quote as quote_original,
        facts.number_offset,
        facts.document_key
    from facts
    inner join indicators using (indicator_key)
    inner join regions using (region_key)
    inner join periods using (period_key)
    inner join programs using (program_key)
    inner join documents using (document_key)
)

select * from final
