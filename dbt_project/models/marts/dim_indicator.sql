with indicators as (
    select * from {{ ref('int_indicators_unioned') }}
)

select
    indicator_key,
    indicator_code,
    indicator_name,
    aliases,
    unit,
    policy_area,
    parent_code,
    candidate_codes,
    in_catalogue,
    fact_count
from indicators
