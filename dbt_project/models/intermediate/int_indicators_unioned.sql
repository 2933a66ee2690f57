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

candidate_counts as (
    -- The catalogue indicators a phrase nearly named (a part of one, or in another unit), for an
    -- analyst to review: the candidates its facts were given most often.
    select
        indicator_key,
        indicator_candidates,
        count(*) as n
    from facts
    where indicator_code is null and indicator_candidates is not null
    group by indicator_key, indicator_candidates
),

phrase_candidates as (
    select
        indicator_key,
        arg_max(indicator_candidates, n * 1000000 - rank_in_phrase) as candidate_codes
    from (
        select
            *,
            row_number() over (partition by indicator_key order by indicator_candidates) as rank_in_phrase
        from candidate_counts
    ) as ranked_candidates
    group by indicator_key
),

unmatched_phrases as (
    -- The most frequent unit of a phrase's facts; ties go to the first unit in order, so that
    -- every build gives the same row.
    select
        indicator_key,
        indicator_phrase,
        arg_max(unit, n * 1000000 - rank_in_phrase) as observed_unit,
        cast(sum(n) as bigint) as fact_count
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
        {{ indicator_key('catalogue.indicator_code') }} as indicator_key,
        catalogue.indicator_code,
        catalogue.indicator_name,
        catalogue.aliases,
        catalogue.catalogue_unit as unit,
        catalogue.policy_area,
        catalogue.parent_code,
        null as candidate_codes,
        true as in_catalogue,
        coalesce(matched_counts.fact_count, 0) as fact_count
    from catalogue
    left join matched_counts using (indicator_code)

    union all

    select
        unmatched_phrases.indicator_key,
        null as indicator_code,
        unmatched_phrases.indicator_phrase as indicator_name,
        null as aliases,
        unmatched_phrases.observed_unit as unit,
        null as policy_area,
        null as parent_code,
        phrase_candidates.candidate_codes,
        false as in_catalogue,
        unmatched_phrases.fact_count
    from unmatched_phrases
    left join phrase_candidates using (indicator_key)
)

select * from unioned
