{#- One row per election with list results: what the threshold did to the vote. Shares are used
    as the commission printed them (the denominator differs by election and, where result stages
    are mixed, within one); the rules behind each measure are in fct_threshold_outcomes.yml.
    The commission's elections come with dim_election; ParlGov's (result_source parlgov) with
    their matched rule in int_thresholds__by_election, and no published count of lists. -#}
with

results as (

    select * from {{ ref('fct_threshold_results') }}

),

elections as (

    select
        election_key,
        threshold_pct,
        threshold_scope,
        lists_contesting,
        cast('commission' as varchar) as result_source
    from {{ ref('dim_election') }}
    where primary_source = 'commission'
    union all
    select
        election_key,
        threshold_pct,
        threshold_scope,
        cast(null as integer) as lists_contesting,
        result_source
    from {{ ref('int_thresholds__by_election') }}
    where result_source = 'parlgov'

),

rules as (

    select
        election_key,
        rule_start_unknown
    from {{ ref('int_thresholds__by_election') }}

),

by_election as (

    select
        election_key,
        count(*) as lists_with_results,
        count_if(passed_threshold) as lists_passed,
        count(distinct coalesce(result_stage, '')) > 1 as shares_basis_mixed,
        -- floating-point sums in one fixed order (ordered aggregates): a parallel sum adds in
        -- whatever order threads finish, and a value on a rounding boundary then flips its last
        -- digit from one build to the next (measured at SF1: enp_seats 7.6562 / 7.6563)
        sum(vote_share_pct order by list_name_original) as listed_shares_sum_pct,
        coalesce(sum(vote_share_pct order by list_name_original) filter (where not passed_threshold), 0)
            as wasted_vote_pct,
        count_if(not passed_threshold and vote_share_pct is null) as failed_lists_without_share,
        -- seats are known for every seat-winning list when no list that passed (or is exempt or
        -- undetermined) lacks a seat count; lists that did not pass count as winning none
        count_if(passed_threshold is distinct from false and seats is null) = 0 as seats_known,
        sum(coalesce(seats, 0)) as seats_allocated,
        count_if(coalesce(seats, 0) > 0 and vote_share_pct is null) as seated_lists_without_share,
        bool_or(alliance_share_may_overlap) as alliance_shares_may_overlap
    from results
    group by election_key

),

nearest_miss as (

    select
        election_key,
        party_name as nearest_miss_party,
        margin_pp as nearest_miss_margin_pp
    from results
    where not passed_threshold and margin_pp < 0
    qualify row_number() over (partition by election_key order by margin_pp desc, party_name asc) = 1

),

fragmentation as (

    select
        results.election_key,
        1 / sum(
            power(results.vote_share_pct / by_election.listed_shares_sum_pct, 2) order by results.list_name_original
        ) as enp_votes,
        case
            when by_election.seats_known and by_election.seats_allocated > 0
                then 1 / sum(
                    power(coalesce(results.seats, 0) / by_election.seats_allocated, 2)
                    order by results.list_name_original
                )
        end as enp_seats,
        case
            when
                by_election.seats_known
                and by_election.seats_allocated > 0
                and by_election.seated_lists_without_share = 0
                then sqrt(0.5 * sum(
                    power(
                        results.vote_share_pct - 100.0 * coalesce(results.seats, 0) / by_election.seats_allocated, 2
                    )
                    order by results.list_name_original
                ))
        end as gallagher_index
    from results
    inner join by_election
        on results.election_key = by_election.election_key
    where results.vote_share_pct is not null
    group by
        results.election_key,
        by_election.listed_shares_sum_pct,
        by_election.seats_known,
        by_election.seats_allocated,
        by_election.seated_lists_without_share

),

final as (

    select
        by_election.election_key,
        elections.threshold_pct,
        elections.threshold_scope,
        elections.lists_contesting,
        cast(by_election.lists_with_results as integer) as lists_with_results,
        cast(by_election.lists_passed as integer) as lists_passed,
        by_election.lists_with_results >= elections.lists_contesting as results_complete,
        by_election.shares_basis_mixed,
        round(by_election.listed_shares_sum_pct, 4) as listed_shares_sum_pct,
        round(by_election.wasted_vote_pct, 4) as wasted_vote_pct,
        not coalesce(by_election.lists_with_results >= elections.lists_contesting, false)
        or by_election.failed_lists_without_share > 0 as wasted_vote_is_lower_bound,
        nearest_miss.nearest_miss_party,
        nearest_miss.nearest_miss_margin_pp,
        round(fragmentation.enp_votes, 4) as enp_votes,
        round(fragmentation.enp_seats, 4) as enp_seats,
        round(fragmentation.gallagher_index, 4) as gallagher_index,
        case when by_election.seats_known then cast(by_election.seats_allocated as integer) end as seats_allocated,
        elections.result_source,
        by_election.alliance_shares_may_overlap,
        rules.rule_start_unknown
    from by_election
    inner join elections
        on by_election.election_key = elections.election_key
    left join nearest_miss
        on by_election.election_key = nearest_miss.election_key
    left join fragmentation
        on by_election.election_key = fragmentation.election_key
    left join rules
        on by_election.election_key = rules.election_key

)

select * from final
