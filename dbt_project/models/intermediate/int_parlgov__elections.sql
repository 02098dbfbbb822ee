{#- One row per ParlGov election, in the contract's columns (CONTRACT.md, "Each election-level
    source..."), then its key and what its results sum to. The type goes through the
    election_type_map seed; a type the seed lacks leaves election_type NULL (a test names it). -#}
with

results as (

    select * from {{ ref('stg_parlgov__party_results') }}

),

type_map as (

    select * from {{ ref('election_type_map') }}
    where source = 'parlgov'

),

elections as (

    select
        source_election_id,
        any_value(country_iso3) as country_iso3,
        any_value(election_date) as election_date,
        any_value(source_type) as source_type,
        any_value(layout) as layout,
        count(distinct party_id) as parties_count,
        max(seats_total) as seats_total,
        bool_or(seats_total_is_sum) as seats_total_is_sum,
        sum(votes) as votes_total,
        bool_or(country_code_before_iso_validity) as country_code_before_iso_validity,
        count(distinct country_iso3) + count(distinct election_date) + count(distinct source_type) as descriptors
    from results
    group by source_election_id

),

final as (

    select
        cast('parlgov' as varchar) as source,  -- noqa: RF04
        elections.source_election_id,
        elections.country_iso3,
        elections.election_date,
        cast(year(elections.election_date) as integer) as election_year,
        type_map.election_type,
        cast(null as integer) as round,  -- noqa: RF04
        elections.source_type,
        {{ election_key('elections.country_iso3', 'elections.election_date', 'type_map.election_type') }}
            as election_key,
        cast(elections.parties_count as integer) as parties_count,
        elections.seats_total,
        elections.seats_total_is_sum,
        cast(elections.votes_total as bigint) as votes_total,
        elections.country_code_before_iso_validity,
        elections.layout,
        elections.descriptors = 3 as results_agree_on_election
    from elections
    left join type_map
        on elections.source_type = type_map.source_type

)

select * from final
