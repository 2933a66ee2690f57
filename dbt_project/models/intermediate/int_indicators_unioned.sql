-- Catalogue indicators plus every phrase the catalogue does not match yet (to grow it from).
with catalogue as (
    select * from {{ ref('stg_reference__indicators') }}
),

facts as (
    select * from {{ ref('int_facts_resolved') }}
),

unmatched_phrases as (
    select
        indicator_key,
        indicator_phrase,
        mode(unit) as observed_unit,
        count(*) as fact_count
    from facts
    where indicator_code is null
    group by indicator_key, indicator_phrase
),

matched_counts as (
    select indicator_code, count(*) as fact_count
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
