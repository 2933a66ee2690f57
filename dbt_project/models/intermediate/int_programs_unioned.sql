-- Catalogue programs, programs named in reports but not catalogued yet, and a "(none)" member
-- so that every fact joins to the program dimension.
with catalogue as (
    select * from {{ ref('stg_reference__programs') }}
),

mentioned as (
    select
        program,
        count(*) as fact_count
    from {{ ref('int_facts_resolved') }}
    where program is not null
    group by program
),

unioned as (
    select
        {{ program_key('catalogue.program_name') }} as program_key,
        catalogue.program_name,
        catalogue.policy_area,
        catalogue.description,
        true as in_catalogue,
        coalesce(mentioned.fact_count, 0) as fact_count
    from catalogue
    left join mentioned on catalogue.program_name = mentioned.program

    union all

    select
        {{ program_key('mentioned.program') }} as program_key,
        mentioned.program as program_name,
        null as policy_area,
        null as description,
        false as in_catalogue,
        mentioned.fact_count
    from mentioned
    where mentioned.program not in (select catalogue.program_name from catalogue)

    union all

    select
        {{ program_key('null') }} as program_key,
        '(none)' as program_name,
        null as policy_area,
        'The fact belongs to no named program.' as description,
        false as in_catalogue,
        0 as fact_count
)

select * from unioned
