with

source as (

    select * from {{ current_records(source('raw', 'decisions'), ['decision_id']) }}

),

renamed as (

    select
        -- ids
        decision_id,
        election_key,
        nullif(trim(rerun_election_key), '') as rerun_election_key,

        -- decision
        decision_type,
        cast(decided_on as date) as decided_on,
        decided_by,
        body_type,
        scope,
        text as decision_text,
        legal_basis,
        cast(rerun_date as date) as rerun_date,

        -- provenance
        source_url,
        _source as loaded_from_source,
        cast(_fetched_at as timestamptz) as fetched_at

    from source

)

select * from renamed
