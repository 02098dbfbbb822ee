with

countries as (

    select * from {{ ref('countries') }}

),

final as (

    select
        cast(country_iso3 as varchar) as country_iso3,
        cast(country_name as varchar) as country_name,
        cast(iso2 as varchar) as iso2,
        cast(iso_numeric as varchar) as iso_numeric,
        cast(cow_code as integer) as cow_code,
        cast(cow_abbrev as varchar) as cow_abbrev,
        cast(gw_code as integer) as gw_code,
        cast(is_former_state as boolean) as is_former_state,
        cast(valid_from as varchar) as valid_from,
        cast(valid_to as varchar) as valid_to
    from countries

)

select * from final
