with periods as (
    select * from {{ ref('int_periods_unioned') }}
)

select
    period_label as period_key,
    period_type,
    -- `year` is a keyword, but it is the column name analysts filter by.
    start_year as year,  -- noqa: RF04
    start_date,
    end_date
from periods
