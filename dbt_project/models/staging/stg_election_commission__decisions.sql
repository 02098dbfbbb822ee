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
        {{ partial_date('decided_on') }} as decided_on,
        {{ partial_date_precision('decided_on') }} as decided_on_precision,
        coalesce(decided_on_is_approximate, false) as decided_on_is_approximate,
        decided_by,
        body_type,
        scope,
        text as decision_text,
        legal_basis,
        {{ partial_date('rerun_date') }} as rerun_date,
        {{ partial_date_precision('rerun_date') }} as rerun_date_precision,
        coalesce(rerun_date_is_approximate, false) as rerun_date_is_approximate,
        {{ partial_date('early_election_date') }} as early_election_date,
        {{ partial_date_precision('early_election_date') }} as early_election_date_precision,
        coalesce(early_election_date_is_approximate, false) as early_election_date_is_approximate,

        -- provenance
        source_url,
        _source as loaded_from_source,
        cast(_fetched_at as timestamptz) as fetched_at

    from source

)

select * from renamed
