{#- Classifies each statement's own words, its findings text and its overall assessment, against
    the allegation taxonomy (case-insensitive regular expressions). One row per statement and
    category, with the phrase that matched kept as evidence: the first in the findings text, or in
    the assessment when the text has none. A pattern cannot see negation ("no vote buying was
    observed"), so texts should state findings, not their absence. -#}
with

statements as (

    select
        statement_id,
        election_key,
        statement_text,
        assessment
    from {{ ref('stg_observer_mission__statements') }}

),

statement_words as (

    select
        statement_id,
        election_key,
        'text' as evidence_field,
        1 as field_order,
        statement_text as words
    from statements
    union all
    select
        statement_id,
        election_key,
        'assessment' as evidence_field,
        2 as field_order,
        assessment as words
    from statements

),

taxonomy as (

    select
        category,
        pattern
    from {{ ref('allegation_taxonomy') }}

),

matches as (

    select
        statement_words.statement_id,
        statement_words.election_key,
        statement_words.evidence_field,
        statement_words.field_order,
        statement_words.words,
        taxonomy.category,
        taxonomy.pattern as matched_pattern,
        regexp_extract(statement_words.words, taxonomy.pattern, 0, 'i') as evidence
    from statement_words
    cross join taxonomy
    where regexp_matches(statement_words.words, taxonomy.pattern, 'i')

),

first_match_per_category as (

    select
        statement_id,
        election_key,
        category,
        evidence,
        matched_pattern,
        evidence_field
    from matches
    qualify row_number() over (
        partition by statement_id, category
        order by field_order asc, strpos(words, evidence) asc, length(evidence) desc, matched_pattern asc
    ) = 1

)

select * from first_match_per_category
