with source as (
    select * from {{ ref('indicators') }}
),

renamed as (
    select
        indicator_code,
        indicator_name,
        nullif(aliases, '') as aliases,
        unit as catalogue_unit,
        policy_area
    from source
)

select * from renamed
