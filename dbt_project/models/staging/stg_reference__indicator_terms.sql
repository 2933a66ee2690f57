with source as (
    select * from {{ ref('indicator_terms') }}
),

renamed as (
    select
        term,
        kind as term_kind,
        nullif(synonyms, '') as synonyms
    from source
)

select * from renamed
