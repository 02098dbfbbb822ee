with

crosswalk as (

    select * from {{ ref('country_crosswalk') }}

),

final as (

    select
        cast(country_iso3 as varchar) as country_iso3,
        cast(country_name as varchar) as country_name,
        cast(iso2 as varchar) as iso2,
        cast(iso_numeric as varchar) as iso_numeric,
        cast(cow_code as integer) as cow_code,
        cast(cow_abbrev as varchar) as cow_abbrev
    from crosswalk

)

select * from final
