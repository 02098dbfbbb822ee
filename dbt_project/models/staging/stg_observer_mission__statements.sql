with

source as (

    select * from {{ current_records(source('raw', 'observer_statements'), ['statement_id']) }}

),

renamed as (

    select
        -- ids
        statement_id,
        election_key,

        -- mission
        organization,
        mission_type,
        head_of_mission,

        -- statement
        statement_type,
        {{ partial_date('published_on') }} as published_on,
        {{ partial_date_precision('published_on') }} as published_on_precision,
        coalesce(published_on_is_approximate, false) as published_on_is_approximate,
        assessment,
        text as statement_text,
        {{ record_position('_record_locator') }} as position_in_payload,

        -- provenance
        source_url,
        _source as loaded_from_source,
        cast(_fetched_at as timestamptz) as fetched_at

    from source

)

select * from renamed
