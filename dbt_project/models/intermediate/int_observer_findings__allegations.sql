{#- Classifies each statement's own words against the allegation taxonomy (case-insensitive
    regular expressions). One row per statement and category, with the first phrase that
    matched kept as evidence. A pattern cannot see negation ("no vote buying was observed"),
    so texts should state findings, not their absence. -#}
with

statements as (

    select
        statement_id,
        election_key,
        statement_text
    from {{ ref('stg_observer_mission__statements') }}

),

taxonomy as (

    select
        category,
        pattern
    from {{ ref('allegation_taxonomy') }}

),

matches as (

    select
        statements.statement_id,
        statements.election_key,
        taxonomy.category,
        taxonomy.pattern as matched_pattern,
        regexp_extract(statements.statement_text, taxonomy.pattern, 0, 'i') as evidence,
        statements.statement_text
    from statements
    cross join taxonomy
    where regexp_matches(statements.statement_text, taxonomy.pattern, 'i')

),

first_match_per_category as (

    select
        statement_id,
        election_key,
        category,
        evidence,
        matched_pattern
    from matches
    qualify row_number() over (
        partition by statement_id, category
        order by strpos(statement_text, evidence), length(evidence) desc, matched_pattern
    ) = 1

)

select * from first_match_per_category
