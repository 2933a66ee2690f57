-- China's administrative divisions with their hierarchy flattened onto each row.
with regions as (
    select * from {{ ref('stg_reference__regions') }}
),

final as (
    select
        regions.region_code as region_key,
        regions.region_name,
        regions.short_names,
        regions.region_level,
        regions.parent_code as parent_region_key,
        parent.region_name as parent_region_name,
        regions.province_code as province_region_key,
        province.region_name as province_name,
        case
            when regions.region_level = 'prefecture' then regions.region_code
            when regions.region_level = 'county' and parent.region_level = 'prefecture' then parent.region_code
        end as prefecture_region_key,
        case
            when regions.region_level = 'prefecture' then regions.region_name
            when regions.region_level = 'county' and parent.region_level = 'prefecture' then parent.region_name
        end as prefecture_name,
        regions.abbreviation
    from regions
    left join regions as parent on regions.parent_code = parent.region_code
    left join regions as province on regions.province_code = province.region_code
)

select * from final
