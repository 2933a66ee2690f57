with source as (
    select * from {{ ref('regions') }}
),

renamed as (
    select
        cast(region_code as varchar) as region_code,
        region_name,
        nullif(short_names, '') as short_names,
        level as region_level,
        nullif(cast(parent_code as varchar), '') as parent_code,
        nullif(cast(province_code as varchar), '') as province_code,
        nullif(abbreviation, '') as abbreviation
    from source
)

select * from renamed
