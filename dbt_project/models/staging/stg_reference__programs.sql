with source as (
    select * from {{ ref('programs') }}
),

renamed as (
    select
        program_name,
        nullif(aliases, '') as aliases,
        policy_area,
        description
    from source
)

select * from renamed
