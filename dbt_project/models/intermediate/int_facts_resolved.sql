-- Facts with their document's status and the keys of every dimension resolved.
-- Incremental by document: a build rewrites the rows of new documents and of those whose
-- status changed, so adding one report costs one report's rows (`zhibiao build --full-refresh`
-- rebuilds them all).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='document_id',
    on_schema_change='fail'
) }}

with facts as (
    select * from {{ ref('stg_raw__facts') }}
    {% if is_incremental() %}
        where document_id in ({{ documents_to_rebuild(ref('int_document_versions'), 'document_id') }})
    {% endif %}
),

fact_ids as (
    select
        document_id,
        number_offset,
        min(fact_index) as fact_index
    from facts
    where measure = 'value'
    group by document_id, number_offset
),

versions as (
    select
        document_id,
        source_file,
        source_status,
        is_current
    from {{ ref('int_document_versions') }}
),

resolved as (
    select
        {{ fact_id('facts.document_id', 'facts.fact_index') }} as fact_id,
        facts.*,
        {{ indicator_key('facts.indicator_code', 'facts.indicator_phrase') }} as indicator_key,
        {{ program_key('facts.program') }} as program_key,
        coalesce(facts.period, 'unknown') as period_key,
        versions.source_file,
        versions.source_status,
        versions.is_current,
        {{ fact_id('totals.document_id', 'totals.fact_index') }} as part_of_fact_id
    from facts
    inner join versions using (document_id)
    left join fact_ids as totals
        on facts.document_id = totals.document_id and facts.part_of_offset = totals.number_offset
)

select * from resolved
