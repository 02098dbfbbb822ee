{#- One row per election of a lower (or only) chamber in IPU Parline's calendar, held or scheduled,
    in the contract's election columns, so that the one registry knows an election when it is
    called, not years later when a research dataset codes it. Upper chambers are left out: many are
    indirectly elected, and a direct senate vote on the day of a lower-chamber vote would be two
    elections of one type on one day. The chamber type (LC in Parline's chamber code) goes through
    the election_type_map seed. -#}
with

parline as (

    select * from {{ ref('stg_parline__elections') }}

),

iso2 as (

    select
        code,
        country_iso3
    from {{ ref('country_codes') }}
    where system = 'iso2' and valid_to is null

),

type_map as (

    select * from {{ ref('election_type_map') }}
    where source = 'parline'

),

elections as (

    select
        parline.election_code as source_election_id,
        iso2.country_iso3,
        parline.election_date,
        regexp_extract(parline.chamber_code, '-([A-Z]+)[0-9]*$', 1) as source_type
    from parline
    inner join iso2
        on upper(parline.country_iso2) = iso2.code
    where parline.election_date is not null

),

final as (

    select
        cast('parline' as varchar) as source,  -- noqa: RF04
        elections.source_election_id,
        elections.country_iso3,
        elections.election_date,
        cast(year(elections.election_date) as integer) as election_year,
        type_map.election_type,
        cast(null as integer) as round,  -- noqa: RF04
        elections.source_type,
        {{ election_key('elections.country_iso3', 'elections.election_date', 'type_map.election_type') }}
            as election_key
    from elections
    inner join type_map
        on elections.source_type = type_map.source_type

)

select * from final
