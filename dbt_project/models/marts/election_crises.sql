{#- The analyst's front page: one row per election with a crisis record. The rules behind each
    measure are documented column by column in election_crises.yml. -#}
with

elections as (

    select * from {{ ref('int_elections__conformed') }}

),

annulments as (

    select * from {{ ref('fct_annulments') }}

),

casualty_reports as (

    select * from {{ ref('int_casualty_reports__ranked') }}

),

statements as (

    select * from {{ ref('stg_observer_mission__statements') }}

),

allegations as (

    select * from {{ ref('int_observer_findings__allegations') }}

),

thresholds as (

    select * from {{ ref('int_thresholds__by_election') }}

),

-- date precision and caveats as published, and the next-election link (never a re-run)
published as (

    select
        election_key,
        election_date_precision,
        protest_start_date_precision,
        protest_start_date_is_approximate,
        next_election_key
    from {{ ref('stg_election_commission__elections') }}

),

decisions as (

    select * from {{ ref('stg_election_commission__decisions') }}

),

threshold_outcomes as (

    select * from {{ ref('fct_threshold_outcomes') }}

),

-- A re-run named by another election's decision, or the next election after another, is not a
-- crisis of its own unless it has its own annulment, casualty reports or observer statements.
crisis_elections as (

    select elections.*
    from elections
    where
        (
            elections.rerun_of_election_key is null
            and elections.election_key not in (
                select published.next_election_key from published
                where published.next_election_key is not null
            )
        )
        or elections.election_key in (select annulments.election_key from annulments)
        or elections.election_key in (select casualty_reports.election_key from casualty_reports)
        or elections.election_key in (select statements.election_key from statements)

),

first_annulment as (

    -- a firm annulment's date and body win over a disputed one's; then the earliest decision
    select
        election_key,
        decided_on as annulled_on,
        decided_on_precision as annulled_on_precision,
        decided_by as annulled_by,
        days_to_decision,
        scope,
        rerun_election_key,
        rerun_changed_winner,
        bool_or(not disputed) over (partition by election_key) as has_firm_annulment
    from annulments
    qualify row_number() over (
        partition by election_key
        order by disputed, decided_on nulls last, decision_id
    ) = 1

),

-- The re-run that was actually held (an election a decision names as the re-run) wins over
-- dates merely set; otherwise the most recent annulment or re-run decision that sets a date.
-- The next regular election is never taken for a re-run.
rerun_candidates as (

    select
        elections.rerun_of_election_key as election_key,
        elections.election_date as rerun_date,
        published.election_date_precision as rerun_date_precision,
        0 as priority,
        null::date as decided_on,
        elections.election_key as decision_id
    from elections
    left join published
        on elections.election_key = published.election_key
    where elections.rerun_of_election_key is not null

    union all

    select
        election_key,
        rerun_date,
        rerun_date_precision,
        1 as priority,
        decided_on,
        decision_id
    from decisions
    where
        rerun_date is not null
        and decision_type in (
            'annulment', 'partial_annulment', 'annulment_disputed', 'rerun_scheduled', 'rerun_postponed'
        )

),

-- a postponement that sets no new date, undated or decided on or after the date was set
postponements as (

    select
        election_key,
        decided_on
    from decisions
    where decision_type = 'rerun_postponed' and rerun_date is null

),

latest_rerun as (

    select
        rerun_candidates.election_key,
        rerun_candidates.rerun_date,
        rerun_candidates.rerun_date_precision,
        case
            when rerun_candidates.priority = 0 then 'held'
            when exists (
                select 1 from postponements
                where
                    postponements.election_key = rerun_candidates.election_key
                    and (
                        postponements.decided_on is null
                        or rerun_candidates.decided_on is null
                        or postponements.decided_on >= rerun_candidates.decided_on
                    )
            ) then 'postponed'
            else 'date_set'
        end as rerun_status
    from rerun_candidates
    qualify row_number() over (
        partition by rerun_candidates.election_key
        order by
            rerun_candidates.priority asc,
            rerun_candidates.decided_on desc nulls last,
            rerun_candidates.decision_id desc
    ) = 1

),

latest_figures as (

    -- the primary authority's latest running total, per metric, for everyone and, apart, for the
    -- security forces: a police-only figure never stands in for all persons
    select
        election_key,
        max(value) filter (where metric = 'dead' and counted = 'all') as deaths_latest,
        max(value) filter (where metric = 'injured' and counted = 'all') as injured_latest,
        max(value) filter (where metric = 'hospitalized' and counted = 'all') as hospitalized_latest,
        max(reported_from) filter (where counted = 'all') as casualties_as_of,
        max(reported_to) filter (where counted = 'all') as figures_as_of,
        max(authority) filter (where metric = 'dead' and counted = 'all') as deaths_latest_authority,
        max(authority) filter (where metric = 'injured' and counted = 'all') as injured_latest_authority,
        max(authority) filter (
            where metric = 'hospitalized' and counted = 'all'
        ) as hospitalized_latest_authority,
        max(value) filter (where metric = 'dead' and counted = 'security_forces') as security_forces_dead_latest,
        max(value) filter (
            where metric = 'injured' and counted = 'security_forces'
        ) as security_forces_injured_latest,
        max(value) filter (
            where metric = 'hospitalized' and counted = 'security_forces'
        ) as security_forces_hospitalized_latest,
        bool_or(is_secondary_source) filter (where metric = 'dead' and counted = 'all') as deaths_latest_is_secondary,
        bool_or(is_secondary_source) filter (
            where metric = 'injured' and counted = 'all'
        ) as injured_latest_is_secondary,
        bool_or(is_secondary_source) filter (
            where metric = 'hospitalized' and counted = 'all'
        ) as hospitalized_latest_is_secondary
    from casualty_reports
    where
        is_primary_authority
        and recency_rank = 1
        and is_running_total
        and reported_to is not null
        and metric in ('dead', 'injured', 'hospitalized')
        and counted in ('all', 'security_forces')
    group by election_key

),

international_missions as (

    select
        election_key,
        organization
    from statements
    where not regexp_matches(coalesce(mission_type, ''), 'domestic|citizen', 'i')
    group by election_key, organization
    qualify row_number() over (
        partition by election_key
        order by min(position_in_payload) nulls last, organization
    ) = 1

),

observer_verdict as (

    select
        statements.election_key,
        statements.assessment as observer_assessment
    from statements
    inner join international_missions
        on
            statements.election_key = international_missions.election_key
            and statements.organization = international_missions.organization
    qualify row_number() over (
        partition by statements.election_key
        order by statements.published_on desc nulls last, statements.position_in_payload desc nulls last
    ) = 1

),

vote_buying as (

    select
        statements.election_key,
        bool_or(coalesce(allegations.category = 'vote_buying', false)) as vote_buying_alleged
    from statements
    left join allegations
        on statements.statement_id = allegations.statement_id
    group by statements.election_key

),

final as (

    select
        crisis_elections.election_key,
        crisis_elections.country_iso3,
        crisis_elections.election_date,
        published.election_date_precision,
        case
            when first_annulment.has_firm_annulment then true
            when first_annulment.election_key is not null then null
            else false
        end as annulled,
        first_annulment.annulled_on,
        first_annulment.annulled_on_precision,
        first_annulment.annulled_by,
        thresholds.threshold_pct,
        crisis_elections.lists_contesting as parties_contesting,
        threshold_outcomes.lists_passed as parties_passed,
        latest_figures.deaths_latest,
        latest_figures.injured_latest,
        latest_figures.hospitalized_latest,
        latest_figures.casualties_as_of,
        observer_verdict.observer_assessment,
        vote_buying.vote_buying_alleged,
        crisis_elections.protest_start_date,
        published.protest_start_date_precision,
        coalesce(published.protest_start_date_is_approximate, false) as protest_start_date_is_approximate,
        latest_rerun.rerun_date,
        latest_rerun.rerun_date_precision,
        latest_rerun.rerun_status,
        threshold_outcomes.wasted_vote_pct,
        threshold_outcomes.nearest_miss_party,
        threshold_outcomes.nearest_miss_margin_pp,
        threshold_outcomes.enp_votes,
        threshold_outcomes.gallagher_index,
        first_annulment.days_to_decision as days_to_annulment,
        first_annulment.scope as annulment_scope,
        coalesce(first_annulment.rerun_election_key, crisis_elections.rerun_election_key) as rerun_election_key,
        first_annulment.rerun_changed_winner,
        published.next_election_key,
        latest_figures.figures_as_of,
        latest_figures.deaths_latest_authority,
        latest_figures.injured_latest_authority,
        latest_figures.hospitalized_latest_authority,
        latest_figures.security_forces_dead_latest,
        latest_figures.security_forces_injured_latest,
        latest_figures.security_forces_hospitalized_latest,
        latest_figures.deaths_latest_is_secondary,
        latest_figures.injured_latest_is_secondary,
        latest_figures.hospitalized_latest_is_secondary
    from crisis_elections
    left join first_annulment
        on crisis_elections.election_key = first_annulment.election_key
    left join thresholds
        on crisis_elections.election_key = thresholds.election_key
    left join threshold_outcomes
        on crisis_elections.election_key = threshold_outcomes.election_key
    left join latest_figures
        on crisis_elections.election_key = latest_figures.election_key
    left join observer_verdict
        on crisis_elections.election_key = observer_verdict.election_key
    left join vote_buying
        on crisis_elections.election_key = vote_buying.election_key
    left join latest_rerun
        on crisis_elections.election_key = latest_rerun.election_key
    left join published
        on crisis_elections.election_key = published.election_key

)

select * from final
