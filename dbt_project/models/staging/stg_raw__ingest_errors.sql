with source as (
    select * from {{ raw_source('ingest_errors') }}
),

renamed as (
    select
        source_file,
        reason,
        cast(first_seen_at as timestamp) as first_seen_at,
        cast(last_seen_at as timestamp) as last_seen_at
    from source
)

select * from renamed
