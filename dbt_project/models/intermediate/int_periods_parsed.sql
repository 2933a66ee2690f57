-- Every period label used by a fact or a document, parsed into its type and date range.
with labels as (
    select period_key as period_label from {{ ref('int_facts_resolved') }}
    union
    select coalesce(document_period, 'unknown') from {{ ref('stg_raw__documents') }}
),

parsed as (
    select
        period_label,
        case
            when period_label = 'unknown' then 'unknown'
            when regexp_full_match(period_label, '\d{4}') then 'year'
            when regexp_full_match(period_label, '\d{4}H[12]') then 'half_year'
            when regexp_full_match(period_label, '\d{4}Q[1-4]') then 'quarter'
            when regexp_full_match(period_label, '\d{4}-\d{2}') then 'month'
            when regexp_full_match(period_label, '\d{4}/\d{4}') then 'year_span'
            else 'other'
        end as period_type,
        try_cast(left(period_label, 4) as integer) as start_year
    from labels
),

final as (
    select
        period_label,
        period_type,
        start_year,
        case period_type
            when 'year' then make_date(start_year, 1, 1)
            when 'half_year' then make_date(start_year, case when period_label like '%H1' then 1 else 7 end, 1)
            when 'quarter' then make_date(start_year, 3 * cast(right(period_label, 1) as integer) - 2, 1)
            when 'month' then make_date(start_year, cast(right(period_label, 2) as integer), 1)
            when 'year_span' then make_date(start_year, 1, 1)
        end as start_date,
        case period_type
            when 'year' then make_date(start_year, 12, 31)
            when 'half_year'
                then
                    case
                        when period_label like '%H1' then make_date(start_year, 6, 30)
                        else make_date(start_year, 12, 31)
                    end
            when 'quarter' then last_day(make_date(start_year, 3 * cast(right(period_label, 1) as integer), 1))
            when 'month' then last_day(make_date(start_year, cast(right(period_label, 2) as integer), 1))
            when 'year_span' then make_date(cast(right(period_label, 4) as integer), 12, 31)
        end as end_date
    from parsed
)

select * from final
