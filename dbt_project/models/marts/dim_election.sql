with

elections as (

    select * from {{ ref('int_elections__conformed') }}

),

thresholds as (

    select * from {{ ref('int_thresholds__by_election') }}

),

-- date precision and caveats as published, and the "next election" link (not a re-run)
published as (

    select
        election_key,
        election_date_precision,
        election_date_is_approximate,
        next_election_key
    from {{ ref('stg_election_commission__elections') }}

),

previous as (

    select
        next_election_key as election_key,
        min(election_key) as previous_election_key
    from published
    where next_election_key is not null
    group by next_election_key

),

final as (

    select
        elections.election_key,
        elections.country_iso3,
        elections.election_date,
        published.election_date_precision,
        published.election_date_is_approximate,
        elections.election_type,
        elections.round,
        elections.registered_voters,
        elections.turnout_pct,
        elections.source_url,
        coalesce(elections.chamber, thresholds.rule_chamber) as chamber,
        elections.rerun_of_election_key,
        elections.rerun_election_key,
        published.next_election_key,
        previous.previous_election_key,
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
    left join published
        on elections.election_key = published.election_key
    left join previous
        on elections.election_key = previous.election_key

)

select * from final
