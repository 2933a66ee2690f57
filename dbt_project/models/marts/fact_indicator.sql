-- Grain: one quantitative fact stated in one document version.
-- Incremental by document, as int_facts_resolved: only the rows of documents that are new or
-- changed status are rewritten.
-- depends_on: {{ ref('int_document_versions') }}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='document_key',
    on_schema_change='fail'
) }}

with facts as (
    select * from {{ ref('int_facts_resolved') }}
    {% if is_incremental() %}
        where document_id in ({{ documents_to_rebuild(ref('int_document_versions'), 'document_key') }})
    {% endif %}
),

keyed as (
    select
        *,
        -- The row of fact_indicator_reconciled this fact is one of the candidates for.
        -- A change is keyed by what it is against; every other measure has no basis.
        {{ surrogate_key([
            'indicator_key', 'region_code', 'period_key', 'measure', "coalesce(basis, '')", 'program_key', 'unit'
        ]) }} as reconciled_key
    from facts
),

final as (
    select
        fact_id,
        document_id as document_key,
        indicator_key,
        region_code as region_key,
        period_key,
        program_key,
        region_basis,
        period_basis,
        measure,
        basis,
        value,
        unit,
        hedge,
        indicator_phrase,
        indicator_match,
        number_text,
        quote,
        quote_simplified,
        number_offset,
        number_end_offset,
        quote_start,
        quote_end,
        sentence_index,
        part_of_fact_id,
        source_file,
        source_status,
        is_current,
        loaded_at,
        reconciled_key,
        -- A headline restated in the body: the same figure (key and value) stated again in the same
        -- document. The first statement counts; the others are its evidence.
        row_number() over (
            partition by document_id, reconciled_key, value order by number_offset, fact_id
        ) > 1 as is_restatement,
        -- One statement writes the rows of a build, so they share its transaction's timestamp: the
        -- latest built_at marks the rows the last build rewrote (the models downstream redo their keys).
        cast(current_timestamp as timestamp) as built_at
    from keyed
)

select * from final
