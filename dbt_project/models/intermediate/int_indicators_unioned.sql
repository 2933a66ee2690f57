-- Catalogue indicators plus every phrase the catalogue does not match yet (to grow it from).
with catalogue as (
    select * from {{ ref('stg_reference__indicators') }}
),

facts as (
    select * from {{ ref('int_facts_resolved') }}
),

unit_counts as (
    select
        indicator_key,
        indicator_phrase,
        unit,
        count(*) as n
    from facts
    where indicator_code is null
    group by indicator_key, indicator_phrase, unit
),

unmatched_phrases as (
    -- The most frequent unit of a phrase's facts; ties go to the first unit in order, so that
    -- every build gives the same row.
    select
        indicator_key,
        indicator_phrase,
        arg_max(unit, n * 1000000 - rank_in_phrase) as observed_unit,
        sum(n) as fact_count
    from (
        select
            *,
            row_number() over (partition by indicator_key order by unit) as rank_in_phrase
        from unit_counts
    ) as ranked_units
    group by indicator_key, indicator_phrase
),

matched_counts as (
    select
        indicator_code,
        count(*) as fact_count
    from facts
    where indicator_code is not null
    group by indicator_code
),

unioned as (
    select
        md5(catalogue.indicator_code) as indicator_key,
        catalogue.indicator_code,
        catalogue.indicator_name,
        catalogue.aliases,
        catalogue.catalogue_unit as unit,
        catalogue.policy_area,
        true as in_catalogue,
        coalesce(matched_counts.fact_count, 0) as fact_count
    from catalogue
    left join matched_counts using (indicator_code)

    union all

    select
        indicator_key,
        null as indicator_code,
        indicator_phrase as indicator_name,
        null as aliases,
        observed_unit as unit,
        null as policy_area,
        false as in_catalogue,
        fact_count
    from unmatched_phrases
)

select * from unioned
