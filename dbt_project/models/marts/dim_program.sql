with programs as (
    select * from {{ ref('int_programs_unioned') }}
)

select
    program_key,
    program_name,
    policy_area,
    description,
    in_catalogue,
    fact_count
from programs
