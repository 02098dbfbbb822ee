with

elections as (

    select * from {{ ref('int_elections__conformed') }}

),

final as (

    select
        election_key,
        country_iso3,
        election_date,
        election_type,
        round,
        registered_voters,
        turnout_pct,
        source_url
    from elections

)

select * from final
