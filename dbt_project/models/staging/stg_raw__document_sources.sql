with source as (
    select * from {{ raw_source('document_sources') }}
),

renamed as (
    select
        source_file,
        document_id,
        cast(valid_from as timestamp) as valid_from,
        cast(valid_to as timestamp) as valid_to,
        cast(removed_at as timestamp) as removed_at,
        cast(last_seen_at as timestamp) as last_seen_at,
        landing_folder
    from source
)

select * from renamed
