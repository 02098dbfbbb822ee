with

statements as (

    select * from {{ ref('stg_observer_mission__statements') }}

),

elections as (

    select election_key from {{ ref('int_elections__conformed') }}

),

allegations as (

    select
        statement_id,
        list(category order by category) as allegations
    from {{ ref('int_observer_findings__allegations') }}
    group by statement_id

),

assessment as (

    select * from {{ ref('int_observer_findings__assessment') }}

),

final as (

    select
        statements.election_key,
        statements.organization,
        statements.mission_type,
        statements.head_of_mission,
        statements.statement_type,
        statements.published_on,
        statements.published_on_precision,
        statements.published_on_is_approximate,
        statements.assessment,
        coalesce(allegations.allegations, cast([] as varchar[])) as allegations,
        statements.source_url,
        statements.statement_id,
        assessment.assessment_category,
        assessment.positive_cues as assessment_positive_cues,
        assessment.negative_cues as assessment_negative_cues
    from statements
    inner join elections
        on statements.election_key = elections.election_key
    left join allegations
        on statements.statement_id = allegations.statement_id
    left join assessment
        on statements.statement_id = assessment.statement_id

)

select * from final
