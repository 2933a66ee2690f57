with source as (
    select * from {{ ref('indicators') }}
),

renamed as (
    select
        indicator_code,
        indicator_name,
        nullif(aliases, '') as aliases,
        unit as catalogue_unit,
        policy_area,
        nullif(parent_code, '') as parent_code,
        nullif(terms, '') as terms
    from source
)

select * from renamed
