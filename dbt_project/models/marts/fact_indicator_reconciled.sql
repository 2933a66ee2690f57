-- One row per indicator × region × period × measure × basis × program × unit over current facts, with
-- the value chosen from the most authoritative, most recent document (see the model's description).
-- The unit is part of the key: figures of one phrase in 家 and in 元 count different things.
-- Incremental by key: a build redoes the keys of the facts fact_indicator just rewrote, and drops
-- the keys left with no current fact (the post-hook).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='reconciled_key',
    on_schema_change='fail',
    post_hook="delete from {{ this }} where reconciled_key not in (
        select reconciled_key from {{ ref('fact_indicator') }} where is_current
    )"
) }}

with facts as (
    -- Only the columns the choice needs: the window below sorts every current fact.
    select
        reconciled_key,
        fact_id,
        document_key,
        indicator_key,
        region_key,
        period_key,
        program_key,
        measure,
        value,
        unit,
        basis
    from {{ ref('fact_indicator') }}
    where
        is_current
        {% if is_incremental() %}
            and reconciled_key in (
                select rewritten.reconciled_key from {{ ref('fact_indicator') }} as rewritten
                where rewritten.built_at = (select max(latest.built_at) from {{ ref('fact_indicator') }} as latest)
            )
        {% endif %}
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
        row_number() over (
            partition by facts.reconciled_key
            order by
                -- The area's own report first; then a report of another area (usually the level above).
                case when documents.document_region_key = facts.region_key then 1 else 2 end asc,
                -- Statistical bulletins are the official figures; work reports come second.
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
    -- Counts and a number for the set of values (the sum of their distinct hashes: equal sets,
    -- equal sums), not lists: DuckDB spills these to disk, and list aggregates over 1.5 M facts
    -- ran out of its 512 MB.
    select
        reconciled_key,
        document_key,
        count(distinct value) as stated_value_count,
        sum(distinct cast(hash(value) as hugeint)) as value_set
    from facts
    group by reconciled_key, document_key
),

key_values as (
    select
        reconciled_key,
        count(distinct value) as distinct_values
    from facts
    group by reconciled_key
),

summarised as (
    select
        document_values.reconciled_key,
        key_values.distinct_values,
        count(*) as source_documents,
        count(*) filter (where document_values.stated_value_count > 1) as documents_stating_several_values,
        -- Documents disagree when they state different values: a document repeating another's
        -- figures (an edited copy, a later version of one report is no other document) agrees.
        count(distinct document_values.value_set) > 1 as has_conflict
    from document_values
    inner join key_values using (reconciled_key)
    group by document_values.reconciled_key, key_values.distinct_values
),

final as (
    select
        ranked.reconciled_key,
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
        summarised.distinct_values,
        summarised.documents_stating_several_values,
        summarised.has_conflict
    from ranked
    inner join summarised using (reconciled_key)
    where ranked.preference = 1
)

select * from final
