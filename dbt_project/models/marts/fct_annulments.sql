{#- Annulment decisions with how fast they came, their legal basis and re-run. A re-run is only an
    election a decision names as the re-run (never merely the next election). Whether the re-run
    changed the winner is known only where both elections have list results: the winner is then
    the list with the highest vote share (a tie at the top leaves it unknown). An undated
    decision is kept, with NULL date and precision. -#}
with

decisions as (

    select * from {{ ref('stg_election_commission__decisions') }}

),

elections as (

    select
        conformed.election_key,
        conformed.election_date,
        conformed.rerun_election_key,
        published.election_date_precision
    from {{ ref('int_elections__conformed') }} as conformed
    left join {{ ref('stg_election_commission__elections') }} as published
        on conformed.election_key = published.election_key

),

ranked_lists as (

    select
        election_key,
        party_name,
        list_name_original,
        rank() over (partition by election_key order by vote_share_pct desc) as share_rank
    from {{ ref('fct_threshold_results') }}
    where vote_share_pct is not null

),

-- a list's names without a trailing gloss ("Birimdik (Unity)" -> "birimdik"), to compare winners
leaders as (

    select
        election_key,
        party_name as leading_list,
        list_distinct([
            {{ list_name_key("regexp_replace(party_name, '\\s*\\([^)]*\\)\\s*$', '')") }},
            {{ list_name_key("regexp_replace(list_name_original, '\\s*\\([^)]*\\)\\s*$', '')") }}
        ]) as leader_names
    from ranked_lists
    where share_rank = 1
    qualify count(*) over (partition by election_key) = 1

),

annulments as (

    select
        decisions.election_key,
        decisions.decided_on,
        decisions.decided_on_precision,
        decisions.decided_on_is_approximate,
        decisions.decided_by,
        decisions.body_type,
        coalesce(
            decisions.scope,
            case decisions.decision_type
                when 'annulment' then 'full'
                when 'partial_annulment' then 'partial'
            end
        ) as scope,
        decisions.decision_text as reason,
        decisions.rerun_date,
        decisions.rerun_date_precision,
        decisions.source_url,
        decisions.decision_id,
        decisions.decision_type = 'annulment_disputed' as disputed,
        -- days only between two known days: a month-precise date would invent the day
        case
            when decisions.decided_on_precision = 'day' and coalesce(elections.election_date_precision, 'day') = 'day'
                then cast(date_diff('day', elections.election_date, decisions.decided_on) as integer)
        end as days_to_decision,
        decisions.legal_basis,
        coalesce(decisions.rerun_election_key, elections.rerun_election_key) as rerun_election_key
    from decisions
    inner join elections
        on decisions.election_key = elections.election_key
    where decisions.decision_type in ('annulment', 'partial_annulment', 'annulment_disputed')

),

final as (

    select
        annulments.*,
        annulled_leader.leading_list,
        rerun_leader.leading_list as rerun_leading_list,
        case
            when annulled_leader.leader_names is not null and rerun_leader.leader_names is not null
                then not list_has_any(annulled_leader.leader_names, rerun_leader.leader_names)
        end as rerun_changed_winner
    from annulments
    left join leaders as annulled_leader
        on annulments.election_key = annulled_leader.election_key
    left join leaders as rerun_leader
        on annulments.rerun_election_key = rerun_leader.election_key

)

select * from final
