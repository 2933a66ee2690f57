-- Every period label used by a fact or a document with its type and date range. The extractor
-- reads each label once (`periods.period_range`) and writes them beside it in the raw tables.
with fact_periods as (
    select
        period_key as period_label,
        period_type,
        period_start,
        period_end
    from {{ ref('int_facts_resolved') }}
),

document_periods as (
    select
        coalesce(document_period, 'unknown') as period_label,
        document_period_type as period_type,
        document_period_start as period_start,
        document_period_end as period_end
    from {{ ref('stg_raw__documents') }}
),

labelled as (
    select * from fact_periods
    union
    select * from document_periods
),

final as (
    select
        period_label,
        -- A fact or a report without a period is 'unknown'; a label the extractor could not read
        -- (none today) is 'other'.
        case when period_label = 'unknown' then 'unknown' else coalesce(period_type, 'other') end as period_type,
        cast(year(period_start) as integer) as start_year,
        period_start as start_date,
        period_end as end_date
    from labelled
)

select * from final
