{#- passed_threshold is the commission's declaration where it made one (it knows the full rule,
    e.g. regional conditions); otherwise it is computed as vote share >= the legal threshold.
    Lists exempt from the threshold (minority lists) get NULL.
    ParlGov's lists join for its elections with a numeric legal threshold (int_thresholds__by_election,
    result_source parlgov): each list is judged on its national vote share; a list ParlGov marks
    as an alliance is judged on the rule's coalition threshold where the rule states one figure
    for every alliance, and left undetermined where that figure depends on its members. What this
    judgement cannot see (regional or district counting, alliance members entering through their
    alliance, minority exemptions, other routes into seats) is said in threshold_caveat.
    ParlGov's technical parties (independents, others) and results with neither share nor seats
    (alliances coded through their members) are no lists and are left out. -#}
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

parlgov_results as (

    select * from {{ ref('stg_parlgov__party_results') }}

),

-- alliances whose members carry shares of their own: the alliance's share may include them
alliance_members as (

    select
        source_election_id,
        alliance_result_id as result_id,
        count(vote_share_pct) as members_with_share
    from parlgov_results
    where alliance_result_id is not null
    group by source_election_id, alliance_result_id

),

commission_lists as (

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
        thresholds.threshold_source_url,
        cast('commission' as varchar) as result_source,
        thresholds.threshold_pct as list_threshold_pct,
        cast(null as boolean) as is_alliance,
        cast(null as boolean) as is_alliance_member,
        cast(null as boolean) as alliance_share_may_overlap,
        cast(null as varchar) as threshold_caveat,
        cast(null as varchar) as source_party_id
    from results
    inner join elections
        on results.election_key = elections.election_key
    left join thresholds
        on results.election_key = thresholds.election_key

),

parlgov_judged as (

    select
        thresholds.election_key,
        parlgov_results.*,
        thresholds.threshold_pct,
        thresholds.threshold_scope,
        thresholds.coalition_threshold_pct,
        thresholds.minority_exemption,
        thresholds.alternative_route,
        thresholds.threshold_source_url,
        coalesce(alliance_members.members_with_share, 0) > 0 as members_have_shares,
        case
            when not coalesce(parlgov_results.is_alliance, false) then thresholds.threshold_pct
            when thresholds.coalition_threshold_single_pct is not null then thresholds.coalition_threshold_single_pct
            when thresholds.coalition_threshold_pct is null then thresholds.threshold_pct
        end as list_threshold_pct
    from parlgov_results
    inner join thresholds
        on
            parlgov_results.source_election_id = thresholds.source_election_id
            and thresholds.result_source = 'parlgov'
    left join alliance_members
        on
            parlgov_results.source_election_id = alliance_members.source_election_id
            and parlgov_results.result_id = alliance_members.result_id
    where
        thresholds.threshold_pct is not null
        and not parlgov_results.is_technical_party
        and (parlgov_results.vote_share_pct is not null or parlgov_results.seats is not null)
    -- an election coded with seats only (early Danish ones) has nothing to measure against a threshold
    qualify count(parlgov_results.vote_share_pct) over (partition by parlgov_results.source_election_id) > 0

),

parlgov_lists as (

    select
        election_key,
        coalesce(party_name_english, party_name, party_name_short) as party_name,
        false as party_name_is_researcher_translation,
        votes,
        vote_share_pct,
        threshold_pct,
        vote_share_pct >= list_threshold_pct as passed_threshold,
        round(vote_share_pct - threshold_pct, 4) as margin_pp,
        seats,
        coalesce(party_name, party_name_short) as list_name_original,
        cast(null as varchar) as declared_passed,
        election_page_url as source_url,
        election_key || ':parlgov:' || party_id as party_key,
        cast(null as varchar) as result_stage,
        threshold_scope,
        coalition_threshold_pct,
        minority_exemption,
        threshold_source_url,
        'parlgov' as result_source,
        list_threshold_pct,
        is_alliance,
        case when layout = '2024' then alliance_result_id is not null end as is_alliance_member,
        coalesce(is_alliance, false) and vote_share_pct is not null and members_have_shares
            as alliance_share_may_overlap,
        nullif(concat_ws(
            '; ',
            case
                when is_alliance and list_threshold_pct is null
                    then 'alliance: the coalition threshold depends on its members or is not one figure, not judged'
            end,
            case
                when is_alliance and coalition_threshold_pct is null
                    then 'alliance: the rule gives no coalition threshold, judged on the single-list one'
            end,
            case when alliance_result_id is not null then 'alliance member: may pass through its alliance' end,
            case
                when not starts_with(coalesce(threshold_scope, ''), 'national')
                    then 'threshold counted below national level, judged on the national share'
            end,
            case
                when starts_with(minority_exemption, 'yes')
                    then 'minority lists are exempt, not identified here'
            end,
            case when alternative_route is not null then 'another route into seats exists below the threshold' end
        ), '') as threshold_caveat,
        party_id as source_party_id
    from parlgov_judged

),

final as (

    select * from commission_lists
    union all
    select * from parlgov_lists

)

select * from final
