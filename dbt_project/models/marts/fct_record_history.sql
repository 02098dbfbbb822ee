{#- What each source published and withdrew: one row per source, entity and record. A newer
    complete payload replaces its source's records; a record it no longer holds leaves the other
    marts and stays here with withdrawn_at (macros/current_records.sql). Each entity uses the
    natural key its staging model passes to current_records(); a new entity adds a CTE here. -#}
with

elections as (

    {{ record_history(source('raw', 'elections'), 'elections', ['election_key']) }}

),

party_results as (

    {{ record_history(source('raw', 'party_results'), 'party_results', ['election_key', 'list_name']) }}

),

decisions as (

    {{ record_history(source('raw', 'decisions'), 'decisions', ['decision_id']) }}

),

casualty_bulletins as (

    {{ record_history(source('raw', 'casualty_bulletins'), 'casualty_bulletins', ['bulletin_id']) }}

),

observer_statements as (

    {{ record_history(source('raw', 'observer_statements'), 'observer_statements', ['statement_id']) }}

),

final as (

    select * from elections
    union all
    select * from party_results
    union all
    select * from decisions
    union all
    select * from casualty_bulletins
    union all
    select * from observer_statements

)

select * from final
