with

registry as (

    select * from {{ ref('int_elections__registry') }}

),

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
        registry.election_key,
        registry.country_iso3,
        coalesce(elections.election_date, registry.election_date, make_date(registry.election_year, 1, 1))
            as election_date,
        coalesce(published.election_date_precision, registry.election_date_precision) as election_date_precision,
        coalesce(published.election_date_is_approximate, false) as election_date_is_approximate,
        coalesce(elections.election_type, case registry.election_type
            when 'PARL' then 'parliamentary'
            when 'PRES' then 'presidential'
            when 'GEN' then 'general'
            when 'REF' then 'referendum'
            when 'EP' then 'european parliament'
        end) as election_type,
        coalesce(elections.round, registry.round) as round,
        elections.registered_voters,
        elections.turnout_pct,
        elections.source_url,
        coalesce(
            elections.chamber, thresholds.rule_chamber,
            case when registry.election_type = 'EP' then 'European Parliament' end
        ) as chamber,
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
        elections.seats_total,
        registry.primary_source,
        registry.sources,
        registry.source_count,
        cast(registry.max_days_apart as integer) as sources_max_days_apart
    from registry
    left join elections
        on registry.election_key = elections.election_key
    left join thresholds
        on registry.election_key = thresholds.election_key
    left join published
        on registry.election_key = published.election_key
    left join previous
        on registry.election_key = previous.election_key

)

select * from final
