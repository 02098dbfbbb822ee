{#- The bridge: every source's own id for each election, and how it was matched. An ambiguous
    match has no election_key: it is kept here with the candidates named, never guessed. -#}
with

matches as (

    select * from {{ ref('int_elections__source_matches') }}

),

final as (

    select
        election_key,
        source,
        source_election_id,
        match_status,
        match_rule,
        match_issue,
        cast(days_apart as integer) as days_apart,
        country_iso3 as source_country_iso3,
        election_date as source_election_date,
        election_year as source_election_year,
        election_type as source_election_type,
        round as source_round,
        source_type as source_type_as_published
    from matches

)

select * from final
