with source as (
    select * from {{ raw_source('facts') }}
),

renamed as (
    select
        document_id,
        cast(fact_index as integer) as fact_index,
        cast("offset" as integer) as number_offset,
        cast(end_offset as integer) as number_end_offset,
        number_text,
        quote,
        quote_simplified,
        cast(quote_start as integer) as quote_start,
        cast(quote_end as integer) as quote_end,
        cast(sentence_index as integer) as sentence_index,
        indicator_phrase,
        indicator_code,
        -- `value` is a keyword, but it is the fact schema's column name.
        cast(value as decimal(38, 6)) as value,  -- noqa: RF04
        unit,
        measure,
        basis,
        region_code,
        period,
        period_type,
        period_start,
        period_end,
        program,
        hedge,
        cast(part_of_offset as integer) as part_of_offset,
        region_basis,
        period_basis,
        indicator_match,
        indicator_candidates,
        cast(loaded_at as timestamp) as loaded_at
    from source
)

select * from renamed
