-- One row per indicator × region × period × measure over current facts, with the value chosen
-- from the most authoritative, most recent document (see the model's description).
with facts as (
    -- Only the columns the choice needs: the window below sorts every current fact.
    select
        fact_id,
        document_key,
        indicator_key,
        region_key,
        period_key,
        measure,
        value,
        unit,
        basis
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
            partition by facts.indicator_key, facts.region_key, facts.period_key, facts.measure
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

summarised as (
    select
        indicator_key,
        region_key,
        period_key,
        measure,
        count(distinct document_key) as source_documents,
        count(distinct value) as distinct_values,
        count(distinct document_key) > 1 and count(distinct value) > 1 as has_conflict
    from ranked
    group by indicator_key, region_key, period_key, measure
),

final as (
    select
        md5(
            ranked.indicator_key || '|' || ranked.region_key || '|' || ranked.period_key || '|' || ranked.measure
        ) as reconciled_key,
        ranked.indicator_key,
        ranked.region_key,
        ranked.period_key,
        ranked.measure,
        ranked.value,
        ranked.unit,
        ranked.basis,
        ranked.fact_id as chosen_fact_id,
        ranked.document_key as chosen_document_key,
        summarised.source_documents,
        summarised.distinct_values,
        summarised.has_conflict
    from ranked
    inner join summarised using (indicator_key, region_key, period_key, measure)
    where ranked.preference = 1
)

select * from final
