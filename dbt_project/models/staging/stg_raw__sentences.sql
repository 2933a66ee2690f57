with source as (
    select * from {{ raw_source('sentences') }}
),

renamed as (
    select
        document_id,
        cast(sentence_index as integer) as sentence_index,
        cast(start_offset as integer) as start_offset,
        cast(end_offset as integer) as end_offset,
        sentence_text
    from source
)

select * from renamed
