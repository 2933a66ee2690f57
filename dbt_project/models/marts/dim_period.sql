with periods as (
    select * from {{ ref('int_periods_parsed') }}
)

select
    period_label as period_key,
    period_type,
    start_year as year,
    start_date,
    end_date
from periods
