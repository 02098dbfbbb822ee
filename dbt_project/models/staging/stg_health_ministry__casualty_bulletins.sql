with

source as (

    select * from {{ current_records(source('raw', 'casualty_bulletins'), ['bulletin_id']) }}

),

renamed as (

    select
        -- ids
        bulletin_id,
        election_key,

        -- bulletin
        authority,
        published_at as published_at_as_published,
        coalesce(published_at_is_approximate, false) as published_at_is_approximate,
        time_of_day,
        timezone,
        language,
        text as bulletin_text,
        {{ record_position('_record_locator') }} as position_in_payload,

        -- provenance
        source_url,
        _payload_sha256 as payload_sha256,
        _source as loaded_from_source,
        cast(_fetched_at as timestamptz) as fetched_at

    from source

)

select * from renamed
