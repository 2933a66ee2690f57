-- One row per indicator × region × period × measure × basis × program × unit over current facts, with
-- the value chosen from the most authoritative, most recent document (see the model's description).
-- The unit is part of the key: figures of one phrase in 家 and in 元 count different things.
with facts as (
    -- Only the columns the choice needs: the window below sorts every current fact.
    select
        fact_id,
        document_key,
        indicator_key,
        region_key,
        period_key,
        program_key,
        measure,
        value,
        unit,
        basis,
        -- A change is keyed by what it is against; every other measure has no basis.
        coalesce(basis, '') as basis_key
    from {{ ref('fact_indicator') }}
    where is_current
),

documents as (
    select
        document_key,
        region_key as document_region_key,
        title,
        publish_date,
        loaded_at
    from {{ ref('dim_document') }}
),

ranked as (
    select
        facts.*,
        documents.publish_date,
        -- 1: the area's own report; 2: a report of another area (usually the level above).
        case when documents.document_region_key = facts.region_key then 1 else 2 end as authority_rank,
        -- Statistical bulletins are the official figures; work reports come second.
        case when documents.title like '%统计公报%' then 1 else 2 end as document_kind_rank,
        row_number() over (
            partition by
                facts.indicator_key, facts.region_key, facts.period_key, facts.measure, facts.basis_key,
                facts.program_key, facts.unit
            order by
                case when documents.document_region_key = facts.region_key then 1 else 2 end asc,
                case when documents.title like '%统计公报%' then 1 else 2 end asc,
                coalesce(documents.publish_date, cast(documents.loaded_at as date)) desc,
                documents.loaded_at desc,
                facts.fact_id asc
        ) as preference
    from facts
    inner join documents using (document_key)
),

document_values as (
    -- What each document states for a key: one value, or several when the key lacks a qualifier
    -- the document distinguishes by (a within-document collision, counted on fact_indicator).
    select
        indicator_key,
        region_key,
        period_key,
        measure,
        basis_key,
        program_key,
        unit,
        document_key,
        count(distinct value) as values_stated,
        string_agg(distinct cast(value as varchar), '|' order by cast(value as varchar)) as value_set
    from facts
    group by indicator_key, region_key, period_key, measure, basis_key, program_key, unit, document_key
),

summarised as (
    select
        indicator_key,
        region_key,
        period_key,
        measure,
        basis_key,
        program_key,
        unit,
        count(*) as source_documents,
        count(*) filter (where values_stated > 1) as documents_stating_several_values,
        -- Documents disagree when they state different values: a document repeating another's
        -- figures (an edited copy, a later version of one report is no other document) agrees.
        count(distinct value_set) > 1 as has_conflict
    from document_values
    group by indicator_key, region_key, period_key, measure, basis_key, program_key, unit
),

distinct_counts as (
    select
        indicator_key,
        region_key,
        period_key,
        measure,
        basis_key,
        program_key,
        unit,
        count(distinct value) as distinct_values
    from facts
    group by indicator_key, region_key, period_key, measure, basis_key, program_key, unit
),

final as (
    select
        md5(
            ranked.indicator_key || '|' || ranked.region_key || '|' || ranked.period_key || '|' || ranked.measure
            || '|' || ranked.basis_key || '|' || ranked.program_key || '|' || ranked.unit
        ) as reconciled_key,
        ranked.indicator_key,
        ranked.region_key,
        ranked.period_key,
        ranked.program_key,
        ranked.measure,
        ranked.value,
        ranked.unit,
        ranked.basis,
        ranked.fact_id as chosen_fact_id,
        ranked.document_key as chosen_document_key,
        summarised.source_documents,
        distinct_counts.distinct_values,
        summarised.documents_stating_several_values,
        summarised.has_conflict
    from ranked
    inner join summarised using (indicator_key, region_key, period_key, measure, basis_key, program_key, unit)
    inner join distinct_counts using (indicator_key, region_key, period_key, measure, basis_key, program_key, unit)
    where ranked.preference = 1
)

select * from final
