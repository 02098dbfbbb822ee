{#- passed_threshold is the commission's declaration where it made one (it knows the full rule,
    e.g. regional conditions); otherwise it is computed as vote share >= the legal threshold.
    Lists exempt from the threshold (minority lists) get NULL. -#}
with

results as (

    select * from {{ ref('stg_election_commission__party_results') }}

),

elections as (

    select election_key from {{ ref('int_elections__conformed') }}

),

thresholds as (

    select * from {{ ref('int_thresholds__by_election') }}

),

final as (

    select
        results.election_key,
        coalesce(results.list_name_english, results.list_name) as party_name,
        results.english_name_is_researcher_translation as party_name_is_researcher_translation,
        results.votes,
        results.vote_share_pct,
        thresholds.threshold_pct,
        case results.declared_passed
            when 'yes' then true
            when 'no' then false
            when 'exempt' then null
            else results.vote_share_pct >= thresholds.threshold_pct
        end as passed_threshold,
        round(results.vote_share_pct - thresholds.threshold_pct, 4) as margin_pp,
        results.seats,
        results.list_name as list_name_original,
        results.declared_passed,
        results.source_url,
        results.election_key || ':' || {{ list_name_key('results.list_name') }} as party_key,
        results.result_stage,
        thresholds.threshold_scope,
        thresholds.coalition_threshold_pct,
        thresholds.minority_exemption,
        thresholds.threshold_source_url
    from results
    inner join elections
        on results.election_key = elections.election_key
    left join thresholds
        on results.election_key = thresholds.election_key

)

select * from final
