-- China's administrative divisions with their hierarchy flattened onto each row, the areas inside
-- a city that reports name (新区, 市区: code PARENT:NAME, made by the extraction), and unknown.
with regions as (
    select * from {{ ref('stg_reference__regions') }}
),

facts as (
    select * from {{ ref('stg_raw__facts') }}
),

documents as (
    select * from {{ ref('stg_raw__documents') }}
),

sub_area_codes as (
    select region_code from facts
    where region_code like '%:%'
    union
    select document_region_code from documents
    where document_region_code like '%:%'
),

sub_areas as (
    select
        sub_area_codes.region_code as region_key,
        split_part(sub_area_codes.region_code, ':', 2) as region_name,
        cast(null as varchar) as short_names,
        'sub_area' as region_level,
        city.region_code as parent_region_key,
        city.region_name as parent_region_name,
        city.province_code as province_region_key,
        province.region_name as province_name,
        city.region_code as prefecture_region_key,
        city.region_name as prefecture_name,
        cast(null as varchar) as abbreviation
    from sub_area_codes
    inner join regions as city on split_part(sub_area_codes.region_code, ':', 1) = city.region_code
    left join regions as province on city.province_code = province.region_code
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
),

-- The area of facts whose text never says which area it is about: one member, no name.
unknown_member as (
    select
        'unknown' as region_key,
        cast(null as varchar) as region_name,
        cast(null as varchar) as short_names,
        'unknown' as region_level,
        cast(null as varchar) as parent_region_key,
        cast(null as varchar) as parent_region_name,
        cast(null as varchar) as province_region_key,
        cast(null as varchar) as province_name,
        cast(null as varchar) as prefecture_region_key,
        cast(null as varchar) as prefecture_name,
        cast(null as varchar) as abbreviation
)

select * from final
union all
select * from sub_areas
union all
select * from unknown_member
