with

elections as (

    select * from {{ ref('int_elections__conformed') }}

),

thresholds as (

    select * from {{ ref('int_thresholds__by_election') }}

),

final as (

    select
        elections.election_key,
        elections.country_iso3,
        elections.election_date,
        elections.election_type,
        elections.round,
        elections.registered_voters,
        elections.turnout_pct,
        elections.source_url,
        coalesce(elections.chamber, thresholds.rule_chamber) as chamber,
        elections.rerun_of_election_key,
        elections.rerun_election_key,
        thresholds.threshold_pct,
        thresholds.threshold_origin,
        thresholds.threshold_source_url,
        thresholds.threshold_scope,
        thresholds.coalition_threshold_pct,
        thresholds.minority_exemption,
        thresholds.alternative_route,
        thresholds.rule_id as threshold_rule_id,
        elections.lists_contesting,
        elections.candidates_contesting,
        elections.seats_total
    from elections
    left join thresholds
        on elections.election_key = thresholds.election_key

)

select * from final
