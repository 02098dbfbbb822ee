with

decisions as (

    select * from {{ ref('stg_election_commission__decisions') }}

),

elections as (

    select election_key from {{ ref('int_elections__conformed') }}

),

annulments as (

    select
        decisions.election_key,
        decisions.decided_on,
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
        decisions.source_url,
        decisions.decision_id,
        decisions.decision_type = 'annulment_disputed' as disputed
    from decisions
    inner join elections
        on decisions.election_key = elections.election_key
    where decisions.decision_type in ('annulment', 'partial_annulment', 'annulment_disputed')

)

select * from annulments
