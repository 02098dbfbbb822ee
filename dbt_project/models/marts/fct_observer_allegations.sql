{#- One row per observer statement and allegation category, with the mission's own phrase that
    justified the category, so every allegation in fct_observer_findings.allegations can be
    checked against the words it came from. -#}
with

allegations as (

    select * from {{ ref('int_observer_findings__allegations') }}

),

statements as (

    select
        statement_id,
        organization,
        published_on,
        source_url
    from {{ ref('stg_observer_mission__statements') }}

),

elections as (

    select election_key from {{ ref('int_elections__conformed') }}

),

final as (

    select
        allegations.election_key,
        allegations.statement_id,
        statements.organization,
        allegations.category,
        allegations.evidence as evidence_phrase,
        allegations.evidence_field,
        allegations.matched_pattern,
        statements.published_on,
        statements.source_url
    from allegations
    inner join statements
        on allegations.statement_id = statements.statement_id
    inner join elections
        on allegations.election_key = elections.election_key

)

select * from final
