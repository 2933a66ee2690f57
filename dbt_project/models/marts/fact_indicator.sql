-- Grain: one quantitative fact stated in one document version.
with facts as (
    select * from {{ ref('int_facts_resolved') }}
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
        number_offset,
        number_end_offset,
        quote_start,
        quote_end,
        sentence_index,
        part_of_fact_id,
        source_file,
        source_status,
        is_current,
        loaded_at
    from facts
)

select * from final
